/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck report RESULTS.json... [--html FILE] [--markdown FILE]
 * [--text FILE] [--brief] [--title TEXT]`: the model every page of the
 * report is drawn from (render.h), and the command.  Rows are cases, a
 * row being an instance name with its "@profile" part taken out
 * ("owfat.sends_len/ipv4"), because the profile becomes the column: one
 * column per (platform_id, profile) pair, so the same case on two
 * kernels, two libraries or two sysctl settings sits side by side.
 * Several files with the same platform_id share columns (runs split by
 * --filter); the same instance twice in one column is an input error.
 * findings.c then reads the headlines, the deviations and the kernel
 * differences off the inputs; render_html.c, render_md.c and
 * render_text.c write them, in that order, before the matrix.
 *
 * Nothing is written unless every input validated: outputs go to
 * temporary files renamed at the very end (report_out_*).
 */
#include "reports/render.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct mx_cell *mx_cell(const struct mx *m, size_t row, size_t col)
{
	return &m->cells[row * m->ncols + col];
}

enum outcome mx_cell_status(const struct mx_cell *c)
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

size_t mx_api_index(const struct mx *m, const char *api)
{
	for (size_t a = 0; a < m->napis; a++)
		if (!strcmp(m->apis[a], api))
			return a;
	return 0; /* every row's API is in the list */
}

bool mx_col_has_api(const struct mx *m, size_t c, size_t a)
{
	return m->colapi[c * m->napis + a];
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
	m->apis = calloc(nres + 1, sizeof(*m->apis));
	if (!m->cols || !m->rows || !m->apis) {
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
				m->cols[m->ncols].input = k;
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
	if (m->nrows) /* qsort wants a base even for nothing */
		qsort(m->rows, m->nrows, sizeof(*m->rows), mx_row_cmp);
	for (i = 0; i < m->nrows; i++)
		if (!m->napis || strcmp(m->apis[m->napis - 1], m->rows[i].api))
			m->apis[m->napis++] = m->rows[i].api;
	json_object_clear(index);
	for (i = 0; i < m->nrows; i++)
		json_object_set_new(index, m->rows[i].key, json_integer((json_int_t)i));
	m->cells = calloc(m->nrows * m->ncols + 1, sizeof(*m->cells));
	m->colapi = calloc(m->ncols * m->napis + 1, sizeof(*m->colapi));
	if (!m->cells || !m->colapi) {
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
			m->colapi[col * m->napis + mx_api_index(m, m->rows[row].api)] = true;
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
	mx_findings_free(m);
	for (size_t i = 0; i < m->nrows; i++)
		free(m->rows[i].key);
	free(m->rows);
	free(m->cols);
	free(m->cells);
	free(m->apis);
	free(m->colapi);
	for (int k = 0; k < m->nin; k++) {
		json_decref(m->in[k].doc);
		free(m->in[k].dir);
	}
	free(m->in);
	free(m->outdir);
}

unsigned int mx_count(const struct mx *m, enum outcome s)
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
char *mx_evidence_href(const struct mx *m, int input, const char *ev)
{
	const struct mx_input *in = &m->in[input];
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

void mx_url_puts(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			fputc(*p, f);
		else
			fprintf(f, "%%%02X", *p);
	}
}

/* ---- main ---------------------------------------------------------------- */

static void report_usage(FILE *f)
{
	fprintf(f, "usage: tfocheck report RESULTS.json... [--html FILE] [--markdown FILE]\n"
		   "                       [--text FILE] [--brief] [--title TEXT]\n"
		   "  without --html/--markdown/--text: the text report on stdout\n"
		   "  --brief: the text report without its per-row matrix\n"
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

/* One output, rendered in memory first: the Markdown writer's budget
 * needs ftell(), which a pipe does not have, and "-" may be one. */
static int mx_render(struct report_out *o, const char *path, const struct mx *m,
		     void (*write)(FILE *, const struct mx *), char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *ms;

	if (report_out_open(o, path, err, errlen))
		return -EIO;
	ms = open_memstream(&buf, &len);
	if (!ms) {
		report_err(err, errlen, "out of memory");
		return -ENOMEM;
	}
	write(ms, m);
	if (fclose(ms)) {
		free(buf);
		report_err(err, errlen, "out of memory");
		return -ENOMEM;
	}
	fwrite(buf, 1, len, o->f);
	free(buf);
	return 0;
}

static int mx_load(struct mx *m, int nin, char **paths, char *err, size_t errlen)
{
	int ret;

	m->nin = nin;
	m->in = calloc((size_t)m->nin, sizeof(*m->in));
	if (!m->in)
		return -ENOMEM;
	for (int k = 0; k < m->nin; k++) {
		m->in[k].path = paths[k];
		ret = report_load(m->in[k].path, &m->in[k].doc, err, errlen);
		if (ret)
			return ret == -ENOMEM ? ret : -EINVAL;
		m->in[k].dir = mx_dir_of(m->in[k].path);
	}
	ret = mx_build(m, err, errlen);
	if (!ret)
		ret = mx_findings(m);
	return ret;
}

/* The model of one document in memory (tfocheck run's own). */
static int mx_one(struct mx *m, const json_t *doc, char *err, size_t errlen)
{
	int ret = report_doc_validate(doc, "results", err, errlen);

	if (ret)
		return ret;
	m->title = "";
	m->brief = true;
	m->own_run = true;
	m->nin = 1;
	m->in = calloc(1, sizeof(*m->in));
	if (!m->in)
		return -ENOMEM;
	m->in[0].path = "results";
	m->in[0].doc = json_incref((json_t *)doc);
	ret = mx_build(m, err, errlen);
	if (!ret)
		ret = mx_findings(m);
	if (ret == -ENOMEM)
		report_err(err, errlen, "out of memory");
	return ret;
}

int report_write_findings(const json_t *doc, FILE *f, char *err, size_t errlen)
{
	struct mx m = { 0 };
	int ret = mx_one(&m, doc, err, errlen);

	if (!ret)
		mx_text_findings(f, &m);
	mx_free(&m);
	return ret;
}

int report_headline(const json_t *doc, char *buf, size_t size, char *err,
		    size_t errlen)
{
	struct mx m = { 0 };
	int ret = mx_one(&m, doc, err, errlen);
	char line[512];

	buf[0] = 0;
	if (!ret && m.nlibs) {
		mx_lib_headline(&m, &m.libs[0], line, sizeof(line));
		snprintf(buf, size, "%s: %s", m.libs[0].name, line);
	}
	mx_free(&m);
	return ret;
}

int report_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "html", required_argument, NULL, 'H' },
		{ "markdown", required_argument, NULL, 'm' },
		{ "text", required_argument, NULL, 'x' },
		{ "brief", no_argument, NULL, 'b' },
		{ "title", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *html = NULL, *md = NULL, *text = NULL;
	struct report_out oh = { 0 }, om = { 0 }, ot = { 0 };
	struct mx m = { 0 };
	char err[1024];
	int c, ret = REPORT_EXIT_USAGE;

	m.title = "tfocheck conformance report";
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'H':
			html = optarg;
			break;
		case 'm':
			md = optarg;
			break;
		case 'x':
			text = optarg;
			break;
		case 'b':
			m.brief = true;
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
	{
		const char *outs[] = { html, md, text };

		for (int i = 0; i < 3; i++)
			for (int j = i + 1; j < 3; j++)
				if (outs[i] && outs[j] && !strcmp(outs[i], outs[j]) &&
				    strcmp(outs[i], "-")) {
					fprintf(stderr, "tfocheck report: two outputs name '%s'\n",
						outs[i]);
					return REPORT_EXIT_USAGE;
				}
	}
	if (!html && !md && !text)
		text = "-";
	switch (mx_load(&m, argc - optind, argv + optind, err, sizeof(err))) {
	case 0:
		break;
	case -ENOMEM:
		goto oom;
	default:
		fprintf(stderr, "tfocheck report: %s\n", err);
		goto out;
	}
	if (html) {
		m.outdir = strcmp(html, "-") ? mx_dir_of(html) : getcwd(NULL, 0);
		if (mx_render(&oh, html, &m, mx_html_write, err, sizeof(err)))
			goto fail;
	}
	if (md && mx_render(&om, md, &m, mx_md_write, err, sizeof(err)))
		goto fail;
	if (text && mx_render(&ot, text, &m, mx_text_write, err, sizeof(err)))
		goto fail;
	/* all complete before any appears */
	if ((html && report_out_commit(&oh, err, sizeof(err))) ||
	    (md && report_out_commit(&om, err, sizeof(err))) ||
	    (text && report_out_commit(&ot, err, sizeof(err))))
		goto fail;
	ret = REPORT_EXIT_OK;
	goto out;
oom:
	fprintf(stderr, "tfocheck report: out of memory\n");
	goto out;
fail:
	fprintf(stderr, "tfocheck report: %s\n", err);
	report_out_abort(&oh);
	report_out_abort(&om);
	report_out_abort(&ot);
out:
	mx_free(&m);
	return ret;
}
