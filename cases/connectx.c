/* SPDX-License-Identifier: MIT */
/*
 * connectx(2) cases, part 1: argument validation (the socket's state
 * and the ABI are connectx_state.c).  A call rejected for its arguments
 * must have no effect at all: the socket stays unbound and unconnected
 * and *len / *connid keep the sentinels written before the call (XNU
 * copies them out only once the arguments are accepted,
 * docs/xnu-connectx.md §3 and §5).  Errors XNU
 * finds in its protocol stage (address length, family) come after that
 * point: there the outputs may hold 0, never anything else.
 *
 * Every argument error is its own small body (named after its row) that
 * bends one argument of an otherwise valid call and hands it to
 * cx_expect_rejected(), which judges "this errno, and no effect".
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
#include "cases/may.h"
#include "harness/libcall.h"
#include "harness/libload.h"

/* The suite's header is Darwin's ABI (docs/xnu-connectx.md §2). */
_Static_assert(SAE_ASSOCID_ANY == 0 && SAE_CONNID_ANY == 0, "SAE_*_ANY");
_Static_assert(SAE_ASSOCID_ALL == 0xffffffffU, "SAE_ASSOCID_ALL");
_Static_assert(CONNECT_RESUME_ON_READ_WRITE == 0x1 &&
		       CONNECT_DATA_IDEMPOTENT == 0x2,
	       "CONNECT_* flags");
_Static_assert(sizeof(sae_associd_t) == 4 && sizeof(sae_connid_t) == 4,
	       "sae_*_t widths");

static struct iovec cx_many_iov[1025];
static char cx_byte = 'x';

/* A page nothing can read: an address "outside the allocated space". */
static void *cx_unmapped_page(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);

	return p == MAP_FAILED ? NULL : p;
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
 * The ground every argument check stands on: a listening server,
 * endpoints aimed at it and a fresh blocking TCP socket, so that a
 * library which wrongly accepts the bent argument has somewhere to
 * connect and the effect shows.  The call's arguments start out valid.
 */
struct cx_arg {
	struct peer p;
	struct cx_ep e;
	int fd;
	const sa_endpoints_t *ep;	/* &e.ep unless a body bends it */
	uint32_t aid;
	const struct iovec *iov;
	unsigned int iovcnt;
};

static int cx_arg_open(struct case_ctx *c, struct cx_arg *a)
{
	int ret = peer_start(&a->p, &c->topo, c->family, 0);

	if (ret)
		return ret;
	cx_ep_server(c, &a->e, a->p.port);
	a->ep = &a->e.ep;
	a->aid = SAE_ASSOCID_ANY;
	a->iov = NULL;
	a->iovcnt = 0;
	a->fd = cx_socket(c, SOCK_STREAM, false);
	if (a->fd < 0) {
		ret = a->fd;
		peer_stop(&a->p);
	}
	return ret;
}

static void cx_arg_close(struct cx_arg *a)
{
	if (a->fd >= 0)
		close(a->fd);
	peer_stop(&a->p);
}

/* How a rejected call may leave things behind. */
enum cx_reject {
	/* an argument check: *len and *connid keep their sentinels */
	CXR_ARGUMENT = 0,
	/* XNU's protocol stage, past the copy-out: the outputs may read 0 */
	CXR_PROTOCOL = 1 << 0,
	/* the descriptor is no socket: there is no socket state to inspect */
	CXR_NO_SOCKET = 1 << 1,
};

/* The bytes a's iov carries, flattened into buf (at most size). */
static size_t cx_arg_bytes(const struct cx_arg *a, char *buf, size_t size)
{
	size_t n = 0;

	for (unsigned int i = 0; a->iov && i < a->iovcnt; i++)
		for (size_t k = 0; k < a->iov[i].iov_len && n < size; k++)
			buf[n++] = ((const char *)a->iov[i].iov_base)[k];
	return n;
}

/*
 * A may-fail row's call returned 0 (cases/may.h): that is conforming only
 * as normal success with no other effect — connected to the destination,
 * the iov's bytes delivered once, *len (when given) their count.  Closes
 * a's socket.  true when all of that held.
 */
