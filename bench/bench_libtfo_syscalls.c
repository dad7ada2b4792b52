// SPDX-License-Identifier: MIT
/*
 * bench_libtfo_syscalls: how many system calls libtfo's calls make next to
 * a hand-written raw sendto(MSG_FASTOPEN), on the TFO fast path (cookie
 * cached) and on first contact, blocking and non-blocking.
 *
 * It needs no strace: each measured call runs in a child under ptrace
 * (PTRACE_O_TRACESYSGOOD), which counts the syscall-entry stops between
 * two gettid() markers.  Everything runs in a private network namespace
 * (unshare(CLONE_NEWNET), lo up by ioctl, net.ipv4.tcp_fastopen=3 written
 * inside it), against a TFO listener on 127.0.0.1.  Needs root.
 */
#include "libtfo/connectx.h"
#include "libtfo/fastopen.h"
#include "util/tfo_uapi.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum bench_api { API_RAW, API_OWFAT, API_CONNECTX, API_N };

static const char *const bench_api_name[API_N] = {
	"raw sendto", "socket_fastopen_connect4", "connectx IDEMPOTENT"
};

static struct sockaddr_in bench_dst;
static const char bench_payload[100] = "GET / HTTP/1.0\r\n\r\n";

#define BENCH_MAX_NR 16

struct bench_count {
	int n;
	long nr[BENCH_MAX_NR];
};

static int bench_lo_up(void)
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

static int bench_netns_enter(void)
{
	int fd;

	if (unshare(CLONE_NEWNET) || bench_lo_up())
		return -1;
	/* inside the private namespace only */
	fd = open("/proc/sys/net/ipv4/tcp_fastopen", O_WRONLY);
	if (fd < 0 || write(fd, "3", 1) != 1)
		return -1;
	close(fd);
	return 0;
}

static void bench_call(enum bench_api api, int s)
{
	const char ip[4] = { 127, 0, 0, 1 };
	struct iovec iov = { (void *)bench_payload, sizeof(bench_payload) };
	sa_endpoints_t ep = { .sae_dstaddr = (void *)&bench_dst,
			      .sae_dstaddrlen = sizeof(bench_dst) };
	size_t len;

	switch (api) {
	case API_RAW:
		sendto(s, bench_payload, sizeof(bench_payload),
		       MSG_FASTOPEN | MSG_NOSIGNAL, (void *)&bench_dst,
		       sizeof(bench_dst));
		break;
	case API_OWFAT:
		socket_fastopen_connect4(s, ip, ntohs(bench_dst.sin_port),
					 bench_payload, sizeof(bench_payload));
		break;
	default:
		connectx(s, &ep, SAE_ASSOCID_ANY, CONNECT_DATA_IDEMPOTENT, &iov,
			 1, &len, NULL);
		break;
	}
}

/* Run one call in a traced child; count syscalls between the markers. */
static int bench_trace(enum bench_api api, bool nonblock,
		       struct bench_count *cnt)
{
	int st, marks = 0;
	bool entry_next = true;
	pid_t pid;

	memset(cnt, 0, sizeof(*cnt));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int s = socket(AF_INET, SOCK_STREAM |
					(nonblock ? SOCK_NONBLOCK : 0), 0);

		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		syscall(SYS_gettid);
		bench_call(api, s);
		syscall(SYS_gettid);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFSTOPPED(st))
		return -1;
	ptrace(PTRACE_SETOPTIONS, pid, NULL,
	       (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL));
	for (int sig = 0;;) {
		if (ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)sig) < 0 ||
		    waitpid(pid, &st, 0) < 0)
			return -1;
		if (WIFEXITED(st) || WIFSIGNALED(st))
			break;
		sig = 0;
		if (WSTOPSIG(st) != (SIGTRAP | 0x80)) {
			sig = WSTOPSIG(st) == SIGSTOP ? 0 : WSTOPSIG(st);
			continue;
		}
		if (entry_next) {
			struct __ptrace_syscall_info si;

			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid,
				   (void *)sizeof(si), &si) <= 0)
				return -1;
			if ((long)si.entry.nr == SYS_gettid)
				marks++;
			else if (marks == 1 && cnt->n < BENCH_MAX_NR)
				cnt->nr[cnt->n++] = (long)si.entry.nr;
			else if (marks == 1)
				cnt->n++;
		}
		entry_next = !entry_next;
	}
	return marks == 2 ? 0 : -1;
}

