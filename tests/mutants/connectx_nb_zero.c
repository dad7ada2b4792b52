// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: a non-blocking call with data that went
 * into the SYN reports 0 ("sent") instead of EINPROGRESS although the
 * handshake has not completed.
 * Breaks: "Upon successful completion, a value of 0 is returned";
 * EINPROGRESS: "The connection cannot be completed immediately".
 * Must be caught by: connectx.delayed_data_nonblocking
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	int r = cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);

	if (r == -1 && errno == EINPROGRESS && iov && len && *len > 0)
		return 0;
	return r;
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
