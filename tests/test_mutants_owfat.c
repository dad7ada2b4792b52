/* SPDX-License-Identifier: MIT */
/*
 * The owfat conformance cases catch bugs: every mutant library in
 * tests/mutants/owfat_*.c breaks exactly one clause of
 * socket_fastopen_connect4/6(3), and `tfocheck run --api owfat` on it must
 * exit 1 with the case designed for that clause among the FAILs — while
 * the reference libtfo passes the whole family (exit 0).
 *
 * Each run is the full family (a mutant may be caught by more than the
 * designed case; that is fine, missing the designed one is not).  A mutant
 * may name several designed cases (space-separated): each must FAIL.  A
 * mutant that is no bug (an optional symbol left out) instead names the
 * rows that must report SKIP, and the run must exit 0 with no FAIL.  The
 * runs take a few seconds each, mostly waiting on timeouts, so the suite's
 * init starts them all at once, a few at a time, and the tests only read
 * the verdicts.  Needs root (network namespaces); skips otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/testlib.h"

#define MUT_PARALLEL 2
#define MUT_TIMEOUT_MS 60000

struct mut_run {
	const char *name;	/* tests/mutants/<name>.c; NULL: libtfo */
	const char *caught_by;	/* case ids (space-separated) that must FAIL */
	int rc;			/* tfocheck's exit status, -1 not run */
	bool named;		/* every id appears on a FAIL (SKIP) line */
	char first_fail[200];	/* for messages */
	const char *want;	/* "SKIP": caught_by must SKIP; NULL: FAIL */
};

static struct mut_run runs[] = {
	{ NULL, NULL, -1, false, "", NULL },
	{ "owfat_never_tfo", "owfat.no_ack_before_data", -1, false, "", NULL },
	{ "owfat_ret_zero", "owfat.returns_bytes_sent", -1, false, "", NULL },
	{ "owfat_twice_fallback", "owfat.no_tfo_connect_write", -1, false, "", NULL },
	{ "owfat_ignore_scope", "owfat.returns_bytes_sent", -1, false, "", NULL },
	{ "owfat_blocks_nonblock", "owfat.nonblock_returns_at_once", -1, false, "", NULL },
	{ "owfat_no_fallback", "owfat.no_tfo_connect_write", -1, false, "", NULL },
	{ "owfat_connected_lies", "owfat.nonblock_refused", -1, false, "", NULL },
	{ "owfat_loses_tail", "owfat.large_3000", -1, false, "", NULL },
	{ "owfat_new_fd", "owfat.same_socket", -1, false, "", NULL },
	{ "owfat_wrong_errno", "owfat.err_refused", -1, false, "", NULL },
	{ "owfat_fixed_port", "owfat.unbound_ephemeral_port", -1, false, "", NULL },
	{ "owfat_leaves_nonblock", "owfat.same_socket", -1, false, "", NULL },
	{ "owfat_inprogress_after_data", "owfat.nonblock_data_in_syn", -1, false, "", NULL },
	{ "owfat_len0_noconnect", "owfat.len_zero_connects", -1, false, "", NULL },
	{ "owfat_swap_fd_on_error",
	  "owfat.err_eisconn owfat.err_ealready owfat.err_linklocal_no_scope",
	  -1, false, "", NULL },
	{ "owfat_eisconn_shutdown", "owfat.err_eisconn", -1, false, "", NULL },
	{ "owfat_ealready_aborts", "owfat.err_ealready", -1, false, "", NULL },
	{ "owfat_nb_fail_blocking", "owfat.nonblock_refused", -1, false, "",
	  NULL },
	{ "owfat_no_connected",
	  "owfat.nonblock_refused owfat.nonblock_hostunreach", -1, false, "",
	  "SKIP" },
};
#define NRUNS (sizeof(runs) / sizeof(runs[0]))

/* Does a line starting with outcome ("FAIL", "SKIP") name case id (as
 * "id@profile...")?  The first FAIL line is kept in first either way. */
static bool line_names(const char *out, const char *outcome, const char *id,
		       char *first, size_t size)
{
	size_t ol = strlen(outcome);
	bool found = false;
	char pat[128];

	snprintf(pat, sizeof(pat), " %s@", id);
	while (out && *out) {
		const char *e = strchr(out, '\n');
		int n = e ? (int)(e - out) : (int)strlen(out);
		char line[1024];

		snprintf(line, sizeof(line), "%.*s", n, out);
		out = e ? e + 1 : NULL;
		if (!first[0] && !strncmp(line, "FAIL", 4))
			snprintf(first, size, "%.199s", line);
		if (!strncmp(line, outcome, ol) && strstr(line, pat))
			found = true;
	}
	return found;
}

/* Every space-separated id of ids on a line of the outcome? */
static bool all_named(const char *out, const char *outcome, const char *ids,
		      char *first, size_t size)
{
	bool all = true;

	while (*ids) {
		size_t n = strcspn(ids, " ");
		char id[96];

		snprintf(id, sizeof(id), "%.*s", (int)n, ids);
		if (n && !line_names(out, outcome, id, first, size))
			all = false;
		ids += n;
		ids += strspn(ids, " ");
	}
	return all;
}

/* The child's verdict travels back as its exit status. */
enum { V_PASS_CLEAN, V_CAUGHT, V_WRONG_RC, V_NOT_NAMED, V_NO_RUN };

