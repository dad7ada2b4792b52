// SPDX-License-Identifier: MIT
/*
 * Unit tests of libtfo's connectx/disconnectx for Linux (lib/connectx.c):
 * the ABI, XNU's validation order with *len and *connid left alone, source
 * interface/address binding, TFO with IDEMPOTENT, RESUME's deferred SYN,
 * UDP association and EMSGSIZE, and disconnectx.  Network tests fork a
 * child into a private network namespace (lo up, net.ipv4.tcp_fastopen
 * set there only) and report through a pipe; asserts run in the parent.
 * Needs root; skips otherwise.
 */
#include "tests/netns_child.h"
#include "tests/testlib.h"
#include "libtfo/connectx.h"
#include "libtfo/fastopen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- helpers ---- */

static struct sockaddr_in cxt_sin(const char *ip, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &sin.sin_addr);
	return sin;
}

static struct sockaddr_in6 cxt_sin6(const char *ip, uint16_t port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons(port) };

	inet_pton(AF_INET6, ip, &sin6.sin6_addr);
	return sin6;
}

/* TFO listener on 127.0.0.1 (backlog as given); returns fd, sets port. */
static int cxt_listen(int type, int backlog, uint16_t *port)
{
	struct sockaddr_in sin = cxt_sin("127.0.0.1", 0);
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, type, 0);

	if (type == SOCK_STREAM)
		socket_fastopen(fd);
	if (bind(fd, (void *)&sin, sl) ||
	    (type == SOCK_STREAM && listen(fd, backlog)) ||
	    getsockname(fd, (void *)&sin, &sl)) {
		close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

static int cxt_peer_errno(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	return getpeername(fd, (void *)&ss, &sl) ? errno : 0;
}

static uint16_t cxt_peer_port(int fd)
{
	struct sockaddr_in sin = { 0 };
	socklen_t sl = sizeof(sin);

	getpeername(fd, (void *)&sin, &sl);
	return ntohs(sin.sin_port);
}

#define SENT_LEN ((size_t)0x5a5a)
#define SENT_CID ((sae_connid_t)0xa5a5)

/* ---- ABI ---- */

static void test_abi(void)
{
	CU_ASSERT_EQUAL(sizeof(sae_associd_t), 4);
	CU_ASSERT_EQUAL(sizeof(sae_connid_t), 4);
	CU_ASSERT_EQUAL(SAE_ASSOCID_ANY, 0);
	CU_ASSERT_EQUAL(SAE_ASSOCID_ALL, 0xffffffffU);
	CU_ASSERT_EQUAL(SAE_CONNID_ANY, 0);
	CU_ASSERT_EQUAL(SAE_CONNID_ALL, 0xffffffffU);
	CU_ASSERT_EQUAL(CONNECT_RESUME_ON_READ_WRITE, 1);
	CU_ASSERT_EQUAL(CONNECT_DATA_IDEMPOTENT, 2);
	CU_ASSERT_EQUAL(CONNECT_DATA_AUTHENTICATED, 4);
	if (sizeof(void *) == 8) {
		CU_ASSERT_EQUAL(sizeof(sa_endpoints_t), 40);
		CU_ASSERT_EQUAL(offsetof(sa_endpoints_t, sae_srcif), 0);
		CU_ASSERT_EQUAL(offsetof(sa_endpoints_t, sae_srcaddr), 8);
		CU_ASSERT_EQUAL(offsetof(sa_endpoints_t, sae_srcaddrlen), 16);
		CU_ASSERT_EQUAL(offsetof(sa_endpoints_t, sae_dstaddr), 24);
		CU_ASSERT_EQUAL(offsetof(sa_endpoints_t, sae_dstaddrlen), 32);
	}
}

/* ---- validation: XNU's order, outputs untouched ---- */

/* v: pairs (ret==-1 ? errno : 1000) and untouched flags */
static void cx_child_validation(struct test_child_res *r)
{
	struct sockaddr_in dst = cxt_sin("127.0.0.1", 9);
	struct sockaddr_in6 dst6 = cxt_sin6("::1", 9);
	struct iovec iov = { "x", 1 };
	sa_endpoints_t ep = { .sae_dstaddr = (void *)&dst,
			      .sae_dstaddrlen = sizeof(dst) };
	sa_endpoints_t e;
	size_t len;
	sae_connid_t cid;
	int s = socket(AF_INET, SOCK_STREAM, 0), p[2], i = 0;

	if (pipe(p))
		return;
#define CHECK(call)                                                          \
	do {                                                                 \
		len = SENT_LEN;                                              \
		cid = SENT_CID;                                              \
		r->v[i++] = (call) == -1 ? errno : 1000;                     \
		r->v[i++] = len == SENT_LEN && cid == SENT_CID;              \
	} while (0)
	CHECK(connectx(-1, NULL, 0, 0, NULL, 0, &len, &cid));	   /* 0 EBADF */
	CHECK(connectx(p[0], NULL, 0, 0, NULL, 0, &len, &cid));	   /* 2 ENOTSOCK */
	CHECK(connectx(s, NULL, 0, 0, NULL, 0, &len, &cid));	   /* 4 EINVAL */
	e = ep;
	e.sae_srcaddr = (void *)&dst;
	e.sae_srcaddrlen = 300;
	e.sae_dstaddr = NULL;
	CHECK(connectx(s, &e, 0, 0, NULL, 0, &len, &cid)); /* 6 ENAMETOOLONG */
	e.sae_srcaddrlen = 0;
	CHECK(connectx(s, &e, 0, 0, NULL, 0, &len, &cid)); /* 8 EINVAL */
	e = ep;
	e.sae_dstaddr = NULL;
	CHECK(connectx(s, &e, 0, 0, NULL, 0, &len, &cid)); /* 10 EINVAL */
	e = ep;
	e.sae_dstaddrlen = 1;
	CHECK(connectx(s, &e, 0, 0, NULL, 0, &len, &cid)); /* 12 EINVAL */
	e.sae_dstaddrlen = 256;
	CHECK(connectx(s, &e, 0, 0, NULL, 0, &len, &cid)); /* 14 ENAMETOOLONG */
	CHECK(connectx(s, &ep, 0, 0, &iov, 0, &len, &cid)); /* 16 EINVAL */
	CHECK(connectx(s, &ep, 0, 0, &iov, 1025, &len, &cid)); /* 18 EINVAL */
	CHECK(connectx(s, &ep, 0, 0, &iov, 1, NULL, &cid)); /* 20 EINVAL */
	CHECK(connectx(s, &ep, 0, 0, (void *)8, 1, &len, &cid)); /* 22 EFAULT */
	CHECK(connectx(s, &ep, 42, 0, NULL, 0, &len, &cid)); /* 24 EINVAL */
	/* fd errors outrank argument errors; EFAULT outranks associd */
	CHECK(connectx(p[0], &ep, 0, 0, &iov, 0, &len, &cid)); /* 26 ENOTSOCK */
	CHECK(connectx(s, &ep, 42, 0, (void *)8, 1, &len, &cid)); /* 28 EFAULT */
	/* TFO fast path: the kernel finds it, still untouched */
	CHECK(connectx(s, &ep, 0, CONNECT_DATA_IDEMPOTENT, (void *)8, 1, &len,
		       &cid));					/* 30 EFAULT */
	/* family mismatch: protocol stage, outputs written */
	e = ep;
	e.sae_dstaddr = (void *)&dst6;
	e.sae_dstaddrlen = sizeof(dst6);
	CHECK(connectx(s, &e, 0, 0, NULL, 0, &len, &cid)); /* 32 EAFNOSUPPORT */
	r->v[i++] = len;					/* 34 */
	close(s);
	close(p[0]);
	close(p[1]);
#undef CHECK
}

static void test_validation_order(void)
{
	static const int want[] = { EBADF, ENOTSOCK, EINVAL, ENAMETOOLONG,
				    EINVAL, EINVAL, EINVAL, ENAMETOOLONG,
				    EINVAL, EINVAL, EINVAL, EFAULT, EINVAL,
				    ENOTSOCK, EFAULT, EFAULT };
	struct test_child_res r;
	unsigned int k;

	if (!test_child_in_netns(cx_child_validation, "3", &r))
		return;
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		CU_ASSERT_EQUAL(r.v[2 * k], want[k]);
		CU_ASSERT_TRUE(r.v[2 * k + 1]); /* *len, *connid untouched */
		if (r.v[2 * k] != want[k] || !r.v[2 * k + 1])
			printf("\n    validation row %u: errno %lld, want %d",
			       k, r.v[2 * k], want[k]);
	}
	CU_ASSERT_EQUAL(r.v[32], EAFNOSUPPORT);
	CU_ASSERT_FALSE(r.v[33]);
	CU_ASSERT_EQUAL(r.v[34], 0);
}

