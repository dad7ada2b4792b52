/* SPDX-License-Identifier: MIT */
/*
 * The report as C preprocessor lines for a build system (see render.h):
 * HAVE_TFO_<feature> is defined when the kernel has the feature, even if a
 * sysctl turns it off, because a sysctl is run-time policy, not a build
 * fact; the policy has its own macros (CLIENT_ENABLED, LIVE_*,
 * CLIENT_USABLE).  What is not defined says why in a comment.
 */
#include "probes/render.h"

static void macro(FILE *f, const char *name, bool on, const char *why)
{
	if (on)
		fprintf(f, "#define HAVE_TFO_%s 1\n", name);
	else
		fprintf(f, "/* HAVE_TFO_%s is not set (%s) */\n", name, why);
}

static void macro_cap(FILE *f, const char *name, const struct probe_cap *c)
{
	macro(f, name, probe_cap_known(c), probe_state_name(c->state));
}

static void macro_live(FILE *f, const char *name, const struct probe_live *l, int fam)
{
	macro(f, name, l->ran && l->fam[fam].result == LIVE_WORKS,
	      l->ran ? probe_live_result_name(l->fam[fam].result) : "not run");
}

void probe_render_macros(FILE *f, const struct probe_report *r)
{
	const struct probe_kernel *k = &r->kern;
	bool sys = !r->sysctl_err;

	fprintf(f, "/* tfocheck probe (schema %d): kernel %s %s */\n", PROBE_JSON_SCHEMA,
		r->uts.release, r->uts.machine);
	macro_cap(f, "MSG_FASTOPEN", &k->msg_fastopen);
	macro_cap(f, "TCP_FASTOPEN", &k->tcp_fastopen);
	macro_cap(f, "TCP_FASTOPEN_CONNECT", &k->tcp_fastopen_connect);
	macro_cap(f, "TCP_FASTOPEN_KEY", &k->tcp_fastopen_key);
	macro_cap(f, "TCP_FASTOPEN_NO_COOKIE", &k->tcp_fastopen_no_cookie);
	macro_cap(f, "TCPI_FASTOPEN_CLIENT_FAIL", &k->tcpi_fastopen_client_fail);
	/* IPv6 disabled by sysctl cannot be used at all, unlike a TFO option */
	macro(f, "IPV6", k->ipv6.state == PROBE_SUPPORTED, probe_state_name(k->ipv6.state));
	macro(f, "CLIENT_ENABLED", sys && r->sys.bits.client, "sysctl");
	macro(f, "SERVER_ENABLED", sys && (r->sys.bits.server || r->sys.bits.server_wo_sockopt),
	      "sysctl");
	macro_live(f, "LIVE_IPV4", &r->priv.live, LIVE_IPV4);
	macro_live(f, "LIVE_IPV6", &r->priv.live, LIVE_IPV6);
	macro(f, "CLIENT_USABLE", r->usable, "see tfocheck probe");
	if (r->note[0])
		fprintf(f, "/* note: %s */\n", r->note);
	if (sys)
		fprintf(f, "#define TFO_SYSCTL_TCP_FASTOPEN 0x%lx\n", r->sys.tcp_fastopen);
}
