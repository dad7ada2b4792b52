/* SPDX-License-Identifier: MIT */
/*
 * Judging, confirming and shrinking divergences (see engine.h).
 */
#include "fuzz/engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/may.h"
#include "fuzz/pool.h"
#include "harness/libload.h"
#include "netns/profile.h"
#include "util/util.h"

#define FZ_CACHE_SLOTS 4096

struct fz_cache_ent {
	char id[FZ_ID_MAX];
	struct fz_obs obs;
};

struct fz_cache {
	struct fz_cache_ent e[FZ_CACHE_SLOTS];
};

int fz_engine_init(struct fz_engine *e, const struct case_lib *lib,
		   const struct case_lib *ref, int jobs, int slow, int timeout_ms)
{
	memset(e, 0, sizeof(*e));
	e->lib = lib;
	e->ref = ref;
	e->cache = calloc(1, sizeof(*e->cache));
	e->pool = fz_pool_new(jobs, slow, timeout_ms);
	if (!e->cache || !e->pool) {
		fz_engine_done(e);
		return -ENOMEM;
	}
	return 0;
}

void fz_engine_done(struct fz_engine *e)
{
	fz_pool_free(e->pool);
	free(e->cache);
	e->pool = NULL;
	e->cache = NULL;
}

static size_t fz_cache_slot(const char *id)
{
	uint32_t h = 2166136261u;

	for (const char *p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h % FZ_CACHE_SLOTS;
}

bool fz_cache_get(struct fz_engine *e, const struct fz_scn *s,
		  struct fz_obs *out)
{
	char id[FZ_ID_MAX];
	struct fz_cache_ent *c;

	fz_scn_id(s, id, sizeof(id));
	c = &e->cache->e[fz_cache_slot(id)];
	if (strcmp(c->id, id))
		return false;
	*out = c->obs;
	return true;
}

void fz_cache_put(struct fz_engine *e, const struct fz_scn *s,
		  const struct fz_obs *obs)
{
	char id[FZ_ID_MAX];
	struct fz_cache_ent *c;

	if (e->real_timers) /* the cache holds the run's timers' answers */
		return;
	/* an error or a timeout is no fact about the reference */
	if (obs->end == FZE_ERROR || obs->end == FZE_TIMEOUT)
		return;
	fz_scn_id(s, id, sizeof(id));
	c = &e->cache->e[fz_cache_slot(id)];
	snprintf(c->id, sizeof(c->id), "%s", id);
	c->obs = *obs;
}

static void fz_verdict_finish(struct fz_verdict *v)
{
	v->error = v->lib.end == FZE_ERROR || v->ref.end == FZE_ERROR;
	v->diverges = !v->error && !v->cmp.need_alt && v->cmp.ndiff > 0;
	v->primary = v->diverges ? v->cmp.diff[0].field : FZK_MAX;
}

void fz_verdict_of(const struct fz_scn *s, const struct fz_obs *ref,
		   const struct fz_obs *lib, struct fz_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->lib = *lib;
	v->ref = *ref;
	fz_compare(s, ref, lib, &v->cmp);
	fz_verdict_finish(v);
}

void fz_verdict_alt(const struct fz_scn *s, const struct fz_obs *altref,
			   struct fz_verdict *v)
{
	v->ref = *altref;
	fz_compare_alt(s, altref, &v->lib, &v->cmp);
	v->cmp.need_alt = false;
	fz_verdict_finish(v);
}

int fz_judge(struct fz_engine *e, const struct fz_scn *s, size_t n,
	     bool fresh_ref, struct fz_verdict *out)
{
	struct fz_job *jobs = calloc(2 * n, sizeof(*jobs));
	struct fz_job **list = calloc(2 * n, sizeof(*list));
	bool *cached = calloc(n, sizeof(*cached));
	size_t k = 0, alts = 0;
	int ret = 0;

	if (!jobs || !list || !cached) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		jobs[2 * i] = (struct fz_job){ .scn = s[i], .lib = e->lib,
					       .real_timers = e->real_timers };
		list[k++] = &jobs[2 * i];
		cached[i] = !fresh_ref && !e->real_timers &&
			    fz_cache_get(e, &s[i], &jobs[2 * i + 1].obs);
		if (!cached[i]) {
			jobs[2 * i + 1] = (struct fz_job){ .scn = s[i], .lib = e->ref,
							   .real_timers = e->real_timers };
			list[k++] = &jobs[2 * i + 1];
		}
	}
	fz_pool_run(e->pool, list, k);
	e->runs += k;
	for (size_t i = 0; i < n; i++) {
		if (!cached[i])
			fz_cache_put(e, &s[i], &jobs[2 * i + 1].obs);
		fz_verdict_of(&s[i], &jobs[2 * i + 1].obs, &jobs[2 * i].obs, &out[i]);
	}
	/* the page's "as if" alternatives, on the reference */
	k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!out[i].cmp.need_alt)
			continue;
		alts++;
		cached[i] = !e->real_timers &&
			    fz_cache_get(e, &out[i].cmp.alt, &jobs[2 * i + 1].obs);
		if (!cached[i]) {
			jobs[2 * i + 1] = (struct fz_job){ .scn = out[i].cmp.alt, .lib = e->ref,
							   .real_timers = e->real_timers };
			list[k++] = &jobs[2 * i + 1];
		}
	}
	if (!alts)
		goto out;
	fz_pool_run(e->pool, list, k);
	e->runs += k;
	for (size_t i = 0; i < n; i++) {
		if (!out[i].cmp.need_alt)
			continue;
		if (!cached[i])
			fz_cache_put(e, &out[i].cmp.alt, &jobs[2 * i + 1].obs);
		fz_verdict_alt(&s[i], &jobs[2 * i + 1].obs, &out[i]);
	}
