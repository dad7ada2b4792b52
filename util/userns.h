/* SPDX-License-Identifier: MIT */
/*
 * Becoming root inside a fresh user namespace: the one way the runner
 * (rootless runs) and the probes (what works without root) get the
 * capabilities that network namespaces, veth and nftables need.
 *
 * Contract: 0 or -errno.  On failure the caller may already be in the new
 * (unmapped) user namespace and should exit rather than go on.
 */
#ifndef TFOCHECK_USERNS_H
#define TFOCHECK_USERNS_H

/*
 * unshare(CLONE_NEWUSER | extra_flags), then map the caller's effective
 * uid and gid to 0 inside (setgroups denied first, as an unprivileged
 * writer must).  extra_flags: further CLONE_NEW* namespaces, owned by the
 * new user namespace (e.g. CLONE_NEWNET).
 */
int userns_become_root(int extra_flags);

#endif
