/* SPDX-License-Identifier: MIT */
/*
 * The case model.  A case is one row of a table (cases/NAME.c): an id, the
 * API family it checks, the topology and fault it needs, the profiles and
 * address families it runs in, the requirement it has of the kernel, what
 * it expects in words, and the man-page clause it checks — plus a small
 * body that performs the calls and asserts on what a user can observe.
 *
 * The runner expands each row into instances (row × profile × family),
 * runs every instance in its own forked child with a fresh topology, and
 * keeps the outcomes apart: PASS, FAIL (the library or kernel disagrees
 * with the clause), XFAIL / XPASS (a documented platform limit, and one
 * that unexpectedly passed), SKIP (a probe-derived reason), ERROR (the
 * harness or the infrastructure failed), CRASH (the child died on a
 * signal), TIMEOUT (the child's process group was killed).
 *
 * Bodies assert with the CASE_* macros, which record the verdict and
 * return from the body: the first failed expectation ends the case.
 */
#ifndef TFOCHECK_CASE_H
#define TFOCHECK_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netns/fault.h"
#include "util/outcome.h"
#include "netns/topo.h"

/* API_SELFTEST: cases that check the harness itself (crash, hang); hidden
 * unless asked for by name. */
enum case_api { API_SMOKE, API_OWFAT, API_CONNECTX, API_SELFTEST, API_MAX };
const char *case_api_name(enum case_api a);
/* "owfat,connectx" -> a bitmask of 1 << API_*; -EINVAL on an unknown name. */
int case_api_parse(const char *list, unsigned int *mask);

/* Kernel requirements, checked by the runner before the body runs. */
enum case_req {
	REQ_NONE = 0,
	REQ_TFO_CONNECT = 1 << 0,	/* TCP_FASTOPEN_CONNECT sockopt */
	REQ_BINDTOIFINDEX = 1 << 1,	/* SO_BINDTOIFINDEX */
};

#define FAMS_IP (1u << FAM_IPV4 | 1u << FAM_IPV6)
#define FAMS_ALL (1u << FAM_IPV4 | 1u << FAM_IPV6 | 1u << FAM_MAPPED | \
		  1u << FAM_LINKLOCAL)

struct case_ctx;
struct may_fail; /* cases/may.h */

/*
 * One row.  Rows are written with designated initializers through one
 * macro per API family (cases/NAME.c); every field left out has a
 * meaningful zero: pair topology, no fault, the families FAMS_IP, the
 * profile "tfo", no requirement, the runner's timeout, and parameters the
 * body reads as "none".  expand.c applies these defaults; the
 * table-consistency test (tests/test_tables.c) checks the rest.
 */
struct case_def {
	/* what it checks */
	const char *id;		/* "api.clause_words", unique */
	const char *clause_id;	/* the clause's id in docs/clauses.md */
	enum case_api api;
	const char *expect;	/* the expectation, in words */
	const char *clause;	/* the man-page words it checks */
	void (*body)(struct case_ctx *c);

	/* where it runs */
	enum topo_kind topo;
	enum fault fault;
	unsigned int families;	/* 1 << FAM_*; 0: FAMS_IP */
	bool once;		/* family-independent: one instance per profile */
	/* Profiles: every one where profile_if holds, or the named ones
	 * (comma list, "*" = all); neither: "tfo". */
	bool (*profile_if)(const struct profile *p);
	const char *profiles;
	unsigned int requires;	/* enum case_req bits */
	int timeout_ms;		/* 0: the runner's default */
	bool wire;		/* open the wire observer before the body */
	/* TOPO_ROUTED: the router relays in user space and holds the
	 * server's SYN-ACKs this long (harness/delay.h) */
	int delay_ms;
	/* mostly waits on kernel timers (SYN retransmission, ICMP): runs in
	 * extra slots beside -j, which bounds the busy cases */
	bool slow;

	/* parameters of the body (0: none / the body's default) */
	int want_errno;		/* the errno the clause promises */
	unsigned int flags;	/* connectx flags argument */
	bool nonblock;		/* O_NONBLOCK client socket */
	bool with_cookie;	/* cache a TFO cookie first */
	size_t size;		/* payload bytes */
	unsigned int iovcnt;	/* ... split into this many iovecs (0: 1) */
	unsigned int passes;	/* connections made in sequence (0: 1) */
	/* the page allows more than one outcome here (cases/may.h) */
	const struct may_fail *may;
};

struct wire;
struct delay;
struct case_lib;

