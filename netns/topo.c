/* SPDX-License-Identifier: MIT */
/*
 * Topology construction (diagrams in topo.h).  Order matters: IPv6 DAD and
 * automatic link-local addresses are switched off in each namespace before
 * its veth ends exist (a device copies the namespace defaults when it is
 * registered), the peer end is created directly in its namespace, and the
 * topology is returned only after every link reports operstate UP with a
 * real qdisc — otherwise the first SYN can vanish into the noop qdisc and
 * a case stalls for a 1 s retransmission.
 */
#include "netns/topo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"
#include "netns/netns.h"
#include "netns/rtnl.h"

/* generous: on a loaded machine linkwatch and addrconf run late, and a
 * topology that is not ready is an ERROR, not a slow case */
#define READY_TIMEOUT_MS 8000

struct addr_plan {
	const char *v4;
	unsigned int v4len;
	const char *v6;
	unsigned int v6len;
	const char *ll;
};

static void pton6(const char *s, struct in6_addr *a)
{
	inet_pton(AF_INET6, s, a);
}

static void pton4(const char *s, struct in_addr *a)
{
	inet_pton(AF_INET, s, a);
}

/* Sysctls every host gets, before any veth exists in it. */
static int topo_host_prepare(int nsfd, bool forward)
{
	static const char *const v6_paths[] = {
		"net/ipv6/conf/default/accept_dad",
		"net/ipv6/conf/all/accept_dad",
		"net/ipv6/conf/default/dad_transmits",
	};
	struct rtnl r;
	int ret;

	for (size_t i = 0; i < ARRAY_SIZE(v6_paths); i++) {
		ret = netns_sysctl_write(nsfd, v6_paths[i], "0");
		if (ret && ret != -ENOENT) /* -ENOENT: kernel without IPv6 */
			return ret;
	}
	/* 1 = no automatic link-local: we assign known fe80:: addresses */
	ret = netns_sysctl_write(nsfd, "net/ipv6/conf/default/addr_gen_mode",
				 "1");
	if (ret && ret != -ENOENT)
		return ret;
	if (forward) {
		ret = netns_sysctl_write(nsfd, "net/ipv4/ip_forward", "1");
		if (ret)
			return ret;
		ret = netns_sysctl_write(nsfd, "net/ipv6/conf/all/forwarding",
					 "1");
		if (ret && ret != -ENOENT)
			return ret;
	}
	ret = rtnl_open(&r, nsfd);
	if (ret)
		return ret;
	ret = rtnl_link_set_up(&r, 1 /* lo is always ifindex 1 */, true);
	rtnl_close(&r);
	return ret;
}

static int topo_profile_apply(struct topo *t)
{
	const struct profile *p = t->profile;
	int cli = t->host[ROLE_CLIENT].nsfd, srv = t->host[ROLE_SERVER].nsfd;
	int ret;

	ret = netns_sysctl_write_long(cli, "net/ipv4/tcp_fastopen",
				      p->client_tfo);
	if (!ret)
		ret = netns_sysctl_write_long(
			cli, "net/ipv4/tcp_fastopen_blackhole_timeout_sec",
			p->blackhole_sec);
	if (!ret)
		ret = netns_sysctl_write_long(srv, "net/ipv4/tcp_fastopen",
					      p->server_tfo);
	return ret;
}

/* Address one end of a link, bring it up. */
static int topo_if_setup(struct rtnl *r, int ifindex, const struct addr_plan *a)
{
	struct in_addr a4;
	struct in6_addr a6;
	int ret;

	pton4(a->v4, &a4);
	ret = rtnl_addr_add(r, ifindex, AF_INET, &a4, a->v4len);
	if (ret)
		return ret;
	pton6(a->v6, &a6);
	ret = rtnl_addr_add(r, ifindex, AF_INET6, &a6, a->v6len);
	if (ret)
		return ret;
	pton6(a->ll, &a6);
	ret = rtnl_addr_add(r, ifindex, AF_INET6, &a6, 64);
	if (ret)
		return ret;
	return rtnl_link_set_up(r, ifindex, true);
}

