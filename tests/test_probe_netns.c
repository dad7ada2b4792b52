/* SPDX-License-Identifier: MIT */
/*
 * Probe modules against a real kernel, inside private namespaces held by
 * fd (the test process never leaves its own namespace): the tcp_metrics
 * genetlink dump sees the cookie a real TFO connection cached, with the
 * right destination and 8 bytes, and tcpm_flush empties it; the socket
 * option probes tell the sysctl gate from the kernel's support and leave
 * the namespace's server key unset; the blackhole check answers "not
 * disabled" without sending a packet.  Needs root.
 */
#include "tests/testlib.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns/netns.h"
#include "netns/rtnl.h"
#include "netns/topo.h"
#include "probes/sockopt.h"
#include "probes/sysctl.h"
#include "probes/tcp_metrics.h"
#include "util/tfo_uapi.h"

#define PORT 7413

struct seen {
	int n, cookies;
	size_t cookie_len;
	int family;
	struct in_addr d4;
	struct in6_addr d6;
};

static int collect(const struct tcpm_entry *e, void *arg)
{
	struct seen *s = arg;

	s->n++;
	if (!e->cookie_len)
		return 0;
	s->cookies++;
	s->cookie_len = e->cookie_len;
	s->family = e->family;
	if (e->family == AF_INET)
		s->d4 = e->daddr.v4;
	else
		s->d6 = e->daddr.v6;
	return 0;
}

static int stop_at_first(const struct tcpm_entry *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 1;
}

static int fail_cb(const struct tcpm_entry *e, void *arg)
{
	(void)e;
	(void)arg;
	return -ECANCELED;
}

