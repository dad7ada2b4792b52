/* SPDX-License-Identifier: MIT */
/*
 * The real server a case talks to: a listener inside the server namespace
 * (TCP_FASTOPEN qlen when the profile says the listener asks for TFO) and
 * a thread that accepts every connection and reads it to EOF, so a case can
 * assert that the server received exactly the bytes sent, once, in order —
 * and what the server's TCP saw (TCPI_OPT_SYN_DATA: data accepted from the
 * SYN).
 *
 * Contract: 0 or -errno.
 */
#ifndef TFOCHECK_PEER_H
#define TFOCHECK_PEER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/topo.h"

#define PEER_MAX_CONNS 16
#define PEER_MAX_BYTES (1u << 20)

struct peer_conn {
	unsigned char *data;	/* everything read, up to PEER_MAX_BYTES */
	size_t len;
	bool eof;		/* peer closed (FIN) */
	int error;		/* read error (e.g. ECONNRESET), 0 if none */
	bool syn_data;		/* server tcpi_options & TCPI_OPT_SYN_DATA */
};

struct peer {
	int lfd;
	uint16_t port;
	int wake[2];		/* pipe: tells the thread to stop */
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int nconns;
	struct peer_conn conns[PEER_MAX_CONNS];
};

/* Listen on the server's address for family f (port 0: pick one). */
int peer_start(struct peer *p, const struct topo *t, enum topo_family f,
	       uint16_t port);
/* Wait until connection idx has at least want bytes, or EOF, or timeout;
 * copies its state (data pointer stays owned by the peer). */
int peer_wait(struct peer *p, unsigned int idx, size_t want, int timeout_ms,
	      struct peer_conn *out);
/* Number of connections accepted so far. */
unsigned int peer_count(struct peer *p);
void peer_stop(struct peer *p);

/* One TFO connection from the client to the peer so the client caches a
 * cookie (no-op for the cache when the profile gives none). */
int peer_warm_cookie(struct peer *p, const struct topo *t, enum topo_family f);

#endif
