// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): returns 0 for len 0 without connecting ("attempts to
 * make a connection" comes first).  Caught by owfat.len_zero_connects.
 */
#include "tests/mutants/ref_owfat.h"

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	if (!len)
		return 0;
	return ref_fastopen_connect4(s, ip, port, buf, len);
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	if (!len)
		return 0;
	return ref_fastopen_connect6(s, ip, port, scope_id, buf, len);
}

int socket_connected(int s)
{
	return ref_connected(s);
}
