/* SPDX-License-Identifier: MIT */
/*
 * Host hygiene: whatever way a run ends -- normally, with crashing and
 * hanging cases, on SIGINT or SIGTERM mid-case, or with the runner itself
 * SIGKILLed -- it leaves nothing behind in the namespace it started in,
 * no process and no network namespace.
 *
 * Only what a tfocheck run could have touched is compared, so that other
 * jobs on the machine (their own links, namespaces, sysctl changes) never
 * fail these tests:
 *  - links with the names topologies give their veths (cli0, srv0, rtr0,
 *    rtr1), addresses in the ranges they use (198.18.0.0/15,
 *    2001:2::/48, fe80::1, ::2, ::fe), nftables tables named tfocheck*;
 *  - the sysctls netns/topo.c and netns/fault.c write (in their own
 *    namespaces; a leak would change ours);
 *  - processes: the run is started in a session of its own and every
 *    process of that session, or running this tree's build/tfocheck,
 *    must be gone (we are the subreaper, so orphans come to us and are
 *    reaped as they die);
 *  - network namespaces: selftest.hang announces the inodes of its
 *    topology's namespaces once it is mid-case (cases/selftest.c), and no
 *    process of the run and no bind mount may hold any of them after the
 *    run.  (Namespace inode numbers are reused as soon as they are free,
 *    so a holder outside the run is another job's new namespace.)
 *  - cgroups and BPF programs: the run's own, named after the runner's
 *    pid (the jail's pids cgroups tfocheck.PID under every cgroup
 *    hierarchy, the compressed timers' cgroup v2 directory
 *    tfocheck.PID.timers and its sock_ops program tfo_rto_PID,
 *    harness/timers.h), must be gone after the run.  Mid-case the timers'
 *    directory and program must exist where this host compresses timers
 *    (a quick run's headline says whether), so the check can fail.
 * The signal tests wait for that announcement before they signal, and
 * fail loudly when it never comes.  A command the snapshot needs that
 * fails (missing tool) fails the test instead of emptying both sides.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <sys/syscall.h>

#include "harness/timers.h"
#include "util/util.h"
#include "tests/testlib.h"

#define HY_READY_MS 30000	/* selftest.hang reaches its body by then */
#define HY_GONE_MS 5000		/* the run's processes are gone by then */

/* ---- the host snapshot ---------------------------------------------- */

struct hy_buf {
	char *s;
	size_t len;
};

static void hy_add(struct hy_buf *b, const char *line)
{
	size_t n = strlen(line);
	char *s = realloc(b->s, b->len + n + 2);

	if (!s)
		return;
	b->s = s;
	memcpy(b->s + b->len, line, n);
	b->len += n;
	b->s[b->len++] = '\n';
	b->s[b->len] = 0;
}

/* the names topo_build() gives its veths */
static bool hy_link_ours(const char *line)
{
	static const char *const names[] = { "cli0", "srv0", "rtr0", "rtr1" };
	char name[64] = "";

	/* "7: cli0@if6: <...>" */
	if (sscanf(line, "%*d: %63[^:@ ]", name) != 1)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* the address ranges the topologies use */
static bool hy_addr_ours(const char *line)
{
	char fam[8], addr[64];
	unsigned char a[16];

	/* "7: cli0    inet 198.18.0.1/24 ..." */
	if (sscanf(line, "%*d: %*s %7s %63[^/ ]", fam, addr) != 2)
		return false;
	if (!strcmp(fam, "inet") && inet_pton(AF_INET, addr, a) == 1)
		return a[0] == 198 && (a[1] & 0xfe) == 18;
	if (!strcmp(fam, "inet6") && inet_pton(AF_INET6, addr, a) == 1) {
		static const unsigned char ll[15] = { 0xfe, 0x80 };

		if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 2)
			return true;
		return !memcmp(a, ll, 15) && (a[15] == 1 || a[15] == 2 || a[15] == 0xfe);
	}
	return false;
}

static bool hy_table_ours(const char *line)
{
	return strstr(line, "tfocheck") != NULL;
}

/* Run argv and keep the lines keep() accepts; false (with why) when the
 * command cannot run or fails. */
