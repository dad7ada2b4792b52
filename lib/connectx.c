// SPDX-License-Identifier: MIT
/*
 * Darwin's connectx(2) and disconnectx(2), emulated in user space on Linux.
 *
 * Darwin's connectx(2) man page is the contract; where it is silent we
 * follow XNU as recorded in docs/xnu-connectx.md: argument checks in
 * XNU's order (§3), then the socket-state checks (§4), then the protocol
 * stage in XNU's order (source interface, source address, destination
 * checks, connect, data, §5), whose side effects persist when a later
 * step fails, as on Darwin.  docs/connectx-linux.md walks through every
 * clause.
 *
 * Cost: one getsockopt(TCP_INFO) ahead of the kernel call(s) proves the
 * socket is an idle TCP socket (no system call tells that and O_NONBLOCK
 * together), plus one more only when an iov was accepted whole, to tell
 * "connected" from "still in the handshake".  Everything else is error
 * paths, UDP, or the optional source interface/address.
 */
#include "libtfo/connectx.h"
#include "lib/internal.h"

#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

/* XNU's limits (sys/uio.h UIO_MAXIOV, sys/socket.h SOCK_MAXADDRLEN) */
#define CX_MAXIOV 1024
#define CX_MAXADDRLEN 255

/* Largest UDP payload one datagram can carry (no IPv6 jumbograms). */
#define CX_UDP4_MAX (65535 - 20 - 8)
#define CX_UDP6_MAX (65535 - 8)

struct cx_call {
	int s;
	const sa_endpoints_t *ep;
	unsigned int flags;
	const struct iovec *iov;
	unsigned int iovcnt;
	size_t total;		/* valid once total_known */
	bool total_known;
	bool tcp;
	bool invalid_iov;	/* step-8 failure: outputs stay untouched */
	size_t written;		/* copied out through *len */
	sae_connid_t cid;	/* copied out through *connid */
};

static int cx_fail(int err)
{
	errno = err;
	return -1;
}

static const unsigned char cx_v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* The IPv4 address inside sa (plain or v4-mapped), or false. */
static bool cx_sa_v4(const struct sockaddr *sa, struct in_addr *a)
{
	if (sa->sa_family == AF_INET) {
		*a = ((const struct sockaddr_in *)sa)->sin_addr;
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a6 =
			&((const struct sockaddr_in6 *)sa)->sin6_addr;

		if (!memcmp(a6, cx_v4mapped_prefix, 12)) {
			memcpy(a, a6->s6_addr + 12, 4);
			return true;
		}
	}
	return false;
}

static socklen_t cx_sa_size(sa_family_t fam)
{
	if (fam == AF_INET)
		return sizeof(struct sockaddr_in);
	if (fam == AF_INET6)
		return sizeof(struct sockaddr_in6);
	return 0;
}

static in_port_t cx_sa_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ((const struct sockaddr_in *)sa)->sin_port;
	return ((const struct sockaddr_in6 *)sa)->sin6_port;
}

static bool cx_sa_is_wildcard(const struct sockaddr *sa)
{
	struct in_addr a;

	if (cx_sa_v4(sa, &a))
		return a.s_addr == htonl(INADDR_ANY);
	return IN6_IS_ADDR_UNSPECIFIED(
		&((const struct sockaddr_in6 *)sa)->sin6_addr);
}

static bool cx_sa_is_mcast_or_bcast(const struct sockaddr *sa)
{
	struct in_addr a;

	if (cx_sa_v4(sa, &a))
		return IN_MULTICAST(ntohl(a.s_addr)) ||
		       a.s_addr == htonl(INADDR_BROADCAST);
	return IN6_IS_ADDR_MULTICAST(
		&((const struct sockaddr_in6 *)sa)->sin6_addr);
}

