/* SPDX-License-Identifier: MIT */
/*
 * The reports module (reports/): each format is checked by the tool that
 * consumes it, not by string matching alone — JUnit against
 * tests/data/junit.xsd with xmllint (the structure the GitHub/GitLab
 * reporters read), TAP with perl's prove, the HTML in headless Chromium
 * (its DOM and a screenshot), the Markdown by reading the totals back.
 * Fixtures are crafted documents with every status, hostile characters
 * (<&"'#| and newlines) in messages, evidence and deviations, written to
 * a temporary directory; as root one real `run --api smoke` document is
 * put through the same writers.  Bad inputs (truncated, foreign, wrongly
 * typed, missing) must give exit 2, one line naming the file, and no
 * output file.
 */
#include "tests/testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/report.h"

#define TOOL_MS 30000
#define CHROMIUM_MS 90000

static char tmpdir[64];

/* The odd message of the FAIL: everything XML, TAP, Markdown and HTML
 * must escape, on two lines. */
#define FAIL_MSG "expected 5 bytes in the SYN, got 0 <&>\"' # | `x`\nsecond line"

static char *tpath(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *tpath(const char *fmt, ...)
{
	static char bufs[256][512];
	static unsigned int next;
	char *b = bufs[next++ % 256];
	size_t off;
	va_list ap;

	/* enough buffers that no test outlives its own paths */
	off = (size_t)snprintf(b, 512, "%s/", tmpdir);
	va_start(ap, fmt);
	vsnprintf(b + off, 512 - off, fmt, ap);
	va_end(ap);
	return b;
}

static int suite_init(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tforeports.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	mkdir(tpath("pcap"), 0755);
	mkdir(tpath("out"), 0755);
	return 0;
}

static int suite_cleanup(void)
{
	char *argv[] = { "rm", "-rf", tmpdir, NULL };

	return test_run_capture(argv, NULL, NULL, 30000) ? -1 : 0;
}

/* ---- fixtures ------------------------------------------------------------ */

static json_t *doc_new(const char *platform_id, const char *kernel, bool lib)
{
	json_t *d = json_pack(
		"{s:s,s:{s:s,s:s},s:s,s:{s:s,s:s,s:s,s:s,s:s},s:f,s:{s:{s:s,s:i,s:i,s:b,s:i},"
		"s:{s:s,s:i,s:i,s:b,s:i}},s:[]}",
		"schema", "tfocheck-results/1", "tool", "name", "tfocheck", "version", "0.1.0",
		"platform_id", platform_id, "platform", "os", "Linux", "kernel", kernel,
		"version", "#1 SMP", "arch", "x86_64", "distro", "Debian GNU/Linux 12 (bookworm)",
		"wall_ms", 1234.5, "profiles", "tfo", "summary", "client 0x1, server 0x3",
		"client_tcp_fastopen", 1, "server_tcp_fastopen", 3, "server_listener_sockopt", 1,
		"client_blackhole_timeout_sec", 0, "client-off", "summary", "client 0x0",
		"client_tcp_fastopen", 0, "server_tcp_fastopen", 3, "server_listener_sockopt", 1,
		"client_blackhole_timeout_sec", 0, "results");

	json_object_set_new(d, "library",
			    lib ? json_pack("{s:s,s:s,s:s}", "path", "/usr/lib/libtfo.so",
					    "alias", "libtfo", "version", "libtfo 1.0 <test>")
				: json_null());
	return d;
}

static void doc_add(json_t *d, const char *id, const char *profile, const char *family,
		    const char *status, const char *msg, const char *evidence,
		    const char *deviation)
{
	char name[256];
	json_t *r;

	if (strcmp(family, "any"))
		snprintf(name, sizeof(name), "%s@%s/%s", id, profile, family);
	else
		snprintf(name, sizeof(name), "%s@%s", id, profile);
	r = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:s?}", "id", id, "name", name,
		      "api", id[0] == 'o' ? "owfat" : "connectx", "profile", profile,
		      "family", family, "status", status, "message", msg, "clause",
		      id[0] == 'o' ? "socket_fastopen_connect4: sends the data in the SYN"
				   : "connectx(2): CONNECT_DATA_IDEMPOTENT",
		      "duration_ms", 12.5, "evidence", evidence);
	if (deviation)
		json_object_set_new(r, "deviation", json_string(deviation));
	json_array_append_new(json_object_get(d, "results"), r);
}

/* Every status once on "tfo", two PASS on "client-off":
 * PASS 3, FAIL 1, XFAIL 1, XPASS 1, SKIP 1, ERROR 1, CRASH 1, TIMEOUT 1. */
