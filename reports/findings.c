/* SPDX-License-Identifier: MIT */
/*
 * What a reader wants before the matrix (see render.h): per library one
 * headline, the failing instances grouped into deviations, and what
 * differs between the kernels a library ran on.
 *
 * A deviation is one observed behaviour, not one clause: libowfat's
 * missing fallback makes socket_fastopen_connect4/6 return -1 EOPNOTSUPP
 * in sixty instances of nine clauses, and a packager has one thing to
 * fix, not nine.  So failing instances (FAIL, ERROR, CRASH, TIMEOUT) are
 * grouped by (library, status, differential verdict, observation), where
 * the observation is read off the message (docs/reports.md, "Deviations"):
 *
 *   - the observed part: what follows the last "observed", else what
 *     follows ", got", else what precedes "expected", else the message;
 *   - if it reports a call's result ("returned -1 errno EOPNOTSUPP"),
 *     that result alone: which call, and what the case tried, varies
 *     between clauses but the library's answer does not;
 *   - else the observed text with numbers made "N" (ports, byte counts,
 *     milliseconds vary between instances);
 *   - in both, the 4/6 of a family-specific function name folded
 *     (socket_fastopen_connect4 and socket_fastopen_connect6 are one).
 *
 * Inside a deviation, the instances are listed by clause, with what each
 * clause's cases expected.  Instances an interruption left unfinished
 * are counted per library, not grouped.
 */
#include "reports/render.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading a message ------------------------------------------------ */

static bool word_at(const char *s, const char *p)
{
	return p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
}

/* The first (or last) needle outside parentheses; a needle that starts
 * with a letter must start a word. */
static const char *find0(const char *s, const char *needle, bool last)
{
	size_t l = strlen(needle);
	const char *hit = NULL;
	int depth = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth)
			depth--;
		if (depth || strncmp(p, needle, l) ||
		    (isalpha((unsigned char)needle[0]) && !word_at(s, p)))
			continue;
		hit = p;
		if (!last)
			break;
	}
	return hit;
}

static char *dup_trimmed(const char *s, size_t len)
{
	while (len && strchr(" \t\n;:,.", s[len - 1]))
		len--;
	while (len && strchr(" \t\n;:,", *s)) {
		s++;
		len--;
	}
	return strndup(s, len);
}

char *mx_msg_expected(const char *msg)
{
	/* the scheduler appends what a case process printed: not expected */
	static const char *const ends[] = { "; observed", ", observed", ", got ", ", but ",
					    "; the case process wrote " };
	const char *p = find0(msg, "expected ", false), *end;

	if (!p)
		return strdup("");
	p += strlen("expected ");
	end = p + strlen(p);
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		const char *e = find0(p, ends[i], false);

		if (e && e < end)
			end = e;
	}
	return dup_trimmed(p, (size_t)(end - p));
}

char *mx_msg_observed(const char *msg)
{
	const char *p = find0(msg, "observed", true);

	if (p)
		return dup_trimmed(p + strlen("observed"), strlen(p + strlen("observed")));
	p = find0(msg, ", got ", true);
	if (p)
		return dup_trimmed(p + strlen(", got "), strlen(p + strlen(", got ")));
	p = find0(msg, "expected ", false);
	if (p && p > msg)
		return dup_trimmed(msg, (size_t)(p - msg));
	return dup_trimmed(msg, strlen(msg));
}

