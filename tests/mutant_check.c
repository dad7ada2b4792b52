/* SPDX-License-Identifier: MIT */
/*
 * The mutant tests' runner and judge (see mutant_check.h): tfocheck runs
 * with their output in files (a run's stdout can exceed a pipe), and the
 * per-instance verdict over a results document.
 */
#include "tests/mutant_check.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/testlib.h"
#include "util/util.h"

/* Is word in the comma-separated list ("*" matches everything)? */
static bool mut_in_list(const char *list, const char *word)
{
	size_t wl = strlen(word);

	if (!strcmp(list, "*"))
		return true;
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");

		if (n == wl && !strncmp(p, word, n))
			return true;
		p += n;
		p += *p == ',';
	}
	return false;
}

static const char *mut_str(const json_t *r, const char *key)
{
	const char *s = json_string_value(json_object_get(r, key));

	return s ? s : "";
}

static const json_t *mut_find(const json_t *results, const char *name)
{
	size_t i;
	json_t *r;

	json_array_foreach(results, i, r)
		if (!strcmp(mut_str(r, "name"), name))
			return r;
	return NULL;
}

/* The statuses that mean "the case found something wrong". */
static bool mut_bad(const char *status)
{
	return !strcmp(status, "FAIL") || !strcmp(status, "CRASH") ||
	       !strcmp(status, "ERROR") || !strcmp(status, "TIMEOUT") ||
	       !strcmp(status, "XPASS");
}

size_t mut_bad_list(const json_t *results, char *buf, size_t size)
{
	size_t n = 0, off = 0, i;
	json_t *r;

	if (size)
		buf[0] = 0;
	json_array_foreach(results, i, r) {
		if (!mut_bad(mut_str(r, "status")))
			continue;
		if (n++ < 3 && off < size)
			off += (size_t)snprintf(buf + off, size - off, "%s%s %s: %.160s",
						off ? "; " : "", mut_str(r, "name"),
						mut_str(r, "status"), mut_str(r, "message"));
	}
	return n;
}

bool mut_expect_check(const json_t *results, const struct mut_expect *e,
		      const json_t *ref_results, char *why, size_t size)
{
	size_t off = 0, i, hit = 0;
	bool ok = true;
	json_t *r;

#define MUT_WHY(...)                                                          \
	do {                                                                  \
		if (off + 200 < size) {                                        \
			util_appendf(why, size, &off, "%s", ok ? "" : "; ");  \
			util_appendf(why, size, &off, __VA_ARGS__);           \
		}                                                             \
		ok = false;                                                   \
	} while (0)

	why[0] = 0;
	if (!json_is_array(results)) {
		MUT_WHY("no results document");
		return false;
	}
	json_array_foreach(results, i, r) {
		const char *st = mut_str(r, "status"), *dev = mut_str(r, "deviation");
		const char *name = mut_str(r, "name");

		if (strcmp(mut_str(r, "id"), e->id))
			continue;
		if (!mut_in_list(e->profiles, mut_str(r, "profile")) ||
		    !mut_in_list(e->families, mut_str(r, "family"))) {
			if (mut_bad(st))
				MUT_WHY("%s: expected no failure where the mutant changes nothing; observed %s",
					name, st);
			continue;
		}
		hit++;
		if (strcmp(st, e->status)) {
			MUT_WHY("%s: expected %s; observed %s", name, e->status, st);
			continue;
		}
		if (strcmp(dev, e->deviation ? e->deviation : "")) {
			MUT_WHY("%s: expected %s%s; observed %s%s", name,
				e->deviation ? e->deviation : "no",
				" deviation", dev[0] ? dev : "no", " deviation");
			continue;
		}
		if (e->deviation && !strcmp(e->deviation, "platform")) {
			const json_t *ref = mut_find(ref_results, name);
			const char *rst = ref ? mut_str(ref, "status") : "(absent)";

			/* the reference fails here too (a reference XFAIL makes
			 * the library's FAIL its own deviation) */
			if (strcmp(rst, "FAIL"))
				MUT_WHY("%s: a platform deviation needs the reference's FAIL here; the reference run has %s",
					name, rst);
		}
	}
	if (!hit)
		MUT_WHY("%s: expected %s in profiles %s, families %s; observed no such instance",
			e->id, e->status, e->profiles, e->families);
#undef MUT_WHY
	return ok;
}