static bool cx_judge_accepted(struct case_ctx *c, struct cx_arg *a,
			      const struct cx_out *o, bool have_len)
{
	static char flat[4096];
	size_t total = cx_arg_bytes(a, flat, sizeof(flat));
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char peer[80];

	cx_name_text(a->fd, true, peer, sizeof(peer));
	if (getpeername(a->fd, (struct sockaddr *)&ss, &sl) ||
	    !cx_same_addr((struct sockaddr *)&ss, a->ep->sae_dstaddr, true)) {
		case_fail(c, "the call returned 0 (%s allows accepting it); expected that to be a normal connection to the destination; observed getpeername %s",
			  c->def->may->id, peer);
		return false;
	}
	if (have_len && o->len != total) {
		case_fail(c, "the call returned 0 (%s allows accepting it); expected *len = the %zu bytes of the iovecs; observed %#zx",
			  c->def->may->id, total, o->len);
		return false;
	}
	close(a->fd);
	a->fd = -1;
	if (!cc_expect_bytes(c, &a->p, 0, flat, total))
		return false;
	case_note(c, "accepted (%s: %s)", c->def->may->id, c->def->may->accepts);
	return true;
}

/*
 * connectx with a's arguments (and the row's flags) must fail with the
 * row's errno and have no effect: the outputs as `how` allows, the socket
 * unbound and unconnected.  Where the row is may-fail (.may), success
 * with no other effect is the other conforming answer.  true when the
 * answer seen held.
 */
static bool cx_expect_rejected(struct case_ctx *c, struct cx_arg *a,
			       unsigned int how)
{
	int want = c->def->want_errno, ret, err;
	struct cx_out o;

	ret = cx_call(c, a->fd, a->ep, a->aid, c->def->flags, a->iov,
		      a->iovcnt, &o, &err);
	if (ret == 0 && c->def->may)
		return cx_judge_accepted(c, a, &o, true);
	if (ret != -1 || err != want) {
		case_fail(c, "expected %s%s; observed %s", util_errno_name(want),
			  c->def->may ? " or success with no other effect" : "",
			  cx_res(ret, err));
		return false;
	}
	if (how & CXR_PROTOCOL) {
		if (!(o.len == CX_LEN_SENTINEL && o.cid == CX_CID_SENTINEL) &&
		    !(o.len == 0 && o.cid == 0)) {
			case_fail(c, "expected *len and *connid untouched or 0 after %s; observed *len %#zx, *connid %#x",
				  util_errno_name(want), o.len, o.cid);
			return false;
		}
	} else if (o.len != CX_LEN_SENTINEL || o.cid != CX_CID_SENTINEL) {
		case_fail(c, "expected *len and *connid untouched by a rejected argument; observed *len %#zx, *connid %#x (sentinels %#zx, %#x)",
			  o.len, o.cid, CX_LEN_SENTINEL, CX_CID_SENTINEL);
		return false;
	}
	if (how & CXR_NO_SOCKET)
		return true;
	if (!cx_untouched_socket(c, a->fd, util_errno_name(want)))
		return false;
	if (c->def->may)
		case_note(c, "rejected with %s (%s)", util_errno_name(want),
			  c->def->may->id);
	return true;
}

static void cx_ebadf(struct case_ctx *c)
{
	struct cx_arg a;

	CASE_SETUP(c, cx_arg_open(c, &a));
	/* a descriptor that was open a moment ago */
	close(a.fd);
	cx_expect_rejected(c, &a, CXR_NO_SOCKET);
	a.fd = -1;
	cx_arg_close(&a);
}

static void cx_enotsock(struct case_ctx *c)
{
	struct cx_arg a;
	int pfd[2];

	CASE_SETUP(c, cx_arg_open(c, &a));
	CASE_SETUP(c, pipe(pfd) ? -errno : 0);
	close(a.fd);
	a.fd = pfd[0];
	cx_expect_rejected(c, &a, CXR_NO_SOCKET);
	close(pfd[1]);
	cx_arg_close(&a);
}

/*
 * "supported only on AF_INET and AF_INET6 sockets": an AF_UNIX stream
 * socket aimed at a listening AF_UNIX peer must be refused and must not
 * connect.  The page names no errno; XNU returns EOPNOTSUPP (no
 * pru_connectx, docs/xnu-connectx.md §4, after the outputs are copied
 * out, so they may read 0).
 */
