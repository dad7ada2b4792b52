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
 *
 * Timing is measured only after every child has built its topology,
 * fault and observers (a barrier): building 18 topologies at once on a
 * busy machine would otherwise land inside the measured calls.  Wire
 * claims ("no SYN data reached the server") count only when the observer
 * demonstrably saw the scenario's SYNs, and an observer that cannot be
 * read fails the scenario; two planted faults (a failing and a blind
 * wire_collect) show that both rules bite.
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

/* Drains the observers; wire_collect() except in the planted-fault tests. */
typedef int (*ft_collect_fn)(struct wire *w, int settle_ms);

/* What a child measured. */
struct ft_result {
	int setup;		/* 0, or -errno of the harness step that failed */
	char what[160];		/* which step / detail */
	int err;		/* errno of the key call, 0 = success */
	double ms;		/* its duration */
	unsigned delivered;	/* bytes the server read */
	bool syn_data_acked;	/* tcpi_options & TCPI_OPT_SYN_DATA */
	unsigned conns;		/* TFO connections attempted */
	unsigned syns_at_server; /* client SYNs (no ACK) seen at the server */
	unsigned tfo_opts_at_server; /* SYNs/SYN-ACKs with any TFO option */
	unsigned syn_payload_at_server; /* SYNs arriving with payload */
	unsigned data_at_server; /* other client segments with payload */
	unsigned drops;		/* frames the server observer lost */
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
	r->conns++;
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
		if ((p->flags & (WIRE_SYN | WIRE_ACK)) == WIRE_SYN &&
		    p->dir == WIRE_TO_SERVER)
			r->syns_at_server++;
		if ((p->flags & WIRE_SYN) && p->dir == WIRE_TO_SERVER &&
		    p->payload_len)
			r->syn_payload_at_server++;
		if (!(p->flags & WIRE_SYN) && p->dir == WIRE_TO_SERVER &&
		    p->payload_len)
			r->data_at_server++;
	}
	r->drops = wire_drops(w);
	wire_describe(w, r->wire, sizeof(r->wire));
}

/*
 * The barrier: a child with ready >= 0 says it is set up, then waits until
 * the parent closes the go pipe (EOF), which releases every child at once.
 * Called once per child, also when its setup failed.
 */
static int ft_ready_w = -1, ft_go_r = -1;

static void ft_sync(void)
{
	char b = 1;

	if (ft_ready_w < 0)
		return;
	(void)!write(ft_ready_w, &b, 1);
	close(ft_ready_w);
	ft_ready_w = -1;
	while (read(ft_go_r, &b, 1) < 0 && errno == EINTR)
		;
	close(ft_go_r);
	ft_go_r = -1;
}

static void ft_case_run(const struct ft_case *c, struct ft_result *r,
			ft_collect_fn collect)
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
	ft_sync();
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
	/* no evidence is no pass: a failing observer fails the scenario */
	ret = collect(w, 20);
	if (ret) {
		snprintf(r->what, sizeof(r->what), "wire_collect (server side)");
		goto out;
	}
	ft_wire_count(w, r);
	ret = collect(cw, 0);
	if (ret) {
		snprintf(r->what, sizeof(r->what), "wire_collect (client side)");
		goto out;
	}
	wire_describe(cw, r->cwire, sizeof(r->cwire));
	r->cframes = (unsigned)wire_frames(cw);
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

/*
 * The scenarios.  Times are for blocking calls with TCP_SYNCNT=1.  An
 * upper bound of FT_FAST means "answered by the first SYN": anything
 * that needed a retransmission takes at least the 1 s initial RTO, so
 * the bound only has to stay below that, with room for a loaded machine.
 */
