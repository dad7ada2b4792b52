/* SPDX-License-Identifier: MIT */
/*
 * socket_fastopen_connect4/6(3) cases, part 2: "-1, setting errno to
 * something else, to indicate that the connection failed (and failed
 * immediately, if the socket is non-blocking)", and the non-blocking
 * call's background outcome (writable, socket_connected).  After every
 * failure s is still the descriptor handed in, and the attempt has ended.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/owfat.h"
#include "harness/libcall.h"
#include "harness/libload.h"

/* ---- -1 with the failure errno ---- */


/*
 * Blocking call that must fail with errno arg: ECONNREFUSED (no listener,
 * first contact and with a cookie cached), ENETUNREACH (no route),
 * EHOSTUNREACH / ETIMEDOUT (the row's fault in the router).  The socket
 * stays the same valid, blocking descriptor.
 */
static void ow_fail_errno(struct case_ctx *c)
{
	int want = c->def->want_errno;
	unsigned int passes = c->def->passes ? c->def->passes : 1;
	char rb[64];
	struct peer p = { .lfd = -1 };

	for (unsigned int pass = 0; pass < passes; pass++) {
		struct sockaddr_storage ss;
		unsigned char ip[16] = { 0 };
		int fd = cc_client_socket(c, false), err, fl;
		struct stat st;
		socklen_t sl;
		ssize_t n;
		double t0;

		CASE_SETUP(c, fd);
		if (pass) {
			/* the cookie is per destination address: a warm
			 * connection to another port makes the next SYN carry
			 * data to the closed port */
			CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
			CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
		}
		fl = fcntl(fd, F_GETFL);
		fstat(fd, &st);
		t0 = util_now_ms();
		if (want == ENETUNREACH) {
			topo_unroutable_addr(&c->topo, c->family, OW_CLOSED_PORT,
					     &ss, &sl);
			if (ss.ss_family == AF_INET)
				memcpy(ip, &((struct sockaddr_in *)&ss)->sin_addr, 4);
			else
				memcpy(ip, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
			n = ow_call_ip(c, fd, ip, OW_CLOSED_PORT, 0, CASE_PAYLOAD,
				       OW_SMALL);
		} else {
			n = ow_call(c, fd, OW_CLOSED_PORT, CASE_PAYLOAD, OW_SMALL);
		}
		err = errno;
		CASE_EXPECT(c, n == -1 && err == want,
			    "%s%s %s after %.0f ms; expected -1 errno %s: the page says -1 with another errno means the connection failed%s",
			    pass ? "with a cookie cached: " : "", ow_fn(c),
			    ow_res(rb, sizeof(rb), n, err), util_now_ms() - t0,
			    util_errno_name(want), ow_notfo(c));
		case_note(c, "%s after %.0f ms", util_errno_name(err),
			  util_now_ms() - t0);
		if (!ow_fd_intact(c, fd, &st, fl, "after the failure") ||
		    !cc_expect_failed(c, fd, pass ? "with a cookie cached" :
						   "first contact"))
			return;
		close(fd);
	}
	if (passes > 1)
		peer_stop(&p);
}

static void ow_err_ebadf(struct case_ctx *c)
{
	char rb[64];
	int fd, err;
	ssize_t n;

	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	close(fd); /* a descriptor number that is certainly closed */
	n = ow_call(c, fd, OW_CLOSED_PORT, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	CASE_EXPECT(c, n == -1 && err == EBADF,
		    "%s on a closed descriptor %s; expected -1 errno EBADF (the connection failed immediately)",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err));
	CASE_EXPECT(c, fcntl(fd, F_GETFD) < 0,
		    "expected the closed descriptor to stay closed; observed the library opened something there");
}

static void ow_err_enotsock(struct case_ctx *c)
{
	char rb[64], sink[64];
	int pp[2], err, fl;
	struct stat st;
	ssize_t n;

	CASE_SETUP(c, pipe2(pp, O_NONBLOCK) ? -errno : 0);
	fl = fcntl(pp[1], F_GETFL);
	fstat(pp[1], &st);
	n = ow_call(c, pp[1], OW_CLOSED_PORT, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	CASE_EXPECT(c, n == -1 && err == ENOTSOCK,
		    "%s on a pipe %s; expected -1 errno ENOTSOCK (the connection failed immediately)",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err));
	if (!ow_fd_intact(c, pp[1], &st, fl, "after the failure"))
		return;
	n = read(pp[0], sink, sizeof(sink));
	CASE_EXPECT(c, n < 0 && errno == EAGAIN,
		    "expected nothing written to a descriptor that is not a socket; observed %zd bytes in the pipe",
		    n);
	close(pp[0]);
	close(pp[1]);
}

/*
 * Already connected (plain connect): EISCONN, nothing of buf is sent, and
 * the caller's connection survives the failed call: s is the same
 * descriptor, and a byte written after it reaches the server alone.
 */
static void ow_err_eisconn(struct case_ctx *c)
{
	struct sockaddr_storage ss;
	char rb[64];
	struct peer p;
	struct stat st;
	socklen_t sl;
	int fd, err, fl;
	ssize_t n;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	topo_server_addr(&c->topo, c->family, p.port, &ss, &sl);
	CASE_SETUP(c, connect(fd, (struct sockaddr *)&ss, sl) ? -errno : 0);
	fl = fcntl(fd, F_GETFL);
	fstat(fd, &st);
	n = ow_call(c, fd, p.port, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	CASE_EXPECT(c, n == -1 && err == EISCONN,
		    "%s on an already connected socket %s; expected -1 errno EISCONN (the connection attempt failed: the socket is connected)%s",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err), ow_notfo(c));
	if (!ow_fd_intact(c, fd, &st, fl, "after the failure"))
		return;
	n = send(fd, "x", 1, MSG_NOSIGNAL);
	CASE_EXPECT(c, n == 1,
		    "after -1 EISCONN, expected the caller's existing connection to be intact (a failed call must not touch it): write of 1 byte on s %s",
		    ow_res(rb, sizeof(rb), n, errno));
	close(fd);
	if (!cc_expect_bytes(c, &p, 0, "x", 1))
		return;
	CASE_EXPECT(c, peer_count(&p) == 1,
		    "expected no second connection to the server; observed %u",
		    peer_count(&p));
	peer_stop(&p);
}

/* A non-blocking connect still in progress (the router drops SYNs). */
static void ow_err_ealready(struct case_ctx *c)
{
	struct sockaddr_storage ss;
	struct tcp_info ti = { 0 };
	socklen_t tl = sizeof(ti);
	double t0, dt;
	char rb[64];
	struct stat st;
	socklen_t sl;
	int fd, err, fl;
	ssize_t n;

	fd = cc_client_socket(c, true);
	CASE_SETUP(c, fd);
	topo_server_addr(&c->topo, c->family, OW_CLOSED_PORT, &ss, &sl);
	CASE_EXPECT(c, connect(fd, (struct sockaddr *)&ss, sl) < 0 &&
			       errno == EINPROGRESS,
		    "harness: expected the first connect() to be in progress; observed %s",
		    util_errno_name(errno));
	fl = fcntl(fd, F_GETFL);
	fstat(fd, &st);
	t0 = util_now_ms();
	n = ow_call(c, fd, OW_CLOSED_PORT, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	dt = util_now_ms() - t0;
	CASE_EXPECT(c, n == -1 && err == EALREADY,
		    "%s while a non-blocking connect is in progress %s; expected -1 errno EALREADY (failed immediately, as the page says of a non-blocking socket)%s",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err), ow_notfo(c));
	CASE_EXPECT(c, dt <= cc_at_once_ms(c),
		    "%s failed with EALREADY after %.0f ms; expected it at once (at most %d ms here): the page says a non-blocking socket's failure is immediate",
		    ow_fn(c), dt, cc_at_once_ms(c));
	if (!ow_fd_intact(c, fd, &st, fl, "after the failure"))
		return;
	/* the SYNs are dropped for ~3 s: the caller's connect is still
	 * running unless the failed call aborted it */
	CASE_EXPECT(c, !getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) &&
			       ti.tcpi_state == TCP_SYN_SENT,
		    "after -1 EALREADY, expected the caller's connection attempt still in progress (tcpi_state SYN_SENT): the failed call must leave it alone; observed tcpi_state %u",
		    (unsigned int)ti.tcpi_state);
	close(fd);
}

