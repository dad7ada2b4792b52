/* SPDX-License-Identifier: MIT */
/*
 * The writer of the results document (docs/results-json.md): `tfocheck
 * run` hands over plain records — what ran where, with which outcome —
 * and this file alone knows the schema's keys and types.  The platform
 * section (uname, os-release) is gathered here because it describes the
 * machine the document was written on.
 */
#include "reports/report_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "util/util.h"

static void os_release(char *buf, size_t size)
{
	char text[4096];
	char *p;

	snprintf(buf, size, "unknown");
	if (util_file_read("/etc/os-release", text, sizeof(text)))
		return;
	p = strstr(text, "PRETTY_NAME=");
	if (!p)
		return;
	p += 12;
	if (*p == '"')
		p++;
	p[strcspn(p, "\"\n")] = 0;
	snprintf(buf, size, "%s", p);
}

json_t *report_results_new(const struct report_run_info *ri)
{
	struct utsname u;
	char distro[128];
	json_t *root = json_object();

	if (!root)
		return NULL;
	uname(&u);
	os_release(distro, sizeof(distro));
	json_object_set_new(root, "schema", json_string(REPORT_SCHEMA));
	json_object_set_new(root, "platform_id", json_string(ri->platform_id));
	json_object_set_new(root, "tool", json_pack("{s:s,s:s}", "name",
						    "tfocheck", "version",
						    TFOCHECK_VERSION));
	if (ri->ref_path)
		json_object_set_new(root, "reference",
				    json_pack("{s:s}", "path", ri->ref_path));
	json_object_set_new(root, "platform",
			    json_pack("{s:s,s:s,s:s,s:s,s:s}", "os", u.sysname,
				      "kernel", u.release, "version", u.version,
				      "arch", u.machine, "distro", distro));
	if (ri->lib_path)
		json_object_set_new(root, "library",
				    json_pack("{s:s,s:s,s:s}", "path",
					      ri->lib_path, "alias",
					      ri->lib_alias ? ri->lib_alias : "",
					      "version",
					      ri->lib_version ? ri->lib_version : ""));
	else
		json_object_set_new(root, "library", json_null());
	json_object_set_new(root, "wall_ms", json_real(ri->wall_ms));
	/* only when true: a complete run's document is unchanged */
	if (ri->interrupted)
		json_object_set_new(root, "interrupted", json_true());
	json_object_set_new(root, "timers",
			    ri->timers_compressed ?
			    json_pack("{s:b,s:i}", "compressed", 1,
				      "initial_rto_ms", ri->initial_rto_ms) :
			    json_pack("{s:b,s:i,s:s}", "compressed", 0,
				      "initial_rto_ms", ri->initial_rto_ms,
				      "why", ri->timers_why ? ri->timers_why : ""));
	json_object_set_new(root, "profiles", json_object());
	json_object_set_new(root, "results", json_array());
	return root;
}

int report_results_add_profile(json_t *doc, const struct report_profile *p)
{
	json_t *prof = json_object_get(doc, "profiles");

	if (json_object_get(prof, p->name))
		return 0;
	return json_object_set_new(
		       prof, p->name,
		       json_pack("{s:s,s:I,s:I,s:b,s:I}", "summary", p->summary,
				 "client_tcp_fastopen", (json_int_t)p->client_tfo,
				 "server_tcp_fastopen", (json_int_t)p->server_tfo,
				 "server_listener_sockopt", p->server_sockopt,
				 "client_blackhole_timeout_sec",
				 (json_int_t)p->blackhole_sec)) ? -ENOMEM : 0;
}

int report_results_add(json_t *doc, const struct report_result *r)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:s?,s:s?}",
			      "id", r->id, "name", r->name, "api", r->api,
			      "profile", r->profile, "family", r->family,
			      "status", outcome_name(r->status), "message",
			      r->message, "clause", r->clause, "duration_ms",
			      r->duration_ms, "evidence", r->evidence,
			      "reproducer", r->reproducer);

	if (!o)
		return -ENOMEM;
	if (r->deviation)
		json_object_set_new(o, "deviation", json_string(r->deviation));
	if (r->interrupted)
		json_object_set_new(o, "interrupted", json_true());
	return json_array_append_new(json_object_get(doc, "results"), o) ?
		       -ENOMEM : 0;
}

int report_results_set_fuzz(json_t *doc, const struct report_fuzz *f)
{
	json_t *o = json_pack("{s:s,s:I,s:i,s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:[]}",
			      "api", f->api, "seed", (json_int_t)f->seed,
			      "jobs", f->jobs, "scenarios", (json_int_t)f->scenarios,
			      "runs", (json_int_t)f->runs,
			      "divergent", (json_int_t)f->divergent,
			      "unstable", (json_int_t)f->unstable,
			      "errors", (json_int_t)f->errors,
			      "unshrunk", (json_int_t)f->unshrunk,
			      "wall_ms", f->wall_ms,
			      "per_second", f->wall_ms > 0 ? f->scenarios * 1000.0 / f->wall_ms : 0.0,
			      "divergences");

	if (!o)
		return -ENOMEM;
	return json_object_set_new(doc, "fuzz", o) ? -ENOMEM : 0;
}

int report_results_add_divergence(json_t *doc, const struct report_divergence *d)
{
	json_t *list = json_object_get(json_object_get(doc, "fuzz"), "divergences");
	json_t *diffs = json_array(), *o;

	if (!list || !diffs)
		goto oom;
	for (size_t i = 0; i < d->ndiffs; i++)
		if (json_array_append_new(diffs, json_pack("{s:s,s:s,s:s}", "field",
							   d->diffs[i].field, "expected",
							   d->diffs[i].expected, "observed",
							   d->diffs[i].observed)))
			goto oom;
	o = json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s?,s:s,s:s,s:s,s:o,s:I,s:I,s:i,s:s,s:s?,s:s?}",
		      "id", d->id, "found_as", d->found_as, "scenario", d->scenario,
		      "call", d->call, "clause_id", d->clause_id, "clause", d->clause,
		      "field", d->field, "expected", d->expected, "observed", d->observed,
		      "differences", diffs, "count", (json_int_t)d->count,
		      "shrink_tests", (json_int_t)d->shrink_tests, "calls", d->calls,
		      "replay", d->replay, "reproducer", d->reproducer,
		      "evidence", d->evidence);
	diffs = NULL;
	if (!o)
		return -ENOMEM;
	return json_array_append_new(list, o) ? -ENOMEM : 0;
oom:
	json_decref(diffs);
	return -ENOMEM;
}

int report_write_json(const json_t *doc, const char *path, char *err,
		      size_t errlen)
{
	struct report_out o;
	int ret = report_out_open(&o, path, err, errlen);

	if (ret)
		return ret;
	if (json_dumpf(doc, o.f, JSON_INDENT(1) | JSON_SORT_KEYS) ||
	    fputc('\n', o.f) == EOF) {
		report_err(err, errlen, "cannot write '%s': %s", path,
			   strerror(errno ? errno : EIO));
		report_out_abort(&o);
		return -EIO;
	}
	return report_out_commit(&o, err, errlen);
}
