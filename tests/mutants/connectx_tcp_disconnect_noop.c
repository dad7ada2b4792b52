// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: disconnectx on TCP returns 0 and leaves the connection up.
 * Breaks: "a single connection may be dissolved by calling disconnectx(2)"
 * Must be caught by: connectx.disconnectx_tcp_eof
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
	if (tfo_sock_type(s) == SOCK_STREAM)
		return aid == SAE_ASSOCID_ANY || aid == SAE_ASSOCID_ALL ?
			0 : (errno = EINVAL, -1);
	return cxm_ref_disconnectx(s, aid, cid);
}
