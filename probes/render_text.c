/* SPDX-License-Identifier: MIT */
/*
 * The report as an aligned table for a person (see render.h): one section
 * per probe module, a name column of 40, a value column of 18, then the
 * detail.  Colour only marks good/bad/doubtful values; padding happens
 * before colouring so escapes never skew the columns.
 */
#include "probes/render.h"

#include <string.h>

#include "util/util.h"

enum tone { T_PLAIN, T_GOOD, T_WARN, T_BAD };

/* Where the table goes and how. */
struct text {
	FILE *f;
	const struct probe_render_opts *o;
};

static const char *tone_on(const struct text *t, enum tone tn)
{
	static const char *const esc[] = { "", "\033[32m", "\033[33m", "\033[31m" };

	return t->o->color ? esc[tn] : "";
}

static const char *tone_off(const struct text *t, enum tone tn)
{
	return t->o->color && tn != T_PLAIN ? "\033[0m" : "";
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

static void row(const struct text *t, int indent, const char *name, enum tone tn,
		const char *value, const char *detail)
{
	if (detail && detail[0])
		fprintf(t->f, "%*s%-*s %s%-18s%s %s\n", indent, "", 40 - indent, name,
			tone_on(t, tn), value, tone_off(t, tn), detail);
	else
		fprintf(t->f, "%*s%-*s %s%s%s\n", indent, "", 40 - indent, name,
			tone_on(t, tn), value, tone_off(t, tn));
}

static void cap_row(const struct text *t, const char *name, const struct probe_cap *c)
{
	row(t, 2, name, state_tone(c->state), probe_state_name(c->state), c->detail);
}

static void section(const struct text *t, const char *title)
{
	fprintf(t->f, "\n%s\n", title);
}

static void text_sysctl(const struct text *t, const struct probe_report *r)
{
	const struct probe_sysctl *s = &r->sys;
	char v[64], name[64];

	section(t, "sysctl (this namespace)");
	if (r->sysctl_err) {
		row(t, 2, "net.ipv4.tcp_fastopen", T_BAD, "unreadable",
		    util_errno_name(-r->sysctl_err));
		return;
	}
	snprintf(v, sizeof(v), "%ld (0x%lx)", s->tcp_fastopen, s->tcp_fastopen);
	row(t, 2, "net.ipv4.tcp_fastopen", T_PLAIN, v, NULL);
	for (size_t i = 0; i < probe_tfo_bit_names_count; i++) {
		const struct probe_tfo_bit_name *b = &probe_tfo_bit_names[i];
		bool on = s->tcp_fastopen & b->bit;

		snprintf(name, sizeof(name), "0x%-4lx %s", b->bit, b->label);
		row(t, 4, name, on ? T_GOOD : T_PLAIN, on ? "on" : "off", NULL);
	}
	snprintf(v, sizeof(v), s->bits.unknown ? "0x%lx" : "none", s->bits.unknown);
	row(t, 4, "       unknown bits", s->bits.unknown ? T_WARN : T_PLAIN, v,
	    s->bits.unknown ? "not known to this tfocheck" : NULL);
	if (s->have_blackhole) {
		snprintf(v, sizeof(v), "%ld", s->blackhole_timeout_sec);
		row(t, 2, "tcp_fastopen_blackhole_timeout_sec", T_PLAIN, v,
		    s->blackhole_timeout_sec ? "detection on" : "detection off");
	} else {
		row(t, 2, "tcp_fastopen_blackhole_timeout_sec", T_WARN, "unreadable", NULL);
	}
	row(t, 2, "tcp_fastopen_key", s->key == PROBE_KEY_UNKNOWN ? T_WARN : T_PLAIN,
	    probe_key_state_name(s->key),
	    s->key == PROBE_KEY_UNKNOWN ? util_errno_name(s->key_err) :
	    "the key itself is never shown");
}

static void text_kernel(const struct text *t, const struct probe_kernel *k)
{
	section(t, "kernel support");
	cap_row(t, "MSG_FASTOPEN", &k->msg_fastopen);
	cap_row(t, "TCP_FASTOPEN", &k->tcp_fastopen);
	cap_row(t, "TCP_FASTOPEN_CONNECT", &k->tcp_fastopen_connect);
	cap_row(t, "TCP_FASTOPEN_KEY", &k->tcp_fastopen_key);
	cap_row(t, "TCP_FASTOPEN_NO_COOKIE", &k->tcp_fastopen_no_cookie);
	cap_row(t, "tcpi_fastopen_client_fail", &k->tcpi_fastopen_client_fail);
	cap_row(t, "IPv6", &k->ipv6);
}

static void text_tcpm(const struct text *t, const struct probe_tcpm *m)
{
	char v[64], d[160];

	section(t, "tcp_metrics cache");
	cap_row(t, "tcp_metrics genetlink", &m->cap);
	if (m->cap.state == PROBE_SUPPORTED) {
		snprintf(v, sizeof(v), "%zu", m->cookies);
		snprintf(d, sizeof(d), "of %zu cached destinations", m->total);
		row(t, 2, "TFO cookies", T_PLAIN, v, d);
	}
	if (!t->o->verbose)
		return;
	for (size_t i = 0; i < m->kept; i++) {
		const struct tcpm_entry *e = &m->ent[i];
		char a[INET6_ADDRSTRLEN], c[2 * TCPM_COOKIE_MAX + 1];

		tcpm_addr_str(e->family, &e->daddr, a, sizeof(a));
		tcpm_cookie_str(e, c, sizeof(c));
		snprintf(d, sizeof(d), "mss %u, syn drops %u, age %llu ms",
			 e->fopen_mss, e->fopen_syn_drops, (unsigned long long)e->age_ms);
		row(t, 4, a, T_PLAIN, e->cookie_len ? c : "no cookie", d);
	}
}

static void text_counters(const struct text *t, const struct probe_report *r)
{
	static const enum tone bh_tone[] = { T_WARN, T_GOOD, T_BAD, T_PLAIN };
	const struct probe_counters *c = &r->counters;
	char v[64];

	section(t, "TcpExt counters (this namespace)");
	if (r->counters_err) {
		row(t, 2, "/proc/net/netstat", T_WARN, "unreadable",
		    util_errno_name(-r->counters_err));
	} else {
		for (size_t i = 0; i < probe_counters_core_count; i++) {
			uint64_t val;

			if (probe_counters_get(c, probe_counters_core[i], &val) < 0) {
				row(t, 2, probe_counters_core[i], T_PLAIN, "-", "not exported");
				continue;
			}
			snprintf(v, sizeof(v), "%llu", (unsigned long long)val);
			row(t, 2, probe_counters_core[i], T_PLAIN, v, NULL);
		}
		/* then the TFO counters this tfocheck does not know by name */
		for (size_t i = 0; i < c->n; i++) {
			bool core = false;

			for (size_t j = 0; j < probe_counters_core_count; j++)
				core |= !strcmp(c->c[i].name, probe_counters_core[j]);
			if (core)
				continue;
			snprintf(v, sizeof(v), "%llu", (unsigned long long)c->c[i].value);
			row(t, 2, c->c[i].name, T_PLAIN, v, NULL);
		}
	}
	row(t, 2, "active TFO off (blackhole)", bh_tone[r->bh.state],
	    probe_bh_name(r->bh.state), r->bh.why);
}

static void text_isolation(const struct text *t, const struct probe_report *r)
{
	const struct probe_isolation *iso = &r->priv.iso;

	section(t, "isolation");
	cap_row(t, "network namespaces", &iso->netns);
	cap_row(t, "user namespaces", &iso->userns);
	cap_row(t, "unprivileged user namespaces", &iso->unpriv_userns);
	cap_row(t, "veth", &iso->veth);
	cap_row(t, "nftables", &iso->nftables);
	cap_row(t, "AF_PACKET", &iso->af_packet);
	/* what the three rows above and the live probe ran as */
	if (r->priv_via)
		row(t, 2, "private namespaces via", T_GOOD, r->priv_via,
		    strcmp(r->priv_via, "root") ?
		    "the rows above and the live probe ran as root of one" : NULL);
	else
		row(t, 2, "private namespaces via", T_BAD, "none", r->live_skip);
}

static void text_live_family(const struct text *t, int i, const struct probe_live_family *f)
{
	enum tone tn = f->result == LIVE_WORKS ? T_GOOD :
		       f->result == LIVE_SKIPPED ? T_WARN : T_BAD;
	char v[64], name[64], d[160];

	row(t, 2, probe_live_family_name(i), tn, probe_live_result_name(f->result), f->reason);
	if (!t->o->verbose)
		return;
	for (int c = 0; c < 2; c++) {
		const struct probe_live_conn *k = &f->conn[c];

		snprintf(name, sizeof(name), "connection %d", c + 1);
		snprintf(d, sizeof(d),
			 "sent %ld, received %ld, client syn_data %d, server syn_data %d, fo_fail %s%s%s",
			 k->sent, k->received, k->client_syn_data, k->server_syn_data,
			 probe_live_fo_fail_name(k->fo_fail), k->err ? ", " : "",
			 k->err ? util_errno_name(k->err) : "");
		row(t, 4, name, T_PLAIN, "", d);
	}
	snprintf(v, sizeof(v), "%s", f->cookie_cached ? "yes" : "no");
	snprintf(d, sizeof(d), "%zu bytes", f->cookie_len);
	row(t, 4, "cookie after connection 1", T_PLAIN, v, f->cookie_cached ? d : NULL);
}

static void text_live(const struct text *t, const struct probe_report *r)
{
	const struct probe_live *l = &r->priv.live;
	char v[64], title[64];

	snprintf(title, sizeof(title), "live (client 0x%lx, server 0x%lx)",
		 r->sys.tcp_fastopen, probe_live_server_tfo(r->sys.tcp_fastopen));
	section(t, title);
	if (!l->ran) {
		row(t, 2, "ipv4, ipv6", T_WARN, r->live_skip[0] ? "skipped" : "not run",
		    r->live_skip);
		return;
	}
	for (int i = 0; i < LIVE_FAMILIES; i++)
		text_live_family(t, i, &l->fam[i]);
	if (t->o->verbose) {
		snprintf(v, sizeof(v), "%.1f ms", l->ms);
		row(t, 2, "live probe time", T_PLAIN, v, r->priv_via);
	}
}

void probe_render_text(FILE *f, const struct probe_report *r,
		       const struct probe_render_opts *o)
{
	const struct text t = { f, o };

	fprintf(f, "tfocheck probe: kernel %s %s, network namespace net:[%llu]\n",
		r->uts.release, r->uts.machine, r->netns_ino);
	text_sysctl(&t, r);
	text_kernel(&t, &r->kern);
	text_tcpm(&t, &r->tcpm);
	text_counters(&t, r);
	text_isolation(&t, r);
	text_live(&t, r);

	fputc('\n', f);
	row(&t, 0, "verdict", r->usable ? T_GOOD : T_BAD,
	    r->usable ? "usable" : "not usable", r->usable ? "TFO client usable" : r->why);
	if (r->note[0])
		row(&t, 0, "note", T_WARN, "", r->note);
}
