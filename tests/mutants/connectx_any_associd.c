// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: any associd is accepted (what XNU does, not what the page says).
 * Breaks: "associd ... must always be set to SAE_ASSOCID_ANY"
 * Must be caught by: connectx.associd_not_any
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	(void)aid;
	return cxm_ref_connectx(s, ep, SAE_ASSOCID_ANY, flags, iov, iovcnt,
				len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
