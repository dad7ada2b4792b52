/* SPDX-License-Identifier: MIT */
/*
 * Tests of harness/wire.c against real traffic: the TFO first contact
 * (cookie request, cookie, data in packet 3 without a pure ACK before it),
 * the 0-RTT second connection (data and cookie in the SYN), plain
 * connect+write (pure ACK first), the pcap file, and hand-made frames with
 * malformed TCP options injected on the client's link, which the decoder
 * must survive and flag.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/util.h"
#include "harness/wire.h"
#include "netns/netns.h"
#include "netns/topo.h"
#include "tests/testlib.h"

#define WT_PORT 7200

static bool wt_root(void)
{
	if (test_is_root())
		return true;
	test_skip("wire tests need root (network namespaces, AF_PACKET)");
	return false;
}

/* Accept, read len bytes; 0 when they all arrived. */
static int wt_server_read(int lfd, size_t len)
{
	struct pollfd p = { lfd, POLLIN, 0 };
	char buf[256];
	size_t got = 0;
	int c;

	if (poll(&p, 1, 1000) != 1)
		return -ETIMEDOUT;
	c = accept(lfd, NULL, NULL);
	if (c < 0)
		return -errno;
	while (got < len) {
		ssize_t n = recv(c, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(c);
	return got == len ? 0 : -EIO;
}

enum wt_api { WT_SENDTO, WT_CONNECT_WRITE };

/*
 * One connection with capture: open the observer, connect and send 5
 * bytes with api, let the server read them, close both ends, collect
 * (the FIN exchange included, so it does not leak into the next capture).
 */
static int wt_conn(const struct topo *t, enum topo_family fam, int lfd,
		   enum wt_api api, struct wire **wp)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, ret;

	ret = wire_open(wp, t);
	if (ret)
		return ret;
	fd = topo_socket(t, ROLE_CLIENT, topo_family_domain(fam), SOCK_STREAM, 0);
	if (fd < 0)
		return fd;
	topo_server_addr(t, fam, WT_PORT, &ss, &len);
	if (api == WT_SENDTO)
		ret = sendto(fd, "hello", 5, MSG_FASTOPEN,
			     (struct sockaddr *)&ss, len) == 5 ? 0 : -errno;
	else
		ret = connect(fd, (struct sockaddr *)&ss, len) ||
		      write(fd, "hello", 5) != 5 ? -errno : 0;
	if (!ret)
		ret = wt_server_read(lfd, 5);
	close(fd);
	if (!ret)
		ret = wire_collect(*wp, 30);
	return ret;
}

static size_t wt_first_syn(const struct wire *w)
{
	for (size_t i = 0; i < wire_count(w); i++) {
		const struct wire_pkt *p = wire_get(w, i);

		if (p->dir == WIRE_TO_SERVER && p->flags == WIRE_SYN)
			return i;
	}
	return (size_t)-1;
}

static void wt_tfo_sequence(enum topo_kind kind, enum topo_family fam)
{
	struct topo t;
	struct wire *w = NULL;
	const struct wire_pkt *p;
	char desc[512];
	size_t idx = 99, s;
	bool pure = true;
	int lfd, ret;

	if (!wt_root())
		return;
	CU_ASSERT_EQUAL_FATAL(topo_build(&t, kind, profile_default()), 0);
	lfd = topo_listener(&t, fam, WT_PORT, 16);
	CU_ASSERT_FATAL(lfd >= 0);

	/* first contact: S(rq), SA(ck8), A+data — 1 RTT, 3 packets */
	ret = wt_conn(&t, fam, lfd, WT_SENDTO, &w);
	CU_ASSERT_EQUAL(ret, 0);
	wire_describe(w, desc, sizeof(desc));
	printf("\n      %s conn1: %s", topo_family_name(fam), desc);
	CU_ASSERT_EQUAL(wire_drops(w), 0);
	CU_ASSERT(wire_count(w) >= 3);
	CU_ASSERT(!strncmp(desc, "C>S S rq | S>C SA ck8 | C>S A+5", 31));
	CU_ASSERT_EQUAL(wire_first_data(w, WIRE_TO_SERVER, &idx, &pure), 0);
	CU_ASSERT_EQUAL(idx, 2);
	CU_ASSERT(!pure);
	p = wire_get(w, 0);
	CU_ASSERT(p && p->tfo == WIRE_TFO_REQUEST && p->flags == WIRE_SYN &&
		  p->dport == WT_PORT &&
		  p->family == (fam == FAM_IPV4 ? AF_INET : AF_INET6));
	p = wire_get(w, 1);
	CU_ASSERT(p && p->dir == WIRE_FROM_SERVER && p->tfo == WIRE_TFO_COOKIE &&
		  p->cookie_len == 8 && p->sport == WT_PORT);
	p = wire_get(w, 2);
	CU_ASSERT(p && p->payload_len == 5 && p->t_ms >= 0 && p->t_ms < 1000);
	wire_close(w);
	w = NULL;

	/* cookie cached: the SYN carries cookie and data — 0 RTT */
	ret = wt_conn(&t, fam, lfd, WT_SENDTO, &w);
	CU_ASSERT_EQUAL(ret, 0);
	wire_describe(w, desc, sizeof(desc));
	printf("\n      %s conn2: %s", topo_family_name(fam), desc);
	s = wt_first_syn(w);
	CU_ASSERT_EQUAL(s, 0);
	CU_ASSERT_EQUAL(wire_first_data(w, WIRE_TO_SERVER, &idx, &pure), 0);
	CU_ASSERT_EQUAL(idx, s);
	CU_ASSERT(!pure);
	p = wire_get(w, idx);
	CU_ASSERT(p && (p->flags & WIRE_SYN) && p->tfo == WIRE_TFO_COOKIE &&
		  p->cookie_len == 8 && p->payload_len == 5);
	/* the server's data (none) and the SYN-ACK acking the SYN data */
	CU_ASSERT_EQUAL(wire_first_data(w, WIRE_FROM_SERVER, &idx, NULL), -ENOENT);
	p = wire_get(w, 1);
	CU_ASSERT(p && p->flags == (WIRE_SYN | WIRE_ACK) &&
		  p->ack == wire_get(w, 0)->seq + 6);
	wire_close(w);
	close(lfd);
	topo_destroy(&t);
}

static void test_wire_tfo_v4_pair(void)
{
	wt_tfo_sequence(TOPO_PAIR, FAM_IPV4);
}

static void test_wire_tfo_v6_routed(void)
{
	wt_tfo_sequence(TOPO_ROUTED, FAM_IPV6);
}

/* plain connect + write: the handshake's pure ACK precedes the data */
static void test_wire_plain_connect(void)
{
	struct topo t;
	struct wire *w = NULL;
	char desc[512];
	size_t idx = 99;
	bool pure = false;
	int lfd;

	if (!wt_root())
		return;
	CU_ASSERT_EQUAL_FATAL(topo_build(&t, TOPO_PAIR, profile_default()), 0);
	lfd = topo_listener(&t, FAM_IPV4, WT_PORT, 16);
	CU_ASSERT_FATAL(lfd >= 0);
	CU_ASSERT_EQUAL(wt_conn(&t, FAM_IPV4, lfd, WT_CONNECT_WRITE, &w), 0);
	wire_describe(w, desc, sizeof(desc));
	printf("\n      connect+write: %s", desc);
	CU_ASSERT(!strncmp(desc, "C>S S | S>C SA | C>S A | C>S A+5", 32));
	CU_ASSERT_EQUAL(wire_first_data(w, WIRE_TO_SERVER, &idx, &pure), 0);
	CU_ASSERT_EQUAL(idx, 3);
	CU_ASSERT(pure);
	wire_close(w);
	close(lfd);
	topo_destroy(&t);
}

struct wt_pcap_hdr {
	uint32_t magic;
	uint16_t major, minor;
	int32_t zone;
	uint32_t sigfigs, snaplen, linktype;
};

/* the pcap file holds every frame (ARP/NDP too), readable back */
static void test_wire_pcap(void)
{
	char path[] = "/tmp/tfocheck-wire-XXXXXX";
	struct wt_pcap_hdr h;
	struct topo t;
	struct wire *w = NULL;
	size_t records = 0, tcp = 0;
	uint32_t rec[4], prev_sec = 0;
	FILE *f;
	int lfd, fd;

	if (!wt_root())
		return;
	CU_ASSERT_EQUAL_FATAL(topo_build(&t, TOPO_PAIR, profile_default()), 0);
	lfd = topo_listener(&t, FAM_IPV6, WT_PORT, 16);
	CU_ASSERT_FATAL(lfd >= 0);
	CU_ASSERT_EQUAL(wt_conn(&t, FAM_IPV6, lfd, WT_SENDTO, &w), 0);
	CU_ASSERT(wire_frames(w) >= wire_count(w));
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	CU_ASSERT_EQUAL(wire_save_pcap(w, path), 0);
	f = fopen(path, "rb");
	CU_ASSERT_FATAL(f != NULL);
	CU_ASSERT_EQUAL(fread(&h, sizeof(h), 1, f), 1);
	CU_ASSERT_EQUAL(h.magic, 0xa1b2c3d4);
	CU_ASSERT_EQUAL(h.major, 2);
	CU_ASSERT_EQUAL(h.minor, 4);
	CU_ASSERT_EQUAL(h.linktype, 1);
	while (fread(rec, sizeof(rec), 1, f) == 1) {
		unsigned char fr[14];

		CU_ASSERT(rec[2] <= rec[3] && rec[2] <= h.snaplen);
		CU_ASSERT(rec[1] < 1000000 && rec[0] >= prev_sec);
		prev_sec = rec[0];
		if (rec[2] >= 14 && fread(fr, 14, 1, f) == 1) {
			/* ethertype IPv6 + next header TCP: peek at byte 20 */
			unsigned char nh[7];

			if (fr[12] == 0x86 && fr[13] == 0xdd && rec[2] >= 21 &&
			    fread(nh, 7, 1, f) == 1) {
				tcp += nh[6] == IPPROTO_TCP;
				fseek(f, (long)rec[2] - 21, SEEK_CUR);
			} else {
				fseek(f, (long)rec[2] - 14, SEEK_CUR);
			}
		} else {
			fseek(f, (long)rec[2], SEEK_CUR);
		}
		records++;
	}
	fclose(f);
	printf("\n      pcap: %zu records (%zu TCP), %zu frames captured",
	       records, tcp, wire_frames(w));
	CU_ASSERT_EQUAL(records, wire_frames(w));
	CU_ASSERT_EQUAL(tcp, wire_count(w));
	unlink(path);
	wire_close(w);
	close(lfd);
	topo_destroy(&t);
}

/*
 * Hand-made IPv4/TCP frames sent on the client's veth to a MAC nobody
 * owns (the server's stack drops them as PACKET_OTHERHOST; the observer
 * still sees them): each carries a crafted option list.
 */
static int wt_inject(int fd, int ifindex, const uint8_t *opt, size_t olen,
		     unsigned payload)
{
	uint8_t f[14 + 20 + 60 + 16] = { 0 };
	size_t tcpl = 20 + ((olen + 3) & ~(size_t)3), ipl = 20 + tcpl + payload;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_ifindex = ifindex, .sll_halen = 6 };
	uint8_t *ip = f + 14, *th = ip + 20;

	if (tcpl > 60 || payload > 16)
		return -EINVAL;
	memcpy(f, "\x02\x00\x00\x00\x00\x99\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(ipl >> 8);
	ip[3] = (uint8_t)ipl;
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, "\xc6\x12\x00\x07\xc6\x12\x00\x02", 8);
	th[0] = 0x30; th[1] = 0x39;	/* 12345 */
	th[2] = 0x1c; th[3] = 0x20;	/* 7200 */
	th[7] = 1;			/* seq 1 */
	th[12] = (uint8_t)((tcpl / 4) << 4);
	th[13] = WIRE_SYN;
	memcpy(th + 20, opt, olen);	/* the rest is EOL (zero) padding */
	memcpy(sll.sll_addr, f, 6);
	if (sendto(fd, f, 14 + ipl, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return 0;
}

static void test_wire_malformed_options(void)
{
	static const struct {
		const char *opt;
		size_t len;
		unsigned payload;
		enum wire_tfo tfo;
		uint8_t cookie_len;
		bool bad;
	} v[] = {
		/* MSS, then FO with an 8-byte cookie */
		{ "\x02\x04\x05\xb4\x22\x0a\x01\x02\x03\x04\x05\x06\x07\x08", 14, 3, WIRE_TFO_COOKIE, 8, false },
		/* experimental FO, request and cookie */
		{ "\xfe\x04\xf9\x89", 4, 0, WIRE_TFO_EXP, 0, false },
		{ "\x01\x01\xfe\x08\xf9\x89\xaa\xbb\xcc\xdd", 10, 0, WIRE_TFO_EXP, 4, false },
		/* kind 254 with another magic is not TFO */
		{ "\xfe\x04\x12\x34", 4, 0, WIRE_TFO_NONE, 0, false },
		/* FO whose length runs past the header */
		{ "\x02\x04\x05\xb4\x22\x0c\x01\x02", 8, 0, WIRE_TFO_NONE, 0, true },
		/* option length 0 and 1 (would loop forever if trusted) */
		{ "\x03\x00\x22\x02", 4, 0, WIRE_TFO_NONE, 0, true },
		{ "\x03\x01\x22\x02", 4, 0, WIRE_TFO_NONE, 0, true },
		/* kind byte as the last byte of the option space */
		{ "\x01\x01\x01\x22", 4, 0, WIRE_TFO_NONE, 0, true },
		/* EOL stops the walk: the FO after it does not count */
		{ "\x00\x00\x00\x00\x22\x02\x01\x01", 8, 0, WIRE_TFO_NONE, 0, false },
		/* FO request then cookie: the last one wins */
		{ "\x22\x02\x22\x06\x01\x02\x03\x04", 8, 0, WIRE_TFO_COOKIE, 4, false },
	};
	struct topo t;
	struct wire *w = NULL;
	char desc[1024];
	int fd;

	if (!wt_root())
		return;
	CU_ASSERT_EQUAL_FATAL(topo_build(&t, TOPO_PAIR, profile_default()), 0);
	CU_ASSERT_EQUAL_FATAL(wire_open(&w, &t), 0);
	fd = topo_socket(&t, ROLE_CLIENT, AF_PACKET, SOCK_RAW, 0);
	CU_ASSERT_FATAL(fd >= 0);
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		CU_ASSERT_EQUAL(wt_inject(fd, t.client_ifindex,
					  (const uint8_t *)v[i].opt, v[i].len,
					  v[i].payload), 0);
	close(fd);
	CU_ASSERT_EQUAL(wire_collect(w, 50), 0);
	wire_describe(w, desc, sizeof(desc));
	printf("\n      injected: %s", desc);
	CU_ASSERT_EQUAL_FATAL(wire_count(w), ARRAY_SIZE(v));
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		const struct wire_pkt *p = wire_get(w, i);

		CU_ASSERT_EQUAL(p->tfo, v[i].tfo);
		CU_ASSERT_EQUAL(p->cookie_len, v[i].cookie_len);
		CU_ASSERT_EQUAL(p->bad_options, v[i].bad);
		CU_ASSERT_EQUAL(p->payload_len, v[i].payload);
		CU_ASSERT_EQUAL(p->dir, WIRE_TO_SERVER);
		CU_ASSERT_EQUAL(p->sport, 12345);
	}
	wire_close(w);
	topo_destroy(&t);
}

static void test_wire_args(void)
{
	struct wire *w = (struct wire *)1;
	struct topo t;
	size_t idx;
	char buf[8];

	memset(&t, 0, sizeof(t));
	CU_ASSERT_EQUAL(wire_open(&w, &t), -EINVAL);
	CU_ASSERT_PTR_NULL(w);
	CU_ASSERT_EQUAL(wire_count(NULL), 0);
	CU_ASSERT_PTR_NULL(wire_get(NULL, 0));
	CU_ASSERT_EQUAL(wire_first_data(NULL, WIRE_TO_SERVER, &idx, NULL), -EINVAL);
	CU_ASSERT_EQUAL(wire_describe(NULL, buf, sizeof(buf)), -EINVAL);
	wire_close(NULL);
}

TEST_SUITE(wire, NULL, NULL,
	   { "args", test_wire_args },
	   { "tfo_v4_pair", test_wire_tfo_v4_pair },
	   { "tfo_v6_routed", test_wire_tfo_v6_routed },
	   { "plain_connect", test_wire_plain_connect },
	   { "pcap", test_wire_pcap },
	   { "malformed_options", test_wire_malformed_options })
