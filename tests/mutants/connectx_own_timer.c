// SPDX-License-Identifier: MIT
/*
 * Mutant of libtfo's connectx: a blocking connect without data runs on its
 * own timer, one and a half initial RTOs (as TCP_INFO reports it, so also
 * under compressed timers), and reports ETIMEDOUT when it fires, leaving
 * the kernel's attempt going (SYN_SENT, still retransmitting, with six
 * more SYNs allowed: seconds even under compressed timers).
 * Breaks: ETIMEDOUT: Connection establishment timed out without
 * establishing a connection (the attempt must have ended).
 * Must be caught by: connectx.timed_out
 */
#include <netinet/tcp.h>
#include <poll.h>

#include "tests/mutants/ref_connectx.h"

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid)
{
	int fl = fcntl(s, F_GETFL), r, e;
	struct pollfd p = { .fd = s, .events = POLLOUT };
	socklen_t sl = sizeof(e);
	int wait_ms;

	if (iov || (fl & O_NONBLOCK) || flags)
		return cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
	fcntl(s, F_SETFL, fl | O_NONBLOCK);
	r = cxm_ref_connectx(s, ep, aid, flags, iov, iovcnt, len, cid);
	e = errno;
	fcntl(s, F_SETFL, fl);
	if (r == 0 || e != EINPROGRESS) {
		errno = e;
		return r;
	}
	{
		struct tcp_info ti = { 0 };
		socklen_t tl = sizeof(ti);

		getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &tl);
		wait_ms = ti.tcpi_rto ? (int)(ti.tcpi_rto * 3 / 2000) : 200;
	}
	if (poll(&p, 1, wait_ms) == 0) {
		/* and the attempt outlives the report by seconds, not by the
		 * one and a half RTOs a loaded machine can stall a case for */
		int syns = 6;

		setsockopt(s, IPPROTO_TCP, TCP_SYNCNT, &syns, sizeof(syns));
		errno = ETIMEDOUT;
		return -1;
	}
	e = 0;
	getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &sl);
	if (e) {
		errno = e;
		return -1;
	}
	return 0;
}

CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	return cxm_ref_disconnectx(s, aid, cid);
}
