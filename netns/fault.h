/* SPDX-License-Identifier: MIT */
/*
 * Fault injection in the router of a TOPO_ROUTED topology: named,
 * documented nftables rule sets that model the middleboxes and failures a
 * TFO client has to survive (SYNs lost, SYN data lost, the TFO option
 * stripped, RST or ICMP in reply to a SYN, data blackholed after the
 * handshake).
 *
 * Rules are installed through libnftables (never by exec'ing nft) into an
 * `inet` table (IPv4 and IPv6 alike) in the router namespace, forward hook,
 * matching only what enters on the client-side link (client→server) except
 * where a fault says otherwise.  The table lives in the router's anonymous
 * namespace and dies with it; nothing is ever written in the namespace the
 * caller started in.
 *
 * Contract: 0 or -errno.  On failure, fault_last_error() (per thread)
 * holds libnftables' message or a short reason.
 */
#ifndef TFOCHECK_FAULT_H
#define TFOCHECK_FAULT_H

#include <stddef.h>

struct topo;

enum fault {
	FAULT_NONE,
	/* drop every SYN client→server: connect times out (ETIMEDOUT) */
	FAULT_DROP_SYN,
	/* drop client→server SYNs carrying payload (the classic TFO
	 * middlebox): SYN-data times out after 1 s, the retransmitted plain
	 * SYN passes, the data follows the handshake */
	FAULT_DROP_SYN_DATA,
	/* replace the TFO option (kind 34, and the experimental kind 254
	 * with magic 0xF989) by NOPs in SYNs and SYN-ACKs, both ways: the
	 * handshake succeeds but no cookie is ever requested or granted */
	FAULT_STRIP_TFO,
	/* answer client SYNs with a TCP RST: ECONNREFUSED at once */
	FAULT_RST_SYN,
	/* answer client SYNs with ICMP/ICMPv6 destination unreachable */
	FAULT_ICMP_HOST_UNREACH,	/* v4 host-unreach, v6 address-unreach */
	FAULT_ICMP_NET_UNREACH,		/* v4 net-unreach, v6 no-route */
	FAULT_ICMP_ADMIN_PROHIB,	/* v4 code 13 filtered, v6 admin-prohib */
	/* the handshake (SYN, SYN-ACK, ACK) passes, including any data in
	 * the SYN; every later client→server segment carrying payload is
	 * dropped (pure ACKs, FIN and RST without payload still pass) */
	FAULT_DROP_AFTER_HANDSHAKE,
	FAULT_MAX
};

/* Static description of a fault, for listings and documentation. */
struct fault_info {
	enum fault fault;
	const char *name;	/* "drop-syn", ... */
	const char *doc;	/* one line, with the errno a client sees */
};

extern const struct fault_info fault_table[FAULT_MAX];

/*
 * Install fault f in t's router (replacing any fault installed before;
 * FAULT_NONE removes it).  -EINVAL when t is not TOPO_ROUTED or f is out
 * of range.  The calling thread visits the router namespace and comes
 * back.
 */
int fault_apply(const struct topo *t, enum fault f);

/* Text of the last fault_apply() failure in this thread ("" if none). */
const char *fault_last_error(void);

/* "drop-syn", ...; "none" for FAULT_NONE; NULL when out of range. */
const char *fault_name(enum fault f);
/* 0, or -EINVAL for an unknown name. */
int fault_from_name(const char *name, enum fault *out);
/* One-line description; NULL when out of range. */
const char *fault_doc(enum fault f);

/* The nft script fault_apply() would run, for logs and docs: writes at
 * most size bytes (NUL-terminated); -ENOSPC when truncated. */
int fault_script(const struct topo *t, enum fault f, char *buf, size_t size);

#endif
