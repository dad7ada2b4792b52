/* SPDX-License-Identifier: MIT */
/*
 * The report as JSON (see render.h), schema PROBE_JSON_SCHEMA, documented
 * key by key in docs/probe-json.md: keys sorted, 2-space indent.  Every
 * builder returns a new reference or NULL, and a NULL member fails its
 * parent (json_pack's "o" does so itself, set() and append() below for
 * the objects built in loops), so an allocation failure anywhere ends in
 * -ENOMEM rather than a document that lies by omission.
 */
#include "probes/render.h"

#include <errno.h>
#include <jansson.h>

#include "util/util.h"
#include "probes/verdict.h"

/* Steal v into *o under key; on failure drop both and leave *o NULL. */
static void set(json_t **o, const char *key, json_t *v)
{
	if (*o && v && json_object_set_new(*o, key, v) == 0)
		return;
	json_decref(v);
	json_decref(*o);
	*o = NULL;
}

static void append(json_t **a, json_t *v)
{
	if (*a && v && json_array_append_new(*a, v) == 0)
		return;
	json_decref(v);
	json_decref(*a);
	*a = NULL;
}

static json_t *j_cap(const struct probe_cap *c)
{
	return json_pack("{s:s, s:s?, s:s}", "state", probe_state_name(c->state),
			 "errno", c->err ? util_errno_name(c->err) : NULL,
			 "detail", c->detail);
}

static json_t *j_counters(const struct probe_counters *c)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < c->n; i++)
		set(&o, c->c[i].name, json_integer((json_int_t)c->c[i].value));
	return o;
}

static json_t *j_sysctl(const struct probe_report *r)
{
	const struct probe_sysctl *s = &r->sys;
	json_t *bits = json_object();

	for (size_t i = 0; bits && i < probe_tfo_bit_names_count; i++)
		set(&bits, probe_tfo_bit_names[i].key,
		    json_boolean(s->tcp_fastopen & probe_tfo_bit_names[i].bit));
	set(&bits, "unknown_bits", json_integer(s->bits.unknown));
	return json_pack("{s:o, s:o, s:o, s:s}",
			 "tcp_fastopen", r->sysctl_err ? json_null() : json_integer(s->tcp_fastopen),
			 "tcp_fastopen_bits", bits,
			 "tcp_fastopen_blackhole_timeout_sec",
			 s->have_blackhole ? json_integer(s->blackhole_timeout_sec) : json_null(),
			 "tcp_fastopen_key", probe_key_state_name(s->key));
}

static json_t *j_kernel(const struct probe_kernel *k)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:i}",
			 "MSG_FASTOPEN", j_cap(&k->msg_fastopen),
			 "TCP_FASTOPEN", j_cap(&k->tcp_fastopen),
			 "TCP_FASTOPEN_CONNECT", j_cap(&k->tcp_fastopen_connect),
			 "TCP_FASTOPEN_KEY", j_cap(&k->tcp_fastopen_key),
			 "TCP_FASTOPEN_NO_COOKIE", j_cap(&k->tcp_fastopen_no_cookie),
			 "tcpi_fastopen_client_fail", j_cap(&k->tcpi_fastopen_client_fail),
			 "ipv6", j_cap(&k->ipv6),
			 "tcp_info_len", k->tcp_info_len);
}

static json_t *j_destinations(const struct probe_tcpm *m)
{
	json_t *ents = json_array();

	for (size_t i = 0; ents && i < m->kept; i++) {
		const struct tcpm_entry *e = &m->ent[i];
		char a[INET6_ADDRSTRLEN], c[2 * TCPM_COOKIE_MAX + 1];

		tcpm_addr_str(e->family, &e->daddr, a, sizeof(a));
		tcpm_cookie_str(e, c, sizeof(c));
		append(&ents, json_pack(
			"{s:s, s:I, s:s?, s:I, s:I, s:I}", "daddr", a,
			"cookie_len", (json_int_t)e->cookie_len,
			"cookie", e->cookie_len ? c : NULL,
			"fopen_mss", (json_int_t)e->fopen_mss,
			"fopen_syn_drops", (json_int_t)e->fopen_syn_drops,
			"age_ms", (json_int_t)e->age_ms));
	}
	return ents;
}