out:
	free(jobs);
	free(list);
	free(cached);
	return ret;
}

int fz_ref_obs(struct fz_engine *e, const struct fz_scn *s, struct fz_obs *out)
{
	struct fz_job j = { .scn = *s, .lib = e->ref };
	struct fz_job *l = &j;

	if (fz_cache_get(e, s, out))
		return 0;
	fz_pool_run(e->pool, &l, 1);
	e->runs++;
	fz_cache_put(e, s, &j.obs);
	*out = j.obs;
	return j.obs.end == FZE_ERROR ? -EIO : 0;
}

bool fz_confirm(struct fz_engine *e, const struct fz_scn *s, uint8_t primary,
		int times)
{
	struct fz_scn list[4] = { 0 };
	static struct fz_verdict v[4];
	bool ok = true;

	if (times > 4)
		times = 4;
	for (int i = 0; i < times; i++)
		list[i] = *s;
	if (fz_judge(e, list, (size_t)times, true, v))
		return false;
	for (int i = 0; i < times; i++)
		ok &= v[i].diverges && v[i].primary == primary;
	return ok;
}

/* ---- ddmin ------------------------------------------------------------ */

struct fz_shrinker {
	struct fz_engine *e;
	const struct fz_scn *s;
	uint8_t primary;
	unsigned int tests;
	struct fz_verdict best;
};

/* Judge every candidate feature set at once; the index of the first
 * that still diverges in primary, or -1. */
static int fz_try(struct fz_shrinker *k, uint8_t (*sets)[FZ_NFEAT],
		  const size_t *sizes, size_t n)
{
	static struct fz_scn cand[2 * FZ_NFEAT + 2];
	struct fz_verdict *v = calloc(n, sizeof(*v));
	int hit = -1;

	if (!v)
		return -1;
	for (size_t i = 0; i < n; i++)
		fz_scn_apply(k->s, sets[i], sizes[i], &cand[i]);
	if (!fz_judge(k->e, cand, n, false, v)) {
		k->tests += (unsigned int)n;
		for (size_t i = 0; i < n && hit < 0; i++)
			if (v[i].diverges && v[i].primary == k->primary) {
				hit = (int)i;
				k->best = v[i];
			}
	}
	free(v);
	return hit;
}

