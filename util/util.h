/* SPDX-License-Identifier: MIT */
/*
 * Small helpers shared by every module: monotonic time, errno names,
 * whole-file reads/writes, bounded string formatting.
 *
 * Contract: functions returning int give 0 or -errno; nothing here exits.
 */
#ifndef TFOCHECK_UTIL_H
#define TFOCHECK_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define TFOCHECK_VERSION "0.1.0"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* CLOCK_MONOTONIC in nanoseconds / milliseconds. */
uint64_t util_now_ns(void);
double util_now_ms(void);

/* "EINPROGRESS" for EINPROGRESS; "errno 1234" for unknown values. */
const char *util_errno_name(int err);

/* Read a small text file (e.g. under /proc) into buf, NUL-terminated. */
int util_file_read(const char *path, char *buf, size_t size);
/* Write a string to a file (sysctls). */
int util_file_write(const char *path, const char *s);

/* Parse an integer (decimal or 0x hex) from a whole string. */
int util_parse_long(const char *s, long *out);

/* snprintf that appends at *off into buf (truncating safely). */
void util_appendf(char *buf, size_t size, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