static bool hy_snap_cmd(struct hy_buf *b, const char *const *argv,
			bool (*keep)(const char *), char *why, size_t size)
{
	char *out = NULL, *err = NULL, *save = NULL;
	int rc = test_run_capture((char *const *)argv, &out, &err, 10000);

	if (rc) {
		snprintf(why, size, "'%s %s %s' exited %d%s: %.200s", argv[0],
			 argv[1], argv[2] ? argv[2] : "", rc,
			 rc == 127 ? " (not installed?)" : "", err ? err : "");
		free(out);
		free(err);
		return false;
	}
	for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (keep(l))
			hy_add(b, l);
	free(out);
	free(err);
	return true;
}

/* NULL (and why) when part of the snapshot cannot be taken */
static char *hy_snapshot(char *why, size_t size)
{
	static const char *const link[] = { "ip", "-o", "link", "show", NULL };
	static const char *const addr[] = { "ip", "-o", "addr", "show", NULL };
	static const char *const nft[] = { "nft", "list", "tables", NULL };
	/* every sysctl a run writes in the namespaces it makes */
	static const char *const sysctls[] = {
		"net/ipv4/tcp_fastopen",
		"net/ipv4/tcp_fastopen_blackhole_timeout_sec",
		"net/ipv4/ip_forward",
		"net/ipv4/icmp_ratelimit",
		"net/ipv6/icmp/ratelimit",
		"net/ipv6/conf/all/forwarding",
		"net/ipv6/conf/all/accept_dad",
		"net/ipv6/conf/default/accept_dad",
		"net/ipv6/conf/default/dad_transmits",
		"net/ipv6/conf/default/addr_gen_mode",
	};
	struct hy_buf b = { calloc(1, 1), 0 };

	if (!hy_snap_cmd(&b, link, hy_link_ours, why, size) ||
	    !hy_snap_cmd(&b, addr, hy_addr_ours, why, size) ||
	    !hy_snap_cmd(&b, nft, hy_table_ours, why, size)) {
		free(b.s);
		return NULL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sysctls); i++) {
		char path[160], val[128], line[300];
		int ret;

		snprintf(path, sizeof(path), "/proc/sys/%s", sysctls[i]);
		ret = util_file_read(path, val, sizeof(val));
		if (ret && ret != -ENOENT) {
			snprintf(why, size, "cannot read %s: %s", path,
				 util_errno_name(-ret));
			free(b.s);
			return NULL;
		}
		snprintf(line, sizeof(line), "%s=%s", sysctls[i],
			 ret ? "(absent)" : val);
		hy_add(&b, line);
	}
	return b.s;
}

/* A snapshot or a failed test saying why. */
static char *hy_snapshot_or_fail(void)
{
	char why[400] = "", msg[450];
	char *s = hy_snapshot(why, sizeof(why));

	if (!s) {
		snprintf(msg, sizeof(msg), "host snapshot: %s", why);
		CU_assertImplementation(CU_FALSE, __LINE__, msg, __FILE__, "",
					CU_FALSE);
	}
	return s;
}

/* Lines of a missing from b, printed with a prefix. */
static void hy_print_missing(const char *a, const char *b, const char *what)
{
	char *copy = strdup(a), *save = NULL;

	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *hit = strstr(b, l);

		if (!hit || (hit != b && hit[-1] != '\n') || (hit[strlen(l)] != '\n' && hit[strlen(l)]))
			fprintf(stderr, "\n    %s: %s", what, l);
	}
	free(copy);
}

static void hy_expect_clean(const char *before, const char *when)
{
	char *after = hy_snapshot_or_fail();

	if (!after)
		return;
	CU_ASSERT_STRING_EQUAL(before, after);
	if (strcmp(before, after)) {
		fprintf(stderr, "\n  host state changed %s:", when);
		hy_print_missing(after, before, "appeared");
		hy_print_missing(before, after, "gone");
		fputc('\n', stderr);
	}
	free(after);
}

/* ---- the run, its processes and namespaces ---------------------------- */

struct hy_run {
	pid_t pid;		/* the runner, leader of its own session */
	char dir[64];		/* TFOCHECK_SELFTEST_DIR, stdout */
	char exe[PATH_MAX];	/* realpath of build/tfocheck */
};

