/* SPDX-License-Identifier: MIT */
/*
 * connectx(2) cases, part 3: data at connection time (iov, *len), the
 * flags (CONNECT_DATA_IDEMPOTENT → TCP Fast Open on the wire,
 * CONNECT_RESUME_ON_READ_WRITE → no SYN until the first write), datagram
 * sockets (association, EMSGSIZE, disconnectx and re-association) and
 * disconnectx on TCP.
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

/* .arg: connectx flags in the low byte, then these bits */
#define CXD_NB (1L << 8)	/* non-blocking socket */
#define CXD_WARM (1L << 9)	/* cache a TFO cookie first */
#define CXD_LARGE (1L << 10)	/* 256 KiB in 4 iovecs instead of 3 small */
#define CXD_READ (1L << 11)	/* RESUME: read first instead of write */

#define CX_LARGE_PART (64 * 1024)
static char cx_large[4 * CX_LARGE_PART];

static unsigned int cx_flags(const struct case_ctx *c)
{
	return (unsigned int)(c->def->arg & 0xff);
}

static bool cx_bit(const struct case_ctx *c, long bit)
{
	return c->def->arg & bit;
}

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

/* The payload a data row sends; returns the iov count. */
static unsigned int cx_payload(const struct case_ctx *c, struct iovec *iov,
			       char *flat, size_t flat_size, size_t *total)
{
	if (!cx_bit(c, CXD_LARGE)) {
		cx_iov3(iov);
		*total = cx_iov3_concat(flat, flat_size);
		return 3;
	}
	for (size_t i = 0; i < sizeof(cx_large); i++)
		cx_large[i] = (char)('a' + (i * 7 + i / 251) % 26);
	for (unsigned int i = 0; i < 4; i++)
		iov[i] = (struct iovec){ cx_large + i * CX_LARGE_PART,
					 CX_LARGE_PART };
	*total = sizeof(cx_large);
	return 4;
}

