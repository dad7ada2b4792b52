// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): reports a refused connection as EIO instead of
 * ECONNREFUSED.  Caught by owfat.err_refused.
 */
#include "tests/mutants/ref_owfat.h"

static ssize_t mut_errno(ssize_t r)
{
	if (r == -1 && errno == ECONNREFUSED)
		errno = EIO;
	return r;
}

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	return mut_errno(ref_fastopen_connect4(s, ip, port, buf, len));
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	return mut_errno(ref_fastopen_connect6(s, ip, port, scope_id, buf, len));
}

int socket_connected(int s)
{
	return ref_connected(s);
}