static json_t *j_tcpm(const struct probe_tcpm *m, bool verbose)
{
	json_t *o = json_pack("{s:o, s:o, s:I, s:I}", "genetlink", j_cap(&m->cap),
			      "family_id", m->id ? json_integer(m->id) : json_null(),
			      "entries", (json_int_t)m->total,
			      "cookies", (json_int_t)m->cookies);

	if (verbose)
		set(&o, "destinations", j_destinations(m));
	return o;
}

static json_t *j_isolation(const struct probe_report *r)
{
	const struct probe_isolation *iso = &r->priv.iso;

	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:s?}",
			 "netns", j_cap(&iso->netns),
			 "userns", j_cap(&iso->userns),
			 "unprivileged_userns", j_cap(&iso->unpriv_userns),
			 "veth", j_cap(&iso->veth),
			 "nftables", j_cap(&iso->nftables),
			 "af_packet", j_cap(&iso->af_packet),
			 "private_namespaces_via", r->priv_via);
}

static json_t *j_live_family(const struct probe_live_family *f)
{
	json_t *conns = json_array();

	for (int c = 0; conns && c < 2; c++) {
		const struct probe_live_conn *k = &f->conn[c];

		append(&conns, json_pack(
			"{s:s?, s:I, s:I, s:b, s:b, s:s, s:f}",
			"errno", k->err ? util_errno_name(k->err) : NULL,
			"sent", (json_int_t)k->sent, "received", (json_int_t)k->received,
			"client_syn_data", k->client_syn_data,
			"server_syn_data", k->server_syn_data,
			"fastopen_client_fail", probe_live_fo_fail_name(k->fo_fail),
			"ms", k->ms));
	}
	return json_pack("{s:s, s:s, s:b, s:I, s:o, s:o}",
			 "result", probe_live_result_name(f->result),
			 "reason", f->reason, "cookie_cached", f->cookie_cached,
			 "cookie_len", (json_int_t)f->cookie_len,
			 "connections", conns, "counters_delta", j_counters(&f->delta));
}

static json_t *j_live(const struct probe_report *r)
{
	const struct probe_live *l = &r->priv.live;
	json_t *o;

	o = json_pack("{s:b, s:I, s:I, s:s?}", "ran", l->ran,
		      "client_tcp_fastopen", (json_int_t)r->sys.tcp_fastopen,
		      "server_tcp_fastopen",
		      (json_int_t)probe_live_server_tfo(r->sys.tcp_fastopen),
		      "skipped", r->live_skip[0] && !l->ran ? r->live_skip : NULL);
	for (int i = 0; o && i < LIVE_FAMILIES; i++)
		set(&o, probe_live_family_name(i),
		    l->ran ? j_live_family(&l->fam[i]) :
		    json_pack("{s:s, s:s}", "result", "skipped", "reason", r->live_skip));
	return o;
}

static json_t *j_report(const struct probe_report *r, bool verbose)
{
	return json_pack("{s:i, s:{s:s, s:s}, s:I, s:o, s:o, s:o, s:o, s:{s:s, s:s},"
			 " s:o, s:o, s:b, s:s?, s:s?, s:i}",
			 "schema", PROBE_JSON_SCHEMA,
			 "kernel", "release", r->uts.release, "machine", r->uts.machine,
			 "netns_inode", (json_int_t)r->netns_ino,
			 "sysctl", j_sysctl(r),
			 "kernel_support", j_kernel(&r->kern),
			 "tcp_metrics", j_tcpm(&r->tcpm, verbose),
			 "counters", r->counters_err ? json_null() : j_counters(&r->counters),
			 "blackhole", "active_tfo_disabled", probe_bh_name(r->bh.state),
			 "reason", r->bh.why,
			 "isolation", j_isolation(r),
			 "live", j_live(r),
			 "usable", r->usable,
			 "reason", r->usable ? NULL : r->why,
			 "note", r->note[0] ? r->note : NULL,
			 "exit_code", probe_verdict_exit_code(r));
}

int probe_render_json(FILE *f, const struct probe_report *r,
		      const struct probe_render_opts *o)
{
	json_t *root = j_report(r, o->verbose);
	int ret = 0;

	if (!root)
		return -ENOMEM;
	if (json_dumpf(root, f, JSON_SORT_KEYS | JSON_INDENT(2)) < 0 || fputc('\n', f) == EOF)
		ret = -EIO;
	json_decref(root);
	return ret;
}
