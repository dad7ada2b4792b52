// SPDX-License-Identifier: MIT
/*
 * Not a bug: any associd is accepted and the call goes on as with
 * SAE_ASSOCID_ANY (what XNU does).  The page puts "must always be set to
 * SAE_ASSOCID_ANY" on the caller and names no duty to detect it, so this
 * is one of the two answers it allows (may-fail, cases/may.c).
 * Must PASS: connectx.associd_not_any (with the note "accepted")
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
