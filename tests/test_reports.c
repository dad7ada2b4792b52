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

#include "reports/render.h"
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
	char *argv[24];
	int n = 0;
	va_list ap;

	argv[n++] = TEST_TFOCHECK;
	va_start(ap, err);
	while (n < 23 && (argv[n] = va_arg(ap, char *)))
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
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "#### Failing cells (4)"));
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

static int chromium_run_at(const char *bin, const char *what, const char *url, int w,
			   int h, char **out)
{
	char profile[] = "/tmp/tforeports-chromium.XXXXXX";
	char udd[128], size[64], *rm[] = { "rm", "-rf", profile, NULL };
	char *argv[] = { (char *)bin, "--headless", "--no-sandbox", "--disable-gpu",
			 "--disable-quic", "--no-first-run", "--disable-background-networking",
			 "--disable-component-update", "--disable-sync",
			 "--disable-dev-shm-usage", udd, (char *)what, size, (char *)url, NULL };
	int rc;

	if (!mkdtemp(profile))
		return -errno;
	snprintf(udd, sizeof(udd), "--user-data-dir=%s", profile);
	snprintf(size, sizeof(size), "--window-size=%d,%d", w, h);
	rc = test_run_capture(argv, out, NULL, CHROMIUM_MS);
	test_run_capture(rm, NULL, NULL, 30000);
	return rc;
}

static int chromium_run(const char *bin, const char *what, const char *url, char **out)
{
	return chromium_run_at(bin, what, url, 1280, 900, out);
}

/* The part of html between "<tag" ... and its end tag, or NULL. */
static char *dom_section(const char *dom, const char *start, const char *end)
{
	const char *a = strstr(dom, start), *b = a ? strstr(a, end) : NULL;

	return b ? strndup(a, (size_t)(b - a)) : NULL;
}

