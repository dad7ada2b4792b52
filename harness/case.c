/* SPDX-License-Identifier: MIT */
/*
 * Verdict helpers and the case-table registry (see case.h).  The first
 * verdict a body reaches is final; a later one is ignored, so a body can
 * bail out after any helper without thinking about what it said before.
 */
#include "harness/case.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const api_names[API_MAX] = {
	[API_SMOKE] = "smoke",
	[API_OWFAT] = "owfat",
	[API_CONNECTX] = "connectx",
	[API_SELFTEST] = "selftest",
};

const char *case_api_name(enum case_api a)
{
	return a < API_MAX ? api_names[a] : "?";
}

int case_api_parse(const char *list, unsigned int *mask)
{
	*mask = 0;
	for (const char *p = list; *p;) {
		size_t l = strcspn(p, ",");
		int a;

		for (a = 0; a < API_MAX; a++)
			if (strlen(api_names[a]) == l && !strncmp(p, api_names[a], l))
				break;
		if (a == API_MAX)
			return -EINVAL;
		*mask |= 1u << a;
		p += l;
		if (*p == ',')
			p++;
	}
	return 0;
}

unsigned int case_time_scale = 1;
int case_rto = 1000;

bool case_is_slow(const struct case_def *d)
{
	switch (d->fault) {
	case FAULT_DROP_SYN:
	case FAULT_DROP_SYN_DATA:
	case FAULT_ICMP_HOST_UNREACH:
	case FAULT_ICMP_NET_UNREACH:
	case FAULT_ICMP_ADMIN_PROHIB:
		return true;
	default:
		return d->slow;
	}
}

static void case_decide(struct case_ctx *c, enum outcome o, bool strict,
			const char *fmt, va_list ap)
{
	size_t off = 0;

	if (c->decided)
		return;
	c->decided = true;
	c->outcome = o;
	if (o == OUT_FAIL && c->xfail_reason && !strict) {
		c->outcome = OUT_XFAIL;
		off = (size_t)snprintf(c->msg, sizeof(c->msg),
				       "known limit: %s; observed: ",
				       c->xfail_reason);
		if (off >= sizeof(c->msg))
			off = sizeof(c->msg) - 1;
	}
	vsnprintf(c->msg + off, sizeof(c->msg) - off, fmt, ap);
}

#define CASE_DECIDE(c, o, strict, fmt)                                       \
	do {                                                                 \
		va_list ap;                                                  \
		va_start(ap, fmt);                                           \
		case_decide(c, o, strict, fmt, ap);                          \
		va_end(ap);                                                  \
	} while (0)

void case_fail(struct case_ctx *c, const char *fmt, ...)
{
	CASE_DECIDE(c, OUT_FAIL, false, fmt);
}

void case_fail_strict(struct case_ctx *c, const char *fmt, ...)
{
	CASE_DECIDE(c, OUT_FAIL, true, fmt);
}

void case_error(struct case_ctx *c, const char *fmt, ...)
{
	CASE_DECIDE(c, OUT_ERROR, false, fmt);
}

void case_skip(struct case_ctx *c, const char *fmt, ...)
{
	CASE_DECIDE(c, OUT_SKIP, false, fmt);
}

/* A note travels with a PASS (e.g. what was measured). */
void case_note(struct case_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->decided)
		return;
	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
}

void case_xfail_if(struct case_ctx *c, bool known_limit, const char *reason)
{
	if (known_limit)
		c->xfail_reason = reason;
}

static pthread_mutex_t fds_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t fds_owned[CASE_FDS_MAX / 64];

void case_fds_lock(void)
{
	pthread_mutex_lock(&fds_lock);
}

void case_fds_unlock(void)
{
	pthread_mutex_unlock(&fds_lock);
}

void case_fd_own(int fd, bool own)
{
	if (fd < 0 || fd >= CASE_FDS_MAX)
		return;
	if (own)
		fds_owned[fd / 64] |= 1ull << (fd % 64);
	else
		fds_owned[fd / 64] &= ~(1ull << (fd % 64));
}

bool case_fd_owned(int fd)
{
	return fd >= 0 && fd < CASE_FDS_MAX &&
	       (fds_owned[fd / 64] >> (fd % 64) & 1);
}

static struct case_table *tables;

void case_table_record(struct case_table *t)
{
	struct case_table **p = &tables;

	/* order by first id so listings do not depend on link order */
	while (*p && strcmp((*p)->rows[0].id, t->rows[0].id) < 0)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
}

const struct case_table *case_tables(void)
{
	return tables;
}