/* Start PROG ARGS... in a session of its own, stdout in DIR/out. */
static bool hy_start_argv(struct hy_run *r, const char *prog,
			  const char *const *args)
{
	char *argv[24], out[96];
	int n = 0;

	snprintf(r->dir, sizeof(r->dir), "/tmp/tfocheck-hygiene-XXXXXX");
	if (!mkdtemp(r->dir) || !realpath(TEST_TFOCHECK, r->exe)) {
		CU_FAIL("mkdtemp or realpath(build/tfocheck) failed");
		return false;
	}
	snprintf(out, sizeof(out), "%s/out", r->dir);
	argv[n++] = (char *)prog;
	while (*args && n < 23)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	fflush(NULL);
	r->pid = fork();
	if (r->pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open("/dev/null", O_WRONLY);

		setsid();
		setenv("TFOCHECK_SELFTEST_DIR", r->dir, 1);
		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	CU_ASSERT_FATAL(r->pid > 0);
	return true;
}

/* `tfocheck run ARGS...` */
static bool hy_start(struct hy_run *r, const char *const *args)
{
	const char *argv[24] = { "run" };
	int n = 1;

	while (*args && n < 23)
		argv[n++] = *args++;
	argv[n] = NULL;
	return hy_start_argv(r, TEST_TFOCHECK, argv);
}

/* The runner's wait status, killing its session's group after ms. */
static int hy_wait(struct hy_run *r, int ms, bool *late)
{
	double end = util_now_ms() + ms;
	int st = 0;

	*late = false;
	while (waitpid(r->pid, &st, WNOHANG) == 0) {
		if (util_now_ms() > end) {
			*late = true;
			kill(-r->pid, SIGKILL);
			waitpid(r->pid, &st, 0);
			break;
		}
		usleep(10000);
	}
	return st;
}

/* /proc/PID/stat: state and session, false for a process that is gone */
static bool hy_stat(pid_t pid, char *state, pid_t *sid)
{
	char path[64], buf[1024], *p;
	int s;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (util_file_read(path, buf, sizeof(buf)))
		return false;
	p = strrchr(buf, ')'); /* comm may hold spaces and parens */
	if (!p || sscanf(p + 1, " %c %*d %*d %d", state, &s) != 2)
		return false;
	*sid = s;
	return true;
}

static bool hy_is_ours(const struct hy_run *r, pid_t pid)
{
	char path[64], exe[PATH_MAX], state;
	ssize_t n;
	pid_t sid;

	if (!hy_stat(pid, &state, &sid) || state == 'Z')
		return false; /* a zombie holds nothing, and is reaped below */
	if (sid == r->pid)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = 0;
	return !strcmp(exe, r->exe);
}

/* Processes of the run still alive; the first few in what. */
static unsigned hy_count_procs(const struct hy_run *r, char *what, size_t size)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	unsigned n = 0;
	size_t off = 0;

	what[0] = 0;
	while (d && (e = readdir(d))) {
		pid_t pid = (pid_t)atoi(e->d_name);

		if (pid <= 0 || pid == getpid() || !hy_is_ours(r, pid))
			continue;
		if (n++ < 5)
			util_appendf(what, size, &off, " %d", (int)pid);
	}
	if (d)
		closedir(d);
	return n;
}

/* Reap what comes to us until no process of the run is left. */
static unsigned hy_wait_procs_gone(const struct hy_run *r, char *what, size_t size)
{
	double end = util_now_ms() + HY_GONE_MS;
	unsigned n;

	for (;;) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		n = hy_count_procs(r, what, size);
		if (!n || util_now_ms() > end)
			return n;
		usleep(10000);
	}
}

/* selftest.hang's announcement: its pid and namespace inodes */
struct hy_ready {
	int pid;
	unsigned long ino[4];
	int nino;
};

static bool hy_ready_read(const struct hy_run *r, struct hy_ready *h)
{
	char path[96], buf[256];

	memset(h, 0, sizeof(*h));
	snprintf(path, sizeof(path), "%s/hang.ready", r->dir);
	if (util_file_read(path, buf, sizeof(buf)))
		return false;
	h->nino = sscanf(buf, "%d %lu %lu %lu %lu", &h->pid, &h->ino[0],
			 &h->ino[1], &h->ino[2], &h->ino[3]) - 1;
	return h->nino >= 0;
}

