// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): socket_connected always returns 1, even after the
 * background connection failed.  Caught by owfat.nonblock_refused.
 */
#include "tests/mutants/ref_owfat.h"

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	return ref_fastopen_connect4(s, ip, port, buf, len);
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	return ref_fastopen_connect6(s, ip, port, scope_id, buf, len);
}

int socket_connected(int s)
{
	(void)s;
	return 1;
}
