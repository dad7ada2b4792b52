/* SPDX-License-Identifier: MIT */
/*
 * Topology construction (diagrams in topo.h).  Order matters: the peer
 * end of a veth is created directly in its namespace; each end is
 * switched to IPv6 address generation "none" and addressed (IPv6 with
 * IFA_F_NODAD) before it comes up, so no DAD ever runs and no automatic
 * link-local address appears; and each namespace's rtnetlink socket
 * subscribes to link and address events before anything is created, so no
 * readiness event can be missed.
 *
 * Readiness costs what it must: every peer address on every link gets a
 * permanent neighbour entry (no ARP or neighbour discovery before the
 * first packet, hence none of its races), and the build then waits, in
 * poll() on those sockets, for the kernel to announce each IPv6 address
 * (addrconf completes them from a work queue) and to report each link
 * transmitting through a real qdisc (packets sent while a fresh veth
 * still has the noop qdisc are dropped, and a first SYN then stalls for a
 * 1 s retransmission).  No sleeps, no polling of /proc, no probe traffic.
 */
#include "netns/topo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <netinet/tcp.h>
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

/* A sysctl of the namespace the thread is in; -ENOENT (a kernel without
 * IPv6) is fine when tolerated. */
static int topo_sysctl(const char *path, long v, bool enoent_ok)
{
	int ret = netns_sysctl_write_long(-1, path, v);

	return ret == -ENOENT && enoent_ok ? 0 : ret;
}

/* What a host's namespace needs: forwarding on the router, the profile's
 * TFO settings.  Runs inside the namespace.  (No IPv6 sysctl on the ends:
 * the first lookup under /proc/sys/net/ipv6 in a fresh namespace costs
 * ~40 µs on a machine with many namespaces, more than the rest of the
 * host's settings; DAD and automatic link-local addresses are dealt with
 * per address and per link instead, see topo_end_address().) */
static int topo_host_sysctls(const struct topo *t, enum topo_role role)
{
	const struct profile *p = t->profile;
	int ret;

	switch (role) {
	case ROLE_ROUTER:
		ret = topo_sysctl("net/ipv4/ip_forward", 1, false);
		if (!ret)
			ret = topo_sysctl("net/ipv6/conf/all/forwarding", 1,
					  true);
		return ret;
	case ROLE_CLIENT:
		ret = topo_sysctl("net/ipv4/tcp_fastopen", p->client_tfo,
				  false);
		if (!ret)
			ret = topo_sysctl(
				"net/ipv4/tcp_fastopen_blackhole_timeout_sec",
				p->blackhole_sec, false);
		return ret;
	default:
		return topo_sysctl("net/ipv4/tcp_fastopen", p->server_tfo,
				   false);
	}
}

/*
 * Create a host's namespace and prepare it from inside (one switch in and
 * one out, instead of one pair per setting); r is left open in it, lo up,
 * watching.
 */
static int topo_host_create(struct topo *t, enum topo_role role, int home,
			    struct rtnl *r)
{
	int ret;

