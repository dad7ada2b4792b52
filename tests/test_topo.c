/* SPDX-License-Identifier: MIT */
/*
 * Topology readiness, proved on the wire's own terms: each interface has
 * exactly its planned addresses (no automatic link-local one), every peer
 * address on every link has a permanent neighbour entry carrying the
 * peer's real MAC (no permanent one with TOPO_F_REAL_ND), and on fresh
 * topologies the very first TCP SYN of each family is never retransmitted — the client's
 * tcpi_total_retrans and TcpExt TCPSynRetrans stay 0, the server's
 * RetransSegs stays 0 (no SYN-ACK resent) and accepts the connection
 * within 500 ms (an initial RTO is 1 s), and the handshake takes less
 * than 200 ms: a SYN held back behind a stalled neighbour resolution is
 * late by a whole second without any retransmission being counted (the
 * kernel does not retransmit a segment still queued inside the host).
 *
 * Each topology carries exactly one connection, so each SYN is the first
 * packet of its topology.  TFOCHECK_FIRST_SYN_N sets how many topologies
 * per topology kind and family (default 20, to keep make check quick);
 * the readiness proof is TFOCHECK_FIRST_SYN_N=2000 build/tests/unit topo.
 * Needs root.
 */
#include "tests/testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/neighbour.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns/netns.h"
#include "netns/rtnl.h"
#include "netns/topo.h"
#include "util/util.h"

#define PORT 7018

#define NEED_ROOT()                                                          \
	do {                                                                 \
		if (!test_is_root()) {                                       \
			test_skip("needs root for network namespaces");      \
			return;                                              \
		}                                                            \
	} while (0)

/* ---- permanent neighbours ----------------------------------------------- */

/* One veth end as topo.h draws it: its host, name and addresses. */
struct end {
	enum topo_role role;
	const char *name;
	const char *v4, *v6, *ll;
	bool router;
};

static const struct end pair_ends[][2] = {
	{ { ROLE_CLIENT, "cli0", "198.18.0.1", "2001:2::1", "fe80::1", false },
	  { ROLE_SERVER, "srv0", "198.18.0.2", "2001:2::2", "fe80::2", false } },
};

static const struct end routed_ends[][2] = {
	{ { ROLE_CLIENT, "cli0", "198.18.0.1", "2001:2::1", "fe80::1", false },
	  { ROLE_ROUTER, "rtr0", "198.18.0.254", "2001:2::fe", "fe80::fe",
	    true } },
	{ { ROLE_SERVER, "srv0", "198.19.0.2", "2001:2:1::2", "fe80::2", false },
	  { ROLE_ROUTER, "rtr1", "198.19.0.254", "2001:2:1::fe", "fe80::fe",
	    true } },
};

/* On a's interface, every address of b: permanent at b's MAC, or (real ND)
 * none but what the kernel learned by itself. */
