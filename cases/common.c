/* SPDX-License-Identifier: MIT */
/*
 * Shared case helpers (see common.h).  Messages say what was expected and
 * what was observed, in words, because they are the verdict a user reads.
 */
#include "cases/common.h"
#include "util/tfo_uapi.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int cc_client_socket(struct case_ctx *c, bool nonblock)
{
	int syncnt = 1; /* SYNs at 0 s and 1 s: ETIMEDOUT after ~3 s */
	int fd;

	fd = topo_socket(&c->topo, ROLE_CLIENT, topo_family_domain(c->family),
			 SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return fd;
	setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &syncnt, sizeof(syncnt));
	return fd;
}

uint16_t cc_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &sl))
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

bool cc_syn_data(int fd)
{
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl))
		return false;
	return ti.tcpi_options & TCPI_OPT_SYN_DATA;
}

int cc_at_once_ms(struct case_ctx *c)
{
	static double cost_ms = -1;
	int bound;

	if (cost_ms < 0) {
		struct sockaddr_storage ss;
		socklen_t sl;

		/* the cheapest of three: a loaded moment is not the cost */
		topo_server_addr(&c->topo, c->family, 9, &ss, &sl);
		for (int i = 0; i < 3; i++) {
			int fd = topo_socket(&c->topo, ROLE_CLIENT,
					     topo_family_domain(c->family),
					     SOCK_STREAM | SOCK_NONBLOCK, 0);
			double t0 = util_now_ms(), dt;

			if (fd < 0)
				break;
			(void)!connect(fd, (struct sockaddr *)&ss, sl);
			dt = util_now_ms() - t0;
			close(fd);
			if (cost_ms < 0 || dt < cost_ms)
				cost_ms = dt;
		}
		if (cost_ms < 0)
			cost_ms = 0.2;
	}
	bound = (int)(cost_ms * 100);
	if (bound < 20)
		bound = 20;
	if (bound > 200)
		bound = 200;
	/* time the last call spent waiting for a CPU is the machine's, the
	 * wrapper's own snapshots are the harness's */
	return case_ms(bound) + (int)(c->call_cpu_wait_ms + c->call_harness_ms + 0.999);
}

int cc_quiet_ms(struct case_ctx *c)
{
	int a = 2 * cc_at_once_ms(c), r = case_ms(case_rto_ms() / 5);

	return a > r ? a : r;
}

static bool cc_tcp_info(int fd, struct tcp_info *ti)
{
	socklen_t tl = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &tl) == 0;
}

bool cc_expect_established(struct case_ctx *c, int fd, const char *what)
{
	struct tcp_info ti;

	if (c->decided)
		return false;
	if (!cc_tcp_info(fd, &ti)) {
		case_error(c, "%s: TCP_INFO: %s", what, util_errno_name(errno));
		return false;
	}
	if (ti.tcpi_state == TFO_TCP_SYN_SENT || ti.tcpi_state == TFO_TCP_SYN_RECV ||
	    ti.tcpi_state == TFO_TCP_CLOSE) {
		case_fail(c, "%s: expected the call's success to mean an established connection; observed TCP state %s",
			  what, ti.tcpi_state == TFO_TCP_CLOSE ? "CLOSE" :
				"SYN_SENT (the handshake still under way: the call returned before the SYN-ACK)");
		return false;
	}
	return true;
}

bool cc_expect_failed(struct case_ctx *c, int fd, const char *what)
{
	struct tcp_info a, b;
	int ms;

	if (c->decided)
		return false;
	if (!cc_tcp_info(fd, &a)) {
		case_error(c, "%s: TCP_INFO: %s", what, util_errno_name(errno));
		return false;
	}
	if (a.tcpi_state != TFO_TCP_CLOSE) {
		case_fail(c, "%s: expected the connection attempt to have ended (the call said it failed): TCP state CLOSE; observed state %u%s",
			  what, (unsigned int)a.tcpi_state,
			  a.tcpi_state == TFO_TCP_SYN_SENT ?
				  " (SYN_SENT: the kernel is still trying)" : "");
		return false;
	}
	/* CLOSE sends nothing by construction; a short look confirms no
	 * retransmission timer is still armed on it */
	ms = case_rto_ms() / 50;
	usleep((useconds_t)(ms > 2 ? ms : 2) * 1000);
	if (cc_tcp_info(fd, &b) && b.tcpi_total_retrans != a.tcpi_total_retrans) {
		case_fail(c, "%s: expected nothing to leave a failed socket; observed %u more retransmissions",
			  what, b.tcpi_total_retrans - a.tcpi_total_retrans);
		return false;
	}
	return true;
}

