// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): connects a fresh socket dup2()ed over s, so the caller's
 * socket (its O_NONBLOCK, FD_CLOEXEC, bind) is replaced.  Caught by
 * owfat.same_socket.
 */
#include "tests/mutants/ref_owfat.h"

static void mut_replace(int s)
{
	int d = tfo_sock_domain(s), n;

	if (d < 0)
		return;
	n = socket(d, SOCK_STREAM, 0);
	if (n < 0)
		return;
	dup2(n, s);
	close(n);
}

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	mut_replace(s);
	return ref_fastopen_connect4(s, ip, port, buf, len);
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	mut_replace(s);
	return ref_fastopen_connect6(s, ip, port, scope_id, buf, len);
}

int socket_connected(int s)
{
	return ref_connected(s);
}
