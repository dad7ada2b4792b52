/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck run` and `tfocheck list`: expanding case rows into instances,
 * running each in a forked child with a per-case timeout, -j parallelism,
 * --filter, --repeat, the differential verdict, the summary and the
 * results files.  The modules behind it are listed in run_int.h.
 *
 * Exit codes (documented in docs/harness.md and tfocheck(1)):
 *   0  no case FAILed, ERRORed, CRASHed or TIMED OUT
 *   1  at least one did
 *   2  usage error
 *   77 nothing could run (no privileges for namespaces, or all skipped)
 *   99 harness error (library cannot be loaded or lacks symbols, ...)
 *   130 interrupted (SIGINT/SIGTERM); what finished is still reported
 */
#ifndef TFOCHECK_RUN_H
#define TFOCHECK_RUN_H

#define EXIT_USAGE 2
#define EXIT_NOTHING_RAN 77
#define EXIT_HARNESS 99
#define EXIT_INTERRUPTED 130

#include <stdbool.h>
#include <stddef.h>

int run_main(int argc, char **argv);
int list_main(int argc, char **argv);

/* Shared by the subcommands that run libraries (run, fuzz, repro). */
/* A private network namespace for the runner: as root by unshare(2),
 * otherwise in a user namespace where we are root.  0, or -errno with
 * why saying what to do. */
int run_isolate(char *why, size_t whylen);
/* SIGINT/SIGTERM set a flag sched_interrupted() tells (harness/sched.c;
 * SIGPIPE ignored): what runs is ended, what ended is still reported. */
void sched_catch_signals(void);
bool sched_interrupted(void);
/* The directory build/tfocheck lives in (libload finds libtfo there). */
const char *run_exe_dir(void);
/* "os-release-arch-LIB": lower case, [a-z0-9._-]; LIB is the alias, else
 * the file name of lib_path, else "nolib" (lib_path NULL). */
void run_platform_id(const char *lib_alias, const char *lib_path, char *buf,
		     size_t size);

struct case_lib;
#define RUN_REPRO_PATH 512
/*
 * Reproducers beside the pcaps: after a run that keeps evidence, the
 * hook gets the names of the FAILed instances of lib and writes, into
 * dir, a reproducer for each one it can express, putting the script's
 * path into paths[i] (left "" otherwise); jobs as -j.  The top
 * (harness/main.c) sets fuzz's, so that harness/ needs nothing above it;
 * without a hook there are none.
 */
typedef void (*run_repro_hook)(const struct case_lib *lib, const char *dir,
			       const char *const *names,
			       char (*paths)[RUN_REPRO_PATH], size_t n,
			       int jobs);
void run_set_repro_hook(run_repro_hook hook);

#endif
