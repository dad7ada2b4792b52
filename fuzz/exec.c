/* SPDX-License-Identifier: MIT */
/*
 * fz_ops over tfocheck's harness (see exec.h).  The server listens on
 * both families at one port, so a call that reaches the server through
 * the other family (connect4 on an AF_INET6 socket, a v4-mapped target)
 * is served as a real client would be.  The "silent" neighbour is a
 * permanent neighbour entry with a hardware address nobody owns: SYNs to
 * it leave and are never answered, for as long as the scenario lasts.
 */
#include "fuzz/exec.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness/case.h"
#include "harness/libcall.h"
#include "harness/libload.h"
#include "harness/peer.h"
#include "harness/wire.h"
#include "netns/fault.h"
#include "netns/netns.h"
#include "netns/profile.h"
#include "netns/topo.h"
#include "fuzz/scn.h"
#include "util/util.h"

#define FX_UDP_MAX 16

struct fx_udp {
	int fd[2];
	unsigned int n[2];
	unsigned char *data[2][FX_UDP_MAX];
	size_t len[2][FX_UDP_MAX];
};

struct fx {
	struct case_ctx c;		/* what libcall records into */
	const struct case_lib *lib;
	struct topo t;
	struct fz_env env;
	struct peer peer[2];
	bool peer_on[2];
	bool udp_on;
	struct fx_udp udp;
	struct wire *w;
	enum fault fault;
	char side[240];
};

static const enum fault path_fault[FZP_MAX] = {
	[FZP_PAIR] = FAULT_NONE, [FZP_ROUTED] = FAULT_NONE,
	[FZP_DROP_SYN] = FAULT_DROP_SYN, [FZP_ICMP_HOST] = FAULT_ICMP_HOST_UNREACH,
	[FZP_ICMP_ADMIN] = FAULT_ICMP_ADMIN_PROHIB,
	[FZP_ICMP_NET] = FAULT_ICMP_NET_UNREACH,
	[FZP_DROP_SYN_DATA] = FAULT_DROP_SYN_DATA, [FZP_STRIP_TFO] = FAULT_STRIP_TFO,
};

const char *fz_path_fault(enum fz_path p)
{
	return p < FZP_MAX ? fault_name(path_fault[p]) : NULL;
}

/* The side effect a libcall wrapper recorded: kept, and the case's
 * verdict cleared so the next call is checked too. */
static void fx_after_call(struct fx *x)
{
	if (x->c.decided && !x->side[0])
		snprintf(x->side, sizeof(x->side), "%.239s", x->c.msg);
	x->c.decided = false;
	x->c.msg[0] = 0;
}

static int fx_client_socket(void *ctx, int domain, int type)
{
	struct fx *x = ctx;

	return topo_socket(&x->t, ROLE_CLIENT, domain, type, 0);
}

static int fx_udp_start(struct fx *x, uint16_t port)
{
	for (int w = 0; w < 2; w++) {
		struct sockaddr_storage ss = { 0 };
		int one = 1, fd;
		socklen_t sl;

		fd = topo_socket(&x->t, ROLE_SERVER, w ? AF_INET6 : AF_INET,
				 SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (fd < 0)
			return fd;
		if (w) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons(port);
			sl = sizeof(*s6);
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

			s4->sin_family = AF_INET;
			s4->sin_port = htons(port);
			sl = sizeof(*s4);
		}
		if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
			return -errno;
		if (!port) {
			sl = sizeof(ss);
			getsockname(fd, (struct sockaddr *)&ss, &sl);
			port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		}
		x->udp.fd[w] = fd;
	}
	x->udp_on = true;
	return port;
}

static int fx_server_start(void *ctx, bool udp, uint16_t port)
{
	struct fx *x = ctx;
	int ret;

	if (udp)
		return fx_udp_start(x, port);
	ret = peer_start(&x->peer[0], &x->t, FAM_IPV4, port);
	if (ret)
		return ret;
	x->peer_on[0] = true;
	ret = peer_start(&x->peer[1], &x->t, FAM_IPV6, x->peer[0].port);
	if (ret)
		return ret;
	x->peer_on[1] = true;
	return x->peer[0].port;
}

static int fx_server_warm(void *ctx, int family)
{
	struct fx *x = ctx;
	int w = family == FZM_IPV4 || family == FZM_MAPPED ? 0 : 1;

	return peer_warm_cookie(&x->peer[w], &x->t, (enum topo_family)family);
}

static int fx_path_fault(void *ctx)
{
	struct fx *x = ctx;

	return x->fault == FAULT_NONE ? 0 : fault_apply(&x->t, x->fault);
}

