/* SPDX-License-Identifier: MIT */
/*
 * Conformance cases for libowfat's socket_fastopen_connect4/6(3) (and
 * socket_connected, when the library exports it), run against whatever
 * library `tfocheck run --lib` loaded.  Every row checks one sentence of
 * the man page (docs/clauses.md maps O1..O14 to these ids) and asserts on
 * what a caller can observe: the return value and errno, the bytes the
 * real server received (exactly once, in order), the socket itself
 * (same descriptor, flags, local and peer address) and, for the "saving
 * one useless ACK packet" sentence, the packets on the wire.
 *
 * Expectations come from the profile's predicates (client TFO bit,
 * no-cookie mode, server cookies), never from profile names.  Where the
 * page is ambiguous the reading in docs/clauses.md ("libowfat API:
 * interpretations") is checked, and only as strictly as every correct
 * implementation must satisfy it: a non-blocking call may return a byte
 * count or -1 EINPROGRESS, but what it returned must be the truth — the
 * caller who trusts it and writes the rest gets the data delivered once.
 *
 * The sequence "first contact, then with the cookie that contact cached"
 * runs inside one instance through the library itself, so a library that
 * never asks for a cookie is seen on the wire of the second connection.
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

#include "cases/common.h"
#include "harness/libcall.h"
#include "harness/libload.h"
#include "netns/netns.h"

#define OW_SMALL (sizeof(CASE_PAYLOAD) - 1) /* 27 bytes: fits any SYN */
#define OW_BIG 102400
#define OW_CLOSED_PORT 9 /* nothing listens there in the server namespace */
#define OW_BIND_PORT 40404

/* Bool-returning helpers record the verdict and report failure upward. */
#define OW_CHECK(c, cond, ...)                                               \
	do {                                                                 \
		if ((c)->decided || !(cond)) {                               \
			case_fail((c), __VA_ARGS__);                          \
			return false;                                        \
		}                                                            \
	} while (0)

static unsigned char ow_pattern[OW_BIG];

/* The bytes a case sends: the readable payload, or a pattern in which no
 * 256-byte window repeats, so lost, doubled or reordered chunks differ. */
static const unsigned char *ow_payload(size_t len)
{
	if (len <= OW_SMALL)
		return (const unsigned char *)CASE_PAYLOAD;
	for (size_t i = 0; i < sizeof(ow_pattern); i++)
		ow_pattern[i] = (unsigned char)(i * 7 + i / 251);
	return ow_pattern;
}

static const char *ow_fn(const struct case_ctx *c)
{
	return c->family == FAM_IPV4 ? "socket_fastopen_connect4" :
				       "socket_fastopen_connect6";
}

static const char *ow_plain_fn(const struct case_ctx *c)
{
	return c->family == FAM_IPV4 ? "socket_connect4" : "socket_connect6";
}

/* The clause a failure on a platform without client TFO is judged by. */
static const char *ow_why(const struct case_ctx *c, char *b, size_t size)
{
	if (profile_client_tfo(c->profile))
		snprintf(b, size, "the page says >=0 means the connection succeeded and this many bytes were sent");
	else
		snprintf(b, size, "the page says without TFO it behaves as %s followed by write",
			 ow_plain_fn(c));
	return b;
}

/* Suffix naming O4 where the client has no TFO; "" otherwise. */
static const char *ow_notfo(const struct case_ctx *c)
{
	if (profile_client_tfo(c->profile))
		return "";
	return c->family == FAM_IPV4 ?
		       " (client TFO off: the page says it then behaves as socket_connect4 followed by write)" :
		       " (client TFO off: the page says it then behaves as socket_connect6 followed by write)";
}

static const char *ow_res(char *b, size_t size, ssize_t n, int err)
{
	if (n >= 0)
		snprintf(b, size, "returned %zd", n);
	else
		snprintf(b, size, "returned -1 errno %s", util_errno_name(err));
	return b;
}

static uint32_t ow_scope(const struct case_ctx *c)
{
	return c->family == FAM_LINKLOCAL ? (uint32_t)c->topo.client_ifindex : 0;
}

/* The library call for the case's family; errno is the library's. */
static ssize_t ow_call_ip(struct case_ctx *c, int fd, const unsigned char *ip,
			  uint16_t port, uint32_t scope, const void *buf,
			  size_t len)
{
	if (c->family == FAM_IPV4)
		return libcall_fo_connect4(c, fd, (const char *)ip, port, buf, len);
	return libcall_fo_connect6(c, fd, (const char *)ip, port, scope, buf,
				   len);
}

static ssize_t ow_call(struct case_ctx *c, int fd, uint16_t port,
		       const void *buf, size_t len)
{
	unsigned char ip[16];

	topo_server_raw(&c->topo, c->family, ip);
	return ow_call_ip(c, fd, ip, port, ow_scope(c), buf, len);
}

/* The client's own address for the family, as getsockname reports it. */
static void ow_client_addr(const struct case_ctx *c, uint16_t port,
			   struct sockaddr_storage *ss, socklen_t *sl)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (c->family == FAM_IPV4) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr = c->topo.client4;
		*sl = sizeof(*s4);
		return;
	}
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(port);
	*sl = sizeof(*s6);
	if (c->family == FAM_IPV6) {
		s6->sin6_addr = c->topo.client6;
	} else if (c->family == FAM_LINKLOCAL) {
		s6->sin6_addr = c->topo.client_ll;
		s6->sin6_scope_id = (uint32_t)c->topo.client_ifindex;
	} else {
		s6->sin6_addr.s6_addr[10] = 0xff;
		s6->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&s6->sin6_addr.s6_addr[12], &c->topo.client4, 4);
	}
}

static bool ow_same_addr(const struct sockaddr_storage *a,
			 const struct sockaddr_storage *b)
{
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_port == b4->sin_port &&
		       a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	return a6->sin6_port == b6->sin6_port &&
	       !memcmp(&a6->sin6_addr, &b6->sin6_addr, 16);
}