/* Wait until the hang case is mid-case (or the runner is gone). */
static bool hy_wait_ready(const struct hy_run *r, struct hy_ready *h)
{
	double end = util_now_ms() + HY_READY_MS;

	while (util_now_ms() < end) {
		if (hy_ready_read(r, h))
			return true;
		siginfo_t si = { 0 };

		/* the runner gone (not reaped: hy_wait wants its status) */
		if (!waitid(P_PID, (id_t)r->pid, &si, WEXITED | WNOHANG | WNOWAIT) &&
		    si.si_pid == r->pid)
			break;
		usleep(5000);
	}
	return hy_ready_read(r, h);
}

/* Is net:[ino] held by a process of the run, or by a bind mount? */
static bool hy_ns_held(const struct hy_run *r, unsigned long ino, char *what,
		       size_t size)
{
	char want[48], line[1024];
	DIR *d = opendir("/proc");
	struct dirent *e;
	FILE *m;
	bool held = false;

	snprintf(want, sizeof(want), "net:[%lu]", ino);
	while (d && !held && (e = readdir(d))) {
		pid_t pid = (pid_t)atoi(e->d_name);
		char path[300], link[64];
		DIR *fd;
		struct dirent *f;
		ssize_t n;

		if (pid <= 0 || !hy_is_ours(r, pid))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0 && (link[n] = 0, !strcmp(link, want)))
			held = true;
		snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
		fd = opendir(path);
		while (fd && !held && (f = readdir(fd))) {
			snprintf(path, sizeof(path), "/proc/%d/fd/%s", (int)pid,
				 f->d_name);
			n = readlink(path, link, sizeof(link) - 1);
			if (n > 0 && (link[n] = 0, !strcmp(link, want)))
				held = true;
		}
		if (fd)
			closedir(fd);
		if (held)
			snprintf(what, size, "%s held by process %d", want, (int)pid);
	}
	if (d)
		closedir(d);
	m = fopen("/proc/self/mountinfo", "r");
	while (m && !held && fgets(line, sizeof(line), m))
		if (strstr(line, want) && strstr(line, " nsfs ")) {
			held = true;
			line[strcspn(line, "\n")] = 0;
			snprintf(what, size, "%s bind-mounted: %.200s", want, line);
		}
	if (m)
		fclose(m);
	return held;
}

/* After the run: no process of it, none of the hang case's namespaces. */
static void hy_expect_nothing_left(const struct hy_run *r, const struct hy_ready *h)
{
	char what[300], msg[400];
	unsigned n = hy_wait_procs_gone(r, what, sizeof(what));

	snprintf(msg, sizeof(msg), "expected no process of the run after %d ms; observed %u:%s",
		 HY_GONE_MS, n, what);
	CU_assertImplementation(n == 0, __LINE__, msg, __FILE__, "", CU_FALSE);
	for (int i = 0; h && i < h->nino; i++) {
		bool held = hy_ns_held(r, h->ino[i], what, sizeof(what));

		snprintf(msg, sizeof(msg), "expected the hang case's namespaces gone; observed %s", what);
		CU_assertImplementation(!held, __LINE__, msg, __FILE__, "", CU_FALSE);
	}
}

static void hy_done(struct hy_run *r)
{
	char *argv[] = { "rm", "-rf", r->dir, NULL };

	test_run_capture(argv, NULL, NULL, 10000);
}

/* The announcement says the routed topology (3 namespaces) existed. */
static void hy_expect_ready(bool ready, const struct hy_ready *h, const char *when)
{
	char msg[300];

	snprintf(msg, sizeof(msg), "precondition: selftest.hang was to announce itself mid-case with its 3 namespaces %s; observed %s (%d namespaces)",
		 when, ready ? "an announcement" : "none", ready ? h->nino : 0);
	CU_assertImplementation(ready && h->nino == 3, __LINE__, msg, __FILE__,
				"", CU_FALSE);
}

/* ---- the run's cgroups and BPF programs --------------------------------- */

/* Does name belong to the run of pid: "tfocheck.PID" or "tfocheck.PID.*"? */
static bool hy_cgroup_ours(const char *name, pid_t pid)
{
	char pre[32];
	size_t n = (size_t)snprintf(pre, sizeof(pre), "tfocheck.%d", (int)pid);

	return !strncmp(name, pre, n) && (!name[n] || name[n] == '.');
}

