/* SPDX-License-Identifier: MIT */
/*
 * Benchmark: what the side-effect check around every library call
 * (harness/libcall.c) costs the suite.  Side by side in one run, the full
 * suite against libtfo at -j 2 with the check and without it
 * (TFOCHECK_BENCH_NO_SNAPSHOT), interleaved so that load on the machine
 * falls on both alike, median of N (default 5) each, and the difference.
 * Goal: no measurable difference.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "util/util.h"

static double run_suite(bool snapshot)
{
	char *argv[] = { "build/tfocheck", "run", "--lib", "libtfo", "-j", "2",
			 NULL };
	double t0 = util_now_ms();
	int st;
	pid_t p = fork();

	if (p == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		if (!snapshot)
			setenv("TFOCHECK_BENCH_NO_SNAPSHOT", "1", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(p, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) > 1)
		return -1;
	return util_now_ms() - t0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5;
	double with[16], without[16];

	if (n < 1 || n > 15)
		n = 5;
	if (geteuid() != 0) {
		fprintf(stderr, "bench_snapshot: needs root (network namespaces)\n");
		return 77;
	}
	for (int i = 0; i < n; i++) {
		with[i] = run_suite(true);
		without[i] = run_suite(false);
		if (with[i] < 0 || without[i] < 0) {
			fprintf(stderr, "bench_snapshot: a suite run failed\n");
			return 1;
		}
	}
	qsort(with, (size_t)n, sizeof(double), bench_cmp_double);
	qsort(without, (size_t)n, sizeof(double), bench_cmp_double);
	printf("full suite against libtfo, -j 2, median of %d: with the side-effect check %.2f s, without %.2f s, difference %+.2f s (%+.1f%%)\n",
	       n, with[n / 2] / 1000, without[n / 2] / 1000,
	       (with[n / 2] - without[n / 2]) / 1000,
	       100 * (with[n / 2] - without[n / 2]) / without[n / 2]);
	return 0;
}
