/* SPDX-License-Identifier: MIT */
/*
 * Host hygiene: whatever way a run ends — normally, with crashing and
 * hanging cases, on SIGINT or SIGTERM mid-case, or with the runner itself
 * SIGKILLed — no named namespace, no veth or address or nft table in the
 * initial namespace, no changed sysctl, and no case process is left.
 * Each test snapshots the host before and after and compares.
 */
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"
#include "tests/testlib.h"

static void snap_cmd(char **acc, size_t *len, const char *const *argv)
{
	char *out = NULL, *err = NULL;
	size_t n;

	test_run_capture((char *const *)argv, &out, &err, 5000);
	n = strlen(out);
	*acc = realloc(*acc, *len + n + 2);
	memcpy(*acc + *len, out, n);
	*len += n;
	(*acc)[(*len)++] = '\n';
	(*acc)[*len] = 0;
	free(out);
	free(err);
}

static void snap_dir(char **acc, size_t *len, const char *dir,
		     const char *prefix)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[512], val[512], line[1100];
		size_t n;

		if (strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (util_file_read(path, val, sizeof(val)))
			continue;
		/* compared, never printed (tcp_fastopen_key is a secret) */
		n = (size_t)snprintf(line, sizeof(line), "%s=%s", e->d_name, val);
		*acc = realloc(*acc, *len + n + 1);
		memcpy(*acc + *len, line, n);
		*len += n;
		(*acc)[*len] = 0;
	}
	closedir(d);
}

static char *host_snapshot(void)
{
	static const char *const cmds[][6] = {
		{ "ip", "netns", "list", NULL },
		{ "ip", "-o", "link", "show", NULL },
		{ "ip", "-o", "addr", "show", NULL },
		{ "nft", "list", "tables", NULL },
	};
	char *acc = calloc(1, 1);
	size_t len = 0;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		snap_cmd(&acc, &len, cmds[i]);
	snap_dir(&acc, &len, "/proc/sys/net/ipv4", "tcp_");
	snap_dir(&acc, &len, "/proc/sys/net/ipv4", "ip_forward");
	snap_dir(&acc, &len, "/proc/sys/net/ipv6/conf/default", "");
	snap_dir(&acc, &len, "/proc/sys/net/ipv6/conf/all", "");
	return acc;
}

/* Reap every orphan (we are their subreaper); 1 if some child was still
 * alive after timeout_ms. */
static int reap_all(int timeout_ms)
{
	double end = util_now_ms() + timeout_ms;

	for (;;) {
		pid_t p = waitpid(-1, NULL, WNOHANG);

		if (p < 0 && errno == ECHILD)
			return 0;
		if (p > 0)
			continue;
		if (util_now_ms() > end)
			return 1;
		usleep(10000);
	}
}

static void expect_clean(const char *before, const char *when)
{
	char *after = host_snapshot();

	CU_ASSERT_STRING_EQUAL(before, after);
	if (strcmp(before, after))
		fprintf(stderr, "\n  host state changed %s\n", when);
	free(after);
}

static void test_clean_after_every_outcome(void)
{
	char *const argv[] = { TEST_TFOCHECK, "run", "--api", "selftest",
			       "--timeout", "1000", "-j", "8", NULL };
	char *before, *out, *err;

	if (!test_is_root()) {
		test_skip("needs root");
		return;
	}
	before = host_snapshot();
	CU_ASSERT_EQUAL(test_run_capture(argv, &out, &err, 30000), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "CRASH 1, TIMEOUT 1"));
	expect_clean(before, "after a run with crashing and hanging cases");
	free(before);
	free(out);
	free(err);
}

/* Start a run whose case hangs, then signal the runner mid-case. */
static void signal_mid_run(int sig, int want_rc)
{
	char *before;
	int status = 0, left;
	pid_t pid;

	if (!test_is_root()) {
		test_skip("needs root");
		return;
	}
	before = host_snapshot();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", 1);

		dup2(fd, 1);
		dup2(fd, 2);
		execl(TEST_TFOCHECK, TEST_TFOCHECK, "run", "--api", "selftest",
		      "--filter", "selftest.hang", "--filter", "selftest.pass",
		      "--timeout", "60000", "-j", "2", (char *)NULL);
		_exit(127);
	}
	usleep(400000); /* the hang case has built its topology by now */
	kill(pid, sig);
	waitpid(pid, &status, 0);
	if (want_rc >= 0) {
		CU_ASSERT(WIFEXITED(status));
		CU_ASSERT_EQUAL(WEXITSTATUS(status), want_rc);
	} else {
		CU_ASSERT(WIFSIGNALED(status));
	}
	/* PR_SET_PDEATHSIG / the runner's own kill: no case process stays */
	left = reap_all(3000);
	CU_ASSERT_EQUAL(left, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	expect_clean(before, "after a signal mid-run");
	free(before);
}

static void test_clean_after_sigint(void)
{
	signal_mid_run(SIGINT, 130);
}

static void test_clean_after_sigterm(void)
{
	signal_mid_run(SIGTERM, 130);
}

static void test_clean_after_sigkill(void)
{
	signal_mid_run(SIGKILL, -1);
}

TEST_SUITE(hygiene, NULL, NULL,
	   { "clean after crash, hang, fail", test_clean_after_every_outcome },
	   { "clean after SIGINT mid-case", test_clean_after_sigint },
	   { "clean after SIGTERM mid-case", test_clean_after_sigterm },
	   { "clean after SIGKILL of the runner", test_clean_after_sigkill })
