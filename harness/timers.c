/* SPDX-License-Identifier: MIT */
/*
 * Compressed kernel timers (see timers.h): the run's cgroup v2 directory,
 * the sock_ops program written as raw bpf(2) instructions, its link, the
 * proof that sockets in the directory get the compressed RTO, and the
 * kernel's HZ the program's answer (in jiffies) is derived from.
 *
 * The state is per run and lives in the runner; case processes only join
 * the directory (harness/jail.c) and never hold the descriptors: init
 * closes everything above 2 before it forks the worker, so the link goes
 * when the runner goes.
 */
#include "harness/timers.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/jail.h"
#include "util/util.h"

extern char **environ;

static struct {
	struct timers_info info;
	char dir[1024];		/* the run's cgroup v2 directory, "" when none */
	int prog_fd, link_fd, cg_fd;
} tm = {
	.info = { .rto_ms = TIMERS_REAL_RTO_MS, .why = "not started" },
	.prog_fd = -1, .link_fd = -1, .cg_fd = -1,
};

const struct timers_info *timers_info(void)
{
	return &tm.info;
}

const char *timers_cgroup(void)
{
	return tm.dir;
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* ---- the kernel's HZ ----------------------------------------------- */

/* CONFIG_HZ=N in a config text stream; 0 when absent. */
static unsigned int hz_from_config(FILE *f)
{
	char line[256];
	unsigned int hz = 0;

	while (!hz && fgets(line, sizeof(line), f))
		if (!strncmp(line, "CONFIG_HZ=", 10))
			hz = (unsigned int)strtoul(line + 10, NULL, 10);
	return hz;
}

/* /proc/config.gz through gzip (essential in Debian, an applet in
 * busybox): a decompressor of our own is not worth it for one line. */
static unsigned int hz_from_config_gz(void)
{
	char *argv[] = { "gzip", "-dc", "/proc/config.gz", NULL };
	posix_spawn_file_actions_t fa;
	unsigned int hz = 0;
	int p[2], st;
	pid_t pid;
	FILE *f;

	if (access("/proc/config.gz", R_OK) || pipe2(p, O_CLOEXEC))
		return 0;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "gzip", &fa, NULL, argv, environ))
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	f = fdopen(p[0], "r");
	if (!f) {
		close(p[0]);
	} else {
		hz = hz_from_config(f);
		fclose(f); /* gzip may get SIGPIPE: we have our line */
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	return hz;
}

/*
 * Measured: a jiffies-backed millisecond sysctl stores 1 ms as one jiffy
 * (rounded up) and reads back the length of a jiffy in ms (rounded up).
 * In a child with a network namespace of its own, so nothing we can see
 * changes.  Exact for HZ 100, 250 and 1000; HZ 300 reads as 250, which
 * the measured RTO then shows.
 */
static unsigned int hz_calibrate(void)
{
	int p[2], st;
	long ms = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return 0;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		const char *path = "/proc/sys/net/ipv4/neigh/lo/retrans_time_ms";
		char buf[32] = "";
		long v = 0;

		if (!unshare(CLONE_NEWNET) && !util_file_write(path, "1") &&
		    !util_file_read(path, buf, sizeof(buf)))
			v = strtol(buf, NULL, 10);
		(void)!write(p[1], &v, sizeof(v));
		_exit(0);
	}
	close(p[1]);
	if (pid > 0) {
		if (read(p[0], &ms, sizeof(ms)) != (ssize_t)sizeof(ms))
			ms = 0;
		waitpid(pid, &st, 0);
	}
	close(p[0]);
	return ms > 0 && ms <= 1000 ? (unsigned int)(1000 / ms) : 0;
}

int timers_kernel_hz(unsigned int *hz, char *src, size_t size)
{
	struct utsname u;
	char path[300];
	FILE *f;

	*hz = 0;
	uname(&u);
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	f = fopen(path, "re");
	if (f) {
		*hz = hz_from_config(f);
		fclose(f);
		if (*hz) {
			snprintf(src, size, "CONFIG_HZ in %s", path);
			return 0;
		}
	}
	*hz = hz_from_config_gz();
	if (*hz) {
		snprintf(src, size, "CONFIG_HZ in /proc/config.gz");
		return 0;
	}
	*hz = hz_calibrate();
	if (*hz) {
		snprintf(src, size, "measured (neigh retrans_time_ms: a jiffy is %u ms)",
			 1000 / *hz);
		return 0;
	}
	*hz = 250;
	snprintf(src, size, "assumed (no kernel config, calibration failed)");
	return -ENOENT;
}

/* ---- the cgroup v2 directory ---------------------------------------- */

/* Mount point of the cgroup v2 hierarchy. */
static int find_v2_mount(char *mnt, size_t size)
{
	char line[1024];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - "), point[512], fs[32];

		if (!sep || sscanf(line, "%*s %*s %*s %*s %511s", point) != 1 ||
		    sscanf(sep + 3, "%31s", fs) != 1 || strcmp(fs, "cgroup2"))
			continue;
		snprintf(mnt, size, "%s", point);
		ret = 0;
	}
	fclose(f);
	return ret;
}

