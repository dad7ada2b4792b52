// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): after an immediate failure
 * (EISCONN, EALREADY, EINVAL) replaces s with a fresh socket (dup2) and
 * clears O_NONBLOCK: the caller's connection is gone, its flags changed,
 * the errno still right.  Caught by owfat.err_eisconn, owfat.err_ealready
 * and owfat.err_linklocal_no_scope (ow_fd_intact after the failure).
 */
#include "tests/mutants/ref_owfat.h"

static ssize_t mut(int s, ssize_t r)
{
	int e = errno, d, n, fl;

	if (r == -1 && (e == EISCONN || e == EALREADY || e == EINVAL)) {
		fl = fcntl(s, F_GETFL);
		d = tfo_sock_domain(s);
		n = d < 0 ? -1 : socket(d, SOCK_STREAM, 0);
		if (n >= 0) {
			dup2(n, s);
			close(n);
		}
		if (fl >= 0)
			fcntl(s, F_SETFL, fl & ~O_NONBLOCK);
	}
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
