/* SPDX-License-Identifier: MIT */
/*
 * Anonymous network namespaces (see netns.h).  A new namespace is made by
 * unshare(CLONE_NEWNET) on the calling thread, pinned by an fd to
 * /proc/thread-self/ns/net, and the thread is moved straight back: the
 * namespace has no name and disappears with its last fd or socket.
 */
#include "netns/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/util.h"

int netns_current(int *nsfd)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	*nsfd = fd;
	return 0;
}

int netns_enter(int nsfd)
{
	if (nsfd < 0)
		return 0;
	return setns(nsfd, CLONE_NEWNET) ? -errno : 0;
}

int netns_create(int *nsfd)
{
	int orig = -1, ret;

	ret = netns_current(&orig);
	if (ret)
		return ret;
	if (unshare(CLONE_NEWNET)) {
		ret = -errno;
		goto out;
	}
	ret = netns_current(nsfd);
	/* going back cannot fail for a namespace we were just in */
	if (setns(orig, CLONE_NEWNET) && !ret) {
		ret = -errno;
		close(*nsfd);
	}
out:
	close(orig);
	return ret;
}

/* Run in nsfd: remember where we are, switch, and return the fd to go back
 * to (or -1 when nothing needs to be done). */
static int netns_switch(int nsfd, int *back)
{
	int ret;

	*back = -1;
	if (nsfd < 0)
		return 0;
	ret = netns_current(back);
	if (ret)
		return ret;
	ret = netns_enter(nsfd);
	if (ret) {
		close(*back);
		*back = -1;
	}
	return ret;
}

static void netns_switch_back(int back)
{
	if (back < 0)
		return;
	/* cannot fail: we were in that namespace a moment ago */
	(void)setns(back, CLONE_NEWNET);
	close(back);
}

int netns_socket(int nsfd, int domain, int type, int protocol)
{
	int back, fd, ret;

	ret = netns_switch(nsfd, &back);
	if (ret)
		return ret;
	fd = socket(domain, type | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		fd = -errno;
	netns_switch_back(back);
	return fd;
}

int netns_sysctl_read(int nsfd, const char *path, char *buf, size_t size)
{
	char full[256];
	int back, ret;

	snprintf(full, sizeof(full), "/proc/sys/%s", path);
	ret = netns_switch(nsfd, &back);
	if (ret)
		return ret;
	ret = util_file_read(full, buf, size);
	netns_switch_back(back);
	if (!ret)
		buf[strcspn(buf, "\n")] = 0;
	return ret;
}

int netns_sysctl_write(int nsfd, const char *path, const char *value)
{
	char full[256];
	int back, ret;

	snprintf(full, sizeof(full), "/proc/sys/%s", path);
	ret = netns_switch(nsfd, &back);
	if (ret)
		return ret;
	ret = util_file_write(full, value);
	netns_switch_back(back);
	return ret;
}

int netns_sysctl_write_long(int nsfd, const char *path, long value)
{
	char v[32];

	snprintf(v, sizeof(v), "%ld", value);
	return netns_sysctl_write(nsfd, path, v);
}
