// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): on an already connected socket
 * returns -1 EISCONN but first shuts the caller's connection down (same
 * descriptor, same flags; the server sees end of stream and nothing
 * else).  Caught by owfat.err_eisconn (a byte written after the failure
 * must reach the server).
 */
#include "tests/mutants/ref_owfat.h"

static ssize_t mut(int s, ssize_t r)
{
	int e = errno;

	if (r == -1 && e == EISCONN)
		shutdown(s, SHUT_RDWR);
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
