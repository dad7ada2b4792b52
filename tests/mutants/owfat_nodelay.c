// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API: sets TCP_NODELAY on the caller's
 * socket ("to get the data out faster") and leaves it set.
 * Breaks: a call changes nothing about s beyond what its page says.
 * Must be caught by: owfat.returns_bytes_sent (the side-effect check)
 */
#include <netinet/tcp.h>

#include "tests/mutants/ref_owfat.h"

static void nodelay(int s)
{
	int one = 1;

	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	nodelay(s);
	return ref_fastopen_connect4(s, ip, port, buf, len);
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	nodelay(s);
	return ref_fastopen_connect6(s, ip, port, scope_id, buf, len);
}

int socket_connected(int s)
{
	return ref_connected(s);
}
