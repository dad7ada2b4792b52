/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck fuzz` finds what the case tables cannot: two mutants
 * (tests/mutants/fuzz_*.c) that deviate only on combinations no table row
 * uses pass every row of their API, and the fuzzer, at a fixed seed and a
 * small fixed number of scenarios, finds each, shrinks it to one library
 * call naming the feature that matters, and replays it.  The reference
 * against itself diverges nowhere (the comparison is deterministic).  A
 * reproducer, written by `tfocheck repro` or kept by `tfocheck run --out`
 * beside a FAIL (and linked from the reports), shows the deviation on its
 * own.
 *
 * The seeds and counts are the smallest that find each mutant here (the
 * scenarios of a seed are the same on any machine, so this does not
 * depend on timing); keep this suite a few seconds long.  Needs root.
 */
#include "tests/testlib.h"

#include <glob.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"

#define FZT_TIMEOUT_MS 120000

struct fzt_mutant {
	const char *lib, *api;
	const char *seed, *iterations;
	const char *feature;	/* in the shrunk scenario's words */
	const char *field;	/* among its differences */
};

static const struct fzt_mutant fzt_mutants[] = {
	{ "build/mutants/fuzz_owfat_port_65535.so", "owfat", "1", "40",
	  "server listening on port 65535", "call" },
	{ "build/mutants/fuzz_connectx_srcaddr_iovecs.so", "connectx", "1",
	  "60", "srcaddr wildcard:41234", "local_address" },
};

#define NEED_ROOT()                                                          \
	do {                                                                 \
		if (!test_is_root()) {                                       \
			test_skip("needs root for network namespaces");      \
			return;                                              \
		}                                                            \
	} while (0)

/* `tfocheck fuzz ... --json tmp`: exit status, the document (or NULL);
 * keep: where the results file was copied, or NULL. */
static char fzt_kept[2][64];

static int fzt_fuzz(const char *lib, const char *api, const char *seed,
		    const char *iterations, json_t **doc)
{
	static unsigned int n;
	char json[] = "/tmp/tfocheck-fuzz-test-XXXXXX";
	char *argv[] = { TEST_TFOCHECK, "fuzz", "--lib", (char *)lib, "--api",
			 (char *)api, "--seed", (char *)seed, "--iterations",
			 (char *)iterations, "-j", "2", "--json", json, NULL };
	int fd = mkstemp(json), rc;

	*doc = NULL;
	if (fd < 0)
		return -1;
	close(fd);
	rc = test_run_capture(argv, NULL, NULL, FZT_TIMEOUT_MS);
	*doc = json_load_file(json, 0, NULL);
	/* the first two documents stay for the diff test */
	if (n < 2 && *doc)
		snprintf(fzt_kept[n++], sizeof(fzt_kept[0]), "%s", json);
	else
		unlink(json);
	return rc;
}

/* libowfat is what these tests reproduce; skip (saying why) without it. */
/* what a reproducer of libowfat's missing fallback says */
#define FZT_FALLBACK_SAYS "deviation: call: expected 27; observed -1 EOPNOTSUPP"

static bool fzt_have_owfat(void)
{
	if (!access("/usr/lib/libowfat.so.0", R_OK) ||
	    !access("/lib/x86_64-linux-gnu/libowfat.so.0", R_OK))
		return true;
	test_skip("libowfat is not installed (make deps installs it)");
	return false;
}

static bool fzt_mkdtemp(char *dir)
{
	if (mkdtemp(dir))
		return true;
	CU_FAIL("mkdtemp");
	return false;
}

/* The reproducer sh, run on lib (NULL: the one that diverged): exit rc
 * and, when says, those words in its output. */
static void fzt_expect_repro(const char *sh, const char *lib, int rc,
			     const char *says, int line)
{
	char *argv[] = { "sh", (char *)sh, (char *)lib, NULL };
	char *out = NULL, msg[700];
	int got = test_run_capture(argv, &out, NULL, FZT_TIMEOUT_MS);

	snprintf(msg, sizeof(msg), "expected the reproducer %s to exit %d for %s%s%s%s; observed exit %d: %.400s",
		 sh, rc, lib ? lib : "the library that diverged", says ? " and say \"" : "",
		 says ? says : "", says ? "\"" : "", got, out ? out : "");
	CU_assertImplementation(got == rc && (!says || (out && strstr(out, says))),
				line, msg, __FILE__, "", CU_FALSE);
	free(out);
}

static void fzt_rmdir(const char *dir)
{
	char *rm[] = { "rm", "-rf", (char *)dir, NULL };

	test_run_capture(rm, NULL, NULL, 10000);
}

static const char *fzt_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* The shrunk divergence that names feature and differs in field. */
static const json_t *fzt_find(const json_t *doc, const struct fzt_mutant *m)
{
	const json_t *divs = json_object_get(json_object_get(doc, "fuzz"),
					     "divergences");
	const json_t *d, *x;
	size_t i, k;

	json_array_foreach(divs, i, d) {
		if (!strstr(fzt_str(d, "scenario"), m->feature))
			continue;
		json_array_foreach(json_object_get(d, "differences"), k, x)
			if (!strcmp(fzt_str(x, "field"), m->field))
				return d;
	}
	return NULL;
}

static void fzt_mutant(const struct fzt_mutant *m)
{
	char *run[] = { TEST_TFOCHECK, "run", "--lib", (char *)m->lib, "--api",
			(char *)m->api, "-j", "2", NULL };
	char msg[900];
	const json_t *d;
	json_t *doc;
	int rc;

	NEED_ROOT();
	/* the tables pass it: only the fuzzer can find it */
	rc = test_run_capture(run, NULL, NULL, FZT_TIMEOUT_MS);
	snprintf(msg, sizeof(msg), "%s: expected every %s row to pass (exit 0); observed exit %d",
		 m->lib, m->api, rc);
	CU_assertImplementation(rc == 0, __LINE__, msg, __FILE__, "", CU_FALSE);

	rc = fzt_fuzz(m->lib, m->api, m->seed, m->iterations, &doc);
	d = doc ? fzt_find(doc, m) : NULL;
	snprintf(msg, sizeof(msg), "%s: expected fuzz --seed %s --iterations %s to exit 1 with a divergence in %s whose scenario says \"%s\"; observed exit %d, %zu divergences",
		 m->lib, m->seed, m->iterations, m->field, m->feature, rc,
		 json_array_size(json_object_get(json_object_get(doc, "fuzz"),
						 "divergences")));
	CU_assertImplementation(rc == 1 && d, __LINE__, msg, __FILE__, "", CU_FALSE);
	if (d) {
		char *replay[] = { TEST_TFOCHECK, "fuzz", "--lib", (char *)m->lib,
				   "--replay", (char *)fzt_str(d, "id"), NULL };

		snprintf(msg, sizeof(msg), "%s: expected the shrunk scenario %s to be one library call; observed %lld",
			 m->lib, fzt_str(d, "id"),
			 json_integer_value(json_object_get(d, "calls")));
		CU_assertImplementation(json_integer_value(json_object_get(d, "calls")) == 1,
					__LINE__, msg, __FILE__, "", CU_FALSE);
		rc = test_run_capture(replay, NULL, NULL, FZT_TIMEOUT_MS);
		snprintf(msg, sizeof(msg), "%s: expected --replay %s to diverge again (exit 1); observed exit %d",
			 m->lib, fzt_str(d, "id"), rc);
		CU_assertImplementation(rc == 1, __LINE__, msg, __FILE__, "", CU_FALSE);
	}
	json_decref(doc);
}

static void test_owfat_mutant(void)
{
	fzt_mutant(&fzt_mutants[0]);
}

static void test_connectx_mutant(void)
{
	fzt_mutant(&fzt_mutants[1]);
}

/*
 * libowfat's two known deviations, each shrunk to one library call: the
 * missing fallback without client TFO (-1 EOPNOTSUPP where the page
 * promises the connection, O4), and socket_connected on a socket whose
 * connection failed (0 errno ENOTCONN, not the cause, O10), which the
 * fuzzer finds as a connect followed by socket_connected.
 */
static void test_owfat_known(void)
{
	static const struct { const char *clause, *observed; } want[] = {
		{ "O4", "EOPNOTSUPP" }, { "O10", "ENOTCONN" },
	};
	char msg[900];
	json_t *doc;
	int rc;

	NEED_ROOT();
	if (!fzt_have_owfat())
		return;
	rc = fzt_fuzz("libowfat", "owfat", "4", "30", &doc);
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		const json_t *divs = json_object_get(json_object_get(doc, "fuzz"),
						     "divergences"), *d;
		size_t i;
		bool found = false;

		json_array_foreach(divs, i, d)
			found |= !strcmp(fzt_str(d, "clause_id"), want[w].clause) &&
				 !strcmp(fzt_str(d, "field"), "call") &&
				 strstr(fzt_str(d, "observed"), want[w].observed) &&
				 json_integer_value(json_object_get(d, "calls")) == 1;
		snprintf(msg, sizeof(msg), "libowfat, seed 4, 30 scenarios: expected exit 1 and a divergence of clause %s in the call (observed %s) shrunk to one library call; observed exit %d, %zu divergences",
			 want[w].clause, want[w].observed, rc, json_array_size(divs));
		CU_assertImplementation(rc == 1 && found, __LINE__, msg, __FILE__, "",
					CU_FALSE);
	}
	json_decref(doc);
}

/* The reference against itself, fresh topologies each time: nothing. */
static void test_reference_self(void)
{
	char msg[900];
	json_t *doc;
	int rc;

	NEED_ROOT();
	rc = fzt_fuzz("libtfo", "owfat,connectx", "7", "40", &doc);
	{
		const json_t *d = json_array_get(json_object_get(json_object_get(doc, "fuzz"),
								 "divergences"), 0);

		snprintf(msg, sizeof(msg), "libtfo against itself: expected exit 0 and no divergence; observed exit %d, %lld divergent%s%s%s%s%s%s%s%s",
			 rc, json_integer_value(json_object_get(json_object_get(doc, "fuzz"),
								"divergent")),
			 d ? ", first " : "", d ? fzt_str(d, "id") : "",
			 d ? ": " : "", d ? fzt_str(d, "field") : "",
			 d ? " expected " : "", d ? fzt_str(d, "expected") : "",
			 d ? " observed " : "", d ? fzt_str(d, "observed") : "");
	}
	CU_assertImplementation(rc == 0 && doc &&
				json_integer_value(json_object_get(
					json_object_get(doc, "fuzz"), "scenarios")) == 40,
				__LINE__, msg, __FILE__, "", CU_FALSE);
	json_decref(doc);
}

/*
 * A reproducer for libowfat's missing fallback (client TFO off: it
 * returns EOPNOTSUPP where the page promises a connection), asked for by
 * the FAILing case instance, runs on its own: exit 1 and the deviation
 * for libowfat, exit 0 for libtfo.
 */
static void test_reproducer(void)
{
	static const char id[] = "fz1-o10000000000000000000";
	static const char inst[] = "owfat.no_tfo_connect_write@client-off/ipv4";
	char dir[] = "/tmp/tfocheck-repro-test-XXXXXX", sh[200], msg[900];
	char *gen[] = { TEST_TFOCHECK, "repro", (char *)inst, "--lib", "libowfat",
			"--out", dir, NULL };
	char *out = NULL, *err = NULL;
	int rc;

	NEED_ROOT();
	if (!fzt_have_owfat() || !fzt_mkdtemp(dir))
		return;
	rc = test_run_capture(gen, &out, &err, FZT_TIMEOUT_MS);
	snprintf(sh, sizeof(sh), "%s/%s.sh", dir, id);
	snprintf(msg, sizeof(msg), "expected tfocheck repro %s --lib libowfat to write %s (exit 0); observed exit %d: %.300s",
		 inst, sh, rc, err ? err : "");
	CU_assertImplementation(rc == 0 && !access(sh, R_OK), __LINE__, msg,
				__FILE__, "", CU_FALSE);
	free(out);
	free(err);
	if (!rc) {
		fzt_expect_repro(sh, NULL, 1, FZT_FALLBACK_SAYS, __LINE__);
		fzt_expect_repro(sh, "build/libtfo.so", 0, NULL, __LINE__);
	}
	fzt_rmdir(dir);
}

/*
 * `tfocheck run --out DIR` keeps a reproducer beside the FAIL: the results
 * name it, the summary prints it, the HTML report links it, and it shows
 * the deviation on its own (exit 1).
 */
static void test_run_reproducer(void)
{
	static const char inst[] = "owfat.no_tfo_connect_write@client-off/ipv4";
	char dir[] = "/tmp/tfocheck-runrepro-test-XXXXXX", msg[900], pat[200];
	char html[200];
	char *run[] = { TEST_TFOCHECK, "run", "--lib", "libowfat", "--filter",
			(char *)inst, "--out", dir, NULL };
	char *out = NULL, *err = NULL;
	const char *sh = "";
	json_t *doc = NULL;
	glob_t g = { 0 };
	int rc;

	NEED_ROOT();
	if (!fzt_have_owfat() || !fzt_mkdtemp(dir))
		return;
	rc = test_run_capture(run, &out, &err, FZT_TIMEOUT_MS);
	snprintf(pat, sizeof(pat), "%s/*/results.json", dir);
	if (!glob(pat, 0, NULL, &g) && g.gl_pathc == 1)
		doc = json_load_file(g.gl_pathv[0], 0, NULL);
	if (doc)
		sh = fzt_str(json_array_get(json_object_get(doc, "results"), 0),
			     "reproducer");
	snprintf(msg, sizeof(msg), "expected run %s --out to exit 1 with a results[].reproducer that exists and that the summary names; observed exit %d, reproducer '%s': %.300s",
		 inst, rc, sh, out ? out : "");
	CU_assertImplementation(rc == 1 && *sh && !access(sh, R_OK) && out &&
				strstr(out, "reproducer: ") && strstr(out, sh) &&
				strstr(out, "reproducers: 1 of 1 FAILs"),
				__LINE__, msg, __FILE__, "", CU_FALSE);
	if (*sh) {
		char *rep[] = { TEST_TFOCHECK, "report", g.gl_pathv[0], "--html", html, NULL };
		char *page = calloc(1, 1 << 20);

		snprintf(html, sizeof(html), "%s/report.html", dir);
		rc = test_run_capture(rep, NULL, NULL, FZT_TIMEOUT_MS);
		if (page && util_file_read(html, page, 1 << 20)) {
			free(page);
			page = NULL;
		}
		snprintf(msg, sizeof(msg), "expected the HTML report to link the reproducer (class=\"repro\" … %s); report exit %d",
			 strrchr(sh, '/') ? strrchr(sh, '/') + 1 : sh, rc);
		CU_assertImplementation(rc == 0 && page && strstr(page, "class=\"repro\"") &&
					strstr(page, strrchr(sh, '/') ? strrchr(sh, '/') + 1 : sh),
					__LINE__, msg, __FILE__, "", CU_FALSE);
		free(page);
		fzt_expect_repro(sh, NULL, 1, FZT_FALLBACK_SAYS, __LINE__);
	}
	json_decref(doc);
	globfree(&g);
	free(out);
	free(err);
	fzt_rmdir(dir);
}

/* tfocheck diff: a divergence only NEW has is a regression (exit 1), one
 * only OLD has is fixed (exit 0).  The documents of the two mutant
 * tests: owfat's port mutant, connectx's; their divergences differ. */
static void test_diff(void)
{
	char *fwd[] = { TEST_TFOCHECK, "diff", fzt_kept[0], fzt_kept[1], NULL };
	char *out = NULL, msg[600];
	int rc;

	NEED_ROOT();
	if (!fzt_kept[0][0] || !fzt_kept[1][0]) {
		CU_FAIL("the mutant tests left no results documents to compare");
		return;
	}
	rc = test_run_capture(fwd, &out, NULL, FZT_TIMEOUT_MS);
	snprintf(msg, sizeof(msg), "expected tfocheck diff OWFAT CONNECTX to exit 1 with the connectx divergences as regressions; observed exit %d: %.300s",
		 rc, out ? out : "");
	CU_assertImplementation(rc == 1 && out && strstr(out, "Regressions (") &&
				strstr(out, "fuzz fz1-x") && strstr(out, "Fixed ("),
				__LINE__, msg, __FILE__, "", CU_FALSE);
	free(out);
	unlink(fzt_kept[0]);
	unlink(fzt_kept[1]);
}

TEST_SUITE(fuzz, NULL, NULL,
	   { "a mutant only the fuzzer can see (owfat, port 65535)", test_owfat_mutant },
	   { "a mutant only the fuzzer can see (connectx, sae_srcaddr with iovecs)",
	     test_connectx_mutant },
	   { "libowfat's known deviations, each shrunk to one call", test_owfat_known },
	   { "the reference against itself diverges nowhere", test_reference_self },
	   { "a reproducer runs without tfocheck: 1 for libowfat, 0 for libtfo",
	     test_reproducer },
	   { "run --out keeps a reproducer beside the FAIL, and reports link it",
	     test_run_reproducer },
	   { "diff: a new divergence is a regression", test_diff })
