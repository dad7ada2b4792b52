/* SPDX-License-Identifier: MIT */
/*
 * socket_fastopen_connect4/6(3) cases, part 3: the socket itself — never
 * bound ("as if socket_bind6 with :: and port 0"), bound first, the same
 * descriptor and flags, len 0, read and write afterwards, the EXAMPLE.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/owfat.h"
#include "harness/libcall.h"
#include "harness/libload.h"
#include "netns/netns.h"

/* ---- the socket itself: bind, identity, flags ---- */

/* Unbound: "as if bound to :: port 0" — an ephemeral port, a fresh one
 * per socket, and the address the route chose. */
static void ow_unbound(struct case_ctx *c)
{
	struct sockaddr_storage want, got;
	uint16_t ports[2] = { 0, 0 };
	char rb[64], a[96], b[96], range[64];
	unsigned int lo = 0, hi = 0;
	struct peer p;
	socklen_t wl, gl;

	/* "port 0" means the kernel's ephemeral range of the client's
	 * namespace, whatever it is set to */
	CASE_SETUP(c, netns_sysctl_read(c->topo.host[ROLE_CLIENT].nsfd,
					"net/ipv4/ip_local_port_range", range,
					sizeof(range)));
	if (sscanf(range, "%u %u", &lo, &hi) != 2) {
		case_error(c, "cannot parse ip_local_port_range \"%s\"", range);
		return;
	}
	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	for (unsigned int i = 0; i < 2; i++) {
		int fd = cc_client_socket(c, false), err;
		ssize_t n;

		CASE_SETUP(c, fd);
		n = ow_call(c, fd, p.port, CASE_PAYLOAD, OW_SMALL);
		err = errno;
		CASE_EXPECT(c, n == (ssize_t)OW_SMALL,
			    "socket %u: %s %s; expected %zu bytes sent%s",
			    i + 1, ow_fn(c), ow_res(rb, sizeof(rb), n, err),
			    OW_SMALL, ow_notfo(c));
		gl = sizeof(got);
		CASE_SETUP(c, getsockname(fd, (struct sockaddr *)&got, &gl) ? -errno : 0);
		ports[i] = cc_local_port(fd);
		ow_client_addr(c, ports[i], &want, &wl);
		ow_addr_text(&got, a, sizeof(a));
		ow_addr_text(&want, b, sizeof(b));
		CASE_EXPECT(c, ow_same_addr(&got, &want) && ports[i] >= lo &&
				       ports[i] <= hi,
			    "socket %u, never bound: expected the local address the route chose (%s) and an ephemeral port (%u-%u), as if bound to :: port 0; observed %s",
			    i + 1, b, lo, hi, a);
		close(fd);
	}
	CASE_EXPECT(c, ports[0] != ports[1],
		    "expected each unbound socket to get its own ephemeral port (port 0 means \"any\"); observed port %u twice",
		    ports[0]);
	peer_stop(&p);
}

/* Bound first (to the client address and a fixed port): both are kept. */
static void ow_bound_kept(struct case_ctx *c)
{
	struct sockaddr_storage want, got;
	char rb[64], a[96], b[96];
	struct peer p;
	socklen_t wl, gl = sizeof(got);
	int fd, err;
	ssize_t n;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	ow_client_addr(c, OW_BIND_PORT, &want, &wl);
	CASE_SETUP(c, bind(fd, (struct sockaddr *)&want, wl) ? -errno : 0);
	n = ow_call(c, fd, p.port, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	CASE_EXPECT(c, n == (ssize_t)OW_SMALL,
		    "%s on a bound socket %s; expected %zu bytes sent%s",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err), OW_SMALL,
		    ow_notfo(c));
	CASE_SETUP(c, getsockname(fd, (struct sockaddr *)&got, &gl) ? -errno : 0);
	ow_addr_text(&got, a, sizeof(a));
	ow_addr_text(&want, b, sizeof(b));
	CASE_EXPECT(c, ow_same_addr(&got, &want),
		    "expected the connection to keep the caller's socket_bind (%s); observed local %s",
		    b, a);
	close(fd);
	cc_expect_bytes(c, &p, 0, CASE_PAYLOAD, OW_SMALL);
	peer_stop(&p);
}

