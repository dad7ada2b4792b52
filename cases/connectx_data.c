/* SPDX-License-Identifier: MIT */
/*
 * connectx(2) cases, part 3: data at connection time (iov, *len) and the
 * flags (CONNECT_DATA_IDEMPOTENT → TCP Fast Open on the wire,
 * CONNECT_RESUME_ON_READ_WRITE → no SYN until the first write).  The rows
 * differ in their parameters (.flags, .nonblock, .with_cookie, .size);
 * the bodies derive what the profile lets TCP Fast Open do from them.
 *
 * Data checks are end to end: whatever *len says was enqueued, a caller
 * that writes the rest from offset *len must see the server receive the
 * whole payload exactly once, in order.  The page lets the domain limit
 * what is buffered before the connection is established, so a short *len
 * on a non-blocking socket is conforming; a wrong one is not.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cases/connectx.h"
#include "harness/libload.h"

/* .size payloads: built in iovecs of CX_IOV_PART bytes, at most 4 of them */
#define CX_IOV_PART (64 * 1024)
#define CX_IOVS_MAX 4
static char cx_large[CX_IOVS_MAX * CX_IOV_PART];

/*
 * Data that fits any TCP send buffer (Linux's tcp_wmem minimum is one
 * page): a blocking call that returned connected must have enqueued all
 * of it.  Above this the domain may limit what it buffers.
 */
#define CX_FITS_SNDBUF 4096

/*
 * Does Linux defer a RESUME connect here?  Only TCP_FASTOPEN_CONNECT with
 * IDEMPOTENT, and only when the SYN may carry data: no-cookie mode, or a
 * cookie the case cached itself (cookie_cached) from a server that issues
 * them.  Elsewhere the SYN leaves at connectx (docs/connectx-linux.md).
 */
static bool cx_linux_defers(const struct case_ctx *c, unsigned int flags,
			    bool cookie_cached)
{
	return (flags & CONNECT_DATA_IDEMPOTENT) &&
	       profile_client_syn_data(c->profile, cookie_cached);
}

/*
 * The payload of the row: .size bytes of a pattern in iovecs of
 * CX_IOV_PART, or (size 0) the standard three-piece payload.  Returns the
 * iov count, or -EINVAL for a size this body cannot build.
 */
static int cx_payload(const struct case_ctx *c, struct iovec *iov,
		      char *flat, size_t flat_size, const char **data,
		      size_t *total)
{
	size_t size = c->def->size;
	unsigned int n = 0;

	if (!size) {
		cx_iov3(iov);
		*total = cx_iov3_concat(flat, flat_size);
		*data = flat;
		return 3;
	}
	if (size > sizeof(cx_large))
		return -EINVAL;
	for (size_t i = 0; i < size; i++)
		cx_large[i] = (char)('a' + (i * 7 + i / 251) % 26);
	for (size_t off = 0; off < size; off += CX_IOV_PART, n++)
		iov[n] = (struct iovec){ cx_large + off,
					 size - off < CX_IOV_PART ?
						 size - off : CX_IOV_PART };
	*total = size;
	*data = cx_large;
	return (int)n;
}

