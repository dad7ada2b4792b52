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

/*
 * The ground of the address cases, inside the client's namespace: a
 * listening server, endpoints aimed at it, a blocking TCP socket.  Bodies
 * add a source address or interface, then judge with one of the helpers
 * below.
 */
struct cx_addr {
	struct peer p;
	struct cx_ep e;
	int fd;
};

static int cx_addr_open(struct case_ctx *c, struct cx_addr *a)
{
	int ret = topo_enter(&c->topo, ROLE_CLIENT);

	if (ret)
		return ret;
	ret = peer_start(&a->p, &c->topo, c->family, 0);
	if (ret)
		return ret;
	cx_ep_server(c, &a->e, a->p.port);
	a->fd = cx_socket(c, SOCK_STREAM, false);
	if (a->fd < 0) {
		ret = a->fd;
		peer_stop(&a->p);
	}
	return ret;
}

static void cx_addr_close(struct cx_addr *a)
{
	if (a->fd >= 0)
		close(a->fd);
	peer_stop(&a->p);
}

/* connectx with a's endpoints must fail with the row's errno, unconnected;
 * v6limit names a departure that may apply to an IPv6 EHOSTUNREACH (or
 * CXL_MAX for none). */
static void cx_expect_addr_refused(struct case_ctx *c, struct cx_addr *a,
				   enum cx_limit v6limit)
{
	int want = c->def->want_errno, ret, err;
	char self[80], peer[80];
	struct cx_out o;

	ret = cx_call(c, a->fd, &a->e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
		      &err);
	if (v6limit != CXL_MAX)
		cx_known(c, v6limit, ret == -1 && err == EHOSTUNREACH &&
					     topo_family_domain(c->family) == AF_INET6);
	cx_name_text(a->fd, false, self, sizeof(self));
	cx_name_text(a->fd, true, peer, sizeof(peer));
	CASE_EXPECT(c, ret == -1 && err == want,
		    "expected %s; observed %s (local %s)",
		    util_errno_name(want), cx_res(ret, err), self);
	CASE_EXPECT(c, strcmp(peer, "ENOTCONN") == 0,
		    "expected no connection after %s; observed peer %s",
		    util_errno_name(want), peer);
}

/* What cx_expect_addr_connected() checks besides the connection. */
enum cx_bound {
	CXB_ANY = 0,
	CXB_SRCADDR = 1 << 0,	/* bound to sae_srcaddr, port included */
	CXB_SRCIF = 1 << 1,	/* bound to the interface of sae_srcif */
};

/*
 * connectx with a's endpoints must connect from cli0's address with a
 * port, bound as `bound` says, and carry a byte to the server.
 */
static void cx_expect_addr_connected(struct case_ctx *c, struct cx_addr *a,
				     unsigned int bound)
{
	struct sockaddr_storage ss, want;
	struct cx_out o;
	char self[80];
	socklen_t sl = sizeof(ss);
	int ret, err, ifindex;

	ret = cx_call(c, a->fd, &a->e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
		      &err);
	cx_name_text(a->fd, false, self, sizeof(self));
	CASE_EXPECT(c, ret == 0,
		    "expected connectx to succeed; observed %s", cx_res(ret, err));
	CASE_SETUP(c, getsockname(a->fd, (struct sockaddr *)&ss, &sl) ?
			      -errno : 0);
	if (bound & CXB_SRCADDR)
		CASE_EXPECT(c, cx_same_addr((struct sockaddr *)&ss, a->e.ep.sae_srcaddr, true),
			    "expected the socket bound to sae_srcaddr (port %u), as if bind(2) were used; observed local %s",
			    CX_SRC_PORT, self);
	/* the source the domain picks (or was given) is cli0's address */
	cx_ep_client_src(c, &a->e, 0);
	memcpy(&want, &a->e.src, sizeof(want));
	CASE_EXPECT(c, cx_same_addr((struct sockaddr *)&ss, (struct sockaddr *)&want, false) &&
			       cc_local_port(a->fd) != 0,
		    "expected a source address on the client interface with a port; observed local %s",
		    self);
	if (bound & CXB_SRCIF) {
		ifindex = cxp_bound_ifindex(a->fd, topo_family_domain(c->family));
		CASE_EXPECT(c, ifindex == c->topo.client_ifindex,
			    "expected the connection forced onto interface %d (sae_srcif); observed bound interface %d (%s readback)",
			    c->topo.client_ifindex, ifindex, cxp_name());
	}
	CASE_EXPECT(c, send(a->fd, "x", 1, MSG_NOSIGNAL) == 1,
		    "expected the connection to carry data; send: %s",
		    util_errno_name(errno));
	close(a->fd);
	a->fd = -1;
	cc_expect_bytes(c, &a->p, 0, "x", 1);
}

