// SPDX-License-Identifier: MIT
/*
 * Fuzz mutant of libtfo's connectx (tests/test_fuzz.c): sae_srcaddr is
 * dropped only when data comes in two or more iovecs, so the connection
 * comes from an implicit source.  No case row combines a source address
 * with data in several iovecs, so the case tables pass it; the fuzzer's
 * scenarios combine them.
 * Breaks: "binds the connection to the address, as if bind(2) is used"
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	sa_endpoints_t e;

	if (!ep || !iov || iovcnt < 2)
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
