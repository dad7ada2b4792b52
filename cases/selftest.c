/* SPDX-License-Identifier: MIT */
/*
 * Harness self-test cases (--api selftest, never run by default): each
 * builds a routed topology with an nft fault in the router — the most
 * state a case can create — and then passes, fails, crashes or hangs, so
 * the project's tests can prove that every ending leaves the host clean
 * and is reported as the right outcome.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/common.h"

static void selftest_pass(struct case_ctx *c)
{
	(void)c;
}

static void selftest_fail(struct case_ctx *c)
{
	case_fail(c, "expected 1; observed 2 (deliberate)");
}

static void selftest_crash(struct case_ctx *c)
{
	(void)c;
	raise(SIGSEGV);
}

/*
 * With TFOCHECK_SELFTEST_DIR set, the hang case first tells the project's
 * tests that it is mid-case (topology, fault and wire observer in place):
 * DIR/hang.ready holds "pid INODE..." with the inodes of the topology's
 * network namespaces, written to a temporary name and renamed so a reader
 * never sees half of it.  The hygiene tests wait for it before they signal
 * the runner, and later check that those namespaces are gone.
 */
static void selftest_hang_announce(const struct case_ctx *c)
{
	const char *dir = getenv("TFOCHECK_SELFTEST_DIR");
	char path[512], tmp[540];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/hang.ready", dir);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%d", (int)getpid());
	for (int r = 0; r < ROLE_MAX; r++) {
		struct stat st;

		if (c->topo.host[r].nsfd >= 0 && !fstat(c->topo.host[r].nsfd, &st))
			fprintf(f, " %lu", (unsigned long)st.st_ino);
	}
	fputc('\n', f);
	if (fclose(f) || rename(tmp, path))
		unlink(tmp);
}

static void selftest_hang(struct case_ctx *c)
{
	selftest_hang_announce(c);
	for (;;)
		pause();
}

static void selftest_skip(struct case_ctx *c)
{
	case_skip(c, "deliberate skip");
}

/* A known limit that shows: XFAIL.  One that does not: XPASS. */
static void selftest_xfail(struct case_ctx *c)
{
	case_xfail_if(c, true, "deliberate known limit");
	case_fail(c, "expected 1; observed 2");
}

static void selftest_xpass(struct case_ctx *c)
{
	case_xfail_if(c, true, "deliberate known limit");
}

/*
 * Alternates between PASS and FAIL across runs, via a counter file the
 * test hands in: --repeat must report it as unstable.  The repeats of one
 * instance may run at the same time (the selftest rows are slow, so they
 * also take the extra slots beside -j), so the read-modify-write of the
 * counter holds an exclusive lock: N runs always see 0..N-1.
 */
static int selftest_count(const char *path, long *n)
{
	char buf[32];
	ssize_t len;
	int fd, ret = 0;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX)) {
		ret = -errno;
		goto out;
	}
	len = pread(fd, buf, sizeof(buf) - 1, 0);
	if (len < 0) {
		ret = -errno;
		goto out;
	}
	buf[len] = 0;
	*n = strtol(buf, NULL, 10);
	len = snprintf(buf, sizeof(buf), "%ld\n", *n + 1);
	if (pwrite(fd, buf, (size_t)len, 0) != len)
		ret = -EIO;
out:
	close(fd); /* drops the lock */
	return ret;
}

static void selftest_flaky(struct case_ctx *c)
{
	const char *dir = getenv("TFOCHECK_SELFTEST_DIR");
	char path[512];
	long n = 0;
	int ret;

	if (!dir) {
		case_skip(c, "TFOCHECK_SELFTEST_DIR not set");
		return;
	}
	snprintf(path, sizeof(path), "%s/flaky.count", dir);
	ret = selftest_count(path, &n);
	if (ret) {
		case_error(c, "counter %s: %s", path, strerror(-ret));
		return;
	}
	if (n % 2)
		case_fail(c, "odd run %ld (deliberate)", n);
}

#define SELFTEST(id_, body_, expect_)                                      \
	{ .id = "selftest." id_, .api = API_SELFTEST, .clause_id = "H2",   \
	  .topo = TOPO_ROUTED,                                              \
	  .fault = FAULT_DROP_SYN, .once = true, .profiles = "tfo",       \
	  .expect = expect_, .clause = "(harness self-test)", .body = body_,  \
	  .wire = true }

CASE_TABLE(selftest,
	SELFTEST("pass", selftest_pass, "PASS"),
	SELFTEST("fail", selftest_fail, "FAIL with a message"),
	SELFTEST("crash", selftest_crash, "CRASH (SIGSEGV)"),
	SELFTEST("hang", selftest_hang, "TIMEOUT, process group killed"),
	SELFTEST("skip", selftest_skip, "SKIP with a reason"),
	SELFTEST("xfail", selftest_xfail, "XFAIL (known limit observed)"),
	SELFTEST("xpass", selftest_xpass, "XPASS (known limit did not show)"),
	SELFTEST("flaky", selftest_flaky, "alternates PASS/FAIL (for --repeat)"),
)
