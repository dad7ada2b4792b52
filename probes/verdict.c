/* SPDX-License-Identifier: MIT */
/*
 * The verdict rules (see verdict.h), first failing rule wins: its text is
 * what stderr, the table's verdict row and the JSON "reason" all show.
 */
#include "probes/verdict.h"

#include <stdio.h>

#include "util/tfo_uapi.h"
#include "util/util.h"

/* The live exchange ran in some family and worked in none. */
static bool live_failed(const struct probe_live *l)
{
	bool any_run = false;

	if (!l->ran)
		return false;
	for (int i = 0; i < LIVE_FAMILIES; i++) {
		if (l->fam[i].result == LIVE_SKIPPED)
			continue;
		any_run = true;
		if (l->fam[i].result == LIVE_WORKS)
			return false;
	}
	return any_run;
}

void probe_verdict_decide(struct probe_report *r)
{
	const struct probe_live *l = &r->priv.live;

	r->usable = false;
	r->why[0] = r->note[0] = 0;
	if (r->sysctl_err) {
		snprintf(r->why, sizeof(r->why), "cannot read net.ipv4.tcp_fastopen: %s",
			 util_errno_name(-r->sysctl_err));
		return;
	}
	if (!r->sys.bits.client) {
		snprintf(r->why, sizeof(r->why),
			 "net.ipv4.tcp_fastopen=0x%lx lacks the client bit 0x%x",
			 r->sys.tcp_fastopen, TFO_CLIENT_ENABLE);
		return;
	}
	if (!probe_cap_known(&r->kern.msg_fastopen) &&
	    !probe_cap_known(&r->kern.tcp_fastopen_connect)) {
		snprintf(r->why, sizeof(r->why),
			 "kernel offers neither MSG_FASTOPEN (%s) nor TCP_FASTOPEN_CONNECT (%s)",
			 probe_state_name(r->kern.msg_fastopen.state),
			 probe_state_name(r->kern.tcp_fastopen_connect.state));
		return;
	}
	if (r->bh.state == PROBE_BH_YES) {
		snprintf(r->why, sizeof(r->why),
			 "active TFO is switched off by blackhole detection (%s)", r->bh.why);
		return;
	}
	if (live_failed(l)) {
		snprintf(r->why, sizeof(r->why), "live probe: ipv4: %s: %s",
			 probe_live_result_name(l->fam[LIVE_IPV4].result),
			 l->fam[LIVE_IPV4].reason);
		return;
	}
	r->usable = true;
	if (r->sys.bits.client_no_cookie)
		snprintf(r->note, sizeof(r->note),
			 "0x%x sends SYN data without a cookie: servers that check cookies "
			 "(no 0x%x) ignore it and take the data after the handshake",
			 TFO_CLIENT_NO_COOKIE, TFO_SERVER_COOKIE_NOT_REQD);
}

int probe_verdict_exit_code(const struct probe_report *r)
{
	return r->usable ? PROBE_EXIT_USABLE : PROBE_EXIT_UNUSABLE;
}
