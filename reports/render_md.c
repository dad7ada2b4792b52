/* SPDX-License-Identifier: MIT */
/*
 * The Markdown of `tfocheck report --markdown` (see render.h), in the
 * HTML page's order: headlines, between kernels, failing clauses by
 * deviation, then the matrix as totals per column and the non-PASS
 * cells.  Sized for a GitHub job summary (1 MiB limit per step): once the
 * text passes REPORT_MD_BUDGET the remaining cells are counted in a
 * closing note instead of listed.  Text from the documents goes through
 * md_puts(), so a message cannot break a table or inject HTML.
 */
#include "reports/render.h"

#include <string.h>

#define REPORT_MD_BUDGET (900 * 1024)
#define REPORT_MD_MSG_MAX 200
#define REPORT_MD_KDIFF_MAX 100

/* One table cell: no newline, no '|', no HTML (GitHub renders it). */
static void md_puts(FILE *f, const char *s, size_t max)
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

static void md_put(FILE *f, const char *s)
{
	md_puts(f, s, 100000);
}

/* inside backquotes: only what would end the code span or the table */
static void md_code(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '`' ? '\'' : *s == '|' ? '/' : *s == '\n' ? ' ' : *s, f);
}

static void md_headlines(FILE *f, const struct mx *m)
{
	char line[512];

	for (size_t l = 0; l < m->nlibs; l++) {
		mx_lib_headline(m, &m->libs[l], line, sizeof(line));
		fputs("- **", f);
		md_put(f, m->libs[l].name);
		fputs("**: ", f);
		md_put(f, line);
		fputc('\n', f);
	}
	for (int k = 0; k < m->nin; k++) {
		if (!m->in[k].interrupted)
			continue;
		fputs("\n**Interrupted run:** ", f);
		md_put(f, m->in[k].path);
		fputs(" was written by a run that a signal ended early.\n", f);
	}
}

static void md_kernels(FILE *f, const struct mx *m)
{
	char kl[1024];
	bool any = false;

	for (size_t l = 0; l < m->nlibs; l++)
		any |= m->libs[l].nkernels > 1;
	if (!any)
		return;
	fputs("\n### Between kernels\n\n", f);
	for (size_t l = 0; l < m->nlibs; l++) {
		const struct mx_lib *lib = &m->libs[l];

		if (lib->nkernels < 2)
			continue;
		mx_kernel_list(m, lib, kl, sizeof(kl));
		fputs("- **", f);
		md_put(f, lib->name);
		fputs("**: ", f);
		if (!lib->nkdiffs) {
			fputs("identical on ", f);
			md_put(f, kl);
			fprintf(f, " (%zu instances on each)\n", lib->ncompared);
		} else {
			fprintf(f, "%zu instance%s differ%s between ", lib->nkdiffs,
				lib->nkdiffs == 1 ? "" : "s", lib->nkdiffs == 1 ? "s" : "");
			md_put(f, kl);
			fputs("\n", f);
		}
		for (size_t a = 0; a < lib->nkernels_alone; a++) {
			fputs("- **", f);
			md_put(f, lib->name);
			fputs("** on ", f);
			md_put(f, mx_kernel_label(m, lib->kernels_alone[a]));
			fputs(": no instance in common with the other kernels\n", f);
		}
		if (!lib->nkdiffs)
			continue;
		fputs("\n  | instance |", f);
		for (size_t k = 0; k < lib->nkernels; k++) {
			fputc(' ', f);
			md_put(f, mx_kernel_label(m, lib->kernels[k]));
			fputs(" |", f);
		}
		fputs("\n  |---|", f);
		for (size_t k = 0; k < lib->nkernels; k++)
			fputs("---|", f);
		fputc('\n', f);
		for (size_t i = 0; i < lib->nkdiffs && i < REPORT_MD_KDIFF_MAX; i++) {
			fputs("  | `", f);
			md_code(f, lib->kdiffs[i].name);
			fputs("` |", f);
			for (size_t k = 0; k < lib->nkernels; k++)
				fprintf(f, " %s |", lib->kdiffs[i].r[k] ?
					outcome_name(report_result_status(lib->kdiffs[i].r[k])) : "—");
			fputc('\n', f);
		}
		if (lib->nkdiffs > REPORT_MD_KDIFF_MAX)
			fprintf(f, "\n  %zu more not listed.\n", lib->nkdiffs - REPORT_MD_KDIFF_MAX);
		fputc('\n', f);
	}
}

static void md_tallies(FILE *f, const char *what, const struct mx_tallies *t)
{
	fprintf(f, "; %s ", what);
	for (size_t i = 0; i < t->n; i++) {
		fputs(i ? ", " : "", f);
		md_put(f, t->v[i].name);
		fprintf(f, " %u", t->v[i].n);
	}
}

