// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): sends only what fits in one SYN (1000 bytes) but
 * reports the whole length.  Caught by owfat.large_3000.
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>

#define tfo_sendmsg_fastopen ref_sendmsg_fastopen
#include "lib/tfo_common.c"
#undef tfo_sendmsg_fastopen

static ssize_t tfo_sendmsg_fastopen(int s, const struct sockaddr *dst,
				    socklen_t dstlen, const struct iovec *iov,
				    size_t iovcnt)
{
	struct iovec cut = iov[0];
	ssize_t n;

	if (iovcnt != 1 || cut.iov_len <= 1000)
		return ref_sendmsg_fastopen(s, dst, dstlen, iov, iovcnt);
	cut.iov_len = 1000;
	n = ref_sendmsg_fastopen(s, dst, dstlen, &cut, 1);
	return n == 1000 ? (ssize_t)iov[0].iov_len : n;
}

#include "lib/owfat.c"
