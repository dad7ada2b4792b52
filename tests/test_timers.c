/* SPDX-License-Identifier: MIT */
/*
 * Verdicts do not depend on compressed timers (harness/timers.h): the
 * cases that wait on the kernel's SYN retransmission timeout (a silent
 * peer, ICMP unreachable, dropped SYN data, a source interface that leads
 * nowhere, the RESUME and EINTR windows, the non-blocking call against
 * dropped SYNs) run twice, with compressed timers and with --real-timers,
 * against libtfo and against mutants that change what those cases see,
 * and every instance must end with the same status and the same deviation
 * label both ways.  Messages are not compared: they quote times.
 *
 * The results documents also say which timers each run had ("timers"),
 * so the test knows it compared a compressed run with a real one; where
 * this host cannot compress (no root, no cgroup v2, no BPF), it skips
 * with the run's own reason.  A planted difference shows that the
 * comparison can fail.
 *
 * Left out on purpose: owfat_nb_fail_blocking, which waits 200 ms for the
 * handshake on a non-blocking socket.  That is the documented limit of
 * compression (docs/harness.md, "Compressed timers"): a library with a
 * timeout of its own between the compressed and the real attempt length
 * takes another path, and is caught in more instances with compression.
 *
 * All runs start in the suite's init, in parallel (they mostly wait).
 * Needs root; skips otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/mutant_check.h"
#include "tests/testlib.h"
#include "util/util.h"

#define TMR_PARALLEL 12
#define TMR_TIMEOUT_MS 60000

#define TMR_OWFAT "owfat.err_timedout", "owfat.*hostunreach",                \
	"owfat.middlebox_drop_syn_data*", "owfat.nonblock_returns_at_once"
#define TMR_CONNECTX "connectx.timed_out", "connectx.host_unreachable",      \
	"connectx.srcif_enforced", "connectx.resume_*", "connectx.interrupted*"

/* a mutant runs the timer-bound rows its bug reaches (the others it
 * leaves as libtfo has them) */
static const struct {
	const char *lib;	/* libtfo, or tests/mutants/<lib>.c */
	const char *api;
	const char *filters[10];
} tmr_libs[] = {
	{ "libtfo", "owfat,connectx", { TMR_OWFAT, TMR_CONNECTX } },
	{ "owfat_blocks_nonblock", "owfat",
	  { "owfat.nonblock_returns_at_once", "owfat.nonblock_hostunreach",
	    "owfat.middlebox_drop_syn_data_nonblock" } },
	{ "owfat_no_connected", "owfat",
	  { "owfat.nonblock_returns_at_once", "owfat.nonblock_hostunreach" } },
	{ "connectx_ignore_srcif", "connectx", { "connectx.srcif_enforced" } },
	{ "connectx_resume_connects", "connectx", { "connectx.resume_*" } },
	{ "connectx_resume_lost", "connectx", { "connectx.resume_*" } },
};
#define TMR_N ARRAY_SIZE(tmr_libs)

/* job 2i compressed, 2i+1 real timers, for tmr_libs[i] */
static struct mut_job tmr_jobs[2 * TMR_N];
static json_t *tmr_docs[2 * TMR_N];
static char tmr_paths[TMR_N][256], tmr_dir[64];
static int tmr_ran = -ENOENT;

static json_t *tmr_doc_load(const char *path)
{
	json_error_t err;

	return json_load_file(path, 0, &err);
}

static int suite_init(void)
{
	if (!test_is_root())
		return 0;
	for (size_t i = 0; i < TMR_N; i++) {
		if (strcmp(tmr_libs[i].lib, "libtfo"))
			snprintf(tmr_paths[i], sizeof(tmr_paths[i]), "%s/%s.so",
				 TEST_MUTANT_DIR, tmr_libs[i].lib);
		else
			snprintf(tmr_paths[i], sizeof(tmr_paths[i]), "%s", TEST_LIBTFO);
		for (int k = 0; k < 2; k++) {
			struct mut_job *j = &tmr_jobs[2 * i + (size_t)k];

			*j = (struct mut_job){ .lib = tmr_paths[i],
					       .api = tmr_libs[i].api,
					       .real_timers = k == 1 };
			memcpy(j->filters, tmr_libs[i].filters, sizeof(j->filters));
		}
	}
	tmr_ran = mut_jobs_run(tmr_jobs, 2 * TMR_N, TMR_PARALLEL, tmr_dir,
			       sizeof(tmr_dir), TMR_TIMEOUT_MS);
	for (size_t i = 0; !tmr_ran && i < 2 * TMR_N; i++)
		tmr_docs[i] = tmr_doc_load(tmr_jobs[i].json);
	return 0;
}

