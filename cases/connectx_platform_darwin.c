/* SPDX-License-Identifier: MIT */
/*
 * The Darwin side of the connectx cases' platform seam (see connectx.h):
 * where XNU is known (or, marked so, inferred) to differ from its own man
 * page, from the XNU audit in notes/connectx-darwin.md (§1, the ≠ tags of
 * §4), so that a run on a Mac reports XFAIL with the reason instead of a
 * surprising FAIL; and IP_BOUND_IF/IPV6_BOUND_IF for the bound interface.
 * Written without a Mac at hand: the first Darwin run validates it.
 */
#ifdef __APPLE__

#include "cases/connectx.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

static const char *const cx_darwin_limits[CXL_MAX] = {
	[CXL_DARWIN_ASSOCID] =
		"Darwin: XNU does not check associd and accepts any value (notes §1.2, §4 case 18)",
	[CXL_DARWIN_EMSGSIZE] =
		"Darwin: after a UDP EMSGSIZE XNU disconnects the socket and keeps its local port (notes §1.7, §4 case 56)",
	[CXL_DARWIN_BLOCKING_EISCONN] =
		"Darwin: a blocking socket whose connection attempt is still under way gets EISCONN, not EALREADY (notes §1.2 step 14, §4 case 23)",
	[CXL_DARWIN_BLOCK_EINPROGRESS] =
		"Darwin: a blocking connectx whose data does not fit the send buffer returns EINPROGRESS with a partial *len (sosend's EWOULDBLOCK rewritten, notes §1.4; inference)",
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
