/* SPDX-License-Identifier: MIT */
/*
 * TAP version 13 (KTAP-compatible) for prove, kselftest-style runners and
 * openQA/LAVA parsers.  Mapping (docs/reports.md): PASS "ok", FAIL and
 * ERROR/CRASH/TIMEOUT "not ok" with a YAML block, SKIP "ok # SKIP",
 * XFAIL "not ok # TODO known limit: ..." so TAP consumers count it as
 * expected, XPASS "ok # TODO ..." (TAP's "unexpectedly succeeded"), and a
 * closing kselftest "# Totals:" line.  Descriptions and directives are
 * kept on one line and '#' in names is escaped, since TAP parsers split
 * the directive at the first unescaped '#'.
 */
#include "reports/report_int.h"

#include <string.h>

/* Text after "ok N - " or after "# SKIP ": one line, '#' escaped. */
static void tap_line_puts(FILE *f, const char *s, bool escape_hash)
{
	for (; s && *s; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t')
			fputc(' ', f);
		else if (*s == '#' && escape_hash)
			fputs("\\#", f);
		else if (*s == '\\' && escape_hash)
			fputs("\\\\", f);
		else
			fputc(*s, f);
	}
}

/* A YAML double-quoted scalar: always safe, whatever the text. */
static void tap_yaml_puts(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void tap_yaml_block(FILE *f, const json_t *r)
{
	const char *ev = report_str(r, "evidence"), *dev = report_str(r, "deviation");

	fputs("  ---\n  message: ", f);
	tap_yaml_puts(f, report_str(r, "message"));
	fputs("\n  clause: ", f);
	tap_yaml_puts(f, report_str(r, "clause"));
	fprintf(f, "\n  severity: %s\n  status: %s\n  duration_ms: %.3f\n",
		report_result_status(r) == OUT_FAIL ? "fail" : "error",
		outcome_name(report_result_status(r)),
		report_num(r, "duration_ms"));
	if (*dev) {
		fputs("  deviation: ", f);
		tap_yaml_puts(f, dev);
		fputc('\n', f);
	}
	if (*ev) {
		fputs("  evidence: ", f);
		tap_yaml_puts(f, ev);
		fputc('\n', f);
	}
	if (*report_str(r, "reproducer")) {
		fputs("  reproducer: ", f);
		tap_yaml_puts(f, report_str(r, "reproducer"));
		fputc('\n', f);
	}
	fputs("  ...\n", f);
}

int report_write_tap(const json_t *doc, const char *path, char *err,
		     size_t errlen)
{
	const json_t *results = json_object_get(doc, "results");
	const json_t *lib = json_object_get(doc, "library");
	unsigned int n[OUT_MAX] = { 0 };
	struct report_out o;
	size_t i;
	json_t *r;
	int ret;

	ret = report_doc_validate(doc, "results", err, errlen);
	if (ret)
		return ret;
	ret = report_out_open(&o, path, err, errlen);
	if (ret)
		return ret;
	fputs("TAP version 13\n", o.f);
	if (!json_array_size(results)) {
		fputs("1..0 # SKIP no results in this run\n", o.f);
		goto totals;
	}
	fprintf(o.f, "1..%zu\n", json_array_size(results));
	fputs("# tfocheck ", o.f);
	tap_line_puts(o.f, report_str(json_object_get(doc, "tool"), "version"), false);
	fputs(" on ", o.f);
	tap_line_puts(o.f, report_str(doc, "platform_id"), false);
	fputs(", library ", o.f);
	tap_line_puts(o.f, json_is_object(lib) ? report_str(lib, "version") : "none", false);
	fputc('\n', o.f);
	json_array_foreach((json_t *)results, i, r) {
		enum outcome s = report_result_status(r);
		const char *msg = report_str(r, "message");

		n[s]++;
		fprintf(o.f, "%s %zu - ",
			s == OUT_PASS || s == OUT_SKIP || s == OUT_XPASS ? "ok" : "not ok",
			i + 1);
		tap_line_puts(o.f, report_str(r, "name"), true);
		switch (s) {
		case OUT_SKIP:
			fputs(" # SKIP ", o.f);
			tap_line_puts(o.f, *msg ? msg : "no reason given", false);
			break;
		case OUT_XFAIL:
			fputs(" # TODO known limit: ", o.f);
			tap_line_puts(o.f, *msg ? msg : "no reason given", false);
			break;
		case OUT_XPASS:
			fputs(" # TODO XPASS: passed although a known limit says it fails", o.f);
			break;
		default:
			break;
		}
		fputc('\n', o.f);
		if (outcome_is_bad(s))
			tap_yaml_block(o.f, r);
	}
totals:
	fprintf(o.f, "# Totals: pass:%u fail:%u xfail:%u xpass:%u skip:%u error:%u\n",
		n[OUT_PASS], n[OUT_FAIL], n[OUT_XFAIL], n[OUT_XPASS], n[OUT_SKIP],
		n[OUT_ERROR] + n[OUT_CRASH] + n[OUT_TIMEOUT]);
	return report_out_commit(&o, err, errlen);
}
