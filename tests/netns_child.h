/* SPDX-License-Identifier: MIT */
/*
 * A fixture for tests that exercise a library directly: run a function in
 * a forked child inside a fresh network namespace (lo up, the given
 * net.ipv4.tcp_fastopen, tcp_syn_retries 1 so failure paths end fast),
 * and bring its observations back to the parent, where the CUnit asserts
 * run.  The child has 4 s; SIGPIPE is left fatal so a stray one shows.
 */
#ifndef TFOCHECK_TESTS_NETNS_CHILD_H
#define TFOCHECK_TESTS_NETNS_CHILD_H

#include <stdbool.h>

struct test_child_res {
	int ok;			/* the child reached the end */
	long long v[48];	/* observations, test-specific */
};

typedef void (*test_child_fn)(struct test_child_res *r);

/* false (and a recorded skip) when not root, or when the child failed. */
bool test_child_in_netns(test_child_fn fn, const char *tcp_fastopen,
			 struct test_child_res *r);
/* Accept one connection on lfd (waiting up to wait_ms) and read it to
 * EOF: the bytes received, or -1 when nothing connected. */
long long test_drain(int lfd, int wait_ms);
/* client tcp_info: TCPI_OPT_SYN_DATA (the SYN's data was acked) */
int test_syn_data(int fd);
/* Counters of the calling thread's namespace, -1 when unreadable: packets
 * lo has sent (/proc/net/dev), and TCP active opens, i.e. connections
 * whose SYN the kernel sent (/proc/net/snmp, Tcp ActiveOpens). */
long long test_lo_tx_packets(void);
long long test_tcp_active_opens(void);

#endif
