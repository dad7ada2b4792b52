/* SPDX-License-Identifier: MIT */
/*
 * The private-namespace child fixture (see netns_child.h).  lo is brought
 * up with SIOCSIFFLAGS: these tests exercise the library, not netns/.
 */
#include "tests/netns_child.h"

#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"
#include "tests/testlib.h"
#include "util/tfo_uapi.h"

static int test_lo_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret = -1;

	if (fd < 0)
		return -1;
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return ret;
}

bool test_child_in_netns(test_child_fn fn, const char *tcp_fastopen,
			 struct test_child_res *r)
{
	int p[2], st = 0;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (!test_is_root()) {
		test_skip("needs root for private network namespaces");
		return false;
	}
	if (pipe(p))
		return false;
	pid = fork();
	if (pid == 0) {
		struct test_child_res res = { 0 };

		close(p[0]);
		alarm(4);
		signal(SIGPIPE, SIG_DFL);
		if (unshare(CLONE_NEWNET) || test_lo_up() ||
		    util_file_write("/proc/sys/net/ipv4/tcp_fastopen",
				    tcp_fastopen) ||
		    util_file_write("/proc/sys/net/ipv4/tcp_syn_retries", "1"))
			_exit(2);
		fn(&res);
		res.ok = 1;
		if (write(p[1], &res, sizeof(res)) != sizeof(res))
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], r, sizeof(*r)) != sizeof(*r))
		r->ok = 0;
	close(p[0]);
	if (pid > 0)
		waitpid(pid, &st, 0);
	if (!r->ok)
		printf("\n    child status 0x%x", st);
	CU_ASSERT_TRUE(r->ok);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return r->ok;
}

int test_syn_data(int fd)
{
	struct tcp_info ti = { 0 };
	socklen_t tl = sizeof(ti);

	getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl);
	return ti.tcpi_options & TCPI_OPT_SYN_DATA;
}

long long test_drain(int lfd, int wait_ms)
{
	struct pollfd pf = { .fd = lfd, .events = POLLIN };
	char buf[65536];
	long long total = 0;
	int c;

	if (poll(&pf, 1, wait_ms) != 1)
		return -1;
	c = accept(lfd, NULL, NULL);
	if (c < 0)
		return -1;
	for (;;) {
		struct pollfd cp = { .fd = c, .events = POLLIN };
		ssize_t n;

		if (poll(&cp, 1, 1000) != 1)
			break;
		n = read(c, buf, sizeof(buf));
		if (n <= 0)
			break;
		total += n;
	}
	close(c);
	return total;
}