static void cx_srcaddr_binds(struct case_ctx *c)
{
	struct cx_addr a;

	CASE_SETUP(c, cx_addr_open(c, &a));
	cx_ep_client_src(c, &a.e, CX_SRC_PORT);
	cx_expect_addr_connected(c, &a, CXB_SRCADDR);
	cx_addr_close(&a);
}

static void cx_srcaddr_in_use(struct case_ctx *c)
{
	struct cx_addr a;
	int hold;

	CASE_SETUP(c, cx_addr_open(c, &a));
	cx_ep_client_src(c, &a.e, CX_SRC_PORT);
	hold = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, hold);
	CASE_SETUP(c, bind(hold, a.e.ep.sae_srcaddr, a.e.ep.sae_srcaddrlen) ?
			      -errno : 0);
	CASE_SETUP(c, listen(hold, 1) ? -errno : 0);
	cx_expect_addr_refused(c, &a, CXL_MAX);
	close(hold);
	cx_addr_close(&a);
}

/* On the client's subnet, assigned to nobody. */
static void cx_srcaddr_not_local(struct case_ctx *c)
{
	struct cx_addr a;

	CASE_SETUP(c, cx_addr_open(c, &a));
	CASE_SETUP(c, cx_unassigned_src(c, CX_SRC_PORT, &a.e.src,
					&a.e.ep.sae_srcaddrlen));
	a.e.ep.sae_srcaddr = (struct sockaddr *)&a.e.src;
	cx_expect_addr_refused(c, &a, CXL_MAX);
	cx_addr_close(&a);
}

static void cx_srcif_binds(struct case_ctx *c)
{
	struct cx_addr a;

	CASE_SETUP(c, cx_addr_open(c, &a));
	a.e.ep.sae_srcif = (unsigned int)c->topo.client_ifindex;
	cx_expect_addr_connected(c, &a, CXB_SRCIF);
	cx_addr_close(&a);
}

static void cx_srcif_and_srcaddr(struct case_ctx *c)
{
	struct cx_addr a;

	CASE_SETUP(c, cx_addr_open(c, &a));
	a.e.ep.sae_srcif = (unsigned int)c->topo.client_ifindex;
	cx_ep_client_src(c, &a.e, CX_SRC_PORT);
	cx_expect_addr_connected(c, &a, CXB_SRCADDR | CXB_SRCIF);
	cx_addr_close(&a);
}

/*
 * The behavioural proof that sae_srcif is used: forced onto loopback, the
 * attempt cannot reach a server that lies behind cli0.  Any errno will
 * do; a connection means the interface was ignored.
 */
