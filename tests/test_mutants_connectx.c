/* SPDX-License-Identifier: MIT */
/*
 * The connectx cases catch bugs: every deliberately broken library
 * (tests/mutants/connectx_*.c, one clause broken each) makes
 * `tfocheck run --lib MUTANT --api connectx -j 8 --filter CASE` exit 1
 * with the case it was designed against reported FAIL or CRASH, and the
 * reference libtfo makes the whole connectx run exit 0.  (Each mutant was
 * also checked against the whole suite; see the report of issue 6.)
 *
 * Whole-suite runs take a few seconds each and mostly wait (handshakes,
 * timeouts), so a few run side by side: forked children report one byte
 * each through a pipe and the asserts stay in the parent.  Needs root.
 */
#include "tests/testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct cxm {
	const char *mutant;	/* tests/mutants/connectx_<mutant>.c */
	const char *case_id;	/* the case it must break */
};

static const struct cxm cxm_table[] = {
	{ "ignore_srcaddr", "connectx.srcaddr_binds" },
	{ "ignore_srcif", "connectx.srcif_enforced" },
	{ "len_unset", "connectx.data_iovecs_blocking" },
	{ "first_iov_only", "connectx.data_iovecs_blocking" },
	{ "resume_connects", "connectx.resume_idempotent_nonblocking" },
	{ "ignore_idempotent", "connectx.idempotent_syn_data" },
	{ "eisconn_zero", "connectx.already_connected" },
	{ "listen_errno", "connectx.listening" },
	{ "unix_connects", "connectx.unsupported_domain" },
	{ "udp_disconnect_noop", "connectx.dgram_disconnect_reconnect" },
	{ "null_endpoints_crash", "connectx.null_endpoints" },
	{ "any_associd", "connectx.associd_not_any" },
	{ "emsgsize_changes_state", "connectx.dgram_emsgsize" },
	{ "einprogress_hidden", "connectx.in_progress_ealready" },
	{ "tcp_disconnect_noop", "connectx.disconnectx_tcp_eof" },
	{ "resume_noop", "connectx.resume_only" },
	{ "resume_lost", "connectx.resume_idempotent_nonblocking" },
	{ "block_einprogress", "connectx.data_iovecs_blocking" },
	{ "ep_einval", "connectx.endpoints_unmapped" },
	{ "nb_wait", "connectx.nonblocking_einprogress" },
};

#define CXM_PARALLEL 2
#define CXM_TIMEOUT_MS 60000

enum cxm_verdict {
	CXM_OK = 'o',		/* exit as expected, case reported */
	CXM_EXIT = 'x',		/* wrong exit status */
	CXM_MISSED = 'm',	/* exit 1, but not the designed case */
	CXM_NORUN = 'n',	/* could not run */
};

/* One run; for a mutant, was case_id reported FAIL or CRASH? */
static char cxm_run_one(const char *lib, const char *case_id)
{
	/* a mutant runs only its designed case: the whole suite per mutant
	 * would take minutes; the reference runs everything */
	char *argv[] = { TEST_TFOCHECK, "run", "--lib", (char *)lib, "--api",
			 "connectx", "-j", "8", "--filter",
			 (char *)(case_id ? case_id : "*"), NULL };
	char fail[160], crash[160];
	char *out = NULL, *err = NULL;
	int rc = test_run_capture(argv, &out, &err, CXM_TIMEOUT_MS);
	char v;

	if (rc < 0) {
		v = CXM_NORUN;
	} else if (!case_id) {
		v = rc == 0 ? CXM_OK : CXM_EXIT;
		if (rc)
			fprintf(stderr, "\nlibtfo run exit %d:\n%s\n", rc,
				out ? out : "");
	} else if (rc != 1) {
		v = CXM_EXIT;
	} else {
		snprintf(fail, sizeof(fail), "FAIL    %s@", case_id);
		snprintf(crash, sizeof(crash), "CRASH   %s@", case_id);
		v = out && (strstr(out, fail) || strstr(out, crash)) ?
			    CXM_OK : CXM_MISSED;
	}
	free(out);
	free(err);
	return v;
}

static void test_connectx_mutants_caught(void)
{
	size_t n = sizeof(cxm_table) / sizeof(cxm_table[0]);
	char verdict[sizeof(cxm_table) / sizeof(cxm_table[0]) + 1];
	pid_t pid[sizeof(cxm_table) / sizeof(cxm_table[0]) + 1];
	int pipes[sizeof(cxm_table) / sizeof(cxm_table[0]) + 1][2];
	char lib[256];

	if (!test_is_root()) {
		test_skip("connectx mutants need root (network namespaces)");
		return;
	}
	if (access(TEST_TFOCHECK, X_OK) || access(TEST_LIBTFO, R_OK)) {
		test_skip("build/tfocheck or build/libtfo.so missing (make)");
		return;
	}
	/* job n is the reference; jobs 0..n-1 the mutants */
	for (size_t started = 0, reaped = 0; reaped <= n;) {
		if (started <= n && started - reaped < CXM_PARALLEL) {
			size_t i = started++;

			if (i < n)
				snprintf(lib, sizeof(lib), "%s/connectx_%s.so",
					 TEST_MUTANT_DIR, cxm_table[i].mutant);
			else
				snprintf(lib, sizeof(lib), "%s", TEST_LIBTFO);
			if (i < n && access(lib, R_OK)) {
				verdict[i] = CXM_NORUN;
				pid[i] = -1;
				continue;
			}
			if (pipe(pipes[i])) {
				verdict[i] = CXM_NORUN;
				pid[i] = -1;
				continue;
			}
			pid[i] = fork();
			if (pid[i] == 0) {
				char v = cxm_run_one(lib, i < n ?
						     cxm_table[i].case_id : NULL);

				(void)!write(pipes[i][1], &v, 1);
				_exit(0);
			}
			close(pipes[i][1]);
			continue;
		}
		if (pid[reaped] > 0) {
			if (read(pipes[reaped][0], &verdict[reaped], 1) != 1)
				verdict[reaped] = CXM_NORUN;
			close(pipes[reaped][0]);
			waitpid(pid[reaped], NULL, 0);
		}
		reaped++;
	}
	for (size_t i = 0; i < n; i++) {
		if (verdict[i] != CXM_OK)
			fprintf(stderr, "\nmutant connectx_%s: %s (%s)\n",
				cxm_table[i].mutant,
				verdict[i] == CXM_EXIT ? "run did not exit 1" :
				verdict[i] == CXM_MISSED ? "designed case not reported FAIL/CRASH" :
				"could not run (make mutants?)",
				cxm_table[i].case_id);
		CU_ASSERT_EQUAL(verdict[i], CXM_OK);
	}
	CU_ASSERT_EQUAL(verdict[n], CXM_OK);
}

TEST_SUITE(mutants_connectx, NULL, NULL,
	   { "each connectx mutant is caught by its case; libtfo passes",
	     test_connectx_mutants_caught });
