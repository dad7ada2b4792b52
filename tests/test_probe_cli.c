/* SPDX-License-Identifier: MIT */
/*
 * `build/tfocheck probe` end to end.  Each sysctl row runs the binary in a
 * forked child that first moves into a fresh network namespace (lo up,
 * net.ipv4.tcp_fastopen written there), so the probe's "current
 * namespace" is one we control; the JSON is then checked bit by bit and
 * the live result against what that value means:
 *
 *   0, 2         client bit off: MSG_FASTOPEN/TCP_FASTOPEN_CONNECT
 *                disabled-by-sysctl, live client-disabled, exit 1
 *   1, 3         cookie on conn 1, SYN data on conn 2, exit 0
 *   0x203, 0x403 0x200/0x400 are server bits: the client behaves as 1
 *   5, 0x405     0x4 sends SYN data with no cookie; the live server gets
 *                0x203 and accepts it: SYN data on both connections, no
 *                cookie cached, exit 0 with a note
 *   0x8001       an unknown bit is reported, and does not hurt the client
 *
 * Every row runs as root and again as nobody (the live probe then runs as
 * root of a user namespace), and each run's table must say what its JSON
 * says: the same state in every capability row, the same live results,
 * verdict and note.
 *
 * The hygiene test runs the probe in namespaces of its own (network and
 * mount) and compares those before and after, with the processes the
 * probe left behind: another job on the machine cannot change what it
 * compares, and the probe can only ever write to the namespace it runs in.
 */
#include "tests/testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <jansson.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"
#include "netns/rtnl.h"

#define NOBODY 65534
#define OUT_MAX (1 << 20)
#define ERR_MAX 4096

enum run_as { AS_ROOT, AS_NOBODY };

struct probe_run {
	int rc;			/* exit status, 128+signal, or -1 */
	char *out, *err;
};

static void run_free(struct probe_run *p)
{
	free(p->out);
	free(p->err);
	p->out = p->err = NULL;
}

/* In the child: a fresh network namespace with lo up and tcp_fastopen = v
 * (v < 0: leave the fresh namespace's default).  Exits on failure. */
static void child_netns(long v)
{
	struct rtnl r;
	char val[32];

	if (unshare(CLONE_NEWNET) || rtnl_open(&r, -1) || rtnl_link_set_up(&r, 1, true))
		_exit(100);
	rtnl_close(&r);
	snprintf(val, sizeof(val), "%ld", v);
	if (v >= 0 && util_file_write("/proc/sys/net/ipv4/tcp_fastopen", val))
		_exit(101);
}

static void child_drop(enum run_as who)
{
	if (who == AS_NOBODY &&
	    (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	     setresuid(NOBODY, NOBODY, NOBODY)))
		_exit(102);
}

/* `tfocheck probe args...` in a private netns with tcp_fastopen = v, as
 * root or nobody.  stdout goes to a file, or to a terminal when tty is set
 * (the only way to see colour); stderr to a file.  NO_COLOR is set to
 * no_color, or unset when it is NULL.  Status 100-102: the child could not
 * set itself up. */
static void run_in_ns_env(long v, enum run_as who, bool tty, const char *no_color,
			  char *const args[], struct probe_run *p)
{
	char outp[] = "/tmp/tfoprobe-out.XXXXXX", errp[] = "/tmp/tfoprobe-err.XXXXXX";
	int ofd = mkstemp(outp), efd = mkstemp(errp), master = -1, slave = -1;
	char *argv[16] = { TEST_TFOCHECK, "probe" };
	size_t n = 2, got = 0;
	int status;
	pid_t pid;

	*p = (struct probe_run){ .rc = -1 };
	for (size_t i = 0; args[i] && n < ARRAY_SIZE(argv) - 1; i++)
		argv[n++] = args[i];
	if (ofd < 0 || efd < 0 || (tty && openpty(&master, &slave, NULL, NULL, NULL) < 0))
		goto out;
	/* nobody must be able to write what it inherits */
	if (fchmod(ofd, 0666) || fchmod(efd, 0666))
		goto out;
	pid = fork();
	if (pid == 0) {
		child_netns(v);
		child_drop(who);
		dup2(tty ? slave : ofd, 1);
		dup2(efd, 2);
		if (no_color)
			setenv("NO_COLOR", no_color, 1);
		else
			unsetenv("NO_COLOR");
		execv(TEST_TFOCHECK, argv);
		_exit(127);
	}
	if (pid < 0)
		goto out;
	p->out = calloc(1, OUT_MAX);
	p->err = calloc(1, ERR_MAX);
	if (tty) {
		/* drain the terminal while the probe writes (EIO: it closed) */
		close(slave);
		slave = -1;
		for (ssize_t k; p->out && got < OUT_MAX - 1 &&
		     (k = read(master, p->out + got, OUT_MAX - 1 - got)) > 0;)
			got += k;
	}
	if (waitpid(pid, &status, 0) < 0)
		goto out;
	p->rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (p->out && !tty)
		util_file_read(outp, p->out, OUT_MAX);
	if (p->err)
		util_file_read(errp, p->err, ERR_MAX);
out:
	if (master >= 0)
		close(master);
	if (slave >= 0)
		close(slave);
	if (ofd >= 0) {
		close(ofd);
		unlink(outp);
	}
	if (efd >= 0) {
		close(efd);
		unlink(errp);
	}
	if (!p->out || !p->err) {
		run_free(p);
		p->out = strdup("");
		p->err = strdup("");
	}
}

