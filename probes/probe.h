/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck probe`: what a packager or CI job asks before trusting TCP Fast
 * Open on a host.  This header holds the entry point, the result states
 * every probe reports in, and the aggregate the CLI renders; each probe
 * module has its own header (sysctl.h, sockopt.h, counters.h,
 * tcp_metrics.h, isolation.h, live.h).
 *
 * The probe reports on the calling thread's network namespace and never
 * writes to it: every write (sysctls, links, listeners) happens inside
 * private namespaces that die with their fds.
 *
 * Contract (all probe modules): int functions return 0 or -errno; an
 * individual capability that cannot be established is a result state, not
 * an error.  Nothing here exits; probe_main() returns the exit code.
 */
#ifndef TFOCHECK_PROBE_H
#define TFOCHECK_PROBE_H

#include <stdbool.h>

/* Schema version of `tfocheck probe --json` (docs/probe-json.md). */
#define PROBE_JSON_SCHEMA 1

/* Exit codes (man/tfocheck-probe.1). */
#define PROBE_EXIT_USABLE 0
#define PROBE_EXIT_UNUSABLE 1
#define PROBE_EXIT_USAGE 2

enum probe_state {
	PROBE_UNKNOWN = 0,	/* could not be established */
	PROBE_SUPPORTED,	/* the kernel has it and it is in effect */
	PROBE_DISABLED,		/* the kernel has it, a sysctl turns it off */
	PROBE_MISSING,		/* the kernel (or its config) lacks it */
	PROBE_NOT_PERMITTED,	/* EPERM/EACCES: privilege, seccomp or LSM */
};

/* One capability: its state, the errno that decided it (0 if none) and a
 * short human explanation (static or filled in by the probe). */
struct probe_cap {
	enum probe_state state;
	int err;
	char detail[96];
};

/* "supported", "disabled-by-sysctl", "missing", "not-permitted", "unknown" */
const char *probe_state_name(enum probe_state s);
/* Map a probe's errno to a state: 0 supported, EPERM/EACCES not permitted,
 * ENOPROTOOPT/EAFNOSUPPORT/EPROTONOSUPPORT missing, EOPNOTSUPP disabled. */
enum probe_state probe_state_from_errno(int err);
void probe_cap_set(struct probe_cap *c, enum probe_state s, int err,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* `tfocheck probe ARGS...` (argv[0] == "probe"); returns the exit code. */
int probe_main(int argc, char **argv);

#endif
