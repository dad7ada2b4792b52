/* SPDX-License-Identifier: MIT */
/*
 * connectx(2) cases, part 1: argument validation, socket state and the
 * ABI.  A call rejected for its arguments must have no effect at all: the
 * socket stays unbound and unconnected and *len / *connid keep the
 * sentinels written before the call (XNU copies them out only once the
 * arguments are accepted, notes §1.2/§1.3).  Errors XNU finds in its
 * protocol stage (address length, family) come after that point: there
 * the outputs may hold 0, never anything else.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cases/connectx.h"
#include "harness/libload.h"

/* The suite's header is Darwin's ABI (notes §1.1). */
_Static_assert(SAE_ASSOCID_ANY == 0 && SAE_CONNID_ANY == 0, "SAE_*_ANY");
_Static_assert(SAE_ASSOCID_ALL == 0xffffffffU, "SAE_ASSOCID_ALL");
_Static_assert(CONNECT_RESUME_ON_READ_WRITE == 0x1 &&
		       CONNECT_DATA_IDEMPOTENT == 0x2,
	       "CONNECT_* flags");
_Static_assert(sizeof(sae_associd_t) == 4 && sizeof(sae_connid_t) == 4,
	       "sae_*_t widths");

enum cxv {
	CXV_BADF,
	CXV_NOTSOCK,
	CXV_UNIX,
	CXV_NULL_EP,
	CXV_EP_UNMAPPED,
	CXV_NULL_DST,
	CXV_DSTLEN_SHORT,
	CXV_DSTLEN_WRONG,
	CXV_FAMILY,
	CXV_IOVCNT_ZERO,
	CXV_IOVCNT_MAX,
	CXV_IOV_NOLEN,
	CXV_IOV_UNMAPPED,
	CXV_ASSOCID,
};

static struct iovec cx_many_iov[1025];
static char cx_byte = 'x';

/* A page nothing can read: an address "outside the allocated space". */
static void *cx_unmapped_page(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * The wrong-family destination of the family: an AF_INET socket gets a
 * sockaddr_in6 and an AF_INET6 socket a sockaddr_in.
 */
static void cx_other_family(struct case_ctx *c, struct cx_ep *e,
			    uint16_t port)
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
}

/* Run connectx on a child so a fault is an outcome, not the case's end. */
static void cx_validate_in_child(struct case_ctx *c, int fd,
				 const void *endpoints)
{
	int status = 0;
	pid_t pid = fork();

	if (pid < 0) {
		case_error(c, "fork: %s", util_errno_name(errno));
		return;
	}
	if (!pid) {
		size_t len = CX_LEN_SENTINEL;
		uint32_t cid = CX_CID_SENTINEL;
		int r = c->lib->connectx(fd, endpoints, SAE_ASSOCID_ANY, 0,
					 NULL, 0, &len, &cid);

		_exit(r == -1 ? (errno & 0x7f) : 0x7f);
	}
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status)) {
		/* the Linux limit is a fault, nothing else */
		cx_known(c, CXL_FAULT_POINTER, WTERMSIG(status) == SIGSEGV ||
						       WTERMSIG(status) == SIGBUS);
		case_fail(c, "expected an unmapped endpoints pointer to fail with EFAULT; observed the call killed by signal %d",
			  WTERMSIG(status));
		return;
	}
	CASE_EXPECT(c, WIFEXITED(status) && WEXITSTATUS(status) == EFAULT,
		    "expected an unmapped endpoints pointer to fail with EFAULT; observed %s",
		    !WIFEXITED(status) ? "the child neither exited nor was killed" :
		    WEXITSTATUS(status) == 0x7f ? "success" :
		    util_errno_name(WEXITSTATUS(status)));
}

