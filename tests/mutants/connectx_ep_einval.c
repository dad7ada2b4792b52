// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: an unreadable endpoints pointer is detected but
 * reported as EINVAL instead of EFAULT.
 * Breaks: "EFAULT: part of ... data points outside the process's allocated address space"
 * Must be caught by: connectx.endpoints_unmapped
 *
 * The reference (lib/connectx.c) is compiled in under other names and the
 * exported connectx/disconnectx wrap it with the one clause broken.
 */
#include "tests/mutants/ref_connectx.h"
#include <sys/uio.h>
#include <unistd.h>

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	if (ep) {
		sa_endpoints_t tmp;
		struct iovec l = { &tmp, sizeof tmp }, r = { (void *)ep, sizeof tmp };
		if (process_vm_readv(getpid(), &l, 1, &r, 1, 0) != (ssize_t)sizeof tmp) {
			errno = EINVAL;
			return -1;
		}
	}
	return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