/* ---- socket state: EOPNOTSUPP, EISCONN, EALREADY ---- */

static void cx_child_state(struct test_child_res *r)
{
	uint16_t port;
	int l = cxt_listen(SOCK_STREAM, 0, &port), c1, c2, c3, fl;
	struct sockaddr_in dst = cxt_sin("127.0.0.1", port);
	sa_endpoints_t ep = { .sae_dstaddr = (void *)&dst,
			      .sae_dstaddrlen = sizeof(dst) };
	struct iovec iov = { "x", 1 };
	size_t len = SENT_LEN;
	int syncnt = 1;

	r->v[0] = connectx(l, &ep, 0, 0, NULL, 0, &len, NULL) ? errno : 0;
	r->v[1] = len;
	/* the iov's EFAULT comes before the state checks */
	r->v[2] = connectx(l, &ep, 0, 0, (void *)8, 1, &len, NULL) ? errno : 0;

	c1 = socket(AF_INET, SOCK_STREAM, 0);
	r->v[3] = connectx(c1, &ep, 0, 0, NULL, 0, NULL, NULL);
	r->v[4] = connectx(c1, &ep, 0, 0, NULL, 0, NULL, NULL) ? errno : 0;
	r->v[5] = connectx(c1, &ep, 0, CONNECT_DATA_IDEMPOTENT, &iov, 1, &len,
			   NULL) ? errno : 0;

	/* backlog 0 and c1 queued: further SYNs are dropped, SYN_SENT */
	c2 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(c2, IPPROTO_TCP, TCP_SYNCNT, &syncnt, sizeof(syncnt));
	r->v[6] = connect(c2, (void *)&dst, sizeof(dst)) ? errno : 0;
	r->v[7] = connectx(c2, &ep, 0, 0, NULL, 0, NULL, NULL) ? errno : 0;
	c3 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(c3, IPPROTO_TCP, TCP_SYNCNT, &syncnt, sizeof(syncnt));
	connect(c3, (void *)&dst, sizeof(dst));
	fl = fcntl(c3, F_GETFL);
	fcntl(c3, F_SETFL, fl & ~O_NONBLOCK);
	/* blocking while connecting: EALREADY (the page), at once */
	r->v[8] = connectx(c3, &ep, 0, 0, &iov, 1, &len, NULL) ? errno : 0;
	close(c1);
	close(c2);
	close(c3);
	close(l);
}