/* Nothing happened to the socket: not connected, not bound. */
static bool cx_untouched_socket(struct case_ctx *c, int fd, const char *what)
{
	char peer[80], self[80];

	cx_name_text(fd, true, peer, sizeof(peer));
	if (strcmp(peer, "ENOTCONN")) {
		case_fail(c, "%s: expected the rejected call to leave the socket unconnected; observed getpeername %s",
			  what, peer);
		return false;
	}
	if (cc_local_port(fd)) {
		cx_name_text(fd, false, self, sizeof(self));
		case_fail(c, "%s: expected the rejected call to leave the socket unbound; observed getsockname %s",
			  what, self);
		return false;
	}
	return true;
}

/*
 * "supported only on AF_INET and AF_INET6 sockets": an AF_UNIX stream
 * socket aimed at a listening AF_UNIX peer must be refused and must not
 * connect.  The page names no errno; XNU returns EOPNOTSUPP (no
 * pru_connectx, notes §1.2 step 15, after the outputs are copied out, so
 * they may read 0).
 */
static void cx_validation_unix(struct case_ctx *c)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	sa_endpoints_t ep = { 0 };
	struct cx_out o;
	int l, fd, ret, err, a;

	/* an abstract name, private to the case's network namespace */
	snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "tfocheck-%d",
		 (int)getpid());
	l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CASE_SETUP(c, l < 0 || fd < 0 ? -errno : 0);
	CASE_SETUP(c, bind(l, (struct sockaddr *)&sun, sizeof(sun)) ||
			      listen(l, 4) ? -errno : 0);
	ep.sae_dstaddr = (struct sockaddr *)&sun;
	ep.sae_dstaddrlen = sizeof(sun);
	ret = cx_call(c, fd, &ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	CASE_EXPECT(c, ret == -1 && err == EOPNOTSUPP,
		    "expected connectx on an AF_UNIX socket to be refused with EOPNOTSUPP (Darwin's errno; the page supports only AF_INET/AF_INET6); observed %s",
		    cx_res(ret, err));
	CASE_EXPECT(c, (o.len == CX_LEN_SENTINEL && o.cid == CX_CID_SENTINEL) ||
			       (o.len == 0 && o.cid == 0),
		    "expected *len and *connid untouched or 0; observed *len %#zx, *connid %#x",
		    o.len, o.cid);
	a = accept(l, NULL, NULL);
	CASE_EXPECT(c, a < 0 && errno == EAGAIN,
		    "expected no connection at the AF_UNIX listener; observed %s",
		    a >= 0 ? "one" : util_errno_name(errno));
	close(fd);
	close(l);
}

