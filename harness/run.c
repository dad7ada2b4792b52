/* SPDX-License-Identifier: MIT */
/*
 * The case runner (see run.h).
 *
 * CUnit is the registry and the runner: one CUnit suite per API × profile,
 * one CUnit test per instance (case row × family).  Each CUnit test waits
 * for its instance's verdict while a small scheduler keeps up to -j
 * instances running ahead of it in forked children, so CUnit still runs
 * (and reports) the tests in order while the work happens in parallel.
 * CUnit 2.1 knows only pass/fail, so SKIP/XFAIL/XPASS pass in CUnit's
 * count and are tallied here; FAIL/ERROR/CRASH/TIMEOUT fail in both.
 *
 * Every child gets its own process group and PR_SET_PDEATHSIG: a timeout
 * or an interrupted run kills whole groups, and a killed runner takes its
 * children (and so their namespaces) with it.  The runner itself moves to
 * a private network namespace before starting anything: nothing a case
 * does can land in the namespace tfocheck was started in.
 */
#include "harness/run.h"

#include <CUnit/Automated.h>
#include <CUnit/Basic.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <jansson.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/case.h"
#include "harness/libload.h"
#include "util/userns.h"
#include "util/util.h"
#include "harness/wire.h"
#include "netns/fault.h"
#include "netns/netns.h"
#include "reports/report.h"

#define DEFAULT_TIMEOUT_MS 10000
#define MAX_FILTERS 32

struct result {
	int outcome;
	double duration_ms;
	char msg[1024];
	char evidence[256];
};

struct inst {
	const struct case_def *def;
	const struct profile *profile;
	enum topo_family family;
	bool per_family;
	char name[192];
	CU_pTest cu;
	/* scheduling */
	unsigned int runs_started, runs_done;
	unsigned int counts[OUT_MAX];
	struct result res;	/* the reported one */
	bool have_res;
	/* differential verdict of a FAIL: "library" (the reference passes
	 * here) or "platform" (the reference fails too), else NULL */
	const char *deviation;
};

struct job {
	struct inst *in;
	pid_t pid;
	int rfd;
	uint64_t start_ns, deadline_ns;
	struct result res;
	size_t got;
};

struct run_opts {
	int jobs;
	unsigned int repeat;
	int timeout_ms;
	unsigned int timeout_scale; /* multiplies every case's timeout */
	const char *filters[MAX_FILTERS];
	int nfilters;
	const char *lib;
	const char *reference;	/* library to tell library from platform */
	unsigned int apis;	/* bitmask of 1 << API_* */
	const char *profiles;	/* comma list or NULL (the rows' own) */
	const char *json;
	const char *junit;
	const char *tap;
	const char *cunit_xml;	/* CUnit's own XML: PREFIX-Results.xml */
	const char *out;	/* DIR/<platform-id>/ gets all of them */
	const char *pcap_dir;
	bool verbose;
	bool color;
	bool progress;
};

static struct run_opts opts;
static struct case_lib g_lib, g_ref;
static bool g_lib_loaded, g_ref_loaded;
/* the library children call: g_lib, or g_ref while re-running failures */
static const struct case_lib *g_child_lib;
static struct inst *insts;
static size_t ninsts, cursor;
static struct job *jobs;
#define SLOW_SLOTS_PER_JOB 4
static int njobs_running, nslots;
/* jobs are (instance, run) pairs in order; busy and slow ones are launched
 * from their own cursors into their own slots */
static size_t next_fast, next_slow, launched, total_jobs;
static volatile sig_atomic_t interrupted;
static unsigned int done_count, bad_count;
static struct pollfd *pollfds; /* one per job slot */

/* ---- expansion ---------------------------------------------------- */

static bool list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (!list || !strcmp(list, "*"))
		return true;
	for (const char *p = list; *p;) {
		size_t l = strcspn(p, ",");

		if (l == n && !strncmp(p, name, n))
			return true;
		p += l;
		if (*p == ',')
			p++;
	}
	return false;
}

static bool inst_selected(const struct inst *in)
{
	if (!(opts.apis & (1u << in->def->api)))
		return false;
	if (opts.nfilters == 0)
		return true;
	for (int i = 0; i < opts.nfilters; i++)
		if (!fnmatch(opts.filters[i], in->name, 0) ||
		    !fnmatch(opts.filters[i], in->def->id, 0))
			return true;
	return false;
}

static int insts_expand(void)
{
	size_t cap = 0;

	for (const struct case_table *t = case_tables(); t; t = t->next) {
		for (size_t r = 0; r < t->count; r++) {
			const struct case_def *d = &t->rows[r];

			for (size_t p = 0; p < profile_count; p++) {
				const struct profile *pr = &profile_table[p];

				if (!list_has(d->profiles, pr->name) ||
				    (opts.profiles &&
				     !list_has(opts.profiles, pr->name)))
					continue;
				for (int f = 0; f < FAM_MAX || f == 0; f++) {
					struct inst in = { .def = d,
							   .profile = pr };

					if (d->families &&
					    !(d->families & (1u << f)))
						continue;
					in.per_family = d->families != 0;
					in.family = (enum topo_family)f;
					if (in.per_family)
						snprintf(in.name, sizeof(in.name),
							 "%s@%s/%s", d->id,
							 pr->name,
							 topo_family_name(in.family));
					else
						snprintf(in.name, sizeof(in.name),
							 "%s@%s", d->id, pr->name);
					if (!inst_selected(&in))
						goto next;
					if (ninsts == cap) {
						struct inst *n;

						cap = cap ? cap * 2 : 64;
						n = realloc(insts, cap * sizeof(*n));
						if (!n)
							return -ENOMEM;
						insts = n;
					}
					insts[ninsts++] = in;
next:
					if (!d->families)
						break;
				}
			}
		}
	}
	return 0;
}

