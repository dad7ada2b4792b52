/* SPDX-License-Identifier: MIT */
/*
 * The delayed path (see delay.h).  One thread, two AF_PACKET sockets in
 * the router's namespace, a small queue of held SYN-ACKs released in
 * order when due.  Frames addressed to the router itself (ARP, neighbour
 * discovery, anything for its own addresses, multicast) are left to its
 * kernel; transit frames are relayed, which the kernel no longer does
 * (forwarding is switched off in the router when the relay starts).
 */
#include "harness/delay.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "netns/netns.h"
#include "netns/topo.h"
#include "util/util.h"

#define DELAY_HELD_MAX 32
#define DELAY_HELD_BYTES 512
#define DELAY_FRAME_MAX (65536 + 256)

struct held {
	uint64_t due_ns;
	int side;		/* the link it leaves on */
	size_t len;
	unsigned char buf[DELAY_HELD_BYTES];
};

struct delay {
	int fd[2];		/* [0] rtr0 (client side), [1] rtr1 */
	int ifindex[2];
	unsigned char own[2][ETH_ALEN];	/* rtr0's and rtr1's MAC */
	unsigned char next[2][ETH_ALEN]; /* cli0's and srv0's MAC */
	int wake[2];
	pthread_t thread;
	bool running;
	uint64_t hold_ns;
	struct held q[DELAY_HELD_MAX];
	size_t qn;
	unsigned int relayed, held_count;
};

static int link_mac(const struct topo *t, enum topo_role role, int ifindex,
		    unsigned char mac[ETH_ALEN])
{
	struct ifreq ifr;
	int fd = topo_socket(t, role, AF_INET, SOCK_DGRAM, 0), ret = 0;

	if (fd < 0)
		return fd;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = ifindex;
	if (ioctl(fd, SIOCGIFNAME, &ifr) || ioctl(fd, SIOCGIFHWADDR, &ifr))
		ret = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	close(fd);
	return ret;
}

static int packet_socket(const struct topo *t, int ifindex)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	int one = 1, fd, ret;

	fd = topo_socket(t, ROLE_ROUTER, AF_PACKET,
			 SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		       sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

/* The frame's Ethernet payload: IPv4 or IPv6 in transit through us? */
static bool in_transit(const struct delay *d, int side, const unsigned char *f,
		       size_t n)
{
	const struct ether_header *eh = (const void *)f;
	uint16_t type;

	if (n < sizeof(*eh) + 20 || memcmp(eh->ether_dhost, d->own[side],
					   ETH_ALEN))
		return false; /* not sent to us as the gateway */
	type = ntohs(eh->ether_type);
	if (type == ETHERTYPE_IP) {
		const unsigned char *ip = f + sizeof(*eh);

		/* 198.18.0.254 / 198.19.0.254: the router's own */
		return !(ip[16] == 198 && ip[19] == 254);
	}
	if (type == ETHERTYPE_IPV6 && n >= sizeof(*eh) + 40) {
		const unsigned char *ip = f + sizeof(*eh);

		/* fe80::/10 and the router's ::fe addresses stay local */
		if (ip[24] == 0xfe && (ip[25] & 0xc0) == 0x80)
			return false;
		if (ip[24] == 0xff)
			return false;
		return !(ip[38] == 0 && ip[39] == 0xfe);
	}
	return false;
}

static bool is_synack(const unsigned char *f, size_t n)
{
	const struct ether_header *eh = (const void *)f;
	const unsigned char *ip = f + sizeof(*eh);
	size_t off;

	if (ntohs(eh->ether_type) == ETHERTYPE_IP) {
		if (ip[9] != IPPROTO_TCP)
			return false;
		off = sizeof(*eh) + (size_t)(ip[0] & 0x0f) * 4;
	} else {
		if (ip[6] != IPPROTO_TCP)
			return false;
		off = sizeof(*eh) + 40;
	}
	return off + 14 <= n && (f[off + 13] & 0x12) == 0x12;
}

static void send_out(struct delay *d, int side, unsigned char *buf,
		     size_t len)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_ifindex = d->ifindex[side],
				   .sll_halen = ETH_ALEN };
	struct ether_header *eh = (void *)(buf + sizeof(struct virtio_net_hdr));

	memcpy(eh->ether_shost, d->own[side], ETH_ALEN);
	memcpy(eh->ether_dhost, d->next[side], ETH_ALEN);
	memcpy(sll.sll_addr, d->next[side], ETH_ALEN);
	(void)sendto(d->fd[side], buf, len, 0, (struct sockaddr *)&sll,
		     sizeof(sll));
	d->relayed++;
}

