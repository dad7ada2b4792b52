/* SPDX-License-Identifier: MIT */
/*
 * libtfo: libowfat-compatible TCP Fast Open client calls.
 *
 * These four functions have exactly the names, arguments and results of
 * libowfat's (see socket_fastopen_connect6(3)), so a program -- or
 * tfocheck, through dlopen() -- can use either library.  uint16_t and
 * uint32_t are ABI-identical to libowfat's uint16 and uint32 typedefs.
 *
 * Conventions shared by all four:
 *   - ip is the raw address in network byte order (4 or 16 bytes);
 *     port and scope_id are in host byte order;
 *   - on failure they return -1 and set errno;
 *   - they never raise SIGPIPE.
 *
 * Where the man page is ambiguous, docs/clauses.md ("libowfat API:
 * interpretations") states what these functions do.  In short:
 *   - >= 0 means "this many bytes of buf were handed to the kernel"; on a
 *     non-blocking socket that may happen while the handshake is still in
 *     progress (the bytes rode the SYN), and may be fewer than len;
 *   - -1 with EINPROGRESS/EWOULDBLOCK means none of buf was sent: write it
 *     after the connection completes;
 *   - without TCP Fast Open (client sysctl bit off, old kernel) the call
 *     is a connect() followed by write(), never sending data twice.
 */
#ifndef LIBTFO_FASTOPEN_H
#define LIBTFO_FASTOPEN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Connect TCP socket s to ip:port and send len bytes of buf, in the SYN
 * when the platform allows (TFO with a cached cookie), otherwise no later
 * than the third packet of the handshake (blocking socket) or after it.
 * Returns the number of bytes sent (>= 0), or -1 and errno.
 */
ssize_t socket_fastopen_connect4(int s, const char *ip, uint16_t port,
				 const char *buf, size_t len);

/*
 * Same for IPv6; scope_id selects the interface of a link-local ip.  An
 * IPv4-mapped ip (::ffff:a.b.c.d) also works on an AF_INET socket.
 */
ssize_t socket_fastopen_connect6(int s, const char *ip, uint16_t port,
				 uint32_t scope_id, const char *buf,
				 size_t len);

/*
 * 1 if s is a socket with an established connection.  0 otherwise, with
 * errno giving the reason: the connection's failure cause (ECONNREFUSED,
 * ETIMEDOUT, EHOSTUNREACH, ...), EINPROGRESS while the handshake is still
 * running, ENOTCONN when it was never connected, or EBADF/ENOTSOCK.
 */
int socket_connected(int s);

/*
 * Enable server-side TCP Fast Open on s (call before listen()).  0 on
 * success; -1 and errno otherwise (ENOPROTOOPT where unsupported).
 */
int socket_fastopen(int s);

#ifdef __cplusplus
}
#endif

#endif /* LIBTFO_FASTOPEN_H */
