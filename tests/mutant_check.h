/* SPDX-License-Identifier: MIT */
/*
 * Shared by the mutant tests (tests/test_mutants_*.c): run tfocheck on a
 * library with --json, and judge a run's results document against what a
 * mutant is known to break.
 *
 * An expectation names one case row and the instances the mutant breaks
 * (profiles × families, "*" for every one the row runs in): each of them
 * must have the expected status -- a FAIL labelled with the expected
 * deviation, or a CRASH, SKIP or PASS -- and every other instance of that row
 * must not fail (the mutant changes nothing there).  A "platform" FAIL
 * counts only where the reference run shows the same instance as XFAIL,
 * i.e. the reference passed everything but a known platform limit.
 *
 * Contract: 0 or -errno; nothing here exits.
 */
#ifndef TFOCHECK_TESTS_MUTANT_CHECK_H
#define TFOCHECK_TESTS_MUTANT_CHECK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct mut_expect {
	const char *id;		/* case row, e.g. "owfat.returns_bytes_sent" */
	const char *profiles;	/* "tfo,no-cookie", or "*" */
	const char *families;	/* "ipv6-linklocal", or "*" */
	const char *status;	/* "FAIL", "CRASH", "SKIP" or "PASS" */
	const char *deviation;	/* FAIL: "library" or "platform"; else NULL */
};

/*
 * Judge the "results" array of one run against e.  ref_results: the
 * reference run's, needed only for a "platform" expectation.  Returns
 * true when e holds; otherwise false and why says expected vs observed.
 */
bool mut_expect_check(const json_t *results, const struct mut_expect *e,
		      const json_t *ref_results, char *why, size_t size);

/* One tfocheck run to make. */
struct mut_job {
	const char *lib;	/* --lib */
	const char *api;	/* --api */
	const char *filters[10]; /* --filter each; NULL-terminated, none: all */
	bool real_timers;	/* --real-timers */
	char json[256];		/* --json: set by mut_jobs_run() */
	int rc;			/* exit status; -errno when it did not run */
};

/*
 * Run every job, parallel at a time, each writing its results to
 * DIR/<index>.json (DIR made under /tmp; *dir gets its path, for
 * mut_dir_remove()).  Returns 0, or -errno when nothing could start.
 */
int mut_jobs_run(struct mut_job *jobs, size_t n, unsigned parallel,
		 char *dir, size_t dirsize, int timeout_ms);
void mut_dir_remove(const char *dir);

/* How many results are FAIL, ERROR, CRASH, TIMEOUT or XPASS; buf gets
 * "NAME STATUS: MESSAGE; ..." of the first of them (as far as it goes). */
size_t mut_bad_list(const json_t *results, char *buf, size_t size);

/* The "results" array of a results file (new reference), or NULL. */
json_t *mut_results_load(const char *path);

#endif
