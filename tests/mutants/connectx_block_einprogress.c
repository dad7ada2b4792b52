// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: a blocking TCP connectx with more than one
 * iovec runs non-blocking: -1 EINPROGRESS, or 0 while still in SYN_SENT,
 * instead of 0 once connected.
 * Breaks: "Upon successful completion, a value of 0 is returned (blocking: connected)"
 * Must be caught by: connectx.data_iovecs_blocking
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"
#include <fcntl.h>

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	int fl = fcntl(s, F_GETFL), type = 0, ret, e;
	socklen_t tl = sizeof(type);
	getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &tl);
	if (fl >= 0 && !(fl & O_NONBLOCK) && type == SOCK_STREAM && iov && iovcnt > 1) {
		fcntl(s, F_SETFL, fl | O_NONBLOCK);
		ret = cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
		e = errno;
		fcntl(s, F_SETFL, fl);
		errno = e;
		return ret;
	}
	return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
