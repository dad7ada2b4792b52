// SPDX-License-Identifier: MIT
/* Ignores SIGPIPE for its caller and leaves SIGUSR2 blocked. */
#include <signal.h>

#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	sigset_t m;

	(void)s;
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	sigprocmask(SIG_BLOCK, &m, NULL);
}