/* Same address (v4-mapped and plain compare equal) and same port. */
static bool cx_sa_same(const struct sockaddr *x, const struct sockaddr *y)
{
	struct in_addr a = { 0 }, b = { 0 };
	bool xv4 = cx_sa_v4(x, &a), yv4 = cx_sa_v4(y, &b);

	if (cx_sa_port(x) != cx_sa_port(y) || xv4 != yv4)
		return false;
	if (xv4)
		return a.s_addr == b.s_addr;
	return IN6_ARE_ADDR_EQUAL(&((const struct sockaddr_in6 *)x)->sin6_addr,
				  &((const struct sockaddr_in6 *)y)->sin6_addr);
}

/*
 * Read the caller's iovec array without trusting it: the kernel copies it
 * for us (process_vm_readv on ourselves), so an unmapped array is EFAULT
 * rather than a crash.  Where that call is unavailable (seccomp), read it
 * directly.  0, -EFAULT, or -EINVAL when the total overflows.
 */
static int cx_iov_probe(struct cx_call *c)
{
	struct iovec chunk[64];
	size_t sum = 0;
	pid_t self = getpid();
	int ret = 0;

	for (unsigned int i = 0; i < c->iovcnt; i += 64) {
		unsigned int k = c->iovcnt - i < 64 ? c->iovcnt - i : 64;
		struct iovec local = { chunk, k * sizeof(struct iovec) };
		struct iovec remote = { (void *)(c->iov + i), local.iov_len };
		ssize_t n = process_vm_readv(self, &local, 1, &remote, 1, 0);

		if (n < 0 && (errno == ENOSYS || errno == EPERM)) {
			memcpy(chunk, c->iov + i, local.iov_len);
			n = (ssize_t)local.iov_len;
		}
		if (n != (ssize_t)local.iov_len) {
			ret = -EFAULT;
			goto out;
		}
		if (!tfo_iov_total(chunk, k, &local.iov_len) ||
		    local.iov_len > (size_t)SSIZE_MAX - sum) {
			ret = -EINVAL;
			goto out;
		}
		sum += local.iov_len;
	}
	c->total = sum;
	c->total_known = true;
out:
	c->invalid_iov = ret != 0;
	return ret;
}

/*
 * The argument checks of XNU's connectx_nocancel (docs/xnu-connectx.md §3)
 * that need no system call, in XNU's order, then associd.  The EFAULT of
 * step 8 is the kernel's to find on the fast path (it copies the iov for
 * sendmsg); cx_iov_probe() finds it wherever we must look first.
 */
static int cx_validate_args(const sa_endpoints_t *ep, sae_associd_t aid,
			    const struct iovec *iov, unsigned int iovcnt,
			    const size_t *len)
{
	if (!ep)
		return -EINVAL;
	if (ep->sae_srcaddr) {
		if (ep->sae_srcaddrlen < 2)
			return -EINVAL;
		if (ep->sae_srcaddrlen > CX_MAXADDRLEN)
			return -ENAMETOOLONG;
	}
	if (!ep->sae_dstaddr || ep->sae_dstaddrlen < 2)
		return -EINVAL;
	if (ep->sae_dstaddrlen > CX_MAXADDRLEN)
		return -ENAMETOOLONG;
	if (iov && (iovcnt == 0 || iovcnt > CX_MAXIOV))
		return -EINVAL;
	if (iov && !len)
		return -EINVAL;
	/*
	 * The page: associd "must always be set to SAE_ASSOCID_ANY".  XNU
	 * does not check it; the page is our contract.
	 */
	if (aid != SAE_ASSOCID_ANY)
		return -EINVAL;
	return 0;
}

/* EBADF/ENOTSOCK outrank every argument error (XNU step 1). */
static int cx_validate_fd(int s)
{
	int t = tfo_sock_type(s);

	return t < 0 && (t == -EBADF || t == -ENOTSOCK) ? t : 0;
}

/*
 * A kernel EINVAL/EAFNOSUPPORT about an address whose family is not the
 * socket's is Darwin's EAFNOSUPPORT for TCP and EINVAL for UDP
 * (docs/xnu-connectx.md §5, §9).
 */
