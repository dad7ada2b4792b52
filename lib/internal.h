/* SPDX-License-Identifier: MIT */
/*
 * libtfo internals shared by owfat.c and connectx.c: the export macro and
 * the few socket primitives both front ends are built from.  Everything
 * here follows the internal convention: return a count or 0 on success,
 * -errno on failure, and leave errno alone.
 */
#ifndef LIBTFO_INTERNAL_H
#define LIBTFO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "util/tfo_uapi.h"

/* The library is built with -fvisibility=hidden; only the API escapes. */
#define TFO_EXPORT __attribute__((visibility("default")))

/*
 * tcpi_state of s (>= 0), or -errno: -EBADF, -ENOTSOCK, or another error
 * (-EOPNOTSUPP, -ENOPROTOOPT) when s is a socket but not a TCP one.
 */
int tfo_sock_tcp_state(int s);

/* 1 if s has O_NONBLOCK, 0 if not, -errno. */
int tfo_fd_is_nonblocking(int s);

/* getsockopt(SO_DOMAIN) / SO_TYPE / SO_PROTOCOL, or -errno. */
int tfo_sock_domain(int s);
int tfo_sock_type(int s);
int tfo_sock_protocol(int s);

/* Pending SO_ERROR (consumes it), 0 if none, or -errno of getsockopt. */
int tfo_sock_error_take(int s);

/*
 * One sendmsg(MSG_FASTOPEN | MSG_NOSIGNAL) to dst: the kernel connects and
 * puts as much data in the SYN as it may.  Returns the bytes accepted or
 * -errno exactly as the kernel reported them.
 */
ssize_t tfo_sendmsg_fastopen(int s, const struct sockaddr *dst,
			     socklen_t dstlen, const struct iovec *iov,
			     size_t iovcnt);

/* connect(), with EINTR passed through (not retried). 0 or -errno. */
int tfo_connect(int s, const struct sockaddr *dst, socklen_t dstlen);

/*
 * Send the whole iov on a connected socket (MSG_NOSIGNAL), looping over
 * short writes.  Returns the bytes sent; if none could be sent, -errno.
 * A non-blocking socket stops at EAGAIN with what was sent so far.
 */
ssize_t tfo_send_all(int s, const struct iovec *iov, size_t iovcnt);

/* Sum of the iov lengths; false on overflow past SSIZE_MAX. */
bool tfo_iov_total(const struct iovec *iov, size_t iovcnt, size_t *total);

/*
 * True when a failed sendto(MSG_FASTOPEN) means "no TCP Fast Open here"
 * rather than a connection error: EOPNOTSUPP (client bit off), EPIPE or
 * ENOTCONN (a kernel that ignores MSG_FASTOPEN sends on an unconnected
 * socket).  Nothing was sent in any of these cases.
 */
bool tfo_err_means_no_fastopen(int err);

/*
 * The no-TFO path: connect(), then (if that completed) send the whole
 * iov.  Returns bytes sent, or -errno; -EINPROGRESS means the connection
 * is under way and none of the data was sent.
 */
ssize_t tfo_connect_then_send(int s, const struct sockaddr *dst,
			      socklen_t dstlen, const struct iovec *iov,
			      size_t iovcnt);

#endif /* LIBTFO_INTERNAL_H */