static int fz_ddmin(struct fz_engine *e, const struct fz_scn *s, uint8_t primary,
		    struct fz_scn *out, struct fz_verdict *v, unsigned int *tests)
{
	struct fz_shrinker k = { .e = e, .s = s, .primary = primary };
	static uint8_t sets[2 * FZ_NFEAT + 2][FZ_NFEAT];
	size_t sizes[2 * FZ_NFEAT + 2];
	uint8_t d[FZ_NFEAT];
	size_t nd = fz_scn_delta(s, d), gran = 2;
	bool have = false;

	/* the plain scenario of the API first: often it is the whole story */
	sizes[0] = 0;
	if (fz_try(&k, sets, sizes, 1) == 0) {
		nd = 0;
		have = true;
	}
	while (nd >= 2) {
		size_t chunk = (nd + gran - 1) / gran, nsets = 0, nchunks = 0;
		int hit;

		for (size_t start = 0; start < nd; start += chunk, nchunks++) {
			size_t end = start + chunk < nd ? start + chunk : nd, c = 0;

			memcpy(sets[nsets], d + start, end - start);
			sizes[nsets++] = end - start;
			for (size_t i = 0; i < nd; i++)
				if (i < start || i >= end)
					sets[nsets][c++] = d[i];
			sizes[nsets++] = c;
		}
		hit = fz_try(&k, sets, sizes, nsets);
		if (hit >= 0) {
			memcpy(d, sets[hit], sizes[hit]);
			nd = sizes[hit];
			have = true;
			/* a chunk: start over at 2; a complement: one fewer */
			gran = hit % 2 == 0 ? 2 : (gran > 2 ? gran - 1 : 2);
			continue;
		}
		if (gran >= nd)
			break;
		gran = gran * 2 < nd ? gran * 2 : nd;
	}
	if (nd == 1 && !have) {
		/* a single feature: it is the minimum when the original is */
		sets[0][0] = d[0];
		sizes[0] = 1;
		have = fz_try(&k, sets, sizes, 1) == 0;
	}
	fz_scn_apply(s, d, nd, out);
	if (!have) {
		/* nothing smaller diverged: the original is minimal */
		*out = *s;
		fz_scn_canon(out);
		sizes[0] = fz_scn_delta(out, sets[0]);
		fz_try(&k, sets, sizes, 1);
	}
	*v = k.best;
	*tests = k.tests;
	return 0;
}

/*
 * One library call fewer than ddmin can reach by resetting features: a
 * connect followed (at some point) by socket_connected, where the failed
 * (refused), connecting or connected socket the connect left is a prior
 * state the harness can set up itself.  The candidates, one per prior
 * state, have socket_connected as the call and the follow-ups after it;
 * the number of candidates (0: s has no such shape).
 */
#define FZ_HOISTS 3

static size_t fz_hoist(const struct fz_scn *s, uint8_t primary,
		       struct fz_scn out[FZ_HOISTS])
{
	static const uint8_t priors[FZ_HOISTS] = { FZR_FAILED, FZR_CONNECTING,
						   FZR_CONNECTED };
	const uint8_t *v = s->v;
	int k = (int)primary - FZK_F1;

	if (v[FZ_API] != FZA_OWFAT || v[FZ_OFN] == FZO_CONNECTED ||
	    v[FZ_PRIOR] != FZR_FRESH || k < 0 || k >= FZ_NFOLLOW ||
	    v[FZ_F1 + k] != FZW_CONNECTED)
		return 0;
	for (size_t i = 0; i < FZ_HOISTS; i++) {
		struct fz_scn *h = &out[i];

		memset(h, 0, sizeof(*h));
		h->v[FZ_API] = FZA_OWFAT;
		/* the platform, the server and the socket's flags (the features
		 * enum fz_feat lists before the call's) */
		for (int f = FZ_PROFILE; f <= FZ_V6ONLY; f++)
			h->v[f] = v[f];
		h->v[FZ_PRIOR] = priors[i];
		h->v[FZ_OFN] = FZO_CONNECTED;
		for (int f = k + 1; f < FZ_NFOLLOW; f++)
			h->v[FZ_F1 + f - k - 1] = v[FZ_F1 + f];
		fz_scn_canon(h);
	}
	return FZ_HOISTS;
}

