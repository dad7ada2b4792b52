// SPDX-License-Identifier: MIT
/*
 * Mutant of the reference libowfat API (lib/owfat.c) for tfocheck's
 * self-test (tests/test_mutants_owfat.c): no connect+write fallback without TFO: returns -1
 * EOPNOTSUPP like libowfat 0.32.  Caught by owfat.no_tfo_connect_write.
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>

#define tfo_err_means_no_fastopen ref_err_means_no_fastopen
#include "lib/tfo_common.c"
#undef tfo_err_means_no_fastopen

static bool tfo_err_means_no_fastopen(int err)
{
	(void)err;
	return false;
}

#include "lib/owfat.c"
