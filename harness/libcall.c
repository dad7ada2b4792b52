/* SPDX-License-Identifier: MIT */
/*
 * The calls into the library under test (see libcall.h).
 *
 * "A call changes nothing about the process or s beyond what its page
 * says" (docs/clauses.md, "What a call must not do"): around every call
 * the wrapper takes a snapshot of what the page gives the call no business
 * with — the descriptor table (which descriptors are open, and what fds
 * 0-2 are), the calling thread's signal mask, every signal's disposition,
 * the real-time interval timer (alarm()), what was written to stdout and
 * stderr, and on s its descriptor and status flags and a fixed set of
 * socket options — and compares after the call.  A difference is a FAIL
 * naming what changed, whatever else the case then finds (it is recorded
 * first, and known platform limits do not excuse it).
 *
 * Options the call's own clause sets are exempt: SO_BINDTOIFINDEX when
 * connectx is given sae_srcif or either call a scoped link-local
 * destination (the kernel binds the socket to the scope's interface), the
 * TFO options where the call is asked for TCP Fast Open
 * (socket_fastopen_connect, CONNECT_DATA_IDEMPOTENT).  SO_SNDBUF/SO_RCVBUF are compared
 * only while the connection is not established: at establishment the
 * kernel retunes both buffers of a socket that did not fix them.
 * Descriptors the harness's own server thread opens meanwhile are
 * registered (case_fd_own) and ignored.
 */
#include "harness/libcall.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "harness/case.h"
#include "harness/libload.h"
#include "libtfo/connectx.h"
#include "util/tfo_uapi.h"
#include "util/util.h"

static char *call_slot;
static size_t call_slot_size;
/* opened once: a call that fills the descriptor table must not keep the
 * check from reading it */
static DIR *fd_dir;
/* off only for bench/bench_snapshot, which measures what the check costs
 * (TFOCHECK_BENCH_NO_SNAPSHOT in the runner's environment); read before
 * any library call, so no library can switch it */
static bool snap_on = true;
/* the case thread's schedstat (see run_delay_ns()) */
static int sched_fd = -1;
static pid_t sched_tid;
static struct stat sched_st;

void libcall_attach(char *slot, size_t size)
{
	call_slot = slot;
	call_slot_size = size;
	fd_dir = opendir("/proc/self/fd");
	sched_tid = gettid();
	sched_fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
	if (sched_fd >= 0 && fstat(sched_fd, &sched_st)) {
		close(sched_fd);
		sched_fd = -1;
	}
	snap_on = !getenv("TFOCHECK_BENCH_NO_SNAPSHOT");
}

/* ---- the snapshot ------------------------------------------------- */

enum { ALLOW_BINDTOIFINDEX = 1, ALLOW_TFO = 2 };

