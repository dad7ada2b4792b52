/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink requests over libmnl (see rtnl.h).  Every request is sent with
 * NLM_F_ACK and waits for its ack, so an error comes back as -errno from
 * the call that caused it rather than surfacing later.
 */
#include "netns/rtnl.h"

#include <errno.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"
#include "netns/netns.h"

#define RTNL_BUF 8192

/* RFC 2863 operstates (linux/if.h, which clashes with glibc's net/if.h) */
#ifndef IF_OPER_UP
#define IF_OPER_UNKNOWN 0
#define IF_OPER_UP 6
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

/* Send nlh and run cb over the replies until the ack/done; 0 or -errno. */
static int rtnl_talk(struct rtnl *r, struct nlmsghdr *nlh, mnl_cb_t cb,
		     void *data)
{
	char buf[RTNL_BUF];
	unsigned int seq;
	int ret;

	nlh->nlmsg_seq = seq = ++r->seq;
	if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(r->nl, buf, sizeof(buf));

		if (n < 0)
			return errno == EINTR ? -EINTR : -errno;
		ret = mnl_cb_run(buf, (size_t)n, seq, r->portid, cb, data);
		if (ret < 0)
			return -errno;
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

int rtnl_veth_create(struct rtnl *r, const char *name, const char *peer,
		     int peer_nsfd)
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	struct nlattr *linkinfo, *data, *peerinfo;

	nlh = rtnl_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peerinfo = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* VETH_INFO_PEER carries a struct ifinfomsg before its attributes */
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	memset(ifm, 0, sizeof(*ifm));
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
	uint8_t operstate;
	char qdisc[IFNAMSIZ];
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
	case IFLA_QDISC:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(s->qdisc, sizeof(s->qdisc), "%s",
				 mnl_attr_get_str(a));
		break;
	}
	return MNL_CB_OK;
}

static int link_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_state *s = data;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	s->ifindex = ifm->ifi_index;
	s->found = true;
	s->qdisc[0] = 0;
	mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, s);
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

int rtnl_link_index(struct rtnl *r, const char *name, int *ifindex)
{
	struct link_state s;
	int ret = rtnl_link_get(r, 0, name, &s);

	if (!ret)
		*ifindex = s.ifindex;
	return ret;
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

int rtnl_link_del(struct rtnl *r, int ifindex)
{
	char buf[RTNL_BUF];
	struct nlmsghdr *nlh = rtnl_msg(buf, RTM_DELLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return rtnl_talk(r, nlh, NULL, NULL);
}

int rtnl_link_wait_ready(struct rtnl *r, int ifindex, int timeout_ms)
{
	uint64_t deadline = util_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	unsigned int pause_us = 20;
	struct link_state s;
	int ret;

	for (;;) {
		ret = rtnl_link_get(r, ifindex, NULL, &s);
		if (ret)
			return ret;
		if ((s.operstate == IF_OPER_UP ||
		     s.operstate == IF_OPER_UNKNOWN) &&
		    s.qdisc[0] && strcmp(s.qdisc, "noop"))
			return 0;
		if (util_now_ns() > deadline)
			return -ETIMEDOUT;
		/* linkwatch attaches the qdisc within tens of µs when idle;
		 * back off on a busy machine */
		usleep(pause_us);
		if (pause_us < 2000)
			pause_us *= 2;
	}
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