/* Argument errors: the errno, and no effect on socket or outputs. */
static void cx_validation(struct case_ctx *c)
{
	enum cxv v = (enum cxv)c->def->arg;
	const struct iovec *iov = NULL;
	struct iovec one = { &cx_byte, 1 };
	unsigned int iovcnt = 0, flags = 0;
	uint32_t aid = SAE_ASSOCID_ANY;
	bool late = false; /* XNU's protocol stage: outputs may be 0 */
	const sa_endpoints_t *ep;
	int want = EINVAL, fd, ret, err, pfd[2];
	struct cx_out o;
	struct cx_ep e;
	struct peer p;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	cx_ep_server(c, &e, p.port);
	ep = &e.ep;
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);

	switch (v) {
	case CXV_BADF:
		/* a descriptor that was open a moment ago */
		close(fd);
		want = EBADF;
		break;
	case CXV_NOTSOCK:
		CASE_SETUP(c, pipe(pfd) ? -errno : 0);
		close(fd);
		fd = pfd[0];
		want = ENOTSOCK;
		break;
	case CXV_NULL_EP:
		ep = NULL;
		break;
	case CXV_EP_UNMAPPED:
		ep = cx_unmapped_page();
		CASE_SETUP(c, ep ? 0 : -ENOMEM);
		cx_validate_in_child(c, fd, ep);
		close(fd);
		peer_stop(&p);
		return;
	case CXV_NULL_DST:
		e.ep.sae_dstaddr = NULL;
		break;
	case CXV_DSTLEN_SHORT:
		e.ep.sae_dstaddrlen = 1;
		break;
	case CXV_DSTLEN_WRONG:
		e.ep.sae_dstaddrlen -= 1;
		late = true;
		break;
	case CXV_FAMILY:
		cx_other_family(c, &e, p.port);
		want = EAFNOSUPPORT;
		late = true;
		break;
	case CXV_IOVCNT_ZERO:
		iov = &one;
		break;
	case CXV_IOVCNT_MAX:
		for (size_t i = 0; i < ARRAY_SIZE(cx_many_iov); i++)
			cx_many_iov[i] = one;
		iov = cx_many_iov;
		iovcnt = 1025;
		break;
	case CXV_IOV_NOLEN:
		iov = &one;
		iovcnt = 1;
		break;
	case CXV_IOV_UNMAPPED:
		iov = cx_unmapped_page();
		CASE_SETUP(c, iov ? 0 : -ENOMEM);
		iovcnt = 1;
		flags = CONNECT_DATA_IDEMPOTENT;
		want = EFAULT;
		break;
	case CXV_UNIX: /* its own body below */
		break;
	case CXV_ASSOCID:
		aid = 42;
		cx_known(c, CXL_DARWIN_ASSOCID, true);
		break;
	}

	if (v == CXV_UNIX) {
		cx_validation_unix(c);
		close(fd);
		peer_stop(&p);
		return;
	}
	if (v == CXV_IOV_NOLEN) {
		/* no len to look at: *connid and the socket tell */
		uint32_t cid = CX_CID_SENTINEL;

		errno = 0;
		ret = c->lib->connectx(fd, ep, aid, flags, iov, iovcnt, NULL,
				       &cid);
		err = ret ? errno : 0;
		CASE_EXPECT(c, ret == -1 && err == EINVAL,
			    "expected an iov without len to fail with EINVAL; observed %s",
			    cx_res(ret, err));
		CASE_EXPECT(c, cid == CX_CID_SENTINEL,
			    "expected *connid untouched by a rejected argument; observed %#x (sentinel %#x)",
			    cid, CX_CID_SENTINEL);
		if (!cx_untouched_socket(c, fd, "EINVAL"))
			return;
		close(fd);
		peer_stop(&p);
		return;
	}
	ret = cx_call(c, fd, ep, aid, flags, iov, iovcnt, &o, &err);
	CASE_EXPECT(c, ret == -1 && err == want,
		    "expected %s; observed %s", util_errno_name(want),
		    cx_res(ret, err));
	if (late)
		CASE_EXPECT(c, (o.len == CX_LEN_SENTINEL && o.cid == CX_CID_SENTINEL) ||
				       (o.len == 0 && o.cid == 0),
			    "expected *len and *connid untouched or 0 after %s; observed *len %#zx, *connid %#x",
			    util_errno_name(want), o.len, o.cid);
	else
		CASE_EXPECT(c, o.len == CX_LEN_SENTINEL && o.cid == CX_CID_SENTINEL,
			    "expected *len and *connid untouched by a rejected argument; observed *len %#zx, *connid %#x (sentinels %#zx, %#x)",
			    o.len, o.cid, CX_LEN_SENTINEL, CX_CID_SENTINEL);
	if (want != EBADF && want != ENOTSOCK &&
	    !cx_untouched_socket(c, fd, util_errno_name(want)))
		return;
	if (want != EBADF)
		close(fd);
	if (v == CXV_NOTSOCK)
		close(pfd[1]);
	peer_stop(&p);
}

enum cxs {
	CXS_LISTEN,
	CXS_ISCONN,
	CXS_ALREADY,
	CXS_NB_CONNECTED,
	CXS_NB_REFUSED,
};

/* A blocking connect to the peer through connectx; true when it worked. */
static bool cx_connect_ok(struct case_ctx *c, int fd, const sa_endpoints_t *ep,
			  const char *what)
{
	struct cx_out o;
	int err, ret = cx_call(c, fd, ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
			       &err);

	if (ret) {
		case_fail(c, "%s: expected connectx to the listening server to succeed; observed %s",
			  what, cx_res(ret, err));
		return false;
	}
	return true;
}

