/* SPDX-License-Identifier: MIT */
/*
 * Scenarios as tfocheck handles them (the model itself is fuzz/play.h):
 * drawing one from a seed, naming it (the replayable id "fz1-o…"), saying
 * it in words, and the feature metadata shrinking and the reports use.
 *
 * Determinism: scenario i of seed N depends on N and i only (its own
 * splitmix64 stream, no rand(), no clock), so the same seed gives the
 * same scenarios on any machine, at any -j, in any order.
 *
 * Contract: 0 or -errno.
 */
#ifndef TFOCHECK_FUZZ_SCN_H
#define TFOCHECK_FUZZ_SCN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz/play.h"

#define FZ_ID_MAX 64

/* Feature metadata: name and value names (value 0: the plain choice). */
struct fz_feat_info {
	const char *name;
	const char *const *values;
};
extern const struct fz_feat_info fz_feat_info[FZ_NFEAT];

/* The fixed order of profiles the PROFILE feature indexes (netns/profile.c
 * names; fz_scn_check_profiles() tells whether all exist). */
extern const char *const fz_profile_names[];
int fz_scn_check_profiles(void);

/* The PRNG: splitmix64.  *state advances. */
uint64_t fz_rand(uint64_t *state);

/* Scenario index of seed for the APIs in api_mask (1 << FZA_*). */
void fz_scn_generate(uint64_t seed, uint64_t index, unsigned int api_mask,
		     struct fz_scn *out);

/* Zero what the scenario's API does not use and pack the follow-ups, so
 * one behaviour has one id. */
void fz_scn_canon(struct fz_scn *s);

/* "fz1-o0a3..." (FZ_ID_MAX bytes suffice); parse: 0 or -EINVAL. */
void fz_scn_id(const struct fz_scn *s, char *buf, size_t size);
int fz_scn_parse(const char *id, struct fz_scn *out);

/* The scenario in words: platform, prior state, the call with its
 * arguments, the follow-ups. */
void fz_scn_describe(const struct fz_scn *s, char *buf, size_t size);
/* The call alone, as C ("socket_fastopen_connect4(s, 198.18.0.2, ...)"). */
void fz_scn_call_text(const struct fz_scn *s, char *buf, size_t size);

/* Features where s differs from the plain scenario of its API (FZ_API
 * excluded): their indexes into out (at most FZ_NFEAT); the count. */
size_t fz_scn_delta(const struct fz_scn *s, uint8_t *out);
/* The plain scenario of api with the listed features taken from s. */
void fz_scn_apply(const struct fz_scn *s, const uint8_t *feats, size_t n,
		  struct fz_scn *out);

/* Number of calls into the library the scenario makes (1 + the follow-ups
 * that call it again). */
int fz_scn_calls(const struct fz_scn *s);

#endif
