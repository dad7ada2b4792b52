/* SPDX-License-Identifier: MIT */
/*
 * Tests of the harness: topologies are ready and isolated, profiles land
 * in the right namespaces, the runner reports every outcome apart (PASS,
 * FAIL, XFAIL, XPASS, SKIP, CRASH, TIMEOUT, unstable under --repeat), its
 * exit codes, and the smoke cases pass on this kernel.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "util/util.h"
#include "netns/netns.h"
#include "netns/topo.h"
#include "tests/testlib.h"

#define NEED_ROOT()                                                          \
	do {                                                                 \
		if (!test_is_root()) {                                       \
			test_skip("needs root for network namespaces");      \
			return;                                              \
		}                                                            \
	} while (0)

static void test_topo_pair_ready(void)
{
	struct topo t;
	char v[64];
	int ret;

	NEED_ROOT();
	ret = topo_build(&t, TOPO_PAIR, profile_find("no-cookie"));
	CU_ASSERT_EQUAL_FATAL(ret, 0);
	/* the profile's values are in the right namespaces ... */
	CU_ASSERT_EQUAL(netns_sysctl_read(t.host[ROLE_CLIENT].nsfd,
					  "net/ipv4/tcp_fastopen", v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "5");
	CU_ASSERT_EQUAL(netns_sysctl_read(t.host[ROLE_SERVER].nsfd,
					  "net/ipv4/tcp_fastopen", v, sizeof(v)), 0);
	CU_ASSERT_STRING_EQUAL(v, "515"); /* 0x203 */
	/* ... and not in ours */
	CU_ASSERT_EQUAL(netns_sysctl_read(-1, "net/ipv4/tcp_fastopen", v,
					  sizeof(v)), 0);
	CU_ASSERT_STRING_NOT_EQUAL(v, "5");
	CU_ASSERT(t.client_ifindex > 1 && t.server_ifindex > 1);
	CU_ASSERT_EQUAL(t.host[ROLE_ROUTER].nsfd, -1);
	topo_destroy(&t);
}

/* Every family can talk over a fresh topology at once: no DAD wait, no
 * first-packet loss (a lost SYN would take 1 s). */
static void test_topo_families_fast(void)
{
	NEED_ROOT();
	for (int k = 0; k < 2; k++) {
		struct topo t;

		CU_ASSERT_EQUAL_FATAL(topo_build(&t, k ? TOPO_ROUTED : TOPO_PAIR,
						 NULL), 0);
		for (int f = 0; f < FAM_MAX; f++) {
			struct sockaddr_storage ss;
			socklen_t sl;
			int one = 1, l, c;
			double t0;

			if (k && f == FAM_LINKLOCAL)
				continue;
			l = topo_socket(&t, ROLE_SERVER,
					topo_server_domain((enum topo_family)f),
					SOCK_STREAM, 0);
			CU_ASSERT_FATAL(l >= 0);
			setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			topo_server_addr(&t, f == FAM_MAPPED ? FAM_IPV4 :
					 (enum topo_family)f, 7000, &ss, &sl);
			if (f == FAM_LINKLOCAL)
				((struct sockaddr_in6 *)&ss)->sin6_scope_id =
					(uint32_t)t.server_ifindex;
			CU_ASSERT_EQUAL_FATAL(bind(l, (struct sockaddr *)&ss, sl), 0);
			CU_ASSERT_EQUAL(listen(l, 4), 0);
			c = topo_socket(&t, ROLE_CLIENT,
					topo_family_domain((enum topo_family)f),
					SOCK_STREAM, 0);
			topo_server_addr(&t, (enum topo_family)f, 7000, &ss, &sl);
			t0 = util_now_ms();
			CU_ASSERT_EQUAL(connect(c, (struct sockaddr *)&ss, sl), 0);
			CU_ASSERT(util_now_ms() - t0 < 500);
			close(c);
			close(l);
		}
		topo_destroy(&t);
	}
}

/* ---- runner ----------------------------------------------------------- */

static int run_tool(const char *const *args, char **out, char **err,
		    int timeout_ms)
{
	char *argv[32];
	int n = 0;

	argv[n++] = TEST_TFOCHECK;
	while (*args && n < 31)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	return test_run_capture(argv, out, err, timeout_ms);
}

/* --out DIR/<platform-id>/ holds every writer's file and the pcap of a
 * failing case that had a wire observer. */