static int topo_route(struct rtnl *r, const char *dst4, const char *gw4,
		      const char *dst6, const char *gw6)
{
	struct in_addr d4, g4;
	struct in6_addr d6, g6;
	int ret;

	pton4(dst4, &d4);
	pton4(gw4, &g4);
	ret = rtnl_route_add(r, AF_INET, &d4, 24, &g4, 0);
	if (ret)
		return ret;
	pton6(dst6, &d6);
	pton6(gw6, &g6);
	return rtnl_route_add(r, AF_INET6, &d6, 64, &g6, 0);
}

static const struct addr_plan plan_cli = { "198.18.0.1", 24, "2001:2::1", 64,
					   "fe80::1" };
static const struct addr_plan plan_srv_pair = { "198.18.0.2", 24, "2001:2::2",
						64, "fe80::2" };
static const struct addr_plan plan_rtr0 = { "198.18.0.254", 24, "2001:2::fe",
					    64, "fe80::fe" };
static const struct addr_plan plan_rtr1 = { "198.19.0.254", 24,
					    "2001:2:1::fe", 64, "fe80::fe" };
static const struct addr_plan plan_srv_routed = { "198.19.0.2", 24,
						  "2001:2:1::2", 64, "fe80::2" };

static int topo_build_pair(struct topo *t, struct rtnl *rc, struct rtnl *rs)
{
	int ret;

	ret = rtnl_veth_create(rc, "cli0", "srv0", t->host[ROLE_SERVER].nsfd);
	if (ret)
		return ret;
	ret = rtnl_link_index(rc, "cli0", &t->client_ifindex);
	if (!ret)
		ret = rtnl_link_index(rs, "srv0", &t->server_ifindex);
	if (!ret)
		ret = topo_if_setup(rc, t->client_ifindex, &plan_cli);
	if (!ret)
		ret = topo_if_setup(rs, t->server_ifindex, &plan_srv_pair);
	if (ret)
		return ret;
	t->host[ROLE_CLIENT].ifindex[1] = t->client_ifindex;
	t->host[ROLE_SERVER].ifindex[0] = t->server_ifindex;
	pton4(plan_srv_pair.v4, &t->server4);
	pton6(plan_srv_pair.v6, &t->server6);
	pton6(plan_srv_pair.ll, &t->server_ll);
	ret = rtnl_link_wait_ready(rc, t->client_ifindex, READY_TIMEOUT_MS);
	if (!ret)
		ret = rtnl_link_wait_ready(rs, t->server_ifindex,
					   READY_TIMEOUT_MS);
	return ret;
}

static int topo_build_routed(struct topo *t, struct rtnl *rc, struct rtnl *rs)
{
	struct topo_host *rh = &t->host[ROLE_ROUTER];
	struct rtnl rr;
	int ret;

	ret = rtnl_open(&rr, rh->nsfd);
	if (ret)
		return ret;
	ret = rtnl_veth_create(rc, "cli0", "rtr0", rh->nsfd);
	if (!ret)
		ret = rtnl_veth_create(rs, "srv0", "rtr1", rh->nsfd);
	if (!ret)
		ret = rtnl_link_index(rc, "cli0", &t->client_ifindex);
	if (!ret)
		ret = rtnl_link_index(rs, "srv0", &t->server_ifindex);
	if (!ret)
		ret = rtnl_link_index(&rr, "rtr0", &rh->ifindex[0]);
	if (!ret)
		ret = rtnl_link_index(&rr, "rtr1", &rh->ifindex[1]);
	if (ret)
		goto out;
	t->host[ROLE_CLIENT].ifindex[1] = t->client_ifindex;
	t->host[ROLE_SERVER].ifindex[0] = t->server_ifindex;
	ret = topo_if_setup(rc, t->client_ifindex, &plan_cli);
	if (!ret)
		ret = topo_if_setup(&rr, rh->ifindex[0], &plan_rtr0);
	if (!ret)
		ret = topo_if_setup(&rr, rh->ifindex[1], &plan_rtr1);
	if (!ret)
		ret = topo_if_setup(rs, t->server_ifindex, &plan_srv_routed);
	if (!ret)
		ret = topo_route(rc, "198.19.0.0", plan_rtr0.v4, "2001:2:1::",
				 plan_rtr0.v6);
	if (!ret)
		ret = topo_route(rs, "198.18.0.0", plan_rtr1.v4, "2001:2::",
				 plan_rtr1.v6);
	if (ret)
		goto out;
	pton4(plan_srv_routed.v4, &t->server4);
	pton6(plan_srv_routed.v6, &t->server6);
	/* link-local destinations only make sense on the client's own link:
	 * from the client, fe80::fe is the router */
	pton6(plan_rtr0.ll, &t->server_ll);
	ret = rtnl_link_wait_ready(rc, t->client_ifindex, READY_TIMEOUT_MS);
	if (!ret)
		ret = rtnl_link_wait_ready(rs, t->server_ifindex,
					   READY_TIMEOUT_MS);
	if (!ret)
		ret = rtnl_link_wait_ready(&rr, rh->ifindex[0],
					   READY_TIMEOUT_MS);
	if (!ret)
		ret = rtnl_link_wait_ready(&rr, rh->ifindex[1],
					   READY_TIMEOUT_MS);
out:
	rtnl_close(&rr);
	return ret;
}

