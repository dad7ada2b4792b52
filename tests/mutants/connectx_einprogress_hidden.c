// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: a non-blocking connect in progress is reported as success.
 * Breaks: "EINPROGRESS: The connection cannot be completed immediately"
 * Must be caught by: connectx.nonblocking_einprogress
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	int ret = cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);

	if (ret == -1 && errno == EINPROGRESS && !iov)
		ret = 0;
	return ret;
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
