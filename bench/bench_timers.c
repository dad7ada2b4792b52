/* SPDX-License-Identifier: MIT */
/*
 * Benchmark: compressed kernel timers (harness/timers.h), in one run.
 *
 *  1. Is the compressed initial RTO safe?  Over a case's pair topology
 *     (veth, profile tfo) with every core kept busy by spinning processes,
 *     CONNS handshakes per initial RTO (real 1000 ms, 100, 40, 20, 10 ms),
 *     alternately a plain connect and a TFO sendto: the connect time
 *     (median, 99.9th percentile, maximum) and every SYN or SYN-ACK
 *     retransmission, which on a link that loses nothing is spurious.  A
 *     spurious SYN retransmission would change verdicts (the retransmitted
 *     SYN carries no TFO option and marks the path as dropping SYN data).
 *  2. The full suite, `tfocheck run --lib libtfo -j 2` (both APIs), with
 *     compressed and with real timers (--real-timers), median of RUNS
 *     (default 5), and their ratio.  Goal: compressed <= 2.0 s.
 *
 * usage: bench_timers [RUNS [CONNS]]   (root: namespaces, cgroups, bpf)
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "harness/jail.h"
#include "harness/timers.h"
#include "netns/profile.h"
#include "netns/topo.h"
#include "util/util.h"

static void loadavg(char *buf, size_t size)
{
	if (util_file_read("/proc/loadavg", buf, size))
		snprintf(buf, size, "?");
	buf[strcspn(buf, " ")] = 0;
}

/* ---- 1. handshakes under load --------------------------------------- */

struct rto_res {
	int conns;		/* handshakes completed */
	int syn_rtx;		/* client sockets that retransmitted their SYN */
	int synack_rtx;		/* accepted sockets whose SYN-ACK was resent */
	double p50, p999, max;	/* connect time, ms */
	int err;
};

struct srv {
	int lfd;
	int synack_rtx;
	int accepted;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void *srv_thread(void *arg)
{
	struct srv *s = arg;

	for (;;) {
		struct tcp_info ti;
		socklen_t tl = sizeof(ti);
		char b[16];
		int fd = accept(s->lfd, NULL, NULL);

		if (fd < 0)
			return NULL;
		if (!getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) &&
		    ti.tcpi_total_retrans)
			__atomic_add_fetch(&s->synack_rtx, 1, __ATOMIC_RELAXED);
		pthread_mutex_lock(&s->lock);
		s->accepted++;
		pthread_cond_signal(&s->cond);
		pthread_mutex_unlock(&s->lock);
		(void)!read(fd, b, sizeof(b));
		close(fd);
	}
}

/* One connection at a time, like a case: never a full accept queue. */
static void srv_wait(struct srv *s, int n)
{
	pthread_mutex_lock(&s->lock);
	while (s->accepted < n)
		pthread_cond_wait(&s->cond, &s->lock);
	pthread_mutex_unlock(&s->lock);
}

static void rto_child(const char *cgroup, int conns, int out)
{
	struct rto_res r = { 0 };
	struct sockaddr_storage ss;
	struct srv s = { -1, 0, 0, PTHREAD_MUTEX_INITIALIZER,
			 PTHREAD_COND_INITIALIZER };
	struct topo t;
	pthread_t th;
	socklen_t sl;
	double *v = calloc((size_t)conns, sizeof(*v));
	char procs[1100];

	if (cgroup[0]) {
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup);
		r.err = util_file_write(procs, "0");
	}
	if (!r.err)
		r.err = topo_build(&t, TOPO_PAIR, profile_find("tfo"));
	if (!r.err) {
		s.lfd = topo_listener(&t, FAM_IPV4, 8080, 64);
		r.err = s.lfd < 0 ? s.lfd : -pthread_create(&th, NULL, srv_thread, &s);
	}
	topo_server_addr(&t, FAM_IPV4, 8080, &ss, &sl);
	for (int i = 0; !r.err && i < conns; i++) {
		struct tcp_info ti;
		socklen_t tl = sizeof(ti);
		int fd = topo_socket(&t, ROLE_CLIENT, AF_INET, SOCK_STREAM, 0);
		double t0 = util_now_ms();
		int ret;

		if (fd < 0) {
			r.err = fd;
			break;
		}
		if (i % 2)
			ret = sendto(fd, "x", 1, MSG_FASTOPEN,
				     (struct sockaddr *)&ss, sl) == 1 ? 0 : -1;
		else
			ret = connect(fd, (struct sockaddr *)&ss, sl);
		v[r.conns] = util_now_ms() - t0;
		if (ret) {
			r.err = -errno;
			close(fd);
			break;
		}
		if (!getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) &&
		    ti.tcpi_total_retrans)
			r.syn_rtx++;
		r.conns++;
		close(fd);
		srv_wait(&s, r.conns);
	}
	usleep(50000); /* the last accepts */
	r.synack_rtx = __atomic_load_n(&s.synack_rtx, __ATOMIC_RELAXED);
	if (r.conns) {
		qsort(v, (size_t)r.conns, sizeof(*v), bench_cmp_double);
		r.p50 = v[r.conns / 2];
		r.p999 = v[(size_t)(r.conns * 0.999)];
		r.max = v[r.conns - 1];
	}
	(void)!write(out, &r, sizeof(r));
	_exit(0);
}