static json_t *doc_mixed(void)
{
	json_t *d = doc_new("linux-6.18.44-x86_64-libtfo", "6.18.44", true);

	doc_add(d, "owfat.sends_len", "tfo", "ipv4", "PASS", "", NULL, NULL);
	doc_add(d, "owfat.sends_len", "tfo", "ipv6", "FAIL", FAIL_MSG,
		"pcap/owfat.sends_len@tfo_ipv6.pcap", "library");
	doc_add(d, "owfat.cookie", "tfo", "any", "XFAIL", "kernel < 6.1 keeps no cookie", NULL, NULL);
	doc_add(d, "owfat.cookie_again", "tfo", "any", "XPASS", "", NULL, NULL);
	doc_add(d, "connectx.idempotent", "tfo", "ipv4", "SKIP", "needs CAP_NET_ADMIN", NULL, NULL);
	doc_add(d, "connectx.idempotent", "tfo", "ipv6", "ERROR", "peer did not start", NULL, NULL);
	doc_add(d, "connectx.data", "tfo", "ipv4", "CRASH", "SIGSEGV in connectx", NULL, NULL);
	doc_add(d, "connectx.data", "tfo", "ipv6", "TIMEOUT", "killed after 5000 ms", NULL, NULL);
	doc_add(d, "owfat.sends_len", "client-off", "ipv4", "PASS", "", NULL, NULL);
	doc_add(d, "owfat.sends_len", "client-off", "ipv6", "PASS", "", NULL, NULL);
	return d;
}

static json_t *doc_passing(void)
{
	json_t *d = doc_new("linux-6.1.0-x86_64-nolib", "6.1.0", false);

	doc_add(d, "owfat.sends_len", "tfo", "ipv4", "PASS", "", NULL, NULL);
	doc_add(d, "owfat.sends_len", "tfo", "ipv6", "PASS", "1 RTT saved", NULL, NULL);
	doc_add(d, "owfat.cookie", "tfo", "any", "XFAIL", "kernel < 6.1 keeps no cookie", NULL, NULL);
	doc_add(d, "owfat.cookie_again", "tfo", "any", "XPASS", "", NULL, NULL);
	doc_add(d, "connectx.idempotent", "tfo", "ipv4", "SKIP", "needs # CAP_NET_ADMIN", NULL, NULL);
	return d;
}

static char *doc_save(json_t *d, const char *name)
{
	char *p = tpath("%s", name);

	CU_ASSERT_EQUAL_FATAL(json_dump_file(d, p, JSON_INDENT(1) | JSON_SORT_KEYS), 0);
	json_decref(d);
	return p;
}

static void file_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static char *file_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static bool file_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static size_t count_substr(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static bool have_program(const char *name)
{
	char *argv[] = { "sh", "-c", "command -v \"$0\" >/dev/null", (char *)name, NULL };

	return test_run_capture(argv, NULL, NULL, 10000) == 0;
}

/* report and diff are commands of build/tfocheck: --help answers 0. */
static void test_subcommands_help(void)
{
	static const char *const cmds[] = { "report", "diff" };

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		char *argv[] = { TEST_TFOCHECK, (char *)cmds[i], "--help", NULL };
		char *out = NULL, *err = NULL;
		int rc = test_run_capture(argv, &out, &err, TOOL_MS);

		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT_PTR_NOT_NULL(out && strstr(out, cmds[i]));
		if (rc)
			fprintf(stderr, "\n    %s %s --help: exit %d, expected 0: %s\n",
				TEST_TFOCHECK, cmds[i], rc, err ? err : "");
		free(out);
		free(err);
	}
}

static int tool(char **out, char **err, ...)
{
	char *argv[16];
	int n = 0;
	va_list ap;

	argv[n++] = TEST_TFOCHECK;
	va_start(ap, err);
	while (n < 15 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	return test_run_capture(argv, out, err, TOOL_MS);
}

/* one line, ending in '\n', that names the file */
static void assert_one_line_naming(const char *err, const char *file)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	CU_ASSERT_EQUAL(count_substr(err, "\n"), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, file));
	if (count_substr(err, "\n") != 1 || !strstr(err, file))
		fprintf(stderr, "\n    stderr was: %s\n", err);
}

/* ---- report_load ------------------------------------------------------------ */

struct bad_input {
	const char *file;
	const char *text; /* NULL: do not create the file */
	const char *want; /* in the error line */
};

static const struct bad_input bad_inputs[] = {
	{ "truncated.json", "{\n \"schema\": \"tfocheck-results/1\",\n \"results\": [\n  {\"id\": \"a\"", "line 4" },
	{ "garbage.json", "{\"schema\": \"tfocheck-results/1\"} trailing", "end of file expected" },
	{ "empty.json", "", "line 1" },
	{ "foreign.json", "{\"name\": \"package\", \"version\": \"1.0\"}", "not a tfocheck results file (no \"schema\" key)" },
	{ "array.json", "[1, 2, 3]", "not a tfocheck results file (top level is an array" },
	{ "otherschema.json", "{\"schema\": \"wptreport/1\"}", "not a tfocheck results file (schema \"wptreport/1\")" },
	{ "future.json", "{\"schema\": \"tfocheck-results/2\"}", "unsupported schema \"tfocheck-results/2\"" },
	{ "nokeys.json", "{\"schema\": \"tfocheck-results/1\"}", "missing required key \"platform_id\"" },
	{ "nonexistent.json", NULL, "No such file or directory" },
};

static void test_load_valid(void)
{
	char err[512] = "";
	json_t *doc = NULL;
	char *p = doc_save(doc_mixed(), "valid.json");

	CU_ASSERT_EQUAL(report_load(p, &doc, err, sizeof(err)), 0);
	CU_ASSERT_PTR_NOT_NULL(doc);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(doc, "results")), 10);
	json_decref(doc);
}