static void fx_udp_drain(struct fx *x, int w)
{
	unsigned char buf[65536];

	while (x->udp.n[w] < FX_UDP_MAX) {
		ssize_t n = recv(x->udp.fd[w], buf, sizeof(buf), MSG_DONTWAIT);
		unsigned char *copy;

		if (n < 0)
			break;
		copy = malloc((size_t)n + 1);
		if (!copy)
			break;
		memcpy(copy, buf, (size_t)n);
		x->udp.data[w][x->udp.n[w]] = copy;
		x->udp.len[w][x->udp.n[w]++] = (size_t)n;
	}
}

static unsigned int fx_server_count(void *ctx, int which)
{
	struct fx *x = ctx;

	if (x->udp_on) {
		fx_udp_drain(x, which);
		return x->udp.n[which];
	}
	return x->peer_on[which] ? peer_count(&x->peer[which]) : 0;
}

static int fx_server_conn(void *ctx, int which, unsigned int idx, int wait_ms,
			  struct fz_conn *out)
{
	struct fx *x = ctx;
	struct peer_conn pc;
	int ret;

	memset(out, 0, sizeof(*out));
	if (x->udp_on) {
		if (idx >= x->udp.n[which])
			return -ENOENT;
		out->data = x->udp.data[which][idx];
		out->len = x->udp.len[which][idx];
		out->done = true;
		return 0;
	}
	if (!x->peer_on[which])
		return -ENOENT;
	ret = peer_wait(&x->peer[which], idx, (size_t)-1, wait_ms, &pc);
	out->data = pc.data;
	out->len = pc.len;
	out->done = pc.eof || pc.error;
	out->syn_data = pc.syn_data;
	return ret;
}

static size_t fx_wire(void *ctx, struct fz_pkt *out, size_t max)
{
	static const uint8_t tfo[] = {
		[WIRE_TFO_NONE] = FZ_TFO_NONE, [WIRE_TFO_REQUEST] = FZ_TFO_REQ,
		[WIRE_TFO_COOKIE] = FZ_TFO_COOKIE, [WIRE_TFO_EXP] = FZ_TFO_EXP,
	};
	struct fx *x = ctx;
	size_t n = 0;

	if (!x->w)
		return 0;
	wire_collect(x->w, 0);
	for (size_t i = 0; i < wire_count(x->w) && n < max; i++) {
		const struct wire_pkt *k = wire_get(x->w, i);

		out[n++] = (struct fz_pkt){
			.to_server = k->dir == WIRE_TO_SERVER, .flags = k->flags,
			.sport = k->sport, .dport = k->dport,
			.payload = k->payload_len, .tfo = tfo[k->tfo],
		};
	}
	return n;
}

static ssize_t fx_connect4(void *ctx, int s, const char *ip, uint16_t port,
			   const char *buf, size_t len)
{
	struct fx *x = ctx;
	ssize_t r = libcall_fo_connect4(&x->c, s, ip, port, buf, len);
	int e = errno;

	fx_after_call(x);
	errno = e;
	return r;
}

static ssize_t fx_connect6(void *ctx, int s, const char *ip, uint16_t port,
			   uint32_t scope, const char *buf, size_t len)
{
	struct fx *x = ctx;
	ssize_t r = libcall_fo_connect6(&x->c, s, ip, port, scope, buf, len);
	int e = errno;

	fx_after_call(x);
	errno = e;
	return r;
}

static int fx_connected(void *ctx, int s)
{
	struct fx *x = ctx;
	int r = libcall_connected(&x->c, s), e = errno;

	fx_after_call(x);
	errno = e;
	return r;
}

static int fx_connectx(void *ctx, int s, const void *ep, uint32_t aid,
		       unsigned int flags, const struct iovec *iov,
		       unsigned int iovcnt, size_t *len, uint32_t *cid)
{
	struct fx *x = ctx;
	int r = libcall_connectx(&x->c, s, ep, aid, flags, iov, iovcnt, len, cid);
	int e = errno;

	fx_after_call(x);
	errno = e;
	return r;
}

static int fx_disconnectx(void *ctx, int s, uint32_t aid, uint32_t cid)
{
	struct fx *x = ctx;
	int r = libcall_disconnectx(&x->c, s, aid, cid), e = errno;

	fx_after_call(x);
	errno = e;
	return r;
}

static const char *fx_side(void *ctx)
{
	struct fx *x = ctx;

	return x->side;
}

/* A permanent neighbour entry for addr on the client's link, pointing at
 * a hardware address no host has. */
