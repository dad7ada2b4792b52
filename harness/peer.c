/* SPDX-License-Identifier: MIT */
/*
 * The server peer (see peer.h).  One thread polls the listener and every
 * accepted socket; TCP_INFO is read right after accept(), while the SYN's
 * fate is still recorded in tcpi_options.
 */
#include "harness/peer.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/case.h"
#include "util/util.h"
#include "util/tfo_uapi.h"

static void peer_close_fd(int fd)
{
	case_fds_lock();
	close(fd);
	case_fd_own(fd, false);
	case_fds_unlock();
}

static void peer_accept(struct peer *p, int *fds)
{
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);
	struct peer_conn *c;
	int fd;

	/* the descriptor is registered as the harness's before anyone can
	 * see it (harness/libcall.c checks the table around library calls) */
	case_fds_lock();
	fd = accept4(p->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	case_fd_own(fd, true);
	case_fds_unlock();
	if (fd < 0)
		return;
	pthread_mutex_lock(&p->lock);
	if (p->nconns >= PEER_MAX_CONNS) {
		pthread_mutex_unlock(&p->lock);
		peer_close_fd(fd);
		return;
	}
	c = &p->conns[p->nconns];
	memset(c, 0, sizeof(*c));
	c->data = malloc(PEER_MAX_BYTES);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0)
		c->syn_data = ti.tcpi_options & TCPI_OPT_SYN_DATA;
	fds[p->nconns++] = fd;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void peer_read(struct peer *p, unsigned int i, int *fds)
{
	unsigned char buf[65536];
	struct peer_conn *c = &p->conns[i];
	ssize_t n = read(fds[i], buf, sizeof(buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	pthread_mutex_lock(&p->lock);
	if (n > 0) {
		size_t room = c->data ? PEER_MAX_BYTES - c->len : 0;
		size_t k = (size_t)n < room ? (size_t)n : room;

		if (k)
			memcpy(c->data + c->len, buf, k);
		c->len += k;
	} else {
		c->eof = n == 0;
		c->error = n < 0 ? errno : 0;
		peer_close_fd(fds[i]);
		fds[i] = -1;
	}
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void *peer_thread(void *arg)
{
	struct peer *p = arg;
	int fds[PEER_MAX_CONNS];

	for (int i = 0; i < PEER_MAX_CONNS; i++)
		fds[i] = -1;
	for (;;) {
		struct pollfd pf[PEER_MAX_CONNS + 2];
		unsigned int n = p->nconns; /* only this thread grows it */

		pf[0] = (struct pollfd){ p->wake[0], POLLIN, 0 };
		pf[1] = (struct pollfd){ p->lfd, POLLIN, 0 };
		for (unsigned int i = 0; i < n; i++)
			pf[2 + i] = (struct pollfd){ fds[i], POLLIN, 0 };
		if (poll(pf, 2 + n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[0].revents)
			break;
		if (pf[1].revents)
			peer_accept(p, fds);
		for (unsigned int i = 0; i < n; i++)
			if (fds[i] >= 0 && pf[2 + i].revents)
				peer_read(p, i, fds);
	}
	for (int i = 0; i < PEER_MAX_CONNS; i++)
		if (fds[i] >= 0)
			peer_close_fd(fds[i]);
	return NULL;
}

int peer_start(struct peer *p, const struct topo *t, enum topo_family f,
	       uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int ret;

	memset(p, 0, sizeof(*p));
	p->wake[0] = p->wake[1] = -1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	/* a v4-mapped client talks to an IPv4 listener; link-local clients
	 * reach the wildcard listener's link-local address */
	p->lfd = topo_listener(t, f, port, t->profile->server_sockopt ? 16 : 0);
	if (p->lfd < 0)
		return p->lfd;
	if (getsockname(p->lfd, (struct sockaddr *)&ss, &sl) ||
	    pipe2(p->wake, O_CLOEXEC) || fcntl(p->lfd, F_SETFL, O_NONBLOCK)) {
		ret = -errno;
		goto fail;
	}
	p->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	ret = -pthread_create(&p->thread, NULL, peer_thread, p);
	if (ret)
		goto fail;
	p->running = true;
	return 0;
fail:
	peer_stop(p);
	return ret;
}

static void deadline_after(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int peer_wait(struct peer *p, unsigned int idx, size_t want, int timeout_ms,
	      struct peer_conn *out)
{
	struct timespec dl;
	int ret = 0;

	if (idx >= PEER_MAX_CONNS)
		return -EINVAL;
	deadline_after(&dl, case_ms(timeout_ms));
	pthread_mutex_lock(&p->lock);
	while (!(idx < p->nconns &&
		 (p->conns[idx].len >= want || p->conns[idx].eof ||
		  p->conns[idx].error))) {
		if (pthread_cond_clockwait(&p->cond, &p->lock, CLOCK_MONOTONIC,
					   &dl) == ETIMEDOUT) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	if (idx < p->nconns)
		*out = p->conns[idx];
	else
		memset(out, 0, sizeof(*out));
	pthread_mutex_unlock(&p->lock);
	return ret;
}

unsigned int peer_count(struct peer *p)
{
	unsigned int n;

	pthread_mutex_lock(&p->lock);
	n = p->nconns;
	pthread_mutex_unlock(&p->lock);
	return n;
}

void peer_stop(struct peer *p)
{
	if (p->running) {
		(void)!write(p->wake[1], "x", 1);
		pthread_join(p->thread, NULL);
		p->running = false;
	}
	if (p->wake[0] >= 0)
		close(p->wake[0]);
	if (p->wake[1] >= 0)
		close(p->wake[1]);
	if (p->lfd >= 0)
		close(p->lfd);
	p->lfd = p->wake[0] = p->wake[1] = -1;
	for (unsigned int i = 0; i < p->nconns; i++)
		free(p->conns[i].data);
	p->nconns = 0;
}

int peer_warm_cookie(struct peer *p, const struct topo *t, enum topo_family f)
{
	struct sockaddr_storage ss;
	struct peer_conn pc;
	unsigned int idx = peer_count(p);
	socklen_t sl;
	int fd, ret = 0;

	fd = topo_socket(t, ROLE_CLIENT, topo_family_domain(f), SOCK_STREAM, 0);
	if (fd < 0)
		return fd;
	topo_server_addr(t, f, p->port, &ss, &sl);
	/* a blocking MSG_FASTOPEN with data requests a cookie in the SYN;
	 * without client TFO (EOPNOTSUPP) warming has nothing to do */
	if (sendto(fd, "w", 1, MSG_FASTOPEN | MSG_NOSIGNAL,
		   (struct sockaddr *)&ss, sl) < 0) {
		ret = errno == EOPNOTSUPP ? 0 : -errno;
		goto out;
	}
	close(fd);
	fd = -1;
	ret = peer_wait(p, idx, 1, 2000, &pc);
out:
	if (fd >= 0)
		close(fd);
	return ret;
}
