// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): returns -1 EALREADY while the
 * caller's non-blocking connect is in progress, but aborts that attempt
 * (connect to AF_UNSPEC): same descriptor, still non-blocking, the
 * socket back in CLOSE.  Caught by owfat.err_ealready (tcpi_state must
 * stay SYN_SENT).
 */
#include "tests/mutants/ref_owfat.h"

static ssize_t mut(int s, ssize_t r)
{
	struct sockaddr sa = { .sa_family = AF_UNSPEC };
	int e = errno;

	if (r == -1 && e == EALREADY)
		connect(s, &sa, sizeof(sa));
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