static void run_in_ns(long v, enum run_as who, bool tty, char *const args[],
		      struct probe_run *p)
{
	run_in_ns_env(v, who, tty, NULL, args, p);
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
	json_t *j = jget(root, path);

	if (json_is_null(j))
		return "(null)";
	return json_is_string(j) ? json_string_value(j) : "(missing)";
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

#define EXPECT_STR(what, got, want)                                           \
	do {                                                                  \
		const char *got_ = (got), *want_ = (want);                    \
		if (strcmp(got_, want_))                                      \
			fprintf(stderr, "\n    %s: got \"%s\", want \"%s\"", what, got_, want_); \
		CU_ASSERT_STRING_EQUAL(got_, want_);                          \
	} while (0)
#define EXPECT_JSTR(root, path, want) EXPECT_STR(path, jstr(root, path), want)

/* The table row named name (its first 40 columns, trimmed): the value
 * column (18 wide) and the detail after it, into value/detail. */
static bool text_row(const char *text, const char *name, char *value, size_t vsize,
		     char *detail, size_t dsize)
{
	size_t nl = strlen(name);

	for (const char *l = text; *l; l += strcspn(l, "\n") + (strchr(l, '\n') != NULL)) {
		size_t len = strcspn(l, "\n"), skip = strspn(l, " ");

		if (len < 41 || skip + nl > 40 || strncmp(l + skip, name, nl) ||
		    strspn(l + skip + nl, " ") < 40 - skip - nl)
			continue;
		snprintf(value, vsize, "%.*s", (int)(len - 41 < 18 ? len - 41 : 18), l + 41);
		for (size_t e = strlen(value); e && value[e - 1] == ' '; e--)
			value[e - 1] = 0;
		snprintf(detail, dsize, "%.*s", (int)(len > 60 ? len - 60 : 0), len > 60 ? l + 60 : "");
		return true;
	}
	snprintf(value, vsize, "(no row)");
	detail[0] = 0;
	return false;
}

/* The table of one run says what the JSON of another run with the same
 * namespace and privileges says. */
static void check_text_agrees(json_t *j, const char *text, const char *label)
{
	static const struct {
		const char *row, *path;
	} rows[] = {
		{ "tcp_fastopen_key", "sysctl.tcp_fastopen_key" },
		{ "MSG_FASTOPEN", "kernel_support.MSG_FASTOPEN.state" },
		{ "TCP_FASTOPEN", "kernel_support.TCP_FASTOPEN.state" },
		{ "TCP_FASTOPEN_CONNECT", "kernel_support.TCP_FASTOPEN_CONNECT.state" },
		{ "TCP_FASTOPEN_KEY", "kernel_support.TCP_FASTOPEN_KEY.state" },
		{ "TCP_FASTOPEN_NO_COOKIE", "kernel_support.TCP_FASTOPEN_NO_COOKIE.state" },
		{ "tcpi_fastopen_client_fail", "kernel_support.tcpi_fastopen_client_fail.state" },
		{ "IPv6", "kernel_support.ipv6.state" },
		{ "active TFO off (blackhole)", "blackhole.active_tfo_disabled" },
		{ "network namespaces", "isolation.netns.state" },
		{ "user namespaces", "isolation.userns.state" },
		{ "unprivileged user namespaces", "isolation.unprivileged_userns.state" },
		{ "veth", "isolation.veth.state" },
		{ "nftables", "isolation.nftables.state" },
		{ "AF_PACKET", "isolation.af_packet.state" },
		{ "ipv4", "live.ipv4.result" },
		{ "ipv6", "live.ipv6.result" },
	};
	char value[64], detail[512], what[160], title[96];
	const char *via = jstr(j, "isolation.private_namespaces_via");

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		text_row(text, rows[i].row, value, sizeof(value), detail, sizeof(detail));
		snprintf(what, sizeof(what), "%s: table row \"%s\" against %s", label,
			 rows[i].row, rows[i].path);
		EXPECT_STR(what, value, jstr(j, rows[i].path));
	}
	text_row(text, "private namespaces via", value, sizeof(value), detail, sizeof(detail));
	snprintf(what, sizeof(what), "%s: table row \"private namespaces via\"", label);
	EXPECT_STR(what, value, strcmp(via, "(null)") ? via : "none");
	text_row(text, "verdict", value, sizeof(value), detail, sizeof(detail));
	snprintf(what, sizeof(what), "%s: verdict", label);
	EXPECT_STR(what, value, jbool(j, "usable") == 1 ? "usable" : "not usable");
	if (jbool(j, "usable") == 0) {
		snprintf(what, sizeof(what), "%s: verdict reason", label);
		EXPECT_STR(what, detail, jstr(j, "reason"));
	}
	snprintf(what, sizeof(what), "%s: table row \"note\" against note", label);
	if (!text_row(text, "note", value, sizeof(value), detail, sizeof(detail)))
		snprintf(detail, sizeof(detail), "(null)");
	EXPECT_STR(what, detail, jstr(j, "note"));
	snprintf(title, sizeof(title), "\nlive (client 0x%llx, server 0x%llx)\n",
		 (long long)jint(j, "live.client_tcp_fastopen"),
		 (long long)jint(j, "live.server_tcp_fastopen"));
	if (!strstr(text, title))
		fprintf(stderr, "\n    %s: no section title \"%s\"", label, title + 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, title));
}