/* ---- the child ---------------------------------------------------- */

static int req_check(struct case_ctx *c)
{
	int fd, one = 1;

	if (c->def->requires & REQ_TFO_CONNECT) {
		fd = topo_socket(&c->topo, ROLE_CLIENT, AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			return fd;
		/* EOPNOTSUPP = known but disabled by the sysctl: supported */
		if (setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one,
			       sizeof(one)) &&
		    (errno == ENOPROTOOPT || errno == EINVAL)) {
			case_skip(c, "kernel lacks TCP_FASTOPEN_CONNECT (setsockopt: %s)",
				  util_errno_name(errno));
			close(fd);
			return 1;
		}
		close(fd);
	}
	if (c->def->requires & REQ_BINDTOIFINDEX) {
		int idx = 1;

		fd = topo_socket(&c->topo, ROLE_CLIENT, AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			return fd;
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX, &idx,
			       sizeof(idx)) &&
		    (errno == ENOPROTOOPT || errno == EINVAL)) {
			case_skip(c, "kernel lacks SO_BINDTOIFINDEX (setsockopt: %s)",
				  util_errno_name(errno));
			close(fd);
			return 1;
		}
		close(fd);
	}
	return 0;
}

static void pcap_name(const struct inst *in, char *buf, size_t size)
{
	size_t off = 0;

	util_appendf(buf, size, &off, "%s/", opts.pcap_dir);
	for (const char *p = in->name; *p; p++)
		util_appendf(buf, size, &off, "%c",
			     (*p == '/' || *p == '@') ? '_' : *p);
	util_appendf(buf, size, &off, ".pcap");
}

static void child_run(struct inst *in, int wfd)
{
	struct case_ctx c = { 0 };
	struct result res = { 0 };
	int ret;

	/* a crash in the library under test must end the process by its
	 * signal (CRASH), also when a sanitizer runtime installed handlers */
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	case_time_scale = opts.timeout_scale;
	c.def = in->def;
	c.profile = in->profile;
	c.family = in->family;
	c.lib = g_child_lib;
	ret = topo_build(&c.topo, in->def->topo, in->profile);
	if (ret) {
		case_error(&c, "cannot build the %s topology: %s",
			   in->def->topo == TOPO_ROUTED ? "routed" : "pair",
			   util_errno_name(-ret));
		goto report;
	}
	ret = req_check(&c);
	if (ret < 0)
		case_error(&c, "requirement probe failed: %s",
			   util_errno_name(-ret));
	if (ret)
		goto report;
	if (in->def->fault != FAULT_NONE) {
		ret = fault_apply(&c.topo, in->def->fault);
		if (ret) {
			case_error(&c, "cannot install fault %s: %s",
				   fault_name(in->def->fault),
				   util_errno_name(-ret));
			goto report;
		}
	}
	if (in->def->wire) {
		ret = wire_open(&c.wire, &c.topo);
		if (ret) {
			case_error(&c, "cannot open the wire observer: %s",
				   util_errno_name(-ret));
			goto report;
		}
	}
	in->def->body(&c);
	if (!c.decided) {
		c.decided = true;
		if (c.xfail_reason) {
			c.outcome = OUT_XPASS;
			snprintf(c.msg, sizeof(c.msg),
				 "passed although a known limit was expected: %s",
				 c.xfail_reason);
		} else {
			c.outcome = OUT_PASS;
		}
	}
	if (c.wire && opts.pcap_dir &&
	    (outcome_is_bad(c.outcome) || c.outcome == OUT_XFAIL)) {
		pcap_name(in, c.evidence, sizeof(c.evidence));
		wire_collect(c.wire, 0);
		if (wire_save_pcap(c.wire, c.evidence))
			c.evidence[0] = 0;
	}
report:
	res.outcome = c.outcome;
	memcpy(res.msg, c.msg, sizeof(res.msg));
	memcpy(res.evidence, c.evidence, sizeof(res.evidence));
	(void)!write(wfd, &res, sizeof(res));
	/* no cleanup: _exit() releases the namespaces, sockets, threads */
}

/* ---- the scheduler ------------------------------------------------ */

static void progress_show(const char *what)
{
	if (!opts.progress)
		return;
	fprintf(stderr, "\r\033[K[%u/%zu] %s%u failing%s  %s", done_count,
		total_jobs, bad_count && opts.color ? "\033[31m" : "",
		bad_count, bad_count && opts.color ? "\033[0m" : "",
		what ? what : "");
	fflush(stderr);
}

static void job_launch(struct job *j, struct inst *in)
{
	int p[2];
	pid_t pid;

	memset(j, 0, sizeof(*j));
	j->in = in;
	j->rfd = -1;
	in->runs_started++;
	j->start_ns = util_now_ns();
	j->deadline_ns = j->start_ns +
			 (uint64_t)(in->def->timeout_ms ? in->def->timeout_ms
							: opts.timeout_ms) *
				 opts.timeout_scale *
				 1000000ull;
	if (pipe2(p, O_CLOEXEC)) {
		j->res.outcome = OUT_ERROR;
		snprintf(j->res.msg, sizeof(j->res.msg), "pipe: %s",
			 strerror(errno));
		j->got = sizeof(j->res);
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
		child_run(in, p[1]);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		j->res.outcome = OUT_ERROR;
		snprintf(j->res.msg, sizeof(j->res.msg), "fork: %s",
			 strerror(errno));
		j->got = sizeof(j->res);
		return;
	}
	setpgid(pid, pid); /* both sides set it: no race with kill(-pid) */
	j->pid = pid;
	j->rfd = p[0];
	njobs_running++;
}