static void test_load_errors(void)
{
	char err[512];
	json_t *doc;

	for (size_t i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
		const struct bad_input *b = &bad_inputs[i];
		char *p = tpath("%s", b->file);
		int ret;

		if (b->text)
			file_write(p, b->text);
		err[0] = 0;
		doc = (json_t *)1;
		ret = report_load(p, &doc, err, sizeof(err));
		CU_ASSERT(ret < 0);
		CU_ASSERT_EQUAL(ret, b->text ? -EINVAL : -ENOENT);
		CU_ASSERT_PTR_NULL(doc);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, p));
		CU_ASSERT_PTR_NOT_NULL(strstr(err, b->want));
		CU_ASSERT_PTR_NULL(strchr(err, '\n'));
		if (!strstr(err, b->want))
			fprintf(stderr, "\n    %s: got \"%s\", want \"%s\"\n", b->file, err, b->want);
	}
}

/* A valid document with one thing broken: "results[IDX].KEY" = value. */
static char *doc_broken(const char *file, size_t idx, const char *key, json_t *value)
{
	json_t *d = doc_mixed();

	if (value)
		json_object_set_new(json_array_get(json_object_get(d, "results"), idx), key, value);
	else
		json_object_del(json_array_get(json_object_get(d, "results"), idx), key);
	return doc_save(d, file);
}

static void test_load_wrong_types(void)
{
	static const struct {
		const char *file;
		size_t idx;
		const char *key;
		const char *want;
	} cases[] = {
		{ "status.json", 4, "status", "results[4].status: unknown status \"MAYBE\"" },
		{ "duration.json", 1, "duration_ms", "results[1].duration_ms: expected a number, got a string" },
		{ "name.json", 2, "name", "results[2]: missing required key \"name\"" },
		{ "evidence.json", 3, "evidence", "results[3].evidence: expected a string or null, got a number" },
		{ "profile.json", 0, "profile", "results[0].profile: \"nowhere\" is not described in \"profiles\"" },
		{ "dupname.json", 9, "name", "results[9].name: duplicate instance name \"owfat.sends_len@tfo/ipv4\" (also results[0])" },
	};
	json_t *values[] = {
		json_string("MAYBE"), json_string("12"), NULL, json_integer(3),
		json_string("nowhere"), json_string("owfat.sends_len@tfo/ipv4"),
	};
	char err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = doc_broken(cases[i].file, cases[i].idx, cases[i].key, values[i]);
		json_t *doc = NULL;

		err[0] = 0;
		CU_ASSERT_EQUAL(report_load(p, &doc, err, sizeof(err)), -EINVAL);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].want));
		CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].file));
		if (!strstr(err, cases[i].want))
			fprintf(stderr, "\n    got \"%s\"\n    want \"%s\"\n", err, cases[i].want);
	}
}

/* ---- JUnit ---------------------------------------------------------------- */

static char *xpath(const char *file, const char *expr)
{
	char *argv[] = { "xmllint", "--xpath", (char *)expr, (char *)file, NULL };
	char *out = NULL;

	if (test_run_capture(argv, &out, NULL, TOOL_MS) != 0) {
		free(out);
		return strdup("(xpath failed)");
	}
	return out;
}

static void assert_xpath(const char *file, const char *expr, const char *want)
{
	char *got = xpath(file, expr);

	/* xmllint 2.9 ends the value with a newline, later ones do not */
	got[strcspn(got, "\n")] = 0;
	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want))
		fprintf(stderr, "\n    xpath %s: got \"%s\", want \"%s\"\n", expr, got, want);
	free(got);
}

static void junit_check(const char *xml, const char *schema)
{
	char *argv[] = { "xmllint", "--noout", "--schema", (char *)schema, (char *)xml, NULL };
	char *err = NULL;
	int rc = test_run_capture(argv, NULL, &err, TOOL_MS);

	CU_ASSERT_EQUAL(rc, 0);
	if (rc)
		fprintf(stderr, "\n    xmllint --schema: %s\n", err);
	free(err);
}

