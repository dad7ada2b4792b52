/* SPDX-License-Identifier: MIT */
/*
 * Conformance cases for libowfat's socket_fastopen_connect4/6(3) (and
 * socket_connected, when the library exports it), run against whatever
 * library `tfocheck run --lib` loaded.  Every row checks one sentence of
 * the man page (docs/clauses.md maps O1..O14 to these ids) and asserts on
 * what a caller can observe: the return value and errno, the bytes the
 * real server received (exactly once, in order), the socket itself
 * (same descriptor, flags, local and peer address) and, for the "saving
 * one useless ACK packet" sentence, the packets on the wire.
 *
 * Expectations come from the profile's predicates (client TFO bit,
 * no-cookie mode, server cookies), never from profile names.  Where the
 * page is ambiguous the reading in docs/clauses.md ("libowfat API:
 * interpretations") is checked, and only as strictly as every correct
 * implementation must satisfy it: a non-blocking call may return a byte
 * count or -1 EINPROGRESS, but what it returned must be the truth — the
 * caller who trusts it and writes the rest gets the data delivered once.
 *
 * The sequence "first contact, then with the cookie that contact cached"
 * runs inside one instance through the library itself, so a library that
 * never asks for a cookie is seen on the wire of the second connection.
 *
 * This file holds part 1: ">=0 ... this many bytes were sent", delivery,
 * the wire ("saving one useless ACK packet"), middleboxes and the delayed
 * path; owfat_fail.c the failures, owfat_socket.c the socket itself.
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

/* ---- >= 0: connected, this many bytes sent; the bytes arrive once ---- */

/*
 * Two connections of arg's size through the library — first contact,
 * then with whatever cookie the first one cached — blocking or not.
 * Blocking: the call returns len.  Non-blocking: see ow_nb_complete.
 * Either way the server receives exactly the bytes, once, in order.
 */
static void ow_deliver(struct case_ctx *c)
{
	bool nb = c->def->nonblock;
	size_t len = c->def->size;
	const unsigned char *buf = ow_payload(len);
	char rb[64], why[160], what[64];
	struct peer p;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	for (unsigned int conn = 0; conn < 2; conn++) {
		unsigned int idx = peer_count(&p);
		int fd = cc_client_socket(c, nb), err;
		double t0, dt;
		ssize_t n;

		CASE_SETUP(c, fd);
		snprintf(what, sizeof(what), "connection %u (%s)", conn + 1,
			 conn ? "cookie cached if the server grants one" :
				"first contact");
		t0 = util_now_ms();
		n = ow_call(c, fd, p.port, buf, len);
		err = errno;
		dt = util_now_ms() - t0;
		if (nb) {
			CASE_EXPECT(c, dt <= cc_at_once_ms(c),
				    "%s: non-blocking %s took %.0f ms (%s); expected it to return at once (at most %d ms here): a non-blocking socket does not wait for the handshake",
				    what, ow_fn(c), dt, ow_res(rb, sizeof(rb), n, err),
				    cc_at_once_ms(c));
			if (!ow_nb_complete(c, what, fd, n, err, buf, len))
				return;
		} else {
			CASE_EXPECT(c, n == (ssize_t)len,
				    "%s: %s %s; expected %zu bytes sent: %s",
				    what, ow_fn(c), ow_res(rb, sizeof(rb), n, err),
				    len, ow_why(c, why, sizeof(why)));
		}
		/* connected, all handed over: the server has them now */
		if (!cc_expect_delivered(c, &p, idx, len, what))
			return;
		close(fd);
		if (!cc_expect_bytes(c, &p, idx, buf, len))
			return;
	}
	peer_stop(&p);
}

/* ---- "saving one useless ACK packet": what the wire shows ---- */

/*
 * Blocking, two connections.  With client TFO no pure ACK may precede
 * the data (it rides the SYN or the handshake's third packet), and where
 * the profile promises accepted SYN data (cookie cached, or no-cookie
 * mode with a server that accepts it) the data is in the SYN.
 */
