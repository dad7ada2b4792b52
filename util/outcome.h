/* SPDX-License-Identifier: MIT */
/*
 * The outcome of a case instance: the one vocabulary the runner records,
 * the results document stores ("status") and every report renders.  The
 * order is the column order of every totals table and part of the
 * results schema's meaning; append, never reorder.
 */
#ifndef TFOCHECK_OUTCOME_H
#define TFOCHECK_OUTCOME_H

#include <stdbool.h>

enum outcome {
	OUT_PASS,	/* every expectation held */
	OUT_FAIL,	/* the library or kernel disagrees with the clause */
	OUT_XFAIL,	/* a documented platform limit showed */
	OUT_XPASS,	/* a documented limit did not show */
	OUT_SKIP,	/* a requirement is missing (probe-derived reason) */
	OUT_ERROR,	/* the harness or infrastructure failed */
	OUT_CRASH,	/* the case process died on a signal */
	OUT_TIMEOUT,	/* no verdict in time; process group killed */
	OUT_MAX,
	OUT_NONE = OUT_MAX, /* reports: the case did not run there */
};

/* "PASS" ...; "-" for OUT_NONE and anything out of range. */
const char *outcome_name(enum outcome o);
/* One line for legends. */
const char *outcome_meaning(enum outcome o);
/* The outcome named s, or -1. */
int outcome_from_name(const char *s);
/* FAIL, ERROR, CRASH, TIMEOUT: what makes `tfocheck run` exit 1. */
bool outcome_is_bad(enum outcome o);

#endif