static void expect_out_dir(const char *dir)
{
	static const char *const files[] = {
		"results.json", "junit.xml", "results.tap", "cunit-Results.xml",
		"cunit-Listing.xml", "evidence/selftest.fail_tfo.pcap",
	};
	char cmd[600], *out = NULL, *err = NULL;
	char *const ls[] = { "sh", "-c", cmd, NULL };

	snprintf(cmd, sizeof(cmd), "cd %s/linux-* && ls -d %s %s %s %s %s %s && grep -c CUNIT_RUN_SUMMARY cunit-Results.xml",
		 dir, files[0], files[1], files[2], files[3], files[4], files[5]);
	CU_ASSERT_EQUAL(test_run_capture(ls, &out, &err, 5000), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		CU_ASSERT_PTR_NOT_NULL(strstr(out, files[i]));
	free(out);
	free(err);
}

static void test_run_outcomes_kept_apart(void)
{
	char dir[] = "/tmp/tfocheck-out-XXXXXX", rm[64];
	const char *args[] = { "run", "--api", "selftest", "--timeout", "1500",
			       "-j", "8", "--filter", "selftest.[!f]*",
			       "--filter", "selftest.fail", "--out", dir, NULL };
	char *out, *err;
	int rc;

	NEED_ROOT();
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	rc = run_tool(args, &out, &err, 20000);
	expect_out_dir(dir);
	snprintf(rm, sizeof(rm), "rm -rf %s", dir);
	(void)!system(rm);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS 1, FAIL 1, XFAIL 1, XPASS 1, SKIP 1, ERROR 0, CRASH 1, TIMEOUT 1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "killed by signal SEGV"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "process group killed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Run Summary"));
	if (rc != 1)
		fprintf(stderr, "%s\n%s\n", out, err);
	free(out);
	free(err);
}

static void test_run_repeat_flags_unstable(void)
{
	char dir[] = "/tmp/tfocheck-test-XXXXXX", *out, *err;
	const char *args[] = { "run", "--api", "selftest", "--filter",
			       "selftest.flaky", "--repeat", "4", "-j", "1", NULL };
	const char *stable[] = { "run", "--api", "selftest", "--filter",
				 "selftest.pass", "--repeat", "5", NULL };
	char path[64];
	int rc;

	NEED_ROOT();
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	setenv("TFOCHECK_SELFTEST_DIR", dir, 1);
	rc = run_tool(args, &out, &err, 20000);
	unsetenv("TFOCHECK_SELFTEST_DIR");
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "unstable over 4 runs (PASS×2 FAIL×2)"));
	free(out);
	free(err);
	rc = run_tool(stable, &out, &err, 20000);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NULL(strstr(out, "unstable"));
	free(out);
	free(err);
	snprintf(path, sizeof(path), "%s/flaky.count", dir);
	unlink(path);
	rmdir(dir);
}

/*
 * stderr is one line: exactly one '\n', at the very end.  With usage set,
 * the one line is followed by the usage text, which must start with it.
 */
static bool err_is_one_line(const char *err, const char *usage)
{
	const char *nl = strchr(err, '\n');

	if (!nl || nl == err)
		return false;
	if (!usage)
		return nl[1] == 0;
	return !strncmp(nl + 1, usage, strlen(usage));
}

struct exit_case {
	const char *args[10];
	int rc;
	const char *stderr_has;	/* in the first line */
	const char *then_usage;	/* NULL: nothing after the first line */
};