static void run_one(struct mut_run *r, int wfd)
{
	char lib[256], *out = NULL, *err = NULL;
	/* SKIP lines are printed only with -v (FAIL lines always) */
	char *argv[] = { TEST_TFOCHECK, "run", "--lib", lib, "--api", "owfat",
			 "-j", "8", r->want ? "-v" : NULL, NULL };
	int rc;

	if (r->name)
		snprintf(lib, sizeof(lib), "%s/%s.so", TEST_MUTANT_DIR, r->name);
	else
		snprintf(lib, sizeof(lib), "%s", TEST_LIBTFO);
	rc = test_run_capture(argv, &out, &err, MUT_TIMEOUT_MS);
	r->rc = rc;
	r->named = out && r->caught_by &&
		   all_named(out, r->want ? r->want : "FAIL", r->caught_by,
			     r->first_fail, sizeof(r->first_fail));
	if (out && !r->caught_by)
		line_names(out, "FAIL", "", r->first_fail,
			   sizeof(r->first_fail));
	(void)!write(wfd, r, sizeof(*r));
	free(out);
	free(err);
}

static int suite_init(void)
{
	pid_t pids[NRUNS];
	int fds[NRUNS];
	size_t next = 0, done = 0, running = 0;

	if (!test_is_root())
		return 0;
	for (size_t i = 0; i < NRUNS; i++)
		pids[i] = -1;
	while (done < NRUNS) {
		while (running < MUT_PARALLEL && next < NRUNS) {
			int p[2];

			if (pipe(p))
				return 0;
			fflush(NULL);
			pids[next] = fork();
			if (pids[next] == 0) {
				close(p[0]);
				run_one(&runs[next], p[1]);
				_exit(0);
			}
			close(p[1]);
			fds[next] = p[0];
			next++;
			running++;
		}
		{
			pid_t w = wait(NULL);

			for (size_t i = 0; i < next; i++) {
				if (pids[i] != w)
					continue;
				if (read(fds[i], &runs[i], sizeof(runs[i])) !=
				    (ssize_t)sizeof(runs[i]))
					runs[i].rc = -1;
				close(fds[i]);
				pids[i] = -1;
				running--;
				done++;
			}
			if (w < 0)
				break;
		}
	}
	return 0;
}

static void check(size_t i)
{
	const struct mut_run *r = &runs[i];
	char msg[512];

	if (!test_is_root()) {
		test_skip("needs root for network namespaces");
		return;
	}
	if (!r->name) {
		snprintf(msg, sizeof(msg), "libtfo: exit %d, expected 0; %s",
			 r->rc, r->first_fail);
		CU_assertImplementation(r->rc == 0, __LINE__, msg, __FILE__, "",
					CU_FALSE);
		return;
	}
	if (r->want) {
		snprintf(msg, sizeof(msg), "%s: exit %d, expected 0 with a %s of each of %s; first FAIL: %s",
			 r->name, r->rc, r->want, r->caught_by,
			 r->first_fail[0] ? r->first_fail : "(none)");
		CU_assertImplementation(r->rc == 0 && r->named, __LINE__, msg,
					__FILE__, "", CU_FALSE);
		return;
	}
	snprintf(msg, sizeof(msg), "%s: exit %d, expected 1 with a FAIL of each of %s; first FAIL: %s",
		 r->name, r->rc, r->caught_by,
		 r->first_fail[0] ? r->first_fail : "(none)");
	CU_assertImplementation(r->rc == 1 && r->named, __LINE__, msg, __FILE__,
				"", CU_FALSE);
}

#define MUT_TEST(idx, fn)                                                    \
	static void fn(void)                                                 \
	{                                                                    \
		check(idx);                                                  \
	}
MUT_TEST(0, test_libtfo_passes)
MUT_TEST(1, test_never_tfo)
MUT_TEST(2, test_ret_zero)
MUT_TEST(3, test_twice_fallback)
MUT_TEST(4, test_ignore_scope)
MUT_TEST(5, test_blocks_nonblock)
MUT_TEST(6, test_no_fallback)
MUT_TEST(7, test_connected_lies)
MUT_TEST(8, test_loses_tail)
MUT_TEST(9, test_new_fd)
MUT_TEST(10, test_wrong_errno)
MUT_TEST(11, test_fixed_port)
MUT_TEST(12, test_leaves_nonblock)
MUT_TEST(13, test_inprogress_after_data)
MUT_TEST(14, test_len0_noconnect)
MUT_TEST(15, test_swap_fd_on_error)
MUT_TEST(16, test_eisconn_shutdown)
MUT_TEST(17, test_ealready_aborts)
MUT_TEST(18, test_nb_fail_blocking)
MUT_TEST(19, test_no_connected)

TEST_SUITE(mutants_owfat, suite_init, NULL,
	   { "libtfo passes the owfat family", test_libtfo_passes },
	   { "owfat_never_tfo caught", test_never_tfo },
	   { "owfat_ret_zero caught", test_ret_zero },
	   { "owfat_twice_fallback caught", test_twice_fallback },
	   { "owfat_ignore_scope caught", test_ignore_scope },
	   { "owfat_blocks_nonblock caught", test_blocks_nonblock },
	   { "owfat_no_fallback caught", test_no_fallback },
	   { "owfat_connected_lies caught", test_connected_lies },
	   { "owfat_loses_tail caught", test_loses_tail },
	   { "owfat_new_fd caught", test_new_fd },
	   { "owfat_wrong_errno caught", test_wrong_errno },
	   { "owfat_fixed_port caught", test_fixed_port },
	   { "owfat_leaves_nonblock caught", test_leaves_nonblock },
	   { "owfat_inprogress_after_data caught", test_inprogress_after_data },
	   { "owfat_len0_noconnect caught", test_len0_noconnect },
	   { "owfat_swap_fd_on_error caught", test_swap_fd_on_error },
	   { "owfat_eisconn_shutdown caught", test_eisconn_shutdown },
	   { "owfat_ealready_aborts caught", test_ealready_aborts },
	   { "owfat_nb_fail_blocking caught", test_nb_fail_blocking },
	   { "owfat_no_connected reports SKIP", test_no_connected })
