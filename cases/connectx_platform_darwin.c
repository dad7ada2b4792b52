/* SPDX-License-Identifier: MIT */
/*
 * The Darwin side of the connectx cases' platform seam (see connectx.h):
 * where XNU is known (or, marked so, inferred) to differ from its own man
 * page, as docs/xnu-connectx.md §11 lists it, so that a run on a Mac
 * reports XFAIL with the reason instead of a surprising FAIL; and IP_BOUND_IF/IPV6_BOUND_IF for the bound interface.
 * Written without a Mac at hand: the first Darwin run validates it.
 */
#ifdef __APPLE__

#include "cases/connectx.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

static const char *const cx_darwin_limits[CXL_MAX] = {
	[CXL_DARWIN_EMSGSIZE] =
		"Darwin: XNU drops an existing UDP association before connecting, then disconnects again when the datagram is refused (EMSGSIZE), keeping the local port (docs/xnu-connectx.md §9, §11)",
	[CXL_DARWIN_BLOCKING_EISCONN] =
		"Darwin: a blocking socket whose connection attempt is still under way gets EISCONN, not EALREADY (docs/xnu-connectx.md §4, §11)",
	[CXL_DARWIN_IFDOWN] =
		"Darwin: XNU never checks that sae_srcif is up; taking an IPv4 interface down removes its routes, so the attempt fails with EHOSTUNREACH (peer on the link) or ENETUNREACH, and IPv6, which keeps its routes, may time out (docs/xnu-connectx.md §8, §11; inference)",
	[CXL_DARWIN_SRCIF_V6] =
		"Darwin: for IPv6 XNU reports a bound source address that is not on sae_srcif as EHOSTUNREACH at the first packet, not EADDRNOTAVAIL (docs/xnu-connectx.md §8, §11; inference)",
	[CXL_DARWIN_BLOCK_EINPROGRESS] =
		"Darwin: a blocking connectx whose data does not fit the send buffer returns EINPROGRESS with a partial *len (the send path's EWOULDBLOCK rewritten, docs/xnu-connectx.md §6, §11; inference)",
};

const char *cxp_limit(enum cx_limit l)
{
	return l < CXL_MAX ? cx_darwin_limits[l] : NULL;
}

int cxp_bound_ifindex(int fd, int domain)
{
	unsigned int idx = 0;
	socklen_t sl = sizeof(idx);
	int r = domain == AF_INET6 ?
		getsockopt(fd, IPPROTO_IPV6, IPV6_BOUND_IF, &idx, &sl) :
		getsockopt(fd, IPPROTO_IP, IP_BOUND_IF, &idx, &sl);

	return r ? -errno : (int)idx;
}

const char *cxp_name(void)
{
	return "Darwin";
}

#endif /* __APPLE__ */