/* What a live family must show for client value v. */
static void check_live_family(json_t *j, long v, const char *fam)
{
	bool client = v & 1, nocookie = v & 4;
	char path[96], cp[64];

#define P(s) (snprintf(path, sizeof(path), "live.%s.%s", fam, s), path)
	if (!client) {
		EXPECT_JSTR(j, P("result"), "client-disabled");
		EXPECT_JSTR(j, P("connections.0.errno"), "EOPNOTSUPP");
		return;
	}
	EXPECT_JSTR(j, P("result"), "works");
	if (nocookie) {
		/* no cookie asked for or cached; both SYNs carry the data */
		CU_ASSERT_EQUAL(jbool(j, P("cookie_cached")), 0);
		for (int c = 0; c < 2; c++) {
			snprintf(cp, sizeof(cp), "connections.%d.fastopen_client_fail", c);
			EXPECT_JSTR(j, P(cp), "UNSPEC");
			snprintf(cp, sizeof(cp), "connections.%d.client_syn_data", c);
			CU_ASSERT_EQUAL(jbool(j, P(cp)), 1);
			snprintf(cp, sizeof(cp), "connections.%d.server_syn_data", c);
			CU_ASSERT_EQUAL(jbool(j, P(cp)), 1);
			snprintf(cp, sizeof(cp), "connections.%d.received", c);
			CU_ASSERT_EQUAL(jint(j, P(cp)), 100);
		}
		CU_ASSERT_EQUAL(jint(j, P("counters_delta.TCPFastOpenActive")), 2);
	} else {
		EXPECT_JSTR(j, P("connections.0.fastopen_client_fail"), "COOKIE_UNAVAILABLE");
		CU_ASSERT_EQUAL(jbool(j, P("connections.0.client_syn_data")), 0);
		CU_ASSERT_EQUAL(jbool(j, P("cookie_cached")), 1);
		CU_ASSERT_EQUAL(jint(j, P("cookie_len")), 8);
		CU_ASSERT_EQUAL(jbool(j, P("connections.1.client_syn_data")), 1);
		CU_ASSERT_EQUAL(jbool(j, P("connections.1.server_syn_data")), 1);
		CU_ASSERT_EQUAL(jint(j, P("connections.1.received")), 100);
		CU_ASSERT_EQUAL(jint(j, P("counters_delta.TCPFastOpenActive")), 1);
	}
	CU_ASSERT_EQUAL(jint(j, P("counters_delta.TCPFastOpenActiveFail")), 0);
#undef P
}