static void test_state_errors(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(cx_child_state, "3", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], EOPNOTSUPP);
	CU_ASSERT_EQUAL(r.v[1], 0); /* past validation: *len written */
	CU_ASSERT_EQUAL(r.v[2], EFAULT);
	CU_ASSERT_EQUAL(r.v[3], 0);
	CU_ASSERT_EQUAL(r.v[4], EISCONN);
	CU_ASSERT_EQUAL(r.v[5], EISCONN);
	CU_ASSERT_EQUAL(r.v[6], EINPROGRESS);
	CU_ASSERT_EQUAL(r.v[7], EALREADY);
	CU_ASSERT_EQUAL(r.v[8], EALREADY);
}

/* ---- plain TCP connects ---- */

static void cx_child_tcp_basic(struct test_child_res *r)
{
	uint16_t port;
	int l = cxt_listen(SOCK_STREAM, 16, &port), c;
	struct sockaddr_in dst = cxt_sin("127.0.0.1", port);
	struct sockaddr_in refused = cxt_sin("127.0.0.1", 1);
	sa_endpoints_t ep = { .sae_dstaddr = (void *)&dst,
			      .sae_dstaddrlen = sizeof(dst) };
	size_t len = SENT_LEN;
	sae_connid_t cid = SENT_CID;
	struct iovec iov[3] = { { "ab", 2 }, { "cde", 3 }, { "f", 1 } };

	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[0] = connectx(c, &ep, SAE_ASSOCID_ANY, 0, NULL, 7, &len, &cid);
	r->v[1] = len;
	r->v[2] = cid;
	r->v[3] = cxt_peer_errno(c);
	close(c);
	test_drain(l, 1000);

	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r->v[4] = connectx(c, &ep, 0, 0, NULL, 0, &len, &cid) ? errno : 0;
	r->v[5] = cid;
	close(c);
	test_drain(l, 1000);

	ep.sae_dstaddr = (void *)&refused;
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[6] = connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL) ? errno : 0;
	close(c);
	ep.sae_dstaddr = (void *)&dst;

	/* data without IDEMPOTENT: after the handshake, all of it, in order */
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[7] = connectx(c, &ep, 0, 0, iov, 3, &len, &cid);
	r->v[8] = len;
	r->v[9] = test_syn_data(c);
	close(c);
	r->v[10] = test_drain(l, 1000);

	/* unknown flags are ignored */
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[11] = connectx(c, &ep, 0, 0x80000000u, NULL, 0, NULL, NULL);
	close(c);
	test_drain(l, 1000);
	close(l);
}

