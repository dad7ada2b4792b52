/* SPDX-License-Identifier: MIT */
/*
 * connectx(2) cases, part 4: datagram sockets (association, data in one
 * datagram, EMSGSIZE, disconnectx and re-association) and disconnectx on
 * TCP.  Each row has its own small body over a shared setup: two UDP
 * receivers (A and B) in the server's namespace, or a TCP connection that
 * has carried data.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cases/connectx.h"
#include "cases/may.h"

#define CX_UDP_A 5001
#define CX_UDP_B 5002

static char cx_big[70000];

/* The receiver got exactly want[0..len) as one datagram. */
static bool cx_udp_expect(struct case_ctx *c, int rx, const char *who,
			  const void *want, size_t len)
{
	char buf[2048];
	ssize_t n = cx_udp_recv(rx, buf, sizeof(buf), 1000);

	if (n < 0) {
		case_fail(c, "expected peer %s to receive a %zu-byte datagram; observed none within 1 s",
			  who, len);
		return false;
	}
	if ((size_t)n != len || memcmp(buf, want, len)) {
		case_fail(c, "expected peer %s to receive exactly the %zu bytes sent as one datagram; observed %zd bytes%s",
			  who, len, n, (size_t)n == len ? " (different)" : "");
		return false;
	}
	return true;
}

/*
 * The ground of the datagram cases: receivers A and B in the server's
 * namespace, endpoints aimed at each, and a fresh UDP socket.
 */
struct cx_udp {
	int rxa, rxb, fd;
	struct cx_ep a, b;
};

static int cx_udp_open(struct case_ctx *c, struct cx_udp *u)
{
	u->rxa = u->rxb = u->fd = -1;
	u->rxa = cx_udp_receiver(c, CX_UDP_A);
	if (u->rxa < 0)
		return u->rxa;
	u->rxb = cx_udp_receiver(c, CX_UDP_B);
	if (u->rxb < 0)
		return u->rxb;
	cx_ep_server(c, &u->a, CX_UDP_A);
	cx_ep_server(c, &u->b, CX_UDP_B);
	u->fd = cx_socket(c, SOCK_DGRAM, false);
	return u->fd < 0 ? u->fd : 0;
}

static void cx_udp_close(struct cx_udp *u)
{
	if (u->fd >= 0)
		close(u->fd);
	if (u->rxa >= 0)
		close(u->rxa);
	if (u->rxb >= 0)
		close(u->rxb);
}

/* connectx without data toward ep must succeed (what: for the message). */
static bool cx_udp_connect(struct case_ctx *c, int fd, const struct cx_ep *ep,
			   const char *what)
{
	struct cx_out o;
	int ret, err;

	ret = cx_call(c, fd, &ep->ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	if (ret) {
		case_fail(c, "expected %s to succeed; observed %s", what,
			  cx_res(ret, err));
		return false;
	}
	return true;
}

/*
 * The socket is associated with ep (getpeername) and a send() without an
 * address reaches receiver rx (who).
 */
static bool cx_udp_expect_associated(struct case_ctx *c, int fd,
				     const struct cx_ep *ep, int rx,
				     const char *who)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char peer[80];

	cx_name_text(fd, true, peer, sizeof(peer));
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) ||
	    !cx_same_addr((struct sockaddr *)&ss, ep->ep.sae_dstaddr, true)) {
		case_fail(c, "expected the association with the destination (getpeername); observed %s",
			  peer);
		return false;
	}
	if (send(fd, "x", 1, 0) != 1) {
		case_fail(c, "expected send() without an address to work once associated; observed %s",
			  util_errno_name(errno));
		return false;
	}
	return cx_udp_expect(c, rx, who, "x", 1);
}

static void cx_dgram_connect(struct case_ctx *c)
{
	struct cx_udp u;

	CASE_SETUP(c, cx_udp_open(c, &u));
	if (cx_udp_connect(c, u.fd, &u.a, "connectx on a datagram socket"))
		cx_udp_expect_associated(c, u.fd, &u.a, u.rxa, "A");
	cx_udp_close(&u);
}

static void cx_dgram_reassociate(struct case_ctx *c)
{
	struct cx_udp u;

	CASE_SETUP(c, cx_udp_open(c, &u));
	if (cx_udp_connect(c, u.fd, &u.a, "connectx on a datagram socket") &&
	    cx_udp_connect(c, u.fd, &u.b,
			   "a second connectx on a connected datagram socket (re-associating it)"))
		cx_udp_expect_associated(c, u.fd, &u.b, u.rxb, "B");
	cx_udp_close(&u);
}