/* A link-local address means nothing without its interface. */
static void ow_err_noscope(struct case_ctx *c)
{
	unsigned char ip[16];
	char rb[64];
	struct stat st;
	int fd, err, fl;
	ssize_t n;

	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	topo_server_raw(&c->topo, c->family, ip);
	fl = fcntl(fd, F_GETFL);
	fstat(fd, &st);
	n = ow_call_ip(c, fd, ip, OW_CLOSED_PORT, 0, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	CASE_EXPECT(c, n == -1 && err == EINVAL,
		    "%s to link-local fe80::2 with scope_id 0 %s; expected -1 errno EINVAL (no interface to reach it on)%s",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err), ow_notfo(c));
	if (!ow_fd_intact(c, fd, &st, fl, "after the failure"))
		return;
	wire_collect(c->wire, 20);
	CASE_EXPECT(c, wire_count(c->wire) == 0,
		    "expected no packet to reach the server; observed %zu TCP segments",
		    wire_count(c->wire));
	close(fd);
}

/* ---- non-blocking: -1 EINPROGRESS, writable, socket_connected ---- */

/*
 * SYNs dropped: the non-blocking call must return at once (not after the
 * handshake's ~3 s), with the socket still non-blocking, and
 * socket_connected must not claim a connection that does not exist.
 */