static int cx_family_errno(const struct cx_call *c,
			   const struct sockaddr *sa, int err)
{
	int dom;

	if (err != -EINVAL && err != -EAFNOSUPPORT)
		return err;
	dom = tfo_sock_domain(c->s);
	if (dom < 0 || dom == sa->sa_family)
		return err;
	/* an AF_INET6 socket takes AF_INET addresses where Linux allows */
	return c->tcp ? -EAFNOSUPPORT : -EINVAL;
}

/* sae_srcif: SO_BINDTOIFINDEX; Darwin's IP_BOUND_IF says ENXIO. */
static int cx_bind_srcif(const struct cx_call *c)
{
	int idx = (int)c->ep->sae_srcif;
	char name[IF_NAMESIZE];

	if (!c->ep->sae_srcif)
		return 0;
	/* Linux accepts any index here and fails the connect with ENODEV */
	if (c->ep->sae_srcif > INT_MAX || !if_indextoname(c->ep->sae_srcif,
							   name))
		return -ENXIO;
	if (setsockopt(c->s, SOL_SOCKET, SO_BINDTOIFINDEX, &idx,
		       sizeof(idx)) < 0)
		return errno == ENODEV ? -ENXIO : -errno;
	return 0;
}

/* sae_srcaddr: XNU's tcp_usr_bind/udp_bind checks, then bind(). */
static int cx_bind_srcaddr(const struct cx_call *c)
{
	const struct sockaddr *sa = c->ep->sae_srcaddr;

	if (!sa)
		return 0;
	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (c->ep->sae_srcaddrlen != cx_sa_size(sa->sa_family))
		return cx_family_errno(c, sa, -EINVAL);
	if (c->tcp && cx_sa_is_mcast_or_bcast(sa))
		return -EAFNOSUPPORT;
	if (bind(c->s, sa, c->ep->sae_srcaddrlen) < 0)
		return cx_family_errno(c, sa, -errno);
	return 0;
}

/*
 * What XNU's tcp_usr_connect/in_pcbladdr reject and Linux accepts
 * (docs/xnu-connectx.md §5): multicast/broadcast TCP peers, lengths
 * other than the family's sockaddr, port 0, and an explicit self-connect.
 */
static int cx_validate_dst(const struct cx_call *c)
{
	const struct sockaddr *dst = c->ep->sae_dstaddr;
	const struct sockaddr *src = c->ep->sae_srcaddr;
	struct in_addr v4;
	int err = 0;

	if (dst->sa_family != AF_INET && dst->sa_family != AF_INET6)
		return c->tcp ? -EAFNOSUPPORT : -EINVAL;
	if (c->ep->sae_dstaddrlen != cx_sa_size(dst->sa_family))
		err = -EINVAL;
	else if (c->tcp && cx_sa_is_mcast_or_bcast(dst))
		err = -EAFNOSUPPORT;
	else if (cx_sa_port(dst) == 0)
		err = -EADDRNOTAVAIL;
	else if (c->tcp && src && c->ep->sae_srcaddrlen == cx_sa_size(
			src->sa_family) && cx_sa_v4(dst, &v4) &&
		 cx_sa_same(src, dst))
		/* only XNU's IPv4 tcp_connect refuses a self-connect */
		err = -EINVAL;
	{
		/* a destination of the other IP family is reported before
		 * anything else: EAFNOSUPPORT for TCP, EINVAL for UDP (XNU's
		 * in_pcbladdr/in6_pcbladdr length check), on either socket */
		int dom = tfo_sock_domain(c->s);

		if (dom >= 0 && dom != dst->sa_family)
			err = c->tcp ? -EAFNOSUPPORT : -EINVAL;
	}
	return err;
}

/*
 * Both sae_srcif and sae_srcaddr: the page wants EADDRNOTAVAIL unless the
 * address is assigned to that interface.  Linux binds either way, so look
 * it up.  A wildcard address asks for no particular address and passes.
 */
