/* SPDX-License-Identifier: MIT */
/*
 * The Linux kernel's TCP Fast Open user-space ABI in one place: the
 * socket options and flags (include/uapi/linux/tcp.h, socket.h), the
 * net.ipv4.tcp_fastopen sysctl bits (include/net/tcp.h, not exported to
 * user space) and the TCP states tcp_info reports.  Older C libraries lack
 * some of these names, so every one has a fallback with the kernel's
 * value; the values are ABI and never change.
 *
 * Header only, no project includes: every layer, the reference library
 * libtfo included, may use it (docs/architecture.md).
 */
#ifndef TFOCHECK_TFO_UAPI_H
#define TFOCHECK_TFO_UAPI_H

#include <sys/socket.h>
/* the TCP_* names: from whichever of the two rival headers the includer
 * chose (they cannot both be included), else from glibc's */
#if !defined(_LINUX_TCP_H) && !defined(_NETINET_TCP_H)
#include <netinet/tcp.h>
#endif

/* sendto()/sendmsg() flag: connect and put data in the SYN (3.7) */
#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif
/* listener: TFO queue length (3.7) */
#ifndef TCP_FASTOPEN
#define TCP_FASTOPEN 23
#endif
/* client: connect() defers the SYN to the first write (4.11) */
#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT 30
#endif
/* listener: its own cookie key, 16 or 32 bytes (4.15; 32 bytes in 5.3) */
#ifndef TCP_FASTOPEN_KEY
#define TCP_FASTOPEN_KEY 33
#endif
/* client or listener: SYN data without a cookie (4.15) */
#ifndef TCP_FASTOPEN_NO_COOKIE
#define TCP_FASTOPEN_NO_COOKIE 34
#endif
/* bind a socket to an interface by index (5.0) */
#ifndef SO_BINDTOIFINDEX
#define SO_BINDTOIFINDEX 62
#endif
/* tcp_info.tcpi_options: the SYN's data was acknowledged (client) or
 * accepted from the SYN (server) */
#ifndef TCPI_OPT_SYN_DATA
#define TCPI_OPT_SYN_DATA 32
#endif

/* net.ipv4.tcp_fastopen bits */
#define TFO_CLIENT_ENABLE 0x1
#define TFO_SERVER_ENABLE 0x2
#define TFO_CLIENT_NO_COOKIE 0x4
#define TFO_SERVER_COOKIE_NOT_REQD 0x200
#define TFO_SERVER_WO_SOCKOPT1 0x400

/* tcp_info.tcpi_state values (include/net/tcp_states.h) */
enum tfo_tcp_state {
	TFO_TCP_ESTABLISHED = 1,
	TFO_TCP_SYN_SENT = 2,
	TFO_TCP_SYN_RECV = 3,
	TFO_TCP_FIN_WAIT1 = 4,
	TFO_TCP_FIN_WAIT2 = 5,
	TFO_TCP_TIME_WAIT = 6,
	TFO_TCP_CLOSE = 7,
	TFO_TCP_CLOSE_WAIT = 8,
	TFO_TCP_LAST_ACK = 9,
	TFO_TCP_LISTEN = 10,
	TFO_TCP_CLOSING = 11,
};

#endif
