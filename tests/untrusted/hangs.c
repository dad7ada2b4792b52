// SPDX-License-Identifier: MIT
/* Never returns, and ignores the signals a polite runner would send. */
#include <signal.h>

#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	(void)s;
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	for (;;)
		pause();
}