static void test_report_html_browser(void)
{
	char *a = doc_save(doc_mixed(), "html-a.json"), *b = doc_save(doc_passing(), "html-b.json");
	char *html = tpath("out/matrix.html"), *png = tpath("out/matrix.png");
	char *out = NULL, *err = NULL, *dom = NULL, *cx, url[600], shot[600];
	const char *bin, *p_head, *p_dev, *p_mx;
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
	/* the browser parsed what we meant: title, sections in order */
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<title>Matrix &lt;test&gt;</title>"));
	p_head = strstr(dom, "<ul id=\"headlines\">");
	p_dev = strstr(dom, "<section id=\"deviations\">");
	p_mx = strstr(dom, "<section id=\"results\">");
	CU_ASSERT_TRUE(p_head && p_dev && p_mx && p_head < p_dev && p_dev < p_mx);
	/* one headline per library, the failing one first */
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<li class=\"bad\"><b>libtfo 1.0 &lt;test&gt;</b>: 1 FAIL, 1 ERROR, 1 CRASH, 1 TIMEOUT in 4 deviations (2 clauses)</li>\n"
					   "<li class=\"ok\"><b>no library (the kernel API)</b>: all pass (2 PASS, 1 XFAIL, 1 XPASS, 1 SKIP)</li>"));
	/* the FAIL's deviation: expected against observed, as text */
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, ": observed <code>0 &lt;&amp;&gt;\"' # | `x`\nsecond line</code>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<td class=\"exp\">expected 5 bytes in the SYN</td>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "library deviation: the reference library passes"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "pcap <a class=\"pcap\" href=\"../pcap/owfat.sends_len%40tfo_ipv6.pcap\""));
	/* every cell, in per-API tables: connectx has no client-off column */
	CU_ASSERT_EQUAL(count_substr(dom, "<td class=\"st st-"), 4 * 3 + 4 * 2);
	CU_ASSERT_EQUAL(count_substr(dom, "data-status=\"PASS\" title="), 5);
	CU_ASSERT_EQUAL(count_substr(dom, "data-status=\"FAIL\" title="), 1);
	CU_ASSERT_EQUAL(count_substr(dom, "data-status=\"CRASH\" title="), 1);
	CU_ASSERT_EQUAL(count_substr(dom, "data-status=\"XFAIL\" title="), 2);
	CU_ASSERT_EQUAL(count_substr(dom, "class=\"st st-none\""), 5);
	cx = dom_section(dom, "<table class=\"mx\" id=\"matrix-connectx\">", "</table>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cx);
	CU_ASSERT_EQUAL(count_substr(cx, "class=\"prof\""), 2);
	CU_ASSERT_PTR_NULL(strstr(cx, "client-off"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cx, "<tr class=\"totals\" data-status=\"total\"><th scope=\"row\">total</th><td>4</td><td>1</td></tr>"));
	free(cx);
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "title=\"owfat.sends_len@tfo/ipv6: FAIL\nexpected 5 bytes in the SYN, got 0 &lt;&amp;&gt;&quot;' # | `x`\nsecond line\ndeviation: library\n12.5 ms\nevidence: pcap/owfat.sends_len@tfo_ipv6.pcap\">"));
	/* the pcap link is relative to the HTML file */
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<a href=\"../pcap/owfat.sends_len%40tfo_ipv6.pcap\">FAIL</a>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "title=\"connectx.idempotent@tfo/ipv4: SKIP\nneeds CAP_NET_ADMIN"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<tr class=\"totals\" data-status=\"FAIL\"><th scope=\"row\" class=\"st-FAIL\">FAIL</th><td>1</td><td>0</td><td>0</td></tr>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<tr class=\"totals\" data-status=\"total\"><th scope=\"row\">total</th><td>4</td><td>2</td><td>4</td></tr>"));
	/* rows in which every cell passes are hidden until one click */
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<input type=\"checkbox\" id=\"show-all\"> <label for=\"show-all\">show all 8 rows (1 in which every cell is PASS are hidden)</label>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<tr class=\"case allpass\"><th scope=\"row\" class=\"case\" title=\"owfat.sends_len/ipv4\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<section id=\"legend\">"));
	for (int s = 0; s < 8; s++) {
		static const char *const words[] = { "PASS", "FAIL", "XFAIL", "XPASS",
						     "SKIP", "ERROR", "CRASH", "TIMEOUT" };
		char want[64];

		snprintf(want, sizeof(want), "<dt><span class=\"st-%s\">%s</span></dt>", words[s], words[s]);
		CU_ASSERT_PTR_NOT_NULL(strstr(dom, want));
	}
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<th colspan=\"2\" scope=\"colgroup\" class=\"plat\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(dom, "<h3 id=\"api-connectx\">API connectx"));
	/* self-contained: nothing fetched from anywhere */
	CU_ASSERT_PTR_NULL(strstr(dom, "<link"));
	CU_ASSERT_PTR_NULL(strstr(dom, "<script"));
	CU_ASSERT_PTR_NULL(strstr(dom, "src=\""));
	CU_ASSERT_PTR_NULL(strstr(dom, "http://"));
	CU_ASSERT_PTR_NULL(strstr(dom, "https://"));
	free(dom);

	CU_ASSERT_EQUAL(chromium_run(bin, shot, url, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(stat(png, &st), 0);
	/* a blank 1280x900 PNG compresses to a few KB; a rendered page does not */
	CU_ASSERT(st.st_size > 20 * 1024);
	if (getenv("TFOCHECK_KEEP_SCREENSHOT")) {
		char *argv[] = { "cp", png, html, getenv("TFOCHECK_KEEP_SCREENSHOT"), NULL };

		test_run_capture(argv, NULL, NULL, 10000);
	}
}

/* ---- report: what a packager sees first ----------------------------------- */

/*
 * Appended to a copy of the page: the text of every text node that has a
 * whole line inside the viewport, as the browser laid it out, then one
 * line per matrix box that needs a horizontal scrollbar.
 */
static const char first_screen_js[] =
	"<script>(function(){var H=innerHeight,W=innerWidth,o=[],n,"
	"t=document.createTreeWalker(document.body,NodeFilter.SHOW_TEXT);"
	"while((n=t.nextNode())){var s=n.textContent.replace(/\\s+/g,' ').trim();if(!s)continue;"
	"var e=n.parentElement;if(getComputedStyle(e).visibility!='visible')continue;"
	/* a closed <details> keeps its content laid out but not painted */
	"if(e.checkVisibility&&!e.checkVisibility({visibilityProperty:true,opacityProperty:true}))continue;"
	"var g=document.createRange();g.selectNodeContents(n);var q=g.getClientRects(),v=false;"
	"for(var i=0;i<q.length;i++){var r=q[i];if(r.width>0&&r.top>=0&&r.bottom<=H&&r.left<W&&r.right>0)v=true;}"
	"if(v)o.push(s);}"
	"document.querySelectorAll('.mxwrap').forEach(function(w){"
	"if(w.scrollWidth>w.clientWidth+1)o.push('OVERFLOW '+w.firstElementChild.id+' '+w.scrollWidth+'>'+w.clientWidth);});"
	"o.push('VIEWPORT '+W+'x'+H);"
	"var p=document.createElement('pre');p.id='first-screen';p.textContent=o.join('\\n');"
	"document.body.appendChild(p);})();</script>";

/* The visible text of html's first w x h pixels (malloc()ed), or NULL. */
static char *first_screen(const char *bin, const char *html, int w, int h)
{
	char *page = file_slurp(html), *copy = tpath("out/first-screen.html"), url[600];
	char *dom = NULL, *text = NULL, *end, *o;
	const char *body, *p;
	FILE *f;

	if (!page)
		return NULL;
	body = strstr(page, "</body>");
	f = fopen(copy, "w");
	if (body && f) {
		fwrite(page, 1, (size_t)(body - page), f);
		fputs(first_screen_js, f);
		fputs(body, f);
	}
	if (f)
		fclose(f);
	free(page);
	snprintf(url, sizeof(url), "file://%s", copy);
	if (chromium_run_at(bin, "--dump-dom", url, w, h, &dom) || !dom) {
		free(dom);
		return NULL;
	}
	p = strstr(dom, "<pre id=\"first-screen\">");
	end = p ? strstr(p, "</pre>") : NULL;
	if (end) {
		p += strlen("<pre id=\"first-screen\">");
		text = o = malloc((size_t)(end - p) + 1);
		/* the DOM dump escapes & < > in text */
		while (o && p < end) {
			if (!strncmp(p, "&amp;", 5)) { *o++ = '&'; p += 5; }
			else if (!strncmp(p, "&lt;", 4)) { *o++ = '<'; p += 4; }
			else if (!strncmp(p, "&gt;", 4)) { *o++ = '>'; p += 4; }
			else if (!strncmp(p, "&quot;", 6)) { *o++ = '"'; p += 6; }
			else *o++ = *p++;
		}
		if (o)
			*o = 0;
	}
	free(dom);
	return text;
}

static void assert_on_screen(const char *text, const char *want)
{
	CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
	if (!strstr(text, want))
		fprintf(stderr, "\n    not on the first screen: \"%s\"", want);
}

/* libowfat's two real deviations, with the clause words they break. */
static void first_screen_check(const char *text)
{
	/* headless chromium's viewport in a 1400x1000 window is 1400x857:
	 * stricter than the screenshot's 1000 pixels */
	assert_on_screen(text, "VIEWPORT 1400x");
	assert_on_screen(text, ": 65 FAIL in 2 deviations (9 clauses)");
	assert_on_screen(text, "libtfo (in-tree)");
	assert_on_screen(text, "Failing clauses, by deviation");
	/* 1: no fallback when the kernel's client TFO is off */
	assert_on_screen(text, "socket_fastopen_connect4/6 returned -1 errno EOPNOTSUPP");
	assert_on_screen(text, "The difference to calling socket_connect6 followed by write is that, on platforms supporting TCP Fast Open");
	assert_on_screen(text, "expected 27 bytes sent: the page says without TFO it behaves as socket_connect4/6 followed by write");
	assert_on_screen(text, "client-off");
	/* 2: socket_connected leaves errno ENOTCONN */
	assert_on_screen(text, "socket_connected returned 0 errno ENOTCONN");
	assert_on_screen(text, "If the connection failed, socket_connected returns 0, setting errno appropriately.");
	assert_on_screen(text, "expected 0 with errno ECONNREFUSED");
	assert_on_screen(text, "library deviation");
	if (getenv("TFOCHECK_SHOW_FIRST_SCREEN"))
		fprintf(stderr, "\n---- first screen ----\n%s\n----\n", text);
}

/*
 * After `make conformance`, the first 1400x1000 pixels of the page name
 * libowfat's deviations.  The runs are the real ones, cut to the profiles
 * where libowfat fails, and the reference's to a few instances (so
 * `make check` stays quick);
 * TFOCHECK_FIRST_SCREEN_HTML=build/reports/matrix.html checks the page
 * `make conformance` wrote instead.
 */
static void test_report_first_screen(void)
{
	char *owfat = tpath("fs-owfat.json"), *tfo = tpath("fs-tfo.json");
	char *html = tpath("out/fs.html"), *png = tpath("out/fs.png");
	const char *given = getenv("TFOCHECK_FIRST_SCREEN_HTML"), *bin = chromium_path();
	char *out = NULL, *err = NULL, *text, url[600], shot[600];
	int rc;

	if (!bin) {
		test_skip("chromium not installed (package chromium; make deps installs it)");
		return;
	}
	if (!given) {
		if (!test_is_root()) {
			test_skip("not root: `tfocheck run` needs network namespaces");
			return;
		}
		/* every owfat case but err_timedout, which passes and takes 3 s */
		rc = tool(&out, &err, "run", "--lib", "libowfat", "--api", "owfat", "--profile",
			  "tfo,client-off,client-server-only", "--filter", "owfat.[!e]*",
			  "--filter", "owfat.ex*", "--filter", "owfat.err_[!t]*", "--json", owfat,
			  NULL);
		if (rc == 99 && err && strstr(err, "cannot load")) {
			test_skip("libowfat is not installed (package libowfat0)");
			free(out);
			free(err);
			return;
		}
		CU_ASSERT_EQUAL(rc, 1);
		free(out);
		free(err);
		/* the reference's own page section, kept small */
		CU_ASSERT_EQUAL(tool(&out, &err, "run", "--lib", "libtfo", "--api", "connectx",
				     "--profile", "client-off", "--json", tfo, NULL), 0);
		free(out);
		free(err);
		CU_ASSERT_EQUAL_FATAL(tool(&out, &err, "report", owfat, tfo, "--html", html, NULL), 0);
		free(out);
		free(err);
		given = html;
	}
	text = first_screen(bin, given, 1400, 1000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	first_screen_check(text);
	free(text);
	/* the picture, for a person to look at */
	if (getenv("TFOCHECK_KEEP_SCREENSHOT")) {
		snprintf(url, sizeof(url), "file://%s", given);
		snprintf(shot, sizeof(shot), "--screenshot=%s", png);
		CU_ASSERT_EQUAL(chromium_run_at(bin, shot, url, 1400, 1000, NULL), 0);
		char *argv[] = { "cp", png, getenv("TFOCHECK_KEEP_SCREENSHOT"), NULL };

		test_run_capture(argv, NULL, NULL, 10000);
	}
}

/* Two libraries x the ten profiles of `make conformance`, the longest
 * case ids: in a 1280-pixel window the matrix needs no horizontal
 * scrollbar. */
static void test_report_width_1280(void)
{
	static const char *const profiles[] = {
		"tfo", "client-off", "client-server-only", "server-off", "server-no-sockopt",
		"server-wo-sockopt", "client-403", "server-nocookie", "no-cookie", "no-cookie-strict",
	};
	static const char *const fams[] = { "ipv4", "ipv6", "ipv4-mapped", "ipv6-linklocal" };
	char *files[2], *html = tpath("out/wide.html"), *out = NULL, *err = NULL, *text;
	const char *bin = chromium_path();

	for (int l = 0; l < 2; l++) {
		json_t *d = doc_new(l ? "linux-6.18.44-fc-v1147-x86_64-libowfat" :
					"linux-6.18.44-fc-v1147-x86_64-libtfo", "6.18.44-fc-v1147", true);
		json_t *profs = json_object_get(d, "profiles");

		for (size_t p = 0; p < 10; p++) {
			json_object_set(profs, profiles[p], json_object_get(profs, "tfo"));
			for (size_t fa = 0; fa < 4; fa++) {
				doc_add(d, "owfat.nonblock_count_or_inprogress", profiles[p], fams[fa],
					l && p == 1 ? "FAIL" : "PASS", "returned -1 errno EOPNOTSUPP",
					NULL, l && p == 1 ? "library" : NULL);
				doc_add(d, "owfat.err_linklocal_no_scope", profiles[p], fams[fa],
					p == 2 ? "XFAIL" : "PASS", "", NULL, NULL);
			}
		}
		files[l] = doc_save(d, l ? "wide-owfat.json" : "wide-tfo.json");
	}
	CU_ASSERT_EQUAL_FATAL(tool(&out, &err, "report", files[0], files[1], "--html", html, NULL), 0);
	free(out);
	free(err);
	if (!bin) {
		test_skip("chromium not installed (package chromium; make deps installs it)");
		return;
	}
	text = first_screen(bin, html, 1280, 900);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NULL(strstr(text, "OVERFLOW"));
	if (strstr(text, "OVERFLOW"))
		fprintf(stderr, "\n    %s\n", strstr(text, "OVERFLOW"));
	free(text);
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

/* ---- report: deviations, kernels, interruptions ------------------------------ */

/* The parts of a message the grouping reads (docs/reports.md, "Deviations"). */
static void test_msg_parts(void)
{
	static const struct {
		const char *msg, *expected, *observed, *sig;
	} cases[] = {
		{ "connection 1 (first contact): socket_fastopen_connect4 returned -1 errno EOPNOTSUPP; expected 27 bytes sent: the page says without TFO it behaves as socket_connect4 followed by write",
		  "27 bytes sent: the page says without TFO it behaves as socket_connect4 followed by write",
		  "connection 1 (first contact): socket_fastopen_connect4 returned -1 errno EOPNOTSUPP",
		  "returned -1 errno EOPNOTSUPP" },
		{ "socket_fastopen_connect6 returned -1 errno EOPNOTSUPP after 0 ms; expected -1 errno ECONNREFUSED: the page says -1 with another errno means the connection failed (client TFO off: the page says it then behaves as socket_connect6 followed by write)",
		  "-1 errno ECONNREFUSED: the page says -1 with another errno means the connection failed (client TFO off: the page says it then behaves as socket_connect6 followed by write)",
		  "socket_fastopen_connect6 returned -1 errno EOPNOTSUPP after 0 ms",
		  "returned -1 errno EOPNOTSUPP" },
		{ "first contact: after the background connection failed, socket_connected returned 0 errno ENOTCONN; expected 0 with errno ECONNREFUSED: the page says if the connection failed, socket_connected returns 0, setting errno appropriately",
		  "0 with errno ECONNREFUSED: the page says if the connection failed, socket_connected returns 0, setting errno appropriately",
		  "first contact: after the background connection failed, socket_connected returned 0 errno ENOTCONN",
		  "returned 0 errno ENOTCONN" },
		{ "expected connectx on a listening socket to fail with EINVAL; observed EOPNOTSUPP",
		  "connectx on a listening socket to fail with EINVAL", "EOPNOTSUPP", "EOPNOTSUPP" },
		{ "expected the server to receive 27 bytes; observed: no connection reached the server",
		  "the server to receive 27 bytes", "no connection reached the server",
		  "no connection reached the server" },
		{ "expected 5 bytes in the SYN, got 0", "5 bytes in the SYN", "0", "N" },
		{ "no verdict after 10003 ms inside socket_fastopen_connect4(); process group killed",
		  "", "no verdict after 10003 ms inside socket_fastopen_connect4(); process group killed",
		  "no verdict after N ms inside socket_fastopen_connect4(); process group killed" },
		{ "the EXAMPLE's call returned -1 errno EOPNOTSUPP; expected 5", "5",
		  "the EXAMPLE's call returned -1 errno EOPNOTSUPP", "returned -1 errno EOPNOTSUPP" },
		{ "socket_fastopen_connect4 returned 12; expected 27 bytes sent", "27 bytes sent",
		  "socket_fastopen_connect4 returned 12", "returned 12" },
	};
	unsigned int mask;
	char *f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *e = mx_msg_expected(cases[i].msg), *o = mx_msg_observed(cases[i].msg);
		char *g = mx_msg_signature(o);

		CU_ASSERT_STRING_EQUAL(e, cases[i].expected);
		CU_ASSERT_STRING_EQUAL(o, cases[i].observed);
		CU_ASSERT_STRING_EQUAL(g, cases[i].sig);
		if (strcmp(e, cases[i].expected) || strcmp(o, cases[i].observed) ||
		    strcmp(g, cases[i].sig))
			fprintf(stderr, "\n    %zu: expected \"%s\", observed \"%s\", signature \"%s\"",
				i, e, o, g);
		free(e);
		free(o);
		free(g);
	}
	/* the family digit of a function name folds, other 4s and 6s stay */
	f = mx_fold46("socket_fastopen_connect6 and socket_connect4 on ipv4 port 46", &mask);
	CU_ASSERT_STRING_EQUAL(f, "socket_fastopen_connect\x01 and socket_connect\x01 on ipv4 port 46");
	CU_ASSERT_EQUAL(mask, 3);
	free(f);
}

static void doc_add_clause(json_t *d, const char *id, const char *profile, const char *family,
			   const char *status, const char *msg, const char *clause,
			   const char *deviation)
{
	json_t *res = json_object_get(d, "results"), *r;

	doc_add(d, id, profile, family, status, msg, NULL, deviation);
	r = json_array_get(res, json_array_size(res) - 1);
	json_object_set_new(r, "clause", json_string(clause));
}

/* One observation across clauses and families is one deviation; another
 * errno or another verdict is another. */
static void test_report_deviations(void)
{
	json_t *d = doc_new("linux-6.18.44-x86_64-libowfat", "6.18.44", true);
	char *p, *out = NULL, *err = NULL, *a, *b, *c;

	json_object_set_new(json_object_get(d, "library"), "version", json_string("libowfat0 0.32-4"));
	json_object_set_new(json_object_get(d, "library"), "alias", json_string("libowfat"));
	doc_add_clause(d, "owfat.no_tfo", "client-off", "ipv4", "FAIL",
		       "connection 1: socket_fastopen_connect4 returned -1 errno EOPNOTSUPP; expected 27 bytes sent",
		       "The difference to calling socket_connect6 followed by write", "library");
	doc_add_clause(d, "owfat.no_tfo", "client-off", "ipv6", "FAIL",
		       "connection 1: socket_fastopen_connect6 returned -1 errno EOPNOTSUPP; expected 27 bytes sent",
		       "The difference to calling socket_connect6 followed by write", "library");
	doc_add_clause(d, "owfat.err_refused", "client-off", "ipv4", "FAIL",
		       "socket_fastopen_connect4 returned -1 errno EOPNOTSUPP after 0 ms; expected -1 errno ECONNREFUSED",
		       "-1, setting errno to something else", "library");
	doc_add_clause(d, "owfat.nonblock_refused", "tfo", "ipv4", "FAIL",
		       "after the background connection failed, socket_connected returned 0 errno ENOTCONN; expected 0 with errno ECONNREFUSED",
		       "If the connection failed, socket_connected returns 0, setting errno appropriately.",
		       "library");
	doc_add_clause(d, "owfat.kernel_thing", "tfo", "ipv4", "FAIL",
		       "socket_fastopen_connect4 returned -1 errno EOPNOTSUPP; expected 5",
		       "a clause the kernel breaks", "platform");
	doc_add_clause(d, "owfat.fine", "tfo", "ipv4", "PASS", "", "a clause kept", NULL);
	p = doc_save(d, "dev.json");
	CU_ASSERT_EQUAL_FATAL(tool(&out, &err, "report", p, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nlibowfat0 0.32-4: 5 FAIL in 3 deviations (4 clauses)\n"));
	a = strstr(out, "  1. libowfat0 0.32-4: observed socket_fastopen_connect4/6 returned -1 errno EOPNOTSUPP\n"
			"     3 FAIL in 2 clauses; library deviation");
	b = strstr(out, "libowfat0 0.32-4: observed socket_connected returned 0 errno ENOTCONN\n");
	c = strstr(out, "libowfat0 0.32-4: observed socket_fastopen_connect4 returned -1 errno EOPNOTSUPP\n"
			"     1 FAIL in 1 clause; platform deviation");
	CU_ASSERT_TRUE(a && b && c && a < b && a < c);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "; profiles client-off 3; families ipv4 2, ipv6 1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "       2 × \"The difference to calling socket_connect6 followed by write\"\n"
					   "           expected 27 bytes sent\n"));
	/* the order of a page: headlines, deviations, then the matrix */
	CU_ASSERT_TRUE(a && strstr(out, "\nMatrix: ") > a);
	if (!a || !b || !c)
		fprintf(stderr, "\n%s\n", out);
	free(out);
	free(err);
}

/* Three kernels, one library: identical is one line; a difference is
 * listed first; a kernel that did not boot is said once. */
static void test_report_kernels(void)
{
	static const char *const kernels[] = { "6.1.0-57-cloud-amd64", "6.12.57+deb12-cloud-amd64",
					       "6.18.44" };
	char *files[4], *html = tpath("out/kernels.html"), *md = tpath("out/kernels.md");
	char *out = NULL, *err = NULL, *text, *k, *dv;

	for (int v = 0; v < 2; v++) {
		for (int i = 0; i < 3; i++) {
			char pid[128], name[64];
			json_t *d;

			snprintf(pid, sizeof(pid), "linux-%s-x86_64-libtfo", kernels[i]);
			d = doc_new(pid, kernels[i], true);
			doc_add(d, "owfat.sends_len", "tfo", "ipv4", "PASS", "", NULL, NULL);
			doc_add(d, "owfat.sends_len", "tfo", "ipv6",
				v && i == 0 ? "FAIL" : "PASS", "expected 5 bytes in the SYN, got 0",
				NULL, NULL);
			doc_add(d, "owfat.cookie", "tfo", "any", "XFAIL", "known limit", NULL, NULL);
			snprintf(name, sizeof(name), "k%d-%d.json", v, i);
			files[i] = doc_save(d, name);
		}
		if (!v) {
			CU_ASSERT_EQUAL(tool(&out, &err, "report", files[0], files[1], files[2], NULL), 0);
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "\nBetween kernels:\n  libtfo 1.0 <test>: identical on 6.1.0-57-cloud-amd64, 6.12.57+deb12-cloud-amd64 and 6.18.44 (3 instances on each)\n"));
			CU_ASSERT_PTR_NOT_NULL(strstr(out, "libtfo 1.0 <test>: all pass (2 PASS, 1 XFAIL), on each of 3 kernels\n"));
			free(out);
			free(err);
		}
	}
	/* a fourth kernel that did not boot: one ERROR document */
	{
		json_t *d = doc_new("linux-6.2.0-x86_64-libtfo", "6.2.0", true);

		doc_add(d, "kernel.boot", "tfo", "any", "ERROR", "no init within 300 s", NULL, NULL);
		files[3] = doc_save(d, "k-boot.json");
	}
	CU_ASSERT_EQUAL(tool(&out, &err, "report", files[0], files[1], files[2], files[3], NULL), 0);
	k = strstr(out, "\nBetween kernels:\n  libtfo 1.0 <test>: 1 instance differs between 6.1.0-57-cloud-amd64, 6.12.57+deb12-cloud-amd64 and 6.18.44:\n"
			"    owfat.sends_len@tfo/ipv6");
	dv = strstr(out, "\nFailing clauses, by deviation:");
	CU_ASSERT_TRUE(k && dv && k < dv);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, " FAIL    PASS    PASS    -      \n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  libtfo 1.0 <test> on 6.2.0: no instance in common with the other kernels\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "libtfo 1.0 <test>: 1 FAIL, 1 ERROR in 2 deviations (2 clauses), over 4 kernels\n"));
	if (!k)
		fprintf(stderr, "\n%s\n", out);
	free(out);
	free(err);
	CU_ASSERT_EQUAL(tool(&out, &err, "report", files[0], files[1], files[2], files[3],
			     "--html", html, "--markdown", md, NULL), 0);
	free(out);
	free(err);
	text = file_slurp(html);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	k = strstr(text, "<section id=\"kernels\"><h2>Between kernels</h2>");
	dv = strstr(text, "<section id=\"deviations\">");
	CU_ASSERT_TRUE(k && dv && k < dv);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "1 instance differs between 6.1.0-57-cloud-amd64, 6.12.57+deb12-cloud-amd64 and 6.18.44:"));
	free(text);
	text = file_slurp(md);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	k = strstr(text, "\n### Between kernels\n");
	dv = strstr(text, "\n### Failing clauses, by deviation\n");
	CU_ASSERT_TRUE(k && dv && strstr(text, "\n### Matrix\n") > dv && k < dv);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "  | `owfat.sends_len@tfo/ipv6` | FAIL | PASS | PASS | — |\n"));
	free(text);
}