/* This process's cgroup v2 path ("/" or "/a/b"), the "0::" line. */
static int own_v2_path(char *path, size_t size)
{
	char line[1024];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = 0;
		snprintf(path, size, "%.*s", (int)(size - 1), line + 3);
		ret = 0;
	}
	fclose(f);
	return ret;
}

/* ---- the program ------------------------------------------------------ */

#define INSN(c, d, s, o, i)                                                  \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s),     \
			    .off = (o), .imm = (i) })

/*
 *	r2 = ctx->op
 *	if r2 != BPF_SOCK_OPS_TIMEOUT_INIT goto out
 *	ctx->reply = jiffies		(through r2: no immediate stores to ctx)
 * out:	return 1			(1: the answer stands)
 *
 * Every other op keeps reply 0, the kernel's "no opinion".
 */
static int prog_load(unsigned int jiffies, char *why, size_t size)
{
	const struct bpf_insn insns[] = {
		INSN(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1,
		     offsetof(struct bpf_sock_ops, op), 0),
		INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, 2,
		     BPF_SOCK_OPS_TIMEOUT_INIT),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, (int)jiffies),
		INSN(BPF_STX | BPF_MEM | BPF_W, BPF_REG_1, BPF_REG_2,
		     offsetof(struct bpf_sock_ops, reply), 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	static char log[4096];
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCK_OPS;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = ARRAY_SIZE(insns);
	a.license = (uint64_t)(uintptr_t)"GPL";
	a.log_buf = (uint64_t)(uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	snprintf(a.prog_name, sizeof(a.prog_name), TIMERS_PROG_PREFIX "%d",
		 (int)getpid());
	log[0] = 0;
	fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
	if (fd >= 0)
		return fd;
	fd = -errno;
	log[strcspn(log, "\n")] = 0;
	snprintf(why, size, "bpf(BPF_PROG_LOAD) of a sock_ops program: %s%s%s%s",
		 strerror(-fd),
		 fd == -EPERM ? " (needs CAP_BPF and CAP_NET_ADMIN: not root?)" :
		 fd == -EINVAL ? " (kernel without BPF_PROG_TYPE_SOCK_OPS?)" :
		 fd == -ENOSYS ? " (kernel without CONFIG_BPF_SYSCALL)" : "",
		 log[0] ? "; verifier: " : "", log);
	return fd;
}

/* Attach through a link (5.7+), else a plain attachment. */
static int prog_attach(char *why, size_t size)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (uint32_t)tm.prog_fd;
	a.link_create.target_fd = (uint32_t)tm.cg_fd;
	a.link_create.attach_type = BPF_CGROUP_SOCK_OPS;
	fd = (int)sys_bpf(BPF_LINK_CREATE, &a);
	if (fd >= 0) {
		tm.link_fd = fd;
		tm.info.attach = "link";
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
		fd = -errno;
		goto fail;
	}
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)tm.cg_fd;
	a.attach_bpf_fd = (uint32_t)tm.prog_fd;
	a.attach_type = BPF_CGROUP_SOCK_OPS;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &a) == 0) {
		tm.info.attach = "attach";
		return 0;
	}
	fd = -errno;
fail:
	snprintf(why, size, "attaching the sock_ops program to %.200s: %s%s", tm.dir,
		 strerror(-fd),
		 fd == -EPERM ? " (an exclusive program on a parent cgroup, or no CAP_NET_ADMIN)" :
		 fd == -EINVAL ? " (kernel without CONFIG_CGROUP_BPF?)" : "");
	return fd;
}

/* ---- the proof -------------------------------------------------------- */

struct verify_res {
	int step;		/* how far it got: 0 join, 1 netns, 2 lo, 3 socket */
	int err;
	long rto_us;
};

static void verify_child(int out)
{
	struct verify_res r = { 0, 0, -1 };
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(9),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);
	struct ifreq ifr;
	char procs[1100];
	int fd = -1;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", tm.dir);
	r.err = -util_file_write(procs, "0");
	if (r.err)
		goto out;
	r.step = 1;
	if (unshare(CLONE_NEWNET)) {
		r.err = errno;
		goto out;
	}
	r.step = 2;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) ||
	    (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr))) {
		r.err = errno;
		goto out;
	}
	close(fd);
	r.step = 3;
	/* a refused connect is enough: connect() sets the initial RTO
	 * before the SYN leaves, and a reset leaves it alone */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) &&
		       errno != EINPROGRESS && errno != ECONNREFUSED) ||
	    getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl)) {
		r.err = errno;
		goto out;
	}
	r.rto_us = ti.tcpi_rto;
out:
	(void)!write(out, &r, sizeof(r));
	_exit(0);
}