/*
 * IPv6 neighbour discovery works only once the target has joined the
 * solicited-node group of its address, which addrconf does from a work
 * queue after the link comes up — measured: ~8% of fresh topologies lost
 * the first neighbour solicitation and stalled 1 s.  Wait until every host
 * lists the group (ff02::1:ffXX:XXXX) on each of its links.
 */
static int topo_host_wait_ndp(int nsfd, unsigned int last_byte, int links)
{
	char buf[8192], grp[40];
	uint64_t deadline = util_now_ns() + READY_TIMEOUT_MS * 1000000ull;
	unsigned int pause_us = 20;
	int back, ret;

	snprintf(grp, sizeof(grp), "ff0200000000000000000001ff0000%02x",
		 last_byte);
	ret = netns_current(&back);
	if (ret)
		return ret;
	ret = netns_enter(nsfd);
	while (!ret) {
		int n = 0;

		ret = util_file_read("/proc/thread-self/net/igmp6", buf,
				     sizeof(buf));
		if (ret == -ENOENT) { /* no IPv6: nothing to wait for */
			ret = 0;
			break;
		}
		for (const char *q = buf; !ret && (q = strstr(q, grp)); q++)
			n++;
		if (ret || n >= links)
			break;
		if (util_now_ns() > deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		usleep(pause_us);
		if (pause_us < 2000)
			pause_us *= 2;
	}
	(void)netns_enter(back);
	close(back);
	return ret;
}

static int topo_wait_ndp(const struct topo *t)
{
	int ret;

	ret = topo_host_wait_ndp(t->host[ROLE_CLIENT].nsfd, 0x01, 1);
	if (!ret)
		ret = topo_host_wait_ndp(t->host[ROLE_SERVER].nsfd, 0x02, 1);
	if (!ret && t->kind == TOPO_ROUTED)
		ret = topo_host_wait_ndp(t->host[ROLE_ROUTER].nsfd, 0xfe, 2);
	return ret;
}

/*
 * The last readiness step is real traffic: a UDP datagram from the client
 * to the server and back, per address family, resent every 20 ms until
 * the answer arrives.  Neighbour resolution (ARP, NDP) is thereby done in
 * both directions before a case sends its first SYN — measured under
 * load, about 1 in 500 link-local first contacts otherwise lost the SYN
 * and the retransmitted SYN no longer asked for a cookie.
 */
static int topo_ping_family(const struct topo *t, enum topo_family f)
{
	struct sockaddr_storage ss, from;
	socklen_t sl, fl;
	uint64_t deadline = util_now_ns() + READY_TIMEOUT_MS * 1000000ull;
	int srv, cli, ret = -ETIMEDOUT;
	char b;

	srv = topo_socket(t, ROLE_SERVER, topo_family_domain(f),
			  SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (srv < 0)
		return srv;
	cli = topo_socket(t, ROLE_CLIENT, topo_family_domain(f),
			  SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (cli < 0) {
		close(srv);
		return cli;
	}
	topo_server_addr(t, f, 0, &ss, &sl);
	if (f == FAM_LINKLOCAL)
		((struct sockaddr_in6 *)&ss)->sin6_scope_id =
			(uint32_t)t->server_ifindex;
	if (bind(srv, (struct sockaddr *)&ss, sl) ||
	    getsockname(srv, (struct sockaddr *)&ss, &sl)) {
		ret = -errno;
		goto out;
	}
	if (f == FAM_LINKLOCAL)
		((struct sockaddr_in6 *)&ss)->sin6_scope_id =
			(uint32_t)t->client_ifindex;
	while (util_now_ns() < deadline) {
		struct pollfd ps = { srv, POLLIN, 0 }, pc = { cli, POLLIN, 0 };

		(void)sendto(cli, "r", 1, 0, (struct sockaddr *)&ss, sl);
		fl = sizeof(from);
		if (poll(&ps, 1, 20) == 1 &&
		    recvfrom(srv, &b, 1, 0, (struct sockaddr *)&from, &fl) == 1)
			(void)sendto(srv, "r", 1, 0, (struct sockaddr *)&from,
				     fl);
		if (poll(&pc, 1, 20) == 1 && recv(cli, &b, 1, 0) == 1) {
			ret = 0;
			break;
		}
	}
out:
	close(cli);
	close(srv);
	return ret;
}

static int topo_ping(const struct topo *t)
{
	int ret = topo_ping_family(t, FAM_IPV4);

	if (!ret)
		ret = topo_ping_family(t, FAM_IPV6);
	if (!ret && t->kind == TOPO_PAIR)
		ret = topo_ping_family(t, FAM_LINKLOCAL);
	return ret;
}

int topo_build(struct topo *t, enum topo_kind kind, const struct profile *p)
{
	struct rtnl rc = { 0 }, rs = { 0 };
	int ret;

	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->profile = p ? p : profile_default();
	for (int i = 0; i < ROLE_MAX; i++)
		t->host[i].nsfd = -1;
	for (int i = 0; i < ROLE_MAX; i++) {
		if (i == ROLE_ROUTER && kind != TOPO_ROUTED)
			continue;
		ret = netns_create(&t->host[i].nsfd);
		if (!ret)
			ret = topo_host_prepare(t->host[i].nsfd,
						i == ROLE_ROUTER);
		if (ret)
			goto fail;
	}
	ret = topo_profile_apply(t);
	if (ret)
		goto fail;
	ret = rtnl_open(&rc, t->host[ROLE_CLIENT].nsfd);
	if (!ret)
		ret = rtnl_open(&rs, t->host[ROLE_SERVER].nsfd);
	if (ret)
		goto fail;
	pton4(plan_cli.v4, &t->client4);
	pton6(plan_cli.v6, &t->client6);
	pton6(plan_cli.ll, &t->client_ll);
	pton4("198.18.255.1", &t->unroutable4);
	pton6("2001:2:ffff::1", &t->unroutable6);
	ret = kind == TOPO_ROUTED ? topo_build_routed(t, &rc, &rs)
				  : topo_build_pair(t, &rc, &rs);
	if (!ret)
		ret = topo_wait_ndp(t);
	if (!ret)
		ret = topo_ping(t);
	if (ret)
		goto fail;
	rtnl_close(&rc);
	rtnl_close(&rs);
	return 0;
fail:
	rtnl_close(&rc);
	rtnl_close(&rs);
	topo_destroy(t);
	return ret;
}

void topo_destroy(struct topo *t)
{
	/* the namespaces, their links, addresses, nft tables and sysctls go
	 * away with their last reference */
	for (int i = 0; i < ROLE_MAX; i++) {
		if (t->host[i].nsfd >= 0)
			close(t->host[i].nsfd);
		t->host[i].nsfd = -1;
	}
}

int topo_enter(const struct topo *t, enum topo_role role)
{
	if (role >= ROLE_MAX || t->host[role].nsfd < 0)
		return -EINVAL;
	return netns_enter(t->host[role].nsfd);
}

int topo_socket(const struct topo *t, enum topo_role role, int domain,
		int type, int protocol)
{
	if (role >= ROLE_MAX || t->host[role].nsfd < 0)
		return -EINVAL;
	return netns_socket(t->host[role].nsfd, domain, type, protocol);
}

static const char *const family_names[FAM_MAX] = {
	[FAM_IPV4] = "ipv4",
	[FAM_IPV6] = "ipv6",
	[FAM_MAPPED] = "ipv4-mapped",
	[FAM_LINKLOCAL] = "ipv6-linklocal",
};

const char *topo_family_name(enum topo_family f)
{
	return f < FAM_MAX ? family_names[f] : "?";
}

int topo_family_from_name(const char *name, enum topo_family *out)
{
	for (int i = 0; i < FAM_MAX; i++)
		if (!strcmp(name, family_names[i])) {
			*out = (enum topo_family)i;
			return 0;
		}
	return -EINVAL;
}

int topo_family_domain(enum topo_family f)
{
	return f == FAM_IPV4 ? AF_INET : AF_INET6;
}

int topo_server_domain(enum topo_family f)
{
	return f == FAM_IPV4 || f == FAM_MAPPED ? AF_INET : AF_INET6;
}

static void topo_sockaddr4(const struct in_addr *a, uint16_t port,
			   struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr = *a;
	*len = sizeof(*sin);
}

static void topo_sockaddr6(const struct in6_addr *a, uint32_t scope,
			   uint16_t port, struct sockaddr_storage *ss,
			   socklen_t *len)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	sin6->sin6_addr = *a;
	sin6->sin6_scope_id = scope;
	*len = sizeof(*sin6);
}

static void topo_mapped(const struct in_addr *a4, struct in6_addr *a6)
{
	memset(a6, 0, sizeof(*a6));
	a6->s6_addr[10] = 0xff;
	a6->s6_addr[11] = 0xff;
	memcpy(&a6->s6_addr[12], a4, 4);
}

static void topo_addr(enum topo_family f, const struct in_addr *a4,
		      const struct in6_addr *a6, const struct in6_addr *ll,
		      uint32_t scope, uint16_t port,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	struct in6_addr m;

	switch (f) {
	case FAM_IPV4:
		topo_sockaddr4(a4, port, ss, len);
		break;
	case FAM_MAPPED:
		topo_mapped(a4, &m);
		topo_sockaddr6(&m, 0, port, ss, len);
		break;
	case FAM_LINKLOCAL:
		topo_sockaddr6(ll, scope, port, ss, len);
		break;
	default:
		topo_sockaddr6(a6, 0, port, ss, len);
		break;
	}
}

void topo_server_addr(const struct topo *t, enum topo_family f, uint16_t port,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	topo_addr(f, &t->server4, &t->server6, &t->server_ll,
		  (uint32_t)t->client_ifindex, port, ss, len);
}

void topo_unroutable_addr(const struct topo *t, enum topo_family f,
			  uint16_t port, struct sockaddr_storage *ss,
			  socklen_t *len)
{
	/* a link-local destination is always "routable" on its link, so
	 * the link-local variant falls back to the global unroutable one */
	topo_addr(f == FAM_LINKLOCAL ? FAM_IPV6 : f, &t->unroutable4,
		  &t->unroutable6, &t->unroutable6, 0, port, ss, len);
}

void topo_server_raw(const struct topo *t, enum topo_family f,
		     unsigned char ip[16])
{
	struct in6_addr m;

	memset(ip, 0, 16);
	switch (f) {
	case FAM_IPV4:
		memcpy(ip, &t->server4, 4);
		break;
	case FAM_MAPPED:
		topo_mapped(&t->server4, &m);
		memcpy(ip, &m, 16);
		break;
	case FAM_LINKLOCAL:
		memcpy(ip, &t->server_ll, 16);
		break;
	default:
		memcpy(ip, &t->server6, 16);
		break;
	}
}

int topo_listener(const struct topo *t, enum topo_family f, uint16_t port,
		  int tfo_qlen)
{
	int dom = topo_server_domain(f), one = 1, fd, ret;
	struct sockaddr_storage ss;
	socklen_t sl;

	fd = topo_socket(t, ROLE_SERVER, dom, SOCK_STREAM, 0);
	if (fd < 0)
		return fd;
	memset(&ss, 0, sizeof(ss));
	if (dom == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		sl = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		sl = sizeof(*s6);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, sl) ||
	    (tfo_qlen > 0 && setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN,
					&tfo_qlen, sizeof(tfo_qlen))) ||
	    listen(fd, 64)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}
