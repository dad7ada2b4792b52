/* SPDX-License-Identifier: MIT */
/*
 * userns_become_root() (see userns.h).  Each map write is checked: a user
 * namespace without a gid map leaves files created inside owned by the
 * overflow group, and a half-mapped namespace must not pass for a working
 * one.
 */
#include "util/userns.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "util/util.h"

int userns_become_root(int extra_flags)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];
	int ret;

	if (unshare(CLONE_NEWUSER | extra_flags) < 0)
		return -errno;
	/* -ENOENT: kernels before 3.19 have no setgroups file */
	ret = util_file_write("/proc/self/setgroups", "deny");
	if (ret < 0 && ret != -ENOENT)
		return ret;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)uid);
	ret = util_file_write("/proc/self/uid_map", map);
	if (ret < 0)
		return ret;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)gid);
	return util_file_write("/proc/self/gid_map", map);
}
