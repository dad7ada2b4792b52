/* SPDX-License-Identifier: MIT */
/*
 * Benchmark: topology setup + teardown.  Prints, side by side in one run,
 * the median time of tfocheck's rtnetlink builder for the pair and the
 * routed topology, and of the same pair topology built with `ip` commands
 * (2 netns, veth, 6 addresses, links up, sysctls via `ip netns exec`,
 * teardown with `ip netns del`), and their ratio.  Goal: <= 2 ms per pair
 * topology, <= 3 ms per routed one, and >= 40x faster than the ip CLI.
 * The builder's figures include its readiness (permanent neighbour
 * entries, the wait for the kernel's link and address events); the ip
 * baseline does no readiness work at all, so the ratio understates.
 *
 * The ip baseline runs in a forked child with a private mount and network
 * namespace and a private /run/netns, so the named namespaces it creates
 * can never outlive the benchmark, even if it is killed.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "util/util.h"
#include "netns/topo.h"

static double bench_builder(enum topo_kind kind, int n)
{
	double *v = calloc((size_t)n, sizeof(*v)), m;

	for (int i = 0; i < n; i++) {
		struct topo t;
		double t0 = util_now_ms();

		if (topo_build(&t, kind, NULL)) {
			fprintf(stderr, "bench_topo: topo_build failed\n");
			exit(1);
		}
		topo_destroy(&t);
		v[i] = util_now_ms() - t0;
	}
	m = bench_median(v, n);
	free(v);
	return m;
}

static const char *const ip_setup[] = {
	"ip netns add bcli",
	"ip netns add bsrv",
	"ip -n bcli link add cli0 type veth peer name srv0 netns bsrv",
	"ip netns exec bcli sysctl -qw net.ipv4.tcp_fastopen=1",
	"ip netns exec bsrv sysctl -qw net.ipv4.tcp_fastopen=3",
	"ip -n bcli addr add 198.18.0.1/24 dev cli0",
	"ip -n bcli addr add 2001:2::1/64 dev cli0 nodad",
	"ip -n bcli addr add fe80::1/64 dev cli0 nodad",
	"ip -n bsrv addr add 198.18.0.2/24 dev srv0",
	"ip -n bsrv addr add 2001:2::2/64 dev srv0 nodad",
	"ip -n bsrv addr add fe80::2/64 dev srv0 nodad",
	"ip -n bcli link set lo up",
	"ip -n bsrv link set lo up",
	"ip -n bcli link set cli0 up",
	"ip -n bsrv link set srv0 up",
	NULL
};

static const char *const ip_teardown[] = {
	"ip netns del bcli",
	"ip netns del bsrv",
	NULL
};

static int sh(const char *cmd)
{
	pid_t p = fork();
	int st;

	if (p == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	waitpid(p, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* In a child: private mounts + netns; returns the median via a pipe. */
static double bench_ip(int n)
{
	int pfd[2];
	double m = -1;
	pid_t p;

	if (pipe(pfd))
		return -1;
	p = fork();
	if (p == 0) {
		double *v = calloc((size_t)n, sizeof(*v));

		close(pfd[0]);
		if (unshare(CLONE_NEWNS | CLONE_NEWNET) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
			perror("bench_topo: unshare");
			_exit(1);
		}
		mkdir("/run/netns", 0755);
		if (mount("tmpfs", "/run/netns", "tmpfs", 0, NULL)) {
			perror("bench_topo: mount /run/netns");
			_exit(1);
		}
		for (int i = 0; i < n; i++) {
			double t0 = util_now_ms();

			for (int k = 0; ip_setup[k]; k++)
				if (sh(ip_setup[k])) {
					fprintf(stderr, "bench_topo: '%s' failed\n",
						ip_setup[k]);
					_exit(1);
				}
			for (int k = 0; ip_teardown[k]; k++)
				sh(ip_teardown[k]);
			v[i] = util_now_ms() - t0;
		}
		m = bench_median(v, n);
		(void)!write(pfd[1], &m, sizeof(m));
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &m, sizeof(m)) != sizeof(m))
		m = -1;
	close(pfd[0]);
	waitpid(p, NULL, 0);
	return m;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200, nip = n / 10 > 5 ? n / 10 : 5;
	double pair, routed, ip;

	if (geteuid() != 0) {
		fprintf(stderr, "bench_topo: needs root (network namespaces)\n");
		return 77;
	}
	/* warm up the kernel's per-netns caches and slabs */
	bench_builder(TOPO_PAIR, 10);
	pair = bench_builder(TOPO_PAIR, n);
	routed = bench_builder(TOPO_ROUTED, n);
	ip = bench_ip(nip);
	printf("topology setup+teardown, median of %d (ip: %d)\n", n, nip);
	printf("  %-34s %8.3f ms   (goal <= 2 ms)\n", "pair (a), rtnetlink via libmnl", pair);
	printf("  %-34s %8.3f ms   (goal <= 3 ms)\n", "routed (b), rtnetlink via libmnl", routed);
	if (ip > 0) {
		printf("  %-34s %8.3f ms\n", "pair (a), ip CLI", ip);
		printf("  %-34s %8.1fx     (goal >= 40x)\n", "ratio ip CLI / libmnl (pair)",
		       ip / pair);
	} else {
		printf("  pair (a), ip CLI: could not run\n");
	}
	return 0;
}
