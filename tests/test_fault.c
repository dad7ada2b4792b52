/* SPDX-License-Identifier: MIT */
/*
 * Tests of netns/fault.c: every fault, in a real TOPO_ROUTED topology, for
 * IPv4 and IPv6, produces the outcome its documentation promises (errno
 * and timing, or the wire evidence), and nothing lands in the namespace
 * the tests run in.
 *
 * The outcomes take up to 3 s each (SYN timeouts, ICMP errors that only
 * count on the retransmitted SYN), so every (fault, family) scenario runs
 * in its own forked child with its own topology, all at once, and sends
 * its measurements back over a pipe; the parent makes the CUnit
 * assertions.  The suite takes about as long as the slowest scenario.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nftables/libnftables.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"
#include "harness/wire.h"
#include "netns/fault.h"
#include "netns/netns.h"
#include "netns/topo.h"
#include "tests/testlib.h"

#define FT_PORT 7100
#define FT_LEN 100

enum ft_kind {
	FT_CONNECT,	/* blocking connect: errno and time */
	FT_SYN_DATA,	/* cookie, then SYN-data: delivered, not in the SYN */
	FT_STRIP,	/* three TFO connections, no TFO option at the server */
	FT_AFTER_HS,	/* connect ok, data never reaches the server */
};

struct ft_case {
	enum fault fault;
	enum topo_family fam;
	enum ft_kind kind;
	int err;		/* expected errno (FT_CONNECT), 0 = success */
	double min_ms, max_ms;	/* expected duration of the key call */
};

/* What a child measured. */
struct ft_result {
	int setup;		/* 0, or -errno of the harness step that failed */
	char what[160];		/* which step / detail */
	int err;		/* errno of the key call, 0 = success */
	double ms;		/* its duration */
	unsigned delivered;	/* bytes the server read */
	bool syn_data_acked;	/* tcpi_options & TCPI_OPT_SYN_DATA */
	unsigned tfo_opts_at_server; /* SYNs/SYN-ACKs with any TFO option */
	unsigned syn_payload_at_server; /* SYNs arriving with payload */
	char wire[512];		/* seen at the server */
	char cwire[512];	/* seen at the client (diagnostics) */
	unsigned cframes;	/* frames at the client, ARP/NDP included */
};

static int ft_client(const struct topo *t, enum topo_family fam)
{
	int fd = topo_socket(t, ROLE_CLIENT, topo_family_domain(fam),
			     SOCK_STREAM, 0), one = 1;

	/* one retransmission: SYN timeouts after 3 s instead of 127 s */
	if (fd >= 0 && setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &one, sizeof(one))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Accept one connection and read what arrives within wait_ms. */
static unsigned ft_server_read(int lfd, int wait_ms)
{
	struct pollfd p = { lfd, POLLIN, 0 };
	char buf[4096];
	unsigned got = 0;
	int c;

	if (poll(&p, 1, wait_ms) != 1)
		return 0;
	c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return 0;
	for (;;) {
		struct pollfd q = { c, POLLIN, 0 };
		ssize_t n;

		if (poll(&q, 1, wait_ms) != 1)
			break;
		n = recv(c, buf, sizeof(buf), MSG_DONTWAIT);
		if (n <= 0)
			break;
		got += (unsigned)n;
		if (got >= FT_LEN)
			break;
	}
	close(c);
	return got;
}

static bool ft_syn_data_acked(int fd)
{
	struct tcp_info ti;
	socklen_t l = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &l))
		return false;
	return ti.tcpi_options & TCPI_OPT_SYN_DATA;
}

/* One blocking sendto(MSG_FASTOPEN) connection; returns the errno. */
static int ft_tfo_send(const struct topo *t, enum topo_family fam, int lfd,
		       struct ft_result *r)
{
	struct sockaddr_storage ss;
	char data[FT_LEN];
	socklen_t len;
	double t0;
	ssize_t n;
	int fd, err = 0;

