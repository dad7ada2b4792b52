/* SPDX-License-Identifier: MIT */
/*
 * bench_fuzz: how many scenarios per second `tfocheck fuzz` judges at
 * -j2 (each scenario is two runs, library and reference, each in its own
 * jail and fresh topology), and where one run's time goes.
 *
 *   1. Breakdown: 60 quick scenarios of seed 1 (no timer waits), each in a
 *      forked child without the jail: topology + fault + wire setup, the
 *      play (server, prior state, call, follow-ups, observation), and the
 *      rest (fork, exit, namespace teardown as the parent sees it).
 *   2. Throughput: `tfocheck fuzz --lib libtfo --time 10 -j 2 --seed K`
 *      for K = 1, 2, 3 (build/libtfo.so as both library and reference:
 *      libtfo against itself), each run's line, and the median of the
 *      three rates against the goal.
 *
 * Needs root (namespaces); prints "skipped" otherwise.  BENCH_FUZZ_TIME
 * overrides the 30 s (shared by the three seeds).
 */
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "fuzz/exec.h"
#include "fuzz/fuzz.h"
#include "fuzz/scn.h"
#include "harness/libload.h"
#include "harness/run.h"
#include "util/util.h"

#define BREAKDOWN_N 60
#define BENCH_SEEDS 3

int main(int argc, char **argv)
{
	struct case_lib lib;
	char err[600], tbuf[16], why[300];
	double rate[BENCH_SEEDS], seconds;
	double sum_setup = 0, sum_play = 0, sum_total = 0;
	const char *t = getenv("BENCH_FUZZ_TIME");
	int n = 0;
	pid_t pid;

	(void)argc;
	if (geteuid() != 0) {
		printf("bench_fuzz: skipped (needs root for network namespaces)\n");
		return 0;
	}
	if (libload_open(&lib, "libtfo", "build", err, sizeof(err))) {
		fprintf(stderr, "bench_fuzz: %s\n", err);
		return 1;
	}
	{
		/* fuzz_main isolates itself; the breakdown runs in a child that
		 * isolates on its own */
		int p[2];

		if (pipe(p))
			return 1;
		pid = fork();
		if (pid == 0) {
			close(p[0]);
			if (run_isolate(why, sizeof(why)))
				_exit(1);
			for (uint64_t i = 0; n < BREAKDOWN_N && i < 10000; i++) {
				struct fz_scn s;
				int q[2];
				double t0, times[3];
				pid_t c;

				fz_scn_generate(1, i, 1u << FZA_OWFAT | 1u << FZA_CONNECTX, &s);
				if (fz_is_slow(&s) || pipe(q))
					continue;
				t0 = util_now_ms();
				c = fork();
				if (c == 0) {
					static struct fz_obs obs;

					fz_exec(&s, &lib, NULL, &obs);
					times[0] = fz_exec_timing.setup_ms;
					times[1] = fz_exec_timing.play_ms;
					(void)!write(q[1], times, sizeof(double) * 2);
					_exit(0);
				}
				close(q[1]);
				if (read(q[0], times, sizeof(double) * 2) != sizeof(double) * 2)
					times[0] = times[1] = 0;
				close(q[0]);
				waitpid(c, NULL, 0);
				times[2] = util_now_ms() - t0;
				(void)!write(p[1], times, sizeof(times));
				n++;
			}
			_exit(0);
		}
		close(p[1]);
		for (;;) {
			double times[3];

			if (read(p[0], times, sizeof(times)) != sizeof(times))
				break;
			sum_setup += times[0];
			sum_play += times[1];
			sum_total += times[2];
			n++;
		}
		close(p[0]);
		waitpid(pid, NULL, 0);
	}
	if (n)
		printf("bench_fuzz: one run (quick scenarios, no jail, N=%d): %.2f ms = setup %.2f (topology, fault, neighbours, capture) + play %.2f (server, prior state, call, follow-ups, observation) + %.2f fork, exit and namespace teardown (which in tfocheck fuzz drains without holding a slot)\n",
		       n, sum_total / n, sum_setup / n, sum_play / n,
		       (sum_total - sum_setup - sum_play) / n);
	/* three seeds: the scenario mix, and so the waiting, differs */
	seconds = t && *t ? atof(t) : 30;
	if (seconds < 3)
		seconds = 3;
	snprintf(tbuf, sizeof(tbuf), "%.0f", seconds / BENCH_SEEDS);
	fflush(stdout);
	for (int k = 0; k < BENCH_SEEDS; k++) {
		char seed[8], json[] = "/tmp/bench_fuzz.XXXXXX";
		int jfd = mkstemp(json);
		char *args[] = { "fuzz", "--lib", lib.path, "--reference", lib.path,
				 "--time", tbuf, "-j", "2", "--seed", seed,
				 "--json", json, NULL };
		json_t *doc;

		if (jfd < 0)
			return 1;
		close(jfd);
		snprintf(seed, sizeof(seed), "%d", k + 1);
		pid = fork();
		if (pid == 0) {
			/* the fuzz run's own summary line is printed too */
			int rc = fuzz_main(13, args);

			fflush(stdout);
			_exit(rc > 1);
		}
		waitpid(pid, NULL, 0);
		doc = json_load_file(json, 0, NULL);
		unlink(json);
		rate[k] = json_real_value(json_object_get(json_object_get(doc, "fuzz"),
							  "per_second"));
		json_decref(doc);
	}
	printf("bench_fuzz: seeds 1-%d, %s s each, -j 2: %.0f, %.0f, %.0f scenarios/s; median %.0f (goal >= 100)\n",
	       BENCH_SEEDS, tbuf, rate[0], rate[1], rate[2],
	       bench_median(rate, BENCH_SEEDS));
	(void)argv;
	libload_close(&lib);
	return 0;
}
