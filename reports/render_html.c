/* SPDX-License-Identifier: MIT */
/*
 * The HTML page of `tfocheck report --html` (see render.h), top to
 * bottom: one headline per library; what differs between kernels (when
 * a library ran on several); the failing clauses grouped by deviation,
 * with expected against observed as text; then the matrix, one table per
 * API with only the columns where that API ran, rows in which every cell
 * is PASS hidden until one checkbox shows them; the inputs; a legend.
 *
 * One self-contained file (inline CSS, no script, no external asset)
 * that CI uploads as an artefact and a browser opens from disk.  Every
 * cell carries its status word, so it reads without colour; the filter
 * is a checkbox and a CSS sibling selector.  The case column and the
 * header rows stay in view while the matrix scrolls in its own box, so
 * the page is readable in a 1280-pixel window.
 */
#include "reports/render.h"

#include <stdlib.h>
#include <string.h>

#define HTML_KDIFF_MAX 200

static void h(FILE *f, const char *s)
{
	report_xml_puts(f, s, false);
}

static void ha(FILE *f, const char *s)
{
	report_xml_puts(f, s, true);
}

/* A profile or platform name that may wrap after its hyphens. */
static void h_wrap(FILE *f, const char *s)
{
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, "-_");
		char part[256];

		snprintf(part, sizeof(part), "%.*s", (int)(n + (p[n] != 0)), p);
		h(f, part);
		p += n + (p[n] != 0);
		if (*p)
			fputs("<wbr>", f);
	}
}

static const char html_css[] =
	":root{color-scheme:light dark;--bg:#fff;--fg:#1a1a1a;--line:#c4c4c4;--head:#eef0f3;--muted:#555;--bad:#b3261e;--ok:#2e7d43;--card:#fafafa}\n"
	"@media (prefers-color-scheme:dark){:root{--bg:#16181c;--fg:#e8e8e8;--line:#4a4d55;--head:#23262d;--muted:#b0b0b0;--bad:#ff8a80;--ok:#7fd39a;--card:#1c1f24}}\n"
	"body{background:var(--bg);color:var(--fg);font:14px/1.35 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;padding:.5em 1em}\n"
	"h1{font-size:1.3em;margin:.1em 0}h2{font-size:1.1em;margin:.8em 0 .3em;border-bottom:1px solid var(--line)}\n"
	"h3{font-size:1em;margin:.1em 0}\n"
	".sub,footer,.meta,.note{color:var(--muted)}.sub{margin:0}\n"
	"code{font:12.5px/1.3 ui-monospace,'DejaVu Sans Mono',monospace}\n"
	"a{color:inherit}\n"
	"#headlines{list-style:none;padding:0;margin:.35em 0;font-size:1.1em}\n"
	"#headlines li{margin:.15em 0;padding:.05em .5em;border-left:5px solid var(--ok)}\n"
	"#headlines li.bad{border-left-color:var(--bad)}\n"
	".banner{border:2px dotted #a34a00;padding:.2em .6em;margin:.3em 0}\n"
	"#kernels ul{margin:.2em 0;padding-left:1.2em}\n"
	"article.deviation{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--bad);padding:.25em .6em .3em;margin:.35em 0}\n"
	"article.deviation h3 .n{display:inline-block;min-width:1.4em}\n"
	".meta{margin:.05em 0 .2em;font-size:13px}\n"
	"table{border-collapse:collapse}\n"
	"table.clauses{width:100%;font-size:13px}\n"
	"table.clauses th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;padding:0 6px}\n"
	"table.clauses td{border-top:1px solid var(--line);padding:2px 6px;vertical-align:top}\n"
	"table.clauses td.cl{width:46%}table.clauses td.n{text-align:right;white-space:nowrap}\n"
	"table.clauses td.where{font-size:12px;color:var(--muted)}\n"
	"details>summary{cursor:pointer;color:var(--muted);font-size:13px}\n"
	"table.inst td{border-top:1px solid var(--line);padding:1px 6px;vertical-align:top;font-size:12px}\n"
	".mxwrap{overflow:auto;max-height:calc(100vh - 4em);border:1px solid var(--line);margin:.2em 0 .8em}\n"
	"table.mx th,table.mx td{border:1px solid var(--line);padding:1px 3px;vertical-align:top}\n"
	"table.mx thead{position:sticky;top:0;z-index:3}\n"
	"table.mx thead th{background:var(--head);font-size:11.5px;font-weight:600;line-height:1.2}\n"
	/* upright profile names would make 20 columns wider than 1280 px */
	"table.mx thead th.prof{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left;white-space:nowrap;padding:3px 1px;font-weight:500}\n"
	"table.mx th.case{position:sticky;left:0;z-index:2;background:var(--bg);text-align:left;font:12px/1.3 ui-monospace,'DejaVu Sans Mono',monospace;max-width:24em}\n"
	"table.mx thead th.corner{left:0;z-index:4;position:sticky}\n"
	"table.mx td.st{text-align:center;white-space:nowrap;font:600 11px/1.3 ui-monospace,'DejaVu Sans Mono',monospace}\n"
	"table.mx tr.clause td{font-style:italic;color:var(--muted);font-size:12px;background:var(--head)}\n"
	"table.mx tr.clause td>span{position:sticky;left:4px}\n"
	"table.mx tfoot td{text-align:right;font-variant-numeric:tabular-nums;font-size:11px}\n"
	"table.mx tfoot th{position:sticky;left:0;background:var(--head);text-align:left;font-size:11px}\n"
	"table.mx tfoot tr:first-child>*{border-top:3px double var(--fg)}\n"
	".dev{font-weight:400;font-size:9.5px;display:block}\n"
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
	"#show-all:not(:checked)~.mxwrap tr.allpass{display:none}\n"
	"table.platforms td,table.platforms th{border:1px solid var(--line);padding:2px 6px;font-size:13px;text-align:left}\n"
	"table.platforms th{background:var(--head)}\n"
	"#legend dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 12px;font-size:13px}\n"
	"#legend dt span{display:inline-block;min-width:6em;text-align:center;font:600 12px/1.6 ui-monospace,monospace}\n"
	"#legend dd{margin:0}\n";

