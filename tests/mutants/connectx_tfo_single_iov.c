// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: TCP Fast Open only for a single iovec; with
 * several, IDEMPOTENT is dropped and the data goes after the handshake.
 * Breaks: "CONNECT_DATA_IDEMPOTENT ... will trigger TCP Fast Open"
 * Must be caught by: connectx.idempotent_syn_data_iovecs
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	if (iov && iovcnt > 1)
		flags &= ~CONNECT_DATA_IDEMPOTENT;
	return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
