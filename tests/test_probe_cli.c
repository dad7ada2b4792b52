/* SPDX-License-Identifier: MIT */
/*
 * `build/tfocheck probe` end to end.  Each sysctl row runs the binary in a
 * forked child that first moves into a fresh network namespace (lo up,
 * net.ipv4.tcp_fastopen written there), so the probe's "current
 * namespace" is one we control; the JSON is then checked bit by bit and
 * the live result against what that value means:
 *
 *   0      client bit off: MSG_FASTOPEN/TCP_FASTOPEN_CONNECT
 *          disabled-by-sysctl, live client-disabled, exit 1
 *   1, 3   cookie on conn 1, SYN data on conn 2, exit 0
 *   5      0x4 sends SYN data with no cookie; the live server (3) checks
 *          cookies, ignores it: DATA_NOT_ACKED on both connections, no
 *          cookie cached, ActiveFail +2, exit 1
 *   0x203  0x200 is a server bit: the client behaves as 1, exit 0
 *   0x8001 an unknown bit is reported, and does not hurt the client
 *
 * The hygiene test snapshots the init namespace (tcp_fastopen sysctls,
 * links, named namespaces, nftables) around runs of the probe.
 */
#include "tests/testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"
#include "netns/rtnl.h"

/* Child: private netns with tcp_fastopen = v, then exec the probe.  Output
 * goes to files (no pipe-size deadlock, nothing to poll). */
