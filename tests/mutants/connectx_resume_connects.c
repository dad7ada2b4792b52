// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: CONNECT_RESUME_ON_READ_WRITE is ignored: the SYN leaves at connectx.
 * Breaks: "will trigger the actual connection establishment upon the first read or write"
 * Must be caught by: connectx.resume_idempotent_nonblocking
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	int ret = cxm_ref_connectx(s, ep, aid,
				   flags & ~(CONNECT_RESUME_ON_READ_WRITE |
					     CONNECT_DATA_IDEMPOTENT),
				   iov, iovcnt, len, cid);

	/* still claim "immediate success", as the page promises */
	if (ret == -1 && errno == EINPROGRESS && !iov)
		ret = 0;
	return ret;
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
