// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): ignores scope_id (passes 0), so link-local targets
 * fail with EINVAL.  Caught by owfat.returns_bytes_sent (ipv6-linklocal).
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
	(void)scope_id;
	return ref_fastopen_connect6(s, ip, port, 0, buf, len);
}

int socket_connected(int s)
{
	return ref_connected(s);
}
