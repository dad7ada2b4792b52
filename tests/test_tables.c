/* SPDX-License-Identifier: MIT */
/*
 * The case tables against themselves and against docs/clauses.md:
 *
 *   - every row has an id ("api.words"), a clause id, words for its
 *     expectation and clause, and a body; ids are unique;
 *   - every profile a row names exists, and no hand-written profile list
 *     is what a predicate of netns/profile.h computes (use .profile_if);
 *   - in docs/clauses.md every row is listed, in the "cases" column of the
 *     line of its own clause id, in the section of its API; every case id
 *     (or glob) written there is a row; every full id `api.words` written
 *     anywhere in the document is a row; clause ids are defined once.
 *
 * The document's conventions (section markers `<!-- cases: API -->`,
 * clause tables with a "cases" column, case ids in backticks) are stated
 * at the top of docs/clauses.md.  The checker takes the tables and the
 * text as arguments, so the test also feeds it planted mistakes and
 * requires each to be reported.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/case.h"
#include "tests/testlib.h"
#include "util/util.h"

#define DOC_PATH "docs/clauses.md"

struct tcheck {
	const struct case_table *tables;
	char out[16384];
	size_t off;
	int problems;
};

static void problem(struct tcheck *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct tcheck *k, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	k->problems++;
	util_appendf(k->out, sizeof(k->out), &k->off, "%s\n", line);
}

/* The row whose id is api.short (short may be the full id). */
static const struct case_def *row_find(const struct tcheck *k, const char *api,
				       const char *name)
{
	for (const struct case_table *t = k->tables; t; t = t->next)
		for (size_t r = 0; r < t->count; r++) {
			const struct case_def *d = &t->rows[r];
			const char *dot = strchr(d->id, '.');

			if (!strcmp(d->id, name))
				return d;
			if (api && dot && !strcmp(dot + 1, name) &&
			    !strncmp(d->id, api, (size_t)(dot - d->id)) &&
			    strlen(api) == (size_t)(dot - d->id))
				return d;
		}
	return NULL;
}

static bool row_api_is(const struct case_def *d, const char *api)
{
	size_t n = strcspn(d->id, ".");

	return strlen(api) == n && !strncmp(d->id, api, n);
}

/* ---- the rows on their own ---- */

static void check_profiles(struct tcheck *k, const struct case_def *d)
{
	unsigned long long named = 0;

	if (d->profile_if && d->profiles)
		problem(k, "%s: both .profile_if and .profiles", d->id);
	if (!d->profiles || !strcmp(d->profiles, "*"))
		return;
	for (const char *p = d->profiles; *p;) {
		size_t l = strcspn(p, ",");
		char name[64];
		const struct profile *pr;

		snprintf(name, sizeof(name), "%.*s", (int)l, p);
		pr = profile_find(name);
		if (!pr)
			problem(k, "%s: unknown profile '%s'", d->id, name);
		else
			named |= 1ull << (pr - profile_table);
		p += l + (p[l] == ',');
	}
	for (size_t i = 0; i < profile_predicate_count; i++) {
		unsigned long long set = 0;

		for (size_t p = 0; p < profile_count; p++)
			if (profile_predicates[i].fn(&profile_table[p]))
				set |= 1ull << p;
		if (set == named && set)
			problem(k, "%s: the profile list \"%s\" is what %s computes: use .profile_if",
				d->id, d->profiles, profile_predicates[i].name);
	}
}

static void check_rows(struct tcheck *k)
{
	for (const struct case_table *t = k->tables; t; t = t->next)
		for (size_t r = 0; r < t->count; r++) {
			const struct case_def *d = &t->rows[r];
			const char *api = case_api_name(d->api);

			if (!d->id || !row_api_is(d, api) || !d->id[strlen(api) + 1]) {
				problem(k, "row with id '%s': not \"%s.words\"",
					d->id ? d->id : "(null)", api);
				continue;
			}
			if (!d->clause_id || !*d->clause_id)
				problem(k, "%s: no clause id", d->id);
			if (!d->expect || !*d->expect || !d->clause || !*d->clause)
				problem(k, "%s: no expectation or clause words", d->id);
			if (!d->body)
				problem(k, "%s: no body", d->id);
			for (const struct case_table *u = k->tables; u; u = u->next)
				for (size_t q = 0; q < u->count; q++) {
					const struct case_def *e = &u->rows[q];

					if (e == d)
						goto unique_done;
					if (e->id && !strcmp(e->id, d->id))
						problem(k, "%s: id used twice", d->id);
				}
unique_done:
			check_profiles(k, d);
		}
}

