// SPDX-License-Identifier: MIT
/*
 * Socket primitives shared by the libowfat-compatible calls (owfat.c) and
 * connectx (connectx.c): socket introspection, the one-syscall Fast Open
 * send, and the connect-then-write fallback.  The fallback is the only
 * place that decides "this kernel will not do TFO", so both front ends
 * fall back identically and never send data twice.
 */
#include "lib/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

int tfo_sock_tcp_state(int s)
{
	/* Only the first byte (tcpi_state) is copied out. */
	unsigned char state;
	socklen_t sl = sizeof(state);

	if (getsockopt(s, IPPROTO_TCP, TCP_INFO, &state, &sl) < 0)
		return -errno;
	return state;
}

int tfo_fd_is_nonblocking(int s)
{
	int fl = fcntl(s, F_GETFL);

	if (fl < 0)
		return -errno;
	return !!(fl & O_NONBLOCK);
}

static int sock_int_opt(int s, int opt)
{
	int v = 0;
	socklen_t sl = sizeof(v);

	if (getsockopt(s, SOL_SOCKET, opt, &v, &sl) < 0)
		return -errno;
	return v;
}

int tfo_sock_domain(int s)
{
	return sock_int_opt(s, SO_DOMAIN);
}

int tfo_sock_type(int s)
{
	return sock_int_opt(s, SO_TYPE);
}

int tfo_sock_protocol(int s)
{
	return sock_int_opt(s, SO_PROTOCOL);
}

int tfo_sock_error_take(int s)
{
	return sock_int_opt(s, SO_ERROR);
}

ssize_t tfo_sendmsg_fastopen(int s, const struct sockaddr *dst,
			     socklen_t dstlen, const struct iovec *iov,
			     size_t iovcnt)
{
	struct msghdr msg = {
		.msg_name = (void *)dst,
		.msg_namelen = dstlen,
		.msg_iov = (struct iovec *)iov,
		.msg_iovlen = iovcnt,
	};
	ssize_t n = sendmsg(s, &msg, MSG_FASTOPEN | MSG_NOSIGNAL);

	return n < 0 ? -errno : n;
}

int tfo_connect(int s, const struct sockaddr *dst, socklen_t dstlen)
{
	return connect(s, dst, dstlen) < 0 ? -errno : 0;
}

bool tfo_iov_total(const struct iovec *iov, size_t iovcnt, size_t *total)
{
	size_t sum = 0;

	for (size_t i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > (size_t)SSIZE_MAX - sum)
			return false;
		sum += iov[i].iov_len;
	}
	*total = sum;
	return true;
}

ssize_t tfo_send_all(int s, const struct iovec *iov, size_t iovcnt)
{
	/* A window of the caller's iov, its head trimmed by what went. */
	struct iovec win[64];
	size_t idx = 0, skip = 0, sent = 0;
	ssize_t ret;

	while (idx < iovcnt) {
		struct msghdr msg = { .msg_iov = win };
		size_t k = 0;
		ssize_t n;

		if (iov[idx].iov_len == skip) {
			idx++;
			skip = 0;
			continue;
		}
		for (size_t i = idx; i < iovcnt && k < 64; i++, k++) {
			win[k] = iov[i];
			if (i == idx) {
				win[k].iov_base = (char *)win[k].iov_base + skip;
				win[k].iov_len -= skip;
			}
		}
		msg.msg_iovlen = k;
		n = sendmsg(s, &msg, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR && !sent)
				continue;
			ret = -errno;
			goto out;
		}
		sent += n;
		while (n > 0 && idx < iovcnt) {
			size_t left = iov[idx].iov_len - skip;

			if ((size_t)n < left) {
				skip += n;
				n = 0;
			} else {
				n -= left;
				idx++;
				skip = 0;
			}
		}
	}
	ret = 0;
out:
	/* Bytes already on their way are a result, not an error. */
	if (sent || ret == 0)
		return sent;
	if (ret == -EAGAIN)
		return 0;
	return ret;
}

bool tfo_err_means_no_fastopen(int err)
{
	return err == EOPNOTSUPP || err == EPIPE || err == ENOTCONN;
}

ssize_t tfo_connect_then_send(int s, const struct sockaddr *dst,
			      socklen_t dstlen, const struct iovec *iov,
			      size_t iovcnt)
{
	int err = tfo_connect(s, dst, dstlen);

	if (err)
		return err;
	return tfo_send_all(s, iov, iovcnt);
}