static void ow_addr_text(const struct sockaddr_storage *ss, char *b,
			 size_t size)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(b, size, "%s port %u", a, ntohs(s4->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(b, size, "%s port %u", a, ntohs(s6->sin6_port));
	} else {
		snprintf(b, size, "(family %d)", ss->ss_family);
	}
}

/* Writable in select()'s sense: POLLOUT, or POLLERR/POLLHUP (select puts
 * an erroring socket in the write set too).  0 on timeout. */
static short ow_wait_writable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	if (poll(&p, 1, ms) != 1)
		return 0;
	return p.revents & (POLLOUT | POLLERR | POLLHUP);
}

/* What a careful caller of a non-blocking call does next: accept a count
 * or -1 EINPROGRESS/EWOULDBLOCK, wait until writable, ask
 * socket_connected, write whatever the call did not send. */
static bool ow_nb_complete(struct case_ctx *c, const char *what, int fd,
			   ssize_t n, int err, const unsigned char *buf,
			   size_t len)
{
	char rb[64], why[160];
	size_t sent = n > 0 ? (size_t)n : 0;
	int r;

	OW_CHECK(c, n >= 0 || err == EINPROGRESS || err == EAGAIN,
		 "%s: non-blocking %s %s; expected a byte count, or -1 with error_inprogress/error_wouldblock to indicate that the socket is non-blocking (a listener is up, so the connection cannot fail); %s",
		 what, ow_fn(c), ow_res(rb, sizeof(rb), n, err),
		 ow_why(c, why, sizeof(why)));
	OW_CHECK(c, sent <= len,
		 "%s: %s returned %zd for %zu bytes; expected at most len bytes sent",
		 what, ow_fn(c), n, len);
	OW_CHECK(c, ow_wait_writable(fd, 3000),
		 "%s: expected s to become writable when the background connection succeeds; observed not writable after 3 s",
		 what);
	if (c->lib->connected) {
		errno = 0;
		r = libcall_connected(c, fd);
		OW_CHECK(c, r == 1,
			 "%s: expected socket_connected to return 1 (the server accepted the connection); observed %d errno %s",
			 what, r, util_errno_name(errno));
	} else {
		case_note(c, "library does not export socket_connected: its part (1 after the connection succeeded) not checked");
	}
	while (sent < len) {
		ssize_t w = send(fd, buf + sent, len - sent, MSG_NOSIGNAL);

		if (w < 0 && errno == EAGAIN && ow_wait_writable(fd, 3000))
			continue;
		OW_CHECK(c, w > 0,
			 "%s: after the connection succeeded, write of the %zu bytes %s did not send failed: %s",
			 what, len - sent, ow_fn(c), util_errno_name(errno));
		sent += (size_t)w;
	}
	return true;
}

/* ---- >= 0: connected, this many bytes sent; the bytes arrive once ---- */

/*
 * Two connections of arg's size through the library — first contact,
 * then with whatever cookie the first one cached — blocking or not.
 * Blocking: the call returns len.  Non-blocking: see ow_nb_complete.
 * Either way the server receives exactly the bytes, once, in order.
 */
static void ow_deliver(struct case_ctx *c)
{
	bool nb = c->def->nonblock;
	size_t len = c->def->size;
	const unsigned char *buf = ow_payload(len);
	char rb[64], why[160], what[64];
	struct peer p;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	for (unsigned int conn = 0; conn < 2; conn++) {
		unsigned int idx = peer_count(&p);
		int fd = cc_client_socket(c, nb), err;
		double t0, dt;
		ssize_t n;

		CASE_SETUP(c, fd);
		snprintf(what, sizeof(what), "connection %u (%s)", conn + 1,
			 conn ? "cookie cached if the server grants one" :
				"first contact");
		t0 = util_now_ms();
		n = ow_call(c, fd, p.port, buf, len);
		err = errno;
		dt = util_now_ms() - t0;
		if (nb) {
			CASE_EXPECT(c, dt <= cc_at_once_ms(c),
				    "%s: non-blocking %s took %.0f ms (%s); expected it to return at once (at most %d ms here): a non-blocking socket does not wait for the handshake",
				    what, ow_fn(c), dt, ow_res(rb, sizeof(rb), n, err),
				    cc_at_once_ms(c));
			if (!ow_nb_complete(c, what, fd, n, err, buf, len))
				return;
		} else {
			CASE_EXPECT(c, n == (ssize_t)len,
				    "%s: %s %s; expected %zu bytes sent: %s",
				    what, ow_fn(c), ow_res(rb, sizeof(rb), n, err),
				    len, ow_why(c, why, sizeof(why)));
		}
		/* connected, all handed over: the server has them now */
		if (!cc_expect_delivered(c, &p, idx, len, what))
			return;
		close(fd);
		if (!cc_expect_bytes(c, &p, idx, buf, len))
			return;
	}
	peer_stop(&p);
}

/*
 * One plain connect()+close() by the harness before a case that judges
 * the wire of a first contact.  A fresh link occasionally leaves the
 * first SYN unanswered (seen with link-local addresses under -j 8 load:
 * the SYN is retransmitted after 1 s without its cookie request, so no
 * cookie is cached); a plain SYN requests no cookie, so the library's
 * first call still is a first contact.
 */
static bool ow_link_warmup(struct case_ctx *c, struct peer *p)
{
	struct sockaddr_storage ss;
	struct peer_conn pc;
	unsigned int idx = peer_count(p);
	socklen_t sl;
	int fd = cc_client_socket(c, false), ret;

	if (fd < 0) {
		case_error(c, "warm-up socket: %s", util_errno_name(-fd));
		return false;
	}
	topo_server_addr(&c->topo, c->family, p->port, &ss, &sl);
	ret = connect(fd, (struct sockaddr *)&ss, sl) ? -errno : 0;
	close(fd);
	if (!ret)
		ret = peer_wait(p, idx, 1, 3000, &pc);
	if (ret) {
		case_error(c, "warm-up connect to the server: %s",
			   util_errno_name(-ret));
		return false;
	}
	return true;
}

