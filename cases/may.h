/* SPDX-License-Identifier: MIT */
/*
 * Where a page allows more than one outcome, declared once, as data, with
 * the page's words: the case rows point at these (.may), and `tfocheck
 * fuzz` treats a divergence inside one as no divergence.
 *
 * The rule behind the "must" entries (docs/clauses.md, "May-fail
 * clauses"): where the page puts a duty on the caller ("must", "should")
 * or lists an errno only as what the call "will fail" with when an invalid
 * argument "was detected", it names no duty to detect.  Both answers
 * conform: the errno with no effect, or normal success with no other
 * effect.  A case checks whichever it sees and notes which.
 */
#ifndef TFOCHECK_CASES_MAY_H
#define TFOCHECK_CASES_MAY_H

#include <stddef.h>

struct may_fail {
	const char *id;		/* stable name, e.g. "connectx.associd" */
	const char *words;	/* the page's words that leave it open */
	const char *accepts;	/* what is accepted, in words */
};

/* connectx(2): "must always be set to SAE_ASSOCID_ANY" */
extern const struct may_fail may_associd;
/* disconnectx: the same association id rule */
extern const struct may_fail may_disconnectx_associd;
/* connectx(2): data "along with a non-NULL len parameter" */
extern const struct may_fail may_iov_len;
/* connectx(2): "the iovcnt buffers" — none, or more than Darwin's 1024 */
extern const struct may_fail may_iovcnt;
/* socket_fastopen_connect(3), non-blocking: a count, or -1 EINPROGRESS */
extern const struct may_fail may_nb_count;
/* connectx(2), non-blocking with data: 0, or -1 EINPROGRESS with *len */
extern const struct may_fail may_nb_data;
/* connectx(2): "may impose a limit on the amount of data ... buffered" */
extern const struct may_fail may_domain_limit;
/* connectx(2): connid "reserved for future use and should be set to NULL" */
extern const struct may_fail may_connid;
/* socket_connected while the handshake still runs: 0, errno not the page's */
extern const struct may_fail may_connected_pending;
/* connectx(2): flags bits the page does not name */
extern const struct may_fail may_flags_unknown;

extern const struct may_fail *const may_all[];
extern const size_t may_count;

#endif