static void cx_unsupported_domain(struct case_ctx *c)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int want = c->def->want_errno;
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
	CASE_EXPECT(c, ret == -1 && err == want,
		    "expected connectx on an AF_UNIX socket to be refused with %s (Darwin's errno; the page supports only AF_INET/AF_INET6); observed %s",
		    util_errno_name(want), cx_res(ret, err));
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

static void cx_null_endpoints(struct case_ctx *c)
{
	struct cx_arg a;

	CASE_SETUP(c, cx_arg_open(c, &a));
	a.ep = NULL;
	cx_expect_rejected(c, &a, CXR_ARGUMENT);
	cx_arg_close(&a);
}

/*
 * Endpoints on an unmapped page, called in a forked child so that a
 * fault is an outcome, not the case's end: only EFAULT passes; a fault
 * is the Linux limit (a user-space library reads the pointer itself).
 */
static void cx_endpoints_unmapped(struct case_ctx *c)
{
	int want = c->def->want_errno, status = 0;
	const void *endpoints;
	struct cx_arg a;
	pid_t pid;

	CASE_SETUP(c, cx_arg_open(c, &a));
	endpoints = cx_unmapped_page();
	CASE_SETUP(c, endpoints ? 0 : -ENOMEM);
	pid = fork();
	CASE_SETUP(c, pid < 0 ? -errno : 0);
	if (!pid) {
		size_t len = CX_LEN_SENTINEL;
		uint32_t cid = CX_CID_SENTINEL;
		int r = libcall_connectx(c, a.fd, endpoints, SAE_ASSOCID_ANY, 0,
					 NULL, 0, &len, &cid);

		_exit(r == -1 ? (errno & 0x7f) : 0x7f);
	}
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status)) {
		/* the Linux limit is a fault, nothing else */
		cx_known(c, CXL_FAULT_POINTER, WTERMSIG(status) == SIGSEGV ||
						       WTERMSIG(status) == SIGBUS);
		case_fail(c, "expected an unmapped endpoints pointer to fail with %s; observed the call killed by signal %d",
			  util_errno_name(want), WTERMSIG(status));
		return;
	}
	CASE_EXPECT(c, WIFEXITED(status) && WEXITSTATUS(status) == want,
		    "expected an unmapped endpoints pointer to fail with %s; observed %s",
		    util_errno_name(want),
		    !WIFEXITED(status) ? "the child neither exited nor was killed" :
		    WEXITSTATUS(status) == 0x7f ? "success" :
		    util_errno_name(WEXITSTATUS(status)));
	cx_arg_close(&a);
}

static void cx_null_dstaddr(struct case_ctx *c)
{
	struct cx_arg a;

	CASE_SETUP(c, cx_arg_open(c, &a));
	a.e.ep.sae_dstaddr = NULL;
	cx_expect_rejected(c, &a, CXR_ARGUMENT);
	cx_arg_close(&a);
}

static void cx_short_dstaddrlen(struct case_ctx *c)
{
	struct cx_arg a;

	CASE_SETUP(c, cx_arg_open(c, &a));
	a.e.ep.sae_dstaddrlen = 1;
	cx_expect_rejected(c, &a, CXR_ARGUMENT);
	cx_arg_close(&a);
}

static void cx_wrong_dstaddrlen(struct case_ctx *c)
{
	struct cx_arg a;

	CASE_SETUP(c, cx_arg_open(c, &a));
	a.e.ep.sae_dstaddrlen -= 1;
	cx_expect_rejected(c, &a, CXR_PROTOCOL);
	cx_arg_close(&a);
}

static void cx_family_mismatch(struct case_ctx *c)
{
	struct cx_arg a;

	CASE_SETUP(c, cx_arg_open(c, &a));
	cx_ep_other_family(c, &a.e, a.p.port);
	cx_expect_rejected(c, &a, CXR_PROTOCOL);
	cx_arg_close(&a);
}

static void cx_iovcnt_zero(struct case_ctx *c)
{
	struct iovec one = { &cx_byte, 1 };
	struct cx_arg a;

	CASE_SETUP(c, cx_arg_open(c, &a));
	a.iov = &one;
	a.iovcnt = 0;
	cx_expect_rejected(c, &a, CXR_ARGUMENT);
	cx_arg_close(&a);
}

