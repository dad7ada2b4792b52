/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink requests over libmnl, and the readiness watch (see rtnl.h).
 * Every request is sent with NLM_F_ACK and waits for its ack, so an error
 * comes back as -errno from the call that caused it rather than surfacing
 * later.  A watching socket also receives notifications, interleaved with
 * the replies: the receive loop tells them apart by sequence number and
 * hands every link and address message, whatever its origin, to the watch.
 */
#include "netns/rtnl.h"

#include <errno.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <poll.h>
#include <stdio.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"
#include "netns/netns.h"

/* requests are small; a received datagram (one link message with all its
 * statistics, or a batch of replies) must never be truncated */
#define RTNL_BUF 8192
#define RTNL_RXBUF 32768

/* RFC 2863 operstates (linux/if.h, which clashes with glibc's net/if.h) */
#ifndef IF_OPER_UP
#define IF_OPER_UP 6
#endif
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000 /* carrier, as the driver reports it */
#endif

int rtnl_open(struct rtnl *r, int nsfd)
{
	int back = -1, ret = 0;

	memset(r, 0, sizeof(*r));
	if (nsfd >= 0) {
		ret = netns_current(&back);
		if (ret)
			return ret;
		ret = netns_enter(nsfd);
		if (ret)
			goto out;
	}
	/* the socket belongs to the namespace it is created in */
	r->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!r->nl) {
		ret = -errno;
		goto out;
	}
	if (mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		mnl_socket_close(r->nl);
		r->nl = NULL;
		goto out;
	}
	r->portid = mnl_socket_get_portid(r->nl);
	r->seq = (unsigned int)time(NULL);
out:
	if (back >= 0) {
		(void)netns_enter(back);
		close(back);
	}
	return ret;
}

void rtnl_close(struct rtnl *r)
{
	if (r->nl)
		mnl_socket_close(r->nl);
	r->nl = NULL;
}

static void rtnl_watch_msg(struct rtnl *r, const struct nlmsghdr *nlh);

/*
 * One datagram's messages: those answering seq go to cb, every link and
 * address message (answer or notification) to the watch.  MNL_CB_STOP at
 * the ack or done of seq, MNL_CB_OK to read on, or -errno.
 */
static int rtnl_dispatch(struct rtnl *r, const void *buf, size_t len,
			 unsigned int seq, mnl_cb_t cb, void *data)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		bool answer = nlh->nlmsg_seq == seq &&
			      nlh->nlmsg_pid == r->portid;

		if (r->watching)
			rtnl_watch_msg(r, nlh);
		if (!answer)
			continue;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			break;
		case NLMSG_ERROR: {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
				return -EBADMSG;
			return e->error ? e->error : MNL_CB_STOP;
		}
		case NLMSG_DONE:
			return MNL_CB_STOP;
		case NLMSG_OVERRUN:
			return -ENOBUFS;
		default:
			if (cb && cb(nlh, data) < 0)
				return -EBADMSG;
		}
	}
	return MNL_CB_OK;
}

/* Receive one datagram into buf; -EAGAIN when a non-blocking read finds
 * nothing.  A dropped notification (ENOBUFS) is noted, not an error of
 * the request being answered. */
static ssize_t rtnl_recv(struct rtnl *r, void *buf, size_t size, int flags)
{
	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(r->nl), buf, size,
				 flags | MSG_TRUNC);

		if (n > (ssize_t)size)
			return -EMSGSIZE;
		if (n >= 0)
			return n;
		if (errno == ENOBUFS && r->watching) {
			r->lost = true;
			continue;
		}
		if (errno != EINTR)
			return -errno;
	}
}

/* Send nlh and run cb over the replies until the ack/done; 0 or -errno. */
static int rtnl_talk(struct rtnl *r, struct nlmsghdr *nlh, mnl_cb_t cb,
		     void *data)
{
	char buf[RTNL_RXBUF];
	unsigned int seq;
	int ret;

	nlh->nlmsg_seq = seq = ++r->seq;
	if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = rtnl_recv(r, buf, sizeof(buf), 0);

		if (n < 0)
			return (int)n;
		ret = rtnl_dispatch(r, buf, (size_t)n, seq, cb, data);
		if (ret < 0)
			return ret;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

static struct nlmsghdr *rtnl_msg(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	return nlh;
}

int rtnl_veth_create(struct rtnl *r, const char *name, int ifindex,
		     const char *peer, int peer_ifindex, int peer_nsfd)
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	struct nlattr *linkinfo, *data, *peerinfo;

	nlh = rtnl_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peerinfo = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* VETH_INFO_PEER carries a struct ifinfomsg before its attributes */
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	memset(ifm, 0, sizeof(*ifm));
	ifm->ifi_index = peer_ifindex;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	if (peer_nsfd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_nsfd);
	mnl_attr_nest_end(nlh, peerinfo);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return rtnl_talk(r, nlh, NULL, NULL);
}

