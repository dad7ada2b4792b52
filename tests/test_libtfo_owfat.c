// SPDX-License-Identifier: MIT
/*
 * Unit tests of libtfo's libowfat-compatible calls (lib/owfat.c), run
 * against the library objects directly.  Every test that touches the
 * network forks a child that unshares a private network namespace, brings
 * lo up, sets net.ipv4.tcp_fastopen there (never in the initial
 * namespace), runs a TFO listener and the client call on 127.0.0.1/::1,
 * and sends its observations back through a pipe; the CUnit asserts run in
 * the parent.  Needs root (CAP_NET_ADMIN for unshare); skips otherwise.
 */
#include "tests/netns_child.h"
#include "tests/testlib.h"
#include "libtfo/fastopen.h"
#include "lib/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netns/rtnl.h"
#include "util/util.h"

/* ---- helpers ---- */

/* A TFO listener on the loopback address of fam; returns fd, sets port. */
static int ow_listen(int fam, uint16_t *port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int one = 1, fd = socket(fam, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	if (fam == AF_INET) {
		struct sockaddr_in *sin = (void *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (void *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_loopback;
		sl = sizeof(*sin6);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	socket_fastopen(fd);
	if (bind(fd, (void *)&ss, sl) || listen(fd, 16) ||
	    getsockname(fd, (void *)&ss, &sl)) {
		close(fd);
		return -1;
	}
	*port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

static const char ow_lo4[4] = { 127, 0, 0, 1 };
static const char ow_lo6[16] = { [15] = 1 };
static const char ow_mapped[16] = { [10] = (char)0xff, [11] = (char)0xff,
				    [12] = 127, [15] = 1 };

/* ---- tests ---- */

/* v: per connection i: [3i] ret, [3i+1] syn_data, [3i+2] bytes at server */
static void ow_child_blocking(struct test_child_res *r, int fam)
{
	uint16_t port;
	int l = ow_listen(fam, &port);

	for (int i = 0; i < 2; i++) {
		int c = socket(fam, SOCK_STREAM, 0);

		r->v[3 * i] = fam == AF_INET ?
			socket_fastopen_connect4(c, ow_lo4, port, "hello", 5) :
			socket_fastopen_connect6(c, ow_lo6, port, 0, "hello", 5);
		r->v[3 * i + 1] = test_syn_data(c);
		close(c);
		r->v[3 * i + 2] = test_drain(l, 1000);
	}
	close(l);
}

static void ow_child_blocking4(struct test_child_res *r)
{
	ow_child_blocking(r, AF_INET);
}

static void ow_child_blocking6(struct test_child_res *r)
{
	ow_child_blocking(r, AF_INET6);
}

static void ow_check_blocking(const struct test_child_res *r)
{
	/* first contact: cookie request, data after the handshake */
	CU_ASSERT_EQUAL(r->v[0], 5);
	CU_ASSERT_EQUAL(r->v[1], 0);
	CU_ASSERT_EQUAL(r->v[2], 5);
	/* cookie cached: the data rode the SYN and was acknowledged */
	CU_ASSERT_EQUAL(r->v[3], 5);
	CU_ASSERT_EQUAL(r->v[4], TCPI_OPT_SYN_DATA);
	CU_ASSERT_EQUAL(r->v[5], 5);
}

static void test_blocking_tfo4(void)
{
	struct test_child_res r;

	if (test_child_in_netns(ow_child_blocking4, "3", &r))
		ow_check_blocking(&r);
}

static void test_blocking_tfo6(void)
{
	struct test_child_res r;

	if (test_child_in_netns(ow_child_blocking6, "3", &r))
		ow_check_blocking(&r);
}

/* Client bit off: connect + write, data delivered exactly once. */
static void ow_child_fallback(struct test_child_res *r)
{
	uint16_t port;
	int l = ow_listen(AF_INET, &port), c = socket(AF_INET, SOCK_STREAM, 0);
	int c6 = socket(AF_INET6, SOCK_STREAM, 0), l6;
	uint16_t port6;

	r->v[0] = socket_fastopen_connect4(c, ow_lo4, port, "hello", 5);
	r->v[1] = socket_connected(c);
	close(c);
	r->v[2] = test_drain(l, 1000);
	l6 = ow_listen(AF_INET6, &port6);
	r->v[3] = socket_fastopen_connect6(c6, ow_lo6, port6, 0, "hello6", 6);
	close(c6);
	r->v[4] = test_drain(l6, 1000);
	/* no listener at all: the fallback's connect error comes through */
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[5] = socket_fastopen_connect4(c, ow_lo4, 1, "x", 1);
	r->v[6] = errno;
	close(c);
	close(l);
	close(l6);
}

static void test_client_bit_off_fallback(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(ow_child_fallback, "2", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], 5);
	CU_ASSERT_EQUAL(r.v[1], 1);
	CU_ASSERT_EQUAL(r.v[2], 5);
	CU_ASSERT_EQUAL(r.v[3], 6);
	CU_ASSERT_EQUAL(r.v[4], 6);
	CU_ASSERT_EQUAL(r.v[5], -1);
	CU_ASSERT_EQUAL(r.v[6], ECONNREFUSED);
}

static void ow_child_len0(struct test_child_res *r)
{
	uint16_t port;
	int l = ow_listen(AF_INET, &port), c = socket(AF_INET, SOCK_STREAM, 0);

	r->v[0] = socket_fastopen_connect4(c, ow_lo4, port, NULL, 0);
	r->v[1] = socket_connected(c);
	close(c);
	r->v[2] = test_drain(l, 1000);
	close(l);
}

static void test_len0_connects(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(ow_child_len0, "3", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], 0);
	CU_ASSERT_EQUAL(r.v[1], 1);
	CU_ASSERT_EQUAL(r.v[2], 0); /* a connection, no bytes */
}

static int ow_wait_writable(int fd)
{
	struct pollfd pf = { .fd = fd, .events = POLLOUT };

	return poll(&pf, 1, 2000);
}

static void ow_write_all(int fd, const char *b, size_t n)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	while (n) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		b += w;
		n -= (size_t)w;
	}
}

/*
 * Non-blocking: first contact -1 EINPROGRESS (nothing sent); with the
 * cookie the data rides the SYN and the count comes back at once; a large
 * buffer comes back short.  The server sees every byte exactly once.
 */
static void ow_child_nonblock(struct test_child_res *r)
{
	static char big[200000];
	uint16_t port;
	int l = ow_listen(AF_INET, &port), c;

	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r->v[0] = socket_fastopen_connect4(c, ow_lo4, port, "hello", 5);
	r->v[1] = errno;
	r->v[2] = ow_wait_writable(c);
	r->v[3] = socket_connected(c);
	ow_write_all(c, "hello", 5); /* -1 EINPROGRESS: the caller writes */
	close(c);
	r->v[4] = test_drain(l, 1000);

	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r->v[5] = socket_fastopen_connect4(c, ow_lo4, port, "hello", 5);
	ow_wait_writable(c);
	r->v[6] = socket_connected(c);
	r->v[7] = test_syn_data(c);
	close(c);
	r->v[8] = test_drain(l, 1000);

	memset(big, 'b', sizeof(big));
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r->v[9] = socket_fastopen_connect4(c, ow_lo4, port, big, sizeof(big));
	ow_wait_writable(c);
	if (r->v[9] > 0)
		ow_write_all(c, big + r->v[9], sizeof(big) - r->v[9]);
	shutdown(c, SHUT_WR);
	r->v[10] = test_drain(l, 1000);
	close(c);
	close(l);
}

static void test_nonblocking(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(ow_child_nonblock, "3", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], -1);
	/* the page allows error_wouldblock too, but not here: first contact
	 * on a non-blocking socket is a connect in progress (interpretation 1) */
	CU_ASSERT_EQUAL(r.v[1], EINPROGRESS);
	CU_ASSERT_EQUAL(r.v[2], 1);
	CU_ASSERT_EQUAL(r.v[3], 1);
	CU_ASSERT_EQUAL(r.v[4], 5);
	CU_ASSERT_EQUAL(r.v[5], 5);
	CU_ASSERT_EQUAL(r.v[6], 1);
	CU_ASSERT_EQUAL(r.v[7], TCPI_OPT_SYN_DATA);
	CU_ASSERT_EQUAL(r.v[8], 5);
	CU_ASSERT_TRUE(r.v[9] > 0 && r.v[9] < 200000);
	CU_ASSERT_EQUAL(r.v[10], 200000);
}

