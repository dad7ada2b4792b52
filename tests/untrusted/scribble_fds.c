// SPDX-License-Identifier: MIT
/* Writes junk into every descriptor it can reach (a stale-descriptor bug
 * gone wild), then behaves. */
#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	static const char junk[2048] = "\x7fjunk\xff\x01\x02\x03 not a verdict";

	for (int fd = 0; fd < 1024; fd++)
		if (fd != s)
			(void)!write(fd, junk, sizeof(junk));
}
