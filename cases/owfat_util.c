/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the socket_fastopen_connect4/6(3) cases (see owfat.h).
 * Messages say what was expected and what was observed, in words: they
 * are the verdict a user reads.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/owfat.h"
#include "harness/libcall.h"
#include "harness/libload.h"

static unsigned char ow_pattern[OW_BIG];

/* The bytes a case sends: the readable payload, or a pattern in which no
 * 256-byte window repeats, so lost, doubled or reordered chunks differ. */
const unsigned char *ow_payload(size_t len)
{
	if (len <= OW_SMALL)
		return (const unsigned char *)CASE_PAYLOAD;
	for (size_t i = 0; i < sizeof(ow_pattern); i++)
		ow_pattern[i] = (unsigned char)(i * 7 + i / 251);
	return ow_pattern;
}

const char *ow_fn(const struct case_ctx *c)
{
	return c->family == FAM_IPV4 ? "socket_fastopen_connect4" :
				       "socket_fastopen_connect6";
}

const char *ow_plain_fn(const struct case_ctx *c)
{
	return c->family == FAM_IPV4 ? "socket_connect4" : "socket_connect6";
}

/* The clause a failure on a platform without client TFO is judged by. */
const char *ow_why(const struct case_ctx *c, char *b, size_t size)
{
	if (profile_client_tfo(c->profile))
		snprintf(b, size, "the page says >=0 means the connection succeeded and this many bytes were sent");
	else
		snprintf(b, size, "the page says without TFO it behaves as %s followed by write",
			 ow_plain_fn(c));
	return b;
}

/* Suffix naming O4 where the client has no TFO; "" otherwise. */
const char *ow_notfo(const struct case_ctx *c)
{
	if (profile_client_tfo(c->profile))
		return "";
	return c->family == FAM_IPV4 ?
		       " (client TFO off: the page says it then behaves as socket_connect4 followed by write)" :
		       " (client TFO off: the page says it then behaves as socket_connect6 followed by write)";
}

const char *ow_res(char *b, size_t size, ssize_t n, int err)
{
	if (n >= 0)
		snprintf(b, size, "returned %zd", n);
	else
		snprintf(b, size, "returned -1 errno %s", util_errno_name(err));
	return b;
}

uint32_t ow_scope(const struct case_ctx *c)
{
	return c->family == FAM_LINKLOCAL ? (uint32_t)c->topo.client_ifindex : 0;
}

/* The library call for the case's family; errno is the library's. */
ssize_t ow_call_ip(struct case_ctx *c, int fd, const unsigned char *ip,
			  uint16_t port, uint32_t scope, const void *buf,
			  size_t len)
{
	if (c->family == FAM_IPV4)
		return libcall_fo_connect4(c, fd, (const char *)ip, port, buf, len);
	return libcall_fo_connect6(c, fd, (const char *)ip, port, scope, buf,
				   len);
}

ssize_t ow_call(struct case_ctx *c, int fd, uint16_t port,
		       const void *buf, size_t len)
{
	unsigned char ip[16];

	topo_server_raw(&c->topo, c->family, ip);
	return ow_call_ip(c, fd, ip, port, ow_scope(c), buf, len);
}

/* The client's own address for the family, as getsockname reports it. */
void ow_client_addr(const struct case_ctx *c, uint16_t port,
			   struct sockaddr_storage *ss, socklen_t *sl)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (c->family == FAM_IPV4) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr = c->topo.client4;
		*sl = sizeof(*s4);
		return;
	}
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(port);
	*sl = sizeof(*s6);
	if (c->family == FAM_IPV6) {
		s6->sin6_addr = c->topo.client6;
	} else if (c->family == FAM_LINKLOCAL) {
		s6->sin6_addr = c->topo.client_ll;
		s6->sin6_scope_id = (uint32_t)c->topo.client_ifindex;
	} else {
		s6->sin6_addr.s6_addr[10] = 0xff;
		s6->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&s6->sin6_addr.s6_addr[12], &c->topo.client4, 4);
	}
}

bool ow_same_addr(const struct sockaddr_storage *a,
			 const struct sockaddr_storage *b)
{
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return a4->sin_port == b4->sin_port &&
		       a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	return a6->sin6_port == b6->sin6_port &&
	       !memcmp(&a6->sin6_addr, &b6->sin6_addr, 16);
}

void ow_addr_text(const struct sockaddr_storage *ss, char *b,
			 size_t size)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(b, size, "%s port %u", a, ntohs(s4->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(b, size, "%s port %u", a, ntohs(s6->sin6_port));
	} else {
		snprintf(b, size, "(family %d)", ss->ss_family);
	}
}

