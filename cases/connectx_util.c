/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the connectx cases (see connectx.h): endpoints built from
 * the topology, the library call with its outputs pre-set to sentinels so
 * "left untouched" can be asserted, and small socket utilities (UDP
 * receiver, writability, names as text for messages).
 */
#include "cases/connectx.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/libcall.h"
#include "harness/libload.h"

const char cx_part1[] = "tfocheck-";
const char cx_part2[] = "connectx-";
const char cx_part3[] = "0123456789";

void cx_known(struct case_ctx *c, enum cx_limit l, bool applies)
{
	const char *why = cxp_limit(l);

	if (why)
		case_xfail_if(c, applies, why);
}

static void cx_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

void cx_ep_server(struct case_ctx *c, struct cx_ep *e, uint16_t port)
{
	socklen_t sl;

	memset(e, 0, sizeof(*e));
	topo_server_addr(&c->topo, c->family, port, &e->dst, &sl);
	e->ep.sae_dstaddr = (const struct sockaddr *)&e->dst;
	e->ep.sae_dstaddrlen = sl;
}

/* An AF_INET socket gets a sockaddr_in6 and an AF_INET6 socket a
 * sockaddr_in. */
void cx_ep_other_family(struct case_ctx *c, struct cx_ep *e, uint16_t port)
{
	memset(&e->dst, 0, sizeof(e->dst));
	if (topo_family_domain(c->family) == AF_INET) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&e->dst;

		s->sin6_family = AF_INET6;
		s->sin6_addr = c->topo.server6;
		s->sin6_port = htons(port);
		e->ep.sae_dstaddrlen = sizeof(*s);
	} else {
		struct sockaddr_in *s = (struct sockaddr_in *)&e->dst;

		s->sin_family = AF_INET;
		s->sin_addr = c->topo.server4;
		s->sin_port = htons(port);
		e->ep.sae_dstaddrlen = sizeof(*s);
	}
	e->ep.sae_dstaddr = (const struct sockaddr *)&e->dst;
}

void cx_ep_client_src(struct case_ctx *c, struct cx_ep *e, uint16_t port)
{
	memset(&e->src, 0, sizeof(e->src));
	if (topo_family_domain(c->family) == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&e->src;

		s->sin_family = AF_INET;
		s->sin_addr = c->topo.client4;
		e->ep.sae_srcaddrlen = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&e->src;

		s->sin6_family = AF_INET6;
		s->sin6_addr = c->topo.client6;
		e->ep.sae_srcaddrlen = sizeof(*s);
	}
	cx_set_port(&e->src, port);
	e->ep.sae_srcaddr = (const struct sockaddr *)&e->src;
}

void cx_sockaddr(struct case_ctx *c, const char *addr, uint16_t port,
		 struct sockaddr_storage *ss, socklen_t *sl)
{
	memset(ss, 0, sizeof(*ss));
	if (topo_family_domain(c->family) == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;

		s->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &s->sin_addr);
		*sl = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;

		s->sin6_family = AF_INET6;
		inet_pton(AF_INET6, addr, &s->sin6_addr);
		*sl = sizeof(*s);
	}
	cx_set_port(ss, port);
}

int cx_call(struct case_ctx *c, int fd, const sa_endpoints_t *ep,
	    uint32_t associd, unsigned int flags, const struct iovec *iov,
	    unsigned int iovcnt, struct cx_out *o, int *err)
{
	int ret;

	o->len = CX_LEN_SENTINEL;
	o->cid = CX_CID_SENTINEL;
	errno = 0;
	ret = libcall_connectx(c, fd, ep, associd, flags, iov, iovcnt, &o->len,
			       &o->cid);
	*err = ret ? errno : 0;
	return ret;
}

int cx_disconnect(struct case_ctx *c, int fd, uint32_t aid, uint32_t cid,
		  int *err)
{
	int ret;

	errno = 0;
	ret = libcall_disconnectx(c, fd, aid, cid);
	*err = ret ? errno : 0;
	return ret;
}

const char *cx_res(int ret, int err)
{
	static char buf[64];

	if (!ret)
		return "success";
	if (ret != -1) {
		snprintf(buf, sizeof(buf), "return value %d", ret);
		return buf;
	}
	return util_errno_name(err);
}

