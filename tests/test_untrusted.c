/* SPDX-License-Identifier: MIT */
/*
 * The library under test is untrusted (docs/harness.md): each library in
 * tests/untrusted/ misbehaves in one way inside its calls — scribbling on
 * or closing every descriptor, forging a verdict and exiting, exiting,
 * crashing, hanging, daemonizing, changing signal state, arming an alarm,
 * printing, hogging memory, fork-bombing, filling the descriptor table —
 * and `tfocheck run` against it must still end as documented (exit 1,
 * never a crash of its own), give every instance the outcome that
 * misbehaviour deserves with a message saying so, write a results file
 * that loads, and leave nothing behind.
 *
 * "Nothing behind" is measured on what a run could leave, and only on
 * that: this process becomes a child subreaper, so every process of the
 * run — daemons and the cgroup janitor included — is reparented here and
 * must be gone within a few seconds (the run's namespaces live only as
 * long as its processes: they are anonymous); the run's pids cgroup
 * (named after the runner's pid) must be removed; and the veth links,
 * nft tables and tcp_fastopen sysctls of this namespace must be as they
 * were.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "reports/report.h"
#include "tests/testlib.h"
#include "util/util.h"

#define UNTRUSTED_DIR "build/untrusted"

struct untrusted {
	const char *lib;
	const char *status;	/* every instance's outcome */
	const char *says;	/* in every instance's message */
	/* --timeout: 1500 ms keeps "hangs" short; touching the 512 MiB the
	 * jail allows takes longer than that on a loaded machine */
	const char *timeout;
};

static const struct untrusted cases[] = {
	{ "scribble_fds", NULL, "socket_fastopen_connect", NULL },
	{ "forge_exit", NULL, "inside socket_fastopen_connect", NULL },
	{ "exits", "FAIL", "ended with exit status 3 inside socket_fastopen_connect", NULL },
	{ "crash", "CRASH", "signal SEGV inside socket_fastopen_connect", NULL },
	{ "hangs", "TIMEOUT", "inside socket_fastopen_connect", NULL },
	{ "daemonize", "FAIL", "left processes running", NULL },
	{ "closes_all", "FAIL", "closed descriptor 0, which the caller had open", NULL },
	{ "signals", "FAIL", "changed the disposition of SIGPIPE (SIG_DFL -> SIG_IGN)", NULL },
	{ "alarm", "FAIL", "left a real-time timer armed", NULL },
	{ "chatty", "FAIL", "bytes to stdout; wrote", NULL },
	{ "memhog", "CRASH", "signal SEGV inside socket_fastopen_connect", "10000" },
	{ "forkbomb", "ERROR", "hit their limit of", NULL },
	{ "fdfill", "FAIL", "open (/dev/null)", NULL },
};

/* the instances each library is run on: blocking success, blocking
 * failure, non-blocking, each through _connect4 and _connect6 */
static const char *const filters[] = {
	"owfat.returns_bytes_sent@tfo/ipv4", "owfat.err_refused@tfo/ipv6",
	"owfat.nonblock_count_or_inprogress@tfo/ipv4",
};
#define NINST (sizeof(filters) / sizeof(filters[0]))

/* This namespace's state a run could touch: veth links, nft tables,
 * tcp_fastopen sysctls (compared, not printed: the key is a secret). */
static char *local_state(void)
{
	static const char *const files[] = {
		"/proc/sys/net/ipv4/tcp_fastopen",
		"/proc/sys/net/ipv4/tcp_fastopen_blackhole_timeout_sec",
		"/proc/sys/net/ipv4/tcp_fastopen_key",
	};
	char *nft = NULL, *err = NULL, *acc = calloc(1, 65536);
	char *const argv[] = { "nft", "list", "tables", NULL };
	size_t off = 0;
	struct dirent *e;
	DIR *d = opendir("/sys/class/net");

	while (d && (e = readdir(d))) {
		char path[300], kind[64] = "";

		snprintf(path, sizeof(path), "/sys/class/net/%s/type", e->d_name);
		if (e->d_name[0] != '.' && !util_file_read(path, kind, sizeof(kind)))
			util_appendf(acc, 65536, &off, "link %s type %s", e->d_name,
				     kind);
	}
	if (d)
		closedir(d);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char v[256] = "";

		util_file_read(files[i], v, sizeof(v));
		util_appendf(acc, 65536, &off, "%s=%s", files[i], v);
	}
	if (test_run_capture(argv, &nft, &err, 5000) == 0)
		util_appendf(acc, 65536, &off, "nft: %s", nft);
	else
		util_appendf(acc, 65536, &off, "nft failed: %s", err ? err : "");
	free(nft);
	free(err);
	return acc;
}

