// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): the reference without the
 * optional socket_connected export.  Not a bug: the rows whose clause is
 * "socket_connected returns 0, setting errno appropriately" must then
 * report SKIP, not PASS.  Expected SKIP of owfat.nonblock_refused and
 * owfat.nonblock_hostunreach, and no FAIL.
 */
/* the prototype of socket_connected in the header is only a declaration:
 * nothing defines it, so the library does not export it */
#include "tests/mutants/ref_owfat.h"

static ssize_t mut(int s, ssize_t r)
{
	(void)s;
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