/* The mount point of the hierarchy a /proc/self/cgroup line's controller
 * list names ("" for cgroup v2). */
static bool hy_cgroup_mount(const char *ctrls, char *mnt, size_t size)
{
	char line[1024];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - "), point[512], fs[32], src[64], opts[256];
		bool all = true;

		if (!sep || sscanf(line, "%*s %*s %*s %*s %511s", point) != 1 ||
		    sscanf(sep + 3, "%31s %63s %255s", fs, src, opts) != 3)
			continue;
		if (!ctrls[0]) {
			found = !strcmp(fs, "cgroup2");
		} else if (!strcmp(fs, "cgroup")) {
			char want[256], all_opts[260], *save = NULL;

			snprintf(want, sizeof(want), "%s", ctrls);
			snprintf(all_opts, sizeof(all_opts), ",%s,", opts);
			for (char *c = strtok_r(want, ",", &save); c && all;
			     c = strtok_r(NULL, ",", &save)) {
				char o[260];

				snprintf(o, sizeof(o), ",%s,", c);
				all = strstr(all_opts, o) != NULL;
			}
			found = all;
		}
		if (found)
			snprintf(mnt, size, "%s", point);
	}
	if (f)
		fclose(f);
	return found;
}

static long hy_bpf(int cmd, union bpf_attr *a)
{
	return syscall(__NR_bpf, cmd, a, sizeof(*a));
}

/*
 * What the run of pid left or holds: cgroup directories of its own in
 * every hierarchy this process is in (the runner was started in the same
 * ones), and BPF programs named TIMERS_PROG_PREFIX PID.  Returns how many;
 * what names them.  *timers_dir / *timers_prog: whether the timers'
 * directory and program were among them.
 */
static unsigned hy_run_objects(pid_t pid, char *what, size_t size,
			       bool *timers_dir, bool *timers_prog)
{
	char line[1024], name[32], tdir[64];
	FILE *f = fopen("/proc/self/cgroup", "r");
	union bpf_attr a;
	uint32_t id = 0;
	size_t off = 0;
	unsigned n = 0;

	what[0] = 0;
	*timers_dir = *timers_prog = false;
	snprintf(tdir, sizeof(tdir), TIMERS_CGROUP_FMT, (int)pid);
	while (f && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		char mnt[512], dir[1100];
		struct dirent *e;
		DIR *d;

		if (!c2)
			continue;
		*c2 = 0;
		c2[1 + strcspn(c2 + 1, "\n")] = 0;
		if (!hy_cgroup_mount(c1 + 1, mnt, sizeof(mnt)))
			continue;
		snprintf(dir, sizeof(dir), "%s%s", mnt, strcmp(c2 + 1, "/") ? c2 + 1 : "");
		d = opendir(dir);
		while (d && (e = readdir(d)))
			if (hy_cgroup_ours(e->d_name, pid)) {
				n++;
				util_appendf(what, size, &off, " cgroup %s/%s", dir, e->d_name);
				if (!c1[1] && !strcmp(e->d_name, tdir))
					*timers_dir = true;
			}
		if (d)
			closedir(d);
	}
	if (f)
		fclose(f);
	snprintf(name, sizeof(name), TIMERS_PROG_PREFIX "%d", (int)pid);
	for (;;) {
		struct bpf_prog_info info;
		int fd;

		memset(&a, 0, sizeof(a));
		a.start_id = id;
		if (hy_bpf(BPF_PROG_GET_NEXT_ID, &a))
			break;
		id = a.next_id;
		memset(&a, 0, sizeof(a));
		a.prog_id = id;
		fd = (int)hy_bpf(BPF_PROG_GET_FD_BY_ID, &a);
		if (fd < 0)
			continue; /* gone meanwhile */
		memset(&info, 0, sizeof(info));
		memset(&a, 0, sizeof(a));
		a.info.bpf_fd = (uint32_t)fd;
		a.info.info_len = sizeof(info);
		a.info.info = (uint64_t)(uintptr_t)&info;
		if (!hy_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) &&
		    !strncmp(info.name, name, sizeof(info.name))) {
			n++;
			*timers_prog = true;
			util_appendf(what, size, &off, " bpf program %u %s", id, name);
		}
		close(fd);
	}
	return n;
}

