/* SPDX-License-Identifier: MIT */
/*
 * The sources a reproducer carries (fuzz/repro.c): fuzz/play.h,
 * fuzz/play.c and fuzz/repro_main.c.in as text, compiled into tfocheck
 * from a file the build generates (scripts/c-strings.awk), so an
 * installed tfocheck writes reproducers without its source tree.
 */
#ifndef TFOCHECK_FUZZ_TEXT_H
#define TFOCHECK_FUZZ_TEXT_H

extern const char fz_text_play_h[];
extern const char fz_text_play_c[];
extern const char fz_text_repro_main[];

#endif
