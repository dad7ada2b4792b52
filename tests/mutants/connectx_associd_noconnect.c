// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: "accepts" an associd other than
 * SAE_ASSOCID_ANY by returning 0 without doing anything.
 * Breaks: the may-fail reading of "associd ... must always be set to
 * SAE_ASSOCID_ANY": accepting it means a normal call, not a no-op.
 * Must be caught by: connectx.associd_not_any
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	if (aid != SAE_ASSOCID_ANY) {
		if (len)
			*len = 0;
		if (cid)
			*cid = 1;
		return 0;
	}
	return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
