// SPDX-License-Identifier: MIT
/* Leaves a daemon behind: double fork, setsid, a new process group, a
 * name the test looks for; then behaves. */
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "tests/untrusted/untrusted.h"

static void untrusted_misbehave(int s)
{
	pid_t p = fork();

	(void)s;
	if (p == 0) {
		setsid();
		if (fork() == 0) {
			setpgid(0, 0);
			prctl(PR_SET_NAME, "tfo-untr-daemon");
			signal(SIGTERM, SIG_IGN);
			signal(SIGHUP, SIG_IGN);
			for (;;)
				pause();
		}
		_exit(0);
	}
	if (p > 0)
		waitpid(p, NULL, 0);
}
