// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): on a non-blocking socket waits up
 * to 200 ms for the handshake and, when it failed in that time, reports
 * the failure immediately (-1 with the socket error: allowed by the page)
 * but leaves s blocking.  Caught by owfat.nonblock_refused (the immediate
 * path checks ow_fd_intact too).
 */
#include "tests/mutants/ref_owfat.h"

static ssize_t mut(int s, ssize_t r)
{
	struct pollfd p = { .fd = s, .events = POLLOUT };
	int e = errno, fl = fcntl(s, F_GETFL), soe = 0;
	socklen_t sl = sizeof(soe);

	if (r != -1 || e != EINPROGRESS || fl < 0 || !(fl & O_NONBLOCK))
		goto out;
	fcntl(s, F_SETFL, fl & ~O_NONBLOCK); /* "wait a little" */
	if (poll(&p, 1, 200) == 1 &&
	    !getsockopt(s, SOL_SOCKET, SO_ERROR, &soe, &sl) && soe) {
		e = soe; /* restoring O_NONBLOCK forgotten on this path */
		goto out;
	}
	fcntl(s, F_SETFL, fl);
out:
	errno = e;
	return r;
}

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	return mut(s, ref_fastopen_connect4(s, ip, port, buf, len));
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	return mut(s, ref_fastopen_connect6(s, ip, port, scope_id, buf, len));
}

int socket_connected(int s)
{
	return ref_connected(s);
}