static void check_value_as(long v, enum run_as who)
{
	bool client = v & 1, nocookie = v & 4, root = who == AS_ROOT;
	char *json_args[] = { "--json", NULL }, *text_args[] = { NULL };
	struct probe_run pj, pt;
	char label[64];
	json_error_t je;
	json_t *j;

	snprintf(label, sizeof(label), "tcp_fastopen=0x%lx as %s", v, root ? "root" : "nobody");
	run_in_ns(v, who, false, json_args, &pj);
	run_in_ns(v, who, false, text_args, &pt);
	j = json_loads(pj.out, 0, &je);
	if (!j)
		fprintf(stderr, "\n    %s: rc %d, bad JSON: %s\n%s", label, pj.rc, je.text, pj.err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	if (!root && strcmp(jstr(j, "isolation.unprivileged_userns.state"), "supported")) {
		test_skip("probe: unprivileged user namespaces are %s here: %s",
			  jstr(j, "isolation.unprivileged_userns.state"),
			  jstr(j, "isolation.unprivileged_userns.detail"));
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
	/* a fresh namespace: no listener ever ran here, the key is unset; the
	 * file is mode 0600, so nobody cannot tell */
	EXPECT_JSTR(j, "sysctl.tcp_fastopen_key", root ? "unset" : "unknown");

	EXPECT_JSTR(j, "kernel_support.MSG_FASTOPEN.state",
		    client ? "supported" : "disabled-by-sysctl");
	EXPECT_JSTR(j, "kernel_support.TCP_FASTOPEN_CONNECT.state",
		    client ? "supported" : "disabled-by-sysctl");
	EXPECT_JSTR(j, "kernel_support.TCP_FASTOPEN.state",
		    v & 0x402 ? "supported" : "disabled-by-sysctl");
	EXPECT_JSTR(j, "kernel_support.TCP_FASTOPEN_KEY.state", "supported");
	EXPECT_JSTR(j, "kernel_support.ipv6.state", "supported");
	/* only cookie mode has a first connection that lacks a cookie */
	EXPECT_JSTR(j, "kernel_support.tcpi_fastopen_client_fail.state",
		    !client ? "unknown" : nocookie ? "unknown" : "supported");

	EXPECT_JSTR(j, "isolation.netns.state", root ? "supported" : "not-permitted");
	EXPECT_JSTR(j, "isolation.private_namespaces_via", root ? "root" : "user namespace");
	/* through a user namespace the devices work as they do for root */
	EXPECT_JSTR(j, "isolation.veth.state", "supported");
	EXPECT_JSTR(j, "isolation.nftables.state", "supported");
	EXPECT_JSTR(j, "isolation.af_packet.state", "supported");

	CU_ASSERT_EQUAL(jbool(j, "live.ran"), 1);
	CU_ASSERT_EQUAL(jint(j, "live.client_tcp_fastopen"), v);
	CU_ASSERT_EQUAL(jint(j, "live.server_tcp_fastopen"), nocookie ? 0x203 : 3);
	check_live_family(j, v, "ipv4");
	check_live_family(j, v, "ipv6");

	if (!client) {
		CU_ASSERT_EQUAL(pj.rc, 1);
		CU_ASSERT_EQUAL(jbool(j, "usable"), 0);
		EXPECT_JSTR(j, "note", "(null)");
		/* one line on stderr saying why: the JSON's reason */
		if (strcmp(jstr(j, "reason"), "(null)")) {
			char want[512];

			snprintf(want, sizeof(want), "tfocheck probe: TFO client not usable: %s\n",
				 jstr(j, "reason"));
			EXPECT_STR("stderr", pj.err, want);
		}
		CU_ASSERT_PTR_NOT_NULL(strstr(jstr(j, "reason"), "lacks the client bit 0x1"));
	} else {
		CU_ASSERT_EQUAL(pj.rc, 0);
		CU_ASSERT_EQUAL(jbool(j, "usable"), 1);
		EXPECT_JSTR(j, "reason", "(null)");
		EXPECT_STR("stderr", pj.err, "");
		if (nocookie) {
			CU_ASSERT_PTR_NOT_NULL(strstr(jstr(j, "note"),
						      "servers that check cookies (no 0x200) ignore it"));
		} else {
			EXPECT_JSTR(j, "note", "(null)");
		}
	}
	CU_ASSERT_EQUAL(jint(j, "exit_code"), pj.rc);

	/* the table: same exit status, same stderr, same facts */
	CU_ASSERT_EQUAL(pt.rc, pj.rc);
	EXPECT_STR("table stderr", pt.err, pj.err);
	check_text_agrees(j, pt.out, label);
out:
	json_decref(j);
	run_free(&pj);
	run_free(&pt);
}

static void check_value(long v)
{
	if (!test_is_root()) {
		test_skip("needs root (private network namespaces)");
		return;
	}
	check_value_as(v, AS_ROOT);
	check_value_as(v, AS_NOBODY);
}

#define ROW(name, v)                   \
	static void name(void)         \
	{                              \
		check_value(v);        \
	}
ROW(test_sysctl_0, 0)
ROW(test_sysctl_1, 1)
ROW(test_sysctl_2, 2)
ROW(test_sysctl_3, 3)
ROW(test_sysctl_5, 5)
ROW(test_sysctl_0x203, 0x203)
ROW(test_sysctl_0x403, 0x403)
ROW(test_sysctl_0x405, 0x405)
ROW(test_sysctl_unknown_bit, 0x8001)

static void test_usage(void)
{
	static const struct {
		char *arg[3];
		int rc;
		const char *out, *err;	/* substrings; "" must be empty */
	} rows[] = {
		{ { "--frobnicate" }, 2, "",
		  "tfocheck probe: unknown option `--frobnicate' (see tfocheck probe --help)\n" },
		{ { "stray" }, 2, "",
		  "tfocheck probe: unexpected argument `stray' (see tfocheck probe --help)\n" },
		{ { "--json", "--macros" }, 2, "",
		  "tfocheck probe: `--json' and `--macros' cannot be combined\n" },
		{ { "--help" }, 0, "usage: tfocheck probe [--json | --macros]", "" },
		{ { "-h" }, 0, "Exit status: 0 TFO client usable, 1 not usable", "" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		char *argv[6] = { TEST_TFOCHECK, "probe", rows[i].arg[0], rows[i].arg[1], NULL };
		char *out, *err;
		int rc = test_run_capture(argv, &out, &err, 5000);

		CU_ASSERT_EQUAL(rc, rows[i].rc);
		if (rows[i].rc == 2) {
			/* exactly the one line, nothing on stdout */
			EXPECT_STR(rows[i].arg[0], err, rows[i].err);
			EXPECT_STR(rows[i].arg[0], out, "");
		} else {
			CU_ASSERT_PTR_NOT_NULL(strstr(out, rows[i].out));
			EXPECT_STR(rows[i].arg[0], err, "");
		}
		free(out);
		free(err);
	}
}

static void expect_line(const char *text, const char *line, bool want)
{
	char buf[256];
	bool got;

	snprintf(buf, sizeof(buf), "\n%s\n", line);
	got = strstr(text, buf) != NULL;
	if (got != want)
		fprintf(stderr, "\n    %s line \"%s\"", want ? "missing" : "unexpected", line);
	CU_ASSERT_EQUAL(got, want);
}

static void test_macros(void)
{
	char *nolive[] = { "--macros", "--no-live", NULL }, *live[] = { "--macros", NULL };
	struct probe_run p;

	if (!test_is_root()) {
		test_skip("needs root (private network namespaces)");
		return;
	}
	run_in_ns(1, AS_ROOT, false, nolive, &p);
	CU_ASSERT_EQUAL(p.rc, 0);
	EXPECT_STR("stderr", p.err, "");
	expect_line(p.out, "#define HAVE_TFO_MSG_FASTOPEN 1", true);
	expect_line(p.out, "#define HAVE_TFO_TCP_FASTOPEN_CONNECT 1", true);
	expect_line(p.out, "#define HAVE_TFO_TCP_FASTOPEN 1", true);
	expect_line(p.out, "#define HAVE_TFO_CLIENT_ENABLED 1", true);
	expect_line(p.out, "/* HAVE_TFO_SERVER_ENABLED is not set (sysctl) */", true);
	expect_line(p.out, "/* HAVE_TFO_LIVE_IPV4 is not set (not run) */", true);
	expect_line(p.out, "#define HAVE_TFO_CLIENT_USABLE 1", true);
	expect_line(p.out, "#define TFO_SYSCTL_TCP_FASTOPEN 0x1", true);
	run_free(&p);

	/* client off: the kernel still has the features, policy says no */
	run_in_ns(0, AS_ROOT, false, nolive, &p);
	CU_ASSERT_EQUAL(p.rc, 1);
	expect_line(p.out, "#define HAVE_TFO_MSG_FASTOPEN 1", true);
	expect_line(p.out, "/* HAVE_TFO_CLIENT_ENABLED is not set (sysctl) */", true);
	expect_line(p.out, "/* HAVE_TFO_CLIENT_USABLE is not set (see tfocheck probe) */", true);
	expect_line(p.out, "#define TFO_SYSCTL_TCP_FASTOPEN 0x0", true);
	run_free(&p);

	/* no-cookie client: usable, live works, and the caveat is there */
	run_in_ns(0x405, AS_ROOT, false, live, &p);
	CU_ASSERT_EQUAL(p.rc, 0);
	expect_line(p.out, "#define HAVE_TFO_LIVE_IPV4 1", true);
	expect_line(p.out, "#define HAVE_TFO_LIVE_IPV6 1", true);
	expect_line(p.out, "#define HAVE_TFO_CLIENT_USABLE 1", true);
	expect_line(p.out, "#define HAVE_TFO_SERVER_ENABLED 1", true);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "\n/* note: 0x4 sends SYN data without a cookie"));
	run_free(&p);
}

static void test_color(void)
{
	char *args[] = { "--no-live", NULL };
	struct probe_run p;

	if (!test_is_root()) {
		test_skip("needs root (private network namespaces)");
		return;
	}
	/* a file: never colour */
	run_in_ns(1, AS_ROOT, false, args, &p);
	CU_ASSERT_EQUAL(p.rc, 0);
	CU_ASSERT_PTR_NULL(strchr(p.out, '\033'));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "\nverdict                                  usable"));
	run_free(&p);
	/* a terminal: the verdict is green */
	run_in_ns(1, AS_ROOT, true, args, &p);
	CU_ASSERT_EQUAL(p.rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "verdict                                  "
					     "\033[32musable            \033[0m"));
	run_free(&p);
	/* a terminal, NO_COLOR set: none; set but empty: colour */
	run_in_ns_env(1, AS_ROOT, true, "1", args, &p);
	CU_ASSERT_EQUAL(p.rc, 0);
	CU_ASSERT_PTR_NULL(strchr(p.out, '\033'));
	CU_ASSERT_PTR_NOT_NULL(strstr(p.out, "\nverdict                                  usable"));
	run_free(&p);
	run_in_ns_env(1, AS_ROOT, true, "", args, &p);
	CU_ASSERT_PTR_NOT_NULL(strchr(p.out, '\033'));
	run_free(&p);
}