static void test_tcp_basic(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(cx_child_tcp_basic, "3", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], 0);
	CU_ASSERT_EQUAL(r.v[1], 0);
	CU_ASSERT_EQUAL(r.v[2], 1);
	CU_ASSERT_EQUAL(r.v[3], 0);
	CU_ASSERT_EQUAL(r.v[4], EINPROGRESS);
	CU_ASSERT_EQUAL(r.v[5], 1);
	CU_ASSERT_EQUAL(r.v[6], ECONNREFUSED);
	CU_ASSERT_EQUAL(r.v[7], 0);
	CU_ASSERT_EQUAL(r.v[8], 6);
	CU_ASSERT_EQUAL(r.v[9], 0);
	CU_ASSERT_EQUAL(r.v[10], 6);
	CU_ASSERT_EQUAL(r.v[11], 0);
}

/* ---- addresses: srcaddr, srcif, both, destination rules ---- */

static void cx_child_addresses(struct test_child_res *r)
{
	uint16_t port, free_port;
	int l = cxt_listen(SOCK_STREAM, 16, &port), c, tmp;
	struct sockaddr_in dst = cxt_sin("127.0.0.1", port);
	struct sockaddr_in src, got;
	sa_endpoints_t ep = { .sae_dstaddr = (void *)&dst,
			      .sae_dstaddrlen = sizeof(dst) };
	socklen_t sl = sizeof(got);
	unsigned int lo = if_nametoindex("lo");
	int idx = 0;

	tmp = cxt_listen(SOCK_DGRAM, 0, &free_port); /* a free port */
	close(tmp);
	src = cxt_sin("127.0.0.1", free_port);
	ep.sae_srcaddr = (void *)&src;
	ep.sae_srcaddrlen = sizeof(src);
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[0] = connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL);
	getsockname(c, (void *)&got, &sl);
	r->v[1] = ntohs(got.sin_port) == free_port;
	close(c);
	test_drain(l, 1000);

	src = cxt_sin("127.0.0.1", port); /* held by the listener */
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[2] = connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL) ? errno : 0;
	close(c);
	src = cxt_sin("192.0.2.1", 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[3] = connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL) ? errno : 0;
	close(c);

	ep.sae_srcaddr = NULL;
	ep.sae_srcaddrlen = 99; /* ignored without sae_srcaddr */
	ep.sae_srcif = lo;
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[4] = connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL);
	sl = sizeof(idx);
	getsockopt(c, SOL_SOCKET, SO_BINDTOIFINDEX, &idx, &sl);
	r->v[5] = idx == (int)lo;
	close(c);
	test_drain(l, 1000);
	ep.sae_srcif = 0xffff;
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[6] = connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL) ? errno : 0;
	close(c);

	/* both: 127.0.0.2 is local on Linux (127/8) but not lo's address */
	ep.sae_srcif = lo;
	ep.sae_srcaddr = (void *)&src;
	ep.sae_srcaddrlen = sizeof(src);
	src = cxt_sin("127.0.0.2", 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[7] = connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL) ? errno : 0;
	close(c);
	src = cxt_sin("127.0.0.1", 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[8] = connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL);
	close(c);
	test_drain(l, 1000);
	ep.sae_srcif = 0;
	ep.sae_srcaddr = NULL;

	/* destination rules Darwin enforces and Linux does not */
	dst = cxt_sin("127.0.0.1", 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[9] = connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL) ? errno : 0;
	close(c);
	dst = cxt_sin("224.0.0.1", 80);
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[10] = connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL) ? errno : 0;
	close(c);
	tmp = cxt_listen(SOCK_DGRAM, 0, &free_port);
	close(tmp);
	dst = cxt_sin("127.0.0.1", free_port);
	src = dst;
	ep.sae_srcaddr = (void *)&src;
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[11] = connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL) ? errno : 0;
	close(c);
	dst = cxt_sin("127.0.0.1", port);
	ep.sae_srcaddr = NULL;
	ep.sae_dstaddrlen = sizeof(dst) + 1;
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[12] = connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL) ? errno : 0;
	close(c);
	close(l);
}

