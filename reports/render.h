/* SPDX-License-Identifier: MIT */
/*
 * The model `tfocheck report` renders (internal to reports/): the inputs,
 * the matrix (columns, rows, cells), and the findings read off it — one
 * headline per library, the failing instances grouped into deviations,
 * and what differs between kernels.  render_matrix.c builds the matrix
 * and owns report_main(); findings.c derives the findings; render_html.c,
 * render_md.c and render_text.c each write every section in the same
 * order, one function per section, so a new section (a fuzz summary, say)
 * is one more function and one more call in each writer.
 *
 * Everything points into the validated input documents, which outlive
 * the model; strings the model makes itself are malloc()ed and freed by
 * mx_free().
 */
#ifndef TFOCHECK_REPORT_RENDER_H
#define TFOCHECK_REPORT_RENDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "reports/report_int.h"

struct mx_input {
	const char *path;
	json_t *doc;
	char *dir;		/* realpath of the file's directory, for evidence */
	int lib;		/* index into mx.libs */
	int kernel;		/* index into mx.kernels */
	bool interrupted;	/* the document says the run was interrupted */
};

struct mx_col {
	const char *platform_id;
	const char *profile;
	const json_t *doc;	/* first input that has this column */
	int input;
	unsigned int n[OUT_MAX];
	unsigned int total;
};

struct mx_row {
	char *key;
	const char *api;
	const char *clause;
	size_t seq;		/* first appearance: the run's own order in a group */
	bool all_pass;
};

struct mx_cell {
	const json_t *r;
	int input;
};

/* A label and how often it occurred (profiles, families, kernels). */
struct mx_tally {
	const char *name;
	unsigned int n;
};

struct mx_tallies {
	struct mx_tally *v;
	size_t n;
};

/*
 * A text shown for several instances, with the 4/6 of family-specific
 * function names folded (socket_fastopen_connect4 and ...6 are one text):
 * key holds MX_FOLD where the digit was, mask which digits occurred
 * (1: 4, 2: 6); mx_fold_render() writes "4", "6" or "4/6" back.
 */
#define MX_FOLD '\x01'
struct mx_text {
	char *key;
	unsigned int mask;
	unsigned int n;
};

struct mx_texts {
	struct mx_text *v;
	size_t n;
};

/* One failing instance. */
struct mx_hit {
	const json_t *r;
	int input;
};

/* The instances of one deviation that check one clause. */
struct mx_dclause {
	const char *api;
	const char *clause;
	struct mx_hit *hits;
	size_t nhits;
	struct mx_texts expected;	/* what the cases expected, folded */
	struct mx_tallies profiles;
	size_t first;			/* order of appearance */
};

/*
 * A deviation: the failing instances of one library with the same status,
 * the same differential verdict and the same observation (findings.c and
 * docs/reports.md give the rule), across clauses, profiles and kernels.
 */
struct mx_dev {
	int lib;
	enum outcome status;
	const char *blame;		/* "library", "platform" or "" */
	char *sig;			/* the observation the group shares, folded */
	struct mx_text title;		/* what a reader sees as "observed" */
	size_t n;
	struct mx_dclause *clauses;
	size_t nclauses;
	struct mx_tallies profiles, families, kernels;
	size_t nevidence;
	size_t nrepro;			/* of them with a reproducer */
	size_t first;
};

/* A kernel (os, release, arch) some input ran on. */
struct mx_kernel {
	const char *os, *release, *arch;
};

/* One instance of a library, with its status on each of lib->kernels. */
struct mx_kdiff {
	const char *name;
	const json_t **r;		/* per lib->kernels[i], NULL: not run */
};