/* ---- the probe leaves nothing behind ------------------------------- */

/* The state of the namespaces the probe runs in, as the commands print
 * it; all of these namespaces belong to the test. */
static const char *const snap_cmds[] = {
	"for f in /proc/sys/net/ipv4/tcp_fastopen*; do echo $f; cat $f; done",
	"ip -d -o link show",
	"ip -o addr show",
	"ip route show table all",
	"ip -6 route show table all",
	"ip tcp_metrics show",
	"nft list ruleset",
	"ss -tuanH",
	"cat /proc/net/netstat /proc/net/snmp",
	/* a namespace pinned by a bind mount (ip netns add) shows here */
	"cut -d' ' -f5- /proc/self/mountinfo",
	NULL
};

/* Run each command; 0 and the concatenated output in *snap, or -1 and
 * the failing command's story in *snap: a command that fails must not
 * leave both snapshots empty and equal. */
static int snapshot(const char *const cmds[], char **snap)
{
	size_t total = 0;
	char *all = strdup("");
	int ret = 0;

	for (size_t i = 0; all && cmds[i]; i++) {
		char *argv[] = { "sh", "-c", (char *)cmds[i], NULL };
		char *out = NULL, *err = NULL, *n;
		int rc = test_run_capture(argv, &out, &err, 10000);

		if (rc != 0) {
			free(all);
			if (asprintf(&all, "`%s' exited %d: %s", cmds[i], rc, err ? err : "") < 0)
				all = NULL;
			ret = -1;
		} else if ((n = realloc(all, total + strlen(cmds[i]) + strlen(out) + 4))) {
			all = n;
			total += sprintf(all + total, "%s\n%s\n", cmds[i], out);
		}
		free(out);
		free(err);
		if (ret)
			break;
	}
	*snap = all ? all : strdup("(out of memory)");
	return all ? ret : -1;
}

