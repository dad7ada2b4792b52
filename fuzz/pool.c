/* SPDX-License-Identifier: MIT */
/*
 * The fuzz runs' jails (see pool.h).  Slots [0, jobs) take quick runs,
 * the rest slow ones.  Each slot owns one shared page: the jail's own
 * verdict frame first (init records how the worker ended there, libcall
 * names the function being called), then the observation record.
 */
#include "fuzz/pool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz/exec.h"
#include "harness/case.h"
#include "harness/jail.h"
#include "harness/libcall.h"
#include "harness/run.h"
#include "harness/verdict.h"
#include "util/util.h"

#define FZ_FRAME_MAGIC 0x5a46464fu /* "OFFZ" */

struct fz_frame {
	struct verdict_frame vf;	/* the jail's */
	uint32_t magic;
	uint32_t commits;
	uint64_t token;
	struct fz_obs obs;
};

/* One jail.  Its job is handed back as soon as the observation is
 * committed; the jail itself then drains (its exit waits on the kernel:
 * releasing the capture socket alone costs an RCU grace period, ~10 ms)
 * and is reaped later, holding its frame until then. */
struct fz_jail {
	bool live;
	struct fz_job *job;	/* NULL once handed back */
	int slot;
	pid_t pid;
	int pidfd, out_fd;
	bool ended;
	int status;
	uint64_t start_ns, deadline_ns;
	/* what the worker is handed (a copy in its address space) */
	struct fz_scn scn;
	const struct case_lib *lib;
	const char *pcap;
	uint64_t token;
	struct fz_frame *frame;
};

#define FZ_FRAMES_PER_SLOT 4
/* how often the jails are looked at when no doorbell rings */
#define FZ_LOOK_MS 5

struct fz_pool {
	int jobs, nslots, timeout_ms;
	bool *busy;		/* per slot: a job is in it */
	struct fz_jail *jail;	/* njails = nslots * FZ_FRAMES_PER_SLOT */
	int njails;
	struct pollfd *pfd;	/* njails pidfds, then the doorbell */
	int wake;		/* the eventfd every worker rings */
	void *frames;
	size_t frame_size;
	struct fz_job **done;	/* ended, not yet handed out */
	size_t ndone;
	/* jobs that ended during fz_pool_run but are not its own */
	struct fz_job **stash;
	size_t nstash, stash_cap;
};

struct fz_pool *fz_pool_new(int jobs, int slow, int timeout_ms)
{
	struct fz_pool *p = calloc(1, sizeof(*p));
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);

	if (!p)
		return NULL;
	p->jobs = jobs;
	p->nslots = jobs + slow;
	p->njails = p->nslots * FZ_FRAMES_PER_SLOT;
	p->timeout_ms = timeout_ms;
	p->frame_size = (sizeof(struct fz_frame) + pg - 1) / pg * pg;
	p->busy = calloc((size_t)p->nslots, sizeof(*p->busy));
	p->jail = calloc((size_t)p->njails, sizeof(*p->jail));
	p->pfd = calloc((size_t)p->njails + 1, sizeof(*p->pfd));
	p->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	p->done = calloc((size_t)p->njails, sizeof(*p->done));
	p->frames = mmap(NULL, p->frame_size * (size_t)p->njails,
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!p->busy || !p->jail || !p->pfd || !p->done || p->frames == MAP_FAILED ||
	    p->wake < 0) {
		if (p->frames == MAP_FAILED)
			p->frames = NULL;
		fz_pool_free(p);
		return NULL;
	}
	for (int i = 0; i < p->njails; i++) {
		p->jail[i].frame = (struct fz_frame *)((char *)p->frames + p->frame_size * (size_t)i);
		p->jail[i].pidfd = p->jail[i].out_fd = -1;
	}
	jail_init((size_t)p->nslots);
	return p;
}