/* One more iovec than XNU's UIO_MAXIOV (1024). */
static void cx_iovcnt_too_many(struct case_ctx *c)
{
	struct cx_arg a;

	CASE_SETUP(c, cx_arg_open(c, &a));
	for (size_t i = 0; i < ARRAY_SIZE(cx_many_iov); i++)
		cx_many_iov[i] = (struct iovec){ &cx_byte, 1 };
	a.iov = cx_many_iov;
	a.iovcnt = ARRAY_SIZE(cx_many_iov);
	cx_expect_rejected(c, &a, CXR_ARGUMENT);
	cx_arg_close(&a);
}

/* len NULL: there is no *len to look at; *connid and the socket tell. */
static void cx_iov_without_len(struct case_ctx *c)
{
	struct iovec one = { &cx_byte, 1 };
	struct cx_out o = { .len = 0 };
	int want = c->def->want_errno, ret, err;
	struct cx_arg a;

	CASE_SETUP(c, cx_arg_open(c, &a));
	a.iov = &one;
	a.iovcnt = 1;
	o.cid = CX_CID_SENTINEL;
	errno = 0;
	ret = libcall_connectx(c, a.fd, a.ep, a.aid, c->def->flags, &one, 1,
			       NULL, &o.cid);
	err = ret ? errno : 0;
	if (ret == 0 && c->def->may) {
		cx_judge_accepted(c, &a, &o, false);
		cx_arg_close(&a);
		return;
	}
	CASE_EXPECT(c, ret == -1 && err == want,
		    "expected an iov without len to fail with %s%s; observed %s",
		    util_errno_name(want),
		    c->def->may ? " or to be accepted with no other effect" : "",
		    cx_res(ret, err));
	CASE_EXPECT(c, o.cid == CX_CID_SENTINEL,
		    "expected *connid untouched by a rejected argument; observed %#x (sentinel %#x)",
		    o.cid, CX_CID_SENTINEL);
	if (!cx_untouched_socket(c, a.fd, util_errno_name(want)))
		return;
	case_note(c, "rejected with %s (%s)", util_errno_name(want),
		  c->def->may ? c->def->may->id : "strict");
	cx_arg_close(&a);
}

/* The iov array itself on an unmapped page (the row's flags: IDEMPOTENT). */
static void cx_iov_unmapped(struct case_ctx *c)
{
	struct cx_arg a;

	CASE_SETUP(c, cx_arg_open(c, &a));
	a.iov = cx_unmapped_page();
	CASE_SETUP(c, a.iov ? 0 : -ENOMEM);
	a.iovcnt = 1;
	cx_expect_rejected(c, &a, CXR_ARGUMENT);
	cx_arg_close(&a);
}

static void cx_associd_not_any(struct case_ctx *c)
{
	struct cx_arg a;

	CASE_SETUP(c, cx_arg_open(c, &a));
	a.aid = 42;
	cx_expect_rejected(c, &a, CXR_ARGUMENT);
	cx_arg_close(&a);
}