static void cx_srcif_enforced(struct case_ctx *c)
{
	char self[80], peer[80];
	struct cx_out o;
	struct cx_addr a;
	int ret, err;

	CASE_SETUP(c, cx_addr_open(c, &a));
	ret = cx_lo_index(c);
	CASE_SETUP(c, ret);
	a.e.ep.sae_srcif = (unsigned int)ret;
	ret = cx_call(c, a.fd, &a.e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	cx_name_text(a.fd, false, self, sizeof(self));
	cx_name_text(a.fd, true, peer, sizeof(peer));
	CASE_EXPECT(c, ret == -1,
		    "expected connectx forced onto loopback (sae_srcif = lo) to fail to reach a server that lies behind another interface; observed success (local %s, peer %s): the interface was not used",
		    self, peer);
	if (!cc_expect_failed(c, a.fd, "after the failure"))
		return;
	CASE_EXPECT(c, peer_count(&a.p) == 0,
		    "expected no connection at the server; observed %u",
		    peer_count(&a.p));
	case_note(c, "failed with %s", util_errno_name(err));
	cx_addr_close(&a);
}

/* Loopback's address is local, but not cli0's. */
static void cx_srcif_srcaddr_mismatch(struct case_ctx *c)
{
	struct cx_addr a;

	CASE_SETUP(c, cx_addr_open(c, &a));
	a.e.ep.sae_srcif = (unsigned int)c->topo.client_ifindex;
	cx_loopback(c, 0, &a.e.src, &a.e.ep.sae_srcaddrlen);
	a.e.ep.sae_srcaddr = (struct sockaddr *)&a.e.src;
	cx_expect_addr_refused(c, &a, CXL_DARWIN_SRCIF_V6);
	cx_addr_close(&a);
}

/* No interface has index 9999 in a fresh namespace. */
static void cx_srcif_bad_index(struct case_ctx *c)
{
	struct cx_addr a;

	CASE_SETUP(c, cx_addr_open(c, &a));
	a.e.ep.sae_srcif = 9999;
	cx_expect_addr_refused(c, &a, CXL_MAX);
	cx_addr_close(&a);
}

static void cx_implicit_bind(struct case_ctx *c)
{
	struct cx_addr a;

	CASE_SETUP(c, cx_addr_open(c, &a));
	cx_expect_addr_connected(c, &a, CXB_ANY);
	cx_addr_close(&a);
}

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

/*
 * A blocking connectx toward e on fd must fail with want.  interrupt: a
 * SIGUSR1 reaches the calling thread 200 ms into the call (or one initial
 * RTO, when the timers are compressed: the attempt then ends after three),
 * through a handler installed without SA_RESTART (the page's EINTR,
 * whatever the platform restarts).  *t0: when the call began.  true when it held.
 */
static bool cx_expect_attempt_fails(struct case_ctx *c, int fd,
				    const struct cx_ep *e, int want,
				    bool interrupt, double *t0)
{
	struct cx_alarm al;
	struct sigaction sa;
	struct cx_out o;
	pthread_t th;
	int ret, err;

	if (interrupt) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = cx_on_signal;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGUSR1, &sa, NULL)) {
			case_error(c, "sigaction: %s", util_errno_name(errno));
			return false;
		}
		al.target = pthread_self();
		/* well inside the attempt, which lasts several initial RTOs */
		al.delay_ms = case_rto_ms() < 200 ? case_rto_ms() : 200;
		ret = pthread_create(&th, NULL, cx_alarm_thread, &al);
		if (ret) {
			case_error(c, "pthread_create: %s",
				   util_errno_name(ret));
			return false;
		}
	}
	*t0 = util_now_ms();
	ret = cx_call(c, fd, &e->ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	if (interrupt)
		pthread_join(th, NULL);
	if (ret != -1 || err != want) {
		case_fail(c, "expected blocking connectx to fail with %s; observed %s after %.0f ms",
			  util_errno_name(want), cx_res(ret, err),
			  util_now_ms() - *t0);
		return false;
	}
	case_note(c, "%s after %.0f ms", util_errno_name(err),
		  util_now_ms() - *t0);
	/* a failed connection has ended; an interrupted one goes on */
	return interrupt || cc_expect_failed(c, fd, "after the failure");
}

/*
 * The row's path decides how the attempt ends (no listener: RST; the
 * router's ICMP; every SYN dropped); the row's errno is the page's word
 * for it.  Port 9 (discard) never has a listener here.
 */
static void cx_blocking_attempt_fails(struct case_ctx *c)
{
	struct cx_ep e;
	double t0;
	int fd;

	CASE_SETUP(c, topo_enter(&c->topo, ROLE_CLIENT));
	cx_ep_server(c, &e, 9);
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);
	cx_expect_attempt_fails(c, fd, &e, c->def->want_errno, false, &t0);
	close(fd);
}

/* A destination no route of the client leads to. */
static void cx_net_unreachable(struct case_ctx *c)
{
	struct cx_ep e;
	double t0;
	int fd;

	CASE_SETUP(c, topo_enter(&c->topo, ROLE_CLIENT));
	cx_ep_server(c, &e, 9);
	topo_unroutable_addr(&c->topo, c->family, 9, &e.dst,
			     &e.ep.sae_dstaddrlen);
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);
	cx_expect_attempt_fails(c, fd, &e, c->def->want_errno, false, &t0);
	close(fd);
}

/*
 * cli0 taken down and named in sae_srcif.  The page's ENETDOWN is the
 * precise report for a pinned interface that is down (Linux routing alone
 * would say ENETUNREACH: the interface's routes are gone).
 */
