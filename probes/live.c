/* SPDX-License-Identifier: MIT */
/*
 * Live TFO exchange (see live.h).  One thread drives both ends: sockets are
 * created in their namespace by topo_socket() and stay there, so the thread
 * itself never leaves the caller's namespace except to read the client's
 * counters.  Blocking sendto() is used on purpose: it returns after the
 * handshake, so the client's tcp_info already says whether the SYN-ACK
 * acknowledged the SYN data.
 */
#include "probes/live.h"

#include <errno.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "util/util.h"
#include "netns/topo.h"
#include "probes/tcp_metrics.h"
#include "util/tfo_uapi.h"

#define LIVE_PORT 7412
#define LIVE_TIMEOUT_MS 3000	/* > one SYN retransmission (1 s) */
#define LIVE_PAYLOAD 100

const char *probe_live_result_name(enum probe_live_result r)
{
	switch (r) {
	case LIVE_WORKS:
		return "works";
	case LIVE_CLIENT_DISABLED:
		return "client-disabled";
	case LIVE_FAILED:
		return "failed";
	case LIVE_ERROR:
		return "error";
	case LIVE_SKIPPED:
		return "skipped";
	default:
		return "not-run";
	}
}

const char *probe_live_fo_fail_name(int v)
{
	static const char *const n[] = { "UNSPEC", "COOKIE_UNAVAILABLE",
					 "DATA_NOT_ACKED", "SYN_RETRANSMITTED" };

	return v >= 0 && v < 4 ? n[v] : "?";
}

const char *probe_live_family_name(int fam)
{
	return fam == LIVE_IPV4 ? "ipv4" : "ipv6";
}

static void set_timeouts(int fd)
{
	struct timeval tv = { LIVE_TIMEOUT_MS / 1000, 0 };

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static bool syn_data(int fd, int *fo_fail)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return false;
	if (fo_fail)
		*fo_fail = ti.tcpi_fastopen_client_fail;
	return ti.tcpi_options & TCPI_OPT_SYN_DATA;
}

/* One connection: the client sends, the server accepts and reads. */
static void exchange(const struct topo *t, enum topo_family f, int lfd,
		     struct probe_live_conn *c)
{
	char payload[LIVE_PAYLOAD], rbuf[LIVE_PAYLOAD];
	struct sockaddr_storage ss;
	struct pollfd p = { lfd, POLLIN, 0 };
	socklen_t sl;
	int cfd, afd = -1;
	ssize_t n;

	double t0 = util_now_ms();

	memset(c, 0, sizeof(*c));
	memset(payload, 'T', sizeof(payload));
	topo_server_addr(t, f, LIVE_PORT, &ss, &sl);
	cfd = topo_socket(t, ROLE_CLIENT, topo_family_domain(f),
			  SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (cfd < 0) {
		c->err = -cfd;
		goto out;
	}
	set_timeouts(cfd);
	n = sendto(cfd, payload, sizeof(payload), MSG_FASTOPEN | MSG_NOSIGNAL,
		   (struct sockaddr *)&ss, sl);
	if (n < 0) {
		c->err = errno;
		goto out;
	}
	c->sent = n;
	c->client_syn_data = syn_data(cfd, &c->fo_fail);

	if (poll(&p, 1, LIVE_TIMEOUT_MS) != 1) {
		c->err = ETIMEDOUT;
		goto out;
	}
	afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (afd < 0) {
		c->err = errno;
		goto out;
	}
	set_timeouts(afd);
	while (c->received < c->sent) {
		n = recv(afd, rbuf, sizeof(rbuf), 0);
		if (n <= 0) {
			c->err = n < 0 ? errno : ECONNRESET;
			break;
		}
		c->received += n;
	}
	c->server_syn_data = syn_data(afd, NULL);
	/* the client's view may have changed once the data was acked */
	c->client_syn_data = syn_data(cfd, &c->fo_fail);
out:
	c->ms = util_now_ms() - t0;
	if (afd >= 0)
		close(afd);
	if (cfd >= 0)
		close(cfd);
}

struct cookie_find {
	enum topo_family f;
	const struct topo *t;
	size_t len;
};

static int cookie_cb(const struct tcpm_entry *e, void *arg)
{
	struct cookie_find *cf = arg;

	if (cf->f == FAM_IPV4 ? (e->family == AF_INET &&
				 e->daddr.v4.s_addr == cf->t->server4.s_addr)
			      : (e->family == AF_INET6 &&
				 !memcmp(&e->daddr.v6, &cf->t->server6, 16))) {
		cf->len = e->cookie_len;
		return 1;
	}
	return 0;
}

static void append_deltas(struct probe_live_family *lf)
{
	size_t off = strlen(lf->reason);

	for (size_t i = 0; i < lf->delta.n; i++)
		if (lf->delta.c[i].value)
			util_appendf(lf->reason, sizeof(lf->reason), &off, "; %s +%llu",
				     lf->delta.c[i].name,
				     (unsigned long long)lf->delta.c[i].value);
}

static void run_family(const struct topo *t, enum topo_family f, long client_tfo,
		       struct probe_live_family *lf)
{
	struct probe_counters before, after;
	struct cookie_find cf = { f, t, 0 };
	struct probe_live_conn *c1 = &lf->conn[0], *c2 = &lf->conn[1];
	int cns = t->host[ROLE_CLIENT].nsfd;
	int lfd = -1, ret, i;