static int cx_check_src_on_if(const struct cx_call *c)
{
	const struct sockaddr *src = c->ep->sae_srcaddr;
	char name[IF_NAMESIZE];
	struct ifaddrs *ifa = NULL;
	struct in_addr v4 = { 0 };
	bool is_v4;
	int ret = -EADDRNOTAVAIL;

	if (!c->ep->sae_srcif || !src || cx_sa_is_wildcard(src))
		return 0;
	is_v4 = cx_sa_v4(src, &v4);
	if (!if_indextoname(c->ep->sae_srcif, name))
		return -ENXIO;
	if (getifaddrs(&ifa) < 0)
		return -errno;
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || strcmp(i->ifa_name, name))
			continue;
		if (is_v4 && i->ifa_addr->sa_family == AF_INET &&
		    ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr ==
			    v4.s_addr)
			ret = 0;
		if (!is_v4 && i->ifa_addr->sa_family == AF_INET6 &&
		    IN6_ARE_ADDR_EQUAL(
			    &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr,
			    &((const struct sockaddr_in6 *)src)->sin6_addr))
			ret = 0;
		if (!ret)
			break;
	}
	freeifaddrs(ifa);
	return ret;
}

/* Linux errnos the page does not list, mapped to the ones it does. */
static int cx_errno_map(const struct cx_call *c, int err)
{
	if (err == -ENOMEM)
		return -ENOBUFS;
	if (err == -ENODEV) /* bound interface gone: IP_BOUND_IF's errno */
		return -ENXIO;
	return cx_family_errno(c, c->ep->sae_dstaddr, err);
}

/*
 * After n bytes went in: complete (0), or -EINPROGRESS while the
 * handshake still runs or part of the iov is left (Darwin's answer for a
 * non-blocking socket, and for a blocking one whose send timed out).
 */
static int cx_tcp_data_result(struct cx_call *c, size_t n)
{
	int state;

	c->written = n;
	if (!c->total_known && !tfo_iov_total(c->iov, c->iovcnt, &c->total))
		return -EINVAL;
	c->total_known = true;
	if (n < c->total)
		return -EINPROGRESS;
	state = tfo_sock_tcp_state(c->s);
	if (state == TFO_TCP_SYN_SENT || state == TFO_TCP_SYN_RECV)
		return -EINPROGRESS;
	c->cid = 1;
	return 0;
}

/* connect() then write the iov: data without TFO (or TFO unavailable). */
static int cx_tcp_connect_send(struct cx_call *c)
{
	const struct sockaddr *dst = c->ep->sae_dstaddr;
	ssize_t r;
	int ret;

	if (!c->total_known) {
		ret = cx_iov_probe(c);
		if (ret)
			goto out;
	}
	r = tfo_connect_then_send(c->s, dst, c->ep->sae_dstaddrlen, c->iov,
				  c->iovcnt);
	if (r < 0) {
		ret = cx_errno_map(c, (int)r);
		goto out;
	}
	ret = cx_tcp_data_result(c, (size_t)r);
out:
	return ret;
}

/* TFO with data: one sendmsg(MSG_FASTOPEN); fall back where unsupported. */
static int cx_tcp_fastopen_send(struct cx_call *c)
{
	const struct sockaddr *dst = c->ep->sae_dstaddr;
	ssize_t n;
	int ret;

	if (c->flags & CONNECT_DATA_AUTHENTICATED) {
		/* data in the SYN without a cookie, as XNU does */
		int one = 1;

		(void)setsockopt(c->s, IPPROTO_TCP, TCP_FASTOPEN_NO_COOKIE,
				 &one, sizeof(one));
	}
	n = tfo_sendmsg_fastopen(c->s, dst, c->ep->sae_dstaddrlen, c->iov,
				 c->iovcnt);
	if (n >= 0) {
		ret = cx_tcp_data_result(c, (size_t)n);
		goto out;
	}
	if (tfo_err_means_no_fastopen((int)-n)) {
		ret = cx_tcp_connect_send(c);
		if (ret == -EISCONN && n != -EOPNOTSUPP)
			ret = (int)n;
		goto out;
	}
	/* an unreadable iov array fails sendmsg before it connects */
	if (n == -EFAULT && cx_iov_probe(c)) {
		ret = -EFAULT;
		goto out;
	}
	/* Linux queues nothing before the handshake without a cookie. */
	ret = n == -EINPROGRESS ? -EINPROGRESS : cx_errno_map(c, (int)n);
out:
	return ret;
}