static void cx_interface_down(struct case_ctx *c)
{
	struct cx_out o;
	struct cx_ep e;
	int fd, ret, err;
	double t0;

	CASE_SETUP(c, topo_enter(&c->topo, ROLE_CLIENT));
	cx_ep_server(c, &e, 9);
	CASE_SETUP(c, cx_link_down(c, c->topo.client_ifindex));
	e.ep.sae_srcif = (unsigned int)c->topo.client_ifindex;
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);
	t0 = util_now_ms();
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	cx_known(c, CXL_DARWIN_IFDOWN,
		 ret == -1 && (err == ENETUNREACH || err == EHOSTUNREACH ||
			       err == ETIMEDOUT));
	CASE_EXPECT(c, ret == -1 && err == c->def->want_errno,
		    "expected connectx pinned to a down interface to fail with %s; observed %s after %.0f ms",
		    util_errno_name(c->def->want_errno), cx_res(ret, err),
		    util_now_ms() - t0);
	if (!cc_expect_failed(c, fd, "after the failure"))
		return;
	close(fd);
}

/* A signal during a blocking connect the row's drop-syn keeps waiting. */
static void cx_interrupted(struct case_ctx *c)
{
	struct cx_ep e;
	double t0;
	int fd;

	CASE_SETUP(c, topo_enter(&c->topo, ROLE_CLIENT));
	cx_ep_server(c, &e, 9);
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);
	cx_expect_attempt_fails(c, fd, &e, c->def->want_errno, true, &t0);
	close(fd);
}

/*
 * The interrupted attempt goes on (the SYNs are dropped, it ends in
 * ETIMEDOUT after ~3 s): a second call on the blocking socket must say so
 * at once with the row's errno (EALREADY), not wait for it.
 */
static void cx_interrupted_then_ealready(struct case_ctx *c)
{
	int want = c->def->want_errno, fd, ret, err;
	struct cx_out o;
	struct cx_ep e;
	double t0;

	CASE_SETUP(c, topo_enter(&c->topo, ROLE_CLIENT));
	cx_ep_server(c, &e, 9);
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);
	if (!cx_expect_attempt_fails(c, fd, &e, EINTR, true, &t0))
		return;
	t0 = util_now_ms();
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	cx_known(c, CXL_DARWIN_BLOCKING_EISCONN, ret == -1 && err == EISCONN);
	CASE_EXPECT(c, ret == -1 && err == want &&
			       util_now_ms() - t0 <= cc_at_once_ms(c),
		    "expected a second connectx on the blocking socket whose attempt was interrupted to fail at once (at most %d ms here) with %s; observed %s after %.0f ms",
		    cc_at_once_ms(c), util_errno_name(want), cx_res(ret, err),
		    util_now_ms() - t0);
	case_note(c, "%s after %.0f ms", util_errno_name(err),
		  util_now_ms() - t0);
	close(fd);
}

