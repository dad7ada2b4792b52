// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: a non-blocking connectx without data waits up to
 * 50 ms for the handshake and reports its outcome (0 / ECONNREFUSED)
 * instead of EINPROGRESS.
 * Breaks: "EINPROGRESS: The connection cannot be completed immediately. It is
 * possible to select(2) for completion by selecting the socket for writing"
 * Must be caught by: connectx.nonblocking_einprogress
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"
#include <poll.h>

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	int ret = cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
	if (ret == -1 && errno == EINPROGRESS && !iov && !(flags & CONNECT_RESUME_ON_READ_WRITE)) {
		struct pollfd p = { .fd = s, .events = POLLOUT };
		if (poll(&p, 1, 50) == 1) {
			int e = 0; socklen_t l = sizeof e;
			getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &l);
			if (!e) return 0;
			errno = e; return -1;
		}
		errno = EINPROGRESS;
	}
	return ret;
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
