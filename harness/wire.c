/* SPDX-License-Identifier: MIT */
/*
 * Wire observer (see wire.h).  One AF_PACKET SOCK_RAW socket, created in
 * the server namespace with protocol 0 (so it queues nothing) and only
 * then bound to ETH_P_ALL on the server's veth: no frame from another
 * interface can slip in between socket() and bind().  The socket is
 * non-blocking with a large forced receive buffer, because a case reads it
 * only after the exchange it provoked; the kernel's receive timestamp
 * (SO_TIMESTAMPNS) dates each frame, not the moment we read it, and
 * PACKET_STATISTICS reports any frame lost to a full buffer.
 *
 * Frames are kept whole (up to WIRE_SNAP bytes: veth hands GSO super
 * packets of up to 64 KiB to taps) for the pcap file; TCP segments are
 * decoded into struct wire_pkt as they arrive.  The decoder trusts nothing:
 * every length is checked against what was captured, and a malformed TCP
 * option list stops option parsing (bad_options) without losing the
 * segment.
 */
#include "harness/wire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"
#include "netns/netns.h"
#include "netns/topo.h"

#define WIRE_SNAP 262144u
#define WIRE_RCVBUF (8 << 20)
/* wire_collect never waits longer than this many quiet periods in all */
#define WIRE_SETTLE_CAP 10

#define TCPOPT_KIND_FASTOPEN 34
#define TCPOPT_KIND_EXP 254
#define TCPOPT_FASTOPEN_MAGIC 0xF989

struct wire_frame {
	struct timespec ts;	/* CLOCK_REALTIME, from the kernel */
	uint32_t caplen, len;
	uint8_t *data;
};

struct wire {
	int fd;
	struct timespec t0;	/* CLOCK_REALTIME at wire_open() */
	struct in_addr server4;
	struct in6_addr server6, server_ll;
	bool has_ll;
	struct wire_frame *frames;
	size_t nframes, frames_cap;
	struct wire_pkt *pkts;
	size_t npkts, pkts_cap;
	unsigned drops;
	uint8_t *rbuf;
};

static int wire_socket_setup(int fd, int ifindex)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};
	int one = 1, size = WIRE_RCVBUF;

	/* FORCE passes net.core.rmem_max (root only); fall back quietly */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)))
		return -errno;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		return -errno;
	return 0;
}

int wire_open(struct wire **wp, const struct topo *t)
{
	struct wire *w;
	int ret = 0, fd;

	if (!wp)
		return -EINVAL;
	*wp = NULL;
	if (!t || t->server_ifindex <= 0)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = -1;
	w->server4 = t->server4;
	w->server6 = t->server6;
	/* in TOPO_ROUTED server_ll is the router's fe80::fe on the client
	 * link, and the router uses fe80::fe on the server link as well:
	 * only a pair's server_ll is the server's own */
	w->has_ll = t->kind == TOPO_PAIR;
	w->server_ll = t->server_ll;
	w->rbuf = malloc(WIRE_SNAP);
	if (!w->rbuf) {
		ret = -ENOMEM;
		goto out;
	}
	fd = netns_socket(t->host[ROLE_SERVER].nsfd, AF_PACKET,
			  SOCK_RAW | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		ret = fd;
		goto out;
	}
	w->fd = fd;
	ret = wire_socket_setup(fd, t->server_ifindex);
	if (ret)
		goto out;
	clock_gettime(CLOCK_REALTIME, &w->t0);
	*wp = w;
out:
	if (ret)
		wire_close(w);
	return ret;
}

static uint16_t wire_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t wire_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Walk the option list; the TFO option found last wins (as in the kernel,
 * tcp_parse_options). */
static void wire_tcp_options(struct wire_pkt *p, const uint8_t *o, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t kind = o[i], olen;

		if (kind == 0)		/* EOL */
			break;
		if (kind == 1) {	/* NOP */
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2 || i + o[i + 1] > len) {
			p->bad_options = true;
			break;
		}
		olen = o[i + 1];
		if (kind == TCPOPT_KIND_FASTOPEN) {
			p->tfo = olen == 2 ? WIRE_TFO_REQUEST : WIRE_TFO_COOKIE;
			p->cookie_len = (uint8_t)(olen - 2);
		} else if (kind == TCPOPT_KIND_EXP && olen >= 4 &&
			   wire_be16(o + i + 2) == TCPOPT_FASTOPEN_MAGIC) {
			p->tfo = WIRE_TFO_EXP;
			p->cookie_len = (uint8_t)(olen - 4);
		}
		i += olen;
	}
}

