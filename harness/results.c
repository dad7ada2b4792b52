/* SPDX-License-Identifier: MIT */
/*
 * The instances of a run as a results document (see run_int.h): the
 * platform id that names a run's report directory, --out's directory
 * layout, and the hand-over of every instance to the writers in
 * reports/, which own the schema.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "harness/run.h"
#include "harness/run_int.h"
#include "harness/timers.h"
#include "reports/report.h"
#include "util/util.h"

void results_platform_id(const struct run *r, char *buf, size_t size)
{
	run_platform_id(r->lib_loaded ? r->lib.alias : NULL,
			r->lib_loaded ? r->lib.path : NULL, buf, size);
}

void run_platform_id(const char *lib_alias, const char *lib_path, char *buf,
		     size_t size)
{
	struct utsname u;
	const char *lib = "nolib";
	size_t off = 0;

	uname(&u);
	if (lib_alias && *lib_alias)
		lib = lib_alias;
	else if (lib_path)
		lib = strrchr(lib_path, '/') ? strrchr(lib_path, '/') + 1 : lib_path;
	util_appendf(buf, size, &off, "%s-%s-%s-%s", u.sysname, u.release,
		     u.machine, lib);
	/* a file-name-safe id: lower case, [a-z0-9._-] */
	for (char *p = buf; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			   *p == '.' || *p == '-' || *p == '_'))
			*p = '_';
	}
}

/* --out DIR: DIR/<platform-id>/{results.json,junit.xml,results.tap,
 * cunit-*.xml,evidence/}. */
int results_out_prepare(struct run *r, char *err, size_t errlen)
{
	static char json[1100], junit[1100], tap[1100], cunit[1100], ev[1100];
	struct run_opts *o = &r->opts;
	char id[512];

	results_platform_id(r, id, sizeof(id));
	snprintf(r->outdir, sizeof(r->outdir), "%s/%s", o->out, id);
	if ((mkdir(o->out, 0755) && errno != EEXIST) ||
	    (mkdir(r->outdir, 0755) && errno != EEXIST)) {
		snprintf(err, errlen, "cannot create --out directory '%.400s': %s",
			 r->outdir, strerror(errno));
		return -errno;
	}
	snprintf(json, sizeof(json), "%s/results.json", r->outdir);
	snprintf(junit, sizeof(junit), "%s/junit.xml", r->outdir);
	snprintf(tap, sizeof(tap), "%s/results.tap", r->outdir);
	snprintf(cunit, sizeof(cunit), "%s/cunit", r->outdir);
	snprintf(ev, sizeof(ev), "%s/evidence", r->outdir);
	if (!o->json)
		o->json = json;
	if (!o->junit)
		o->junit = junit;
	if (!o->tap)
		o->tap = tap;
	if (!o->cunit_xml)
		o->cunit_xml = cunit;
	if (!o->pcap_dir)
		o->pcap_dir = ev;
	return 0;
}

int results_out_check(const struct run_opts *o, char *err, size_t errlen)
{
	const char *files[] = { o->json, o->junit, o->tap };
	char cunit[1100];
	int ret;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (files[i] && (ret = report_out_check(files[i], err, errlen)))
			return ret;
	/* CUnit writes PREFIX-Listing.xml and PREFIX-Results.xml itself */
	if (o->cunit_xml) {
		snprintf(cunit, sizeof(cunit), "%s-Results.xml", o->cunit_xml);
		ret = report_out_check(cunit, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

json_t *results_doc_build(const struct run *r, double wall_ms)
{
	char id[512];
	struct report_run_info ri = {
		.platform_id = id, .wall_ms = wall_ms,
		.interrupted = sched_interrupted(),
		.timers_compressed = timers_info()->compressed,
		.initial_rto_ms = timers_info()->rto_ms,
		.timers_why = timers_info()->why,
	};
	json_t *doc;

	results_platform_id(r, id, sizeof(id));
	if (r->lib_loaded) {
		ri.lib_path = r->lib.path;
		ri.lib_alias = r->lib.alias;
		ri.lib_version = r->lib.version;
	}
	if (r->ref_loaded)
		ri.ref_path = r->ref.path;
	doc = report_results_new(&ri);
	for (size_t i = 0; doc && i < r->ninsts; i++) {
		const struct inst *in = &r->insts[i];
		const struct profile *p = in->profile;
		struct report_profile rp = {
			.name = p->name, .summary = p->summary,
			.client_tfo = p->client_tfo, .server_tfo = p->server_tfo,
			.server_sockopt = p->server_sockopt,
			.blackhole_sec = p->blackhole_sec,
		};
		struct report_result rr = {
			.id = in->def->id, .name = in->name,
			.api = case_api_name(in->def->api),
			.profile = p->name,
			.family = in->per_family ? topo_family_name(in->family) :
						   "any",
			.status = (enum outcome)in->res.outcome,
			.message = in->res.msg, .clause = in->def->clause,
			.duration_ms = in->res.duration_ms,
			.evidence = in->res.evidence[0] ? in->res.evidence : NULL,
			.reproducer = in->reproducer[0] ? in->reproducer : NULL,
			.deviation = in->deviation,
			.interrupted = in->interrupted,
		};

		if (report_results_add_profile(doc, &rp) ||
		    report_results_add(doc, &rr)) {
			json_decref(doc);
			doc = NULL;
		}
	}
	return doc;
}

int results_write_all(const struct run *r, double wall_ms)
{
	const struct run_opts *o = &r->opts;
	char err[1200];
	json_t *doc;
	int ret = 0;

	if (!o->json && !o->junit && !o->tap)
		return 0;
	doc = results_doc_build(r, wall_ms);
	if (!doc) {
		fprintf(stderr, "tfocheck run: out of memory building the results\n");
		return -ENOMEM;
	}
	if (o->json)
		ret = report_write_json(doc, o->json, err, sizeof(err));
	if (o->junit && !ret)
		ret = report_write_junit(doc, o->junit, err, sizeof(err));
	if (o->tap && !ret)
		ret = report_write_tap(doc, o->tap, err, sizeof(err));
	if (ret)
		fprintf(stderr, "tfocheck run: %s\n", err);
	json_decref(doc);
	return ret;
}
