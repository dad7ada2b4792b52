/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink over libmnl: just what tfocheck's topologies need — veth pairs
 * created straight into their namespaces, links up/down, addresses without
 * DAD, permanent neighbour entries, routes, and a readiness watch driven by
 * the kernel's own notifications.
 *
 * Readiness (rtnl_watch_*): a link is ready when the kernel reports it
 * admin up with carrier, operstate UP and a real qdisc (packets sent while
 * a fresh veth still transmits through the noop qdisc are dropped, and a
 * first SYN then stalls for a 1 s retransmission); an IPv6 address is
 * ready when addrconf announces it with IFA_F_TENTATIVE clear, which it
 * does from a work queue only after joining its solicited-node group and
 * just before inserting the local route that lets it receive.  IPv4
 * addresses need no watch: they and their routes are complete when the
 * request is acknowledged.
 *
 * Contract: 0 or -errno (the kernel's netlink error where there is one).
 */
#ifndef TFOCHECK_RTNL_H
#define TFOCHECK_RTNL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

struct mnl_socket;

#define RTNL_WATCH_MAX 8

struct rtnl {
	struct mnl_socket *nl;
	unsigned int seq;
	unsigned int portid;
	/* the watch (rtnl_watch_*): what must be reported ready */
	bool watching;
	bool lost;		/* notifications dropped (ENOBUFS) */
	unsigned int nlinks, naddrs;
	struct {
		int ifindex;
		bool ready;
	} link[RTNL_WATCH_MAX];
	struct {
		int ifindex;
		struct in6_addr addr;
		bool ready;
	} addr[RTNL_WATCH_MAX];
};

/* Open a NETLINK_ROUTE socket inside nsfd (-1: current namespace). */
int rtnl_open(struct rtnl *r, int nsfd);
void rtnl_close(struct rtnl *r);

/* Create veth NAME in r's namespace with its peer PEER created directly in
 * peer_nsfd (never passing through any other namespace), with interface
 * indexes ifindex and peer_ifindex (0 for the kernel's choice; the kernel
 * honours the peer's only when NAME's is given).  -EEXIST: a name or an
 * index is taken. */
int rtnl_veth_create(struct rtnl *r, const char *name, int ifindex,
		     const char *peer, int peer_ifindex, int peer_nsfd);
int rtnl_link_index(struct rtnl *r, const char *name, int *ifindex);
/* Index and hardware address (6 bytes, Ethernet) of link NAME. */
int rtnl_link_lookup(struct rtnl *r, const char *name, int *ifindex,
		     uint8_t mac[6]);
int rtnl_link_set_up(struct rtnl *r, int ifindex, bool up);
/* The link's IPv6 address generation mode (IN6_ADDR_GEN_MODE_*, e.g. NONE:
 * no automatic link-local address when it comes up); before it is up. */
int rtnl_link_set_addr_gen_mode(struct rtnl *r, int ifindex, uint8_t mode);
int rtnl_link_del(struct rtnl *r, int ifindex);

/* Add addr/plen (family AF_INET or AF_INET6) on ifindex; IPv6 addresses
 * get IFA_F_NODAD so they are usable at once. */
int rtnl_addr_add(struct rtnl *r, int ifindex, int family, const void *addr,
		  unsigned int plen);
/* Add a route to dst/plen via gw (may be NULL) out of ifindex (0: any). */
int rtnl_route_add(struct rtnl *r, int family, const void *dst,
		   unsigned int plen, const void *gw, int ifindex);
/* Install (or replace) a permanent neighbour entry: addr (AF_INET or
 * AF_INET6) is at Ethernet address lladdr on ifindex, so no ARP or
 * neighbour discovery ever runs for it; router sets NTF_ROUTER, as a
 * neighbour advertisement from a forwarding node would. */
int rtnl_neigh_add(struct rtnl *r, int ifindex, int family, const void *addr,
		   const uint8_t lladdr[6], bool router);

/* The entry for addr on ifindex: its NUD_* state and Ethernet address
 * (lladdr may be NULL); -ENOENT when there is none. */
int rtnl_neigh_get(struct rtnl *r, int ifindex, int family, const void *addr,
		   uint16_t *state, uint8_t lladdr[6]);

/*
 * The watch.  rtnl_watch_start() subscribes r to link and IPv6 address
 * notifications; from then on every link or address message r receives
 * (notification or reply) updates what it knows.  Declare what must
 * become ready with rtnl_watch_link()/rtnl_watch_addr6() BEFORE the
 * request that makes it so (setting the link up, adding the address):
 * the event then cannot be missed, whenever it comes.
 */
int rtnl_watch_start(struct rtnl *r);
int rtnl_watch_link(struct rtnl *r, int ifindex);
int rtnl_watch_addr6(struct rtnl *r, int ifindex, const struct in6_addr *a);
/*
 * Wait until everything declared is ready: first for the addresses'
 * announcements, then one RTM_GETLINK per link (recent kernels run a
 * link's pending linkwatch event before answering, so the answer is final
 * at once; it also takes the lock under which addrconf announced the
 * addresses and then inserted their routes, so it returns after those),
 * then for the link notifications of whatever is still not ready.  Never sleeps on a
 * timer: it blocks in poll() on the socket until deadline_ns
 * (CLOCK_MONOTONIC, util_now_ns()), then -ETIMEDOUT.  -ENOBUFS when
 * notifications were dropped.
 */
int rtnl_watch_wait(struct rtnl *r, uint64_t deadline_ns);

#endif
