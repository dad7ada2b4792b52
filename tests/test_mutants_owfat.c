/* SPDX-License-Identifier: MIT */
/*
 * The owfat conformance cases catch bugs: every mutant library in
 * tests/mutants/owfat_*.c breaks one clause of socket_fastopen_connect4/6(3),
 * and `tfocheck run --api owfat --filter CASE` on it must exit 1 with the
 * case designed for that clause FAILing in exactly the instances (profiles
 * x families) the mutant breaks, labelled "library deviation" (the
 * reference libtfo passes there), and passing in the others -- while
 * libtfo passes the whole family (exit 0).  A mutant that is no bug (an
 * optional symbol left out) instead names the rows that must report SKIP,
 * with exit 0.
 *
 * The table below says, per mutant, what it breaks; it was read off each
 * mutant's source and confirmed by running it over the whole family.  The
 * instances follow from the mutant's mechanism: owfat_ignore_scope only
 * matters where a scope is needed (ipv6-linklocal); owfat_loses_tail only
 * where the data rides the SYN (profiles tfo and no-cookie; under
 * client-off the fallback sends everything); the fallback mutants only
 * where the client may not use TFO (client-off, client-server-only); "*"
 * is every instance the row runs in, where the mechanism touches all.
 *
 * The judge itself (tests/mutant_check.c) is shown to reject a catch in
 * the wrong family or profile, a platform deviation, and a failure where
 * the mutant changes nothing, on the real results of these runs.
 *
 * The runs take a second or three each, mostly waiting on timeouts, so
 * the suite's init starts them all, a few at a time, and the tests read
 * the results files.  Needs root (network namespaces); skips otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/mutant_check.h"
#include "tests/testlib.h"
#include "util/util.h"

#define OWM_PARALLEL 2
#define OWM_TIMEOUT_MS 60000

/* a FAIL that the reference run does not have */
#define LIB "FAIL", "library"

struct owm {
	const char *name;	/* tests/mutants/<name>.c */
	int rc;			/* tfocheck's exit status */
	struct mut_expect expect[3];
};

static const struct owm owm_table[] = {
	{ "owfat_never_tfo", 1,
	  { { "owfat.no_ack_before_data", "*", "*", LIB } } },
	{ "owfat_ret_zero", 1,
	  { { "owfat.returns_bytes_sent", "*", "*", LIB } } },
	{ "owfat_twice_fallback", 1,
	  { { "owfat.no_tfo_connect_write", "client-off,client-server-only", "*", LIB } } },
	{ "owfat_ignore_scope", 1,
	  { { "owfat.returns_bytes_sent", "*", "ipv6-linklocal", LIB } } },
	{ "owfat_blocks_nonblock", 1,
	  { { "owfat.nonblock_returns_at_once", "*", "*", LIB } } },
	{ "owfat_no_fallback", 1,
	  { { "owfat.no_tfo_connect_write", "client-off,client-server-only", "*", LIB } } },
	{ "owfat_connected_lies", 1,
	  { { "owfat.nonblock_refused", "*", "*", LIB } } },
	{ "owfat_loses_tail", 1,
	  { { "owfat.large_3000", "tfo,no-cookie", "*", LIB } } },
	{ "owfat_new_fd", 1,
	  { { "owfat.same_socket", "*", "*", LIB } } },
	{ "owfat_wrong_errno", 1,
	  { { "owfat.err_refused", "*", "*", LIB } } },
	{ "owfat_fixed_port", 1,
	  { { "owfat.unbound_ephemeral_port", "*", "*", LIB } } },
	{ "owfat_leaves_nonblock", 1,
	  { { "owfat.same_socket", "*", "*", LIB } } },
	{ "owfat_inprogress_after_data", 1,
	  { { "owfat.nonblock_data_in_syn", "*", "*", LIB } } },
	{ "owfat_len0_noconnect", 1,
	  { { "owfat.len_zero_connects", "*", "*", LIB } } },
	{ "owfat_swap_fd_on_error", 1,
	  { { "owfat.err_eisconn", "*", "*", LIB },
	    { "owfat.err_ealready", "*", "*", LIB },
	    { "owfat.err_linklocal_no_scope", "*", "ipv6-linklocal", LIB } } },
	{ "owfat_eisconn_shutdown", 1,
	  { { "owfat.err_eisconn", "*", "*", LIB } } },
	{ "owfat_ealready_aborts", 1,
	  { { "owfat.err_ealready", "*", "*", LIB } } },
	{ "owfat_nb_fail_blocking", 1,
	  { { "owfat.nonblock_refused", "*", "*", LIB } } },
	/* what a call must not do (issue 14): side effects, timing, a
	 * path with delay */
	{ "owfat_leaks_fd", 1,
	  { { "owfat.returns_bytes_sent", "*", "*", LIB } } },
	{ "owfat_nodelay", 1,
	  { { "owfat.returns_bytes_sent", "*", "*", LIB } } },
	{ "owfat_sigpipe_ign", 1,
	  { { "owfat.returns_bytes_sent", "*", "*", LIB } } },
	{ "owfat_nb_sleeps", 1,
	  { { "owfat.nonblock_count_or_inprogress", "*", "*", LIB } } },
	{ "owfat_fallback_corks", 1,
	  { { "owfat.no_tfo_connect_write", "client-off,client-server-only", "*", LIB } } },
	{ "owfat_blocking_early", 1,
	  { { "owfat.delayed_blocking", "*", "*", LIB } } },
	/* no bug: socket_connected is optional.  The rows whose clause it
	 * is SKIP; a row that only uses it on the side still PASSes on its
	 * own clause (and makes the run more than skips: exit 0, not 77). */
	{ "owfat_no_connected", 0,
	  { { "owfat.nonblock_refused", "*", "*", "SKIP", NULL },
	    { "owfat.nonblock_hostunreach", "*", "*", "SKIP", NULL },
	    { "owfat.nonblock_returns_at_once", "*", "*", "PASS", NULL } } },
};
#define OWM_N ARRAY_SIZE(owm_table)

