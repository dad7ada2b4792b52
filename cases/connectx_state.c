/* SPDX-License-Identifier: MIT */
/*
 * connectx(2) cases, part 2: the socket's state and the ABI.  A call on a
 * socket that is listening, connected or still connecting must fail with
 * the page's errno and leave the state it found; a non-blocking call
 * reports EINPROGRESS at once and the outcome through SO_ERROR; and the
 * structures and outputs have Darwin's layout, byte for byte, so that a
 * program built against <sys/socket.h> of Darwin links against the library
 * unchanged (docs/xnu-connectx.md §2).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cases/connectx.h"
#include "harness/libcall.h"
#include "harness/libload.h"

static char cx_byte = 'x';

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

static void cx_listening(struct case_ctx *c)
{
	int want = c->def->want_errno, fd, ret, err;
	struct cx_out o;
	struct cx_ep e;
	struct peer p;

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
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	CASE_EXPECT(c, ret == -1 && err == want,
		    "expected connectx on a listening socket to fail with %s; observed %s",
		    util_errno_name(want), cx_res(ret, err));
	close(fd);
	peer_stop(&p);
}

static void cx_already_connected(struct case_ctx *c)
{
	int want = c->def->want_errno, fd, ret, err;
	struct cx_out o;
	struct cx_ep e;
	struct peer p;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	cx_ep_server(c, &e, p.port);
	fd = cx_socket(c, SOCK_STREAM, false);
	CASE_SETUP(c, fd);
	if (!cx_connect_ok(c, fd, &e.ep, "first call"))
		return;
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	CASE_EXPECT(c, ret == -1 && err == want,
		    "expected a second connectx on a connected socket to fail with %s; observed %s",
		    util_errno_name(want), cx_res(ret, err));
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
	peer_stop(&p);
}

/* The row's drop-syn keeps the first attempt in SYN_SENT. */
static void cx_in_progress_ealready(struct case_ctx *c)
{
	int want = c->def->want_errno, fd, ret, err;
	struct cx_out o;
	struct cx_ep e;
	double t0, dt;

	cx_ep_server(c, &e, 9);
	fd = cx_socket(c, SOCK_STREAM, true);
	CASE_SETUP(c, fd);
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	CASE_EXPECT(c, ret == -1 && err == EINPROGRESS,
		    "expected the first non-blocking connectx to fail with EINPROGRESS; observed %s",
		    cx_res(ret, err));
	t0 = util_now_ms();
	ret = cx_call(c, fd, &e.ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	dt = util_now_ms() - t0;
	CASE_EXPECT(c, ret == -1 && err == want,
		    "expected a second connectx while the first is in progress to fail with %s; observed %s",
		    util_errno_name(want), cx_res(ret, err));
	CASE_EXPECT(c, dt <= cc_at_once_ms(c),
		    "expected the non-blocking socket's %s at once (at most %d ms here); observed it after %.0f ms",
		    util_errno_name(want), cc_at_once_ms(c), dt);
	close(fd);
}

/*
 * A non-blocking connectx without data toward e: -1 with the row's errno
 * (EINPROGRESS) at once, then writable with SO_ERROR want_so_error.
 *
 * No escape for "it completed at once": without data neither kernel can
 * finish the handshake inside a non-blocking call (Linux holds the socket
 * while connect() runs, so the SYN-ACK or RST waits in the backlog until
 * it returns; XNU returns EINPROGRESS while connecting,
 * docs/xnu-connectx.md §5 and §6).  A 0 or an ECONNREFUSED here means the
 * library waited for the outcome.
 */
static bool cx_expect_nonblocking_attempt(struct case_ctx *c, int fd,
					  const struct cx_ep *e,
					  int want_so_error)
{
	int want = c->def->want_errno, ret, err, soerr;
	struct cx_out o;
	char name[80];
	double t0 = util_now_ms(), dt;

	ret = cx_call(c, fd, &e->ep, SAE_ASSOCID_ANY, 0, NULL, 0, &o, &err);
	dt = util_now_ms() - t0;
	cx_name_text(fd, true, name, sizeof(name));
	if (ret != -1 || err != want) {
		case_fail(c, "expected non-blocking connectx without data to fail with %s at once (the outcome is for select and SO_ERROR); observed %s (getpeername %s)%s",
			  util_errno_name(want), cx_res(ret, err), name,
			  ret == 0 || err == ECONNREFUSED ?
				  ": the call waited for the handshake" : "");
		return false;
	}
	if (dt > cc_at_once_ms(c)) {
		case_fail(c, "expected non-blocking connectx to return at once (at most %d ms here); observed %s after %.0f ms",
			  cc_at_once_ms(c), cx_res(ret, err), dt);
		return false;
	}
	if (cx_wait_writable(fd, 3000, &soerr)) {
		case_fail(c, "expected the socket to select writable once the attempt ends; observed not writable after 3 s");
		return false;
	}
	if (soerr != want_so_error) {
		case_fail(c, "expected SO_ERROR %s once writable; observed %s",
			  want_so_error ? util_errno_name(want_so_error) : "0",
			  soerr ? util_errno_name(soerr) : "0");
		return false;
	}
	/* a refusal has ended the attempt (SO_ERROR said so) */
	return !want_so_error || cc_expect_failed(c, fd, "after SO_ERROR");
}

static void cx_nonblocking_einprogress(struct case_ctx *c)
{
	struct sockaddr_storage ss;
	struct cx_ep e;
	struct peer p;
	socklen_t sl = sizeof(ss);
	int fd;

	CASE_SETUP(c, peer_start(&p, &c->topo, c->family, 0));
	cx_ep_server(c, &e, p.port);
	fd = cx_socket(c, SOCK_STREAM, true);
	CASE_SETUP(c, fd);
	if (!cx_expect_nonblocking_attempt(c, fd, &e, 0))
		return;
	CASE_EXPECT(c, getpeername(fd, (struct sockaddr *)&ss, &sl) == 0 &&
			       cx_same_addr((struct sockaddr *)&ss, e.ep.sae_dstaddr, true),
		    "expected the connected socket's peer to be the destination; observed getpeername %s",
		    getpeername(fd, (struct sockaddr *)&ss, &sl) ?
			    util_errno_name(errno) : "another address");
	close(fd);
	peer_stop(&p);
}

static void cx_nonblocking_refused_so_error(struct case_ctx *c)
{
	struct cx_ep e;
	int fd;

	/* port 9 (discard) has no listener: RST */
	cx_ep_server(c, &e, 9);
	fd = cx_socket(c, SOCK_STREAM, true);
	CASE_SETUP(c, fd);
	if (!cx_expect_nonblocking_attempt(c, fd, &e, ECONNREFUSED))
		return;
	close(fd);
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
	ret = libcall_connectx(c, fd, raw, 0, 0x2, &one, 1, &lenbox.len,
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
CASE_TABLE(connectx_state,
	CONNECTX("listening", .clause_id = "X59",
		 .expect = "connectx on a listening socket: EOPNOTSUPP",
		 .clause = "EOPNOTSUPP: Because socket is listening, no connection is allowed",
		 .body = cx_listening, .want_errno = EOPNOTSUPP),
	CONNECTX("already_connected", .clause_id = "X54",
		 .expect = "second connectx on a connected TCP socket: EISCONN, the connection intact",
		 .clause = "EISCONN: The socket is already connected; non-multipath connection-oriented sockets may successfully connectx only once",
		 .body = cx_already_connected, .want_errno = EISCONN),
	CONNECTX("in_progress_ealready", .clause_id = "X45",
		 .topo = TOPO_ROUTED, .fault = FAULT_DROP_SYN,
		 .expect = "non-blocking: EINPROGRESS, then a second call while connecting: EALREADY (Darwin: a blocking socket gets EISCONN)",
		 .clause = "EALREADY: A previous connection attempt has not yet been completed",
		 .body = cx_in_progress_ealready, .want_errno = EALREADY),
	CONNECTX("nonblocking_einprogress", .clause_id = "X50",
		 .expect = "non-blocking, no data: -1 EINPROGRESS (never 0: no kernel completes a handshake inside the call), then writable with SO_ERROR 0 and the peer set",
		 .clause = "EINPROGRESS: The connection cannot be completed immediately. It is possible to select(2) for completion by selecting the socket for writing",
		 .body = cx_nonblocking_einprogress, .want_errno = EINPROGRESS),
	CONNECTX("nonblocking_refused_so_error", .clause_id = "X50",
		 .expect = "non-blocking to a closed port: -1 EINPROGRESS (not an immediate ECONNREFUSED), then writable with SO_ERROR ECONNREFUSED",
		 .clause = "EINPROGRESS: ... select(2) for completion by selecting the socket for writing; ECONNREFUSED",
		 .body = cx_nonblocking_refused_so_error,
		 .want_errno = EINPROGRESS),
	CONNECTX("abi_layout", .clause_id = "X6", .families = FAMS_IPV4_ONLY,
		 .expect = "Darwin ABI: sa_endpoints_t at offsets 0/8/16/24/32 (size 40), flag 0x2, *len 8 bytes, *connid 4 bytes",
		 .clause = "typedef struct sa_endpoints { unsigned int sae_srcif; struct sockaddr *sae_srcaddr; socklen_t sae_srcaddrlen; struct sockaddr *sae_dstaddr; socklen_t sae_dstaddrlen; } sa_endpoints_t",
		 .body = cx_abi),
)
