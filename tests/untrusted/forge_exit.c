// SPDX-License-Identifier: MIT
/* Writes a zero-filled "verdict" (outcome 0 is PASS) into every inherited
 * descriptor and ends the process, as the old pipe channel would have
 * believed. */
#include <stdlib.h>

#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	static const char zeros[4096];

	for (int fd = 3; fd < 1024; fd++)
		if (fd != s)
			(void)!write(fd, zeros, 1296);
	_exit(0);
}
