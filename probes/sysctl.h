/* SPDX-License-Identifier: MIT */
/*
 * net.ipv4.tcp_fastopen* as seen from one network namespace: the bit field
 * decoded against include/net/tcp.h, the blackhole timeout, and whether a
 * server key is set.  The key itself is a secret: it is compared with zero
 * in place, wiped, and never stored, printed or returned.
 *
 * Contract: 0 or -errno (see probes/cap.h).
 */
#ifndef TFOCHECK_PROBES_SYSCTL_H
#define TFOCHECK_PROBES_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>

/* Bits this version knows (the TFO_* names of util/tfo_uapi.h, or'ed;
 * sysctl.c checks it); everything else is reported as unknown. */
#define PROBE_TFO_KNOWN_BITS 0x607L

/* The known bits in report order, with the JSON key and the label the
 * table uses (docs/probe-json.md, tfocheck-probe(1)). */
struct probe_tfo_bit_name {
	long bit;
	const char *key;
	const char *label;
};
extern const struct probe_tfo_bit_name probe_tfo_bit_names[];
extern const size_t probe_tfo_bit_names_count;

struct probe_tfo_bits {
	bool client;			/* 0x1   TFO_CLIENT_ENABLE */
	bool server;			/* 0x2   TFO_SERVER_ENABLE */
	bool client_no_cookie;		/* 0x4   TFO_CLIENT_NO_COOKIE */
	bool server_cookie_not_reqd;	/* 0x200 TFO_SERVER_COOKIE_NOT_REQD */
	bool server_wo_sockopt;		/* 0x400 TFO_SERVER_WO_SOCKOPT1 */
	long unknown;			/* bits outside PROBE_TFO_KNOWN_BITS */
};

enum probe_key_state { PROBE_KEY_UNKNOWN, PROBE_KEY_UNSET, PROBE_KEY_SET };

struct probe_sysctl {
	bool have_tfo;			/* tcp_fastopen could be read */
	long tcp_fastopen;
	struct probe_tfo_bits bits;
	bool have_blackhole;
	long blackhole_timeout_sec;
	enum probe_key_state key;
	int key_err;			/* why key is UNKNOWN (e.g. EACCES) */
};

void probe_sysctl_decode(long value, struct probe_tfo_bits *bits);
/* Classify tcp_fastopen_key text: set when any hex digit is non-zero. */
enum probe_key_state probe_sysctl_key_classify(const char *text);
/* Read the sysctls of nsfd (-1: the calling thread's namespace).  Fails
 * only when tcp_fastopen itself is unreadable; the others degrade. */
int probe_sysctl_read(int nsfd, struct probe_sysctl *s);
const char *probe_key_state_name(enum probe_key_state k);

#endif