/* An interrupted run says so in report and diff; diff will not call it
 * green. */
static void test_report_interrupted(void)
{
	json_t *d = doc_mixed(), *res = json_object_get(d, "results");
	char *old = doc_save(doc_mixed(), "int-old.json"), *new, *bad;
	char *out = NULL, *err = NULL, *html = tpath("out/int.html"), *text;
	char lerr[256];
	json_t *doc;

	json_object_set_new(d, "interrupted", json_true());
	json_object_set_new(json_array_get(res, 8), "status", json_string("ERROR"));
	json_object_set_new(json_array_get(res, 8), "message", json_string("not run: interrupted"));
	json_object_set_new(json_array_get(res, 8), "interrupted", json_true());
	json_object_set_new(json_array_get(res, 9), "status", json_string("ERROR"));
	json_object_set_new(json_array_get(res, 9), "message", json_string("interrupted"));
	json_object_set_new(json_array_get(res, 9), "interrupted", json_true());
	new = doc_save(d, "int-new.json");

	CU_ASSERT_EQUAL(tool(&out, &err, "report", new, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "; interrupted: 2 instances did not finish\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\ninterrupted: "));
	/* the unfinished are not a deviation */
	CU_ASSERT_PTR_NULL(strstr(out, "observed not run"));
	CU_ASSERT_PTR_NULL(strstr(out, "observed interrupted"));
	free(out);
	free(err);
	CU_ASSERT_EQUAL(tool(&out, &err, "report", new, "--html", html, NULL), 0);
	free(out);
	free(err);
	text = file_slurp(html);
	CU_ASSERT_PTR_NOT_NULL(text && strstr(text, "<p class=\"banner\"><b>Interrupted run:</b>"));
	free(text);

	CU_ASSERT_EQUAL(tool(&out, &err, "diff", old, new, NULL), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "note: NEW ("));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "comes from an interrupted run: incomplete, so this diff exits 1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0 regressed, 0 fixed, 0 changed, 0 appeared, 0 disappeared, 8 unchanged, 2 unfinished (interrupted)\n"));
	free(out);
	free(err);
	CU_ASSERT_EQUAL(tool(&out, &err, "diff", "--json", old, new, NULL), 1);
	doc = json_loads(out, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_TRUE(json_is_true(json_object_get(json_object_get(doc, "interrupted"), "new")));
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(doc, "unfinished")), 2);
	CU_ASSERT_TRUE(json_is_false(json_object_get(doc, "regressed")));
	json_decref(doc);
	free(out);
	free(err);
	/* an interrupted OLD only notes it */
	CU_ASSERT_EQUAL(tool(&out, &err, "diff", new, old, NULL), 0);
	free(out);
	free(err);
	/* the key is typed */
	d = doc_mixed();
	json_object_set_new(d, "interrupted", json_string("yes"));
	bad = doc_save(d, "int-bad.json");
	CU_ASSERT_EQUAL(report_load(bad, &doc, lerr, sizeof(lerr)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(lerr, "interrupted: expected a boolean, got a string"));
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
	   { "message parts the grouping reads", test_msg_parts },
	   { "deviations: one observation, many clauses", test_report_deviations },
	   { "kernels: identical in one line, differences first", test_report_kernels },
	   { "interrupted runs in report and diff", test_report_interrupted },
	   { "report --html in headless chromium", test_report_html_browser },
	   { "the first screen names libowfat's deviations", test_report_first_screen },
	   { "20 columns fit a 1280-pixel window", test_report_width_1280 },
	   { "report: bad input, nothing written", test_report_bad_input },
	   { "report: conflicting inputs, usage", test_report_conflict },
	   { "diff: regressions, fixes, appeared", test_diff_regressions },
	   { "diff: bad input", test_diff_bad_input },
	   { "real smoke run through every writer", test_real_run })
