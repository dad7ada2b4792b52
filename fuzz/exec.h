/* SPDX-License-Identifier: MIT */
/*
 * Playing a scenario with tfocheck's harness: a fresh topology of the
 * scenario's kind with its profile and fault (netns/), the server peer
 * (harness/peer.h) on both families, the wire observer (harness/wire.h),
 * and every library call through harness/libcall.h, which also takes the
 * side-effect snapshot around it.  Runs inside a case jail's worker
 * (fuzz/pool.h): the library under test is untrusted.
 *
 * Contract: 0 or -errno (the observation then says FZE_ERROR and why).
 */
#ifndef TFOCHECK_FUZZ_EXEC_H
#define TFOCHECK_FUZZ_EXEC_H

#include "fuzz/play.h"

struct case_lib;

/* The topology kind and fault a path is built from, as tfocheck names. */
const char *fz_path_fault(enum fz_path p);

/* Where the time of the last fz_exec() in this process went (ms), for
 * bench/bench_fuzz.c. */
struct fz_exec_timing {
	double start_ms, setup_ms, play_ms;
};
extern struct fz_exec_timing fz_exec_timing;

/* Play s against lib in this process; pcap: keep the capture there
 * (NULL: do not). */
int fz_exec(const struct fz_scn *s, const struct case_lib *lib,
	    const char *pcap, struct fz_obs *obs);

#endif
