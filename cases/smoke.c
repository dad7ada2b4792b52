/* SPDX-License-Identifier: MIT */
/*
 * Smoke cases: the raw Linux API (connect+write, sendto(MSG_FASTOPEN)) and
 * every fault building block, with no library under test.  They validate
 * the harness itself on the kernel at hand — if these fail, library
 * verdicts on this platform cannot be trusted.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cases/common.h"

/* connect() then write(): bytes arrive once; a pure ACK precedes them. */
static void smoke_connect_write(struct case_ctx *c)
{
	struct sockaddr_storage ss;
	struct cc_conn_view v;
	struct peer p;
	socklen_t sl;
	bool ack_first;
	char text[512];
	int fd, first;
	uint16_t sport;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	topo_server_addr(&c->topo, c->family, p.port, &ss, &sl);
	CASE_EXPECT(c, connect(fd, (struct sockaddr *)&ss, sl) == 0,
		    "expected connect() to succeed; observed %s",
		    util_errno_name(errno));
	CASE_EXPECT(c, send(fd, CASE_PAYLOAD, sizeof(CASE_PAYLOAD), MSG_NOSIGNAL) ==
			       (ssize_t)sizeof(CASE_PAYLOAD),
		    "expected write() to send %zu bytes; observed %s",
		    sizeof(CASE_PAYLOAD), util_errno_name(errno));
	sport = cc_local_port(fd);
	close(fd);
	if (!cc_expect_bytes(c, &p, 0, CASE_PAYLOAD, sizeof(CASE_PAYLOAD)))
		return;
	cc_wire_conn(c, sport, &v);
	first = cc_first_data(&v, &ack_first);
	cc_wire_text(&v, text, sizeof(text));
	CASE_EXPECT(c, first >= 0, "expected data on the wire; observed %s",
		    text);
	CASE_EXPECT(c, ack_first && !(v.pkt[first]->flags & WIRE_SYN),
		    "expected a plain connect to send a pure ACK before the data; observed %s",
		    text);
	peer_stop(&p);
}

/* Two sendto(MSG_FASTOPEN) connections: what the profile's bits promise. */
static void smoke_tfo_sendto(struct case_ctx *c)
{
	const struct profile *pr = c->profile;
	struct sockaddr_storage ss;
	struct peer p;
	socklen_t sl;
	char text[512];

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	topo_server_addr(&c->topo, c->family, p.port, &ss, &sl);
	for (unsigned int conn = 0; conn < 2; conn++) {
		bool want_syn_data = profile_syn_data_expected(pr, conn > 0);
		struct cc_conn_view v;
		struct peer_conn pc;
		bool ack_first, syn_data;
		int fd = cc_client_socket(c, false), first;
		ssize_t n;
		uint16_t sport;

		CASE_SETUP(c, fd);
		n = sendto(fd, CASE_PAYLOAD, sizeof(CASE_PAYLOAD),
			   MSG_FASTOPEN | MSG_NOSIGNAL, (struct sockaddr *)&ss,
			   sl);
		if (!profile_client_tfo(pr)) {
			CASE_EXPECT(c, n < 0 && errno == EOPNOTSUPP,
				    "expected sendto(MSG_FASTOPEN) to fail with EOPNOTSUPP with client TFO off (tcp_fastopen=0x%lx); observed %zd %s",
				    pr->client_tfo, n,
				    n < 0 ? util_errno_name(errno) : "");
			close(fd);
			break;
		}
		CASE_EXPECT(c, n == (ssize_t)sizeof(CASE_PAYLOAD),
			    "connection %u: expected sendto(MSG_FASTOPEN) to return %zu; observed %zd %s",
			    conn + 1, sizeof(CASE_PAYLOAD), n,
			    n < 0 ? util_errno_name(errno) : "");
		syn_data = cc_syn_data(fd);
		sport = cc_local_port(fd);
		close(fd);
		if (!cc_expect_bytes(c, &p, conn, CASE_PAYLOAD,
				     sizeof(CASE_PAYLOAD)))
			return;
		peer_wait(&p, conn, 0, 0, &pc);
		cc_wire_conn(c, sport, &v);
		cc_wire_text(&v, text, sizeof(text));
		first = cc_first_data(&v, &ack_first);
		CASE_EXPECT(c, syn_data == want_syn_data && pc.syn_data == want_syn_data,
			    "connection %u: expected SYN data %s (client TCPI_OPT_SYN_DATA, server accepted); observed client %d, server %d; wire: %s",
			    conn + 1, want_syn_data ? "acked" : "not acked",
			    syn_data, pc.syn_data, text);
		if (want_syn_data)
			CASE_EXPECT(c, first == 0 && (v.pkt[0]->flags & WIRE_SYN),
				    "connection %u: expected the data in the SYN; observed %s",
				    conn + 1, text);
		else
			CASE_EXPECT(c, first >= 0 && !ack_first,
				    "connection %u: expected no pure ACK before the data (the handshake's third packet carries it); observed %s",
				    conn + 1, text);
	}
	peer_stop(&p);
}

