// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: only the first iovec is sent, yet *len claims them all.
 * Breaks: "Data to be transmitted may optionally be defined via the iovcnt buffers specified by members of the iov array"
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
	size_t total = 0;
	int ret;

	if (!iov || iovcnt < 2 || !len)
		return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
	for (unsigned int i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	ret = cxm_ref_connectx(s, ep, aid, flags, iov, 1, len, cid);
	if (ret == 0)
		*len = total;
	return ret;
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
