// SPDX-License-Identifier: MIT
/*
 * Fuzz mutant of the reference libowfat API (tests/test_fuzz.c): the
 * highest port, 65535, is taken for invalid: -1 EINVAL, no connection.
 * No case row connects to that port, so the case tables pass it; the
 * fuzzer draws the server's port from its boundary values.
 * Breaks: ">=0 ... the connection succeeded" for a valid destination.
 */
#include <errno.h>

#include "tests/mutants/ref_owfat.h"

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	if (port == 65535) {
		errno = EINVAL;
		return -1;
	}
	return ref_fastopen_connect4(s, ip, port, buf, len);
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	if (port == 65535) {
		errno = EINVAL;
		return -1;
	}
	return ref_fastopen_connect6(s, ip, port, scope_id, buf, len);
}

int socket_connected(int s)
{
	return ref_connected(s);
}
