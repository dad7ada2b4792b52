/* SPDX-License-Identifier: MIT */
/*
 * The case jail (see jail.h): a PID namespace per job with a minimal init,
 * limits for the worker, and pids cgroups kept tidy by a janitor process.
 *
 * The init process is created with glibc's clone() rather than fork():
 * it must be pid 1 of a new namespace, and only clone() asks for that per
 * child.  It runs on its own copy of a small stack and only calls
 * async-signal-safe functions plus fork(), which resets glibc's view of
 * the process for the worker.
 */
#include "harness/jail.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"

#define INIT_STACK (256 * 1024)

static struct {
	char dir[1024];		/* the run's pids cgroup, "" when none */
	char join[1024];	/* a cgroup v2 directory jobs join, "" when none */
	size_t nslots;
	pid_t janitor;
	int janitor_fd;		/* write end; EOF tells the janitor to clean */
	char describe[1400];
} jail = { .janitor = -1, .janitor_fd = -1 };

const char *jail_describe(void)
{
	return jail.describe;
}

/* ---- pids cgroups ------------------------------------------------- */

/* The mount point of a cgroup v1 hierarchy with the pids controller. */
static int find_pids_v1(char *mnt, size_t size)
{
	char line[1024];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - "), point[512], fs[32], src[64], opts[256];

		if (!sep || sscanf(line, "%*s %*s %*s %*s %511s", point) != 1 ||
		    sscanf(sep + 3, "%31s %63s %255s", fs, src, opts) != 3)
			continue;
		if (strcmp(fs, "cgroup"))
			continue;
		for (char *o = strtok(opts, ","); o; o = strtok(NULL, ","))
			if (!strcmp(o, "pids")) {
				snprintf(mnt, size, "%s", point);
				ret = 0;
			}
	}
	fclose(f);
	return ret;
}

/* This process's path in the v1 pids hierarchy ("/" or "/a/b"). */
static int own_pids_path(char *path, size_t size)
{
	char line[1024];
	FILE *f = fopen("/proc/self/cgroup", "r");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		*c2 = 0;
		if (strcmp(c1 + 1, "pids"))
			continue;
		c2[1 + strcspn(c2 + 1, "\n")] = 0;
		snprintf(path, size, "%s", c2 + 1);
		ret = 0;
	}
	fclose(f);
	return ret;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;
	size_t n = strlen(s);

	if (fd < 0)
		return -errno;
	if (write(fd, s, n) != (ssize_t)n)
		ret = -errno;
	close(fd);
	return ret;
}

/* Kill what is left in a cgroup directory, then remove it. */
static void cgroup_remove(const char *dir, int tries)
{
	char procs[1200], buf[4096];

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	for (int i = 0; i < tries; i++) {
		int fd;
		ssize_t n;

		if (rmdir(dir) == 0 || errno == ENOENT)
			return;
		fd = open(procs, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			buf[n > 0 ? n : 0] = 0;
			for (char *p = strtok(buf, "\n"); p; p = strtok(NULL, "\n"))
				kill((pid_t)atoi(p), SIGKILL);
		}
		usleep(10000);
	}
}

static void cgroups_remove(const char *dir, size_t nslots, int tries)
{
	char slot[1200];

	if (!dir[0])
		return;
	for (size_t i = 0; i < nslots; i++) {
		snprintf(slot, sizeof(slot), "%s/slot%zu", dir, i);
		cgroup_remove(slot, tries);
	}
	cgroup_remove(dir, tries);
}