struct link_state {
	int ifindex;
	unsigned int flags;	/* ifi_flags: IFF_UP, IFF_LOWER_UP, ... */
	uint8_t operstate;
	int carrier;		/* IFLA_CARRIER, -1 when absent */
	char qdisc[IFNAMSIZ];
	char name[IFNAMSIZ];
	uint8_t mac[6];
	bool has_mac;
	bool found;
};

static int link_attr_cb(const struct nlattr *a, void *data)
{
	struct link_state *s = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_OPERSTATE:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			s->operstate = mnl_attr_get_u8(a);
		break;
	case IFLA_CARRIER:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			s->carrier = mnl_attr_get_u8(a);
		break;
	case IFLA_QDISC:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(s->qdisc, sizeof(s->qdisc), "%s",
				 mnl_attr_get_str(a));
		break;
	case IFLA_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(s->name, sizeof(s->name), "%s",
				 mnl_attr_get_str(a));
		break;
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(a) == sizeof(s->mac)) {
			memcpy(s->mac, mnl_attr_get_payload(a),
			       sizeof(s->mac));
			s->has_mac = true;
		}
		break;
	}
	return MNL_CB_OK;
}

static void link_parse(const struct nlmsghdr *nlh, struct link_state *s)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	memset(s, 0, sizeof(*s));
	s->carrier = -1;
	s->ifindex = ifm->ifi_index;
	s->flags = ifm->ifi_flags;
	s->found = true;
	mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, s);
}

static int link_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		link_parse(nlh, data);
	return MNL_CB_OK;
}

static int rtnl_link_get(struct rtnl *r, int ifindex, const char *name,
			 struct link_state *s)
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh = rtnl_msg(buf, RTM_GETLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	int ret;

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	memset(s, 0, sizeof(*s));
	ret = rtnl_talk(r, nlh, link_msg_cb, s);
	if (!ret && !s->found)
		ret = -ENODEV;
	return ret;
}

int rtnl_link_lookup(struct rtnl *r, const char *name, int *ifindex,
		     uint8_t mac[6])
{
	struct link_state s;
	int ret = rtnl_link_get(r, 0, name, &s);

	if (!ret && mac && !s.has_mac)
		ret = -EAFNOSUPPORT; /* not an Ethernet-like link */
	if (ret)
		return ret;
	*ifindex = s.ifindex;
	if (mac)
		memcpy(mac, s.mac, sizeof(s.mac));
	return 0;
}

int rtnl_link_index(struct rtnl *r, const char *name, int *ifindex)
{
	return rtnl_link_lookup(r, name, ifindex, NULL);
}

int rtnl_link_set_up(struct rtnl *r, int ifindex, bool up)
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh = rtnl_msg(buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = up ? IFF_UP : 0;
	return rtnl_talk(r, nlh, NULL, NULL);
}

int rtnl_link_set_addr_gen_mode(struct rtnl *r, int ifindex, uint8_t mode)
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh = rtnl_msg(buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct nlattr *spec, *af;

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	af = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, mode);
	mnl_attr_nest_end(nlh, af);
	mnl_attr_nest_end(nlh, spec);
	return rtnl_talk(r, nlh, NULL, NULL);
}

int rtnl_link_del(struct rtnl *r, int ifindex)
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh = rtnl_msg(buf, RTM_DELLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return rtnl_talk(r, nlh, NULL, NULL);
}

int rtnl_addr_add(struct rtnl *r, int ifindex, int family, const void *addr,
		  unsigned int plen)
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh = rtnl_msg(buf, RTM_NEWADDR,
					NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	size_t alen = family == AF_INET ? 4 : 16;

	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)plen;
	ifa->ifa_index = (uint32_t)ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	if (family == AF_INET6) {
		ifa->ifa_flags = IFA_F_NODAD;
		if (((const uint8_t *)addr)[0] == 0xfe &&
		    (((const uint8_t *)addr)[1] & 0xc0) == 0x80)
			ifa->ifa_scope = RT_SCOPE_LINK;
	}
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	return rtnl_talk(r, nlh, NULL, NULL);
}