static const char *bench_nr_name(long nr)
{
	switch (nr) {
	case SYS_sendto: return "sendto";
	case SYS_sendmsg: return "sendmsg";
	case SYS_connect: return "connect";
	case SYS_getsockopt: return "getsockopt";
	case SYS_setsockopt: return "setsockopt";
	case SYS_fcntl: return "fcntl";
	case SYS_getpeername: return "getpeername";
	default: return "?";
	}
}

static void bench_names(const struct bench_count *c, char *buf, size_t cap)
{
	size_t off = 0;

	buf[0] = 0;
	for (int i = 0; i < c->n && i < BENCH_MAX_NR && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s",
					i ? "+" : "", bench_nr_name(c->nr[i]));
}

static int bench_listener(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sin);
	int qlen = 64, fd = socket(AF_INET, SOCK_STREAM, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 ||
	    setsockopt(fd, IPPROTO_TCP, 23 /* TCP_FASTOPEN */, &qlen,
		       sizeof(qlen)) ||
	    bind(fd, (void *)&sin, sl) || listen(fd, 512) ||
	    getsockname(fd, (void *)&sin, &sl))
		return -1;
	bench_dst = sin;
	return fd;
}

/*
 * Every measurement gets a namespace of its own: an empty TFO cookie
 * cache (tcp_metrics is per namespace) and a fresh server key.
 */
static int bench_row(const char *title, bool nonblock, bool cookie)
{
	struct bench_count c[API_N];
	char names[API_N][160];

	for (int a = 0; a < API_N; a++) {
		int l;

		if (bench_netns_enter())
			return -1;
		l = bench_listener();
		if (l < 0)
			return -1;
		if (cookie) {
			int w = socket(AF_INET, SOCK_STREAM, 0);

			sendto(w, "x", 1, MSG_FASTOPEN | MSG_NOSIGNAL,
			       (void *)&bench_dst, sizeof(bench_dst));
			close(w);
		}
		if (bench_trace((enum bench_api)a, nonblock, &c[a]))
			return -1;
		bench_names(&c[a], names[a], sizeof(names[a]));
		close(l);
	}
	printf("%-32s", title);
	for (int a = 0; a < API_N; a++)
		printf(" %3d", c[a].n);
	printf("   (%s | %s | %s)\n", names[0], names[1], names[2]);
	return 0;
}

int main(void)
{
	int st, ret = 1;
	pid_t pid;

	if (geteuid() != 0) {
		fprintf(stderr, "bench_libtfo_syscalls: needs root "
				"(private network namespace, ptrace)\n");
		return 77;
	}
	pid = fork();
	if (pid == 0) {
		if (bench_netns_enter()) {
			perror("bench_libtfo_syscalls: netns setup");
			_exit(1);
		}
		printf("system calls per call (ptrace count), 100-byte payload, "
		       "127.0.0.1, tcp_fastopen=3\n");
		printf("%-32s %4s %4s %4s\n", "", "raw", "owf", "cx");
		for (int a = 0; a < API_N; a++)
			printf("  %s = %s\n", a == 0 ? "raw" : a == 1 ? "owf" :
			       "cx", bench_api_name[a]);
		if (bench_row("blocking, cookie cached", false, true) ||
		    bench_row("blocking, first contact", false, false) ||
		    bench_row("non-blocking, cookie cached", true, true) ||
		    bench_row("non-blocking, first contact", true, false)) {
			fprintf(stderr, "bench_libtfo_syscalls: trace failed\n");
			_exit(1);
		}
		fflush(stdout);
		_exit(0);
	}
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st))
		ret = WEXITSTATUS(st);
	return ret;
}