CASE_TABLE(connectx_args,
	CONNECTX("ebadf", .clause_id = "X46", .families = FAMS_IPV4_ONLY,
		 .expect = "a closed descriptor: EBADF, outputs untouched",
		 .clause = "EBADF: socket is not a valid descriptor",
		 .body = cx_ebadf, .want_errno = EBADF),
	CONNECTX("enotsock", .clause_id = "X58", .families = FAMS_IPV4_ONLY,
		 .expect = "a pipe: ENOTSOCK, outputs untouched",
		 .clause = "ENOTSOCK: socket is not a file descriptor for a socket",
		 .body = cx_enotsock, .want_errno = ENOTSOCK),
	CONNECTX("unsupported_domain", .clause_id = "X29",
		 .families = FAMS_IPV4_ONLY,
		 .expect = "an AF_UNIX stream socket: refused (EOPNOTSUPP, as XNU), no connection made",
		 .clause = "connectx() is currently supported only on AF_INET and AF_INET6 sockets of type SOCK_DGRAM and SOCK_STREAM",
		 .body = cx_unsupported_domain, .want_errno = EOPNOTSUPP),
	CONNECTX("null_endpoints", .clause_id = "X14",
		 .expect = "endpoints NULL: EINVAL, no effect (a crash is a failure)",
		 .clause = "A destination address must be specified in the sae_dstaddr parameter; EINVAL: an invalid argument was detected",
		 .body = cx_null_endpoints, .want_errno = EINVAL),
	CONNECTX("endpoints_unmapped", .clause_id = "X48",
		 .families = FAMS_IPV4_ONLY,
		 .expect = "endpoints pointing at an unmapped page: EFAULT (XNU copyin); Linux: a user-space library may fault (SIGSEGV/SIGBUS, XFAIL), any other errno or success fails",
		 .clause = "EFAULT: part of ... data points outside the process's allocated address space",
		 .body = cx_endpoints_unmapped, .want_errno = EFAULT),
	CONNECTX("null_dstaddr", .clause_id = "X14",
		 .expect = "sae_dstaddr NULL: EINVAL, no effect",
		 .clause = "A destination address must be specified in the sae_dstaddr parameter",
		 .body = cx_null_dstaddr, .want_errno = EINVAL),
	CONNECTX("short_dstaddrlen", .clause_id = "X53",
		 .expect = "sae_dstaddrlen 1: EINVAL, no effect",
		 .clause = "EINVAL: ... sae_dstaddrlen is not valid",
		 .body = cx_short_dstaddrlen, .want_errno = EINVAL),
	CONNECTX("wrong_dstaddrlen", .clause_id = "X53",
		 .expect = "sae_dstaddrlen one short of the family's sockaddr: EINVAL, no connection",
		 .clause = "EINVAL: ... sae_dstaddrlen is not valid",
		 .body = cx_wrong_dstaddrlen, .want_errno = EINVAL),
	CONNECTX("family_mismatch", .clause_id = "X44",
		 .expect = "a destination of the other IP family: EAFNOSUPPORT, no connection",
		 .clause = "EAFNOSUPPORT: the socket cannot find any usable addresses of a specific address family as required by the communication domain",
		 .body = cx_family_mismatch, .want_errno = EAFNOSUPPORT),
	CONNECTX("iovcnt_zero", .clause_id = "X16",
		 .expect = "iov given with iovcnt 0: EINVAL with no effect, or (may-fail) success with nothing sent",
		 .clause = "Data to be transmitted may optionally be defined via the iovcnt buffers specified by members of the iov array",
		 .body = cx_iovcnt_zero, .want_errno = EINVAL,
		 .may = &may_iovcnt),
	CONNECTX("iovcnt_too_many", .clause_id = "X53",
		 .expect = "iovcnt 1025 (over Darwin's UIO_MAXIOV): EINVAL with no effect, or (may-fail) success with all 1025 bytes delivered once",
		 .clause = "EINVAL: an invalid argument was detected",
		 .body = cx_iovcnt_too_many, .want_errno = EINVAL,
		 .may = &may_iovcnt),
	CONNECTX("iov_without_len", .clause_id = "X16",
		 .expect = "iov without len (len NULL): EINVAL with *connid untouched and the socket unbound and unconnected, or (may-fail) success with the byte delivered once",
		 .clause = "Data ... via the iovcnt buffers specified by members of the iov array, along with a non-NULL len parameter",
		 .body = cx_iov_without_len, .want_errno = EINVAL,
		 .may = &may_iov_len),
	CONNECTX("iov_unmapped", .clause_id = "X48",
		 .expect = "iov array on an unmapped page (IDEMPOTENT): EFAULT, no effect",
		 .clause = "EFAULT: Part of iov or data to be written to socket points outside the process's allocated address space",
		 .body = cx_iov_unmapped, .want_errno = EFAULT,
		 .flags = CONNECT_DATA_IDEMPOTENT),
	CONNECTX("associd_not_any", .clause_id = "X27",
		 .expect = "associd 42: EINVAL with no effect, or (may-fail) a normal connection as with SAE_ASSOCID_ANY (what XNU does)",
		 .clause = "The parameter associd is reserved for future use, and must always be set to SAE_ASSOCID_ANY",
		 .body = cx_associd_not_any, .want_errno = EINVAL,
		 .may = &may_associd),
)
