/* SPDX-License-Identifier: MIT */
/*
 * Glue for the project's own tests (CUnit).  Each test file (tests/NAME.c) declares
 * its suite with TEST_SUITE(name, init, cleanup, { "test", fn }, ...); a
 * constructor records it and tests/main.c registers every recorded suite
 * with CUnit, so test files never edit a shared list.
 *
 * Tests that need something this machine may lack (root, a package) call
 * test_skip("reason") and return (or go on with what they can still
 * check): CUnit 2.1 has no skip, so main.c records each skip with its
 * test and lists them all just before CUnit's Run Summary.  A skip never
 * hides a failure: it exits 0 unless TFOCHECK_NO_SKIP=1 (tests/main.c).
 * A reason names what is missing and, for a package, the package.
 */
#ifndef TFOCHECK_TESTLIB_H
#define TFOCHECK_TESTLIB_H

#include <CUnit/CUnit.h>
#include <stdbool.h>

struct test_suite {
	const char *name;
	CU_InitializeFunc init;
	CU_CleanupFunc cleanup;
	const CU_TestInfo *tests;
	struct test_suite *next;
};

void test_suite_record(struct test_suite *s);

#define TEST_SUITE(sname, sinit, scleanup, ...)                              \
	static const CU_TestInfo sname##_tests[] = { __VA_ARGS__,             \
						      CU_TEST_INFO_NULL };    \
	static struct test_suite sname##_suite = { #sname, sinit, scleanup,  \
						    sname##_tests, NULL };     \
	__attribute__((constructor)) static void sname##_record(void)        \
	{                                                                    \
		test_suite_record(&sname##_suite);                           \
	}

/* Record a skipped test (or part of one) with its reason. */
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Paths of the built artefacts, relative to the top of the tree. */
#define TEST_TFOCHECK "build/tfocheck"
#define TEST_LIBTFO "build/libtfo.so"
#define TEST_MUTANT_DIR "build/mutants"

/* true when running as root (the netns tests need CAP_NET_ADMIN). */
bool test_is_root(void);

/*
 * Run argv (NULL-terminated) with stdout and stderr captured into
 * malloc()ed strings (NUL-terminated; caller frees; either may be NULL).
 * Returns the exit status, 128+signal if killed, or -errno on failure to
 * start.  timeout_ms kills the child's process group when exceeded.
 */
int test_run_capture(char *const argv[], char **out, char **err, int timeout_ms);

#endif