int fz_shrink(struct fz_engine *e, const struct fz_scn *s, uint8_t primary,
	      struct fz_scn *out, struct fz_verdict *v, unsigned int *tests,
	      struct fz_scn *ddmin_out)
{
	struct fz_scn h[FZ_HOISTS], hmin;
	struct fz_verdict hv[FZ_HOISTS], mv;
	unsigned int ht = 0;
	size_t n;
	int ret = fz_ddmin(e, s, primary, out, v, tests);

	*ddmin_out = *out;
	if (ret || !v->diverges || !(n = fz_hoist(out, primary, h)))
		return ret;
	if (fz_judge(e, h, n, false, hv))
		return 0;
	*tests += (unsigned int)n;
	for (size_t i = 0; i < n; i++) {
		if (!hv[i].diverges || hv[i].primary != FZK_CALL)
			continue;
		if (fz_ddmin(e, &h[i], FZK_CALL, &hmin, &mv, &ht) || !mv.diverges)
			return 0;
		*out = hmin;
		*v = mv;
		*tests += ht;
		break;
	}
	return 0;
}

/* ---- clauses ---------------------------------------------------------- */

static const struct {
	const char *id, *words;
} fz_clause_words[] = {
	{ "O1", "socket_fastopen_connect6 attempts to make a connection from TCP socket s to TCP port port on IP address ip" },
	{ "O2", "If that succeeds, it attempts to send len bytes from buf" },
	{ "O3", "on platforms supporting TCP Fast Open, socket_fastopen_connect6 will send the first data packet in the third packet of the TCP handshake, saving one useless ACK packet" },
	{ "O4", "The difference to calling socket_connect6 followed by write is that, on platforms supporting TCP Fast Open, ..." },
	{ "O6", ">=0, to indicate that the connection succeeded and this many bytes were sent" },
	{ "O7", "-1, setting errno to error_inprogress or error_wouldblock, to indicate that the socket is non-blocking" },
	{ "O8", "-1, setting errno to something else, to indicate that the connection failed (and failed immediately, if the socket is non-blocking)" },
	{ "O9", "When a background connection succeeds or fails, s becomes writable" },
	{ "O10", "you can use socket_connected to see whether the connection succeeded. If the connection failed, socket_connected returns 0, setting errno appropriately" },
	{ "O11", "Once a TCP socket is connected, you can use the read and write system calls to transmit data" },
	{ "O12", "You can call socket_connect6 without calling socket_bind6. This has the effect as first calling socket_bind6 with IP address :: and port 0" },
	{ "X4", "connectx may be used as a substitute for cases when bind(2) and connect(2) are issued in succession" },
	{ "X7", "When the optional source address sae_srcaddr parameter is specified, connectx binds the connection to the address, as if bind(2) is used" },
	{ "X18", "When the iov and len parameters are non-NULL, the communication domain will copy the data to the socket send buffer" },
	{ "X23", "this will trigger TCP Fast Open (RFC 7413) with SOCK_STREAM type" },
	{ "X39", "Upon successful completion, a value of 0 is returned" },
	{ "X40", "The number of bytes from iov array which were enqueued for transmission is returned via len" },
	{ "X41", "Upon failure, a value of -1 is returned and the global integer variable errno is set to indicate the error" },
	{ "D1", "An association representing one or more connections, or a single connection may be dissolved by calling disconnectx(2)" },
};

