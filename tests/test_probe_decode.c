/* SPDX-License-Identifier: MIT */
/*
 * Pure-function tests for the probe: the net.ipv4.tcp_fastopen decoder
 * (every known bit alone, combinations, unknown bits), the key classifier
 * (never needs the key's value, only zero/non-zero), and the
 * /proc/net/netstat parser fed crafted text — missing counters, columns
 * that do not pair up, garbage values — and the verdict and the three
 * renderers on reports built by hand.  No root needed.
 */
#include "tests/testlib.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/cap.h"
#include "probes/counters.h"
#include "probes/gather.h"
#include "probes/render.h"
#include "probes/sysctl.h"
#include "probes/verdict.h"

static void test_decode_bits(void)
{
	static const struct {
		long v;
		bool client, server, nocookie, notreqd, wosockopt;
		long unknown;
	} rows[] = {
		{ 0x0, 0, 0, 0, 0, 0, 0 },
		{ 0x1, 1, 0, 0, 0, 0, 0 },
		{ 0x2, 0, 1, 0, 0, 0, 0 },
		{ 0x3, 1, 1, 0, 0, 0, 0 },
		{ 0x4, 0, 0, 1, 0, 0, 0 },
		{ 0x5, 1, 0, 1, 0, 0, 0 },
		{ 0x200, 0, 0, 0, 1, 0, 0 },
		{ 0x203, 1, 1, 0, 1, 0, 0 },
		{ 0x400, 0, 0, 0, 0, 1, 0 },
		{ 0x403, 1, 1, 0, 0, 1, 0 },
		{ 0x607, 1, 1, 1, 1, 1, 0 },
		{ 0x8, 0, 0, 0, 0, 0, 0x8 },
		{ 0x800, 0, 0, 0, 0, 0, 0x800 },	/* old WO_SOCKOPT2 */
		{ 0x8001, 1, 0, 0, 0, 0, 0x8000 },
		{ -1, 1, 1, 1, 1, 1, ~0x607L },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct probe_tfo_bits b;

		probe_sysctl_decode(rows[i].v, &b);
		CU_ASSERT_EQUAL(b.client, rows[i].client);
		CU_ASSERT_EQUAL(b.server, rows[i].server);
		CU_ASSERT_EQUAL(b.client_no_cookie, rows[i].nocookie);
		CU_ASSERT_EQUAL(b.server_cookie_not_reqd, rows[i].notreqd);
		CU_ASSERT_EQUAL(b.server_wo_sockopt, rows[i].wosockopt);
		CU_ASSERT_EQUAL(b.unknown, rows[i].unknown);
	}
}

static void test_key_classify(void)
{
	CU_ASSERT_EQUAL(probe_sysctl_key_classify("00000000-00000000-00000000-00000000\n"),
			PROBE_KEY_UNSET);
	CU_ASSERT_EQUAL(probe_sysctl_key_classify("00000000-00000000-00000000-00000000,"
						  "00000000-00000000-00000000-00000000\n"),
			PROBE_KEY_UNSET);
	CU_ASSERT_EQUAL(probe_sysctl_key_classify("00000000-00000000-00000000-0000a000\n"),
			PROBE_KEY_SET);
	CU_ASSERT_EQUAL(probe_sysctl_key_classify("00000000-00000000-00000000-00000000,"
						  "10000000-00000000-00000000-00000000"),
			PROBE_KEY_SET);
	CU_ASSERT_EQUAL(probe_sysctl_key_classify(""), PROBE_KEY_UNKNOWN);
	CU_ASSERT_EQUAL(probe_sysctl_key_classify("garbage"), PROBE_KEY_UNKNOWN);
}