static int rto_measure(const char *cgroup, int conns, struct rto_res *r)
{
	int p[2], st;
	pid_t pid;

	if (pipe(p))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		rto_child(cgroup, conns, p[1]);
	}
	close(p[1]);
	memset(r, 0, sizeof(*r));
	if (pid < 0 || read(p[0], r, sizeof(*r)) != (ssize_t)sizeof(*r))
		r->err = -EPIPE;
	close(p[0]);
	if (pid > 0)
		waitpid(pid, &st, 0);
	return r->err;
}

static void spin_start(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			for (volatile unsigned long x = 0;; x++)
				;
	}
}

static void spin_stop(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++)
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
}

static int bench_rto(int conns)
{
	static const unsigned int rtos[] = { 1000, 100, 40, 20, 10 };
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN), bad = 0;
	pid_t spin[64];
	char la[32];

	if (ncpu < 1 || ncpu > 64)
		ncpu = 2;
	loadavg(la, sizeof(la));
	printf("handshakes over a veth pair with %d spinning process%s (every core busy; load %s), %d per RTO:\n",
	       ncpu, ncpu == 1 ? "" : "es", la, conns);
	printf("  %-18s %8s %8s %9s %9s %8s\n", "initial RTO", "SYN rtx",
	       "SYNACK rtx", "p50 ms", "p99.9 ms", "max ms");
	spin_start(spin, ncpu);
	for (size_t i = 0; i < ARRAY_SIZE(rtos); i++) {
		const struct timers_info *ti;
		struct rto_res r;
		char name[48];

		timers_start(rtos[i] < 1000, rtos[i]);
		ti = timers_info();
		if (rtos[i] < 1000 && !ti->compressed) {
			printf("  %u ms: no compression: %s\n", rtos[i], ti->why);
			bad = 1;
			break;
		}
		snprintf(name, sizeof(name), "%d ms%s", ti->rto_ms,
			 ti->compressed ? "" : " (real)");
		if (rto_measure(timers_cgroup(), conns, &r)) {
			printf("  %-18s failed: %s\n", name, util_errno_name(-r.err));
			bad = 1;
		} else {
			printf("  %-18s %8d %10d %9.3f %9.3f %8.2f\n", name,
			       r.syn_rtx, r.synack_rtx, r.p50, r.p999, r.max);
		}
		timers_stop();
	}
	spin_stop(spin, ncpu);
	return bad;
}

/* ---- 2. the suite ------------------------------------------------------ */

static void bench_suite(int n)
{
	char *comp[] = { "build/tfocheck", "run", "--lib", "libtfo", "-j", "2",
			 NULL };
	char *real[] = { "build/tfocheck", "run", "--lib", "libtfo", "-j", "2",
			 "--real-timers", NULL };
	double c[16], r[16];
	char la0[32], la1[32];

	loadavg(la0, sizeof(la0));
	/* interleaved, so that a change in the machine's load hits both */
	for (int i = 0; i < n; i++) {
		c[i] = bench_run_quiet(comp);
		r[i] = bench_run_quiet(real);
	}
	loadavg(la1, sizeof(la1));
	qsort(c, (size_t)n, sizeof(c[0]), bench_cmp_double);
	qsort(r, (size_t)n, sizeof(r[0]), bench_cmp_double);
	printf("full suite, tfocheck run --lib libtfo -j 2 (both APIs), median of %d (load %s -> %s):\n",
	       n, la0, la1);
	printf("  %-22s %9s %9s %9s\n", "", "median", "min", "max");
	printf("  %-22s %7.2f s %7.2f s %7.2f s\n", "compressed timers",
	       c[n / 2] / 1000, c[0] / 1000, c[n - 1] / 1000);
	printf("  %-22s %7.2f s %7.2f s %7.2f s\n", "real timers",
	       r[n / 2] / 1000, r[0] / 1000, r[n - 1] / 1000);
	printf("  ratio real/compressed %.2fx; goal compressed <= 2.0 s: %s\n",
	       r[n / 2] / c[n / 2], c[0] > 0 && c[n / 2] <= 2000 ? "met" : "NOT met");
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5;
	int conns = argc > 2 ? atoi(argv[2]) : 1000;
	int bad;

	if (n < 1 || n > 15)
		n = 5;
	if (conns < 10 || conns > 100000)
		conns = 1000;
	if (geteuid() != 0) {
		fprintf(stderr, "bench_timers: needs root (namespaces, cgroup v2, bpf)\n");
		return 77;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	jail_init(0);
	bad = bench_rto(conns);
	jail_done();
	bench_suite(n);
	return bad;
}
