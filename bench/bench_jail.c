/* SPDX-License-Identifier: MIT */
/*
 * Benchmark: what the case jail costs per instance.  Side by side in one
 * run, the median time from launch to reaped end of a case process that
 * does nothing, started the way the runner did before the jail (fork, a
 * verdict over a pipe) and the way it does now (harness/jail.c: a PID
 * namespace with its init, the worker's limits, the pids cgroup, the
 * stdout/stderr capture file, the shared verdict page), and the
 * difference.  Goal: <= 0.5 ms per instance.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "harness/jail.h"
#include "harness/verdict.h"
#include "util/util.h"

#define RUNS 400

static struct verdict_frame *frame;
static struct verdict_expect expect;

static void worker(void *arg)
{
	struct result r = { 0 };

	(void)arg;
	verdict_commit(frame, &expect, &r);
}

static double bench_fork_pipe(void)
{
	double v[RUNS];

	for (int i = 0; i < RUNS; i++) {
		struct result r = { 0 };
		double t0 = util_now_ms();
		int p[2];
		pid_t pid;

		if (pipe2(p, O_CLOEXEC))
			exit(1);
		pid = fork();
		if (pid == 0) {
			close(p[0]);
			setpgid(0, 0);
			(void)!write(p[1], &r, sizeof(r));
			_exit(0);
		}
		close(p[1]);
		(void)!read(p[0], &r, sizeof(r));
		close(p[0]);
		waitpid(pid, NULL, 0);
		v[i] = util_now_ms() - t0;
	}
	return bench_median(v, RUNS);
}

static double bench_jail(void)
{
	double v[RUNS];

	for (int i = 0; i < RUNS; i++) {
		double t0 = util_now_ms();
		struct jail_job j;
		struct result r;
		char why[128];
		pid_t pid;
		int out = memfd_create("bench", MFD_CLOEXEC);

		memset(frame, 0, sizeof(*frame));
		expect = (struct verdict_expect){ verdict_token_new(), 0, 0 };
		j = (struct jail_job){ .frame = frame, .slot = 0, .out_fd = out,
				       .worker = worker };
		pid = jail_spawn(&j);
		if (pid < 0) {
			fprintf(stderr, "bench_jail: jail_spawn: %s\n",
				util_errno_name(-pid));
			exit(1);
		}
		setpgid(pid, pid);
		waitpid(pid, NULL, 0);
		if (verdict_read(frame, &expect, &r, why, sizeof(why)) != 1) {
			fprintf(stderr, "bench_jail: no verdict: %s\n", why);
			exit(1);
		}
		close(out);
		v[i] = util_now_ms() - t0;
	}
	return bench_median(v, RUNS);
}

int main(void)
{
	double plain, jailed;

	if (unshare(CLONE_NEWNET)) {
		perror("bench_jail: unshare (needs root)");
		return 1;
	}
	frame = verdict_frames_map(1);
	if (!frame || jail_init(1))
		return 1;
	plain = bench_fork_pipe();
	jailed = bench_jail();
	jail_done();
	printf("case process, median of %d: fork + pipe %.3f ms, jail (%s) %.3f ms: isolation costs %.3f ms per instance (goal <= 0.5 ms)\n",
	       RUNS, plain, jail_describe(), jailed, jailed - plain);
	return 0;
}
