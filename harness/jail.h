/* SPDX-License-Identifier: MIT */
/*
 * The jail every case runs in, because the library under test is
 * untrusted (docs/harness.md, "The library under test is untrusted"):
 *
 *   runner ── clone(CLONE_NEWPID) ──> init (pid 1 of a fresh PID namespace)
 *                                      └── fork ──> worker (runs the case)
 *
 * The init process does nothing but wait for the worker and record how it
 * ended in the job's verdict frame; when the worker ends, init exits and
 * the kernel kills every process left in the namespace — whatever the
 * library forked, setsid'ed or daemonized cannot outlive its case.  A
 * runner that times a job out kills init, with the same effect; a runner
 * that dies takes init along (PR_SET_PDEATHSIG).
 *
 * The worker gets resource limits (address space, descriptors, no core
 * dumps, and a pids cgroup where the kernel offers one, so a fork bomb
 * hits a wall of its own), stdin from /dev/null, stdout and stderr into a
 * capture file the runner reads afterwards, and no descriptor of the
 * runner's: only the verdict page is shared, and, where the job asks, a
 * doorbell descriptor at JAIL_WAKE_FD the worker rings when its result is
 * in the page (so the runner need not look every millisecond; a library
 * that closes or rings it can only delay or hasten the look, never change
 * what is found).  Where the run compresses
 * the kernel's timers (harness/timers.h), init also joins the run's
 * cgroup v2 directory before it forks the worker, so every socket of the
 * case is created there; a job that cannot join does not run (ERROR).
 *
 * Contract: 0 / a pid, or -errno.
 */
#ifndef TFOCHECK_JAIL_H
#define TFOCHECK_JAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "harness/verdict.h"

/* Limits of one worker (the pids limit counts threads too). */
#define JAIL_PIDS_MAX 64
#define JAIL_NOFILE 1024
#define JAIL_AS_BYTES (512ull << 20)
/* where the worker finds jail_job.wake_fd */
#define JAIL_WAKE_FD 3

/* Per-run setup: the pids cgroups for nslots job slots (none when the
 * kernel or the privileges do not allow), and the janitor process that
 * removes them even if the runner is SIGKILLed.  jail_done() removes
 * them at a normal end.  0, also degraded (jail_describe() says how). */
int jail_init(size_t nslots);
void jail_done(void);
/*
 * After jail_init(): every job from now on joins the cgroup v2 directory
 * dir as well ("" or NULL: none any more), and the janitor removes it
 * with the run's own cgroups.  The janitor is told at once, so call this
 * right after creating dir and before anything can be left in it.
 * -ECHILD when there is no janitor: then dir is not joined.
 */
int jail_cgroup_join(const char *dir);
/* "pids cgroup v1 /sys/fs/cgroup/pids/tfocheck.123" or why there is none. */
const char *jail_describe(void);

struct jail_job {
	struct verdict_frame *frame;	/* the slot's shared page */
	size_t slot;
	int out_fd;			/* worker stdout/stderr capture */
	void (*worker)(void *arg);	/* the case; returns or _exits */
	void *arg;
	bool real_timers;		/* do not join jail_cgroup_join()'s */
	int wake_fd;			/* the doorbell (an eventfd); 0: none */
};

/* How often slot's processes have been refused a fork by the pids limit
 * (cumulative), or -1 without a pids cgroup. */
long jail_pids_refused(size_t slot);

/* Start a job; the returned pid is its init process (also its process
 * group).  The frame and out_fd must be fresh. */
pid_t jail_spawn(const struct jail_job *j);

#endif