static void ow_child_refused(struct test_child_res *r)
{
	int c = socket(AF_INET, SOCK_STREAM, 0);

	r->v[0] = socket_fastopen_connect4(c, ow_lo4, 1, "x", 1);
	r->v[1] = errno;
	close(c);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r->v[2] = socket_fastopen_connect4(c, ow_lo4, 1, "x", 1);
	r->v[3] = errno;
	ow_wait_writable(c);
	r->v[4] = socket_connected(c);
	r->v[5] = errno;
	close(c);
	c = socket(AF_INET6, SOCK_STREAM, 0);
	r->v[6] = socket_fastopen_connect6(c, ow_lo6, 1, 0, "x", 1);
	r->v[7] = errno;
	close(c);
}

static void test_econnrefused(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(ow_child_refused, "3", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], -1);
	CU_ASSERT_EQUAL(r.v[1], ECONNREFUSED);
	CU_ASSERT_EQUAL(r.v[2], -1);
	CU_ASSERT_EQUAL(r.v[3], EINPROGRESS);
	CU_ASSERT_EQUAL(r.v[4], 0);
	CU_ASSERT_EQUAL(r.v[5], ECONNREFUSED);
	CU_ASSERT_EQUAL(r.v[6], -1);
	CU_ASSERT_EQUAL(r.v[7], ECONNREFUSED);
}

