/* SPDX-License-Identifier: MIT */
/*
 * Case rows to instances (see run_int.h): every row in every profile it
 * selects (by predicate or by name) and every family it lists, filtered
 * by --api, --profile and --filter, then sorted into the order CUnit runs
 * its suites (API, then profile, then table order).  Here the zero fields
 * of a row become their defaults (case.h).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/run_int.h"

bool expand_list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (!list || !strcmp(list, "*"))
		return true;
	for (const char *p = list; *p;) {
		size_t l = strcspn(p, ",");

		if (l == n && !strncmp(p, name, n))
			return true;
		p += l;
		if (*p == ',')
			p++;
	}
	return false;
}

/* Does row d run in profile p?  (The row's own choice, not --profile.) */
static bool row_wants_profile(const struct case_def *d,
			      const struct profile *p)
{
	if (d->profile_if)
		return d->profile_if(p);
	if (d->profiles)
		return expand_list_has(d->profiles, p->name);
	return p == profile_default();
}

static bool inst_selected(const struct run_opts *o, const struct inst *in)
{
	if (!(o->apis & (1u << in->def->api)))
		return false;
	if (o->nfilters == 0)
		return true;
	for (int i = 0; i < o->nfilters; i++)
		if (!fnmatch(o->filters[i], in->name, 0) ||
		    !fnmatch(o->filters[i], in->def->id, 0))
			return true;
	return false;
}

static int push(struct inst **v, size_t *n, size_t *cap, const struct inst *in)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct inst *nv = realloc(*v, c * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = c;
	}
	(*v)[*n] = *in;
	(*v)[*n].seq = *n;
	(*n)++;
	return 0;
}

/* CUnit runs suites in registration order; schedule in the same order. */
static int inst_cmp_by_suite(const void *a, const void *b)
{
	const struct inst *x = a, *y = b;

	if (x->def->api != y->def->api)
		return (int)x->def->api - (int)y->def->api;
	if (x->profile != y->profile)
		return x->profile < y->profile ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int expand_instances(const struct run_opts *o, struct inst **out, size_t *n)
{
	struct inst *v = NULL;
	size_t cap = 0, count = 0;
	int ret = 0;

	for (const struct case_table *t = case_tables(); t; t = t->next) {
		for (size_t r = 0; r < t->count; r++) {
			const struct case_def *d = &t->rows[r];
			unsigned int fams = d->families ? d->families : FAMS_IP;

			for (size_t p = 0; p < profile_count; p++) {
				const struct profile *pr = &profile_table[p];

				if (!row_wants_profile(d, pr) ||
				    (o->profiles &&
				     !expand_list_has(o->profiles, pr->name)))
					continue;
				for (int f = 0; f < FAM_MAX; f++) {
					struct inst in = { .def = d,
							   .profile = pr };

					if (!d->once && !(fams & (1u << f)))
						continue;
					in.per_family = !d->once;
					in.family = d->once ? FAM_IPV4 :
							      (enum topo_family)f;
					if (in.per_family)
						snprintf(in.name, sizeof(in.name),
							 "%s@%s/%s", d->id,
							 pr->name,
							 topo_family_name(in.family));
					else
						snprintf(in.name, sizeof(in.name),
							 "%s@%s", d->id, pr->name);
					if (inst_selected(o, &in)) {
						ret = push(&v, &count, &cap, &in);
						if (ret)
							goto out;
					}
					if (d->once)
						break;
				}
			}
		}
	}
	/* equal keys keep table order: qsort is not stable, seq is; and
	 * qsort wants a base even for nothing (a filter matching none) */
	if (count)
		qsort(v, count, sizeof(*v), inst_cmp_by_suite);
out:
	if (ret) {
		free(v);
		v = NULL;
		count = 0;
	}
	*out = v;
	*n = count;
	return ret;
}
