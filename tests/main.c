/* SPDX-License-Identifier: MIT */
/*
 * Runner of the project's own tests: registers every suite recorded by
 * TEST_SUITE() with CUnit and runs them with the basic interface, so CI
 * reads CUnit's "Run Summary".  Usage: build/tests/unit [SUITE[:TEST]]...
 * Exit status: 0 when nothing failed, 1 otherwise.
 */
#include "tests/testlib.h"

#include <CUnit/Basic.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct test_suite *suites;
static unsigned skips;

void test_suite_record(struct test_suite *s)
{
	struct test_suite **p = &suites;

	/* keep them sorted by name: stable order whatever the link order */
	while (*p && strcmp((*p)->name, s->name) < 0)
		p = &(*p)->next;
	s->next = *p;
	*p = s;
}

void test_skip(const char *fmt, ...)
{
	va_list ap;

	skips++;
	fprintf(stdout, "\n    SKIP: ");
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

bool test_is_root(void)
{
	return geteuid() == 0;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int append(char **buf, size_t *len, int fd)
{
	char tmp[4096];
	ssize_t n = read(fd, tmp, sizeof(tmp));
	char *nb;

	if (n <= 0)
		return n == 0 ? 0 : (errno == EINTR || errno == EAGAIN ? 1 : 0);
	nb = realloc(*buf, *len + n + 1);
	if (!nb)
		return 0;
	memcpy(nb + *len, tmp, n);
	*len += n;
	nb[*len] = 0;
	*buf = nb;
	return 1;
}

int test_run_capture(char *const argv[], char **out, char **err, int timeout_ms)
{
	int po[2], pe[2], status = 0;
	char *bo = NULL, *be = NULL;
	size_t lo = 0, le = 0;
	bool oopen = true, eopen = true;
	long long deadline = mono_ms() + timeout_ms;
	pid_t pid;

	if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		setpgid(0, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	close(po[1]);
	close(pe[1]);
	while (oopen || eopen) {
		struct pollfd p[2] = { { oopen ? po[0] : -1, POLLIN, 0 },
				       { eopen ? pe[0] : -1, POLLIN, 0 } };
		long long left = deadline - mono_ms();

		if (left <= 0) {
			kill(-pid, SIGKILL);
			break;
		}
		if (poll(p, 2, (int)left) < 0 && errno != EINTR)
			break;
		if (p[0].revents && !append(&bo, &lo, po[0]))
			oopen = false;
		if (p[1].revents && !append(&be, &le, pe[0]))
			eopen = false;
	}
	close(po[0]);
	close(pe[0]);
	waitpid(pid, &status, 0);
	if (out)
		*out = bo ? bo : strdup("");
	else
		free(bo);
	if (err)
		*err = be ? be : strdup("");
	else
		free(be);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static bool selected(const char *suite, const char *test, int argc, char **argv)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++) {
		const char *colon = strchr(argv[i], ':');
		size_t sl = colon ? (size_t)(colon - argv[i]) : strlen(argv[i]);

		if (strlen(suite) != sl || strncmp(suite, argv[i], sl))
			continue;
		if (!colon || !test || !strcmp(colon + 1, test))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	unsigned failures;

	/* the tests start build/ binaries by relative path */
	if (access(TEST_TFOCHECK, X_OK))
		fprintf(stderr, "unit: run from the top of the tree (no %s)\n",
			TEST_TFOCHECK);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	for (struct test_suite *s = suites; s; s = s->next) {
		CU_pSuite cs;

		if (!selected(s->name, NULL, argc, argv))
			continue;
		cs = CU_add_suite(s->name, s->init, s->cleanup);
		for (const CU_TestInfo *t = s->tests; t->pName; t++)
			if (selected(s->name, t->pName, argc, argv))
				CU_add_test(cs, t->pName, t->pTestFunc);
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures() +
		   CU_get_number_of_suites_failed();
	printf("\nskipped tests: %u\n", skips);
	CU_cleanup_registry();
	return failures ? 1 : 0;
}
