/* SPDX-License-Identifier: MIT */
/*
 * The verdict channel (see verdict.h).  The commit writes the record
 * first and bumps the commit count last, with a release store, so the
 * runner (which reads only after the case process group is gone) never
 * accepts a record that was still being written.
 */
#include "harness/verdict.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "util/outcome.h"
#include "util/util.h"

static size_t frame_span(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t sz = sizeof(struct verdict_frame);

	if (pg <= 0)
		pg = 4096;
	return (sz + (size_t)pg - 1) / (size_t)pg * (size_t)pg;
}

struct verdict_frame *verdict_frames_map(size_t n)
{
	void *p = mmap(NULL, n * frame_span(), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void verdict_frames_unmap(struct verdict_frame *f, size_t n)
{
	if (f)
		munmap(f, n * frame_span());
}

struct verdict_frame *verdict_frame_at(struct verdict_frame *base, size_t i)
{
	return (struct verdict_frame *)((char *)base + i * frame_span());
}

uint64_t verdict_token_new(void)
{
	uint64_t t = 0;

	if (getrandom(&t, sizeof(t), GRND_NONBLOCK) != sizeof(t))
		t = util_now_ns() * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
	return t | 1; /* never 0: a zeroed page is no record */
}

void verdict_commit(struct verdict_frame *f, const struct verdict_expect *e,
		    const struct result *res)
{
	f->res = *res;
	f->magic = VERDICT_MAGIC;
	f->version = VERDICT_VERSION;
	f->token = e->token;
	f->inst = e->inst;
	f->run = e->run;
	f->len = sizeof(*res);
	__atomic_fetch_add(&f->commits, 1, __ATOMIC_RELEASE);
}

static bool terminated(const char *s, size_t size)
{
	return memchr(s, 0, size) != NULL;
}

int verdict_read(const struct verdict_frame *f, const struct verdict_expect *e,
		 struct result *res, char *why, size_t whylen)
{
	uint32_t commits = __atomic_load_n(&f->commits, __ATOMIC_ACQUIRE);

	if (commits == 0 && f->magic == 0 && f->token == 0)
		return 0;
	if (commits != 1)
		snprintf(why, whylen, "%u records committed, expected exactly one",
			 commits);
	else if (f->magic != VERDICT_MAGIC || f->version != VERDICT_VERSION)
		snprintf(why, whylen, "magic %#x version %u, expected %#x version %u",
			 f->magic, f->version, VERDICT_MAGIC, VERDICT_VERSION);
	else if (f->token != e->token)
		snprintf(why, whylen, "a record with a token this job was not given");
	else if (f->inst != e->inst || f->run != e->run)
		snprintf(why, whylen, "a record for instance %u run %u in the slot of instance %u run %u",
			 f->inst, f->run, e->inst, e->run);
	else if (f->len != sizeof(*res))
		snprintf(why, whylen, "record length %u, expected %zu", f->len,
			 sizeof(*res));
	else if (f->res.outcome < 0 || f->res.outcome >= OUT_MAX)
		snprintf(why, whylen, "outcome %d out of range", f->res.outcome);
	else if (!terminated(f->res.msg, sizeof(f->res.msg)) ||
		 !terminated(f->res.evidence, sizeof(f->res.evidence)))
		snprintf(why, whylen, "unterminated message or evidence");
	else {
		*res = f->res;
		return 1;
	}
	return -EBADMSG;
}
