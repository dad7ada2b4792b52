/* SPDX-License-Identifier: MIT */
/*
 * The differential judgement shared by `tfocheck fuzz` and `tfocheck
 * repro`: a scenario is run on the library under test and on the
 * reference, each in its own jail and fresh topology; the observations
 * are compared under the declared equivalences (fuzz/play.h, words in
 * cases/may.c); where the page lets a rejection instead be the call "as
 * if" the argument had the page's value, the reference is run on that
 * alternative too.  A divergence is confirmed by running it again, and
 * shrunk by delta debugging over its features (ddmin: chunks and their
 * complements, in parallel) to a one-minimal scenario that still diverges
 * in the same first field.
 *
 * The reference's observation of a scenario is cached by id: the
 * reference is deterministic (that is what `fuzz --lib libtfo` checks).
 *
 * Contract: 0 or -errno.
 */
#ifndef TFOCHECK_FUZZ_ENGINE_H
#define TFOCHECK_FUZZ_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "fuzz/play.h"
#include "fuzz/scn.h"

struct case_lib;
struct fz_pool;
struct may_fail;

struct fz_engine {
	struct fz_pool *pool;
	const struct case_lib *lib, *ref;
	unsigned long runs;		/* jail runs made */
	struct fz_cache *cache;
	/* judge with the kernel's own timers (nothing cached either way) */
	bool real_timers;
};

int fz_engine_init(struct fz_engine *e, const struct case_lib *lib,
		   const struct case_lib *ref, int jobs, int slow, int timeout_ms);
void fz_engine_done(struct fz_engine *e);

struct fz_verdict {
	struct fz_obs lib, ref;		/* ref: of cmp.alt when an alternative was needed */
	struct fz_cmp cmp;
	bool error;			/* a harness error: not comparable */
	bool diverges;
	uint8_t primary;		/* the first field that differs */
};

/* Compare lib's observation with ref's for s; v->cmp.need_alt says the
 * reference must also be run on v->cmp.alt (then fz_verdict_alt). */
void fz_verdict_of(const struct fz_scn *s, const struct fz_obs *ref,
		   const struct fz_obs *lib, struct fz_verdict *v);

/* The same once the reference's observation of v->cmp.alt is known. */
void fz_verdict_alt(const struct fz_scn *s, const struct fz_obs *altref,
		    struct fz_verdict *v);

/* Judge n scenarios in parallel.  fresh_ref: do not use the cache. */
int fz_judge(struct fz_engine *e, const struct fz_scn *s, size_t n,
	     bool fresh_ref, struct fz_verdict *out);

/* The reference's observation of s, cached; 0 or -errno. */
int fz_ref_obs(struct fz_engine *e, const struct fz_scn *s, struct fz_obs *out);
/* Remember one the caller ran itself. */
void fz_cache_put(struct fz_engine *e, const struct fz_scn *s,
		  const struct fz_obs *obs);
bool fz_cache_get(struct fz_engine *e, const struct fz_scn *s,
		  struct fz_obs *out);

/* Run s `times` more (fresh reference each time): true when every run
 * diverges again in field primary. */
bool fz_confirm(struct fz_engine *e, const struct fz_scn *s, uint8_t primary,
		int times);

/* ddmin over s's features; *out the smallest scenario found that still
 * diverges in primary, *v its verdict, *tests the candidates judged.
 * Then one step features cannot take: a connect whose outcome a prior
 * state reproduces, followed by socket_connected, becomes that prior state
 * and socket_connected alone, when it still diverges (then ddmin again;
 * v->primary then names the call).  *ddmin_out gets the result before
 * that step, whose features every scenario of the same kind contains. */
int fz_shrink(struct fz_engine *e, const struct fz_scn *s, uint8_t primary,
	      struct fz_scn *out, struct fz_verdict *v, unsigned int *tests,
	      struct fz_scn *ddmin_out);	/* ddmin's own result */

/* The clause a divergence touches, when one can be named: its id in
 * docs/clauses.md and the page's words; NULL otherwise. */
const char *fz_clause(const struct fz_scn *s, const struct fz_verdict *v,
		      const char **words);

/* The declaration behind an equivalence (cases/may.c). */
const struct may_fail *fz_equiv_decl(enum fz_equiv q);

#endif