/* A destination with no route: ENETUNREACH at once, nothing on the wire. */
static void smoke_unroutable(struct case_ctx *c)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = cc_client_socket(c, false);

	CASE_SETUP(c, fd);
	topo_unroutable_addr(&c->topo, c->family, 9, &ss, &sl);
	CASE_EXPECT(c, connect(fd, (struct sockaddr *)&ss, sl) < 0 &&
			       errno == ENETUNREACH,
		    "expected connect() to an unroutable address to fail with ENETUNREACH; observed %s",
		    util_errno_name(errno));
	close(fd);
}

/* Each fault's effect on a blocking connect(). */
static void smoke_fault_connect(struct case_ctx *c)
{
	struct sockaddr_storage ss;
	struct peer p;
	socklen_t sl;
	int want = c->def->want_errno, fd, ret, err;
	double t0;

	/* ICMPv6 admin-prohibited maps to EACCES, ICMP code 13 to EHOSTUNREACH */
	if (c->def->fault == FAULT_ICMP_ADMIN_PROHIB && c->family == FAM_IPV6)
		want = EACCES;
	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	topo_server_addr(&c->topo, c->family, p.port, &ss, &sl);
	t0 = util_now_ms();
	ret = connect(fd, (struct sockaddr *)&ss, sl);
	err = errno;
	CASE_EXPECT(c, ret < 0 && err == want,
		    "fault %s: expected connect() to fail with %s; observed %s after %.0f ms",
		    fault_name(c->def->fault), util_errno_name(want),
		    ret ? util_errno_name(err) : "success",
		    util_now_ms() - t0);
	case_note(c, "%s after %.0f ms", util_errno_name(err),
		  util_now_ms() - t0);
	close(fd);
	peer_stop(&p);
}

/*
 * Middleboxes in the way of TFO — SYN-data dropped (the classic one) or
 * the TFO option stripped: with a cookie warmed (or never obtainable),
 * sendto(MSG_FASTOPEN) still returns the full count, no SYN data is
 * acked, and the server receives the bytes exactly once.
 */
static void smoke_fault_no_syn_data(struct case_ctx *c)
{
	struct sockaddr_storage ss;
	struct peer p;
	socklen_t sl;
	ssize_t n;
	int fd;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	CASE_SETUP(c, peer_warm_cookie(&p, &c->topo, c->family));
	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	topo_server_addr(&c->topo, c->family, p.port, &ss, &sl);
	n = sendto(fd, CASE_PAYLOAD, sizeof(CASE_PAYLOAD),
		   MSG_FASTOPEN | MSG_NOSIGNAL, (struct sockaddr *)&ss, sl);
	CASE_EXPECT(c, n == (ssize_t)sizeof(CASE_PAYLOAD),
		    "fault %s: expected sendto(MSG_FASTOPEN) to return %zu; observed %zd %s",
		    fault_name(c->def->fault), sizeof(CASE_PAYLOAD), n,
		    n < 0 ? util_errno_name(errno) : "");
	CASE_EXPECT(c, !cc_syn_data(fd),
		    "fault %s: expected no acked SYN data; observed TCPI_OPT_SYN_DATA",
		    fault_name(c->def->fault));
	close(fd);
	cc_expect_bytes(c, &p, 1, CASE_PAYLOAD, sizeof(CASE_PAYLOAD));
	peer_stop(&p);
}

/* Everything after the handshake is dropped: connect works, data never
 * arrives. */