/* Socket states: listening, connected, connecting, non-blocking. */
static void cx_state(struct case_ctx *c)
{
	enum cxs v = (enum cxs)c->def->arg;
	struct sockaddr_storage ss;
	char name[80];
	struct cx_out o;
	struct cx_ep e;
	struct peer p;
	socklen_t sl;
	int fd = -1, ret, err, soerr;

	switch (v) {
	case CXS_LISTEN:
		CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
		cx_ep_server(c, &e, p.port);
		fd = cx_socket(c, SOCK_STREAM, false);
		CASE_SETUP(c, fd);
		cx_ep_client_src(c, &e, CX_SRC_PORT);
		CASE_SETUP(c, bind(fd, e.ep.sae_srcaddr, e.ep.sae_srcaddrlen) ?
				      -errno : 0);
		CASE_SETUP(c, listen(fd, 1) ? -errno : 0);
		e.ep.sae_srcaddr = NULL;
		e.ep.sae_srcaddrlen = 0;
		ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
			      &err);
		CASE_EXPECT(c, ret == -1 && err == EOPNOTSUPP,
			    "expected connectx on a listening socket to fail with EOPNOTSUPP; observed %s",
			    cx_res(ret, err));
		break;
	case CXS_ISCONN:
		CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
		cx_ep_server(c, &e, p.port);
		fd = cx_socket(c, SOCK_STREAM, false);
		CASE_SETUP(c, fd);
		if (!cx_connect_ok(c, fd, &e.ep, "first call"))
			return;
		ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
			      &err);
		CASE_EXPECT(c, ret == -1 && err == EISCONN,
			    "expected a second connectx on a connected socket to fail with EISCONN; observed %s",
			    cx_res(ret, err));
		/* the first connection is intact and the only one */
		CASE_EXPECT(c, send(fd, "x", 1, MSG_NOSIGNAL) == 1,
			    "expected the established connection to survive the rejected call; send: %s",
			    util_errno_name(errno));
		close(fd);
		if (!cc_expect_bytes(c, &p, 0, "x", 1))
			return;
		CASE_EXPECT(c, peer_count(&p) == 1,
			    "expected one connection at the server; observed %u",
			    peer_count(&p));
		break;
	case CXS_ALREADY:
		/* drop-syn keeps the first attempt in SYN_SENT */
		cx_ep_server(c, &e, 9);
		fd = cx_socket(c, SOCK_STREAM, true);
		CASE_SETUP(c, fd);
		ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
			      &err);
		CASE_EXPECT(c, ret == -1 && err == EINPROGRESS,
			    "expected the first non-blocking connectx to fail with EINPROGRESS; observed %s",
			    cx_res(ret, err));
		ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
			      &err);
		CASE_EXPECT(c, ret == -1 && err == EALREADY,
			    "expected a second connectx while the first is in progress to fail with EALREADY; observed %s",
			    cx_res(ret, err));
		close(fd);
		return;
	case CXS_NB_CONNECTED:
	case CXS_NB_REFUSED:
		CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
		/* port 9 (discard) has no listener: RST */
		cx_ep_server(c, &e, v == CXS_NB_CONNECTED ? p.port : 9);
		fd = cx_socket(c, SOCK_STREAM, true);
		CASE_SETUP(c, fd);
		/*
		 * No escape for "it completed at once": without data neither
		 * kernel can finish the handshake inside a non-blocking call
		 * (Linux holds the socket while connect() runs, so the SYN-ACK
		 * or RST waits in the backlog until it returns; XNU returns
		 * EINPROGRESS while connecting, notes §1.3/§1.4).  A 0 or an
		 * ECONNREFUSED here means the library waited for the outcome.
		 */
		ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o,
			      &err);
		cx_name_text(fd, true, name, sizeof(name));
		CASE_EXPECT(c, ret == -1 && err == EINPROGRESS,
			    "expected non-blocking connectx without data to fail with EINPROGRESS at once (the outcome is for select and SO_ERROR); observed %s (getpeername %s)%s",
			    cx_res(ret, err), name,
			    ret == 0 || err == ECONNREFUSED ?
				    ": the call waited for the handshake" : "");
		CASE_EXPECT(c, cx_wait_writable(fd, 3000, &soerr) == 0,
			    "expected the socket to select writable once the attempt ends; observed not writable after 3 s");
		CASE_EXPECT(c, soerr == (v == CXS_NB_CONNECTED ? 0 : ECONNREFUSED),
			    "expected SO_ERROR %s once writable; observed %s",
			    v == CXS_NB_CONNECTED ? "0" : "ECONNREFUSED",
			    soerr ? util_errno_name(soerr) : "0");
		if (v == CXS_NB_CONNECTED) {
			sl = sizeof(ss);
			CASE_EXPECT(c, getpeername(fd, (struct sockaddr *)&ss, &sl) == 0 &&
					       cx_same_addr((struct sockaddr *)&ss, e.ep.sae_dstaddr, true),
				    "expected the connected socket's peer to be the destination; observed getpeername %s",
				    getpeername(fd, (struct sockaddr *)&ss, &sl) ?
					    util_errno_name(errno) : "another address");
		}
		break;
	}
	close(fd);
	peer_stop(&p);
}

