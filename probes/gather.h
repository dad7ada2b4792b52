/* SPDX-License-Identifier: MIT */
/*
 * The probe report: every probe module's answer about one network
 * namespace, gathered into one plain-data struct that the verdict
 * (verdict.h) and the renderers (render.h) read and never re-probe.
 *
 * Ordering matters for "never change host state": the reads of the
 * caller's namespace happen first, before anything else could disturb its
 * counters; everything that writes runs in private namespaces, in-process
 * when we may create them, else in a forked child that is root of its own
 * user namespace (isolation.h).
 *
 * Contract: see probes/cap.h.  Gathering as a whole cannot fail: what
 * cannot be established is recorded as a state or an error field.
 */
#ifndef TFOCHECK_PROBES_GATHER_H
#define TFOCHECK_PROBES_GATHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/utsname.h>

#include "probes/cap.h"
#include "probes/counters.h"
#include "probes/isolation.h"
#include "probes/live.h"
#include "probes/sockopt.h"
#include "probes/sysctl.h"
#include "probes/tcp_metrics.h"

#define PROBE_TCPM_MAX 64	/* destinations kept for --verbose */

/* Has blackhole detection switched active TFO off in this namespace? */
enum probe_bh {
	PROBE_BH_UNKNOWN,
	PROBE_BH_NO,
	PROBE_BH_YES,
	PROBE_BH_NA,		/* client TFO is off: nothing to switch off */
};

/* "unknown", "no", "yes", "n/a" */
const char *probe_bh_name(enum probe_bh b);

struct probe_tcpm {
	struct probe_cap cap;	/* the tcp_metrics genetlink family */
	uint16_t id;
	size_t total, cookies;	/* cached destinations, those with a cookie */
	size_t kept;
	struct tcpm_entry ent[PROBE_TCPM_MAX];
};

struct probe_blackhole {
	enum probe_bh state;
	char why[128];
};

/* What needs private namespaces, computed in-process or in the user
 * namespace child and copied back: plain data only. */
struct probe_private {
	struct probe_isolation iso;
	struct probe_live live;
	int live_ret;
	bool run_live;
	long client_tfo;
};

struct probe_report {
	struct utsname uts;
	unsigned long long netns_ino;
	int sysctl_err;			/* -errno: tcp_fastopen unreadable */
	struct probe_sysctl sys;
	struct probe_kernel kern;
	struct probe_tcpm tcpm;
	int counters_err;		/* -errno: /proc/net/netstat */
	struct probe_counters counters;
	struct probe_blackhole bh;
	struct probe_private priv;
	const char *priv_via;		/* "root", "user namespace"; NULL: none */
	char live_skip[96];		/* why the live probe did not run */
	/* filled in by probe_verdict_decide() */
	bool usable;
	char why[256];			/* not usable: the reason */
	char note[160];			/* usable, with a caveat */
};

/* Probe the calling thread's network namespace into *r (zeroed first);
 * live: run the live exchange. */
void probe_gather(struct probe_report *r, bool live);

#endif