static void expect_neighbours(const struct topo *t, const struct end *a,
			      const struct end *b, bool real_nd)
{
	struct rtnl ra, rb;
	uint8_t mac_b[6], seen[6];
	const char *addrs[] = { b->v4, b->v6, b->ll };
	int ia, ib;

	CU_ASSERT_EQUAL_FATAL(rtnl_open(&ra, t->host[a->role].nsfd), 0);
	CU_ASSERT_EQUAL_FATAL(rtnl_open(&rb, t->host[b->role].nsfd), 0);
	CU_ASSERT_EQUAL_FATAL(rtnl_link_lookup(&ra, a->name, &ia, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(rtnl_link_lookup(&rb, b->name, &ib, mac_b), 0);
	for (size_t i = 0; i < ARRAY_SIZE(addrs); i++) {
		int fam = i == 0 ? AF_INET : AF_INET6;
		unsigned char bin[16];
		uint16_t state = 0;
		int ret;

		inet_pton(fam, addrs[i], bin);
		memset(seen, 0, sizeof(seen));
		ret = rtnl_neigh_get(&ra, ia, fam, bin, &state, seen);
		if (real_nd) {
			/* the kernel may learn one on its own from the peer's
			 * router solicitation; none may be the topology's */
			bool learned = !ret && !(state & (NUD_PERMANENT | NUD_NOARP));

			if (ret != -ENOENT && !learned)
				printf("\n    %s: expected no permanent entry for %s (real ND); observed %s, state 0x%x\n",
				       a->name, addrs[i], util_errno_name(-ret),
				       state);
			CU_ASSERT(ret == -ENOENT || learned);
			continue;
		}
		if (ret || state != NUD_PERMANENT ||
		    memcmp(seen, mac_b, sizeof(seen)))
			printf("\n    %s: expected %s PERMANENT at %s's MAC; observed %s, state 0x%x\n",
			       a->name, addrs[i], b->name, util_errno_name(-ret),
			       state);
		CU_ASSERT_EQUAL(ret, 0);
		CU_ASSERT_EQUAL(state, NUD_PERMANENT);
		CU_ASSERT_EQUAL(memcmp(seen, mac_b, sizeof(seen)), 0);
	}
	rtnl_close(&ra);
	rtnl_close(&rb);
}

static void check_neighbours(unsigned int flags)
{
	for (int k = 0; k < 2; k++) {
		const struct end(*links)[2] = k ? routed_ends : pair_ends;
		size_t n = k ? ARRAY_SIZE(routed_ends) : ARRAY_SIZE(pair_ends);
		struct topo t;

		CU_ASSERT_EQUAL_FATAL(topo_build_flags(&t, k ? TOPO_ROUTED
							       : TOPO_PAIR,
						       NULL, flags), 0);
		CU_ASSERT_EQUAL(t.flags, flags);
		for (size_t l = 0; l < n; l++) {
			expect_neighbours(&t, &links[l][0], &links[l][1],
					  flags & TOPO_F_REAL_ND);
			expect_neighbours(&t, &links[l][1], &links[l][0],
					  flags & TOPO_F_REAL_ND);
		}
		topo_destroy(&t);
	}
}

static void test_neighbours_permanent(void)
{
	NEED_ROOT();
	check_neighbours(0);
}

static void test_neighbours_real_nd(void)
{
	NEED_ROOT();
	check_neighbours(TOPO_F_REAL_ND);
}

/* ---- addresses ------------------------------------------------------------ */

/* The end's interface carries exactly its planned addresses: in particular
 * no automatically generated fe80:: one (address generation is off). */
static void expect_addresses(const struct topo *t, const struct end *e)
{
	const char *want[] = { e->v4, e->v6, e->ll };
	bool seen[ARRAY_SIZE(want)] = { false };
	struct ifaddrs *ifa = NULL;
	char txt[INET6_ADDRSTRLEN];
	int home, ret;

	CU_ASSERT_EQUAL_FATAL(netns_current(&home), 0);
	ret = topo_enter(t, e->role);
	if (!ret)
		ret = getifaddrs(&ifa) ? -errno : 0;
	(void)netns_enter(home);
	close(home);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		int fam = i->ifa_addr ? i->ifa_addr->sa_family : 0;
		const void *bin;
		bool known = false;

		if (strcmp(i->ifa_name, e->name) ||
		    (fam != AF_INET && fam != AF_INET6))
			continue;
		bin = fam == AF_INET
			      ? (const void *)&((struct sockaddr_in *)i->ifa_addr)->sin_addr
			      : (const void *)&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		inet_ntop(fam, bin, txt, sizeof(txt));
		for (size_t k = 0; k < ARRAY_SIZE(want); k++)
			if (!strcmp(txt, want[k]))
				known = seen[k] = true;
		if (!known)
			printf("\n    %s: expected only %s, %s, %s; observed also %s\n",
			       e->name, want[0], want[1], want[2], txt);
		CU_ASSERT(known);
	}
	for (size_t k = 0; k < ARRAY_SIZE(want); k++) {
		if (!seen[k])
			printf("\n    %s: expected %s; observed it missing\n",
			       e->name, want[k]);
		CU_ASSERT(seen[k]);
	}
	freeifaddrs(ifa);
}

static void test_addresses_exact(void)
{
	NEED_ROOT();
	for (int k = 0; k < 2; k++) {
		const struct end(*links)[2] = k ? routed_ends : pair_ends;
		size_t n = k ? ARRAY_SIZE(routed_ends) : ARRAY_SIZE(pair_ends);
		struct topo t;

		CU_ASSERT_EQUAL_FATAL(topo_build(&t, k ? TOPO_ROUTED
						       : TOPO_PAIR, NULL), 0);
		for (size_t l = 0; l < n; l++) {
			expect_addresses(&t, &links[l][0]);
			expect_addresses(&t, &links[l][1]);
		}
		topo_destroy(&t);
	}
}

/*
 * The two ends of a link never share an interface index.  Each is the
 * first link of a fresh namespace, so the kernel's choice would give both
 * the same one, and on Linux 6.1 such a veth comes up through linkwatch's
 * slow path: every topology took ~1 s longer (netns/topo.c).
 */
static void test_link_ends_distinct_ifindex(void)
{
	NEED_ROOT();
	for (int k = 0; k < 2; k++) {
		struct topo t;

		CU_ASSERT_EQUAL_FATAL(topo_build(&t, k ? TOPO_ROUTED
						       : TOPO_PAIR, NULL), 0);
		if (k) {
			CU_ASSERT_NOT_EQUAL(t.host[ROLE_CLIENT].ifindex[1],
					    t.host[ROLE_ROUTER].ifindex[0]);
			CU_ASSERT_NOT_EQUAL(t.host[ROLE_ROUTER].ifindex[1],
					    t.host[ROLE_SERVER].ifindex[0]);
		} else {
			CU_ASSERT_NOT_EQUAL(t.host[ROLE_CLIENT].ifindex[1],
					    t.host[ROLE_SERVER].ifindex[0]);
		}
		CU_ASSERT(t.host[ROLE_CLIENT].ifindex[1] > 0);
		CU_ASSERT(t.host[ROLE_SERVER].ifindex[0] > 0);
		topo_destroy(&t);
	}
}

/* ---- the first SYN -------------------------------------------------------- */

/* Counter NAME of the "PREFIX:" table in a /proc/net/{snmp,netstat} text
 * (a header line of names, then a line of values). */
static int proc_counter(const char *text, const char *prefix,
			const char *name, long *v)
{
	size_t pl = strlen(prefix), nl = strlen(name);
	const char *hdr = text, *val, *h, *x;
	char *end;

	while (hdr && strncmp(hdr, prefix, pl))
		hdr = (hdr = strchr(hdr, '\n')) ? hdr + 1 : NULL;
	if (!hdr)
		return -ENOENT;
	val = strchr(hdr, '\n');
	if (!val || strncmp(++val, prefix, pl))
		return -EBADMSG;
	for (h = hdr + pl, x = val + pl;;) {
		while (*h == ' ')
			h++;
		while (*x == ' ')
			x++;
		if (*h == '\n' || !*h || *x == '\n' || !*x)
			return -ENOENT;
		if (!strncmp(h, name, nl) && (h[nl] == ' ' || h[nl] == '\n')) {
			*v = strtol(x, &end, 10);
			return end == x ? -EBADMSG : 0;
		}
		h += strcspn(h, " \n");
		x += strcspn(x, " \n");
	}
}

/* A counter of a host's namespace, read from inside it. */
static int ns_counter(const struct topo *t, enum topo_role role,
		      const char *file, const char *prefix, const char *name,
		      long *v)
{
	char path[64], buf[16384];
	int home, ret;

	snprintf(path, sizeof(path), "/proc/thread-self/net/%s", file);
	ret = netns_current(&home);
	if (ret)
		return ret;
	ret = topo_enter(t, role);
	if (!ret)
		ret = util_file_read(path, buf, sizeof(buf));
	(void)netns_enter(home);
	close(home);
	return ret ? ret : proc_counter(buf, prefix, name, v);
}

struct syn_result {
	unsigned n, retrans, slow, errors;
	double ms[4096];	/* connect durations, the first 4096 */
	char first[256];	/* the first failure, described */
};

/* One fresh topology, one connection: the first SYN of its life. */
static void first_syn_once(enum topo_kind kind, enum topo_family f,
			   unsigned int flags, struct syn_result *r)
{
	struct sockaddr_storage ss;
	struct tcp_info ti;
	socklen_t sl, tl = sizeof(ti);
	struct pollfd pfd;
	long syn_rt = -1, srv_rt = -1;
	int l = -1, c = -1, a = -1, one = 1, ret;
	unsigned *tally = &r->errors;
	double t0, ms = -1;
	struct topo t;
	char what[200] = "";

	ret = topo_build_flags(&t, kind, NULL, flags);
	if (ret) {
		snprintf(what, sizeof(what), "topo_build: %s",
			 util_errno_name(-ret));
		goto tally;
	}
	l = topo_listener(&t, f, PORT, 0);
	c = topo_socket(&t, ROLE_CLIENT, topo_family_domain(f), SOCK_STREAM,
			0);
	if (l < 0 || c < 0) {
		snprintf(what, sizeof(what), "sockets: %s",
			 util_errno_name(-(l < 0 ? l : c)));
		goto out;
	}
	/* a lost SYN costs one 1 s retransmission, not minutes */
	setsockopt(c, IPPROTO_TCP, TCP_SYNCNT, &one, sizeof(one));
	topo_server_addr(&t, f, PORT, &ss, &sl);
	t0 = util_now_ms();
	ret = connect(c, (struct sockaddr *)&ss, sl) ? -errno : 0;
	ms = util_now_ms() - t0;
	if (ret) {
		snprintf(what, sizeof(what), "connect: %s after %.1f ms",
			 util_errno_name(-ret), ms);
		goto out;
	}
	pfd = (struct pollfd){ l, POLLIN, 0 };
	if (poll(&pfd, 1, 500) != 1 || (a = accept(l, NULL, NULL)) < 0) {
		snprintf(what, sizeof(what),
			 "expected the server to accept within 500 ms (the third ACK arrived); observed nothing");
		goto out;
	}
	if (getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &tl) ||
	    ns_counter(&t, ROLE_CLIENT, "netstat", "TcpExt:", "TCPSynRetrans",
		       &syn_rt) ||
	    ns_counter(&t, ROLE_SERVER, "snmp", "Tcp:", "RetransSegs",
		       &srv_rt)) {
		snprintf(what, sizeof(what), "cannot read the counters");
		goto out;
	}
	if (ti.tcpi_total_retrans || syn_rt || srv_rt) {
		tally = &r->retrans;
		snprintf(what, sizeof(what),
			 "expected no retransmission; observed client tcpi_total_retrans %u, TCPSynRetrans %ld, server RetransSegs %ld, connect %.1f ms",
			 ti.tcpi_total_retrans, syn_rt, srv_rt, ms);
	} else if (ms > 200) {
		tally = &r->slow;
		snprintf(what, sizeof(what),
			 "expected the handshake within 200 ms; observed %.1f ms with no retransmission counted",
			 ms);
	}
out:
	if (a >= 0)
		close(a);
	if (c >= 0)
		close(c);
	if (l >= 0)
		close(l);
	topo_destroy(&t);
tally:
	if (what[0]) {
		(*tally)++;
		if (!r->first[0])
			snprintf(r->first, sizeof(r->first), "#%u: %s", r->n,
				 what);
	}
	if (r->n < ARRAY_SIZE(r->ms))
		r->ms[r->n] = ms;
	r->n++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void first_syn(unsigned int flags)
{
	const char *env = getenv("TFOCHECK_FIRST_SYN_N");
	long n = 20;
	static struct syn_result r;

	if (env && (util_parse_long(env, &n) || n < 1)) {
		CU_FAIL("TFOCHECK_FIRST_SYN_N must be a positive number");
		return;
	}
	printf("\n");
	for (int k = 0; k < 2; k++)
		for (int f = 0; f < FAM_MAX; f++) {
			enum topo_kind kind = k ? TOPO_ROUTED : TOPO_PAIR;
			size_t m;

			/* routed: fe80:: on the client link is the router,
			 * which runs no listener */
			if (kind == TOPO_ROUTED && f == FAM_LINKLOCAL)
				continue;
			memset(&r, 0, sizeof(r));
			for (long i = 0; i < n; i++)
				first_syn_once(kind, (enum topo_family)f,
					       flags, &r);
			m = r.n < ARRAY_SIZE(r.ms) ? r.n : ARRAY_SIZE(r.ms);
			qsort(r.ms, m, sizeof(r.ms[0]), cmp_double);
			printf("    %s%s/%s: %u fresh topologies, %u first SYNs retransmitted, %u slow, %u errors; connect median %.3f ms, max %.3f ms\n",
			       k ? "routed" : "pair",
			       flags & TOPO_F_REAL_ND ? "+real-nd" : "",
			       topo_family_name((enum topo_family)f), r.n,
			       r.retrans, r.slow, r.errors, r.ms[m / 2],
			       r.ms[m - 1]);
			if (r.first[0])
				printf("      first failure: %s\n", r.first);
			CU_ASSERT_EQUAL(r.retrans, 0);
			CU_ASSERT_EQUAL(r.slow, 0);
			CU_ASSERT_EQUAL(r.errors, 0);
		}
}

static void test_first_syn(void)
{
	NEED_ROOT();
	first_syn(0);
}

static void test_first_syn_real_nd(void)
{
	NEED_ROOT();
	first_syn(TOPO_F_REAL_ND);
}

TEST_SUITE(topo, NULL, NULL,
	   { "addresses_exact", test_addresses_exact },
	   { "link_ends_distinct_ifindex", test_link_ends_distinct_ifindex },
	   { "neighbours_permanent", test_neighbours_permanent },
	   { "neighbours_real_nd", test_neighbours_real_nd },
	   { "first_syn", test_first_syn },
	   { "first_syn_real_nd", test_first_syn_real_nd })