void fz_pool_free(struct fz_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->njails && p->jail; i++)
		if (p->jail[i].live && p->jail[i].pid > 0) {
			kill(p->jail[i].pid, SIGKILL);
			waitpid(p->jail[i].pid, NULL, 0);
		}
	if (p->frames)
		munmap(p->frames, p->frame_size * (size_t)p->njails);
	if (p->wake >= 0)
		close(p->wake);
	jail_done();
	free(p->busy);
	free(p->jail);
	free(p->pfd);
	free(p->done);
	free(p->stash);
	free(p);
}

static int fz_free_slot(const struct fz_pool *p, bool slow)
{
	for (int i = slow ? p->jobs : 0; i < (slow ? p->nslots : p->jobs); i++)
		if (!p->busy[i])
			return i;
	return -1;
}

static struct fz_jail *fz_free_jail(struct fz_pool *p)
{
	for (int i = 0; i < p->njails; i++)
		if (!p->jail[i].live)
			return &p->jail[i];
	return NULL;
}

bool fz_pool_has_slot(const struct fz_pool *p, bool slow)
{
	if (fz_free_slot(p, slow) < 0)
		return false;
	for (int i = 0; i < p->njails; i++)
		if (!p->jail[i].live)
			return true;
	return false;
}

size_t fz_pool_busy(const struct fz_pool *p)
{
	size_t n = 0;

	for (int i = 0; i < p->njails; i++)
		n += p->jail[i].live && p->jail[i].job;
	return n + p->ndone + p->nstash;
}

/* The jail's worker: play, then commit the observation. */
static void fz_worker(void *arg)
{
	struct fz_jail *s = arg;
	static struct fz_obs obs;

	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	libcall_attach(s->frame->vf.in_call, sizeof(s->frame->vf.in_call));
	fz_exec(&s->scn, s->lib, s->pcap, &obs);
	memcpy(&s->frame->obs, &obs, sizeof(obs));
	s->frame->token = s->token;
	s->frame->magic = FZ_FRAME_MAGIC;
	__atomic_add_fetch(&s->frame->commits, 1, __ATOMIC_RELEASE);
	{
		uint64_t one = 1;

		(void)!write(JAIL_WAKE_FD, &one, sizeof(one));
	}
}

static void fz_fail(struct fz_job *j, int end, const char *fmt, const char *a)
{
	memset(&j->obs, 0, sizeof(j->obs));
	j->obs.end = (uint8_t)end;
	snprintf(j->obs.error, sizeof(j->obs.error), fmt, a);
}

int fz_pool_submit(struct fz_pool *p, struct fz_job *j)
{
	struct fz_jail *s;
	struct jail_job jj;
	int slot;
	pid_t pid;

	j->slow = fz_is_slow(&j->scn);
	slot = fz_free_slot(p, j->slow);
	s = fz_free_jail(p);
	if (slot < 0 || !s)
		return -EBUSY;
	memset(s->frame, 0, sizeof(*s->frame));
	s->live = true;
	s->job = j;
	s->slot = slot;
	s->scn = j->scn;
	s->lib = j->lib;
	s->pcap = j->pcap;
	s->token = verdict_token_new();
	s->ended = false;
	s->start_ns = util_now_ns();
	s->deadline_ns = s->start_ns + (uint64_t)p->timeout_ms * 1000000ull;
	s->out_fd = memfd_create("tfocheck-fuzz-output", MFD_CLOEXEC);
	jj = (struct jail_job){ .frame = &s->frame->vf, .slot = (size_t)slot,
				.out_fd = s->out_fd, .worker = fz_worker, .arg = s,
				.real_timers = j->real_timers, .wake_fd = p->wake };
	pid = s->out_fd < 0 ? -EMFILE : jail_spawn(&jj);
	if (pid < 0) {
		fz_fail(j, FZE_ERROR, "cannot start the jail: %s", util_errno_name(-pid));
		if (s->out_fd >= 0)
			close(s->out_fd);
		s->out_fd = -1;
		s->pid = 0;
		s->job = NULL;
		s->live = false;
		p->done[p->ndone++] = j;
		return 0;
	}
	p->busy[slot] = true;
	setpgid(pid, pid);
	s->pid = pid;
	s->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	return 0;
}

