// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: RESUME without iov fails with ENOTCONN instead
 * of the immediate success whenever the SYN has already left (client TFO
 * off, server without cookies, RESUME alone).
 * Breaks: "If CONNECT_RESUME_ON_READ_WRITE is set without data supplied, connectx()
 * will immediately return success"
 * Must be caught by: connectx.resume_idempotent_nonblocking (client-off)
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"
#include <netinet/tcp.h>

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	int ret = cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);

	if (ret == 0 && (flags & CONNECT_RESUME_ON_READ_WRITE) && !iov) {
		struct tcp_info ti;
		socklen_t tl = sizeof ti;
		/* the SYN already left: cannot honour RESUME, so say so */
		if (!getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &tl) && (ti.tcpi_state == 1 /* ESTABLISHED */ || ti.tcpi_unacked > 0)) {
			errno = ENOTCONN;
			return -1;
		}
	}
	return ret;
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
