// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): never uses TCP Fast Open: the "Fast Open send" always
 * reports EOPNOTSUPP, so every call is a plain connect() then write().
 * Caught by owfat.no_ack_before_data (a pure ACK precedes the data).
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
	(void)s, (void)dst, (void)dstlen, (void)iov, (void)iovcnt;
	return -EOPNOTSUPP;
}

#include "lib/owfat.c"