static void ow_nb_at_once(struct case_ctx *c)
{
	char rb[64];
	double t0, dt;
	struct stat st;
	int fd, err, r, fl;
	ssize_t n;

	fd = cc_client_socket(c, true);
	CASE_SETUP(c, fd);
	fl = fcntl(fd, F_GETFL);
	fstat(fd, &st);
	t0 = util_now_ms();
	n = ow_call(c, fd, OW_CLOSED_PORT, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	dt = util_now_ms() - t0;
	/* the handshake cannot complete (every SYN is dropped): only a call
	 * that waits takes longer than one that makes no round trip */
	CASE_EXPECT(c, dt <= cc_at_once_ms(c),
		    "non-blocking %s took %.0f ms (%s); expected it to return at once (at most %d ms here): -1 error_inprogress indicates that the socket is non-blocking",
		    ow_fn(c), dt, ow_res(rb, sizeof(rb), n, err),
		    cc_at_once_ms(c));
	CASE_EXPECT(c, n == -1 && (err == EINPROGRESS || err == EAGAIN),
		    "non-blocking %s, no cookie, SYNs dropped: %s; expected -1 with error_inprogress/error_wouldblock (nothing can have been sent without a cookie and a handshake)%s",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err), ow_notfo(c));
	if (!ow_fd_intact(c, fd, &st, fl, "after the call"))
		return;
	CASE_EXPECT(c, !ow_wait_writable(fd, 0),
		    "expected s not to be writable before the background connection succeeds or fails; observed writable");
	if (c->lib->connected) {
		errno = 0;
		r = libcall_connected(c, fd);
		CASE_EXPECT(c, r == 0,
			    "expected socket_connected to return 0 while the handshake is still running (no SYN-ACK can arrive); observed %d",
			    r);
		case_note(c, "socket_connected: 0 errno %s",
			  util_errno_name(errno));
	} else {
		case_note(c, "library does not export socket_connected: its part (0 while the handshake runs) not checked");
	}
	close(fd);
}

/*
 * Non-blocking to a closed port (first contact, then with a cookie):
 * failed immediately (-1 ECONNREFUSED) or in the background — then s
 * becomes writable and socket_connected returns 0 with ECONNREFUSED.
 * Either way s stays the same descriptor, still non-blocking.  The row's
 * clause is the socket_connected sentence: a library that does not export
 * socket_connected gets the other checks and then SKIP, not PASS.
 */
static void ow_nb_fails(struct case_ctx *c)
{
	int want = c->def->want_errno;
	unsigned int passes = c->def->passes ? c->def->passes : 1;
	struct peer p = { .lfd = -1 };
	bool asked = false;
	char rb[64];

	for (unsigned int pass = 0; pass < passes; pass++) {
		int fd = cc_client_socket(c, true), err, r, fl;
		const char *what = pass ? "with a cookie cached" : "first contact";
		struct stat st;
		double t0;
		ssize_t n;

		CASE_SETUP(c, fd);
		if (pass) {
			CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
			CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
		}
		fl = fcntl(fd, F_GETFL);
		fstat(fd, &st);
		t0 = util_now_ms();
		n = ow_call(c, fd, OW_CLOSED_PORT, CASE_PAYLOAD, OW_SMALL);
		err = errno;
		if (!ow_fd_intact(c, fd, &st, fl,
				  pass ? "with a cookie cached, after the call" :
					 "first contact, after the call"))
			return;
		if (n == -1 && err == want) {
			/* "failed immediately": allowed, if it did fail */
			if (!cc_expect_failed(c, fd, what))
				return;
			close(fd);
			continue;
		}
		CASE_EXPECT(c, n >= 0 || err == EINPROGRESS || err == EAGAIN,
			    "%s: non-blocking %s %s; expected -1 with error_inprogress/error_wouldblock, a byte count, or -1 %s (failed immediately)%s",
			    what, ow_fn(c), ow_res(rb, sizeof(rb), n, err),
			    util_errno_name(want), ow_notfo(c));
		CASE_EXPECT(c, ow_wait_writable(fd, 3000),
			    "%s: expected s to become writable when the background connection fails; observed not writable after 3 s",
			    what);
		case_note(c, "%s: writable after %.0f ms", what,
			  util_now_ms() - t0);
		if (c->lib->connected) {
			errno = 0;
			r = libcall_connected(c, fd);
			err = errno;
			asked = true;
			CASE_EXPECT(c, r == 0 && err == want,
				    "%s: after the background connection failed, socket_connected returned %d errno %s; expected 0 with errno %s: the page says if the connection failed, socket_connected returns 0, setting errno appropriately",
				    what, r, util_errno_name(err),
				    util_errno_name(want));
		}
		close(fd);
	}
	if (passes > 1)
		peer_stop(&p);
	if (!c->lib->connected)
		case_skip(c, "library does not export socket_connected: the clause's \"socket_connected returns 0, setting errno appropriately\" cannot be checked (the rest of the row was, and passed)");
	else if (!asked)
		case_note(c, "every attempt failed immediately (-1 %s): no background failure for socket_connected to report",
			  util_errno_name(want));
}

