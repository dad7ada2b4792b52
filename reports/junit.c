/* SPDX-License-Identifier: MIT */
/*
 * JUnit XML for CI test reporters (GitHub Actions: dorny/test-reporter
 * java-junit, mikepenz/action-junit-report; GitLab artifacts:reports:junit;
 * Jenkins).  One <testsuite> per api@profile, because that is the unit a
 * reader compares across sysctl settings, and GitLab shows classname as
 * the "Suite" column (it ignores testsuite@name), so classname carries the
 * same api@profile.  The platform and the profile's sysctls go into
 * <properties> so an artefact still says where it came from once it is
 * detached from the job.  Status mapping (docs/reports.md):
 *   FAIL -> <failure>, ERROR/CRASH/TIMEOUT -> <error>,
 *   SKIP -> <skipped>, XFAIL -> <skipped message="XFAIL: ...">,
 *   XPASS -> pass with <system-out> saying so.
 */
#include "reports/report_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct junit_counts {
	unsigned int tests, failures, errors, skipped;
	double ms;
};

static bool in_suite(const json_t *r, const char *api, const char *profile)
{
	return !strcmp(report_str(r, "api"), api) &&
	       !strcmp(report_str(r, "profile"), profile);
}

static void junit_counts_add(struct junit_counts *c, const json_t *r)
{
	enum outcome s = report_result_status(r);

	c->tests++;
	c->ms += report_num(r, "duration_ms");
	if (s == OUT_FAIL)
		c->failures++;
	else if (outcome_is_bad(s))
		c->errors++;
	else if (s == OUT_SKIP || s == OUT_XFAIL)
		c->skipped++;
}

static void junit_counts_print(FILE *f, const struct junit_counts *c)
{
	fprintf(f, " tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" time=\"%.3f\"",
		c->tests, c->failures, c->errors, c->skipped, c->ms / 1000.0);
}

static void junit_property(FILE *f, const char *name, const char *value)
{
	fputs("      <property name=\"", f);
	report_xml_puts(f, name, true);
	fputs("\" value=\"", f);
	report_xml_puts(f, value, true);
	fputs("\"/>\n", f);
}

static void junit_properties(FILE *f, const json_t *doc, const char *profile)
{
	const json_t *plat = json_object_get(doc, "platform");
	const json_t *lib = json_object_get(doc, "library");
	const json_t *prof = json_object_get(json_object_get(doc, "profiles"), profile);
	const char *key;
	json_t *v;
	char buf[64];

	fputs("    <properties>\n", f);
	junit_property(f, "platform_id", report_str(doc, "platform_id"));
	junit_property(f, "os", report_str(plat, "os"));
	junit_property(f, "kernel", report_str(plat, "kernel"));
	junit_property(f, "kernel_version", report_str(plat, "version"));
	junit_property(f, "arch", report_str(plat, "arch"));
	junit_property(f, "distro", report_str(plat, "distro"));
	if (json_is_object(lib)) {
		junit_property(f, "library_path", report_str(lib, "path"));
		junit_property(f, "library_alias", report_str(lib, "alias"));
		junit_property(f, "library_version", report_str(lib, "version"));
	} else {
		junit_property(f, "library_path", "");
		junit_property(f, "library_version", "none (raw kernel API)");
	}
	junit_property(f, "tool_version",
		       report_str(json_object_get(doc, "tool"), "version"));
	junit_property(f, "profile", profile);
	/* every key of the profile: the tcp_fastopen* sysctls, and whatever
	 * later schema revisions add, without a change here */
	json_object_foreach((json_t *)prof, key, v) {
		char name[160];

		if (json_is_string(v))
			snprintf(buf, sizeof(buf), "%s", "");
		else if (json_is_integer(v))
			snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		else if (json_is_real(v))
			snprintf(buf, sizeof(buf), "%g", json_real_value(v));
		else if (json_is_boolean(v))
			snprintf(buf, sizeof(buf), "%s", json_is_true(v) ? "true" : "false");
		else
			snprintf(buf, sizeof(buf), "null");
		snprintf(name, sizeof(name), "profile.%s", key);
		junit_property(f, name, json_is_string(v) ? json_string_value(v) : buf);
	}
	fputs("    </properties>\n", f);
}

/* The body of <failure>/<error>: everything a reader needs without the
 * JSON at hand. */
static void junit_detail(FILE *f, const json_t *r)
{
	const char *ev = report_str(r, "evidence"), *dev = report_str(r, "deviation");

	report_xml_puts(f, report_str(r, "message"), false);
	fputs("\nclause: ", f);
	report_xml_puts(f, report_str(r, "clause"), false);
	if (*dev) {
		fputs("\ndeviation: ", f);
		report_xml_puts(f, dev, false);
		fputs(!strcmp(dev, "library")
			      ? " (the reference library passes on this kernel and profile)"
			      : " (the reference library fails too)",
		      f);
	}
	if (*ev) {
		fputs("\nevidence: ", f);
		report_xml_puts(f, ev, false);
	}
	if (*report_str(r, "reproducer")) {
		fputs("\nreproducer: ", f);
		report_xml_puts(f, report_str(r, "reproducer"), false);
	}
	fputc('\n', f);
}