#define FT_FAST 500
static const struct ft_case ft_cases[] = {
	{ FAULT_NONE, FAM_IPV4, FT_CONNECT, 0, 0, FT_FAST },
	{ FAULT_DROP_SYN, FAM_IPV4, FT_CONNECT, ETIMEDOUT, 2800, 3600 },
	{ FAULT_DROP_SYN, FAM_IPV6, FT_CONNECT, ETIMEDOUT, 2800, 3600 },
	{ FAULT_RST_SYN, FAM_IPV4, FT_CONNECT, ECONNREFUSED, 0, FT_FAST },
	{ FAULT_RST_SYN, FAM_IPV6, FT_CONNECT, ECONNREFUSED, 0, FT_FAST },
	{ FAULT_ICMP_HOST_UNREACH, FAM_IPV4, FT_CONNECT, EHOSTUNREACH, 900, 1600 },
	{ FAULT_ICMP_HOST_UNREACH, FAM_IPV6, FT_CONNECT, EHOSTUNREACH, 900, 1600 },
	{ FAULT_ICMP_NET_UNREACH, FAM_IPV4, FT_CONNECT, ENETUNREACH, 900, 1600 },
	{ FAULT_ICMP_NET_UNREACH, FAM_IPV6, FT_CONNECT, ENETUNREACH, 900, 1600 },
	{ FAULT_ICMP_ADMIN_PROHIB, FAM_IPV4, FT_CONNECT, EHOSTUNREACH, 900, 1600 },
	{ FAULT_ICMP_ADMIN_PROHIB, FAM_IPV6, FT_CONNECT, EACCES, 900, 1600 },
	{ FAULT_DROP_SYN_DATA, FAM_IPV4, FT_SYN_DATA, 0, 900, 1600 },
	{ FAULT_DROP_SYN_DATA, FAM_IPV6, FT_SYN_DATA, 0, 900, 1600 },
	{ FAULT_STRIP_TFO, FAM_IPV4, FT_STRIP, 0, 0, FT_FAST },
	{ FAULT_STRIP_TFO, FAM_IPV6, FT_STRIP, 0, 0, FT_FAST },
	{ FAULT_DROP_AFTER_HANDSHAKE, FAM_IPV4, FT_AFTER_HS, 0, 0, FT_FAST },
	{ FAULT_DROP_AFTER_HANDSHAKE, FAM_IPV6, FT_AFTER_HS, 0, 0, FT_FAST },
	/* control: without the fault the second connection is 0-RTT */
	{ FAULT_NONE, FAM_IPV6, FT_SYN_DATA, 0, 0, FT_FAST },
};

#define FT_N ARRAY_SIZE(ft_cases)

static struct ft_result ft_results[FT_N];
static bool ft_ran;

/* One scenario in a forked child; *fd reads its ft_result.  With
 * barrier, the child joins the barrier (ft_sync) through ready_w/go_r. */
static pid_t ft_start(const struct ft_case *c, ft_collect_fn collect,
		      const int barrier[4], int *fd)
{
	int p[2];
	pid_t pid;

	*fd = -1;
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct ft_result r;

		memset(&r, 0, sizeof(r));
		close(p[0]);
		if (barrier) {
			/* keep only our ends: EOF on go must reach us */
			close(barrier[0]);
			close(barrier[3]);
			ft_ready_w = barrier[1];
			ft_go_r = barrier[2];
		}
		alarm(30);	/* never hang the suite */
		ft_case_run(c, &r, collect);
		ft_sync();	/* the setup failed before the barrier */
		(void)!write(p[1], &r, sizeof(r));
		_exit(0);
	}
	close(p[1]);
	if (pid < 0) {
		int err = -errno;

		close(p[0]);
		return err;
	}
	*fd = p[0];
	return pid;
}

static void ft_finish(pid_t pid, int fd, struct ft_result *r)
{
	if (pid < 0) {
		r->setup = (int)pid;
		snprintf(r->what, sizeof(r->what), "fork");
		return;
	}
	if (read(fd, r, sizeof(*r)) != (ssize_t)sizeof(*r)) {
		memset(r, 0, sizeof(*r));
		r->setup = -EPIPE;
		snprintf(r->what, sizeof(r->what), "child died (timeout?)");
	}
	close(fd);
	waitpid(pid, NULL, 0);
}

/*
 * Fork one child per scenario; release them together once every one has
 * its topology, fault and observers (or has given up), then collect
 * every result.  A child not ready within FT_READY_MS is released
 * anyway, and its scenario fails through the mark ft_check() reports.
 */
#define FT_READY_MS 30000
static bool ft_late[FT_N];