/* The socket handed in is the one connected: same object behind the
 * descriptor, FD_CLOEXEC and O_NONBLOCK as they were, peer = ip:port. */
static void ow_same_socket(struct case_ctx *c)
{
	bool nb = c->def->nonblock;
	struct sockaddr_storage want, got;
	char rb[64], why[160], a[96], b[96];
	struct peer p;
	struct stat st;
	socklen_t wl, gl = sizeof(got);
	int fd, err, fl;
	ssize_t n;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	fd = cc_client_socket(c, nb);
	CASE_SETUP(c, fd);
	CASE_SETUP(c, fcntl(fd, F_SETFD, FD_CLOEXEC) ? -errno : 0);
	fl = fcntl(fd, F_GETFL);
	fstat(fd, &st);
	n = ow_call(c, fd, p.port, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	if (!ow_fd_intact(c, fd, &st, fl, "right after the call"))
		return;
	if (nb) {
		if (!ow_nb_complete(c, "non-blocking", fd, n, err,
				    (const unsigned char *)CASE_PAYLOAD, OW_SMALL))
			return;
	} else {
		CASE_EXPECT(c, n == (ssize_t)OW_SMALL,
			    "%s %s; expected %zu bytes sent: %s", ow_fn(c),
			    ow_res(rb, sizeof(rb), n, err), OW_SMALL,
			    ow_why(c, why, sizeof(why)));
	}
	CASE_EXPECT(c, fcntl(fd, F_GETFD) == FD_CLOEXEC,
		    "expected the descriptor's FD_CLOEXEC to be kept (the same descriptor, not a dup2 of another socket); observed it cleared");
	topo_server_addr(&c->topo, c->family, p.port, &want, &wl);
	CASE_EXPECT(c, !getpeername(fd, (struct sockaddr *)&got, &gl),
		    "expected socket s to be connected (getpeername); observed %s",
		    util_errno_name(errno));
	ow_addr_text(&got, a, sizeof(a));
	ow_addr_text(&want, b, sizeof(b));
	CASE_EXPECT(c, ow_same_addr(&got, &want),
		    "expected s connected to ip:port (%s); observed %s", b, a);
	close(fd);
	cc_expect_bytes(c, &p, 0, CASE_PAYLOAD, OW_SMALL);
	peer_stop(&p);
}

/* len == 0 still makes the connection. */
static void ow_len_zero(struct case_ctx *c)
{
	bool nb = c->def->nonblock;
	char rb[64];
	struct peer p;
	int fd, err;
	ssize_t n;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	fd = cc_client_socket(c, nb);
	CASE_SETUP(c, fd);
	n = ow_call(c, fd, p.port, CASE_PAYLOAD, 0);
	err = errno;
	if (nb) {
		if (!ow_nb_complete(c, "len 0, non-blocking", fd, n, err,
				    (const unsigned char *)"", 0))
			return;
	} else {
		CASE_EXPECT(c, n == 0,
			    "%s with len 0 %s; expected 0: the connection succeeded and 0 bytes were sent",
			    ow_fn(c), ow_res(rb, sizeof(rb), n, err));
	}
	CASE_EXPECT(c, peer_wait(&p, 0, 0, 2000, &(struct peer_conn){ 0 }) == 0,
		    "expected the connection to reach the server with len 0; observed no connection");
	close(fd);
	cc_expect_bytes(c, &p, 0, "", 0);
	peer_stop(&p);
}

/* Once connected, read and write transmit data. */
static void ow_read_write(struct case_ctx *c)
{
	static const char more[] = "-and-then-write";
	char rb[64], why[160], all[64], sink[16];
	struct pollfd pf;
	struct peer p;
	int fd, err;
	ssize_t n;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	n = ow_call(c, fd, p.port, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	CASE_EXPECT(c, n == (ssize_t)OW_SMALL, "%s %s; expected %zu: %s",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err), OW_SMALL,
		    ow_why(c, why, sizeof(why)));
	CASE_EXPECT(c, send(fd, more, sizeof(more) - 1, MSG_NOSIGNAL) ==
			       sizeof(more) - 1,
		    "expected write() on the connected socket to send %zu bytes; observed %s",
		    sizeof(more) - 1, util_errno_name(errno));
	shutdown(fd, SHUT_WR);
	/* the server closes after our FIN: read sees its end of stream */
	pf = (struct pollfd){ .fd = fd, .events = POLLIN };
	CASE_EXPECT(c, poll(&pf, 1, 3000) == 1 && read(fd, sink, sizeof(sink)) == 0,
		    "expected read() on the connected socket to report the server's end of stream; observed %s",
		    util_errno_name(errno));
	close(fd);
	snprintf(all, sizeof(all), "%s%s", CASE_PAYLOAD, more);
	cc_expect_bytes(c, &p, 0, all, strlen(all));
	peer_stop(&p);
}

/* The page's EXAMPLE: socket_bind6 (here to :: port 0, what socket_bind6
 * does with a zero address), then "hello", 5 on a blocking socket. */
static void ow_example(struct case_ctx *c)
{
	struct sockaddr_in6 any = { .sin6_family = AF_INET6 };
	char rb[64], why[160];
	struct peer p;
	int fd, err;
	ssize_t n;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	CASE_SETUP(c, bind(fd, (struct sockaddr *)&any, sizeof(any)) ? -errno : 0);
	n = ow_call(c, fd, p.port, "hello", 5);
	err = errno;
	CASE_EXPECT(c, n == 5, "the EXAMPLE's call %s; expected 5: %s",
		    ow_res(rb, sizeof(rb), n, err), ow_why(c, why, sizeof(why)));
	close(fd);
	cc_expect_bytes(c, &p, 0, "hello", 5);
	peer_stop(&p);
}

CASE_TABLE(owfat_socket,
	/* the socket: bind, identity, flags */
	OWFAT("unbound_ephemeral_port", .clause_id = "O12",
	      .clause = "You can call socket_connect6 without calling socket_bind6. This has the effect as first calling socket_bind6 with IP address :: and port 0.",
	      .expect = "never bound: the route's source address and a fresh ephemeral port",
	      .body = ow_unbound, .families = FAMS_ALL, .profiles = OW_TFO_AND_OFF),
	OWFAT("bound_address_kept", .clause_id = "O1", .clause = C_ATTEMPT,
	      .expect = "bound to the client address and port 40404 first: both kept",
	      .body = ow_bound_kept, .families = FAMS_ALL, .profiles = OW_TFO_AND_OFF),
	OWFAT("same_socket", .clause_id = "O1", .clause = C_ATTEMPT,
	      .expect = "blocking: s itself is connected to ip:port, FD_CLOEXEC and O_NONBLOCK unchanged",
	      .body = ow_same_socket, .families = FAMS_ALL, .profiles = OW_TFO_AND_OFF),
	OWFAT("same_socket_nonblock", .clause_id = "O1", .clause = C_ATTEMPT,
	      .expect = "non-blocking: s itself is connected, still non-blocking, FD_CLOEXEC kept",
	      .body = ow_same_socket, .nonblock = true, .families = FAMS_ALL,
	      .profiles = OW_TFO_AND_OFF),
	OWFAT("len_zero_connects", .clause_id = "O1", .clause = C_ATTEMPT,
	      .expect = "len 0, blocking: returns 0, the connection reaches the server",
	      .body = ow_len_zero, .families = FAMS_ALL,
	      .profiles = "tfo,client-off,no-cookie"),
	OWFAT("len_zero_nonblock", .clause_id = "O1", .clause = C_ATTEMPT,
	      .expect = "len 0, non-blocking: 0 or EINPROGRESS, then connected",
	      .body = ow_len_zero, .nonblock = true, .families = FAMS_IPM,
	      .profiles = "tfo,client-off,no-cookie"),
	OWFAT("read_write_after", .clause_id = "O11",
	      .clause = "Once a TCP socket is connected, you can use the read and write system calls to transmit data.",
	      .expect = "after the call, write() adds bytes and read() sees the server's close",
	      .body = ow_read_write, .profiles = OW_TFO_AND_OFF),
	OWFAT("example_hello", .clause_id = "O14",
	      .clause = "s = socket_tcp6b(); socket_bind6(s,ip,p); socket_fastopen_connect6(s,ip,p,scope_id,\"hello\",5);",
	      .expect = "EXAMPLE: bound socket, \"hello\", 5: returns 5, server gets hello",
	      .body = ow_example, .families = 1u << FAM_IPV6 | 1u << FAM_MAPPED,
	      .profiles = OW_TFO_AND_OFF),
)
