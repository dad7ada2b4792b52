// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): the connect+write fallback writes the data twice.
 * Caught by owfat.no_tfo_connect_write.
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>

#define tfo_connect_then_send ref_connect_then_send
#include "lib/tfo_common.c"
#undef tfo_connect_then_send

static ssize_t tfo_connect_then_send(int s, const struct sockaddr *dst,
				     socklen_t dstlen, const struct iovec *iov,
				     size_t iovcnt)
{
	ssize_t r = ref_connect_then_send(s, dst, dstlen, iov, iovcnt);

	if (r > 0)
		tfo_send_all(s, iov, iovcnt);
	return r;
}

#include "lib/owfat.c"
