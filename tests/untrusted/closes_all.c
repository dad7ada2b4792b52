// SPDX-License-Identifier: MIT
/* Closes every descriptor but its own socket. */
#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	for (int fd = 0; fd < 1024; fd++)
		if (fd != s)
			close(fd);
}