/* job 0 is libtfo over the whole family, job i+1 is owm_table[i] */
static struct mut_job owm_jobs[OWM_N + 1];
static json_t *owm_results[OWM_N + 1];
static char owm_libs[OWM_N][256], owm_dir[64];
static int owm_ran = -ENOENT;

static int suite_init(void)
{
	if (!test_is_root())
		return 0;
	owm_jobs[0] = (struct mut_job){ .lib = TEST_LIBTFO, .api = "owfat" };
	for (size_t i = 0; i < OWM_N; i++) {
		struct mut_job *j = &owm_jobs[i + 1];

		snprintf(owm_libs[i], sizeof(owm_libs[i]), "%s/%s.so",
			 TEST_MUTANT_DIR, owm_table[i].name);
		*j = (struct mut_job){ .lib = owm_libs[i], .api = "owfat" };
		for (size_t e = 0; e < 3 && owm_table[i].expect[e].id; e++)
			j->filters[e] = owm_table[i].expect[e].id;
	}
	owm_ran = mut_jobs_run(owm_jobs, OWM_N + 1, OWM_PARALLEL, owm_dir,
			       sizeof(owm_dir), OWM_TIMEOUT_MS);
	for (size_t i = 0; !owm_ran && i <= OWM_N; i++)
		owm_results[i] = mut_results_load(owm_jobs[i].json);
	return 0;
}

static int suite_cleanup(void)
{
	for (size_t i = 0; i <= OWM_N; i++) {
		json_decref(owm_results[i]);
		owm_results[i] = NULL;
	}
	mut_dir_remove(owm_dir);
	return 0;
}

static bool owm_ready(void)
{
	if (!test_is_root()) {
		test_skip("needs root for network namespaces");
		return false;
	}
	if (owm_ran) {
		char msg[128];

		snprintf(msg, sizeof(msg), "mutant runs could not start: %s",
			 util_errno_name(-owm_ran));
		CU_assertImplementation(CU_FALSE, __LINE__, msg, __FILE__, "",
					CU_FALSE);
		return false;
	}
	return true;
}

static void test_libtfo_passes(void)
{
	char msg[900], list[600];
	size_t bad;

	if (!owm_ready())
		return;
	bad = mut_bad_list(owm_results[0], list, sizeof(list));
	snprintf(msg, sizeof(msg), "libtfo: expected exit 0 and no failing instance over the owfat family; observed exit %d, %zu instances, %zu failing (%s)",
		 owm_jobs[0].rc, json_array_size(owm_results[0]), bad, list);
	CU_assertImplementation(owm_jobs[0].rc == 0 && bad == 0 &&
				json_array_size(owm_results[0]) > 0,
				__LINE__, msg, __FILE__, "", CU_FALSE);
}

static void owm_check(size_t i)
{
	const struct owm *m = &owm_table[i];
	const struct mut_job *j = &owm_jobs[i + 1];
	char msg[2300], why[2048];

	if (!owm_ready())
		return;
	snprintf(msg, sizeof(msg), "%s: expected exit %d; observed %d",
		 m->name, m->rc, j->rc);
	CU_assertImplementation(j->rc == m->rc, __LINE__, msg, __FILE__, "",
				CU_FALSE);
	for (size_t e = 0; e < 3 && m->expect[e].id; e++) {
		bool ok = mut_expect_check(owm_results[i + 1], &m->expect[e],
					   owm_results[0], why, sizeof(why));

		snprintf(msg, sizeof(msg), "%s: %s", m->name, why);
		CU_assertImplementation(ok, __LINE__, msg, __FILE__, "",
					CU_FALSE);
	}
}

/* index in owm_table of a mutant */
static size_t owm_index(const char *name)
{
	for (size_t i = 0; i < OWM_N; i++)
		if (!strcmp(owm_table[i].name, name))
			return i;
	return 0;
}

/* Set key to value on every instance of id in results (a copy). */
static json_t *owm_doctored(const json_t *results, const char *id,
			    const char *family, const char *key,
			    const char *value)
{
	json_t *copy = json_deep_copy(results), *r;
	size_t i;

	json_array_foreach(copy, i, r) {
		const char *rid = json_string_value(json_object_get(r, "id"));
		const char *fam = json_string_value(json_object_get(r, "family"));

		if (rid && fam && !strcmp(rid, id) && !strcmp(fam, family))
			json_object_set_new(r, key, json_string(value));
	}
	return copy;
}