json_t *mut_results_load(const char *path)
{
	json_error_t err;
	json_t *doc = json_load_file(path, 0, &err), *res;

	if (!doc)
		return NULL;
	res = json_incref(json_object_get(doc, "results"));
	json_decref(doc);
	return res;
}

/* Start job i: tfocheck with its output in DIR/i.out and DIR/i.err. */
static pid_t mut_job_start(struct mut_job *j, const char *dir, size_t i)
{
	char out[300], err[300], *argv[40];
	int n = 0;
	pid_t pid;

	snprintf(j->json, sizeof(j->json), "%s/%zu.json", dir, i);
	snprintf(out, sizeof(out), "%s/%zu.out", dir, i);
	snprintf(err, sizeof(err), "%s/%zu.err", dir, i);
	argv[n++] = TEST_TFOCHECK;
	argv[n++] = "run";
	argv[n++] = "--lib";
	argv[n++] = (char *)j->lib;
	argv[n++] = "--api";
	argv[n++] = (char *)j->api;
	argv[n++] = "-j";
	argv[n++] = "8";
	argv[n++] = "--json";
	argv[n++] = j->json;
	for (size_t f = 0; f < ARRAY_SIZE(j->filters) && j->filters[f]; f++) {
		argv[n++] = "--filter";
		argv[n++] = (char *)j->filters[f];
	}
	if (j->real_timers)
		argv[n++] = "--real-timers";
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		setpgid(0, 0);
		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

int mut_jobs_run(struct mut_job *jobs, size_t n, unsigned parallel,
		 char *dir, size_t dirsize, int timeout_ms)
{
	pid_t *pid = calloc(n, sizeof(*pid));
	double *end = calloc(n, sizeof(*end));
	size_t next = 0, done = 0;
	unsigned running = 0;
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		jobs[i].rc = -ECHILD; /* overwritten by every job that runs */
	snprintf(dir, dirsize, "/tmp/tfocheck-mutants-XXXXXX");
	if (!pid || !end) {
		ret = -ENOMEM;
		goto out;
	}
	if (!mkdtemp(dir)) {
		ret = -errno;
		dir[0] = 0;
		goto out;
	}
	while (done < n) {
		while (running < parallel && next < n) {
			pid[next] = mut_job_start(&jobs[next], dir, next);
			if (pid[next] < 0) {
				jobs[next].rc = -errno;
				done++;
			} else {
				end[next] = util_now_ms() + timeout_ms;
				running++;
			}
			next++;
		}
		for (size_t i = 0; i < next; i++) {
			bool late = false;
			int st = 0;
			pid_t w;

			if (pid[i] <= 0)
				continue;
			w = waitpid(pid[i], &st, WNOHANG);
			if (w == 0 && util_now_ms() > end[i]) {
				late = true;
				kill(-pid[i], SIGKILL);
				w = waitpid(pid[i], &st, 0);
			}
			if (w == 0)
				continue;
			jobs[i].rc = w < 0 ? -errno : late ? -ETIMEDOUT :
				     WIFEXITED(st) ? WEXITSTATUS(st) :
				     128 + WTERMSIG(st);
			pid[i] = 0;
			running--;
			done++;
		}
		if (done < n)
			usleep(20000);
	}
out:
	free(pid);
	free(end);
	return ret;
}

void mut_dir_remove(const char *dir)
{
	char *argv[] = { "rm", "-rf", (char *)dir, NULL };

	if (dir[0])
		test_run_capture(argv, NULL, NULL, 30000);
}