/* ---- "saving one useless ACK packet": what the wire shows ---- */

/*
 * Blocking, two connections.  With client TFO no pure ACK may precede
 * the data (it rides the SYN or the handshake's third packet), and where
 * the profile promises accepted SYN data (cookie cached, or no-cookie
 * mode with a server that accepts it) the data is in the SYN.
 */
static void ow_wire_no_ack(struct case_ctx *c)
{
	const struct profile *pr = c->profile;
	char rb[64], text[512];
	struct peer p;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	if (!ow_link_warmup(c, &p))
		return;
	for (unsigned int conn = 0; conn < 2; conn++) {
		bool want_syn = profile_syn_data_expected(pr, conn > 0);
		unsigned int idx = peer_count(&p);
		int fd = cc_client_socket(c, false), err, first;
		struct cc_conn_view v;
		struct peer_conn pc;
		bool ack_first;
		uint16_t sport;
		ssize_t n;

		CASE_SETUP(c, fd);
		n = ow_call(c, fd, p.port, CASE_PAYLOAD, OW_SMALL);
		err = errno;
		CASE_EXPECT(c, n == (ssize_t)OW_SMALL,
			    "connection %u: %s %s; expected %zu bytes sent (the page says >=0 means the connection succeeded and this many bytes were sent)",
			    conn + 1, ow_fn(c), ow_res(rb, sizeof(rb), n, err),
			    OW_SMALL);
		sport = cc_local_port(fd);
		close(fd);
		if (!cc_expect_bytes(c, &p, idx, CASE_PAYLOAD, OW_SMALL))
			return;
		peer_wait(&p, idx, 0, 0, &pc);
		cc_wire_conn(c, sport, &v);
		cc_wire_text(&v, text, sizeof(text));
		first = cc_first_data(&v, &ack_first);
		CASE_EXPECT(c, first >= 0,
			    "connection %u: expected the data on the wire; observed %s",
			    conn + 1, text);
		if (!profile_client_tfo(pr))
			continue; /* plain connect+write: the ACK is allowed */
		CASE_EXPECT(c, !ack_first,
			    "connection %u: with TCP Fast Open on the client (tcp_fastopen=0x%lx) expected the first data in the handshake's third packet or the SYN, saving one useless ACK packet; observed a pure ACK before it: %s",
			    conn + 1, pr->client_tfo, text);
		if (want_syn)
			CASE_EXPECT(c, (v.pkt[first]->flags & WIRE_SYN) && pc.syn_data,
				    "connection %u: expected the data in the SYN, accepted by the server (%s); observed %s, server TCPI_OPT_SYN_DATA %d",
				    conn + 1,
				    conn ? "cookie cached by connection 1" :
					   "no-cookie mode, server needs none",
				    text, pc.syn_data);
	}
	peer_stop(&p);
}

/* Non-blocking with a cookie (or no-cookie mode): the data rides the SYN,
 * so the call has sent it — it must say so (a count, not -1 EINPROGRESS,
 * after which a caller would send the bytes again).  Only profiles where
 * the client puts data in the SYN after a warm-up: elsewhere (server TFO
 * off, or a server that issues no cookie) the non-blocking call sends a
 * bare SYN, the ACK cannot be saved, and nonblock_count_or_inprogress
 * already checks what is left. */
static void ow_wire_nb_syn_data(struct case_ctx *c)
{
	const struct profile *pr = c->profile;
	/* after a warm-up connection */
	bool in_syn = profile_client_syn_data(pr, true);
	char rb[64], text[512];
	struct cc_conn_view v;
	struct peer p;
	unsigned int idx;
	bool ack_first;
	int fd, err, first;
	uint16_t sport;
	ssize_t n;

	if (!in_syn) {
		/* a row listing such a profile would only repeat
		 * nonblock_count_or_inprogress under this clause */
		case_error(c, "profile %s: the client cannot put data in the SYN (no cookie to be had, no no-cookie mode); this row's clause does not apply",
			   pr->name);
		return;
	}
	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	if (!ow_link_warmup(c, &p))
		return;
	CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
	idx = peer_count(&p);
	fd = cc_client_socket(c, true);
	CASE_SETUP(c, fd);
	n = ow_call(c, fd, p.port, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	sport = cc_local_port(fd);
	ow_wait_writable(fd, 3000);
	cc_wire_conn(c, sport, &v);
	cc_wire_text(&v, text, sizeof(text));
	CASE_EXPECT(c, n == (ssize_t)OW_SMALL,
		    "non-blocking, %s: %s %s; expected %zu: TCP Fast Open puts the data in the SYN (saving the ACK), so the call has sent it and >=0 says how many bytes were sent; wire: %s",
		    profile_client_nocookie(pr) ? "no-cookie mode" : "cookie cached",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err), OW_SMALL, text);
	first = cc_first_data(&v, &ack_first);
	CASE_EXPECT(c, first >= 0 && (v.pkt[first]->flags & WIRE_SYN),
		    "expected the data in the SYN (TCP Fast Open with a cookie or in no-cookie mode); observed %s",
		    text);
	if (!ow_nb_complete(c, "non-blocking after a cookie was cached", fd,
			    n, err, (const unsigned char *)CASE_PAYLOAD,
			    OW_SMALL))
		return;
	close(fd);
	cc_expect_bytes(c, &p, idx, CASE_PAYLOAD, OW_SMALL);
	peer_stop(&p);
}

/* ---- -1 with the failure errno ---- */

