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
#include <stdlib.h>
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

long long test_lo_tx_packets(void)
{
	FILE *f = fopen("/proc/net/dev", "r");
	char line[512];
	long long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long n[10];
		char *p = strstr(line, "lo:");

		if (!p || strspn(line, " ") != (size_t)(p - line))
			continue;
		/* rx: bytes packets errs drop fifo frame compressed multicast,
		 * then tx: bytes packets */
		if (sscanf(p + 3, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			   &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6],
			   &n[7], &n[8], &n[9]) == 10)
			v = (long long)n[9];
	}
	fclose(f);
	return v;
}

long long test_tcp_active_opens(void)
{
	FILE *f = fopen("/proc/net/snmp", "r");
	char head[1024], vals[1024];
	long long v = -1;

	if (!f)
		return -1;
	/* "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens ..." and
	 * the line of values after it */
	while (fgets(head, sizeof(head), f)) {
		char *h, *x, *hs = NULL, *xs = NULL;

		if (strncmp(head, "Tcp:", 4) || !fgets(vals, sizeof(vals), f))
			continue;
		for (h = strtok_r(head, " \n", &hs), x = strtok_r(vals, " \n", &xs);
		     h && x; h = strtok_r(NULL, " \n", &hs), x = strtok_r(NULL, " \n", &xs))
			if (!strcmp(h, "ActiveOpens"))
				v = strtoll(x, NULL, 10);
		break;
	}
	fclose(f);
	return v;
}