/* ---- the document ---- */

#define MAX_CELLS 8

/* Split a table line into cells (unescaped '|'), trimmed, in place. */
static int split_cells(char *line, char *cells[MAX_CELLS])
{
	int n = 0;
	char *p = line;

	if (*p != '|')
		return 0;
	p++;
	while (*p && n < MAX_CELLS) {
		char *start = p, *end;

		while (*p && !(*p == '|' && p[-1] != '\\'))
			p++;
		end = p;
		if (*p)
			*p++ = 0;
		else if (end == start)
			break;
		while (isspace((unsigned char)*start))
			start++;
		while (end > start && isspace((unsigned char)end[-1]))
			*--end = 0;
		cells[n++] = start;
	}
	return n;
}

static bool is_clause_id(const char *s)
{
	size_t i = 0;

	if (!isupper((unsigned char)s[0]))
		return false;
	while (isupper((unsigned char)s[i]))
		i++;
	if (!isdigit((unsigned char)s[i]))
		return false;
	while (isdigit((unsigned char)s[i]))
		i++;
	return s[i] == 0;
}

/* Backticked tokens of s, one after the other: *tok and its length. */
static const char *next_tick(const char *s, const char **tok, size_t *len)
{
	const char *a = strchr(s, '`'), *b;

	if (!a || !(b = strchr(a + 1, '`')))
		return NULL;
	*tok = a + 1;
	*len = (size_t)(b - a - 1);
	return b + 1;
}

static bool is_id_token(const char *t, size_t n)
{
	if (!n || !(islower((unsigned char)t[0])))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)t[i]) && !isdigit((unsigned char)t[i]) &&
		    t[i] != '_' && t[i] != '*' && t[i] != '.')
			return false;
	return true;
}

struct listed {
	const struct case_def *d;
	char clause_id[16];
};

struct docstate {
	char api[16];			/* current section's API ("" none) */
	int cases_col;			/* -1: this table has none */
	struct listed *l;
	size_t nl, cap;
	char defined[256][16];
	size_t ndefined;
};

static void note_listed(struct docstate *st, const struct case_def *d,
			const char *cid)
{
	if (st->nl == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 256;
		st->l = realloc(st->l, st->cap * sizeof(*st->l));
	}
	st->l[st->nl].d = d;
	snprintf(st->l[st->nl].clause_id, sizeof(st->l[st->nl].clause_id),
		 "%s", cid);
	st->nl++;
}

/* The cases cell of a clause line: every token a row (or a glob over rows). */
static void check_cases_cell(struct tcheck *k, struct docstate *st,
			     const char *cid, const char *cell, int lineno)
{
	const char *t, *p = cell;
	size_t n;

	while ((p = next_tick(p, &t, &n))) {
		char tok[128];
		bool any = false;

		snprintf(tok, sizeof(tok), "%.*s", (int)n, t);
		if (!is_id_token(t, n)) {
			problem(k, DOC_PATH ":%d: `%s` in the cases column of %s is not a case id",
				lineno, tok, cid);
			continue;
		}
		if (strchr(tok, '*')) {
			for (const struct case_table *tb = k->tables; tb; tb = tb->next)
				for (size_t r = 0; r < tb->count; r++) {
					const struct case_def *d = &tb->rows[r];
					const char *dot = strchr(d->id, '.');

					if (row_api_is(d, st->api) && dot &&
					    !fnmatch(tok, dot + 1, 0)) {
						any = true;
						note_listed(st, d, cid);
					}
				}
			if (!any)
				problem(k, DOC_PATH ":%d: `%s` (%s) matches no %s row",
					lineno, tok, cid, st->api);
			continue;
		}
		{
			const struct case_def *d = row_find(k, st->api, tok);

			if (!d || !row_api_is(d, st->api))
				problem(k, DOC_PATH ":%d: `%s` (%s) is not a %s row",
					lineno, tok, cid, st->api);
			else
				note_listed(st, d, cid);
		}
	}
}