/* No iov: a plain connect, or RESUME's deferred one. */
static int cx_tcp_connect_only(struct cx_call *c)
{
	bool resume = c->flags & CONNECT_RESUME_ON_READ_WRITE;
	int ret;

	if (resume && (c->flags & CONNECT_DATA_IDEMPOTENT)) {
		/*
		 * TCP_FASTOPEN_CONNECT defers the SYN to the first write when
		 * a cookie is cached; without one Linux sends the SYN now.
		 */
		int one = 1;

		if (c->flags & CONNECT_DATA_AUTHENTICATED)
			(void)setsockopt(c->s, IPPROTO_TCP,
					 TCP_FASTOPEN_NO_COOKIE, &one,
					 sizeof(one));
		(void)setsockopt(c->s, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one,
				 sizeof(one));
	}
	ret = tfo_connect(c->s, c->ep->sae_dstaddr, c->ep->sae_dstaddrlen);
	if (ret == -EINPROGRESS) {
		c->cid = 1;
		/* RESUME: "will immediately return success" */
		if (resume)
			ret = 0;
		goto out;
	}
	if (ret) {
		/* XNU sets *connid once the SYN has left, before it waits:
		 * an attempt that then fails still reports 1 */
		if (ret == -ECONNREFUSED || ret == -ETIMEDOUT ||
		    ret == -EHOSTUNREACH || ret == -EINTR ||
		    ret == -ECONNABORTED || ret == -ECONNRESET)
			c->cid = 1;
		ret = cx_errno_map(c, ret);
		goto out;
	}
	c->cid = 1;
out:
	return ret;
}

/* XNU's socket-state checks (docs/xnu-connectx.md §4) from tcpi_state,
 * before anything changes. */
static int cx_tcp_check_state(int state)
{
	int ret = 0;

	if (state == TFO_TCP_CLOSE)
		goto out;
	if (state == TFO_TCP_SYN_SENT || state == TFO_TCP_SYN_RECV) {
		/*
		 * The page: "EALREADY: A previous connection attempt has not
		 * yet been completed", blocking or not.  (XNU gives a
		 * blocking socket EISCONN, docs/xnu-connectx.md §11; the
		 * page is the contract.)  Checked here, so a blocking caller is told at
		 * once instead of sleeping in the kernel's connect wait.
		 */
		ret = -EALREADY;
	} else if (state == TFO_TCP_LISTEN) {
		ret = -EOPNOTSUPP;
	} else {
		ret = -EISCONN;
	}
out:
	return ret;
}

static int cx_protocol_bind(struct cx_call *c)
{
	int ret = cx_bind_srcif(c);

	if (ret)
		goto out;
	ret = cx_bind_srcaddr(c);
	if (ret)
		goto out;
	ret = cx_validate_dst(c);
	if (ret)
		goto out;
	ret = cx_check_src_on_if(c);
out:
	return ret;
}

/*
 * ENETDOWN, "the local network interface is not functioning": Linux
 * routing reports a down interface as ENETUNREACH (its routes are gone).
 * When the caller pinned the connection to sae_srcif and that interface is
 * not up and running, the page's more precise errno is the true one.
 */