static void test_junit_schema(void)
{
	char err[512] = "", *xml = tpath("junit.xml");
	json_t *d = doc_mixed();

	if (!have_program("xmllint")) {
		test_skip("xmllint not installed (package libxml2-utils)");
		json_decref(d);
		return;
	}
	CU_ASSERT_EQUAL_FATAL(report_write_junit(d, xml, err, sizeof(err)), 0);
	json_decref(d);
	junit_check(xml, "tests/data/junit.xsd");
	/* one suite per api@profile, in run order */
	assert_xpath(xml, "count(/testsuites/testsuite)", "3");
	assert_xpath(xml, "string(/testsuites/testsuite[1]/@name)", "owfat@tfo");
	assert_xpath(xml, "string(/testsuites/testsuite[2]/@name)", "connectx@tfo");
	assert_xpath(xml, "string(/testsuites/testsuite[3]/@name)", "owfat@client-off");
	/* counts: FAIL -> failure, ERROR/CRASH/TIMEOUT -> error, SKIP+XFAIL -> skipped */
	assert_xpath(xml, "string(/testsuites/@tests)", "10");
	assert_xpath(xml, "string(/testsuites/@failures)", "1");
	assert_xpath(xml, "string(/testsuites/@errors)", "3");
	assert_xpath(xml, "string(/testsuites/@skipped)", "2");
	assert_xpath(xml, "string(/testsuites/@time)", "0.125");
	assert_xpath(xml, "count(//testcase)", "10");
	assert_xpath(xml, "count(//testcase/failure)", "1");
	assert_xpath(xml, "count(//testcase/error)", "3");
	assert_xpath(xml, "count(//testcase/skipped)", "2");
	assert_xpath(xml, "string(/testsuites/testsuite[2]/@errors)", "3");
	assert_xpath(xml, "string(/testsuites/testsuite[2]/@skipped)", "1");
	assert_xpath(xml, "string(/testsuites/testsuite[1]/@tests)", "4");
	assert_xpath(xml, "string(/testsuites/testsuite[1]/@time)", "0.050");
	/* the message survives escaping, newline included */
	assert_xpath(xml, "contains(string(//failure/@message), '<&>\"')", "true");
	assert_xpath(xml, "contains(string(//failure/@message), '\nsecond line')", "true");
	assert_xpath(xml, "contains(string(//failure), 'deviation: library')", "true");
	assert_xpath(xml, "string(//testcase[error][1]/error/@type)", "ERROR");
	assert_xpath(xml, "string(//testcase[@name='connectx.data@tfo/ipv4']/error/@type)", "CRASH");
	assert_xpath(xml, "string(//testcase[@name='owfat.cookie@tfo']/skipped/@message)",
		     "XFAIL: kernel < 6.1 keeps no cookie");
	assert_xpath(xml, "string(//testcase[@name='connectx.idempotent@tfo/ipv4']/skipped/@message)",
		     "needs CAP_NET_ADMIN");
	assert_xpath(xml, "starts-with(//testcase[@name='owfat.cookie_again@tfo']/system-out, 'XPASS')", "true");
	assert_xpath(xml, "string(//testcase[1]/@classname)", "owfat@tfo");
	assert_xpath(xml, "string(//testcase[1]/@time)", "0.013");
	/* properties: platform and the profile's sysctls */
	assert_xpath(xml, "string(/testsuites/testsuite[3]/properties/property[@name='profile.client_tcp_fastopen']/@value)", "0");
	assert_xpath(xml, "string(/testsuites/testsuite[1]/properties/property[@name='profile.server_tcp_fastopen']/@value)", "3");
	assert_xpath(xml, "string(//testsuite[1]/properties/property[@name='kernel']/@value)", "6.18.44");
	assert_xpath(xml, "string(//testsuite[1]/properties/property[@name='library_version']/@value)", "libtfo 1.0 <test>");
	assert_xpath(xml, "string(//testsuite[1]/properties/property[@name='platform_id']/@value)", "linux-6.18.44-x86_64-libtfo");
	CU_ASSERT_FALSE(file_exists(tpath("junit.xml.tmp.%d", (int)getpid())));
}

static void test_junit_bad_path(void)
{
	char err[512] = "";
	json_t *d = doc_mixed();

	CU_ASSERT_EQUAL(report_write_junit(d, tpath("missing-dir/j.xml"), err, sizeof(err)), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "missing-dir/j.xml"));
	/* the writers validate what they are given, too */
	json_object_set_new(json_array_get(json_object_get(d, "results"), 0), "status",
			    json_string("MAYBE"));
	CU_ASSERT_EQUAL(report_write_junit(d, tpath("j.xml"), err, sizeof(err)), -EINVAL);
	CU_ASSERT_EQUAL(report_write_tap(d, tpath("t.tap"), err, sizeof(err)), -EINVAL);
	CU_ASSERT_FALSE(file_exists(tpath("j.xml")));
	CU_ASSERT_FALSE(file_exists(tpath("t.tap")));
	json_decref(d);
}

/* ---- TAP ------------------------------------------------------------------ */

static int prove(const char *tap, char **out)
{
	char *argv[] = { "prove", "-v", "-e", "cat", (char *)tap, NULL };

	return test_run_capture(argv, out, NULL, TOOL_MS);
}

static void test_tap_prove(void)
{
	char err[512] = "", *tap = tpath("mixed.tap"), *tap2 = tpath("passing.tap");
	char *out = NULL, *text;
	json_t *d = doc_mixed();
	int rc;

	CU_ASSERT_EQUAL_FATAL(report_write_tap(d, tap, err, sizeof(err)), 0);
	json_decref(d);
	text = file_slurp(tap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(strncmp(text, "TAP version 13\n1..10\n", 21), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nok 1 - owfat.sends_len@tfo/ipv4\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nnot ok 2 - owfat.sends_len@tfo/ipv6\n  ---\n  message: \"expected 5 bytes in the SYN, got 0 <&>\\\"' # | `x`\\nsecond line\"\n  clause: "));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nnot ok 3 - owfat.cookie@tfo # TODO known limit: kernel < 6.1 keeps no cookie\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nok 5 - connectx.idempotent@tfo/ipv4 # SKIP needs CAP_NET_ADMIN\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n# Totals: pass:3 fail:1 xfail:1 xpass:1 skip:1 error:3\n"));
	free(text);
	if (!have_program("prove")) {
		test_skip("prove not installed (package perl)");
		return;
	}
	/* FAIL, ERROR, CRASH, TIMEOUT: 4 failed tests of 10 */
	rc = prove(tap, &out);
	CU_ASSERT_NOT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Failed 4/10 subtests"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "TODO passed:   4"));
	CU_ASSERT_PTR_NULL(strstr(out, "Parse errors"));
	if (!strstr(out, "Failed 4/10 subtests"))
		fprintf(stderr, "\n    prove said:\n%s\n", out);
	free(out);

	/* no FAIL: prove is happy, and counts XFAIL as a TODO, SKIP as a skip */
	d = doc_passing();
	CU_ASSERT_EQUAL_FATAL(report_write_tap(d, tap2, err, sizeof(err)), 0);
	json_decref(d);
	rc = prove(tap2, &out);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "All tests successful."));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Tests=5"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ok 5 - connectx.idempotent@tfo/ipv4 # SKIP needs # CAP_NET_ADMIN"));
	CU_ASSERT_PTR_NULL(strstr(out, "Parse errors"));
	if (rc)
		fprintf(stderr, "\n    prove said:\n%s\n", out);
	free(out);
}

