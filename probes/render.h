/* SPDX-License-Identifier: MIT */
/*
 * The three ways `tfocheck probe` shows a report: an aligned table for a
 * person (render_text.c), JSON for a program (render_json.c; the schema is
 * docs/probe-json.md) and C macros for a build system (render_macros.c).
 * They read a gathered report with its verdict decided, never probe, and
 * say the same thing: a fact shown by one is shown by the others.
 *
 * Contract: see probes/cap.h.
 */
#ifndef TFOCHECK_PROBES_RENDER_H
#define TFOCHECK_PROBES_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "probes/gather.h"

/* Schema version of `tfocheck probe --json` (docs/probe-json.md). */
#define PROBE_JSON_SCHEMA 1

struct probe_render_opts {
	bool verbose;	/* cached destinations, per-connection detail */
	bool color;	/* ANSI colour in the table */
};

void probe_render_text(FILE *f, const struct probe_report *r,
		       const struct probe_render_opts *o);
/* 0, or -ENOMEM (building the object) / -EIO (writing it). */
int probe_render_json(FILE *f, const struct probe_report *r,
		      const struct probe_render_opts *o);
void probe_render_macros(FILE *f, const struct probe_report *r);

#endif