static void smoke_fault_drop_after(struct case_ctx *c)
{
	struct sockaddr_storage ss;
	struct peer_conn pc;
	struct peer p;
	socklen_t sl;
	int fd;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	fd = cc_client_socket(c, false);
	CASE_SETUP(c, fd);
	topo_server_addr(&c->topo, c->family, p.port, &ss, &sl);
	CASE_EXPECT(c, connect(fd, (struct sockaddr *)&ss, sl) == 0,
		    "expected the handshake to pass; observed %s",
		    util_errno_name(errno));
	CASE_EXPECT(c, send(fd, CASE_PAYLOAD, sizeof(CASE_PAYLOAD), MSG_NOSIGNAL) > 0,
		    "expected write() to queue data; observed %s",
		    util_errno_name(errno));
	peer_wait(&p, 0, 1, cc_quiet_ms(c), &pc);
	CASE_EXPECT(c, pc.len == 0,
		    "expected no data to reach the server; observed %zu bytes",
		    pc.len);
	close(fd);
	peer_stop(&p);
}

/* Checks of the harness and the kernel themselves, not of a page: every
 * row has a wire observer; .slow rows wait on SYN or ICMP timers. */
#define SMOKE(id_, ...)                                                    \
	{ .id = "smoke." id_, .api = API_SMOKE, .clause_id = "H1",        \
	  .clause = "(harness self-check: raw kernel API)", .wire = true,  \
	  __VA_ARGS__ }

CASE_TABLE(smoke,
	SMOKE("connect_write_once", .families = FAMS_ALL,
	      .expect = "connect()+write(): bytes arrive once, after a pure ACK",
	      .body = smoke_connect_write),
	SMOKE("tfo_cookie_then_syn_data", .families = FAMS_IP | 1u << FAM_LINKLOCAL,
	      .profiles = "*",
	      .expect = "sendto(MSG_FASTOPEN) twice: the profile's bits decide cookie, SYN data, EOPNOTSUPP",
	      .body = smoke_tfo_sendto),
	SMOKE("unroutable", .topo = TOPO_ROUTED,
	      .expect = "connect() to an unroutable address: ENETUNREACH",
	      .body = smoke_unroutable),
	SMOKE("fault_drop_syn", .topo = TOPO_ROUTED, .fault = FAULT_DROP_SYN,
	      .expect = "every SYN dropped: ETIMEDOUT (TCP_SYNCNT=1: ~3 s)",
	      .body = smoke_fault_connect, .want_errno = ETIMEDOUT, .slow = true),
	SMOKE("fault_rst_syn", .topo = TOPO_ROUTED, .fault = FAULT_RST_SYN,
	      .expect = "SYN answered with RST: ECONNREFUSED",
	      .body = smoke_fault_connect, .want_errno = ECONNREFUSED),
	SMOKE("fault_icmp_host_unreach", .topo = TOPO_ROUTED,
	      .fault = FAULT_ICMP_HOST_UNREACH,
	      .expect = "ICMP host unreachable: EHOSTUNREACH after ~1 s",
	      .body = smoke_fault_connect, .want_errno = EHOSTUNREACH, .slow = true),
	SMOKE("fault_icmp_net_unreach", .topo = TOPO_ROUTED,
	      .fault = FAULT_ICMP_NET_UNREACH,
	      .expect = "ICMP net unreachable: ENETUNREACH after ~1 s",
	      .body = smoke_fault_connect, .want_errno = ENETUNREACH, .slow = true),
	SMOKE("fault_icmp_admin_prohibited", .topo = TOPO_ROUTED,
	      .fault = FAULT_ICMP_ADMIN_PROHIB,
	      .expect = "ICMP admin prohibited: EHOSTUNREACH (v4) / EACCES (v6)",
	      .body = smoke_fault_connect, .want_errno = EHOSTUNREACH, .slow = true),
	SMOKE("fault_drop_syn_data", .topo = TOPO_ROUTED,
	      .fault = FAULT_DROP_SYN_DATA,
	      .expect = "SYN-data dropped: fallback after 1 s, data delivered once",
	      .body = smoke_fault_no_syn_data, .slow = true),
	SMOKE("fault_strip_tfo", .topo = TOPO_ROUTED, .fault = FAULT_STRIP_TFO,
	      .expect = "TFO option stripped: no cookie, no SYN data, data delivered once",
	      .body = smoke_fault_no_syn_data),
	SMOKE("fault_drop_after_handshake", .topo = TOPO_ROUTED,
	      .fault = FAULT_DROP_AFTER_HANDSHAKE,
	      .expect = "handshake passes, data never reaches the server",
	      .body = smoke_fault_drop_after),
)
