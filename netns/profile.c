/* SPDX-License-Identifier: MIT */
/*
 * The sysctl profile table and what each profile implies for a Linux TFO
 * client.  Adding a profile is adding a row; the expectations of cases are
 * derived from the bits through the predicates below, never hard-coded per
 * profile name.
 */
#include "netns/profile.h"

#include <string.h>

#include "util/util.h"

/* clang-format off */
const struct profile profile_table[] = {
	/* name              summary                                                    client  server  sockopt blackhole */
	{ "tfo",             "client 0x1, server 0x3 with TCP_FASTOPEN listener",          0x1,   0x3,   true,  0 },
	{ "client-off",      "client 0x0 (TFO disabled), server 0x3",                      0x0,   0x3,   true,  0 },
	{ "client-server-only", "client 0x2 (server bit only: no client TFO), server 0x3", 0x2,   0x3,   true,  0 },
	{ "server-off",      "client 0x1, server 0x0 (no TFO server)",                     0x1,   0x0,   true,  0 },
	{ "server-no-sockopt", "client 0x1, server 0x3 but listener without TCP_FASTOPEN", 0x1,   0x3,   false, 0 },
	{ "server-wo-sockopt", "client 0x1, server 0x403 (TFO on every listener)",         0x1,   0x403, false, 0 },
	{ "client-403",      "client 0x403, server 0x3",                                   0x403, 0x3,   true,  0 },
	{ "server-nocookie", "client 0x1, server 0x203 (cookie not required)",             0x1,   0x203, true,  0 },
	{ "no-cookie",       "client 0x5 (no-cookie mode), server 0x203",                  0x5,   0x203, true,  0 },
	{ "no-cookie-strict", "client 0x5 (no-cookie mode), server 0x3 (cookie required)", 0x5,   0x3,   true,  0 },
};
/* clang-format on */

const size_t profile_count = ARRAY_SIZE(profile_table);

const struct profile *profile_find(const char *name)
{
	for (size_t i = 0; i < profile_count; i++)
		if (!strcmp(profile_table[i].name, name))
			return &profile_table[i];
	return NULL;
}

const struct profile *profile_default(void)
{
	return &profile_table[0];
}

bool profile_client_tfo(const struct profile *p)
{
	return p->client_tfo & TFO_CLIENT_ENABLE;
}

bool profile_client_no_tfo(const struct profile *p)
{
	return !profile_client_tfo(p);
}

bool profile_client_nocookie(const struct profile *p)
{
	return profile_client_tfo(p) && (p->client_tfo & TFO_CLIENT_NO_COOKIE);
}

/* A listener does TFO when the server bit is on and it either asked for it
 * with TCP_FASTOPEN or the namespace grants it to every listener. */
static bool profile_server_tfo(const struct profile *p)
{
	return (p->server_tfo & TFO_SERVER_ENABLE) &&
	       (p->server_sockopt || (p->server_tfo & TFO_SERVER_WO_SOCKOPT1));
}

bool profile_server_cookies(const struct profile *p)
{
	/* with 0x200 the server accepts data without a cookie and, measured,
	 * never issues one */
	return profile_server_tfo(p) &&
	       !(p->server_tfo & TFO_SERVER_COOKIE_NOT_REQD);
}

bool profile_server_nocookie(const struct profile *p)
{
	return profile_server_tfo(p) &&
	       (p->server_tfo & TFO_SERVER_COOKIE_NOT_REQD);
}

bool profile_client_syn_data(const struct profile *p, bool cookie_cached)
{
	return profile_client_tfo(p) &&
	       (profile_client_nocookie(p) ||
		(cookie_cached && profile_server_cookies(p)));
}

bool profile_client_syn_data_warm(const struct profile *p)
{
	return profile_client_syn_data(p, true);
}

bool profile_syn_data_expected(const struct profile *p, bool cookie_cached)
{
	if (!profile_client_tfo(p))
		return false;
	if (profile_client_nocookie(p))
		return profile_server_nocookie(p);
	return cookie_cached && profile_server_cookies(p);
}

const struct profile_predicate profile_predicates[] = {
	{ "profile_client_tfo", profile_client_tfo },
	{ "profile_client_no_tfo", profile_client_no_tfo },
	{ "profile_client_nocookie", profile_client_nocookie },
	{ "profile_server_cookies", profile_server_cookies },
	{ "profile_server_nocookie", profile_server_nocookie },
	{ "profile_client_syn_data_warm", profile_client_syn_data_warm },
};
const size_t profile_predicate_count = ARRAY_SIZE(profile_predicates);

const char *profile_predicate_name(bool (*fn)(const struct profile *p))
{
	for (size_t i = 0; i < profile_predicate_count; i++)
		if (profile_predicates[i].fn == fn)
			return profile_predicates[i].name;
	return NULL;
}