static void ow_wire_no_ack(struct case_ctx *c)
{
	const struct profile *pr = c->profile;
	char rb[64], text[512];
	struct peer p;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	if (!ow_link_warmup(c, &p))
		return;
	for (unsigned int conn = 0; conn < 2; conn++) {
		bool want_syn = profile_syn_data_expected(pr, conn > 0);
		unsigned int idx = peer_count(&p);
		int fd = cc_client_socket(c, false), err, first;
		struct cc_conn_view v;
		struct peer_conn pc;
		bool ack_first;
		uint16_t sport;
		ssize_t n;

		CASE_SETUP(c, fd);
		n = ow_call(c, fd, p.port, CASE_PAYLOAD, OW_SMALL);
		err = errno;
		CASE_EXPECT(c, n == (ssize_t)OW_SMALL,
			    "connection %u: %s %s; expected %zu bytes sent (the page says >=0 means the connection succeeded and this many bytes were sent)",
			    conn + 1, ow_fn(c), ow_res(rb, sizeof(rb), n, err),
			    OW_SMALL);
		sport = cc_local_port(fd);
		close(fd);
		if (!cc_expect_bytes(c, &p, idx, CASE_PAYLOAD, OW_SMALL))
			return;
		peer_wait(&p, idx, 0, 0, &pc);
		cc_wire_conn(c, sport, &v);
		cc_wire_text(&v, text, sizeof(text));
		first = cc_first_data(&v, &ack_first);
		CASE_EXPECT(c, first >= 0,
			    "connection %u: expected the data on the wire; observed %s",
			    conn + 1, text);
		if (!profile_client_tfo(pr))
			continue; /* plain connect+write: the ACK is allowed */
		CASE_EXPECT(c, !ack_first,
			    "connection %u: with TCP Fast Open on the client (tcp_fastopen=0x%lx) expected the first data in the handshake's third packet or the SYN, saving one useless ACK packet; observed a pure ACK before it: %s",
			    conn + 1, pr->client_tfo, text);
		if (want_syn)
			CASE_EXPECT(c, (v.pkt[first]->flags & WIRE_SYN) && pc.syn_data,
				    "connection %u: expected the data in the SYN, accepted by the server (%s); observed %s, server TCPI_OPT_SYN_DATA %d",
				    conn + 1,
				    conn ? "cookie cached by connection 1" :
					   "no-cookie mode, server needs none",
				    text, pc.syn_data);
	}
	peer_stop(&p);
}

/* Non-blocking with a cookie (or no-cookie mode): the data rides the SYN,
 * so the call has sent it — it must say so (a count, not -1 EINPROGRESS,
 * after which a caller would send the bytes again).  Only profiles where
 * the client puts data in the SYN after a warm-up: elsewhere (server TFO
 * off, or a server that issues no cookie) the non-blocking call sends a
 * bare SYN, the ACK cannot be saved, and nonblock_count_or_inprogress
 * already checks what is left. */
static void ow_wire_nb_syn_data(struct case_ctx *c)
{
	const struct profile *pr = c->profile;
	/* after a warm-up connection */
	bool in_syn = profile_client_syn_data(pr, true);
	char rb[64], text[512];
	struct cc_conn_view v;
	struct peer p;
	unsigned int idx;
	bool ack_first;
	int fd, err, first;
	uint16_t sport;
	ssize_t n;

	if (!in_syn) {
		/* a row listing such a profile would only repeat
		 * nonblock_count_or_inprogress under this clause */
		case_error(c, "profile %s: the client cannot put data in the SYN (no cookie to be had, no no-cookie mode); this row's clause does not apply",
			   pr->name);
		return;
	}
	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	if (!ow_link_warmup(c, &p))
		return;
	CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
	idx = peer_count(&p);
	fd = cc_client_socket(c, true);
	CASE_SETUP(c, fd);
	n = ow_call(c, fd, p.port, CASE_PAYLOAD, OW_SMALL);
	err = errno;
	sport = cc_local_port(fd);
	ow_wait_writable(fd, 3000);
	cc_wire_conn(c, sport, &v);
	cc_wire_text(&v, text, sizeof(text));
	CASE_EXPECT(c, n == (ssize_t)OW_SMALL,
		    "non-blocking, %s: %s %s; expected %zu: TCP Fast Open puts the data in the SYN (saving the ACK), so the call has sent it and >=0 says how many bytes were sent; wire: %s",
		    profile_client_nocookie(pr) ? "no-cookie mode" : "cookie cached",
		    ow_fn(c), ow_res(rb, sizeof(rb), n, err), OW_SMALL, text);
	first = cc_first_data(&v, &ack_first);
	CASE_EXPECT(c, first >= 0 && (v.pkt[first]->flags & WIRE_SYN),
		    "expected the data in the SYN (TCP Fast Open with a cookie or in no-cookie mode); observed %s",
		    text);
	if (!ow_nb_complete(c, "non-blocking after a cookie was cached", fd,
			    n, err, (const unsigned char *)CASE_PAYLOAD,
			    OW_SMALL))
		return;
	close(fd);
	cc_expect_bytes(c, &p, idx, CASE_PAYLOAD, OW_SMALL);
	peer_stop(&p);
}