static void test_addresses(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(cx_child_addresses, "3", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], 0);
	CU_ASSERT_TRUE(r.v[1]);
	CU_ASSERT_EQUAL(r.v[2], EADDRINUSE);
	CU_ASSERT_EQUAL(r.v[3], EADDRNOTAVAIL);
	CU_ASSERT_EQUAL(r.v[4], 0);
	CU_ASSERT_TRUE(r.v[5]);
	CU_ASSERT_EQUAL(r.v[6], ENXIO);
	CU_ASSERT_EQUAL(r.v[7], EADDRNOTAVAIL);
	CU_ASSERT_EQUAL(r.v[8], 0);
	CU_ASSERT_EQUAL(r.v[9], EADDRNOTAVAIL);
	CU_ASSERT_EQUAL(r.v[10], EAFNOSUPPORT);
	CU_ASSERT_EQUAL(r.v[11], EINVAL);
	CU_ASSERT_EQUAL(r.v[12], EINVAL);
}

/* ---- TFO: IDEMPOTENT and RESUME ---- */

static void cx_child_idempotent(struct test_child_res *r)
{
	uint16_t port;
	int l = cxt_listen(SOCK_STREAM, 16, &port), c;
	struct sockaddr_in dst = cxt_sin("127.0.0.1", port);
	sa_endpoints_t ep = { .sae_dstaddr = (void *)&dst,
			      .sae_dstaddrlen = sizeof(dst) };
	struct iovec iov = { "hello", 5 };
	size_t len;
	sae_connid_t cid;

	for (int i = 0; i < 2; i++) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		r->v[5 * i] = connectx(c, &ep, 0, CONNECT_DATA_IDEMPOTENT,
				       &iov, 1, &len, &cid);
		r->v[5 * i + 1] = len;
		r->v[5 * i + 2] = cid;
		r->v[5 * i + 3] = test_syn_data(c);
		close(c);
		r->v[5 * i + 4] = test_drain(l, 1000);
	}
	/* non-blocking with the cookie: enqueued in the SYN */
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r->v[10] = connectx(c, &ep, 0, CONNECT_DATA_IDEMPOTENT, &iov, 1,
			    &len, NULL) ? errno : 0;
	r->v[11] = len;
	{
		struct pollfd pf = { .fd = c, .events = POLLOUT };

		poll(&pf, 1, 1000);
	}
	r->v[12] = test_syn_data(c);
	close(c);
	r->v[13] = test_drain(l, 1000);
	/* IDEMPOTENT with neither iov nor RESUME: a plain connect */
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[14] = connectx(c, &ep, 0, CONNECT_DATA_IDEMPOTENT, NULL, 0,
			    NULL, NULL);
	r->v[15] = cxt_peer_errno(c);
	close(c);
	test_drain(l, 1000);
	close(l);
}

static void test_idempotent_tfo(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(cx_child_idempotent, "3", &r))
		return;
	for (int i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL(r.v[5 * i], 0);
		CU_ASSERT_EQUAL(r.v[5 * i + 1], 5);
		CU_ASSERT_EQUAL(r.v[5 * i + 2], 1);
		CU_ASSERT_EQUAL(r.v[5 * i + 4], 5);
	}
	CU_ASSERT_EQUAL(r.v[3], 0);
	CU_ASSERT_EQUAL(r.v[8], TCPI_OPT_SYN_DATA);
	/* lo may finish the handshake within the call: 0 or EINPROGRESS */
	CU_ASSERT_TRUE(r.v[10] == 0 || r.v[10] == EINPROGRESS);
	CU_ASSERT_EQUAL(r.v[11], 5);
	CU_ASSERT_EQUAL(r.v[12], TCPI_OPT_SYN_DATA);
	CU_ASSERT_EQUAL(r.v[13], 5);
	CU_ASSERT_EQUAL(r.v[14], 0);
	CU_ASSERT_EQUAL(r.v[15], 0);
}