static void test_state_from_errno(void)
{
	CU_ASSERT_EQUAL(probe_state_from_errno(0), PROBE_SUPPORTED);
	CU_ASSERT_EQUAL(probe_state_from_errno(ENOPROTOOPT), PROBE_MISSING);
	CU_ASSERT_EQUAL(probe_state_from_errno(EOPNOTSUPP), PROBE_DISABLED);
	CU_ASSERT_EQUAL(probe_state_from_errno(EPERM), PROBE_NOT_PERMITTED);
	CU_ASSERT_EQUAL(probe_state_from_errno(EACCES), PROBE_NOT_PERMITTED);
	CU_ASSERT_EQUAL(probe_state_from_errno(EIO), PROBE_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(probe_state_name(PROBE_DISABLED), "disabled-by-sysctl");
}

#define NETSTAT_OK                                                            \
	"TcpExt: SyncookiesSent TCPFastOpenActive TCPFastOpenActiveFail "     \
	"TCPFastOpenPassive TCPFastOpenPassiveFail TCPFastOpenListenOverflow " \
	"TCPFastOpenCookieReqd TCPFastOpenBlackhole TCPFastOpenPassiveAltKey " \
	"TCPFastOpenFuture\n"                                                  \
	"TcpExt: 7 1 2 3 4 5 6 7 8 18446744073709551615\n"                     \
	"IpExt: InNoRoutes TCPFastOpenActive\n"                                \
	"IpExt: 9 999\n"

static void test_counters_parse(void)
{
	struct probe_counters c;
	uint64_t v;

	CU_ASSERT_EQUAL(probe_counters_parse(NETSTAT_OK, &c), 0);
	CU_ASSERT_EQUAL(c.n, 9);	/* SyncookiesSent is not a TFO counter */
	CU_ASSERT_EQUAL(probe_counters_get(&c, "TCPFastOpenActive", &v), 0);
	CU_ASSERT_EQUAL(v, 1);		/* from TcpExt, not the IpExt decoy */
	CU_ASSERT_EQUAL(probe_counters_get(&c, "TCPFastOpenActiveFail", &v), 0);
	CU_ASSERT_EQUAL(v, 2);
	CU_ASSERT_EQUAL(probe_counters_get(&c, "TCPFastOpenBlackhole", &v), 0);
	CU_ASSERT_EQUAL(v, 7);
	CU_ASSERT_EQUAL(probe_counters_get(&c, "TCPFastOpenPassiveAltKey", &v), 0);
	CU_ASSERT_EQUAL(v, 8);
	/* unknown-to-us TFO counters are kept, full 64-bit range */
	CU_ASSERT_EQUAL(probe_counters_get(&c, "TCPFastOpenFuture", &v), 0);
	CU_ASSERT_EQUAL(v, UINT64_MAX);
	CU_ASSERT_EQUAL(probe_counters_get(&c, "SyncookiesSent", &v), -ENOENT);
}

static void test_counters_missing(void)
{
	struct probe_counters c;
	uint64_t v = 42;

	/* an old kernel: no Blackhole, no AltKey */
	CU_ASSERT_EQUAL(probe_counters_parse("TcpExt: TCPFastOpenActive TCPFastOpenPassive\n"
					     "TcpExt: 10 20\n", &c), 0);
	CU_ASSERT_EQUAL(c.n, 2);
	CU_ASSERT_EQUAL(probe_counters_get(&c, "TCPFastOpenBlackhole", &v), -ENOENT);
	CU_ASSERT_EQUAL(v, 42);	/* untouched: absent is not zero */
	/* no TcpExt at all */
	CU_ASSERT_EQUAL(probe_counters_parse("IpExt: A\nIpExt: 1\n", &c), -ENOENT);
	CU_ASSERT_EQUAL(probe_counters_parse("", &c), -ENOENT);
	/* TcpExt without TFO counters parses to an empty set */
	CU_ASSERT_EQUAL(probe_counters_parse("TcpExt: A B\nTcpExt: 1 2\n", &c), 0);
	CU_ASSERT_EQUAL(c.n, 0);
	/* no trailing newline */
	CU_ASSERT_EQUAL(probe_counters_parse("TcpExt: TCPFastOpenActive\nTcpExt: 5", &c), 0);
	CU_ASSERT_EQUAL(probe_counters_get(&c, "TCPFastOpenActive", &v), 0);
	CU_ASSERT_EQUAL(v, 5);
}

static void test_counters_garbage(void)
{
	struct probe_counters c;

	/* header without values */
	CU_ASSERT_EQUAL(probe_counters_parse("TcpExt: TCPFastOpenActive\n", &c), -EBADMSG);
	/* more names than values, and the other way round */
	CU_ASSERT_EQUAL(probe_counters_parse("TcpExt: TCPFastOpenActive TCPFastOpenPassive\n"
					     "TcpExt: 1\n", &c), -EBADMSG);
	CU_ASSERT_EQUAL(probe_counters_parse("TcpExt: TCPFastOpenActive\nTcpExt: 1 2\n", &c),
			-EBADMSG);
	/* non-numeric, negative, overflowing */
	CU_ASSERT_EQUAL(probe_counters_parse("TcpExt: TCPFastOpenActive\nTcpExt: x1\n", &c),
			-EBADMSG);
	CU_ASSERT_EQUAL(probe_counters_parse("TcpExt: TCPFastOpenActive\nTcpExt: -1\n", &c),
			-EBADMSG);
	CU_ASSERT_EQUAL(probe_counters_parse("TcpExt: TCPFastOpenActive\n"
					     "TcpExt: 99999999999999999999999\n", &c), -EBADMSG);
	/* binary junk */
	CU_ASSERT_EQUAL(probe_counters_parse("\x01\x02TcpExt\xff\n", &c), -ENOENT);
}

static void test_counters_delta(void)
{
	struct probe_counters a, b, d;
	uint64_t v;

	probe_counters_parse("TcpExt: TCPFastOpenActive TCPFastOpenActiveFail\nTcpExt: 3 1\n", &a);
	probe_counters_parse("TcpExt: TCPFastOpenActive TCPFastOpenActiveFail TCPFastOpenX\n"
			     "TcpExt: 5 1 4\n", &b);
	probe_counters_delta(&a, &b, &d);
	CU_ASSERT_EQUAL(probe_counters_get(&d, "TCPFastOpenActive", &v), 0);
	CU_ASSERT_EQUAL(v, 2);
	CU_ASSERT_EQUAL(probe_counters_get(&d, "TCPFastOpenActiveFail", &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(probe_counters_get(&d, "TCPFastOpenX", &v), 0);
	CU_ASSERT_EQUAL(v, 4);
}

/* A report as a healthy host at tcp_fastopen = v would gather it, the
 * live probe run with the given result in both families. */
static struct probe_report *report_new(long v, enum probe_live_result live)
{
	struct probe_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->sys.have_tfo = true;
	r->sys.tcp_fastopen = v;
	probe_sysctl_decode(v, &r->sys.bits);
	probe_cap_set(&r->kern.msg_fastopen, v & 1 ? PROBE_SUPPORTED : PROBE_DISABLED, 0, "x");
	r->kern.tcp_fastopen_connect = r->kern.msg_fastopen;
	r->bh.state = v & 1 ? PROBE_BH_NO : PROBE_BH_NA;
	r->priv_via = "root";
	r->priv.live.ran = live != LIVE_NOT_RUN;
	for (int i = 0; i < LIVE_FAMILIES; i++) {
		r->priv.live.fam[i].result = live;
		snprintf(r->priv.live.fam[i].reason, sizeof(r->priv.live.fam[i].reason),
			 "family %d", i);
	}
	return r;
}

static void test_verdict_rules(void)
{
	static const struct {
		long v;
		enum probe_live_result live;
		bool usable;
		const char *why;	/* or the start of the note when usable */
	} rows[] = {
		{ 0x0, LIVE_CLIENT_DISABLED, false,
		  "net.ipv4.tcp_fastopen=0x0 lacks the client bit 0x1" },
		{ 0x2, LIVE_CLIENT_DISABLED, false,
		  "net.ipv4.tcp_fastopen=0x2 lacks the client bit 0x1" },
		{ 0x4, LIVE_CLIENT_DISABLED, false,
		  "net.ipv4.tcp_fastopen=0x4 lacks the client bit 0x1" },
		{ 0x1, LIVE_WORKS, true, "" },
		{ 0x3, LIVE_WORKS, true, "" },
		{ 0x203, LIVE_WORKS, true, "" },
		{ 0x403, LIVE_WORKS, true, "" },
		{ 0x5, LIVE_WORKS, true, "0x4 sends SYN data without a cookie: servers that "
		  "check cookies (no 0x200) ignore it and take the data after the handshake" },
		{ 0x405, LIVE_WORKS, true, "0x4 sends SYN data without a cookie" },
		{ 0x1, LIVE_FAILED, false, "live probe: ipv4: failed: family 0" },
		{ 0x5, LIVE_FAILED, false, "live probe: ipv4: failed: family 0" },
		{ 0x1, LIVE_ERROR, false, "live probe: ipv4: error: family 0" },
		/* nothing could run: no evidence against the client */
		{ 0x1, LIVE_SKIPPED, true, "" },
		{ 0x1, LIVE_NOT_RUN, true, "" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct probe_report *r = report_new(rows[i].v, rows[i].live);
		const char *text;

		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		probe_verdict_decide(r);
		text = rows[i].usable ? r->note : r->why;
		if (r->usable != rows[i].usable ||
		    strncmp(text, rows[i].why, strlen(rows[i].why)) ||
		    (!rows[i].why[0] && text[0]))
			fprintf(stderr, "\n    0x%lx live %s: usable %d \"%s\", want %d \"%s\"",
				rows[i].v, probe_live_result_name(rows[i].live), r->usable,
				text, rows[i].usable, rows[i].why);
		CU_ASSERT_EQUAL(r->usable, rows[i].usable);
		CU_ASSERT_EQUAL(strncmp(text, rows[i].why, strlen(rows[i].why)), 0);
		CU_ASSERT(rows[i].why[0] || !text[0]);
		CU_ASSERT_EQUAL(probe_verdict_exit_code(r), rows[i].usable ? 0 : 1);
		/* a usable client has no reason, an unusable one no note */
		CU_ASSERT_STRING_EQUAL(rows[i].usable ? r->why : r->note, "");
		free(r);
	}
}

static void test_verdict_kernel_and_blackhole(void)
{
	struct probe_report *r = report_new(0x1, LIVE_WORKS);

	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	/* one of the two client APIs is enough */
	probe_cap_set(&r->kern.msg_fastopen, PROBE_MISSING, EPIPE, "x");
	probe_verdict_decide(r);
	CU_ASSERT_TRUE(r->usable);
	probe_cap_set(&r->kern.tcp_fastopen_connect, PROBE_MISSING, ENOPROTOOPT, "x");
	probe_verdict_decide(r);
	CU_ASSERT_FALSE(r->usable);
	CU_ASSERT_STRING_EQUAL(r->why, "kernel offers neither MSG_FASTOPEN (missing) "
				       "nor TCP_FASTOPEN_CONNECT (missing)");
	free(r);

	r = report_new(0x1, LIVE_WORKS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	r->bh.state = PROBE_BH_YES;
	snprintf(r->bh.why, sizeof(r->bh.why), "2 event(s)");
	probe_verdict_decide(r);
	CU_ASSERT_FALSE(r->usable);
	CU_ASSERT_STRING_EQUAL(r->why,
			       "active TFO is switched off by blackhole detection (2 event(s))");
	r->sysctl_err = -EACCES;
	probe_verdict_decide(r);
	CU_ASSERT_STRING_EQUAL(r->why, "cannot read net.ipv4.tcp_fastopen: EACCES");
	free(r);
}

/* Render into a string. */
static char *render(const struct probe_report *r, int form, bool verbose)
{
	const struct probe_render_opts o = { .verbose = verbose };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (form == 0) {
		probe_render_text(f, r, &o);
	} else if (form == 1) {
		CU_ASSERT_EQUAL(probe_render_json(f, r, &o), 0);
	} else {
		probe_render_macros(f, r);
	}
	fclose(f);
	return buf;
}

/* The three renderers show the same note and the same way to private
 * namespaces, and the table names the sysctl bits as the kernel does. */
static void test_render_agree(void)
{
	static const char *const via[] = { "user namespace", NULL };

	for (size_t k = 0; k < 2; k++) {
		struct probe_report *r = report_new(0x405, LIVE_WORKS);
		char *text, *json, *macros, line[256];
		json_t *j;

		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		r->priv_via = via[k];
		snprintf(r->live_skip, sizeof(r->live_skip), "skipped: needs CAP_NET_ADMIN");
		probe_cap_set(&r->priv.iso.veth, PROBE_SUPPORTED, 0, "veth pair");
		probe_verdict_decide(r);
		text = render(r, 0, false);
		json = render(r, 1, false);
		macros = render(r, 2, false);
		CU_ASSERT_FATAL(text && json && macros);
		j = json_loads(json, 0, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(j);

		CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "note")), r->note);
		snprintf(line, sizeof(line), "\nnote%*s%s\n", 56, "", r->note);
		CU_ASSERT_PTR_NOT_NULL(strstr(text, line));
		snprintf(line, sizeof(line), "\n/* note: %s */\n", r->note);
		CU_ASSERT_PTR_NOT_NULL(strstr(macros, line));

		if (via[k]) {
			CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
				json_object_get(j, "isolation"), "private_namespaces_via")), via[k]);
			CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  private namespaces via"
							    "                 user namespace     "));
		} else {
			CU_ASSERT(json_is_null(json_object_get(json_object_get(j, "isolation"),
							       "private_namespaces_via")));
			CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  private namespaces via"
							    "                 none               "
							    "skipped: needs CAP_NET_ADMIN\n"));
		}
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n    0x1    client                        on\n"));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n    0x4    client without cookie         on\n"));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n    0x200  server cookie not required    off\n"));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n    0x400  server without TCP_FASTOPEN   on\n"));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nlive (client 0x405, server 0x203)\n"));
		CU_ASSERT_EQUAL(json_integer_value(json_object_get(json_object_get(j, "live"),
								   "server_tcp_fastopen")), 0x203);
		json_decref(j);
		free(text);
		free(json);
		free(macros);
		free(r);
	}
}

TEST_SUITE(probe_decode, NULL, NULL,
	   { "sysctl_bits", test_decode_bits },
	   { "key_classify", test_key_classify },
	   { "state_from_errno", test_state_from_errno },
	   { "counters_parse", test_counters_parse },
	   { "counters_missing", test_counters_missing },
	   { "counters_garbage", test_counters_garbage },
	   { "counters_delta", test_counters_delta },
	   { "verdict_rules", test_verdict_rules },
	   { "verdict_kernel_and_blackhole", test_verdict_kernel_and_blackhole },
	   { "render_agree", test_render_agree })
