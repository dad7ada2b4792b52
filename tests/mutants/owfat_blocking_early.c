// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API: a blocking call is made
 * non-blocking for the send and back afterwards, so with a cookie it
 * returns as soon as the data is in the SYN — before the connection
 * exists.  Without a cookie it then waits for the handshake and writes,
 * which is right.
 * Breaks: >=0, to indicate that the connection succeeded.
 * Must be caught by: owfat.delayed_blocking (behind a held SYN-ACK)
 */
#include <poll.h>

#include "tests/mutants/ref_owfat.h"

/* r, e: what the non-blocking call said */
static ssize_t finish(int s, int fl, ssize_t r, int e, const char *buf,
		      size_t len)
{
	fcntl(s, F_SETFL, fl);
	if (r < 0 && e == EINPROGRESS) {
		struct pollfd p = { .fd = s, .events = POLLOUT };

		poll(&p, 1, -1);
		return send(s, buf, len, MSG_NOSIGNAL);
	}
	errno = e;
	return r;
}

ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len)
{
	int fl = fcntl(s, F_GETFL);
	ssize_t r;

	if (fl & O_NONBLOCK)
		return ref_fastopen_connect4(s, ip, port, buf, len);
	fcntl(s, F_SETFL, fl | O_NONBLOCK);
	r = ref_fastopen_connect4(s, ip, port, buf, len);
	return finish(s, fl, r, errno, buf, len);
}

ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf, size_t len)
{
	int fl = fcntl(s, F_GETFL);
	ssize_t r;

	if (fl & O_NONBLOCK)
		return ref_fastopen_connect6(s, ip, port, scope_id, buf, len);
	fcntl(s, F_SETFL, fl | O_NONBLOCK);
	r = ref_fastopen_connect6(s, ip, port, scope_id, buf, len);
	return finish(s, fl, r, errno, buf, len);
}

int socket_connected(int s)
{
	return ref_connected(s);
}
