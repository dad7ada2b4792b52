/* SPDX-License-Identifier: MIT */
/*
 * Compressed kernel timers for the case processes (docs/harness.md,
 * "Compressed timers").  Most of a run's wall time is spent waiting for
 * the kernel's initial retransmission timeout (1 s for a SYN or SYN-ACK):
 * a silent peer, an ICMP that only the retransmitted SYN makes fatal, a
 * SYN with data that a middlebox drops.  No sysctl sets that timeout, but
 * a BPF sock_ops program attached to a cgroup v2 directory answers
 * BPF_SOCK_OPS_TIMEOUT_INIT for every TCP socket created by a process in
 * it, client and server (a listener's answer covers its SYN-ACKs).
 *
 * At the start of a run timers_start() creates one cgroup v2 directory,
 * <v2 mount><own cgroup>/tfocheck.<pid>.timers, loads the 6-instruction
 * program with bpf(2) (no compiler involved), attaches it there through a
 * BPF link (it dies with the runner's descriptor, also on SIGKILL; older
 * kernels: a plain attachment that dies with the directory), and proves
 * it works: a process in the directory connects once and TCP_INFO must
 * show the compressed RTO.  The jail (harness/jail.c) makes every case
 * process join the directory, and its janitor removes the directory when
 * the runner ends, however it ends.  Where any step is refused (no cgroup
 * v2, no root, a kernel without CGROUP_BPF, sockets that do not follow
 * cgroup v2), the run uses real timers and timers_info() says why.
 *
 * Only the initial RTO changes: the exponential backoff, the SYN count,
 * the linear-timeout count and every RTO after the handshake (which the
 * measured round trip and TCP_RTO_MIN decide) stay the kernel's, so the
 * order of events a case observes is the one real timers give, scaled.
 *
 * Contract: 0 or -errno; timers_start() and timers_stop() never fail a
 * run: they fall back to real timers and say why.
 */
#ifndef TFOCHECK_TIMERS_H
#define TFOCHECK_TIMERS_H

#include <stdbool.h>
#include <stddef.h>

/* The kernel's own initial RTO (TCP_TIMEOUT_INIT). */
#define TIMERS_REAL_RTO_MS 1000
/*
 * The compressed initial RTO a run asks for (times --timeout-scale): 25x
 * shorter than the kernel's, and 3x what showed no spurious SYN or
 * SYN-ACK retransmission in 10 000 handshakes across a case's veth pair
 * with every core busy (bench/bench_timers: 12 ms; the connect itself
 * took at most 7 ms, scheduling included).  It leaves the signal and
 * "not yet" windows of the cases room on a loaded machine.
 */
#define TIMERS_TARGET_RTO_MS 40
/* The program's name: this prefix and the runner's pid (hygiene tests). */
#define TIMERS_PROG_PREFIX "tfo_rto_"
/* The run's directory under the runner's own cgroup v2: this with its pid. */
#define TIMERS_CGROUP_FMT "tfocheck.%d.timers"

struct timers_info {
	bool compressed;
	int rto_ms;		/* in effect: TIMERS_REAL_RTO_MS, or as measured */
	unsigned int jiffies;	/* the program's answer */
	unsigned int hz;	/* the kernel's HZ it was derived from */
	char hz_source[96];	/* "CONFIG_HZ in /proc/config.gz", ... */
	const char *attach;	/* "link" or "attach" (a kernel before 5.7) */
	char why[320];		/* !compressed: why not, one line */
};

/*
 * Set up compression for this run (compress: false for --real-timers)
 * with an initial RTO of about target_ms, after jail_init(): the jail's
 * janitor is told of the directory before anything can be left in it,
 * and jobs join it from then on.  Always 0: on any refusal the run falls
 * back to real timers and timers_info()->why says why.
 */
int timers_start(bool compress, unsigned int target_ms);
/* The cgroup v2 directory case processes join, or "" with real timers. */
const char *timers_cgroup(void);
const struct timers_info *timers_info(void);
/* Detach, unload and remove the directory (its processes must be gone;
 * what a dead runner leaves, the jail's janitor removes). */
void timers_stop(void);

/*
 * The kernel's HZ: CONFIG_HZ from /boot/config-$(uname -r) or
 * /proc/config.gz, else measured from a jiffies-based sysctl in a private
 * network namespace, else 250 (src says which).
 */
int timers_kernel_hz(unsigned int *hz, char *src, size_t size);

#endif