static void md_dev(FILE *f, const struct mx *m, const struct mx_dev *d, size_t num)
{
	const struct mx_lib *l = &m->libs[d->lib];

	fprintf(f, "\n#### %zu. ", num);
	md_put(f, l->name);
	fputs(": observed `", f);
	mx_fold_render(f, d->title.key, d->title.mask, md_code);
	fprintf(f, "`\n\n**%zu %s** in %zu clause%s; ", d->n, outcome_name(d->status),
		d->nclauses, d->nclauses == 1 ? "" : "s");
	md_put(f, mx_blame_words(m, d));
	md_tallies(f, "profiles", &d->profiles);
	md_tallies(f, "families", &d->families);
	if (l->nkernels > 1)
		md_tallies(f, "kernels", &d->kernels);
	fputs(".\n\n| clause | what the cases expected | n | profiles |\n|---|---|--:|---|\n", f);
	for (size_t c = 0; c < d->nclauses; c++) {
		const struct mx_dclause *dc = &d->clauses[c];

		fputs("| “", f);
		md_puts(f, dc->clause, 400);
		fputs("” | ", f);
		if (dc->expected.n) {
			mx_fold_render(f, dc->expected.v[0].key, dc->expected.v[0].mask, md_put);
			if (dc->expected.n > 1)
				fprintf(f, " (and %zu other wording%s)", dc->expected.n - 1,
					dc->expected.n == 2 ? "" : "s");
		} else {
			md_puts(f, report_str(dc->hits[0].r, "message"), REPORT_MD_MSG_MAX);
		}
		fprintf(f, " | %zu | ", dc->nhits);
		for (size_t i = 0; i < dc->profiles.n; i++) {
			fputs(i ? ", " : "", f);
			md_put(f, dc->profiles.v[i].name);
			fprintf(f, " %u", dc->profiles.v[i].n);
		}
		fputs(" |\n", f);
	}
}

static void md_deviations(FILE *f, const struct mx *m)
{
	fputs("\n### Failing clauses, by deviation\n", f);
	if (!m->ndevs)
		fputs("\nNone: no FAIL, ERROR, CRASH or TIMEOUT in any input.\n", f);
	for (size_t i = 0; i < m->ndevs; i++) {
		/* half the budget at most: the cells need room too */
		if (ftell(f) > REPORT_MD_BUDGET / 2) {
			fprintf(f, "\n%zu more deviations are not listed, to stay within the job summary size limit; see the HTML report.\n",
				m->ndevs - i);
			break;
		}
		md_dev(f, m, &m->devs[i], i + 1);
	}
}

static void md_cells(FILE *f, const struct mx *m, bool bad, size_t *listed,
		     size_t *omitted)
{
	for (size_t i = 0; i < m->nrows; i++) {
		for (size_t c = 0; c < m->ncols; c++) {
			const struct mx_cell *cell = mx_cell(m, i, c);
			enum outcome s = mx_cell_status(cell);

			if (s == OUT_NONE || s == OUT_PASS || outcome_is_bad(s) != bad)
				continue;
			if (ftell(f) > REPORT_MD_BUDGET) {
				(*omitted)++;
				continue;
			}
			fputs("| `", f);
			md_code(f, m->rows[i].key);
			fputs("` | ", f);
			md_puts(f, m->cols[c].platform_id, 200);
			fputs(" | ", f);
			md_puts(f, m->cols[c].profile, 200);
			fprintf(f, " | %s%s%s | ", bad ? "**" : "", outcome_name(s),
				bad ? "**" : "");
			md_puts(f, report_str(cell->r, "message"), REPORT_MD_MSG_MAX);
			fputs(" |\n", f);
			(*listed)++;
		}
	}
}

static void md_matrix(FILE *f, const struct mx *m)
{
	unsigned int bad = mx_count(m, OUT_FAIL) + mx_count(m, OUT_ERROR) +
			   mx_count(m, OUT_CRASH) + mx_count(m, OUT_TIMEOUT);
	unsigned int other = mx_count(m, OUT_XFAIL) + mx_count(m, OUT_XPASS) + mx_count(m, OUT_SKIP);
	size_t listed = 0, omitted = 0;

	fprintf(f, "\n### Matrix\n\n%zu cases × %zu platform/profile columns from %d results file%s.\n\n",
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
		md_puts(f, m->cols[c].platform_id, 200);
		fputs(" | ", f);
		md_puts(f, m->cols[c].profile, 200);
		fputs(" |", f);
		for (int s = 0; s < OUT_MAX; s++)
			fprintf(f, " %u |", m->cols[c].n[s]);
		fprintf(f, " %u |\n", m->cols[c].total);
	}
	fputs("| **all** | |", f);
	for (int s = 0; s < OUT_MAX; s++)
		fprintf(f, " **%u** |", mx_count(m, (enum outcome)s));
	fprintf(f, " **%u** |\n", bad + other + mx_count(m, OUT_PASS));

	fprintf(f, "\n#### Failing cells (%u)\n\n", bad);
	if (bad) {
		fputs("| case | platform | profile | status | message |\n|---|---|---|---|---|\n", f);
		md_cells(f, m, true, &listed, &omitted);
	} else {
		fputs("None: no FAIL, ERROR, CRASH or TIMEOUT.\n", f);
	}
	if (other) {
		fprintf(f, "\n<details><summary>Other non-PASS cells: XFAIL, XPASS, SKIP (%u)</summary>\n\n"
			   "| case | platform | profile | status | message |\n|---|---|---|---|---|\n",
			other);
		md_cells(f, m, false, &listed, &omitted);
		fputs("\n</details>\n", f);
	}
	if (omitted)
		fprintf(f, "\n%zu more non-PASS cells are not listed, to stay within the job summary size limit; see the HTML report.\n",
			omitted);
}

void mx_md_write(FILE *f, const struct mx *m)
{
	fputs("## ", f);
	md_puts(f, m->title, 300);
	fputs("\n\n", f);
	md_headlines(f, m);
	md_kernels(f, m);
	md_deviations(f, m);
	mx_md_fuzz(f, m);
	md_matrix(f, m);
}
