/* SPDX-License-Identifier: MIT */
/*
 * The text of `tfocheck report` (stdout, or --text FILE; see render.h),
 * in the HTML page's order: headlines, between kernels, failing clauses
 * by deviation, then the matrix: the numbered columns with their totals
 * and, unless --brief, the rows that are not all PASS with one letter
 * per column.  `make conformance` prints the --brief form as its summary
 * and `tfocheck run` ends with the sections before the matrix
 * (report_write_findings()).  Long clauses and messages are cut to fit a
 * line or two of a terminal; the HTML has them whole.
 */
#include "reports/render.h"

#include <string.h>

#define TEXT_CLAUSE_MAX 150
#define TEXT_EXPECT_MAX 200
#define TEXT_KDIFF_MAX 40

static const char *const text_letter[OUT_MAX + 1] = {
	[OUT_PASS] = ".", [OUT_FAIL] = "F", [OUT_XFAIL] = "x", [OUT_XPASS] = "X",
	[OUT_SKIP] = "s", [OUT_ERROR] = "E", [OUT_CRASH] = "C", [OUT_TIMEOUT] = "T",
	[OUT_NONE] = "-",
};

/* At most max bytes of s on one line, not cutting a UTF-8 sequence. */
static void text_cut(FILE *f, const char *s, size_t max)
{
	size_t n = 0;

	for (; *s && n < max; s++, n++)
		fputc(*s == '\n' || *s == '\t' ? ' ' : *s, f);
	if (*s) {
		while ((*s & 0xc0) == 0x80)
			fputc(*s++, f);
		fputs("…", f);
	}
}

static void text_put(FILE *f, const char *s)
{
	text_cut(f, s, 100000);
}

/* a folded text is written in pieces: the cut spans them all */
static size_t text_max;
static bool text_was_cut;

static void text_put_cut(FILE *f, const char *s)
{
	size_t l = strlen(s);

	if (text_was_cut || !*s)
		return;
	if (l <= text_max) {
		fputs(s, f);
		text_max -= l;
		return;
	}
	text_cut(f, s, text_max);
	text_was_cut = true;
}

static void text_headlines(FILE *f, const struct mx *m)
{
	char line[512];

	for (size_t l = 0; l < m->nlibs; l++) {
		mx_lib_headline(m, &m->libs[l], line, sizeof(line));
		fprintf(f, "%s: %s\n", m->libs[l].name, line);
	}
	for (int k = 0; k < m->nin && !m->own_run; k++)
		if (m->in[k].interrupted)
			fprintf(f, "interrupted: %s comes from a run that a signal ended early\n",
				m->in[k].path);
}

static void text_kernels(FILE *f, const struct mx *m)
{
	char kl[1024];
	bool any = false;

	for (size_t l = 0; l < m->nlibs; l++)
		any |= m->libs[l].nkernels > 1;
	if (!any)
		return;
	fputs("\nBetween kernels:\n", f);
	for (size_t l = 0; l < m->nlibs; l++) {
		const struct mx_lib *lib = &m->libs[l];

		if (lib->nkernels < 2)
			continue;
		mx_kernel_list(m, lib, kl, sizeof(kl));
		if (!lib->nkdiffs)
			fprintf(f, "  %s: identical on %s (%zu instances on each)\n", lib->name, kl,
				lib->ncompared);
		else
			fprintf(f, "  %s: %zu instance%s differ%s between %s:\n", lib->name,
				lib->nkdiffs, lib->nkdiffs == 1 ? "" : "s",
				lib->nkdiffs == 1 ? "s" : "", kl);
		for (size_t i = 0; i < lib->nkdiffs && i < TEXT_KDIFF_MAX; i++) {
			fprintf(f, "    %-50s", lib->kdiffs[i].name);
			for (size_t k = 0; k < lib->nkernels; k++)
				fprintf(f, " %-7s", lib->kdiffs[i].r[k] ?
					outcome_name(report_result_status(lib->kdiffs[i].r[k])) : "-");
			fputc('\n', f);
		}
		if (lib->nkdiffs > TEXT_KDIFF_MAX)
			fprintf(f, "    (%zu more)\n", lib->nkdiffs - TEXT_KDIFF_MAX);
		for (size_t a = 0; a < lib->nkernels_alone; a++)
			fprintf(f, "  %s on %s: no instance in common with the other kernels\n",
				lib->name, mx_kernel_label(m, lib->kernels_alone[a]));
	}
}