static bool ow_fd_intact(struct case_ctx *c, int fd, const struct stat *before,
			 int fl_before, const char *when)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL);

	OW_CHECK(c, fcntl(fd, F_GETFD) >= 0 && fl >= 0 && !fstat(fd, &st),
		 "%s: expected s to stay a valid descriptor; observed fcntl/fstat %s",
		 when, util_errno_name(errno));
	OW_CHECK(c, st.st_ino == before->st_ino && st.st_dev == before->st_dev,
		 "%s: expected s to stay the socket handed in; observed a different object behind the descriptor (inode %lu, was %lu)",
		 when, (unsigned long)st.st_ino, (unsigned long)before->st_ino);
	OW_CHECK(c, (fl & O_NONBLOCK) == (fl_before & O_NONBLOCK),
		 "%s: expected the socket's O_NONBLOCK flag unchanged (%s); observed it %s",
		 when, fl_before & O_NONBLOCK ? "set" : "clear",
		 fl & O_NONBLOCK ? "set" : "cleared");
	return true;
}

/*
 * Blocking call that must fail with errno arg: ECONNREFUSED (no listener,
 * first contact and with a cookie cached), ENETUNREACH (no route),
 * EHOSTUNREACH / ETIMEDOUT (the row's fault in the router).  The socket
 * stays the same valid, blocking descriptor.
 */
static void ow_fail_errno(struct case_ctx *c)
{
	int want = c->def->want_errno;
	unsigned int passes = c->def->passes ? c->def->passes : 1;
	char rb[64];
	struct peer p = { .lfd = -1 };

	for (unsigned int pass = 0; pass < passes; pass++) {
		struct sockaddr_storage ss;
		unsigned char ip[16] = { 0 };
		int fd = cc_client_socket(c, false), err, fl;
		struct stat st;
		socklen_t sl;
		ssize_t n;
		double t0;

		CASE_SETUP(c, fd);
		if (pass) {
			/* the cookie is per destination address: a warm
			 * connection to another port makes the next SYN carry
			 * data to the closed port */
			CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
			CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
		}
		fl = fcntl(fd, F_GETFL);
		fstat(fd, &st);
		t0 = util_now_ms();
		if (want == ENETUNREACH) {
			topo_unroutable_addr(&c->topo, c->family, OW_CLOSED_PORT,
					     &ss, &sl);
			if (ss.ss_family == AF_INET)
				memcpy(ip, &((struct sockaddr_in *)&ss)->sin_addr, 4);
			else
				memcpy(ip, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
			n = ow_call_ip(c, fd, ip, OW_CLOSED_PORT, 0, CASE_PAYLOAD,
				       OW_SMALL);
		} else {
			n = ow_call(c, fd, OW_CLOSED_PORT, CASE_PAYLOAD, OW_SMALL);
		}
		err = errno;
		CASE_EXPECT(c, n == -1 && err == want,
			    "%s%s %s after %.0f ms; expected -1 errno %s: the page says -1 with another errno means the connection failed%s",
			    pass ? "with a cookie cached: " : "", ow_fn(c),
			    ow_res(rb, sizeof(rb), n, err), util_now_ms() - t0,
			    util_errno_name(want), ow_notfo(c));
		case_note(c, "%s after %.0f ms", util_errno_name(err),
			  util_now_ms() - t0);
		if (!ow_fd_intact(c, fd, &st, fl, "after the failure") ||
		    !cc_expect_failed(c, fd, pass ? "with a cookie cached" :
						   "first contact"))
			return;
		close(fd);
	}
	if (passes > 1)
		peer_stop(&p);
}

static void ow_err_ebadf(struct case_ctx *c)
{
	char rb[64];
	int fd, err;
	ssize_t n;

	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	close(fd); /* a descriptor number that is certainly closed */
	n = ow_call(c, fd, OW_CLOSED_PORT, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	CASE_EXPECT(c, n == -1 && err == EBADF,
		    "%s on a closed descriptor %s; expected -1 errno EBADF (the connection failed immediately)",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err));
	CASE_EXPECT(c, fcntl(fd, F_GETFD) < 0,
		    "expected the closed descriptor to stay closed; observed the library opened something there");
}

static void ow_err_enotsock(struct case_ctx *c)
{
	char rb[64], sink[64];
	int pp[2], err, fl;
	struct stat st;
	ssize_t n;

	CASE_SETUP(c, pipe2(pp, O_NONBLOCK) ? -errno : 0);
	fl = fcntl(pp[1], F_GETFL);
	fstat(pp[1], &st);
	n = ow_call(c, pp[1], OW_CLOSED_PORT, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	CASE_EXPECT(c, n == -1 && err == ENOTSOCK,
		    "%s on a pipe %s; expected -1 errno ENOTSOCK (the connection failed immediately)",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err));
	if (!ow_fd_intact(c, pp[1], &st, fl, "after the failure"))
		return;
	n = read(pp[0], sink, sizeof(sink));
	CASE_EXPECT(c, n < 0 && errno == EAGAIN,
		    "expected nothing written to a descriptor that is not a socket; observed %zd bytes in the pipe",
		    n);
	close(pp[0]);
	close(pp[1]);
}

/*
 * Already connected (plain connect): EISCONN, nothing of buf is sent, and
 * the caller's connection survives the failed call: s is the same
 * descriptor, and a byte written after it reaches the server alone.
 */
static void ow_err_eisconn(struct case_ctx *c)
{
	struct sockaddr_storage ss;
	char rb[64];
	struct peer p;
	struct stat st;
	socklen_t sl;
	int fd, err, fl;
	ssize_t n;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	topo_server_addr(&c->topo, c->family, p.port, &ss, &sl);
	CASE_SETUP(c, connect(fd, (struct sockaddr *)&ss, sl) ? -errno : 0);
	fl = fcntl(fd, F_GETFL);
	fstat(fd, &st);
	n = ow_call(c, fd, p.port, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	CASE_EXPECT(c, n == -1 && err == EISCONN,
		    "%s on an already connected socket %s; expected -1 errno EISCONN (the connection attempt failed: the socket is connected)%s",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err), ow_notfo(c));
	if (!ow_fd_intact(c, fd, &st, fl, "after the failure"))
		return;
	n = send(fd, "x", 1, MSG_NOSIGNAL);
	CASE_EXPECT(c, n == 1,
		    "after -1 EISCONN, expected the caller's existing connection to be intact (a failed call must not touch it): write of 1 byte on s %s",
		    ow_res(rb, sizeof(rb), n, errno));
	close(fd);
	if (!cc_expect_bytes(c, &p, 0, "x", 1))
		return;
	CASE_EXPECT(c, peer_count(&p) == 1,
		    "expected no second connection to the server; observed %u",
		    peer_count(&p));
	peer_stop(&p);
}

/* A non-blocking connect still in progress (the router drops SYNs). */
static void ow_err_ealready(struct case_ctx *c)
{
	struct sockaddr_storage ss;
	struct tcp_info ti = { 0 };
	socklen_t tl = sizeof(ti);
	double t0, dt;
	char rb[64];
	struct stat st;
	socklen_t sl;
	int fd, err, fl;
	ssize_t n;

	fd = cc_client_socket(c, true);
	CASE_SETUP(c, fd);
	topo_server_addr(&c->topo, c->family, OW_CLOSED_PORT, &ss, &sl);
	CASE_EXPECT(c, connect(fd, (struct sockaddr *)&ss, sl) < 0 &&
			       errno == EINPROGRESS,
		    "harness: expected the first connect() to be in progress; observed %s",
		    util_errno_name(errno));
	fl = fcntl(fd, F_GETFL);
	fstat(fd, &st);
	t0 = util_now_ms();
	n = ow_call(c, fd, OW_CLOSED_PORT, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	dt = util_now_ms() - t0;
	CASE_EXPECT(c, n == -1 && err == EALREADY,
		    "%s while a non-blocking connect is in progress %s; expected -1 errno EALREADY (failed immediately, as the page says of a non-blocking socket)%s",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err), ow_notfo(c));
	CASE_EXPECT(c, dt <= cc_at_once_ms(c),
		    "%s failed with EALREADY after %.0f ms; expected it at once (at most %d ms here): the page says a non-blocking socket's failure is immediate",
		    ow_fn(c), dt, cc_at_once_ms(c));
	if (!ow_fd_intact(c, fd, &st, fl, "after the failure"))
		return;
	/* the SYNs are dropped for ~3 s: the caller's connect is still
	 * running unless the failed call aborted it */
	CASE_EXPECT(c, !getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) &&
			       ti.tcpi_state == TCP_SYN_SENT,
		    "after -1 EALREADY, expected the caller's connection attempt still in progress (tcpi_state SYN_SENT): the failed call must leave it alone; observed tcpi_state %u",
		    (unsigned int)ti.tcpi_state);
	close(fd);
}