	memset(data, 'd', sizeof(data));
	fd = ft_client(t, fam);
	if (fd < 0)
		return -fd;
	topo_server_addr(t, fam, FT_PORT, &ss, &len);
	t0 = util_now_ms();
	n = sendto(fd, data, sizeof(data), MSG_FASTOPEN, (struct sockaddr *)&ss,
		   len);
	if (n < 0)
		err = errno;
	r->ms = util_now_ms() - t0;
	r->syn_data_acked = ft_syn_data_acked(fd);
	r->delivered = ft_server_read(lfd, 500);
	close(fd);
	return err;
}

static void ft_wire_count(struct wire *w, struct ft_result *r)
{
	for (size_t i = 0; i < wire_count(w); i++) {
		const struct wire_pkt *p = wire_get(w, i);

		if ((p->flags & WIRE_SYN) && p->tfo != WIRE_TFO_NONE)
			r->tfo_opts_at_server++;
		if ((p->flags & WIRE_SYN) && p->dir == WIRE_TO_SERVER &&
		    p->payload_len)
			r->syn_payload_at_server++;
	}
	wire_describe(w, r->wire, sizeof(r->wire));
}

static void ft_case_run(const struct ft_case *c, struct ft_result *r)
{
	struct topo t;
	struct wire *w = NULL, *cw = NULL;
	struct sockaddr_storage ss;
	struct topo tc;
	socklen_t len;
	double t0;
	int lfd = -1, fd = -1, ret;

	ret = topo_build(&t, TOPO_ROUTED, profile_default());
	if (ret) {
		r->setup = ret;
		snprintf(r->what, sizeof(r->what), "topo_build");
		return;
	}
	ret = fault_apply(&t, c->fault);
	if (ret) {
		snprintf(r->what, sizeof(r->what), "fault_apply: %s",
			 fault_last_error());
		goto out;
	}
	lfd = topo_listener(&t, c->fam, FT_PORT, 16);
	if (lfd < 0) {
		ret = lfd;
		snprintf(r->what, sizeof(r->what), "listener");
		goto out;
	}
	ret = wire_open(&w, &t);
	if (ret) {
		snprintf(r->what, sizeof(r->what), "wire_open");
		goto out;
	}
	/* the same observer on the client's veth: a topology whose "server"
	 * is the client tells what left the client (for failure messages) */
	tc = t;
	tc.host[ROLE_SERVER].nsfd = t.host[ROLE_CLIENT].nsfd;
	tc.server_ifindex = t.client_ifindex;
	ret = wire_open(&cw, &tc);
	if (ret) {
		snprintf(r->what, sizeof(r->what), "wire_open (client side)");
		goto out;
	}
	switch (c->kind) {
	case FT_CONNECT:
		fd = ft_client(&t, c->fam);
		if (fd < 0) {
			ret = fd;
			snprintf(r->what, sizeof(r->what), "client socket");
			goto out;
		}
		topo_server_addr(&t, c->fam, FT_PORT, &ss, &len);
		t0 = util_now_ms();
		r->err = connect(fd, (struct sockaddr *)&ss, len) ? errno : 0;
		r->ms = util_now_ms() - t0;
		break;
	case FT_SYN_DATA:
		/* first contact: the data-less cookie request passes */
		r->err = ft_tfo_send(&t, c->fam, lfd, r);
		if (r->err || !r->delivered) {
			snprintf(r->what, sizeof(r->what),
				 "first connection: %s, %u bytes",
				 util_errno_name(r->err), r->delivered);
			break;
		}
		r->err = ft_tfo_send(&t, c->fam, lfd, r);
		break;
	case FT_STRIP:
		for (int i = 0; i < 3 && !r->err; i++) {
			r->err = ft_tfo_send(&t, c->fam, lfd, r);
			if (r->syn_data_acked || r->delivered != FT_LEN)
				break;
		}
		break;
	case FT_AFTER_HS:
		fd = ft_client(&t, c->fam);
		if (fd < 0) {
			ret = fd;
			snprintf(r->what, sizeof(r->what), "client socket");
			goto out;
		}
		topo_server_addr(&t, c->fam, FT_PORT, &ss, &len);
		t0 = util_now_ms();
		r->err = connect(fd, (struct sockaddr *)&ss, len) ? errno : 0;
		r->ms = util_now_ms() - t0;
		if (!r->err) {
			char data[FT_LEN];

			memset(data, 'd', sizeof(data));
			if (write(fd, data, sizeof(data)) != (ssize_t)sizeof(data))
				r->err = errno;
			r->delivered = ft_server_read(lfd, 400);
		}
		break;
	}
	if (w && !wire_collect(w, 20))
		ft_wire_count(w, r);
	if (cw && !wire_collect(cw, 0)) {
		wire_describe(cw, r->cwire, sizeof(r->cwire));
		r->cframes = (unsigned)wire_frames(cw);
	}
out:
	if (ret && !r->setup)
		r->setup = ret;
	wire_close(cw);
	wire_close(w);
	if (fd >= 0)
		close(fd);
	if (lfd >= 0)
		close(lfd);
	topo_destroy(&t);
}