static void check_line(struct tcheck *k, struct docstate *st, char *line,
		       const char *next, int lineno)
{
	char *cells[MAX_CELLS], marker[32];
	int n;

	if (sscanf(line, "<!-- cases: %31[a-z] -->", marker) == 1) {
		snprintf(st->api, sizeof(st->api), "%.15s", marker);
		return;
	}
	if (line[0] != '|') {
		st->cases_col = -1;
		return;
	}
	n = split_cells(line, cells);
	if (next && !strncmp(next, "|-", 2)) { /* a header row */
		st->cases_col = -1;
		for (int i = 0; i < n; i++)
			if (!strcasecmp(cells[i], "cases"))
				st->cases_col = i;
		return;
	}
	if (n < 1 || !is_clause_id(cells[0]))
		return;
	for (size_t i = 0; i < st->ndefined; i++)
		if (!strcmp(st->defined[i], cells[0]))
			problem(k, DOC_PATH ":%d: clause id %s defined twice",
				lineno, cells[0]);
	if (st->ndefined < 256)
		snprintf(st->defined[st->ndefined++], 16, "%.15s", cells[0]);
	if (st->cases_col >= 0 && st->cases_col < n && st->api[0])
		check_cases_cell(k, st, cells[0], cells[st->cases_col], lineno);
}

/* Full ids anywhere in the text must be rows. */
static void check_full_ids(struct tcheck *k, const char *doc)
{
	const char *t, *p = doc;
	size_t n;

	while ((p = next_tick(p, &t, &n))) {
		char tok[160];

		snprintf(tok, sizeof(tok), "%.*s", (int)n, t);
		for (int a = 0; a < API_MAX; a++) {
			const char *api = case_api_name((enum case_api)a);
			size_t al = strlen(api);

			if (!strncmp(tok, api, al) && tok[al] == '.' && tok[al + 1] &&
			    is_id_token(tok, strlen(tok)) && !strchr(tok, '*') &&
			    !row_find(k, NULL, tok))
				problem(k, DOC_PATH ": `%s` is not a case row", tok);
		}
	}
}

static void check_doc(struct tcheck *k, const char *doc)
{
	struct docstate st = { .cases_col = -1 };
	char *copy = strdup(doc), *line, *save = NULL;
	char *lines[8192];
	int nlines = 0;

	for (line = strtok_r(copy, "\n", &save); line && nlines < 8192;
	     line = strtok_r(NULL, "\n", &save))
		lines[nlines++] = line;
	for (int i = 0; i < nlines; i++) {
		char buf[4096];

		snprintf(buf, sizeof(buf), "%s", lines[i]);
		check_line(k, &st, buf, i + 1 < nlines ? lines[i + 1] : NULL,
			   i + 1);
	}
	/* every row listed under its own clause id */
	for (const struct case_table *t = k->tables; t; t = t->next)
		for (size_t r = 0; r < t->count; r++) {
			const struct case_def *d = &t->rows[r];
			bool any = false, own = false, defined = false;

			for (size_t i = 0; i < st.nl; i++)
				if (st.l[i].d == d) {
					any = true;
					own |= d->clause_id &&
					       !strcmp(st.l[i].clause_id, d->clause_id);
				}
			for (size_t i = 0; i < st.ndefined && d->clause_id; i++)
				defined |= !strcmp(st.defined[i], d->clause_id);
			if (!any)
				problem(k, "%s: not listed in " DOC_PATH, d->id);
			else if (!own && defined)
				problem(k, "%s: not listed on the line of its clause %s in " DOC_PATH,
					d->id, d->clause_id);
			if (d->clause_id && !defined)
				problem(k, "%s: clause id %s is not defined in " DOC_PATH,
					d->id, d->clause_id);
		}
	check_full_ids(k, doc);
	free(st.l);
	free(copy);
}