/* Three iovecs become one datagram, once, and *len says all of it. */
static void cx_dgram_data(struct case_ctx *c)
{
	struct iovec iov[3];
	struct cx_out o;
	struct cx_udp u;
	char flat[64];
	size_t total;
	int ret, err;

	CASE_SETUP(c, cx_udp_open(c, &u));
	cx_iov3(iov);
	total = cx_iov3_concat(flat, sizeof(flat));
	ret = cx_call(c, u.fd, &u.a.ep, SAE_ASSOCID_ANY, 0, iov, 3, &o, &err);
	CASE_EXPECT(c, ret == 0 && o.len == total,
		    "expected connectx with a 3-iovec datagram to succeed with *len %zu; observed %s, *len %#zx",
		    total, cx_res(ret, err), o.len);
	if (!cx_udp_expect(c, u.rxa, "A", flat, total))
		return;
	CASE_EXPECT(c, cx_udp_recv(u.rxa, flat, sizeof(flat), cc_quiet_ms(c)) < 0,
		    "expected the data once; observed a second datagram");
	cx_udp_close(&u);
}

/*
 * A datagram too large to send atomically: the row's errno (EMSGSIZE)
 * and the socket "as if connectx was not called", both fresh (unbound,
 * unconnected) and already associated (still with its old peer).
 */
static void cx_dgram_emsgsize(struct case_ctx *c)
{
	struct iovec big = { cx_big, sizeof(cx_big) };
	int want = c->def->want_errno, ret, err;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char peer[80];
	struct cx_out o;
	struct cx_udp u;

	CASE_SETUP(c, cx_udp_open(c, &u));
	cx_known(c, CXL_DARWIN_EMSGSIZE, true);
	ret = cx_call(c, u.fd, &u.b.ep, SAE_ASSOCID_ANY, 0, &big, 1, &o, &err);
	CASE_EXPECT(c, ret == -1 && err == want,
		    "expected a %zu-byte datagram to fail with %s; observed %s",
		    sizeof(cx_big), util_errno_name(want), cx_res(ret, err));
	cx_name_text(u.fd, true, peer, sizeof(peer));
	CASE_EXPECT(c, !strcmp(peer, "ENOTCONN") && !cc_local_port(u.fd),
		    "expected the socket left unchanged (unconnected, unbound) after %s; observed peer %s, local port %u",
		    util_errno_name(want), peer, cc_local_port(u.fd));
	if (!cx_udp_connect(c, u.fd, &u.a, "connectx to A"))
		return;
	ret = cx_call(c, u.fd, &u.b.ep, SAE_ASSOCID_ANY, 0, &big, 1, &o, &err);
	CASE_EXPECT(c, ret == -1 && err == want,
		    "expected a %zu-byte datagram to B to fail with %s; observed %s",
		    sizeof(cx_big), util_errno_name(want), cx_res(ret, err));
	cx_name_text(u.fd, true, peer, sizeof(peer));
	CASE_EXPECT(c, getpeername(u.fd, (struct sockaddr *)&ss, &sl) == 0 &&
			       cx_same_addr((struct sockaddr *)&ss, u.a.ep.sae_dstaddr, true),
		    "expected the socket still associated with A after %s toward B (\"as if connectx was not called\"); observed peer %s",
		    util_errno_name(want), peer);
	CASE_EXPECT(c, send(u.fd, "a", 1, 0) == 1,
		    "expected send() to A to work; observed %s",
		    util_errno_name(errno));
	if (!cx_udp_expect(c, u.rxa, "A", "a", 1))
		return;
	cx_udp_close(&u);
}

static void cx_dgram_disconnect_reconnect(struct case_ctx *c)
{
	struct cx_udp u;
	int ret, err;

	CASE_SETUP(c, cx_udp_open(c, &u));
	if (!cx_udp_connect(c, u.fd, &u.a, "connectx to A"))
		return;
	ret = cx_disconnect(c, u.fd, SAE_ASSOCID_ANY, SAE_CONNID_ANY, &err);
	CASE_EXPECT(c, ret == 0,
		    "expected disconnectx to dissolve the association; observed %s",
		    cx_res(ret, err));
	ret = (int)send(u.fd, "x", 1, 0);
	err = errno;
	CASE_EXPECT(c, ret == -1 && err == EDESTADDRREQ,
		    "expected send() without an address to fail with EDESTADDRREQ after disconnectx; observed %s",
		    ret == 1 ? "the datagram sent" : util_errno_name(err));
	if (!cx_udp_connect(c, u.fd, &u.b,
			    "connectx to another peer after disconnectx"))
		return;
	CASE_EXPECT(c, send(u.fd, "y", 1, 0) == 1,
		    "expected send() to the new peer to work; observed %s",
		    util_errno_name(errno));
	if (!cx_udp_expect(c, u.rxb, "B", "y", 1))
		return;
	cx_udp_close(&u);
}

