// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: an iov with iovcnt 0 is taken as "one
 * buffer": iov[0] is sent although the caller gave no buffers.
 * Breaks: the may-fail reading of "the iovcnt buffers specified by members
 * of the iov array": accepting iovcnt 0 means sending nothing.
 * Must be caught by: connectx.iovcnt_zero
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	if (iov && iovcnt == 0)
		iovcnt = 1;
	return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