int cx_socket(struct case_ctx *c, int type, bool nonblock)
{
	if (type == SOCK_STREAM)
		return cc_client_socket(c, nonblock);
	return topo_socket(&c->topo, ROLE_CLIENT,
			   topo_family_domain(c->family),
			   type | (nonblock ? SOCK_NONBLOCK : 0), 0);
}

static void cx_sa_text(const struct sockaddr *sa, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &s->sin_addr, a, sizeof(a));
		snprintf(buf, size, "%s:%u", a, ntohs(s->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof(a));
		snprintf(buf, size, "[%s]:%u", a, ntohs(s->sin6_port));
	} else {
		snprintf(buf, size, "(family %d)", sa->sa_family);
	}
}

void cx_name_text(int fd, bool peer, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int r = peer ? getpeername(fd, (struct sockaddr *)&ss, &sl) :
		       getsockname(fd, (struct sockaddr *)&ss, &sl);

	if (r)
		snprintf(buf, size, "%s", util_errno_name(errno));
	else
		cx_sa_text((struct sockaddr *)&ss, buf, size);
}

bool cx_same_addr(const struct sockaddr *a, const struct sockaddr *b,
		  bool port)
{
	if (a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET) {
		const struct sockaddr_in *x = (const struct sockaddr_in *)a;
		const struct sockaddr_in *y = (const struct sockaddr_in *)b;

		return x->sin_addr.s_addr == y->sin_addr.s_addr &&
		       (!port || x->sin_port == y->sin_port);
	}
	if (a->sa_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
		const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)b;

		return IN6_ARE_ADDR_EQUAL(&x->sin6_addr, &y->sin6_addr) &&
		       (!port || x->sin6_port == y->sin6_port);
	}
	return false;
}

int cx_wait_writable(int fd, int timeout_ms, int *so_error)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	socklen_t sl = sizeof(*so_error);

	*so_error = 0;
	if (poll(&p, 1, timeout_ms) <= 0)
		return -ETIMEDOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, so_error, &sl))
		*so_error = errno;
	return 0;
}

int cx_write_all(int fd, const void *buf, size_t n, int timeout_ms)
{
	const char *p = buf;
	double end = util_now_ms() + timeout_ms;

	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pf = { .fd = fd, .events = POLLOUT };
			double left = end - util_now_ms();

			if (left <= 0)
				return -ETIMEDOUT;
			poll(&pf, 1, (int)left);
			continue;
		}
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

void cx_iov3(struct iovec iov[3])
{
	iov[0] = (struct iovec){ (void *)cx_part1, sizeof(cx_part1) - 1 };
	iov[1] = (struct iovec){ (void *)cx_part2, sizeof(cx_part2) - 1 };
	iov[2] = (struct iovec){ (void *)cx_part3, sizeof(cx_part3) - 1 };
}

size_t cx_iov3_concat(char *buf, size_t size)
{
	return (size_t)snprintf(buf, size, "%s%s%s", cx_part1, cx_part2,
				cx_part3);
}

int cx_udp_receiver(struct case_ctx *c, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = topo_socket(&c->topo, ROLE_SERVER,
			     topo_server_domain(c->family), SOCK_DGRAM, 0);

	if (fd < 0)
		return fd;
	topo_server_addr(&c->topo, c->family, port, &ss, &sl);
	if (bind(fd, (struct sockaddr *)&ss, sl)) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

ssize_t cx_udp_recv(int fd, void *buf, size_t size, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, case_ms(timeout_ms)) <= 0)
		return -ETIMEDOUT;
	n = recv(fd, buf, size, MSG_DONTWAIT);
	return n < 0 ? -errno : n;
}

size_t cx_wire_client_pkts(struct case_ctx *c, uint16_t sport, int settle_ms)
{
	size_t n = 0;

	if (!c->wire)
		return 0;
	wire_collect(c->wire, settle_ms);
	for (size_t i = 0; i < wire_count(c->wire); i++) {
		const struct wire_pkt *k = wire_get(c->wire, i);

		if (k->dir == WIRE_TO_SERVER && k->sport == sport)
			n++;
	}
	return n;
}
