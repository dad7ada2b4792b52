// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): leaves a blocking socket non-blocking after a
 * successful call (the caller's flags must be unchanged).  Caught by
 * owfat.same_socket.
 */
#include "tests/mutants/ref_owfat.h"

static ssize_t mut_flag(int s, ssize_t r)
{
	int fl = fcntl(s, F_GETFL);

	if (r >= 0 && fl >= 0)
		fcntl(s, F_SETFL, fl | O_NONBLOCK);
	return r;
}

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	return mut_flag(s, ref_fastopen_connect4(s, ip, port, buf, len));
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	return mut_flag(s, ref_fastopen_connect6(s, ip, port, scope_id, buf, len));
}

int socket_connected(int s)
{
	return ref_connected(s);
}
