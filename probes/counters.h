/* SPDX-License-Identifier: MIT */
/*
 * The TcpExt "TCPFastOpen*" counters of /proc/net/netstat, per network
 * namespace.  The parser keeps every TFO counter the kernel exports (the
 * set grows between releases), so callers look them up by name and a
 * counter this kernel lacks is simply absent, never zero.
 *
 * Contract: 0 or -errno (see probes/cap.h).  Parse errors are -EBADMSG;
 * text without a TcpExt section is -ENOENT.
 */
#ifndef TFOCHECK_PROBES_COUNTERS_H
#define TFOCHECK_PROBES_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROBE_COUNTERS_MAX 24
#define PROBE_COUNTER_NAME_MAX 40

struct probe_counter {
	char name[PROBE_COUNTER_NAME_MAX];
	uint64_t value;
};

struct probe_counters {
	size_t n;
	struct probe_counter c[PROBE_COUNTERS_MAX];
};

/* The counters the report always lists (present or not), in this order. */
extern const char *const probe_counters_core[];
extern const size_t probe_counters_core_count;

/* Parse /proc/net/netstat text (NUL-terminated). */
int probe_counters_parse(const char *text, struct probe_counters *out);
/* Read the counters of nsfd (-1: the calling thread's namespace). */
int probe_counters_read(int nsfd, struct probe_counters *out);
/* 0 and *value, or -ENOENT when this kernel does not export name. */
int probe_counters_get(const struct probe_counters *c, const char *name,
		       uint64_t *value);
/* after - before, per counter present in after (absent before counts 0). */
void probe_counters_delta(const struct probe_counters *before,
			  const struct probe_counters *after,
			  struct probe_counters *delta);

#endif
