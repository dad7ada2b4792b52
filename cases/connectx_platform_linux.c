/* SPDX-License-Identifier: MIT */
/*
 * The Linux side of the connectx cases' platform seam (see connectx.h):
 * what a user-space emulation of connectx on Linux cannot do, as
 * docs/connectx-linux.md explains it, and how to read back the interface
 * a socket is bound to (SO_BINDTOIFINDEX).
 * Nothing else in the connectx cases depends on the platform.
 */
#ifdef __linux__

#include "cases/connectx.h"
#include "util/tfo_uapi.h"

#include <errno.h>
#include <sys/socket.h>

static const char *const cx_linux_limits[CXL_MAX] = {
	[CXL_RESUME_DEFER] =
		"Linux defers a connect's SYN only with TCP_FASTOPEN_CONNECT and a cached cookie (or no-cookie mode); without them, or without IDEMPOTENT, the SYN leaves at connectx (docs/connectx-linux.md, RESUME)",
	[CXL_RESUME_READ] =
		"on Linux only a write sends a deferred connect's SYN; a read never does (docs/connectx-linux.md, RESUME)",
	[CXL_FAULT_POINTER] =
		"a user-space connectx dereferences the endpoints pointer itself: an unmapped one faults instead of EFAULT (docs/connectx-linux.md, EFAULT)",
};

const char *cxp_limit(enum cx_limit l)
{
	return l < CXL_MAX ? cx_linux_limits[l] : NULL;
}

int cxp_bound_ifindex(int fd, int domain)
{
	int idx = 0;
	socklen_t sl = sizeof(idx);

	(void)domain; /* one option for both families */
	if (getsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX, &idx, &sl))
		return -errno;
	return idx;
}

const char *cxp_name(void)
{
	return "Linux";
}

#endif /* __linux__ */