static void junit_testcase(FILE *f, const json_t *r, const char *classname)
{
	enum outcome s = report_result_status(r);
	const char *msg = report_str(r, "message");

	fputs("    <testcase classname=\"", f);
	report_xml_puts(f, classname, true);
	fputs("\" name=\"", f);
	report_xml_puts(f, report_str(r, "name"), true);
	fprintf(f, "\" time=\"%.3f\"", report_num(r, "duration_ms") / 1000.0);
	if (s == OUT_PASS && !*msg) {
		fputs("/>\n", f);
		return;
	}
	fputs(">\n", f);
	switch (s) {
	case OUT_FAIL:
	case OUT_ERROR:
	case OUT_CRASH:
	case OUT_TIMEOUT:
		fprintf(f, "      <%s message=\"", s == OUT_FAIL ? "failure" : "error");
		report_xml_puts(f, *msg ? msg : outcome_name(s), true);
		fprintf(f, "\" type=\"%s\">", outcome_name(s));
		junit_detail(f, r);
		fprintf(f, "</%s>\n", s == OUT_FAIL ? "failure" : "error");
		break;
	case OUT_SKIP:
	case OUT_XFAIL:
		fputs("      <skipped message=\"", f);
		if (s == OUT_XFAIL)
			fputs("XFAIL: ", f);
		report_xml_puts(f, msg, true);
		fputs("\"/>\n", f);
		break;
	case OUT_XPASS:
		fputs("      <system-out>XPASS: passed although a known limit says it fails", f);
		if (*msg) {
			fputs(": ", f);
			report_xml_puts(f, msg, false);
		}
		fputs("</system-out>\n", f);
		break;
	default: /* PASS with a measurement note */
		fputs("      <system-out>", f);
		report_xml_puts(f, msg, false);
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
}

int report_write_junit(const json_t *doc, const char *path, char *err,
		       size_t errlen)
{
	const json_t *results = json_object_get(doc, "results");
	struct junit_counts all = { 0 };
	struct report_out o;
	json_t *suites = NULL, *r;
	size_t i, j;
	int ret;

	ret = report_doc_validate(doc, "results", err, errlen);
	if (ret)
		return ret;
	/* suites in order of first appearance: the order the run chose */
	suites = json_array();
	if (!suites)
		return -ENOMEM;
	json_array_foreach((json_t *)results, i, r) {
		bool known = false;
		json_t *s;

		json_array_foreach(suites, j, s)
			if (in_suite(r, report_str(s, "api"), report_str(s, "profile")))
				known = true;
		if (!known &&
		    json_array_append_new(suites, json_pack("{s:s,s:s}", "api",
							    report_str(r, "api"), "profile",
							    report_str(r, "profile")))) {
			ret = -ENOMEM;
			goto out;
		}
		junit_counts_add(&all, r);
	}
	ret = report_out_open(&o, path, err, errlen);
	if (ret)
		goto out;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tfocheck ", o.f);
	report_xml_puts(o.f, report_str(doc, "platform_id"), true);
	fputc('"', o.f);
	junit_counts_print(o.f, &all);
	fputs(">\n", o.f);
	for (j = 0; j < json_array_size(suites); j++) {
		const json_t *s = json_array_get(suites, j);
		const char *api = report_str(s, "api"), *prof = report_str(s, "profile");
		struct junit_counts c = { 0 };
		char *classname;

		if (asprintf(&classname, "%s@%s", api, prof) < 0) {
			report_out_abort(&o);
			ret = -ENOMEM;
			goto out;
		}
		json_array_foreach((json_t *)results, i, r)
			if (in_suite(r, api, prof))
				junit_counts_add(&c, r);
		fputs("  <testsuite name=\"", o.f);
		report_xml_puts(o.f, classname, true);
		fputc('"', o.f);
		junit_counts_print(o.f, &c);
		fprintf(o.f, " id=\"%zu\" hostname=\"", j);
		report_xml_puts(o.f, report_str(doc, "platform_id"), true);
		fputs("\">\n", o.f);
		junit_properties(o.f, doc, prof);
		json_array_foreach((json_t *)results, i, r)
			if (in_suite(r, api, prof))
				junit_testcase(o.f, r, classname);
		fputs("  </testsuite>\n", o.f);
		free(classname);
	}
	fputs("</testsuites>\n", o.f);
	ret = report_out_commit(&o, err, errlen);
out:
	json_decref(suites);
	return ret;
}