/* A link-local address means nothing without its interface. */
static void ow_err_noscope(struct case_ctx *c)
{
	unsigned char ip[16];
	char rb[64];
	struct stat st;
	int fd, err, fl;
	ssize_t n;

	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	topo_server_raw(&c->topo, c->family, ip);
	fl = fcntl(fd, F_GETFL);
	fstat(fd, &st);
	n = ow_call_ip(c, fd, ip, OW_CLOSED_PORT, 0, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	CASE_EXPECT(c, n == -1 && err == EINVAL,
		    "%s to link-local fe80::2 with scope_id 0 %s; expected -1 errno EINVAL (no interface to reach it on)%s",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err), ow_notfo(c));
	if (!ow_fd_intact(c, fd, &st, fl, "after the failure"))
		return;
	wire_collect(c->wire, 20);
	CASE_EXPECT(c, wire_count(c->wire) == 0,
		    "expected no packet to reach the server; observed %zu TCP segments",
		    wire_count(c->wire));
	close(fd);
}

/* ---- non-blocking: -1 EINPROGRESS, writable, socket_connected ---- */

/*
 * SYNs dropped: the non-blocking call must return at once (not after the
 * handshake's ~3 s), with the socket still non-blocking, and
 * socket_connected must not claim a connection that does not exist.
 */
static void ow_nb_at_once(struct case_ctx *c)
{
	char rb[64];
	double t0, dt;
	struct stat st;
	int fd, err, r, fl;
	ssize_t n;

	fd = cc_client_socket(c, true);
	CASE_SETUP(c, fd);
	fl = fcntl(fd, F_GETFL);
	fstat(fd, &st);
	t0 = util_now_ms();
	n = ow_call(c, fd, OW_CLOSED_PORT, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	dt = util_now_ms() - t0;
	/* the handshake cannot complete (every SYN is dropped): only a call
	 * that waits takes longer than one that makes no round trip */
	CASE_EXPECT(c, dt <= cc_at_once_ms(c),
		    "non-blocking %s took %.0f ms (%s); expected it to return at once (at most %d ms here): -1 error_inprogress indicates that the socket is non-blocking",
		    ow_fn(c), dt, ow_res(rb, sizeof(rb), n, err),
		    cc_at_once_ms(c));
	CASE_EXPECT(c, n == -1 && (err == EINPROGRESS || err == EAGAIN),
		    "non-blocking %s, no cookie, SYNs dropped: %s; expected -1 with error_inprogress/error_wouldblock (nothing can have been sent without a cookie and a handshake)%s",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err), ow_notfo(c));
	if (!ow_fd_intact(c, fd, &st, fl, "after the call"))
		return;
	CASE_EXPECT(c, !ow_wait_writable(fd, 0),
		    "expected s not to be writable before the background connection succeeds or fails; observed writable");
	if (c->lib->connected) {
		errno = 0;
		r = libcall_connected(c, fd);
		CASE_EXPECT(c, r == 0,
			    "expected socket_connected to return 0 while the handshake is still running (no SYN-ACK can arrive); observed %d",
			    r);
		case_note(c, "socket_connected: 0 errno %s",
			  util_errno_name(errno));
	} else {
		case_note(c, "library does not export socket_connected: its part (0 while the handshake runs) not checked");
	}
	close(fd);
}

