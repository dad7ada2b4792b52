/* SPDX-License-Identifier: MIT */
/*
 * Private to the connectx(2)/disconnectx cases (cases/connectx*.c): the
 * row macro, the helpers their bodies share, and the platform seam.
 *
 * Darwin's connectx(2) man page is the contract; where it is silent the
 * cases follow XNU as docs/xnu-connectx.md records it.  Two kinds of
 * known departures from the page are kept apart from the rows, in the
 * platform files (connectx_platform_linux.c / connectx_platform_darwin.c,
 * one of them compiled in by #ifdef): what a Linux emulation cannot do
 * (docs/connectx-linux.md), and where Darwin itself differs from its page
 * (docs/xnu-connectx.md §11).  A body names the departure that may apply
 * with cx_known(); on a platform that has no such departure the name
 * resolves to nothing and the clause is checked strictly.
 */
#ifndef TFOCHECK_CASES_CONNECTX_H
#define TFOCHECK_CASES_CONNECTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "cases/common.h"
#include "libtfo/connectx.h"

/* Written into *len / *connid before each call: "untouched" is visible. */
#define CX_LEN_SENTINEL ((size_t)0x5a5a5a5a5a5a5a5aULL)
#define CX_CID_SENTINEL 0xa5a5a5a5U

#define FAMS_IPV4_ONLY (1u << FAM_IPV4)

/* A fixed source port: every instance has fresh namespaces, so it is free. */
#define CX_SRC_PORT 41234

/*
 * One row, in designated initializers:
 *
 *	CONNECTX("null_dstaddr", .clause_id = "X14",
 *		 .expect = "...", .clause = "...",
 *		 .body = cx_null_dstaddr, .want_errno = EINVAL),
 *
 * .clause_id is the clause's line in docs/clauses.md: X1..X63 for the
 * page's sentences and errnos in page order, D1..D3 for disconnectx.
 * Every field left out keeps its zero default (harness/case.h): pair
 * topology, no fault, IPv4 and IPv6, profile "tfo", no requirement.  The
 * parameters the bodies read: .want_errno (the errno the clause
 * promises), .flags (connectx's flags argument), .nonblock (O_NONBLOCK
 * client socket), .with_cookie (cache a TFO cookie from the server
 * first), .size (payload bytes; 0: the standard three-piece payload).
 * A body never asks which row it runs for: a new variant of a known
 * behaviour is one more row, a new behaviour one more body.
 */
#define CONNECTX(id_, ...)                                                   \
	{ .id = "connectx." id_, .api = API_CONNECTX, __VA_ARGS__ }

/* Known departures from the page; see the platform files for reasons. */
enum cx_limit {
	/* a Linux emulation cannot ... */
	CXL_RESUME_DEFER,	/* defer the SYN without TFO_CONNECT + cookie */
	CXL_RESUME_READ,	/* let a read trigger the deferred SYN */
	CXL_FAULT_POINTER,	/* turn an unmapped endpoints pointer into EFAULT */
	/* Darwin differs from its page: */
	CXL_DARWIN_EMSGSIZE,	/* the socket is changed after EMSGSIZE */
	CXL_DARWIN_BLOCK_EINPROGRESS, /* blocking, data > send buffer: EINPROGRESS */
	CXL_DARWIN_BLOCKING_EISCONN, /* blocking, still connecting: EISCONN */
	CXL_DARWIN_IFDOWN,	/* a down sae_srcif: no ENETDOWN at connect */
	CXL_DARWIN_SRCIF_V6,	/* IPv6 srcaddr not on srcif: EHOSTUNREACH */
	CXL_MAX
};

/* Platform files: the reason this platform departs, or NULL. */
const char *cxp_limit(enum cx_limit l);
/* Interface index the socket is bound to (0: none), or -errno. */
int cxp_bound_ifindex(int fd, int domain);
/* Name of the platform, for messages. */
const char *cxp_name(void);

/* Declare that limit l may apply to what follows (when `applies`). */
void cx_known(struct case_ctx *c, enum cx_limit l, bool applies);

/* The outputs of one call, pre-filled with the sentinels. */
struct cx_out {
	size_t len;
	uint32_t cid;
};

/* Endpoints with their own storage. */
struct cx_ep {
	sa_endpoints_t ep;
	struct sockaddr_storage src, dst;
};

/* dst = the server (port), no source. */
void cx_ep_server(struct case_ctx *c, struct cx_ep *e, uint16_t port);
/* src = the client's own address on the client link (port). */
void cx_ep_client_src(struct case_ctx *c, struct cx_ep *e, uint16_t port);
/* dst = the server's address of the other IP family (port). */
void cx_ep_other_family(struct case_ctx *c, struct cx_ep *e, uint16_t port);
/* A socket address of the family's domain: addr given as text. */
void cx_sockaddr(struct case_ctx *c, const char *addr, uint16_t port,
		 struct sockaddr_storage *ss, socklen_t *sl);

/* Call the library's connectx with outputs pre-set to the sentinels;
 * returns its value, *err = errno (0 on success). */
int cx_call(struct case_ctx *c, int fd, const sa_endpoints_t *ep,
	    uint32_t associd, unsigned int flags, const struct iovec *iov,
	    unsigned int iovcnt, struct cx_out *o, int *err);
int cx_disconnect(struct case_ctx *c, int fd, uint32_t aid, uint32_t cid,
		  int *err);
/* "success" or the errno's name. */
const char *cx_res(int ret, int err);

/* A socket of the case's family and type in the client namespace (TCP:
 * the short SYN retry count of cc_client_socket). */
int cx_socket(struct case_ctx *c, int type, bool nonblock);
/* getsockname/getpeername as text ("198.18.0.1:41234"), or the errno. */
void cx_name_text(int fd, bool peer, char *buf, size_t size);
bool cx_same_addr(const struct sockaddr *a, const struct sockaddr *b,
		  bool port);
/* Wait for POLLOUT; then SO_ERROR.  0, or -ETIMEDOUT. */
int cx_wait_writable(int fd, int timeout_ms, int *so_error);
/* Write all of buf[0..n) on a possibly non-blocking socket (poll). */
int cx_write_all(int fd, const void *buf, size_t n, int timeout_ms);

/* The standard three-piece payload and its concatenation. */
extern const char cx_part1[], cx_part2[], cx_part3[];
void cx_iov3(struct iovec iov[3]);
size_t cx_iov3_concat(char *buf, size_t size);

/* A UDP receiver in the server namespace on the server's address. */
int cx_udp_receiver(struct case_ctx *c, uint16_t port);
/* One datagram within timeout_ms: its length, or -ETIMEDOUT. */
ssize_t cx_udp_recv(int fd, void *buf, size_t size, int timeout_ms);

/* Client packets (to the server) of connection sport seen so far. */
size_t cx_wire_client_pkts(struct case_ctx *c, uint16_t sport, int settle_ms);

#endif