static int cgroups_create(size_t nslots)
{
	char mnt[512], own[256], slot[1200], val[32];
	int ret;

	ret = find_pids_v1(mnt, sizeof(mnt));
	if (ret) {
		snprintf(jail.describe, sizeof(jail.describe),
			 "no pids cgroup (no cgroup v1 pids hierarchy is mounted): a fork bomb is bounded only by RLIMIT_NPROC");
		return ret;
	}
	ret = own_pids_path(own, sizeof(own));
	if (ret)
		return ret;
	snprintf(jail.dir, sizeof(jail.dir), "%s%s/tfocheck.%d", mnt,
		 strcmp(own, "/") ? own : "", (int)getpid());
	if (mkdir(jail.dir, 0755)) {
		ret = -errno;
		snprintf(jail.describe, sizeof(jail.describe),
			 "no pids cgroup (%s: %s): a fork bomb is bounded only by RLIMIT_NPROC",
			 jail.dir, strerror(errno));
		jail.dir[0] = 0;
		return ret;
	}
	snprintf(val, sizeof(val), "%d\n", JAIL_PIDS_MAX);
	for (size_t i = 0; i < nslots; i++) {
		snprintf(slot, sizeof(slot), "%s/slot%zu", jail.dir, i);
		if (mkdir(slot, 0755) && errno != EEXIST)
			ret = -errno;
		snprintf(slot, sizeof(slot), "%s/slot%zu/pids.max", jail.dir, i);
		if (!ret)
			ret = write_str(slot, val);
		if (ret)
			break;
	}
	if (ret) {
		snprintf(jail.describe, sizeof(jail.describe),
			 "no pids cgroup (%s: %s)", jail.dir, strerror(-ret));
		cgroups_remove(jail.dir, nslots, 1);
		jail.dir[0] = 0;
		return ret;
	}
	snprintf(jail.describe, sizeof(jail.describe),
		 "pids cgroup v1 %s (%d per case)", jail.dir, JAIL_PIDS_MAX);
	return 0;
}

/*
 * The janitor outlives a SIGKILLed runner: it waits for EOF on a pipe
 * only the runner holds open (case processes close their copies first
 * thing), then removes the cgroups: the pids cgroups it knew of when it
 * was forked, and every directory the runner named on the pipe since
 * (jail_cgroup_join(), one path a line).  Its own session keeps it out of
 * the signals a terminal sends the runner's process group.
 */
static void janitor_main(int in)
{
	char buf[8192];
	size_t len = 0;

	setsid();
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	dup2(in, 0);
	close_range(1, ~0U, 0);
	for (;;) {
		ssize_t n = read(0, buf + len, sizeof(buf) - 1 - len);

		if (n == 0 || (n < 0 && errno != EINTR))
			break;
		if (n > 0)
			len += (size_t)n;
		if (len == sizeof(buf) - 1)
			len = 0; /* more than a run names: not the runner */
	}
	buf[len] = 0;
	cgroups_remove(jail.dir, jail.nslots, 300);
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		const char *base = strrchr(l, '/');

		/* only what the runner names: its own cgroups */
		if (l[0] == '/' && base && !strncmp(base + 1, "tfocheck.", 9))
			cgroup_remove(l, 300);
	}
	_exit(0);
}

static int janitor_start(void)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (pid == 0)
		janitor_main(p[0]);
	close(p[0]);
	jail.janitor = pid;
	jail.janitor_fd = p[1];
	return 0;
}

int jail_init(size_t nslots)
{
	jail.nslots = nslots;
	jail.join[0] = 0;
	/* degraded, not fatal: jail_describe() says why; the janitor is
	 * also there for the directories jail_cgroup_join() names */
	cgroups_create(nslots);
	if (janitor_start() && jail.dir[0]) {
		cgroups_remove(jail.dir, nslots, 1);
		jail.dir[0] = 0;
		snprintf(jail.describe, sizeof(jail.describe),
			 "no pids cgroup (cannot start the janitor that would remove it)");
	}
	return 0;
}

int jail_cgroup_join(const char *dir)
{
	char line[1100];
	int n;

	if (!dir || !dir[0]) {
		jail.join[0] = 0;
		return 0;
	}
	if (jail.janitor_fd < 0)
		return -ECHILD;
	/* the janitor learns of it before any job joins */
	n = snprintf(line, sizeof(line), "%s\n", dir);
	if (n >= (int)sizeof(line) || n >= (int)sizeof(jail.join))
		return -ENAMETOOLONG;
	if (write(jail.janitor_fd, line, (size_t)n) != n)
		return errno ? -errno : -EIO;
	snprintf(jail.join, sizeof(jail.join), "%s", dir);
	return 0;
}

