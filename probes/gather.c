/* SPDX-License-Identifier: MIT */
/*
 * Gathering the probe report (see gather.h): each probe module in the
 * order "read the caller's namespace, then work in private namespaces",
 * and the conclusions that need two modules' answers (the blackhole state
 * from sysctls, counters and a socket probe; tcpi_fastopen_client_fail
 * from the live probe).
 */
#include "probes/gather.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util/util.h"

const char *probe_bh_name(enum probe_bh b)
{
	static const char *const n[] = { "unknown", "no", "yes", "n/a" };

	return (unsigned int)b < ARRAY_SIZE(n) ? n[b] : "unknown";
}

static int tcpm_collect(const struct tcpm_entry *e, void *arg)
{
	struct probe_tcpm *t = arg;

	t->total++;
	if (e->cookie_len)
		t->cookies++;
	if (t->kept < PROBE_TCPM_MAX)
		t->ent[t->kept++] = *e;
	return 0;
}

static void gather_tcpm(struct probe_tcpm *t)
{
	int ret = tcpm_family_id(-1, &t->id);

	if (ret == 0)
		ret = tcpm_dump(-1, tcpm_collect, t);
	if (ret == 0)
		probe_cap_set(&t->cap, PROBE_SUPPORTED, 0, "genetlink family id %u", t->id);
	else if (ret == -ENOENT)
		probe_cap_set(&t->cap, PROBE_MISSING, -ret,
			      "no \"tcp_metrics\" genetlink family");
	else
		probe_cap_set(&t->cap, probe_state_from_errno(-ret) == PROBE_NOT_PERMITTED ?
				  PROBE_NOT_PERMITTED : PROBE_UNKNOWN,
			      -ret, "%s", util_errno_name(-ret));
}

static void gather_blackhole(struct probe_report *r)
{
	struct probe_blackhole *b = &r->bh;
	uint64_t events;
	bool disabled;
	int ret;

	if (r->sysctl_err || !r->sys.bits.client) {
		b->state = PROBE_BH_NA;
		snprintf(b->why, sizeof(b->why), "client TFO is off");
	} else if (!r->sys.have_blackhole) {
		snprintf(b->why, sizeof(b->why), "timeout sysctl unreadable");
	} else if (r->sys.blackhole_timeout_sec == 0) {
		/* tcp_fastopen_active_should_disable() returns false at once */
		b->state = PROBE_BH_NO;
		snprintf(b->why, sizeof(b->why), "detection off (timeout 0)");
	} else if (probe_counters_get(&r->counters, "TCPFastOpenBlackhole", &events) < 0) {
		snprintf(b->why, sizeof(b->why), "no TCPFastOpenBlackhole counter");
	} else if (events == 0) {
		b->state = PROBE_BH_NO;
		snprintf(b->why, sizeof(b->why), "no blackhole event in this namespace");
	} else if ((ret = probe_sockopt_blackhole(-1, &disabled)) == 0) {
		b->state = disabled ? PROBE_BH_YES : PROBE_BH_NO;
		snprintf(b->why, sizeof(b->why),
			 "%llu event(s); the kernel %s a deferred TFO connect",
			 (unsigned long long)events, disabled ? "refused" : "allowed");
	} else {
		/* the kernel doubles the timeout per event, up to 2^6 */
		snprintf(b->why, sizeof(b->why),
			 "%llu event(s), check failed: %s; may be off for up to %lld s",
			 (unsigned long long)events, util_errno_name(-ret),
			 (long long)r->sys.blackhole_timeout_sec *
				 (1LL << (events - 1 < 6 ? events - 1 : 6)));
	}
}

static int run_private(void *buf)
{
	struct probe_private *p = buf;

	probe_isolation_private(&p->iso);
	if (p->run_live)
		p->live_ret = probe_live_run(p->client_tfo, &p->live);
	return 0;
}

static void gather_private(struct probe_report *r, bool live)
{
	struct probe_private *p = &r->priv;
	int ret;

	p->run_live = live && !r->sysctl_err;
	p->client_tfo = r->sys.tcp_fastopen;
	if (p->iso.netns.state == PROBE_SUPPORTED) {
		r->priv_via = "root";
		run_private(p);
	} else if (p->iso.userns.state == PROBE_SUPPORTED) {
		r->priv_via = "user namespace";
		ret = probe_isolation_in_userns(run_private, p, sizeof(*p));
		if (ret < 0) {
			r->priv_via = NULL;
			snprintf(r->live_skip, sizeof(r->live_skip),
				 "skipped: user namespace setup failed: %s",
				 util_errno_name(-ret));
		}
	}
	if (!r->priv_via) {
		if (!r->live_skip[0])
			snprintf(r->live_skip, sizeof(r->live_skip),
				 "skipped: needs CAP_NET_ADMIN or user namespaces");
		probe_cap_set(&p->iso.veth, PROBE_NOT_PERMITTED, EPERM,
			      "needs a private network namespace");
		p->iso.nftables = p->iso.af_packet = p->iso.veth;
		p->live.ran = false;
	} else if (!live) {
		snprintf(r->live_skip, sizeof(r->live_skip), "skipped: --no-live");
	} else if (p->live_ret < 0) {
		snprintf(r->live_skip, sizeof(r->live_skip),
			 "error: private namespace pair: %s", util_errno_name(-p->live_ret));
	}
}

/* What the live probe proved about tcpi_fastopen_client_fail: a cookie-less
 * first TFO connection must report COOKIE_UNAVAILABLE on a kernel that
 * fills the field (5.5+, 5.4.y backport).  A no-cookie client (0x4) never
 * lacks a cookie, so its connections cannot tell. */
static void settle_fo_fail(struct probe_report *r)
{
	struct probe_cap *c = &r->kern.tcpi_fastopen_client_fail;
	const struct probe_live *l = &r->priv.live;

	if (!l->ran)
		return;
	for (int i = 0; i < LIVE_FAMILIES; i++) {
		const struct probe_live_conn *c1 = &l->fam[i].conn[0];

		if (c1->err || l->fam[i].result == LIVE_NOT_RUN ||
		    l->fam[i].result == LIVE_SKIPPED)
			continue;
		if (c1->fo_fail) {
			probe_cap_set(c, PROBE_SUPPORTED, 0, "live probe saw %s",
				      probe_live_fo_fail_name(c1->fo_fail));
			return;
		}
		if (r->sys.bits.client && !r->sys.bits.client_no_cookie) {
			probe_cap_set(c, PROBE_MISSING, 0,
				      "cookie-less TFO connect left it 0");
			return;
		}
		if (r->sys.bits.client_no_cookie) {
			probe_cap_set(c, PROBE_UNKNOWN, 0,
				      "0x4: the live probe never lacked a cookie");
			return;
		}
	}
}

void probe_gather(struct probe_report *r, bool live)
{
	struct stat st;

	memset(r, 0, sizeof(*r));
	uname(&r->uts);
	if (stat("/proc/thread-self/ns/net", &st) == 0)
		r->netns_ino = st.st_ino;

	/* the caller's namespace, read-only, before anything else runs */
	r->sysctl_err = probe_sysctl_read(-1, &r->sys);
	r->counters_err = probe_counters_read(-1, &r->counters);
	gather_tcpm(&r->tcpm);
	probe_sockopt_run(-1, &r->sys, &r->kern);
	gather_blackhole(r);

	/* cannot fail: each namespace it cannot create is a state */
	probe_isolation_namespaces(&r->priv.iso);
	gather_private(r, live);
	settle_fo_fail(r);
}