/*
 * The library reads Darwin's layout: endpoints laid out by hand at the
 * LP64 offsets 0/8/16/24/32 (size 40), the source address at offset 8
 * must bind; *len is written as 8 bytes and *connid as 4, nothing past.
 */
static void cx_abi(struct case_ctx *c)
{
	struct {
		size_t len;
		uint64_t guard;
	} lenbox = { CX_LEN_SENTINEL, 0x1122334455667788ULL };
	struct {
		uint32_t cid;
		uint32_t guard;
	} cidbox = { CX_CID_SENTINEL, 0x99aabbccU };
	unsigned char raw[48];
	struct iovec one = { &cx_byte, 1 };
	struct sockaddr_storage ss;
	struct cx_ep e;
	struct peer p;
	socklen_t sl = sizeof(ss);
	uint32_t u32;
	int fd, ret;

#if __SIZEOF_POINTER__ == 8
	CASE_EXPECT(c, sizeof(sa_endpoints_t) == 40 &&
			       offsetof(sa_endpoints_t, sae_srcaddr) == 8 &&
			       offsetof(sa_endpoints_t, sae_srcaddrlen) == 16 &&
			       offsetof(sa_endpoints_t, sae_dstaddr) == 24 &&
			       offsetof(sa_endpoints_t, sae_dstaddrlen) == 32,
		    "expected sa_endpoints_t of size 40 with offsets 0/8/16/24/32 (Darwin LP64); observed size %zu",
		    sizeof(sa_endpoints_t));
#else
	case_skip(c, "the Darwin layout checked here is the LP64 one");
	return;
#endif
	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	cx_ep_server(c, &e, p.port);
	cx_ep_client_src(c, &e, CX_SRC_PORT);
	memset(raw, 0xee, sizeof(raw));
	u32 = 0;
	memcpy(raw + 0, &u32, 4);
	memcpy(raw + 8, &e.ep.sae_srcaddr, 8);
	u32 = e.ep.sae_srcaddrlen;
	memcpy(raw + 16, &u32, 4);
	memcpy(raw + 24, &e.ep.sae_dstaddr, 8);
	u32 = e.ep.sae_dstaddrlen;
	memcpy(raw + 32, &u32, 4);
	memset(raw + 36, 0, 4); /* tail padding */
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);
	/* literal flag values: the library must agree with Darwin's 0x2 */
	errno = 0;
	ret = c->lib->connectx(fd, raw, 0, 0x2, &one, 1, &lenbox.len,
			       &cidbox.cid);
	CASE_EXPECT(c, ret == 0,
		    "expected connectx with hand-laid Darwin endpoints to succeed; observed %s",
		    cx_res(ret, errno));
	CASE_EXPECT(c, getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
			       cx_same_addr((struct sockaddr *)&ss, e.ep.sae_srcaddr, true),
		    "expected the source address read at offset 8/16 to be bound (port %u); observed local port %u",
		    CX_SRC_PORT, cc_local_port(fd));
	CASE_EXPECT(c, lenbox.len == 1 && lenbox.guard == 0x1122334455667788ULL,
		    "expected *len written as one size_t (= 1) and nothing past it; observed *len %#zx, next word %#llx",
		    lenbox.len, (unsigned long long)lenbox.guard);
	CASE_EXPECT(c, cidbox.cid != CX_CID_SENTINEL && cidbox.guard == 0x99aabbccU,
		    "expected *connid written as 32 bits and nothing past it; observed *connid %#x, next word %#x",
		    cidbox.cid, cidbox.guard);
	close(fd);
	if (!cc_expect_bytes(c, &p, 0, &cx_byte, 1))
		return;
	peer_stop(&p);
}

