/* SPDX-License-Identifier: MIT */
/*
 * Sysctl profiles: named sets of net.ipv4.tcp_fastopen* values for the
 * client and the server namespace (plus the listener's TCP_FASTOPEN
 * sockopt), the platform axis every case is run along.  Profiles are data
 * (profile.c); `tfocheck list --profiles` prints them.
 */
#ifndef TFOCHECK_PROFILE_H
#define TFOCHECK_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/tfo_uapi.h"

struct profile {
	const char *name;
	const char *summary;
	long client_tfo;	/* net.ipv4.tcp_fastopen in the client ns */
	long server_tfo;	/* ... in the server ns */
	bool server_sockopt;	/* listener sets TCP_FASTOPEN qlen */
	long blackhole_sec;	/* tcp_fastopen_blackhole_timeout_sec, client */
};

extern const struct profile profile_table[];
extern const size_t profile_count;

const struct profile *profile_find(const char *name);
/* The profile most cases run in when none is asked for ("tfo"). */
const struct profile *profile_default(void);

/* What the profile means for a TFO client on Linux (derived, not stored). */
bool profile_client_tfo(const struct profile *p);     /* bit 0x1 */
bool profile_client_no_tfo(const struct profile *p);  /* bit 0x1 clear */
bool profile_client_nocookie(const struct profile *p); /* 0x1 and 0x4 */
/* The server issues cookies and accepts SYN data carrying a valid one. */
bool profile_server_cookies(const struct profile *p);
/* The server accepts SYN data without a cookie (0x200 with a TFO listener). */
bool profile_server_nocookie(const struct profile *p);
/* The client puts data in the SYN (accepted or not): no-cookie mode, or a
 * cookie cached from a server that grants them. */
bool profile_client_syn_data(const struct profile *p, bool cookie_cached);
/* profile_client_syn_data(p, true): after one contact that could cache a
 * cookie (a row predicate) */
bool profile_client_syn_data_warm(const struct profile *p);
/* Second connection's data rides the SYN and is accepted (the TFO path). */
bool profile_syn_data_expected(const struct profile *p, bool cookie_cached);

/* The predicates case rows select profiles with (.profile_if), by name:
 * listings print them, and the table test refuses a hand-written profile
 * list that one of them computes. */
struct profile_predicate {
	const char *name;
	bool (*fn)(const struct profile *p);
};
extern const struct profile_predicate profile_predicates[];
extern const size_t profile_predicate_count;
/* The name of fn if it is one of them, else NULL. */
const char *profile_predicate_name(bool (*fn)(const struct profile *p));

#endif
