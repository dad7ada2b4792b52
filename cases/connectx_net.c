/* SPDX-License-Identifier: MIT */
/*
 * connectx(2) cases, part 2: source address and interface (sae_srcaddr,
 * sae_srcif) and the outcomes of the connection attempt (the page's
 * ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, ETIMEDOUT, ENETDOWN, EINTR).
 *
 * The bodies run in the client's namespace (topo_enter): a library may
 * resolve an interface index there (if_indextoname, getifaddrs), as an
 * application living in that namespace would.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cases/connectx.h"
#include "harness/libload.h"

enum cxa {
	CXA_SRCADDR_BINDS,
	CXA_SRCADDR_INUSE,
	CXA_SRCADDR_NOTLOCAL,
	CXA_SRCIF_BINDS,
	CXA_SRCIF_SRCADDR,
	CXA_SRCIF_ENFORCED,
	CXA_SRCIF_MISMATCH,
	CXA_SRCIF_BAD,
	CXA_IMPLICIT,
};

/* Loopback's index in the client namespace (lo is always there). */
static int cx_lo_index(struct case_ctx *c)
{
	struct ifreq ifr;
	int fd = topo_socket(&c->topo, ROLE_CLIENT, AF_INET, SOCK_DGRAM, 0);
	int ret;

	if (fd < 0)
		return fd;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ret = ioctl(fd, SIOCGIFINDEX, &ifr) ? -errno : ifr.ifr_ifindex;
	close(fd);
	return ret;
}

/* The loopback address of the family: local, but not on the client link. */
static void cx_loopback(struct case_ctx *c, uint16_t port,
			struct sockaddr_storage *ss, socklen_t *sl)
{
	cx_sockaddr(c, topo_family_domain(c->family) == AF_INET ? "127.0.0.1" :
								  "::1",
		    port, ss, sl);
}

/*
 * An address on the client's subnet that no host has, derived from the
 * topology: the client's own address with host part 77 (IPv4: last octet,
 * IPv6: last 16 bits; both well inside a /24 and a /64), distinct from
 * every address the topology hands out.  A probe bind() in the client
 * namespace proves it is not local there (ip_nonlocal_bind, a topology
 * that assigns it): otherwise the case cannot run (-EADDRINUSE).
 */
static int cx_unassigned_src(struct case_ctx *c, uint16_t port,
			     struct sockaddr_storage *ss, socklen_t *sl)
{
	const struct topo *t = &c->topo;
	int domain = topo_family_domain(c->family), fd, r;

	memset(ss, 0, sizeof(*ss));
	if (domain == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;

		s->sin_family = AF_INET;
		s->sin_addr.s_addr = (t->client4.s_addr & htonl(0xffffff00U)) |
				     htonl(77);
		if (s->sin_addr.s_addr == t->client4.s_addr ||
		    s->sin_addr.s_addr == t->server4.s_addr)
			return -EADDRINUSE;
		s->sin_port = htons(port);
		*sl = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;

		s->sin6_family = AF_INET6;
		s->sin6_addr = t->client6;
		s->sin6_addr.s6_addr[14] = 0;
		s->sin6_addr.s6_addr[15] = 0x77;
		if (IN6_ARE_ADDR_EQUAL(&s->sin6_addr, &t->client6) ||
		    IN6_ARE_ADDR_EQUAL(&s->sin6_addr, &t->server6))
			return -EADDRINUSE;
		s->sin6_port = htons(port);
		*sl = sizeof(*s);
	}
	fd = topo_socket(t, ROLE_CLIENT, domain, SOCK_STREAM, 0);
	if (fd < 0)
		return fd;
	r = bind(fd, (struct sockaddr *)ss, *sl) ? errno : 0;
	close(fd);
	if (r == EADDRNOTAVAIL)
		return 0;
	return r ? -r : -EADDRINUSE;
}

