/* SPDX-License-Identifier: MIT */
/*
 * Benchmark: wall time of the conformance families against the reference
 * library, side by side in one run — owfat, connectx, and both, at -j 1
 * and -j 2 — and of the whole `make conformance` job (probe, both
 * families against libtfo and libowfat, reports, matrix).  Goals: full
 * suite of both APIs <= 10 s on 2 cores; make conformance <= 10 s.
 * Each figure is the median of N runs (default 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include "bench/bench.h"
#include "util/util.h"

static double median_of(int n, char *const argv[])
{
	double v[16];

	for (int i = 0; i < n; i++)
		if ((v[i] = bench_run_quiet(argv)) < 0)
			return -1;
	qsort(v, (size_t)n, sizeof(v[0]), bench_cmp_double);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	static const char *const apis[] = { "owfat", "connectx",
					    "owfat,connectx" };
	int n = argc > 1 ? atoi(argv[1]) : 3;
	char *conf[] = { "scripts/conformance.sh", NULL };
	double both2 = -1, c;

	if (n < 1 || n > 15)
		n = 3;
	if (geteuid() != 0) {
		fprintf(stderr, "bench_suite: needs root (network namespaces)\n");
		return 77;
	}
	printf("conformance families against libtfo, median of %d\n", n);
	printf("  %-16s %10s %10s %8s\n", "api", "-j 1", "-j 2", "ratio");
	for (size_t a = 0; a < 3; a++) {
		double t[2];

		for (int j = 1; j <= 2; j++) {
			char jobs[4];
			char *args[] = { "build/tfocheck", "run", "--lib", "libtfo",
					 "--api", (char *)apis[a], "-j", jobs,
					 NULL };

			snprintf(jobs, sizeof(jobs), "%d", j);
			t[j - 1] = median_of(n, args);
		}
		printf("  %-16s %8.2f s %8.2f s %7.2fx\n", apis[a], t[0] / 1000,
		       t[1] / 1000, t[0] / t[1]);
		if (a == 2)
			both2 = t[1];
	}
	printf("  goal: both APIs <= 10 s on 2 cores: %s\n",
	       both2 > 0 && both2 <= 10000 ? "met" : "NOT met");
	c = median_of(1, conf);
	printf("make conformance (probe + libtfo + libowfat + reports): %.2f s (goal <= 10 s)\n",
	       c / 1000);
	return 0;
}
