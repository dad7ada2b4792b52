// SPDX-License-Identifier: MIT
/* The classic: every process forks forever. */
#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	(void)s;
	for (;;)
		(void)fork();
}