static int timers_verify(long *rto_us, char *why, size_t size)
{
	static const char *const steps[] = {
		"joining it", "a network namespace of its own",
		"bringing lo up there", "a TCP connect on lo",
	};
	struct verify_res r = { 0, EPIPE, -1 };
	int p[2], st;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		verify_child(p[1]);
	close(p[1]);
	if (pid < 0 || read(p[0], &r, sizeof(r)) != (ssize_t)sizeof(r))
		r = (struct verify_res){ 0, pid < 0 ? errno : EPIPE, -1 };
	close(p[0]);
	if (pid > 0)
		waitpid(pid, &st, 0);
	if (r.err) {
		snprintf(why, size, "a process in %.200s could not check the program (%s: %s)",
			 tm.dir, steps[r.step < 4 ? r.step : 3], strerror(r.err));
		return -r.err;
	}
	*rto_us = r.rto_us;
	return 0;
}

/* ---- start and stop -------------------------------------------------- */

static void timers_release(void)
{
	if (tm.link_fd >= 0)
		close(tm.link_fd);
	if (tm.prog_fd >= 0)
		close(tm.prog_fd);
	if (tm.cg_fd >= 0)
		close(tm.cg_fd);
	tm.link_fd = tm.prog_fd = tm.cg_fd = -1;
	if (tm.dir[0]) {
		jail_cgroup_join(NULL);
		rmdir(tm.dir);
	}
	tm.dir[0] = 0;
}

/* Real timers from here on, and why. */
static void timers_real(const char *why)
{
	timers_release();
	tm.info.compressed = false;
	tm.info.rto_ms = TIMERS_REAL_RTO_MS;
	tm.info.jiffies = 0;
	tm.info.attach = NULL;
	if (why != tm.info.why)
		snprintf(tm.info.why, sizeof(tm.info.why), "%s", why);
}

int timers_start(bool compress, unsigned int target_ms)
{
	struct timers_info *in = &tm.info;
	char mnt[512], own[400];
	long rto_us = 0;
	int ret;

	if (!compress) {
		timers_real("--real-timers");
		return 0;
	}
	timers_real("");
	if (!target_ms)
		target_ms = TIMERS_TARGET_RTO_MS;
	if (target_ms >= TIMERS_REAL_RTO_MS) {
		snprintf(in->why, sizeof(in->why),
			 "an initial RTO of %u ms asked for is not shorter than the kernel's",
			 target_ms);
		goto fail;
	}
	timers_kernel_hz(&in->hz, in->hz_source, sizeof(in->hz_source));
	in->jiffies = (target_ms * in->hz + 999) / 1000;
	if (!in->jiffies)
		in->jiffies = 1;
	ret = prog_load(in->jiffies, in->why, sizeof(in->why));
	if (ret < 0)
		goto fail;
	tm.prog_fd = ret;
	ret = find_v2_mount(mnt, sizeof(mnt));
	if (ret) {
		snprintf(in->why, sizeof(in->why),
			 "no cgroup v2 hierarchy is mounted (/proc/self/mountinfo has no cgroup2)");
		goto fail;
	}
	ret = own_v2_path(own, sizeof(own));
	if (ret) {
		snprintf(in->why, sizeof(in->why),
			 "this process has no cgroup v2 path in /proc/self/cgroup");
		goto fail;
	}
	snprintf(tm.dir, sizeof(tm.dir), "%s%s/" TIMERS_CGROUP_FMT, mnt,
		 strcmp(own, "/") ? own : "", (int)getpid());
	if (mkdir(tm.dir, 0755)) {
		snprintf(in->why, sizeof(in->why), "cannot create the cgroup %.200s: %s",
			 tm.dir, strerror(errno));
		tm.dir[0] = 0;
		goto fail;
	}
	ret = jail_cgroup_join(tm.dir);
	if (ret) {
		snprintf(in->why, sizeof(in->why),
			 "no janitor to remove the cgroup %.200s after the run: %s",
			 tm.dir, strerror(-ret));
		goto fail;
	}
	tm.cg_fd = open(tm.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tm.cg_fd < 0) {
		snprintf(in->why, sizeof(in->why), "cannot open %.200s: %s", tm.dir,
			 strerror(errno));
		goto fail;
	}
	ret = prog_attach(in->why, sizeof(in->why));
	if (ret)
		goto fail;
	ret = timers_verify(&rto_us, in->why, sizeof(in->why));
	if (ret)
		goto fail;
	if (rto_us >= TIMERS_REAL_RTO_MS * 1000L || rto_us <= 0) {
		snprintf(in->why, sizeof(in->why),
			 "the program is attached to %.120s, but a socket there got an initial RTO of %ld us (TCP_INFO), expected %u jiffies: sockets do not follow cgroup v2 here (net_cls/net_prio v1 in use?)",
			 tm.dir, rto_us, in->jiffies);
		goto fail;
	}
	in->compressed = true;
	in->rto_ms = (int)((rto_us + 500) / 1000);
	in->why[0] = 0;
	return 0;
fail:
	timers_real(in->why);
	return 0;
}

/* The jail has removed the directory by now; the rmdir here is for a run
 * that never got that far.  timers_info() keeps describing the run. */
void timers_stop(void)
{
	timers_release();
}