/* ---- a path with delay: success must mean established ---- */

/*
 * Behind a router that holds SYN-ACKs (harness/delay.h), first contact
 * then with the cookie it cached.  Blocking: the call returns the count
 * only once the SYN-ACK arrived (it took at least the hold) and the
 * socket is established.  Non-blocking: it returns at once, a count or -1
 * EINPROGRESS, and socket_connected does not claim the connection before
 * the SYN-ACK can have arrived; the rest is what a careful caller does.
 * Either way the server gets the bytes once.
 */
static void ow_delayed(struct case_ctx *c)
{
	bool nb = c->def->nonblock;
	int hold = case_ms(c->def->delay_ms);
	char rb[64], what[64];
	struct peer p;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	for (unsigned int conn = 0; conn < 2; conn++) {
		unsigned int idx = peer_count(&p);
		int fd = cc_client_socket(c, nb), err, r;
		double t0, dt;
		ssize_t n;

		CASE_SETUP(c, fd);
		snprintf(what, sizeof(what), "connection %u (%s)", conn + 1,
			 conn ? "cookie cached" : "first contact");
		t0 = util_now_ms();
		n = ow_call(c, fd, p.port, CASE_PAYLOAD, OW_SMALL);
		err = errno;
		dt = util_now_ms() - t0;
		if (!nb) {
			CASE_EXPECT(c, n == (ssize_t)OW_SMALL,
				    "%s: %s %s; expected %zu bytes sent once connected",
				    what, ow_fn(c), ow_res(rb, sizeof(rb), n, err),
				    OW_SMALL);
			CASE_EXPECT(c, dt >= hold * 0.9,
				    "%s: blocking %s returned %zd after %.0f ms, before the SYN-ACK the router held for %d ms could arrive: >=0 means the connection succeeded",
				    what, ow_fn(c), n, dt, hold);
			if (!cc_expect_established(c, fd, what) ||
			    !cc_expect_delivered(c, &p, idx, OW_SMALL, what))
				return;
		} else {
			CASE_EXPECT(c, dt <= cc_at_once_ms(c),
				    "%s: non-blocking %s took %.0f ms (%s); expected it to return at once (at most %d ms here) while the SYN-ACK is held for %d ms",
				    what, ow_fn(c), dt, ow_res(rb, sizeof(rb), n, err),
				    cc_at_once_ms(c), hold);
			if (c->lib->connected) {
				errno = 0;
				r = libcall_connected(c, fd);
				CASE_EXPECT(c, r == 0,
					    "%s: socket_connected returned %d while the SYN-ACK is still held; expected 0 (the connection has not succeeded yet)",
					    what, r);
			}
			if (!ow_nb_complete(c, what, fd, n, err,
					    (const unsigned char *)CASE_PAYLOAD,
					    OW_SMALL) ||
			    !cc_expect_delivered(c, &p, idx, OW_SMALL, what))
				return;
		}
		close(fd);
		if (!cc_expect_bytes(c, &p, idx, CASE_PAYLOAD, OW_SMALL))
			return;
	}
	peer_stop(&p);
}