/* Does a run on this host compress timers?  Asked once, of a quick run's
 * headline; why: the headline's reason when not. */
static bool hy_timers_expected(char *why, size_t size)
{
	static int known = -1;
	static char reason[300];

	if (known < 0) {
		char *argv[] = { TEST_TFOCHECK, "run", "--api", "selftest",
				 "--filter", "selftest.pass", NULL };
		char *out = NULL, *p;

		test_run_capture(argv, &out, NULL, 30000);
		p = out ? strstr(out, "; real timers: ") : NULL;
		known = out && strstr(out, "; timers compressed (initial RTO ");
		snprintf(reason, sizeof(reason), "%.*s", p ? (int)strcspn(p + 15, "\n") : 40,
			 p ? p + 15 : "no headline from tfocheck run");
		free(out);
	}
	snprintf(why, size, "%s", reason);
	return known == 1;
}

/* After the run: none of its cgroups and programs (the janitor and the
 * kernel remove them; allow them a moment). */
static void hy_expect_objects_gone(pid_t pid)
{
	char what[600], msg[700];
	double end = util_now_ms() + HY_GONE_MS;
	bool dir, prog;
	unsigned n;

	while ((n = hy_run_objects(pid, what, sizeof(what), &dir, &prog)) &&
	       util_now_ms() < end)
		usleep(10000);
	snprintf(msg, sizeof(msg), "expected none of the run's cgroups and BPF programs after it; observed %u:%s",
		 n, what);
	CU_assertImplementation(n == 0, __LINE__, msg, __FILE__, "", CU_FALSE);
}

/* Mid-case: the timers' directory and program exist, where compressed. */
static void hy_expect_timers_live(pid_t pid)
{
	char what[600], why[300], msg[1000];
	bool dir, prog;

	if (!hy_timers_expected(why, sizeof(why))) {
		test_skip("timers are not compressed on this host (%s): their cgroup and program cannot be looked for", why);
		return;
	}
	hy_run_objects(pid, what, sizeof(what), &dir, &prog);
	snprintf(msg, sizeof(msg), "precondition: expected the timers' cgroup " TIMERS_CGROUP_FMT " and program " TIMERS_PROG_PREFIX "%d mid-run; observed:%s",
		 (int)pid, (int)pid, what[0] ? what : " neither");
	CU_assertImplementation(dir && prog, __LINE__, msg, __FILE__, "", CU_FALSE);
}

/* ---- the tests ----------------------------------------------------------- */

static void test_clean_after_every_outcome(void)
{
	static const char *const args[] = { "--api", "selftest", "--timeout",
					     "1000", "-j", "8", NULL };
	struct hy_run r;
	struct hy_ready h;
	char *before, path[96], out[65536] = "";
	bool late, ready;
	int st;

	if (!test_is_root()) {
		test_skip("needs root");
		return;
	}
	before = hy_snapshot_or_fail();
	if (!before || !hy_start(&r, args)) {
		free(before);
		return;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	st = hy_wait(&r, 30000, &late);
	CU_ASSERT_FALSE(late);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	snprintf(path, sizeof(path), "%s/out", r.dir);
	util_file_read(path, out, sizeof(out));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "CRASH 1, TIMEOUT 1"));
	ready = hy_ready_read(&r, &h);
	hy_expect_ready(ready, &h, "before its timeout");
	hy_expect_nothing_left(&r, ready ? &h : NULL);
	hy_expect_objects_gone(r.pid);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	hy_expect_clean(before, "after a run with crashing and hanging cases");
	hy_done(&r);
	free(before);
}

