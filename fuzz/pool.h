/* SPDX-License-Identifier: MIT */
/*
 * Running scenarios in parallel, each run in its own case jail
 * (harness/jail.h) exactly as the case runner does (harness/sched.c's
 * pattern): a PID namespace whose init dies with us, resource limits, a
 * pidfd to wait on, a deadline after which the whole jail is killed.
 * The observation comes back in a shared page per slot, framed and
 * validated like a case verdict (harness/verdict.h): a library that
 * crashes, exits, hangs or scribbles gives an observation that says so.
 *
 * Up to `jobs` quick runs at once, plus `slow` slots for runs that mostly
 * wait on kernel timers (fz_is_slow()).  Streaming: submit while a slot
 * of the job's kind is free, wait for whichever ends first.
 *
 * Contract: 0 or -errno; nothing here exits.
 */
#ifndef TFOCHECK_FUZZ_POOL_H
#define TFOCHECK_FUZZ_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "fuzz/play.h"

struct case_lib;

struct fz_job {
	struct fz_scn scn;
	const struct case_lib *lib;
	const char *pcap;	/* keep the capture there, or NULL */
	bool slow;		/* fz_is_slow(&scn), set by submit */
	bool real_timers;	/* the kernel's own RTO, not the run's */
	void *user;		/* the caller's */
	int tag;
	/* out */
	struct fz_obs obs;
	double ms;
};

struct fz_pool;

/* The jail's per-slot setup is done here (jail_init). */
struct fz_pool *fz_pool_new(int jobs, int slow, int timeout_ms);
void fz_pool_free(struct fz_pool *p);

bool fz_pool_has_slot(const struct fz_pool *p, bool slow);
size_t fz_pool_busy(const struct fz_pool *p);
/* Start j (it must stay valid until fz_pool_wait returns it); -EBUSY
 * when no slot of its kind is free. */
int fz_pool_submit(struct fz_pool *p, struct fz_job *j);
/* The next job that ended (its obs filled in), or NULL when none is in
 * flight. */
struct fz_job *fz_pool_wait(struct fz_pool *p);
/* All n jobs, to the end. */
void fz_pool_run(struct fz_pool *p, struct fz_job *const *jobs, size_t n);

#endif