static int run_in_ns(long v, const char *arg, char **out, char **err)
{
	char outp[] = "/tmp/tfoprobe-out.XXXXXX", errp[] = "/tmp/tfoprobe-err.XXXXXX";
	int ofd = mkstemp(outp), efd = mkstemp(errp), status = -1;
	pid_t pid;

	*out = *err = NULL;
	if (ofd < 0 || efd < 0)
		goto out;
	pid = fork();
	if (pid == 0) {
		struct rtnl r;
		char val[32];

		if (unshare(CLONE_NEWNET) || rtnl_open(&r, -1) ||
		    rtnl_link_set_up(&r, 1, true))
			_exit(100);
		snprintf(val, sizeof(val), "%ld", v);
		if (util_file_write("/proc/sys/net/ipv4/tcp_fastopen", val))
			_exit(101);
		dup2(ofd, 1);
		dup2(efd, 2);
		execl(TEST_TFOCHECK, TEST_TFOCHECK, "probe", arg, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		goto out;
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	*out = calloc(1, 1 << 20);
	*err = calloc(1, 4096);
	if (*out && *err) {
		util_file_read(outp, *out, 1 << 20);
		util_file_read(errp, *err, 4096);
	}
out:
	if (ofd >= 0) {
		close(ofd);
		unlink(outp);
	}
	if (efd >= 0) {
		close(efd);
		unlink(errp);
	}
	return status;
}

static json_t *jget(json_t *root, const char *path)
{
	char buf[128], *save = NULL;
	json_t *j = root;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k && j; k = strtok_r(NULL, ".", &save)) {
		char *end;
		long idx = strtol(k, &end, 10);

		j = *end ? json_object_get(j, k) : json_array_get(j, idx);
	}
	return j;
}

static const char *jstr(json_t *root, const char *path)
{
	const char *s = json_string_value(jget(root, path));

	return s ? s : "(missing)";
}

static json_int_t jint(json_t *root, const char *path)
{
	json_t *j = jget(root, path);

	return json_is_integer(j) ? json_integer_value(j) : -12345;
}

static int jbool(json_t *root, const char *path)
{
	json_t *j = jget(root, path);

	return json_is_boolean(j) ? json_is_true(j) : -1;
}

#define EXPECT_STR(root, path, want)                                          \
	do {                                                                  \
		const char *got_ = jstr(root, path);                          \
		if (strcmp(got_, want))                                       \
			fprintf(stderr, "\n    %s: got %s, want %s", path, got_, want); \
		CU_ASSERT_STRING_EQUAL(got_, want);                           \
	} while (0)

static void check_value(long v)
{
	static const char *const fams[] = { "ipv4", "ipv6" };
	bool client = v & 1, nocookie = v & 4;
	char *out, *err, path[96];
	json_error_t je;
	json_t *j;
	int rc;

	rc = run_in_ns(v, "--json", &out, &err);
	CU_ASSERT_FATAL(out && err);
	j = json_loads(out, 0, &je);
	CU_ASSERT_PTR_NOT_NULL(j);
	if (!j) {
		fprintf(stderr, "\n    tcp_fastopen=0x%lx rc=%d: bad JSON: %s\n%s", v, rc,
			je.text, err);
		goto out;
	}
	CU_ASSERT_EQUAL(jint(j, "schema"), 1);
	CU_ASSERT_EQUAL(jint(j, "sysctl.tcp_fastopen"), v);
	CU_ASSERT_EQUAL(jbool(j, "sysctl.tcp_fastopen_bits.client"), client);
	CU_ASSERT_EQUAL(jbool(j, "sysctl.tcp_fastopen_bits.server"), !!(v & 2));
	CU_ASSERT_EQUAL(jbool(j, "sysctl.tcp_fastopen_bits.client_no_cookie"), nocookie);
	CU_ASSERT_EQUAL(jbool(j, "sysctl.tcp_fastopen_bits.server_cookie_not_required"),
			!!(v & 0x200));
	CU_ASSERT_EQUAL(jbool(j, "sysctl.tcp_fastopen_bits.server_without_sockopt"),
			!!(v & 0x400));
	CU_ASSERT_EQUAL(jint(j, "sysctl.tcp_fastopen_bits.unknown_bits"), v & ~0x607L);
	/* a fresh namespace: no listener ever ran here, the key is unset */
	EXPECT_STR(j, "sysctl.tcp_fastopen_key", "unset");

	EXPECT_STR(j, "kernel_support.MSG_FASTOPEN.state",
		   client ? "supported" : "disabled-by-sysctl");
	EXPECT_STR(j, "kernel_support.TCP_FASTOPEN_CONNECT.state",
		   client ? "supported" : "disabled-by-sysctl");
	EXPECT_STR(j, "kernel_support.TCP_FASTOPEN.state",
		   v & 0x402 ? "supported" : "disabled-by-sysctl");
	EXPECT_STR(j, "kernel_support.TCP_FASTOPEN_KEY.state", "supported");
	EXPECT_STR(j, "kernel_support.ipv6.state", "supported");
	EXPECT_STR(j, "isolation.veth.state", "supported");
	CU_ASSERT_EQUAL(jbool(j, "live.ran"), 1);
	CU_ASSERT_EQUAL(jint(j, "live.client_tcp_fastopen"), v);

	for (int f = 0; f < 2; f++) {
#define P(s) (snprintf(path, sizeof(path), "live.%s.%s", fams[f], s), path)
		if (!client) {
			EXPECT_STR(j, P("result"), "client-disabled");
			EXPECT_STR(j, P("connections.0.errno"), "EOPNOTSUPP");
		} else if (nocookie) {
			EXPECT_STR(j, P("result"), "failed");
			CU_ASSERT_EQUAL(jbool(j, P("cookie_cached")), 0);
			for (int c = 0; c < 2; c++) {
				char cp[64];

				snprintf(cp, sizeof(cp), "connections.%d.", c);
				strcat(cp, "fastopen_client_fail");
				EXPECT_STR(j, P(cp), "DATA_NOT_ACKED");
				snprintf(cp, sizeof(cp), "connections.%d.client_syn_data", c);
				CU_ASSERT_EQUAL(jbool(j, P(cp)), 0);
				snprintf(cp, sizeof(cp), "connections.%d.server_syn_data", c);
				CU_ASSERT_EQUAL(jbool(j, P(cp)), 0);
				snprintf(cp, sizeof(cp), "connections.%d.received", c);
				CU_ASSERT_EQUAL(jint(j, P(cp)), 100); /* retransmitted */
			}
			CU_ASSERT_EQUAL(jint(j, P("counters_delta.TCPFastOpenActiveFail")), 2);
			CU_ASSERT_EQUAL(jint(j, P("counters_delta.TCPFastOpenActive")), 0);
		} else {
			EXPECT_STR(j, P("result"), "works");
			EXPECT_STR(j, P("connections.0.fastopen_client_fail"), "COOKIE_UNAVAILABLE");
			CU_ASSERT_EQUAL(jbool(j, P("connections.0.client_syn_data")), 0);
			CU_ASSERT_EQUAL(jbool(j, P("cookie_cached")), 1);
			CU_ASSERT_EQUAL(jint(j, P("cookie_len")), 8);
			CU_ASSERT_EQUAL(jbool(j, P("connections.1.client_syn_data")), 1);
			CU_ASSERT_EQUAL(jbool(j, P("connections.1.server_syn_data")), 1);
			CU_ASSERT_EQUAL(jint(j, P("connections.1.received")), 100);
			CU_ASSERT_EQUAL(jint(j, P("counters_delta.TCPFastOpenActive")), 1);
			CU_ASSERT_EQUAL(jint(j, P("counters_delta.TCPFastOpenActiveFail")), 0);
		}
#undef P
	}
	if (client)
		EXPECT_STR(j, "kernel_support.tcpi_fastopen_client_fail.state", "supported");

	if (!client || nocookie) {
		CU_ASSERT_EQUAL(rc, 1);
		CU_ASSERT_EQUAL(jbool(j, "usable"), 0);
		/* one line on stderr saying why */
		CU_ASSERT(strlen(err) > 0 && strchr(err, '\n') == err + strlen(err) - 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, client ? "DATA_NOT_ACKED" : "lacks the client bit"));
	} else {
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT_EQUAL(jbool(j, "usable"), 1);
		CU_ASSERT_STRING_EQUAL(err, "");
	}
	CU_ASSERT_EQUAL(jint(j, "exit_code"), rc);
	json_decref(j);
out:
	free(out);
	free(err);
}

