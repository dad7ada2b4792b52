// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: *len is never written.
 * Breaks: "len ... which upon success, indicates the number of bytes enqueued for transmission"
 * Must be caught by: connectx.data_iovecs_blocking
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	size_t mine = 0;

	return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt,
				len ? &mine : NULL, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