static bool fz_terminated(const char *p, size_t n)
{
	return memchr(p, 0, n) != NULL;
}

/* Is the record in f one this jail's worker wrote, and well formed? */
static bool fz_record_ok(const struct fz_jail *s, const struct fz_frame *f)
{
	const struct fz_obs *o = &f->obs;

	if (f->magic != FZ_FRAME_MAGIC || f->token != s->token || f->commits != 1)
		return false;
	if (!fz_terminated(o->where, sizeof(o->where)) ||
	    !fz_terminated(o->error, sizeof(o->error)) ||
	    !fz_terminated(o->local, sizeof(o->local)) ||
	    !fz_terminated(o->peer, sizeof(o->peer)) ||
	    !fz_terminated(o->pre_local, sizeof(o->pre_local)) ||
	    !fz_terminated(o->side, sizeof(o->side)))
		return false;
	if (o->end >= FZE_MAX || o->fd >= FZD_FD_MAX || o->w_syn_tfo < -1 ||
	    o->w_syn_tfo >= FZ_TFO_MAX)
		return false;
	for (int i = 0; i <= FZ_NFOLLOW; i++)
		if (o->step[i].kind >= FZW_MAX || o->step[i].len_state > FZU_NA ||
		    o->step[i].cid_state > FZU_NA)
			return false;
	return true;
}

static void fz_judge(struct fz_jail *s, bool timed_out)
{
	const struct fz_frame *f = s->frame;
	struct fz_job *j = s->job;
	char where[80] = "";
	int ws = f->vf.worker_status;

	if (f->vf.in_call[0] && memchr(f->vf.in_call, 0, sizeof(f->vf.in_call)))
		snprintf(where, sizeof(where), "%s()", f->vf.in_call);
	if (__atomic_load_n(&f->commits, __ATOMIC_ACQUIRE) || f->magic) {
		if (fz_record_ok(s, f))
			j->obs = f->obs;
		else
			fz_fail(j, FZE_ERROR, "%s", "observation channel corrupted");
	} else if (timed_out) {
		fz_fail(j, FZE_TIMEOUT, "%s", "no observation in time");
		snprintf(j->obs.where, sizeof(j->obs.where), "%s", where);
	} else if (sched_interrupted()) {
		fz_fail(j, FZE_ERROR, "%s", "interrupted");
	} else if (!f->vf.worker_ended || f->vf.worker_ended == 2) {
		fz_fail(j, FZE_ERROR, "%s", "the jail's worker did not start or end properly");
	} else if (WIFSIGNALED(ws)) {
		fz_fail(j, FZE_CRASH, "%s", "");
		j->obs.end_code = WTERMSIG(ws);
		snprintf(j->obs.where, sizeof(j->obs.where), "%s", where);
	} else if (where[0]) {
		fz_fail(j, FZE_EXIT, "%s", "");
		j->obs.end_code = WEXITSTATUS(ws);
		snprintf(j->obs.where, sizeof(j->obs.where), "%s", where);
	} else {
		fz_fail(j, FZE_ERROR, "%s", "the worker exited without an observation");
	}
}

/* Hand the job back (the jail may still be draining). */
static void fz_hand_back(struct fz_pool *p, struct fz_jail *s, bool timed_out)
{
	fz_judge(s, timed_out);
	s->job->ms = (double)(util_now_ns() - s->start_ns) / 1e6;
	p->done[p->ndone++] = s->job;
	p->busy[s->slot] = false;
	s->job = NULL;
}

static void fz_reap(struct fz_jail *s)
{
	if (!s->ended) {
		kill(s->pid, SIGKILL);
		if (waitpid(s->pid, &s->status, 0) == s->pid)
			s->ended = true;
	}
	kill(-s->pid, SIGKILL);
	if (s->pidfd >= 0)
		close(s->pidfd);
	if (s->out_fd >= 0)
		close(s->out_fd);
	s->pidfd = s->out_fd = -1;
	s->pid = 0;
	s->live = false;
}