char *mx_msg_signature(const char *obs)
{
	const char *p = find0(obs, "returned ", true);
	char *sig, *o;

	if (p) {
		const char *v = p + strlen("returned "), *e = v;
		size_t len;

		while (*e && !strchr(" ;,()", *e))
			e++;
		len = (size_t)(e - p);
		if (!strncmp(e, " errno ", 7) && isupper((unsigned char)e[7])) {
			e += 7;
			while (isupper((unsigned char)*e) || isdigit((unsigned char)*e) || *e == '_')
				e++;
			len = (size_t)(e - p);
		}
		return strndup(p, len);
	}
	sig = malloc(strlen(obs) + 1);
	if (!sig)
		return NULL;
	o = sig;
	for (const char *s = obs; *s && o - sig < 200;) {
		if (s[0] == '0' && s[1] == 'x' && isxdigit((unsigned char)s[2])) {
			for (s += 2; isxdigit((unsigned char)*s); s++)
				;
			*o++ = 'N';
		} else if (isdigit((unsigned char)*s) && word_at(obs, s)) {
			while (isdigit((unsigned char)*s))
				s++;
			*o++ = 'N';
		} else if (isspace((unsigned char)*s)) {
			while (isspace((unsigned char)*s))
				s++;
			*o++ = ' ';
		} else {
			*o++ = *s++;
		}
	}
	*o = 0;
	return sig;
}

char *mx_fold46(const char *s, unsigned int *mask)
{
	char *f = strdup(s);

	if (mask)
		*mask = 0;
	if (!f)
		return NULL;
	for (size_t i = 1; f[i]; i++) {
		size_t w = i;
		bool under = false;

		if ((f[i] != '4' && f[i] != '6') || !isalpha((unsigned char)f[i - 1]) ||
		    isalnum((unsigned char)f[i + 1]) || f[i + 1] == '_')
			continue;
		while (w && (isalnum((unsigned char)f[w - 1]) || f[w - 1] == '_'))
			under |= f[--w] == '_';
		if (!under)
			continue;
		if (mask)
			*mask |= f[i] == '4' ? 1 : 2;
		f[i] = MX_FOLD;
	}
	return f;
}

void mx_fold_render(FILE *f, const char *key, unsigned int mask,
		    void (*put)(FILE *, const char *))
{
	const char *digits = mask == 1 ? "4" : mask == 2 ? "6" : "4/6";
	char *copy = strdup(key), *p, *s;

	if (!copy)
		return;
	for (s = copy; (p = strchr(s, MX_FOLD)); s = p + 1) {
		*p = 0;
		put(f, s);
		put(f, digits);
	}
	put(f, s);
	free(copy);
}

/* ---- tallies and texts --------------------------------------------------- */

static int tally_add(struct mx_tallies *t, const char *name)
{
	struct mx_tally *v;

	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name)) {
			t->v[i].n++;
			return 0;
		}
	v = realloc(t->v, (t->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	t->v = v;
	t->v[t->n++] = (struct mx_tally){ name, 1 };
	return 0;
}

/* takes key */
static int texts_add(struct mx_texts *t, char *key, unsigned int mask)
{
	struct mx_text *v;

	if (!key)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].key, key)) {
			t->v[i].n++;
			t->v[i].mask |= mask;
			free(key);
			return 0;
		}
	v = realloc(t->v, (t->n + 1) * sizeof(*v));
	if (!v) {
		free(key);
		return -ENOMEM;
	}
	t->v = v;
	t->v[t->n++] = (struct mx_text){ key, mask, 1 };
	return 0;
}

static void texts_free(struct mx_texts *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].key);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