static int tables_check(struct tcheck *k, const char *doc)
{
	check_rows(k);
	check_doc(k, doc);
	return k->problems;
}

static char *read_doc(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void test_tables_consistent(void)
{
	static struct tcheck k;
	char *doc = read_doc(DOC_PATH);

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	memset(&k, 0, sizeof(k));
	k.tables = case_tables();
	CU_ASSERT_EQUAL(tables_check(&k, doc), 0);
	if (k.problems)
		fprintf(stderr, "\n  case tables vs " DOC_PATH ":\n%s", k.out);
	free(doc);
}

/* ---- planted mistakes ---- */

static void planted_body(struct case_ctx *c)
{
	(void)c;
}

static const struct case_def planted_rows[] = {
	{ .id = "owfat.good", .clause_id = "O1", .api = API_OWFAT,
	  .expect = "e", .clause = "c", .body = planted_body },
	{ .id = "owfat.good", .clause_id = "O1", .api = API_OWFAT,
	  .expect = "e", .clause = "c", .body = planted_body },	/* twice */
	{ .id = "owfat.no_clause", .api = API_OWFAT, .expect = "e",
	  .clause = "c", .body = planted_body },
	{ .id = "owfat.typo_profile", .clause_id = "O1", .api = API_OWFAT,
	  .expect = "e", .clause = "c", .body = planted_body,
	  .profiles = "tfo,clinet-off" },
	{ .id = "owfat.hand_list", .clause_id = "O1", .api = API_OWFAT,
	  .expect = "e", .clause = "c", .body = planted_body,
	  .profiles = "client-off,client-server-only" },
	{ .id = "owfat.undocumented", .clause_id = "O1", .api = API_OWFAT,
	  .expect = "e", .clause = "c", .body = planted_body },
	{ .id = "owfat.wrong_line", .clause_id = "O2", .api = API_OWFAT,
	  .expect = "e", .clause = "c", .body = planted_body },
	{ .id = "connectx.bad_prefix", .clause_id = "O1", .api = API_OWFAT,
	  .expect = "e", .clause = "c", .body = planted_body },
};

static const char planted_doc[] =
	"<!-- cases: owfat -->\n"
	"| id | sentence | cases |\n"
	"|---|---|---|\n"
	"| O1 | attempts | `good`, `no_clause`, `typo_profile`, `hand_list`, `wrong_line`, `gone` |\n"
	"| O2 | sends | `s` |\n"
	"| O2 | twice | |\n"
	"and a stale full id `owfat.renamed_long_ago`\n";

static void test_planted_mistakes_found(void)
{
	static struct tcheck k;
	static struct case_table t = { planted_rows,
				       sizeof(planted_rows) / sizeof(planted_rows[0]),
				       NULL };
	static const char *const want[] = {
		"owfat.good: id used twice",
		"owfat.no_clause: no clause id",
		"owfat.typo_profile: unknown profile 'clinet-off'",
		"owfat.hand_list: the profile list \"client-off,client-server-only\" is what profile_client_no_tfo computes",
		"owfat.undocumented: not listed in",
		"owfat.wrong_line: not listed on the line of its clause O2",
		"row with id 'connectx.bad_prefix': not \"owfat.words\"",
		"`gone` (O1) is not a owfat row",
		"`s` (O2) is not a owfat row",
		"clause id O2 defined twice",
		"`owfat.renamed_long_ago` is not a case row",
	};

	memset(&k, 0, sizeof(k));
	k.tables = &t;
	CU_ASSERT(tables_check(&k, planted_doc) >= (int)(sizeof(want) / sizeof(want[0])));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		CU_ASSERT_PTR_NOT_NULL(strstr(k.out, want[i]));
		if (!strstr(k.out, want[i]))
			fprintf(stderr, "\n  not reported: %s\n  (got:\n%s)", want[i],
				k.out);
	}
}

TEST_SUITE(tables, NULL, NULL,
	   { "case tables agree with docs/clauses.md", test_tables_consistent },
	   { "planted table mistakes are reported", test_planted_mistakes_found })