static void cx_child_resume(struct test_child_res *r)
{
	uint16_t port;
	int l = cxt_listen(SOCK_STREAM, 16, &port), c;
	struct sockaddr_in dst = cxt_sin("127.0.0.1", port);
	sa_endpoints_t ep = { .sae_dstaddr = (void *)&dst,
			      .sae_dstaddrlen = sizeof(dst) };
	const unsigned int fl = CONNECT_RESUME_ON_READ_WRITE |
				CONNECT_DATA_IDEMPOTENT;
	struct pollfd pl = { .fd = l, .events = POLLIN };
	size_t len = SENT_LEN;
	sae_connid_t cid = SENT_CID;

	/* first contact, non-blocking: no cookie yet, still 0 at once */
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r->v[0] = connectx(c, &ep, 0, fl, NULL, 0, &len, &cid);
	r->v[1] = len;
	r->v[2] = cid;
	{
		struct pollfd pf = { .fd = c, .events = POLLOUT };

		poll(&pf, 1, 1000);
	}
	r->v[3] = write(c, "hi", 2);
	close(c);
	r->v[4] = test_drain(l, 1000);

	/* cookie cached: nothing on the wire until the first write */
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[5] = connectx(c, &ep, 0, fl, NULL, 0, &len, &cid);
	r->v[6] = cxt_peer_errno(c);
	r->v[7] = poll(&pl, 1, 100); /* the listener saw nothing */
	r->v[8] = write(c, "hello", 5);
	r->v[9] = test_syn_data(c);
	close(c);
	r->v[10] = test_drain(l, 1000);
	close(l);
}

static void test_resume(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(cx_child_resume, "3", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], 0);
	CU_ASSERT_EQUAL(r.v[1], 0);
	CU_ASSERT_EQUAL(r.v[2], 1);
	CU_ASSERT_EQUAL(r.v[3], 2);
	CU_ASSERT_EQUAL(r.v[4], 2);
	CU_ASSERT_EQUAL(r.v[5], 0);
	CU_ASSERT_EQUAL(r.v[6], ENOTCONN);
	CU_ASSERT_EQUAL(r.v[7], 0);
	CU_ASSERT_EQUAL(r.v[8], 5);
	CU_ASSERT_EQUAL(r.v[9], TCPI_OPT_SYN_DATA);
	CU_ASSERT_EQUAL(r.v[10], 5);
}

/* ---- UDP ---- */

