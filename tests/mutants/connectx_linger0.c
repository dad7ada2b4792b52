// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: sets SO_LINGER {1,0} on the caller's socket
 * ("so a close never lingers") and leaves it: the caller's close() then
 * resets the connection.
 * Breaks: a call changes nothing about s beyond what its page says.
 * Must be caught by: connectx.data_iovecs_blocking (the side-effect check)
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	struct linger lg = { 1, 0 };

	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