static void cx_dgram_disconnectx_unconnected(struct case_ctx *c)
{
	int want = c->def->want_errno, ret, err;
	struct cx_udp u;

	CASE_SETUP(c, cx_udp_open(c, &u));
	ret = cx_disconnect(c, u.fd, SAE_ASSOCID_ANY, SAE_CONNID_ANY, &err);
	CASE_EXPECT(c, ret == -1 && err == want,
		    "expected disconnectx on an unassociated datagram socket to fail with %s; observed %s",
		    util_errno_name(want), cx_res(ret, err));
	cx_udp_close(&u);
}

/*
 * A TCP connection whose connectx carried CASE_PAYLOAD, for disconnectx;
 * true when it stands (otherwise the verdict is recorded).
 */
static bool cx_disc_open(struct case_ctx *c, struct peer *p, int *fd)
{
	struct iovec iov = { CASE_PAYLOAD, sizeof(CASE_PAYLOAD) };
	struct cx_out o;
	struct cx_ep e;
	int ret, err;

	ret = peer_start(p, &c->topo, c->family, 0);
	if (ret) {
		case_error(c, "peer_start: %s", util_errno_name(-ret));
		return false;
	}
	cx_ep_server(c, &e, p->port);
	*fd = cx_socket(c, SOCK_STREAM, false);
	if (*fd < 0) {
		case_error(c, "cx_socket: %s", util_errno_name(-*fd));
		return false;
	}
	ret = cx_call(c, *fd, &e.ep, SAE_ASSOCID_ANY, 0, &iov, 1, &o, &err);
	if (ret) {
		case_fail(c, "expected connectx to succeed; observed %s",
			  cx_res(ret, err));
		return false;
	}
	return true;
}

/* disconnectx on TCP: the peer reads the data, then EOF; sends fail. */
static void cx_disconnectx_tcp_eof(struct case_ctx *c)
{
	struct peer_conn pc;
	struct peer p;
	int fd, ret, err;

	if (!cx_disc_open(c, &p, &fd))
		return;
	ret = cx_disconnect(c, fd, SAE_ASSOCID_ANY, SAE_CONNID_ANY, &err);
	CASE_EXPECT(c, ret == 0,
		    "expected disconnectx on an established connection to succeed; observed %s",
		    cx_res(ret, err));
	/* the descriptor stays open: only disconnectx can have closed it */
	peer_wait(&p, 0, (size_t)-1, 2000, &pc);
	CASE_EXPECT(c, pc.eof && !pc.error && pc.len == sizeof(CASE_PAYLOAD),
		    "expected the server to read the %zu bytes then EOF after disconnectx; observed %zu bytes, %s",
		    sizeof(CASE_PAYLOAD), pc.len,
		    pc.error ? util_errno_name(pc.error) :
		    pc.eof ? "EOF" : "no EOF within 2 s");
	ret = (int)send(fd, "x", 1, MSG_NOSIGNAL);
	CASE_EXPECT(c, ret < 0,
		    "expected send after disconnectx to fail; observed the byte taken");
	close(fd);
	peer_stop(&p);
}

/*
 * An association id other than ANY/ALL is the row's errno (EINVAL), a
 * descriptor of -1 is EBADF, and neither touches the connection.
 */