static int ft_run_all(void)
{
	pid_t pid[FT_N];
	int fds[FT_N], barrier[4]; /* ready r/w, go r/w */
	size_t ready = 0;
	double end;

	if (ft_ran)
		return 0;
	ft_ran = true;
	if (pipe2(barrier, O_CLOEXEC) || pipe2(barrier + 2, O_CLOEXEC)) {
		for (size_t i = 0; i < FT_N; i++) {
			ft_results[i].setup = -errno;
			snprintf(ft_results[i].what, sizeof(ft_results[i].what),
				 "barrier pipes");
		}
		return 0;
	}
	for (size_t i = 0; i < FT_N; i++)
		pid[i] = ft_start(&ft_cases[i], wire_collect, barrier, &fds[i]);
	close(barrier[1]);
	close(barrier[2]);
	end = util_now_ms() + FT_READY_MS;
	while (ready < FT_N) {
		struct pollfd p = { barrier[0], POLLIN, 0 };
		double left = end - util_now_ms();
		char b[FT_N];
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		n = read(barrier[0], b, sizeof(b));
		if (n <= 0)
			break; /* every child gone: nothing to wait for */
		ready += (size_t)n;
	}
	for (size_t i = 0; i < FT_N; i++)
		ft_late[i] = ready < FT_N;
	close(barrier[3]); /* go */
	close(barrier[0]);
	for (size_t i = 0; i < FT_N; i++)
		ft_finish(pid[i], fds[i], &ft_results[i]);
	return 0;
}

/*
 * The verdict on one scenario: true when every expectation held; why
 * gets the ones that did not, expected against observed.
 */
static bool ft_verdict(const struct ft_case *c, const struct ft_result *r,
		       char *why, size_t size)
{
	size_t off = 0;
	bool ok = true;

#define FT_EXPECT(cond, ...)                                                 \
	do {                                                                 \
		if (!(cond)) {                                               \
			util_appendf(why, size, &off, "%s", ok ? "" : "; "); \
			util_appendf(why, size, &off, __VA_ARGS__);          \
			ok = false;                                          \
		}                                                            \
	} while (0)

	why[0] = 0;
	FT_EXPECT(!r->setup, "expected the scenario to run; %s failed: %s",
		  r->what, util_errno_name(-r->setup));
	if (!ok)
		return false;
	FT_EXPECT(r->err == c->err, "expected %s; observed %s",
		  c->err ? util_errno_name(c->err) : "success",
		  r->err ? util_errno_name(r->err) : "success");
	FT_EXPECT(r->ms >= c->min_ms && r->ms <= c->max_ms,
		  "expected %.0f..%.0f ms; observed %.1f ms", c->min_ms,
		  c->max_ms, r->ms);
	/* the observer saw what it was there for, or its "none" means nothing */
	FT_EXPECT(r->drops == 0, "expected a lossless capture; %u frames dropped",
		  r->drops);
	switch (c->kind) {
	case FT_CONNECT:
		/* the fault's rule stops every SYN in the router */
		FT_EXPECT(r->syns_at_server == (c->fault == FAULT_NONE ? 1u : 0u),
			  "expected %u SYN at the server; observed %u",
			  c->fault == FAULT_NONE ? 1u : 0u, r->syns_at_server);
		break;
	case FT_SYN_DATA:
		FT_EXPECT(r->delivered == FT_LEN,
			  "expected %d bytes at the server; observed %u", FT_LEN,
			  r->delivered);
		FT_EXPECT(r->conns == 2 && r->syns_at_server >= 2,
			  "expected the SYNs of 2 connections at the server; observed %u connections, %u SYNs",
			  r->conns, r->syns_at_server);
		if (c->fault == FAULT_NONE) {
			FT_EXPECT(r->syn_data_acked, "expected the SYN data acked; observed not");
			FT_EXPECT(r->syn_payload_at_server == 1,
				  "expected 1 SYN with data at the server; observed %u",
				  r->syn_payload_at_server);
		} else {
			/* the SYN-data never reached the server */
			FT_EXPECT(!r->syn_data_acked, "expected no SYN data acked; observed acked");
			FT_EXPECT(r->syn_payload_at_server == 0,
				  "expected no SYN with data at the server; observed %u",
				  r->syn_payload_at_server);
		}
		break;
	case FT_STRIP:
		FT_EXPECT(r->delivered == FT_LEN,
			  "expected %d bytes at the server; observed %u", FT_LEN,
			  r->delivered);
		FT_EXPECT(!r->syn_data_acked, "expected no SYN data acked; observed acked");
		FT_EXPECT(r->conns == 3 && r->syns_at_server >= 3,
			  "expected the SYNs of 3 connections at the server; observed %u connections, %u SYNs",
			  r->conns, r->syns_at_server);
		FT_EXPECT(r->tfo_opts_at_server == 0,
			  "expected no TFO option at the server; observed %u",
			  r->tfo_opts_at_server);
		FT_EXPECT(r->syn_payload_at_server == 0,
			  "expected no SYN with data at the server; observed %u",
			  r->syn_payload_at_server);
		break;
	case FT_AFTER_HS:
		FT_EXPECT(r->delivered == 0,
			  "expected no bytes at the server; observed %u", r->delivered);
		FT_EXPECT(r->syns_at_server == 1 && r->data_at_server == 0,
			  "expected the handshake's SYN and no data at the server; observed %u SYNs, %u data segments",
			  r->syns_at_server, r->data_at_server);
		break;
	}
#undef FT_EXPECT
	return ok;
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
		char why[1024], msg[1200];
		bool ok;

		if (c->fault != f)
			continue;
		printf("\n      %-22s %-5s %-12s %7.1f ms delivered=%u syndata=%d syn@srv=%u tfo@srv=%u synpay@srv=%u | %s",
		       fault_name(f), topo_family_name(c->fam),
		       r->err ? util_errno_name(r->err) : "ok", r->ms,
		       r->delivered, r->syn_data_acked, r->syns_at_server,
		       r->tfo_opts_at_server, r->syn_payload_at_server, r->wire);
		ok = ft_verdict(c, r, why, sizeof(why));
		if (ft_late[i]) {
			ok = false;
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 "%sprecondition: not every scenario was set up within %d ms, so timings were taken while topologies were still being built",
				 why[0] ? "; " : "", FT_READY_MS);
		}
		if (!ok)
			printf("\n      unexpected: %s; at the client (%u frames): %s",
			       why, r->cframes, r->cwire);
		snprintf(msg, sizeof(msg), "%s/%s: %s", fault_name(f),
			 topo_family_name(c->fam), why);
		CU_assertImplementation(ok, __LINE__, msg, __FILE__, "", CU_FALSE);
	}
}

