/* SPDX-License-Identifier: MIT */
/*
 * The differential verdict (see run_int.h): a FAIL of an owfat/connectx
 * instance against the library under test is re-run, in a fresh
 * topology, against the reference library.  If the reference passes on
 * the same kernel and profile the library deviates (also when the
 * reference only met a documented platform limit: XFAIL); if it fails
 * too, the platform does.  The re-runs are a scheduler of their own over copies
 * of the failed instances, once each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/run_int.h"

static bool needs_rerun(const struct inst *in)
{
	return in->res.outcome == OUT_FAIL &&
	       (in->def->api == API_OWFAT || in->def->api == API_CONNECTX);
}

void differential_run(struct run *r)
{
	struct inst *re;
	struct sched *s;
	size_t n = 0, k = 0;

	for (size_t i = 0; i < r->ninsts; i++)
		n += needs_rerun(&r->insts[i]);
	if (!n || sched_interrupted())
		return;
	re = calloc(n, sizeof(*re));
	if (!re)
		return;
	for (size_t i = 0; i < r->ninsts; i++) {
		const struct inst *in = &r->insts[i];

		if (!needs_rerun(in))
			continue;
		re[k].def = in->def;
		re[k].profile = in->profile;
		re[k].family = in->family;
		re[k].per_family = in->per_family;
		re[k].seq = k;
		memcpy(re[k].name, in->name, sizeof(re[k].name));
		k++;
	}
	s = sched_new(&r->opts, re, n, 1, &r->ref);
	if (!s) {
		free(re);
		return;
	}
	if (r->opts.progress)
		fprintf(stderr, "\r\033[Kre-running %zu failure(s) against the reference %s\n",
			n, r->ref.path);
	for (size_t i = 0; i < n; i++)
		sched_until(s, &re[i]);
	sched_free(s);
	k = 0;
	for (size_t i = 0; i < r->ninsts; i++) {
		struct inst *in = &r->insts[i];

		if (!needs_rerun(in))
			continue;
		/* A reference XFAIL passed every check up to the documented
		 * limit it met last, and the library's FAIL is not that limit
		 * (it would be XFAIL too): the library's own deviation. */
		if (re[k].res.outcome == OUT_PASS ||
		    re[k].res.outcome == OUT_XFAIL)
			in->deviation = "library";
		else if (re[k].res.outcome == OUT_FAIL)
			in->deviation = "platform";
		k++;
	}
	free(re);
}