/* ---- the top ------------------------------------------------------------- */

static void html_head(FILE *f, const struct mx *m)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"tfocheck report\">\n<title>", f);
	h(f, m->title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", html_css);
}

static void html_header(FILE *f, const struct mx *m)
{
	size_t n = 0;

	for (size_t c = 0; c < m->ncols; c++)
		n += m->cols[c].total;
	fputs("<header><h1>", f);
	h(f, m->title);
	fprintf(f, "</h1>\n<p class=\"sub\">%zu instances of %zu cases in %zu platform/profile "
		   "columns, from %d results file%s on %zu kernel%s.</p>\n",
		n, m->nrows, m->ncols, m->nin, m->nin == 1 ? "" : "s", m->nkernels,
		m->nkernels == 1 ? "" : "s");
	for (int k = 0; k < m->nin; k++) {
		if (!m->in[k].interrupted)
			continue;
		fputs("<p class=\"banner\"><b>Interrupted run:</b> ", f);
		h(f, m->in[k].path);
		fputs(" was written by a run that a signal ended early; the instances it did "
		      "not finish are ERROR cells marked \"interrupted\".</p>\n", f);
	}
	fputs("</header>\n", f);
}

static void html_headlines(FILE *f, const struct mx *m)
{
	char line[512];

	fputs("<ul id=\"headlines\">\n", f);
	for (size_t l = 0; l < m->nlibs; l++) {
		const struct mx_lib *lib = &m->libs[l];

		mx_lib_headline(m, lib, line, sizeof(line));
		fprintf(f, "<li class=\"%s\"><b>", lib->ndevs ? "bad" : "ok");
		h(f, lib->name);
		fputs("</b>: ", f);
		h(f, line);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

/* ---- between kernels ---------------------------------------------------- */

static void html_kernel_lib(FILE *f, const struct mx *m, const struct mx_lib *l)
{
	char kl[1024];

	mx_kernel_list(m, l, kl, sizeof(kl));
	fputs("<li><b>", f);
	h(f, l->name);
	fputs("</b>: ", f);
	if (!l->nkdiffs) {
		fputs("identical on ", f);
		h(f, kl);
		fprintf(f, " (%zu instances on each).", l->ncompared);
	} else {
		fprintf(f, "%zu instance%s differ%s between ", l->nkdiffs,
			l->nkdiffs == 1 ? "" : "s", l->nkdiffs == 1 ? "s" : "");
		h(f, kl);
		fputs(":\n<table class=\"mx kd\"><thead><tr><th class=\"case corner\">instance</th>", f);
		for (size_t k = 0; k < l->nkernels; k++) {
			fputs("<th>", f);
			h_wrap(f, mx_kernel_label(m, l->kernels[k]));
			fputs("</th>", f);
		}
		fputs("</tr></thead>\n<tbody>\n", f);
		for (size_t i = 0; i < l->nkdiffs && i < HTML_KDIFF_MAX; i++) {
			fputs("<tr><th class=\"case\">", f);
			h(f, l->kdiffs[i].name);
			fputs("</th>", f);
			for (size_t k = 0; k < l->nkernels; k++) {
				const json_t *r = l->kdiffs[i].r[k];
				enum outcome s = r ? report_result_status(r) : OUT_NONE;

				if (!r) {
					fputs("<td class=\"st st-none\">&#8212;</td>", f);
					continue;
				}
				fprintf(f, "<td class=\"st st-%s\" title=\"", outcome_name(s));
				ha(f, report_str(r, "message"));
				fprintf(f, "\">%s</td>", outcome_name(s));
			}
			fputs("</tr>\n", f);
		}
		fputs("</tbody></table>\n", f);
		if (l->nkdiffs > HTML_KDIFF_MAX)
			fprintf(f, "<p class=\"note\">%zu more not listed; see the matrix.</p>\n",
				l->nkdiffs - HTML_KDIFF_MAX);
	}
	fputs("</li>\n", f);
	for (size_t a = 0; a < l->nkernels_alone; a++) {
		fputs("<li><b>", f);
		h(f, l->name);
		fputs("</b> on ", f);
		h(f, mx_kernel_label(m, l->kernels_alone[a]));
		fputs(": no instance in common with the other kernels (see its column).</li>\n", f);
	}
}

static void html_kernels(FILE *f, const struct mx *m)
{
	bool any = false;

	for (size_t l = 0; l < m->nlibs; l++)
		any |= m->libs[l].nkernels > 1;
	if (!any)
		return;
	fputs("<section id=\"kernels\"><h2>Between kernels</h2>\n<ul>\n", f);
	for (size_t l = 0; l < m->nlibs; l++)
		if (m->libs[l].nkernels > 1)
			html_kernel_lib(f, m, &m->libs[l]);
	fputs("</ul></section>\n", f);
}

/* ---- failing clauses, by deviation ---------------------------------------- */

static void html_tallies(FILE *f, const char *what, const struct mx_tallies *t)
{
	fprintf(f, " &#183; %s ", what);
	for (size_t i = 0; i < t->n; i++) {
		fputs(i ? ", " : "", f);
		h(f, t->v[i].name);
		fprintf(f, " %u", t->v[i].n);
	}
}

/* A link to the hit's kept file: key "evidence" (its pcap) or
 * "reproducer" (its script). */
static void html_file_link(FILE *f, const struct mx *m, const struct mx_hit *hit,
			   const char *key, const char *label)
{
	char *href = mx_evidence_href(m, hit->input, report_str(hit->r, key));

	fprintf(f, "<a class=\"%s\" href=\"", *key == 'e' ? "pcap" : "repro");
	mx_url_puts(f, href ? href : "");
	fputs("\" title=\"", f);
	ha(f, report_str(hit->r, "name"));
	fputs("\">", f);
	h(f, label);
	fputs("</a>", f);
	free(href);
}

static void html_dclause(FILE *f, const struct mx *m, const struct mx_dev *d,
			 const struct mx_dclause *c, bool show_api)
{
	fputs("<tr><td class=\"cl\">", f);
	if (show_api) {
		fputs("<code>", f);
		h(f, c->api);
		fputs("</code> ", f);
	}
	fputs("&#8220;", f);
	h(f, *c->clause ? c->clause : "(no clause)");
	fputs("&#8221;</td><td class=\"exp\">", f);
	if (c->expected.n) {
		fputs("expected ", f);
		mx_fold_render(f, c->expected.v[0].key, c->expected.v[0].mask, h);
		if (c->expected.n > 1) {
			fprintf(f, " <span class=\"note\" title=\"");
			for (size_t i = 1; i < c->expected.n; i++) {
				fputs(i > 1 ? "&#10;" : "", f);
				mx_fold_render(f, c->expected.v[i].key, c->expected.v[i].mask, ha);
			}
			fprintf(f, "\">(and %zu other wording%s)</span>", c->expected.n - 1,
				c->expected.n == 2 ? "" : "s");
		}
	} else {
		h(f, report_str(c->hits[0].r, "message"));
	}
	fprintf(f, "</td><td class=\"n\">%zu %s</td><td class=\"where\">", c->nhits,
		outcome_name(d->status));
	for (size_t i = 0; i < c->profiles.n; i++) {
		fputs(i ? ", " : "", f);
		h(f, c->profiles.v[i].name);
		fprintf(f, " %u", c->profiles.v[i].n);
	}
	/* the kept files, numbered: pcaps, then reproducers */
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "reproducer" : "evidence";
		size_t n = 0;

		for (size_t i = 0; i < c->nhits; i++) {
			char label[32];

			if (!*report_str(c->hits[i].r, key))
				continue;
			fputs(n++ ? " " : k ? " &#183; reproducer " : " &#183; pcap ", f);
			snprintf(label, sizeof(label), "%zu", n);
			html_file_link(f, m, &c->hits[i], key, label);
		}
	}
	fputs("</td></tr>\n", f);
}

/* Every instance of the deviation, folded away: names, messages, pcaps,
 * reproducers. */
static void html_dev_instances(FILE *f, const struct mx *m, const struct mx_dev *d)
{
	fprintf(f, "<details><summary>the %zu instances, with their messages and evidence</summary>\n"
		   "<table class=\"inst\">\n", d->n);
	for (size_t c = 0; c < d->nclauses; c++) {
		for (size_t i = 0; i < d->clauses[c].nhits; i++) {
			const struct mx_hit *hit = &d->clauses[c].hits[i];

			fputs("<tr><td><code>", f);
			h(f, report_str(hit->r, "name"));
			fputs("</code></td><td>", f);
			if (m->nkernels > 1) {
				h(f, mx_kernel_label(m, m->in[hit->input].kernel));
				fputs(": ", f);
			}
			h(f, report_str(hit->r, "message"));
			fputs("</td><td>", f);
			if (*report_str(hit->r, "evidence"))
				html_file_link(f, m, hit, "evidence", "pcap");
			if (*report_str(hit->r, "evidence") && *report_str(hit->r, "reproducer"))
				fputs(" ", f);
			if (*report_str(hit->r, "reproducer"))
				html_file_link(f, m, hit, "reproducer", "reproducer");
			fputs("</td></tr>\n", f);
		}
	}
	fputs("</table></details>\n", f);
}

static void html_dev(FILE *f, const struct mx *m, const struct mx_dev *d, size_t num)
{
	const struct mx_lib *l = &m->libs[d->lib];
	bool apis = false;

	for (size_t c = 1; c < d->nclauses; c++)
		apis |= strcmp(d->clauses[c].api, d->clauses[0].api) != 0;
	fprintf(f, "<article class=\"deviation\" id=\"dev-%zu\">\n<h3><span class=\"n\">%zu.</span> ",
		num, num);
	h(f, l->name);
	fputs(": observed <code>", f);
	mx_fold_render(f, d->title.key, d->title.mask, h);
	fprintf(f, "</code></h3>\n<p class=\"meta\"><b>%zu %s</b> in %zu clause%s &#183; ", d->n,
		outcome_name(d->status), d->nclauses, d->nclauses == 1 ? "" : "s");
	h(f, mx_blame_words(m, d));
	html_tallies(f, "profiles", &d->profiles);
	html_tallies(f, "families", &d->families);
	if (l->nkernels > 1)
		html_tallies(f, "kernels", &d->kernels);
	fputs("</p>\n<table class=\"clauses\"><thead><tr><th>clause (the page&#8217;s words)</th>"
	      "<th>what the cases expected</th><th></th><th>profiles, evidence</th></tr></thead>\n"
	      "<tbody>\n", f);
	for (size_t c = 0; c < d->nclauses; c++)
		html_dclause(f, m, d, &d->clauses[c], apis);
	fputs("</tbody></table>\n", f);
	html_dev_instances(f, m, d);
	fputs("</article>\n", f);
}

static void html_deviations(FILE *f, const struct mx *m)
{
	fputs("<section id=\"deviations\"><h2>Failing clauses, by deviation</h2>\n", f);
	if (!m->ndevs)
		fputs("<p>None: no FAIL, ERROR, CRASH or TIMEOUT in any input.</p>\n", f);
	for (size_t i = 0; i < m->ndevs; i++)
		html_dev(f, m, &m->devs[i], i + 1);
	fputs("</section>\n", f);
}

/* ---- the matrix --------------------------------------------------------- */

static void html_profile_title(FILE *f, const json_t *doc, const char *profile)
{
	const json_t *p = json_object_get(json_object_get(doc, "profiles"), profile);
	const char *key;
	json_t *v;

	ha(f, report_str(p, "summary"));
	json_object_foreach((json_t *)p, key, v) {
		if (json_is_integer(v))
			fprintf(f, "&#10;%s = %lld", key, (long long)json_integer_value(v));
		else if (json_is_boolean(v))
			fprintf(f, "&#10;%s = %s", key, json_is_true(v) ? "true" : "false");
	}
}

static void html_mx_head(FILE *f, const struct mx *m, size_t a)
{
	fputs("<thead>\n<tr><th rowspan=\"2\" scope=\"col\" class=\"case corner\">case</th>", f);
	for (size_t c = 0; c < m->ncols;) {
		const json_t *doc = m->cols[c].doc, *plat = json_object_get(doc, "platform");
		const struct mx_lib *l = &m->libs[m->in[m->cols[c].input].lib];
		size_t span = 0, next = c;

		if (!mx_col_has_api(m, c, a)) {
			c++;
			continue;
		}
		while (next < m->ncols &&
		       !strcmp(m->cols[next].platform_id, m->cols[c].platform_id)) {
			span += mx_col_has_api(m, next, a);
			next++;
		}
		fprintf(f, "<th colspan=\"%zu\" scope=\"colgroup\" class=\"plat\" title=\"", span);
		ha(f, m->cols[c].platform_id);
		fputs("&#10;", f);
		ha(f, report_str(plat, "distro"));
		fputs("\">", f);
		h(f, l->name);
		fputs("<br><small>", f);
		h(f, report_str(plat, "kernel"));
		fputs(" ", f);
		h(f, report_str(plat, "arch"));
		fputs("</small></th>", f);
		c = next;
	}
	fputs("</tr>\n<tr>", f);
	for (size_t c = 0; c < m->ncols; c++) {
		if (!mx_col_has_api(m, c, a))
			continue;
		fputs("<th scope=\"col\" class=\"prof\" title=\"", f);
		html_profile_title(f, m->cols[c].doc, m->cols[c].profile);
		fputs("\">", f);
		h(f, m->cols[c].profile);
		fputs("</th>", f);
	}
	fputs("</tr>\n</thead>\n", f);
}

static void html_mx_cell(FILE *f, const struct mx *m, const struct mx_cell *c)
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
	ha(f, report_str(c->r, "name"));
	fprintf(f, ": %s&#10;", outcome_name(s));
	ha(f, *msg ? msg : "(no message)");
	if (*dev) {
		fputs("&#10;deviation: ", f);
		ha(f, dev);
	}
	fprintf(f, "&#10;%.1f ms", report_num(c->r, "duration_ms"));
	if (*ev) {
		fputs("&#10;evidence: ", f);
		ha(f, ev);
		href = mx_evidence_href(m, c->input, ev);
	}
	if (*report_str(c->r, "reproducer")) {
		fputs("&#10;reproducer: ", f);
		ha(f, report_str(c->r, "reproducer"));
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
		fprintf(f, "<span class=\"dev\">%s</span>", !strcmp(dev, "library") ? "lib" : "plat");
	fputs("</td>", f);
	free(href);
}

/* The row's key without its API's prefix, which the table names. */
static const char *html_row_label(const struct mx_row *row)
{
	size_t l = strlen(row->api);

	if (!strncmp(row->key, row->api, l) && row->key[l] == '.' && row->key[l + 1])
		return row->key + l + 1;
	return row->key;
}

static void html_mx_body(FILE *f, const struct mx *m, size_t a, size_t ncols)
{
	const char *clause = NULL;

	fputs("<tbody>\n", f);
	for (size_t i = 0; i < m->nrows; i++) {
		const struct mx_row *row = &m->rows[i];
		const char *label = html_row_label(row), *slash = strchr(label, '/');

		if (strcmp(row->api, m->apis[a]))
			continue;
		if (!clause || strcmp(clause, row->clause)) {
			bool all = true;

			for (size_t j = i; j < m->nrows && !strcmp(m->rows[j].api, row->api) &&
					   !strcmp(m->rows[j].clause, row->clause); j++)
				all &= m->rows[j].all_pass;
			fprintf(f, "<tr class=\"clause%s\"><td colspan=\"%zu\"><span>",
				all ? " allpass" : "", ncols + 1);
			h(f, *row->clause ? row->clause : "(no clause)");
			fputs("</span></td></tr>\n", f);
			clause = row->clause;
		}
		fprintf(f, "<tr class=\"case%s\"><th scope=\"row\" class=\"case\" title=\"",
			row->all_pass ? " allpass" : "");
		ha(f, row->key);
		fputs("\">", f);
		if (slash) {
			char *id = strndup(label, (size_t)(slash - label));

			h(f, id ? id : label);
			free(id);
			fputs("<wbr>", f);
			h(f, slash);
		} else {
			h(f, label);
		}
		fputs("</th>", f);
		for (size_t c = 0; c < m->ncols; c++)
			if (mx_col_has_api(m, c, a))
				html_mx_cell(f, m, mx_cell(m, i, c));
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n", f);
}

static void html_mx_foot(FILE *f, const struct mx *m, size_t a)
{
	unsigned int *n = calloc(m->ncols * (OUT_MAX + 1) + 1, sizeof(*n));
	bool any[OUT_MAX] = { false };

	if (!n)
		return;
	for (size_t i = 0; i < m->nrows; i++) {
		if (strcmp(m->rows[i].api, m->apis[a]))
			continue;
		for (size_t c = 0; c < m->ncols; c++) {
			enum outcome s = mx_cell_status(mx_cell(m, i, c));

			if (s == OUT_NONE)
				continue;
			n[c * (OUT_MAX + 1) + s]++;
			n[c * (OUT_MAX + 1) + OUT_MAX]++;
			any[s] = true;
		}
	}
	fputs("<tfoot>\n", f);
	for (int s = 0; s < OUT_MAX; s++) {
		if (!any[s] && s != OUT_PASS && s != OUT_FAIL)
			continue;
		fprintf(f, "<tr class=\"totals\" data-status=\"%s\"><th scope=\"row\" class=\"st-%s\">%s</th>",
			outcome_name(s), outcome_name(s), outcome_name(s));
		for (size_t c = 0; c < m->ncols; c++)
			if (mx_col_has_api(m, c, a))
				fprintf(f, "<td>%u</td>", n[c * (OUT_MAX + 1) + s]);
		fputs("</tr>\n", f);
	}
	fputs("<tr class=\"totals\" data-status=\"total\"><th scope=\"row\">total</th>", f);
	for (size_t c = 0; c < m->ncols; c++)
		if (mx_col_has_api(m, c, a))
			fprintf(f, "<td>%u</td>", n[c * (OUT_MAX + 1) + OUT_MAX]);
	fputs("</tr>\n</tfoot>\n", f);
	free(n);
}

static void html_matrix(FILE *f, const struct mx *m)
{
	size_t hidden = 0;

	for (size_t i = 0; i < m->nrows; i++)
		hidden += m->rows[i].all_pass;
	fputs("<section id=\"results\"><h2>Matrix</h2>\n", f);
	fprintf(f, "<input type=\"checkbox\" id=\"show-all\"> <label for=\"show-all\">show all "
		   "%zu rows (%zu in which every cell is PASS are hidden)</label>\n",
		m->nrows, hidden);
	for (size_t a = 0; a < m->napis; a++) {
		size_t ncols = 0, rows = 0, bad = 0;

		for (size_t c = 0; c < m->ncols; c++)
			ncols += mx_col_has_api(m, c, a);
		for (size_t i = 0; i < m->nrows; i++)
			if (!strcmp(m->rows[i].api, m->apis[a])) {
				rows++;
				bad += !m->rows[i].all_pass;
			}
		fputs("<h3 id=\"api-", f);
		ha(f, m->apis[a]);
		fputs("\">API ", f);
		h(f, m->apis[a]);
		fprintf(f, " <small class=\"note\">%zu rows, %zu not all PASS; %zu column%s</small></h3>\n",
			rows, bad, ncols, ncols == 1 ? "" : "s");
		fputs("<div class=\"mxwrap\"><table class=\"mx\" id=\"matrix-", f);
		ha(f, m->apis[a]);
		fputs("\">\n", f);
		html_mx_head(f, m, a);
		html_mx_body(f, m, a, ncols);
		html_mx_foot(f, m, a);
		fputs("</table></div>\n", f);
	}
	fputs("</section>\n", f);
}

/* ---- the bottom ------------------------------------------------------------ */

static void html_inputs(FILE *f, const struct mx *m)
{
	fputs("<section id=\"platforms\"><h2>Inputs</h2>\n<table class=\"platforms\">\n"
	      "<tr><th scope=\"col\">platform</th><th scope=\"col\">kernel</th>"
	      "<th scope=\"col\">arch</th><th scope=\"col\">distro</th>"
	      "<th scope=\"col\">library</th><th scope=\"col\">results file</th></tr>\n", f);
	for (int k = 0; k < m->nin; k++) {
		const json_t *doc = m->in[k].doc, *plat = json_object_get(doc, "platform");
		const json_t *lib = json_object_get(doc, "library");

		fputs("<tr><td>", f);
		h(f, report_str(doc, "platform_id"));
		fputs("</td><td>", f);
		h(f, report_str(plat, "kernel"));
		fputs("</td><td>", f);
		h(f, report_str(plat, "arch"));
		fputs("</td><td>", f);
		h(f, report_str(plat, "distro"));
		fputs("</td><td>", f);
		if (json_is_object(lib)) {
			h(f, report_str(lib, "version"));
			fputs(" <small>(", f);
			h(f, report_str(lib, "path"));
			fputs(")</small>", f);
		} else {
			fputs("none (raw kernel API)", f);
		}
		fputs("</td><td>", f);
		h(f, m->in[k].path);
		if (m->in[k].interrupted)
			fputs(" <b>(interrupted)</b>", f);
		fputs("</td></tr>\n", f);
	}
	fputs("</table></section>\n", f);
}

static void html_legend(FILE *f)
{
	fputs("<section id=\"legend\"><h2>Legend</h2>\n<dl>\n", f);
	for (int s = 0; s <= OUT_NONE; s++) {
		fprintf(f, "<dt><span class=\"st-%s\">%s</span></dt><dd>",
			s == OUT_NONE ? "none" : outcome_name(s),
			s == OUT_NONE ? "&#8212;" : outcome_name(s));
		h(f, outcome_meaning(s));
		fputs("</dd>\n", f);
	}
	fputs("<dt><span>lib / plat</span></dt><dd>after FAIL: the reference library "
	      "passes here (the library under test deviates) / fails too (the platform "
	      "does)</dd>\n", f);
	fputs("</dl>\n<p>A deviation is one observed behaviour of one library: its failing "
	      "instances with the same status, verdict and observation, whatever clause "
	      "they check (docs/reports.md).  Hover a matrix cell for the instance name, "
	      "the message, the duration and the evidence; a linked status opens the kept "
	      "packet capture.</p>\n</section>\n", f);
}

void mx_html_write(FILE *f, const struct mx *m)
{
	html_head(f, m);
	html_header(f, m);
	html_headlines(f, m);
	html_kernels(f, m);
	html_deviations(f, m);
	mx_html_fuzz(f, m);
	html_matrix(f, m);
	html_inputs(f, m);
	html_legend(f);
	fputs("<footer><p>Generated by tfocheck report from the tfocheck-results/1 "
	      "documents listed above; see docs/reports.md.</p></footer>\n"
	      "</body>\n</html>\n", f);
}
