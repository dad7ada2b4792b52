/* SPDX-License-Identifier: MIT */
/*
 * Anonymous network namespaces, held by file descriptor only.
 *
 * tfocheck never names a namespace (no /run/netns entry) and never creates
 * a link in the namespace it started in: a namespace lives exactly as long
 * as some process holds its fd or a socket in it, so a crash, a kill or a
 * Ctrl-C leaves nothing behind by construction.
 *
 * Namespace membership is per thread (setns(2)); functions that "run in"
 * a namespace switch the calling thread there and back.
 *
 * Contract: every int function returns 0 or -errno; nsfd -1 means "the
 * calling thread's current namespace".
 */
#ifndef TFOCHECK_NETNS_H
#define TFOCHECK_NETNS_H

#include <stddef.h>

/* Create a new network namespace; the calling thread stays where it was. */
int netns_create(int *nsfd);
/* Open an fd for the calling thread's current network namespace. */
int netns_current(int *nsfd);
/* Move the calling thread into nsfd. */
int netns_enter(int nsfd);
/* socket(2) created inside nsfd (the socket stays in that namespace). */
int netns_socket(int nsfd, int domain, int type, int protocol);
/* Read/write /proc/sys/<path> as seen from inside nsfd.
 * path uses slashes, e.g. "net/ipv4/tcp_fastopen". */
int netns_sysctl_read(int nsfd, const char *path, char *buf, size_t size);
int netns_sysctl_write(int nsfd, const char *path, const char *value);
int netns_sysctl_write_long(int nsfd, const char *path, long value);

#endif