CASE_TABLE(connectx_net,
	CONNECTX("srcaddr_binds", .clause_id = "X7",
		 .expect = "sae_srcaddr = client:41234: connected from exactly that address and port",
		 .clause = "When the optional source address sae_srcaddr parameter is specified, connectx() binds the connection to the address, as if bind(2) is used",
		 .body = cx_srcaddr_binds),
	CONNECTX("srcaddr_in_use", .clause_id = "X42",
		 .expect = "sae_srcaddr whose port a listener holds: EADDRINUSE, no connection",
		 .clause = "EADDRINUSE: The address specified in sae_srcaddr parameter is already in use",
		 .body = cx_srcaddr_in_use, .want_errno = EADDRINUSE),
	CONNECTX("srcaddr_not_local", .clause_id = "X43",
		 .expect = "sae_srcaddr assigned to no interface: EADDRNOTAVAIL, no connection",
		 .clause = "EADDRNOTAVAIL: The specified in sae_srcaddr parameter is not available on this machine",
		 .body = cx_srcaddr_not_local, .want_errno = EADDRNOTAVAIL),
	CONNECTX("srcif_binds", .clause_id = "X12",
		 .requires = REQ_BINDTOIFINDEX,
		 .expect = "sae_srcif = the client interface alone: connected, source chosen on it, socket bound to it",
		 .clause = "sae_srcif ... force the connection to use the interface whose interface index equals to sae_srcif; If only sae_srcif is specified, the communication domain will choose a source address on that interface",
		 .body = cx_srcif_binds),
	CONNECTX("srcif_and_srcaddr", .clause_id = "X13",
		 .requires = REQ_BINDTOIFINDEX,
		 .expect = "sae_srcif and an address on it: connected from that address, bound to the interface",
		 .clause = "Both sae_srcaddr and sae_srcif parameters may also be specified in order to add more constraints to the connection",
		 .body = cx_srcif_and_srcaddr),
	CONNECTX("srcif_enforced", .clause_id = "X10",
		 .requires = REQ_BINDTOIFINDEX, .slow = true,
		 .expect = "sae_srcif = lo toward a server behind the client link: the attempt fails, nothing reaches the server (proves the interface is used)",
		 .clause = "in order to force the connection to use the interface whose interface index equals to sae_srcif",
		 .body = cx_srcif_enforced),
	CONNECTX("srcif_srcaddr_mismatch", .clause_id = "X13",
		 .requires = REQ_BINDTOIFINDEX,
		 .expect = "sae_srcif = client interface, sae_srcaddr = loopback address: EADDRNOTAVAIL (Darwin: XNU catches it only at the first packet, which for TCP is inside connectx)",
		 .clause = "connectx() will fail unless the address is currently assigned to that interface; EADDRNOTAVAIL: ... or is not assigned to the interface specified by sae_srcif",
		 .body = cx_srcif_srcaddr_mismatch, .want_errno = EADDRNOTAVAIL),
	CONNECTX("srcif_bad_index", .clause_id = "X61",
		 .requires = REQ_BINDTOIFINDEX,
		 .expect = "sae_srcif = 9999 (no such interface): ENXIO, Darwin's errno for IP_BOUND_IF (the page lists none)",
		 .clause = "force the connection to use the interface whose interface index equals to sae_srcif",
		 .body = cx_srcif_bad_index, .want_errno = ENXIO),
	CONNECTX("implicit_bind", .clause_id = "X4",
		 .expect = "neither sae_srcaddr nor sae_srcif: bound implicitly to the client address and a port",
		 .clause = "connectx() may be used as a substitute for cases when bind(2) and connect(2) are issued in succession",
		 .body = cx_implicit_bind),
	CONNECTX("refused", .clause_id = "X47",
		 .expect = "blocking connectx to a port with no listener: ECONNREFUSED",
		 .clause = "ECONNREFUSED: The attempt to connect was ignored (because the target is not listening for connections) or explicitly rejected",
		 .body = cx_blocking_attempt_fails, .want_errno = ECONNREFUSED),
	CONNECTX("net_unreachable", .clause_id = "X56", .topo = TOPO_ROUTED,
		 .expect = "destination with no route: ENETUNREACH",
		 .clause = "ENETUNREACH: The network isn't reachable from this host",
		 .body = cx_net_unreachable, .want_errno = ENETUNREACH),
	CONNECTX("host_unreachable", .clause_id = "X49", .topo = TOPO_ROUTED,
		 .fault = FAULT_ICMP_HOST_UNREACH,
		 .expect = "the router answers the SYN with ICMP host unreachable: EHOSTUNREACH (~1 s)",
		 .clause = "EHOSTUNREACH: The target host cannot be reached (e.g., down, disconnected)",
		 .body = cx_blocking_attempt_fails, .want_errno = EHOSTUNREACH),
	CONNECTX("timed_out", .clause_id = "X60", .topo = TOPO_ROUTED,
		 .fault = FAULT_DROP_SYN,
		 .expect = "every SYN dropped: ETIMEDOUT (~3 s with TCP_SYNCNT=1)",
		 .clause = "ETIMEDOUT: Connection establishment timed out without establishing a connection",
		 .body = cx_blocking_attempt_fails, .want_errno = ETIMEDOUT),
	CONNECTX("interface_down", .clause_id = "X55",
		 .requires = REQ_BINDTOIFINDEX,
		 .expect = "sae_srcif names the client interface, which is down: ENETDOWN",
		 .clause = "ENETDOWN: The local network interface is not functioning",
		 .body = cx_interface_down, .want_errno = ENETDOWN),
	CONNECTX("interrupted", .clause_id = "X51", .topo = TOPO_ROUTED,
		 .fault = FAULT_DROP_SYN,
		 .expect = "a signal (handler without SA_RESTART) during a blocking connect: EINTR",
		 .clause = "EINTR: Its execution was interrupted by a signal",
		 .body = cx_interrupted, .want_errno = EINTR),
	CONNECTX("interrupted_then_ealready", .clause_id = "X45",
		 .topo = TOPO_ROUTED, .fault = FAULT_DROP_SYN,
		 .expect = "after EINTR the attempt goes on; connectx again on the blocking socket: EALREADY at once (Darwin: EISCONN)",
		 .clause = "EALREADY: A previous connection attempt has not yet been completed",
		 .body = cx_interrupted_then_ealready, .want_errno = EALREADY),
)
