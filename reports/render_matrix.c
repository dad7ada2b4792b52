/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck report RESULTS.json... [--html FILE] [--markdown FILE]
 * [--title TEXT]`: the wpt.fyi-style matrix.  Rows are cases, grouped by
 * API and clause; a row is an instance name with its "@profile" part
 * taken out ("owfat.sends_len/ipv4"), because the profile becomes the
 * column: one column per (platform_id, profile) pair, so the same case on
 * two kernels, two libraries or two sysctl settings sits side by side.
 * Several files with the same platform_id share columns (runs split by
 * --filter); the same instance twice in one column is an input error.
 *
 * The HTML is one self-contained file (inline CSS, no script, no external
 * asset) that CI can upload as an artefact and a browser opens from disk;
 * every cell carries its status word, so it reads without colour.  The
 * "only non-PASS rows" filter is a checkbox and a CSS sibling selector.
 * The Markdown is sized for a GitHub job summary (1 MiB limit per step):
 * totals per column, then the non-PASS cells, cut off with a note when
 * it would grow past REPORT_MD_BUDGET.  Without --html/--markdown a text
 * matrix of the rows that are not all PASS goes to stdout.
 *
 * Nothing is written unless every input validated: outputs go to
 * temporary files renamed at the very end (report_out_*).
 */
#include "reports/report_int.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REPORT_MD_BUDGET (900 * 1024)
#define REPORT_MD_MSG_MAX 200

struct mx_input {
	const char *path;
	json_t *doc;
	char *dir; /* realpath of the file's directory, for evidence */
};

struct mx_col {
	const char *platform_id;
	const char *profile;
	const json_t *doc; /* first input that has this column */
	unsigned int n[OUT_MAX];
	unsigned int total;
};

struct mx_row {
	char *key;
	const char *api;
	const char *clause;
	size_t seq; /* first appearance: the run's own order within a group */
	bool all_pass;
};

struct mx_cell {
	const json_t *r;
	int input;
};

struct mx {
	struct mx_input *in;
	int nin;
	struct mx_col *cols;
	size_t ncols;
	struct mx_row *rows;
	size_t nrows;
	struct mx_cell *cells; /* nrows x ncols */
	const char *title;
	char *outdir; /* realpath of the HTML file's directory */
};

static const char *const mx_letter[OUT_MAX + 1] = {
	[OUT_PASS] = ".", [OUT_FAIL] = "F", [OUT_XFAIL] = "x", [OUT_XPASS] = "X",
	[OUT_SKIP] = "s", [OUT_ERROR] = "E", [OUT_CRASH] = "C", [OUT_TIMEOUT] = "T",
	[OUT_NONE] = "-",
};

static struct mx_cell *mx_cell(struct mx *m, size_t row, size_t col)
{
	return &m->cells[row * m->ncols + col];
}

static enum outcome mx_cell_status(const struct mx_cell *c)
{
	return c->r ? report_result_status(c->r) : OUT_NONE;
}

static int mx_row_cmp(const void *a, const void *b)
{
	const struct mx_row *x = a, *y = b;
	int d = strcmp(x->api, y->api);

	if (!d)
		d = strcmp(x->clause, y->clause);
	if (!d)
		d = x->seq < y->seq ? -1 : x->seq > y->seq;
	return d;
}

static ssize_t mx_col_find(struct mx *m, const char *pid, const char *prof)
{
	for (size_t i = 0; i < m->ncols; i++)
		if (!strcmp(m->cols[i].platform_id, pid) && !strcmp(m->cols[i].profile, prof))
			return (ssize_t)i;
	return -1;
}

/* Columns and rows first, then the cells, once the row order is known. */
static int mx_build(struct mx *m, char *err, size_t errlen)
{
	json_t *index = json_object(), *r;
	size_t nres = 0, i, seq = 0;
	int ret = 0;

	if (!index)
		return -ENOMEM;
	for (int k = 0; k < m->nin; k++)
		nres += json_array_size(json_object_get(m->in[k].doc, "results"));
	m->cols = calloc(nres + 1, sizeof(*m->cols));
	m->rows = calloc(nres + 1, sizeof(*m->rows));
	if (!m->cols || !m->rows) {
		ret = -ENOMEM;
		goto out;
	}
	for (int k = 0; k < m->nin; k++) {
		const json_t *doc = m->in[k].doc;
		const char *pid = report_str(doc, "platform_id");

		json_array_foreach(json_object_get(doc, "results"), i, r) {
			const char *prof = report_str(r, "profile");
			char *key;

			if (mx_col_find(m, pid, prof) < 0) {
				m->cols[m->ncols].platform_id = pid;
				m->cols[m->ncols].profile = prof;
				m->cols[m->ncols].doc = doc;
				m->ncols++;
			}
			key = report_row_key(r);
			if (!key) {
				ret = -ENOMEM;
				goto out;
			}
			if (json_object_get(index, key)) {
				free(key);
				continue;
			}
			m->rows[m->nrows] = (struct mx_row){ key, report_str(r, "api"),
							      report_str(r, "clause"), seq++, true };
			if (json_object_set_new(index, key, json_true())) {
				ret = -ENOMEM;
				goto out;
			}
			m->nrows++;
		}
	}
	qsort(m->rows, m->nrows, sizeof(*m->rows), mx_row_cmp);
	json_object_clear(index);
	for (i = 0; i < m->nrows; i++)
		json_object_set_new(index, m->rows[i].key, json_integer((json_int_t)i));
	m->cells = calloc(m->nrows * m->ncols + 1, sizeof(*m->cells));
	if (!m->cells) {
		ret = -ENOMEM;
		goto out;
	}
	for (int k = 0; k < m->nin; k++) {
		const json_t *doc = m->in[k].doc;
		const char *pid = report_str(doc, "platform_id");

		json_array_foreach(json_object_get(doc, "results"), i, r) {
			size_t col = (size_t)mx_col_find(m, pid, report_str(r, "profile"));
			char *key = report_row_key(r);
			size_t row;
			struct mx_cell *c;
			enum outcome s;

			if (!key) {
				ret = -ENOMEM;
				goto out;
			}
			row = (size_t)json_integer_value(json_object_get(index, key));
			free(key);
			c = mx_cell(m, row, col);
			if (c->r) {
				report_err(err, errlen,
					   "%s: results[%zu]: \"%s\" on %s is also in %s (one column cannot hold two runs of an instance; use tfocheck diff)",
					   m->in[k].path, i, report_str(r, "name"), pid,
					   m->in[c->input].path);
				ret = -EINVAL;
				goto out;
			}
			c->r = r;
			c->input = k;
			s = report_result_status(r);
			m->cols[col].n[s]++;
			m->cols[col].total++;
			if (s != OUT_PASS)
				m->rows[row].all_pass = false;
		}
	}
out:
	json_decref(index);
	return ret;
}

static void mx_free(struct mx *m)
{
	for (size_t i = 0; i < m->nrows; i++)
		free(m->rows[i].key);
	free(m->rows);
	free(m->cols);
	free(m->cells);
	for (int k = 0; k < m->nin; k++) {
		json_decref(m->in[k].doc);
		free(m->in[k].dir);
	}
	free(m->in);
	free(m->outdir);
}

static unsigned int mx_count(const struct mx *m, enum outcome s)
{
	unsigned int n = 0;

	for (size_t c = 0; c < m->ncols; c++)
		n += m->cols[c].n[s];
	return n;
}

/* ---- evidence links ------------------------------------------------ */

/* target and base absolute and canonical; "../x/y.pcap" style result */
static char *mx_relpath(const char *target, const char *base)
{
	size_t i = 0, last = 0, ups = 0, len;
	char *rel;

	while (target[i] && target[i] == base[i]) {
		if (target[i] == '/')
			last = i;
		i++;
	}
	if (!base[i] && target[i] == '/')
		last = i;
	else if (!base[i] && !target[i])
		return strdup(".");
	for (const char *p = base + last; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			ups++;
	len = ups * 3 + strlen(target + last + 1) + 1;
	rel = malloc(len);
	if (!rel)
		return NULL;
	rel[0] = 0;
	for (size_t u = 0; u < ups; u++)
		strcat(rel, "../");
	strcat(rel, target + last + 1);
	return rel;
}

/*
 * The evidence path as recorded may be relative to wherever `run` ran;
 * try the results file's directory, then the current one.  A link is
 * made relative to the HTML file so the report and its pcap directory
 * can be uploaded and moved together.
 */
static char *mx_evidence_href(const struct mx *m, const struct mx_input *in,
			      const char *ev)
{
	char *abs = NULL, *cand = NULL, *rel;

	if (ev[0] != '/' && in->dir && asprintf(&cand, "%s/%s", in->dir, ev) >= 0) {
		abs = realpath(cand, NULL);
		free(cand);
	}
	if (!abs)
		abs = realpath(ev, NULL);
	if (!abs)
		return strdup(ev);
	if (!m->outdir)
		return abs;
	rel = mx_relpath(abs, m->outdir);
	free(abs);
	return rel;
}

static void mx_url_puts(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			fputc(*p, f);
		else
			fprintf(f, "%%%02X", *p);
	}
}

/* ---- HTML ------------------------------------------------------------ */

static const char mx_css[] =
	":root{color-scheme:light dark;--bg:#fff;--fg:#1a1a1a;--line:#b8b8b8;--head:#eef0f3;--muted:#555}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#16181c;--fg:#e8e8e8;--line:#4a4d55;--head:#23262d;--muted:#b0b0b0}}\n"
	"body{background:var(--bg);color:var(--fg);font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.2em}\n"
	"h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.2em 0 .4em}\n"
	".sub,footer{color:var(--muted)}\n"
	"table{border-collapse:collapse}th,td{border:1px solid var(--line);padding:2px 6px;vertical-align:top}\n"
	"thead th,tfoot th,.platforms th{background:var(--head)}\n"
	"thead th{position:sticky;top:0;z-index:1}\n"
	".scroll{overflow:auto;max-width:100%}\n"
	"#matrix td.st{text-align:center;white-space:nowrap;font:600 12px/1.3 ui-monospace,'DejaVu Sans Mono',monospace}\n"
	"#matrix th.case{text-align:left;font:12px/1.3 ui-monospace,'DejaVu Sans Mono',monospace;white-space:nowrap}\n"
	"#matrix tr.api th{text-align:left;background:var(--head);font-size:1.05em}\n"
	"#matrix tr.clause td{font-style:italic;color:var(--muted)}\n"
	"#matrix tfoot td{text-align:right;font-variant-numeric:tabular-nums}\n"
	"#matrix tfoot tr:first-child>*{border-top:3px double var(--fg)}\n"
	"#matrix a{color:inherit}\n"
	".dev{font-weight:400;font-size:10px}\n"
	".st-PASS{background:#dcf2e1;color:#0b4d1b}\n"
	".st-FAIL{background:#f8d3d0;color:#7d140c;outline:2px solid #b3261e;outline-offset:-2px}\n"
	".st-XFAIL{background:#f7ebc8;color:#5a3e00}\n"
	".st-XPASS{background:#d6e6fa;color:#0a3470}\n"
	".st-SKIP{background:#e9e9e9;color:#3d3d3d}\n"
	".st-ERROR{background:#ecd7f5;color:#4e136a;outline:2px dashed #6d2390;outline-offset:-2px}\n"
	".st-CRASH{background:#7d140c;color:#fff}\n"
	".st-TIMEOUT{background:#fcdcbc;color:#6b3000;outline:2px dotted #a34a00;outline-offset:-2px}\n"
	".st-none{color:var(--muted);font-weight:400}\n"
	"@media (prefers-color-scheme:dark){\n"
	".st-PASS{background:#15391f;color:#b9ecc6}.st-FAIL{background:#5c1510;color:#ffd9d5}\n"
	".st-XFAIL{background:#4a3a10;color:#f5e2a8}.st-XPASS{background:#142f55;color:#cfe2ff}\n"
	".st-SKIP{background:#34363b;color:#d6d6d6}.st-ERROR{background:#3f1d52;color:#efd4ff}\n"
	".st-CRASH{background:#b3261e;color:#fff}.st-TIMEOUT{background:#553010;color:#ffd8b0}}\n"
	"#only-bad:checked ~ .scroll tr.allpass{display:none}\n"
	"#legend dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px}\n"
	"#legend dt span{display:inline-block;min-width:6em;text-align:center;font:600 12px/1.6 ui-monospace,monospace}\n"
	"#legend dd{margin:0}\n";

static void mx_html_platforms(FILE *f, const struct mx *m)
{
	fputs("<section id=\"platforms\"><h2>Platforms</h2>\n<table class=\"platforms\">\n"
	      "<tr><th scope=\"col\">platform</th><th scope=\"col\">kernel</th>"
	      "<th scope=\"col\">arch</th><th scope=\"col\">distro</th>"
	      "<th scope=\"col\">library</th><th scope=\"col\">results file</th></tr>\n", f);
	for (int k = 0; k < m->nin; k++) {
		const json_t *doc = m->in[k].doc, *plat = json_object_get(doc, "platform");
		const json_t *lib = json_object_get(doc, "library");

		fputs("<tr><td>", f);
		report_xml_puts(f, report_str(doc, "platform_id"), false);
		fputs("</td><td>", f);
		report_xml_puts(f, report_str(plat, "kernel"), false);
		fputs("</td><td>", f);
		report_xml_puts(f, report_str(plat, "arch"), false);
		fputs("</td><td>", f);
		report_xml_puts(f, report_str(plat, "distro"), false);
		fputs("</td><td>", f);
		if (json_is_object(lib)) {
			report_xml_puts(f, report_str(lib, "version"), false);
			fputs(" <small>(", f);
			report_xml_puts(f, report_str(lib, "path"), false);
			fputs(")</small>", f);
		} else {
			fputs("none (raw kernel API)", f);
		}
		fputs("</td><td>", f);
		report_xml_puts(f, m->in[k].path, false);
		fputs("</td></tr>\n", f);
	}
	fputs("</table></section>\n", f);
}

static void mx_html_profile_title(FILE *f, const json_t *doc, const char *profile)
{
	const json_t *p = json_object_get(json_object_get(doc, "profiles"), profile);
	const char *key;
	json_t *v;

	report_xml_puts(f, report_str(p, "summary"), true);
	json_object_foreach((json_t *)p, key, v) {
		if (json_is_integer(v))
			fprintf(f, "&#10;%s = %lld", key, (long long)json_integer_value(v));
		else if (json_is_boolean(v))
			fprintf(f, "&#10;%s = %s", key, json_is_true(v) ? "true" : "false");
	}
}

static void mx_html_head(FILE *f, const struct mx *m)
{
	fputs("<thead>\n<tr><th rowspan=\"2\" scope=\"col\" class=\"corner\">case</th>", f);
	for (size_t c = 0; c < m->ncols;) {
		const json_t *doc = m->cols[c].doc, *lib = json_object_get(doc, "library");
		size_t span = 1;

		while (c + span < m->ncols &&
		       !strcmp(m->cols[c + span].platform_id, m->cols[c].platform_id))
			span++;
		fprintf(f, "<th colspan=\"%zu\" scope=\"colgroup\" class=\"plat\" title=\"", span);
		report_xml_puts(f, report_str(json_object_get(doc, "platform"), "kernel"), true);
		fputs(" ", f);
		report_xml_puts(f, report_str(json_object_get(doc, "platform"), "arch"), true);
		fputs("&#10;", f);
		report_xml_puts(f, report_str(json_object_get(doc, "platform"), "distro"), true);
		fputs("\">", f);
		report_xml_puts(f, m->cols[c].platform_id, false);
		fputs("<br><small>", f);
		report_xml_puts(f, json_is_object(lib) ? report_str(lib, "version") : "no library", false);
		fputs("</small></th>", f);
		c += span;
	}
	fputs("</tr>\n<tr>", f);
	for (size_t c = 0; c < m->ncols; c++) {
		fputs("<th scope=\"col\" class=\"prof\" title=\"", f);
		mx_html_profile_title(f, m->cols[c].doc, m->cols[c].profile);
		fputs("\">", f);
		report_xml_puts(f, m->cols[c].profile, false);
		fputs("</th>", f);
	}
	fputs("</tr>\n</thead>\n", f);
}

static void mx_html_cell(FILE *f, const struct mx *m, const struct mx_cell *c)
{
	enum outcome s = mx_cell_status(c);
	const char *ev, *dev, *msg;
	char *href = NULL;

	if (s == OUT_NONE) {
		fputs("<td class=\"st st-none\" title=\"not run on this platform and profile\">&#8212;</td>", f);
		return;
	}
	msg = report_str(c->r, "message");
	ev = report_str(c->r, "evidence");
	dev = report_str(c->r, "deviation");
	fprintf(f, "<td class=\"st st-%s\" data-status=\"%s\" title=\"", outcome_name(s),
		outcome_name(s));
	report_xml_puts(f, report_str(c->r, "name"), true);
	fprintf(f, ": %s&#10;", outcome_name(s));
	report_xml_puts(f, *msg ? msg : "(no message)", true);
	if (*dev) {
		fputs("&#10;deviation: ", f);
		report_xml_puts(f, dev, true);
	}
	fprintf(f, "&#10;%.1f ms", report_num(c->r, "duration_ms"));
	if (*ev) {
		fputs("&#10;evidence: ", f);
		report_xml_puts(f, ev, true);
		href = mx_evidence_href(m, &m->in[c->input], ev);
	}
	fputs("\">", f);
	if (href) {
		fputs("<a href=\"", f);
		mx_url_puts(f, href);
		fputs("\">", f);
	}
	fputs(outcome_name(s), f);
	if (href)
		fputs("</a>", f);
	if (*dev)
		fprintf(f, " <span class=\"dev\">%s</span>", !strcmp(dev, "library") ? "lib" : "plat");
	fputs("</td>", f);
	free(href);
}

static void mx_html_body(FILE *f, const struct mx *m)
{
	const char *api = NULL, *clause = NULL;

	fputs("<tbody>\n", f);
	for (size_t i = 0; i < m->nrows; i++) {
		const struct mx_row *row = &m->rows[i];

		if (!api || strcmp(api, row->api)) {
			fprintf(f, "<tr class=\"api\"><th colspan=\"%zu\" scope=\"rowgroup\">API ",
				m->ncols + 1);
			report_xml_puts(f, row->api, false);
			fputs("</th></tr>\n", f);
			api = row->api;
			clause = NULL;
		}
		if (!clause || strcmp(clause, row->clause)) {
			fprintf(f, "<tr class=\"clause\"><td colspan=\"%zu\">", m->ncols + 1);
			report_xml_puts(f, *row->clause ? row->clause : "(no clause)", false);
			fputs("</td></tr>\n", f);
			clause = row->clause;
		}
		fprintf(f, "<tr class=\"case%s\"><th scope=\"row\" class=\"case\">",
			row->all_pass ? " allpass" : "");
		report_xml_puts(f, row->key, false);
		fputs("</th>", f);
		for (size_t c = 0; c < m->ncols; c++)
			mx_html_cell(f, m, mx_cell((struct mx *)m, i, c));
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n", f);
}

static void mx_html_foot(FILE *f, const struct mx *m)
{
	fputs("<tfoot>\n", f);
	for (int s = 0; s < OUT_MAX; s++) {
		if (!mx_count(m, (enum outcome)s) && s != OUT_PASS && s != OUT_FAIL)
			continue;
		fprintf(f, "<tr class=\"totals\" data-status=\"%s\"><th scope=\"row\" class=\"st-%s\">%s</th>",
			outcome_name(s), outcome_name(s), outcome_name(s));
		for (size_t c = 0; c < m->ncols; c++)
			fprintf(f, "<td>%u</td>", m->cols[c].n[s]);
		fputs("</tr>\n", f);
	}
	fputs("<tr class=\"totals\" data-status=\"total\"><th scope=\"row\">total</th>", f);
	for (size_t c = 0; c < m->ncols; c++)
		fprintf(f, "<td>%u</td>", m->cols[c].total);
	fputs("</tr>\n</tfoot>\n", f);
}

static void mx_html_legend(FILE *f)
{
	fputs("<section id=\"legend\"><h2>Legend</h2>\n<dl>\n", f);
	for (int s = 0; s <= OUT_NONE; s++) {
		fprintf(f, "<dt><span class=\"st-%s\">%s</span></dt><dd>",
			s == OUT_NONE ? "none" : outcome_name(s),
			s == OUT_NONE ? "&#8212;" : outcome_name(s));
		report_xml_puts(f, outcome_meaning(s), false);
		fputs("</dd>\n", f);
	}
	fputs("<dt><span>lib / plat</span></dt><dd>after FAIL: the reference library "
	      "passes here (the library under test deviates) / fails too (the platform "
	      "does)</dd>\n", f);
	fputs("</dl>\n<p>Hover a cell for the instance name, the message, the duration "
	      "and the evidence; a linked status opens the kept packet capture.</p>\n"
	      "</section>\n", f);
}

static void mx_html_write(FILE *f, const struct mx *m)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"tfocheck report\">\n<title>", f);
	report_xml_puts(f, m->title, false);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header><h1>", mx_css);
	report_xml_puts(f, m->title, false);
	fprintf(f, "</h1>\n<p class=\"sub\">%zu cases &#215; %zu platform/profile columns "
		   "from %d results file%s: %u PASS, %u FAIL, %u XFAIL, %u XPASS, %u SKIP, "
		   "%u ERROR, %u CRASH, %u TIMEOUT.</p></header>\n",
		m->nrows, m->ncols, m->nin, m->nin == 1 ? "" : "s", mx_count(m, OUT_PASS),
		mx_count(m, OUT_FAIL), mx_count(m, OUT_XFAIL), mx_count(m, OUT_XPASS),
		mx_count(m, OUT_SKIP), mx_count(m, OUT_ERROR), mx_count(m, OUT_CRASH),
		mx_count(m, OUT_TIMEOUT));
	mx_html_platforms(f, m);
	fputs("<section id=\"results\"><h2>Results</h2>\n"
	      "<input type=\"checkbox\" id=\"only-bad\"> <label for=\"only-bad\">"
	      "show only rows with a cell that is not PASS</label>\n"
	      "<div class=\"scroll\"><table id=\"matrix\">\n", f);
	mx_html_head(f, m);
	mx_html_body(f, m);
	mx_html_foot(f, m);
	fputs("</table></div></section>\n", f);
	mx_html_legend(f);
	fputs("<footer><p>Generated by tfocheck report from the tfocheck-results/1 "
	      "documents listed above; see docs/reports.md.</p></footer>\n"
	      "</body>\n</html>\n", f);
}

/* ---- Markdown ---------------------------------------------------------- */

/* One table cell: no newline, no '|', no HTML (GitHub renders it). */
static void mx_md_puts(FILE *f, const char *s, size_t max)
{
	size_t n = 0;

	for (; *s && n < max; s++, n++) {
		switch (*s) {
		case '|': fputs("\\|", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '`': fputs("'", f); break;
		case '\n': case '\r': case '\t': fputc(' ', f); break;
		default: fputc(*s, f);
		}
	}
	if (*s) {
		/* do not cut a UTF-8 sequence in two */
		while ((*s & 0xc0) == 0x80)
			fputc(*s++, f);
		fputs("…", f);
	}
}