/* Source address and interface. */
static void cx_addresses(struct case_ctx *c)
{
	enum cxa v = (enum cxa)c->def->arg;
	struct sockaddr_storage ss, want;
	char self[80], peer[80];
	int fd, hold = -1, ret, err, want_err = 0, bound;
	bool check_src = false, check_if = false;
	struct cx_out o;
	struct cx_ep e;
	struct peer p;
	socklen_t sl;

	CASE_SETUP(c, topo_enter(&c->topo, ROLE_CLIENT));
	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	cx_ep_server(c, &e, p.port);
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);

	switch (v) {
	case CXA_SRCADDR_BINDS:
		cx_ep_client_src(c, &e, CX_SRC_PORT);
		check_src = true;
		break;
	case CXA_SRCADDR_INUSE:
		cx_ep_client_src(c, &e, CX_SRC_PORT);
		hold = cx_socket(c, SOCK_STREAM, false);
		CASE_SETUP(c, hold);
		CASE_SETUP(c, bind(hold, e.ep.sae_srcaddr,
				   e.ep.sae_srcaddrlen) ? -errno : 0);
		CASE_SETUP(c, listen(hold, 1) ? -errno : 0);
		want_err = EADDRINUSE;
		break;
	case CXA_SRCADDR_NOTLOCAL:
		/* on the client's subnet, assigned to nobody */
		CASE_SETUP(c, cx_unassigned_src(c, CX_SRC_PORT, &e.src,
						&e.ep.sae_srcaddrlen));
		e.ep.sae_srcaddr = (struct sockaddr *)&e.src;
		want_err = EADDRNOTAVAIL;
		break;
	case CXA_SRCIF_BINDS:
		e.ep.sae_srcif = (unsigned int)c->topo.client_ifindex;
		check_if = true;
		break;
	case CXA_SRCIF_SRCADDR:
		e.ep.sae_srcif = (unsigned int)c->topo.client_ifindex;
		cx_ep_client_src(c, &e, CX_SRC_PORT);
		check_if = check_src = true;
		break;
	case CXA_SRCIF_ENFORCED:
		/* the server is reachable only through cli0, never lo */
		ret = cx_lo_index(c);
		CASE_SETUP(c, ret);
		e.ep.sae_srcif = (unsigned int)ret;
		want_err = -1;
		break;
	case CXA_SRCIF_MISMATCH:
		/* loopback's address is local, but not cli0's */
		e.ep.sae_srcif = (unsigned int)c->topo.client_ifindex;
		cx_loopback(c, 0, &e.src, &e.ep.sae_srcaddrlen);
		e.ep.sae_srcaddr = (struct sockaddr *)&e.src;
		want_err = EADDRNOTAVAIL;
		break;
	case CXA_SRCIF_BAD:
		e.ep.sae_srcif = 9999;
		want_err = ENXIO;
		break;
	case CXA_IMPLICIT:
		break;
	}

	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	cx_name_text(fd, false, self, sizeof(self));
	cx_name_text(fd, true, peer, sizeof(peer));
	if (want_err == -1) {
		CASE_EXPECT(c, ret == -1,
			    "expected connectx forced onto loopback (sae_srcif = lo) to fail to reach a server that lies behind another interface; observed success (local %s, peer %s): the interface was not used",
			    self, peer);
		usleep(100 * 1000);
		CASE_EXPECT(c, peer_count(&p) == 0,
			    "expected no connection at the server; observed %u",
			    peer_count(&p));
		case_note(c, "failed with %s", util_errno_name(err));
		goto out;
	}
	if (want_err) {
		CASE_EXPECT(c, ret == -1 && err == want_err,
			    "expected %s; observed %s (local %s)",
			    util_errno_name(want_err), cx_res(ret, err), self);
		CASE_EXPECT(c, strcmp(peer, "ENOTCONN") == 0,
			    "expected no connection after %s; observed peer %s",
			    util_errno_name(want_err), peer);
		goto out;
	}
	CASE_EXPECT(c, ret == 0,
		    "expected connectx to succeed; observed %s", cx_res(ret, err));
	sl = sizeof(ss);
	CASE_SETUP(c, getsockname(fd, (struct sockaddr *)&ss, &sl) ? -errno : 0);
	if (check_src)
		CASE_EXPECT(c, cx_same_addr((struct sockaddr *)&ss, e.ep.sae_srcaddr, true),
			    "expected the socket bound to sae_srcaddr (port %u), as if bind(2) were used; observed local %s",
			    CX_SRC_PORT, self);
	/* the source the domain picks (or was given) is cli0's address */
	cx_ep_client_src(c, &e, 0);
	memcpy(&want, &e.src, sizeof(want));
	CASE_EXPECT(c, cx_same_addr((struct sockaddr *)&ss, (struct sockaddr *)&want, false) &&
			       cc_local_port(fd) != 0,
		    "expected a source address on the client interface with a port; observed local %s",
		    self);
	if (check_if) {
		bound = cxp_bound_ifindex(fd, topo_family_domain(c->family));
		CASE_EXPECT(c, bound == c->topo.client_ifindex,
			    "expected the connection forced onto interface %d (sae_srcif); observed bound interface %d (%s readback)",
			    c->topo.client_ifindex, bound, cxp_name());
	}
	CASE_EXPECT(c, send(fd, "x", 1, MSG_NOSIGNAL) == 1,
		    "expected the connection to carry data; send: %s",
		    util_errno_name(errno));
	close(fd);
	fd = -1;
	if (!cc_expect_bytes(c, &p, 0, "x", 1))
		return;