CASE_TABLE(owfat_fail,
	/* -1 and the failure errno, blocking */
	OWFAT("err_refused", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "no listener (first contact, then with a cookie): -1 ECONNREFUSED, the socket intact",
	      .body = ow_fail_errno, .want_errno = ECONNREFUSED, .passes = 2,
	      .families = FAMS_IPM, .profiles = OW_TFO_AND_OFF),
	OWFAT("err_netunreach", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "no route: -1 ENETUNREACH",
	      .body = ow_fail_errno, .want_errno = ENETUNREACH,
	      .topo = TOPO_ROUTED, .profiles = OW_TFO_AND_OFF),
	OWFAT("err_hostunreach", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "ICMP host unreachable from the router: -1 EHOSTUNREACH (~1 s)",
	      .body = ow_fail_errno, .want_errno = EHOSTUNREACH,
	      .topo = TOPO_ROUTED, .fault = FAULT_ICMP_HOST_UNREACH),
	OWFAT("err_timedout", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "every SYN dropped, TCP_SYNCNT=1: -1 ETIMEDOUT (~3 s)",
	      .body = ow_fail_errno, .want_errno = ETIMEDOUT,
	      .topo = TOPO_ROUTED, .fault = FAULT_DROP_SYN),
	OWFAT("err_ebadf", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "closed descriptor: -1 EBADF",
	      .body = ow_err_ebadf, .profiles = OW_TFO_AND_OFF),
	OWFAT("err_enotsock", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "a pipe: -1 ENOTSOCK, nothing written into it, still valid",
	      .body = ow_err_enotsock, .profiles = OW_TFO_AND_OFF),
	OWFAT("err_eisconn", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "already connected: -1 EISCONN, nothing sent",
	      .body = ow_err_eisconn, .families = FAMS_IPM,
	      .profiles = OW_TFO_AND_OFF),
	OWFAT("err_ealready", .clause_id = "O8", .clause = C_FAIL,
	      .expect = "non-blocking connect in progress: -1 EALREADY at once",
	      .body = ow_err_ealready, .topo = TOPO_ROUTED,
	      .fault = FAULT_DROP_SYN, .profiles = OW_TFO_AND_OFF),
	OWFAT("err_linklocal_no_scope", .clause_id = "O13", .clause = C_FAIL,
	      .expect = "link-local ip with scope_id 0: -1 EINVAL, no packet",
	      .body = ow_err_noscope, .wire = true,
	      .families = 1u << FAM_LINKLOCAL, .profiles = OW_TFO_AND_OFF),
	/* non-blocking: in progress, writable, socket_connected */
	OWFAT("nonblock_returns_at_once", .clause_id = "O7", .clause = C_NB,
	      .expect = "non-blocking, SYNs dropped: -1 EINPROGRESS at once, still non-blocking, not writable, socket_connected 0",
	      .body = ow_nb_at_once, .topo = TOPO_ROUTED,
	      .fault = FAULT_DROP_SYN, .profiles = OW_TFO_AND_OFF),
	OWFAT("nonblock_refused", .clause_id = "O10", .clause = C_BG,
	      .expect = "non-blocking, no listener (first contact, then cookie): writable, socket_connected 0 ECONNREFUSED",
	      .body = ow_nb_fails, .want_errno = ECONNREFUSED, .passes = 2,
	      .families = FAMS_IPM, .profiles = OW_TFO_AND_OFF),
	OWFAT("nonblock_hostunreach", .clause_id = "O10", .clause = C_BG,
	      .expect = "non-blocking, ICMP host unreachable: writable, socket_connected 0 EHOSTUNREACH",
	      .body = ow_nb_fails, .want_errno = EHOSTUNREACH,
	      .topo = TOPO_ROUTED, .fault = FAULT_ICMP_HOST_UNREACH),
)