int rtnl_route_add(struct rtnl *r, int family, const void *dst,
		   unsigned int plen, const void *gw, int ifindex)
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh = rtnl_msg(buf, RTM_NEWROUTE,
					NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	size_t alen = family == AF_INET ? 4 : 16;

	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	if (dst && plen)
		mnl_attr_put(nlh, RTA_DST, alen, dst);
	if (gw)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, gw);
	if (ifindex)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	return rtnl_talk(r, nlh, NULL, NULL);
}

int rtnl_neigh_add(struct rtnl *r, int ifindex, int family, const void *addr,
		   const uint8_t lladdr[6], bool router)
{
	char buf[RTNL_BUF];
	/* REPLACE: an entry learnt from early traffic gives way */
	struct nlmsghdr *nlh = rtnl_msg(buf, RTM_NEWNEIGH,
					NLM_F_CREATE | NLM_F_REPLACE);
	struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));

	ndm->ndm_family = (uint8_t)family;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_PERMANENT;
	/* the router flag is an IPv6 neighbour-discovery notion */
	ndm->ndm_flags = router && family == AF_INET6 ? NTF_ROUTER : 0;
	ndm->ndm_type = RTN_UNICAST;
	mnl_attr_put(nlh, NDA_DST, family == AF_INET ? 4 : 16, addr);
	mnl_attr_put(nlh, NDA_LLADDR, 6, lladdr);
	return rtnl_talk(r, nlh, NULL, NULL);
}

struct neigh_state {
	uint16_t state;
	uint8_t *lladdr;
	bool found;
};

static int neigh_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	struct neigh_state *s = data;
	struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWNEIGH)
		return MNL_CB_OK;
	s->found = true;
	s->state = ndm->ndm_state;
	mnl_attr_for_each(a, nlh, sizeof(*ndm))
		if (mnl_attr_get_type(a) == NDA_LLADDR && s->lladdr &&
		    mnl_attr_get_payload_len(a) == 6)
			memcpy(s->lladdr, mnl_attr_get_payload(a), 6);
	return MNL_CB_OK;
}

int rtnl_neigh_get(struct rtnl *r, int ifindex, int family, const void *addr,
		   uint16_t *state, uint8_t lladdr[6])
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh = rtnl_msg(buf, RTM_GETNEIGH, 0);
	struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	struct neigh_state s = { 0, lladdr, false };
	int ret;

	ndm->ndm_family = (uint8_t)family;
	ndm->ndm_ifindex = ifindex;
	mnl_attr_put(nlh, NDA_DST, family == AF_INET ? 4 : 16, addr);
	ret = rtnl_talk(r, nlh, neigh_msg_cb, &s);
	if (!ret && !s.found)
		ret = -ENOENT;
	if (!ret)
		*state = s.state;
	return ret;
}

/* ---- the watch ---------------------------------------------------------- */

int rtnl_watch_start(struct rtnl *r)
{
	static const int groups[] = { RTNLGRP_LINK, RTNLGRP_IPV6_IFADDR };

	for (size_t i = 0; i < ARRAY_SIZE(groups); i++) {
		int g = groups[i];

		if (mnl_socket_setsockopt(r->nl, NETLINK_ADD_MEMBERSHIP, &g,
					  sizeof(g)) < 0)
			return -errno;
	}
	r->watching = true;
	return 0;
}

int rtnl_watch_link(struct rtnl *r, int ifindex)
{
	if (r->nlinks >= RTNL_WATCH_MAX)
		return -ENOSPC;
	r->link[r->nlinks].ifindex = ifindex;
	r->link[r->nlinks].ready = false;
	r->nlinks++;
	return 0;
}

int rtnl_watch_addr6(struct rtnl *r, int ifindex, const struct in6_addr *a)
{
	if (r->naddrs >= RTNL_WATCH_MAX)
		return -ENOSPC;
	r->addr[r->naddrs].ifindex = ifindex;
	r->addr[r->naddrs].addr = *a;
	r->addr[r->naddrs].ready = false;
	r->naddrs++;
	return 0;
}

/* Transmits for real: admin up, carrier, operstate UP (set by linkwatch
 * just before it activates the qdisc), and a qdisc that is not noop. */