static void mx_md_cells(FILE *f, const struct mx *m, bool bad, size_t *listed,
			size_t *omitted)
{
	for (size_t i = 0; i < m->nrows; i++) {
		for (size_t c = 0; c < m->ncols; c++) {
			const struct mx_cell *cell = mx_cell((struct mx *)m, i, c);
			enum outcome s = mx_cell_status(cell);

			if (s == OUT_NONE || s == OUT_PASS || outcome_is_bad(s) != bad)
				continue;
			if (ftell(f) > REPORT_MD_BUDGET) {
				(*omitted)++;
				continue;
			}
			fputs("| `", f);
			mx_md_puts(f, m->rows[i].key, 200);
			fputs("` | ", f);
			mx_md_puts(f, m->cols[c].platform_id, 200);
			fputs(" | ", f);
			mx_md_puts(f, m->cols[c].profile, 200);
			fprintf(f, " | %s%s%s | ", bad ? "**" : "", outcome_name(s),
				bad ? "**" : "");
			mx_md_puts(f, report_str(cell->r, "message"), REPORT_MD_MSG_MAX);
			fputs(" |\n", f);
			(*listed)++;
		}
	}
}

static void mx_md_write(FILE *f, const struct mx *m)
{
	unsigned int bad = mx_count(m, OUT_FAIL) + mx_count(m, OUT_ERROR) +
			   mx_count(m, OUT_CRASH) + mx_count(m, OUT_TIMEOUT);
	unsigned int other = mx_count(m, OUT_XFAIL) + mx_count(m, OUT_XPASS) + mx_count(m, OUT_SKIP);
	size_t listed = 0, omitted = 0;

	fputs("## ", f);
	mx_md_puts(f, m->title, 300);
	fprintf(f, "\n\n%zu cases × %zu platform/profile columns from %d results file%s.\n\n",
		m->nrows, m->ncols, m->nin, m->nin == 1 ? "" : "s");
	fputs("| platform | profile |", f);
	for (int s = 0; s < OUT_MAX; s++)
		fprintf(f, " %s |", outcome_name(s));
	fputs(" total |\n|---|---|", f);
	for (int s = 0; s <= OUT_MAX; s++)
		fputs("--:|", f);
	fputc('\n', f);
	for (size_t c = 0; c < m->ncols; c++) {
		fputs("| ", f);
		mx_md_puts(f, m->cols[c].platform_id, 200);
		fputs(" | ", f);
		mx_md_puts(f, m->cols[c].profile, 200);
		fputs(" |", f);
		for (int s = 0; s < OUT_MAX; s++)
			fprintf(f, " %u |", m->cols[c].n[s]);
		fprintf(f, " %u |\n", m->cols[c].total);
	}
	fputs("| **all** | |", f);
	for (int s = 0; s < OUT_MAX; s++)
		fprintf(f, " **%u** |", mx_count(m, (enum outcome)s));
	fprintf(f, " **%u** |\n", bad + other + mx_count(m, OUT_PASS));

	fprintf(f, "\n### Failing cells (%u)\n\n", bad);
	if (bad) {
		fputs("| case | platform | profile | status | message |\n|---|---|---|---|---|\n", f);
		mx_md_cells(f, m, true, &listed, &omitted);
	} else {
		fputs("None: no FAIL, ERROR, CRASH or TIMEOUT.\n", f);
	}
	if (other) {
		fprintf(f, "\n<details><summary>Other non-PASS cells: XFAIL, XPASS, SKIP (%u)</summary>\n\n"
			   "| case | platform | profile | status | message |\n|---|---|---|---|---|\n",
			other);
		mx_md_cells(f, m, false, &listed, &omitted);
		fputs("\n</details>\n", f);
	}
	if (omitted)
		fprintf(f, "\n%zu more non-PASS cells are not listed, to stay within the job summary size limit; see the HTML report.\n",
			omitted);
}

