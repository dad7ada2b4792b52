/* SPDX-License-Identifier: MIT */
/*
 * The capability vocabulary every probe module reports in: a state, the
 * errno that decided it and a short human explanation.  It is the bottom
 * of probes/: it includes nothing of the project and calls nothing above
 * it, so every probe module and every renderer can use it.
 *
 * Contract (all probe modules): int functions return 0 or -errno; an
 * individual capability that cannot be established is a state here, not
 * an error.  The errno kept in struct probe_cap is an observation (the
 * positive value a call left in errno), not a return code.
 */
#ifndef TFOCHECK_PROBES_CAP_H
#define TFOCHECK_PROBES_CAP_H

#include <stdbool.h>

enum probe_state {
	PROBE_UNKNOWN = 0,	/* could not be established */
	PROBE_SUPPORTED,	/* the kernel has it and it is in effect */
	PROBE_DISABLED,		/* the kernel has it, a sysctl turns it off */
	PROBE_MISSING,		/* the kernel (or its config) lacks it */
	PROBE_NOT_PERMITTED,	/* EPERM/EACCES: privilege, seccomp or LSM */
};

struct probe_cap {
	enum probe_state state;
	int err;		/* errno that decided the state; 0 if none */
	char detail[96];
};

/* "supported", "disabled-by-sysctl", "missing", "not-permitted", "unknown" */
const char *probe_state_name(enum probe_state s);
/* Map an observed errno to a state: 0 supported, EPERM/EACCES not
 * permitted, ENOPROTOOPT/EAFNOSUPPORT/EPROTONOSUPPORT/ESOCKTNOSUPPORT
 * missing, EOPNOTSUPP disabled, anything else unknown. */
enum probe_state probe_state_from_errno(int err);
void probe_cap_set(struct probe_cap *c, enum probe_state s, int err,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The kernel has it, whether or not a sysctl currently turns it off. */
bool probe_cap_known(const struct probe_cap *c);

#endif
