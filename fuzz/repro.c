/* SPDX-License-Identifier: MIT */
/* placeholder */
#include "fuzz/fuzz.h"
#include <errno.h>
#include <stdio.h>
const char *fz_repro_inexpressible(const struct fz_scn *s) { (void)s; return "not yet"; }
int fz_repro_write(struct fz_engine *e, const char *dir, const char *name,
		   const struct fz_scn *s, const struct fz_verdict *v,
		   const char *lib_path, const char *title, char *sh,
		   size_t shsize, char *why, size_t whylen)
{ (void)e;(void)dir;(void)name;(void)s;(void)v;(void)lib_path;(void)title;(void)sh;(void)shsize; snprintf(why, whylen, "not yet"); return -ENOTSUP; }
int fz_row_scenario(const char *name, struct fz_scn *out, char *why, size_t whylen) { (void)name;(void)out;(void)why;(void)whylen; return -ENOENT; }
int repro_main(int argc, char **argv) { (void)argc;(void)argv; return 2; }
