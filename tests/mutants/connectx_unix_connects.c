// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: any socket that is neither TCP nor UDP over
 * IP is simply connect()ed (an AF_UNIX stream socket then connects).
 * Breaks: "connectx() is currently supported only on AF_INET and AF_INET6
 * sockets of type SOCK_DGRAM and SOCK_STREAM"
 * Must be caught by: connectx.unsupported_domain
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	if (ep && ep->sae_dstaddr && tfo_sock_domain(s) == AF_UNIX) {
		if (len)
			*len = 0;
		if (cid)
			*cid = 1;
		return connect(s, ep->sae_dstaddr, ep->sae_dstaddrlen);
	}
	return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
