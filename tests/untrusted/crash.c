// SPDX-License-Identifier: MIT
/* Dereferences NULL inside the call. */
#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	volatile int *p = (volatile int *)(long)(s & 0);

	*p = 1;
}