static void inst_record(struct inst *in, const struct result *r)
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
	if (in->runs_done == opts.repeat && opts.repeat > 1) {
		int kinds = 0;
		char tally[200] = "";
		size_t off = 0;

		for (int o = 0; o < OUT_MAX; o++)
			if (in->counts[o]) {
				kinds++;
				util_appendf(tally, sizeof(tally), &off, "%s%s×%u",
					     off ? " " : "",
					     outcome_name((enum outcome)o),
					     in->counts[o]);
			}
		if (kinds > 1) {
			char m[sizeof(in->res.msg)];

			snprintf(m, sizeof(m), "unstable over %u runs (%s): %.800s",
				 opts.repeat, tally, in->res.msg);
			memcpy(in->res.msg, m, sizeof(m));
			if (!outcome_is_bad((enum outcome)in->res.outcome))
				in->res.outcome = OUT_FAIL;
		}
	}
}

static void job_finish(struct job *j, bool timed_out)
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
		njobs_running--;
	}
	if (j->rfd >= 0)
		close(j->rfd);
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
			j->res.outcome = OUT_CRASH;
			snprintf(j->res.msg, sizeof(j->res.msg),
				 "case process killed by signal %s",
				 sigabbrev_np(WTERMSIG(status)) ?
					 sigabbrev_np(WTERMSIG(status)) : "?");
		} else {
			j->res.outcome = OUT_ERROR;
			snprintf(j->res.msg, sizeof(j->res.msg),
				 "case process exited with status %d without a verdict",
				 WEXITSTATUS(status));
		}
	}
	j->res.duration_ms = (double)(util_now_ns() - j->start_ns) / 1e6;
	inst_record(j->in, &j->res);
	done_count++;
	if (outcome_is_bad((enum outcome)j->res.outcome))
		bad_count++;
	j->pid = 0;
	j->rfd = -1;
	j->in = NULL;
	progress_show(NULL);
}

static void kill_all(void)
{
	for (int i = 0; i < nslots; i++)
		if (jobs[i].in && jobs[i].pid > 0)
			kill(-jobs[i].pid, SIGKILL);
}

/* Launch what fits, then wait for one event (a verdict, an exit, a
 * deadline). */
static void sched_step(void)
{
	struct pollfd *pf = pollfds;
	uint64_t now, next_deadline = UINT64_MAX;
	int n = 0, ret;

	for (int i = 0; i < nslots && !interrupted && launched < total_jobs;
	     i++) {
		bool slow = i >= opts.jobs;
		size_t *next = slow ? &next_slow : &next_fast;

		if (jobs[i].in)
			continue;
		while (*next < total_jobs &&
		       case_is_slow(insts[*next / opts.repeat].def) != slow)
			(*next)++;
		if (*next == total_jobs)
			continue;
		job_launch(&jobs[i], &insts[*next / opts.repeat]);
		(*next)++;
		launched++;
		if (jobs[i].got == sizeof(jobs[i].res))
			job_finish(&jobs[i], false);
	}
	if (interrupted)
		kill_all();
	for (int i = 0; i < nslots; i++) {
		pf[i] = (struct pollfd){ -1, 0, 0 };
		if (!jobs[i].in)
			continue;
		pf[i].fd = jobs[i].rfd;
		pf[i].events = POLLIN;
		n++;
		if (jobs[i].deadline_ns < next_deadline)
			next_deadline = jobs[i].deadline_ns;
	}
	if (!n)
		return;
	now = util_now_ns();
	ret = poll(pf, (nfds_t)nslots,
		   next_deadline <= now ? 0 :
		   (int)((next_deadline - now) / 1000000ull + 1));
	if (ret < 0 && errno != EINTR)
		return;
	now = util_now_ns();
	for (int i = 0; i < nslots; i++) {
		struct job *j = &jobs[i];

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
			job_finish(j, false);
		} else if (interrupted) {
			job_finish(j, false);
		} else if (now >= j->deadline_ns) {
			job_finish(j, true);
		}
	}
}

static void sched_until(struct inst *in)
{
	while (in->runs_done < opts.repeat) {
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
		sched_step();
	}
}

/* ---- differential verdict ----------------------------------------- */

/*
 * A FAIL against the library under test is re-run, in a fresh topology,
 * against the reference library: if the reference passes on the same
 * kernel and profile the library deviates; if it fails too, the platform
 * does.  The re-runs reuse the scheduler with their own instance list.
 */
static void differential_run(void)
{
	struct inst *saved = insts, *re;
	size_t saved_n = ninsts, n = 0, k = 0;
	unsigned int saved_repeat = opts.repeat;

	for (size_t i = 0; i < ninsts; i++)
		if (insts[i].res.outcome == OUT_FAIL &&
		    (insts[i].def->api == API_OWFAT ||
		     insts[i].def->api == API_CONNECTX))
			n++;
	if (!n || interrupted)
		return;
	re = calloc(n, sizeof(*re));
	if (!re)
		return;
	for (size_t i = 0; i < ninsts; i++)
		if (insts[i].res.outcome == OUT_FAIL &&
		    (insts[i].def->api == API_OWFAT ||
		     insts[i].def->api == API_CONNECTX)) {
			re[k] = insts[i];
			re[k].runs_started = re[k].runs_done = 0;
			memset(re[k].counts, 0, sizeof(re[k].counts));
			re[k].have_res = false;
			k++;
		}
	if (opts.progress)
		fprintf(stderr, "\r\033[Kre-running %zu failure(s) against the reference %s\n",
			n, g_ref.path);
	insts = re;
	ninsts = n;
	opts.repeat = 1;
	next_fast = next_slow = launched = 0;
	total_jobs = n;
	done_count = bad_count = 0;
	g_child_lib = &g_ref;
	for (size_t i = 0; i < n; i++)
		sched_until(&re[i]);
	g_child_lib = &g_lib;
	insts = saved;
	ninsts = saved_n;
	opts.repeat = saved_repeat;
	k = 0;
	for (size_t i = 0; i < ninsts; i++) {
		if (insts[i].res.outcome != OUT_FAIL ||
		    (insts[i].def->api != API_OWFAT &&
		     insts[i].def->api != API_CONNECTX))
			continue;
		if (re[k].res.outcome == OUT_PASS)
			insts[i].deviation = "library";
		else if (re[k].res.outcome == OUT_FAIL ||
			 re[k].res.outcome == OUT_XFAIL)
			insts[i].deviation = "platform";
		k++;
	}
	free(re);
}

