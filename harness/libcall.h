/* SPDX-License-Identifier: MIT */
/*
 * Every call a case body makes into the library under test goes through
 * these wrappers.  Around each call they name the function in the job's
 * verdict frame, so a case process that dies or exits inside the library
 * is reported as such, and they leave errno as the library set it.
 *
 * They also measure how long the calling thread waited for a CPU while
 * the library ran (its scheduler run delay, /proc/thread-self/schedstat),
 * into c->call_cpu_wait_ms: an "at once" bound does not count time in
 * which the call could not run (cases/common.h, cc_at_once_ms()).  0
 * where the kernel keeps no such statistics.  And how long they spent
 * themselves around the call (the snapshots), into c->call_harness_ms,
 * which the same bound does not charge to the library either.
 *
 * Contract: the wrappers return what the library returned; errno is the
 * library's.
 */
#ifndef TFOCHECK_LIBCALL_H
#define TFOCHECK_LIBCALL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

struct case_ctx;

/* The case process's name slot (in its verdict frame). */
void libcall_attach(char *slot, size_t size);

ssize_t libcall_fo_connect4(struct case_ctx *c, int s, const char *ip,
			    uint16_t port, const char *buf, size_t len);
ssize_t libcall_fo_connect6(struct case_ctx *c, int s, const char *ip,
			    uint16_t port, uint32_t scope_id, const char *buf,
			    size_t len);
int libcall_connected(struct case_ctx *c, int s);
int libcall_connectx(struct case_ctx *c, int s, const void *endpoints,
		     uint32_t associd, unsigned int flags,
		     const struct iovec *iov, unsigned int iovcnt, size_t *len,
		     uint32_t *connid);
int libcall_disconnectx(struct case_ctx *c, int s, uint32_t associd,
			uint32_t connid);

#endif