static void cx_child_udp(struct test_child_res *r)
{
	static char big[70000];
	uint16_t pa, pb;
	int a = cxt_listen(SOCK_DGRAM, 0, &pa), b = cxt_listen(SOCK_DGRAM, 0,
								 &pb);
	struct sockaddr_in da = cxt_sin("127.0.0.1", pa);
	struct sockaddr_in db = cxt_sin("127.0.0.1", pb);
	sa_endpoints_t ep = { .sae_dstaddr = (void *)&da,
			      .sae_dstaddrlen = sizeof(da) };
	char data[100], rx[200];
	struct iovec iov[3] = { { data, 10 }, { data + 10, 80 },
				{ data + 90, 10 } };
	struct iovec bigv = { big, sizeof(big) };
	size_t len = SENT_LEN;
	sae_connid_t cid = SENT_CID;
	int u = socket(AF_INET, SOCK_DGRAM, 0);

	memset(data, 'u', sizeof(data));
	r->v[0] = connectx(u, &ep, 0, 0, NULL, 0, &len, &cid);
	r->v[1] = cid;
	r->v[2] = cxt_peer_port(u) == pa;
	r->v[3] = connectx(u, &ep, 0, 0, iov, 3, &len, &cid);
	r->v[4] = len;
	r->v[5] = recv(a, rx, sizeof(rx), MSG_DONTWAIT);
	r->v[6] = recv(a, rx, sizeof(rx), MSG_DONTWAIT);
	/* re-associate to B */
	ep.sae_dstaddr = (void *)&db;
	r->v[7] = connectx(u, &ep, 0, CONNECT_RESUME_ON_READ_WRITE, NULL, 0,
			   NULL, NULL);
	r->v[8] = cxt_peer_port(u) == pb;
	/* too large for one datagram: EMSGSIZE, still associated to B */
	ep.sae_dstaddr = (void *)&da;
	len = SENT_LEN;
	r->v[9] = connectx(u, &ep, 0, 0, &bigv, 1, &len, NULL) ? errno : 0;
	r->v[10] = len;
	r->v[11] = cxt_peer_port(u) == pb;
	/* dissolve, send fails, dissolve again fails, re-associate */
	r->v[12] = disconnectx(u, SAE_ASSOCID_ANY, SAE_CONNID_ANY);
	r->v[13] = send(u, "x", 1, 0) < 0 ? errno : 0;
	r->v[14] = disconnectx(u, SAE_ASSOCID_ANY, SAE_CONNID_ANY) ? errno : 0;
	r->v[15] = connectx(u, &ep, 0, 0, NULL, 0, NULL, NULL);
	r->v[16] = cxt_peer_port(u) == pa;
	close(u);
	/* unassociated + EMSGSIZE: stays unassociated */
	u = socket(AF_INET, SOCK_DGRAM, 0);
	r->v[17] = connectx(u, &ep, 0, 0, &bigv, 1, &len, NULL) ? errno : 0;
	r->v[18] = cxt_peer_errno(u);
	close(u);
	close(a);
	close(b);
}

static void test_udp(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(cx_child_udp, "3", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], 0);
	CU_ASSERT_EQUAL(r.v[1], 1);
	CU_ASSERT_TRUE(r.v[2]);
	CU_ASSERT_EQUAL(r.v[3], 0);
	CU_ASSERT_EQUAL(r.v[4], 100);
	CU_ASSERT_EQUAL(r.v[5], 100); /* one datagram of 100 bytes */
	CU_ASSERT_EQUAL(r.v[6], -1);
	CU_ASSERT_EQUAL(r.v[7], 0);
	CU_ASSERT_TRUE(r.v[8]);
	CU_ASSERT_EQUAL(r.v[9], EMSGSIZE);
	CU_ASSERT_EQUAL(r.v[10], 0);
	CU_ASSERT_TRUE(r.v[11]);
	CU_ASSERT_EQUAL(r.v[12], 0);
	CU_ASSERT_EQUAL(r.v[13], EDESTADDRREQ);
	CU_ASSERT_EQUAL(r.v[14], ENOTCONN);
	CU_ASSERT_EQUAL(r.v[15], 0);
	CU_ASSERT_TRUE(r.v[16]);
	CU_ASSERT_EQUAL(r.v[17], EMSGSIZE);
	CU_ASSERT_EQUAL(r.v[18], ENOTCONN);
}

/* ---- disconnectx ---- */

static void cx_child_disconnect(struct test_child_res *r)
{
	uint16_t port;
	int l = cxt_listen(SOCK_STREAM, 16, &port), c, a, un, p[2];
	struct sockaddr_in dst = cxt_sin("127.0.0.1", port);
	sa_endpoints_t ep = { .sae_dstaddr = (void *)&dst,
			      .sae_dstaddrlen = sizeof(dst) };
	char b;

	if (pipe(p))
		return;
	r->v[0] = disconnectx(-1, 0, 0) ? errno : 0;
	r->v[1] = disconnectx(p[0], 0, 0) ? errno : 0;
	un = socket(AF_UNIX, SOCK_STREAM, 0);
	r->v[2] = disconnectx(un, 0, 0) ? errno : 0;
	close(un);
	c = socket(AF_INET, SOCK_STREAM, 0);
	connectx(c, &ep, 0, 0, NULL, 0, NULL, NULL);
	a = accept(l, NULL, NULL);
	r->v[3] = disconnectx(c, 5, 0) ? errno : 0;
	r->v[4] = disconnectx(c, SAE_ASSOCID_ALL, 12345);
	r->v[5] = read(a, &b, 1); /* EOF at the peer */
	r->v[6] = send(c, "x", 1, MSG_NOSIGNAL) < 0 ? errno : 0;
	r->v[7] = disconnectx(c, 0, 0);
	close(c);
	close(a);
	/* never connected: 0, not ENOTCONN */
	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[8] = disconnectx(c, 0, 0);
	close(c);
	close(l);
	close(p[0]);
	close(p[1]);
}

