/* SPDX-License-Identifier: MIT */
/*
 * The scheduler (see run_int.h).  Every run of an instance is a job: a
 * forked case process in its own process group, with PR_SET_PDEATHSIG so
 * a killed runner takes it along, and a pipe its verdict comes back on.
 * Up to -j jobs are busy at once; jobs of slow instances (waits on kernel
 * timers) have their own slots, so a 3 s ETIMEDOUT does not hold back the
 * quick cases.  A job that misses its deadline has its whole process
 * group killed (TIMEOUT); one that dies on a signal is a CRASH.
 *
 * CUnit asks for instances in order (sched_until); jobs are launched
 * ahead of it from two cursors, one per slot kind, so the work is
 * parallel while CUnit still reports in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/run_int.h"
#include "util/util.h"

struct job {
	struct inst *in;
	pid_t pid;
	int rfd;
	uint64_t start_ns, deadline_ns;
	struct result res;
	size_t got;
};

struct sched {
	const struct run_opts *o;
	const struct case_lib *lib;
	struct inst *insts;
	size_t ninsts;
	unsigned int repeat;
	struct job *jobs;
	struct pollfd *pollfds;		/* one per slot */
	int nslots;
	/* jobs are (instance, run) pairs in order; busy and slow ones are
	 * launched from their own cursors into their own slots */
	size_t next_fast, next_slow, launched, total_jobs;
	unsigned int done_count, bad_count;
};

/* the one piece of state a signal handler must reach */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

void sched_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

bool sched_interrupted(void)
{
	return interrupted;
}

struct sched *sched_new(const struct run_opts *o, struct inst *insts,
			size_t n, unsigned int repeat,
			const struct case_lib *lib)
{
	struct sched *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->o = o;
	s->lib = lib;
	s->insts = insts;
	s->ninsts = n;
	s->repeat = repeat;
	s->nslots = o->jobs * (1 + RUN_SLOW_SLOTS_PER_JOB);
	s->total_jobs = n * repeat;
	s->jobs = calloc((size_t)s->nslots, sizeof(*s->jobs));
	s->pollfds = calloc((size_t)s->nslots, sizeof(*s->pollfds));
	if (!s->jobs || !s->pollfds) {
		sched_free(s);
		return NULL;
	}
	return s;
}

void sched_free(struct sched *s)
{
	if (!s)
		return;
	free(s->jobs);
	free(s->pollfds);
	free(s);
}

static void progress_show(const struct sched *s)
{
	const struct run_opts *o = s->o;

	if (!o->progress)
		return;
	fprintf(stderr, "\r\033[K[%u/%zu] %s%u failing%s", s->done_count,
		s->total_jobs, s->bad_count && o->color ? "\033[31m" : "",
		s->bad_count, s->bad_count && o->color ? "\033[0m" : "");
	fflush(stderr);
}

static void job_fail_early(struct job *j, const char *what)
{
	j->res.outcome = OUT_ERROR;
	snprintf(j->res.msg, sizeof(j->res.msg), "%s: %s", what,
		 strerror(errno));
	j->got = sizeof(j->res);
}

static void job_launch(struct sched *s, struct job *j, struct inst *in)
{
	int p[2];
	pid_t pid;
	int ms = in->def->timeout_ms ? in->def->timeout_ms : s->o->timeout_ms;

	memset(j, 0, sizeof(*j));
	j->in = in;
	j->rfd = -1;
	in->runs_started++;
	j->start_ns = util_now_ns();
	j->deadline_ns = j->start_ns +
			 (uint64_t)ms * s->o->timeout_scale * 1000000ull;
	if (pipe2(p, O_CLOEXEC)) {
		job_fail_early(j, "pipe");
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = SIG_DFL };

		close(p[0]);
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		child_run(in, s->lib, s->o, p[1]);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		job_fail_early(j, "fork");
		return;
	}
	setpgid(pid, pid); /* both sides set it: no race with kill(-pid) */
	j->pid = pid;
	j->rfd = p[0];
}

/* An instance whose runs disagree is unstable: FAIL, with the tally. */
static void inst_flag_unstable(struct inst *in, unsigned int repeat)
{
	char tally[200] = "", m[sizeof(in->res.msg)];
	size_t off = 0;
	int kinds = 0;

	for (int o = 0; o < OUT_MAX; o++)
		if (in->counts[o]) {
			kinds++;
			util_appendf(tally, sizeof(tally), &off, "%s%s×%u",
				     off ? " " : "",
				     outcome_name((enum outcome)o),
				     in->counts[o]);
		}
	if (kinds < 2)
		return;
	snprintf(m, sizeof(m), "unstable over %u runs (%s): %.800s", repeat,
		 tally, in->res.msg);
	memcpy(in->res.msg, m, sizeof(m));
	if (!outcome_is_bad((enum outcome)in->res.outcome))
		in->res.outcome = OUT_FAIL;
}

static void inst_record(struct sched *s, struct inst *in,
			const struct result *r)
{
	in->counts[r->outcome]++;
	in->runs_done++;
	if (!in->have_res) {
		in->res = *r;
		in->have_res = true;
	} else if (outcome_is_bad((enum outcome)r->outcome) &&
		   !outcome_is_bad((enum outcome)in->res.outcome)) {
		/* report the bad run of a flaky case, not the good one */
		double d = in->res.duration_ms;

		in->res = *r;
		in->res.duration_ms = d;
	}
	if (in->runs_done == s->repeat && s->repeat > 1)
		inst_flag_unstable(in, s->repeat);
}