void jail_done(void)
{
	cgroups_remove(jail.dir, jail.nslots, 300);
	jail.dir[0] = 0;
	if (jail.join[0])
		cgroup_remove(jail.join, 300);
	jail.join[0] = 0;
	if (jail.janitor_fd >= 0)
		close(jail.janitor_fd);
	jail.janitor_fd = -1;
	if (jail.janitor > 0)
		waitpid(jail.janitor, NULL, 0);
	jail.janitor = -1;
}

long jail_pids_refused(size_t slot)
{
	char path[1200], buf[128], *m;
	int fd;
	ssize_t n;

	if (!jail.dir[0])
		return -1;
	snprintf(path, sizeof(path), "%s/slot%zu/pids.events", jail.dir, slot);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	m = strstr(buf, "max ");
	return m ? atol(m + 4) : -1;
}

/* ---- the job ------------------------------------------------------ */

static void worker_limits(void)
{
	struct rlimit zero = { 0, 0 }, nofile = { JAIL_NOFILE, JAIL_NOFILE };

	setrlimit(RLIMIT_CORE, &zero);
	setrlimit(RLIMIT_NOFILE, &nofile);
#if !defined(__SANITIZE_ADDRESS__)
	{
		/* ASan reserves terabytes of address space up front */
		struct rlimit as = { JAIL_AS_BYTES, JAIL_AS_BYTES };

		setrlimit(RLIMIT_AS, &as);
	}
#endif
	if (!jail.dir[0]) {
		/* only where no cgroup bounds it: root is exempt anyway */
		struct rlimit np = { JAIL_PIDS_MAX, JAIL_PIDS_MAX };

		if (geteuid() != 0)
			setrlimit(RLIMIT_NPROC, &np);
	}
}

static int init_main(void *arg)
{
	const struct jail_job *j = arg;
	int status = 0, nul;
	pid_t w, p;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (jail.dir[0]) {
		char procs[1200];

		snprintf(procs, sizeof(procs), "%s/slot%zu/cgroup.procs",
			 jail.dir, j->slot);
		(void)write_str(procs, "0\n");
	}
	if (jail.join[0] && !j->real_timers) {
		char procs[1100];
		int ret;

		/* the case's sockets get the timers the case was told of, or
		 * the case does not run */
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", jail.join);
		ret = write_str(procs, "0\n");
		if (ret) {
			j->frame->worker_status = ret;
			j->frame->worker_ended = 2;
			_exit(1);
		}
	}
	/* nothing of the runner's but the capture file */
	nul = open("/dev/null", O_RDONLY);
	dup2(nul, 0);
	dup2(j->out_fd, 1);
	dup2(j->out_fd, 2);
	if (j->wake_fd > 0 && dup2(j->wake_fd, JAIL_WAKE_FD) == JAIL_WAKE_FD)
		close_range(JAIL_WAKE_FD + 1, ~0U, 0);
	else
		close_range(3, ~0U, 0);
	w = fork();
	if (w == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGPIPE, SIG_DFL);
		worker_limits();
		j->worker(j->arg);
		_exit(0);
	}
	if (w < 0) {
		j->frame->worker_status = -errno;
		j->frame->worker_ended = 2;
		_exit(1);
	}
	/* pid 1 inherits every orphan of the namespace; only the worker's
	 * end matters, and init's exit then ends all of them */
	while ((p = waitpid(-1, &status, 0)) != w)
		if (p < 0 && errno != EINTR)
			break;
	j->frame->worker_status = status;
	__atomic_store_n(&j->frame->worker_ended, 1, __ATOMIC_RELEASE);
	_exit(0);
}

pid_t jail_spawn(const struct jail_job *j)
{
	char *stack = malloc(INIT_STACK);
	pid_t pid;

	if (!stack)
		return -ENOMEM;
	fflush(NULL);
	pid = clone(init_main, stack + INIT_STACK, CLONE_NEWPID | SIGCHLD,
		    (void *)j);
	free(stack);
	if (pid < 0)
		return -errno;
	return pid;
}
