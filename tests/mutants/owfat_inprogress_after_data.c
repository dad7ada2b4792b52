// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): on a non-blocking socket reports -1
 * EINPROGRESS although the data already rode the SYN, so a caller who
 * trusts it writes the bytes again.  Caught by owfat.nonblock_data_in_syn.
 */
#include "tests/mutants/ref_owfat.h"

static ssize_t mut_hide(int s, ssize_t r)
{
	if (r > 0 && tfo_fd_is_nonblocking(s) == 1) {
		errno = EINPROGRESS;
		return -1;
	}
	return r;
}

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	return mut_hide(s, ref_fastopen_connect4(s, ip, port, buf, len));
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	return mut_hide(s, ref_fastopen_connect6(s, ip, port, scope_id, buf, len));
}

int socket_connected(int s)
{
	return ref_connected(s);
}