static int fx_neigh_silent(struct fx *x, int family, const void *addr)
{
	static const unsigned char lladdr[6] = { 0x02, 0, 0x5e, 0, 0, 0x03 };
	char buf[8192];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ndmsg *nd;
	int ret = 0, back = -1;

	ret = netns_current(&back);
	if (ret)
		return ret;
	ret = netns_enter(x->t.host[ROLE_CLIENT].nsfd);
	/* the socket belongs to the namespace it is created in */
	nl = ret ? NULL : mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!ret && !nl)
		ret = -errno;
	(void)netns_enter(back);
	close(back);
	if (ret)
		return ret;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = (uint8_t)family;
	nd->ndm_ifindex = x->t.client_ifindex;
	nd->ndm_state = NUD_PERMANENT;
	mnl_attr_put(nlh, NDA_DST, family == AF_INET ? 4 : 16, addr);
	mnl_attr_put(nlh, NDA_LLADDR, sizeof(lladdr), lladdr);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (ret < 0) {
		ret = -errno;
		goto out;
	}
	ret = mnl_cb_run(buf, (size_t)ret, 1, mnl_socket_get_portid(nl), NULL, NULL);
	ret = ret < 0 ? -errno : 0;
out:
	mnl_socket_close(nl);
	return ret;
}

static int fx_setup(struct fx *x, const struct fz_scn *s)
{
	const struct profile *p = profile_find(fz_profile_names[s->v[FZ_PROFILE]]);
	enum fz_path path = (enum fz_path)s->v[FZ_PATH];
	int ret;

	if (!p)
		return -ENOENT;
	ret = topo_build(&x->t, path == FZP_PAIR ? TOPO_PAIR : TOPO_ROUTED, p);
	if (ret)
		return ret;
	x->fault = path_fault[path];
	for (int h = ROLE_CLIENT; h <= ROLE_SERVER; h++) {
		ret = netns_sysctl_write(x->t.host[h].nsfd,
					 "net/ipv4/ip_local_reserved_ports",
					 FZ_RESERVED_PORTS);
		if (ret)
			return ret;
	}
	x->env.client4 = x->t.client4;
	x->env.server4 = x->t.server4;
	x->env.unroutable4 = x->t.unroutable4;
	x->env.client6 = x->t.client6;
	x->env.server6 = x->t.server6;
	x->env.unroutable6 = x->t.unroutable6;
	x->env.client_ll = x->t.client_ll;
	x->env.server_ll = x->t.server_ll;
	x->env.client_ifindex = (uint32_t)x->t.client_ifindex;
	inet_pton(AF_INET, "198.18.0.3", &x->env.silent4);
	inet_pton(AF_INET6, "2001:2::3", &x->env.silent6);
	inet_pton(AF_INET6, "fe80::3", &x->env.silent_ll);
	ret = fx_neigh_silent(x, AF_INET, &x->env.silent4);
	if (!ret)
		ret = fx_neigh_silent(x, AF_INET6, &x->env.silent6);
	if (!ret)
		ret = fx_neigh_silent(x, AF_INET6, &x->env.silent_ll);
	if (ret)
		return ret;
	return wire_open(&x->w, &x->t);
}

struct fz_exec_timing fz_exec_timing;

static double fx_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int fz_exec(const struct fz_scn *s, const struct case_lib *lib,
	    const char *pcap, struct fz_obs *obs)
{
	static struct fx x;
	struct fz_ops o = {
		.ctx = &x, .env = &x.env,
		.client_socket = fx_client_socket, .server_start = fx_server_start,
		.server_warm = fx_server_warm, .path_fault = fx_path_fault,
		.server_count = fx_server_count,
		.server_conn = fx_server_conn, .wire = fx_wire,
		.connect4 = fx_connect4, .connect6 = fx_connect6,
		.connected = lib->connected ? fx_connected : NULL,
		.connectx = lib->connectx ? fx_connectx : NULL,
		.disconnectx = lib->disconnectx ? fx_disconnectx : NULL,
		.side_effect = fx_side,
	};
	int ret;

	memset(&x, 0, sizeof(x));
	x.lib = lib;
	x.c.lib = lib;
	x.c.profile = profile_find(fz_profile_names[s->v[FZ_PROFILE]]);
	x.c.family = (enum topo_family)s->v[FZ_FAMILY];
	if (!lib->fo_connect4 && s->v[FZ_API] == FZA_OWFAT) {
		o.connect4 = NULL;
		o.connect6 = NULL;
	}
	fz_exec_timing.start_ms = fx_ms();
	ret = fx_setup(&x, s);
	fz_exec_timing.setup_ms = fx_ms() - fz_exec_timing.start_ms;
	if (ret) {
		memset(obs, 0, sizeof(*obs));
		obs->end = FZE_ERROR;
		snprintf(obs->error, sizeof(obs->error), "topology for path %s: %s",
			 fz_feat_info[FZ_PATH].values[s->v[FZ_PATH]],
			 util_errno_name(-ret));
		return ret;
	}
	ret = fz_play(s, &o, obs);
	fz_exec_timing.play_ms = fx_ms() - fz_exec_timing.start_ms - fz_exec_timing.setup_ms;
	if (pcap && x.w) {
		wire_collect(x.w, 0);
		wire_save_pcap(x.w, pcap);
	}
	/* nothing is torn down: the worker's exit releases the namespaces,
	 * the peer threads and whatever the library left behind */
	return ret;
}