static int suite_cleanup(void)
{
	for (size_t i = 0; i < 2 * TMR_N; i++) {
		json_decref(tmr_docs[i]);
		tmr_docs[i] = NULL;
	}
	mut_dir_remove(tmr_dir);
	return 0;
}

static const char *tmr_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/*
 * Every instance of a with the same status and deviation in b, and the
 * same instances in both.  true when so; otherwise why lists the first
 * differences.
 */
static bool tmr_same(const json_t *a, const json_t *b, char *why, size_t size)
{
	const json_t *ra = json_object_get(a, "results");
	const json_t *rb = json_object_get(b, "results");
	size_t off = 0, i, diffs = 0;
	json_t *x;

	why[0] = 0;
	if (!json_is_array(ra) || !json_is_array(rb) || !json_array_size(ra)) {
		util_appendf(why, size, &off, "no results to compare");
		return false;
	}
	if (json_array_size(ra) != json_array_size(rb)) {
		util_appendf(why, size, &off, "%zu instances compressed, %zu real; ",
			     json_array_size(ra), json_array_size(rb));
		diffs++;
	}
	json_array_foreach(ra, i, x) {
		const char *name = tmr_str(x, "name");
		const json_t *y = NULL, *z;
		size_t k;

		json_array_foreach(rb, k, z)
			if (!strcmp(tmr_str(z, "name"), name)) {
				y = z;
				break;
			}
		if (y && !strcmp(tmr_str(x, "status"), tmr_str(y, "status")) &&
		    !strcmp(tmr_str(x, "deviation"), tmr_str(y, "deviation")))
			continue;
		if (diffs++ < 4)
			util_appendf(why, size, &off,
				     "%s: compressed %s%s%s, real %s%s%s (compressed: \"%.160s\"; real: \"%.160s\"); ",
				     name, tmr_str(x, "status"),
				     *tmr_str(x, "deviation") ? " " : "",
				     tmr_str(x, "deviation"),
				     y ? tmr_str(y, "status") : "(absent)",
				     y && *tmr_str(y, "deviation") ? " " : "",
				     y ? tmr_str(y, "deviation") : "",
				     tmr_str(x, "message"),
				     y ? tmr_str(y, "message") : "");
	}
	return diffs == 0;
}

/* The runs exist and really had compressed and real timers; false (a
 * skip or a failure recorded) otherwise. */
static bool tmr_ready(size_t i)
{
	const json_t *c, *r;
	char msg[600];

	if (!test_is_root()) {
		test_skip("needs root for network namespaces");
		return false;
	}
	if (tmr_ran) {
		snprintf(msg, sizeof(msg), "runs could not start: %s",
			 util_errno_name(-tmr_ran));
		CU_assertImplementation(CU_FALSE, __LINE__, msg, __FILE__, "", CU_FALSE);
		return false;
	}
	c = json_object_get(tmr_docs[2 * i], "timers");
	r = json_object_get(tmr_docs[2 * i + 1], "timers");
	snprintf(msg, sizeof(msg), "%s: expected two results documents with \"timers\" (exit 0/1); observed exits %d and %d (%s, %s)",
		 tmr_libs[i].lib, tmr_jobs[2 * i].rc, tmr_jobs[2 * i + 1].rc,
		 tmr_jobs[2 * i].json, tmr_jobs[2 * i + 1].json);
	CU_assertImplementation(c && r, __LINE__, msg, __FILE__, "", CU_FALSE);
	if (!c || !r)
		return false;
	if (!json_is_true(json_object_get(c, "compressed"))) {
		test_skip("timers cannot be compressed here: %s",
			  tmr_str(c, "why"));
		return false;
	}
	snprintf(msg, sizeof(msg), "%s: expected the compressed run below 1000 ms and the --real-timers run at 1000 ms, not compressed; observed %lld ms and %lld ms, compressed %s",
		 tmr_libs[i].lib,
		 json_integer_value(json_object_get(c, "initial_rto_ms")),
		 json_integer_value(json_object_get(r, "initial_rto_ms")),
		 json_is_true(json_object_get(r, "compressed")) ? "true" : "false");
	CU_assertImplementation(
		json_integer_value(json_object_get(c, "initial_rto_ms")) < 1000 &&
			json_integer_value(json_object_get(r, "initial_rto_ms")) == 1000 &&
			json_is_false(json_object_get(r, "compressed")) &&
			!strcmp(tmr_str(r, "why"), "--real-timers"),
		__LINE__, msg, __FILE__, "", CU_FALSE);
	return true;
}