/* What a body gets. */
struct case_ctx {
	const struct case_def *def;
	const struct profile *profile;
	enum topo_family family;
	struct topo topo;
	struct wire *wire;		/* NULL unless def->wire */
	struct delay *delay;		/* NULL unless def->delay_ms */
	const struct case_lib *lib;	/* library under test (may be NULL) */
	/* verdict */
	enum outcome outcome;
	bool decided;
	const char *xfail_reason;	/* set by case_xfail_if() */
	char msg[1024];
	char evidence[256];		/* path of a kept .pcap, if any */
	/* how long the calling thread waited, runnable, for a CPU during the
	 * last library call (harness/libcall.h): a loaded machine's delay,
	 * not the call's */
	double call_cpu_wait_ms;
	/* how long the wrapper itself took around that call (the snapshots
	 * before and after it): a case that times the wrapped call does not
	 * charge the library for the harness's work */
	double call_harness_ms;
};

/* Verdict helpers; each formats the message in words (expected vs seen). */
void case_fail(struct case_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A FAIL no known limit turns into XFAIL (a side effect of a call). */
void case_fail_strict(struct case_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void case_error(struct case_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void case_skip(struct case_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void case_note(struct case_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Declare, before the checks, that a failure from here on is a known
 * platform limit: FAIL becomes XFAIL, PASS becomes XPASS. */
void case_xfail_if(struct case_ctx *c, bool known_limit, const char *reason);

/* Also returns once a verdict was reached elsewhere (a side effect of a
 * library call is recorded as FAIL inside the call's wrapper): nothing
 * after it can change the verdict. */
#define CASE_EXPECT(c, cond, ...)                                            \
	do {                                                                 \
		if ((c)->decided || !(cond)) {                               \
			case_fail((c), __VA_ARGS__);                          \
			return;                                              \
		}                                                            \
	} while (0)

/* Infrastructure call that must succeed (0 or -errno). */
#define CASE_SETUP(c, expr)                                                  \
	do {                                                                 \
		int __r = (expr);                                            \
		if (__r < 0) {                                               \
			case_error((c), "%s: %s", #expr,                     \
				   util_errno_name(-__r));                   \
			return;                                              \
		}                                                            \
	} while (0)

/*
 * Waits on the server peer and on datagrams scale with `run
 * --timeout-scale`, so an emulated kernel gets the same verdicts, only
 * later (a check that something does not arrive just waits longer).  Set
 * by the runner in each case process.
 */
extern unsigned int case_time_scale;
static inline int case_ms(int ms)
{
	return ms * (int)case_time_scale;
}

/*
 * The initial retransmission timeout (SYN and SYN-ACK) of every socket a
 * case creates: 1000 ms with real timers, the compressed value otherwise
 * (harness/timers.h).  A window in which "nothing happens" until the
 * kernel retransmits derives from it, not from a fixed figure.  Set by
 * the runner in each case process; a kernel fact, so not scaled by
 * case_ms() (the runner already asks for a longer RTO on slow platforms).
 */
extern int case_rto;
static inline int case_rto_ms(void)
{
	return case_rto;
}

/* .slow, or a fault whose whole point is a wait on SYN retransmission or
 * ICMP timers (drop-syn, drop-syn-data, the ICMP rejects). */
bool case_is_slow(const struct case_def *d);

/*
 * Rows that keep the kernel's real timers in a compressed run: the
 * delayed path holds a SYN-ACK for longer than every "at once" bound
 * (up to 200 ms) yet for less than one initial RTO, so that the SYN is
 * not retransmitted meanwhile; no compressed RTO fits both.
 */
static inline bool case_real_timers(const struct case_def *d)
{
	return d->delay_ms > 0;
}

/*
 * Descriptors the harness itself opens or closes while a library call may
 * be running (the server peer's thread accepts connections at any time):
 * registered here under one lock, so the side-effect check around each
 * library call (harness/libcall.c) does not blame the library for them.
 * Descriptors at or above CASE_FDS_MAX are not tracked.
 */
#define CASE_FDS_MAX 1024
void case_fds_lock(void);
void case_fds_unlock(void);
/* With the lock held: */
void case_fd_own(int fd, bool own);
bool case_fd_owned(int fd);

/* Case tables register themselves (one per cases/NAME.c file). */
struct case_table {
	const struct case_def *rows;
	size_t count;
	struct case_table *next;
};
void case_table_record(struct case_table *t);
const struct case_table *case_tables(void);

#define CASE_TABLE(name, ...)                                                \
	static const struct case_def name##_rows[] = { __VA_ARGS__ };         \
	static struct case_table name##_table = {                            \
		name##_rows, sizeof(name##_rows) / sizeof(name##_rows[0]),   \
		NULL };                                                      \
	__attribute__((constructor)) static void name##_record(void)         \
	{                                                                    \
		case_table_record(&name##_table);                            \
	}

#endif