static void relay_one(struct delay *d, int from, unsigned char *buf,
		      size_t len)
{
	size_t vh = sizeof(struct virtio_net_hdr);
	int to = !from;

	if (len <= vh || !in_transit(d, from, buf + vh, len - vh))
		return;
	if (from == 1 && is_synack(buf + vh, len - vh) &&
	    d->qn < DELAY_HELD_MAX && len <= DELAY_HELD_BYTES) {
		struct held *h = &d->q[d->qn++];

		h->due_ns = util_now_ns() + d->hold_ns;
		h->side = to;
		h->len = len;
		memcpy(h->buf, buf, len);
		d->held_count++;
		return;
	}
	send_out(d, to, buf, len);
}

static void release_due(struct delay *d)
{
	uint64_t now = util_now_ns();
	size_t k = 0;

	for (size_t i = 0; i < d->qn; i++) {
		if (d->q[i].due_ns <= now)
			send_out(d, d->q[i].side, d->q[i].buf, d->q[i].len);
		else
			d->q[k++] = d->q[i];
	}
	d->qn = k;
}

static void *delay_thread(void *arg)
{
	struct delay *d = arg;
	unsigned char *buf = malloc(DELAY_FRAME_MAX);

	if (!buf)
		return NULL;
	for (;;) {
		struct pollfd pf[3] = { { d->wake[0], POLLIN, 0 },
					{ d->fd[0], POLLIN, 0 },
					{ d->fd[1], POLLIN, 0 } };
		int ms = -1;

		if (d->qn) {
			uint64_t now = util_now_ns(), next = UINT64_MAX;

			for (size_t i = 0; i < d->qn; i++)
				if (d->q[i].due_ns < next)
					next = d->q[i].due_ns;
			ms = next <= now ? 0 : (int)((next - now) / 1000000 + 1);
		}
		if (poll(pf, 3, ms) < 0 && errno != EINTR)
			break;
		if (pf[0].revents)
			break;
		for (int side = 0; side < 2; side++) {
			if (!pf[1 + side].revents)
				continue;
			for (;;) {
				ssize_t n = recv(d->fd[side], buf,
						 DELAY_FRAME_MAX, MSG_DONTWAIT);

				if (n <= 0)
					break;
				relay_one(d, side, buf, (size_t)n);
			}
		}
		release_due(d);
	}
	free(buf);
	return NULL;
}

int delay_start(struct delay **out, const struct topo *t, int synack_ms)
{
	const struct topo_host *rh = &t->host[ROLE_ROUTER];
	struct delay *d;
	int ret;

	if (t->kind != TOPO_ROUTED)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->fd[0] = d->fd[1] = d->wake[0] = d->wake[1] = -1;
	d->hold_ns = (uint64_t)synack_ms * 1000000ull;
	d->ifindex[0] = rh->ifindex[0];
	d->ifindex[1] = rh->ifindex[1];
	ret = link_mac(t, ROLE_ROUTER, rh->ifindex[0], d->own[0]);
	if (!ret)
		ret = link_mac(t, ROLE_ROUTER, rh->ifindex[1], d->own[1]);
	if (!ret)
		ret = link_mac(t, ROLE_CLIENT, t->client_ifindex, d->next[0]);
	if (!ret)
		ret = link_mac(t, ROLE_SERVER, t->server_ifindex, d->next[1]);
	/* the router's kernel stops forwarding: the relay does it now */
	if (!ret)
		ret = netns_sysctl_write(rh->nsfd, "net/ipv4/ip_forward", "0");
	if (!ret)
		ret = netns_sysctl_write(rh->nsfd,
					 "net/ipv6/conf/all/forwarding", "0");
	if (ret)
		goto fail;
	for (int i = 0; i < 2; i++) {
		d->fd[i] = packet_socket(t, d->ifindex[i]);
		if (d->fd[i] < 0) {
			ret = d->fd[i];
			goto fail;
		}
	}
	if (pipe2(d->wake, O_CLOEXEC)) {
		ret = -errno;
		goto fail;
	}
	ret = -pthread_create(&d->thread, NULL, delay_thread, d);
	if (ret)
		goto fail;
	d->running = true;
	*out = d;
	return 0;
fail:
	delay_stop(d);
	return ret;
}

unsigned int delay_relayed(const struct delay *d)
{
	return d->relayed;
}

unsigned int delay_held(const struct delay *d)
{
	return d->held_count;
}

void delay_stop(struct delay *d)
{
	if (!d)
		return;
	if (d->running) {
		(void)!write(d->wake[1], "x", 1);
		pthread_join(d->thread, NULL);
	}
	for (int i = 0; i < 2; i++) {
		if (d->fd[i] >= 0)
			close(d->fd[i]);
		if (d->wake[i] >= 0)
			close(d->wake[i]);
	}
	free(d);
}