#define CXV(id_, fams_, expect_, clause_, arg_)                               \
	CX(id_, TOPO_PAIR, FAULT_NONE, fams_, "tfo", REQ_NONE, expect_,       \
	   clause_, cx_validation, arg_, false)

CASE_TABLE(connectx_args,
	CXV("ebadf", FAMS_IPV4_ONLY,
	    "a closed descriptor: EBADF, outputs untouched",
	    "EBADF: socket is not a valid descriptor", CXV_BADF),
	CXV("enotsock", FAMS_IPV4_ONLY,
	    "a pipe: ENOTSOCK, outputs untouched",
	    "ENOTSOCK: socket is not a file descriptor for a socket",
	    CXV_NOTSOCK),
	CXV("unsupported_domain", FAMS_IPV4_ONLY,
	    "an AF_UNIX stream socket: refused (EOPNOTSUPP, as XNU), no connection made",
	    "connectx() is currently supported only on AF_INET and AF_INET6 sockets of type SOCK_DGRAM and SOCK_STREAM",
	    CXV_UNIX),
	CXV("null_endpoints", FAMS_IP,
	    "endpoints NULL: EINVAL, no effect (a crash is a failure)",
	    "A destination address must be specified in the sae_dstaddr parameter; EINVAL: an invalid argument was detected",
	    CXV_NULL_EP),
	CXV("endpoints_unmapped", FAMS_IPV4_ONLY,
	    "endpoints pointing at an unmapped page: EFAULT (XNU copyin); Linux: a user-space library may fault (SIGSEGV/SIGBUS, XFAIL), any other errno or success fails",
	    "EFAULT: part of ... data points outside the process's allocated address space",
	    CXV_EP_UNMAPPED),
	CXV("null_dstaddr", FAMS_IP,
	    "sae_dstaddr NULL: EINVAL, no effect",
	    "A destination address must be specified in the sae_dstaddr parameter",
	    CXV_NULL_DST),
	CXV("short_dstaddrlen", FAMS_IP,
	    "sae_dstaddrlen 1: EINVAL, no effect",
	    "EINVAL: ... sae_dstaddrlen is not valid", CXV_DSTLEN_SHORT),
	CXV("wrong_dstaddrlen", FAMS_IP,
	    "sae_dstaddrlen one short of the family's sockaddr: EINVAL, no connection",
	    "EINVAL: ... sae_dstaddrlen is not valid", CXV_DSTLEN_WRONG),
	CXV("family_mismatch", FAMS_IP,
	    "a destination of the other IP family: EAFNOSUPPORT, no connection",
	    "EAFNOSUPPORT: the socket cannot find any usable addresses of a specific address family as required by the communication domain",
	    CXV_FAMILY),
	CXV("iovcnt_zero", FAMS_IP,
	    "iov given with iovcnt 0: EINVAL, no effect",
	    "Data to be transmitted may optionally be defined via the iovcnt buffers specified by members of the iov array",
	    CXV_IOVCNT_ZERO),
	CXV("iovcnt_too_many", FAMS_IP,
	    "iovcnt 1025 (over UIO_MAXIOV): EINVAL, no effect",
	    "EINVAL: an invalid argument was detected", CXV_IOVCNT_MAX),
	CXV("iov_without_len", FAMS_IP,
	    "iov without len (len NULL): EINVAL, *connid untouched, socket unbound and unconnected",
	    "Data ... via the iovcnt buffers specified by members of the iov array, along with a non-NULL len parameter",
	    CXV_IOV_NOLEN),
	CXV("iov_unmapped", FAMS_IP,
	    "iov array on an unmapped page (IDEMPOTENT): EFAULT, no effect",
	    "EFAULT: Part of iov or data to be written to socket points outside the process's allocated address space",
	    CXV_IOV_UNMAPPED),
	CXV("associd_not_any", FAMS_IP,
	    "associd 42: EINVAL, no effect (Darwin: accepts any associd)",
	    "The parameter associd is reserved for future use, and must always be set to SAE_ASSOCID_ANY",
	    CXV_ASSOCID),
	CX("listening", TOPO_PAIR, FAULT_NONE, FAMS_IP, "tfo", REQ_NONE,
	   "connectx on a listening socket: EOPNOTSUPP",
	   "EOPNOTSUPP: Because socket is listening, no connection is allowed",
	   cx_state, CXS_LISTEN, false),
	CX("already_connected", TOPO_PAIR, FAULT_NONE, FAMS_IP, "tfo",
	   REQ_NONE,
	   "second connectx on a connected TCP socket: EISCONN, the connection intact",
	   "EISCONN: The socket is already connected; non-multipath connection-oriented sockets may successfully connectx only once",
	   cx_state, CXS_ISCONN, false),
	CX("in_progress_ealready", TOPO_ROUTED, FAULT_DROP_SYN, FAMS_IP, "tfo",
	   REQ_NONE,
	   "non-blocking: EINPROGRESS, then a second call while connecting: EALREADY (Darwin: a blocking socket gets EISCONN)",
	   "EALREADY: A previous connection attempt has not yet been completed",
	   cx_state, CXS_ALREADY, false),
	CX("nonblocking_einprogress", TOPO_PAIR, FAULT_NONE, FAMS_IP, "tfo",
	   REQ_NONE,
	   "non-blocking, no data: -1 EINPROGRESS (never 0: no kernel completes a handshake inside the call), then writable with SO_ERROR 0 and the peer set",
	   "EINPROGRESS: The connection cannot be completed immediately. It is possible to select(2) for completion by selecting the socket for writing",
	   cx_state, CXS_NB_CONNECTED, false),
	CX("nonblocking_refused_so_error", TOPO_PAIR, FAULT_NONE, FAMS_IP,
	   "tfo", REQ_NONE,
	   "non-blocking to a closed port: -1 EINPROGRESS (not an immediate ECONNREFUSED), then writable with SO_ERROR ECONNREFUSED",
	   "EINPROGRESS: ... select(2) for completion by selecting the socket for writing; ECONNREFUSED",
	   cx_state, CXS_NB_REFUSED, false),
	CX("abi_layout", TOPO_PAIR, FAULT_NONE, FAMS_IPV4_ONLY, "tfo",
	   REQ_NONE,
	   "Darwin ABI: sa_endpoints_t at offsets 0/8/16/24/32 (size 40), flag 0x2, *len 8 bytes, *connid 4 bytes",
	   "typedef struct sa_endpoints { unsigned int sae_srcif; struct sockaddr *sae_srcaddr; socklen_t sae_srcaddrlen; struct sockaddr *sae_dstaddr; socklen_t sae_dstaddrlen; } sa_endpoints_t",
	   cx_abi, 0, false),
)
