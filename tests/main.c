/* SPDX-License-Identifier: MIT */
/*
 * Runner of the project's own tests: registers every suite recorded by
 * TEST_SUITE() with CUnit and runs them.  Usage:
 * build/tests/unit [SUITE[:TEST]]...
 *
 * The output is CUnit's basic verbose interface (per-test lines, the
 * failures under each test, CUnit's "Run Summary"), printed by handlers of
 * our own so that the skip summary -- every skipped test with its reason --
 * is the last thing before the Run Summary, where a CI log reader looks.
 * (CU_basic_run_tests() prints the Run Summary itself, with nothing
 * allowed in between.)
 *
 * Exit status: 1 when a test or a suite's init/cleanup failed, otherwise
 * 0.  A skip alone (no root, an optional package missing) exits 0: it is
 * listed, counted and visible, but it is not a failure.  A CI job that
 * must run everything sets TFOCHECK_NO_SKIP=1: then a skip exits 1 too.
 */
#include "tests/testlib.h"

#include <CUnit/Basic.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct test_suite *suites;

/* Skips, in order, with the test that recorded them. */
struct skip_rec {
	char where[160];	/* "suite: test" */
	char reason[400];
};
static struct skip_rec *skip_recs;
static unsigned nskips, skipped_tests;
static char cur_where[160];
static unsigned cur_test_skips;	/* records of the current test */
static long long suite_t0;	/* when the current suite (its init) began */
static bool cur_test_skipped;

void test_suite_record(struct test_suite *s)
{
	struct test_suite **p = &suites;

	/* keep them sorted by name: stable order whatever the link order */
	while (*p && strcmp((*p)->name, s->name) < 0)
		p = &(*p)->next;
	s->next = *p;
	*p = s;
}

