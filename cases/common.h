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

/* Wait for connection idx at the peer to be closed by the client and
 * check it carried exactly want[0..len) once.  Records FAIL/ERROR. */
bool cc_expect_bytes(struct case_ctx *c, struct peer *p, unsigned int idx,
		     const void *want, size_t len);

/* Packets of the connection whose client port is sport, in order. */
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
