// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: a listening socket gives EINVAL instead of EOPNOTSUPP.
 * Breaks: "EOPNOTSUPP: Because socket is listening, no connection is allowed"
 * Must be caught by: connectx.listening
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

	if (ret == -1 && errno == EOPNOTSUPP)
		errno = EINVAL;
	return ret;
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