/* Orphans the run left: as subreaper they became our children.  Counts
 * them, kills those still running and reaps them all. */
static int reap_leftovers(void)
{
	char path[64], buf[1024], *p, *end;
	int n = 0, st;

	while (waitpid(-1, &st, WNOHANG) > 0)
		n++;
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	if (util_file_read(path, buf, sizeof(buf)) == 0) {
		for (p = buf;; p = end) {
			long pid = strtol(p, &end, 10);

			if (end == p)
				break;
			kill((pid_t)pid, SIGKILL);
			n++;
		}
	}
	while (waitpid(-1, &st, 0) > 0)
		;
	return n;
}

struct hygiene {
	int setup;		/* 0, or the step that failed */
	int snap_before, snap_after;
	int rc[8];		/* each command's exit status */
	int leftovers;
	char *before, *after;
};

/* Fork; in the child: private network and mount namespaces (mounts
 * private, so nothing from the host propagates in during the test), lo up,
 * tcp_fastopen 3 (server bit on: a key the probe initialised would show)
 * and a blackhole timeout; snapshot, run each command, count orphans,
 * snapshot again.  The results come back through a file. */
static void hygiene_run(char *const *const cmds[], size_t ncmds, struct hygiene *h)
{
	char resp[] = "/tmp/tfoprobe-hyg.XXXXXX";
	int fd = mkstemp(resp), status;
	pid_t pid;

	memset(h, 0, sizeof(*h));
	h->setup = -1;
	if (fd < 0)
		return;
	pid = fork();
	if (pid == 0) {
		FILE *f = fdopen(fd, "w");
		char *before, *after;
		int sb, sa, rc[8] = { 0 };

		if (!f || unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			_exit(110);
		child_netns(3);
		if (util_file_write("/proc/sys/net/ipv4/tcp_fastopen_blackhole_timeout_sec",
				    "3600") || prctl(PR_SET_CHILD_SUBREAPER, 1))
			_exit(111);
		sb = snapshot(snap_cmds, &before);
		for (size_t i = 0; i < ncmds && i < ARRAY_SIZE(rc); i++) {
			char *out = NULL, *err = NULL;

			rc[i] = test_run_capture(cmds[i], &out, &err, 20000);
			free(out);
			free(err);
		}
		fprintf(f, "%d %d", reap_leftovers(), sb);
		sa = snapshot(snap_cmds, &after);
		fprintf(f, " %d", sa);
		for (size_t i = 0; i < ARRAY_SIZE(rc); i++)
			fprintf(f, " %d", rc[i]);
		fprintf(f, "\n%zu\n%s%zu\n%s", strlen(before), before, strlen(after), after);
		_exit(fclose(f) ? 112 : 0);
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		goto out;
	h->setup = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (h->setup == 0) {
		FILE *f = fopen(resp, "r");
		size_t nb = 0, na = 0;

		if (!f || fscanf(f, "%d %d %d", &h->leftovers, &h->snap_before,
				 &h->snap_after) != 3)
			h->setup = -2;
		for (size_t i = 0; f && h->setup == 0 && i < ARRAY_SIZE(h->rc); i++)
			if (fscanf(f, "%d", &h->rc[i]) != 1)
				h->setup = -3;
		if (f && h->setup == 0 && fscanf(f, "%zu\n", &nb) == 1 &&
		    (h->before = calloc(1, nb + 1)) && fread(h->before, 1, nb, f) == nb &&
		    fscanf(f, "%zu\n", &na) == 1 && (h->after = calloc(1, na + 1)) &&
		    fread(h->after, 1, na, f) == na)
			;
		else if (h->setup == 0)
			h->setup = -4;
		if (f)
			fclose(f);
	}
out:
	unlink(resp);
}

static void hygiene_free(struct hygiene *h)
{
	free(h->before);
	free(h->after);
}

static void test_host_untouched(void)
{
	static char *const json[] = { TEST_TFOCHECK, "probe", "--json", NULL };
	static char *const macros[] = { TEST_TFOCHECK, "probe", "--macros", NULL };
	static char *const verbose[] = { TEST_TFOCHECK, "probe", "-v", NULL };
	static char *const *const cmds[] = { json, macros, verbose };
	struct hygiene h;

	if (!test_is_root()) {
		/* unprivileged, the probe cannot change its namespace anyway;
		 * the interesting case is root, where it could */
		test_skip("needs root (the probe only has the power to change the host as root)");
		return;
	}
	hygiene_run(cmds, ARRAY_SIZE(cmds), &h);
	CU_ASSERT_EQUAL_FATAL(h.setup, 0);
	CU_ASSERT_EQUAL(h.snap_before, 0);
	CU_ASSERT_EQUAL(h.snap_after, 0);
	/* tcp_fastopen 3 is usable: each mode exits 0 */
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++)
		CU_ASSERT_EQUAL(h.rc[i], 0);
	CU_ASSERT_EQUAL(h.leftovers, 0);
	/* the snapshot saw the namespace it was meant to: lo, the 3 */
	CU_ASSERT_PTR_NOT_NULL(strstr(h.before, ": lo: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(h.before, "/proc/sys/net/ipv4/tcp_fastopen\n3\n"));
	CU_ASSERT_STRING_EQUAL(h.before, h.after);
	if (strcmp(h.before, h.after))
		fprintf(stderr, "\n--- before\n%s--- after\n%s", h.before, h.after);
	hygiene_free(&h);
}

/* The checks above can fail: a command that changes the namespace, one
 * that leaves an orphan, and a snapshot command that fails are seen. */
static void test_host_untouched_detects(void)
{
	static char *const link[] = { "ip", "link", "add", "tfoplant0", "type", "veth",
				      "peer", "name", "tfoplant1", NULL };
	static char *const sysctl[] = { "sh", "-c",
					"echo 7 > /proc/sys/net/ipv4/tcp_fastopen_blackhole_timeout_sec",
					NULL };
	static char *const orphan[] = { "sh", "-c", "sleep 30 >/dev/null 2>&1 &", NULL };
	static char *const *const cmds[] = { link, sysctl, orphan };
	static const char *const bad[] = { "true", "tfocheck-no-such-tool --list", NULL };
	struct hygiene h;
	char *snap;

	if (!test_is_root()) {
		test_skip("needs root (private network namespaces)");
		return;
	}
	hygiene_run(cmds, ARRAY_SIZE(cmds), &h);
	CU_ASSERT_EQUAL_FATAL(h.setup, 0);
	CU_ASSERT_EQUAL(h.rc[0], 0);
	CU_ASSERT_EQUAL(h.rc[1], 0);
	CU_ASSERT_EQUAL(h.rc[2], 0);
	CU_ASSERT_EQUAL(h.leftovers, 1);
	CU_ASSERT_STRING_NOT_EQUAL(h.before, h.after);
	CU_ASSERT_PTR_NULL(strstr(h.before, "tfoplant0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h.after, "tfoplant0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(h.after, "blackhole_timeout_sec\n7\n"));
	hygiene_free(&h);

	CU_ASSERT_EQUAL(snapshot(bad, &snap), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(snap, "`tfocheck-no-such-tool --list' exited 127"));
	free(snap);
}

TEST_SUITE(probe_cli, NULL, NULL,
	   { "sysctl_0", test_sysctl_0 },
	   { "sysctl_1", test_sysctl_1 },
	   { "sysctl_2", test_sysctl_2 },
	   { "sysctl_3", test_sysctl_3 },
	   { "sysctl_5", test_sysctl_5 },
	   { "sysctl_0x203", test_sysctl_0x203 },
	   { "sysctl_0x403", test_sysctl_0x403 },
	   { "sysctl_0x405", test_sysctl_0x405 },
	   { "sysctl_unknown_bit", test_sysctl_unknown_bit },
	   { "usage", test_usage },
	   { "macros", test_macros },
	   { "color", test_color },
	   { "host_untouched", test_host_untouched },
	   { "host_untouched_detects", test_host_untouched_detects })
