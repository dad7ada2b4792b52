/* SPDX-License-Identifier: MIT */
/*
 * What isolation this host offers the rest of tfocheck: network and user
 * namespaces, and — probed only inside a private network namespace, never
 * the caller's — veth pairs, nftables and AF_PACKET.
 *
 * It also runs work that needs CAP_NET_ADMIN for a caller that lacks it:
 * probe_isolation_in_userns() forks a child that becomes root of a fresh
 * user namespace, runs the work there and hands back a plain-data result.
 *
 * Contract: 0 or -errno (see probes/cap.h).
 */
#ifndef TFOCHECK_PROBES_ISOLATION_H
#define TFOCHECK_PROBES_ISOLATION_H

#include <stddef.h>

#include "probes/cap.h"

struct probe_isolation {
	struct probe_cap netns;		/* create a network namespace, as we are */
	struct probe_cap userns;	/* create a user namespace, as we are */
	struct probe_cap unpriv_userns;	/* ... as an unprivileged user */
	long unprivileged_userns_clone;	/* kernel.*; -1 when absent */
	long max_user_namespaces;	/* user.*; -1 when unreadable */
	/* in a private network namespace: */
	struct probe_cap veth;
	struct probe_cap nftables;
	struct probe_cap af_packet;
};

/* Namespace creation and the user-namespace sysctls, in the caller's
 * context (forked children; nothing persists). */
int probe_isolation_namespaces(struct probe_isolation *iso);
/* veth/nftables/AF_PACKET inside a private network namespace; needs the
 * right to create one (iso->netns supported, or run in a user namespace). */
int probe_isolation_private(struct probe_isolation *iso);

/* Fork; in the child become uid 0 of a new user namespace, move into a
 * network namespace that user namespace owns, run fn(buf), then copy buf
 * (plain data, size bytes) back to the parent.  Starting from an owned
 * network namespace matters: netns_create() returns to the namespace it
 * started in, and setns() into one owned by the parent user namespace is
 * EPERM.  Returns fn's result, or -errno when the child could not be set
 * up. */
int probe_isolation_in_userns(int (*fn)(void *buf), void *buf, size_t size);

#endif