static void text_tallies(FILE *f, const char *what, const struct mx_tallies *t)
{
	fprintf(f, "; %s", what);
	for (size_t i = 0; i < t->n; i++)
		fprintf(f, "%s %s %u", i ? "," : "", t->v[i].name, t->v[i].n);
}

static void text_dev(FILE *f, const struct mx *m, const struct mx_dev *d, size_t num)
{
	const struct mx_lib *l = &m->libs[d->lib];

	fprintf(f, "%3zu. %s: observed ", num, l->name);
	mx_fold_render(f, d->title.key, d->title.mask, text_put);
	fprintf(f, "\n     %zu %s in %zu clause%s; %s", d->n, outcome_name(d->status),
		d->nclauses, d->nclauses == 1 ? "" : "s", mx_blame_words(m, d));
	text_tallies(f, "profiles", &d->profiles);
	text_tallies(f, "families", &d->families);
	if (l->nkernels > 1)
		text_tallies(f, "kernels", &d->kernels);
	if (d->nevidence)
		fprintf(f, "; %zu pcap%s", d->nevidence, d->nevidence == 1 ? "" : "s");
	if (d->nrepro)
		fprintf(f, "; %zu reproducer%s", d->nrepro, d->nrepro == 1 ? "" : "s");
	fputc('\n', f);
	for (size_t c = 0; c < d->nclauses; c++) {
		const struct mx_dclause *dc = &d->clauses[c];

		fprintf(f, "     %3zu × \"", dc->nhits);
		text_cut(f, dc->clause, TEXT_CLAUSE_MAX);
		fputs("\"\n", f);
		if (!dc->expected.n)
			continue;
		fputs("           expected ", f);
		text_max = TEXT_EXPECT_MAX;
		text_was_cut = false;
		mx_fold_render(f, dc->expected.v[0].key, dc->expected.v[0].mask, text_put_cut);
		if (dc->expected.n > 1)
			fprintf(f, " (and %zu other wording%s)", dc->expected.n - 1,
				dc->expected.n == 2 ? "" : "s");
		fputc('\n', f);
	}
}

static void text_deviations(FILE *f, const struct mx *m)
{
	if (!m->ndevs) {
		fputs("\nFailing clauses: none (no FAIL, ERROR, CRASH or TIMEOUT)\n", f);
		return;
	}
	fputs("\nFailing clauses, by deviation:\n", f);
	for (size_t i = 0; i < m->ndevs; i++)
		text_dev(f, m, &m->devs[i], i + 1);
}

static void text_matrix(FILE *f, const struct mx *m)
{
	int w = snprintf(NULL, 0, "%zu", m->ncols), labw = 8;
	size_t keyw = 8, shown = 0;

	fprintf(f, "\nMatrix: %zu cases x %zu platform/profile columns from %d file%s\n",
		m->nrows, m->ncols, m->nin, m->nin == 1 ? "" : "s");
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
	if (m->brief)
		return;
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
			fprintf(f, " %*s", w, text_letter[mx_cell_status(mx_cell(m, i, c))]);
		fputc('\n', f);
	}
	if (!shown)
		fprintf(f, "\nevery cell that ran is PASS\n");
	else
		fprintf(f, "(%zu rows where every cell is PASS not shown)\n", m->nrows - shown);
	fprintf(f, "\n. PASS  F FAIL  x XFAIL  X XPASS  s SKIP  E ERROR  C CRASH  T TIMEOUT  - not run\n");
}

void mx_text_findings(FILE *f, const struct mx *m)
{
	text_headlines(f, m);
	text_kernels(f, m);
	text_deviations(f, m);
}

void mx_text_write(FILE *f, const struct mx *m)
{
	size_t n = 0;

	for (size_t c = 0; c < m->ncols; c++)
		n += m->cols[c].total;
	fprintf(f, "%s: %zu instances from %d results file%s on %zu kernel%s\n\n", m->title, n,
		m->nin, m->nin == 1 ? "" : "s", m->nkernels, m->nkernels == 1 ? "" : "s");
	mx_text_findings(f, m);
	text_matrix(f, m);
}
