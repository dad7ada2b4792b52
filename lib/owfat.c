// SPDX-License-Identifier: MIT
/*
 * The libowfat-compatible API: socket_fastopen_connect4/6,
 * socket_connected and socket_fastopen, with libowfat's names and
 * prototypes so either library can be loaded by path.
 *
 * Fast path: one sendto(MSG_FASTOPEN | MSG_NOSIGNAL), i.e. no system call
 * beyond what a hand-written TFO client makes.  Extra calls happen only
 * when that one fails: the connect+write fallback where TFO is not
 * available, and the family retry for IPv4-mapped targets.  The choices
 * for what the man page leaves open are in docs/clauses.md ("libowfat
 * API: interpretations").
 */
#include "libtfo/fastopen.h"
#include "lib/internal.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

/* Server TFO queue length set by socket_fastopen(). */
#define OWFAT_FASTOPEN_QLEN 64

static const unsigned char owfat_v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/*
 * Connect and send through TFO, or through connect+write where the kernel
 * will not do TFO.  n >= 0 or -errno.
 */
static ssize_t owfat_connect_send(int s, const struct sockaddr *sa,
				  socklen_t salen, const char *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	ssize_t n;

	/*
	 * len == 0 goes through sendto as well: the SYN then asks for (or
	 * presents) a cookie, which a plain connect() would not.
	 */
	n = tfo_sendmsg_fastopen(s, sa, salen, &iov, 1);
	if (n >= 0 || !tfo_err_means_no_fastopen((int)-n))
		return n;

	/*
	 * Nothing was sent.  connect() decides: it succeeds only if the
	 * socket was really unconnected, so the data cannot go twice.
	 */
	{
		ssize_t r = tfo_connect_then_send(s, sa, salen, &iov, 1);

		/* EPIPE/ENOTCONN on a connected socket: keep that cause */
		if (r == -EISCONN && n != -EOPNOTSUPP)
			return n;
		return r;
	}
}

static ssize_t owfat_result(ssize_t r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

static void owfat_sin_fill(struct sockaddr_in *sin, const char *ip4,
			   uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	memcpy(&sin->sin_addr, ip4, 4);
}

static void owfat_sin6_fill(struct sockaddr_in6 *sin6, const char *ip6,
			    uint16_t port, uint32_t scope_id)
{
	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	sin6->sin6_scope_id = scope_id;
	memcpy(&sin6->sin6_addr, ip6, 16);
}

TFO_EXPORT ssize_t socket_fastopen_connect4(int s, const char *ip,
					    uint16_t port, const char *buf,
					    size_t len)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	char mapped[16];
	ssize_t r;

	owfat_sin_fill(&sin, ip, port);
	r = owfat_connect_send(s, (struct sockaddr *)&sin, sizeof(sin), buf,
			       len);
	if (r != -EINVAL)
		return owfat_result(r);

	/*
	 * An AF_INET6 socket rejects a sockaddr_in as too short (EINVAL,
	 * before any state changes): reach the same host v4-mapped.
	 */
	memcpy(mapped, owfat_v4mapped_prefix, 12);
	memcpy(mapped + 12, ip, 4);
	owfat_sin6_fill(&sin6, mapped, port, 0);
	{
		ssize_t r6 = owfat_connect_send(s, (struct sockaddr *)&sin6,
						sizeof(sin6), buf, len);

		if (r6 == -EAFNOSUPPORT)
			return owfat_result(r);
		return owfat_result(r6);
	}
}

TFO_EXPORT ssize_t socket_fastopen_connect6(int s, const char *ip,
					    uint16_t port, uint32_t scope_id,
					    const char *buf, size_t len)
{
	struct sockaddr_in6 sin6;
	struct sockaddr_in sin;
	ssize_t r;

	owfat_sin6_fill(&sin6, ip, port, scope_id);
	r = owfat_connect_send(s, (struct sockaddr *)&sin6, sizeof(sin6), buf,
			       len);
	if (r != -EAFNOSUPPORT || memcmp(ip, owfat_v4mapped_prefix, 12))
		return owfat_result(r);

	/* An AF_INET socket and a v4-mapped target: use a sockaddr_in. */
	owfat_sin_fill(&sin, ip + 12, port);
	return owfat_result(owfat_connect_send(s, (struct sockaddr *)&sin,
					       sizeof(sin), buf, len));
}

TFO_EXPORT int socket_connected(int s)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int state, err;

	if (getpeername(s, (struct sockaddr *)&ss, &sl) == 0)
		return 1;
	if (errno != ENOTCONN)
		return 0;

	/*
	 * Still handshaking?  Then do not read SO_ERROR: it would also
	 * consume a soft ICMP error (sk_err_soft) and turn the eventual
	 * EHOSTUNREACH into ETIMEDOUT.  A hard error, however, is final
	 * even while the state still reads SYN_SENT (POLLERR is already
	 * set), so report that one.
	 */
	state = tfo_sock_tcp_state(s);
	if (state == TFO_TCP_SYN_SENT || state == TFO_TCP_SYN_RECV) {
		struct pollfd p = { .fd = s, .events = POLLOUT };

		if (poll(&p, 1, 0) == 1 && (p.revents & POLLERR)) {
			err = tfo_sock_error_take(s);
			if (err > 0) {
				errno = err;
				return 0;
			}
		}
		errno = EINPROGRESS;
		return 0;
	}
	err = tfo_sock_error_take(s);
	errno = err > 0 ? err : ENOTCONN;
	return 0;
}

TFO_EXPORT int socket_fastopen(int s)
{
#ifdef TCP_FASTOPEN
	int qlen = OWFAT_FASTOPEN_QLEN;

	return setsockopt(s, IPPROTO_TCP, TCP_FASTOPEN, &qlen, sizeof(qlen));
#else
	(void)s;
	errno = ENOPROTOOPT;
	return -1;
#endif
}