/*
 * Non-blocking to a closed port (first contact, then with a cookie):
 * failed immediately (-1 ECONNREFUSED) or in the background — then s
 * becomes writable and socket_connected returns 0 with ECONNREFUSED.
 * Either way s stays the same descriptor, still non-blocking.  The row's
 * clause is the socket_connected sentence: a library that does not export
 * socket_connected gets the other checks and then SKIP, not PASS.
 */
static void ow_nb_fails(struct case_ctx *c)
{
	int want = c->def->want_errno;
	unsigned int passes = c->def->passes ? c->def->passes : 1;
	struct peer p = { .lfd = -1 };
	bool asked = false;
	char rb[64];

	for (unsigned int pass = 0; pass < passes; pass++) {
		int fd = cc_client_socket(c, true), err, r, fl;
		const char *what = pass ? "with a cookie cached" : "first contact";
		struct stat st;
		double t0;
		ssize_t n;

		CASE_SETUP(c, fd);
		if (pass) {
			CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
			CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
		}
		fl = fcntl(fd, F_GETFL);
		fstat(fd, &st);
		t0 = util_now_ms();
		n = ow_call(c, fd, OW_CLOSED_PORT, CASE_PAYLOAD, OW_SMALL);
		err = errno;
		if (!ow_fd_intact(c, fd, &st, fl,
				  pass ? "with a cookie cached, after the call" :
					 "first contact, after the call"))
			return;
		if (n == -1 && err == want) {
			/* "failed immediately": allowed, if it did fail */
			if (!cc_expect_failed(c, fd, what))
				return;
			close(fd);
			continue;
		}
		CASE_EXPECT(c, n >= 0 || err == EINPROGRESS || err == EAGAIN,
			    "%s: non-blocking %s %s; expected -1 with error_inprogress/error_wouldblock, a byte count, or -1 %s (failed immediately)%s",
			    what, ow_fn(c), ow_res(rb, sizeof(rb), n, err),
			    util_errno_name(want), ow_notfo(c));
		CASE_EXPECT(c, ow_wait_writable(fd, 3000),
			    "%s: expected s to become writable when the background connection fails; observed not writable after 3 s",
			    what);
		case_note(c, "%s: writable after %.0f ms", what,
			  util_now_ms() - t0);
		if (c->lib->connected) {
			errno = 0;
			r = libcall_connected(c, fd);
			err = errno;
			asked = true;
			CASE_EXPECT(c, r == 0 && err == want,
				    "%s: after the background connection failed, socket_connected returned %d errno %s; expected 0 with errno %s: the page says if the connection failed, socket_connected returns 0, setting errno appropriately",
				    what, r, util_errno_name(err),
				    util_errno_name(want));
		}
		close(fd);
	}
	if (passes > 1)
		peer_stop(&p);
	if (!c->lib->connected)
		case_skip(c, "library does not export socket_connected: the clause's \"socket_connected returns 0, setting errno appropriately\" cannot be checked (the rest of the row was, and passed)");
	else if (!asked)
		case_note(c, "every attempt failed immediately (-1 %s): no background failure for socket_connected to report",
			  util_errno_name(want));
}

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

/* ---- a path with delay: success must mean established ---- */

/*
 * Behind a router that holds SYN-ACKs (harness/delay.h), first contact
 * then with the cookie it cached.  Blocking: the call returns the count
 * only once the SYN-ACK arrived (it took at least the hold) and the
 * socket is established.  Non-blocking: it returns at once, a count or -1
 * EINPROGRESS, and socket_connected does not claim the connection before
 * the SYN-ACK can have arrived; the rest is what a careful caller does.
 * Either way the server gets the bytes once.
 */
static void ow_delayed(struct case_ctx *c)
{
	bool nb = c->def->nonblock;
	int hold = case_ms(c->def->delay_ms);
	char rb[64], what[64];
	struct peer p;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	for (unsigned int conn = 0; conn < 2; conn++) {
		unsigned int idx = peer_count(&p);
		int fd = cc_client_socket(c, nb), err, r;
		double t0, dt;
		ssize_t n;

		CASE_SETUP(c, fd);
		snprintf(what, sizeof(what), "connection %u (%s)", conn + 1,
			 conn ? "cookie cached" : "first contact");
		t0 = util_now_ms();
		n = ow_call(c, fd, p.port, CASE_PAYLOAD, OW_SMALL);
		err = errno;
		dt = util_now_ms() - t0;
		if (!nb) {
			CASE_EXPECT(c, n == (ssize_t)OW_SMALL,
				    "%s: %s %s; expected %zu bytes sent once connected",
				    what, ow_fn(c), ow_res(rb, sizeof(rb), n, err),
				    OW_SMALL);
			CASE_EXPECT(c, dt >= hold * 0.9,
				    "%s: blocking %s returned %zd after %.0f ms, before the SYN-ACK the router held for %d ms could arrive: >=0 means the connection succeeded",
				    what, ow_fn(c), n, dt, hold);
			if (!cc_expect_established(c, fd, what) ||
			    !cc_expect_delivered(c, &p, idx, OW_SMALL, what))
				return;
		} else {
			CASE_EXPECT(c, dt <= cc_at_once_ms(c),
				    "%s: non-blocking %s took %.0f ms (%s); expected it to return at once (at most %d ms here) while the SYN-ACK is held for %d ms",
				    what, ow_fn(c), dt, ow_res(rb, sizeof(rb), n, err),
				    cc_at_once_ms(c), hold);
			if (c->lib->connected) {
				errno = 0;
				r = libcall_connected(c, fd);
				CASE_EXPECT(c, r == 0,
					    "%s: socket_connected returned %d while the SYN-ACK is still held; expected 0 (the connection has not succeeded yet)",
					    what, r);
			}
			if (!ow_nb_complete(c, what, fd, n, err,
					    (const unsigned char *)CASE_PAYLOAD,
					    OW_SMALL) ||
			    !cc_expect_delivered(c, &p, idx, OW_SMALL, what))
				return;
		}
		close(fd);
		if (!cc_expect_bytes(c, &p, idx, CASE_PAYLOAD, OW_SMALL))
			return;
	}
	peer_stop(&p);
}