out:
	if (fd >= 0)
		close(fd);
	if (hold >= 0)
		close(hold);
	peer_stop(&p);
}

enum cxo {
	CXO_REFUSED,
	CXO_NETUNREACH,
	CXO_HOSTUNREACH,
	CXO_TIMEDOUT,
	CXO_NETDOWN,
	CXO_EINTR,
	CXO_EINTR_AGAIN,	/* EINTR, then connectx again while connecting */
};

static void cx_on_signal(int sig)
{
	(void)sig;
}

struct cx_alarm {
	pthread_t target;
	int delay_ms;
};

/* Signal one thread (the one blocked in connectx), not the process. */
static void *cx_alarm_thread(void *arg)
{
	struct cx_alarm *a = arg;
	struct timespec ts = { 0, a->delay_ms * 1000000L };

	nanosleep(&ts, NULL);
	pthread_kill(a->target, SIGUSR1);
	return NULL;
}

/* Take an interface down in the client namespace. */
static int cx_link_down(struct case_ctx *c, int ifindex)
{
	struct ifreq ifr;
	int fd = topo_socket(&c->topo, ROLE_CLIENT, AF_INET, SOCK_DGRAM, 0);
	int ret = 0;

	if (fd < 0)
		return fd;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = ifindex;
	if (ioctl(fd, SIOCGIFNAME, &ifr) || ioctl(fd, SIOCGIFFLAGS, &ifr))
		ret = -errno;
	ifr.ifr_flags &= ~IFF_UP;
	if (!ret && ioctl(fd, SIOCSIFFLAGS, &ifr))
		ret = -errno;
	close(fd);
	return ret;
}

