/* SPDX-License-Identifier: MIT */
/*
 * Test libraries for "the library under test is untrusted"
 * (tests/test_untrusted.c): each exports the owfat API, misbehaves in one
 * way a broken library can — at the first call, inside the call — and
 * otherwise behaves as the reference.  UNTRUSTED_MISBEHAVE(s) is the one
 * place each file defines.
 */
#ifndef TFOCHECK_UNTRUSTED_H
#define TFOCHECK_UNTRUSTED_H

#include "tests/mutants/ref_owfat.h"

/* What this library does to its caller inside every call. */
static void untrusted_misbehave(int s);

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	untrusted_misbehave(s);
	return ref_fastopen_connect4(s, ip, port, buf, len);
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	untrusted_misbehave(s);
	return ref_fastopen_connect6(s, ip, port, scope_id, buf, len);
}

int socket_connected(int s)
{
	return ref_connected(s);
}

#endif
