/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck probe`: the CLI.  Gathers every probe module's answer into one
 * report, decides whether a TFO client is usable here, and renders the
 * report as an aligned table, JSON (docs/probe-json.md) or C macros.
 *
 * Ordering matters for "never change host state": everything that writes
 * runs in private namespaces — in-process when we may create them, else in
 * a forked child that is root of its own user namespace — and the reads
 * of the caller's namespace happen first, before anything else could
 * disturb its counters.
 */
#include "probes/probe.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "util/util.h"
#include "probes/counters.h"
#include "probes/isolation.h"
#include "probes/live.h"
#include "probes/sockopt.h"
#include "probes/sysctl.h"
#include "probes/tcp_metrics.h"

#define MAX_TCPM_ENTRIES 64

enum bh_state { BH_UNKNOWN, BH_NO, BH_YES, BH_NA };

/* What the child in a user namespace computes and copies back: plain data. */
struct probe_private {
	struct probe_isolation iso;
	struct probe_live live;
	int live_ret;
	bool run_live;
	long client_tfo;
};

struct probe_report {
	struct utsname uts;
	unsigned long long netns_ino;
	int sysctl_err;
	struct probe_sysctl sys;
	struct probe_kernel kern;
	struct probe_cap tcpm;
	uint16_t tcpm_id;
	size_t tcpm_total, tcpm_cookies, tcpm_kept;
	struct tcpm_entry tcpm_ent[MAX_TCPM_ENTRIES];
	int counters_err;
	struct probe_counters counters;
	enum bh_state bh;
	char bh_why[128];
	struct probe_private priv;
	const char *priv_via;	/* "root", "user namespace", NULL: none */
	char live_skip[96];
	bool usable;
	char why[256];
};

struct opts {
	bool json, macros, verbose, live, color;
};

const char *probe_state_name(enum probe_state s)
{
	switch (s) {
	case PROBE_SUPPORTED:
		return "supported";
	case PROBE_DISABLED:
		return "disabled-by-sysctl";
	case PROBE_MISSING:
		return "missing";
	case PROBE_NOT_PERMITTED:
		return "not-permitted";
	default:
		return "unknown";
	}
}

enum probe_state probe_state_from_errno(int err)
{
	switch (err) {
	case 0:
		return PROBE_SUPPORTED;
	case EPERM:
	case EACCES:
		return PROBE_NOT_PERMITTED;
	case ENOPROTOOPT:
	case EAFNOSUPPORT:
	case EPROTONOSUPPORT:
	case ESOCKTNOSUPPORT:
		return PROBE_MISSING;
	case EOPNOTSUPP:
		return PROBE_DISABLED;
	default:
		return PROBE_UNKNOWN;
	}
}

void probe_cap_set(struct probe_cap *c, enum probe_state s, int err,
		   const char *fmt, ...)
{
	va_list ap;

	c->state = s;
	c->err = err;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
}

/* ---- gathering ------------------------------------------------------ */

static int tcpm_collect(const struct tcpm_entry *e, void *arg)
{
	struct probe_report *r = arg;

	r->tcpm_total++;
	if (e->cookie_len)
		r->tcpm_cookies++;
	if (r->tcpm_kept < MAX_TCPM_ENTRIES)
		r->tcpm_ent[r->tcpm_kept++] = *e;
	return 0;
}

static void gather_tcpm(struct probe_report *r)
{
	int ret = tcpm_family_id(-1, &r->tcpm_id);

	if (ret == 0)
		ret = tcpm_dump(-1, tcpm_collect, r);
	if (ret == 0)
		probe_cap_set(&r->tcpm, PROBE_SUPPORTED, 0, "genetlink family id %u",
			      r->tcpm_id);
	else if (ret == -ENOENT)
		probe_cap_set(&r->tcpm, PROBE_MISSING, -ret,
			      "no \"tcp_metrics\" genetlink family");
	else
		probe_cap_set(&r->tcpm, probe_state_from_errno(-ret) == PROBE_NOT_PERMITTED ?
				  PROBE_NOT_PERMITTED : PROBE_UNKNOWN,
			      -ret, "%s", util_errno_name(-ret));
}

static void gather_blackhole(struct probe_report *r)
{
	uint64_t events;
	bool disabled;
	int ret;

	if (r->sysctl_err || !r->sys.bits.client) {
		r->bh = BH_NA;
		snprintf(r->bh_why, sizeof(r->bh_why), "client TFO is off");
	} else if (!r->sys.have_blackhole) {
		snprintf(r->bh_why, sizeof(r->bh_why), "timeout sysctl unreadable");
	} else if (r->sys.blackhole_timeout_sec == 0) {
		/* tcp_fastopen_active_should_disable() returns false at once */
		r->bh = BH_NO;
		snprintf(r->bh_why, sizeof(r->bh_why), "detection off (timeout 0)");
	} else if (probe_counters_get(&r->counters, "TCPFastOpenBlackhole", &events) < 0) {
		snprintf(r->bh_why, sizeof(r->bh_why), "no TCPFastOpenBlackhole counter");
	} else if (events == 0) {
		r->bh = BH_NO;
		snprintf(r->bh_why, sizeof(r->bh_why), "no blackhole event in this namespace");
	} else if ((ret = probe_sockopt_blackhole(-1, &disabled)) == 0) {
		r->bh = disabled ? BH_YES : BH_NO;
		snprintf(r->bh_why, sizeof(r->bh_why),
			 "%llu event(s); the kernel %s a deferred TFO connect",
			 (unsigned long long)events, disabled ? "refused" : "allowed");
	} else {
		snprintf(r->bh_why, sizeof(r->bh_why),
			 "%llu event(s), check failed: %s; may be off for up to %lld s",
			 (unsigned long long)events, util_errno_name(-ret),
			 (long long)r->sys.blackhole_timeout_sec *
				 (1LL << (events - 1 < 6 ? events - 1 : 6)));
	}
}

static int run_private(void *buf)
{
	struct probe_private *p = buf;

	probe_isolation_private(&p->iso);
	if (p->run_live)
		p->live_ret = probe_live_run(p->client_tfo, &p->live);
	return 0;
}

static void gather_private(struct probe_report *r, const struct opts *o)
{
	struct probe_private *p = &r->priv;
	int ret;

	p->run_live = o->live && !r->sysctl_err;
	p->client_tfo = r->sys.tcp_fastopen;
	if (r->priv.iso.netns.state == PROBE_SUPPORTED) {
		r->priv_via = "root";
		run_private(p);
	} else if (r->priv.iso.userns.state == PROBE_SUPPORTED) {
		r->priv_via = "user namespace";
		ret = probe_isolation_in_userns(run_private, p, sizeof(*p));
		if (ret < 0) {
			r->priv_via = NULL;
			snprintf(r->live_skip, sizeof(r->live_skip),
				 "skipped: user namespace setup failed: %s",
				 util_errno_name(-ret));
		}
	}
	if (!r->priv_via) {
		if (!r->live_skip[0])
			snprintf(r->live_skip, sizeof(r->live_skip),
				 "skipped: needs CAP_NET_ADMIN or user namespaces");
		probe_cap_set(&p->iso.veth, PROBE_NOT_PERMITTED, EPERM,
			      "needs a private network namespace");
		p->iso.nftables = p->iso.af_packet = p->iso.veth;
		p->live.ran = false;
	} else if (!o->live) {
		snprintf(r->live_skip, sizeof(r->live_skip), "skipped: --no-live");
	} else if (p->live_ret < 0) {
		snprintf(r->live_skip, sizeof(r->live_skip),
			 "error: private namespace pair: %s", util_errno_name(-p->live_ret));
	}
}

/* What the live probe proved about tcpi_fastopen_client_fail: a cookie-less
 * first TFO connection must report COOKIE_UNAVAILABLE on a kernel that
 * fills the field (5.5+, 5.4.y backport). */
static void settle_fo_fail(struct probe_report *r)
{
	struct probe_cap *c = &r->kern.tcpi_fastopen_client_fail;
	const struct probe_live *l = &r->priv.live;

	if (!l->ran)
		return;
	for (int i = 0; i < LIVE_FAMILIES; i++) {
		const struct probe_live_conn *c1 = &l->fam[i].conn[0];

		if (c1->err || l->fam[i].result == LIVE_NOT_RUN ||
		    l->fam[i].result == LIVE_SKIPPED)
			continue;
		if (c1->fo_fail) {
			probe_cap_set(c, PROBE_SUPPORTED, 0, "live probe saw %s",
				      probe_live_fo_fail_name(c1->fo_fail));
			return;
		}
		if (r->sys.bits.client && !r->sys.bits.client_no_cookie) {
			probe_cap_set(c, PROBE_MISSING, 0,
				      "cookie-less TFO connect left it 0");
			return;
		}
	}
}

static bool cap_known(const struct probe_cap *c)
{
	return c->state == PROBE_SUPPORTED || c->state == PROBE_DISABLED;
}

static void decide(struct probe_report *r)
{
	const struct probe_live *l = &r->priv.live;
	bool any_works = false, any_run = false;

	r->usable = false;
	if (r->sysctl_err) {
		snprintf(r->why, sizeof(r->why), "cannot read net.ipv4.tcp_fastopen: %s",
			 util_errno_name(-r->sysctl_err));
		return;
	}
	if (!r->sys.bits.client) {
		snprintf(r->why, sizeof(r->why),
			 "net.ipv4.tcp_fastopen=0x%lx lacks the client bit 0x1",
			 r->sys.tcp_fastopen);
		return;
	}
	if (!cap_known(&r->kern.msg_fastopen) && !cap_known(&r->kern.tcp_fastopen_connect)) {
		snprintf(r->why, sizeof(r->why),
			 "kernel offers neither MSG_FASTOPEN (%s) nor TCP_FASTOPEN_CONNECT (%s)",
			 probe_state_name(r->kern.msg_fastopen.state),
			 probe_state_name(r->kern.tcp_fastopen_connect.state));
		return;
	}
	if (r->bh == BH_YES) {
		snprintf(r->why, sizeof(r->why),
			 "active TFO is switched off by blackhole detection (%s)", r->bh_why);
		return;
	}
	if (l->ran) {
		for (int i = 0; i < LIVE_FAMILIES; i++) {
			if (l->fam[i].result == LIVE_SKIPPED)
				continue;
			any_run = true;
			any_works |= l->fam[i].result == LIVE_WORKS;
		}
		if (any_run && !any_works) {
			snprintf(r->why, sizeof(r->why), "live probe: ipv4: %s: %s",
				 probe_live_result_name(l->fam[LIVE_IPV4].result),
				 l->fam[LIVE_IPV4].reason);
			return;
		}
	}
	r->usable = true;
}

static void gather(struct probe_report *r, const struct opts *o)
{
	struct stat st;
	int ret;

	memset(r, 0, sizeof(*r));
	uname(&r->uts);
	if (stat("/proc/thread-self/ns/net", &st) == 0)
		r->netns_ino = st.st_ino;

	/* the caller's namespace, read-only, before anything else runs */
	r->sysctl_err = probe_sysctl_read(-1, &r->sys);
	r->counters_err = probe_counters_read(-1, &r->counters);
	gather_tcpm(r);
	probe_sockopt_run(-1, &r->sys, &r->kern);
	gather_blackhole(r);

	ret = probe_isolation_namespaces(&r->priv.iso);
	(void)ret;
	gather_private(r, o);
	settle_fo_fail(r);
	decide(r);
}

/* ---- human output --------------------------------------------------- */

enum tone { T_PLAIN, T_GOOD, T_WARN, T_BAD };

static const char *tone_on(const struct opts *o, enum tone t)
{
	static const char *const esc[] = { "", "\033[32m", "\033[33m", "\033[31m" };

	return o->color ? esc[t] : "";
}

static const char *tone_off(const struct opts *o, enum tone t)
{
	return o->color && t != T_PLAIN ? "\033[0m" : "";
}

static enum tone state_tone(enum probe_state s)
{
	switch (s) {
	case PROBE_SUPPORTED:
		return T_GOOD;
	case PROBE_MISSING:
	case PROBE_NOT_PERMITTED:
		return T_BAD;
	default:
		return T_WARN;
	}
}

static void row(const struct opts *o, int indent, const char *name, enum tone t,
		const char *value, const char *detail)
{
	/* pad before colouring so escapes never skew the columns */
	if (detail && detail[0])
		printf("%*s%-*s %s%-18s%s %s\n", indent, "", 40 - indent, name,
		       tone_on(o, t), value, tone_off(o, t), detail);
	else
		printf("%*s%-*s %s%s%s\n", indent, "", 40 - indent, name,
		       tone_on(o, t), value, tone_off(o, t));
}

static void cap_row(const struct opts *o, const char *name, const struct probe_cap *c)
{
	row(o, 2, name, state_tone(c->state), probe_state_name(c->state), c->detail);
}

static void section(const char *title)
{
	printf("\n%s\n", title);
}

static void hex(char *buf, size_t size, const uint8_t *b, size_t n)
{
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n; i++)
		util_appendf(buf, size, &off, "%02x", b[i]);
}

static void print_human(const struct probe_report *r, const struct opts *o)
{
	static const struct {
		long bit;
		const char *name;
		size_t off;
	} bits[] = {
		{ 0x1, "client", offsetof(struct probe_tfo_bits, client) },
		{ 0x2, "server", offsetof(struct probe_tfo_bits, server) },
		{ 0x4, "client without cookie", offsetof(struct probe_tfo_bits, client_no_cookie) },
		{ 0x200, "server cookie not required",
		  offsetof(struct probe_tfo_bits, server_cookie_not_reqd) },
		{ 0x400, "server without TCP_FASTOPEN",
		  offsetof(struct probe_tfo_bits, server_wo_sockopt) },
	};
	const struct probe_private *p = &r->priv;
	char v[64], name[64], d[160];

	printf("tfocheck probe: kernel %s %s, network namespace net:[%llu]\n",
	       r->uts.release, r->uts.machine, r->netns_ino);

	section("sysctl (this namespace)");
	if (r->sysctl_err) {
		row(o, 2, "net.ipv4.tcp_fastopen", T_BAD, "unreadable",
		    util_errno_name(-r->sysctl_err));
	} else {
		snprintf(v, sizeof(v), "%ld (0x%lx)", r->sys.tcp_fastopen, r->sys.tcp_fastopen);
		row(o, 2, "net.ipv4.tcp_fastopen", T_PLAIN, v, NULL);
		for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
			bool on = *(const bool *)((const char *)&r->sys.bits + bits[i].off);

			snprintf(name, sizeof(name), "0x%-4lx %s", bits[i].bit, bits[i].name);
			row(o, 4, name, on ? T_GOOD : T_PLAIN, on ? "on" : "off", NULL);
		}
		snprintf(v, sizeof(v), r->sys.bits.unknown ? "0x%lx" : "none",
			 r->sys.bits.unknown);
		row(o, 4, "       unknown bits", r->sys.bits.unknown ? T_WARN : T_PLAIN, v,
		    r->sys.bits.unknown ? "not known to this tfocheck" : NULL);
		if (r->sys.have_blackhole) {
			snprintf(v, sizeof(v), "%ld", r->sys.blackhole_timeout_sec);
			row(o, 2, "tcp_fastopen_blackhole_timeout_sec", T_PLAIN, v,
			    r->sys.blackhole_timeout_sec ? "detection on" : "detection off");
		} else {
			row(o, 2, "tcp_fastopen_blackhole_timeout_sec", T_WARN, "unreadable", NULL);
		}
		row(o, 2, "tcp_fastopen_key", r->sys.key == PROBE_KEY_UNKNOWN ? T_WARN : T_PLAIN,
		    probe_key_state_name(r->sys.key),
		    r->sys.key == PROBE_KEY_UNKNOWN ? util_errno_name(r->sys.key_err) :
		    "the key itself is never shown");
	}

	section("kernel support");
	cap_row(o, "MSG_FASTOPEN", &r->kern.msg_fastopen);
	cap_row(o, "TCP_FASTOPEN", &r->kern.tcp_fastopen);
	cap_row(o, "TCP_FASTOPEN_CONNECT", &r->kern.tcp_fastopen_connect);
	cap_row(o, "TCP_FASTOPEN_KEY", &r->kern.tcp_fastopen_key);
	cap_row(o, "TCP_FASTOPEN_NO_COOKIE", &r->kern.tcp_fastopen_no_cookie);
	cap_row(o, "tcpi_fastopen_client_fail", &r->kern.tcpi_fastopen_client_fail);
	cap_row(o, "IPv6", &r->kern.ipv6);

	section("tcp_metrics cache");
	cap_row(o, "tcp_metrics genetlink", &r->tcpm);
	if (r->tcpm.state == PROBE_SUPPORTED) {
		snprintf(v, sizeof(v), "%zu", r->tcpm_cookies);
		snprintf(d, sizeof(d), "of %zu cached destinations", r->tcpm_total);
		row(o, 2, "TFO cookies", T_PLAIN, v, d);
	}
	if (o->verbose) {
		for (size_t i = 0; i < r->tcpm_kept; i++) {
			const struct tcpm_entry *e = &r->tcpm_ent[i];
			char a[INET6_ADDRSTRLEN], c[2 * TCPM_COOKIE_MAX + 1];

			tcpm_addr_str(e->family, &e->daddr, a, sizeof(a));
			hex(c, sizeof(c), e->cookie, e->cookie_len);
			snprintf(d, sizeof(d), "mss %u, syn drops %u, age %llu ms",
				 e->fopen_mss, e->fopen_syn_drops,
				 (unsigned long long)e->age_ms);
			row(o, 4, a, T_PLAIN, e->cookie_len ? c : "no cookie", d);
		}
	}

	section("TcpExt counters (this namespace)");
	if (r->counters_err) {
		row(o, 2, "/proc/net/netstat", T_WARN, "unreadable",
		    util_errno_name(-r->counters_err));
	} else {
		for (size_t i = 0; i < probe_counters_core_count; i++) {
			uint64_t val;

			if (probe_counters_get(&r->counters, probe_counters_core[i], &val) < 0)
				row(o, 2, probe_counters_core[i], T_PLAIN, "-", "not exported");
			else {
				snprintf(v, sizeof(v), "%llu", (unsigned long long)val);
				row(o, 2, probe_counters_core[i], T_PLAIN, v, NULL);
			}
		}
		for (size_t i = 0; i < r->counters.n; i++) {
			bool core = false;

			for (size_t j = 0; j < probe_counters_core_count; j++)
				core |= !strcmp(r->counters.c[i].name, probe_counters_core[j]);
			if (core)
				continue;
			snprintf(v, sizeof(v), "%llu", (unsigned long long)r->counters.c[i].value);
			row(o, 2, r->counters.c[i].name, T_PLAIN, v, NULL);
		}
	}
	{
		static const char *const bh[] = { "unknown", "no", "yes", "n/a" };
		static const enum tone bht[] = { T_WARN, T_GOOD, T_BAD, T_PLAIN };

		row(o, 2, "active TFO off (blackhole)", bht[r->bh], bh[r->bh], r->bh_why);
	}

	section("isolation");
	cap_row(o, "network namespaces", &p->iso.netns);
	cap_row(o, "user namespaces", &p->iso.userns);
	cap_row(o, "unprivileged user namespaces", &p->iso.unpriv_userns);
	cap_row(o, "veth", &p->iso.veth);
	cap_row(o, "nftables", &p->iso.nftables);
	cap_row(o, "AF_PACKET", &p->iso.af_packet);

	snprintf(name, sizeof(name), "live (client 0x%lx, server 0x3)", r->sys.tcp_fastopen);
	section(name);
	if (!p->live.ran) {
		row(o, 2, "ipv4, ipv6", T_WARN, r->live_skip[0] ? "skipped" : "not run",
		    r->live_skip);
	} else {
		for (int i = 0; i < LIVE_FAMILIES; i++) {
			const struct probe_live_family *f = &p->live.fam[i];
			enum tone t = f->result == LIVE_WORKS ? T_GOOD :
				      f->result == LIVE_SKIPPED ? T_WARN : T_BAD;

			row(o, 2, probe_live_family_name(i), t,
			    probe_live_result_name(f->result), f->reason);
			if (!o->verbose)
				continue;
			for (int c = 0; c < 2; c++) {
				const struct probe_live_conn *k = &f->conn[c];

				snprintf(name, sizeof(name), "connection %d", c + 1);
				snprintf(d, sizeof(d),
					 "sent %ld, received %ld, client syn_data %d, server syn_data %d, fo_fail %s%s%s",
					 k->sent, k->received, k->client_syn_data,
					 k->server_syn_data, probe_live_fo_fail_name(k->fo_fail),
					 k->err ? ", " : "", k->err ? util_errno_name(k->err) : "");
				row(o, 4, name, T_PLAIN, "", d);
			}
			snprintf(v, sizeof(v), "%s", f->cookie_cached ? "yes" : "no");
			snprintf(d, sizeof(d), "%zu bytes", f->cookie_len);
			row(o, 4, "cookie after connection 1", T_PLAIN, v, f->cookie_cached ? d : NULL);
		}
		if (o->verbose) {
			snprintf(v, sizeof(v), "%.1f ms", p->live.ms);
			row(o, 2, "live probe time", T_PLAIN, v, r->priv_via);
		}
	}

	printf("\n");
	row(o, 0, "verdict", r->usable ? T_GOOD : T_BAD,
	    r->usable ? "usable" : "not usable", r->usable ? "TFO client usable" : r->why);
}

/* ---- JSON ----------------------------------------------------------- */

static json_t *j_cap(const struct probe_cap *c)
{
	return json_pack("{s:s, s:s?, s:s}", "state", probe_state_name(c->state),
			 "errno", c->err ? util_errno_name(c->err) : NULL,
			 "detail", c->detail);
}

static json_t *j_counters(const struct probe_counters *c)
{
	json_t *o = json_object();

	for (size_t i = 0; i < c->n; i++)
		json_object_set_new(o, c->c[i].name, json_integer((json_int_t)c->c[i].value));
	return o;
}

static json_t *j_live(const struct probe_report *r)
{
	const struct probe_live *l = &r->priv.live;
	json_t *o = json_object();

	json_object_set_new(o, "ran", json_boolean(l->ran));
	json_object_set_new(o, "client_tcp_fastopen", json_integer(r->sys.tcp_fastopen));
	json_object_set_new(o, "server_tcp_fastopen", json_integer(3));
	json_object_set_new(o, "skipped", r->live_skip[0] && !l->ran ?
				  json_string(r->live_skip) : json_null());
	for (int i = 0; i < LIVE_FAMILIES; i++) {
		const struct probe_live_family *f = &l->fam[i];
		json_t *fo, *conns = json_array();

		if (!l->ran) {
			json_object_set_new(o, probe_live_family_name(i),
					    json_pack("{s:s, s:s}", "result", "skipped",
						      "reason", r->live_skip));
			continue;
		}
		for (int c = 0; c < 2; c++) {
			const struct probe_live_conn *k = &f->conn[c];

			json_array_append_new(conns, json_pack(
				"{s:s?, s:I, s:I, s:b, s:b, s:s, s:f}",
				"errno", k->err ? util_errno_name(k->err) : NULL,
				"sent", (json_int_t)k->sent, "received", (json_int_t)k->received,
				"client_syn_data", k->client_syn_data,
				"server_syn_data", k->server_syn_data,
				"fastopen_client_fail", probe_live_fo_fail_name(k->fo_fail),
				"ms", k->ms));
		}
		fo = json_pack("{s:s, s:s, s:b, s:I, s:o, s:o}",
			       "result", probe_live_result_name(f->result),
			       "reason", f->reason, "cookie_cached", f->cookie_cached,
			       "cookie_len", (json_int_t)f->cookie_len,
			       "connections", conns, "counters_delta", j_counters(&f->delta));
		json_object_set_new(o, probe_live_family_name(i), fo);
	}
	return o;
}

static void print_json(const struct probe_report *r, const struct opts *o)
{
	static const char *const bh[] = { "unknown", "no", "yes", "n/a" };
	const struct probe_private *p = &r->priv;
	json_t *root = json_object(), *sys, *tcpm, *ents, *kern, *iso, *bits;

	json_object_set_new(root, "schema", json_integer(PROBE_JSON_SCHEMA));
	json_object_set_new(root, "kernel", json_pack("{s:s, s:s}", "release",
						      r->uts.release, "machine", r->uts.machine));
	json_object_set_new(root, "netns_inode", json_integer((json_int_t)r->netns_ino));

	bits = json_pack("{s:b, s:b, s:b, s:b, s:b, s:I}",
			 "client", r->sys.bits.client, "server", r->sys.bits.server,
			 "client_no_cookie", r->sys.bits.client_no_cookie,
			 "server_cookie_not_required", r->sys.bits.server_cookie_not_reqd,
			 "server_without_sockopt", r->sys.bits.server_wo_sockopt,
			 "unknown_bits", (json_int_t)r->sys.bits.unknown);
	sys = json_pack("{s:o, s:o, s:o, s:s}",
			"tcp_fastopen", r->sysctl_err ? json_null() : json_integer(r->sys.tcp_fastopen),
			"tcp_fastopen_bits", bits,
			"tcp_fastopen_blackhole_timeout_sec",
			r->sys.have_blackhole ? json_integer(r->sys.blackhole_timeout_sec) : json_null(),
			"tcp_fastopen_key", probe_key_state_name(r->sys.key));
	json_object_set_new(root, "sysctl", sys);

	kern = json_object();
	json_object_set_new(kern, "MSG_FASTOPEN", j_cap(&r->kern.msg_fastopen));
	json_object_set_new(kern, "TCP_FASTOPEN", j_cap(&r->kern.tcp_fastopen));
	json_object_set_new(kern, "TCP_FASTOPEN_CONNECT", j_cap(&r->kern.tcp_fastopen_connect));
	json_object_set_new(kern, "TCP_FASTOPEN_KEY", j_cap(&r->kern.tcp_fastopen_key));
	json_object_set_new(kern, "TCP_FASTOPEN_NO_COOKIE", j_cap(&r->kern.tcp_fastopen_no_cookie));
	json_object_set_new(kern, "tcpi_fastopen_client_fail",
			    j_cap(&r->kern.tcpi_fastopen_client_fail));
	json_object_set_new(kern, "ipv6", j_cap(&r->kern.ipv6));
	json_object_set_new(kern, "tcp_info_len", json_integer(r->kern.tcp_info_len));
	json_object_set_new(root, "kernel_support", kern);

	tcpm = json_object();
	json_object_set_new(tcpm, "genetlink", j_cap(&r->tcpm));
	json_object_set_new(tcpm, "family_id", r->tcpm_id ? json_integer(r->tcpm_id) : json_null());
	json_object_set_new(tcpm, "entries", json_integer((json_int_t)r->tcpm_total));
	json_object_set_new(tcpm, "cookies", json_integer((json_int_t)r->tcpm_cookies));
	if (o->verbose) {
		ents = json_array();
		for (size_t i = 0; i < r->tcpm_kept; i++) {
			const struct tcpm_entry *e = &r->tcpm_ent[i];
			char a[INET6_ADDRSTRLEN], c[2 * TCPM_COOKIE_MAX + 1];

			tcpm_addr_str(e->family, &e->daddr, a, sizeof(a));
			hex(c, sizeof(c), e->cookie, e->cookie_len);
			json_array_append_new(ents, json_pack(
				"{s:s, s:I, s:s?, s:I, s:I, s:I}", "daddr", a,
				"cookie_len", (json_int_t)e->cookie_len,
				"cookie", e->cookie_len ? c : NULL,
				"fopen_mss", (json_int_t)e->fopen_mss,
				"fopen_syn_drops", (json_int_t)e->fopen_syn_drops,
				"age_ms", (json_int_t)e->age_ms));
		}
		json_object_set_new(tcpm, "destinations", ents);
	}
	json_object_set_new(root, "tcp_metrics", tcpm);

	json_object_set_new(root, "counters",
			    r->counters_err ? json_null() : j_counters(&r->counters));
	json_object_set_new(root, "blackhole",
			    json_pack("{s:s, s:s}", "active_tfo_disabled", bh[r->bh],
				      "reason", r->bh_why));

	iso = json_object();
	json_object_set_new(iso, "netns", j_cap(&p->iso.netns));
	json_object_set_new(iso, "userns", j_cap(&p->iso.userns));
	json_object_set_new(iso, "unprivileged_userns", j_cap(&p->iso.unpriv_userns));
	json_object_set_new(iso, "veth", j_cap(&p->iso.veth));
	json_object_set_new(iso, "nftables", j_cap(&p->iso.nftables));
	json_object_set_new(iso, "af_packet", j_cap(&p->iso.af_packet));
	json_object_set_new(iso, "private_namespaces_via",
			    r->priv_via ? json_string(r->priv_via) : json_null());
	json_object_set_new(root, "isolation", iso);

	json_object_set_new(root, "live", j_live(r));
	json_object_set_new(root, "usable", json_boolean(r->usable));
	json_object_set_new(root, "reason", r->usable ? json_null() : json_string(r->why));
	json_object_set_new(root, "exit_code",
			    json_integer(r->usable ? PROBE_EXIT_USABLE : PROBE_EXIT_UNUSABLE));

	json_dumpf(root, stdout, JSON_SORT_KEYS | JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(root);
}

/* ---- C macros ------------------------------------------------------- */

static void macro(const char *name, bool on, const char *why)
{
	if (on)
		printf("#define HAVE_TFO_%s 1\n", name);
	else
		printf("/* HAVE_TFO_%s is not set (%s) */\n", name, why);
}

static void macro_cap(const char *name, const struct probe_cap *c)
{
	/* the kernel has it: a sysctl is runtime policy, not a build fact */
	macro(name, cap_known(c), probe_state_name(c->state));
}

static void print_macros(const struct probe_report *r)
{
	const struct probe_live *l = &r->priv.live;

	printf("/* tfocheck probe (schema %d): kernel %s %s */\n", PROBE_JSON_SCHEMA,
	       r->uts.release, r->uts.machine);
	macro_cap("MSG_FASTOPEN", &r->kern.msg_fastopen);
	macro_cap("TCP_FASTOPEN", &r->kern.tcp_fastopen);
	macro_cap("TCP_FASTOPEN_CONNECT", &r->kern.tcp_fastopen_connect);
	macro_cap("TCP_FASTOPEN_KEY", &r->kern.tcp_fastopen_key);
	macro_cap("TCP_FASTOPEN_NO_COOKIE", &r->kern.tcp_fastopen_no_cookie);
	macro_cap("TCPI_FASTOPEN_CLIENT_FAIL", &r->kern.tcpi_fastopen_client_fail);
	macro("IPV6", r->kern.ipv6.state == PROBE_SUPPORTED,
	      probe_state_name(r->kern.ipv6.state));
	macro("CLIENT_ENABLED", !r->sysctl_err && r->sys.bits.client, "sysctl");
	macro("SERVER_ENABLED", !r->sysctl_err &&
	      (r->sys.bits.server || r->sys.bits.server_wo_sockopt), "sysctl");
	macro("LIVE_IPV4", l->ran && l->fam[LIVE_IPV4].result == LIVE_WORKS,
	      l->ran ? probe_live_result_name(l->fam[LIVE_IPV4].result) : "not run");
	macro("LIVE_IPV6", l->ran && l->fam[LIVE_IPV6].result == LIVE_WORKS,
	      l->ran ? probe_live_result_name(l->fam[LIVE_IPV6].result) : "not run");
	macro("CLIENT_USABLE", r->usable, "see tfocheck probe");
	if (!r->sysctl_err)
		printf("#define TFO_SYSCTL_TCP_FASTOPEN 0x%lx\n", r->sys.tcp_fastopen);
}

/* ---- CLI ------------------------------------------------------------ */

static void usage(FILE *f)
{
	fputs("usage: tfocheck probe [--json | --macros] [--verbose] [--no-live]\n"
	      "\n"
	      "Report what this kernel and this network namespace offer a TCP Fast\n"
	      "Open client: net.ipv4.tcp_fastopen decoded, run-time support for\n"
	      "MSG_FASTOPEN and the TCP_FASTOPEN* options, cached cookies, TcpExt\n"
	      "counters, isolation, and a live TFO exchange in private namespaces.\n"
	      "Never changes the host: every write happens in private namespaces.\n"
	      "\n"
	      "  --json      JSON (schema in docs/probe-json.md)\n"
	      "  --macros    C #define HAVE_TFO_* lines for build systems\n"
	      "  -v, --verbose  cached destinations and cookies, per-connection detail\n"
	      "  --no-live   skip the live exchange\n"
	      "  -h, --help  this text\n"
	      "\n"
	      "Exit status: 0 TFO client usable, 1 not usable (reason on stderr),\n"
	      "2 usage error.  NO_COLOR (any non-empty value) disables colour.\n",
	      f);
}

static int parse_args(int argc, char **argv, struct opts *o, bool *help)
{
	const char *nc = getenv("NO_COLOR");

	*o = (struct opts){ .live = true };
	*help = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json"))
			o->json = true;
		else if (!strcmp(a, "--macros"))
			o->macros = true;
		else if (!strcmp(a, "--verbose") || !strcmp(a, "-v"))
			o->verbose = true;
		else if (!strcmp(a, "--no-live"))
			o->live = false;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			*help = true;
		else {
			fprintf(stderr, "tfocheck probe: %s `%s' (see tfocheck probe --help)\n",
				a[0] == '-' ? "unknown option" : "unexpected argument", a);
			return -EINVAL;
		}
	}
	if (o->json && o->macros) {
		fprintf(stderr, "tfocheck probe: `--json' and `--macros' cannot be combined\n");
		return -EINVAL;
	}
	o->color = isatty(STDOUT_FILENO) && !(nc && nc[0]);
	return 0;
}

int probe_main(int argc, char **argv)
{
	struct probe_report *r;
	struct opts o;
	bool help;
	int ret;

	if (parse_args(argc, argv, &o, &help) < 0)
		return PROBE_EXIT_USAGE;
	if (help) {
		usage(stdout);
		return 0;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		fprintf(stderr, "tfocheck probe: out of memory\n");
		return PROBE_EXIT_UNUSABLE;
	}
	gather(r, &o);
	if (o.json)
		print_json(r, &o);
	else if (o.macros)
		print_macros(r);
	else
		print_human(r, &o);
	fflush(stdout);
	if (!r->usable)
		fprintf(stderr, "tfocheck probe: TFO client not usable: %s\n", r->why);
	ret = r->usable ? PROBE_EXIT_USABLE : PROBE_EXIT_UNUSABLE;
	free(r);
	return ret;
}
