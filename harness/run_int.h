/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by the modules of `tfocheck run` (docs/architecture.md
 * draws the path of one case through them):
 *
 *   run.c           CLI, privileges, the order of the steps, exit status
 *   expand.c        case rows -> instances (row x profile x family)
 *   sched.c         forked case processes, -j slots, timeouts, --repeat
 *   child.c         inside one case process: topology, fault, body, verdict
 *   cunit.c         CUnit registry and runner over the instances
 *   differential.c  re-running FAILs against the reference library
 *   summary.c       what the terminal shows at the end
 *   results.c       the instances as a results document (reports/)
 *
 * All state of a run lives in one struct run, handed down explicitly; the
 * only file-scope state left is what a signal handler or CUnit's
 * argument-less test functions must reach (sched.c, cunit.c).
 *
 * Contract: functions returning int give 0 or -errno unless they say
 * otherwise.
 */
#ifndef TFOCHECK_RUN_INT_H
#define TFOCHECK_RUN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "harness/case.h"
#include "harness/libload.h"
#include "harness/run.h"
#include "harness/verdict.h"
#include "util/outcome.h"

#define RUN_DEFAULT_TIMEOUT_MS 10000
#define RUN_MAX_FILTERS 32
/* slow instances (timer waits) run in extra slots beside -j */
#define RUN_SLOW_SLOTS_PER_JOB 4

struct run_opts {
	int jobs;
	unsigned int repeat;
	int timeout_ms;
	unsigned int timeout_scale;	/* multiplies every case's timeout */
	const char *filters[RUN_MAX_FILTERS];
	int nfilters;
	const char *lib;
	const char *reference;		/* library to tell library from platform */
	const char *api_arg;		/* --api as given, or NULL */
	unsigned int apis;		/* bitmask of 1 << API_* */
	const char *profiles;		/* comma list or NULL (the rows' own) */
	const char *json;
	const char *junit;
	const char *tap;
	const char *cunit_xml;		/* CUnit's own XML: PREFIX-Results.xml */
	const char *out;		/* DIR/<platform-id>/ gets all of them */
	const char *pcap_dir;
	bool verbose;
	bool color;
	bool progress;
	bool real_timers;		/* --real-timers: no compression */
	int rto_ms;			/* initial RTO in effect (harness/timers.h) */
};

/* One instance: a row in one profile and family. */
struct inst {
	const struct case_def *def;
	const struct profile *profile;
	enum topo_family family;
	bool per_family;
	char name[192];
	size_t seq;			/* expansion order: the sort's tie-break */
	void *cu;			/* its CUnit test */
	unsigned int runs_started, runs_done;
	unsigned int counts[OUT_MAX];
	struct result res;		/* the reported one */
	bool have_res;
	/* differential verdict of a FAIL: "library" (the reference passes
	 * here) or "platform" (the reference fails too), else NULL */
	const char *deviation;
	/* the run was interrupted before this instance finished: cut short,
	 * or never started (runs_started == 0) */
	bool interrupted;
	/* a FAIL's reproducer script beside its pcap, or "" */
	char reproducer[RUN_REPRO_PATH];
};

struct run {
	struct run_opts opts;
	char repro_line[600];	/* what run_write_repros did, or "" */
	struct case_lib lib, ref;
	bool lib_loaded, ref_loaded;
	struct inst *insts;
	size_t ninsts;
	char outdir[1024];		/* --out DIR/<platform-id> */
};

/* expand.c: every selected instance, in CUnit's suite order. */
int expand_instances(const struct run_opts *o, struct inst **insts,
		     size_t *n);
/* "a,b" contains name ("*" and NULL contain everything). */
bool expand_list_has(const char *list, const char *name);

/* sched.c: run instances in forked children, at most o->jobs busy ones
 * (plus the slow slots).  lib is what the children call. */
struct sched;
struct sched *sched_new(const struct run_opts *o, struct inst *insts,
			size_t n, unsigned int repeat,
			const struct case_lib *lib);
/* Run until every run of in is done (or the run is interrupted). */
void sched_until(struct sched *s, struct inst *in);
void sched_free(struct sched *s);

/* child.c: the case process (the jail's worker) for one run of an
 * instance; its verdict goes into frame as the record e names. */
struct child_job {
	const struct inst *in;
	const struct case_lib *lib;
	const struct run_opts *o;
	struct verdict_frame *frame;
	struct verdict_expect expect;
};
void child_main(void *job);

/* cunit.c: register the instances and run them through CUnit. */
int cunit_run(struct run *r, struct sched *s);

/* differential.c: label the FAILs of the API families (run.h). */
void differential_run(struct run *r);

/* summary.c */
void summary_print(const struct run *r, const unsigned int totals[OUT_MAX],
		   double wall_ms);

/* results.c */
void results_platform_id(const struct run *r, char *buf, size_t size);
/* --out: create DIR/<platform-id>/ and fill the paths options left
 * unset.  err: one line. */
int results_out_prepare(struct run *r, char *err, size_t errlen);
/* Can every output path (--json, --junit, --tap, --cunit-xml) be
 * created?  Checked before the first case runs.  err: one line. */
int results_out_check(const struct run_opts *o, char *err, size_t errlen);
/* The run as a results document (reports/report.h), NULL when out of
 * memory. */
struct json_t;
struct json_t *results_doc_build(const struct run *r, double wall_ms);
/* Write every output asked for; prints the reason and returns -errno on
 * failure. */
int results_write_all(const struct run *r, double wall_ms);

#endif
