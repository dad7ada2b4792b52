/* SPDX-License-Identifier: MIT */
/*
 * The scheduler (see run_int.h).  Every run of an instance is a job: a
 * case jail (harness/jail.h: a PID namespace whose init dies with the
 * runner) and a shared verdict page (harness/verdict.h) the runner reads
 * once the jail's init has ended, watched through a pidfd.
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/jail.h"
#include "harness/run_int.h"
#include "util/util.h"

struct job {
	struct inst *in;
	pid_t pid;		/* the jail's init, and its process group */
	int pidfd;		/* readable when init has ended, or -1 */
	int out_fd;		/* the worker's stdout/stderr */
	bool ended;		/* init reaped */
	int status;		/* init's waitpid() status */
	uint64_t start_ns, deadline_ns;
	struct child_job child;	/* what the worker is handed */
	struct result res;
	bool early;		/* res set before anything ran */
	long refused;		/* the slot's pids refusals at launch */
	bool forkbomb;		/* killed for hitting the pids limit */
};

struct sched {
	const struct run_opts *o;
	const struct case_lib *lib;
	struct inst *insts;
	size_t ninsts;
	unsigned int repeat;
	struct job *jobs;
	struct pollfd *pollfds;		/* one per slot */
	struct verdict_frame *frames;	/* one shared page per slot */
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
	s->frames = verdict_frames_map((size_t)s->nslots);
	if (!s->jobs || !s->pollfds || !s->frames) {
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
	verdict_frames_unmap(s->frames, (size_t)s->nslots);
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
	j->early = true;
}

static struct verdict_frame *slot_frame(struct sched *s, const struct job *j)
{
	return verdict_frame_at(s->frames, (size_t)(j - s->jobs));
}

static void job_launch(struct sched *s, struct job *j, struct inst *in)
{
	int ms = in->def->timeout_ms ? in->def->timeout_ms : s->o->timeout_ms;
	struct verdict_frame *f = slot_frame(s, j);
	struct jail_job jj;
	pid_t pid;

	memset(j, 0, sizeof(*j));
	memset(f, 0, sizeof(*f));
	j->in = in;
	j->pidfd = -1;
	j->start_ns = util_now_ns();
	j->deadline_ns = j->start_ns +
			 (uint64_t)ms * s->o->timeout_scale * 1000000ull;
	j->child = (struct child_job){
		.in = in, .lib = s->lib, .o = s->o, .frame = f,
		.expect = { .token = verdict_token_new(),
			    .inst = (uint32_t)(in - s->insts),
			    .run = in->runs_started },
	};
	in->runs_started++;
	j->out_fd = memfd_create("tfocheck-case-output", MFD_CLOEXEC);
	if (j->out_fd < 0) {
		job_fail_early(j, "memfd_create");
		return;
	}
	jj = (struct jail_job){ .frame = f, .slot = (size_t)(j - s->jobs),
				.out_fd = j->out_fd, .worker = child_main,
				.arg = &j->child,
				.real_timers = case_real_timers(in->def) };
	pid = jail_spawn(&jj);
	if (pid < 0) {
		errno = -pid;
		job_fail_early(j, "clone(CLONE_NEWPID)");
		return;
	}
	setpgid(pid, pid);
	j->pid = pid;
	j->refused = jail_pids_refused(jj.slot);
	j->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
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
	/* every path that set it chose a valid value; a wrong one would
	 * index out of bounds, so it is checked, not assumed */
	if (r->outcome < 0 || r->outcome >= OUT_MAX)
		return;
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

/* What the worker wrote to stdout/stderr, as a printable quote. */
static void job_output(const struct job *j, char *buf, size_t size)
{
	char raw[160];
	struct stat st;
	ssize_t n;
	size_t off = 0;

	buf[0] = 0;
	if (j->out_fd < 0 || fstat(j->out_fd, &st) || st.st_size == 0)
		return;
	n = pread(j->out_fd, raw, sizeof(raw), 0);
	util_appendf(buf, size, &off, "; the case process wrote %lld bytes to stdout/stderr: \"",
		     (long long)st.st_size);
	for (ssize_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)raw[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
			util_appendf(buf, size, &off, "%c", ch);
		else
			util_appendf(buf, size, &off, "\\x%02x", ch);
	}
	util_appendf(buf, size, &off, "\"%s",
		     st.st_size > (off_t)sizeof(raw) ? "..." : "");
}

/* The verdict of a job that ended: its record, or what its end says. */
static void job_judge(struct sched *s, struct job *j, bool timed_out)
{
	const struct verdict_frame *f = slot_frame(s, j);
	char why[300], where[120] = "", out[900];
	int ws = f->worker_status, r;

	if (f->in_call[0] && memchr(f->in_call, 0, sizeof(f->in_call)))
		snprintf(where, sizeof(where), " inside %s()", f->in_call);
	else if (f->in_call[0])
		snprintf(where, sizeof(where), " inside the library");
	r = verdict_read(f, &j->child.expect, &j->res, why, sizeof(why));
	if (j->forkbomb) {
		j->res.outcome = OUT_ERROR;
		snprintf(j->res.msg, sizeof(j->res.msg),
			 "the case's processes hit their limit of %d tasks%s (forking without bound); all were killed",
			 JAIL_PIDS_MAX, where);
	} else if (timed_out) {
		j->res.outcome = OUT_TIMEOUT;
		snprintf(j->res.msg, sizeof(j->res.msg),
			 "no verdict after %.0f ms%s; process group killed, and its PID namespace",
			 (double)(util_now_ns() - j->start_ns) / 1e6, where);
	} else if (r < 0) {
		j->res.outcome = OUT_ERROR;
		snprintf(j->res.msg, sizeof(j->res.msg),
			 "verdict channel corrupted: %s", why);
	} else if (r == 1) {
		/* the record stands */
	} else if (interrupted) {
		j->res.outcome = OUT_ERROR;
		snprintf(j->res.msg, sizeof(j->res.msg), "interrupted");
		j->in->interrupted = true;
	} else if (!f->worker_ended) {
		j->res.outcome = OUT_ERROR;
		snprintf(j->res.msg, sizeof(j->res.msg),
			 "the case's init process ended (status %#x) before its worker",
			 j->status);
	} else if (f->worker_ended == 2) {
		j->res.outcome = OUT_ERROR;
		snprintf(j->res.msg, sizeof(j->res.msg),
			 "cannot start the case process: %s",
			 util_errno_name(-ws));
	} else if (WIFSIGNALED(ws)) {
		const char *sig = sigabbrev_np(WTERMSIG(ws));

		j->res.outcome = OUT_CRASH;
		snprintf(j->res.msg, sizeof(j->res.msg),
			 "case process killed by signal %s%s", sig ? sig : "?",
			 where);
	} else if (where[0]) {
		/* the library ended the caller's process instead of returning */
		j->res.outcome = OUT_FAIL;
		snprintf(j->res.msg, sizeof(j->res.msg),
			 "expected the call to return; observed the process ended with exit status %d%s",
			 WEXITSTATUS(ws), where);
	} else {
		j->res.outcome = OUT_ERROR;
		snprintf(j->res.msg, sizeof(j->res.msg),
			 "case process exited with status %d without a verdict",
			 WEXITSTATUS(ws));
	}
	job_output(j, out, sizeof(out));
	if (out[0]) {
		size_t l = strlen(j->res.msg);

		snprintf(j->res.msg + l, sizeof(j->res.msg) - l, "%s", out);
	}
}

static void job_finish(struct sched *s, struct job *j, bool timed_out)
{
	if (j->pid > 0) {
		/* killing init ends every process of the case's namespace */
		if (!j->ended)
			kill(j->pid, SIGKILL);
		if (!j->ended && waitpid(j->pid, &j->status, 0) == j->pid)
			j->ended = true;
		/* stragglers of the group outside the namespace: none should
		 * exist, but the group is ours to clear */
		kill(-j->pid, SIGKILL);
	}
	if (!j->early)
		job_judge(s, j, timed_out);
	if (j->pidfd >= 0)
		close(j->pidfd);
	if (j->out_fd >= 0)
		close(j->out_fd);
	j->res.duration_ms = (double)(util_now_ns() - j->start_ns) / 1e6;
	inst_record(s, j->in, &j->res);
	s->done_count++;
	if (outcome_is_bad((enum outcome)j->res.outcome))
		s->bad_count++;
	j->pid = 0;
	j->pidfd = -1;
	j->out_fd = -1;
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
		if (j->early)
			job_finish(s, j, false);
	}
}

/* Has job j's init ended?  Reaps it when it has. */
static bool job_ended(struct job *j)
{
	if (!j->ended && waitpid(j->pid, &j->status, WNOHANG) == j->pid)
		j->ended = true;
	return j->ended;
}

/* Launch what fits, then wait for one event (an end, a deadline). */
static void sched_step(struct sched *s)
{
	struct pollfd *pf = s->pollfds;
	uint64_t now, next_deadline = UINT64_MAX;
	bool blind = false;	/* a job without a pidfd: poll in short naps */
	int n = 0, ret, ms;

	sched_launch(s);
	if (interrupted)
		kill_all(s);
	for (int i = 0; i < s->nslots; i++) {
		pf[i] = (struct pollfd){ -1, 0, 0 };
		if (!s->jobs[i].in)
			continue;
		pf[i].fd = s->jobs[i].pidfd;
		pf[i].events = POLLIN;
		blind |= pf[i].fd < 0;
		n++;
		if (s->jobs[i].deadline_ns < next_deadline)
			next_deadline = s->jobs[i].deadline_ns;
	}
	if (!n)
		return;
	now = util_now_ns();
	ms = next_deadline <= now ? 0 :
	     (int)((next_deadline - now) / 1000000ull + 1);
	if (blind && ms > 5)
		ms = 5;
	/* a case stuck at its pids limit is ended at once, not at its
	 * deadline: its processes spin on fork meanwhile */
	if (ms > 100 && jail_pids_refused(0) >= 0)
		ms = 100;
	ret = poll(pf, (nfds_t)s->nslots, ms);
	if (ret < 0 && errno != EINTR)
		return;
	now = util_now_ns();
	for (int i = 0; i < s->nslots; i++) {
		struct job *j = &s->jobs[i];

		if (!j->in)
			continue;
		if (job_ended(j)) {
			job_finish(s, j, false);
		} else if (j->refused >= 0 &&
			   jail_pids_refused((size_t)i) > j->refused) {
			j->forkbomb = true;
			job_finish(s, j, false);
		}
		else if (interrupted)
			job_finish(s, j, false);
		else if (now >= j->deadline_ns)
			job_finish(s, j, true);
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
				in->interrupted = true;
			}
			return;
		}
		sched_step(s);
	}
}
