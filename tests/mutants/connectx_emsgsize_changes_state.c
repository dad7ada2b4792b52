// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: a datagram that cannot be sent leaves the socket associated with the new peer.
 * Breaks: "EMSGSIZE will be returned and the state of the socket is left unchanged as if connectx was not called"
 * Must be caught by: connectx.dgram_emsgsize
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	int ret = cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);

	/* associate first, then find out the datagram is too big */
	if (ret == -1 && errno == EMSGSIZE && ep && ep->sae_dstaddr) {
		(void)connect(s, ep->sae_dstaddr, ep->sae_dstaddrlen);
		errno = EMSGSIZE;
	}
	return ret;
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
