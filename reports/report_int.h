/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by the files of the reports module: all-or-nothing output files, escaping for XML/HTML, and
 * typed accessors for a document report_doc_validate() has accepted (so
 * they need no error paths of their own).
 */
#ifndef TFOCHECK_REPORT_INT_H
#define TFOCHECK_REPORT_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "reports/report.h"
#include "util/outcome.h"

#define REPORT_EXIT_OK 0
#define REPORT_EXIT_REGRESSION 1
#define REPORT_EXIT_USAGE 2

/* Accessors for validated documents ("" / 0 when absent). */
const char *report_str(const json_t *obj, const char *key);
double report_num(const json_t *obj, const char *key);
enum outcome report_result_status(const json_t *r);

/* An output that appears at path only once report_out_commit() ran. */
struct report_out {
	FILE *f;
	char *path; /* final name; NULL for stdout */
	char *tmp;  /* PATH.tmp.PID */
};

int report_out_open(struct report_out *o, const char *path, char *err,
		    size_t errlen);
int report_out_commit(struct report_out *o, char *err, size_t errlen);
void report_out_abort(struct report_out *o);

/* Escape for XML text and attribute values (also HTML): & < > " ' and
 * newlines in attributes; control characters XML 1.0 forbids become
 * U+FFFD. */
void report_xml_puts(FILE *f, const char *s, bool attr);

/* The row key of a result: its name with "@profile" removed
 * ("id/family" or "id"), malloc()ed. */
char *report_row_key(const json_t *r);

/* snprintf into err, never overflowing. */
void report_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
