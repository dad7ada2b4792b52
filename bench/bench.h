/* SPDX-License-Identifier: MIT */
/*
 * What every benchmark in bench/ needs: a median of doubles, and the wall
 * time of a command run with its output discarded (bench_suite,
 * bench_timers).  Header-only: each benchmark is one program.
 */
#ifndef TFOCHECK_BENCH_H
#define TFOCHECK_BENCH_H

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v. */
static inline double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Run argv (a path) with stdout and stderr on /dev/null: its wall time
 * in ms, or -1 unless it exited 0 or 1. */
static inline double bench_run_quiet(char *const argv[])
{
	double t0 = util_now_ms();
	int st;
	pid_t p = fork();

	if (p == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) < 0)
		return -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) > 1)
		return -1;
	return util_now_ms() - t0;
}

#endif
