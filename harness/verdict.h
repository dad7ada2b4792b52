/* SPDX-License-Identifier: MIT */
/*
 * The verdict channel between a case process and the runner.
 *
 * The case process runs the library under test, which the runner trusts
 * in nothing.  So the verdict travels through no descriptor at all: the
 * runner maps one shared anonymous page per job slot before it forks, and
 * the case process writes one framed record there after the body has
 * finished.  A library that writes bytes into every descriptor it can
 * reach cannot touch it; one that closes them all does not stop it.  The
 * runner validates every field before it uses one (magic, version, the
 * instance and run it launched, the per-job random token it chose, the
 * exact length, exactly one commit, the outcome in range, strings
 * terminated); anything else is ERROR "verdict channel corrupted: ...".
 *
 * Besides the verdict the page holds what the case's init process saw of
 * the worker's end, and the name of the library function being called
 * (set and cleared by harness/libcall.c), so a worker that dies or exits
 * inside a library call is reported as such.
 *
 * Out of scope, and said so in docs/harness.md: a library that finds the
 * page in its own address space and writes a well-formed record on
 * purpose.
 */
#ifndef TFOCHECK_VERDICT_H
#define TFOCHECK_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VERDICT_MAGIC 0x56464f54u /* "TOFV" little-endian */
#define VERDICT_VERSION 1u

/* What a case process reports: the verdict of one run of an instance. */
struct result {
	int outcome;			/* enum outcome */
	double duration_ms;
	char msg[1024];
	char evidence[256];
};

struct verdict_frame {
	/* the record, written by the worker once the body is done */
	uint32_t magic;
	uint32_t version;
	uint64_t token;
	uint32_t inst;
	uint32_t run;
	uint32_t len;			/* sizeof(struct result) */
	uint32_t commits;		/* incremented per record written */
	struct result res;
	/* written by the case's init process when the worker ended */
	uint32_t worker_ended;
	int worker_status;		/* waitpid() status */
	/* the library function being called ("" between calls) */
	char in_call[64];
	/* bytes the library wrote to the worker's stdout/stderr, captured */
	uint32_t output_len;
	char output[256];
};

/* Where a job's record must come from. */
struct verdict_expect {
	uint64_t token;
	uint32_t inst;
	uint32_t run;
};

/* One shared page per slot: NULL and errno set when mmap fails. */
struct verdict_frame *verdict_frames_map(size_t n);
void verdict_frames_unmap(struct verdict_frame *f, size_t n);
/* The page of slot i. */
struct verdict_frame *verdict_frame_at(struct verdict_frame *base, size_t i);

/* A fresh random token for a job (getrandom; a clock mix if it fails). */
uint64_t verdict_token_new(void);

/* Worker side: write res as the job's one record. */
void verdict_commit(struct verdict_frame *f, const struct verdict_expect *e,
		    const struct result *res);

/*
 * Runner side: 1 when f holds exactly one valid record for e (copied to
 * *res, strings terminated); 0 when no record was committed; -EBADMSG
 * when something was written that is not one valid record (why: what was
 * seen, one line).
 */
int verdict_read(const struct verdict_frame *f, const struct verdict_expect *e,
		 struct result *res, char *why, size_t whylen);

#endif