static bool link_ready(const struct link_state *s)
{
	return (s->flags & IFF_UP) && (s->flags & IFF_LOWER_UP) &&
	       s->operstate == IF_OPER_UP && s->carrier != 0 && s->qdisc[0] &&
	       strcmp(s->qdisc, "noop") != 0;
}

struct addr_state {
	uint32_t flags;
	const struct in6_addr *addr;
};

static int addr_attr_cb(const struct nlattr *a, void *data)
{
	struct addr_state *s = data;

	switch (mnl_attr_get_type(a)) {
	case IFA_ADDRESS:
		if (mnl_attr_get_payload_len(a) == sizeof(struct in6_addr))
			s->addr = mnl_attr_get_payload(a);
		break;
	case IFA_FLAGS: /* the full flags; ifa_flags holds the low 8 bits */
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			s->flags = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

static void rtnl_watch_link_msg(struct rtnl *r, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct link_state s;

	if (ifm->ifi_family != AF_UNSPEC)
		return;
	link_parse(nlh, &s);
	for (unsigned int i = 0; i < r->nlinks; i++)
		if (r->link[i].ifindex == s.ifindex)
			r->link[i].ready = nlh->nlmsg_type == RTM_NEWLINK &&
					   link_ready(&s);
}

static void rtnl_watch_addr_msg(struct rtnl *r, const struct nlmsghdr *nlh)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_state s = { ifa->ifa_flags, NULL };

	if (ifa->ifa_family != AF_INET6)
		return;
	mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, &s);
	if (!s.addr)
		return;
	for (unsigned int i = 0; i < r->naddrs; i++)
		if (r->addr[i].ifindex == (int)ifa->ifa_index &&
		    !memcmp(&r->addr[i].addr, s.addr, sizeof(*s.addr)))
			r->addr[i].ready =
				nlh->nlmsg_type == RTM_NEWADDR &&
				!(s.flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
}

static void rtnl_watch_msg(struct rtnl *r, const struct nlmsghdr *nlh)
{
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(struct ifinfomsg)))
			rtnl_watch_link_msg(r, nlh);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(struct ifaddrmsg)))
			rtnl_watch_addr_msg(r, nlh);
		break;
	}
}

static bool rtnl_watch_links_ready(const struct rtnl *r)
{
	for (unsigned int i = 0; i < r->nlinks; i++)
		if (!r->link[i].ready)
			return false;
	return true;
}

static bool rtnl_watch_addrs_ready(const struct rtnl *r)
{
	for (unsigned int i = 0; i < r->naddrs; i++)
		if (!r->addr[i].ready)
			return false;
	return true;
}

/* Block until the socket has something (or the deadline), then take in
 * all that is queued. */
static int rtnl_watch_poll(struct rtnl *r, uint64_t deadline_ns)
{
	struct pollfd pfd = { mnl_socket_get_fd(r->nl), POLLIN, 0 };
	char buf[RTNL_RXBUF];
	uint64_t now = util_now_ns();
	ssize_t n;
	int ret;

	if (r->lost)
		return -ENOBUFS;
	if (now >= deadline_ns)
		return -ETIMEDOUT;
	ret = poll(&pfd, 1, (int)((deadline_ns - now + 999999) / 1000000));
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;
	if (ret == 0)
		return -ETIMEDOUT;
	for (;;) {
		n = rtnl_recv(r, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == -EAGAIN || n == -EWOULDBLOCK)
			return r->lost ? -ENOBUFS : 0;
		if (n < 0)
			return (int)n;
		/* seq 0 answers nothing: all of it is notification */
		ret = rtnl_dispatch(r, buf, (size_t)n, 0, NULL, NULL);
		if (ret < 0)
			return ret;
	}
}

int rtnl_watch_wait(struct rtnl *r, uint64_t deadline_ns)
{
	struct link_state s;
	int ret = 0;

	if (!r->watching)
		return -EINVAL;
	/* an address is proven by its announcement alone: a dump lists a
	 * NODAD address from the moment it is added, before it can receive */
	while (!ret && !rtnl_watch_addrs_ready(r))
		ret = rtnl_watch_poll(r, deadline_ns);
	/* the answers update the watch like notifications do */
	for (unsigned int i = 0; !ret && i < r->nlinks; i++)
		ret = rtnl_link_get(r, r->link[i].ifindex, NULL, &s);
	while (!ret && !rtnl_watch_links_ready(r))
		ret = rtnl_watch_poll(r, deadline_ns);
	if (!ret && r->lost)
		ret = -ENOBUFS;
	return ret;
}
