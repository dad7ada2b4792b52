/* SPDX-License-Identifier: MIT */
/*
 * Declarative test topologies: each host is an anonymous network namespace
 * (lo up), joined by veth pairs built over rtnetlink, addressed from the
 * benchmarking ranges, with per-namespace sysctls from a profile.
 *
 *   TOPO_PAIR:    client ──veth── server
 *
 *       cli0 198.18.0.1/24         srv0 198.18.0.2/24
 *            2001:2::1/64               2001:2::2/64
 *            fe80::1/64                 fe80::2/64
 *
 *   TOPO_ROUTED:  client ──veth── router ──veth── server
 *
 *       cli0 198.18.0.1/24  rtr0 198.18.0.254/24
 *            2001:2::1/64        2001:2::fe/64
 *                           rtr1 198.19.0.254/24  srv0 198.19.0.2/24
 *                                2001:2:1::fe/64       2001:2:1::2/64
 *       (fe80::1/fe80::fe on the client link, fe80::fe/fe80::2 on the
 *        server link; forwarding on in the router; routes only to the
 *        peer subnets, so 198.18.255.1 / 2001:2:ffff::1 are unroutable)
 *
 * topo_build() hands back a topology only when its first packet cannot be
 * lost: every link transmitting through a real qdisc, every IPv6 address
 * (no DAD) announced by the kernel as complete, and every peer address on
 * every link in a permanent neighbour entry (the real MAC of the peer's
 * veth end), so no ARP or neighbour discovery happens before the first
 * packet, nor ever after.  The wait is on rtnetlink events, not timers.
 *
 * Contract: 0 or -errno.  The calling thread's namespace is unchanged by
 * every function except topo_enter().
 */
#ifndef TFOCHECK_TOPO_H
#define TFOCHECK_TOPO_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "netns/profile.h"

enum topo_kind { TOPO_PAIR, TOPO_ROUTED };
enum topo_role { ROLE_CLIENT, ROLE_SERVER, ROLE_ROUTER, ROLE_MAX };

/* How a case addresses the server: the family axis of the variants. */
enum topo_family {
	FAM_IPV4,	/* AF_INET socket, IPv4 address */
	FAM_IPV6,	/* AF_INET6 socket, global IPv6 address */
	FAM_MAPPED,	/* AF_INET6 socket, IPv4-mapped IPv6 address */
	FAM_LINKLOCAL,	/* AF_INET6 socket, fe80:: address + scope id */
	FAM_MAX
};

struct topo_host {
	int nsfd;		/* -1 when the topology has no such host */
	int ifindex[2];		/* [0] towards the client, [1] towards the server */
};

/* topo_build_flags() flags */
#define TOPO_F_REAL_ND 0x1u	/* no permanent neighbour entries: ARP and
				 * IPv6 neighbour discovery run on first
				 * contact, as on a real link (readiness
				 * still guarantees the targets answer) */

struct topo {
	enum topo_kind kind;
	unsigned int flags;	/* TOPO_F_* it was built with */
	const struct profile *profile;
	struct topo_host host[ROLE_MAX];
	struct in_addr client4, server4, unroutable4;
	struct in6_addr client6, server6, unroutable6;
	struct in6_addr client_ll, server_ll; /* link-local, on the client link */
	int client_ifindex;	/* cli0: scope id for link-local destinations */
	int server_ifindex;	/* srv0: where the wire observer listens */
};

/* p NULL: profile_default().  topo_build() is topo_build_flags(..., 0). */
int topo_build(struct topo *t, enum topo_kind kind, const struct profile *p);
int topo_build_flags(struct topo *t, enum topo_kind kind,
		     const struct profile *p, unsigned int flags);
void topo_destroy(struct topo *t);

/* Move the calling thread into a host's namespace. */
int topo_enter(const struct topo *t, enum topo_role role);
/* socket(2) inside a host's namespace. */
int topo_socket(const struct topo *t, enum topo_role role, int domain,
		int type, int protocol);

/* Socket domain used for a family variant (AF_INET or AF_INET6). */
int topo_family_domain(enum topo_family f);
const char *topo_family_name(enum topo_family f);
int topo_family_from_name(const char *name, enum topo_family *out);

/* The server's address for family f (link-local one for FAM_LINKLOCAL,
 * with sin6_scope_id set to the client's interface). */
void topo_server_addr(const struct topo *t, enum topo_family f, uint16_t port,
		      struct sockaddr_storage *ss, socklen_t *len);
/* An address with no route from the client (ENETUNREACH). */
void topo_unroutable_addr(const struct topo *t, enum topo_family f,
			  uint16_t port, struct sockaddr_storage *ss,
			  socklen_t *len);
/* Raw address bytes in network order as libowfat wants them: 4 bytes for
 * FAM_IPV4, 16 (v4-mapped for FAM_MAPPED) otherwise. */
void topo_server_raw(const struct topo *t, enum topo_family f,
		     unsigned char ip[16]);

/* The listener address family that serves a client of family f. */
int topo_server_domain(enum topo_family f);

/* A listening TCP socket in the server namespace serving clients of family
 * f: the wildcard address of topo_server_domain(f) (so the link-local
 * address is served too; IPv6 listeners are V6ONLY), port (0: any),
 * TCP_FASTOPEN queue length tfo_qlen when > 0.  fd or -errno. */
int topo_listener(const struct topo *t, enum topo_family f, uint16_t port,
		  int tfo_qlen);

#endif