/* ---- the table ---- */

/* One row per clause the family checks; fields left out are the defaults
 * of case.h (pair topology, FAMS_IP, profile "tfo"). */
#define OWFAT(id_, ...) { .id = "owfat." id_, .api = API_OWFAT, __VA_ARGS__ }

#define FAMS_IPM (FAMS_IP | 1u << FAM_MAPPED)
/* the delayed path's hold: above every "at once" bound (200 ms at most) */
#define OW_HOLD_MS 300

#define C_SENT ">=0, to indicate that the connection succeeded and this many bytes were sent"
#define C_NB "-1, setting errno to error_inprogress or error_wouldblock, to indicate that the socket is non-blocking"
#define C_FAIL "-1, setting errno to something else, to indicate that the connection failed (and failed immediately, if the socket is non-blocking)"
#define C_BG "When a background connection succeeds or fails, s becomes writable; you can use socket_connected to see whether the connection succeeded. If the connection failed, socket_connected returns 0, setting errno appropriately."
#define C_ACK "on platforms supporting TCP Fast Open, socket_fastopen_connect6 will send the first data packet in the third packet of the TCP handshake, saving one useless ACK packet"
#define C_NOTFO "The difference to calling socket_connect6 followed by write is that, on platforms supporting TCP Fast Open, ..."
#define C_ATTEMPT "attempts to make a connection from TCP socket s to TCP port port on IP address ip. If that succeeds, it attempts to send len bytes from buf."

/* the failure rows run with and without client TFO */
#define OW_TFO_AND_OFF "tfo,client-off"

