// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: CONNECT_DATA_IDEMPOTENT is ignored: never TCP Fast Open.
 * Breaks: "CONNECT_DATA_IDEMPOTENT ... will trigger TCP Fast Open (RFC 7413)"
 * Must be caught by: connectx.idempotent_syn_data
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	return cxm_ref_connectx(s, ep, aid, flags & ~CONNECT_DATA_IDEMPOTENT,
				iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