/* ---- CUnit glue --------------------------------------------------- */

static struct inst *inst_of(CU_pTest t)
{
	for (size_t n = 0; n < ninsts; n++) {
		size_t i = (cursor + n) % ninsts;

		if (insts[i].cu == t) {
			cursor = i;
			return &insts[i];
		}
	}
	return NULL;
}

static void cu_trampoline(void)
{
	struct inst *in = inst_of(CU_get_current_test());
	char m[1400];

	if (!in)
		return;
	sched_until(in);
	if (outcome_is_bad((enum outcome)in->res.outcome)) {
		snprintf(m, sizeof(m), "%s %s: %s", outcome_name(in->res.outcome),
			 in->name, in->res.msg);
		CU_assertImplementation(CU_FALSE, 0, m, in->def->id, "", CU_FALSE);
	} else {
		CU_PASS(in->name);
	}
	if (opts.verbose && !opts.progress)
		printf("%-7s %s (%.1f ms)%s%s\n", outcome_name(in->res.outcome),
		       in->name, in->res.duration_ms, in->res.msg[0] ? ": " : "",
		       in->res.msg);
}

static int cunit_register(void)
{
	for (int a = 0; a < API_MAX; a++) {
		for (size_t p = 0; p < profile_count; p++) {
			CU_pSuite s = NULL;
			char sname[96];

			for (size_t i = 0; i < ninsts; i++) {
				struct inst *in = &insts[i];

				if (in->def->api != (enum case_api)a ||
				    in->profile != &profile_table[p])
					continue;
				if (!s) {
					snprintf(sname, sizeof(sname), "%s@%s",
						 case_api_name(in->def->api),
						 in->profile->name);
					s = CU_add_suite(sname, NULL, NULL);
					if (!s)
						return -ENOMEM;
				}
				in->cu = CU_add_test(s, in->name, cu_trampoline);
				if (!in->cu)
					return -ENOMEM;
			}
		}
	}
	return 0;
}

/* CUnit runs suites in registration order; schedule in the same order. */
static int inst_cmp_by_suite(const void *a, const void *b)
{
	const struct inst *x = a, *y = b;

	if (x->def->api != y->def->api)
		return (int)x->def->api - (int)y->def->api;
	if (x->profile != y->profile)
		return x->profile < y->profile ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* ---- privileges --------------------------------------------------- */

/* Root: a private netns for the runner.  Not root: a user namespace in
 * which we are root, plus its network namespace. */
static int run_isolate(char *why, size_t whylen)
{
	int ret;

	if (geteuid() == 0) {
		if (unshare(CLONE_NEWNET) == 0)
			return 0;
		snprintf(why, whylen,
			 "cannot create a network namespace: %s (needs CAP_SYS_ADMIN)",
			 strerror(errno));
		return -errno;
	}
	ret = userns_become_root(CLONE_NEWNET);
	if (ret == -EPERM || ret == -ENOSPC || ret == -EINVAL || ret == -ENOSYS)
		snprintf(why, whylen,
			 "not root and unprivileged user namespaces are unavailable (%s); run with sudo",
			 strerror(-ret));
	else if (ret)
		snprintf(why, whylen, "cannot map uid/gid in the user namespace: %s",
			 strerror(-ret));
	return ret;
}

/* ---- results ------------------------------------------------------ */

static void os_release(char *buf, size_t size)
{
	char text[4096];
	char *p;

	snprintf(buf, size, "unknown");
	if (util_file_read("/etc/os-release", text, sizeof(text)))
		return;
	p = strstr(text, "PRETTY_NAME=");
	if (!p)
		return;
	p += 12;
	if (*p == '"')
		p++;
	p[strcspn(p, "\"\n")] = 0;
	snprintf(buf, size, "%s", p);
}

void run_platform_id(char *buf, size_t size)
{
	struct utsname u;
	const char *lib = "nolib";
	size_t off = 0;

	uname(&u);
	if (g_lib_loaded)
		lib = g_lib.alias[0] ? g_lib.alias : strrchr(g_lib.path, '/') ?
			strrchr(g_lib.path, '/') + 1 : g_lib.path;
	util_appendf(buf, size, &off, "%s-%s-%s-%s", u.sysname, u.release,
		     u.machine, lib);
	/* a file-name-safe id: lower case, [a-z0-9._-] */
	for (char *p = buf; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			   *p == '.' || *p == '-' || *p == '_'))
			*p = '_';
	}
}

/* The results document (docs/results-json.md), in memory: every writer
 * (JSON, JUnit, TAP) renders this one tree. */
