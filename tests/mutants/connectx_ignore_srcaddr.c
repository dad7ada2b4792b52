// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: sae_srcaddr is dropped (implicit bind instead).
 * Breaks: "binds the connection to the address, as if bind(2) is used"
 * Must be caught by: connectx.srcaddr_binds
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
	e.sae_srcaddr = NULL;
	e.sae_srcaddrlen = 0;
	return cxm_ref_connectx(s, &e, aid, flags, iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