/* The ERRORS line of connectx(2) for an errno (docs/clauses.md X42..X61). */
static const char *fz_cx_errno_clause(int err)
{
	static const struct { int err; const char *id; } m[] = {
		{ EADDRINUSE, "X42" }, { EADDRNOTAVAIL, "X43" }, { EAFNOSUPPORT, "X44" },
		{ EALREADY, "X45" }, { EBADF, "X46" }, { ECONNREFUSED, "X47" },
		{ EFAULT, "X48" }, { EHOSTUNREACH, "X49" }, { EINPROGRESS, "X50" },
		{ EINTR, "X51" }, { EMSGSIZE, "X52" }, { EINVAL, "X53" },
		{ EISCONN, "X54" }, { ENETDOWN, "X55" }, { ENETUNREACH, "X56" },
		{ ENOBUFS, "X57" }, { ENOTSOCK, "X58" }, { EOPNOTSUPP, "X59" },
		{ ETIMEDOUT, "X60" }, { ENXIO, "X61" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(m); i++)
		if (m[i].err == err)
			return m[i].id;
	return "X41";
}

static const char *fz_owfat_clause(const struct fz_scn *s, const struct fz_verdict *v)
{
	const struct profile *p = profile_find(fz_profile_names[s->v[FZ_PROFILE]]);
	const struct fz_step *r = &v->ref.step[0];
	int f = v->primary;

	if (f == FZK_END || f == FZK_CALL) {
		if (s->v[FZ_OFN] == FZO_CONNECTED)
			return "O10";
		if (p && !profile_client_tfo(p) && (r->ret >= 0 || r->err == EINPROGRESS))
			return "O4";
		if (f == FZK_END)
			return "O1";
		return r->ret >= 0 ? "O6" : r->err == EINPROGRESS || r->err == EAGAIN ? "O7" : "O8";
	}
	if (f >= FZK_F1 && f <= FZK_F3) {
		switch (v->ref.step[f - FZK_CALL].kind) {
		case FZW_CONNECTED: return "O10";
		case FZW_POLL: return "O9";
		case FZW_AGAIN: return "O8";
		case FZW_COMPLETE: case FZW_WRITE: case FZW_READ: return "O11";
		}
		return NULL;
	}
	switch (f) {
	case FZK_FD: case FZK_FLAGS: case FZK_STATE: case FZK_PEER: return "O1";
	case FZK_LOCAL: return "O12";
	case FZK_AUX: case FZK_CONNS: case FZK_BYTES: case FZK_TRUTH: return "O2";
	case FZK_SRV_SYN_DATA: case FZK_W_PKTS: case FZK_W_TFO: case FZK_W_SYN_DATA:
	case FZK_W_ACK: return "O3";
	}
	return NULL;
}

static const char *fz_connectx_clause(const struct fz_scn *s, const struct fz_verdict *v)
{
	const struct fz_step *r = &v->ref.step[0], *l = &v->lib.step[0];
	int f = v->primary;

	if (f == FZK_CALL) {
		if (r->ret < 0)
			return fz_cx_errno_clause(r->err);
		if (l->ret < 0)
			return "X39";
		return "X40";
	}
	if (f >= FZK_F1 && f <= FZK_F3) {
		int k = v->ref.step[f - FZK_CALL].kind;

		return k == FZW_DISCONNECTX || k == FZW_DISCONNECTX_BADAID ? "D1" : NULL;
	}
	switch (f) {
	case FZK_LOCAL: return s->v[FZ_XSRC] ? "X7" : "X4";
	case FZK_STATE: case FZK_PEER: return "X4";
	case FZK_CONNS: case FZK_BYTES: case FZK_TRUTH: return "X18";
	case FZK_SRV_SYN_DATA: case FZK_W_TFO: case FZK_W_SYN_DATA: case FZK_W_ACK:
		return "X23";
	}
	return NULL;
}

const char *fz_clause(const struct fz_scn *s, const struct fz_verdict *v,
		      const char **words)
{
	const char *id = s->v[FZ_API] == FZA_OWFAT ? fz_owfat_clause(s, v) :
						      fz_connectx_clause(s, v);

	*words = NULL;
	if (!id)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(fz_clause_words); i++)
		if (!strcmp(fz_clause_words[i].id, id))
			*words = fz_clause_words[i].words;
	if (!*words && id[0] == 'X')
		*words = "connectx(2) ERRORS: the errno the page lists for this condition";
	return id;
}

const struct may_fail *fz_equiv_decl(enum fz_equiv q)
{
	if (q >= FZV_MAX)
		return NULL;
	for (size_t i = 0; i < may_count; i++)
		if (!strcmp(may_all[i]->id, fz_equiv_ids[q]))
			return may_all[i];
	return NULL;
}