static void test_tap_empty(void)
{
	char err[512] = "", *tap = tpath("empty.tap"), *out = NULL;
	json_t *d = doc_new("linux-6.1.0-x86_64-nolib", "6.1.0", false);

	CU_ASSERT_EQUAL_FATAL(report_write_tap(d, tap, err, sizeof(err)), 0);
	json_decref(d);
	if (!have_program("prove")) {
		test_skip("prove not installed (package perl)");
		return;
	}
	CU_ASSERT_EQUAL(prove(tap, &out), 0);
	free(out);
}

/* ---- report: Markdown and text ------------------------------------------------ */

/* "| **all** | | 3 | 1 | ..." -> counts in status order */
static int md_all_row(const char *md, unsigned int n[9])
{
	const char *p = strstr(md, "| **all** | |");

	if (!p)
		return -1;
	p += strlen("| **all** | |");
	for (int i = 0; i < 9; i++) {
		if (sscanf(p, " **%u** |", &n[i]) != 1)
			return -1;
		p = strchr(p, '|');
		if (!p)
			return -1;
		p++;
	}
	return 0;
}

static void test_report_markdown(void)
{
	char *a = doc_save(doc_mixed(), "md-a.json"), *b = doc_save(doc_passing(), "md-b.json");
	char *md = tpath("out/summary.md"), *out = NULL, *err = NULL, *text;
	unsigned int n[9] = { 0 }, want[9] = { 5, 1, 2, 2, 2, 1, 1, 1, 15 };
	json_t *doc;
	char lerr[256];
	int rc;

	rc = tool(&out, &err, "report", a, b, "--markdown", md, "--title", "CI | run <1>", NULL);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(err, "");
	free(out);
	free(err);
	text = file_slurp(md);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(strncmp(text, "## CI \\| run &lt;1&gt;\n", 23), 0);
	/* the totals read back equal the documents' statuses */
	CU_ASSERT_EQUAL_FATAL(md_all_row(text, n), 0);
	for (int i = 0; i < 9; i++)
		CU_ASSERT_EQUAL(n[i], want[i]);
	/* ... and each document's own count */
	CU_ASSERT_EQUAL(report_load(b, &doc, lerr, sizeof(lerr)), 0);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(doc, "results")), 5);
	json_decref(doc);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "| linux-6.18.44-x86_64-libtfo | tfo | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 8 |\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "| linux-6.18.44-x86_64-libtfo | client-off | 2 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 2 |\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "| linux-6.1.0-x86_64-nolib | tfo | 2 | 0 | 1 | 1 | 1 | 0 | 0 | 0 | 5 |\n"));
	/* the failing list, escaped, one line per cell */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "### Failing cells (4)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "| `owfat.sends_len/ipv6` | linux-6.18.44-x86_64-libtfo | tfo | **FAIL** | expected 5 bytes in the SYN, got 0 &lt;&amp;&gt;\"' # \\| 'x' second line |\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "| `connectx.data/ipv6` | linux-6.18.44-x86_64-libtfo | tfo | **TIMEOUT** |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "<details><summary>Other non-PASS cells: XFAIL, XPASS, SKIP (6)</summary>"));
	CU_ASSERT_PTR_NULL(strstr(text, "kernel < 6.1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "| `owfat.cookie` | linux-6.1.0-x86_64-nolib | tfo | XFAIL | kernel &lt; 6.1 keeps no cookie |"));
	CU_ASSERT(strlen(text) < 1024 * 1024);
	free(text);
}

/* The text matrix row of key: its letters, spaces collapsed; NULL: absent. */
static void assert_text_row(const char *out, const char *key, const char *want)
{
	char pat[256], got[256];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\n  %s ", key);
	p = strstr(out, pat);
	if (!want) {
		CU_ASSERT_PTR_NULL(p);
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (p += strlen(pat); *p && *p != '\n' && n < sizeof(got) - 1; p++)
		if (*p != ' ' || (n && got[n - 1] != ' '))
			got[n++] = *p;
	while (n && got[n - 1] == ' ')
		n--;
	got[n] = 0;
	p = got + strspn(got, " ");
	CU_ASSERT_STRING_EQUAL(p, want);
}

static void test_report_text(void)
{
	char *a = doc_save(doc_mixed(), "tx-a.json"), *b = doc_save(doc_passing(), "tx-b.json");
	char *out = NULL, *err = NULL;

	CU_ASSERT_EQUAL(tool(&out, &err, "report", a, b, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "8 cases x 3 platform/profile columns from 2 files"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "[1] linux-6.18.44-x86_64-libtfo/tfo"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "[3] linux-6.1.0-x86_64-nolib/tfo"));
	/* rows: the instance name without the profile; letters per column */
	assert_text_row(out, "owfat.sends_len/ipv6", "F . .");
	assert_text_row(out, "connectx.data/ipv4", "C - -");
	assert_text_row(out, "owfat.cookie", "x - x");
	assert_text_row(out, "owfat.sends_len/ipv4", NULL);
	CU_ASSERT_STRING_EQUAL(err, "");
	free(out);
	free(err);
}

/* ---- report: HTML in a browser ---------------------------------------------- */

static const char *chromium_path(void)
{
	static const char *const names[] = { "chromium", "chromium-browser", "google-chrome" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (have_program(names[i]))
			return names[i];
	return NULL;
}

static int chromium_run(const char *bin, const char *what, const char *url, char **out)
{
	char profile[] = "/tmp/tforeports-chromium.XXXXXX";
	char *argv[] = { (char *)bin, "--headless", "--no-sandbox", "--disable-gpu",
			 "--disable-quic", "--no-first-run", "--disable-background-networking",
			 "--disable-component-update", "--disable-sync",
			 "--disable-dev-shm-usage", NULL, (char *)what,
			 "--window-size=1280,900", (char *)url, NULL };
	char udd[128], *rm[] = { "rm", "-rf", profile, NULL };
	int rc;

	if (!mkdtemp(profile))
		return -errno;
	snprintf(udd, sizeof(udd), "--user-data-dir=%s", profile);
	argv[10] = udd;
	rc = test_run_capture(argv, out, NULL, CHROMIUM_MS);
	test_run_capture(rm, NULL, NULL, 30000);
	return rc;
}

static void test_report_html_browser(void)
{
	char *a = doc_save(doc_mixed(), "html-a.json"), *b = doc_save(doc_passing(), "html-b.json");
	char *html = tpath("out/matrix.html"), *png = tpath("out/matrix.png");
	char *out = NULL, *err = NULL, *dom = NULL, url[600], shot[600];
	const char *bin;
	struct stat st;

	file_write(tpath("pcap/owfat.sends_len@tfo_ipv6.pcap"), "not really a pcap");
	CU_ASSERT_EQUAL_FATAL(tool(&out, &err, "report", a, b, "--html", html, "--title",
				   "Matrix <test>", NULL), 0);
	free(out);
	free(err);
	bin = chromium_path();
	if (!bin) {
		test_skip("chromium not installed (package chromium; make deps installs it)");
		return;
	}
	snprintf(url, sizeof(url), "file://%s", html);
	snprintf(shot, sizeof(shot), "--screenshot=%s", png);
	CU_ASSERT_EQUAL(chromium_run(bin, "--dump-dom", url, &dom), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dom);
	/* the browser parsed what we meant: title, every cell, totals, legend */
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<title>Matrix &lt;test&gt;</title>"));
	CU_ASSERT_EQUAL(count_substr(dom, "<td class=\"st st-"), 8 * 3);
	CU_ASSERT_EQUAL(count_substr(dom, "data-status=\"PASS\" title="), 5);
	CU_ASSERT_EQUAL(count_substr(dom, "data-status=\"FAIL\" title="), 1);
	CU_ASSERT_EQUAL(count_substr(dom, "data-status=\"CRASH\" title="), 1);
	CU_ASSERT_EQUAL(count_substr(dom, "data-status=\"XFAIL\" title="), 2);
	CU_ASSERT_EQUAL(count_substr(dom, "class=\"st st-none\""), 24 - 15);
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "title=\"owfat.sends_len@tfo/ipv6: FAIL\nexpected 5 bytes in the SYN, got 0 &lt;&amp;&gt;&quot;' # | `x`\nsecond line\ndeviation: library\n12.5 ms\nevidence: pcap/owfat.sends_len@tfo_ipv6.pcap\">"));
	/* the pcap link is relative to the HTML file */
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<a href=\"../pcap/owfat.sends_len%40tfo_ipv6.pcap\">FAIL</a>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "title=\"connectx.idempotent@tfo/ipv4: SKIP\nneeds CAP_NET_ADMIN"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<tr class=\"totals\" data-status=\"FAIL\"><th scope=\"row\" class=\"st-FAIL\">FAIL</th><td>1</td><td>0</td><td>0</td></tr>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<tr class=\"totals\" data-status=\"total\"><th scope=\"row\">total</th><td>8</td><td>2</td><td>5</td></tr>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<section id=\"legend\">"));
	for (int s = 0; s < 8; s++) {
		static const char *const words[] = { "PASS", "FAIL", "XFAIL", "XPASS",
						     "SKIP", "ERROR", "CRASH", "TIMEOUT" };
		char want[64];

		snprintf(want, sizeof(want), "<dt><span class=\"st-%s\">%s</span></dt>", words[s], words[s]);
		CU_ASSERT_PTR_NOT_NULL(strstr(dom, want));
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<th colspan=\"2\" scope=\"colgroup\" class=\"plat\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<tr class=\"api\"><th colspan=\"4\" scope=\"rowgroup\">API connectx</th></tr>"));
	/* self-contained: nothing fetched from anywhere */
	CU_ASSERT_PTR_NULL(strstr(dom, "<link"));
	CU_ASSERT_PTR_NULL(strstr(dom, "src=\""));
	CU_ASSERT_PTR_NULL(strstr(dom, "http://"));
	CU_ASSERT_PTR_NULL(strstr(dom, "https://"));
	free(dom);

	CU_ASSERT_EQUAL(chromium_run(bin, shot, url, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(stat(png, &st), 0);
	/* a blank 1280x900 PNG compresses to a few KB; a rendered table does not */
	CU_ASSERT(st.st_size > 20 * 1024);
	if (getenv("TFOCHECK_KEEP_SCREENSHOT")) {
		char *argv[] = { "cp", png, html, getenv("TFOCHECK_KEEP_SCREENSHOT"), NULL };

		test_run_capture(argv, NULL, NULL, 10000);
	}
}

/* ---- report: bad input writes nothing ------------------------------------------ */

static void test_report_bad_input(void)
{
	char *good = doc_save(doc_mixed(), "ok.json");
	char *html = tpath("out/bad.html"), *md = tpath("out/bad.md");

	for (size_t i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
		const struct bad_input *b = &bad_inputs[i];
		char *p = tpath("%s", b->file), *out = NULL, *err = NULL;

		if (b->text)
			file_write(p, b->text);
		/* a good file first: still nothing may be written */
		CU_ASSERT_EQUAL(tool(&out, &err, "report", good, p, "--html", html,
				     "--markdown", md, NULL), 2);
		assert_one_line_naming(err, p);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, b->want));
		CU_ASSERT_STRING_EQUAL(out, "");
		CU_ASSERT_FALSE(file_exists(html));
		CU_ASSERT_FALSE(file_exists(md));
		free(out);
		free(err);
	}
	/* no leftover temporary files either */
	{
		char *argv[] = { "ls", "-A", tpath("out"), NULL }, *ls = NULL;

		test_run_capture(argv, &ls, NULL, 10000);
		CU_ASSERT_PTR_NULL(strstr(ls, ".tmp."));
		CU_ASSERT_PTR_NULL(strstr(ls, "bad."));
		free(ls);
	}
}