static void test_run_exit_codes(void)
{
	static const struct exit_case cases[] = {
		/* getopt's complaint, then the usage of run */
		{ { "run", "--bogus" }, 2, "unrecognized option '--bogus'",
		  "usage: tfocheck run " },
		{ { "run", "-j", "zero" }, 2, "-j wants 1..256, got 'zero'", NULL },
		{ { "run", "--api", "owfat" }, 2, "needs --lib", NULL },
		{ { "run", "--api", "nope" }, 2, "unknown API in 'nope'", NULL },
		{ { "run", "--profile", "nope" }, 2, "unknown profile 'nope'", NULL },
		{ { "run", "--lib", "/nonexistent/libx.so" }, 99,
		  "cannot load library '/nonexistent/libx.so'", NULL },
		{ { "run", "--lib", "libc.so.6", "--api", "owfat" }, 99,
		  "does not export socket_fastopen_connect4", NULL },
		/* a typo in a filter or an output path is a usage error,
		 * found before anything runs */
		{ { "run", "--filter", "no.such.case" }, 2,
		  "--filter 'no.such.case' matches no case", NULL },
		{ { "run", "--api", "smoke", "--filter", "smoke.*", "--filter", "typo*" }, 2,
		  "--filter 'typo*' matches no case", NULL },
		{ { "run", "--api", "smoke", "--json", "/nonexistent/dir/x.json" }, 2,
		  "cannot create '/nonexistent/dir/x.json': No such file or directory", NULL },
		{ { "run", "--api", "smoke", "--junit", "/tmp" }, 2,
		  "cannot create '/tmp': it is a directory", NULL },
		{ { "run", "--api", "smoke", "--cunit-xml", "/nonexistent/p" }, 2,
		  "cannot create '/nonexistent/p-Results.xml'", NULL },
		{ { "frobnicate" }, 2, "unknown command 'frobnicate'", NULL },
	};

	/* the check itself tells one line from the rest */
	CU_ASSERT_TRUE(err_is_one_line("tfocheck: x\n", NULL));
	CU_ASSERT_FALSE(err_is_one_line("tfocheck: x", NULL));
	CU_ASSERT_FALSE(err_is_one_line("tfocheck: x\nmore\n", NULL));
	CU_ASSERT_FALSE(err_is_one_line("", NULL));
	CU_ASSERT_FALSE(err_is_one_line("x\nnot the usage\n", "usage: "));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct exit_case *c = &cases[i];
		char *out, *err;
		int rc = run_tool(c->args, &out, &err, 10000);
		const char *nl = strchr(err, '\n');
		bool has = strstr(err, c->stderr_has) &&
			   (!nl || strstr(err, c->stderr_has) < nl);
		bool one = err_is_one_line(err, c->then_usage);

		CU_ASSERT_EQUAL(rc, c->rc);
		CU_ASSERT_TRUE(has);
		CU_ASSERT_TRUE(one);
		if (rc != c->rc || !has || !one)
			fprintf(stderr, "\n  %s %s: rc %d (expected %d), expected one line with \"%s\"%s; stderr: %s",
				c->args[0], c->args[1] ? c->args[1] : "", rc,
				c->rc, c->stderr_has,
				c->then_usage ? " and the usage" : "", err);
		free(out);
		free(err);
	}
}

/*
 * Ctrl-C: exit 130, one line for the interruption instead of one per
 * instance it left unfinished, and a results document that says so.
 */
static void test_run_interrupted(void)
{
	char dir[] = "/tmp/tfocheck-int-XXXXXX", json[64], out_path[64], cmd[300];
	char *const sh[] = { "sh", "-c", cmd, NULL };
	char *out = NULL, *err = NULL, *text;
	json_t *doc;
	json_error_t jerr;
	size_t i, flagged = 0, nres;
	json_t *r;
	int rc;

	NEED_ROOT();
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(json, sizeof(json), "%s/r.json", dir);
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	/* -j 1 with real timers makes the 52 smoke instances last at least
	 * 4 s (3 s of it SYN timeouts, which load cannot shorten); 2 s in,
	 * some have ended even while other suites hold the kernel's
	 * namespace locks (0.5 s was not always enough under make check) */
	snprintf(cmd, sizeof(cmd),
		 "%s run --api smoke -j 1 --real-timers --json %s > %s 2>&1 & p=$!; sleep 2; kill -INT $p; wait $p",
		 TEST_TFOCHECK, json, out_path);
	rc = test_run_capture(sh, NULL, NULL, 30000);
	CU_ASSERT_EQUAL(rc, 130);
	snprintf(cmd, sizeof(cmd), "cat %s", out_path);
	test_run_capture(sh, &out, &err, 5000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	text = strstr(out, "\ninterrupted: ");
	CU_ASSERT_PTR_NOT_NULL(text);
	CU_ASSERT_PTR_NULL(text ? strstr(text + 1, "\ninterrupted: ") : NULL);
	CU_ASSERT_PTR_NULL(strstr(out, "not run: interrupted"));
	CU_ASSERT_PTR_NULL(strstr(out, "ERROR   smoke."));
	if (!text || strstr(out, "not run: interrupted"))
		fprintf(stderr, "\n    run output:\n%s\n", out);
	doc = json_load_file(json, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_TRUE(json_is_true(json_object_get(doc, "interrupted")));
	nres = json_array_size(json_object_get(doc, "results"));
	json_array_foreach(json_object_get(doc, "results"), i, r)
		flagged += json_is_true(json_object_get(r, "interrupted"));
	/* some finished, some did not, and only those are flagged */
	CU_ASSERT(flagged > 0 && flagged < nres);
	if (!(flagged > 0 && flagged < nres))
		fprintf(stderr, "\n    %zu of %zu results flagged interrupted\n", flagged, nres);
	json_decref(doc);
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	test_run_capture(sh, NULL, NULL, 5000);
}

static void test_smoke_cases_pass(void)
{
	const char *args[] = { "run", "--api", "smoke", "-j", "16", NULL };
	char *out, *err;
	int rc;

	NEED_ROOT();
	rc = run_tool(args, &out, &err, 60000);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "FAIL 0, XFAIL 0, XPASS 0, SKIP 0, ERROR 0, CRASH 0, TIMEOUT 0"));
	if (rc)
		fprintf(stderr, "%s\n%s\n", out, err);
	free(out);
	free(err);
}