/* One TFO connection (cookie request) from client to server. */
static void tfo_connect(const struct topo *t, enum topo_family f)
{
	struct sockaddr_storage ss;
	struct pollfd p;
	socklen_t sl;
	int lfd, cfd, afd, one = 1, q = 8;
	char buf[16];

	topo_server_addr(t, f, PORT, &ss, &sl);
	lfd = topo_socket(t, ROLE_SERVER, topo_server_domain(f), SOCK_STREAM, 0);
	CU_ASSERT_FATAL(lfd >= 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	CU_ASSERT_EQUAL(setsockopt(lfd, IPPROTO_TCP, TCP_FASTOPEN, &q, sizeof(q)), 0);
	CU_ASSERT_EQUAL_FATAL(bind(lfd, (struct sockaddr *)&ss, sl), 0);
	CU_ASSERT_EQUAL_FATAL(listen(lfd, 8), 0);
	cfd = topo_socket(t, ROLE_CLIENT, topo_family_domain(f), SOCK_STREAM, 0);
	CU_ASSERT_FATAL(cfd >= 0);
	CU_ASSERT_EQUAL(sendto(cfd, "hello", 5, MSG_FASTOPEN, (struct sockaddr *)&ss, sl), 5);
	p = (struct pollfd){ lfd, POLLIN, 0 };
	CU_ASSERT_EQUAL(poll(&p, 1, 3000), 1);
	afd = accept(lfd, NULL, NULL);
	CU_ASSERT(afd >= 0);
	if (afd >= 0) {
		CU_ASSERT_EQUAL(recv(afd, buf, sizeof(buf), 0), 5);
		close(afd);
	}
	close(cfd);
	close(lfd);
}

static void test_tcpm_dump_flush(void)
{
	const struct profile prof = { "probe-test", "", 1, 3, true, 0 };
	struct topo t;
	struct seen s = { 0 };
	uint16_t id = 0;
	int cns, n = 0;

	if (!test_is_root()) {
		test_skip("needs root (private network namespaces)");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(topo_build(&t, TOPO_PAIR, &prof), 0);
	cns = t.host[ROLE_CLIENT].nsfd;

	CU_ASSERT_EQUAL(tcpm_family_id(cns, &id), 0);
	CU_ASSERT(id > 0);
	/* a fresh namespace caches nothing */
	CU_ASSERT_EQUAL(tcpm_dump(cns, collect, &s), 0);
	CU_ASSERT_EQUAL(s.cookies, 0);

	tfo_connect(&t, FAM_IPV4);
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(tcpm_dump(cns, collect, &s), 0);
	CU_ASSERT_EQUAL(s.cookies, 1);
	CU_ASSERT_EQUAL(s.family, AF_INET);
	CU_ASSERT_EQUAL(s.d4.s_addr, t.server4.s_addr);
	CU_ASSERT_EQUAL(s.cookie_len, 8);

	tfo_connect(&t, FAM_IPV6);
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(tcpm_dump(cns, collect, &s), 0);
	CU_ASSERT_EQUAL(s.cookies, 2);
	CU_ASSERT(s.n >= 2);

	/* callback control: >0 stops quietly, <0 is handed back */
	CU_ASSERT_EQUAL(tcpm_dump(cns, stop_at_first, &n), 0);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(tcpm_dump(cns, fail_cb, NULL), -ECANCELED);

	/* the server namespace has no client-side cookie for us */
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(tcpm_dump(t.host[ROLE_SERVER].nsfd, collect, &s), 0);
	CU_ASSERT_EQUAL(s.cookies, 0);

	CU_ASSERT_EQUAL(tcpm_flush(cns), 0);
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(tcpm_dump(cns, collect, &s), 0);
	CU_ASSERT_EQUAL(s.n, 0);
	/* flushing an empty cache is fine */
	CU_ASSERT_EQUAL(tcpm_flush(cns), 0);
	topo_destroy(&t);
}

static int lo_up(int ns)
{
	struct rtnl r;
	int ret;

	ret = rtnl_open(&r, ns);
	if (ret)
		return ret;
	ret = rtnl_link_set_up(&r, 1, true);	/* lo is ifindex 1 */
	rtnl_close(&r);
	return ret;
}

static void test_sockopt_gate(void)
{
	struct probe_sysctl s;
	struct probe_kernel k;
	int ns = -1;

	if (!test_is_root()) {
		test_skip("needs root (private network namespaces)");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(netns_create(&ns), 0);

	CU_ASSERT_EQUAL(netns_sysctl_write(ns, "net/ipv4/tcp_fastopen", "0"), 0);
	CU_ASSERT_EQUAL(probe_sysctl_read(ns, &s), 0);
	CU_ASSERT_EQUAL(s.tcp_fastopen, 0);
	CU_ASSERT_EQUAL(probe_sockopt_run(ns, &s, &k), 0);
	CU_ASSERT_EQUAL(k.msg_fastopen.state, PROBE_DISABLED);
	CU_ASSERT_EQUAL(k.tcp_fastopen_connect.state, PROBE_DISABLED);
	CU_ASSERT_EQUAL(k.tcp_fastopen.state, PROBE_DISABLED);
	CU_ASSERT_EQUAL(k.tcp_fastopen_key.state, PROBE_SUPPORTED);

	CU_ASSERT_EQUAL(netns_sysctl_write(ns, "net/ipv4/tcp_fastopen", "1"), 0);
	CU_ASSERT_EQUAL(probe_sysctl_read(ns, &s), 0);
	CU_ASSERT_EQUAL(probe_sockopt_run(ns, &s, &k), 0);
	CU_ASSERT_EQUAL(k.msg_fastopen.state, PROBE_SUPPORTED);
	CU_ASSERT_EQUAL(k.tcp_fastopen_connect.state, PROBE_SUPPORTED);
	CU_ASSERT_EQUAL(k.tcp_fastopen_no_cookie.state, PROBE_SUPPORTED);
	CU_ASSERT_EQUAL(k.tcp_fastopen.state, PROBE_DISABLED);	/* no 0x2 */
	CU_ASSERT_EQUAL(k.ipv6.state, PROBE_SUPPORTED);
	CU_ASSERT(k.tcp_info_len >= 8);

	CU_ASSERT_EQUAL(netns_sysctl_write(ns, "net/ipv4/tcp_fastopen", "3"), 0);
	CU_ASSERT_EQUAL(probe_sysctl_read(ns, &s), 0);
	CU_ASSERT_EQUAL(probe_sockopt_run(ns, &s, &k), 0);
	CU_ASSERT_EQUAL(k.tcp_fastopen.state, PROBE_SUPPORTED);

	/* none of it initialised the namespace's server key */
	CU_ASSERT_EQUAL(probe_sysctl_read(ns, &s), 0);
	CU_ASSERT_EQUAL(s.key, PROBE_KEY_UNSET);
	close(ns);
}

static void test_blackhole_check(void)
{
	bool disabled = true;
	int ns = -1;

	if (!test_is_root()) {
		test_skip("needs root (private network namespaces)");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(netns_create(&ns), 0);
	CU_ASSERT_EQUAL(lo_up(ns), 0);
	CU_ASSERT_EQUAL(netns_sysctl_write(ns, "net/ipv4/tcp_fastopen_blackhole_timeout_sec",
					   "3600"), 0);
	/* timeout on but no blackhole event yet: connect() is deferred */
	CU_ASSERT_EQUAL(probe_sockopt_blackhole(ns, &disabled), 0);
	CU_ASSERT_FALSE(disabled);

	/* client bit off: the kernel refuses TCP_FASTOPEN_CONNECT */
	CU_ASSERT_EQUAL(netns_sysctl_write(ns, "net/ipv4/tcp_fastopen", "0"), 0);
	CU_ASSERT_EQUAL(probe_sockopt_blackhole(ns, &disabled), -EOPNOTSUPP);
	close(ns);
}

TEST_SUITE(probe_netns, NULL, NULL,
	   { "tcpm_dump_flush", test_tcpm_dump_flush },
	   { "sockopt_gate", test_sockopt_gate },
	   { "blackhole_check", test_blackhole_check })