static void test_report_conflict(void)
{
	char *a = doc_save(doc_mixed(), "twice.json"), *out = NULL, *err = NULL;
	char *html = tpath("out/twice.html");

	/* the same instance twice in one column cannot be shown */
	CU_ASSERT_EQUAL(tool(&out, &err, "report", a, a, "--html", html, NULL), 2);
	assert_one_line_naming(err, "twice.json");
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "is also in"));
	CU_ASSERT_FALSE(file_exists(html));
	free(out);
	free(err);
	CU_ASSERT_EQUAL(tool(&out, &err, "report", NULL), 2);
	free(out);
	free(err);
	CU_ASSERT_EQUAL(tool(&out, &err, "report", a, "--bogus", NULL), 2);
	free(out);
	free(err);
}

/* ---- diff ----------------------------------------------------------------- */

static void test_diff_regressions(void)
{
	json_t *n = doc_mixed(), *res = json_object_get(n, "results"), *j;
	char *old, *new, *out = NULL, *err = NULL;
	json_error_t jerr;

	old = doc_save(doc_mixed(), "old.json");
	/* PASS -> FAIL, FAIL -> PASS, XFAIL -> SKIP, TIMEOUT gone, one new */
	json_object_set_new(json_array_get(res, 0), "status", json_string("FAIL"));
	json_object_set_new(json_array_get(res, 0), "message", json_string("now broken"));
	json_object_set_new(json_array_get(res, 1), "status", json_string("PASS"));
	json_object_set_new(json_array_get(res, 2), "status", json_string("SKIP"));
	json_array_remove(res, 7);
	doc_add(n, "owfat.brand_new", "tfo", "any", "FAIL", "new case fails", NULL, NULL);
	new = doc_save(n, "new.json");

	CU_ASSERT_EQUAL(tool(&out, &err, "diff", old, new, NULL), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nRegressions (1):\n  owfat.sends_len@tfo/ipv4: PASS -> FAIL  now broken\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nFixed (1):\n  owfat.sends_len@tfo/ipv6: FAIL -> PASS"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nChanged (1):\n  owfat.cookie@tfo: XFAIL -> SKIP"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nAppeared (only in NEW) (1):\n  owfat.brand_new@tfo: FAIL"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nDisappeared (only in OLD) (1):\n  connectx.data@tfo/ipv6: was TIMEOUT"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n1 regressed, 1 fixed, 1 changed, 1 appeared, 1 disappeared, 6 unchanged\n"));
	CU_ASSERT_STRING_EQUAL(err, "");
	free(out);
	free(err);

	/* --json: the same, for scripts */
	CU_ASSERT_EQUAL(tool(&out, &err, "diff", "--json", old, new, NULL), 1);
	j = json_loads(out, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "schema")), "tfocheck-diff/1");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "regressions")), 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
		json_array_get(json_object_get(j, "regressions"), 0), "name")),
		"owfat.sends_len@tfo/ipv4");
	CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "fixed")), 1);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "appeared")), 1);
	CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "disappeared")), 1);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "unchanged")), 6);
	CU_ASSERT(json_is_true(json_object_get(j, "regressed")));
	json_decref(j);
	free(out);
	free(err);

	/* the other way round: FAIL -> PASS is fixed, PASS -> FAIL ... */
	CU_ASSERT_EQUAL(tool(&out, &err, "diff", new, old, NULL), 1);
	free(out);
	free(err);
	/* identical runs, and fixes only: exit 0 */
	CU_ASSERT_EQUAL(tool(&out, &err, "diff", old, old, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 regressed, 0 fixed, 0 changed, 0 appeared, 0 disappeared, 10 unchanged"));
	free(out);
	free(err);
	n = doc_mixed();
	json_object_set_new(json_array_get(json_object_get(n, "results"), 1), "status",
			    json_string("PASS"));
	new = doc_save(n, "fixed.json");
	CU_ASSERT_EQUAL(tool(&out, &err, "diff", old, new, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nFixed (1):\n  owfat.sends_len@tfo/ipv6: FAIL -> PASS"));
	CU_ASSERT_PTR_NULL(strstr(out, "Regressions"));
	free(out);
	free(err);
}

static void test_diff_bad_input(void)
{
	char *good = doc_save(doc_mixed(), "diff-ok.json");
	char *wrong = doc_broken("diff-types.json", 1, "duration_ms", json_string("slow"));

	for (size_t i = 0; i <= sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
		const struct bad_input *b = i < sizeof(bad_inputs) / sizeof(bad_inputs[0]) ? &bad_inputs[i] : NULL;
		char *p = b ? tpath("%s", b->file) : wrong, *out = NULL, *err = NULL;

		if (b && b->text)
			file_write(p, b->text);
		/* bad OLD and bad NEW alike */
		for (int side = 0; side < 2; side++) {
			CU_ASSERT_EQUAL(tool(&out, &err, "diff", side ? good : p, side ? p : good, NULL), 2);
			assert_one_line_naming(err, p);
			CU_ASSERT_PTR_NOT_NULL(strstr(err, b ? b->want : "results[1].duration_ms: expected a number, got a string"));
			CU_ASSERT_STRING_EQUAL(out, "");
			free(out);
			free(err);
		}
	}
	CU_ASSERT_EQUAL(tool(NULL, NULL, "diff", good, NULL), 2);
}

/* ---- a real run ------------------------------------------------------------ */

static void test_real_run(void)
{
	char *json = tpath("real.json"), *xml = tpath("real.xml"), *tap = tpath("real.tap");
	char *md = tpath("out/real.md"), *out = NULL, *err = NULL, *text;
	char lerr[512] = "";
	unsigned int n[9];
	json_t *doc = NULL;
	size_t nres;

	if (!test_is_root()) {
		test_skip("not root: `tfocheck run` needs network namespaces");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(tool(&out, &err, "run", "--api", "smoke", "--filter",
				   "smoke.unroutable*", "--json", json, NULL), 0);
	free(out);
	free(err);
	CU_ASSERT_EQUAL_FATAL(report_load(json, &doc, lerr, sizeof(lerr)), 0);
	nres = json_array_size(json_object_get(doc, "results"));
	CU_ASSERT(nres > 0);
	CU_ASSERT_EQUAL(report_write_junit(doc, xml, lerr, sizeof(lerr)), 0);
	CU_ASSERT_EQUAL(report_write_tap(doc, tap, lerr, sizeof(lerr)), 0);
	json_decref(doc);
	if (have_program("xmllint"))
		junit_check(xml, "tests/data/junit.xsd");
	else
		test_skip("the real run's JUnit not validated: xmllint not installed (package libxml2-utils)");
	if (have_program("prove")) {
		CU_ASSERT_EQUAL(prove(tap, &out), 0);
		free(out);
	} else {
		test_skip("the real run's TAP not parsed: prove not installed (package perl)");
	}
	CU_ASSERT_EQUAL(tool(&out, &err, "report", json, "--markdown", md, NULL), 0);
	free(out);
	free(err);
	text = file_slurp(md);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_EQUAL(md_all_row(text, n), 0);
	CU_ASSERT_EQUAL(n[8], nres);
	free(text);
}

TEST_SUITE(reports, suite_init, suite_cleanup,
	   { "report and diff --help exit 0", test_subcommands_help },
	   { "load a valid document", test_load_valid },
	   { "load: malformed, foreign, missing files", test_load_errors },
	   { "load: wrong types and values", test_load_wrong_types },
	   { "JUnit valid against junit.xsd, counts", test_junit_schema },
	   { "JUnit/TAP: bad path, bad document", test_junit_bad_path },
	   { "TAP parsed by prove", test_tap_prove },
	   { "TAP with no results", test_tap_empty },
	   { "report --markdown totals round trip", test_report_markdown },
	   { "report text matrix", test_report_text },
	   { "report --html in headless chromium", test_report_html_browser },
	   { "report: bad input, nothing written", test_report_bad_input },
	   { "report: conflicting inputs, usage", test_report_conflict },
	   { "diff: regressions, fixes, appeared", test_diff_regressions },
	   { "diff: bad input", test_diff_bad_input },
	   { "real smoke run through every writer", test_real_run })
