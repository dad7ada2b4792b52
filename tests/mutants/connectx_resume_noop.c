// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: CONNECT_RESUME_ON_READ_WRITE without IDEMPOTENT
 * and without iov returns 0 at once and never connects: the first write
 * fails (EPIPE), the data is lost.
 * Breaks: "If CONNECT_RESUME_ON_READ_WRITE is set without data supplied, connectx()
 * will immediately return success ... the actual connection establishment is
 * attempted once the initial data is written"
 * Must be caught by: connectx.resume_only
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	if ((flags & CONNECT_RESUME_ON_READ_WRITE) && !iov &&
	    !(flags & CONNECT_DATA_IDEMPOTENT)) {
		if (len) *len = 0;
		if (cid) *cid = 1;
		return 0; /* "immediate success", and nothing else, ever */
	}
	return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