/* iov gathered in order, *len = bytes enqueued, delivered exactly once. */
static void cx_data(struct case_ctx *c)
{
	unsigned int flags = c->def->flags, idx, n;
	bool nb = c->def->nonblock;
	char small[64], peer[80];
	struct iovec iov[CX_IOVS_MAX];
	const char *flat;
	struct cx_out o;
	struct cx_ep e;
	struct peer p;
	size_t total;
	int fd, ret, err, soerr;
	double t0, dt;

	ret = cx_payload(c, iov, small, sizeof(small), &flat, &total);
	CASE_SETUP(c, ret);
	n = (unsigned int)ret;
	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	if (c->def->with_cookie)
		CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
	idx = peer_count(&p);
	cx_ep_server(c, &e, p.port);
	fd = cx_socket(c, SOCK_STREAM, nb);
	CASE_SETUP(c, fd);
	t0 = util_now_ms();
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, flags, iov, n, &o, &err);
	dt = util_now_ms() - t0;
	if (nb) {
		CASE_EXPECT(c, ret == 0 || (ret == -1 && err == EINPROGRESS),
			    "expected non-blocking connectx with %zu bytes of data to succeed or fail with EINPROGRESS; observed %s",
			    total, cx_res(ret, err));
		CASE_EXPECT(c, dt <= cc_at_once_ms(c),
			    "expected non-blocking connectx to return at once (at most %d ms here); observed %s after %.0f ms",
			    cc_at_once_ms(c), cx_res(ret, err), dt);
	} else {
		/* the page's blocking call returns once connected; only
		 * Darwin's sosend may give up early on data over SO_SNDBUF */
		if (ret == -1 && err == EINPROGRESS && total > CX_FITS_SNDBUF)
			cx_known(c, CXL_DARWIN_BLOCK_EINPROGRESS, true);
		CASE_EXPECT(c, ret == 0,
			    "expected blocking connectx with %zu bytes of data to return 0 once connected; observed %s",
			    total, cx_res(ret, err));
	}
	/* 0 means connected: the peer is known right after the call */
	cx_name_text(fd, true, peer, sizeof(peer));
	CASE_EXPECT(c, ret || strcmp(peer, "ENOTCONN"),
		    "expected a connectx that returned 0 to leave the socket connected; observed getpeername ENOTCONN right after the call (the attempt still under way)");
	CASE_EXPECT(c, o.len <= total,
		    "expected *len = the bytes enqueued (at most %zu); observed %#zx%s",
		    total, o.len,
		    o.len == CX_LEN_SENTINEL ? " (never written)" : "");
	/* a blocking call that succeeded has the connection: small data fits */
	if (!nb && total <= CX_FITS_SNDBUF)
		CASE_EXPECT(c, o.len == total,
			    "expected a blocking connectx to enqueue all %zu bytes of %u iovecs; observed *len %zu",
			    total, n, o.len);
	if (ret) {
		CASE_EXPECT(c, cx_wait_writable(fd, 3000, &soerr) == 0 && !soerr,
			    "expected the socket to become writable with SO_ERROR 0; observed %s",
			    soerr ? util_errno_name(soerr) : "not writable after 3 s");
	}
	/* what a careful caller does: write the rest from offset *len */
	CASE_EXPECT(c, cx_write_all(fd, flat + o.len, total - o.len, 3000) == 0,
		    "expected the rest (%zu bytes from offset *len %zu) to be writable; observed %s",
		    total - o.len, o.len, util_errno_name(errno));
	case_note(c, "%s, *len %zu of %zu", cx_res(ret, err), o.len, total);
	/* connected and all of it handed over: the server has it now */
	if (!cc_expect_delivered(c, &p, idx, total, "after the data was handed over"))
		return;
	close(fd);
	if (!cc_expect_bytes(c, &p, idx, flat, total))
		return;
	peer_stop(&p);
}

/*
 * Behind a router that holds SYN-ACKs (harness/delay.h): first contact,
 * then with the cookie it cached, 3 iovecs with the row's flags.  A
 * blocking call returns 0 only once connected — after the hold, in state
 * ESTABLISHED, with all the data taken; a non-blocking one returns at
 * once, and 0 only if it is connected right then (it cannot be, here):
 * otherwise -1 EINPROGRESS, after which the careful caller's rest goes.
 */