static json_t *results_doc_build(double wall_ms)
{
	struct utsname u;
	char distro[128], tmp[1024];
	json_t *root = json_object(), *res = json_array(), *prof = json_object();
uname(&u);
	os_release(distro, sizeof(distro));
	run_platform_id(tmp, sizeof(tmp));
	json_object_set_new(root, "schema", json_string("tfocheck-results/1"));
	json_object_set_new(root, "platform_id", json_string(tmp));
	json_object_set_new(root, "tool", json_pack("{s:s,s:s}", "name",
						    "tfocheck", "version",
						    TFOCHECK_VERSION));
	if (g_ref_loaded)
		json_object_set_new(root, "reference",
				    json_pack("{s:s}", "path", g_ref.path));
	json_object_set_new(root, "platform",
			    json_pack("{s:s,s:s,s:s,s:s,s:s}", "os", u.sysname,
				      "kernel", u.release, "version", u.version,
				      "arch", u.machine, "distro", distro));
	if (g_lib_loaded)
		json_object_set_new(root, "library",
				    json_pack("{s:s,s:s,s:s}", "path", g_lib.path,
					      "alias", g_lib.alias, "version",
					      g_lib.version));
	else
		json_object_set_new(root, "library", json_null());
	json_object_set_new(root, "wall_ms", json_real(wall_ms));
	for (size_t i = 0; i < ninsts; i++) {
		const struct inst *in = &insts[i];
		const struct profile *p = in->profile;

		if (!json_object_get(prof, p->name))
			json_object_set_new(
				prof, p->name,
				json_pack("{s:s,s:I,s:I,s:b,s:I}", "summary",
					  p->summary, "client_tcp_fastopen",
					  (json_int_t)p->client_tfo,
					  "server_tcp_fastopen",
					  (json_int_t)p->server_tfo,
					  "server_listener_sockopt",
					  p->server_sockopt,
					  "client_blackhole_timeout_sec",
					  (json_int_t)p->blackhole_sec));
		json_array_append_new(
			res,
			json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:s?}",
				  "id", in->def->id, "name", in->name, "api",
				  case_api_name(in->def->api), "profile", p->name,
				  "family",
				  in->per_family ? topo_family_name(in->family)
						 : "any",
				  "status", outcome_name(in->res.outcome),
				  "message", in->res.msg, "clause",
				  in->def->clause, "duration_ms",
				  in->res.duration_ms, "evidence",
				  in->res.evidence[0] ? in->res.evidence : NULL));
		if (in->deviation)
			json_object_set_new(json_array_get(res, i), "deviation",
					    json_string(in->deviation));
	}
	json_object_set_new(root, "profiles", prof);
	json_object_set_new(root, "results", res);
	return root;
}

/* Written beside and renamed: a reader never sees half a document. */
static int results_write_json(const json_t *doc, const char *path, char *err,
			      size_t errlen)
{
	char tmp[1024];
	int ret = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	if (json_dump_file(doc, tmp, JSON_INDENT(1) | JSON_SORT_KEYS) ||
	    rename(tmp, path)) {
		ret = errno ? -errno : -EIO;
		snprintf(err, errlen, "cannot write '%s': %s", path,
			 strerror(-ret));
		unlink(tmp);
	}
	return ret;
}

/* --out DIR: DIR/<platform-id>/{results.json,junit.xml,results.tap,
 * cunit-*.xml,evidence/}.  Creates the directories; fills the paths the
 * options did not set. */
static int out_dir_prepare(char *dir, size_t size, char *err, size_t errlen)
{
	static char json[1100], junit[1100], tap[1100], cunit[1100], ev[1100];
	char id[512];

	run_platform_id(id, sizeof(id));
	snprintf(dir, size, "%s/%s", opts.out, id);
	if ((mkdir(opts.out, 0755) && errno != EEXIST) ||
	    (mkdir(dir, 0755) && errno != EEXIST)) {
		snprintf(err, errlen, "cannot create --out directory '%.400s': %s",
			 dir, strerror(errno));
		return -errno;
	}
	snprintf(json, sizeof(json), "%s/results.json", dir);
	snprintf(junit, sizeof(junit), "%s/junit.xml", dir);
	snprintf(tap, sizeof(tap), "%s/results.tap", dir);
	snprintf(cunit, sizeof(cunit), "%s/cunit", dir);
	snprintf(ev, sizeof(ev), "%s/evidence", dir);
	if (!opts.json)
		opts.json = json;
	if (!opts.junit)
		opts.junit = junit;
	if (!opts.tap)
		opts.tap = tap;
	if (!opts.cunit_xml)
		opts.cunit_xml = cunit;
	if (!opts.pcap_dir)
		opts.pcap_dir = ev;
	return 0;
}

static int results_write_all(double wall_ms)
{
	json_t *doc;
	char err[1200];
	int ret = 0;

	if (!opts.json && !opts.junit && !opts.tap)
		return 0;
	doc = results_doc_build(wall_ms);
	if (opts.json && !ret)
		ret = results_write_json(doc, opts.json, err, sizeof(err));
	if (opts.junit && !ret)
		ret = report_write_junit(doc, opts.junit, err, sizeof(err));
	if (opts.tap && !ret)
		ret = report_write_tap(doc, opts.tap, err, sizeof(err));
	if (ret)
		fprintf(stderr, "tfocheck run: %s\n", err);
	json_decref(doc);
	return ret;
}

/* ---- reporting ---------------------------------------------------- */

static const char *outcome_color(enum outcome o)
{
	if (!opts.color)
		return "";
	switch (o) {
	case OUT_PASS:
		return "\033[32m";
	case OUT_XFAIL:
	case OUT_SKIP:
		return "\033[33m";
	case OUT_XPASS:
		return "\033[35m";
	default:
		return "\033[31m";
	}
}

/* "headline: libowfat: 140 pass, 12 fail (3 clauses)" — what `make
 * conformance` quotes; clauses = distinct clauses among the bad ones. */