/* The verdict of a job that ended: its own, or what its end says. */
static void job_judge(struct job *j, bool timed_out, int status)
{
	if (timed_out) {
		j->res.outcome = OUT_TIMEOUT;
		snprintf(j->res.msg, sizeof(j->res.msg),
			 "no verdict after %.0f ms; process group killed",
			 (double)(util_now_ns() - j->start_ns) / 1e6);
	} else if (interrupted && j->got != sizeof(j->res)) {
		j->res.outcome = OUT_ERROR;
		snprintf(j->res.msg, sizeof(j->res.msg), "interrupted");
	} else if (j->got != sizeof(j->res)) {
		if (WIFSIGNALED(status)) {
			const char *sig = sigabbrev_np(WTERMSIG(status));

			j->res.outcome = OUT_CRASH;
			snprintf(j->res.msg, sizeof(j->res.msg),
				 "case process killed by signal %s",
				 sig ? sig : "?");
		} else {
			j->res.outcome = OUT_ERROR;
			snprintf(j->res.msg, sizeof(j->res.msg),
				 "case process exited with status %d without a verdict",
				 WEXITSTATUS(status));
		}
	}
}

static void job_finish(struct sched *s, struct job *j, bool timed_out)
{
	int status = 0;

	if (j->pid > 0) {
		/* without a verdict the child may still run (timeout,
		 * interruption): end its whole group before waiting */
		if (timed_out || j->got != sizeof(j->res))
			kill(-j->pid, SIGKILL);
		waitpid(j->pid, &status, 0);
		/* stragglers of the case (servers it forked) */
		kill(-j->pid, SIGKILL);
	}
	if (j->rfd >= 0)
		close(j->rfd);
	job_judge(j, timed_out, status);
	j->res.duration_ms = (double)(util_now_ns() - j->start_ns) / 1e6;
	inst_record(s, j->in, &j->res);
	s->done_count++;
	if (outcome_is_bad((enum outcome)j->res.outcome))
		s->bad_count++;
	j->pid = 0;
	j->rfd = -1;
	j->in = NULL;
	progress_show(s);
}

static void kill_all(struct sched *s)
{
	for (int i = 0; i < s->nslots; i++)
		if (s->jobs[i].in && s->jobs[i].pid > 0)
			kill(-s->jobs[i].pid, SIGKILL);
}

/* Fill the free slots, each from its own cursor. */
static void sched_launch(struct sched *s)
{
	for (int i = 0; i < s->nslots && !interrupted &&
			s->launched < s->total_jobs;
	     i++) {
		bool slow = i >= s->o->jobs;
		size_t *next = slow ? &s->next_slow : &s->next_fast;
		struct job *j = &s->jobs[i];

		if (j->in)
			continue;
		while (*next < s->total_jobs &&
		       case_is_slow(s->insts[*next / s->repeat].def) != slow)
			(*next)++;
		if (*next == s->total_jobs)
			continue;
		job_launch(s, j, &s->insts[*next / s->repeat]);
		(*next)++;
		s->launched++;
		if (j->got == sizeof(j->res))
			job_finish(s, j, false);
	}
}

/* Launch what fits, then wait for one event (a verdict, an exit, a
 * deadline). */
static void sched_step(struct sched *s)
{
	struct pollfd *pf = s->pollfds;
	uint64_t now, next_deadline = UINT64_MAX;
	int n = 0, ret;

	sched_launch(s);
	if (interrupted)
		kill_all(s);
	for (int i = 0; i < s->nslots; i++) {
		pf[i] = (struct pollfd){ -1, 0, 0 };
		if (!s->jobs[i].in)
			continue;
		pf[i].fd = s->jobs[i].rfd;
		pf[i].events = POLLIN;
		n++;
		if (s->jobs[i].deadline_ns < next_deadline)
			next_deadline = s->jobs[i].deadline_ns;
	}
	if (!n)
		return;
	now = util_now_ns();
	ret = poll(pf, (nfds_t)s->nslots,
		   next_deadline <= now ? 0 :
		   (int)((next_deadline - now) / 1000000ull + 1));
	if (ret < 0 && errno != EINTR)
		return;
	now = util_now_ns();
	for (int i = 0; i < s->nslots; i++) {
		struct job *j = &s->jobs[i];

		if (!j->in)
			continue;
		if (ret > 0 && pf[i].revents) {
			ssize_t r = read(j->rfd, (char *)&j->res + j->got,
					 sizeof(j->res) - j->got);

			if (r > 0) {
				j->got += (size_t)r;
				if (j->got < sizeof(j->res))
					continue;
			} else if (r < 0 && errno == EINTR) {
				continue;
			}
			job_finish(s, j, false);
		} else if (interrupted) {
			job_finish(s, j, false);
		} else if (now >= j->deadline_ns) {
			job_finish(s, j, true);
		}
	}
}

void sched_until(struct sched *s, struct inst *in)
{
	while (in->runs_done < s->repeat) {
		if (interrupted && in->runs_started == in->runs_done) {
			if (!in->have_res) {
				struct result r = { .outcome = OUT_ERROR };

				snprintf(r.msg, sizeof(r.msg),
					 "not run: interrupted");
				in->res = r;
				in->have_res = true;
			}
			return;
		}
		sched_step(s);
	}
}
