// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API: every call opens a socket (a
 * "probe" it forgets) and leaves it open in the caller's process.
 * Breaks: a call changes nothing about the process beyond what its page
 * says (docs/clauses.md, "What a call must not do").
 * Must be caught by: owfat.returns_bytes_sent (the side-effect check)
 */
#include "tests/mutants/ref_owfat.h"

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	(void)!socket(AF_INET, SOCK_DGRAM, 0);
	return ref_fastopen_connect4(s, ip, port, buf, len);
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	(void)!socket(AF_INET6, SOCK_DGRAM, 0);
	return ref_fastopen_connect6(s, ip, port, scope_id, buf, len);
}

int socket_connected(int s)
{
	return ref_connected(s);
}
