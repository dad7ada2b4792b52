/* SPDX-License-Identifier: MIT */
/*
 * Private to the socket_fastopen_connect4/6(3) cases (cases/owfat*.c): the
 * row macro, the clause words rows quote, and the helpers the bodies
 * share (owfat_util.c) — the library call for the case's family, the
 * addresses and texts messages need, and what a careful caller does
 * after a non-blocking call.
 *
 * Contract: bool helpers return true when the expectation held and
 * otherwise have recorded the verdict on the case (the body returns).
 */
#ifndef TFOCHECK_CASES_OWFAT_H
#define TFOCHECK_CASES_OWFAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "cases/common.h"

#define OW_SMALL (sizeof(CASE_PAYLOAD) - 1) /* 27 bytes: fits any SYN */
#define OW_BIG 102400
#define OW_CLOSED_PORT 9 /* nothing listens there in the server namespace */
#define OW_BIND_PORT 40404

/* Bool-returning helpers record the verdict and report failure upward. */
#define OW_CHECK(c, cond, ...)                                               \
	do {                                                                 \
		if ((c)->decided || !(cond)) {                               \
			case_fail((c), __VA_ARGS__);                          \
			return false;                                        \
		}                                                            \
	} while (0)


/* One row per clause the family checks; fields left out are the defaults
 * of case.h (pair topology, FAMS_IP, profile "tfo"). */
#define OWFAT(id_, ...) { .id = "owfat." id_, .api = API_OWFAT, __VA_ARGS__ }

#define FAMS_IPM (FAMS_IP | 1u << FAM_MAPPED)
/* the delayed path's hold: above every "at once" bound (200 ms at most) */
#define OW_HOLD_MS 300
/* the failure rows run with and without client TFO */
#define OW_TFO_AND_OFF "tfo,client-off"

/* the page's words the rows quote */
#define C_SENT ">=0, to indicate that the connection succeeded and this many bytes were sent"
#define C_NB "-1, setting errno to error_inprogress or error_wouldblock, to indicate that the socket is non-blocking"
#define C_FAIL "-1, setting errno to something else, to indicate that the connection failed (and failed immediately, if the socket is non-blocking)"
#define C_BG "When a background connection succeeds or fails, s becomes writable; you can use socket_connected to see whether the connection succeeded. If the connection failed, socket_connected returns 0, setting errno appropriately."
#define C_ACK "on platforms supporting TCP Fast Open, socket_fastopen_connect6 will send the first data packet in the third packet of the TCP handshake, saving one useless ACK packet"
#define C_NOTFO "The difference to calling socket_connect6 followed by write is that, on platforms supporting TCP Fast Open, ..."
#define C_ATTEMPT "attempts to make a connection from TCP socket s to TCP port port on IP address ip. If that succeeds, it attempts to send len bytes from buf."

/* The bytes a case sends: the readable payload (len <= OW_SMALL), or a
 * pattern in which no 256-byte window repeats. */
const unsigned char *ow_payload(size_t len);
/* "socket_fastopen_connect4" / "...6" for the family; and the plain call */
const char *ow_fn(const struct case_ctx *c);
const char *ow_plain_fn(const struct case_ctx *c);
/* The clause a failure is judged by, in words (client TFO or not). */
const char *ow_why(const struct case_ctx *c, char *b, size_t size);
/* Suffix naming the no-TFO clause where the client has no TFO; "". */
const char *ow_notfo(const struct case_ctx *c);
/* "returned 27" / "returned -1 errno EINPROGRESS" */
const char *ow_res(char *b, size_t size, ssize_t n, int err);
/* The scope id of the case's family (link-local: the client link). */
uint32_t ow_scope(const struct case_ctx *c);
/* The library call for the case's family; errno is the library's. */
ssize_t ow_call_ip(struct case_ctx *c, int fd, const unsigned char *ip,
		   uint16_t port, uint32_t scope, const void *buf, size_t len);
/* ... to the case's server. */
ssize_t ow_call(struct case_ctx *c, int fd, uint16_t port, const void *buf,
		size_t len);
/* The client's own address for the family, as getsockname reports it. */
void ow_client_addr(const struct case_ctx *c, uint16_t port,
		    struct sockaddr_storage *ss, socklen_t *sl);
bool ow_same_addr(const struct sockaddr_storage *a,
		  const struct sockaddr_storage *b);
void ow_addr_text(const struct sockaddr_storage *ss, char *b, size_t size);
/* Writable in select()'s sense within ms: POLLOUT, POLLERR or POLLHUP. */
short ow_wait_writable(int fd, int ms);
/* After a non-blocking call returned n (err): writable, socket_connected
 * 1, the rest written; what a careful caller does. */
bool ow_nb_complete(struct case_ctx *c, const char *what, int fd, ssize_t n,
		    int err, const unsigned char *buf, size_t len);
/* s is still the descriptor handed in, with its O_NONBLOCK as it was. */
bool ow_fd_intact(struct case_ctx *c, int fd, const struct stat *before,
		  int fl_before, const char *when);
/* One plain connect()+close() before a case that judges the wire of a
 * first contact. */
bool ow_link_warmup(struct case_ctx *c, struct peer *p);

#endif