/* ---- text ------------------------------------------------------------- */

static void mx_text_write(FILE *f, const struct mx *m)
{
	int w = snprintf(NULL, 0, "%zu", m->ncols), labw = 8;
	size_t keyw = 8, shown = 0;

	fprintf(f, "%s: %zu cases x %zu platform/profile columns from %d file%s\n\n",
		m->title, m->nrows, m->ncols, m->nin, m->nin == 1 ? "" : "s");
	for (size_t c = 0; c < m->ncols; c++) {
		int l = (int)(strlen(m->cols[c].platform_id) + strlen(m->cols[c].profile) + 1);

		labw = l > labw ? l : labw;
	}
	for (size_t c = 0; c < m->ncols; c++) {
		char label[512];

		snprintf(label, sizeof(label), "%s/%s", m->cols[c].platform_id, m->cols[c].profile);
		fprintf(f, "[%*zu] %-*s", w, c + 1, labw, label);
		for (int s = 0; s < OUT_MAX; s++)
			if (m->cols[c].n[s] || s == OUT_PASS || s == OUT_FAIL)
				fprintf(f, " %s %u", outcome_name(s), m->cols[c].n[s]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < m->nrows; i++)
		if (!m->rows[i].all_pass && strlen(m->rows[i].key) > keyw)
			keyw = strlen(m->rows[i].key);
	for (size_t i = 0; i < m->nrows; i++) {
		if (m->rows[i].all_pass)
			continue;
		if (!shown++) {
			fprintf(f, "\n%-*s", (int)keyw + 2, "rows that are not all PASS");
			for (size_t c = 0; c < m->ncols; c++)
				fprintf(f, " %*zu", w, c + 1);
			fputc('\n', f);
		}
		fprintf(f, "  %-*s", (int)keyw, m->rows[i].key);
		for (size_t c = 0; c < m->ncols; c++)
			fprintf(f, " %*s", w, mx_letter[mx_cell_status(mx_cell((struct mx *)m, i, c))]);
		fputc('\n', f);
	}
	if (!shown)
		fprintf(f, "\nevery cell that ran is PASS\n");
	else
		fprintf(f, "(%zu rows where every cell is PASS not shown)\n", m->nrows - shown);
	fprintf(f, "\n. PASS  F FAIL  x XFAIL  X XPASS  s SKIP  E ERROR  C CRASH  T TIMEOUT  - not run\n");
}

/* ---- main ---------------------------------------------------------------- */

static void report_usage(FILE *f)
{
	fprintf(f, "usage: tfocheck report RESULTS.json... [--html FILE] [--markdown FILE]\n"
		   "                       [--title TEXT]\n"
		   "  without --html/--markdown: a text matrix on stdout\n"
		   "  exit 0: written, 2: bad input (nothing written); see tfocheck-report(1)\n");
}

static char *mx_dir_of(const char *path)
{
	char *copy = strdup(path), *dir = NULL;

	if (copy)
		dir = realpath(dirname(copy), NULL);
	free(copy);
	return dir;
}

int report_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "html", required_argument, NULL, 'H' },
		{ "markdown", required_argument, NULL, 'm' },
		{ "title", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *html = NULL, *md = NULL;
	struct report_out oh = { 0 }, om = { 0 };
	struct mx m = { 0 };
	char err[1024];
	int c, ret = REPORT_EXIT_USAGE;

	m.title = "tfocheck conformance matrix";
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			html = optarg;
			break;
		case 'm':
			md = optarg;
			break;
		case 't':
			m.title = optarg;
			break;
		case 'h':
			report_usage(stdout);
			return REPORT_EXIT_OK;
		default:
			report_usage(stderr);
			return REPORT_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "tfocheck report: no results file given\n");
		report_usage(stderr);
		return REPORT_EXIT_USAGE;
	}
	if (html && md && !strcmp(html, md) && strcmp(html, "-")) {
		fprintf(stderr, "tfocheck report: --html and --markdown both name '%s'\n", html);
		return REPORT_EXIT_USAGE;
	}
	m.nin = argc - optind;
	m.in = calloc((size_t)m.nin, sizeof(*m.in));
	if (!m.in)
		goto oom;
	for (int k = 0; k < m.nin; k++) {
		m.in[k].path = argv[optind + k];
		if (report_load(m.in[k].path, &m.in[k].doc, err, sizeof(err))) {
			fprintf(stderr, "tfocheck report: %s\n", err);
			goto out;
		}
		m.in[k].dir = mx_dir_of(m.in[k].path);
	}
	switch (mx_build(&m, err, sizeof(err))) {
	case 0:
		break;
	case -EINVAL:
		fprintf(stderr, "tfocheck report: %s\n", err);
		goto out;
	default:
		goto oom;
	}
	if (!html && !md) {
		mx_text_write(stdout, &m);
		fflush(stdout);
		ret = ferror(stdout) ? REPORT_EXIT_USAGE : REPORT_EXIT_OK;
		goto out;
	}
	if (html) {
		m.outdir = strcmp(html, "-") ? mx_dir_of(html) : getcwd(NULL, 0);
		if (report_out_open(&oh, html, err, sizeof(err)))
			goto fail;
		mx_html_write(oh.f, &m);
	}
	if (md) {
		char *buf = NULL;
		size_t len = 0;
		FILE *ms;

		/* in memory first: ftell() drives the size budget, and it
		 * does not work on a pipe when FILE is "-" */
		if (report_out_open(&om, md, err, sizeof(err)))
			goto fail;
		ms = open_memstream(&buf, &len);
		if (!ms)
			goto oom_abort;
		mx_md_write(ms, &m);
		if (fclose(ms)) {
			free(buf);
			goto oom_abort;
		}
		fwrite(buf, 1, len, om.f);
		free(buf);
	}
	/* both complete before either appears */
	if ((html && report_out_commit(&oh, err, sizeof(err))) ||
	    (md && report_out_commit(&om, err, sizeof(err))))
		goto fail;
	ret = REPORT_EXIT_OK;
	goto out;
oom_abort:
	report_out_abort(&oh);
	report_out_abort(&om);
oom:
	fprintf(stderr, "tfocheck report: out of memory\n");
	goto out;
fail:
	fprintf(stderr, "tfocheck report: %s\n", err);
	report_out_abort(&oh);
	report_out_abort(&om);
out:
	mx_free(&m);
	return ret;
}
