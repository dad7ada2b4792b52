// SPDX-License-Identifier: MIT
/* Allocates and touches memory without bound, and uses what malloc
 * returns without checking it. */
#include <stdlib.h>
#include <string.h>

#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	(void)s;
	for (;;) {
		char *p = malloc(64 << 20);

		memset(p, 0x5a, 64 << 20);
	}
}
