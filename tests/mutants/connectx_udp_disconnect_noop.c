// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: disconnectx on a datagram socket does nothing and returns 0.
 * Breaks: "it may call disconnectx(2) to dissolve any existing association"
 * Must be caught by: connectx.dgram_disconnect_reconnect
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	if (tfo_sock_type(s) == SOCK_DGRAM)
		return 0;
	return cxm_ref_disconnectx(s, aid, cid);
}
