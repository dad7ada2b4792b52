/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck diff OLD.json NEW.json [--json]`: what changed between two
 * runs, matched by instance name.  It is a CI gate, so "regression" has
 * one precise meaning (docs/reports.md): an instance present in both runs
 * whose OLD status was acceptable (PASS, XPASS, XFAIL, SKIP) and whose NEW
 * status is bad (FAIL, ERROR, CRASH, TIMEOUT).  Only regressions make the
 * exit status 1.  "Fixed" is bad or XFAIL becoming PASS or XPASS; every
 * other difference is "changed".  Instances only in NEW "appeared", only
 * in OLD "disappeared": listed, never gating, because a filter or a new
 * case is not a behaviour change of the library.  An instance that an
 * interruption left unfinished (in either run) is counted, not compared,
 * and an interrupted NEW exits 1 like a regression: an incomplete run
 * must never read as "nothing regressed".
 */
#include "reports/report_int.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

enum diff_kind { DK_REGRESSED, DK_FIXED, DK_CHANGED, DK_APPEARED, DK_DISAPPEARED, DK_COUNT };

static const char *const diff_kind_key[DK_COUNT] = {
	"regressions", "fixed", "changed", "appeared", "disappeared",
};
static const char *const diff_kind_title[DK_COUNT] = {
	"Regressions", "Fixed", "Changed", "Appeared (only in NEW)",
	"Disappeared (only in OLD)",
};

static enum diff_kind diff_classify(enum outcome o, enum outcome n)
{
	if (!outcome_is_bad(o) && outcome_is_bad(n))
		return DK_REGRESSED;
	if ((outcome_is_bad(o) || o == OUT_XFAIL) && (n == OUT_PASS || n == OUT_XPASS))
		return DK_FIXED;
	return DK_CHANGED;
}

static void diff_usage(FILE *f)
{
	fprintf(f, "usage: tfocheck diff OLD.json NEW.json [--json]\n"
		   "  exit 0: no regression, 1: regressions or NEW interrupted, 2: bad input\n"
		   "  see tfocheck-report(1)\n");
}

static json_t *diff_entry(const char *name, const json_t *o, const json_t *n)
{
	json_t *e = json_pack("{s:s}", "name", name);

	if (e && o)
		json_object_set_new(e, "old", json_string(report_str(o, "status")));
	if (e && n)
		json_object_set_new(e, "new", json_string(report_str(n, "status")));
	if (e)
		json_object_set_new(e, "message",
				    json_string(report_str(n ? n : o, "message")));
	return e;
}

/*
 * Fuzz divergences (the "fuzz" sections) by their shrunk scenario id: one
 * in NEW only is a regression (a behaviour the library did not show
 * before), one in OLD only is fixed.  -ENOMEM, else 0.
 */
static int diff_fuzz(json_t *const docs[2], json_t *lists[DK_COUNT])
{
	const json_t *d[2];
	const json_t *x, *y;
	size_t i, k;

	for (int s = 0; s < 2; s++)
		d[s] = json_object_get(json_object_get(docs[s], "fuzz"), "divergences");
	for (int s = 0; s < 2; s++) {
		json_array_foreach(d[s], i, x) {
			bool other = false;
			char name[200], msg[700];
			json_t *e;

			json_array_foreach(d[!s], k, y)
				other |= !strcmp(report_str(x, "id"), report_str(y, "id"));
			if (other)
				continue;
			snprintf(name, sizeof(name), "fuzz %s", report_str(x, "id"));
			snprintf(msg, sizeof(msg), "%s: expected %s; observed %s (%s)",
				 report_str(x, "field"), report_str(x, "expected"),
				 report_str(x, "observed"), report_str(x, "scenario"));
			e = json_pack("{s:s,s:s,s:s,s:s}", "name", name, "old",
				      s ? "no divergence" : "divergent", "new",
				      s ? "divergent" : "no divergence", "message", msg);
			if (!e || json_array_append_new(lists[s ? DK_REGRESSED : DK_FIXED], e))
				return -ENOMEM;
		}
	}
	return 0;
}

/* Message of one line, for the text listing. */
static void diff_msg_puts(const char *s)
{
	if (!*s)
		return;
	fputs("  ", stdout);
	for (int i = 0; s[i] && i < 160; i++)
		putchar(s[i] == '\n' || s[i] == '\t' ? ' ' : s[i]);
	if (strlen(s) > 160)
		fputs("...", stdout);
}

int diff_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *docs[2] = { NULL, NULL }, *out = NULL, *lists[DK_COUNT] = { NULL };
	json_t *index = NULL, *r;
	bool as_json = false;
	unsigned int unchanged = 0, unfinished = 0;
	bool intr[2];
	char err[1024];
	int c, ret = REPORT_EXIT_USAGE;
	size_t i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			as_json = true;
			break;
		case 'h':
			diff_usage(stdout);
			return REPORT_EXIT_OK;
		default:
			diff_usage(stderr);
			return REPORT_EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "tfocheck diff: want exactly two results files, OLD and NEW (got %d)\n",
			argc - optind);
		diff_usage(stderr);
		return REPORT_EXIT_USAGE;
	}
	for (int k = 0; k < 2; k++) {
		if (report_load(argv[optind + k], &docs[k], err, sizeof(err))) {
			fprintf(stderr, "tfocheck diff: %s\n", err);
			goto out;
		}
	}
	for (int k = 0; k < 2; k++)
		intr[k] = json_is_true(json_object_get(docs[k], "interrupted"));
	index = json_object();
	if (!index)
		goto oom;
	for (int k = 0; k < DK_COUNT; k++) {
		lists[k] = json_array();
		if (!lists[k])
			goto oom;
	}
	json_array_foreach(json_object_get(docs[1], "results"), i, r)
		if (json_object_set(index, report_str(r, "name"), r))
			goto oom;
	json_array_foreach(json_object_get(docs[0], "results"), i, r) {
		const char *name = report_str(r, "name");
		json_t *n = json_object_get(index, name);
		enum outcome so = report_result_status(r), sn;

		if (!n) {
			json_array_append_new(lists[DK_DISAPPEARED], diff_entry(name, r, NULL));
			continue;
		}
		sn = report_result_status(n);
		if (json_is_true(json_object_get(r, "interrupted")) ||
		    json_is_true(json_object_get(n, "interrupted")))
			unfinished++;
		else if (so == sn)
			unchanged++;
		else
			json_array_append_new(lists[diff_classify(so, sn)],
					      diff_entry(name, r, n));
		json_object_del(index, name);
	}
	/* what is left in the index was not in OLD; keep NEW's order */
	json_array_foreach(json_object_get(docs[1], "results"), i, r) {
		if (!json_object_get(index, report_str(r, "name")))
			continue;
		if (json_is_true(json_object_get(r, "interrupted")))
			unfinished++;
		else
			json_array_append_new(lists[DK_APPEARED],
					      diff_entry(report_str(r, "name"), NULL, r));
	}

	if (diff_fuzz(docs, lists))
		goto oom;
	ret = json_array_size(lists[DK_REGRESSED]) || intr[1] ? REPORT_EXIT_REGRESSION :
								  REPORT_EXIT_OK;
	if (as_json) {
		out = json_pack("{s:s,s:{s:s,s:s},s:{s:s,s:s},s:I,s:b}", "schema",
				"tfocheck-diff/1", "old", "path", argv[optind],
				"platform_id", report_str(docs[0], "platform_id"),
				"new", "path", argv[optind + 1], "platform_id",
				report_str(docs[1], "platform_id"), "unchanged",
				(json_int_t)unchanged, "regressed",
				json_array_size(lists[DK_REGRESSED]) > 0);
		if (!out)
			goto oom;
		json_object_set_new(out, "interrupted", json_pack("{s:b,s:b}", "old", intr[0],
								  "new", intr[1]));
		json_object_set_new(out, "unfinished", json_integer((json_int_t)unfinished));
		for (int k = 0; k < DK_COUNT; k++)
			json_object_set(out, diff_kind_key[k], lists[k]);
		json_dumpf(out, stdout, JSON_INDENT(1) | JSON_SORT_KEYS);
		putchar('\n');
		goto out;
	}
	printf("tfocheck diff: %s (%s, %zu instances) -> %s (%s, %zu instances)\n",
	       argv[optind], report_str(docs[0], "platform_id"),
	       json_array_size(json_object_get(docs[0], "results")), argv[optind + 1],
	       report_str(docs[1], "platform_id"),
	       json_array_size(json_object_get(docs[1], "results")));
	if (strcmp(report_str(docs[0], "platform_id"), report_str(docs[1], "platform_id")))
		printf("note: the platforms differ; changes may come from the kernel, not the library\n");
	for (int k = 0; k < 2; k++)
		if (intr[k])
			printf("note: %s (%s) comes from an interrupted run%s\n", k ? "NEW" : "OLD",
			       argv[optind + k], k ? ": incomplete, so this diff exits 1" : "");
	if (unfinished)
		printf("note: %u instance%s not compared: an interruption left %s unfinished\n",
		       unfinished, unfinished == 1 ? "" : "s", unfinished == 1 ? "it" : "them");
	for (int k = 0; k < DK_COUNT; k++) {
		json_t *e;

		if (!json_array_size(lists[k]))
			continue;
		printf("\n%s (%zu):\n", diff_kind_title[k], json_array_size(lists[k]));
		json_array_foreach(lists[k], i, e) {
			printf("  %s: ", report_str(e, "name"));
			if (k == DK_APPEARED)
				printf("%s", report_str(e, "new"));
			else if (k == DK_DISAPPEARED)
				printf("was %s", report_str(e, "old"));
			else
				printf("%s -> %s", report_str(e, "old"), report_str(e, "new"));
			diff_msg_puts(report_str(e, "message"));
			putchar('\n');
		}
	}
	printf("\n%zu regressed, %zu fixed, %zu changed, %zu appeared, %zu disappeared, %u unchanged",
	       json_array_size(lists[DK_REGRESSED]), json_array_size(lists[DK_FIXED]),
	       json_array_size(lists[DK_CHANGED]), json_array_size(lists[DK_APPEARED]),
	       json_array_size(lists[DK_DISAPPEARED]), unchanged);
	if (unfinished)
		printf(", %u unfinished (interrupted)", unfinished);
	putchar('\n');
	goto out;
oom:
	fprintf(stderr, "tfocheck diff: out of memory\n");
	ret = REPORT_EXIT_USAGE;
out:
	fflush(stdout);
	json_decref(out);
	json_decref(index);
	for (int k = 0; k < DK_COUNT; k++)
		json_decref(lists[k]);
	json_decref(docs[0]);
	json_decref(docs[1]);
	return ret;
}
