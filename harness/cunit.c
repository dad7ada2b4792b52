/* SPDX-License-Identifier: MIT */
/*
 * CUnit is the registry and the runner of `tfocheck run` (see
 * run_int.h): one CUnit suite per API x profile, one CUnit test per
 * instance.  Each test waits for its instance's verdict from the
 * scheduler, which keeps the next ones running ahead, so CUnit reports in
 * order while the work is parallel.  CUnit 2.1 knows only pass and fail:
 * SKIP/XFAIL/XPASS pass in CUnit's count and are told apart in the
 * summary; FAIL/ERROR/CRASH/TIMEOUT fail in both.
 *
 * CUnit's test functions take no argument, so the run being executed is
 * the one file-scope pointer here, set for the duration of cunit_run().
 */
#include <CUnit/Automated.h>
#include <CUnit/Basic.h>
#include <errno.h>
#include <stdio.h>

#include "harness/run_int.h"

static struct {
	struct run *run;
	struct sched *sched;
	size_t cursor;
} cu;

static struct inst *inst_of(CU_pTest t)
{
	struct run *r = cu.run;

	for (size_t n = 0; n < r->ninsts; n++) {
		size_t i = (cu.cursor + n) % r->ninsts;

		if (r->insts[i].cu == t) {
			cu.cursor = i;
			return &r->insts[i];
		}
	}
	return NULL;
}

static void cu_trampoline(void)
{
	struct inst *in = inst_of(CU_get_current_test());
	const struct run_opts *o = &cu.run->opts;
	char m[1400];

	if (!in)
		return;
	sched_until(cu.sched, in);
	/* once interrupted, summary.c says so in one line; CUnit would print
	 * every unfinished instance, and a run summary counting them */
	if (sched_interrupted())
		CU_basic_set_mode(CU_BRM_SILENT);
	if (outcome_is_bad((enum outcome)in->res.outcome)) {
		snprintf(m, sizeof(m), "%s %s: %s",
			 outcome_name((enum outcome)in->res.outcome), in->name,
			 in->res.msg);
		CU_assertImplementation(CU_FALSE, 0, m, in->def->id, "", CU_FALSE);
	} else {
		CU_PASS(in->name);
	}
	if (o->verbose && !o->progress)
		printf("%-7s %s (%.1f ms)%s%s\n",
		       outcome_name((enum outcome)in->res.outcome), in->name,
		       in->res.duration_ms, in->res.msg[0] ? ": " : "",
		       in->res.msg);
}

static int cunit_register(struct run *r)
{
	for (int a = 0; a < API_MAX; a++) {
		for (size_t p = 0; p < profile_count; p++) {
			CU_pSuite s = NULL;
			char sname[96];

			for (size_t i = 0; i < r->ninsts; i++) {
				struct inst *in = &r->insts[i];

				if (in->def->api != (enum case_api)a ||
				    in->profile != &profile_table[p])
					continue;
				if (!s) {
					snprintf(sname, sizeof(sname), "%s@%s",
						 case_api_name(in->def->api),
						 in->profile->name);
					s = CU_add_suite(sname, NULL, NULL);
					if (!s)
						return -ENOMEM;
				}
				in->cu = CU_add_test(s, in->name, cu_trampoline);
				if (!in->cu)
					return -ENOMEM;
			}
		}
	}
	return 0;
}

int cunit_run(struct run *r, struct sched *s)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return -ENOMEM;
	cu.run = r;
	cu.sched = s;
	cu.cursor = 0;
	if (cunit_register(r)) {
		CU_cleanup_registry();
		return -ENOMEM;
	}
	if (r->opts.cunit_xml) {
		/* CUnit's automated runner writes PREFIX-Listing.xml and
		 * PREFIX-Results.xml; its summary is printed as basic mode
		 * would */
		CU_set_output_filename(r->opts.cunit_xml);
		CU_list_tests_to_file();
		CU_automated_run_tests();
		CU_print_run_results(stdout);
	} else {
		CU_basic_set_mode(CU_BRM_NORMAL);
		CU_basic_run_tests();
	}
	CU_cleanup_registry();
	cu.run = NULL;
	cu.sched = NULL;
	return 0;
}
