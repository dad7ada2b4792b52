// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: endpoints is dereferenced before it is checked (NULL crashes).
 * Breaks: "A destination address must be specified in the sae_dstaddr parameter"
 * Must be caught by: connectx.null_endpoints
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	/* the classic bug: read a field first, validate afterwards */
	volatile unsigned int srcif = ep->sae_srcif;

	(void)srcif;
	return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
