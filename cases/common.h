/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by case bodies: client sockets in the client namespace
 * (with a short SYN retry count so failure paths end in ~3 s, not 2 min),
 * "the server received exactly these bytes, once" checks, and per-
 * connection views of the wire.
 *
 * Contract: 0 or -errno; check helpers return true when the expectation
 * held and otherwise record the verdict on the case (the body returns).
 */
#ifndef TFOCHECK_CASES_COMMON_H
#define TFOCHECK_CASES_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/case.h"
#include "harness/peer.h"
#include "util/util.h"
#include "harness/wire.h"

#define CASE_PAYLOAD "tfocheck-payload-0123456789"

/* A TCP client socket for the case's family; nonblock sets O_NONBLOCK. */
int cc_client_socket(struct case_ctx *c, bool nonblock);
/* Local port of a socket (host order), 0 when unknown. */
uint16_t cc_local_port(int fd);
/* client tcp_info: TCPI_OPT_SYN_DATA and tcpi_fastopen_client_fail */
bool cc_syn_data(int fd);

/*
 * "At once": what a call that makes no round trip may take, in ms.  A
 * small multiple of what a non-blocking connect() to the case's server
 * costs here (measured once per case process: a few tens of µs on an idle
 * machine), floored at 20 ms and capped at 200 ms for a loaded one, times
 * --timeout-scale; plus the time the case thread waited, runnable, for a
 * CPU during the last library call (c->call_cpu_wait_ms): a call that was
 * preempted did not wait for the network; and the time the wrapper spent
 * on its own snapshots around that call (c->call_harness_ms), which a
 * case timing the wrapped call would otherwise charge to the library.
 * Sleeping or blocking in the call is neither, so a library that waits
 * for the handshake still exceeds the bound.
 */
int cc_at_once_ms(struct case_ctx *c);

/*
 * How long to watch for something that must not happen (a SYN before the
 * first write, a connection at the server): long enough for a packet
 * already sent to show twice over, and a fifth of the initial RTO, so a
 * timer-driven surprise of the kernel's would show too.
 */
int cc_quiet_ms(struct case_ctx *c);

/*
 * After a call reported that the connection succeeded: TCP state
 * ESTABLISHED (or later), not an attempt still under way.  Records FAIL.
 */
bool cc_expect_established(struct case_ctx *c, int fd, const char *what);

/*
 * After a call reported that the connection failed: the socket must
 * really be failed — TCP state CLOSE, and no segment leaves it meanwhile
 * (an attempt the kernel is still retransmitting is no failure).  Records
 * FAIL naming what.  what: for the message.
 */
bool cc_expect_failed(struct case_ctx *c, int fd, const char *what);

/*
 * After a call said len bytes went (and the connection exists): the
 * server has them within the "at once" bound, before anyone closes the
 * socket — not only at close (a library that corks them would pass that).
 * The bound runs from the server's accept, which may lag up to
 * CC_ACCEPT_MS on a loaded machine without the library being at fault.
 * Records FAIL/ERROR.
 */
#define CC_ACCEPT_MS 2000
bool cc_expect_delivered(struct case_ctx *c, struct peer *p, unsigned int idx,
			 size_t len, const char *what);

/* Wait for connection idx at the peer to be closed by the client and
 * check it carried exactly want[0..len) once.  Records FAIL/ERROR. */
bool cc_expect_bytes(struct case_ctx *c, struct peer *p, unsigned int idx,
		     const void *want, size_t len);

/*
 * Packets of the connection whose client port is sport, in order, up to
 * the client's first data, FIN or RST at least: once that segment is in
 * the capture on the server's link, everything the client sent before it
 * and every SYN-ACK the server answered with is too (one link, received
 * in order; the server's frames are captured as they leave).  Without
 * one, frames are read until CC_WIRE_SETTLE_MS pass with none new.
 */
#define CC_WIRE_SETTLE_MS 20
struct cc_conn_view {
	size_t n;
	const struct wire_pkt *pkt[64];
};
void cc_wire_conn(struct case_ctx *c, uint16_t sport, struct cc_conn_view *v);
/* Index (in v) of the first client→server packet with payload, -1 if none;
 * *pure_ack_before: a client pure ACK preceded it. */
int cc_first_data(const struct cc_conn_view *v, bool *pure_ack_before);
/* Compact text of a connection's packets for messages. */
void cc_wire_text(const struct cc_conn_view *v, char *buf, size_t size);

#endif