/* A library under test, over every input that ran it. */
struct mx_lib {
	const char *alias;		/* the key: alias, file name, or "" */
	const char *name;		/* what a reader sees: version, else alias */
	const char *ref;		/* its reference library's file name, or "" */
	unsigned int n[OUT_MAX];
	unsigned int total;
	unsigned int interrupted;	/* instances an interruption left unfinished */
	size_t ndevs;
	size_t nclauses;		/* distinct clauses among its bad instances */
	size_t first;			/* first input */
	/* the kernels it ran on, in input order (indices into mx.kernels) */
	int *kernels;
	size_t nkernels;
	bool same_counts;		/* every kernel has the same n[] */
	/* instances whose status differs between those kernels */
	struct mx_kdiff *kdiffs;
	size_t nkdiffs;
	size_t ncompared;		/* instances present on every kernel */
	int *kernels_alone;		/* kernels sharing no instance with the rest */
	size_t nkernels_alone;
};

struct mx {
	struct mx_input *in;
	int nin;
	struct mx_col *cols;
	size_t ncols;
	struct mx_row *rows;
	size_t nrows;
	struct mx_cell *cells;		/* nrows x ncols */
	const char **apis;		/* API names, sorted */
	size_t napis;
	bool *colapi;			/* ncols x napis: the API has a result there */
	struct mx_lib *libs;		/* failing libraries first, then input order */
	size_t nlibs;
	struct mx_kernel *kernels;
	size_t nkernels;
	struct mx_dev *devs;		/* by library, then size */
	size_t ndevs;
	const char *title;
	char *outdir;			/* realpath of the HTML file's directory */
	bool brief;			/* text: no per-row matrix */
	bool own_run;			/* tfocheck run's own document: no file names */
};

/* render_matrix.c */
struct mx_cell *mx_cell(const struct mx *m, size_t row, size_t col);
enum outcome mx_cell_status(const struct mx_cell *c);
unsigned int mx_count(const struct mx *m, enum outcome s);
/* Where the evidence of a result is, relative to the HTML file when it
 * can be found; malloc()ed, NULL when out of memory. */
char *mx_evidence_href(const struct mx *m, int input, const char *ev);
/* Percent-encode a path for an href. */
void mx_url_puts(FILE *f, const char *s);
size_t mx_api_index(const struct mx *m, const char *api);
/* Does API a have a result in column c? */
bool mx_col_has_api(const struct mx *m, size_t c, size_t a);

/* findings.c: libraries, deviations and kernel differences, from the
 * matrix mx_build() made.  0 or -ENOMEM. */
int mx_findings(struct mx *m);
void mx_findings_free(struct mx *m);
/* "libowfat0 0.32-4: 65 FAIL in 2 deviations (9 clauses)" without the
 * name, into buf. */
void mx_lib_headline(const struct mx *m, const struct mx_lib *l, char *buf,
		     size_t size);
/* A kernel's label: its release. */
const char *mx_kernel_label(const struct mx *m, int k);
/* Write a folded text with put (an escaping writer). */
void mx_fold_render(FILE *f, const char *key, unsigned int mask,
		    void (*put)(FILE *, const char *));
/* "a, b and c" of the kernels of l, into buf. */
void mx_kernel_list(const struct mx *m, const struct mx_lib *l, char *buf,
		    size_t size);
/* What the deviation's blame means, in one phrase. */
const char *mx_blame_words(const struct mx *m, const struct mx_dev *d);

/*
 * The parts of a failure message (exposed for the tests): what was
 * expected, what was observed, and the observation a deviation is keyed
 * by.  Each returns a malloc()ed string ("" when absent) or NULL.
 */
char *mx_msg_expected(const char *msg);
char *mx_msg_observed(const char *msg);
char *mx_msg_signature(const char *observed);
/* Fold family digits (see struct mx_text); *mask gets the digits seen. */
char *mx_fold46(const char *s, unsigned int *mask);

/* The writers: every section, in the page's order. */
void mx_html_write(FILE *f, const struct mx *m);
void mx_md_write(FILE *f, const struct mx *m);
/* render_fuzz.c: the inputs' fuzz sections, after the deviations */
void mx_html_fuzz(FILE *f, const struct mx *m);
void mx_md_fuzz(FILE *f, const struct mx *m);
void mx_text_write(FILE *f, const struct mx *m);
/* The text writer's sections before the matrix: headlines, kernels,
 * deviations (what `tfocheck run` prints at its end). */
void mx_text_findings(FILE *f, const struct mx *m);

#endif
