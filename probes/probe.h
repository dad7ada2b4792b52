/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck probe`: what a packager or CI job asks before trusting TCP Fast
 * Open on a host.  This header is the entry point the tfocheck binary
 * calls (probes/cli.c).  Inside probes/, from the bottom up: cap.h (the
 * capability vocabulary), the probe modules (sysctl.h, sockopt.h,
 * counters.h, tcp_metrics.h, isolation.h, live.h), gather.h (one report
 * from all of them), verdict.h (usable or not) and render.h (table, JSON,
 * macros).
 *
 * The probe reports on the calling thread's network namespace and never
 * writes to it: every write (sysctls, links, listeners) happens inside
 * private namespaces that die with their fds.
 *
 * Contract: nothing here exits; probe_main() returns the exit code.
 */
#ifndef TFOCHECK_PROBE_H
#define TFOCHECK_PROBE_H

/* Exit code of a usage error; the verdict's codes are in verdict.h. */
#define PROBE_EXIT_USAGE 2

/* `tfocheck probe ARGS...` (argv[0] == "probe"); returns the exit code. */
int probe_main(int argc, char **argv);

#endif