/* Start a run whose case hangs, then signal the runner mid-case. */
static void signal_mid_run(int sig, int want_rc)
{
	static const char *const args[] = { "--api", "selftest", "--filter",
					     "selftest.hang", "--filter",
					     "selftest.pass", "--timeout",
					     "60000", "-j", "2", NULL };
	struct hy_run r;
	struct hy_ready h;
	char *before;
	bool late, ready;
	int st;

	if (!test_is_root()) {
		test_skip("needs root");
		return;
	}
	before = hy_snapshot_or_fail();
	if (!before || !hy_start(&r, args)) {
		free(before);
		return;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* not a sleep: the case itself says it is mid-case */
	ready = hy_wait_ready(&r, &h);
	hy_expect_ready(ready, &h, "before the signal");
	hy_expect_timers_live(r.pid);
	kill(r.pid, sig);
	st = hy_wait(&r, 20000, &late);
	CU_ASSERT_FALSE(late);
	if (want_rc >= 0) {
		CU_ASSERT(WIFEXITED(st));
		CU_ASSERT_EQUAL(WEXITSTATUS(st), want_rc);
	} else {
		CU_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == sig);
	}
	/* PR_SET_PDEATHSIG / the runner's own kill: no case process stays */
	hy_expect_nothing_left(&r, ready ? &h : NULL);
	hy_expect_objects_gone(r.pid);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	hy_expect_clean(before, "after a signal mid-run");
	hy_done(&r);
	free(before);
}

static void test_clean_after_sigint(void)
{
	signal_mid_run(SIGINT, 130);
}

static void test_clean_after_sigterm(void)
{
	signal_mid_run(SIGTERM, 130);
}

static void test_clean_after_sigkill(void)
{
	signal_mid_run(SIGKILL, -1);
}

/* The comparison sees what it must: a link, address, table or sysctl a
 * leak would leave is kept, another job's is not. */
static void test_snapshot_filters(void)
{
	CU_ASSERT_TRUE(hy_link_ours("7: cli0@if6: <BROADCAST,MULTICAST,UP> mtu 1500"));
	CU_ASSERT_TRUE(hy_link_ours("9: rtr1: <BROADCAST> mtu 1500"));
	CU_ASSERT_FALSE(hy_link_ours("4: eth0: <BROADCAST,UP> mtu 1500"));
	CU_ASSERT_FALSE(hy_link_ours("5: cli00@if3: <BROADCAST> mtu 1500"));
	CU_ASSERT_TRUE(hy_addr_ours("7: cli0    inet 198.18.0.1/24 scope global cli0"));
	CU_ASSERT_TRUE(hy_addr_ours("9: rtr1    inet 198.19.0.254/24 scope global rtr1"));
	CU_ASSERT_TRUE(hy_addr_ours("7: cli0    inet6 2001:2::1/64 scope global"));
	CU_ASSERT_TRUE(hy_addr_ours("7: cli0    inet6 fe80::fe/64 scope link"));
	CU_ASSERT_FALSE(hy_addr_ours("4: eth0    inet 192.0.2.2/24 brd 192.0.2.255"));
	CU_ASSERT_FALSE(hy_addr_ours("4: eth0    inet6 fe80::a8c1:abff:fe12:3456/64 scope link"));
	CU_ASSERT_FALSE(hy_addr_ours("4: eth0    inet6 2001:3::1/64 scope global"));
	CU_ASSERT_TRUE(hy_table_ours("table inet tfocheck_fault"));
	CU_ASSERT_FALSE(hy_table_ours("table inet filter"));
}

/* A missing tool fails the snapshot instead of emptying both sides. */
static void test_snapshot_needs_its_tools(void)
{
	static const char *const argv[] = { "tfocheck-no-such-tool", "list", "tables", NULL };
	struct hy_buf b = { calloc(1, 1), 0 };
	char why[300] = "";

	CU_ASSERT_FALSE(hy_snap_cmd(&b, argv, hy_table_ours, why, sizeof(why)));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "exited 127 (not installed?)"));
	free(b.s);
}

/*
 * Planted leftovers: the accounting sees them.  (a) A "run" (sh) that
 * leaves a sleep behind in its session: counted.  (b) In a child with a
 * private mount namespace, a fresh network namespace held first by a
 * process of the "run" (the child, a session leader) and then only by a
 * bind mount: held both times.  The child's mounts die with it.
 */