static void test_ebadf_enotsock(void)
{
	int p[2];
	ssize_t r;

	CU_ASSERT_EQUAL(socket_fastopen_connect4(-1, ow_lo4, 1, "x", 1), -1);
	CU_ASSERT_EQUAL(errno, EBADF);
	CU_ASSERT_EQUAL(socket_fastopen_connect6(-1, ow_lo6, 1, 0, "x", 1), -1);
	CU_ASSERT_EQUAL(errno, EBADF);
	CU_ASSERT_EQUAL(socket_connected(-1), 0);
	CU_ASSERT_EQUAL(errno, EBADF);
	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	r = socket_fastopen_connect4(p[1], ow_lo4, 1, "x", 1);
	CU_ASSERT_EQUAL(r, -1);
	CU_ASSERT_EQUAL(errno, ENOTSOCK);
	CU_ASSERT_EQUAL(socket_connected(p[0]), 0);
	CU_ASSERT_EQUAL(errno, ENOTSOCK);
	close(p[0]);
	close(p[1]);
}

/* v4-mapped on AF_INET6 and AF_INET sockets; connect4 on AF_INET6. */
static void ow_child_mapped(struct test_child_res *r)
{
	uint16_t port;
	int l = ow_listen(AF_INET, &port), c;

	c = socket(AF_INET6, SOCK_STREAM, 0);
	r->v[0] = socket_fastopen_connect6(c, ow_mapped, port, 0, "abc", 3);
	close(c);
	r->v[1] = test_drain(l, 1000);
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[2] = socket_fastopen_connect6(c, ow_mapped, port, 0, "abcd", 4);
	close(c);
	r->v[3] = test_drain(l, 1000);
	c = socket(AF_INET6, SOCK_STREAM, 0);
	r->v[4] = socket_fastopen_connect4(c, ow_lo4, port, "ab", 2);
	r->v[5] = test_syn_data(c); /* the cookie is shared with IPv4 */
	close(c);
	r->v[6] = test_drain(l, 1000);
	/* not mapped, AF_INET socket: the family error stays */
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[7] = socket_fastopen_connect6(c, ow_lo6, port, 0, "a", 1);
	r->v[8] = errno;
	close(c);
	close(l);
}

