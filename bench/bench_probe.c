/* SPDX-License-Identifier: MIT */
/*
 * Benchmark: median wall time of a full `tfocheck probe --json` (every
 * read-only probe, the isolation probes and the live IPv4+IPv6 exchange in
 * fresh namespaces), fork+exec included, because that is what a CI job
 * pays.  Run from the top of the tree (make bench).  Goal: <= 50 ms.
 * Usage: build/bench/bench_probe [RUNS]   (default 30)
 * Exit status: 0 when the goal is met, 1 otherwise or on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "util/util.h"

#define TFOCHECK "build/tfocheck"
#define GOAL_MS 50.0

/* One run; returns its wall time in ms, or -1 on failure to run. */
static double run_once(int *status)
{
	double t0 = util_now_ms();
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execl(TFOCHECK, TFOCHECK, "probe", "--json", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, status, 0) < 0)
		return -1;
	return util_now_ms() - t0;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 30;
	double *t, median;
	int status = 0, ret = 1;

	if (runs < 1) {
		fprintf(stderr, "bench_probe: runs must be a positive number: `%s'\n", argv[1]);
		return 2;
	}
	if (access(TFOCHECK, X_OK)) {
		fprintf(stderr, "bench_probe: %s not found: run from the top of the tree\n",
			TFOCHECK);
		return 1;
	}
	t = calloc(runs, sizeof(*t));
	if (!t)
		return 1;
	for (int i = 0; i < runs; i++) {
		t[i] = run_once(&status);
		/* 0 and 1 are verdicts; anything else means the probe broke */
		if (t[i] < 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1) {
			fprintf(stderr, "bench_probe: run %d failed (status 0x%x)\n", i, status);
			goto out;
		}
	}
	qsort(t, runs, sizeof(*t), bench_cmp_double);
	median = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
	printf("tfocheck probe --json (full, live ipv4+ipv6), %d runs:\n"
	       "  median %.2f ms   min %.2f ms   max %.2f ms   goal <= %.0f ms: %s\n",
	       runs, median, t[0], t[runs - 1], GOAL_MS, median <= GOAL_MS ? "met" : "MISSED");
	ret = median <= GOAL_MS ? 0 : 1;
out:
	free(t);
	return ret;
}