#define ROW(name, v)                                                          \
	static void name(void)                                                \
	{                                                                     \
		if (!test_is_root()) {                                        \
			test_skip("needs root (private network namespaces)"); \
			return;                                               \
		}                                                             \
		check_value(v);                                               \
	}
ROW(test_sysctl_0, 0)
ROW(test_sysctl_1, 1)
ROW(test_sysctl_3, 3)
ROW(test_sysctl_5, 5)
ROW(test_sysctl_0x203, 0x203)
ROW(test_sysctl_unknown_bit, 0x8001)

static void test_usage(void)
{
	char *argv1[] = { TEST_TFOCHECK, "probe", "--frobnicate", NULL };
	char *argv2[] = { TEST_TFOCHECK, "probe", "--json", "--macros", NULL };
	char *argv3[] = { TEST_TFOCHECK, "probe", "--help", NULL };
	char *out, *err;

	CU_ASSERT_EQUAL(test_run_capture(argv1, &out, &err, 5000), 2);
	CU_ASSERT_STRING_EQUAL(out, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "`--frobnicate'"));
	CU_ASSERT_PTR_EQUAL(strchr(err, '\n'), err + strlen(err) - 1);
	free(out);
	free(err);
	CU_ASSERT_EQUAL(test_run_capture(argv2, &out, &err, 5000), 2);
	free(out);
	free(err);
	CU_ASSERT_EQUAL(test_run_capture(argv3, &out, &err, 5000), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "--json"));
	free(out);
	free(err);
}

static void test_macros_and_color(void)
{
	char *argv1[] = { TEST_TFOCHECK, "probe", "--macros", "--no-live", NULL };
	char *argv2[] = { TEST_TFOCHECK, "probe", "--no-live", NULL };
	char *out, *err;
	int rc;

	rc = test_run_capture(argv1, &out, &err, 10000);
	CU_ASSERT(rc == 0 || rc == 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "HAVE_TFO_MSG_FASTOPEN"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "HAVE_TFO_TCP_FASTOPEN_CONNECT"));
	free(out);
	free(err);
	/* stdout is a pipe here: never colour */
	rc = test_run_capture(argv2, &out, &err, 10000);
	CU_ASSERT(rc == 0 || rc == 1);
	CU_ASSERT_PTR_NULL(strchr(out, '\033'));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "net.ipv4.tcp_fastopen"));
	free(out);
	free(err);
}

/* Everything the probe could conceivably leave behind in the host. */
static char *snapshot(void)
{
	static const char *const cmds[] = {
		"for f in /proc/sys/net/ipv4/tcp_fastopen*; do echo $f; cat $f; done",
		"ip -o link show",
		"ip -o addr show",
		"ip netns list",
		"nft list tables",
	};
	size_t total = 0;
	char *all = strdup("");

	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		char *argv[] = { "sh", "-c", (char *)cmds[i], NULL };
		char *out = NULL, *err = NULL, *n;

		test_run_capture(argv, &out, &err, 10000);
		n = realloc(all, total + strlen(cmds[i]) + strlen(out) + 4);
		if (n) {
			all = n;
			total += sprintf(all + total, "%s\n%s\n", cmds[i], out);
		}
		free(out);
		free(err);
	}
	return all;
}

static void test_host_untouched(void)
{
	static const char *const modes[] = { "--json", "--macros", "-v" };
	char *before, *after;

	if (!test_is_root()) {
		/* unprivileged, the probe cannot change the host anyway; the
		 * interesting case is root, where it could */
		test_skip("needs root (the probe only has the power to change the host as root)");
		return;
	}
	before = snapshot();
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		char *argv[] = { TEST_TFOCHECK, "probe", (char *)modes[i], NULL };
		char *out, *err;
		int rc = test_run_capture(argv, &out, &err, 20000);

		CU_ASSERT(rc == 0 || rc == 1);
		free(out);
		free(err);
	}
	after = snapshot();
	CU_ASSERT_STRING_EQUAL(before, after);
	if (strcmp(before, after))
		fprintf(stderr, "\n--- before\n%s--- after\n%s", before, after);
	free(before);
	free(after);
}

TEST_SUITE(probe_cli, NULL, NULL,
	   { "sysctl_0", test_sysctl_0 },
	   { "sysctl_1", test_sysctl_1 },
	   { "sysctl_3", test_sysctl_3 },
	   { "sysctl_5", test_sysctl_5 },
	   { "sysctl_0x203", test_sysctl_0x203 },
	   { "sysctl_unknown_bit", test_sysctl_unknown_bit },
	   { "usage", test_usage },
	   { "macros_and_color", test_macros_and_color },
	   { "host_untouched", test_host_untouched })