static void test_v4mapped(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(ow_child_mapped, "3", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], 3);
	CU_ASSERT_EQUAL(r.v[1], 3);
	CU_ASSERT_EQUAL(r.v[2], 4);
	CU_ASSERT_EQUAL(r.v[3], 4);
	CU_ASSERT_EQUAL(r.v[4], 2);
	CU_ASSERT_EQUAL(r.v[5], TCPI_OPT_SYN_DATA);
	CU_ASSERT_EQUAL(r.v[6], 2);
	CU_ASSERT_EQUAL(r.v[7], -1);
	CU_ASSERT_EQUAL(r.v[8], EAFNOSUPPORT);
}

/*
 * Link-local needs a scope (O13, interpretation 8): scope_id goes to the
 * kernel as sin6_scope_id, and a link-local ip with scope_id 0 is the
 * kernel's EINVAL.  lib/owfat.c has no scope check of its own on purpose:
 * the kernel accepts scope 0 when the socket is bound to an interface
 * (SO_BINDTODEVICE), and a library check would refuse that.
 *
 * So the test makes the library's side observable.  lo gets fe80::1/64
 * and a listener on [fe80::1%lo]: the target is reachable, so a library
 * that guessed a scope would connect.  The scope-0 call must fail EINVAL
 * with no packet (lo's tx count and TCP ActiveOpens unchanged, nothing at
 * the listener) and leave s as it was; the same s with scope_id lo then
 * connects and delivers (the scope is passed through); and a socket bound
 * to lo connects with scope 0 (no check of the library's own).  The
 * verdict is a function so that two planted libraries -- one that guesses
 * the scope, one that drops it -- can be shown to fail it.
 */
typedef ssize_t (*ow_connect6_fn)(int s, const char *ip, uint16_t port,
				  uint32_t scope_id, const char *buf, size_t len);
static ow_connect6_fn ow_ll_connect6 = socket_fastopen_connect6;

static const char ow_ll[16] = { (char)0xfe, (char)0x80, [15] = 1 };

/*
 * fe80::1/64 on lo, and a TFO listener on [fe80::1%lo]; fd or -errno.
 * The address goes in over rtnetlink with IFA_F_NODAD: added by ioctl it
 * stays tentative (unbindable) until addrconf's work queue runs.
 */
static int ow_ll_listen(uint16_t *port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_scope_id = 1 };
	socklen_t sl = sizeof(sin6);
	struct rtnl rt;
	int fd, ret;

	ret = rtnl_open(&rt, -1);
	if (ret)
		return ret;
	ret = rtnl_addr_add(&rt, 1, AF_INET6, ow_ll, 64);
	rtnl_close(&rt);
	if (ret)
		return ret;
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0)
		return -errno;
	memcpy(&sin6.sin6_addr, ow_ll, 16);
	socket_fastopen(fd);
	if (bind(fd, (void *)&sin6, sl) ||
	    listen(fd, 16) || getsockname(fd, (void *)&sin6, &sl)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	*port = ntohs(sin6.sin6_port);
	return fd;
}

/* s still what the caller made: same object, flags, unbound, CLOSE */
static int ow_ll_intact(int s, const struct stat *before, int flags)
{
	struct sockaddr_in6 sin6;
	socklen_t sl = sizeof(sin6);
	struct tcp_info ti = { 0 };
	socklen_t tl = sizeof(ti);
	struct stat st;

	return !fstat(s, &st) && st.st_ino == before->st_ino &&
	       fcntl(s, F_GETFL) == flags &&
	       !getsockname(s, (void *)&sin6, &sl) && sin6.sin6_port == 0 &&
	       !getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &tl) &&
	       ti.tcpi_state == 7 /* TCP_CLOSE */;
}

/*
 * v: [0] setup (0 or -errno); scope 0: [1] ret [2] errno [3] lo packets
 * sent [4] SYNs started [5] connections at the listener [6] s intact;
 * the same s with scope lo: [7] ret [8] errno [9] bytes at the listener;
 * bound to lo, scope 0: [10] ret [11] errno [12] bytes at the listener
 */
