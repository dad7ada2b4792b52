/* SPDX-License-Identifier: MIT */
/*
 * Harness self-test cases (--api selftest, never run by default): each
 * builds a routed topology with an nft fault in the router — the most
 * state a case can create — and then passes, fails, crashes or hangs, so
 * the project's tests can prove that every ending leaves the host clean
 * and is reported as the right outcome.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cases/common.h"

static void selftest_pass(struct case_ctx *c)
{
	(void)c;
}

static void selftest_fail(struct case_ctx *c)
{
	case_fail(c, "expected 1; observed 2 (deliberate)");
}

static void selftest_crash(struct case_ctx *c)
{
	(void)c;
	raise(SIGSEGV);
}

static void selftest_hang(struct case_ctx *c)
{
	(void)c;
	for (;;)
		pause();
}

static void selftest_skip(struct case_ctx *c)
{
	case_skip(c, "deliberate skip");
}

/* A known limit that shows: XFAIL.  One that does not: XPASS. */
static void selftest_xfail(struct case_ctx *c)
{
	case_xfail_if(c, true, "deliberate known limit");
	case_fail(c, "expected 1; observed 2");
}

static void selftest_xpass(struct case_ctx *c)
{
	case_xfail_if(c, true, "deliberate known limit");
}

/* Alternates between PASS and FAIL across runs, via a counter file the
 * test hands in: --repeat must report it as unstable. */
static void selftest_flaky(struct case_ctx *c)
{
	const char *dir = getenv("TFOCHECK_SELFTEST_DIR");
	char path[512], buf[32] = "0";
	long n = 0;
	FILE *f;

	if (!dir) {
		case_skip(c, "TFOCHECK_SELFTEST_DIR not set");
		return;
	}
	snprintf(path, sizeof(path), "%s/flaky.count", dir);
	f = fopen(path, "r+");
	if (!f)
		f = fopen(path, "w+");
	if (!f) {
		case_error(c, "cannot open %s", path);
		return;
	}
	if (fgets(buf, sizeof(buf), f))
		n = strtol(buf, NULL, 10);
	rewind(f);
	fprintf(f, "%ld\n", n + 1);
	fclose(f);
	if (n % 2)
		case_fail(c, "odd run %ld (deliberate)", n);
}

#define SELFTEST(id_, body_, expect_)                                      \
	{ .id = "selftest." id_, .api = API_SELFTEST, .clause_id = "H2",   \
	  .topo = TOPO_ROUTED,                                              \
	  .fault = FAULT_DROP_SYN, .once = true, .profiles = "tfo",       \
	  .expect = expect_, .clause = "(harness self-test)", .body = body_,  \
	  .wire = true }

CASE_TABLE(selftest,
	SELFTEST("pass", selftest_pass, "PASS"),
	SELFTEST("fail", selftest_fail, "FAIL with a message"),
	SELFTEST("crash", selftest_crash, "CRASH (SIGSEGV)"),
	SELFTEST("hang", selftest_hang, "TIMEOUT, process group killed"),
	SELFTEST("skip", selftest_skip, "SKIP with a reason"),
	SELFTEST("xfail", selftest_xfail, "XFAIL (known limit observed)"),
	SELFTEST("xpass", selftest_xpass, "XPASS (known limit did not show)"),
	SELFTEST("flaky", selftest_flaky, "alternates PASS/FAIL (for --repeat)"),
)