/* How the attempt ends, blocking. */
static void cx_outcome(struct case_ctx *c)
{
	enum cxo v = (enum cxo)c->def->arg;
	static const int want_of[] = {
		[CXO_REFUSED] = ECONNREFUSED, [CXO_NETUNREACH] = ENETUNREACH,
		[CXO_HOSTUNREACH] = EHOSTUNREACH, [CXO_TIMEDOUT] = ETIMEDOUT,
		[CXO_NETDOWN] = ENETDOWN, [CXO_EINTR] = EINTR,
		[CXO_EINTR_AGAIN] = EINTR,
	};
	int want = want_of[v], fd, ret, err;
	struct cx_alarm al;
	struct sigaction sa;
	pthread_t th;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct cx_out o;
	struct cx_ep e;
	double t0;

	CASE_SETUP(c, topo_enter(&c->topo, ROLE_CLIENT));
	/* port 9 (discard) never has a listener here */
	cx_ep_server(c, &e, 9);
	if (v == CXO_NETUNREACH) {
		topo_unroutable_addr(&c->topo, c->family, 9, &ss, &sl);
		memcpy(&e.dst, &ss, sizeof(ss));
		e.ep.sae_dstaddrlen = sl;
	}
	if (v == CXO_NETDOWN) {
		CASE_SETUP(c, cx_link_down(c, c->topo.client_ifindex));
		e.ep.sae_srcif = (unsigned int)c->topo.client_ifindex;
		/*
		 * The page's ENETDOWN is the precise report for a pinned
		 * interface that is down (Linux routing alone would say
		 * ENETUNREACH: the interface's routes are gone).
		 */
	}
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);
	if (v == CXO_EINTR || v == CXO_EINTR_AGAIN) {
		/* no SA_RESTART: the page's EINTR, whatever the platform */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = cx_on_signal;
		sigemptyset(&sa.sa_mask);
		CASE_SETUP(c, sigaction(SIGUSR1, &sa, NULL) ? -errno : 0);
		al.target = pthread_self();
		al.delay_ms = 200;
		CASE_SETUP(c, -pthread_create(&th, NULL, cx_alarm_thread, &al));
	}
	t0 = util_now_ms();
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	if (v == CXO_EINTR || v == CXO_EINTR_AGAIN)
		pthread_join(th, NULL);
	CASE_EXPECT(c, ret == -1 && err == want,
		    "expected blocking connectx to fail with %s; observed %s after %.0f ms",
		    util_errno_name(want), cx_res(ret, err), util_now_ms() - t0);
	if (v == CXO_EINTR_AGAIN) {
		/*
		 * The interrupted attempt goes on (the SYNs are dropped, it
		 * ends in ETIMEDOUT after ~3 s): a second call on the blocking
		 * socket must say so at once, not wait for it.
		 */
		t0 = util_now_ms();
		ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
			      &err);
		cx_known(c, CXL_DARWIN_BLOCKING_EISCONN,
			 ret == -1 && err == EISCONN);
		CASE_EXPECT(c, ret == -1 && err == EALREADY &&
				       util_now_ms() - t0 < 1500,
			    "expected a second connectx on the blocking socket whose attempt was interrupted to fail at once with EALREADY; observed %s after %.0f ms",
			    cx_res(ret, err), util_now_ms() - t0);
	}
	case_note(c, "%s after %.0f ms", util_errno_name(err),
		  util_now_ms() - t0);
	close(fd);
}

