/* SPDX-License-Identifier: MIT */
/*
 * Run-time kernel support for the TFO client and server APIs, probed on
 * throwaway sockets that never connect and never send a packet.  Each probe
 * is built so that the errno separates "the kernel lacks it" (ENOPROTOOPT,
 * EPIPE for an ignored MSG_ flag, EAFNOSUPPORT) from "a sysctl turns it
 * off" (EOPNOTSUPP) from "not permitted" (EPERM/EACCES), and none of them
 * touches namespace-wide state: TCP_FASTOPEN with a real queue length would
 * initialise the namespace's server key, so it is probed with -1, which
 * the kernel rejects (EINVAL) before doing anything.
 *
 * Contract: 0 or -errno (see probes/cap.h).
 */
#ifndef TFOCHECK_PROBES_SOCKOPT_H
#define TFOCHECK_PROBES_SOCKOPT_H

#include <stdbool.h>

#include "probes/cap.h"
#include "probes/sysctl.h"

struct probe_kernel {
	struct probe_cap msg_fastopen;
	struct probe_cap tcp_fastopen;
	struct probe_cap tcp_fastopen_connect;
	struct probe_cap tcp_fastopen_key;
	struct probe_cap tcp_fastopen_no_cookie;
	struct probe_cap tcpi_fastopen_client_fail;
	struct probe_cap ipv6;
	int tcp_info_len;	/* bytes getsockopt(TCP_INFO) returned; 0 unknown */
};

/* Probe in nsfd (-1: calling thread's namespace); s gives the sysctl
 * gating for options whose setsockopt() does not consult it. */
int probe_sockopt_run(int nsfd, const struct probe_sysctl *s,
		      struct probe_kernel *k);

/* The individual probes, exposed for tests.  setsockopt(IPPROTO_TCP, opt)
 * on a throwaway AF_INET socket: 0, or -errno of socket() or setsockopt(). */
int probe_sockopt_set(int nsfd, int opt, const void *val, unsigned int len);
/* Two sendto(MSG_FASTOPEN) calls on a throwaway socket; their errnos (as
 * observed, positive; EPROTO if a call unexpectedly succeeded) go to
 * *known_err (AF_UNSPEC destination) and *gate_err (no destination).
 * Returns 0, or -errno when the socket could not be created. */
int probe_sockopt_msg_fastopen(int nsfd, int *known_err, int *gate_err);

/*
 * Is active TFO currently switched off by blackhole detection?  Asks the
 * kernel itself: a TCP_FASTOPEN_CONNECT + TCP_FASTOPEN_NO_COOKIE connect()
 * to a bound, non-listening 127.0.0.1 port is deferred (returns 0, sends
 * nothing) unless tcp_fastopen_active_should_disable() says no, in which
 * case the SYN goes out and the loopback answers RST.  Needs the client
 * bit on.  *disabled is set only when the answer is definite.
 */
int probe_sockopt_blackhole(int nsfd, bool *disabled);

#endif