static void ow_child_linklocal(struct test_child_res *r)
{
	struct pollfd pf;
	struct stat st;
	long long tx, opens;
	uint16_t port = 0;
	int l = ow_ll_listen(&port), c, flags;

	r->v[0] = l < 0 ? l : 0;
	if (l < 0)
		return;
	c = socket(AF_INET6, SOCK_STREAM, 0);
	fstat(c, &st);
	flags = fcntl(c, F_GETFL);
	tx = test_lo_tx_packets();
	opens = test_tcp_active_opens();
	r->v[1] = ow_ll_connect6(c, ow_ll, port, 0, "x", 1);
	r->v[2] = errno;
	r->v[3] = test_lo_tx_packets() - tx;
	r->v[4] = test_tcp_active_opens() - opens;
	pf = (struct pollfd){ .fd = l, .events = POLLIN };
	r->v[5] = poll(&pf, 1, 50);
	r->v[6] = ow_ll_intact(c, &st, flags);
	if (r->v[5] > 0) /* a connection came: read it, so the next is the retry's */
		test_drain(l, 200);
	r->v[7] = ow_ll_connect6(c, ow_ll, port, 1, "y", 1);
	r->v[8] = errno;
	close(c);
	r->v[9] = test_drain(l, 1000);
	c = socket(AF_INET6, SOCK_STREAM, 0);
	setsockopt(c, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3);
	r->v[10] = ow_ll_connect6(c, ow_ll, port, 0, "zz", 2);
	r->v[11] = errno;
	close(c);
	r->v[12] = test_drain(l, 1000);
	close(l);
}

static bool ow_ll_verdict(const struct test_child_res *r, char *why,
			  size_t size)
{
	size_t off = 0;
	bool ok = true;

#define OW_EXPECT(cond, ...)                                                 \
	do {                                                                 \
		if (!(cond)) {                                               \
			util_appendf(why, size, &off, "%s", ok ? "" : "; "); \
			util_appendf(why, size, &off, __VA_ARGS__);          \
			ok = false;                                          \
		}                                                            \
	} while (0)

	why[0] = 0;
	OW_EXPECT(r->v[0] == 0, "setup: fe80::1 on lo and a listener: %s",
		  util_errno_name((int)-r->v[0]));
	if (!ok)
		return false;
	OW_EXPECT(r->v[1] == -1 && r->v[2] == EINVAL,
		  "scope_id 0: expected -1 EINVAL; observed %lld %s", r->v[1],
		  r->v[1] < 0 ? util_errno_name((int)r->v[2]) : "");
	OW_EXPECT(r->v[3] == 0 && r->v[4] == 0 && r->v[5] == 0,
		  "scope_id 0: expected no packet; observed %lld sent on lo, %lld SYN started, %s at the listener",
		  r->v[3], r->v[4], r->v[5] > 0 ? "a connection" : "nothing");
	OW_EXPECT(r->v[6] == 1,
		  "scope_id 0: expected s intact (same socket, flags, unbound, CLOSE); observed changed");
	OW_EXPECT(r->v[7] == 1 && r->v[9] == 1,
		  "the same s with scope_id lo: expected 1, 1 byte at the listener; observed %lld %s, %lld bytes",
		  r->v[7], r->v[7] < 0 ? util_errno_name((int)r->v[8]) : "",
		  r->v[9]);
	OW_EXPECT(r->v[10] == 2 && r->v[12] == 2,
		  "bound to lo, scope_id 0: expected the kernel's rule (2, 2 bytes at the listener); observed %lld %s, %lld bytes",
		  r->v[10], r->v[10] < 0 ? util_errno_name((int)r->v[11]) : "",
		  r->v[12]);
#undef OW_EXPECT
	return ok;
}

static void test_linklocal_needs_scope(void)
{
	struct test_child_res r;
	char why[1024];
	bool ok;

	ow_ll_connect6 = socket_fastopen_connect6;
	if (!test_child_in_netns(ow_child_linklocal, "3", &r))
		return;
	ok = ow_ll_verdict(&r, why, sizeof(why));
	CU_assertImplementation(ok, __LINE__, why, __FILE__, "", CU_FALSE);
}

