// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: switches the socket to non-blocking for
 * its own send and forgets to switch it back.
 * Breaks: a call changes nothing about s beyond what its page says.
 * Must be caught by: connectx.data_iovecs_blocking (the side-effect check)
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	int r = cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
	int e = errno;

	fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK);
	errno = e;
	return r;
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