static void cx_disconnectx_bad_associd(struct case_ctx *c)
{
	char want[sizeof(CASE_PAYLOAD) + 1];
	int want_err = c->def->want_errno, fd, ret, err;
	struct peer_conn pc;
	struct peer p;

	if (!cx_disc_open(c, &p, &fd))
		return;
	ret = cx_disconnect(c, fd, 5, SAE_CONNID_ANY, &err);
	if (ret == 0 && c->def->may) {
		/* accepted: it must be the disconnectx of SAE_ASSOCID_ANY */
		peer_wait(&p, 0, (size_t)-1, case_ms(2000), &pc);
		CASE_EXPECT(c, pc.eof && pc.len == sizeof(CASE_PAYLOAD),
			    "disconnectx with association id 5 returned 0 (%s allows accepting it); expected the server to read the %zu bytes then EOF, as for SAE_ASSOCID_ANY; observed %zu bytes, %s",
			    c->def->may->id, sizeof(CASE_PAYLOAD), pc.len,
			    pc.eof ? "EOF" : "no EOF");
		case_note(c, "accepted (%s: %s)", c->def->may->id,
			  c->def->may->accepts);
		close(fd);
		peer_stop(&p);
		return;
	}
	CASE_EXPECT(c, ret == -1 && err == want_err,
		    "expected disconnectx with association id 5 to fail with %s%s; observed %s",
		    util_errno_name(want_err),
		    c->def->may ? " or to dissolve the association as with SAE_ASSOCID_ANY" : "",
		    cx_res(ret, err));
	ret = cx_disconnect(c, -1, SAE_ASSOCID_ANY, SAE_CONNID_ANY, &err);
	CASE_EXPECT(c, ret == -1 && err == EBADF,
		    "expected disconnectx on descriptor -1 to fail with EBADF; observed %s",
		    cx_res(ret, err));
	CASE_EXPECT(c, send(fd, "x", 1, MSG_NOSIGNAL) == 1,
		    "expected the connection intact after the rejected disconnectx; send: %s",
		    util_errno_name(errno));
	close(fd);
	memcpy(want, CASE_PAYLOAD, sizeof(CASE_PAYLOAD));
	want[sizeof(CASE_PAYLOAD)] = 'x';
	if (!cc_expect_bytes(c, &p, 0, want, sizeof(CASE_PAYLOAD) + 1))
		return;
	case_note(c, "rejected with %s (%s)", util_errno_name(want_err),
		  c->def->may ? c->def->may->id : "strict");
	peer_stop(&p);
}

/*
 * A destination of the other IP family on a datagram socket: EINVAL (the
 * page's "contents of sae_dstaddr ... invalid"; XNU's length check), with
 * no association made and nothing sent.
 */
static void cx_dgram_family_mismatch(struct case_ctx *c)
{
	struct cx_udp u;
	struct cx_ep e;
	struct cx_out o;
	char peer[80], buf[64];
	int ret, err;

	CASE_SETUP(c, cx_udp_open(c, &u));
	cx_ep_server(c, &e, CX_UDP_A);
	cx_ep_other_family(c, &e, CX_UDP_A);
	ret = cx_call(c, u.fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	CASE_EXPECT(c, ret == -1 && err == c->def->want_errno,
		    "expected connectx to a destination of the other IP family on a datagram socket to fail with %s; observed %s",
		    util_errno_name(c->def->want_errno), cx_res(ret, err));
	CASE_EXPECT(c, (o.len == CX_LEN_SENTINEL && o.cid == CX_CID_SENTINEL) ||
			       (o.len == 0 && o.cid == 0),
		    "expected *len and *connid untouched or 0 after %s; observed *len %#zx, *connid %#x",
		    util_errno_name(c->def->want_errno), o.len, o.cid);
	cx_name_text(u.fd, true, peer, sizeof(peer));
	CASE_EXPECT(c, !strcmp(peer, "ENOTCONN"),
		    "expected no association after %s; observed peer %s",
		    util_errno_name(c->def->want_errno), peer);
	CASE_EXPECT(c, cx_udp_recv(u.rxa, buf, sizeof(buf), cc_quiet_ms(c)) < 0,
		    "expected nothing sent; observed a datagram at the receiver");
	cx_udp_close(&u);
}

/*
 * A caller that set SO_LINGER {1,0} asked for an abortive close: XNU's
 * disconnectx drops an established connection with a RST, and the server
 * sees ECONNRESET (the page is silent; docs/xnu-connectx.md §10).
 */
static void cx_disconnectx_linger_rst(struct case_ctx *c)
{
	struct linger lg = { 1, 0 };
	struct peer_conn pc;
	struct peer p;
	int fd, ret, err;

	if (!cx_disc_open(c, &p, &fd))
		return;
	CASE_SETUP(c, setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) ?
			      -errno : 0);
	/* the server has the data before the reset can overtake it */
	peer_wait(&p, 0, sizeof(CASE_PAYLOAD), case_ms(2000), &pc);
	ret = cx_disconnect(c, fd, SAE_ASSOCID_ANY, SAE_CONNID_ANY, &err);
	CASE_EXPECT(c, ret == 0,
		    "expected disconnectx on an established connection to succeed; observed %s",
		    cx_res(ret, err));
	peer_wait(&p, 0, (size_t)-1, case_ms(2000), &pc);
	CASE_EXPECT(c, pc.error == ECONNRESET,
		    "expected the server to see the connection reset (SO_LINGER {1,0}: an abortive disconnect); observed %s",
		    pc.error ? util_errno_name(pc.error) :
		    pc.eof ? "an orderly EOF" : "no end within 2 s");
	close(fd);
	peer_stop(&p);
}

