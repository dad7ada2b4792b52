/* SPDX-License-Identifier: MIT */
/*
 * The fuzz section of the HTML and Markdown reports: for every input
 * that carries one (`tfocheck fuzz --json`, docs/results-json.md "fuzz"),
 * what was run and each divergence after shrinking: its id, the clause
 * it touches, the first difference, the scenario in words, the command
 * that replays it and the reproducer and pcap beside it.  It follows the
 * case deviations: divergences are findings too, read before the matrix.
 */
#include "reports/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

static const json_t *fz_section(const struct mx *m, int i)
{
	return json_object_get(m->in[i].doc, "fuzz");
}

/* "LIB against the reference, API owfat, seed 1: 40 scenarios, ..." */
static void fz_summary(const struct mx *m, int i, char *buf, size_t size)
{
	const json_t *z = fz_section(m, i);

	snprintf(buf, size, "%s against the reference, API %s, seed %lld: %lld scenarios, %lld divergent, %zu after shrinking.",
		 report_str(json_object_get(m->in[i].doc, "library"), "path"),
		 report_str(z, "api"), json_integer_value(json_object_get(z, "seed")),
		 json_integer_value(json_object_get(z, "scenarios")),
		 json_integer_value(json_object_get(z, "divergent")),
		 json_array_size(json_object_get(z, "divergences")));
}

static bool fz_any(const struct mx *m)
{
	for (int i = 0; i < m->nin; i++)
		if (fz_section(m, i))
			return true;
	return false;
}

static void fz_html_link(FILE *f, const struct mx *m, int i, const char *what,
			 const char *path)
{
	char *href;

	if (!path || !*path)
		return;
	href = mx_evidence_href(m, i, path);
	fputs(" <a href=\"", f);
	report_xml_puts(f, href ? href : path, true);
	fputs("\">", f);
	report_xml_puts(f, what, false);
	fputs("</a>", f);
	free(href);
}

void mx_html_fuzz(FILE *f, const struct mx *m)
{
	if (!fz_any(m))
		return;
	fputs("<section id=\"fuzz\">\n<h2>Differential fuzzing</h2>\n", f);
	for (int i = 0; i < m->nin; i++) {
		const json_t *z = fz_section(m, i), *d;
		char line[1400];
		size_t k;

		if (!z)
			continue;
		fz_summary(m, i, line, sizeof(line));
		fputs("<p>", f);
		report_xml_puts(f, line, false);
		fputs("</p>\n", f);
		if (!json_array_size(json_object_get(z, "divergences")))
			continue;
		fputs("<ol class=\"fuzz\">\n", f);
		json_array_foreach(json_object_get(z, "divergences"), k, d) {
			fputs("<li><p><code>", f);
			report_xml_puts(f, report_str(d, "id"), false);
			fputs("</code>", f);
			if (*report_str(d, "clause_id")) {
				fputs(" (", f);
				report_xml_puts(f, report_str(d, "clause_id"), false);
				fputs(": \u201c", f);
				report_xml_puts(f, report_str(d, "clause"), false);
				fputs("\u201d)", f);
			}
			fputs("</p>\n<p>", f);
			report_xml_puts(f, report_str(d, "field"), false);
			fputs(": expected ", f);
			report_xml_puts(f, report_str(d, "expected"), false);
			fputs(" (reference); observed ", f);
			report_xml_puts(f, report_str(d, "observed"), false);
			fputs("</p>\n<p class=\"scn\">", f);
			report_xml_puts(f, report_str(d, "scenario"), false);
			fputs("</p>\n<p><code>", f);
			report_xml_puts(f, report_str(d, "replay"), false);
			fputs("</code>", f);
			fz_html_link(f, m, i, "reproducer", report_str(d, "reproducer"));
			fz_html_link(f, m, i, "pcap", report_str(d, "evidence"));
			fputs("</p></li>\n", f);
		}
		fputs("</ol>\n", f);
	}
	fputs("</section>\n", f);
}

/* Markdown table text: nothing that ends the cell or the line */
static void fz_md(FILE *f, const char *s)
{
	for (; *s; s++)
		fputs(*s == '|' ? "\\|" : *s == '\n' ? " " : (char[2]){ *s, 0 }, f);
}

void mx_md_fuzz(FILE *f, const struct mx *m)
{
	if (!fz_any(m))
		return;
	fputs("### Differential fuzzing\n\n", f);
	for (int i = 0; i < m->nin; i++) {
		const json_t *z = fz_section(m, i), *d;
		char line[1400];
		size_t k;

		if (!z)
			continue;
		fz_summary(m, i, line, sizeof(line));
		fz_md(f, line);
		fputs("\n\n", f);
		if (!json_array_size(json_object_get(z, "divergences")))
			continue;
		fputs("| scenario | clause | first difference | replay |\n|---|---|---|---|\n", f);
		json_array_foreach(json_object_get(z, "divergences"), k, d) {
			fputs("| `", f);
			fz_md(f, report_str(d, "id"));
			fputs("` ", f);
			fz_md(f, report_str(d, "scenario"));
			fputs(" | ", f);
			fz_md(f, report_str(d, "clause_id"));
			fputs(" | ", f);
			fz_md(f, report_str(d, "field"));
			fputs(": expected ", f);
			fz_md(f, report_str(d, "expected"));
			fputs("; observed ", f);
			fz_md(f, report_str(d, "observed"));
			fputs(" | `", f);
			fz_md(f, report_str(d, "replay"));
			fputs("` |\n", f);
		}
		fputs("\n", f);
	}
}