/* Decode the TCP segment in frame f (from byte l3 on, ethertype et);
 * 0 when it is one, -ENOENT when not TCP (or too broken to say). */
static int wire_decode(const uint8_t *d, size_t cap, size_t l3, uint16_t et,
		       struct wire_pkt *p)
{
	size_t l4, end, doff;
	uint8_t proto;

	if (et == ETH_P_IP) {
		size_t ihl;

		if (cap < l3 + 20 || d[l3] >> 4 != 4)
			return -ENOENT;
		ihl = (size_t)(d[l3] & 0x0f) * 4;
		end = l3 + wire_be16(d + l3 + 2);
		/* not TCP, or a non-first fragment (no TCP header) */
		if (ihl < 20 || d[l3 + 9] != IPPROTO_TCP ||
		    (wire_be16(d + l3 + 6) & 0x1fff))
			return -ENOENT;
		p->family = AF_INET;
		memcpy(p->saddr, d + l3 + 12, 4);
		memcpy(p->daddr, d + l3 + 16, 4);
		l4 = l3 + ihl;
	} else if (et == ETH_P_IPV6) {
		if (cap < l3 + 40 || d[l3] >> 4 != 6)
			return -ENOENT;
		p->family = AF_INET6;
		memcpy(p->saddr, d + l3 + 8, 16);
		memcpy(p->daddr, d + l3 + 24, 16);
		end = l3 + 40 + wire_be16(d + l3 + 4);
		proto = d[l3 + 6];
		l4 = l3 + 40;
		/* extension headers Linux may put before TCP */
		while (proto != IPPROTO_TCP) {
			if (cap < l4 + 8)
				return -ENOENT;
			if (proto == IPPROTO_HOPOPTS || proto == IPPROTO_ROUTING ||
			    proto == IPPROTO_DSTOPTS) {
				proto = d[l4];
				l4 += ((size_t)d[l4 + 1] + 1) * 8;
			} else if (proto == IPPROTO_FRAGMENT) {
				if (wire_be16(d + l4 + 2) & 0xfff8)
					return -ENOENT;
				proto = d[l4];
				l4 += 8;
			} else {
				return -ENOENT;
			}
		}
	} else {
		return -ENOENT;
	}
	if (cap < l4 + 20 || end < l4 + 20)
		return -ENOENT;
	doff = (size_t)(d[l4 + 12] >> 4) * 4;
	if (doff < 20 || end < l4 + doff)
		return -ENOENT;
	p->sport = wire_be16(d + l4);
	p->dport = wire_be16(d + l4 + 2);
	p->seq = wire_be32(d + l4 + 4);
	p->ack = wire_be32(d + l4 + 8);
	p->flags = d[l4 + 13];
	/* the IP length, not the capture, says how much payload was sent */
	p->payload_len = (unsigned)(end - l4 - doff);
	if (cap >= l4 + doff)
		wire_tcp_options(p, d + l4 + 20, doff - 20);
	else
		p->bad_options = true;
	return 0;
}

static bool wire_from_server(const struct wire *w, const struct wire_pkt *p,
			     int pkttype)
{
	if (pkttype == PACKET_OUTGOING)
		return true;
	if (p->family == AF_INET)
		return !memcmp(p->saddr, &w->server4, 4);
	return !memcmp(p->saddr, &w->server6, 16) ||
	       (w->has_ll && !memcmp(p->saddr, &w->server_ll, 16));
}

static double wire_ms_since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static int wire_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *na;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	na = realloc(*arr, ncap * elem);
	if (!na)
		return -ENOMEM;
	*arr = na;
	*cap = ncap;
	return 0;
}

