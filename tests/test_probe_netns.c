/* SPDX-License-Identifier: MIT */
/*
 * Probe modules against a real kernel, inside private namespaces held by
 * fd (the test process never leaves its own namespace): the tcp_metrics
 * genetlink dump sees the cookie a real TFO connection cached, with the
 * right destination and 8 bytes, and tcpm_flush empties it; the socket
 * option probes tell the sysctl gate from the kernel's support and leave
 * the namespace's server key unset, and return 0 or -errno; the blackhole
 * check answers "not disabled" without sending a packet (an AF_PACKET
 * socket in the namespace would see one); the isolation probes, as nobody,
 * report EPERM for what nobody may not do, and reach veth, nftables and
 * AF_PACKET through a user namespace.  Needs root.
 */
#include "tests/testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"
#include "netns/netns.h"
#include "netns/rtnl.h"
#include "netns/topo.h"
#include "probes/isolation.h"
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

/* The individual probes keep the module contract: 0 or -errno, the sign
 * included (an errno they observe goes to an out-parameter instead). */
static void test_sockopt_contract(void)
{
	int one = 1, ns = -1, bad, known, gate;

	if (!test_is_root()) {
		test_skip("needs root (private network namespaces)");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(netns_create(&ns), 0);
	CU_ASSERT_EQUAL(netns_sysctl_write(ns, "net/ipv4/tcp_fastopen", "1"), 0);
	CU_ASSERT_EQUAL(probe_sockopt_set(ns, TCP_FASTOPEN_CONNECT, &one, sizeof(one)), 0);
	CU_ASSERT_EQUAL(probe_sockopt_set(ns, 12345, &one, sizeof(one)), -ENOPROTOOPT);
	CU_ASSERT_EQUAL(probe_sockopt_msg_fastopen(ns, &known, &gate), 0);
	CU_ASSERT_EQUAL(known, EOPNOTSUPP);
	CU_ASSERT_EQUAL(gate, EINVAL);

	CU_ASSERT_EQUAL(netns_sysctl_write(ns, "net/ipv4/tcp_fastopen", "0"), 0);
	CU_ASSERT_EQUAL(probe_sockopt_set(ns, TCP_FASTOPEN_CONNECT, &one, sizeof(one)),
			-EOPNOTSUPP);
	CU_ASSERT_EQUAL(probe_sockopt_msg_fastopen(ns, &known, &gate), 0);
	CU_ASSERT_EQUAL(known, EOPNOTSUPP);
	CU_ASSERT_EQUAL(gate, EOPNOTSUPP);

	/* no socket at all: setns() refuses a file that is no namespace */
	bad = open("/dev/null", O_RDONLY | O_CLOEXEC);
	CU_ASSERT_FATAL(bad >= 0);
	CU_ASSERT_EQUAL(probe_sockopt_set(bad, TCP_FASTOPEN_CONNECT, &one, sizeof(one)), -EINVAL);
	CU_ASSERT_EQUAL(probe_sockopt_msg_fastopen(bad, &known, &gate), -EINVAL);
	close(bad);
	close(ns);
}

/* Every packet sent in ns, lo's included, reaches an ETH_P_ALL socket
 * there; loopback transmits synchronously, so the copy is queued by the
 * time the sending call returns. */
static int capture_open(int ns)
{
	return netns_socket(ns, AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    htons(ETH_P_ALL));
}

static int capture_count(int fd)
{
	char buf[2048];
	int n = 0;

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		n++;
	return n;
}

static void test_blackhole_check(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	bool disabled = true;
	int ns = -1, cap, fd;

	if (!test_is_root()) {
		test_skip("needs root (private network namespaces)");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(netns_create(&ns), 0);
	CU_ASSERT_EQUAL(lo_up(ns), 0);
	CU_ASSERT_EQUAL(netns_sysctl_write(ns, "net/ipv4/tcp_fastopen_blackhole_timeout_sec",
					   "3600"), 0);
	cap = capture_open(ns);
	CU_ASSERT_FATAL(cap >= 0);
	/* timeout on but no blackhole event yet: connect() is deferred */
	CU_ASSERT_EQUAL(probe_sockopt_blackhole(ns, &disabled), 0);
	CU_ASSERT_FALSE(disabled);
	CU_ASSERT_EQUAL(capture_count(cap), 0);

	/* the capture sees a SYN when one is sent: a plain connect to a port
	 * nobody listens on (SYN out, RST back) */
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = netns_socket(ns, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), -1);
	CU_ASSERT_EQUAL(errno, ECONNREFUSED);
	close(fd);
	CU_ASSERT(capture_count(cap) >= 2);

	/* client bit off: the kernel refuses TCP_FASTOPEN_CONNECT */
	CU_ASSERT_EQUAL(netns_sysctl_write(ns, "net/ipv4/tcp_fastopen", "0"), 0);
	CU_ASSERT_EQUAL(probe_sockopt_blackhole(ns, &disabled), -EOPNOTSUPP);
	CU_ASSERT_EQUAL(capture_count(cap), 0);
	close(cap);
	close(ns);
}

struct iso_seen {
	struct probe_isolation caller, userns;
	int userns_ret, fail_ret;
	bool copied;
};

static int private_in_userns(void *buf)
{
	return probe_isolation_private(buf);
}

static int fail_in_userns(void *buf)
{
	*(bool *)buf = true;
	return -ENOTSUP;
}

/* As nobody: what nobody may not do is EPERM (a positive errno in the
 * cap, the state not-permitted), and the devices are reached through a
 * user namespace, where the probe runs what needs private namespaces. */
static void test_isolation_as_nobody(void)
{
	struct iso_seen seen = { 0 };
	int p[2], status;
	pid_t pid;

	if (!test_is_root()) {
		test_skip("needs root (to become nobody)");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		struct iso_seen s = { 0 };

		close(p[0]);
		/* changing credentials clears "dumpable", which leaves
		 * /proc/self owned by root and uid_map unwritable for nobody;
		 * a nobody that exec()ed, as a real caller did, has it set */
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534) || prctl(PR_SET_DUMPABLE, 1))
			_exit(100);
		probe_isolation_namespaces(&s.caller);
		s.userns_ret = probe_isolation_in_userns(private_in_userns, &s.userns,
							 sizeof(s.userns));
		s.fail_ret = probe_isolation_in_userns(fail_in_userns, &s.copied,
						       sizeof(s.copied));
		_exit(write(p[1], &s, sizeof(s)) == sizeof(s) ? 0 : 101);
	}
	close(p[1]);
	CU_ASSERT_FATAL(pid > 0);
	CU_ASSERT_EQUAL(read(p[0], &seen, sizeof(seen)), (ssize_t)sizeof(seen));
	close(p[0]);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	CU_ASSERT_EQUAL(seen.caller.netns.state, PROBE_NOT_PERMITTED);
	CU_ASSERT_EQUAL(seen.caller.netns.err, EPERM);
	CU_ASSERT_STRING_EQUAL(seen.caller.netns.detail, "unshare(CLONE_NEWNET): EPERM");
	if (seen.caller.userns.state != PROBE_SUPPORTED) {
		test_skip("probe: user namespaces are %s as nobody: %s",
			  probe_state_name(seen.caller.userns.state), seen.caller.userns.detail);
		return;
	}
	CU_ASSERT_EQUAL(seen.caller.userns.err, 0);
	CU_ASSERT_STRING_EQUAL(seen.caller.unpriv_userns.detail, "as this user");
	if (seen.userns_ret)
		fprintf(stderr, "\n    probe_isolation_in_userns: %s", util_errno_name(-seen.userns_ret));
	CU_ASSERT_EQUAL(seen.userns_ret, 0);
	CU_ASSERT_EQUAL(seen.userns.veth.state, PROBE_SUPPORTED);
	CU_ASSERT_EQUAL(seen.userns.nftables.state, PROBE_SUPPORTED);
	CU_ASSERT_EQUAL(seen.userns.af_packet.state, PROBE_SUPPORTED);
	if (seen.userns.veth.state != PROBE_SUPPORTED)
		fprintf(stderr, "\n    veth in a user namespace: %s: %s",
			probe_state_name(seen.userns.veth.state), seen.userns.veth.detail);
	/* fn's -errno is handed back, and so is the buffer it wrote */
	CU_ASSERT_EQUAL(seen.fail_ret, -ENOTSUP);
	CU_ASSERT_TRUE(seen.copied);
}

TEST_SUITE(probe_netns, NULL, NULL,
	   { "tcpm_dump_flush", test_tcpm_dump_flush },
	   { "sockopt_gate", test_sockopt_gate },
	   { "sockopt_contract", test_sockopt_contract },
	   { "blackhole_check", test_blackhole_check },
	   { "isolation_as_nobody", test_isolation_as_nobody })
