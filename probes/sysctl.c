/* SPDX-License-Identifier: MIT */
/*
 * Reads and decodes the namespace's TFO sysctls (see sysctl.h).  Reads go
 * through netns_sysctl_read() so the same code serves the caller's own
 * namespace and the live probe's private ones.
 */
#include "probes/sysctl.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "util/util.h"
#include "util/tfo_uapi.h"
#include "netns/netns.h"

_Static_assert(PROBE_TFO_KNOWN_BITS ==
	       (TFO_CLIENT_ENABLE | TFO_SERVER_ENABLE | TFO_CLIENT_NO_COOKIE |
		TFO_SERVER_COOKIE_NOT_REQD | TFO_SERVER_WO_SOCKOPT1),
	       "PROBE_TFO_KNOWN_BITS is the set of TFO_* bits");

const struct probe_tfo_bit_name probe_tfo_bit_names[] = {
	{ TFO_CLIENT_ENABLE, "client", "client" },
	{ TFO_SERVER_ENABLE, "server", "server" },
	{ TFO_CLIENT_NO_COOKIE, "client_no_cookie", "client without cookie" },
	{ TFO_SERVER_COOKIE_NOT_REQD, "server_cookie_not_required",
	  "server cookie not required" },
	{ TFO_SERVER_WO_SOCKOPT1, "server_without_sockopt", "server without TCP_FASTOPEN" },
};
const size_t probe_tfo_bit_names_count = ARRAY_SIZE(probe_tfo_bit_names);

void probe_sysctl_decode(long v, struct probe_tfo_bits *b)
{
	b->client = v & TFO_CLIENT_ENABLE;
	b->server = v & TFO_SERVER_ENABLE;
	b->client_no_cookie = v & TFO_CLIENT_NO_COOKIE;
	b->server_cookie_not_reqd = v & TFO_SERVER_COOKIE_NOT_REQD;
	b->server_wo_sockopt = v & TFO_SERVER_WO_SOCKOPT1;
	b->unknown = v & ~PROBE_TFO_KNOWN_BITS;
}

enum probe_key_state probe_sysctl_key_classify(const char *text)
{
	bool digits = false;

	for (const char *p = text; *p; p++) {
		if (isxdigit((unsigned char)*p)) {
			digits = true;
			if (*p != '0')
				return PROBE_KEY_SET;
		} else if (*p != '-' && *p != ',' && !isspace((unsigned char)*p)) {
			return PROBE_KEY_UNKNOWN;
		}
	}
	return digits ? PROBE_KEY_UNSET : PROBE_KEY_UNKNOWN;
}

const char *probe_key_state_name(enum probe_key_state k)
{
	switch (k) {
	case PROBE_KEY_SET:
		return "set";
	case PROBE_KEY_UNSET:
		return "unset";
	default:
		return "unknown";
	}
}

static int read_long(int nsfd, const char *path, long *out)
{
	char buf[64];
	char *nl;
	int ret;

	ret = netns_sysctl_read(nsfd, path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	nl = strchr(buf, '\n');
	if (nl)
		*nl = 0;
	return util_parse_long(buf, out);
}

int probe_sysctl_read(int nsfd, struct probe_sysctl *s)
{
	/* primary + backup key: 2 x 35 chars, separators, newline */
	char key[160];
	int ret;

	memset(s, 0, sizeof(*s));
	ret = read_long(nsfd, "net/ipv4/tcp_fastopen", &s->tcp_fastopen);
	if (ret < 0)
		return ret;
	s->have_tfo = true;
	probe_sysctl_decode(s->tcp_fastopen, &s->bits);

	s->have_blackhole = read_long(nsfd, "net/ipv4/tcp_fastopen_blackhole_timeout_sec",
				      &s->blackhole_timeout_sec) == 0;

	/* mode 0600: unprivileged callers get EACCES and an honest "unknown" */
	ret = netns_sysctl_read(nsfd, "net/ipv4/tcp_fastopen_key", key, sizeof(key));
	if (ret < 0) {
		s->key = PROBE_KEY_UNKNOWN;
		s->key_err = -ret;
	} else {
		s->key = probe_sysctl_key_classify(key);
	}
	explicit_bzero(key, sizeof(key));
	return 0;
}