CASE_TABLE(connectx_dgram,
	CONNECTX("dgram_connect", .clause_id = "X31",
		 .expect = "UDP connectx: 0, getpeername = destination, send() without an address reaches it",
		 .clause = "Connectionless sockets may use connectx() to create an association to the peer socket",
		 .body = cx_dgram_connect),
	CONNECTX("dgram_data", .clause_id = "X29",
		 .expect = "UDP connectx with 3 iovecs: 0, *len = 27, exactly one 27-byte datagram",
		 .clause = "the number of bytes enqueued for transmission; connectx() is currently supported only on AF_INET and AF_INET6 sockets of type SOCK_DGRAM and SOCK_STREAM",
		 .body = cx_dgram_data),
	CONNECTX("dgram_emsgsize", .clause_id = "X26",
		 .expect = "UDP connectx with a 70000-byte datagram: EMSGSIZE, the socket unchanged (fresh: unbound, unconnected; associated: still with its peer) (Darwin: disconnects, keeps the port)",
		 .clause = "If the socket requires the data be sent atomically and the data size makes this impossible, EMSGSIZE will be returned and the state of the socket is left unchanged as if connectx was not called",
		 .body = cx_dgram_emsgsize, .want_errno = EMSGSIZE),
	CONNECTX("dgram_disconnect_reconnect", .clause_id = "X32",
		 .expect = "UDP: connectx A, disconnectx → send() EDESTADDRREQ, connectx B works",
		 .clause = "it may call disconnectx(2) to dissolve any existing association. Unlike connection-oriented sockets, connectionless sockets may call connectx() again afterwards to associate to another peer socket",
		 .body = cx_dgram_disconnect_reconnect),
	CONNECTX("dgram_reassociate", .clause_id = "X33",
		 .expect = "UDP: connectx A then connectx B directly: associated with B",
		 .clause = "connectionless sockets may call connectx() again afterwards to associate to another peer socket",
		 .body = cx_dgram_reassociate),
	CONNECTX("dgram_disconnectx_unconnected", .clause_id = "D3",
		 .expect = "disconnectx on an unassociated UDP socket: ENOTCONN",
		 .clause = "it may call disconnectx(2) to dissolve any existing association",
		 .body = cx_dgram_disconnectx_unconnected, .want_errno = ENOTCONN),
	CONNECTX("disconnectx_tcp_eof", .clause_id = "D1",
		 .expect = "TCP connected with data, disconnectx(ANY, ANY): 0, the server reads the data then EOF, later sends fail",
		 .clause = "An association representing one or more connections, or a single connection may be dissolved by calling disconnectx(2)",
		 .body = cx_disconnectx_tcp_eof),
	CONNECTX("disconnectx_bad_associd", .clause_id = "D2",
		 .expect = "disconnectx with association id 5: EINVAL with the connection intact, or (may-fail) the association dissolved as with SAE_ASSOCID_ANY; descriptor -1: EBADF",
		 .clause = "The parameter associd is reserved for future use, and must always be set to SAE_ASSOCID_ANY",
		 .body = cx_disconnectx_bad_associd, .want_errno = EINVAL,
		 .may = &may_disconnectx_associd),
	CONNECTX("disconnectx_linger_rst", .clause_id = "D4",
		 .expect = "TCP connected, SO_LINGER {1,0}, disconnectx: 0, the server sees ECONNRESET (XNU's tcp_drop)",
		 .clause = "An association representing one or more connections, or a single connection may be dissolved by calling disconnectx(2)",
		 .body = cx_disconnectx_linger_rst),
	CONNECTX("dgram_family_mismatch", .clause_id = "X53",
		 .expect = "UDP socket, destination of the other IP family: EINVAL, no association, nothing sent",
		 .clause = "EINVAL: An invalid argument was detected (e.g., sae_dstaddrlen is not valid, the contents of sae_srcaddr or sae_dstaddr, buffer is invalid, etc.)",
		 .body = cx_dgram_family_mismatch, .want_errno = EINVAL),
)