/* Keep one received frame and decode it. */
static int wire_frame_add(struct wire *w, const uint8_t *d, size_t cap,
			  size_t len, const struct timespec *ts, int pkttype)
{
	struct wire_frame *f;
	struct wire_pkt p = { 0 };
	uint16_t et;
	size_t l3 = 14;
	int ret;

	ret = wire_grow((void **)&w->frames, &w->frames_cap, w->nframes,
			sizeof(*w->frames));
	if (ret)
		return ret;
	f = &w->frames[w->nframes];
	f->data = malloc(cap ? cap : 1);
	if (!f->data)
		return -ENOMEM;
	memcpy(f->data, d, cap);
	f->caplen = (uint32_t)cap;
	f->len = (uint32_t)len;
	f->ts = *ts;
	w->nframes++;

	if (cap < 14)
		return 0;
	et = wire_be16(d + 12);
	if (et == ETH_P_8021Q && cap >= 18) {
		et = wire_be16(d + 16);
		l3 = 18;
	}
	if (wire_decode(d, cap, l3, et, &p))
		return 0;
	p.t_ms = wire_ms_since(&w->t0, ts);
	p.dir = wire_from_server(w, &p, pkttype) ? WIRE_FROM_SERVER :
						       WIRE_TO_SERVER;
	p.frame = w->nframes - 1;
	ret = wire_grow((void **)&w->pkts, &w->pkts_cap, w->npkts,
			sizeof(*w->pkts));
	if (ret)
		return ret;
	w->pkts[w->npkts++] = p;
	return 0;
}

/* Read every frame queued now; *got counts them. */
static int wire_drain(struct wire *w, unsigned *got)
{
	for (;;) {
		union {
			char buf[CMSG_SPACE(sizeof(struct timespec))];
			struct cmsghdr align;
		} ctl;
		struct sockaddr_ll sll;
		struct iovec iov = { w->rbuf, WIRE_SNAP };
		struct msghdr msg = {
			.msg_name = &sll, .msg_namelen = sizeof(sll),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
		};
		struct timespec ts = { 0, 0 };
		struct cmsghdr *c;
		ssize_t n;
		int ret;

		n = recvmsg(w->fd, &msg, MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_TIMESTAMPNS)
				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
		if (!ts.tv_sec)
			clock_gettime(CLOCK_REALTIME, &ts);
		ret = wire_frame_add(w, w->rbuf,
				     (size_t)n < WIRE_SNAP ? (size_t)n : WIRE_SNAP,
				     (size_t)n, &ts, sll.sll_pkttype);
		if (ret)
			return ret;
		(*got)++;
	}
}

int wire_collect(struct wire *w, int settle_ms)
{
	struct tpacket_stats st;
	socklen_t sl = sizeof(st);
	double start, last;
	unsigned got = 0;
	int ret;

	if (!w)
		return -EINVAL;
	start = last = util_now_ms();
	for (;;) {
		struct pollfd pfd = { w->fd, POLLIN, 0 };
		double now, left;
		unsigned before = got;

		ret = wire_drain(w, &got);
		if (ret)
			goto out;
		now = util_now_ms();
		if (got != before)
			last = now;
		left = last + settle_ms - now;
		if (settle_ms <= 0 || left <= 0 ||
		    now - start >= (double)settle_ms * WIRE_SETTLE_CAP)
			break;
		if (poll(&pfd, 1, (int)left + 1) < 0 && errno != EINTR) {
			ret = -errno;
			goto out;
		}
	}
	/* reading the statistics resets them: accumulate */
	if (!getsockopt(w->fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl))
		w->drops += st.tp_drops;
out:
	return ret;
}

size_t wire_count(const struct wire *w)
{
	return w ? w->npkts : 0;
}

const struct wire_pkt *wire_get(const struct wire *w, size_t i)
{
	if (!w || i >= w->npkts)
		return NULL;
	return &w->pkts[i];
}

size_t wire_frames(const struct wire *w)
{
	return w ? w->nframes : 0;
}

unsigned wire_drops(const struct wire *w)
{
	return w ? w->drops : 0;
}

static bool wire_same_flow(const struct wire_pkt *a, const struct wire_pkt *b)
{
	return a->family == b->family && a->sport == b->sport &&
	       a->dport == b->dport && !memcmp(a->saddr, b->saddr, 16) &&
	       !memcmp(a->daddr, b->daddr, 16);
}