/* The scenarios.  Times are for blocking calls with TCP_SYNCNT=1. */
static const struct ft_case ft_cases[] = {
	{ FAULT_NONE, FAM_IPV4, FT_CONNECT, 0, 0, 100 },
	{ FAULT_DROP_SYN, FAM_IPV4, FT_CONNECT, ETIMEDOUT, 2800, 3600 },
	{ FAULT_DROP_SYN, FAM_IPV6, FT_CONNECT, ETIMEDOUT, 2800, 3600 },
	{ FAULT_RST_SYN, FAM_IPV4, FT_CONNECT, ECONNREFUSED, 0, 100 },
	{ FAULT_RST_SYN, FAM_IPV6, FT_CONNECT, ECONNREFUSED, 0, 100 },
	{ FAULT_ICMP_HOST_UNREACH, FAM_IPV4, FT_CONNECT, EHOSTUNREACH, 900, 1600 },
	{ FAULT_ICMP_HOST_UNREACH, FAM_IPV6, FT_CONNECT, EHOSTUNREACH, 900, 1600 },
	{ FAULT_ICMP_NET_UNREACH, FAM_IPV4, FT_CONNECT, ENETUNREACH, 900, 1600 },
	{ FAULT_ICMP_NET_UNREACH, FAM_IPV6, FT_CONNECT, ENETUNREACH, 900, 1600 },
	{ FAULT_ICMP_ADMIN_PROHIB, FAM_IPV4, FT_CONNECT, EHOSTUNREACH, 900, 1600 },
	{ FAULT_ICMP_ADMIN_PROHIB, FAM_IPV6, FT_CONNECT, EACCES, 900, 1600 },
	{ FAULT_DROP_SYN_DATA, FAM_IPV4, FT_SYN_DATA, 0, 900, 1600 },
	{ FAULT_DROP_SYN_DATA, FAM_IPV6, FT_SYN_DATA, 0, 900, 1600 },
	{ FAULT_STRIP_TFO, FAM_IPV4, FT_STRIP, 0, 0, 100 },
	{ FAULT_STRIP_TFO, FAM_IPV6, FT_STRIP, 0, 0, 100 },
	{ FAULT_DROP_AFTER_HANDSHAKE, FAM_IPV4, FT_AFTER_HS, 0, 0, 100 },
	{ FAULT_DROP_AFTER_HANDSHAKE, FAM_IPV6, FT_AFTER_HS, 0, 0, 100 },
	/* control: without the fault the second connection is 0-RTT */
	{ FAULT_NONE, FAM_IPV6, FT_SYN_DATA, 0, 0, 100 },
};

#define FT_N ARRAY_SIZE(ft_cases)

static struct ft_result ft_results[FT_N];
static bool ft_ran;