	ret = lfd = topo_listener(t, f, LIVE_PORT, 16);
	if (ret < 0) {
		lf->result = ret == -EAFNOSUPPORT ? LIVE_SKIPPED : LIVE_ERROR;
		snprintf(lf->reason, sizeof(lf->reason), "server listener: %s",
			 util_errno_name(-ret));
		return;
	}
	if (probe_counters_read(cns, &before) < 0)
		memset(&before, 0, sizeof(before));

	for (i = 0; i < 2; i++) {
		exchange(t, f, lfd, &lf->conn[i]);
		if (lf->conn[i].err)
			break;
		if (i == 0 && tcpm_dump(cns, cookie_cb, &cf) == 0 && cf.len) {
			lf->cookie_cached = true;
			lf->cookie_len = cf.len;
		}
	}
	if (probe_counters_read(cns, &after) == 0)
		probe_counters_delta(&before, &after, &lf->delta);
	close(lfd);

	if (c1->err == EOPNOTSUPP) {
		lf->result = LIVE_CLIENT_DISABLED;
		snprintf(lf->reason, sizeof(lf->reason),
			 "sendto(MSG_FASTOPEN): EOPNOTSUPP: net.ipv4.tcp_fastopen=0x%lx lacks the client bit 0x1",
			 client_tfo);
		return;
	}
	if (c1->err || c2->err) {
		lf->result = LIVE_ERROR;
		snprintf(lf->reason, sizeof(lf->reason), "connection %d: %s",
			 c1->err ? 1 : 2, util_errno_name(c1->err ? c1->err : c2->err));
		return;
	}
	if (c2->client_syn_data && c2->server_syn_data && c2->received == c2->sent) {
		lf->result = LIVE_WORKS;
		snprintf(lf->reason, sizeof(lf->reason),
			 "2nd connection: %ld bytes in the SYN, accepted by the server%s",
			 c2->received, client_tfo & TFO_CLIENT_NO_COOKIE ?
			 " without a cookie (server 0x200)" : "");
		return;
	}
	lf->result = LIVE_FAILED;
	{
		size_t off = 0;

		util_appendf(lf->reason, sizeof(lf->reason), &off,
			     "2nd connection's SYN data not used: tcpi_fastopen_client_fail=%s",
			     probe_live_fo_fail_name(c2->fo_fail));
		if (c2->client_syn_data != c2->server_syn_data)
			util_appendf(lf->reason, sizeof(lf->reason), &off,
				     "; client syn_data=%d, server syn_data=%d",
				     c2->client_syn_data, c2->server_syn_data);
		/* a no-cookie client never asks for one, so none is missed */
		if (!(client_tfo & TFO_CLIENT_NO_COOKIE) && !lf->cookie_cached)
			util_appendf(lf->reason, sizeof(lf->reason), &off,
				     "; no cookie cached after the 1st connection");
	}
	append_deltas(lf);
}

long probe_live_server_tfo(long client_tfo)
{
	long server = TFO_CLIENT_ENABLE | TFO_SERVER_ENABLE;

	if (client_tfo & TFO_CLIENT_NO_COOKIE)
		server |= TFO_SERVER_COOKIE_NOT_REQD;
	return server;
}

int probe_live_run(long client_tfo, struct probe_live *out)
{
	struct profile prof = {
		.name = "probe-live",
		.summary = "client: the host's tcp_fastopen; server: one that takes its SYN data",
		.client_tfo = client_tfo,
		.server_tfo = probe_live_server_tfo(client_tfo),
		.server_sockopt = true,
		.blackhole_sec = 0,
	};
	static const enum topo_family fams[LIVE_FAMILIES] = { FAM_IPV4, FAM_IPV6 };
	struct topo t;
	double t0 = util_now_ms();
	int ret;

	memset(out, 0, sizeof(*out));
	out->client_tfo = client_tfo;
	out->server_tfo = prof.server_tfo;
	ret = topo_build(&t, TOPO_PAIR, &prof);
	if (ret < 0) {
		out->err = ret;
		goto out;
	}
	out->ran = true;
	for (int i = 0; i < LIVE_FAMILIES; i++)
		run_family(&t, fams[i], client_tfo, &out->fam[i]);
	topo_destroy(&t);
out:
	out->ms = util_now_ms() - t0;
	return ret;
}