static const struct sockopt_watch {
	int level, opt;
	const char *name;
	unsigned int allow;	/* ALLOW_* that exempts it */
	bool buffer;		/* retuned by the kernel at establishment */
} watched[] = {
	{ IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY", 0, false },
	{ IPPROTO_TCP, TCP_CORK, "TCP_CORK", 0, false },
	{ IPPROTO_TCP, TCP_FASTOPEN_CONNECT, "TCP_FASTOPEN_CONNECT", ALLOW_TFO, false },
	{ IPPROTO_TCP, TCP_FASTOPEN_NO_COOKIE, "TCP_FASTOPEN_NO_COOKIE", ALLOW_TFO, false },
	{ SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR", 0, false },
	{ SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT", 0, false },
	{ SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE", 0, false },
	{ SOL_SOCKET, SO_BINDTOIFINDEX, "SO_BINDTOIFINDEX", ALLOW_BINDTOIFINDEX, false },
	{ SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF", 0, true },
	{ SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF", 0, true },
};

#define NWATCH (sizeof(watched) / sizeof(watched[0]))
#define NSIGS 65
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000 /* set by the C library, not the caller */
#endif

struct snap {
	uint64_t fds[CASE_FDS_MAX / 64];
	uint64_t owned[CASE_FDS_MAX / 64];
	struct stat std[3];
	bool std_ok[3];
	sigset_t mask;
	struct sigaction act[NSIGS];
	bool act_ok[NSIGS];
	struct itimerval timer;
	int fl, fdfl, state;
	int opt[NWATCH];
	bool opt_ok[NWATCH];
	struct linger linger;
	bool linger_ok;
	bool others;		/* processes besides ours in the case's PID namespace */
};

static bool bit(const uint64_t *set, int i)
{
	return set[i / 64] >> (i % 64) & 1;
}

static void snap_fds(struct snap *n)
{
	struct dirent *e;
	int self = fd_dir ? dirfd(fd_dir) : -1;

	memset(n->fds, 0, sizeof(n->fds));
	case_fds_lock();
	if (self >= 0 && fcntl(self, F_GETFD) >= 0) {
		rewinddir(fd_dir);
		while ((e = readdir(fd_dir))) {
			int fd = atoi(e->d_name);

			if (e->d_name[0] >= '0' && e->d_name[0] <= '9' &&
			    fd != self && fd < CASE_FDS_MAX)
				n->fds[fd / 64] |= 1ull << (fd % 64);
		}
	} else {
		/* the directory's descriptor is gone (the call closed it):
		 * ask every number instead */
		for (int fd = 0; fd < CASE_FDS_MAX; fd++)
			if (fd != self && fcntl(fd, F_GETFD) >= 0)
				n->fds[fd / 64] |= 1ull << (fd % 64);
	}
	for (int fd = 0; fd < CASE_FDS_MAX; fd++)
		if (case_fd_owned(fd))
			n->owned[fd / 64] |= 1ull << (fd % 64);
	case_fds_unlock();
}

static void snap_take(struct snap *n, int s)
{
	memset(n, 0, sizeof(*n));
	snap_fds(n);
	for (int i = 0; i < 3; i++)
		n->std_ok[i] = fstat(i, &n->std[i]) == 0;
	pthread_sigmask(SIG_BLOCK, NULL, &n->mask);
	for (int sig = 1; sig < NSIGS; sig++)
		n->act_ok[sig] = sigaction(sig, NULL, &n->act[sig]) == 0;
	getitimer(ITIMER_REAL, &n->timer);
	/* in the case's PID namespace kill(-1) reaches every process but
	 * init and ourselves: any is one the library started */
	n->others = kill(-1, 0) == 0;
	n->fl = fcntl(s, F_GETFL);
	n->fdfl = fcntl(s, F_GETFD);
	{
		unsigned char st = 0;
		socklen_t sl = sizeof(st);

		n->state = getsockopt(s, IPPROTO_TCP, TCP_INFO, &st, &sl) ? -1 : st;
	}
	for (size_t i = 0; i < NWATCH; i++) {
		socklen_t sl = sizeof(n->opt[i]);

		n->opt_ok[i] = getsockopt(s, watched[i].level, watched[i].opt,
					  &n->opt[i], &sl) == 0;
	}
	{
		socklen_t sl = sizeof(n->linger);

		n->linger_ok = getsockopt(s, SOL_SOCKET, SO_LINGER, &n->linger,
					  &sl) == 0;
	}
}

static const char *handler_name(const struct sigaction *a, char *buf,
				size_t size)
{
	if (a->sa_handler == SIG_DFL)
		return "SIG_DFL";
	if (a->sa_handler == SIG_IGN)
		return "SIG_IGN";
	snprintf(buf, size, "a handler at %p", (void *)a->sa_handler);
	return buf;
}

static bool established(int state)
{
	return state >= TFO_TCP_ESTABLISHED && state != TFO_TCP_SYN_SENT &&
	       state != TFO_TCP_SYN_RECV && state != TFO_TCP_CLOSE &&
	       state != TFO_TCP_LISTEN;
}

/* What differs between a and b, as one phrase per change, into out. */
static int snap_diff(const struct snap *a, const struct snap *b, int s,
		     unsigned int allow, char *out, size_t size)
{
	size_t off = 0;
	int n = 0;

#define CHANGED(...)                                                         \
	do {                                                                 \
		util_appendf(out, size, &off, "%s", n++ ? "; " : "");        \
		util_appendf(out, size, &off, __VA_ARGS__);                  \
	} while (0)

	for (int fd = 0; fd < CASE_FDS_MAX; fd++) {
		bool was = bit(a->fds, fd), is = bit(b->fds, fd);
		char link[80] = "", path[32];
		ssize_t l;

		if (was == is || fd == s || bit(a->owned, fd) || bit(b->owned, fd))
			continue;
		if (is) {
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			l = readlink(path, link, sizeof(link) - 1);
			link[l > 0 ? l : 0] = 0;
			CHANGED("left descriptor %d open (%s)", fd,
				link[0] ? link : "?");
		} else {
			CHANGED("closed descriptor %d, which the caller had open", fd);
		}
	}
	for (int i = 0; i < 3; i++) {
		static const char *const names[] = { "stdin", "stdout", "stderr" };

		if (a->std_ok[i] != b->std_ok[i] ||
		    (a->std_ok[i] && (a->std[i].st_ino != b->std[i].st_ino ||
				      a->std[i].st_dev != b->std[i].st_dev)))
			CHANGED("replaced or closed %s (descriptor %d)", names[i], i);
		else if (i && a->std_ok[i] && b->std[i].st_size > a->std[i].st_size)
			CHANGED("wrote %lld bytes to %s",
				(long long)(b->std[i].st_size - a->std[i].st_size),
				names[i]);
	}
	for (int sig = 1; sig < NSIGS; sig++) {
		const struct sigaction *x = &a->act[sig], *y = &b->act[sig];
		char h1[40], h2[40];

		if (sigismember(&a->mask, sig) != sigismember(&b->mask, sig))
			CHANGED("%s %s in the calling thread's signal mask",
				sigabbrev_np(sig) ? sigabbrev_np(sig) : "a signal",
				sigismember(&b->mask, sig) ? "left blocked" :
							     "unblocked");
		if (!a->act_ok[sig] || !b->act_ok[sig])
			continue;
		if (x->sa_handler != y->sa_handler ||
		    (x->sa_flags & ~SA_RESTORER) != (y->sa_flags & ~SA_RESTORER))
			CHANGED("changed the disposition of SIG%s (%s -> %s)",
				sigabbrev_np(sig) ? sigabbrev_np(sig) : "?",
				handler_name(x, h1, sizeof(h1)),
				handler_name(y, h2, sizeof(h2)));
	}
	if (!a->others && b->others)
		CHANGED("left processes running (a child, a daemon)");
	if (!timerisset(&a->timer.it_value) && timerisset(&b->timer.it_value))
		CHANGED("left a real-time timer armed (alarm/setitimer: SIGALRM in %ld.%03ld s)",
			(long)b->timer.it_value.tv_sec,
			(long)b->timer.it_value.tv_usec / 1000);
	if (a->fdfl >= 0 && b->fdfl < 0)
		CHANGED("closed s");
	else if (a->fdfl < 0 && b->fdfl >= 0)
		CHANGED("opened a descriptor at s's number, which was closed");
	else if (a->fdfl >= 0 && b->fdfl >= 0 && a->fdfl != b->fdfl)
		CHANGED("changed the descriptor flags of s (FD_CLOEXEC %s)",
			b->fdfl & FD_CLOEXEC ? "set" : "cleared");
	if (a->fl >= 0 && b->fl >= 0 && (a->fl ^ b->fl) & O_NONBLOCK)
		CHANGED("%s O_NONBLOCK on s", b->fl & O_NONBLOCK ? "set" : "cleared");
	else if (a->fl >= 0 && b->fl >= 0 && a->fl != b->fl)
		CHANGED("changed the file status flags of s (%#x -> %#x)", a->fl,
			b->fl);
	for (size_t i = 0; i < NWATCH; i++) {
		if (!a->opt_ok[i] || !b->opt_ok[i] || a->opt[i] == b->opt[i] ||
		    (watched[i].allow & allow))
			continue;
		if (watched[i].buffer && (established(b->state) ||
					  established(a->state)))
			continue;
		CHANGED("changed %s on s (%d -> %d)", watched[i].name, a->opt[i],
			b->opt[i]);
	}
	if (a->linger_ok && b->linger_ok &&
	    (a->linger.l_onoff != b->linger.l_onoff ||
	     (b->linger.l_onoff && a->linger.l_linger != b->linger.l_linger)))
		CHANGED("changed SO_LINGER on s ({%d,%d} -> {%d,%d}%s)",
			a->linger.l_onoff, a->linger.l_linger, b->linger.l_onoff,
			b->linger.l_linger,
			b->linger.l_onoff && !b->linger.l_linger ?
				": close() then resets the connection" : "");
#undef CHANGED
	return n;
}

struct call {
	struct case_ctx *c;
	const char *fn;
	int s;
	unsigned int allow;
	struct snap before;
	uint64_t wait0, t0, begin;
};

/* The case thread's run delay so far in ns (0: unknown).  The second
 * field of its schedstat, by one pread on the descriptor libcall_attach()
 * opened (before any snapshot, so it is never a new descriptor).  A call
 * from another thread, or a library that closed or replaced the
 * descriptor, reads 0: the bound can only get stricter, never looser. */
static uint64_t run_delay_ns(void)
{
	char buf[128];
	unsigned long long run, wait;
	struct stat st;
	ssize_t n;

	if (sched_fd < 0 || gettid() != sched_tid || fstat(sched_fd, &st) ||
	    st.st_dev != sched_st.st_dev || st.st_ino != sched_st.st_ino)
		return 0;
	n = pread(sched_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	if (sscanf(buf, "%llu %llu", &run, &wait) != 2)
		return 0;
	return wait;
}

static void call_begin(struct call *k, struct case_ctx *c, const char *fn,
		       int s, unsigned int allow)
{
	k->c = c;
	k->fn = fn;
	k->s = s;
	k->allow = allow;
	k->begin = util_now_ns();
	if (snap_on)
		snap_take(&k->before, s);
	if (call_slot)
		snprintf(call_slot, call_slot_size, "%s", fn);
	k->wait0 = run_delay_ns();
	k->t0 = util_now_ns();
}

static void call_end(struct call *k)
{
	static struct snap after;
	char what[900];
	int e = errno;
	uint64_t wait1 = run_delay_ns(), took = util_now_ns() - k->t0;
	uint64_t waited = wait1 > k->wait0 && k->wait0 ? wait1 - k->wait0 : 0;

	uint64_t end = k->t0 + took;

	/* never more than the call took: a number no clock can back is 0 */
	k->c->call_cpu_wait_ms = waited <= took ? (double)waited / 1e6 : 0;
	if (call_slot)
		call_slot[0] = 0;
	if (snap_on) {
		snap_take(&after, k->s);
		if (snap_diff(&k->before, &after, k->s, k->allow, what, sizeof(what)))
			case_fail_strict(k->c,
					 "expected %s() to change nothing about the process or s beyond what its page says; observed it %s",
					 k->fn, what);
	}
	k->c->call_harness_ms = (double)(k->t0 - k->begin + util_now_ns() - end) / 1e6;
	errno = e;
}

/* ---- the wrappers ------------------------------------------------- */

ssize_t libcall_fo_connect4(struct case_ctx *c, int s, const char *ip,
			    uint16_t port, const char *buf, size_t len)
{
	struct call k;
	ssize_t r;

	call_begin(&k, c, "socket_fastopen_connect4", s, ALLOW_TFO);
	errno = 0;
	r = c->lib->fo_connect4(s, ip, port, buf, len);
	call_end(&k);
	return r;
}

ssize_t libcall_fo_connect6(struct case_ctx *c, int s, const char *ip,
			    uint16_t port, uint32_t scope_id, const char *buf,
			    size_t len)
{
	struct call k;
	ssize_t r;

	/* a link-local destination's scope binds the socket to that
	 * interface: the kernel's doing, asked for by scope_id */
	call_begin(&k, c, "socket_fastopen_connect6", s,
		   ALLOW_TFO | (scope_id ? ALLOW_BINDTOIFINDEX : 0));
	errno = 0;
	r = c->lib->fo_connect6(s, ip, port, scope_id, buf, len);
	call_end(&k);
	return r;
}

int libcall_connected(struct case_ctx *c, int s)
{
	struct call k;
	int r;

	call_begin(&k, c, "socket_connected", s, 0);
	errno = 0;
	r = c->lib->connected(s);
	call_end(&k);
	return r;
}

/* Copy n bytes at p without trusting the pointer (the validation cases
 * hand in unmapped ones on purpose). */
static bool peek(const void *p, void *buf, size_t n)
{
	struct iovec local = { buf, n }, remote = { (void *)p, n };

	return p && process_vm_readv(getpid(), &local, 1, &remote, 1, 0) ==
			    (ssize_t)n;
}

/* Does the call ask for an interface binding: sae_srcif, or a scoped
 * link-local destination? */
static bool endpoints_bind_if(const void *endpoints)
{
	sa_endpoints_t ep;
	struct sockaddr_in6 dst;

	if (!peek(endpoints, &ep, sizeof(ep)))
		return false;
	if (ep.sae_srcif)
		return true;
	return ep.sae_dstaddrlen >= sizeof(dst) &&
	       peek(ep.sae_dstaddr, &dst, sizeof(dst)) &&
	       dst.sin6_family == AF_INET6 && dst.sin6_scope_id;
}

int libcall_connectx(struct case_ctx *c, int s, const void *endpoints,
		     uint32_t associd, unsigned int flags,
		     const struct iovec *iov, unsigned int iovcnt, size_t *len,
		     uint32_t *connid)
{
	unsigned int allow = 0;
	struct call k;
	int r;

	if (flags & CONNECT_DATA_IDEMPOTENT)
		allow |= ALLOW_TFO;
	if (endpoints_bind_if(endpoints))
		allow |= ALLOW_BINDTOIFINDEX;
	call_begin(&k, c, "connectx", s, allow);
	errno = 0;
	r = c->lib->connectx(s, endpoints, associd, flags, iov, iovcnt, len,
			     connid);
	call_end(&k);
	return r;
}

int libcall_disconnectx(struct case_ctx *c, int s, uint32_t associd,
			uint32_t connid)
{
	struct call k;
	int r;

	call_begin(&k, c, "disconnectx", s, 0);
	errno = 0;
	r = c->lib->disconnectx(s, associd, connid);
	call_end(&k);
	return r;
}
