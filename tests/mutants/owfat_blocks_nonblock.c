// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): waits for the handshake on a non-blocking socket
 * (polls until writable, then sends) instead of returning -1
 * EINPROGRESS.  Caught by owfat.nonblock_returns_at_once.
 */
#include "tests/mutants/ref_owfat.h"

static ssize_t mut_finish(int s, ssize_t r, const char *buf, size_t len)
{
	struct pollfd p = { .fd = s, .events = POLLOUT };
	int e = errno;

	if (r != -1 || e != EINPROGRESS || tfo_fd_is_nonblocking(s) != 1) {
		errno = e;
		return r;
	}
	poll(&p, 1, -1);
	e = tfo_sock_error_take(s);
	if (e > 0) {
		errno = e;
		return -1;
	}
	return send(s, buf, len, MSG_NOSIGNAL);
}

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	return mut_finish(s, ref_fastopen_connect4(s, ip, port, buf, len), buf, len);
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	return mut_finish(s, ref_fastopen_connect6(s, ip, port, scope_id, buf, len),
			  buf, len);
}

int socket_connected(int s)
{
	return ref_connected(s);
}