static void tmr_check(size_t i)
{
	char why[1500], msg[1700];
	bool ok;

	if (!tmr_ready(i))
		return;
	ok = tmr_same(tmr_docs[2 * i], tmr_docs[2 * i + 1], why, sizeof(why));
	snprintf(msg, sizeof(msg), "%s: expected the same verdict per instance with compressed and real timers; observed %s",
		 tmr_libs[i].lib, why);
	CU_assertImplementation(ok, __LINE__, msg, __FILE__, "", CU_FALSE);
}

/* The comparison fails on a changed status, a changed deviation label, a
 * missing instance (planted in a copy of libtfo's real results). */
static void test_planted_difference(void)
{
	json_t *copy, *r0;
	char why[1500];

	if (!tmr_ready(0))
		return;
	CU_ASSERT_TRUE(tmr_same(tmr_docs[0], tmr_docs[1], why, sizeof(why)));
	copy = json_deep_copy(tmr_docs[1]);
	r0 = json_array_get(json_object_get(copy, "results"), 0);
	json_object_set_new(r0, "status", json_string("FAIL"));
	CU_ASSERT_FALSE(tmr_same(tmr_docs[0], copy, why, sizeof(why)));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, ", real FAIL"));
	json_object_set_new(r0, "status",
			    json_string(tmr_str(json_array_get(json_object_get(tmr_docs[0], "results"), 0), "status")));
	json_object_set_new(r0, "deviation", json_string("library"));
	CU_ASSERT_FALSE(tmr_same(tmr_docs[0], copy, why, sizeof(why)));
	json_object_del(r0, "deviation");
	CU_ASSERT_TRUE(tmr_same(tmr_docs[0], copy, why, sizeof(why)));
	json_array_remove(json_object_get(copy, "results"), 0);
	CU_ASSERT_FALSE(tmr_same(tmr_docs[0], copy, why, sizeof(why)));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "(absent)"));
	json_decref(copy);
}

#define TMR_TEST(idx, name)                                                  \
	static void test_##name(void)                                        \
	{                                                                    \
		tmr_check(idx);                                              \
	}
TMR_TEST(0, libtfo)
TMR_TEST(1, owfat_blocks_nonblock)
TMR_TEST(2, owfat_no_connected)
TMR_TEST(3, connectx_ignore_srcif)
TMR_TEST(4, connectx_resume_connects)
TMR_TEST(5, connectx_resume_lost)

TEST_SUITE(timers, suite_init, suite_cleanup,
	   { "the comparison sees a changed verdict (planted)",
	     test_planted_difference },
	   { "libtfo: same verdicts with compressed and real timers", test_libtfo },
	   { "owfat_blocks_nonblock: same verdicts both ways",
	     test_owfat_blocks_nonblock },
	   { "owfat_no_connected: same verdicts both ways",
	     test_owfat_no_connected },
	   { "connectx_ignore_srcif: same verdicts both ways",
	     test_connectx_ignore_srcif },
	   { "connectx_resume_connects: same verdicts both ways",
	     test_connectx_resume_connects },
	   { "connectx_resume_lost: same verdicts both ways",
	     test_connectx_resume_lost })