/* commonest first; ties by text, so the order never depends on qsort */
static int text_cmp(const void *a, const void *b)
{
	const struct mx_text *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* qsort() wants a non-null base even for nothing to sort */
static void sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

/* ---- libraries and kernels ---------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

const char *mx_kernel_label(const struct mx *m, int k)
{
	return m->kernels[k].release;
}

static int kernel_find(struct mx *m, const json_t *plat)
{
	const char *os = report_str(plat, "os"), *rel = report_str(plat, "kernel"),
		   *arch = report_str(plat, "arch");
	struct mx_kernel *v;

	for (size_t i = 0; i < m->nkernels; i++)
		if (!strcmp(m->kernels[i].os, os) && !strcmp(m->kernels[i].release, rel) &&
		    !strcmp(m->kernels[i].arch, arch))
			return (int)i;
	v = realloc(m->kernels, (m->nkernels + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	m->kernels = v;
	m->kernels[m->nkernels] = (struct mx_kernel){ os, rel, arch };
	return (int)m->nkernels++;
}

static const char *lib_alias(const json_t *doc)
{
	const json_t *lib = json_object_get(doc, "library");

	if (!json_is_object(lib))
		return "";
	if (*report_str(lib, "alias"))
		return report_str(lib, "alias");
	return base_name(report_str(lib, "path"));
}

static int lib_add_kernel(struct mx_lib *l, int k)
{
	int *v;

	for (size_t i = 0; i < l->nkernels; i++)
		if (l->kernels[i] == k)
			return 0;
	v = realloc(l->kernels, (l->nkernels + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->kernels = v;
	l->kernels[l->nkernels++] = k;
	return 0;
}

static bool result_interrupted(const json_t *r)
{
	return json_is_true(json_object_get(r, "interrupted"));
}

static bool result_grouped(const json_t *r)
{
	return outcome_is_bad(report_result_status(r)) && !result_interrupted(r);
}

/* Do the library's kernels all show the same counts?  Then the headline
 * says "on each of N kernels" with one kernel's numbers. */
static int libs_same_counts(struct mx *m)
{
	for (size_t l = 0; l < m->nlibs; l++) {
		struct mx_lib *lib = &m->libs[l];
		unsigned int (*n)[OUT_MAX] = calloc(lib->nkernels, sizeof(*n));

		if (!n)
			return -ENOMEM;
		for (int k = 0; k < m->nin; k++) {
			const json_t *r;
			size_t i, slot = 0;

			if (m->in[k].lib != (int)l)
				continue;
			while (lib->kernels[slot] != m->in[k].kernel)
				slot++;
			json_array_foreach(json_object_get(m->in[k].doc, "results"), i, r)
				n[slot][report_result_status(r)]++;
		}
		lib->same_counts = true;
		for (size_t s = 1; s < lib->nkernels; s++)
			lib->same_counts &= !memcmp(n[s], n[0], sizeof(n[0]));
		free(n);
	}
	return 0;
}

static int libs_build(struct mx *m)
{
	for (int k = 0; k < m->nin; k++) {
		const json_t *doc = m->in[k].doc, *lib = json_object_get(doc, "library");
		const json_t *ref = json_object_get(doc, "reference"), *r;
		const char *alias = lib_alias(doc);
		struct mx_lib *l = NULL;
		int kern = kernel_find(m, json_object_get(doc, "platform"));
		size_t i;

		if (kern < 0)
			return kern;
		m->in[k].kernel = kern;
		m->in[k].interrupted = json_is_true(json_object_get(doc, "interrupted"));
		for (i = 0; i < m->nlibs && !l; i++)
			if (!strcmp(m->libs[i].alias, alias))
				l = &m->libs[i];
		if (!l) {
			struct mx_lib *v = realloc(m->libs, (m->nlibs + 1) * sizeof(*v));

			if (!v)
				return -ENOMEM;
			m->libs = v;
			l = &m->libs[m->nlibs];
			memset(l, 0, sizeof(*l));
			l->alias = alias;
			l->name = *alias ? alias : "no library (the kernel API)";
			l->ref = "";
			l->first = (size_t)k;
			m->nlibs++;
		}
		m->in[k].lib = (int)(l - m->libs);
		if (json_is_object(lib) && *report_str(lib, "version") && l->name == l->alias)
			l->name = report_str(lib, "version");
		if (json_is_object(ref) && !*l->ref)
			l->ref = base_name(report_str(ref, "path"));
		if (lib_add_kernel(l, kern))
			return -ENOMEM;
		json_array_foreach(json_object_get(doc, "results"), i, r) {
			l->n[report_result_status(r)]++;
			l->total++;
			l->interrupted += result_interrupted(r);
		}
	}
	return 0;
}

static unsigned int lib_bad(const struct mx_lib *l)
{
	return l->n[OUT_FAIL] + l->n[OUT_ERROR] + l->n[OUT_CRASH] + l->n[OUT_TIMEOUT] -
	       l->interrupted;
}

static int lib_cmp(const void *a, const void *b)
{
	const struct mx_lib *x = a, *y = b;
	bool bx = lib_bad(x) > 0, by = lib_bad(y) > 0;

	if (bx != by)
		return bx ? -1 : 1;
	return (x->first > y->first) - (x->first < y->first);
}

/* Failing libraries first; the inputs follow their library. */
static int libs_sort(struct mx *m)
{
	size_t *firsts = calloc(m->nlibs + 1, sizeof(*firsts));
	int *map = calloc(m->nlibs + 1, sizeof(*map));
	int ret = -ENOMEM;

	if (!firsts || !map)
		goto out;
	for (size_t i = 0; i < m->nlibs; i++)
		firsts[i] = m->libs[i].first;
	sort(m->libs, m->nlibs, sizeof(*m->libs), lib_cmp);
	/* a library's first input is its own: it names the old index */
	for (size_t i = 0; i < m->nlibs; i++)
		for (size_t old = 0; old < m->nlibs; old++)
			if (firsts[old] == m->libs[i].first)
				map[old] = (int)i;
	for (int k = 0; k < m->nin; k++)
		m->in[k].lib = map[m->in[k].lib];
	ret = 0;
out:
	free(firsts);
	free(map);
	return ret;
}

/* ---- deviations -------------------------------------------------------- */

static struct mx_dclause *dev_clause(struct mx_dev *d, const json_t *r)
{
	const char *api = report_str(r, "api"), *clause = report_str(r, "clause");
	struct mx_dclause *v;

	for (size_t i = 0; i < d->nclauses; i++)
		if (!strcmp(d->clauses[i].api, api) && !strcmp(d->clauses[i].clause, clause))
			return &d->clauses[i];
	v = realloc(d->clauses, (d->nclauses + 1) * sizeof(*v));
	if (!v)
		return NULL;
	d->clauses = v;
	v = &d->clauses[d->nclauses];
	memset(v, 0, sizeof(*v));
	v->api = api;
	v->clause = clause;
	v->first = d->nclauses++;
	return v;
}

/* The call an observation is about: its first function name
 * ("socket_connected", "socket_fastopen_connect6"), folded. */
static int dev_names(struct mx_texts *names, const char *obs)
{
	for (const char *p = obs; *p;) {
		const char *s = p;
		bool under = false, lower = false;

		if (!(isalpha((unsigned char)*p) || *p == '_') || !word_at(obs, p)) {
			p++;
			continue;
		}
		while (isalnum((unsigned char)*p) || *p == '_') {
			under |= *p == '_';
			lower |= islower((unsigned char)*p) != 0;
			p++;
		}
		if (under && lower) {
			char *w = strndup(s, (size_t)(p - s)), *f;
			unsigned int mask;

			if (!w)
				return -ENOMEM;
			f = mx_fold46(w, &mask);
			free(w);
			return texts_add(names, f, mask);
		}
	}
	return 0;
}

static int dev_add(struct mx *m, json_t *index, const json_t *r, int input,
		   struct mx_texts *names)
{
	const struct mx_input *in = &m->in[input];
	char *obs = mx_msg_observed(report_str(r, "message")), *sig = NULL, *fsig = NULL;
	char *key = NULL, *exp = NULL;
	unsigned int omask = 0, smask = 0, emask = 0;
	struct mx_dclause *c;
	struct mx_dev *d;
	json_t *at;
	int ret = -ENOMEM;

	if (!obs)
		goto out;
	sig = mx_msg_signature(obs);
	fsig = sig ? mx_fold46(sig, &smask) : NULL;
	if (!fsig || asprintf(&key, "%d\x1f%s\x1f%s\x1f%s", in->lib,
			      report_str(r, "status"), report_str(r, "deviation"), fsig) < 0) {
		key = NULL;
		goto out;
	}
	at = json_object_get(index, key);
	if (at) {
		d = &m->devs[json_integer_value(at)];
	} else {
		d = realloc(m->devs, (m->ndevs + 1) * sizeof(*d));
		if (!d)
			goto out;
		m->devs = d;
		d = &m->devs[m->ndevs];
		memset(d, 0, sizeof(*d));
		d->lib = in->lib;
		d->status = report_result_status(r);
		d->blame = report_str(r, "deviation");
		d->sig = fsig;
		fsig = NULL;
		d->first = m->ndevs;
		/* a call's result is shown after the calls that gave it */
		if (strncmp(d->sig, "returned ", 9)) {
			d->title.key = mx_fold46(obs, &omask);
			if (!d->title.key)
				goto out;
		}
		if (json_object_set_new(index, key, json_integer((json_int_t)m->ndevs)))
			goto out;
		m->ndevs++;
	}
	d->n++;
	if (d->title.key) {
		free(mx_fold46(obs, &omask));
		d->title.mask |= omask;
	} else {
		if (dev_names(&names[d - m->devs], obs))
			goto out;
		d->title.mask |= smask;
	}
	if (tally_add(&d->profiles, report_str(r, "profile")) ||
	    tally_add(&d->families, report_str(r, "family")) ||
	    tally_add(&d->kernels, mx_kernel_label(m, in->kernel)))
		goto out;
	d->nevidence += *report_str(r, "evidence") != 0;
	d->nrepro += *report_str(r, "reproducer") != 0;
	c = dev_clause(d, r);
	if (!c)
		goto out;
	exp = mx_msg_expected(report_str(r, "message"));
	if (!exp)
		goto out;
	if (*exp && texts_add(&c->expected, mx_fold46(exp, &emask), emask))
		goto out;
	if (tally_add(&c->profiles, report_str(r, "profile")))
		goto out;
	{
		struct mx_hit *h = realloc(c->hits, (c->nhits + 1) * sizeof(*h));

		if (!h)
			goto out;
		c->hits = h;
		c->hits[c->nhits++] = (struct mx_hit){ r, input };
	}
	ret = 0;
out:
	free(obs);
	free(sig);
	free(fsig);
	free(key);
	free(exp);
	return ret;
}

/* "socket_fastopen_connect4/6 returned -1 errno EOPNOTSUPP" */
static int dev_title(struct mx_dev *d, struct mx_texts *names)
{
	size_t len = strlen(d->sig) + 1, off = 0;
	char *t;

	for (size_t i = 0; i < names->n && i < 3; i++)
		len += strlen(names->v[i].key) + 2;
	t = malloc(len + 8);
	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < names->n && i < 3; i++) {
		off += (size_t)sprintf(t + off, "%s%s", i ? ", " : "", names->v[i].key);
		d->title.mask |= names->v[i].mask;
	}
	if (names->n > 3)
		off += (size_t)sprintf(t + off, ", …");
	sprintf(t + off, "%s%s", off ? " " : "", d->sig);
	d->title.key = t;
	return 0;
}

