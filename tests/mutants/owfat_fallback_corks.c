// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API: where the kernel will not do TCP
 * Fast Open it connects and then writes with MSG_MORE, so the data sits
 * corked for 200 ms after the handshake instead of going out at once.
 * Breaks: without TFO it behaves as socket_connect followed by write
 * (which sends at once).
 * Must be caught by: owfat.no_tfo_connect_write (the delivery deadline)
 */
#include "tests/mutants/ref_owfat.h"

static ssize_t corked(int s, const struct sockaddr *sa, socklen_t sl,
		      const char *buf, size_t len)
{
	ssize_t n = sendto(s, buf, len, MSG_FASTOPEN | MSG_NOSIGNAL, sa, sl);

	if (n >= 0 || errno != EOPNOTSUPP)
		return n;
	if (connect(s, sa, sl))
		return -1;
	return send(s, buf, len, MSG_MORE | MSG_NOSIGNAL);
}

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	struct sockaddr_in sin;

	owfat_sin_fill(&sin, ip, port);
	return corked(s, (struct sockaddr *)&sin, sizeof(sin), buf, len);
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	struct sockaddr_in6 sin6;

	owfat_sin6_fill(&sin6, ip, port, scope_id);
	return corked(s, (struct sockaddr *)&sin6, sizeof(sin6), buf, len);
}

int socket_connected(int s)
{
	return ref_connected(s);
}