CASE_TABLE(owfat,
	/* >= 0 and delivery */
	OWFAT("returns_bytes_sent", .clause_id = "O6", .clause = C_SENT,
	      .expect = "blocking, 27 B, first contact then cookie cached: returns 27, server gets the bytes once",
	      .body = ow_deliver, .size = OW_SMALL, .families = FAMS_ALL,
	      .profile_if = profile_client_tfo),
	OWFAT("no_tfo_connect_write", .clause_id = "O4", .clause = C_NOTFO,
	      .expect = "client TFO off: behaves as socket_connect then write: returns 27, bytes once",
	      .body = ow_deliver, .size = OW_SMALL, .families = FAMS_ALL,
	      .profile_if = profile_client_no_tfo),
	OWFAT("nonblock_count_or_inprogress", .clause_id = "O7", .clause = C_NB,
	      .expect = "non-blocking: a count or -1 EINPROGRESS; writable, socket_connected 1, the rest written by the caller arrives once",
	      .body = ow_deliver, .size = OW_SMALL, .nonblock = true,
	      .families = FAMS_ALL, .profiles = "*"),
	OWFAT("large_3000", .clause_id = "O6", .clause = C_SENT,
	      .expect = "blocking, 3000 B (more than a SYN carries): returns 3000, bytes once in order",
	      .body = ow_deliver, .size = 3000, .profiles = "tfo,client-off,no-cookie"),
	OWFAT("large_100k", .clause_id = "O6", .clause = C_SENT,
	      .expect = "blocking, 100 KB: returns 102400, bytes once in order",
	      .body = ow_deliver, .size = OW_BIG, .profiles = "tfo,client-off,no-cookie"),
	OWFAT("nonblock_large_3000", .clause_id = "O6", .clause = C_SENT,
	      .expect = "non-blocking, 3000 B: a short count (what rode the SYN) or EINPROGRESS; the caller's rest arrives once",
	      .body = ow_deliver, .size = 3000, .nonblock = true,
	      .profiles = "tfo,client-off,no-cookie"),
	OWFAT("nonblock_large_100k", .clause_id = "O6", .clause = C_SENT,
	      .expect = "non-blocking, 100 KB: a short count or EINPROGRESS; the caller's rest arrives once",
	      .body = ow_deliver, .size = OW_BIG, .nonblock = true,
	      .profiles = "tfo,client-off,no-cookie"),
	/* saving one useless ACK */
	OWFAT("no_ack_before_data", .clause_id = "O3", .clause = C_ACK,
	      .expect = "blocking with client TFO: no pure ACK before the data; data in the SYN when the profile accepts it",
	      .body = ow_wire_no_ack, .wire = true, .families = FAMS_ALL,
	      .profile_if = profile_client_tfo),
	OWFAT("nonblock_data_in_syn", .clause_id = "O3", .clause = C_ACK,
	      .expect = "non-blocking with a cookie (or no-cookie mode): returns 27 and the SYN carries the data",
	      .body = ow_wire_nb_syn_data, .wire = true, .families = FAMS_ALL,
	      .profile_if = profile_client_syn_data_warm),
	/* middleboxes */
	OWFAT("middlebox_drop_syn_data", .clause_id = "O2", .clause = C_ATTEMPT,
	      .expect = "SYN-data dropped on the path: blocking call returns 27, bytes arrive once",
	      .body = ow_deliver, .size = OW_SMALL, .topo = TOPO_ROUTED,
	      .fault = FAULT_DROP_SYN_DATA),
	OWFAT("middlebox_drop_syn_data_nonblock", .clause_id = "O2", .clause = C_ATTEMPT,
	      .expect = "SYN-data dropped on the path, non-blocking: bytes arrive once",
	      .body = ow_deliver, .size = OW_SMALL, .nonblock = true,
	      .topo = TOPO_ROUTED, .fault = FAULT_DROP_SYN_DATA),
	OWFAT("middlebox_strip_tfo", .clause_id = "O2", .clause = C_ATTEMPT,
	      .expect = "TFO option stripped on the path: returns 27, bytes arrive once",
	      .body = ow_deliver, .size = OW_SMALL, .topo = TOPO_ROUTED,
	      .fault = FAULT_STRIP_TFO),
	/* -1 and the failure errno, blocking */
	OWFAT("err_refused", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "no listener (first contact, then with a cookie): -1 ECONNREFUSED, the socket intact",
	      .body = ow_fail_errno, .want_errno = ECONNREFUSED, .passes = 2,
	      .families = FAMS_IPM, .profiles = OW_TFO_AND_OFF),
	OWFAT("err_netunreach", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "no route: -1 ENETUNREACH",
	      .body = ow_fail_errno, .want_errno = ENETUNREACH,
	      .topo = TOPO_ROUTED, .profiles = OW_TFO_AND_OFF),
	OWFAT("err_hostunreach", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "ICMP host unreachable from the router: -1 EHOSTUNREACH (~1 s)",
	      .body = ow_fail_errno, .want_errno = EHOSTUNREACH,
	      .topo = TOPO_ROUTED, .fault = FAULT_ICMP_HOST_UNREACH),
	OWFAT("err_timedout", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "every SYN dropped, TCP_SYNCNT=1: -1 ETIMEDOUT (~3 s)",
	      .body = ow_fail_errno, .want_errno = ETIMEDOUT,
	      .topo = TOPO_ROUTED, .fault = FAULT_DROP_SYN),
	OWFAT("err_ebadf", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "closed descriptor: -1 EBADF",
	      .body = ow_err_ebadf, .profiles = OW_TFO_AND_OFF),
	OWFAT("err_enotsock", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "a pipe: -1 ENOTSOCK, nothing written into it, still valid",
	      .body = ow_err_enotsock, .profiles = OW_TFO_AND_OFF),
	OWFAT("err_eisconn", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "already connected: -1 EISCONN, nothing sent",
	      .body = ow_err_eisconn, .families = FAMS_IPM,
	      .profiles = OW_TFO_AND_OFF),
	OWFAT("err_ealready", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "non-blocking connect in progress: -1 EALREADY at once",
	      .body = ow_err_ealready, .topo = TOPO_ROUTED,
	      .fault = FAULT_DROP_SYN, .profiles = OW_TFO_AND_OFF),
	OWFAT("err_linklocal_no_scope", .clause_id = "O13", .clause = C_FAIL,
	      .expect = "link-local ip with scope_id 0: -1 EINVAL, no packet",
	      .body = ow_err_noscope, .wire = true,
	      .families = 1u << FAM_LINKLOCAL, .profiles = OW_TFO_AND_OFF),
	/* non-blocking: in progress, writable, socket_connected */
	OWFAT("nonblock_returns_at_once", .clause_id = "O7", .clause = C_NB,
	      .expect = "non-blocking, SYNs dropped: -1 EINPROGRESS at once, still non-blocking, not writable, socket_connected 0",
	      .body = ow_nb_at_once, .topo = TOPO_ROUTED,
	      .fault = FAULT_DROP_SYN, .profiles = OW_TFO_AND_OFF),
	OWFAT("nonblock_refused", .clause_id = "O10", .clause = C_BG,
	      .expect = "non-blocking, no listener (first contact, then cookie): writable, socket_connected 0 ECONNREFUSED",
	      .body = ow_nb_fails, .want_errno = ECONNREFUSED, .passes = 2,
	      .families = FAMS_IPM, .profiles = OW_TFO_AND_OFF),
	OWFAT("nonblock_hostunreach", .clause_id = "O10", .clause = C_BG,
	      .expect = "non-blocking, ICMP host unreachable: writable, socket_connected 0 EHOSTUNREACH",
	      .body = ow_nb_fails, .want_errno = EHOSTUNREACH,
	      .topo = TOPO_ROUTED, .fault = FAULT_ICMP_HOST_UNREACH),
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
	/* a path with delay */
	OWFAT("delayed_blocking", .clause_id = "O6", .clause = C_SENT,
	      .expect = "router holds the SYN-ACK 300 ms, blocking, first contact then cookie: returns 27 only after the SYN-ACK, established, bytes once",
	      .body = ow_delayed, .topo = TOPO_ROUTED, .delay_ms = OW_HOLD_MS,
	      .slow = true),
	OWFAT("delayed_nonblock", .clause_id = "O7", .clause = C_NB,
	      .expect = "router holds the SYN-ACK 300 ms, non-blocking: returns at once (count or EINPROGRESS), socket_connected 0 until the SYN-ACK, then the rest arrives once",
	      .body = ow_delayed, .nonblock = true, .topo = TOPO_ROUTED,
	      .delay_ms = OW_HOLD_MS, .slow = true),
	OWFAT("example_hello", .clause_id = "O14",
	      .clause = "s = socket_tcp6b(); socket_bind6(s,ip,p); socket_fastopen_connect6(s,ip,p,scope_id,\"hello\",5);",
	      .expect = "EXAMPLE: bound socket, \"hello\", 5: returns 5, server gets hello",
	      .body = ow_example, .families = 1u << FAM_IPV6 | 1u << FAM_MAPPED,
	      .profiles = OW_TFO_AND_OFF),
)
