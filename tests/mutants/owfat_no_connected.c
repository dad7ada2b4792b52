// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): the reference without the
 * optional socket_connected export.  Not a bug: the rows whose clause is
 * "socket_connected returns 0, setting errno appropriately" must then
 * report SKIP, not PASS.  Expected SKIP of owfat.nonblock_refused and
 * owfat.nonblock_hostunreach, and no FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

/* the reference, its public names moved aside */
#define socket_fastopen_connect4 ref_fastopen_connect4
#define socket_fastopen_connect6 ref_fastopen_connect6
#define socket_connected ref_connected
#include "lib/tfo_common.c"
#include "lib/owfat.c"
#undef socket_fastopen_connect4
#undef socket_fastopen_connect6
#undef socket_connected

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len);
ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len);

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
