/* SPDX-License-Identifier: MIT */
/*
 * Wire observer: an AF_PACKET capture (no libpcap) on the server's veth,
 * opened inside the server namespace before a case sends anything, so a
 * case can assert on what actually crossed the wire — which packet carried
 * the first data, whether the SYN asked for or carried a cookie, whether a
 * pure ACK came first — and save the evidence as a classic pcap file.
 *
 * Every frame (ARP and NDP included) is kept for the pcap file; the packet
 * list a case queries holds TCP segments only, in capture order.
 * Directions are from the server's point of view: the server is whoever
 * owns the captured interface, so frames the kernel marks PACKET_OUTGOING,
 * or whose source is one of the server's addresses, are WIRE_FROM_SERVER.
 *
 * Contract: 0 or -errno; nothing here exits.
 */
#ifndef TFOCHECK_WIRE_H
#define TFOCHECK_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct topo;
struct wire;

enum wire_dir { WIRE_TO_SERVER, WIRE_FROM_SERVER };

enum wire_tfo {
	WIRE_TFO_NONE,
	WIRE_TFO_REQUEST,	/* kind 34, length 2: cookie request */
	WIRE_TFO_COOKIE,	/* kind 34 with a cookie (cookie_len bytes) */
	WIRE_TFO_EXP,		/* kind 254, magic 0xF989 (cookie_len may be 0) */
};

/* TCP flag bits as in the header's byte 13 (same values as TH_* in
 * <netinet/tcp.h>). */
#define WIRE_FIN 0x01
#define WIRE_SYN 0x02
#define WIRE_RST 0x04
#define WIRE_PSH 0x08
#define WIRE_ACK 0x10

struct wire_pkt {
	double t_ms;		/* since wire_open(), kernel receive timestamp */
	enum wire_dir dir;
	int family;		/* AF_INET or AF_INET6 */
	uint8_t saddr[16], daddr[16]; /* IPv4 in the first 4 bytes */
	uint8_t flags;		/* WIRE_SYN, ... */
	uint32_t seq, ack;
	uint16_t sport, dport;	/* host order */
	unsigned payload_len;
	enum wire_tfo tfo;
	uint8_t cookie_len;	/* bytes of cookie in the TFO option */
	bool bad_options;	/* option list malformed (parsing stopped) */
	size_t frame;		/* index among all captured frames (pcap record) */
};

/* Open the capture on t's server interface, inside the server namespace.
 * Works for any topology. */
int wire_open(struct wire **w, const struct topo *t);
/* Read every pending frame; then keep reading until settle_ms have passed
 * with no new frame (0: just drain). */
int wire_collect(struct wire *w, int settle_ms);

/* TCP segments seen so far. */
size_t wire_count(const struct wire *w);
const struct wire_pkt *wire_get(const struct wire *w, size_t i);
/* All frames captured so far (the pcap record count). */
size_t wire_frames(const struct wire *w);
/* Frames the kernel dropped because the socket buffer was full. */
unsigned wire_drops(const struct wire *w);

/* Index of the first TCP segment in direction dir that carries payload;
 * *pure_ack_before (may be NULL) tells whether a pure ACK (no SYN, FIN or
 * RST, no payload) went the same way on the same connection, after its
 * SYN, before it.  -ENOENT when no such segment. */
int wire_first_data(const struct wire *w, enum wire_dir dir, size_t *idx,
		    bool *pure_ack_before);

/* Compact one-line sequence for failure messages, e.g.
 * "C>S S rq | S>C SA ck8 | C>S A+5"; truncated with "..." (-ENOSPC). */
int wire_describe(const struct wire *w, char *buf, size_t size);

/* Classic pcap (LINKTYPE_ETHERNET, microsecond timestamps from the
 * kernel) with every frame captured. */
int wire_save_pcap(const struct wire *w, const char *path);

void wire_close(struct wire *w);

#endif