/*
 * Planted faults for the judge, on real results: ignore_scope breaks only
 * ipv6-linklocal and loses_tail only tfo/no-cookie, so expectations in
 * the wrong family or profile must be rejected; so must the right
 * instances labelled platform deviation, a platform label the reference
 * does not back with a FAIL of its own, and a FAIL in a family the mutant
 * leaves alone.
 */
static void test_judge_rejects_wrong_catch(void)
{
	const json_t *scope = owm_results[1 + owm_index("owfat_ignore_scope")];
	const json_t *tail = owm_results[1 + owm_index("owfat_loses_tail")];
	const struct mut_expect ll = { "owfat.returns_bytes_sent", "*",
				       "ipv6-linklocal", LIB };
	const struct mut_expect v4 = { "owfat.returns_bytes_sent", "*", "ipv4", LIB };
	const struct mut_expect off = { "owfat.large_3000", "client-off", "*", LIB };
	const struct mut_expect llp = { "owfat.returns_bytes_sent", "*",
					"ipv6-linklocal", "FAIL", "platform" };
	json_t *platform, *extra;
	char why[2048];

	if (!owm_ready())
		return;
	/* the real table row holds ... */
	CU_ASSERT_TRUE(mut_expect_check(scope, &ll, owm_results[0], why, sizeof(why)));
	/* ... the same mutant expected in the wrong family does not */
	CU_ASSERT_FALSE(mut_expect_check(scope, &v4, owm_results[0], why, sizeof(why)));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "/ipv4: expected FAIL; observed PASS"));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "ipv6-linklocal: expected no failure where the mutant changes nothing; observed FAIL"));
	/* ... nor a mutant expected in the wrong profile */
	CU_ASSERT_FALSE(mut_expect_check(tail, &off, owm_results[0], why, sizeof(why)));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "owfat.large_3000@client-off/ipv4: expected FAIL; observed PASS"));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "owfat.large_3000@tfo/ipv4: expected no failure where the mutant changes nothing"));
	/* the right instances, but a platform deviation, do not count */
	platform = owm_doctored(scope, "owfat.returns_bytes_sent", "ipv6-linklocal",
				"deviation", "platform");
	CU_ASSERT_FALSE(mut_expect_check(platform, &ll, owm_results[0], why, sizeof(why)));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "expected library deviation; observed platform deviation"));
	/* a platform label counts only where the reference fails too */
	CU_ASSERT_FALSE(mut_expect_check(platform, &llp, owm_results[0], why, sizeof(why)));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "a platform deviation needs the reference's FAIL here; the reference run has PASS"));
	/* a FAIL where the mutant changes nothing fails the row */
	extra = owm_doctored(scope, "owfat.returns_bytes_sent", "ipv4", "status", "FAIL");
	CU_ASSERT_FALSE(mut_expect_check(extra, &ll, owm_results[0], why, sizeof(why)));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "/ipv4: expected no failure where the mutant changes nothing; observed FAIL"));
	json_decref(platform);
	json_decref(extra);
}

#define OWM_TEST(name)                                                       \
	static void test_##name(void)                                        \
	{                                                                    \
		owm_check(owm_index("owfat_" #name));                        \
	}
OWM_TEST(never_tfo)
OWM_TEST(ret_zero)
OWM_TEST(twice_fallback)
OWM_TEST(ignore_scope)
OWM_TEST(blocks_nonblock)
OWM_TEST(no_fallback)
OWM_TEST(connected_lies)
OWM_TEST(loses_tail)
OWM_TEST(new_fd)
OWM_TEST(wrong_errno)
OWM_TEST(fixed_port)
OWM_TEST(leaves_nonblock)
OWM_TEST(inprogress_after_data)
OWM_TEST(len0_noconnect)
OWM_TEST(swap_fd_on_error)
OWM_TEST(eisconn_shutdown)
OWM_TEST(ealready_aborts)
OWM_TEST(nb_fail_blocking)
OWM_TEST(no_connected)

TEST_SUITE(mutants_owfat, suite_init, suite_cleanup,
	   { "libtfo passes the owfat family", test_libtfo_passes },
	   { "the judge rejects a catch in the wrong place (planted)",
	     test_judge_rejects_wrong_catch },
	   { "owfat_never_tfo caught", test_never_tfo },
	   { "owfat_ret_zero caught", test_ret_zero },
	   { "owfat_twice_fallback caught", test_twice_fallback },
	   { "owfat_ignore_scope caught (ipv6-linklocal only)", test_ignore_scope },
	   { "owfat_blocks_nonblock caught", test_blocks_nonblock },
	   { "owfat_no_fallback caught", test_no_fallback },
	   { "owfat_connected_lies caught", test_connected_lies },
	   { "owfat_loses_tail caught (tfo, no-cookie)", test_loses_tail },
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
