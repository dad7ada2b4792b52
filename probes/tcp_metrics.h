/* SPDX-License-Identifier: MIT */
/*
 * The kernel's per-destination TCP metrics cache over generic netlink
 * (family "tcp_metrics", resolved through the genl controller), where a TFO
 * client keeps the cookies servers hand out.  Used by `tfocheck probe` to
 * report cached cookies and by the harness to start every case cold.
 *
 * Every function opens its own netlink socket inside nsfd (-1: the calling
 * thread's namespace) and closes it before returning.
 *
 * Contract: 0 or -errno, the kernel's netlink error where there is one
 * (-ENOENT: no tcp_metrics family; -EPERM: flush without CAP_NET_ADMIN over
 * the namespace).
 */
#ifndef TFOCHECK_PROBES_TCP_METRICS_H
#define TFOCHECK_PROBES_TCP_METRICS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TCPM_COOKIE_MAX 16	/* TCP_FASTOPEN_COOKIE_MAX */

struct tcpm_entry {
	int family;			/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} daddr, saddr;
	bool has_saddr;
	uint64_t age_ms;
	uint16_t fopen_mss;		/* 0 when not reported */
	uint16_t fopen_syn_drops;
	bool has_syn_drop_ts;
	uint64_t fopen_syn_drop_age_ms;	/* since the last SYN-data drop */
	size_t cookie_len;		/* 0: no TFO cookie cached */
	uint8_t cookie[TCPM_COOKIE_MAX];
};

int tcpm_family_id(int nsfd, uint16_t *id);
/* Call cb for each cached destination.  cb returns 0 to go on, >0 to stop
 * (tcpm_dump returns 0) or -errno to stop (tcpm_dump returns it). */
int tcpm_dump(int nsfd, int (*cb)(const struct tcpm_entry *e, void *arg),
	      void *arg);
/* Delete every entry of the namespace (TCP_METRICS_CMD_DEL, no address). */
int tcpm_flush(int nsfd);

/* "198.18.0.2" / "2001:2::2" into buf (INET6_ADDRSTRLEN is enough). */
const char *tcpm_addr_str(int family, const void *addr, char *buf, size_t size);
/* The entry's cookie in lower-case hex into buf ("" when it has none;
 * 2 * TCPM_COOKIE_MAX + 1 is enough). */
const char *tcpm_cookie_str(const struct tcpm_entry *e, char *buf, size_t size);

#endif