/* Reap every process of the run; false if one is still alive after ms. */
static bool run_processes_gone(int ms)
{
	double end = util_now_ms() + ms;

	for (;;) {
		pid_t p = waitpid(-1, NULL, WNOHANG);

		if (p < 0 && errno == ECHILD)
			return true;
		if (p > 0)
			continue;
		if (util_now_ms() > end)
			return false;
		usleep(10000);
	}
}

/* Run tfocheck as a child of ours (so its pid names its cgroup): its
 * exit status, its stdout in *out; and assert it left nothing behind (no
 * process, no pids cgroup, this namespace's links, nft tables and
 * sysctls as they were). */
static int run_child(char *const argv[], char **out)
{
	char *before = local_state(), *after, cg[128];
	int p[2], st = 0, rc;
	struct stat sb;
	size_t len = 0, cap = 65536;
	pid_t pid;

	if (pipe(p))
		return -errno;
	pid = fork();
	if (pid == 0) {
		int nul = open("/dev/null", O_WRONLY);

		dup2(p[1], 1);
		dup2(nul, 2);
		close(p[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	*out = calloc(1, cap + 1);
	for (ssize_t r; (r = read(p[0], *out + len, cap - len)) > 0 && len < cap;)
		len += (size_t)r;
	close(p[0]);
	waitpid(pid, &st, 0);
	rc = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
	CU_ASSERT(run_processes_gone(5000));
	snprintf(cg, sizeof(cg), "/sys/fs/cgroup/pids/tfocheck.%d", (int)pid);
	CU_ASSERT(stat(cg, &sb) != 0);
	after = local_state();
	CU_ASSERT_STRING_EQUAL(before, after);
	free(before);
	free(after);
	return rc;
}

/* `tfocheck run` over the filters, against the library. */
static int run_untrusted(const char *lib, const char *timeout,
			 const char *json, char **out)
{
	char path[256], *argv[32];
	int n = 0;

	snprintf(path, sizeof(path), UNTRUSTED_DIR "/%s.so", lib);
	argv[n++] = TEST_TFOCHECK;
	argv[n++] = "run";
	argv[n++] = "--lib";
	argv[n++] = path;
	argv[n++] = "--reference";
	argv[n++] = "none";
	argv[n++] = "--timeout";
	argv[n++] = (char *)(timeout ? timeout : "1500");
	argv[n++] = "--json";
	argv[n++] = (char *)json;
	for (size_t i = 0; i < NINST; i++) {
		argv[n++] = "--filter";
		argv[n++] = (char *)filters[i];
	}
	argv[n] = NULL;
	return run_child(argv, out);
}

static void check_one(size_t k)
{
	const struct untrusted *u = &cases[k];
	char json[] = "/tmp/tfocheck-untrusted-XXXXXX", err[512];
	char *out = NULL;
	json_t *doc = NULL;
	int fd = mkstemp(json), rc;

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	rc = run_untrusted(u->lib, u->timeout, json, &out);
	/* documented: 1 = failures found; the runner itself never dies */
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_EQUAL_FATAL(report_load(json, &doc, err, sizeof(err)), 0);
	{
		json_t *res = json_object_get(doc, "results");

		CU_ASSERT_EQUAL(json_array_size(res), NINST);
		for (size_t i = 0; i < json_array_size(res); i++) {
			json_t *r = json_array_get(res, i);
			const char *status = json_string_value(json_object_get(r, "status"));
			const char *msg = json_string_value(json_object_get(r, "message"));

			CU_ASSERT_STRING_NOT_EQUAL(status, "PASS");
			if (u->status)
				CU_ASSERT_STRING_EQUAL(status, u->status);
			CU_ASSERT_PTR_NOT_NULL(strstr(msg, u->says));
			if ((u->status && strcmp(status, u->status)) ||
			    !strstr(msg, u->says))
				fprintf(stderr, "\n  %s: %s %s: %s", u->lib,
					json_string_value(json_object_get(r, "name")),
					status, msg);
		}
	}
	/* the library's own output never reaches the runner's */
	CU_ASSERT_PTR_NULL(strstr(out, "forged TAP line\n"));
	if (rc != 1)
		fprintf(stderr, "\n  %s: exit %d\n%s", u->lib, rc, out);
	json_decref(doc);
	unlink(json);
	free(out);
}

/* check(0..n-1) as the subreaper of everything they start. */
static void each_subreaped(void (*check)(size_t), size_t n)
{
	if (!test_is_root()) {
		test_skip("needs root for network namespaces");
		return;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	for (size_t i = 0; i < n; i++)
		check(i);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

static void test_untrusted_libraries(void)
{
	each_subreaped(check_one, sizeof(cases) / sizeof(cases[0]));
}

/*
 * `tfocheck fuzz` runs its scenarios in the same jails, and its workers
 * ring a doorbell descriptor the library can reach: a library that
 * scribbles on it, forges a record into it, crashes, hangs or daemonizes
 * still gets every scenario judged, with the end it deserves as the
 * divergence, and nothing is left behind.  (closes_all is left out: it
 * closes the server's own sockets inside the worker, so what the server
 * saw is not the same from run to run and the divergence is, rightly,
 * counted unstable.)
 */
static const struct {
	const char *lib, *field, *observed;
} fuzz_cases[] = {
	{ "scribble_fds", NULL, NULL },
	/* its writes end it (SIGPIPE) or its _exit does: inside the call */
	{ "forge_exit", "end", "inside socket_fastopen_connect" },
	{ "crash", "end", "killed by signal SEGV inside socket_fastopen_connect" },
	{ "hangs", "end", "did not return in time" },
	{ "daemonize", NULL, NULL },
};

static void check_fuzz(size_t k)
{
	char json[] = "/tmp/tfocheck-untrusted-fuzz-XXXXXX", path[256];
	char *argv[] = { TEST_TFOCHECK, "fuzz", "--lib", path, "--api", "owfat",
			 "--iterations", "1", "-j", "2", "--timeout", "500",
			 "--json", json, NULL };
	char *out = NULL;
	const json_t *f, *d;
	json_t *doc;
	size_t i;
	bool seen = false;
	int fd = mkstemp(json), rc;

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	snprintf(path, sizeof(path), UNTRUSTED_DIR "/%s.so", fuzz_cases[k].lib);
	rc = run_child(argv, &out);
	doc = json_load_file(json, 0, NULL);
	f = json_object_get(doc, "fuzz");
	json_array_foreach(json_object_get(f, "divergences"), i, d) {
		const char *fld = json_string_value(json_object_get(d, "field"));
		const char *obs = json_string_value(json_object_get(d, "observed"));

		seen |= !fuzz_cases[k].field ||
			(fld && obs && !strcmp(fld, fuzz_cases[k].field) &&
			 strstr(obs, fuzz_cases[k].observed));
	}
	/* 1: it diverges; every scenario judged, none a harness error */
	if (rc != 1 || !seen ||
	    json_integer_value(json_object_get(f, "scenarios")) != 1 ||
	    json_integer_value(json_object_get(f, "errors")) != 0)
		fprintf(stderr, "\n  fuzz %s: exit %d, %lld scenarios, %lld errors, %s divergence in %s\n%s",
			fuzz_cases[k].lib, rc,
			json_integer_value(json_object_get(f, "scenarios")),
			json_integer_value(json_object_get(f, "errors")),
			seen ? "a" : "no", fuzz_cases[k].field ? fuzz_cases[k].field : "any",
			out ? out : "");
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT(seen);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(f, "scenarios")), 1);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(f, "errors")), 0);
	json_decref(doc);
	unlink(json);
	free(out);
}

static void test_untrusted_fuzz(void)
{
	each_subreaped(check_fuzz, sizeof(fuzz_cases) / sizeof(fuzz_cases[0]));
}

TEST_SUITE(untrusted, NULL, NULL,
	   { "misbehaving libraries: right outcome, nothing left",
	     test_untrusted_libraries },
	   { "fuzz against misbehaving libraries: judged, nothing left",
	     test_untrusted_fuzz })
