// SPDX-License-Identifier: MIT
/* Calls exit(3) inside the call (atexit handlers and all). */
#include <stdlib.h>

#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	(void)s;
	exit(3);
}
