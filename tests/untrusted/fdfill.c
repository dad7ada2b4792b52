// SPDX-License-Identifier: MIT
/* Opens descriptors until the table is full, and keeps them. */
#include <fcntl.h>

#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	(void)s;
	while (open("/dev/null", O_RDONLY) >= 0)
		;
}