/* Fork one child per scenario, collect every result. */
static int ft_run_all(void)
{
	pid_t pid[FT_N];
	int fds[FT_N];

	if (ft_ran)
		return 0;
	ft_ran = true;
	fflush(NULL);
	for (size_t i = 0; i < FT_N; i++) {
		int p[2];

		pid[i] = -1;
		fds[i] = -1;
		if (pipe2(p, O_CLOEXEC)) {
			ft_results[i].setup = -errno;
			continue;
		}
		pid[i] = fork();
		if (pid[i] == 0) {
			struct ft_result r;

			memset(&r, 0, sizeof(r));
			close(p[0]);
			alarm(15);	/* never hang the suite */
			ft_case_run(&ft_cases[i], &r);
			(void)!write(p[1], &r, sizeof(r));
			_exit(0);
		}
		close(p[1]);
		if (pid[i] < 0) {
			ft_results[i].setup = -errno;
			close(p[0]);
			continue;
		}
		fds[i] = p[0];
	}
	for (size_t i = 0; i < FT_N; i++) {
		if (fds[i] < 0)
			continue;
		if (read(fds[i], &ft_results[i], sizeof(ft_results[i])) !=
		    (ssize_t)sizeof(ft_results[i])) {
			ft_results[i].setup = -EPIPE;
			snprintf(ft_results[i].what, sizeof(ft_results[i].what),
				 "child died (timeout?)");
		}
		close(fds[i]);
		waitpid(pid[i], NULL, 0);
	}
	return 0;
}

/* Assert on every scenario of fault f. */
static void ft_check(enum fault f)
{
	if (!test_is_root()) {
		test_skip("fault tests need root (network namespaces)");
		return;
	}
	ft_run_all();
	for (size_t i = 0; i < FT_N; i++) {
		const struct ft_case *c = &ft_cases[i];
		const struct ft_result *r = &ft_results[i];
		bool ok;

		if (c->fault != f)
			continue;
		printf("\n      %-22s %-5s %-12s %7.1f ms delivered=%u syndata=%d tfo@srv=%u synpay@srv=%u | %s",
		       fault_name(f), topo_family_name(c->fam),
		       r->err ? util_errno_name(r->err) : "ok", r->ms,
		       r->delivered, r->syn_data_acked, r->tfo_opts_at_server,
		       r->syn_payload_at_server, r->wire);
		if (r->setup) {
			printf("\n      setup failed: %s: %s", r->what,
			       util_errno_name(-r->setup));
			CU_FAIL("scenario setup failed");
			continue;
		}
		CU_ASSERT_EQUAL(r->err, c->err);
		ok = r->ms >= c->min_ms && r->ms <= c->max_ms;
		CU_ASSERT(ok);
		if (!ok || r->err != c->err)
			printf("\n      unexpected; at the client (%u frames): %s",
			       r->cframes, r->cwire);
		switch (c->kind) {
		case FT_CONNECT:
			break;
		case FT_SYN_DATA:
			CU_ASSERT_EQUAL(r->delivered, FT_LEN);
			if (f == FAULT_NONE) {
				CU_ASSERT(r->syn_data_acked);
				CU_ASSERT(r->syn_payload_at_server == 1);
			} else {
				/* the SYN-data never reached the server */
				CU_ASSERT(!r->syn_data_acked);
				CU_ASSERT(r->syn_payload_at_server == 0);
			}
			break;
		case FT_STRIP:
			CU_ASSERT_EQUAL(r->delivered, FT_LEN);
			CU_ASSERT(!r->syn_data_acked);
			CU_ASSERT(r->tfo_opts_at_server == 0);
			CU_ASSERT(r->syn_payload_at_server == 0);
			break;
		case FT_AFTER_HS:
			CU_ASSERT_EQUAL(r->delivered, 0);
			break;
		}
	}
}

static void test_fault_none(void) { ft_check(FAULT_NONE); }
static void test_fault_drop_syn(void) { ft_check(FAULT_DROP_SYN); }
static void test_fault_drop_syn_data(void) { ft_check(FAULT_DROP_SYN_DATA); }
static void test_fault_strip_tfo(void) { ft_check(FAULT_STRIP_TFO); }
static void test_fault_rst_syn(void) { ft_check(FAULT_RST_SYN); }
static void test_fault_icmp_host(void) { ft_check(FAULT_ICMP_HOST_UNREACH); }
static void test_fault_icmp_net(void) { ft_check(FAULT_ICMP_NET_UNREACH); }
static void test_fault_icmp_admin(void) { ft_check(FAULT_ICMP_ADMIN_PROHIB); }
static void test_fault_after_hs(void) { ft_check(FAULT_DROP_AFTER_HANDSHAKE); }