static void cx_delayed_data(struct case_ctx *c)
{
	int hold = case_ms(c->def->delay_ms), fd, ret, err, soerr;
	bool nb = c->def->nonblock;
	struct iovec iov[3];
	char flat[64], what[64];
	struct cx_out o;
	struct cx_ep e;
	struct peer p;
	size_t total = cx_iov3_concat(flat, sizeof(flat));

	cx_iov3(iov);
	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	cx_ep_server(c, &e, p.port);
	for (unsigned int conn = 0; conn < 2; conn++) {
		unsigned int idx = peer_count(&p);
		double t0, dt;

		snprintf(what, sizeof(what), "connection %u (%s)", conn + 1,
			 conn ? "cookie cached" : "first contact");
		fd = cx_socket(c, SOCK_STREAM, nb);
		CASE_SETUP(c, fd);
		t0 = util_now_ms();
		ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, c->def->flags, iov,
			      3, &o, &err);
		dt = util_now_ms() - t0;
		if (!nb) {
			CASE_EXPECT(c, ret == 0 && o.len == total,
				    "%s: expected blocking connectx with %zu bytes to return 0 with *len %zu once connected; observed %s, *len %#zx",
				    what, total, total, cx_res(ret, err), o.len);
			CASE_EXPECT(c, dt >= hold * 0.9,
				    "%s: blocking connectx returned 0 after %.0f ms, before the SYN-ACK the router held for %d ms could arrive: 0 means connected",
				    what, dt, hold);
			if (!cc_expect_established(c, fd, what))
				return;
		} else {
			CASE_EXPECT(c, dt <= cc_at_once_ms(c),
				    "%s: non-blocking connectx took %.0f ms (%s); expected it to return at once (at most %d ms here) while the SYN-ACK is held for %d ms",
				    what, dt, cx_res(ret, err), cc_at_once_ms(c), hold);
			CASE_EXPECT(c, ret == -1 && err == EINPROGRESS && o.len <= total,
				    "%s: expected non-blocking connectx to fail with EINPROGRESS (the SYN-ACK is held: it cannot be connected yet) with *len at most %zu; observed %s, *len %#zx",
				    what, total, cx_res(ret, err), o.len);
			CASE_EXPECT(c, cx_wait_writable(fd, hold + 3000, &soerr) == 0 && !soerr,
				    "%s: expected the socket to become writable with SO_ERROR 0 once the SYN-ACK arrives; observed %s",
				    what, soerr ? util_errno_name(soerr) : "not writable");
			CASE_EXPECT(c, cx_write_all(fd, flat + o.len, total - o.len, 3000) == 0,
				    "%s: expected the rest (%zu bytes from *len %zu) to be writable; observed %s",
				    what, total - o.len, o.len, util_errno_name(errno));
		}
		if (!cc_expect_delivered(c, &p, idx, total, what))
			return;
		close(fd);
		if (!cc_expect_bytes(c, &p, idx, flat, total))
			return;
	}
	peer_stop(&p);
}

/* The SYN of the client connection from sport (NULL if none seen). */
static const struct wire_pkt *cx_syn(const struct cc_conn_view *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->pkt[i]->dir == WIRE_TO_SERVER &&
		    (v->pkt[i]->flags & WIRE_SYN))
			return v->pkt[i];
	return NULL;
}

/*
 * IDEMPOTENT (the row's flags): data rides the SYN where TFO works;
 * without it, never.
 */
/*
 * IDEMPOTENT: TCP Fast Open is triggered, whatever the shape of the data
 * (.size bytes in .iovcnt iovecs; 0: the 28-byte payload in one).  With
 * a cookie (or in no-cookie mode) where the profile allows it, the data
 * rides the SYN — as much as fits, the rest after the handshake — and the
 * server accepts it; on first contact the SYN asks for a cookie; without
 * IDEMPOTENT, or without client TFO, the SYN carries neither option nor
 * data.  Delivered once, in order, in every shape.
 */