static void summary_headline(void)
{
	unsigned int c[OUT_MAX] = { 0 }, clauses = 0;
	const char *who = "kernel";

	for (size_t i = 0; i < ninsts; i++) {
		enum outcome o = (enum outcome)insts[i].res.outcome;
		bool seen = false;

		c[o]++;
		if (!outcome_is_bad(o))
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = outcome_is_bad((enum outcome)insts[k].res.outcome) &&
			       insts[k].def->clause == insts[i].def->clause;
		clauses += !seen;
	}
	if (g_lib_loaded)
		who = g_lib.alias[0] ? g_lib.alias : g_lib.path;
	printf("\nheadline: %s: %u pass, %u fail", who, c[OUT_PASS], c[OUT_FAIL]);
	for (int o = OUT_XFAIL; o < OUT_MAX; o++)
		if (c[o] && o != OUT_FAIL)
			printf(", %u %s", c[o], outcome_name((enum outcome)o));
	printf(" (%u clause%s)\n", clauses, clauses == 1 ? "" : "s");
}

static void summary_print(unsigned int totals[OUT_MAX], double wall_ms)
{
	const char *rst = opts.color ? "\033[0m" : "";

	printf("\nResults by API × profile:\n");
	for (int a = 0; a < API_MAX; a++) {
		for (size_t p = 0; p < profile_count; p++) {
			unsigned int c[OUT_MAX] = { 0 }, any = 0;
			char name[96];

			for (size_t i = 0; i < ninsts; i++)
				if (insts[i].def->api == (enum case_api)a &&
				    insts[i].profile == &profile_table[p]) {
					c[insts[i].res.outcome]++;
					any++;
				}
			if (!any)
				continue;
			snprintf(name, sizeof(name), "%s@%s",
				 case_api_name((enum case_api)a),
				 profile_table[p].name);
			printf("  %-32s", name);
			for (int o = 0; o < OUT_MAX; o++)
				if (c[o])
					printf(" %s%s %u%s", outcome_color((enum outcome)o),
					       outcome_name((enum outcome)o), c[o], rst);
			printf("\n");
		}
	}
	printf("\n");
	for (size_t i = 0; i < ninsts; i++) {
		const struct inst *in = &insts[i];
		enum outcome o = (enum outcome)in->res.outcome;
if (o == OUT_PASS || (o == OUT_SKIP && !opts.verbose) ||
		    (o == OUT_XFAIL && !opts.verbose))
			continue;
		printf("%s%-7s%s %s%s%s%s: %s\n", outcome_color(o),
		       outcome_name(o), rst, in->name,
		       in->deviation ? " (" : "",
		       in->deviation ? in->deviation : "",
		       in->deviation ? " deviation)" : "", in->res.msg);
		if (outcome_is_bad(o) || o == OUT_XPASS)
			printf("        clause: \"%s\"\n", in->def->clause);
		if (in->res.evidence[0])
			printf("        evidence: %s\n", in->res.evidence);
	}
	summary_headline();
	printf("\nOutcomes:");
	for (int o = 0; o < OUT_MAX; o++)
		printf(" %s %u%s", outcome_name((enum outcome)o), totals[o],
		       o + 1 < OUT_MAX ? "," : "");
	printf("  (%zu instances", ninsts);
	if (opts.repeat > 1)
		printf(" × %u runs", opts.repeat);
	printf(", %.2f s, -j %d)\n", wall_ms / 1000, opts.jobs);
}

/* ---- CLI ---------------------------------------------------------- */

static void run_usage(FILE *f)
{
	fprintf(f,
		"usage: tfocheck run [--lib PATH|libtfo|libowfat] [--api API[,API]]\n"
		"                    [--profile NAME[,NAME]] [--filter GLOB]... [-j N]\n"
		"                    [--repeat N] [--timeout MS] [--timeout-scale N]\n"
		"                    [--json FILE]\n"
		"                    [--junit FILE] [--tap FILE] [--cunit-xml PREFIX]\n"
		"                    [--out DIR] [--pcap-dir DIR] [--reference LIB|none] [-v]\n"
		"  APIs: smoke (raw kernel API), owfat, connectx, selftest (harness checks)\n"
		"exit: 0 no failure, 1 failures, 2 usage, 77 nothing ran, 99 harness error,\n"
		"      130 interrupted\n");
}

static int parse_apis(const char *s, unsigned int *mask)
{
	*mask = 0;
	for (const char *p = s; *p;) {
		size_t l = strcspn(p, ",");
		int a;

		for (a = 0; a < API_MAX; a++)
			if (strlen(case_api_name((enum case_api)a)) == l &&
			    !strncmp(p, case_api_name((enum case_api)a), l))
				break;
		if (a == API_MAX)
			return -EINVAL;
		*mask |= 1u << a;
		p += l;
		if (*p == ',')
			p++;
	}
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static char *exe_dir(void)
{
	static char dir[512];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);

	if (n <= 0)
		return strcpy(dir, ".");
	dir[n] = 0;
	*strrchr(dir, '/') = 0;
	return dir;
}