/* One pass over the jails: hand back what ended or committed, reap
 * what drained.  Returns the number of jobs still in flight. */
static int fz_pool_scan(struct fz_pool *p)
{
	uint64_t now = util_now_ns();
	int n = 0;

	for (int i = 0; i < p->njails; i++) {
		struct fz_jail *s = &p->jail[i];

		if (!s->live)
			continue;
		if (!s->ended && waitpid(s->pid, &s->status, WNOHANG) == s->pid)
			s->ended = true;
		if (s->job && (s->ended || sched_interrupted() ||
			       __atomic_load_n(&s->frame->commits, __ATOMIC_ACQUIRE)))
			fz_hand_back(p, s, false);
		else if (s->job && now >= s->deadline_ns)
			fz_hand_back(p, s, true);
		if (!s->job && (s->ended || sched_interrupted() || now >= s->deadline_ns))
			fz_reap(s);
		n += s->live && s->job;
	}
	return n;
}

static struct fz_job *fz_pool_wait_any(struct fz_pool *p)
{
	for (;;) {
		uint64_t now, next = UINT64_MAX;
		int ms;

		if (!fz_pool_scan(p) && !p->ndone) {
			/* nothing in flight: return, unless every jail is still
			 * draining (then a submit could not start anything) */
			bool free_jail = false;

			for (int i = 0; i < p->njails; i++)
				free_jail |= !p->jail[i].live;
			if (free_jail)
				return NULL;
		}
		if (p->ndone)
			return p->done[--p->ndone];
		for (int i = 0; i < p->njails; i++) {
			struct fz_jail *s = &p->jail[i];

			p->pfd[i] = (struct pollfd){ .fd = -1 };
			if (!s->live)
				continue;
			p->pfd[i] = (struct pollfd){ .fd = s->pidfd, .events = POLLIN };
			if (s->deadline_ns < next)
				next = s->deadline_ns;
		}
		now = util_now_ns();
		ms = next <= now ? 0 : (int)((next - now) / 1000000ull + 1);
		/* a committed record rings the doorbell; a worker whose library
		 * closed it is still looked at every few milliseconds */
		if (ms > FZ_LOOK_MS)
			ms = FZ_LOOK_MS;
		p->pfd[p->njails] = (struct pollfd){ .fd = p->wake, .events = POLLIN };
		if (poll(p->pfd, (nfds_t)p->njails + 1, ms) > 0 &&
		    (p->pfd[p->njails].revents & POLLIN)) {
			uint64_t n;

			(void)!read(p->wake, &n, sizeof(n));
		}
	}
}

struct fz_job *fz_pool_wait(struct fz_pool *p)
{
	if (p->nstash)
		return p->stash[--p->nstash];
	return fz_pool_wait_any(p);
}

static bool fz_in(struct fz_job *const *jobs, size_t n, const struct fz_job *j)
{
	for (size_t i = 0; i < n; i++)
		if (jobs[i] == j)
			return true;
	return false;
}

void fz_pool_run(struct fz_pool *p, struct fz_job *const *jobs, size_t n)
{
	size_t next = 0, got = 0;

	while (got < n) {
		struct fz_job *j;

		while (next < n && fz_pool_has_slot(p, fz_is_slow(&jobs[next]->scn)))
			fz_pool_submit(p, jobs[next++]);
		/* a job whose kind has no free slot waits for one to end */
		j = fz_pool_wait_any(p);
		if (!j) {
			if (next < n)
				fz_pool_submit(p, jobs[next++]);
			continue;
		}
		if (fz_in(jobs, n, j)) {
			got++;
			continue;
		}
		/* the streaming caller's: kept for its fz_pool_wait */
		if (p->nstash == p->stash_cap) {
			size_t cap = p->stash_cap ? 2 * p->stash_cap : 16;
			struct fz_job **ns = realloc(p->stash, cap * sizeof(*ns));

			if (!ns)
				continue; /* lost: the caller sees an error-free gap */
			p->stash = ns;
			p->stash_cap = cap;
		}
		p->stash[p->nstash++] = j;
	}
}
