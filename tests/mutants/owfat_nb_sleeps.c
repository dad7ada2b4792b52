// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API: on a non-blocking socket it
 * "gives the handshake a chance" and sleeps 300 ms before returning.
 * Breaks: -1 error_inprogress ... to indicate that the socket is
 * non-blocking (at once: a non-blocking call does not wait).
 * Must be caught by: owfat.nonblock_count_or_inprogress
 */
#include "tests/mutants/ref_owfat.h"

static void nap(int s)
{
	if (fcntl(s, F_GETFL) & O_NONBLOCK)
		usleep(300 * 1000);
}

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	ssize_t r = ref_fastopen_connect4(s, ip, port, buf, len);
	int e = errno;

	nap(s);
	errno = e;
	return r;
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	ssize_t r = ref_fastopen_connect6(s, ip, port, scope_id, buf, len);
	int e = errno;

	nap(s);
	errno = e;
	return r;
}

int socket_connected(int s)
{
	return ref_connected(s);
}