/* Planted: a library that fills in a scope for scope_id 0 (lo, the only
 * interface), and one that drops scope_id; both must fail the verdict. */
static ssize_t ow_guess_scope(int s, const char *ip, uint16_t port,
			      uint32_t scope_id, const char *buf, size_t len)
{
	return socket_fastopen_connect6(s, ip, port, scope_id ? scope_id : 1,
					buf, len);
}

static ssize_t ow_drop_scope(int s, const char *ip, uint16_t port,
			     uint32_t scope_id, const char *buf, size_t len)
{
	(void)scope_id;
	return socket_fastopen_connect6(s, ip, port, 0, buf, len);
}

static void test_linklocal_planted(void)
{
	static const struct {
		ow_connect6_fn fn;
		const char *want;
	} planted[] = {
		{ ow_guess_scope, "scope_id 0: expected no packet; observed " },
		{ ow_drop_scope, "the same s with scope_id lo: expected 1" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(planted); i++) {
		struct test_child_res r;
		char why[1024];

		ow_ll_connect6 = planted[i].fn;
		if (!test_child_in_netns(ow_child_linklocal, "3", &r))
			break;
		CU_ASSERT_FALSE(ow_ll_verdict(&r, why, sizeof(why)));
		CU_ASSERT_PTR_NOT_NULL(strstr(why, planted[i].want));
		printf("\n      planted %zu: %s", i, why);
	}
	ow_ll_connect6 = socket_fastopen_connect6;
}

/* Never SIGPIPE: the fallback's send goes out with MSG_NOSIGNAL. */
static void ow_child_nosigpipe(struct test_child_res *r)
{
	uint16_t port;
	int l = ow_listen(AF_INET, &port), c = socket(AF_INET, SOCK_STREAM, 0);
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };

	r->v[0] = socket_fastopen_connect4(c, ow_lo4, port, "a", 1);
	shutdown(c, SHUT_WR);
	r->v[1] = tfo_send_all(c, &iov, 1);
	/* connected already: EISCONN, nothing sent, no signal */
	r->v[2] = socket_fastopen_connect4(c, ow_lo4, port, "a", 1);
	r->v[3] = errno;
	close(c);
	close(l);
}

static void test_no_sigpipe(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(ow_child_nosigpipe, "2", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], 1);
	CU_ASSERT_EQUAL(r.v[1], -EPIPE);
	CU_ASSERT_EQUAL(r.v[2], -1);
	CU_ASSERT_EQUAL(r.v[3], EISCONN);
}

static void ow_child_connected(struct test_child_res *r)
{
	int c = socket(AF_INET, SOCK_STREAM, 0), u;

	r->v[0] = socket_connected(c);
	r->v[1] = errno;
	close(c);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	r->v[2] = socket_fastopen(u);
	close(u);
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[3] = socket_fastopen(c);
	close(c);
}

static void test_socket_connected_and_fastopen(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(ow_child_connected, "3", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], 0);
	CU_ASSERT_EQUAL(r.v[1], ENOTCONN);
	CU_ASSERT_EQUAL(r.v[2], -1);
	CU_ASSERT_EQUAL(r.v[3], 0);
}

TEST_SUITE(libtfo_owfat, NULL, NULL,
	   { "blocking TFO v4: cookie, then SYN data", test_blocking_tfo4 },
	   { "blocking TFO v6: cookie, then SYN data", test_blocking_tfo6 },
	   { "client bit off: connect+write once", test_client_bit_off_fallback },
	   { "len 0 still connects", test_len0_connects },
	   { "non-blocking: EINPROGRESS, SYN data, short count",
	     test_nonblocking },
	   { "ECONNREFUSED and socket_connected errno", test_econnrefused },
	   { "EBADF and ENOTSOCK", test_ebadf_enotsock },
	   { "v4-mapped targets", test_v4mapped },
	   { "link-local needs scope_id", test_linklocal_needs_scope },
	   { "link-local: a guessed or dropped scope fails (planted)",
	     test_linklocal_planted },
	   { "no SIGPIPE", test_no_sigpipe },
	   { "socket_connected/socket_fastopen basics",
	     test_socket_connected_and_fastopen })