static void cx_tfo_wire(struct case_ctx *c)
{
	static char pattern[8192];
	const struct profile *pr = c->profile;
	unsigned int flags = c->def->flags, idx, niov = c->def->iovcnt ?
							 c->def->iovcnt : 1;
	bool idem = flags & CONNECT_DATA_IDEMPOTENT;
	bool want = idem && profile_syn_data_expected(pr, c->def->with_cookie);
	size_t total = c->def->size ? c->def->size : sizeof(CASE_PAYLOAD);
	const char *data = c->def->size ? pattern : CASE_PAYLOAD;
	struct iovec iov[CX_IOVS_MAX];
	const struct wire_pkt *syn;
	struct cc_conn_view v;
	struct peer_conn pc;
	char text[512];
	struct cx_out o;
	struct cx_ep e;
	struct peer p;
	uint16_t sport;
	int fd, ret, err;

	CASE_SETUP(c, total <= sizeof(pattern) && niov <= CX_IOVS_MAX ? 0 :
							       -EINVAL);
	for (size_t i = 0; i < total && c->def->size; i++)
		pattern[i] = (char)('A' + (i * 7 + i / 251) % 26);
	for (unsigned int i = 0, off = 0; i < niov; i++) {
		size_t part = total / niov + (i < total % niov);

		iov[i] = (struct iovec){ (char *)data + off, part };
		off += (unsigned int)part;
	}
	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	if (c->def->with_cookie)
		CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
	idx = peer_count(&p);
	cx_ep_server(c, &e, p.port);
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, flags, iov, niov, &o,
		      &err);
	CASE_EXPECT(c, ret == 0 && o.len == total,
		    "expected blocking connectx with %zu bytes in %u iovecs to succeed with *len %zu; observed %s, *len %#zx",
		    total, niov, total, cx_res(ret, err), o.len);
	sport = cc_local_port(fd);
	close(fd);
	if (!cc_expect_bytes(c, &p, idx, data, total))
		return;
	peer_wait(&p, idx, 0, 0, &pc);
	cc_wire_conn(c, sport, &v);
	cc_wire_text(&v, text, sizeof(text));
	syn = cx_syn(&v);
	CASE_EXPECT(c, syn, "expected a SYN on the wire; observed %s", text);
	if (want) {
		CASE_EXPECT(c, syn->payload_len > 0 && syn->payload_len <= total &&
				       pc.syn_data,
			    "expected IDEMPOTENT data (%zu bytes in %u iovecs) to ride the SYN (TCP Fast Open) and the server to accept it; observed %s (server accepted SYN data: %d)",
			    total, niov, text, pc.syn_data);
		peer_stop(&p);
		return;
	}
	CASE_EXPECT(c, syn->payload_len == 0,
		    "expected no data in the SYN (%s); observed %s",
		    !idem ? "without CONNECT_DATA_IDEMPOTENT the data is not known to be idempotent" :
		    !c->def->with_cookie ? "first contact: no cookie yet" :
					   "TFO cannot apply in this profile",
		    text);
	if (!idem || !profile_client_tfo(pr))
		CASE_EXPECT(c, syn->tfo == WIRE_TFO_NONE,
			    "expected no TCP Fast Open option in the SYN (%s); observed %s",
			    idem ? "client TFO is off" : "no CONNECT_DATA_IDEMPOTENT",
			    text);
	else if (!profile_client_nocookie(pr) && !c->def->with_cookie)
		/* TFO triggered on first contact: the SYN asks for a cookie
		 * (after a contact that got none, Linux stops asking) */
		CASE_EXPECT(c, syn->tfo == WIRE_TFO_REQUEST,
			    "expected IDEMPOTENT to trigger TCP Fast Open: without a usable cookie the SYN asks for one; observed %s",
			    text);
	peer_stop(&p);
}

/* Client SYNs to the server's port seen on the wire so far. */
static size_t cx_syns_to(struct case_ctx *c, uint16_t port, int settle_ms)
{
	size_t n = 0;

	wire_collect(c->wire, settle_ms);
	for (size_t i = 0; i < wire_count(c->wire); i++) {
		const struct wire_pkt *k = wire_get(c->wire, i);

		if (k->dir == WIRE_TO_SERVER && (k->flags & WIRE_SYN) &&
		    k->dport == port)
			n++;
	}
	return n;
}

/*
 * RESUME without data (the row's flags, blocking or not, a cookie cached
 * first when the row says so): connectx must return 0 at once and the
 * socket must poll writable.  *syn_early: a SYN left before any read or
 * write (judged last by the callers: that is the Linux limit); *took: how
 * long the call took.  true when the expectations held.
 */
static bool cx_resume_connectx(struct case_ctx *c, struct peer *p, int *fd,
			       bool *syn_early, double *took)
{
	struct pollfd pf;
	struct cx_out o;
	struct cx_ep e;
	size_t syns;
	int ret, err;
	double t0;

	syns = cx_syns_to(c, p->port, 0);
	cx_ep_server(c, &e, p->port);
	*fd = cx_socket(c, SOCK_STREAM, c->def->nonblock);
	if (*fd < 0) {
		case_error(c, "cx_socket: %s", util_errno_name(-*fd));
		return false;
	}
	t0 = util_now_ms();
	ret = cx_call(c, *fd, &e.ep, SAE_ASSOCID_ANY, c->def->flags, NULL, 0,
		      &o, &err);
	*took = util_now_ms() - t0;
	if (ret) {
		case_fail(c, "expected connectx with RESUME and no data to return success immediately; observed %s",
			  cx_res(ret, err));
		return false;
	}
	if (*took > cc_at_once_ms(c)) {
		case_fail(c, "expected connectx with RESUME and no data to return success immediately (at most %d ms here); observed it after %.0f ms",
			  cc_at_once_ms(c), *took);
		return false;
	}
	*syn_early = cx_syns_to(c, p->port, cc_quiet_ms(c)) != syns;
	pf = (struct pollfd){ .fd = *fd, .events = POLLOUT };
	if (poll(&pf, 1, cc_at_once_ms(c)) != 1 || !(pf.revents & POLLOUT) ||
	    (pf.revents & POLLERR)) {
		case_fail(c, "expected select/poll to show the socket ready for writing; observed revents %#x",
			  pf.revents);
		return false;
	}
	return true;
}

