/* SPDX-License-Identifier: MIT */
/*
 * /proc/net/netstat parser (see counters.h).  The file is pairs of lines,
 * "TcpExt: Name1 Name2 ..." then "TcpExt: v1 v2 ..."; only the TcpExt pair
 * is read.  It is read through /proc/thread-self: /proc/self/net follows
 * the thread-group leader's namespace, which is not the caller's after a
 * per-thread setns().
 */
#include "probes/counters.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"
#include "netns/netns.h"

const char *const probe_counters_core[] = {
	"TCPFastOpenActive",	   "TCPFastOpenActiveFail",
	"TCPFastOpenBlackhole",	   "TCPFastOpenCookieReqd",
	"TCPFastOpenPassive",	   "TCPFastOpenPassiveFail",
	"TCPFastOpenListenOverflow", "TCPFastOpenPassiveAltKey",
};
const size_t probe_counters_core_count = ARRAY_SIZE(probe_counters_core);

#define TFO_PREFIX "TCPFastOpen"

/* Find the next "TcpExt:" line at or after p; returns its body or NULL. */
static const char *find_tcpext(const char *p, const char **eol)
{
	while (p && *p) {
		const char *e = strchr(p, '\n');

		if (!strncmp(p, "TcpExt:", 7)) {
			*eol = e ? e : p + strlen(p);
			return p + 7;
		}
		p = e ? e + 1 : NULL;
	}
	return NULL;
}

/* Copy the next space-separated token of [*p, end) into tok. */
static bool next_token(const char **p, const char *end, char *tok, size_t size)
{
	const char *s = *p, *t;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	if (s >= end)
		return false;
	for (t = s; t < end && *t != ' ' && *t != '\t' && *t != '\r'; t++)
		;
	if ((size_t)(t - s) >= size) {
		/* an absurdly long token still counts as one column */
		tok[0] = 0;
	} else {
		memcpy(tok, s, t - s);
		tok[t - s] = 0;
	}
	*p = t;
	return true;
}

int probe_counters_parse(const char *text, struct probe_counters *out)
{
	const char *names, *names_end, *vals, *vals_end;
	char name[64], val[32];

	memset(out, 0, sizeof(*out));
	names = find_tcpext(text, &names_end);
	if (!names)
		return -ENOENT;
	vals = find_tcpext(*names_end ? names_end + 1 : names_end, &vals_end);
	if (!vals)
		return -EBADMSG;

	for (;;) {
		bool hn = next_token(&names, names_end, name, sizeof(name));
		bool hv = next_token(&vals, vals_end, val, sizeof(val));
		unsigned long long v;
		char *end;

		if (!hn && !hv)
			break;
		/* columns must pair up, or every value after a gap is misread */
		if (hn != hv)
			return -EBADMSG;
		errno = 0;
		v = strtoull(val, &end, 10);
		if (!val[0] || *end || errno || val[0] == '-')
			return -EBADMSG;
		if (strncmp(name, TFO_PREFIX, strlen(TFO_PREFIX)) ||
		    strlen(name) >= PROBE_COUNTER_NAME_MAX ||
		    out->n == PROBE_COUNTERS_MAX)
			continue;
		snprintf(out->c[out->n].name, PROBE_COUNTER_NAME_MAX, "%s", name);
		out->c[out->n].value = v;
		out->n++;
	}
	return 0;
}

int probe_counters_read(int nsfd, struct probe_counters *out)
{
	static const char *const paths[] = { "/proc/thread-self/net/netstat",
					     "/proc/net/netstat" };
	char *buf;
	int cur = -1, ret;

	buf = malloc(65536);
	if (!buf)
		return -ENOMEM;
	if (nsfd >= 0) {
		ret = netns_current(&cur);
		if (ret < 0)
			goto out;
		ret = netns_enter(nsfd);
		if (ret < 0)
			goto out;
	}
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		ret = util_file_read(paths[i], buf, 65536);
		/* /proc/thread-self exists since Linux 3.17 */
		if (ret != -ENOENT)
			break;
	}
	if (nsfd >= 0) {
		int r2 = netns_enter(cur);

		if (r2 < 0 && ret >= 0)
			ret = r2;
	}
	if (ret < 0)
		goto out;
	ret = probe_counters_parse(buf, out);
out:
	if (cur >= 0)
		close(cur);
	free(buf);
	return ret;
}

int probe_counters_get(const struct probe_counters *c, const char *name,
		       uint64_t *value)
{
	for (size_t i = 0; i < c->n; i++) {
		if (!strcmp(c->c[i].name, name)) {
			*value = c->c[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

void probe_counters_delta(const struct probe_counters *before,
			  const struct probe_counters *after,
			  struct probe_counters *delta)
{
	memset(delta, 0, sizeof(*delta));
	for (size_t i = 0; i < after->n; i++) {
		uint64_t b = 0;

		probe_counters_get(before, after->c[i].name, &b);
		delta->c[delta->n] = after->c[i];
		delta->c[delta->n].value = after->c[i].value - b;
		delta->n++;
	}
}
