/* SPDX-License-Identifier: MIT */
/*
 * Loading the library under test at run time.  Any shared object that
 * exports the documented symbols can be checked: libowfat's
 * socket_fastopen_connect4/6 (+ socket_connected when exported) and
 * Darwin-ABI connectx/disconnectx.  "libtfo" and "libowfat" are
 * shorthands for the in-tree reference and the system's libowfat.
 *
 * Contract: 0 or -errno; on failure `err` holds one line naming the path
 * and the reason (dlerror text or the missing symbol).
 */
#ifndef TFOCHECK_LIBLOAD_H
#define TFOCHECK_LIBLOAD_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "harness/case.h"

typedef ssize_t (*owfat_connect4_fn)(int s, const char *ip, uint16_t port,
				     const char *buf, size_t len);
typedef ssize_t (*owfat_connect6_fn)(int s, const char *ip, uint16_t port,
				     uint32_t scope_id, const char *buf,
				     size_t len);
typedef int (*owfat_connected_fn)(int s);
/* Darwin ABI: sa_endpoints_t is declared in include/libtfo/connectx.h */
typedef int (*connectx_fn)(int s, const void *endpoints, uint32_t associd,
			   unsigned int flags, const struct iovec *iov,
			   unsigned int iovcnt, size_t *len, uint32_t *connid);
typedef int (*disconnectx_fn)(int s, uint32_t associd, uint32_t connid);

struct case_lib {
	char path[PATH_MAX];	/* resolved path */
	char alias[32];		/* "libtfo", "libowfat" or "" */
	char version[128];	/* package version / build id when known */
	void *handle;
	owfat_connect4_fn fo_connect4;
	owfat_connect6_fn fo_connect6;
	owfat_connected_fn connected;	/* optional */
	connectx_fn connectx;
	disconnectx_fn disconnectx;
};

/* Resolve an alias or path; exe_dir is where build/tfocheck lives (to find
 * the in-tree libtfo). */
int libload_open(struct case_lib *l, const char *name, const char *exe_dir,
		 char *err, size_t errlen);
/* Does the library provide what api needs?  0 or -ENOENT with err set. */
int libload_check_api(const struct case_lib *l, enum case_api api, char *err,
		      size_t errlen);
void libload_close(struct case_lib *l);

#endif