static void test_fault_names(void)
{
	enum fault f;

	for (int i = 0; i < FAULT_MAX; i++) {
		CU_ASSERT_EQUAL(fault_table[i].fault, (enum fault)i);
		CU_ASSERT_PTR_NOT_NULL_FATAL(fault_name((enum fault)i));
		CU_ASSERT_PTR_NOT_NULL(fault_doc((enum fault)i));
		CU_ASSERT_EQUAL(fault_from_name(fault_name((enum fault)i), &f), 0);
		CU_ASSERT_EQUAL(f, (enum fault)i);
	}
	CU_ASSERT_STRING_EQUAL(fault_name(FAULT_ICMP_ADMIN_PROHIB),
			       "icmp-admin-prohibited");
	CU_ASSERT_EQUAL(fault_from_name("no-such-fault", &f), -EINVAL);
	CU_ASSERT_PTR_NULL(fault_name(FAULT_MAX));
}

/* Whether table inet tfocheck_fault exists in the calling thread's ns. */
static bool ft_table_here(void)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	bool found;

	if (!ctx)
		return false;
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	found = nft_run_cmd_from_buffer(ctx, "list table inet tfocheck_fault") == 0;
	nft_ctx_free(ctx);
	return found;
}

/* Where the table goes: the router, never here; PAIR is refused; NONE
 * removes; an apply replaces the previous fault. */
static void test_fault_placement(void)
{
	struct topo t;
	char script[8192];
	int ret, back = -1;

	if (!test_is_root()) {
		test_skip("fault tests need root (network namespaces)");
		return;
	}
	ret = topo_build(&t, TOPO_PAIR, profile_default());
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	CU_ASSERT_EQUAL(fault_apply(&t, FAULT_DROP_SYN), -EINVAL);
	CU_ASSERT(fault_last_error()[0] != 0);
	topo_destroy(&t);

	ret = topo_build(&t, TOPO_ROUTED, profile_default());
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	for (int i = 0; i < FAULT_MAX; i++) {
		CU_ASSERT_EQUAL(fault_script(&t, (enum fault)i, script,
					     sizeof(script)), 0);
		ret = fault_apply(&t, (enum fault)i);
		if (ret)
			printf("\n      %s: %s", fault_name((enum fault)i),
			       fault_last_error());
		CU_ASSERT_EQUAL(ret, 0);
	}
	CU_ASSERT(!ft_table_here());
	CU_ASSERT_EQUAL(netns_current(&back), 0);
	CU_ASSERT_EQUAL(topo_enter(&t, ROLE_ROUTER), 0);
	CU_ASSERT(ft_table_here());
	CU_ASSERT_EQUAL(netns_enter(back), 0);
	CU_ASSERT_EQUAL(fault_apply(&t, FAULT_NONE), 0);
	CU_ASSERT_EQUAL(topo_enter(&t, ROLE_ROUTER), 0);
	CU_ASSERT(!ft_table_here());
	CU_ASSERT_EQUAL(netns_enter(back), 0);
	close(back);
	CU_ASSERT(!ft_table_here());
	topo_destroy(&t);
}

TEST_SUITE(fault, NULL, NULL,
	   { "names", test_fault_names },
	   { "placement", test_fault_placement },
	   { "none", test_fault_none },
	   { "drop_syn", test_fault_drop_syn },
	   { "drop_syn_data", test_fault_drop_syn_data },
	   { "strip_tfo", test_fault_strip_tfo },
	   { "rst_syn", test_fault_rst_syn },
	   { "icmp_host_unreach", test_fault_icmp_host },
	   { "icmp_net_unreach", test_fault_icmp_net },
	   { "icmp_admin_prohibited", test_fault_icmp_admin },
	   { "drop_after_handshake", test_fault_after_hs })