/* Rootless: as nobody, the run happens inside a user + network namespace
 * (when unprivileged user namespaces exist) or exits 77 saying why. */
static void test_run_rootless(void)
{
	char *out = NULL, *err = NULL, cwd[4096];
	int p[2], q[2], st = 0, rc;
	pid_t pid;

	if (!test_is_root()) {
		test_skip("needs root to become nobody");
		return;
	}
	CU_ASSERT_FATAL(getcwd(cwd, sizeof(cwd)) && !pipe(p) && !pipe(q));
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		char exe[4200];

		dup2(p[1], 1);
		dup2(q[1], 2);
		snprintf(exe, sizeof(exe), "%s/%s", cwd, TEST_TFOCHECK);
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(125);
		execl(exe, exe, "run", "--api", "smoke", "--filter",
		      "smoke.fault_rst_syn*", (char *)NULL);
		_exit(126); /* the tree is not reachable for nobody */
	}
	close(p[1]);
	close(q[1]);
	out = calloc(1, 65536);
	err = calloc(1, 4096);
	for (size_t o = 0, n; o < 65535 &&
	     (n = (size_t)read(p[0], out + o, 65535 - o)) > 0 && n < 65536;)
		o += n;
	for (size_t o = 0, n; o < 4095 &&
	     (n = (size_t)read(q[0], err + o, 4095 - o)) > 0 && n < 4096;)
		o += n;
	close(p[0]);
	close(q[0]);
	waitpid(pid, &st, 0);
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (rc == 125 || rc == 126) {
		test_skip("cannot run build/tfocheck as nobody here (exit %d)", rc);
	} else if (rc == 77) {
		/* no unprivileged user namespaces: one line saying so */
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "user namespaces"));
		CU_ASSERT_PTR_NOT_NULL(strchr(err, '\n'));
		CU_ASSERT_EQUAL(strchr(err, '\n'), err + strlen(err) - 1);
	} else {
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(out, "PASS 2, FAIL 0"));
	}
	free(out);
	free(err);
}

static void test_list(void)
{
	const char *cases[] = { "list", NULL };
	const char *profiles[] = { "list", "--profiles", NULL };
	const char *faults[] = { "list", "--faults", NULL };
	char *out, *err;

	CU_ASSERT_EQUAL(run_tool(cases, &out, &err, 5000), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "smoke.fault_drop_syn\n"));
	CU_ASSERT_PTR_NULL(strstr(out, "selftest."));
	free(out);
	free(err);
	CU_ASSERT_EQUAL(run_tool(profiles, &out, &err, 5000), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "server-nocookie"));
	free(out);
	free(err);
	CU_ASSERT_EQUAL(run_tool(faults, &out, &err, 5000), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "drop-syn-data"));
	free(out);
	free(err);
}

TEST_SUITE(harness, NULL, NULL,
	   { "topology pair is ready and profiled", test_topo_pair_ready },
	   { "every family connects at once", test_topo_families_fast },
	   { "outcomes are kept apart", test_run_outcomes_kept_apart },
	   { "--repeat reports unstable cases", test_run_repeat_flags_unstable },
	   { "exit codes and one-line errors", test_run_exit_codes },
	   { "an interrupted run: one line, flagged results", test_run_interrupted },
	   { "smoke cases pass on this kernel", test_smoke_cases_pass },
	   { "rootless run in a user namespace", test_run_rootless },
	   { "list cases, profiles, faults", test_list })
