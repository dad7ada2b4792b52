/* SPDX-License-Identifier: MIT */
/*
 * Running kernel version, for case expectations that legitimately differ
 * between kernel versions (docs/kernel-matrix.md, "Kernel-dependent
 * expectations").  A case row keeps one expectation and picks the variant
 * with kver_at_least() at run time, naming the kernel change in its message.
 *
 * The version comes from uname(2) once per process (cached, thread-safe).
 * Debian ABI releases ("6.1.0-56-cloud-amd64") hide the stable sublevel in
 * the release string; it is taken from the version string ("... Debian
 * 6.1.192-2 ...") when that names the same major.minor.
 * TFOCHECK_KVER=MAJOR.MINOR[.PATCH] in the environment overrides uname (for
 * tests and for re-judging a result as if on another kernel).
 */
#ifndef TFOCHECK_KVER_H
#define TFOCHECK_KVER_H

#include <stdbool.h>

/*
 * Parse "MAJOR.MINOR[.PATCH]..." at the start of release; a missing PATCH
 * is 0.  Returns 0, or -EINVAL when release does not start that way.
 */
int kver_parse(const char *release, unsigned *major, unsigned *minor,
	       unsigned *patch);

/*
 * The running kernel's version (any pointer may be NULL).  Returns 0, or
 * -errno when it cannot be determined (then all three are 0).
 */
int kver_current(unsigned *major, unsigned *minor, unsigned *patch);

/* Running kernel >= maj.min (false when the version is unknown). */
bool kver_at_least(unsigned maj, unsigned min);

/* Running kernel >= maj.min.patch (false when the version is unknown). */
bool kver_at_least3(unsigned maj, unsigned min, unsigned patch);

#endif