#define CXA(id_, expect_, clause_, arg_, req_, ...)                           \
	CX(id_, TOPO_PAIR, FAULT_NONE, FAMS_IP, "tfo", req_, expect_,         \
	   clause_, cx_addresses, arg_, false, ##__VA_ARGS__)
#define CXO(id_, topo_, fault_, expect_, clause_, arg_, req_, tmo_)           \
	{ .id = "connectx." id_, .api = API_CONNECTX, .topo = topo_,          \
	  .fault = fault_, .families = FAMS_IP, .profiles = "tfo",            \
	  .requires = req_, .expect = expect_, .clause = clause_,             \
	  .body = cx_outcome, .arg = arg_, .timeout_ms = tmo_ }

CASE_TABLE(connectx_net,
	CXA("srcaddr_binds",
	    "sae_srcaddr = client:41234: connected from exactly that address and port",
	    "When the optional source address sae_srcaddr parameter is specified, connectx() binds the connection to the address, as if bind(2) is used",
	    CXA_SRCADDR_BINDS, REQ_NONE),
	CXA("srcaddr_in_use",
	    "sae_srcaddr whose port a listener holds: EADDRINUSE, no connection",
	    "EADDRINUSE: The address specified in sae_srcaddr parameter is already in use",
	    CXA_SRCADDR_INUSE, REQ_NONE),
	CXA("srcaddr_not_local",
	    "sae_srcaddr assigned to no interface: EADDRNOTAVAIL, no connection",
	    "EADDRNOTAVAIL: The specified in sae_srcaddr parameter is not available on this machine",
	    CXA_SRCADDR_NOTLOCAL, REQ_NONE),
	CXA("srcif_binds",
	    "sae_srcif = the client interface alone: connected, source chosen on it, socket bound to it",
	    "sae_srcif ... force the connection to use the interface whose interface index equals to sae_srcif; If only sae_srcif is specified, the communication domain will choose a source address on that interface",
	    CXA_SRCIF_BINDS, REQ_BINDTOIFINDEX),
	CXA("srcif_and_srcaddr",
	    "sae_srcif and an address on it: connected from that address, bound to the interface",
	    "Both sae_srcaddr and sae_srcif parameters may also be specified in order to add more constraints to the connection",
	    CXA_SRCIF_SRCADDR, REQ_BINDTOIFINDEX),
	CXA("srcif_enforced",
	    "sae_srcif = lo toward a server behind the client link: the attempt fails, nothing reaches the server (proves the interface is used)",
	    "in order to force the connection to use the interface whose interface index equals to sae_srcif",
	    CXA_SRCIF_ENFORCED, REQ_BINDTOIFINDEX, .slow = true),
	CXA("srcif_srcaddr_mismatch",
	    "sae_srcif = client interface, sae_srcaddr = loopback address: EADDRNOTAVAIL (Darwin: XNU catches it only at the first packet, which for TCP is inside connectx)",
	    "connectx() will fail unless the address is currently assigned to that interface; EADDRNOTAVAIL: ... or is not assigned to the interface specified by sae_srcif",
	    CXA_SRCIF_MISMATCH, REQ_BINDTOIFINDEX),
	CXA("srcif_bad_index",
	    "sae_srcif = 9999 (no such interface): ENXIO, Darwin's errno for IP_BOUND_IF (the page lists none)",
	    "force the connection to use the interface whose interface index equals to sae_srcif",
	    CXA_SRCIF_BAD, REQ_BINDTOIFINDEX),
	CXA("implicit_bind",
	    "neither sae_srcaddr nor sae_srcif: bound implicitly to the client address and a port",
	    "connectx() may be used as a substitute for cases when bind(2) and connect(2) are issued in succession",
	    CXA_IMPLICIT, REQ_NONE),
	CXO("refused", TOPO_PAIR, FAULT_NONE,
	    "blocking connectx to a port with no listener: ECONNREFUSED",
	    "ECONNREFUSED: The attempt to connect was ignored (because the target is not listening for connections) or explicitly rejected",
	    CXO_REFUSED, REQ_NONE, 0),
	CXO("net_unreachable", TOPO_ROUTED, FAULT_NONE,
	    "destination with no route: ENETUNREACH",
	    "ENETUNREACH: The network isn't reachable from this host",
	    CXO_NETUNREACH, REQ_NONE, 0),
	CXO("host_unreachable", TOPO_ROUTED, FAULT_ICMP_HOST_UNREACH,
	    "the router answers the SYN with ICMP host unreachable: EHOSTUNREACH (~1 s)",
	    "EHOSTUNREACH: The target host cannot be reached (e.g., down, disconnected)",
	    CXO_HOSTUNREACH, REQ_NONE, 0),
	CXO("timed_out", TOPO_ROUTED, FAULT_DROP_SYN,
	    "every SYN dropped: ETIMEDOUT (~3 s with TCP_SYNCNT=1)",
	    "ETIMEDOUT: Connection establishment timed out without establishing a connection",
	    CXO_TIMEDOUT, REQ_NONE, 0),
	CXO("interface_down", TOPO_PAIR, FAULT_NONE,
	    "sae_srcif names the client interface, which is down: ENETDOWN",
	    "ENETDOWN: The local network interface is not functioning",
	    CXO_NETDOWN, REQ_BINDTOIFINDEX, 0),
	CXO("interrupted", TOPO_ROUTED, FAULT_DROP_SYN,
	    "a signal (handler without SA_RESTART) during a blocking connect: EINTR",
	    "EINTR: Its execution was interrupted by a signal",
	    CXO_EINTR, REQ_NONE, 0),
	CXO("interrupted_then_ealready", TOPO_ROUTED, FAULT_DROP_SYN,
	    "after EINTR the attempt goes on; connectx again on the blocking socket: EALREADY at once (Darwin: EISCONN)",
	    "EALREADY: A previous connection attempt has not yet been completed",
	    CXO_EINTR_AGAIN, REQ_NONE, 0),
)