bool cc_expect_delivered(struct case_ctx *c, struct peer *p, unsigned int idx,
			 size_t len, const char *what)
{
	struct peer_conn pc = { 0 };
	int ms = cc_at_once_ms(c);
	double t0 = util_now_ms();

	if (c->decided)
		return false;
	peer_wait(p, idx, len, ms, &pc);
	if (idx >= peer_count(p)) {
		/*
		 * The caller saw its socket connected, so the server's kernel
		 * has the connection: one not yet accepted is the server
		 * thread not yet scheduled (a loaded machine), not the
		 * library.  Wait for the accept generously, then give the
		 * bytes the "at once" bound from there.
		 */
		peer_wait(p, idx, 0, CC_ACCEPT_MS, &pc);
		if (idx < peer_count(p)) {
			t0 = util_now_ms();
			peer_wait(p, idx, len, ms, &pc);
		}
	}
	if (pc.len < len && idx < peer_count(p)) {
		/* the peer waits in case_ms(): check against the real bound */
		case_fail(c, "%s: expected the %zu bytes the call reported sent to reach the server at once (\"connect followed by write\" sends them); observed %zu after %.0f ms",
			  what, len, pc.len, util_now_ms() - t0);
		return false;
	}
	if (idx >= peer_count(p)) {
		case_fail(c, "%s: expected the connection at the server; observed none within %d ms",
			  what, CC_ACCEPT_MS);
		return false;
	}
	return true;
}

bool cc_expect_bytes(struct case_ctx *c, struct peer *p, unsigned int idx,
		     const void *want, size_t len)
{
	struct peer_conn pc;
	int ret;

	if (c->decided) /* a verdict was reached inside a library call */
		return false;
	ret = peer_wait(p, idx, (size_t)-1, 3000, &pc);

	if (ret == -ETIMEDOUT && idx >= peer_count(p)) {
		case_fail(c, "expected the server to receive %zu bytes; observed: no connection reached the server",
			  len);
		return false;
	}
	if (ret == -ETIMEDOUT && !pc.eof) {
		case_error(c, "server connection not closed within 3 s (got %zu bytes so far)",
			   pc.len);
		return false;
	}
	if (pc.len != len) {
		case_fail(c, "expected the server to receive exactly %zu bytes once; observed %zu bytes%s",
			  len, pc.len,
			  pc.len == 2 * len && len && !memcmp(pc.data, pc.data + len, len) ?
				  " (the data twice)" : "");
		return false;
	}
	if (len && memcmp(pc.data, want, len)) {
		case_fail(c, "expected the server to receive the bytes sent, in order; observed different bytes");
		return false;
	}
	return true;
}

void cc_wire_conn(struct case_ctx *c, uint16_t sport, struct cc_conn_view *v)
{
	double last = util_now_ms();
	size_t seen = 0;

	v->n = 0;
	if (!c->wire)
		return;
	for (;;) {
		bool landmark = false;

		wire_collect(c->wire, 0);
		v->n = 0;
		for (size_t i = 0; i < wire_count(c->wire) && v->n < 64; i++) {
			const struct wire_pkt *k = wire_get(c->wire, i);

			if (k->dir == WIRE_TO_SERVER && k->sport == sport)
				landmark |= k->payload_len > 0 ||
					    (k->flags & (WIRE_FIN | WIRE_RST));
			if ((k->dir == WIRE_TO_SERVER && k->sport == sport) ||
			    (k->dir == WIRE_FROM_SERVER && k->dport == sport))
				v->pkt[v->n++] = k;
		}
		if (wire_count(c->wire) != seen) {
			seen = wire_count(c->wire);
			last = util_now_ms();
		}
		if (landmark || util_now_ms() - last >= CC_WIRE_SETTLE_MS)
			return;
		usleep(1000);
	}
}

int cc_first_data(const struct cc_conn_view *v, bool *pure_ack_before)
{
	*pure_ack_before = false;
	for (size_t i = 0; i < v->n; i++) {
		const struct wire_pkt *k = v->pkt[i];

		if (k->dir != WIRE_TO_SERVER)
			continue;
		if (k->payload_len)
			return (int)i;
		if (k->flags == WIRE_ACK)
			*pure_ack_before = true;
	}
	return -1;
}

void cc_wire_text(const struct cc_conn_view *v, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < v->n; i++) {
		const struct wire_pkt *k = v->pkt[i];

		util_appendf(buf, size, &off, "%s%s %s%s%s%s", i ? " | " : "",
			     k->dir == WIRE_TO_SERVER ? "C>S" : "S>C",
			     k->flags & WIRE_SYN ? "S" : "",
			     k->flags & WIRE_ACK ? "A" : "",
			     k->flags & WIRE_FIN ? "F" : "",
			     k->flags & WIRE_RST ? "R" : "");
		if (k->tfo == WIRE_TFO_REQUEST)
			util_appendf(buf, size, &off, " fo-req");
		else if (k->tfo == WIRE_TFO_COOKIE)
			util_appendf(buf, size, &off, " fo-cookie%u",
				     k->cookie_len);
		if (k->payload_len)
			util_appendf(buf, size, &off, " +%u", k->payload_len);
	}
	if (!v->n)
		util_appendf(buf, size, &off, "(no packets)");
}
