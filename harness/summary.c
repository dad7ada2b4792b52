/* SPDX-License-Identifier: MIT */
/*
 * The end of a run on the terminal (see run_int.h): outcomes per API x
 * profile, every instance that did not plainly pass with its message and
 * clause, the headline `make conformance` quotes, and the totals line.
 * Colour only when stdout is a terminal (opts.color).
 */
#include <stdio.h>

#include "harness/run_int.h"
#include "harness/timers.h"

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

/* "headline: libowfat: 140 pass, 12 fail (3 clauses)" — what `make
 * conformance` quotes; clauses = distinct clauses among the bad ones. */
static void summary_headline(const struct run *r)
{
	unsigned int c[OUT_MAX] = { 0 }, clauses = 0;
	const char *who = "kernel";

	for (size_t i = 0; i < r->ninsts; i++) {
		enum outcome o = (enum outcome)r->insts[i].res.outcome;
		bool seen = false;

		c[o]++;
		if (!outcome_is_bad(o))
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = outcome_is_bad((enum outcome)r->insts[k].res.outcome) &&
			       r->insts[k].def->clause == r->insts[i].def->clause;
		clauses += !seen;
	}
	if (r->lib_loaded)
		who = r->lib.alias[0] ? r->lib.alias : r->lib.path;
	printf("\nheadline: %s: %u pass, %u fail", who, c[OUT_PASS], c[OUT_FAIL]);
	for (int o = OUT_XFAIL; o < OUT_MAX; o++)
		if (c[o] && o != OUT_FAIL)
			printf(", %u %s", c[o], outcome_name((enum outcome)o));
	printf(" (%u clause%s)", clauses, clauses == 1 ? "" : "s");
	if (timers_info()->compressed)
		printf("; timers compressed (initial RTO %d ms)\n",
		       timers_info()->rto_ms);
	else
		printf("; real timers: %s\n", timers_info()->why);
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

		if (o == OUT_PASS ||
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
	}
}

void summary_print(const struct run *r, const unsigned int totals[OUT_MAX],
		   double wall_ms)
{
	summary_table(r);
	summary_instances(r);
	summary_headline(r);
	printf("\nOutcomes:");
	for (int o = 0; o < OUT_MAX; o++)
		printf(" %s %u%s", outcome_name((enum outcome)o), totals[o],
		       o + 1 < OUT_MAX ? "," : "");
	printf("  (%zu instances", r->ninsts);
	if (r->opts.repeat > 1)
		printf(" × %u runs", r->opts.repeat);
	printf(", %.2f s, -j %d)\n", wall_ms / 1000, r->opts.jobs);
}
