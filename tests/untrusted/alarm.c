// SPDX-License-Identifier: MIT
/* Arms an alarm for its own timeout and forgets to cancel it. */
#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	(void)s;
	alarm(30);
}