static void test_disconnectx(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(cx_child_disconnect, "3", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], EBADF);
	CU_ASSERT_EQUAL(r.v[1], ENOTSOCK);
	CU_ASSERT_EQUAL(r.v[2], EOPNOTSUPP);
	CU_ASSERT_EQUAL(r.v[3], EINVAL);
	CU_ASSERT_EQUAL(r.v[4], 0);
	CU_ASSERT_EQUAL(r.v[5], 0);
	CU_ASSERT_EQUAL(r.v[6], EPIPE);
	CU_ASSERT_EQUAL(r.v[7], 0);
	CU_ASSERT_EQUAL(r.v[8], 0);
}

/* Client bit off: IDEMPOTENT data still goes, by connect + write. */
static void cx_child_no_tfo(struct test_child_res *r)
{
	uint16_t port;
	int l = cxt_listen(SOCK_STREAM, 16, &port), c;
	struct sockaddr_in dst = cxt_sin("127.0.0.1", port);
	sa_endpoints_t ep = { .sae_dstaddr = (void *)&dst,
			      .sae_dstaddrlen = sizeof(dst) };
	struct iovec iov = { "hello", 5 };
	size_t len = 0;

	c = socket(AF_INET, SOCK_STREAM, 0);
	r->v[0] = connectx(c, &ep, 0, CONNECT_DATA_IDEMPOTENT, &iov, 1, &len,
			   NULL);
	r->v[1] = len;
	close(c);
	r->v[2] = test_drain(l, 1000);
	/* RESUME without TFO: success at once, the SYN goes now (Linux
	 * cannot defer it without a cookie), and the first write's bytes
	 * arrive once, after the handshake, not in the SYN */
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	r->v[3] = connectx(c, &ep, 0, CONNECT_DATA_IDEMPOTENT |
			   CONNECT_RESUME_ON_READ_WRITE, NULL, 0, NULL, NULL);
	{
		struct pollfd pf = { .fd = c, .events = POLLOUT };

		r->v[4] = poll(&pf, 1, 2000);
	}
	r->v[5] = cxt_peer_errno(c);
	r->v[6] = send(c, "world", 5, MSG_NOSIGNAL);
	r->v[7] = test_syn_data(c);
	close(c);
	r->v[8] = test_drain(l, 1000);
	close(l);
}

static void test_client_bit_off(void)
{
	struct test_child_res r;

	if (!test_child_in_netns(cx_child_no_tfo, "2", &r))
		return;
	CU_ASSERT_EQUAL(r.v[0], 0);
	CU_ASSERT_EQUAL(r.v[1], 5);
	CU_ASSERT_EQUAL(r.v[2], 5);
	CU_ASSERT_EQUAL(r.v[3], 0);
	CU_ASSERT_EQUAL(r.v[4], 1);	/* connected in the background */
	CU_ASSERT_EQUAL(r.v[5], 0);
	CU_ASSERT_EQUAL(r.v[6], 5);
	CU_ASSERT_EQUAL(r.v[7], 0);	/* client bit off: nothing in the SYN */
	CU_ASSERT_EQUAL(r.v[8], 5);	/* the write's bytes, once */
}

TEST_SUITE(libtfo_connectx, NULL, NULL,
	   { "ABI: constants and sa_endpoints_t layout", test_abi },
	   { "validation in XNU order, outputs untouched",
	     test_validation_order },
	   { "EOPNOTSUPP, EISCONN, EALREADY", test_state_errors },
	   { "TCP connect, EINPROGRESS, ECONNREFUSED, data", test_tcp_basic },
	   { "srcaddr, srcif, both, destination rules", test_addresses },
	   { "IDEMPOTENT: TFO with cookie", test_idempotent_tfo },
	   { "RESUME: no SYN until the first write", test_resume },
	   { "UDP associate, EMSGSIZE, disconnect, re-associate", test_udp },
	   { "disconnectx", test_disconnectx },
	   { "client bit off: IDEMPOTENT falls back", test_client_bit_off })
