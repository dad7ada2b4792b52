/* SPDX-License-Identifier: MIT */
/*
 * Pure-function tests for the probe: the net.ipv4.tcp_fastopen decoder
 * (every known bit alone, combinations, unknown bits), the key classifier
 * (never needs the key's value, only zero/non-zero), and the
 * /proc/net/netstat parser fed crafted text — missing counters, columns
 * that do not pair up, garbage values.  No root needed.
 */
#include "tests/testlib.h"

#include <errno.h>
#include <string.h>

#include "probes/counters.h"
#include "probes/cap.h"
#include "probes/sysctl.h"

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

TEST_SUITE(probe_decode, NULL, NULL,
	   { "sysctl_bits", test_decode_bits },
	   { "key_classify", test_key_classify },
	   { "state_from_errno", test_state_from_errno },
	   { "counters_parse", test_counters_parse },
	   { "counters_missing", test_counters_missing },
	   { "counters_garbage", test_counters_garbage },
	   { "counters_delta", test_counters_delta })