static int cx_netdown_map(const struct cx_call *c, int ret)
{
	struct ifreq ifr;

	if (ret != -ENETUNREACH || !c->ep->sae_srcif)
		return ret;
	memset(&ifr, 0, sizeof(ifr));
	if (!if_indextoname(c->ep->sae_srcif, ifr.ifr_name) ||
	    ioctl(c->s, SIOCGIFFLAGS, &ifr))
		return ret;
	if ((ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) != (IFF_UP | IFF_RUNNING))
		return -ENETDOWN;
	return ret;
}

static int cx_tcp(struct cx_call *c, int state)
{
	int ret = cx_tcp_check_state(state);
if (ret)
		goto out;
	ret = cx_protocol_bind(c);
	if (ret)
		goto out;
	if (!c->iov)
		ret = cx_tcp_connect_only(c);
	else if (c->flags & CONNECT_DATA_IDEMPOTENT)
		ret = cx_tcp_fastopen_send(c);
	else
		ret = cx_tcp_connect_send(c);
	ret = cx_netdown_map(c, ret);
out:
	return ret;
}

/* Put a UDP socket back to its previous peer (or none). */
static void cx_udp_restore(const struct cx_call *c,
			   const struct sockaddr_storage *old, socklen_t oldlen)
{
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };

	if (oldlen)
		(void)connect(c->s, (const struct sockaddr *)old, oldlen);
	else
		(void)connect(c->s, &unspec, sizeof(unspec));
}

/*
 * UDP: associate (re-associating is allowed), then send one datagram.  A
 * datagram that cannot go atomically is EMSGSIZE with the socket as it
 * was: checked before any side effect, and undone if the kernel still
 * refuses it.
 */
static int cx_udp(struct cx_call *c)
{
	const struct sockaddr *dst = c->ep->sae_dstaddr;
	struct sockaddr_storage old;
	socklen_t oldlen = 0;
	struct in_addr v4;
	ssize_t n;
	int ret;

	if (c->iov) {
		size_t max;

		ret = c->total_known ? 0 : cx_iov_probe(c);
		if (ret)
			goto out;
		max = c->ep->sae_dstaddrlen >= cx_sa_size(dst->sa_family) &&
		      !cx_sa_v4(dst, &v4) ? CX_UDP6_MAX : CX_UDP4_MAX;
		if (c->total > max) {
			ret = -EMSGSIZE;
			goto out;
		}
	}
	ret = cx_protocol_bind(c);
	if (ret)
		goto out;
	if (c->iov) {
		oldlen = sizeof(old);
		if (getpeername(c->s, (struct sockaddr *)&old, &oldlen) < 0)
			oldlen = 0;
	}
	ret = tfo_connect(c->s, dst, c->ep->sae_dstaddrlen);
	if (ret) {
		ret = cx_errno_map(c, ret);
		goto out;
	}
	if (c->iov) {
		struct msghdr msg = { .msg_iov = (struct iovec *)c->iov,
				      .msg_iovlen = c->iovcnt };

		n = sendmsg(c->s, &msg, MSG_NOSIGNAL);
		if (n < 0) {
			ret = -errno;
			if (ret == -EMSGSIZE)
				cx_udp_restore(c, &old, oldlen);
			goto out;
		}
		c->written = (size_t)n;
	}
	c->cid = 1;
out:
	return ret;
}

/* Not TCP: UDP over IPv4/IPv6 is the only other thing connectx takes. */
static int cx_classify_other(int s)
{
	int type = tfo_sock_type(s), dom = tfo_sock_domain(s);
	int proto = tfo_sock_protocol(s);

	if (type < 0)
		return type;
	if (type == SOCK_DGRAM && (dom == AF_INET || dom == AF_INET6) &&
	    (proto == IPPROTO_UDP || proto == 0))
		return 0;
	return -EOPNOTSUPP;
}