CASE_TABLE(owfat,
	/* >= 0 and delivery */
	OWFAT("returns_bytes_sent", .clause_id = "O6", .clause = C_SENT,
	      .expect = "blocking, 27 B, first contact then cookie cached: returns 27, server gets the bytes once",
	      .body = ow_deliver, .size = OW_SMALL, .families = FAMS_ALL,
	      .profile_if = profile_client_tfo),
	OWFAT("no_tfo_connect_write", .clause_id = "O4", .clause = C_NOTFO,
	      .expect = "client TFO off: behaves as socket_connect then write: returns 27, bytes once",
	      .body = ow_deliver, .size = OW_SMALL, .families = FAMS_ALL,
	      .profile_if = profile_client_no_tfo),
	OWFAT("nonblock_count_or_inprogress", .clause_id = "O7", .clause = C_NB,
	      .expect = "non-blocking: a count or -1 EINPROGRESS; writable, socket_connected 1, the rest written by the caller arrives once",
	      .body = ow_deliver, .size = OW_SMALL, .nonblock = true,
	      .families = FAMS_ALL, .profiles = "*"),
	OWFAT("large_3000", .clause_id = "O6", .clause = C_SENT,
	      .expect = "blocking, 3000 B (more than a SYN carries): returns 3000, bytes once in order",
	      .body = ow_deliver, .size = 3000, .profiles = "tfo,client-off,no-cookie"),
	OWFAT("large_100k", .clause_id = "O6", .clause = C_SENT,
	      .expect = "blocking, 100 KB: returns 102400, bytes once in order",
	      .body = ow_deliver, .size = OW_BIG, .profiles = "tfo,client-off,no-cookie"),
	OWFAT("nonblock_large_3000", .clause_id = "O6", .clause = C_SENT,
	      .expect = "non-blocking, 3000 B: a short count (what rode the SYN) or EINPROGRESS; the caller's rest arrives once",
	      .body = ow_deliver, .size = 3000, .nonblock = true,
	      .profiles = "tfo,client-off,no-cookie"),
	OWFAT("nonblock_large_100k", .clause_id = "O6", .clause = C_SENT,
	      .expect = "non-blocking, 100 KB: a short count or EINPROGRESS; the caller's rest arrives once",
	      .body = ow_deliver, .size = OW_BIG, .nonblock = true,
	      .profiles = "tfo,client-off,no-cookie"),
	/* saving one useless ACK */
	OWFAT("no_ack_before_data", .clause_id = "O3", .clause = C_ACK,
	      .expect = "blocking with client TFO: no pure ACK before the data; data in the SYN when the profile accepts it",
	      .body = ow_wire_no_ack, .wire = true, .families = FAMS_ALL,
	      .profile_if = profile_client_tfo),
	OWFAT("nonblock_data_in_syn", .clause_id = "O3", .clause = C_ACK,
	      .expect = "non-blocking with a cookie (or no-cookie mode): returns 27 and the SYN carries the data",
	      .body = ow_wire_nb_syn_data, .wire = true, .families = FAMS_ALL,
	      .profile_if = profile_client_syn_data_warm),
	/* middleboxes */
	OWFAT("middlebox_drop_syn_data", .clause_id = "O2", .clause = C_ATTEMPT,
	      .expect = "SYN-data dropped on the path: blocking call returns 27, bytes arrive once",
	      .body = ow_deliver, .size = OW_SMALL, .topo = TOPO_ROUTED,
	      .fault = FAULT_DROP_SYN_DATA),
	OWFAT("middlebox_drop_syn_data_nonblock", .clause_id = "O2", .clause = C_ATTEMPT,
	      .expect = "SYN-data dropped on the path, non-blocking: bytes arrive once",
	      .body = ow_deliver, .size = OW_SMALL, .nonblock = true,
	      .topo = TOPO_ROUTED, .fault = FAULT_DROP_SYN_DATA),
	OWFAT("middlebox_strip_tfo", .clause_id = "O2", .clause = C_ATTEMPT,
	      .expect = "TFO option stripped on the path: returns 27, bytes arrive once",
	      .body = ow_deliver, .size = OW_SMALL, .topo = TOPO_ROUTED,
	      .fault = FAULT_STRIP_TFO),
	/* a path with delay */
	OWFAT("delayed_blocking", .clause_id = "O6", .clause = C_SENT,
	      .expect = "router holds the SYN-ACK 300 ms, blocking, first contact then cookie: returns 27 only after the SYN-ACK, established, bytes once",
	      .body = ow_delayed, .topo = TOPO_ROUTED, .delay_ms = OW_HOLD_MS,
	      .slow = true),
	OWFAT("delayed_nonblock", .clause_id = "O7", .clause = C_NB,
	      .expect = "router holds the SYN-ACK 300 ms, non-blocking: returns at once (count or EINPROGRESS), socket_connected 0 until the SYN-ACK, then the rest arrives once",
	      .body = ow_delayed, .nonblock = true, .topo = TOPO_ROUTED,
	      .delay_ms = OW_HOLD_MS, .slow = true),

)
