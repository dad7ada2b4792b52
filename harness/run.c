/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck run` (see run.h): parse the command line, load the library
 * under test and the reference, prepare the outputs, move into a private
 * network namespace (or a user namespace without root), then expand,
 * schedule and report — each step in its own module (run_int.h).  This
 * file owns the order of the steps and the exit status.
 *
 * The runner moves to a private network namespace before starting
 * anything: nothing a case does can land in the namespace tfocheck was
 * started in.
 */
#include "harness/run.h"

#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/jail.h"
#include "harness/run_int.h"
#include "harness/timers.h"
#include "util/userns.h"
#include "util/util.h"

/* returned by the parsing steps when the run goes on */
#define RUN_CONTINUE (-1)

static void run_usage(FILE *f)
{
	fprintf(f,
		"usage: tfocheck run [--lib PATH|libtfo|libowfat] [--api API[,API]]\n"
		"                    [--profile NAME[,NAME]] [--filter GLOB]... [-j N]\n"
		"                    [--repeat N] [--timeout MS] [--timeout-scale N]\n"
		"                    [--real-timers]\n"
		"                    [--json FILE]\n"
		"                    [--junit FILE] [--tap FILE] [--cunit-xml PREFIX]\n"
		"                    [--out DIR] [--pcap-dir DIR] [--reference LIB|none] [-v]\n"
		"  APIs: smoke (raw kernel API), owfat, connectx, selftest (harness checks)\n"
		"exit: 0 no failure, 1 failures, 2 usage (also a --filter matching nothing,\n"
		"      an output that cannot be created), 77 nothing could run,\n"
		"      99 harness error, 130 interrupted\n");
}

/* A number in [lo, hi] for option name, or a usage error. */
static int parse_num(const char *name, const char *arg, long lo, long hi,
		     const char *what, long *v)
{
	if (util_parse_long(arg, v) || *v < lo || *v > hi) {
		fprintf(stderr, "tfocheck run: %s wants %s%ld..%ld, got '%s'\n",
			name, what, lo, hi, arg);
		return EXIT_USAGE;
	}
	return RUN_CONTINUE;
}

static int parse_profiles(const char *arg)
{
	for (const char *p = arg; *p;) {
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
	return RUN_CONTINUE;
}

static int run_parse(int argc, char **argv, struct run_opts *o)
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
		{ "real-timers", no_argument, NULL, 'K' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c, ret = RUN_CONTINUE;
	long v;

	memset(o, 0, sizeof(*o));
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (o->jobs < 1)
		o->jobs = 1;
	o->repeat = 1;
	o->timeout_ms = RUN_DEFAULT_TIMEOUT_MS;
	o->timeout_scale = 1;
	optind = 1;
	while (ret == RUN_CONTINUE &&
	       (c = getopt_long(argc, argv, "j:f:vh", lo, NULL)) != -1) {
		switch (c) {
		case 'l': o->lib = optarg; break;
		case 'R': o->reference = optarg; break;
		case 'a': o->api_arg = optarg; break;
		case 'P':
			o->profiles = optarg;
			ret = parse_profiles(optarg);
			break;
		case 'f':
			if (o->nfilters == RUN_MAX_FILTERS) {
				fprintf(stderr, "tfocheck run: too many --filter (max %d)\n",
					RUN_MAX_FILTERS);
				return EXIT_USAGE;
			}
			o->filters[o->nfilters++] = optarg;
			break;
		case 'j':
			ret = parse_num("-j", optarg, 1, 256, "", &v);
			o->jobs = (int)v;
			break;
		case 'r':
			ret = parse_num("--repeat", optarg, 1, 10000, "", &v);
			o->repeat = (unsigned int)v;
			break;
		case 't':
			ret = parse_num("--timeout", optarg, 1, 3600000,
					"milliseconds ", &v);
			o->timeout_ms = (int)v;
			break;
		case 'S':
			ret = parse_num("--timeout-scale", optarg, 1, 100, "", &v);
			o->timeout_scale = (unsigned int)v;
			break;
		case 'J': o->json = optarg; break;
		case 'U': o->junit = optarg; break;
		case 'T': o->tap = optarg; break;
		case 'C': o->cunit_xml = optarg; break;
		case 'o': o->out = optarg; break;
		case 'p': o->pcap_dir = optarg; break;
		case 'K': o->real_timers = true; break;
		case 'v': o->verbose = true; break;
		case 'h':
			run_usage(stdout);
			return 0;
		default:
			run_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (ret != RUN_CONTINUE)
		return ret;
	if (optind < argc) {
		fprintf(stderr, "tfocheck run: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (o->api_arg && case_api_parse(o->api_arg, &o->apis)) {
		fprintf(stderr, "tfocheck run: unknown API in '%s' (smoke, owfat, connectx, selftest)\n",
			o->api_arg);
		return EXIT_USAGE;
	}
	if (!o->lib && !o->api_arg)
		o->apis = 1u << API_SMOKE;
	if (!o->lib && (o->apis & (1u << API_OWFAT | 1u << API_CONNECTX))) {
		fprintf(stderr,
			"tfocheck run: --api owfat/connectx needs --lib PATH (or libtfo, libowfat)\n");
		return EXIT_USAGE;
	}
	return RUN_CONTINUE;
}

const char *run_exe_dir(void)
{
	static char dir[512];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);

	if (n <= 0)
		return strcpy(dir, ".");
	dir[n] = 0;
	*strrchr(dir, '/') = 0;
	return dir;
}

/* The library under test (its APIs decide --api when not given) and the
 * reference for the differential verdict. */
static int run_load_libs(struct run *r)
{
	struct run_opts *o = &r->opts;
	char err[600];

	if (!o->lib)
		return RUN_CONTINUE;
	if (libload_open(&r->lib, o->lib, run_exe_dir(), err, sizeof(err))) {
		fprintf(stderr, "tfocheck run: %s\n", err);
		return EXIT_HARNESS;
	}
	r->lib_loaded = true;
	if (!o->api_arg) {
		for (int a = API_OWFAT; a <= API_CONNECTX; a++)
			if (!libload_check_api(&r->lib, (enum case_api)a, err,
					       sizeof(err)))
				o->apis |= 1u << a;
		if (!o->apis) {
			fprintf(stderr,
				"tfocheck run: library '%s' exports neither socket_fastopen_connect4/6 nor connectx/disconnectx\n",
				r->lib.path);
			return EXIT_HARNESS;
		}
	}
	for (int a = API_OWFAT; a <= API_CONNECTX; a++)
		if ((o->apis & (1u << a)) &&
		    libload_check_api(&r->lib, (enum case_api)a, err,
				      sizeof(err))) {
			fprintf(stderr, "tfocheck run: %s\n", err);
			return EXIT_HARNESS;
		}
	if (o->reference && !strcmp(o->reference, "none"))
		return RUN_CONTINUE;
	if (libload_open(&r->ref, o->reference ? o->reference : "libtfo",
			 run_exe_dir(), err, sizeof(err))) {
		if (o->reference) {
			fprintf(stderr, "tfocheck run: --reference: %s\n", err);
			return EXIT_HARNESS;
		}
	} else if (!strcmp(r->ref.path, r->lib.path)) {
		libload_close(&r->ref); /* the reference itself */
	} else {
		r->ref_loaded = true;
	}
	return RUN_CONTINUE;
}

static int run_prepare_outputs(struct run *r)
{
	struct run_opts *o = &r->opts;
	char err[600];

	if (o->out && results_out_prepare(r, err, sizeof(err))) {
		fprintf(stderr, "tfocheck run: %s\n", err);
		return EXIT_USAGE;
	}
	if (o->pcap_dir && mkdir(o->pcap_dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "tfocheck run: cannot create --pcap-dir '%s': %s\n",
			o->pcap_dir, strerror(errno));
		return EXIT_USAGE;
	}
	/* a typo in --json must not cost the whole run */
	if (results_out_check(o, err, sizeof(err))) {
		fprintf(stderr, "tfocheck run: %s\n", err);
		return EXIT_USAGE;
	}
	o->color = isatty(1) && !getenv("NO_COLOR");
	o->progress = isatty(2) && !o->verbose;
	return RUN_CONTINUE;
}

/* Root: a private netns for the runner.  Not root: a user namespace in
 * which we are root, plus its network namespace. */
int run_isolate(char *why, size_t whylen)
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

static int run_exit_status(const struct run *r,
			   const unsigned int totals[OUT_MAX])
{
	if (sched_interrupted())
		return EXIT_INTERRUPTED;
	if (totals[OUT_FAIL] + totals[OUT_ERROR] + totals[OUT_CRASH] +
	    totals[OUT_TIMEOUT])
		return 1;
	if (totals[OUT_SKIP] == r->ninsts)
		return EXIT_NOTHING_RAN;
	return 0;
}

/* A --filter that selects nothing is a typo, not a skip (expand.c
 * matches a pattern against the instance name and the case id). */
static int run_check_filters(const struct run *r)
{
	char bad[700] = "";
	size_t off = 0;
	int n = 0;

	for (int f = 0; f < r->opts.nfilters; f++) {
		const char *pat = r->opts.filters[f];
		bool hit = false;

		for (size_t i = 0; i < r->ninsts && !hit; i++)
			hit = !fnmatch(pat, r->insts[i].name, 0) ||
			      !fnmatch(pat, r->insts[i].def->id, 0);
		if (!hit)
			util_appendf(bad, sizeof(bad), &off, "%s'%s'", n++ ? ", " : "", pat);
	}
	if (!n)
		return RUN_CONTINUE;
	fprintf(stderr, "tfocheck run: --filter %s match%s no case of the selected APIs and profiles (see tfocheck list)\n",
		bad, n == 1 ? "es" : "");
	return EXIT_USAGE;
}

static run_repro_hook run_repro;

void run_set_repro_hook(run_repro_hook hook)
{
	run_repro = hook;
}

/* Where evidence is kept, a reproducer beside each FAIL's pcap. */
static void run_write_repros(struct run *r)
{
	const char **names;
	char (*paths)[RUN_REPRO_PATH];
	size_t n = 0, *idx;

	if (!run_repro || !r->opts.pcap_dir || !r->lib_loaded || sched_interrupted())
		return;
	names = calloc(r->ninsts, sizeof(*names));
	paths = calloc(r->ninsts, sizeof(*paths));
	idx = calloc(r->ninsts, sizeof(*idx));
	if (!names || !paths || !idx)
		goto out;
	for (size_t i = 0; i < r->ninsts; i++)
		if (r->insts[i].res.outcome == OUT_FAIL) {
			idx[n] = i;
			names[n++] = r->insts[i].name;
		}
	if (n) {
		double t0 = util_now_ms();
		size_t written = 0;

		if (r->opts.progress)
			fprintf(stderr, "\r\033[Kwriting reproducers for %zu FAILs", n);
		run_repro(&r->lib, r->opts.pcap_dir, names, paths, n, r->opts.jobs);
		for (size_t k = 0; k < n; k++) {
			snprintf(r->insts[idx[k]].reproducer, RUN_REPRO_PATH, "%s", paths[k]);
			written += paths[k][0] != 0;
		}
		if (r->opts.progress)
			fprintf(stderr, "\r\033[K");
		snprintf(r->repro_line, sizeof(r->repro_line),
			 "reproducers: %zu of %zu FAILs, in %.400s/ (%.1f s)",
			 written, n, r->opts.pcap_dir, (util_now_ms() - t0) / 1000);
	}
out:
	free(names);
	free(paths);
	free(idx);
}

static int run_execute(struct run *r)
{
	unsigned int totals[OUT_MAX] = { 0 };
	struct sched *s;
	char err[600];
	double t0, wall;
	int ret;

	if (expand_instances(&r->opts, &r->insts, &r->ninsts))
		return EXIT_HARNESS;
	if (run_check_filters(r) != RUN_CONTINUE)
		return EXIT_USAGE;
	if (r->ninsts == 0) {
		fprintf(stderr, "tfocheck run: no case matches the selection\n");
		return EXIT_NOTHING_RAN;
	}
	if (run_isolate(err, sizeof(err))) {
		fprintf(stderr, "tfocheck run: %s\n", err);
		return EXIT_NOTHING_RAN;
	}
	jail_init((size_t)r->opts.jobs * (1 + RUN_SLOW_SLOTS_PER_JOB));
	timers_start(!r->opts.real_timers,
		     TIMERS_TARGET_RTO_MS * r->opts.timeout_scale);
	r->opts.rto_ms = timers_info()->rto_ms;
	s = sched_new(&r->opts, r->insts, r->ninsts, r->opts.repeat,
		      r->lib_loaded ? &r->lib : NULL);
	if (!s) {
		fprintf(stderr, "tfocheck run: out of memory registering cases\n");
		return EXIT_HARNESS;
	}
	sched_catch_signals();
	printf("tfocheck run: %zu instances (%s), -j %d%s%s\n", r->ninsts,
	       r->opts.api_arg ? r->opts.api_arg : "default APIs", r->opts.jobs,
	       r->lib_loaded ? ", library " : "",
	       r->lib_loaded ? r->lib.path : "");
	t0 = util_now_ms();
	ret = cunit_run(r, s);
	sched_free(s);
	if (!ret && r->ref_loaded)
		differential_run(r);
	timers_stop();
	jail_done();
	if (ret) {
		fprintf(stderr, "tfocheck run: out of memory registering cases\n");
		return EXIT_HARNESS;
	}
	wall = util_now_ms() - t0;
	run_write_repros(r);
	if (r->opts.progress)
		fprintf(stderr, "\r\033[K");
	for (size_t i = 0; i < r->ninsts; i++)
		totals[r->insts[i].res.outcome]++;
	summary_print(r, totals, wall);
	if (results_write_all(r, wall))
		return EXIT_HARNESS;
	if (r->repro_line[0])
		printf("%s\n", r->repro_line);
	if (r->opts.out)
		printf("reports: %s/\n", r->outdir);
	return run_exit_status(r, totals);
}

int run_main(int argc, char **argv)
{
	struct run r;
	int ret;

	memset(&r, 0, sizeof(r));
	ret = run_parse(argc, argv, &r.opts);
	if (ret == RUN_CONTINUE)
		ret = run_load_libs(&r);
	if (ret == RUN_CONTINUE)
		ret = run_prepare_outputs(&r);
	if (ret == RUN_CONTINUE)
		ret = run_execute(&r);
	free(r.insts);
	if (r.lib_loaded)
		libload_close(&r.lib);
	if (r.ref_loaded)
		libload_close(&r.ref);
	return ret;
}
