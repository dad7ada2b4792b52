/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink over libmnl: just what tfocheck's topologies need — veth pairs
 * created straight into their namespaces, links up/down, addresses without
 * DAD, routes, and the readiness wait (operstate UP and a real qdisc:
 * packets sent while a fresh veth still has the noop qdisc are dropped and
 * the first SYN stalls for a 1 s retransmission).
 *
 * Contract: 0 or -errno (the kernel's netlink error where there is one).
 */
#ifndef TFOCHECK_RTNL_H
#define TFOCHECK_RTNL_H

#include <stdbool.h>

struct mnl_socket;

struct rtnl {
	struct mnl_socket *nl;
	unsigned int seq;
	unsigned int portid;
};

/* Open a NETLINK_ROUTE socket inside nsfd (-1: current namespace). */
int rtnl_open(struct rtnl *r, int nsfd);
void rtnl_close(struct rtnl *r);

/* Create veth NAME in r's namespace with its peer PEER created directly in
 * peer_nsfd (never passing through any other namespace). */
int rtnl_veth_create(struct rtnl *r, const char *name, const char *peer,
		     int peer_nsfd);
int rtnl_link_index(struct rtnl *r, const char *name, int *ifindex);
int rtnl_link_set_up(struct rtnl *r, int ifindex, bool up);
int rtnl_link_del(struct rtnl *r, int ifindex);
/* Poll until operstate is UP (or UNKNOWN for lo) and the qdisc is not
 * "noop"; -ETIMEDOUT after timeout_ms. */
int rtnl_link_wait_ready(struct rtnl *r, int ifindex, int timeout_ms);

/* Add addr/plen (family AF_INET or AF_INET6) on ifindex; IPv6 addresses
 * get IFA_F_NODAD so they are usable at once. */
int rtnl_addr_add(struct rtnl *r, int ifindex, int family, const void *addr,
		  unsigned int plen);
/* Add a route to dst/plen via gw (may be NULL) out of ifindex (0: any). */
int rtnl_route_add(struct rtnl *r, int family, const void *dst,
		   unsigned int plen, const void *gw, int ifindex);

#endif
