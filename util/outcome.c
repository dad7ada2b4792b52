/* SPDX-License-Identifier: MIT */
/*
 * Names and meanings of the outcomes (see outcome.h).  The meanings are
 * the legend of the HTML and Markdown reports.
 */
#include "util/outcome.h"

#include <string.h>

static const struct {
	const char *name;
	const char *meaning;
} outcomes[OUT_MAX] = {
	[OUT_PASS] = { "PASS", "the library did what the clause says" },
	[OUT_FAIL] = { "FAIL", "it did not: expected vs observed in the message" },
	[OUT_XFAIL] = { "XFAIL", "failed as expected: a documented known limit of this kernel or library" },
	[OUT_XPASS] = { "XPASS", "passed although a known limit said it would fail: the limit may be gone" },
	[OUT_SKIP] = { "SKIP", "could not run here (missing capability); the message says why" },
	[OUT_ERROR] = { "ERROR", "the harness could not set the case up (topology, peer, library load)" },
	[OUT_CRASH] = { "CRASH", "the case process died on a signal (inside the library, usually)" },
	[OUT_TIMEOUT] = { "TIMEOUT", "the case process exceeded its time limit and was killed" },
};

const char *outcome_name(enum outcome o)
{
	return (unsigned int)o < OUT_MAX ? outcomes[o].name : "-";
}

const char *outcome_meaning(enum outcome o)
{
	return (unsigned int)o < OUT_MAX ? outcomes[o].meaning :
		"the case did not run on this platform and profile";
}

int outcome_from_name(const char *s)
{
	for (int i = 0; i < OUT_MAX; i++)
		if (s && !strcmp(s, outcomes[i].name))
			return i;
	return -1;
}

bool outcome_is_bad(enum outcome o)
{
	return o == OUT_FAIL || o == OUT_ERROR || o == OUT_CRASH ||
	       o == OUT_TIMEOUT;
}
