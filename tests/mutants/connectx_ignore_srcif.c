// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: sae_srcif is dropped (any interface may be used).
 * Breaks: "force the connection to use the interface whose interface index equals to sae_srcif"
 * Must be caught by: connectx.srcif_enforced
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	sa_endpoints_t e;

	if (!ep)
		return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
	e = *ep;
	e.sae_srcif = 0;
	return cxm_ref_connectx(s, &e, aid, flags, iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