/*
 * Planted faults: the wire claims cannot pass without wire evidence.  A
 * strip-tfo scenario (no TFO option and no SYN data at the server) runs
 * once with a wire_collect that fails and once with one that reports
 * success but reads nothing; before, both passed with zero counters.
 */
static int ft_collect_fails(struct wire *w, int settle_ms)
{
	(void)w;
	(void)settle_ms;
	return -EIO;
}

static int ft_collect_blind(struct wire *w, int settle_ms)
{
	(void)w;
	(void)settle_ms;
	return 0;
}

static void test_fault_planted_collect(void)
{
	static const struct ft_case strip = { FAULT_STRIP_TFO, FAM_IPV4,
					      FT_STRIP, 0, 0, FT_FAST };
	const ft_collect_fn fns[] = { ft_collect_fails, ft_collect_blind, wire_collect };
	const char *const want[] = { "wire_collect (server side) failed: EIO",
				     "expected the SYNs of 3 connections at the server; observed 3 connections, 0 SYNs",
				     NULL };
	struct ft_result r[3];
	pid_t pid[3];
	int fd[3];

	if (!test_is_root()) {
		test_skip("fault tests need root (network namespaces)");
		return;
	}
	for (int i = 0; i < 3; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		pid[i] = ft_start(&strip, fns[i], NULL, &fd[i]);
	}
	for (int i = 0; i < 3; i++) {
		char why[1024];
		bool ok;

		ft_finish(pid[i], fd[i], &r[i]);
		ok = ft_verdict(&strip, &r[i], why, sizeof(why));
		printf("\n      planted %d: %s", i, ok ? "passes (the real observer)" : why);
		if (!want[i]) {
			/* the same scenario with the real observer passes */
			CU_ASSERT_TRUE(ok);
			continue;
		}
		CU_ASSERT_FALSE(ok);
		CU_ASSERT_PTR_NOT_NULL(strstr(why, want[i]));
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
	   { "no wire evidence, no pass (planted faults)", test_fault_planted_collect },
	   { "none", test_fault_none },
	   { "drop_syn", test_fault_drop_syn },
	   { "drop_syn_data", test_fault_drop_syn_data },
	   { "strip_tfo", test_fault_strip_tfo },
	   { "rst_syn", test_fault_rst_syn },
	   { "icmp_host_unreach", test_fault_icmp_host },
	   { "icmp_net_unreach", test_fault_icmp_net },
	   { "icmp_admin_prohibited", test_fault_icmp_admin },
	   { "drop_after_handshake", test_fault_after_hs })