/*
 * RESUME without data, then the first write establishes the connection,
 * with the data in the SYN when IDEMPOTENT and a cookie allow.  The Linux
 * limit (the SYN may leave at connectx) excuses only that: everything
 * else is checked strictly first, and the early SYN is the last
 * assertion.
 */
static void cx_resume(struct case_ctx *c)
{
	const struct profile *pr = c->profile;
	unsigned int flags = c->def->flags, idx;
	bool idem = flags & CONNECT_DATA_IDEMPOTENT, cookie = c->def->with_cookie;
	bool syn_early;
	struct peer_conn pc;
	struct peer p;
	double took;
	ssize_t n;
	int fd;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	if (cookie)
		CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
	idx = peer_count(&p);
	if (!cx_resume_connectx(c, &p, &fd, &syn_early, &took))
		return;
	n = send(fd, CASE_PAYLOAD, sizeof(CASE_PAYLOAD), MSG_NOSIGNAL);
	CASE_EXPECT(c, n > 0,
		    "expected the first write to start the connection and take data; observed %s",
		    util_errno_name(errno));
	CASE_EXPECT(c, cx_write_all(fd, CASE_PAYLOAD + n,
				    sizeof(CASE_PAYLOAD) - (size_t)n, 3000) == 0,
		    "expected the rest of the first write's data to go; observed %s",
		    util_errno_name(errno));
	close(fd);
	if (!cc_expect_bytes(c, &p, idx, CASE_PAYLOAD, sizeof(CASE_PAYLOAD)))
		return;
	if (idem && profile_syn_data_expected(pr, cookie)) {
		peer_wait(&p, idx, 0, 0, &pc);
		CASE_EXPECT(c, pc.syn_data,
			    "expected the first write's idempotent data to ride the SYN (TCP Fast Open with a cached cookie); observed the server did not accept SYN data%s",
			    syn_early ? " (a SYN left at connectx)" : "");
	}
	cx_known(c, CXL_RESUME_DEFER, !cx_linux_defers(c, flags, cookie));
	CASE_EXPECT(c, !syn_early,
		    "expected no SYN before the first read or write; observed a SYN leave at connectx (call took %.1f ms)",
		    took);
	peer_stop(&p);
}

/*
 * RESUME without data, then a read first: the read establishes the
 * connection.  A deferred SYN must still be pending for the read to
 * matter, so the early SYN is judged before the read here.
 */
static void cx_resume_read_first(struct case_ctx *c)
{
	unsigned int flags = c->def->flags, idx;
	struct peer_conn pc;
	struct peer p;
	bool syn_early;
	double took;
	ssize_t n;
	char b;
	int fd;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	if (c->def->with_cookie)
		CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
	idx = peer_count(&p);
	if (!cx_resume_connectx(c, &p, &fd, &syn_early, &took))
		return;
	cx_known(c, CXL_RESUME_DEFER,
		 syn_early && !cx_linux_defers(c, flags, c->def->with_cookie));
	CASE_EXPECT(c, !syn_early,
		    "expected no SYN before the first read or write; observed a SYN leave at connectx (call took %.1f ms)",
		    took);
	cx_known(c, CXL_RESUME_READ, true);
	n = recv(fd, &b, 1, MSG_DONTWAIT);
	(void)n;
	peer_wait(&p, idx, 0, cc_quiet_ms(c), &pc);
	CASE_EXPECT(c, peer_count(&p) > idx,
		    "expected the first read to establish the connection; observed no connection at the server in time");
	close(fd);
	peer_stop(&p);
}

/*
 * RESUME: while the attempt the first write started runs, writes fail.
 * Every SYN is dropped, so no cookie can be cached: on Linux the connect
 * is deferred only in no-cookie mode (the row's profile).  Where it is not
 * deferred the SYN has left at connectx and the first write finds the
 * attempt under way (EAGAIN): that, and only that, is the Linux limit.
 */