static int hy_planted_ns_child(char *why, size_t size)
{
	struct hy_run fake = { .pid = getpid() };
	char file[] = "/tmp/tfocheck-hygiene-ns-XXXXXX";
	struct stat st;
	int back, fd, ret = 1;

	if (setsid() < 0 || unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return 2;
	back = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	fd = mkstemp(file);
	if (back < 0 || fd < 0 || unshare(CLONE_NEWNET) ||
	    mount("/proc/self/ns/net", file, NULL, MS_BIND, NULL) ||
	    stat(file, &st))
		goto out;
	snprintf(fake.exe, sizeof(fake.exe), "/nonexistent");
	if (!hy_ns_held(&fake, (unsigned long)st.st_ino, why, size) ||
	    !strstr(why, "held by process"))
		goto out;
	if (setns(back, CLONE_NEWNET) ||
	    !hy_ns_held(&fake, (unsigned long)st.st_ino, why, size) ||
	    !strstr(why, "bind-mounted"))
		goto out;
	ret = 0;
out:
	if (fd >= 0) {
		umount2(file, MNT_DETACH);
		close(fd);
		unlink(file);
	}
	return ret;
}

/* (c) A cgroup v2 directory named like a run's timers directory, in our
 * own cgroup: seen as the run's (as its timers directory), then gone. */
static void hy_planted_cgroup(void)
{
	char line[1024] = "", mnt[512], dir[1200], what[600];
	bool tdir, prog;
	unsigned n;

	if (util_file_read("/proc/self/cgroup", line, sizeof(line)) ||
	    !strstr(line, "0::") || !hy_cgroup_mount("", mnt, sizeof(mnt))) {
		test_skip("no cgroup v2 hierarchy here: a planted timers cgroup cannot be made");
		return;
	}
	*strchrnul(strstr(line, "0::"), '\n') = 0;
	snprintf(dir, sizeof(dir), "%s%s/" TIMERS_CGROUP_FMT, mnt,
		 strcmp(strstr(line, "0::") + 3, "/") ? strstr(line, "0::") + 3 : "",
		 (int)getpid());
	CU_ASSERT_FATAL(mkdir(dir, 0755) == 0);
	n = hy_run_objects(getpid(), what, sizeof(what), &tdir, &prog);
	rmdir(dir);
	printf("\n      planted cgroup:%s", what);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_TRUE(tdir);
	CU_ASSERT_FALSE(prog);
	CU_ASSERT_EQUAL(hy_run_objects(getpid(), what, sizeof(what), &tdir, &prog), 0);
}

static void test_leftovers_are_seen(void)
{
	static const char *const args[] = { "-c", "sleep 5 & exit 0", NULL };
	struct hy_run r = { 0 };
	char what[300];
	bool late;
	unsigned n;
	int st = 0, p[2];
	pid_t pid;

	if (!test_is_root()) {
		test_skip("needs root");
		return;
	}
	CU_ASSERT_FATAL(hy_start_argv(&r, "/bin/sh", args));
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	hy_wait(&r, 5000, &late);
	n = hy_count_procs(&r, what, sizeof(what));
	CU_ASSERT_EQUAL(n, 1);
	if (n != 1)
		printf("\n      expected the one orphaned sleep; observed %u processes:%s%s",
		       n, what, late ? " (the shell had not exited within 5 s)" : "");
	kill(-r.pid, SIGKILL); /* the sleep is the group's last member */
	CU_ASSERT_EQUAL(hy_wait_procs_gone(&r, what, sizeof(what)), 0);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	hy_done(&r);

	CU_ASSERT_FATAL(pipe(p) == 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char why[300] = "";
		int ret = hy_planted_ns_child(why, sizeof(why));

		(void)!write(p[1], why, strlen(why));
		_exit(ret);
	}
	close(p[1]);
	memset(what, 0, sizeof(what));
	(void)!read(p[0], what, sizeof(what) - 1);
	close(p[0]);
	waitpid(pid, &st, 0);
	printf("\n      planted namespace: %s", what);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	hy_planted_cgroup();
}

TEST_SUITE(hygiene, NULL, NULL,
	   { "leftover processes, namespaces and cgroups are seen (planted)",
	     test_leftovers_are_seen },
	   { "the snapshot keeps what a run could leave", test_snapshot_filters },
	   { "a snapshot tool that fails fails the test", test_snapshot_needs_its_tools },
	   { "clean after crash, hang, fail", test_clean_after_every_outcome },
	   { "clean after SIGINT mid-case", test_clean_after_sigint },
	   { "clean after SIGTERM mid-case", test_clean_after_sigterm },
	   { "clean after SIGKILL of the runner", test_clean_after_sigkill })
