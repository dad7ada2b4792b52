/* SPDX-License-Identifier: MIT */
/*
 * The end of a run on the terminal (see run_int.h): outcomes per API x
 * profile, every instance that did not plainly pass with its message and
 * clause, then what reports/ reads off the results document — the
 * library's headline and its failing clauses grouped by deviation
 * (docs/reports.md) — and the totals line.  An interruption is one line,
 * not one per instance it left unfinished.  Colour only when stdout is a
 * terminal (opts.color).
 */
#include <jansson.h>
#include <stdio.h>

#include "harness/run_int.h"
#include "harness/timers.h"
#include "reports/report.h"

static const char *outcome_color(const struct run_opts *o, enum outcome oc)
{
	if (!o->color)
		return "";
	switch (oc) {
	case OUT_PASS:
		return "\033[32m";
	case OUT_XFAIL:
	case OUT_SKIP:
		return "\033[33m";
	case OUT_XPASS:
		return "\033[35m";
	default:
		return "\033[31m";
	}
}

static void summary_table(const struct run *r)
{
	const char *rst = r->opts.color ? "\033[0m" : "";

	printf("\nResults by API × profile:\n");
	for (int a = 0; a < API_MAX; a++) {
		for (size_t p = 0; p < profile_count; p++) {
			unsigned int c[OUT_MAX] = { 0 }, any = 0;
			char name[96];

			for (size_t i = 0; i < r->ninsts; i++)
				if (r->insts[i].def->api == (enum case_api)a &&
				    r->insts[i].profile == &profile_table[p]) {
					c[r->insts[i].res.outcome]++;
					any++;
				}
			if (!any)
				continue;
			snprintf(name, sizeof(name), "%s@%s",
				 case_api_name((enum case_api)a),
				 profile_table[p].name);
			printf("  %-32s", name);
			for (int o = 0; o < OUT_MAX; o++)
				if (c[o])
					printf(" %s%s %u%s",
					       outcome_color(&r->opts, (enum outcome)o),
					       outcome_name((enum outcome)o), c[o], rst);
			printf("\n");
		}
	}
	printf("\n");
}

static void summary_instances(const struct run *r)
{
	const char *rst = r->opts.color ? "\033[0m" : "";

	for (size_t i = 0; i < r->ninsts; i++) {
		const struct inst *in = &r->insts[i];
		enum outcome o = (enum outcome)in->res.outcome;

		if (o == OUT_PASS || in->interrupted ||
		    ((o == OUT_SKIP || o == OUT_XFAIL) && !r->opts.verbose))
			continue;
		printf("%s%-7s%s %s%s%s%s: %s\n", outcome_color(&r->opts, o),
		       outcome_name(o), rst, in->name,
		       in->deviation ? " (" : "",
		       in->deviation ? in->deviation : "",
		       in->deviation ? " deviation)" : "", in->res.msg);
		if (outcome_is_bad(o) || o == OUT_XPASS)
			printf("        clause: \"%s\"\n", in->def->clause);
		if (in->res.evidence[0])
			printf("        evidence: %s\n", in->res.evidence);
		if (in->reproducer[0])
			printf("        reproducer: %s\n", in->reproducer);
	}
}

/* "interrupted: 193 of 406 instances finished; 4 cut short, 209 not started" */
static void summary_interrupted(const struct run *r)
{
	unsigned int cut = 0, unstarted = 0;

	if (!sched_interrupted())
		return;
	for (size_t i = 0; i < r->ninsts; i++) {
		if (!r->insts[i].interrupted)
			continue;
		if (r->insts[i].runs_started)
			cut++;
		else
			unstarted++;
	}
	printf("interrupted: %zu of %zu instances finished; %u cut short, %u not started "
	       "(ERROR \"interrupted\" in the results)\n",
	       r->ninsts - cut - unstarted, r->ninsts, cut, unstarted);
}

static void summary_findings(const struct run *r, double wall_ms)
{
	json_t *doc = results_doc_build(r, wall_ms);
	char err[600], line[600];

	if (!doc)
		return;
	printf("\n");
	fflush(stdout);
	if (report_write_findings(doc, stdout, err, sizeof(err)) ||
	    report_headline(doc, line, sizeof(line), err, sizeof(err)))
		fprintf(stderr, "tfocheck run: %s\n", err);
	else
		/* the line `make conformance` and CI logs grep for; the
		 * timers say whether a timing verdict ran compressed */
		if (timers_info()->compressed)
			printf("\nheadline: %s; timers compressed (initial RTO %d ms)\n",
			       line, timers_info()->rto_ms);
		else
			printf("\nheadline: %s; real timers: %s\n", line,
			       timers_info()->why);
	json_decref(doc);
}

void summary_print(const struct run *r, const unsigned int totals[OUT_MAX],
		   double wall_ms)
{
	summary_table(r);
	summary_instances(r);
	summary_findings(r, wall_ms);
	summary_interrupted(r);
	printf("\nOutcomes:");
	for (int o = 0; o < OUT_MAX; o++)
		printf(" %s %u%s", outcome_name((enum outcome)o), totals[o],
		       o + 1 < OUT_MAX ? "," : "");
	printf("  (%zu instances", r->ninsts);
	if (r->opts.repeat > 1)
		printf(" × %u runs", r->opts.repeat);
	printf(", %.2f s, -j %d)\n", wall_ms / 1000, r->opts.jobs);
}