int run_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "lib", required_argument, NULL, 'l' },
		{ "reference", required_argument, NULL, 'R' },
		{ "api", required_argument, NULL, 'a' },
		{ "profile", required_argument, NULL, 'P' },
		{ "filter", required_argument, NULL, 'f' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 't' },
		{ "timeout-scale", required_argument, NULL, 'S' },
		{ "json", required_argument, NULL, 'J' },
		{ "junit", required_argument, NULL, 'U' },
		{ "tap", required_argument, NULL, 'T' },
		{ "cunit-xml", required_argument, NULL, 'C' },
		{ "out", required_argument, NULL, 'o' },
		{ "pcap-dir", required_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned int totals[OUT_MAX] = { 0 };
	char err[600], outdir[1024];
	const char *api_arg = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	double t0;
	long v;
	int c, ret;

	memset(&opts, 0, sizeof(opts));
	opts.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (opts.jobs < 1)
		opts.jobs = 1;
	opts.repeat = 1;
	opts.timeout_ms = DEFAULT_TIMEOUT_MS;
	opts.timeout_scale = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:f:vh", lo, NULL)) != -1) {
		switch (c) {
		case 'l':
			opts.lib = optarg;
			break;
		case 'R':
			opts.reference = optarg;
			break;
		case 'a':
			api_arg = optarg;
			break;
		case 'P':
			opts.profiles = optarg;
			for (const char *p = optarg; *p;) {
				size_t l = strcspn(p, ",");
				char name[64];

				snprintf(name, sizeof(name), "%.*s", (int)l, p);
				if (!profile_find(name)) {
					fprintf(stderr,
						"tfocheck run: unknown profile '%s' (see tfocheck list --profiles)\n",
						name);
					return EXIT_USAGE;
				}
				p += l;
				if (*p == ',')
					p++;
			}
			break;
		case 'f':
			if (opts.nfilters == MAX_FILTERS) {
				fprintf(stderr, "tfocheck run: too many --filter (max %d)\n",
					MAX_FILTERS);
				return EXIT_USAGE;
			}
			opts.filters[opts.nfilters++] = optarg;
			break;
		case 'j':
			if (util_parse_long(optarg, &v) || v < 1 || v > 256) {
				fprintf(stderr, "tfocheck run: -j wants 1..256, got '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			opts.jobs = (int)v;
			break;
		case 'r':
			if (util_parse_long(optarg, &v) || v < 1 || v > 10000) {
				fprintf(stderr, "tfocheck run: --repeat wants 1..10000, got '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			opts.repeat = (unsigned int)v;
			break;
		case 't':
			if (util_parse_long(optarg, &v) || v < 1 || v > 3600000) {
				fprintf(stderr, "tfocheck run: --timeout wants milliseconds 1..3600000, got '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			opts.timeout_ms = (int)v;
			break;
		case 'S':
			if (util_parse_long(optarg, &v) || v < 1 || v > 100) {
				fprintf(stderr, "tfocheck run: --timeout-scale wants 1..100, got '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			opts.timeout_scale = (unsigned int)v;
			break;
		case 'J':
			opts.json = optarg;
			break;
		case 'U':
			opts.junit = optarg;
			break;
		case 'T':
			opts.tap = optarg;
			break;
		case 'C':
			opts.cunit_xml = optarg;
			break;
		case 'o':
			opts.out = optarg;
			break;
		case 'p':
			opts.pcap_dir = optarg;
			break;
		case 'v':
			opts.verbose = true;
			break;
		case 'h':
			run_usage(stdout);
			return 0;
		default:
			run_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tfocheck run: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (api_arg && parse_apis(api_arg, &opts.apis)) {
		fprintf(stderr, "tfocheck run: unknown API in '%s' (smoke, owfat, connectx, selftest)\n",
			api_arg);
		return EXIT_USAGE;
	}
	if (opts.lib) {
		if (libload_open(&g_lib, opts.lib, exe_dir(), err, sizeof(err))) {
			fprintf(stderr, "tfocheck run: %s\n", err);
			return EXIT_HARNESS;
		}
		g_lib_loaded = true;
		if (!api_arg) {
			/* every API the library exports */
			for (int a = API_OWFAT; a <= API_CONNECTX; a++)
				if (!libload_check_api(&g_lib, (enum case_api)a,
						       err, sizeof(err)))
					opts.apis |= 1u << a;
			if (!opts.apis) {
				fprintf(stderr,
					"tfocheck run: library '%s' exports neither socket_fastopen_connect4/6 nor connectx/disconnectx\n",
					g_lib.path);
				return EXIT_HARNESS;
			}
		}
		for (int a = API_OWFAT; a <= API_CONNECTX; a++)
			if ((opts.apis & (1u << a)) &&
			    libload_check_api(&g_lib, (enum case_api)a, err,
					      sizeof(err))) {
				fprintf(stderr, "tfocheck run: %s\n", err);
				return EXIT_HARNESS;
			}
	} else {
		if (!api_arg)
			opts.apis = 1u << API_SMOKE;
		if (opts.apis & (1u << API_OWFAT | 1u << API_CONNECTX)) {
			fprintf(stderr,
				"tfocheck run: --api owfat/connectx needs --lib PATH (or libtfo, libowfat)\n");
			return EXIT_USAGE;
		}
	}
	g_child_lib = g_lib_loaded ? &g_lib : NULL;
	if (g_lib_loaded && !(opts.reference && !strcmp(opts.reference, "none"))) {
		const char *ref = opts.reference ? opts.reference : "libtfo";

		if (libload_open(&g_ref, ref, exe_dir(), err, sizeof(err))) {
			if (opts.reference) {
				fprintf(stderr, "tfocheck run: --reference: %s\n", err);
				return EXIT_HARNESS;
			}
		} else if (!strcmp(g_ref.path, g_lib.path)) {
			libload_close(&g_ref); /* the reference itself */
		} else {
			g_ref_loaded = true;
		}
	}
	if (opts.out && out_dir_prepare(outdir, sizeof(outdir), err,
					sizeof(err))) {
		fprintf(stderr, "tfocheck run: %s\n", err);
		return EXIT_USAGE;
	}
	if (opts.pcap_dir && mkdir(opts.pcap_dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "tfocheck run: cannot create --pcap-dir '%s': %s\n",
			opts.pcap_dir, strerror(errno));
		return EXIT_USAGE;
	}
	opts.color = isatty(1) && !getenv("NO_COLOR");
	opts.progress = isatty(2) && !opts.verbose;
	ret = insts_expand();
	if (ret)
		return EXIT_HARNESS;
	if (ninsts == 0) {
		fprintf(stderr, "tfocheck run: no case matches the selection\n");
		return EXIT_NOTHING_RAN;
	}
	qsort(insts, ninsts, sizeof(*insts), inst_cmp_by_suite);
	if (run_isolate(err, sizeof(err))) {
		fprintf(stderr, "tfocheck run: %s\n", err);
		return EXIT_NOTHING_RAN;
	}
	nslots = opts.jobs * (1 + SLOW_SLOTS_PER_JOB);
	jobs = calloc((size_t)nslots, sizeof(*jobs));
	pollfds = calloc((size_t)nslots, sizeof(*pollfds));
	if (!jobs || !pollfds || CU_initialize_registry() != CUE_SUCCESS ||
	    cunit_register()) {
		fprintf(stderr, "tfocheck run: out of memory registering cases\n");
		return EXIT_HARNESS;
	}
	total_jobs = ninsts * opts.repeat;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	printf("tfocheck run: %zu instances (%s), -j %d%s%s\n", ninsts,
	       api_arg ? api_arg : "default APIs", opts.jobs,
	       g_lib_loaded ? ", library " : "", g_lib_loaded ? g_lib.path : "");
	t0 = util_now_ms();
	if (opts.cunit_xml) {
		/* CUnit's automated runner writes PREFIX-Listing.xml and
		 * PREFIX-Results.xml; its summary is printed as basic mode
		 * would */
		CU_set_output_filename(opts.cunit_xml);
		CU_list_tests_to_file();
		CU_automated_run_tests();
		CU_print_run_results(stdout);
	} else {
		CU_basic_set_mode(CU_BRM_NORMAL);
		CU_basic_run_tests();
	}
	if (opts.progress)
		fprintf(stderr, "\r\033[K");
	if (g_ref_loaded)
		differential_run();
	for (size_t i = 0; i < ninsts; i++)
		totals[insts[i].res.outcome]++;
	summary_print(totals, util_now_ms() - t0);
	if (results_write_all(util_now_ms() - t0)) {
		ret = EXIT_HARNESS;
		goto out;
	}
	if (opts.out)
		printf("reports: %s/\n", outdir);
	if (interrupted)
		ret = EXIT_INTERRUPTED;
	else if (totals[OUT_FAIL] + totals[OUT_ERROR] + totals[OUT_CRASH] +
		 totals[OUT_TIMEOUT])
		ret = 1;
	else if (totals[OUT_SKIP] == ninsts)
		ret = EXIT_NOTHING_RAN;
	else
		ret = 0;
out:
	CU_cleanup_registry();
	free(jobs);
	free(pollfds);
	free(insts);
	if (g_lib_loaded)
		libload_close(&g_lib);
	if (g_ref_loaded)
		libload_close(&g_ref);
	return ret;
}

/* ---- list --------------------------------------------------------- */

static void families_str(unsigned int m, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = 0;
	if (!m) {
		snprintf(buf, size, "-");
		return;
	}
	for (int f = 0; f < FAM_MAX; f++)
		if (m & (1u << f))
			util_appendf(buf, size, &off, "%s%s", off ? "," : "",
				     topo_family_name((enum topo_family)f));
}

int list_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "profiles", no_argument, NULL, 'P' },
		{ "faults", no_argument, NULL, 'F' },
		{ "api", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	bool profiles = false, faults = false;
	unsigned int apis = (1u << API_MAX) - 1 - (1u << API_SELFTEST);
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'P':
			profiles = true;
			break;
		case 'F':
			faults = true;
			break;
		case 'a':
			if (parse_apis(optarg, &apis)) {
				fprintf(stderr, "tfocheck list: unknown API in '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			printf("usage: tfocheck list [--api API] | --profiles | --faults\n");
			return 0;
		default:
			fprintf(stderr, "usage: tfocheck list [--api API] | --profiles | --faults\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tfocheck list: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (profiles) {
		printf("%-20s %-8s %-8s %-8s %s\n", "PROFILE", "CLIENT", "SERVER",
		       "SOCKOPT", "SUMMARY");
		for (size_t i = 0; i < profile_count; i++) {
			const struct profile *p = &profile_table[i];

			printf("%-20s 0x%-6lx 0x%-6lx %-8s %s\n", p->name,
			       p->client_tfo, p->server_tfo,
			       p->server_sockopt ? "yes" : "no", p->summary);
		}
		return 0;
	}
	if (faults) {
		for (int f = FAULT_NONE + 1; f < FAULT_MAX; f++)
			printf("%-24s %s\n", fault_name((enum fault)f),
			       fault_doc((enum fault)f));
		return 0;
	}
	for (const struct case_table *t = case_tables(); t; t = t->next)
		for (size_t r = 0; r < t->count; r++) {
			const struct case_def *d = &t->rows[r];
			char fams[96];

			if (!(apis & (1u << d->api)))
				continue;
			families_str(d->families, fams, sizeof(fams));
			printf("%s\n    api: %s  topology: %s  fault: %s  families: %s  profiles: %s\n"
			       "    expects: %s\n    clause: \"%s\"\n",
			       d->id, case_api_name(d->api),
			       d->topo == TOPO_ROUTED ? "routed" : "pair",
			       d->fault ? fault_name(d->fault) : "none", fams,
			       d->profiles, d->expect, d->clause);
		}
	return 0;
}
