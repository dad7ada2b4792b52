/* SPDX-License-Identifier: MIT */
/*
 * The probe's verdict: is a TFO client usable in this namespace?  A pure
 * function of a gathered report (gather.h), so every rule can be tested on
 * a report built by hand.
 *
 * Usable unless the client cannot put data in a SYN at all: the sysctl is
 * unreadable or lacks the client bit, the kernel offers neither
 * MSG_FASTOPEN nor TCP_FASTOPEN_CONNECT, blackhole detection has switched
 * active TFO off, or the live exchange ran and worked in no family.  A
 * no-cookie client (0x4) is usable with a note: its cookie-less SYN data
 * reaches only servers that accept it (0x200); servers that check cookies
 * ignore it and take the data after the handshake.
 */
#ifndef TFOCHECK_PROBES_VERDICT_H
#define TFOCHECK_PROBES_VERDICT_H

#include "probes/gather.h"

/* Exit codes of `tfocheck probe` for a verdict (man/tfocheck-probe.1). */
#define PROBE_EXIT_USABLE 0
#define PROBE_EXIT_UNUSABLE 1

/* Set r->usable, and r->why (not usable) or r->note (usable, a caveat;
 * empty when there is none). */
void probe_verdict_decide(struct probe_report *r);
/* PROBE_EXIT_USABLE or PROBE_EXIT_UNUSABLE for a decided report. */
int probe_verdict_exit_code(const struct probe_report *r);

#endif