TFO_EXPORT int connectx(int socket, const sa_endpoints_t *endpoints,
			sae_associd_t associd, unsigned int flags,
			const struct iovec *iov, unsigned int iovcnt,
			size_t *len, sae_connid_t *connid)
{
	struct cx_call c = {
		.s = socket,
		.ep = endpoints,
		.flags = flags,
		.iov = iov,
		.iovcnt = iov ? iovcnt : 0,
	};
	int err, state;

	err = cx_validate_args(endpoints, associd, iov, iovcnt, len);
	if (err) {
		int fderr = cx_validate_fd(socket);

		/* an invalid associd is ours: XNU's own checks come first */
		if (!fderr && iov && cx_validate_args(endpoints, SAE_ASSOCID_ANY,
						     iov, iovcnt, len) == 0)
			fderr = cx_iov_probe(&c);
		return cx_fail(-(fderr ? fderr : err));
	}

	state = tfo_sock_tcp_state(socket);
	if (state == -EBADF || state == -ENOTSOCK)
		return cx_fail(-state);
	/*
	 * Step 9 before anything changes.  Only the TFO fast path leaves
	 * the iov to the kernel, which reads it before connecting.
	 */
	if (iov && !(state == TFO_TCP_CLOSE &&
		     (flags & CONNECT_DATA_IDEMPOTENT) && !endpoints->sae_srcif &&
		     !endpoints->sae_srcaddr)) {
		err = cx_iov_probe(&c);
		if (err)
			return cx_fail(-err);
	}

	/* From here on XNU copies *len and *connid out, whatever happens. */
	if (state >= 0) {
		c.tcp = true;
		err = cx_tcp(&c, state);
	} else {
		err = cx_classify_other(socket);
		if (!err)
			err = cx_udp(&c);
	}
	if (c.invalid_iov)
		return cx_fail(-err);
	if (len)
		*len = c.written;
	if (connid)
		*connid = c.cid;
	return err ? cx_fail(-err) : 0;
}

/*
 * TCP: Darwin's tcp_usr_disconnectx.  Unread data, a zero linger time or
 * a connection not yet established is aborted (Linux's AF_UNSPEC
 * disconnect sends the RST when there is a peer); an established one is
 * shut down with a FIN.  Never ENOTCONN/EALREADY.
 */
static int dx_tcp(int s, int state)
{
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	struct linger lg = { 0, 0 };
	socklen_t ll = sizeof(lg);
	int unread = 0;

	switch (state) {
	case TFO_TCP_LISTEN:
	case TFO_TCP_SYN_SENT:
	case TFO_TCP_SYN_RECV:
		break;
	case TFO_TCP_ESTABLISHED:
	case TFO_TCP_CLOSE_WAIT:
		if (ioctl(s, FIONREAD, &unread) == 0 && unread > 0)
			break;
		/* SO_LINGER {1,0} asks for an abortive close: XNU's
		 * tcp_disconnect drops the connection (RST) */
		if (getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &ll) == 0 &&
		    lg.l_onoff && !lg.l_linger)
			break;
		(void)shutdown(s, SHUT_RDWR);
		return 0;
	default:
		return 0;
	}
	return connect(s, &unspec, sizeof(unspec)) < 0 ? -errno : 0;
}

/* UDP: dissolve the association; none is ENOTCONN. */
static int dx_udp(int s)
{
	struct sockaddr_storage ss;
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	socklen_t sl = sizeof(ss);

	if (getpeername(s, (struct sockaddr *)&ss, &sl) < 0)
		return -errno;
	return connect(s, &unspec, sizeof(unspec)) < 0 ? -errno : 0;
}

TFO_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid)
{
	int state = tfo_sock_tcp_state(s);
	int err;

	(void)cid; /* ignored by TCP and UDP on Darwin too */
	if (state == -EBADF || state == -ENOTSOCK)
		return cx_fail(-state);
	if (state < 0) {
		err = cx_classify_other(s);
		if (err)
			return cx_fail(-err);
	}
	if (aid != SAE_ASSOCID_ANY && aid != SAE_ASSOCID_ALL)
		return cx_fail(EINVAL);
	err = state >= 0 ? dx_tcp(s, state) : dx_udp(s);
	return err ? cx_fail(-err) : 0;
}