static void cx_resume_second_write(struct case_ctx *c)
{
	unsigned int flags = c->def->flags;
	struct cx_out o;
	struct cx_ep e;
	ssize_t n;
	int fd, ret, err;

	cx_ep_server(c, &e, 80);
	fd = cx_socket(c, SOCK_STREAM, c->def->nonblock);
	CASE_SETUP(c, fd);
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, flags, NULL, 0, &o, &err);
	CASE_EXPECT(c, ret == 0,
		    "expected connectx with RESUME and no data to return success; observed %s",
		    cx_res(ret, err));
	n = send(fd, CASE_PAYLOAD, sizeof(CASE_PAYLOAD), MSG_NOSIGNAL);
	err = errno;
	if (n <= 0) {
		cx_known(c, CXL_RESUME_DEFER,
			 err == EAGAIN &&
				 !cx_linux_defers(c, flags, c->def->with_cookie));
		case_fail(c, "expected the first write to be taken (it starts the connection); observed %s",
			  n == 0 ? "0 bytes" : util_errno_name(err));
		close(fd);
		return;
	}
	/* every SYN is dropped: the attempt cannot have succeeded */
	n = send(fd, CASE_PAYLOAD, sizeof(CASE_PAYLOAD), MSG_NOSIGNAL);
	err = errno;
	CASE_EXPECT(c, n < 0,
		    "expected a second write to fail while the connection attempt is under way; observed %zd bytes taken",
		    n);
	case_note(c, "second write: %s (Darwin: ENOTCONN)", util_errno_name(err));
	close(fd);
}

#define IDEM CONNECT_DATA_IDEMPOTENT
#define RESUME CONNECT_RESUME_ON_READ_WRITE
#define CX_DATA_CLAUSE                                                       \
	"Data to be transmitted may optionally be defined via the iovcnt buffers specified by members of the iov array, along with a non-NULL len parameter, which upon success, indicates the number of bytes enqueued for transmission"

/* the delayed path's hold: above every "at once" bound (200 ms at most) */
#define CX_HOLD_MS 300
/* one of each kind of server and client TFO setting (hand-picked: no
 * predicate names this sample) */
#define CX_TFO_WIRE_PROFILES "tfo,client-off,server-off,no-cookie,server-nocookie"

