/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck fuzz` (see fuzz.h, docs/fuzz.md): draw scenarios from the
 * seed, run each on the library and on the reference as a stream through
 * the jail pool, and for every divergence: is it one already known (its
 * shrunk scenario's features are all in this one, and the first field
 * that differs is the same)?  Else confirm it (two more runs, fresh
 * reference) and shrink it.  This file owns the loop, the terminal, the
 * summary and the results document.
 */
#include "fuzz/fuzz.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/may.h"
#include "fuzz/pool.h"
#include "harness/libload.h"
#include "harness/run.h"
#include "harness/timers.h"
#include "reports/report.h"
#include "util/util.h"

#define FZ_PENDING 64
#define FZ_QUEUE 256
#define FZ_FOUND_MAX 64
#define FZ_DEFAULT_TIME 60
#define FZ_TIMEOUT_MS 20000

struct fz_opts {
	const char *lib, *reference, *api_arg, *json, *out, *replay;
	unsigned int apis;		/* 1 << FZA_* */
	uint64_t seed;
	double time_s;			/* 0: none */
	unsigned long iterations;	/* 0: none */
	int jobs;
	int timeout_ms;		/* per run: longer is a hang */
	bool progress, verbose, real_timers;
};

struct fz_found {
	struct fz_scn min, first;
	/* what a scenario of the same kind contains (ddmin's minimum, before
	 * the socket_connected step), and the field that differed first */
	struct fz_scn cover;
	struct fz_verdict v;
	uint8_t primary;
	unsigned int count, tests;
	char id[FZ_ID_MAX], first_id[FZ_ID_MAX];
	char sh[1200], pcap[1200];
};

struct fz_state {
	struct fz_opts o;
	struct case_lib lib, ref;
	struct fz_engine e;
	struct fz_found found[FZ_FOUND_MAX];
	size_t nfound;
	struct { struct fz_scn s; struct fz_verdict v; } queue[FZ_QUEUE];
	size_t nqueue;
	unsigned long scenarios, divergent, unstable, errors, unshrunk, dups;
	double t0, deadline;
	char outdir[1024];
};

/* ---- the command line ---------------------------------------------------- */

static void fz_usage(FILE *f)
{
	fprintf(f,
		"usage: tfocheck fuzz --lib PATH|libtfo|libowfat [--api owfat|connectx]\n"
		"                     [--seed N] [--time S | --iterations N] [-j N]\n"
		"                     [--json FILE] [--out DIR] [--reference LIB] [--real-timers]\n"
		"                     [--timeout MS] [-v]\n"
		"       tfocheck fuzz --lib X --replay fz1-...\n"
		"  default: --time %d, --seed 1, -j the number of CPUs, --timeout %d (a run\n"
		"  that takes longer is a hang: its observation says so)\n"
		"exit: 0 no divergence, 1 divergences, 2 usage, 77 no namespaces,\n"
		"      99 library not loadable, 130 interrupted\n", FZ_DEFAULT_TIME,
		FZ_TIMEOUT_MS);
}

static int fz_parse(int argc, char **argv, struct fz_opts *o)
{
	static const struct option lo[] = {
		{ "lib", required_argument, NULL, 'l' },
		{ "reference", required_argument, NULL, 'R' },
		{ "api", required_argument, NULL, 'a' },
		{ "seed", required_argument, NULL, 's' },
		{ "time", required_argument, NULL, 't' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "json", required_argument, NULL, 'J' },
		{ "out", required_argument, NULL, 'o' },
		{ "replay", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "real-timers", no_argument, NULL, 'T' },
		{ "timeout", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->timeout_ms = FZ_TIMEOUT_MS;
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (o->jobs < 1)
		o->jobs = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:vh", lo, NULL)) != -1) {
		switch (c) {
		case 'l': o->lib = optarg; break;
		case 'R': o->reference = optarg; break;
		case 'a': o->api_arg = optarg; break;
		case 'J': o->json = optarg; break;
		case 'o': o->out = optarg; break;
		case 'r': o->replay = optarg; break;
		case 'v': o->verbose = true; break;
		case 'T': o->real_timers = true; break;
		case 's':
			if (util_parse_long(optarg, &v) || v < 0) {
				fprintf(stderr, "tfocheck fuzz: --seed wants a number >= 0, got '%s'\n", optarg);
				return EXIT_USAGE;
			}
			o->seed = (uint64_t)v;
			break;
		case 't':
			if (util_parse_long(optarg, &v) || v < 1 || v > 86400) {
				fprintf(stderr, "tfocheck fuzz: --time wants seconds 1..86400, got '%s'\n", optarg);
				return EXIT_USAGE;
			}
			o->time_s = (double)v;
			break;
		case 'n':
			if (util_parse_long(optarg, &v) || v < 1) {
				fprintf(stderr, "tfocheck fuzz: --iterations wants a number >= 1, got '%s'\n", optarg);
				return EXIT_USAGE;
			}
			o->iterations = (unsigned long)v;
			break;
		case 'O':
			if (util_parse_long(optarg, &v) || v < 500 || v > 3600000) {
				fprintf(stderr, "tfocheck fuzz: --timeout wants milliseconds 500..3600000, got '%s'\n", optarg);
				return EXIT_USAGE;
			}
			o->timeout_ms = (int)v;
			break;
		case 'j':
			if (util_parse_long(optarg, &v) || v < 1 || v > 64) {
				fprintf(stderr, "tfocheck fuzz: -j wants 1..64, got '%s'\n", optarg);
				return EXIT_USAGE;
			}
			o->jobs = (int)v;
			break;
		case 'h':
			fz_usage(stdout);
			return 0;
		default:
			fz_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tfocheck fuzz: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (!o->lib) {
		fprintf(stderr, "tfocheck fuzz: --lib PATH (or libtfo, libowfat) is required\n");
		return EXIT_USAGE;
	}
	if (o->time_s && o->iterations) {
		fprintf(stderr, "tfocheck fuzz: --time and --iterations exclude each other\n");
		return EXIT_USAGE;
	}
	if (!o->time_s && !o->iterations)
		o->time_s = FZ_DEFAULT_TIME;
	if (o->api_arg) {
		if (!strcmp(o->api_arg, "owfat"))
			o->apis = 1u << FZA_OWFAT;
		else if (!strcmp(o->api_arg, "connectx"))
			o->apis = 1u << FZA_CONNECTX;
		else if (!strcmp(o->api_arg, "owfat,connectx") || !strcmp(o->api_arg, "connectx,owfat"))
			o->apis = 1u << FZA_OWFAT | 1u << FZA_CONNECTX;
		else {
			fprintf(stderr, "tfocheck fuzz: unknown --api '%s' (owfat, connectx)\n", o->api_arg);
			return EXIT_USAGE;
		}
	}
	o->progress = isatty(2) && !o->verbose;
	return -1;
}

/* The library, the reference and the APIs both provide. */
static int fz_load(struct fz_state *st)
{
	struct fz_opts *o = &st->o;
	char err[700];
	unsigned int have = 0;

	if (libload_open(&st->lib, o->lib, run_exe_dir(), err, sizeof(err))) {
		fprintf(stderr, "tfocheck fuzz: %s\n", err);
		return EXIT_HARNESS;
	}
	if (libload_open(&st->ref, o->reference ? o->reference : "libtfo",
			 run_exe_dir(), err, sizeof(err))) {
		fprintf(stderr, "tfocheck fuzz: reference: %s\n", err);
		return EXIT_HARNESS;
	}
	if (!libload_check_api(&st->lib, API_OWFAT, err, sizeof(err)))
		have |= 1u << FZA_OWFAT;
	if (!libload_check_api(&st->lib, API_CONNECTX, err, sizeof(err)))
		have |= 1u << FZA_CONNECTX;
	if (!o->apis)
		o->apis = have;
	if (!o->apis || (o->apis & ~have)) {
		fprintf(stderr, "tfocheck fuzz: library '%s' does not export %s\n",
			st->lib.path, o->apis ? "the API asked for" :
			"socket_fastopen_connect4/6 nor connectx/disconnectx");
		return EXIT_HARNESS;
	}
	return -1;
}

/* ---- terminal ------------------------------------------------------------ */

static void fz_progress(const struct fz_state *st, const char *doing)
{
	double el = (util_now_ms() - st->t0) / 1000.0;

	if (!st->o.progress)
		return;
	fprintf(stderr, "\r\033[K[%5.1f s] %lu scenarios (%.0f/s), %lu divergent, %zu distinct%s%s",
		el, st->scenarios, el > 0 ? st->scenarios / el : 0.0, st->divergent,
		st->nfound, doing ? ", " : "", doing ? doing : "");
	fflush(stderr);
}

static void fz_print_found(const struct fz_state *st, const struct fz_found *f,
			   size_t i)
{
	char desc[2048];
	const char *words, *cl = fz_clause(&f->min, &f->v, &words);

	fz_scn_describe(&f->min, desc, sizeof(desc));
	printf("\ndivergence %zu: %s%s%s (found %u time%s, first as %s; %d library call%s)\n",
	       i + 1, f->id, cl ? ", clause " : "", cl ? cl : "", f->count,
	       f->count == 1 ? "" : "s", f->first_id, fz_scn_calls(&f->min),
	       fz_scn_calls(&f->min) == 1 ? "" : "s");
	if (words)
		printf("  the page: \"%s\"\n", words);
	printf("  scenario: %s\n", desc);
	for (int d = 0; d < f->v.cmp.ndiff; d++)
		printf("  %s: expected %s (reference); observed %s\n",
		       fz_field_names[f->v.cmp.diff[d].field], f->v.cmp.diff[d].expected,
		       f->v.cmp.diff[d].observed);
	printf("  replay: tfocheck fuzz --lib %s --replay %s\n", st->o.lib, f->id);
	if (f->sh[0])
		printf("  reproducer: %s\n", f->sh);
	if (f->pcap[0])
		printf("  capture: %s\n", f->pcap);
}

/* ---- divergences ---------------------------------------------------------- */

/* Is s a case of f: every feature of f's minimum is in s, and the same
 * field differs first? */
static bool fz_covers(const struct fz_found *f, const struct fz_scn *s,
		      uint8_t primary)
{
	uint8_t d[FZ_NFEAT];
	size_t n = fz_scn_delta(&f->cover, d);

	if (f->primary != primary || f->cover.v[FZ_API] != s->v[FZ_API])
		return false;
	for (size_t i = 0; i < n; i++)
		if (s->v[d[i]] != f->cover.v[d[i]])
			return false;
	return true;
}

static struct fz_found *fz_known(struct fz_state *st, const struct fz_scn *s,
				 uint8_t primary)
{
	for (size_t i = 0; i < st->nfound; i++)
		if (fz_covers(&st->found[i], s, primary))
			return &st->found[i];
	return NULL;
}

static void fz_keep_evidence(struct fz_state *st, struct fz_found *f)
{
	char why[300];
	struct fz_job j = { .scn = f->min, .lib = &st->lib }, *l = &j;

	if (!st->outdir[0])
		return;
	{
		char path[sizeof(f->pcap)];

		snprintf(path, sizeof(path), "%s/%s.pcap", st->outdir, f->id);
		memcpy(f->pcap, path, sizeof(path));
	}
	j.pcap = f->pcap;
	fz_pool_run(st->e.pool, &l, 1);
	if (access(f->pcap, R_OK))
		f->pcap[0] = 0;
	if (fz_repro_write(&st->e, st->outdir, f->id, &f->min, &f->v, st->lib.path,
			   f->id, f->sh, sizeof(f->sh), why, sizeof(why)))
		snprintf(f->sh, sizeof(f->sh), "(no reproducer: %s)", why);
}

/* Confirm, shrink and record one divergent scenario. */
static void fz_process(struct fz_state *st, const struct fz_scn *s,
		       const struct fz_verdict *v)
{
	struct fz_found *f = fz_known(st, s, v->primary), *g;
	struct fz_scn min, cover;
	struct fz_verdict mv;
	unsigned int tests = 0;
	char id[FZ_ID_MAX];

	if (f) {
		f->count++;
		st->dups++;
		return;
	}
	fz_progress(st, "confirming");
	if (!fz_confirm(&st->e, s, v->primary, 2)) {
		st->unstable++;
		if (st->o.verbose) {
			fz_scn_id(s, id, sizeof(id));
			printf("unstable (did not repeat): %s\n", id);
			for (int d = 0; d < v->cmp.ndiff; d++)
				printf("  was: %s: expected %s; observed %s\n",
				       fz_field_names[v->cmp.diff[d].field],
				       v->cmp.diff[d].expected, v->cmp.diff[d].observed);
		}
		return;
	}
	/* compressed timers make a loaded machine's stall longer than an
	 * attempt: what does not diverge with the kernel's own timers too is
	 * not the library's */
	if (timers_info()->compressed) {
		bool again;

		fz_progress(st, "confirming with real timers");
		st->e.real_timers = true;
		again = fz_confirm(&st->e, s, v->primary, 1);
		st->e.real_timers = false;
		if (!again) {
			st->unstable++;
			if (st->o.verbose) {
				fz_scn_id(s, id, sizeof(id));
				printf("unstable (not with real timers): %s\n", id);
			}
			return;
		}
	}
	fz_progress(st, "shrinking");
	fz_shrink(&st->e, s, v->primary, &min, &mv, &tests, &cover);
	if (!mv.diverges || !fz_confirm(&st->e, &min, mv.primary, 1)) {
		/* the minimum did not hold up: keep the original */
		min = cover = *s;
		mv = *v;
	}
	fz_scn_id(&min, id, sizeof(id));
	for (size_t i = 0; i < st->nfound; i++)
		if (!strcmp(st->found[i].id, id)) {
			st->found[i].count++;
			return;
		}
	if (st->nfound == FZ_FOUND_MAX) {
		st->unshrunk++;
		return;
	}
	g = &st->found[st->nfound++];
	memset(g, 0, sizeof(*g));
	g->min = min;
	g->cover = cover;
	g->first = *s;
	g->v = mv;
	g->primary = v->primary;
	g->count = 1;
	g->tests = tests;
	snprintf(g->id, sizeof(g->id), "%s", id);
	fz_scn_id(s, g->first_id, sizeof(g->first_id));
	fz_keep_evidence(st, g);
	if (st->o.progress)
		fprintf(stderr, "\r\033[K");
	if (st->o.verbose || !st->o.progress)
		fz_print_found(st, g, st->nfound - 1);
}

/* ---- the stream ------------------------------------------------------------ */

struct fz_pend {
	bool used;
	struct fz_scn s;
	struct fz_job job[3];	/* lib, ref, the reference on the alternative */
	bool submitted[3];
	int want, got;
	bool ref_cached, alt_cached;
};

static bool fz_gen_more(const struct fz_state *st, uint64_t next)
{
	if (sched_interrupted())
		return false;
	if (st->o.iterations)
		return next < st->o.iterations;
	return util_now_ms() < st->deadline;
}

static void fz_decide(struct fz_state *st, struct fz_pend *p)
{
	struct fz_verdict v;

	/* a run the interruption ended is not judged, nor a harness error */
	if (sched_interrupted() &&
	    (p->job[0].obs.end == FZE_ERROR || p->job[1].obs.end == FZE_ERROR)) {
		p->used = false;
		return;
	}

	if (!p->ref_cached && p->want >= 2)
		fz_cache_put(&st->e, &p->s, &p->job[1].obs);
	fz_verdict_of(&p->s, &p->job[1].obs, &p->job[0].obs, &v);
	if (v.cmp.need_alt) {
		if (p->want == 2) {
			/* run the reference on the page's alternative first */
			p->job[2] = (struct fz_job){ .scn = v.cmp.alt, .lib = &st->ref, .user = p };
			p->alt_cached = fz_cache_get(&st->e, &v.cmp.alt, &p->job[2].obs);
			p->want = 3;
			p->submitted[2] = p->alt_cached;
			if (!p->alt_cached)
				return;
		}
		if (!p->alt_cached)
			fz_cache_put(&st->e, &v.cmp.alt, &p->job[2].obs);
		fz_verdict_alt(&p->s, &p->job[2].obs, &v);
	}
	st->scenarios++;
	p->used = false;
	if (v.error) {
		st->errors++;
		if (st->o.verbose) {
			char id[FZ_ID_MAX];

			fz_scn_id(&p->s, id, sizeof(id));
			printf("harness error in %s: %s%s\n", id, p->job[0].obs.error,
			       p->job[1].obs.error);
		}
		return;
	}
	if (!v.diverges)
		return;
	st->divergent++;
	if (fz_known(st, &p->s, v.primary)) {
		fz_known(st, &p->s, v.primary)->count++;
		st->dups++;
		return;
	}
	if (st->nqueue == FZ_QUEUE) {
		st->unshrunk++;
		return;
	}
	st->queue[st->nqueue].s = p->s;
	st->queue[st->nqueue++].v = v;
}

static void fz_submit_ready(struct fz_state *st, struct fz_pend *pend)
{
	for (int i = 0; i < FZ_PENDING; i++) {
		struct fz_pend *p = &pend[i];

		if (!p->used)
			continue;
		for (int k = 0; k < p->want; k++) {
			if (p->submitted[k] || !fz_pool_has_slot(st->e.pool, fz_is_slow(&p->job[k].scn)))
				continue;
			if (!fz_pool_submit(st->e.pool, &p->job[k])) {
				p->submitted[k] = true;
				st->e.runs++;
			}
		}
	}
}

static int fz_stream(struct fz_state *st)
{
	static struct fz_pend pend[FZ_PENDING];
	uint64_t next = 0;
	double last_progress = 0;

	for (;;) {
		bool any = false;
		struct fz_job *j;

		for (int i = 0; i < FZ_PENDING && fz_gen_more(st, next); i++) {
			struct fz_pend *p = &pend[i];

			if (p->used)
				continue;
			memset(p, 0, sizeof(*p));
			p->used = true;
			fz_scn_generate(st->o.seed, next++, st->o.apis, &p->s);
			p->job[0] = (struct fz_job){ .scn = p->s, .lib = &st->lib, .user = p };
			p->job[1] = (struct fz_job){ .scn = p->s, .lib = &st->ref, .user = p };
			p->ref_cached = fz_cache_get(&st->e, &p->s, &p->job[1].obs);
			p->submitted[1] = p->ref_cached;
			p->got = p->ref_cached;
			p->want = 2;
			if (st->o.verbose) {
				char id[FZ_ID_MAX];

				fz_scn_id(&p->s, id, sizeof(id));
				printf("scenario %llu: %s\n", (unsigned long long)next - 1, id);
			}
		}
		fz_submit_ready(st, pend);
		for (int i = 0; i < FZ_PENDING; i++)
			any |= pend[i].used;
		if (!any)
			break;
		j = fz_pool_wait(st->e.pool);
		if (j) {
			struct fz_pend *p = j->user;

			p->got++;
			if (p->got == p->want)
				fz_decide(st, p);
		}
		/* shrinking runs beside the stream: its completions wait in
		 * the pool for fz_pool_wait */
		while (st->nqueue && !sched_interrupted() &&
		       (st->o.iterations || util_now_ms() < st->deadline)) {
			struct fz_scn s = st->queue[0].s;
			struct fz_verdict v = st->queue[0].v;

			memmove(st->queue, st->queue + 1, --st->nqueue * sizeof(st->queue[0]));
			fz_process(st, &s, &v);
		}
		if (util_now_ms() - last_progress > 200) {
			fz_progress(st, NULL);
			last_progress = util_now_ms();
		}
	}
	st->unshrunk += st->nqueue;
	return 0;
}

/* ---- output ----------------------------------------------------------------- */

static int fz_write_json(struct fz_state *st, double wall_ms)
{
	char pid[512], err[600];
	struct report_run_info ri;
	struct report_fuzz rf = {
		.api = st->o.apis == (1u << FZA_OWFAT) ? "owfat" :
		       st->o.apis == (1u << FZA_CONNECTX) ? "connectx" : "owfat,connectx",
		.seed = st->o.seed, .jobs = st->o.jobs, .scenarios = st->scenarios,
		.runs = st->e.runs, .divergent = st->divergent, .unstable = st->unstable,
		.errors = st->errors, .unshrunk = st->unshrunk, .wall_ms = wall_ms,
	};
	json_t *doc;
	int ret = 0;

	run_platform_id(st->lib.alias, st->lib.path, pid, sizeof(pid));
	/* a fuzz run is not a case run of the same platform */
	snprintf(pid + strlen(pid), sizeof(pid) - strlen(pid), "-fuzz");
	ri = (struct report_run_info){ .platform_id = pid, .lib_path = st->lib.path,
				       .lib_alias = st->lib.alias,
				       .lib_version = st->lib.version,
				       .ref_path = st->ref.path, .wall_ms = wall_ms };
	doc = report_results_new(&ri);
	if (!doc || report_results_set_fuzz(doc, &rf))
		goto oom;
	for (size_t i = 0; i < st->nfound; i++) {
		struct fz_found *f = &st->found[i];
		struct report_fuzz_diff d[FZK_MAX];
		char desc[2048], call[1024], replay[1400];
		const char *words, *cl = fz_clause(&f->min, &f->v, &words);
		struct report_divergence rd;

		fz_scn_describe(&f->min, desc, sizeof(desc));
		fz_scn_call_text(&f->min, call, sizeof(call));
		snprintf(replay, sizeof(replay), "tfocheck fuzz --lib %s --replay %s",
			 st->o.lib, f->id);
		for (int k = 0; k < f->v.cmp.ndiff; k++)
			d[k] = (struct report_fuzz_diff){ fz_field_names[f->v.cmp.diff[k].field],
							  f->v.cmp.diff[k].expected,
							  f->v.cmp.diff[k].observed };
		rd = (struct report_divergence){
			.id = f->id, .found_as = f->first_id, .scenario = desc,
			.call = call, .clause_id = cl, .clause = words,
			.field = d[0].field, .expected = d[0].expected,
			.observed = d[0].observed, .diffs = d,
			.ndiffs = (size_t)f->v.cmp.ndiff, .count = f->count,
			.shrink_tests = f->tests, .calls = fz_scn_calls(&f->min),
			.replay = replay,
			.reproducer = f->sh[0] && f->sh[0] != '(' ? f->sh : NULL,
			.evidence = f->pcap[0] ? f->pcap : NULL,
		};
		if (report_results_add_divergence(doc, &rd))
			goto oom;
	}
	if (report_write_json(doc, st->o.json, err, sizeof(err))) {
		fprintf(stderr, "tfocheck fuzz: %s\n", err);
		ret = -EIO;
	}
	json_decref(doc);
	return ret;
oom:
	json_decref(doc);
	fprintf(stderr, "tfocheck fuzz: out of memory writing the results\n");
	return -ENOMEM;
}

static int fz_replay(struct fz_state *st)
{
	struct fz_scn s;
	struct fz_verdict v;
	char desc[2048], text[4096];

	if (fz_scn_parse(st->o.replay, &s)) {
		fprintf(stderr, "tfocheck fuzz: --replay: '%s' is not a scenario id (fz1-...)\n",
			st->o.replay);
		return EXIT_USAGE;
	}
	fz_scn_describe(&s, desc, sizeof(desc));
	printf("scenario %s: %s\n", st->o.replay, desc);
	if (fz_judge(&st->e, &s, 1, true, &v))
		return EXIT_HARNESS;
	fz_obs_text(&v.ref, text, sizeof(text));
	printf("reference (%s): %s\n", st->ref.path, text);
	fz_obs_text(&v.lib, text, sizeof(text));
	printf("library   (%s): %s\n", st->lib.path, text);
	for (int q = 0; q < FZV_MAX; q++)
		if (v.cmp.excused & (1u << q)) {
			const struct may_fail *m = fz_equiv_decl((enum fz_equiv)q);

			printf("allowed by %s: \"%s\" (%s)\n", fz_equiv_ids[q],
			       m ? m->words : "?", m ? m->accepts : "?");
		}
	if (v.error) {
		printf("not comparable: a harness error\n");
		return EXIT_HARNESS;
	}
	if (!v.diverges) {
		printf("no divergence\n");
		return 0;
	}
	for (int d = 0; d < v.cmp.ndiff; d++)
		printf("divergence: %s: expected %s (reference); observed %s\n",
		       fz_field_names[v.cmp.diff[d].field], v.cmp.diff[d].expected,
		       v.cmp.diff[d].observed);
	return 1;
}

int fuzz_main(int argc, char **argv)
{
	static struct fz_state st;
	char why[400];
	double wall;
	int ret;

	memset(&st, 0, sizeof(st));
	ret = fz_parse(argc, argv, &st.o);
	if (ret >= 0)
		return ret;
	ret = fz_load(&st);
	if (ret >= 0)
		goto out;
	if (fz_scn_check_profiles()) {
		fprintf(stderr, "tfocheck fuzz: the fuzz profile list names a profile netns/profile.c lacks\n");
		ret = EXIT_HARNESS;
		goto out;
	}
	if (st.o.out) {
		snprintf(st.outdir, sizeof(st.outdir), "%s", st.o.out);
		if (mkdir(st.outdir, 0755) && errno != EEXIST) {
			fprintf(stderr, "tfocheck fuzz: cannot create --out '%s': %s\n",
				st.outdir, strerror(errno));
			ret = EXIT_USAGE;
			goto out;
		}
		if (!st.o.json) {
			static char json[1100];

			snprintf(json, sizeof(json), "%s/fuzz.json", st.outdir);
			st.o.json = json;
		}
	}
	if (run_isolate(why, sizeof(why))) {
		fprintf(stderr, "tfocheck fuzz: %s\n", why);
		ret = EXIT_NOTHING_RAN;
		goto out;
	}
	if (fz_engine_init(&st.e, &st.lib, &st.ref, st.o.jobs, 8 * st.o.jobs,
			   st.o.timeout_ms)) {
		fprintf(stderr, "tfocheck fuzz: out of memory\n");
		ret = EXIT_HARNESS;
		goto out;
	}
	/* the cases' compressed initial RTO (harness/timers.h): the same
	 * observations without the seconds a silent peer costs; a divergence
	 * is also confirmed with real timers (fz_process) */
	timers_start(!st.o.real_timers && !st.o.replay, TIMERS_TARGET_RTO_MS);
	sched_catch_signals();
	if (st.o.replay) {
		ret = fz_replay(&st);
		fz_engine_done(&st.e);
		timers_stop();
		goto out;
	}
	printf("tfocheck fuzz: %s against %s, seed %llu, %s %g%s, -j %d\n",
	       st.lib.path, st.ref.path, (unsigned long long)st.o.seed,
	       st.o.iterations ? "iterations" : "time",
	       st.o.iterations ? (double)st.o.iterations : st.o.time_s,
	       st.o.iterations ? "" : " s", st.o.jobs);
	fflush(stdout);
	st.t0 = util_now_ms();
	st.deadline = st.t0 + st.o.time_s * 1000.0;
	fz_stream(&st);
	wall = util_now_ms() - st.t0;
	if (st.o.progress)
		fprintf(stderr, "\r\033[K");
	if (st.o.progress && !st.o.verbose)
		for (size_t i = 0; i < st.nfound; i++)
			fz_print_found(&st, &st.found[i], i);
	printf("\ntfocheck fuzz: %lu scenarios in %.1f s (%.0f/s, %lu runs), %lu divergent, %zu distinct after shrinking",
	       st.scenarios, wall / 1000.0, wall > 0 ? st.scenarios * 1000.0 / wall : 0.0,
	       st.e.runs, st.divergent, st.nfound);
	if (st.unstable)
		printf(", %lu did not repeat", st.unstable);
	if (st.errors)
		printf(", %lu harness errors", st.errors);
	if (st.unshrunk)
		printf(", %lu not shrunk (time was up)", st.unshrunk);
	printf("\n");
	if (st.o.json && fz_write_json(&st, wall)) {
		fz_engine_done(&st.e);
		timers_stop();
		ret = EXIT_HARNESS;
		goto out;
	}
	fz_engine_done(&st.e);
	timers_stop();
	ret = sched_interrupted() ? EXIT_INTERRUPTED : st.nfound || st.unshrunk ? 1 : 0;
out:
	if (st.lib.handle)
		libload_close(&st.lib);
	if (st.ref.handle)
		libload_close(&st.ref);
	return ret;
}
