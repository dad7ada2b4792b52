/* SPDX-License-Identifier: MIT */
/*
 * The capability vocabulary (see cap.h): names and the errno mapping that
 * every probe shares, so "missing" means the same thing in every row.
 */
#include "probes/cap.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

const char *probe_state_name(enum probe_state s)
{
	switch (s) {
	case PROBE_SUPPORTED:
		return "supported";
	case PROBE_DISABLED:
		return "disabled-by-sysctl";
	case PROBE_MISSING:
		return "missing";
	case PROBE_NOT_PERMITTED:
		return "not-permitted";
	default:
		return "unknown";
	}
}

enum probe_state probe_state_from_errno(int err)
{
	switch (err) {
	case 0:
		return PROBE_SUPPORTED;
	case EPERM:
	case EACCES:
		return PROBE_NOT_PERMITTED;
	case ENOPROTOOPT:
	case EAFNOSUPPORT:
	case EPROTONOSUPPORT:
	case ESOCKTNOSUPPORT:
		return PROBE_MISSING;
	case EOPNOTSUPP:
		return PROBE_DISABLED;
	default:
		return PROBE_UNKNOWN;
	}
}

void probe_cap_set(struct probe_cap *c, enum probe_state s, int err,
		   const char *fmt, ...)
{
	va_list ap;

	c->state = s;
	c->err = err;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
}

bool probe_cap_known(const struct probe_cap *c)
{
	return c->state == PROBE_SUPPORTED || c->state == PROBE_DISABLED;
}