CASE_TABLE(connectx_data,
	CONNECTX("data_iovecs_blocking", .clause_id = "X17",
		 .expect = "blocking, 3 iovecs, no flags: 0 and connected (getpeername) on return, *len = 27, the server gets them in order once",
		 .clause = CX_DATA_CLAUSE, .body = cx_data),
	CONNECTX("data_iovecs_blocking_idempotent", .clause_id = "X17",
		 .profiles = "tfo,client-off,server-off,no-cookie",
		 .expect = "blocking, 3 iovecs, IDEMPOTENT with a cached cookie: 0 and connected on return, *len = 27, delivered once whatever TFO does",
		 .clause = CX_DATA_CLAUSE, .body = cx_data, .flags = IDEM,
		 .with_cookie = true),
	CONNECTX("data_iovecs_nonblocking", .clause_id = "X17",
		 .expect = "non-blocking, 3 iovecs, no flags: EINPROGRESS (or 0 only if connected on return), *len ≤ 27; the rest written from *len; delivered once",
		 .clause = CX_DATA_CLAUSE, .body = cx_data, .nonblock = true),
	CONNECTX("data_iovecs_nonblocking_idempotent", .clause_id = "X17",
		 .profiles = "tfo,client-off,no-cookie",
		 .expect = "non-blocking, IDEMPOTENT, cookie cached: EINPROGRESS or 0, *len = what was enqueued; delivered once (Darwin: *len = all 27)",
		 .clause = CX_DATA_CLAUSE, .body = cx_data, .flags = IDEM,
		 .nonblock = true, .with_cookie = true),
	CONNECTX("data_iovecs_nonblocking_first_contact", .clause_id = "X17",
		 .expect = "non-blocking, IDEMPOTENT, no cookie yet: EINPROGRESS, *len = what was enqueued (Linux: 0); delivered once",
		 .clause = CX_DATA_CLAUSE, .body = cx_data, .flags = IDEM,
		 .nonblock = true),
	CONNECTX("data_resume_ignored_with_iov", .clause_id = "X21",
		 .expect = "RESUME|IDEMPOTENT with an iov: RESUME is ignored, behaves as the data call (blocking: 0, *len = 27)",
		 .clause = "This flag is ignored if the iov is specified in the connectx(2) call itself",
		 .body = cx_data, .flags = RESUME | IDEM, .with_cookie = true),
	CONNECTX("data_large_blocking", .clause_id = "X19",
		 .expect = "blocking, 256 KiB in 4 iovecs, IDEMPOTENT: 0 and connected on return, *len ≤ total (the domain may limit it), the rest written from *len, delivered once (Darwin: EINPROGRESS when the data exceeds SO_SNDBUF)",
		 .clause = "The communication domain may impose a limit on the amount of data allowed to be buffered before connection establishment",
		 .body = cx_data, .flags = IDEM, .with_cookie = true,
		 .size = 4 * CX_IOV_PART),
	CONNECTX("data_large_nonblocking", .clause_id = "X19",
		 .expect = "non-blocking, 256 KiB in 4 iovecs, IDEMPOTENT: EINPROGRESS, *len ≤ total, delivered once",
		 .clause = "The communication domain may impose a limit on the amount of data allowed to be buffered before connection establishment",
		 .body = cx_data, .flags = IDEM, .nonblock = true,
		 .with_cookie = true, .size = 4 * CX_IOV_PART),
	CONNECTX("delayed_data_blocking", .clause_id = "X39",
		 .expect = "router holds the SYN-ACK 300 ms, blocking, 3 iovecs IDEMPOTENT, first contact then cookie: 0 only after the SYN-ACK, established, *len 27, delivered once",
		 .clause = "Upon successful completion, a value of 0 is returned",
		 .body = cx_delayed_data, .flags = CONNECT_DATA_IDEMPOTENT,
		 .topo = TOPO_ROUTED, .delay_ms = CX_HOLD_MS, .slow = true),
	CONNECTX("delayed_data_nonblocking", .clause_id = "X50",
		 .expect = "router holds the SYN-ACK 300 ms, non-blocking, 3 iovecs IDEMPOTENT: -1 EINPROGRESS at once (never 0: not connected yet), writable after the SYN-ACK, the rest from *len, delivered once",
		 .clause = "EINPROGRESS: The connection cannot be completed immediately. It is possible to select(2) for completion by selecting the socket for writing",
		 .body = cx_delayed_data, .flags = CONNECT_DATA_IDEMPOTENT,
		 .nonblock = true, .topo = TOPO_ROUTED, .delay_ms = CX_HOLD_MS,
		 .slow = true),
	CONNECTX("idempotent_syn_data", .clause_id = "X23",
		 .profiles = CX_TFO_WIRE_PROFILES, .wire = true,
		 .expect = "IDEMPOTENT with a cached cookie: the data rides the SYN (TFO) where the profile allows it, on the wire; else no SYN data",
		 .clause = "CONNECT_DATA_IDEMPOTENT ... this will trigger TCP Fast Open (RFC 7413) with SOCK_STREAM type",
		 .body = cx_tfo_wire, .flags = IDEM, .with_cookie = true),
	CONNECTX("idempotent_syn_data_iovecs", .clause_id = "X23",
		 .profiles = CX_TFO_WIRE_PROFILES, .wire = true,
		 .expect = "IDEMPOTENT, 27 bytes in 3 iovecs, cookie cached: all three ride the SYN where the profile allows it; delivered once in order",
		 .clause = "CONNECT_DATA_IDEMPOTENT ... this will trigger TCP Fast Open (RFC 7413) with SOCK_STREAM type",
		 .body = cx_tfo_wire, .flags = IDEM, .with_cookie = true,
		 .size = 27, .iovcnt = 3),
	CONNECTX("idempotent_syn_data_large", .clause_id = "X23",
		 .profiles = CX_TFO_WIRE_PROFILES, .wire = true,
		 .expect = "IDEMPOTENT, 3000 bytes (over the MSS) in one iovec, cookie cached: the SYN carries what fits, the rest follows; delivered once in order",
		 .clause = "CONNECT_DATA_IDEMPOTENT ... this will trigger TCP Fast Open (RFC 7413) with SOCK_STREAM type",
		 .body = cx_tfo_wire, .flags = IDEM, .with_cookie = true,
		 .size = 3000),
	CONNECTX("idempotent_syn_data_large_iovecs", .clause_id = "X23",
		 .profiles = CX_TFO_WIRE_PROFILES, .wire = true,
		 .expect = "IDEMPOTENT, 3000 bytes in 4 iovecs, cookie cached: the SYN carries what fits of the first iovecs; delivered once in order",
		 .clause = "CONNECT_DATA_IDEMPOTENT ... this will trigger TCP Fast Open (RFC 7413) with SOCK_STREAM type",
		 .body = cx_tfo_wire, .flags = IDEM, .with_cookie = true,
		 .size = 3000, .iovcnt = 4),
	CONNECTX("idempotent_first_contact", .clause_id = "X23",
		 .profiles = CX_TFO_WIRE_PROFILES, .wire = true,
		 .expect = "IDEMPOTENT, first contact (no cookie yet): the SYN asks for a cookie and carries no data (no-cookie mode: the data in the SYN); delivered once",
		 .clause = "CONNECT_DATA_IDEMPOTENT ... this will trigger TCP Fast Open (RFC 7413) with SOCK_STREAM type",
		 .body = cx_tfo_wire, .flags = IDEM),
	CONNECTX("idempotent_first_contact_iovecs", .clause_id = "X23",
		 .profiles = CX_TFO_WIRE_PROFILES, .wire = true,
		 .expect = "IDEMPOTENT, first contact, 27 bytes in 3 iovecs: the SYN asks for a cookie (no-cookie mode: carries the data); delivered once in order",
		 .clause = "CONNECT_DATA_IDEMPOTENT ... this will trigger TCP Fast Open (RFC 7413) with SOCK_STREAM type",
		 .body = cx_tfo_wire, .flags = IDEM, .size = 27, .iovcnt = 3),
	CONNECTX("no_idempotent_no_tfo", .clause_id = "X22", .wire = true,
		 .expect = "data without IDEMPOTENT, cookie cached: the SYN carries no TFO option and no data",
		 .clause = "CONNECT_DATA_IDEMPOTENT to indicate to the communication domain that the data is idempotent",
		 .body = cx_tfo_wire, .with_cookie = true),
	CONNECTX("resume_idempotent_nonblocking", .clause_id = "X34",
		 .profiles = "tfo,no-cookie,client-off", .wire = true,
		 .slow = true,
		 .expect = "RESUME|IDEMPOTENT, no iov, non-blocking (curl, tokio-tfo): 0 at once, no SYN, writable; the first write sends SYN+data; delivered once",
		 .clause = "If CONNECT_RESUME_ON_READ_WRITE is set without data supplied, connectx() will immediately return success ... select(2) will indicate that the socket is ready for writing, and the actual connection establishment is attempted once the initial data is written",
		 .body = cx_resume, .flags = RESUME | IDEM, .nonblock = true,
		 .with_cookie = true),
	CONNECTX("resume_idempotent_blocking", .clause_id = "X20",
		 .profiles = "tfo,server-off", .wire = true, .slow = true,
		 .expect = "RESUME|IDEMPOTENT, no iov, blocking: 0 at once, no SYN until the first write, which carries the data",
		 .clause = "When the flags parameter is set to CONNECT_RESUME_ON_READ_WRITE and an iov is not passed in, the communication domain will trigger the actual connection establishment upon the first read or write",
		 .body = cx_resume, .flags = RESUME | IDEM, .with_cookie = true),
	CONNECTX("resume_only", .clause_id = "X20", .wire = true, .slow = true,
		 .expect = "RESUME without IDEMPOTENT, no iov: 0 at once, writable, the first write delivers the data once; no SYN until that write (Linux: the SYN leaves at connectx)",
		 .clause = "the communication domain will trigger the actual connection establishment upon the first read or write following the connectx(2) system call",
		 .body = cx_resume, .flags = RESUME, .nonblock = true,
		 .with_cookie = true),
	CONNECTX("resume_read_first", .clause_id = "X20", .wire = true,
		 .slow = true,
		 .expect = "RESUME|IDEMPOTENT, then a read first: the read establishes the connection",
		 .clause = "will trigger the actual connection establishment upon the first read or write",
		 .body = cx_resume_read_first, .flags = RESUME | IDEM,
		 .nonblock = true, .with_cookie = true),
	CONNECTX("resume_second_write_fails", .clause_id = "X37",
		 .topo = TOPO_ROUTED, .fault = FAULT_DROP_SYN,
		 .profiles = "no-cookie",
		 .expect = "RESUME|IDEMPOTENT, non-blocking, every SYN dropped: the first write is taken, a second fails (Darwin: ENOTCONN, Linux: EAGAIN)",
		 .clause = "Subsequent attempts to write more data will fail until the existing connection establishment attempt is successful",
		 .body = cx_resume_second_write, .flags = RESUME | IDEM,
		 .nonblock = true),
)
