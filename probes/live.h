/* SPDX-License-Identifier: MIT */
/*
 * The live probe: a real TFO exchange, IPv4 and IPv6, between two private
 * network namespaces joined by veth (topo TOPO_PAIR).  The client namespace
 * gets the caller's net.ipv4.tcp_fastopen value, the server namespace the
 * value probe_live_server_tfo() picks for it and a TCP_FASTOPEN listener,
 * so the answer is "does TFO work on this kernel with this host's client
 * setting against a Linux TFO server that can take its SYN data".
 *
 * That server is a stock one (3) unless the client has TFO_CLIENT_NO_COOKIE
 * (0x4): such a client sends its data without a cookie, which a server
 * that checks cookies ignores by design, so it gets a server that accepts
 * cookie-less data (3 | TFO_SERVER_COOKIE_NOT_REQD).
 *
 * Two connections per family with sendto(MSG_FASTOPEN): the first should
 * fetch a cookie (0x4: already carry its data), the second should carry
 * its data in the SYN, seen both by the client (tcpi_options &
 * TCPI_OPT_SYN_DATA) and the server (the accepted socket's same bit, and
 * the bytes read).
 *
 * Contract: 0 or -errno (see probes/cap.h).  A TFO failure is a result,
 * not an error; -errno means the namespaces could not be set up.
 */
#ifndef TFOCHECK_PROBES_LIVE_H
#define TFOCHECK_PROBES_LIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "probes/counters.h"

enum probe_live_result {
	LIVE_NOT_RUN = 0,
	LIVE_WORKS,		/* 2nd connection's data rode the SYN */
	LIVE_CLIENT_DISABLED,	/* sendto(MSG_FASTOPEN) said EOPNOTSUPP */
	LIVE_FAILED,		/* connections worked, SYN data was not used */
	LIVE_ERROR,		/* a connection failed outright */
	LIVE_SKIPPED,		/* family unavailable in the namespaces */
};

struct probe_live_conn {
	int err;		/* errno of sendto/accept/read; 0 */
	long sent;		/* sendto's return */
	long received;		/* bytes the server read */
	bool client_syn_data;	/* client tcpi_options & TCPI_OPT_SYN_DATA */
	bool server_syn_data;	/* accepted socket's same bit */
	int fo_fail;		/* client tcpi_fastopen_client_fail */
	double ms;		/* sendto() to the server's last byte read */
};

struct probe_live_family {
	enum probe_live_result result;
	char reason[192];
	struct probe_live_conn conn[2];
	bool cookie_cached;	/* tcp_metrics had a cookie after conn 1 */
	size_t cookie_len;
	struct probe_counters delta;	/* client namespace, conn 1 + 2 */
};

enum { LIVE_IPV4, LIVE_IPV6, LIVE_FAMILIES };

struct probe_live {
	bool ran;
	long client_tfo;	/* value given to the client namespace */
	long server_tfo;	/* ... and to the server namespace */
	int err;		/* setup failure (-errno), 0 */
	double ms;		/* wall time of the whole live probe */
	struct probe_live_family fam[LIVE_FAMILIES];
};

/* Build the pair, run both families, tear down.  Needs CAP_NET_ADMIN over
 * new namespaces (root, or root of a user namespace). */
int probe_live_run(long client_tfo, struct probe_live *out);
/* The server namespace's net.ipv4.tcp_fastopen for a client value. */
long probe_live_server_tfo(long client_tfo);

const char *probe_live_result_name(enum probe_live_result r);
/* "UNSPEC", "COOKIE_UNAVAILABLE", "DATA_NOT_ACKED", "SYN_RETRANSMITTED" */
const char *probe_live_fo_fail_name(int v);
const char *probe_live_family_name(int fam);

#endif