void test_skip(const char *fmt, ...)
{
	struct skip_rec *n = realloc(skip_recs, (nskips + 1) * sizeof(*n));
	char reason[sizeof(n->reason)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (!cur_test_skipped) {
		cur_test_skipped = true;
		skipped_tests++;
	}
	if (!n) {
		/* no room to keep the reason: say it now, the count stays right */
		printf("\n    SKIP (not listed below): %s", reason);
		return;
	}
	skip_recs = n;
	snprintf(n[nskips].where, sizeof(n[nskips].where), "%s", cur_where);
	snprintf(n[nskips].reason, sizeof(n[nskips].reason), "%s", reason);
	nskips++;
	cur_test_skips++;
}

bool test_is_root(void)
{
	return geteuid() == 0;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int append(char **buf, size_t *len, int fd)
{
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof(tmp));
	char *nb;

	if (n <= 0)
		return n == 0 ? 0 : (errno == EINTR || errno == EAGAIN ? 1 : 0);
	nb = realloc(*buf, *len + n + 1);
	if (!nb)
		return 0;
	memcpy(nb + *len, tmp, n);
	*len += n;
	nb[*len] = 0;
	*buf = nb;
	return 1;
}

int test_run_capture(char *const argv[], char **out, char **err, int timeout_ms)
{
	int po[2], pe[2], status = 0;
	char *bo = NULL, *be = NULL;
	size_t lo = 0, le = 0;
	bool oopen = true, eopen = true;
	long long deadline = mono_ms() + timeout_ms;
	pid_t pid;

	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		setpgid(0, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(po[1]);
	close(pe[1]);
	while (oopen || eopen) {
		struct pollfd p[2] = { { oopen ? po[0] : -1, POLLIN, 0 },
				       { eopen ? pe[0] : -1, POLLIN, 0 } };
		long long left = deadline - mono_ms();

		if (left <= 0) {
			kill(-pid, SIGKILL);
			break;
		}
		if (poll(p, 2, (int)left) < 0 && errno != EINTR)
			break;
		if (p[0].revents && !append(&bo, &lo, po[0]))
			oopen = false;
		if (p[1].revents && !append(&be, &le, pe[0]))
			eopen = false;
	}
	close(po[0]);
	close(pe[0]);
	waitpid(pid, &status, 0);
	if (out)
		*out = bo ? bo : strdup("");
	else
		free(bo);
	if (err)
		*err = be ? be : strdup("");
	else
		free(be);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static bool selected(const char *suite, const char *test, int argc, char **argv)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++) {
		const char *colon = strchr(argv[i], ':');
		size_t sl = colon ? (size_t)(colon - argv[i]) : strlen(argv[i]);

		if (strlen(suite) != sl || strncmp(suite, argv[i], sl))
			continue;
		if (!colon || !test || !strcmp(colon + 1, test))
			return true;
	}
	return false;
}

/* ---- CUnit's basic verbose output, by our own handlers ---- */

static long long mono_ms(void);

static void on_suite_start(const CU_pSuite suite)
{
	suite_t0 = mono_ms();
	printf("\nSuite: %s", suite->pName);
	snprintf(cur_where, sizeof(cur_where), "%s (init)", suite->pName);
	cur_test_skips = 0;
	cur_test_skipped = false;
}

static void on_test_start(const CU_pTest test, const CU_pSuite suite)
{
	printf("\n  Test: %s ...", test->pName);
	fflush(stdout);
	snprintf(cur_where, sizeof(cur_where), "%s: %s", suite->pName,
		 test->pName);
	cur_test_skips = 0;
	cur_test_skipped = false;
}

static void on_test_complete(const CU_pTest test, const CU_pSuite suite,
			     const CU_pFailureRecord failures)
{
	unsigned i = 0;

	(void)test;
	(void)suite;
	if (!failures && cur_test_skipped) {
		/* this test's reasons; the summary lists them all again */
		printf("SKIPPED");
		for (unsigned k = nskips - cur_test_skips; k < nskips; k++)
			printf("%s%s", k == nskips - cur_test_skips ? ": " : "; ",
			       skip_recs[k].reason);
		return;
	}
	if (!failures) {
		printf("passed");
		return;
	}
	printf("FAILED");
	for (CU_pFailureRecord f = failures; f; f = f->pNext)
		printf("\n    %u. %s:%u  - %s", ++i,
		       f->strFileName ? f->strFileName : "",
		       f->uiLineNumber,
		       f->strCondition ? f->strCondition : "");
}

/* per-suite wall time, init and cleanup included: the profile of make check */
static void on_suite_complete(const CU_pSuite suite,
			      const CU_pFailureRecord failures)
{
	(void)failures;
	printf("\n  (suite %s: %.2f s)", suite->pName,
	       (double)(mono_ms() - suite_t0) / 1000);
}

static void on_suite_init_failure(const CU_pSuite suite)
{
	printf("\nWARNING - Suite initialization failed for '%s'.",
	       suite->pName);
}

static void on_suite_cleanup_failure(const CU_pSuite suite)
{
	printf("\nWARNING - Suite cleanup failed for '%s'.", suite->pName);
}

/* The lines just before the Run Summary: how many tests skipped, why. */
static void skip_summary_print(bool no_skip)
{
	printf("\n\nskipped tests: %u", skipped_tests);
	if (nskips)
		printf(" (%s):", no_skip ? "failures under TFOCHECK_NO_SKIP=1" :
			"not failures; TFOCHECK_NO_SKIP=1 makes them fail");
	for (unsigned i = 0; i < nskips; i++)
		printf("\n  SKIP %s: %s", skip_recs[i].where, skip_recs[i].reason);
	printf("\n\n");
}

int main(int argc, char **argv)
{
	unsigned failures;
	bool no_skip = getenv("TFOCHECK_NO_SKIP") &&
		       strcmp(getenv("TFOCHECK_NO_SKIP"), "0");

	/* the tests start build/ binaries by relative path */
	if (access(TEST_TFOCHECK, X_OK))
		fprintf(stderr, "unit: run from the top of the tree (no %s)\n",
			TEST_TFOCHECK);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	/* suites run in the order they are named (scripts/check.sh orders
	 * its groups), else in registration order */
	for (int i = argc < 2 ? 0 : 1; i < (argc < 2 ? 1 : argc); i++) {
		for (struct test_suite *s = suites; s; s = s->next) {
			CU_pSuite cs;

			if (CU_get_suite(s->name) ||
			    (argc >= 2 && !selected(s->name, NULL, 2,
						    (char *[]){ argv[0], argv[i] })))
				continue;
			cs = CU_add_suite(s->name, s->init, s->cleanup);
			for (const CU_TestInfo *t = s->tests; t->pName; t++)
				if (selected(s->name, t->pName, argc, argv))
					CU_add_test(cs, t->pName, t->pTestFunc);
		}
	}
	printf("\n     CUnit - A unit testing framework for C - Version %s\n",
	       CU_VERSION);
	CU_set_suite_start_handler(on_suite_start);
	CU_set_test_start_handler(on_test_start);
	CU_set_test_complete_handler(on_test_complete);
	CU_set_suite_complete_handler(on_suite_complete);
	CU_set_suite_init_failure_handler(on_suite_init_failure);
	CU_set_suite_cleanup_failure_handler(on_suite_cleanup_failure);
	CU_run_all_tests();
	failures = CU_get_number_of_failures() +
		   CU_get_number_of_suites_failed();
	skip_summary_print(no_skip);
	CU_print_run_results(stdout);
	printf("\n");
	CU_cleanup_registry();
	free(skip_recs);
	if (failures)
		return 1;
	return no_skip && nskips ? 1 : 0;
}