/* Writable in select()'s sense: POLLOUT, or POLLERR/POLLHUP (select puts
 * an erroring socket in the write set too).  0 on timeout. */
short ow_wait_writable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	if (poll(&p, 1, ms) != 1)
		return 0;
	return p.revents & (POLLOUT | POLLERR | POLLHUP);
}

/* What a careful caller of a non-blocking call does next: accept a count
 * or -1 EINPROGRESS/EWOULDBLOCK, wait until writable, ask
 * socket_connected, write whatever the call did not send. */
bool ow_nb_complete(struct case_ctx *c, const char *what, int fd,
			   ssize_t n, int err, const unsigned char *buf,
			   size_t len)
{
	char rb[64], why[160];
	size_t sent = n > 0 ? (size_t)n : 0;
	int r;

	OW_CHECK(c, n >= 0 || err == EINPROGRESS || err == EAGAIN,
		 "%s: non-blocking %s %s; expected a byte count, or -1 with error_inprogress/error_wouldblock to indicate that the socket is non-blocking (a listener is up, so the connection cannot fail); %s",
		 what, ow_fn(c), ow_res(rb, sizeof(rb), n, err),
		 ow_why(c, why, sizeof(why)));
	OW_CHECK(c, sent <= len,
		 "%s: %s returned %zd for %zu bytes; expected at most len bytes sent",
		 what, ow_fn(c), n, len);
	OW_CHECK(c, ow_wait_writable(fd, 3000),
		 "%s: expected s to become writable when the background connection succeeds; observed not writable after 3 s",
		 what);
	if (c->lib->connected) {
		errno = 0;
		r = libcall_connected(c, fd);
		OW_CHECK(c, r == 1,
			 "%s: expected socket_connected to return 1 (the server accepted the connection); observed %d errno %s",
			 what, r, util_errno_name(errno));
	} else {
		case_note(c, "library does not export socket_connected: its part (1 after the connection succeeded) not checked");
	}
	while (sent < len) {
		ssize_t w = send(fd, buf + sent, len - sent, MSG_NOSIGNAL);

		if (w < 0 && errno == EAGAIN && ow_wait_writable(fd, 3000))
			continue;
		OW_CHECK(c, w > 0,
			 "%s: after the connection succeeded, write of the %zu bytes %s did not send failed: %s",
			 what, len - sent, ow_fn(c), util_errno_name(errno));
		sent += (size_t)w;
	}
	return true;
}

bool ow_fd_intact(struct case_ctx *c, int fd, const struct stat *before,
			 int fl_before, const char *when)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL);

	OW_CHECK(c, fcntl(fd, F_GETFD) >= 0 && fl >= 0 && !fstat(fd, &st),
		 "%s: expected s to stay a valid descriptor; observed fcntl/fstat %s",
		 when, util_errno_name(errno));
	OW_CHECK(c, st.st_ino == before->st_ino && st.st_dev == before->st_dev,
		 "%s: expected s to stay the socket handed in; observed a different object behind the descriptor (inode %lu, was %lu)",
		 when, (unsigned long)st.st_ino, (unsigned long)before->st_ino);
	OW_CHECK(c, (fl & O_NONBLOCK) == (fl_before & O_NONBLOCK),
		 "%s: expected the socket's O_NONBLOCK flag unchanged (%s); observed it %s",
		 when, fl_before & O_NONBLOCK ? "set" : "clear",
		 fl & O_NONBLOCK ? "set" : "cleared");
	return true;
}

/*
 * One plain connect()+close() by the harness before a case that judges
 * the wire of a first contact.  A fresh link occasionally leaves the
 * first SYN unanswered (seen with link-local addresses under -j 8 load:
 * the SYN is retransmitted after 1 s without its cookie request, so no
 * cookie is cached); a plain SYN requests no cookie, so the library's
 * first call still is a first contact.
 */
bool ow_link_warmup(struct case_ctx *c, struct peer *p)
{
	struct sockaddr_storage ss;
	struct peer_conn pc;
	unsigned int idx = peer_count(p);
	socklen_t sl;
	int fd = cc_client_socket(c, false), ret;

	if (fd < 0) {
		case_error(c, "warm-up socket: %s", util_errno_name(-fd));
		return false;
	}
	topo_server_addr(&c->topo, c->family, p->port, &ss, &sl);
	ret = connect(fd, (struct sockaddr *)&ss, sl) ? -errno : 0;
	close(fd);
	if (!ret)
		ret = peer_wait(p, idx, 1, 3000, &pc);
	if (ret) {
		case_error(c, "warm-up connect to the server: %s",
			   util_errno_name(-ret));
		return false;
	}
	return true;
}