int wire_first_data(const struct wire *w, enum wire_dir dir, size_t *idx,
		    bool *pure_ack_before)
{
	size_t i;

	if (!w || !idx)
		return -EINVAL;
	for (i = 0; i < w->npkts; i++)
		if (w->pkts[i].dir == dir && w->pkts[i].payload_len)
			break;
	if (i == w->npkts)
		return -ENOENT;
	*idx = i;
	if (!pure_ack_before)
		return 0;
	*pure_ack_before = false;
	/* back to this connection's SYN in the same direction */
	for (size_t j = i; j-- > 0;) {
		const struct wire_pkt *p = &w->pkts[j];

		if (!wire_same_flow(p, &w->pkts[i]))
			continue;
		if (p->flags & WIRE_SYN)
			break;
		if (!(p->flags & (WIRE_FIN | WIRE_RST)) &&
		    (p->flags & WIRE_ACK) && !p->payload_len) {
			*pure_ack_before = true;
			break;
		}
	}
	return 0;
}

static void wire_pkt_format(const struct wire_pkt *p, char *s, size_t size)
{
	size_t off = 0;

	util_appendf(s, size, &off, "%s ",
		     p->dir == WIRE_TO_SERVER ? "C>S" : "S>C");
	if (p->flags & WIRE_SYN)
		util_appendf(s, size, &off, "S");
	if (p->flags & WIRE_FIN)
		util_appendf(s, size, &off, "F");
	if (p->flags & WIRE_RST)
		util_appendf(s, size, &off, "R");
	if (p->flags & WIRE_ACK)
		util_appendf(s, size, &off, "A");
	if (!(p->flags & (WIRE_SYN | WIRE_FIN | WIRE_RST | WIRE_ACK)))
		util_appendf(s, size, &off, ".");
	if (p->payload_len)
		util_appendf(s, size, &off, "+%u", p->payload_len);
	switch (p->tfo) {
	case WIRE_TFO_REQUEST:
		util_appendf(s, size, &off, " rq");
		break;
	case WIRE_TFO_COOKIE:
		util_appendf(s, size, &off, " ck%u", p->cookie_len);
		break;
	case WIRE_TFO_EXP:
		if (p->cookie_len)
			util_appendf(s, size, &off, " exp-ck%u", p->cookie_len);
		else
			util_appendf(s, size, &off, " exp-rq");
		break;
	default:
		break;
	}
	if (p->bad_options)
		util_appendf(s, size, &off, " badopt");
}

int wire_describe(const struct wire *w, char *buf, size_t size)
{
	size_t off = 0;
	int ret = 0;

	if (!w || !buf || size < 4)
		return -EINVAL;
	buf[0] = 0;
	for (size_t i = 0; i < w->npkts; i++) {
		char one[64];
		size_t need;

		wire_pkt_format(&w->pkts[i], one, sizeof(one));
		need = strlen(one) + (i ? 3 : 0);
		if (off + need + 4 > size) {
			util_appendf(buf, size, &off, "%s...", i ? " " : "");
			ret = -ENOSPC;
			break;
		}
		util_appendf(buf, size, &off, "%s%s", i ? " | " : "", one);
	}
	if (!w->npkts)
		util_appendf(buf, size, &off, "(no TCP)");
	return ret;
}

/* pcap file and record headers (tcpdump's savefile format, native byte
 * order: readers detect it from the magic). */
struct wire_pcap_hdr {
	uint32_t magic;
	uint16_t major, minor;
	int32_t thiszone;
	uint32_t sigfigs, snaplen, linktype;
};

struct wire_pcap_rec {
	uint32_t sec, usec, caplen, len;
};

int wire_save_pcap(const struct wire *w, const char *path)
{
	struct wire_pcap_hdr h = { 0xa1b2c3d4, 2, 4, 0, 0, WIRE_SNAP, 1 };
	FILE *f;
	int ret = 0;

	if (!w || !path)
		return -EINVAL;
	f = fopen(path, "wbe");
	if (!f)
		return -errno;
	if (fwrite(&h, sizeof(h), 1, f) != 1)
		ret = -EIO;
	for (size_t i = 0; !ret && i < w->nframes; i++) {
		const struct wire_frame *fr = &w->frames[i];
		struct wire_pcap_rec r = {
			(uint32_t)fr->ts.tv_sec,
			(uint32_t)(fr->ts.tv_nsec / 1000),
			fr->caplen, fr->len,
		};

		if (fwrite(&r, sizeof(r), 1, f) != 1 ||
		    fwrite(fr->data, 1, fr->caplen, f) != fr->caplen)
			ret = -EIO;
	}
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

void wire_close(struct wire *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (size_t i = 0; i < w->nframes; i++)
		free(w->frames[i].data);
	free(w->frames);
	free(w->pkts);
	free(w->rbuf);
	free(w);
}
