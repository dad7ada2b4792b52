/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck fuzz` and `tfocheck repro` (docs/fuzz.md, tfocheck(1)): the
 * entry points harness/main.c dispatches to, and what the two share.
 *
 *   fuzz --lib X [--api owfat|connectx] [--seed N] [--time S | --iterations N]
 *        [-j N] [--json FILE] [--out DIR] [--replay ID]
 *   repro CASE_OR_FUZZ_ID --lib X [--out DIR] [--reference LIB]
 *
 * Exit status of fuzz: 0 no divergence, 1 divergences, 2 usage, 77 no
 * namespaces possible, 99 the library cannot be loaded, 130 interrupted.
 * repro: 0 written, 1 nothing to reproduce (the scenario does not diverge
 * or cannot be expressed), 2 usage, 77, 99 as fuzz.
 */
#ifndef TFOCHECK_FUZZ_H
#define TFOCHECK_FUZZ_H

#include <stddef.h>

#include "fuzz/engine.h"
#include "harness/run.h"

int fuzz_main(int argc, char **argv);
int repro_main(int argc, char **argv);

/* ---- shared by fuzz.c and repro.c ------------------------------------ */


/* Why s cannot be written as a reproducer (NULL: it can). */
const char *fz_repro_inexpressible(const struct fz_scn *s);
/*
 * Write DIR/NAME.c and DIR/NAME.sh reproducing s as judged in v (the
 * reference's observations come from e; the library path is the
 * script's default).  sh gets the script's path.  0, -ENOTSUP when s
 * cannot be expressed (why says so), -errno.
 */
int fz_repro_write(struct fz_engine *e, const char *dir, const char *name,
		   const struct fz_scn *s, const struct fz_verdict *v,
		   const char *lib_path, const char *title, char *sh,
		   size_t shsize, char *why, size_t whylen);

/* Case rows as scenarios: the scenario of instance name
 * "owfat.err_refused@client-off/ipv4" (or of a row id, in its first
 * profile and family); 0, -ENOENT (no such row), -ENOTSUP (the row is not
 * expressible as a scenario: why says so). */
int fz_row_scenario(const char *name, struct fz_scn *out, char *why,
		    size_t whylen);

/* harness/run.h's run_repro_hook: for each FAILed instance whose row is
 * a scenario that diverges from the reference (libtfo) here, DIR/NAME.c
 * and DIR/NAME.sh (NAME: the instance's name with '@' and '/' as '_', as
 * its pcap's). */
void fz_repro_failures(const struct case_lib *lib, const char *dir,
		       const char *const *names, char (*paths)[RUN_REPRO_PATH],
		       size_t n, int jobs);

#endif