/* iov gathered in order, *len = bytes enqueued, delivered exactly once. */
static void cx_data(struct case_ctx *c)
{
	unsigned int flags = cx_flags(c), n, idx;
	bool nb = cx_bit(c, CXD_NB);
	char small[64], peer[80];
	const char *flat;
	struct iovec iov[4];
	struct cx_out o;
	struct cx_ep e;
	struct peer p;
	size_t total;
	int fd, ret, err, soerr;

	n = cx_payload(c, iov, small, sizeof(small), &total);
	flat = cx_bit(c, CXD_LARGE) ? cx_large : small;
	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	if (cx_bit(c, CXD_WARM))
		CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
	idx = peer_count(&p);
	cx_ep_server(c, &e, p.port);
	fd = cx_socket(c, SOCK_STREAM, nb);
	CASE_SETUP(c, fd);
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, flags, iov, n, &o, &err);
	if (nb) {
		CASE_EXPECT(c, ret == 0 || (ret == -1 && err == EINPROGRESS),
			    "expected non-blocking connectx with %zu bytes of data to succeed or fail with EINPROGRESS; observed %s",
			    total, cx_res(ret, err));
	} else {
		/* the page's blocking call returns once connected; only
		 * Darwin's sosend may give up early on data over SO_SNDBUF */
		if (ret == -1 && err == EINPROGRESS && cx_bit(c, CXD_LARGE))
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
	if (!nb && !cx_bit(c, CXD_LARGE))
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
	close(fd);
	if (!cc_expect_bytes(c, &p, idx, flat, total))
		return;
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

/* IDEMPOTENT: data rides the SYN where TFO works; without it, never. */
static void cx_tfo_wire(struct case_ctx *c)
{
	const struct profile *pr = c->profile;
	unsigned int flags = cx_flags(c), idx;
	bool idem = flags & CONNECT_DATA_IDEMPOTENT;
	bool want = idem && profile_syn_data_expected(pr, true);
	struct iovec iov = { CASE_PAYLOAD, sizeof(CASE_PAYLOAD) };
	const struct wire_pkt *syn;
	struct cc_conn_view v;
	struct peer_conn pc;
	char text[512];
	struct cx_out o;
	struct cx_ep e;
	struct peer p;
	uint16_t sport;
	int fd, ret, err;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
	idx = peer_count(&p);
	cx_ep_server(c, &e, p.port);
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, flags, &iov, 1, &o, &err);
	CASE_EXPECT(c, ret == 0 && o.len == sizeof(CASE_PAYLOAD),
		    "expected blocking connectx with data to succeed with *len %zu; observed %s, *len %#zx",
		    sizeof(CASE_PAYLOAD), cx_res(ret, err), o.len);
	sport = cc_local_port(fd);
	close(fd);
	if (!cc_expect_bytes(c, &p, idx, CASE_PAYLOAD, sizeof(CASE_PAYLOAD)))
		return;
	peer_wait(&p, idx, 0, 0, &pc);
	cc_wire_conn(c, sport, &v);
	cc_wire_text(&v, text, sizeof(text));
	syn = cx_syn(&v);
	CASE_EXPECT(c, syn, "expected a SYN on the wire; observed %s", text);
	if (want) {
		CASE_EXPECT(c, syn->payload_len > 0 && pc.syn_data,
			    "expected IDEMPOTENT data to ride the SYN with a cached cookie (TCP Fast Open) and the server to accept it; observed %s (server accepted SYN data: %d)",
			    text, pc.syn_data);
		peer_stop(&p);
		return;
	}
	CASE_EXPECT(c, syn->payload_len == 0,
		    "expected no data in the SYN (%s); observed %s",
		    idem ? "TFO cannot apply in this profile" :
			   "without CONNECT_DATA_IDEMPOTENT the data is not known to be idempotent",
		    text);
	if (!idem || !profile_client_tfo(pr))
		CASE_EXPECT(c, syn->tfo == WIRE_TFO_NONE,
			    "expected no TCP Fast Open option in the SYN (%s); observed %s",
			    idem ? "client TFO is off" : "no CONNECT_DATA_IDEMPOTENT",
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
 * RESUME without data: immediate success, no SYN, writable; the first
 * write (or read) establishes the connection, with the data in the SYN
 * when IDEMPOTENT and a cookie allow.  The Linux limit (the SYN may leave
 * at connectx) excuses only that: everything else is checked strictly
 * first, and the early SYN is the last assertion.
 */
static void cx_resume(struct case_ctx *c)
{
	const struct profile *pr = c->profile;
	unsigned int flags = cx_flags(c), idx;
	bool idem = flags & CONNECT_DATA_IDEMPOTENT, syn_early;
	struct pollfd pf;
	struct peer_conn pc;
	char b;
	struct cx_out o;
	struct cx_ep e;
	struct peer p;
	size_t syns;
	ssize_t n;
	int fd, ret, err;
	double t0, t1;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
	idx = peer_count(&p);
	syns = cx_syns_to(c, p.port, 0);
	cx_ep_server(c, &e, p.port);
	fd = cx_socket(c, SOCK_STREAM, cx_bit(c, CXD_NB));
	CASE_SETUP(c, fd);
	t0 = util_now_ms();
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, flags, NULL, 0, &o, &err);
	t1 = util_now_ms();
	CASE_EXPECT(c, ret == 0,
		    "expected connectx with RESUME and no data to return success immediately; observed %s",
		    cx_res(ret, err));
	/* the SYN before any read or write: judged last (the Linux limit) */
	syn_early = cx_syns_to(c, p.port, 200) != syns;
	pf = (struct pollfd){ .fd = fd, .events = POLLOUT };
	CASE_EXPECT(c, poll(&pf, 1, 100) == 1 && (pf.revents & POLLOUT) &&
			       !(pf.revents & POLLERR),
		    "expected select/poll to show the socket ready for writing; observed revents %#x",
		    pf.revents);
	if (cx_bit(c, CXD_READ)) {
		/* a deferred SYN must still be pending for the read to matter */
		cx_known(c, CXL_RESUME_DEFER,
			 syn_early && !cx_linux_defers(c, flags, true));
		CASE_EXPECT(c, !syn_early,
			    "expected no SYN before the first read or write; observed a SYN leave at connectx (call took %.1f ms)",
			    t1 - t0);
		cx_known(c, CXL_RESUME_READ, true);
		n = recv(fd, &b, 1, MSG_DONTWAIT);
		(void)n;
		peer_wait(&p, idx, 0, 300, &pc);
		CASE_EXPECT(c, peer_count(&p) > idx,
			    "expected the first read to establish the connection; observed no connection at the server after 300 ms");
		close(fd);
		peer_stop(&p);
		return;
	}
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
	if (idem && profile_syn_data_expected(pr, true)) {
		peer_wait(&p, idx, 0, 0, &pc);
		CASE_EXPECT(c, pc.syn_data,
			    "expected the first write's idempotent data to ride the SYN (TCP Fast Open with a cached cookie); observed the server did not accept SYN data%s",
			    syn_early ? " (a SYN left at connectx)" : "");
	}
	cx_known(c, CXL_RESUME_DEFER, !cx_linux_defers(c, flags, true));
	CASE_EXPECT(c, !syn_early,
		    "expected no SYN before the first read or write; observed a SYN leave at connectx (call took %.1f ms)",
		    t1 - t0);
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
	unsigned int flags = cx_flags(c);
	struct cx_out o;
	struct cx_ep e;
	ssize_t n;
	int fd, ret, err;

	cx_ep_server(c, &e, 80);
	fd = cx_socket(c, SOCK_STREAM, true);
	CASE_SETUP(c, fd);
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, flags, NULL, 0, &o, &err);
	CASE_EXPECT(c, ret == 0,
		    "expected connectx with RESUME and no data to return success; observed %s",
		    cx_res(ret, err));
	n = send(fd, CASE_PAYLOAD, sizeof(CASE_PAYLOAD), MSG_NOSIGNAL);
	err = errno;
	if (n <= 0) {
		cx_known(c, CXL_RESUME_DEFER,
			 err == EAGAIN && !cx_linux_defers(c, flags, false));
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

enum cxg {
	CXG_CONNECT,
	CXG_DATA,
	CXG_EMSGSIZE,
	CXG_DISCONNECT,
	CXG_REASSOCIATE,
	CXG_DISC_UNCONNECTED,
};

#define CX_UDP_A 5001
#define CX_UDP_B 5002

static char cx_big[70000];

/* The receiver got exactly want[0..len) as one datagram. */
static bool cx_udp_expect(struct case_ctx *c, int rx, const char *who,
			  const void *want, size_t len)
{
	char buf[2048];
	ssize_t n = cx_udp_recv(rx, buf, sizeof(buf), 1000);

	if (n < 0) {
		case_fail(c, "expected peer %s to receive a %zu-byte datagram; observed none within 1 s",
			  who, len);
		return false;
	}
	if ((size_t)n != len || memcmp(buf, want, len)) {
		case_fail(c, "expected peer %s to receive exactly the %zu bytes sent as one datagram; observed %zd bytes%s",
			  who, len, n, (size_t)n == len ? " (different)" : "");
		return false;
	}
	return true;
}

/* Datagram sockets: association, data, EMSGSIZE, disconnectx. */
static void cx_dgram(struct case_ctx *c)
{
	enum cxg v = (enum cxg)c->def->arg;
	struct sockaddr_storage ss;
	struct cx_ep a, bep;
	struct iovec iov[3], big = { cx_big, sizeof(cx_big) };
	char flat[64], peer[80];
	struct cx_out o;
	socklen_t sl;
	size_t total;
	int fd, rxa, rxb, ret, err;

	rxa = cx_udp_receiver(c, CX_UDP_A);
	CASE_SETUP(c, rxa);
	rxb = cx_udp_receiver(c, CX_UDP_B);
	CASE_SETUP(c, rxb);
	cx_ep_server(c, &a, CX_UDP_A);
	cx_ep_server(c, &bep, CX_UDP_B);
	fd = cx_socket(c, SOCK_DGRAM, false);
	CASE_SETUP(c, fd);

	switch (v) {
	case CXG_CONNECT:
	case CXG_REASSOCIATE:
		ret = cx_call(c, fd, &a.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
			      &err);
		CASE_EXPECT(c, ret == 0,
			    "expected connectx on a datagram socket to succeed; observed %s",
			    cx_res(ret, err));
		if (v == CXG_REASSOCIATE) {
			ret = cx_call(c, fd, &bep.ep, SAE_ASSOCID_ANY, 0, NULL,
				      0, &o, &err);
			CASE_EXPECT(c, ret == 0,
				    "expected a second connectx on a connected datagram socket to re-associate it; observed %s",
				    cx_res(ret, err));
		}
		sl = sizeof(ss);
		cx_name_text(fd, true, peer, sizeof(peer));
		CASE_EXPECT(c, getpeername(fd, (struct sockaddr *)&ss, &sl) == 0 &&
				       cx_same_addr((struct sockaddr *)&ss,
						    (v == CXG_CONNECT ? &a : &bep)->ep.sae_dstaddr, true),
			    "expected the association with the destination (getpeername); observed %s",
			    peer);
		CASE_EXPECT(c, send(fd, "x", 1, 0) == 1,
			    "expected send() without an address to work once associated; observed %s",
			    util_errno_name(errno));
		if (!cx_udp_expect(c, v == CXG_CONNECT ? rxa : rxb,
				   v == CXG_CONNECT ? "A" : "B", "x", 1))
			return;
		break;
	case CXG_DATA:
		cx_iov3(iov);
		total = cx_iov3_concat(flat, sizeof(flat));
		ret = cx_call(c, fd, &a.ep, SAE_ASSOCID_ANY, 0, iov, 3, &o,
			      &err);
		CASE_EXPECT(c, ret == 0 && o.len == total,
			    "expected connectx with a 3-iovec datagram to succeed with *len %zu; observed %s, *len %#zx",
			    total, cx_res(ret, err), o.len);
		if (!cx_udp_expect(c, rxa, "A", flat, total))
			return;
		CASE_EXPECT(c, cx_udp_recv(rxa, flat, sizeof(flat), 100) < 0,
			    "expected the data once; observed a second datagram");
		break;
	case CXG_EMSGSIZE:
		cx_known(c, CXL_DARWIN_EMSGSIZE, true);
		ret = cx_call(c, fd, &bep.ep, SAE_ASSOCID_ANY, 0, &big, 1, &o,
			      &err);
		CASE_EXPECT(c, ret == -1 && err == EMSGSIZE,
			    "expected a %zu-byte datagram to fail with EMSGSIZE; observed %s",
			    sizeof(cx_big), cx_res(ret, err));
		cx_name_text(fd, true, peer, sizeof(peer));
		CASE_EXPECT(c, !strcmp(peer, "ENOTCONN") && !cc_local_port(fd),
			    "expected the socket left unchanged (unconnected, unbound) after EMSGSIZE; observed peer %s, local port %u",
			    peer, cc_local_port(fd));
		ret = cx_call(c, fd, &a.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
			      &err);
		CASE_EXPECT(c, ret == 0, "expected connectx to A to succeed; observed %s",
			    cx_res(ret, err));
		ret = cx_call(c, fd, &bep.ep, SAE_ASSOCID_ANY, 0, &big, 1, &o,
			      &err);
		CASE_EXPECT(c, ret == -1 && err == EMSGSIZE,
			    "expected a %zu-byte datagram to B to fail with EMSGSIZE; observed %s",
			    sizeof(cx_big), cx_res(ret, err));
		sl = sizeof(ss);
		cx_name_text(fd, true, peer, sizeof(peer));
		CASE_EXPECT(c, getpeername(fd, (struct sockaddr *)&ss, &sl) == 0 &&
				       cx_same_addr((struct sockaddr *)&ss, a.ep.sae_dstaddr, true),
			    "expected the socket still associated with A after EMSGSIZE toward B (\"as if connectx was not called\"); observed peer %s",
			    peer);
		CASE_EXPECT(c, send(fd, "a", 1, 0) == 1,
			    "expected send() to A to work; observed %s",
			    util_errno_name(errno));
		if (!cx_udp_expect(c, rxa, "A", "a", 1))
			return;
		break;
	case CXG_DISCONNECT:
		ret = cx_call(c, fd, &a.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
			      &err);
		CASE_EXPECT(c, ret == 0, "expected connectx to A to succeed; observed %s",
			    cx_res(ret, err));
		ret = cx_disconnect(c, fd, SAE_ASSOCID_ANY, SAE_CONNID_ANY, &err);
		CASE_EXPECT(c, ret == 0,
			    "expected disconnectx to dissolve the association; observed %s",
			    cx_res(ret, err));
		ret = (int)send(fd, "x", 1, 0);
		err = errno;
		CASE_EXPECT(c, ret == -1 && err == EDESTADDRREQ,
			    "expected send() without an address to fail with EDESTADDRREQ after disconnectx; observed %s",
			    ret == 1 ? "the datagram sent" : util_errno_name(err));
		ret = cx_call(c, fd, &bep.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
			      &err);
		CASE_EXPECT(c, ret == 0,
			    "expected connectx to another peer after disconnectx to succeed; observed %s",
			    cx_res(ret, err));
		CASE_EXPECT(c, send(fd, "y", 1, 0) == 1,
			    "expected send() to the new peer to work; observed %s",
			    util_errno_name(errno));
		if (!cx_udp_expect(c, rxb, "B", "y", 1))
			return;
		break;
	case CXG_DISC_UNCONNECTED:
		ret = cx_disconnect(c, fd, SAE_ASSOCID_ANY, SAE_CONNID_ANY, &err);
		CASE_EXPECT(c, ret == -1 && err == ENOTCONN,
			    "expected disconnectx on an unassociated datagram socket to fail with ENOTCONN; observed %s",
			    cx_res(ret, err));
		break;
	}
	close(fd);
	close(rxa);
	close(rxb);
}

enum cxt {
	CXT_EOF,
	CXT_BADASSOC,
};

/* disconnectx on TCP: the peer sees the close; a bad association id. */
static void cx_disc_tcp(struct case_ctx *c)
{
	enum cxt v = (enum cxt)c->def->arg;
	struct iovec iov = { CASE_PAYLOAD, sizeof(CASE_PAYLOAD) };
	char want[sizeof(CASE_PAYLOAD) + 1];
	struct peer_conn pc;
	struct cx_out o;
	struct cx_ep e;
	struct peer p;
	int fd, ret, err;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	cx_ep_server(c, &e, p.port);
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, &iov, 1, &o, &err);
	CASE_EXPECT(c, ret == 0, "expected connectx to succeed; observed %s",
		    cx_res(ret, err));
	if (v == CXT_BADASSOC) {
		ret = cx_disconnect(c, fd, 5, SAE_CONNID_ANY, &err);
		CASE_EXPECT(c, ret == -1 && err == EINVAL,
			    "expected disconnectx with association id 5 to fail with EINVAL; observed %s",
			    cx_res(ret, err));
		ret = cx_disconnect(c, -1, SAE_ASSOCID_ANY, SAE_CONNID_ANY, &err);
		CASE_EXPECT(c, ret == -1 && err == EBADF,
			    "expected disconnectx on descriptor -1 to fail with EBADF; observed %s",
			    cx_res(ret, err));
		CASE_EXPECT(c, send(fd, "x", 1, MSG_NOSIGNAL) == 1,
			    "expected the connection intact after the rejected disconnectx; send: %s",
			    util_errno_name(errno));
		close(fd);
		memcpy(want, CASE_PAYLOAD, sizeof(CASE_PAYLOAD));
		want[sizeof(CASE_PAYLOAD)] = 'x';
		if (!cc_expect_bytes(c, &p, 0, want, sizeof(CASE_PAYLOAD) + 1))
			return;
		peer_stop(&p);
		return;
	}
	ret = cx_disconnect(c, fd, SAE_ASSOCID_ANY, SAE_CONNID_ANY, &err);
	CASE_EXPECT(c, ret == 0,
		    "expected disconnectx on an established connection to succeed; observed %s",
		    cx_res(ret, err));
	/* the descriptor stays open: only disconnectx can have closed it */
	peer_wait(&p, 0, (size_t)-1, 2000, &pc);
	CASE_EXPECT(c, pc.eof && !pc.error && pc.len == sizeof(CASE_PAYLOAD),
		    "expected the server to read the %zu bytes then EOF after disconnectx; observed %zu bytes, %s",
		    sizeof(CASE_PAYLOAD), pc.len,
		    pc.error ? util_errno_name(pc.error) :
		    pc.eof ? "EOF" : "no EOF within 2 s");
	ret = (int)send(fd, "x", 1, MSG_NOSIGNAL);
	CASE_EXPECT(c, ret < 0,
		    "expected send after disconnectx to fail; observed the byte taken");
	close(fd);
	peer_stop(&p);
}

#define IDEM CONNECT_DATA_IDEMPOTENT
#define RESUME CONNECT_RESUME_ON_READ_WRITE

#define CXDATA(id_, profiles_, expect_, arg_)                                 \
	CX(id_, TOPO_PAIR, FAULT_NONE, FAMS_IP, profiles_, REQ_NONE, expect_, \
	   "Data to be transmitted may optionally be defined via the iovcnt buffers specified by members of the iov array, along with a non-NULL len parameter, which upon success, indicates the number of bytes enqueued for transmission", \
	   cx_data, arg_, false)
#define CXG(id_, expect_, clause_, arg_)                                      \
	CX(id_, TOPO_PAIR, FAULT_NONE, FAMS_IP, "tfo", REQ_NONE, expect_,     \
	   clause_, cx_dgram, arg_, false)

CASE_TABLE(connectx_data,
	CXDATA("data_iovecs_blocking", "tfo",
	       "blocking, 3 iovecs, no flags: 0 and connected (getpeername) on return, *len = 27, the server gets them in order once",
	       0),
	CXDATA("data_iovecs_blocking_idempotent", "tfo,client-off,server-off,no-cookie",
	       "blocking, 3 iovecs, IDEMPOTENT with a cached cookie: 0 and connected on return, *len = 27, delivered once whatever TFO does",
	       IDEM | CXD_WARM),
	CXDATA("data_iovecs_nonblocking", "tfo",
	       "non-blocking, 3 iovecs, no flags: EINPROGRESS (or 0 only if connected on return), *len ≤ 27; the rest written from *len; delivered once",
	       CXD_NB),
	CXDATA("data_iovecs_nonblocking_idempotent", "tfo,client-off,no-cookie",
	       "non-blocking, IDEMPOTENT, cookie cached: EINPROGRESS or 0, *len = what was enqueued; delivered once (Darwin: *len = all 27)",
	       IDEM | CXD_NB | CXD_WARM),
	CXDATA("data_iovecs_nonblocking_first_contact", "tfo",
	       "non-blocking, IDEMPOTENT, no cookie yet: EINPROGRESS, *len = what was enqueued (Linux: 0); delivered once",
	       IDEM | CXD_NB),
	CXDATA("data_resume_ignored_with_iov", "tfo",
	       "RESUME|IDEMPOTENT with an iov: RESUME is ignored, behaves as the data call (blocking: 0, *len = 27)",
	       RESUME | IDEM | CXD_WARM),
	CXDATA("data_large_blocking", "tfo",
	       "blocking, 256 KiB in 4 iovecs, IDEMPOTENT: 0 and connected on return, *len ≤ total (the domain may limit it), the rest written from *len, delivered once (Darwin: EINPROGRESS when the data exceeds SO_SNDBUF)",
	       IDEM | CXD_WARM | CXD_LARGE),
	CXDATA("data_large_nonblocking", "tfo",
	       "non-blocking, 256 KiB in 4 iovecs, IDEMPOTENT: EINPROGRESS, *len ≤ total, delivered once",
	       IDEM | CXD_NB | CXD_WARM | CXD_LARGE),
	CX("idempotent_syn_data", TOPO_PAIR, FAULT_NONE, FAMS_IP,
	   "tfo,client-off,server-off,no-cookie,server-nocookie", REQ_NONE,
	   "IDEMPOTENT with a cached cookie: the data rides the SYN (TFO) where the profile allows it, on the wire; else no SYN data",
	   "CONNECT_DATA_IDEMPOTENT ... this will trigger TCP Fast Open (RFC 7413) with SOCK_STREAM type",
	   cx_tfo_wire, IDEM, true),
	CX("no_idempotent_no_tfo", TOPO_PAIR, FAULT_NONE, FAMS_IP, "tfo",
	   REQ_NONE,
	   "data without IDEMPOTENT, cookie cached: the SYN carries no TFO option and no data",
	   "CONNECT_DATA_IDEMPOTENT to indicate to the communication domain that the data is idempotent",
	   cx_tfo_wire, 0, true),
	CX("resume_idempotent_nonblocking", TOPO_PAIR, FAULT_NONE, FAMS_IP,
	   "tfo,no-cookie,client-off", REQ_NONE,
	   "RESUME|IDEMPOTENT, no iov, non-blocking (curl, tokio-tfo): 0 at once, no SYN, writable; the first write sends SYN+data; delivered once",
	   "If CONNECT_RESUME_ON_READ_WRITE is set without data supplied, connectx() will immediately return success ... select(2) will indicate that the socket is ready for writing, and the actual connection establishment is attempted once the initial data is written",
	   cx_resume, RESUME | IDEM | CXD_NB, true, .slow = true),
	CX("resume_idempotent_blocking", TOPO_PAIR, FAULT_NONE, FAMS_IP,
	   "tfo,server-off", REQ_NONE,
	   "RESUME|IDEMPOTENT, no iov, blocking: 0 at once, no SYN until the first write, which carries the data",
	   "When the flags parameter is set to CONNECT_RESUME_ON_READ_WRITE and an iov is not passed in, the communication domain will trigger the actual connection establishment upon the first read or write",
	   cx_resume, RESUME | IDEM, true, .slow = true),
	CX("resume_only", TOPO_PAIR, FAULT_NONE, FAMS_IP, "tfo", REQ_NONE,
	   "RESUME without IDEMPOTENT, no iov: 0 at once, writable, the first write delivers the data once; no SYN until that write (Linux: the SYN leaves at connectx)",
	   "the communication domain will trigger the actual connection establishment upon the first read or write following the connectx(2) system call",
	   cx_resume, RESUME | CXD_NB, true, .slow = true),
	CX("resume_read_first", TOPO_PAIR, FAULT_NONE, FAMS_IP, "tfo",
	   REQ_NONE,
	   "RESUME|IDEMPOTENT, then a read first: the read establishes the connection",
	   "will trigger the actual connection establishment upon the first read or write",
	   cx_resume, RESUME | IDEM | CXD_NB | CXD_READ, true, .slow = true),
	CX("resume_second_write_fails", TOPO_ROUTED, FAULT_DROP_SYN, FAMS_IP,
	   "no-cookie", REQ_NONE,
	   "RESUME|IDEMPOTENT, non-blocking, every SYN dropped: the first write is taken, a second fails (Darwin: ENOTCONN, Linux: EAGAIN)",
	   "Subsequent attempts to write more data will fail until the existing connection establishment attempt is successful",
	   cx_resume_second_write, RESUME | IDEM, false),
	CXG("dgram_connect",
	    "UDP connectx: 0, getpeername = destination, send() without an address reaches it",
	    "Connectionless sockets may use connectx() to create an association to the peer socket",
	    CXG_CONNECT),
	CXG("dgram_data",
	    "UDP connectx with 3 iovecs: 0, *len = 27, exactly one 27-byte datagram",
	    "the number of bytes enqueued for transmission; connectx() is currently supported only on AF_INET and AF_INET6 sockets of type SOCK_DGRAM and SOCK_STREAM",
	    CXG_DATA),
	CXG("dgram_emsgsize",
	    "UDP connectx with a 70000-byte datagram: EMSGSIZE, the socket unchanged (fresh: unbound, unconnected; associated: still with its peer) (Darwin: disconnects, keeps the port)",
	    "If the socket requires the data be sent atomically and the data size makes this impossible, EMSGSIZE will be returned and the state of the socket is left unchanged as if connectx was not called",
	    CXG_EMSGSIZE),
	CXG("dgram_disconnect_reconnect",
	    "UDP: connectx A, disconnectx → send() EDESTADDRREQ, connectx B works",
	    "it may call disconnectx(2) to dissolve any existing association. Unlike connection-oriented sockets, connectionless sockets may call connectx() again afterwards to associate to another peer socket",
	    CXG_DISCONNECT),
	CXG("dgram_reassociate",
	    "UDP: connectx A then connectx B directly: associated with B",
	    "connectionless sockets may call connectx() again afterwards to associate to another peer socket",
	    CXG_REASSOCIATE),
	CXG("dgram_disconnectx_unconnected",
	    "disconnectx on an unassociated UDP socket: ENOTCONN",
	    "it may call disconnectx(2) to dissolve any existing association",
	    CXG_DISC_UNCONNECTED),
	CX("disconnectx_tcp_eof", TOPO_PAIR, FAULT_NONE, FAMS_IP, "tfo",
	   REQ_NONE,
	   "TCP connected with data, disconnectx(ANY, ANY): 0, the server reads the data then EOF, later sends fail",
	   "An association representing one or more connections, or a single connection may be dissolved by calling disconnectx(2)",
	   cx_disc_tcp, CXT_EOF, false),
	CX("disconnectx_bad_associd", TOPO_PAIR, FAULT_NONE, FAMS_IP, "tfo",
	   REQ_NONE,
	   "disconnectx with association id 5: EINVAL, connection intact; descriptor -1: EBADF",
	   "The parameter associd is reserved for future use, and must always be set to SAE_ASSOCID_ANY",
	   cx_disc_tcp, CXT_BADASSOC, false),
)
