// SPDX-License-Identifier: MIT
/* Prints debugging output to stdout and stderr, including text that looks
 * like the runner's own. */
#include <stdio.h>

#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	printf("ok 1 - forged TAP line\nOutcomes: PASS 999\n{\"schema\": \"x\"}\n");
	fflush(stdout);
	fprintf(stderr, "debug: connecting fd %d\n", s);
}