static int tally_cmp(const void *a, const void *b)
{
	const struct mx_tally *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int dclause_cmp(const void *a, const void *b)
{
	const struct mx_dclause *x = a, *y = b;

	if (x->nhits != y->nhits)
		return x->nhits < y->nhits ? 1 : -1;
	return (x->first > y->first) - (x->first < y->first);
}

static int dev_cmp(const void *a, const void *b)
{
	const struct mx_dev *x = a, *y = b;

	if (x->lib != y->lib)
		return x->lib - y->lib;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return (x->first > y->first) - (x->first < y->first);
}

static int devs_build(struct mx *m)
{
	struct mx_texts *names = NULL;
	json_t *index = json_object(), *clauses = NULL;
	size_t cap = 0, i;
	int ret = -ENOMEM;

	if (!index)
		return -ENOMEM;
	for (int k = 0; k < m->nin; k++) {
		const json_t *r;

		json_array_foreach(json_object_get(m->in[k].doc, "results"), i, r) {
			if (!result_grouped(r))
				continue;
			if (m->ndevs + 1 > cap) {
				struct mx_texts *v = realloc(names, (cap + 16) * sizeof(*v));

				if (!v)
					goto out;
				memset(v + cap, 0, 16 * sizeof(*v));
				names = v;
				cap += 16;
			}
			if (dev_add(m, index, r, k, names))
				goto out;
		}
	}
	for (i = 0; i < m->ndevs; i++) {
		struct mx_dev *d = &m->devs[i];

		if (!d->title.key && dev_title(d, &names[i]))
			goto out;
		sort(d->clauses, d->nclauses, sizeof(*d->clauses), dclause_cmp);
		for (size_t c = 0; c < d->nclauses; c++) {
			sort(d->clauses[c].expected.v, d->clauses[c].expected.n,
			     sizeof(struct mx_text), text_cmp);
			sort(d->clauses[c].profiles.v, d->clauses[c].profiles.n,
			     sizeof(struct mx_tally), tally_cmp);
		}
		sort(d->profiles.v, d->profiles.n, sizeof(struct mx_tally), tally_cmp);
	}
	sort(m->devs, m->ndevs, sizeof(*m->devs), dev_cmp);
	/* per library: its deviations and its distinct clauses */
	for (size_t l = 0; l < m->nlibs; l++) {
		json_decref(clauses);
		clauses = json_object();
		if (!clauses)
			goto out;
		for (i = 0; i < m->ndevs; i++) {
			if (m->devs[i].lib != (int)l)
				continue;
			m->libs[l].ndevs++;
			for (size_t c = 0; c < m->devs[i].nclauses; c++) {
				char *k = NULL;

				if (asprintf(&k, "%s\x1f%s", m->devs[i].clauses[c].api,
					     m->devs[i].clauses[c].clause) < 0)
					goto out;
				json_object_set_new(clauses, k, json_true());
				free(k);
			}
		}
		m->libs[l].nclauses = json_object_size(clauses);
	}
	ret = 0;
out:
	for (i = 0; i < cap; i++)
		texts_free(&names[i]);
	free(names);
	json_decref(index);
	json_decref(clauses);
	return ret;
}

/* ---- kernels ------------------------------------------------------------- */

static int lib_kernel_slot(const struct mx_lib *l, int kernel)
{
	for (size_t i = 0; i < l->nkernels; i++)
		if (l->kernels[i] == kernel)
			return (int)i;
	return -1;
}

static int kdiffs_build(struct mx *m, struct mx_lib *l, int li)
{
	json_t *index = json_object();
	struct mx_kdiff *all = NULL;
	size_t nall = 0, i;
	bool *alone = NULL;
	int ret = -ENOMEM;

	if (!index)
		return -ENOMEM;
	for (int k = 0; k < m->nin; k++) {
		int slot = lib_kernel_slot(l, m->in[k].kernel);
		const json_t *r;

		if (m->in[k].lib != li)
			continue;
		json_array_foreach(json_object_get(m->in[k].doc, "results"), i, r) {
			const char *name = report_str(r, "name");
			json_t *at = json_object_get(index, name);
			struct mx_kdiff *d;

			if (!at) {
				d = realloc(all, (nall + 1) * sizeof(*d));
				if (!d)
					goto out;
				all = d;
				d = &all[nall];
				d->name = name;
				d->r = calloc(l->nkernels, sizeof(*d->r));
				if (!d->r)
					goto out;
				if (json_object_set_new(index, name, json_integer((json_int_t)nall++)))
					goto out;
			} else {
				d = &all[json_integer_value(at)];
			}
			d->r[slot] = r;
		}
	}
	/* a kernel with nothing in common with the others (it did not
	 * boot, say) is reported on its own, not as hundreds of differences */
	alone = calloc(l->nkernels, sizeof(*alone));
	if (!alone)
		goto out;
	for (size_t s = 0; s < l->nkernels; s++) {
		alone[s] = true;
		for (i = 0; i < nall && alone[s]; i++) {
			if (!all[i].r[s])
				continue;
			for (size_t t = 0; t < l->nkernels; t++)
				if (t != s && all[i].r[t])
					alone[s] = false;
		}
		if (alone[s]) {
			int *v = realloc(l->kernels_alone, (l->nkernels_alone + 1) * sizeof(*v));

			if (!v)
				goto out;
			l->kernels_alone = v;
			l->kernels_alone[l->nkernels_alone++] = l->kernels[s];
		}
	}
	for (i = 0; i < nall; i++) {
		enum outcome first = OUT_MAX + 1;
		bool differs = false, everywhere = true;
		struct mx_kdiff *v;

		for (size_t s = 0; s < l->nkernels; s++) {
			enum outcome o;

			if (alone[s])
				continue;
			o = all[i].r[s] ? report_result_status(all[i].r[s]) : OUT_NONE;
			everywhere &= o != OUT_NONE;
			if (first == OUT_MAX + 1)
				first = o;
			else if (o != first)
				differs = true;
		}
		l->ncompared += everywhere;
		if (!differs)
			continue;
		v = realloc(l->kdiffs, (l->nkdiffs + 1) * sizeof(*v));
		if (!v)
			goto out;
		l->kdiffs = v;
		l->kdiffs[l->nkdiffs++] = all[i];
		all[i].r = NULL; /* the library's now */
	}
	ret = 0;
out:
	for (i = 0; i < nall; i++)
		free(all[i].r);
	free(all);
	free(alone);
	json_decref(index);
	return ret;
}

/* ---- the whole ------------------------------------------------------------- */

int mx_findings(struct mx *m)
{
	int ret = libs_build(m);

	if (!ret)
		ret = libs_sort(m);
	if (!ret)
		ret = libs_same_counts(m);
	if (!ret)
		ret = devs_build(m);
	for (size_t l = 0; !ret && l < m->nlibs; l++)
		if (m->libs[l].nkernels > 1)
			ret = kdiffs_build(m, &m->libs[l], (int)l);
	return ret;
}

static void tallies_free(struct mx_tallies *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

void mx_findings_free(struct mx *m)
{
	for (size_t i = 0; i < m->ndevs; i++) {
		struct mx_dev *d = &m->devs[i];

		for (size_t c = 0; c < d->nclauses; c++) {
			free(d->clauses[c].hits);
			texts_free(&d->clauses[c].expected);
			tallies_free(&d->clauses[c].profiles);
		}
		free(d->clauses);
		free(d->sig);
		free(d->title.key);
		tallies_free(&d->profiles);
		tallies_free(&d->families);
		tallies_free(&d->kernels);
	}
	free(m->devs);
	for (size_t l = 0; l < m->nlibs; l++) {
		for (size_t i = 0; i < m->libs[l].nkdiffs; i++)
			free(m->libs[l].kdiffs[i].r);
		free(m->libs[l].kdiffs);
		free(m->libs[l].kernels);
		free(m->libs[l].kernels_alone);
	}
	free(m->libs);
	free(m->kernels);
	m->devs = NULL;
	m->libs = NULL;
	m->kernels = NULL;
	m->ndevs = m->nlibs = m->nkernels = 0;
}

/* ---- words ------------------------------------------------------------------ */

void mx_lib_headline(const struct mx *m, const struct mx_lib *l, char *buf,
		     size_t size)
{
	/* the same numbers on every kernel: say them once */
	unsigned int each = l->nkernels > 1 && l->same_counts ? (unsigned int)l->nkernels : 1;
	unsigned int bad = lib_bad(l) / each;
	size_t off = 0;
	bool any = false;

	(void)m;
	buf[0] = 0;
#define PUT(...) \
	(off += (size_t)snprintf(buf + off, off < size ? size - off : 0, __VA_ARGS__))
	if (!l->total) {
		PUT("no results");
	} else if (bad) {
		for (int s = OUT_FAIL; s < OUT_MAX; s++) {
			unsigned int n = (l->n[s] - (s == OUT_ERROR ? l->interrupted : 0)) / each;

			if (!outcome_is_bad((enum outcome)s) || !n)
				continue;
			PUT("%s%u %s", any ? ", " : "", n, outcome_name((enum outcome)s));
			any = true;
		}
		PUT(" in %zu deviation%s (%zu clause%s)", l->ndevs, l->ndevs == 1 ? "" : "s",
		    l->nclauses, l->nclauses == 1 ? "" : "s");
		if (l->interrupted)
			PUT(" among the %u that finished", (l->total - l->interrupted) / each);
	} else if (!l->n[OUT_PASS] && !l->n[OUT_XPASS] && !l->n[OUT_XFAIL] &&
		   l->n[OUT_SKIP] == l->total) {
		PUT("nothing ran (%u SKIP)", l->n[OUT_SKIP] / each);
	} else {
		/* an interrupted run has not passed: part of it did not run */
		if (l->interrupted)
			PUT("no failure in the %u that finished (", (l->total - l->interrupted) / each);
		else
			PUT("all pass (");
		for (int s = 0; s < OUT_MAX; s++) {
			unsigned int n = (l->n[s] - (s == OUT_ERROR ? l->interrupted : 0)) / each;

			if (!n)
				continue;
			PUT("%s%u %s", any ? ", " : "", n, outcome_name((enum outcome)s));
			any = true;
		}
		PUT(")");
	}
	if (each > 1)
		PUT(", on each of %u kernels", each);
	else if (l->nkernels > 1)
		PUT(", over %zu kernels", l->nkernels);
	if (l->interrupted)
		PUT("; interrupted: %u instance%s did not finish", l->interrupted / each,
		    l->interrupted / each == 1 ? "" : "s");
#undef PUT
}

void mx_kernel_list(const struct mx *m, const struct mx_lib *l, char *buf,
		    size_t size)
{
	size_t off = 0, n = 0, shown = 0;

	buf[0] = 0;
	for (size_t i = 0; i < l->nkernels; i++) {
		bool alone = false;

		for (size_t a = 0; a < l->nkernels_alone; a++)
			alone |= l->kernels_alone[a] == l->kernels[i];
		n += !alone;
	}
	for (size_t i = 0; i < l->nkernels; i++) {
		bool alone = false;

		for (size_t a = 0; a < l->nkernels_alone; a++)
			alone |= l->kernels_alone[a] == l->kernels[i];
		if (alone)
			continue;
		shown++;
		off += (size_t)snprintf(buf + off, off < size ? size - off : 0, "%s%s",
					shown == 1 ? "" : shown == n ? " and " : ", ",
					mx_kernel_label(m, l->kernels[i]));
	}
}

const char *mx_blame_words(const struct mx *m, const struct mx_dev *d)
{
	(void)m;
	if (d->status != OUT_FAIL)
		return "the harness or the case process did not give a verdict";
	if (!strcmp(d->blame, "library"))
		return "library deviation: the reference library passes these instances on the same kernel and profile";
	if (!strcmp(d->blame, "platform"))
		return "platform deviation: the reference library fails these instances too";
	return "not compared with a reference library";
}
