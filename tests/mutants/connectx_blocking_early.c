// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: a blocking call with data is made
 * non-blocking for the send and reports success as soon as the data has
 * been handed over — while the handshake is still under way.
 * Breaks: "Upon successful completion, a value of 0 is returned" (0 means
 * connected).
 * Must be caught by: connectx.delayed_data_blocking (behind a held SYN-ACK)
 */
#include <poll.h>

#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	int fl = fcntl(s, F_GETFL), r, e;
	struct pollfd p = { .fd = s, .events = POLLOUT };

	if (!iov || (fl & O_NONBLOCK))
		return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
	fcntl(s, F_SETFL, fl | O_NONBLOCK);
	r = cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
	e = errno;
	fcntl(s, F_SETFL, fl);
	if (r == -1 && e == EINPROGRESS && len && *len > 0)
		return 0; /* "it is on its way" */
	if (r == -1 && e == EINPROGRESS) {
		/* nothing went (no cookie): finish as a blocking call */
		size_t total = 0;
		ssize_t n;

		poll(&p, 1, -1);
		for (unsigned int i = 0; i < iovcnt; i++)
			total += iov[i].iov_len;
		n = writev(s, iov, (int)iovcnt);
		if (n < 0)
			return -1;
		if (len)
			*len = (size_t)n;
		return (size_t)n == total ? 0 : -1;
	}
	errno = e;
	return r;
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
