/* SPDX-License-Identifier: MIT */
/*
 * The reports module: turns `tfocheck-results/1` documents (see
 * docs/results-json.md) into what CI systems and people read — JUnit XML,
 * TAP 13/KTAP, a platform matrix in HTML and Markdown — and compares two
 * runs (`tfocheck diff`).  Everything takes the document as the jansson
 * tree `tfocheck run` builds in memory or report_load() reads back, so a
 * report written during the run and one rendered later are identical.
 *
 * Contract: functions returning int give 0 or -errno; on failure they put
 * one line naming the input and the problem in err (no trailing newline).
 * Writers never leave a partial file at path: they write PATH.tmp.PID and
 * rename it over PATH only when everything went out.  path "-" is stdout.
 * report_main() and diff_main() return the process exit status; nothing
 * here calls exit().  docs/reports.md and tfocheck-report(1) document the
 * formats and the exit codes.
 */
#ifndef TFOCHECK_REPORT_H
#define TFOCHECK_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/outcome.h"

/* The schema id this module reads and writes reports for. */
#define REPORT_SCHEMA "tfocheck-results/1"

/*
 * Load and validate a results file.  On success *doc is a new reference
 * (json_decref() it).  -EINVAL for malformed JSON or a document that is
 * not a valid tfocheck-results/1 (err: "FILE: line L column C: ...",
 * "FILE: not a tfocheck results file (no "schema" key)",
 * "FILE: results[4].status: unknown status "MAYBE""), -errno when the
 * file cannot be read.
 */
int report_load(const char *path, json_t **doc, char *err, size_t errlen);

/*
 * Validate a document already in memory; label names it in err (a file
 * name, or e.g. "results").  The writers below call it first, so a
 * document they accept has every key they read, with the right type.
 */
int report_doc_validate(const json_t *doc, const char *label, char *err,
			size_t errlen);

/* What a run was: the head of a new results document. */
struct report_run_info {
	const char *platform_id;	/* "linux-6.18.44-x86_64-libtfo" */
	const char *lib_path;		/* NULL: no library under test */
	const char *lib_alias;
	const char *lib_version;
	const char *ref_path;		/* reference library, NULL if none */
	double wall_ms;
	bool interrupted;		/* a signal ended the run early */
	/* the kernel timers the cases ran with (harness/timers.h) */
	bool timers_compressed;
	int initial_rto_ms;
	const char *timers_why;		/* !timers_compressed: why not */
};

/* A sysctl profile a result ran in (netns/profile.h, as plain values). */
struct report_profile {
	const char *name;
	const char *summary;
	long client_tfo, server_tfo;
	bool server_sockopt;
	long blackhole_sec;
};

/* One instance's result. */
struct report_result {
	const char *id, *name, *api, *profile;
	const char *family;		/* "ipv4" ..., or "any" */
	enum outcome status;
	const char *message, *clause;
	double duration_ms;
	const char *evidence;		/* a kept .pcap, or NULL */
	const char *reproducer;		/* its reproducer script, or NULL */
	const char *deviation;		/* "library", "platform" or NULL */
	bool interrupted;		/* cut short, or never started, by it */
};

/*
 * Build a results document: report_results_new() (NULL when out of
 * memory), then every profile used and every result, in order; the
 * document is a jansson tree the writers below render.  Adding returns 0
 * or -ENOMEM.
 */
json_t *report_results_new(const struct report_run_info *ri);
int report_results_add_profile(json_t *doc, const struct report_profile *p);
int report_results_add(json_t *doc, const struct report_result *r);

/*
 * Could a writer below put a file at path?  Creates and removes the
 * temporary it would write (PATH.tmp.PID), so a run learns before its
 * first case that an output names a missing or read-only directory.
 * "-" (stdout) is always fine.  err: "cannot create 'PATH': REASON".
 */
int report_out_check(const char *path, char *err, size_t errlen);

/* `tfocheck fuzz`: the run, as the document's "fuzz" section. */
struct report_fuzz {
	const char *api;		/* "owfat", "connectx" or "owfat,connectx" */
	unsigned long long seed;
	int jobs;
	unsigned long scenarios;	/* judged */
	unsigned long runs;		/* jail runs, shrinking included */
	unsigned long divergent;	/* scenarios that diverged */
	unsigned long unstable;		/* divergences that did not repeat */
	unsigned long errors;		/* harness errors: not comparable */
	unsigned long unshrunk;		/* divergent, left when time ran out */
	double wall_ms;
};

/* A divergence, shrunk. */
struct report_fuzz_diff {
	const char *field, *expected, *observed;
};
struct report_divergence {
	const char *id;			/* the shrunk scenario, replayable */
	const char *found_as;		/* the scenario it was found in */
	const char *scenario;		/* in words */
	const char *call;		/* the call, as C */
	const char *clause_id, *clause;	/* NULL when none can be named */
	const char *field, *expected, *observed; /* the first difference */
	const struct report_fuzz_diff *diffs;
	size_t ndiffs;
	unsigned int count;		/* divergent scenarios that led here */
	unsigned int shrink_tests;
	int calls;			/* library calls in the scenario */
	const char *replay;		/* the command line */
	const char *reproducer;		/* the .sh, or NULL */
	const char *evidence;		/* the .pcap, or NULL */
};

/* Set the document's "fuzz" section (an empty divergence list); add to it. */
int report_results_set_fuzz(json_t *doc, const struct report_fuzz *f);
int report_results_add_divergence(json_t *doc, const struct report_divergence *d);

/* The document itself, as docs/results-json.md describes it. */
int report_write_json(const json_t *doc, const char *path, char *err,
		      size_t errlen);

/* JUnit XML: one <testsuite> per api@profile (see docs/reports.md). */
int report_write_junit(const json_t *doc, const char *path, char *err,
		       size_t errlen);

/* TAP version 13, KTAP-compatible, with a kselftest "# Totals:" line. */
int report_write_tap(const json_t *doc, const char *path, char *err,
		     size_t errlen);

/*
 * The findings of one document as text, to f: the library's headline and
 * its failing clauses grouped by deviation (docs/reports.md), as
 * `tfocheck report --text` writes them before the matrix.  -EINVAL for a
 * document that does not validate, -ENOMEM.
 */
int report_write_findings(const json_t *doc, FILE *f, char *err,
			  size_t errlen);
/* Its one headline: "libowfat0 0.32-4: 65 FAIL in 2 deviations (9
 * clauses)", into buf. */
int report_headline(const json_t *doc, char *buf, size_t size, char *err,
		    size_t errlen);

/* `tfocheck report RESULTS.json... [--html FILE] [--markdown FILE]
 * [--text FILE] [--brief] [--title TEXT]`: 0 written, 2 bad input or
 * usage (nothing written). */
int report_main(int argc, char **argv);

/* `tfocheck diff OLD.json NEW.json [--json]`: 0 no regression,
 * 1 regressions, 2 bad input or usage. */
int diff_main(int argc, char **argv);

#endif