	ret = netns_create(&t->host[role].nsfd);
	if (ret)
		return ret;
	ret = netns_enter(t->host[role].nsfd);
	if (ret)
		return ret;
	ret = topo_host_sysctls(t, role);
	if (!ret)
		ret = rtnl_open(r, -1);
	if (!ret)
		ret = rtnl_link_set_up(r, 1 /* lo is always ifindex 1 */, true);
	if (!ret)
		ret = rtnl_watch_start(r);
	/* going back cannot fail: the thread was there a moment ago */
	(void)netns_enter(home);
	return ret;
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

/* One end of a veth link. */
/* above lo and the fallback tunnels a fresh namespace may hold */
#define TOPO_IFINDEX_BASE 16

struct topo_end {
	struct rtnl *r;		/* its namespace's socket */
	int nsfd;
	const char *name;
	const struct addr_plan *plan;
	bool router;		/* forwards: peers mark it NTF_ROUTER */
	/* asked for, then as created (topo_link_build()).  Each end of a
	 * link gets its own index: where both ends have the same one (each
	 * the first free index of its fresh namespace), Linux before 6.x
	 * (6.1 measured) does not treat the carrier event as urgent and
	 * activates the link up to 1 s later (linkwatch's rate limit) */
	int ifindex;
	uint8_t mac[6];
};

/*
 * Address one end while it is down: no automatic link-local address when
 * it comes up (we assign known fe80:: ones), IPv6 addresses with
 * IFA_F_NODAD (no DAD, usable at once), each watched before it is added.
 */
static int topo_end_address(struct topo_end *e)
{
	const struct addr_plan *a = e->plan;
	struct in_addr a4;
	struct in6_addr g6, l6;
	int ret;

	pton4(a->v4, &a4);
	pton6(a->v6, &g6);
	pton6(a->ll, &l6);
	ret = rtnl_link_set_addr_gen_mode(e->r, e->ifindex,
					  IN6_ADDR_GEN_MODE_NONE);
	if (!ret)
		ret = rtnl_watch_addr6(e->r, e->ifindex, &g6);
	if (!ret)
		ret = rtnl_watch_addr6(e->r, e->ifindex, &l6);
	if (!ret)
		ret = rtnl_addr_add(e->r, e->ifindex, AF_INET, &a4, a->v4len);
	if (!ret)
		ret = rtnl_addr_add(e->r, e->ifindex, AF_INET6, &g6, a->v6len);
	if (!ret)
		ret = rtnl_addr_add(e->r, e->ifindex, AF_INET6, &l6, 64);
	if (!ret)
		ret = rtnl_watch_link(e->r, e->ifindex);
	return ret;
}

/* Every address of peer, permanently at peer's MAC, on e's interface. */
static int topo_end_neighbours(const struct topo_end *e,
			       const struct topo_end *peer)
{
	const struct addr_plan *a = peer->plan;
	struct in_addr a4;
	struct in6_addr a6;
	int ret;

	pton4(a->v4, &a4);
	ret = rtnl_neigh_add(e->r, e->ifindex, AF_INET, &a4, peer->mac,
			     peer->router);
	pton6(a->v6, &a6);
	if (!ret)
		ret = rtnl_neigh_add(e->r, e->ifindex, AF_INET6, &a6,
				     peer->mac, peer->router);
	pton6(a->ll, &a6);
	if (!ret)
		ret = rtnl_neigh_add(e->r, e->ifindex, AF_INET6, &a6,
				     peer->mac, peer->router);
	return ret;
}

/* A veth between a's and b's namespaces, addressed and up, each end with
 * permanent entries for the other unless the caller wants real ND. */
static int topo_link_build(struct topo_end *a, struct topo_end *b,
			   unsigned int flags)
{
	int ret;

	ret = rtnl_veth_create(a->r, a->name, a->ifindex, b->name, b->ifindex,
			       b->nsfd);
	if (ret == -EEXIST && (a->ifindex || b->ifindex)) /* an index is taken */
		ret = rtnl_veth_create(a->r, a->name, 0, b->name, 0, b->nsfd);
	if (!ret)
		ret = rtnl_link_lookup(a->r, a->name, &a->ifindex, a->mac);
	if (!ret)
		ret = rtnl_link_lookup(b->r, b->name, &b->ifindex, b->mac);
	if (!ret)
		ret = topo_end_address(a);
	if (!ret)
		ret = topo_end_address(b);
	if (!ret)
		ret = rtnl_link_set_up(a->r, a->ifindex, true);
	if (!ret)
		ret = rtnl_link_set_up(b->r, b->ifindex, true);
	if (!ret && !(flags & TOPO_F_REAL_ND))
		ret = topo_end_neighbours(a, b);
	if (!ret && !(flags & TOPO_F_REAL_ND))
		ret = topo_end_neighbours(b, a);
	return ret;
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

static int topo_build_pair(struct topo *t, struct rtnl *r, unsigned int flags)
{
	struct topo_end c = { &r[ROLE_CLIENT], t->host[ROLE_CLIENT].nsfd,
			      "cli0", &plan_cli, false, TOPO_IFINDEX_BASE, { 0 } };
	struct topo_end s = { &r[ROLE_SERVER], t->host[ROLE_SERVER].nsfd,
			      "srv0", &plan_srv_pair, false, TOPO_IFINDEX_BASE + 1,
			      { 0 } };
	int ret;

	ret = topo_link_build(&c, &s, flags);
	if (ret)
		return ret;
	t->client_ifindex = t->host[ROLE_CLIENT].ifindex[1] = c.ifindex;
	t->server_ifindex = t->host[ROLE_SERVER].ifindex[0] = s.ifindex;
	pton4(plan_srv_pair.v4, &t->server4);
	pton6(plan_srv_pair.v6, &t->server6);
	pton6(plan_srv_pair.ll, &t->server_ll);
	return 0;
}

static int topo_build_routed(struct topo *t, struct rtnl *r,
			     unsigned int flags)
{
	int rtr = t->host[ROLE_ROUTER].nsfd;
	struct topo_end c = { &r[ROLE_CLIENT], t->host[ROLE_CLIENT].nsfd,
			      "cli0", &plan_cli, false, TOPO_IFINDEX_BASE, { 0 } };
	struct topo_end r0 = { &r[ROLE_ROUTER], rtr, "rtr0", &plan_rtr0, true,
			       TOPO_IFINDEX_BASE + 1, { 0 } };
	struct topo_end s = { &r[ROLE_SERVER], t->host[ROLE_SERVER].nsfd,
			      "srv0", &plan_srv_routed, false,
			      TOPO_IFINDEX_BASE + 2, { 0 } };
	struct topo_end r1 = { &r[ROLE_ROUTER], rtr, "rtr1", &plan_rtr1, true,
			       TOPO_IFINDEX_BASE + 3, { 0 } };
	int ret;

	ret = topo_link_build(&c, &r0, flags);
	if (!ret)
		ret = topo_link_build(&s, &r1, flags);
	if (!ret)
		ret = topo_route(c.r, "198.19.0.0", plan_rtr0.v4, "2001:2:1::",
				 plan_rtr0.v6);
	if (!ret)
		ret = topo_route(s.r, "198.18.0.0", plan_rtr1.v4, "2001:2::",
				 plan_rtr1.v6);
	if (ret)
		return ret;
	t->client_ifindex = t->host[ROLE_CLIENT].ifindex[1] = c.ifindex;
	t->server_ifindex = t->host[ROLE_SERVER].ifindex[0] = s.ifindex;
	t->host[ROLE_ROUTER].ifindex[0] = r0.ifindex;
	t->host[ROLE_ROUTER].ifindex[1] = r1.ifindex;
	pton4(plan_srv_routed.v4, &t->server4);
	pton6(plan_srv_routed.v6, &t->server6);
	/* link-local destinations only make sense on the client's own link:
	 * from the client, fe80::fe is the router */
	pton6(plan_rtr0.ll, &t->server_ll);
	return 0;
}

int topo_build(struct topo *t, enum topo_kind kind, const struct profile *p)
{
	return topo_build_flags(t, kind, p, 0);
}

int topo_build_flags(struct topo *t, enum topo_kind kind,
		     const struct profile *p, unsigned int flags)
{
	struct rtnl r[ROLE_MAX];
	uint64_t deadline;
	int home = -1, ret;

	memset(t, 0, sizeof(*t));
	memset(r, 0, sizeof(r));
	t->kind = kind;
	t->flags = flags;
	t->profile = p ? p : profile_default();
	for (int i = 0; i < ROLE_MAX; i++)
		t->host[i].nsfd = -1;
	ret = netns_current(&home);
	for (int i = 0; !ret && i < ROLE_MAX; i++)
		if (i != ROLE_ROUTER || kind == TOPO_ROUTED)
			ret = topo_host_create(t, (enum topo_role)i, home,
					       &r[i]);
	if (ret)
		goto out;
	pton4(plan_cli.v4, &t->client4);
	pton6(plan_cli.v6, &t->client6);
	pton6(plan_cli.ll, &t->client_ll);
	pton4("198.18.255.1", &t->unroutable4);
	pton6("2001:2:ffff::1", &t->unroutable6);
	ret = kind == TOPO_ROUTED ? topo_build_routed(t, r, flags)
				  : topo_build_pair(t, r, flags);
	deadline = util_now_ns() + READY_TIMEOUT_MS * 1000000ull;
	for (int i = 0; !ret && i < ROLE_MAX; i++)
		if (r[i].nl)
			ret = rtnl_watch_wait(&r[i], deadline);
out:
	for (int i = 0; i < ROLE_MAX; i++)
		rtnl_close(&r[i]);
	if (home >= 0)
		close(home);
	if (ret)
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
