/* SPDX-License-Identifier: MIT */
/*
 * Drawing, naming and describing scenarios (see scn.h).  The weights
 * favour the plain value of each feature, so that a scenario usually
 * differs from a working call in a few features at once: that is where
 * combinations no table row uses are found, and what shrinking undoes.
 */
#include "fuzz/scn.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netns/profile.h"
#include "util/util.h"

const char *const fz_profile_names[] = {
	"tfo", "client-off", "client-server-only", "server-off",
	"server-no-sockopt", "server-wo-sockopt", "client-403",
	"server-nocookie", "no-cookie", "no-cookie-strict",
};

int fz_scn_check_profiles(void)
{
	if (ARRAY_SIZE(fz_profile_names) != fz_nvalues[FZ_PROFILE])
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(fz_profile_names); i++)
		if (!profile_find(fz_profile_names[i]))
			return -ENOENT;
	return 0;
}

#define V(...) (const char *const[]){ __VA_ARGS__ }

const struct fz_feat_info fz_feat_info[FZ_NFEAT] = {
	[FZ_API] = { "api", V("owfat", "connectx") },
	[FZ_PROFILE] = { "profile", fz_profile_names },
	[FZ_FAMILY] = { "family", V("ipv4", "ipv6", "ipv4-mapped", "ipv6-linklocal") },
	[FZ_PATH] = { "path", V("pair", "routed", "drop-syn", "icmp-host-unreach",
				"icmp-admin-prohibited", "icmp-net-unreach",
				"drop-syn-data", "strip-tfo") },
	[FZ_LISTEN] = { "server", V("listening", "not listening") },
	[FZ_SRVPORT] = { "server_port", V("ephemeral", "80", "1023", "1024", "40404", "65535") },
	[FZ_COOKIE] = { "cookie", V("none cached", "cached") },
	[FZ_PRIOR] = { "prior", V("fresh", "bound to the wildcard, port 0",
				  "bound to the wildcard, port 40404",
				  "bound to the client address, port 0",
				  "bound to the client address, port 40404",
				  "connecting (SYN unanswered)", "connected",
				  "failed (connection refused)", "listening",
				  "a closed descriptor", "a UDP socket",
				  "a connected UDP socket", "an AF_UNIX socket",
				  "a pipe") },
	[FZ_DOMAIN] = { "domain", V("the family's", "the other family's") },
	[FZ_NONBLOCK] = { "nonblock", V("blocking", "non-blocking") },
	[FZ_CLOEXEC] = { "cloexec", V("no FD_CLOEXEC", "FD_CLOEXEC") },
	[FZ_V6ONLY] = { "v6only", V("no IPV6_V6ONLY", "IPV6_V6ONLY") },
	[FZ_OFN] = { "function", V("socket_fastopen_connect", "the other family's socket_fastopen_connect",
				   "socket_connected") },
	[FZ_OIP] = { "ip", V("server", "unroutable", "silent", "self", "any",
			     "loopback", "multicast", "broadcast", "NULL") },
	[FZ_OPORT] = { "port", V("server port", "closed port 9", "0") },
	[FZ_OSCOPE] = { "scope_id", V("auto", "0", "client interface", "lo", "4242", "0xffffffff") },
	[FZ_OBUF] = { "buf", V("valid", "NULL", "unmapped", "16 valid bytes") },
	[FZ_OLEN] = { "len", V("27", "0", "1", "5", "1000", "1400", "3000", "65535", "102400") },
	[FZ_XEP] = { "endpoints", V("valid", "NULL", "unmapped") },
	[FZ_XSRCIF] = { "sae_srcif", V("0", "client interface", "lo", "4242") },
	[FZ_XSRC] = { "sae_srcaddr", V("NULL", "client", "client:41234", "wildcard",
				       "wildcard:41234", "server", "other family",
				       "AF_UNSPEC", "multicast") },
	[FZ_XSRCLEN] = { "sae_srcaddrlen", V("exact", "0", "1", "2", "exact-1", "exact+1",
					     "128", "255", "256") },
	[FZ_XDST] = { "sae_dstaddr", V("server", "unroutable", "silent", "self",
				       "wildcard", "multicast", "other family",
				       "AF_UNSPEC", "NULL") },
	[FZ_XDSTLEN] = { "sae_dstaddrlen", V("exact", "0", "1", "2", "exact-1", "exact+1",
					     "128", "255", "256") },
	[FZ_XPORT] = { "port", V("server port", "closed port 9", "0") },
	[FZ_XAID] = { "associd", V("SAE_ASSOCID_ANY", "SAE_ASSOCID_ALL", "1", "0x12345678") },
	[FZ_XFLAGS] = { "flags", V("0", "RESUME", "IDEMPOTENT", "RESUME|IDEMPOTENT",
				   "AUTHENTICATED", "RESUME|AUTHENTICATED",
				   "IDEMPOTENT|AUTHENTICATED", "all three") },
	[FZ_XUNK] = { "unknown_flag", V("none", "0x8", "0x10", "0x100", "0x80000000") },
	[FZ_XIOV] = { "iov", V("valid", "NULL", "unmapped") },
	[FZ_XIOVCNT] = { "iovcnt", V("3", "0", "1", "2", "4", "16", "1024", "1025", "UINT_MAX") },
	[FZ_XIOVSHAPE] = { "iov_shape", V("9 bytes each", "first empty", "first 3000 bytes",
					  "first 100000 bytes", "first NULL,0",
					  "last unmapped") },
	[FZ_XLENP] = { "len", V("valid", "NULL", "unmapped") },
	[FZ_XCIDP] = { "connid", V("valid", "NULL", "unmapped") },
	[FZ_F1] = { "follow_up_1", V("none", "poll", "complete", "write", "read",
				     "socket_connected", "again", "disconnectx",
				     "disconnectx(associd 42)", "SO_ERROR") },
	[FZ_F2] = { "follow_up_2", V("none", "poll", "complete", "write", "read",
				     "socket_connected", "again", "disconnectx",
				     "disconnectx(associd 42)", "SO_ERROR") },
	[FZ_F3] = { "follow_up_3", V("none", "poll", "complete", "write", "read",
				     "socket_connected", "again", "disconnectx",
				     "disconnectx(associd 42)", "SO_ERROR") },
};

uint64_t fz_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned int fz_below(uint64_t *st, unsigned int n)
{
	return (unsigned int)(fz_rand(st) % n);
}

/* Value 0 with probability plain/100, else any value (0 included). */
static uint8_t fz_pick(uint64_t *st, int feat, unsigned int plain)
{
	if (fz_below(st, 100) < plain)
		return 0;
	return (uint8_t)fz_below(st, fz_nvalues[feat]);
}

static bool fz_owfat_feat(int f)
{
	return f >= FZ_OFN && f <= FZ_OLEN;
}

static bool fz_connectx_feat(int f)
{
	return f >= FZ_XEP && f <= FZ_XCIDP;
}

void fz_scn_canon(struct fz_scn *s)
{
	uint8_t f[FZ_NFOLLOW];
	int n = 0;

	for (int i = 0; i < FZ_NFEAT; i++) {
		if (s->v[i] >= fz_nvalues[i])
			s->v[i] = 0;
		if ((s->v[FZ_API] == FZA_OWFAT && fz_connectx_feat(i)) ||
		    (s->v[FZ_API] == FZA_CONNECTX && fz_owfat_feat(i)))
			s->v[i] = 0;
	}
	for (int i = 0; i < FZ_NFOLLOW; i++)
		if (s->v[FZ_F1 + i] != FZW_NONE)
			f[n++] = s->v[FZ_F1 + i];
	for (int i = 0; i < FZ_NFOLLOW; i++)
		s->v[FZ_F1 + i] = i < n ? f[i] : FZW_NONE;
}

void fz_scn_generate(uint64_t seed, uint64_t index, unsigned int api_mask,
		     struct fz_scn *out)
{
	uint64_t a = seed, b = index ^ 0x6a09e667f3bcc909ull, st;
	uint8_t *v = out->v;
	unsigned int nf;

	/* each scenario its own stream: both numbers through the mixer */
	st = fz_rand(&a) ^ (fz_rand(&b) * 0xd1342543de82ef95ull);
	memset(out, 0, sizeof(*out));
	if (api_mask == (1u << FZA_CONNECTX))
		v[FZ_API] = FZA_CONNECTX;
	else if (api_mask == (1u << FZA_OWFAT | 1u << FZA_CONNECTX))
		v[FZ_API] = (uint8_t)fz_below(&st, 2);
	v[FZ_PROFILE] = fz_pick(&st, FZ_PROFILE, 45);
	v[FZ_FAMILY] = (uint8_t)fz_below(&st, FZM_MAX);
	v[FZ_PATH] = fz_below(&st, 100) < 65 ? FZP_PAIR :
		     fz_below(&st, 3) == 0 ? FZP_ROUTED : (uint8_t)fz_below(&st, FZP_MAX);
	if (v[FZ_FAMILY] == FZM_LINKLOCAL)
		v[FZ_PATH] = FZP_PAIR; /* fe80::2 is on the client's link only in a pair */
	v[FZ_LISTEN] = fz_below(&st, 100) < 8;
	v[FZ_SRVPORT] = fz_pick(&st, FZ_SRVPORT, 55);
	v[FZ_COOKIE] = fz_below(&st, 100) < 30;
	v[FZ_PRIOR] = fz_pick(&st, FZ_PRIOR, 45);
	v[FZ_DOMAIN] = fz_below(&st, 100) < 12;
	v[FZ_NONBLOCK] = fz_below(&st, 100) < 40;
	v[FZ_CLOEXEC] = fz_below(&st, 100) < 20;
	v[FZ_V6ONLY] = fz_below(&st, 100) < 10;
	if (v[FZ_API] == FZA_OWFAT) {
		v[FZ_OFN] = fz_pick(&st, FZ_OFN, 75);
		v[FZ_OIP] = fz_pick(&st, FZ_OIP, 70);
		v[FZ_OPORT] = fz_pick(&st, FZ_OPORT, 80);
		v[FZ_OSCOPE] = fz_pick(&st, FZ_OSCOPE, 70);
		v[FZ_OBUF] = fz_pick(&st, FZ_OBUF, 88);
		v[FZ_OLEN] = fz_pick(&st, FZ_OLEN, 40);
	} else {
		v[FZ_XEP] = fz_pick(&st, FZ_XEP, 92);
		v[FZ_XSRCIF] = fz_pick(&st, FZ_XSRCIF, 75);
		v[FZ_XSRC] = fz_pick(&st, FZ_XSRC, 60);
		v[FZ_XSRCLEN] = fz_pick(&st, FZ_XSRCLEN, 80);
		v[FZ_XDST] = fz_pick(&st, FZ_XDST, 72);
		v[FZ_XDSTLEN] = fz_pick(&st, FZ_XDSTLEN, 82);
		v[FZ_XPORT] = fz_pick(&st, FZ_XPORT, 80);
		v[FZ_XAID] = fz_pick(&st, FZ_XAID, 85);
		v[FZ_XFLAGS] = (uint8_t)fz_below(&st, FZ_NFLAGS);
		v[FZ_XUNK] = fz_pick(&st, FZ_XUNK, 75);
		v[FZ_XIOV] = fz_pick(&st, FZ_XIOV, 70);
		v[FZ_XIOVCNT] = fz_pick(&st, FZ_XIOVCNT, 55);
		v[FZ_XIOVSHAPE] = fz_pick(&st, FZ_XIOVSHAPE, 65);
		v[FZ_XLENP] = fz_pick(&st, FZ_XLENP, 88);
		v[FZ_XCIDP] = fz_pick(&st, FZ_XCIDP, 75);
	}
	nf = fz_below(&st, 100);
	nf = nf < 30 ? 0 : nf < 65 ? 1 : nf < 85 ? 2 : 3;
	for (unsigned int i = 0; i < nf; i++)
		v[FZ_F1 + i] = (uint8_t)(1 + fz_below(&st, FZW_MAX - 1));
	/* a few timer waits go a long way: most slow draws become quick */
	if (fz_is_slow(out) && fz_below(&st, 100) < 60) {
		v[FZ_PATH] = fz_below(&st, 2) ? FZP_PAIR : FZP_ROUTED;
		if (fz_is_slow(out))
			v[FZ_NONBLOCK] = 1;
	}
	if (v[FZ_FAMILY] == FZM_LINKLOCAL)
		v[FZ_PATH] = FZP_PAIR;
	fz_scn_canon(out);
}

static const char fz_digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";

void fz_scn_id(const struct fz_scn *s, char *buf, size_t size)
{
	struct fz_scn c = *s;
	char id[FZ_ID_MAX];
	size_t off = 0;

	fz_scn_canon(&c);
	off += (size_t)snprintf(id, sizeof(id), "fz1-%c",
				c.v[FZ_API] == FZA_CONNECTX ? 'x' : 'o');
	for (int i = 1; i < FZ_NFEAT && off + 1 < sizeof(id); i++) {
		if ((c.v[FZ_API] == FZA_OWFAT && fz_connectx_feat(i)) ||
		    (c.v[FZ_API] == FZA_CONNECTX && fz_owfat_feat(i)))
			continue;
		id[off++] = fz_digits[c.v[i]];
	}
	id[off] = 0;
	snprintf(buf, size, "%s", id);
}

int fz_scn_parse(const char *id, struct fz_scn *out)
{
	const char *p;
	int api;

	memset(out, 0, sizeof(*out));
	if (strncmp(id, "fz1-", 4) || (id[4] != 'o' && id[4] != 'x'))
		return -EINVAL;
	api = id[4] == 'x' ? FZA_CONNECTX : FZA_OWFAT;
	out->v[FZ_API] = (uint8_t)api;
	p = id + 5;
	for (int i = 1; i < FZ_NFEAT; i++) {
		const char *d;

		if ((api == FZA_OWFAT && fz_connectx_feat(i)) ||
		    (api == FZA_CONNECTX && fz_owfat_feat(i)))
			continue;
		if (!*p || !(d = strchr(fz_digits, *p)) ||
		    (d - fz_digits) >= fz_nvalues[i])
			return -EINVAL;
		out->v[i] = (uint8_t)(d - fz_digits);
		p++;
	}
	return *p ? -EINVAL : 0;
}

static const char *fz_val(const struct fz_scn *s, int f)
{
	return fz_feat_info[f].values[s->v[f]];
}

/* The address class as text for the scenario's family ("198.18.0.2"). */
static const char *fz_ip_text(int fam, bool four, int cls)
{
	static const char *const v4[FZI_MAX] = {
		"198.18.0.2 (server)", "198.18.255.1 (unroutable)", "198.18.0.3 (silent neighbour)",
		"198.18.0.1 (self)", "0.0.0.0", "127.0.0.1", "224.0.0.1", "255.255.255.255", "NULL",
	};
	static const char *const v6[FZI_MAX] = {
		"2001:2::2 (server)", "2001:2:ffff::1 (unroutable)", "2001:2::3 (silent neighbour)",
		"2001:2::1 (self)", "::", "::1", "ff0e::1", "ff02::2", "NULL",
	};
	static const char *const ll[FZI_MAX] = {
		"fe80::2 (server)", "2001:2:ffff::1 (unroutable)", "fe80::3 (silent neighbour)",
		"fe80::1 (self)", "::", "::1", "ff02::1", "ff02::2", "NULL",
	};
	static const char *const mapped[FZI_MAX] = {
		"::ffff:198.18.0.2 (server)", "::ffff:198.18.255.1 (unroutable)",
		"::ffff:198.18.0.3 (silent neighbour)", "::ffff:198.18.0.1 (self)",
		"::ffff:0.0.0.0", "::ffff:127.0.0.1", "::ffff:224.0.0.1",
		"::ffff:255.255.255.255", "NULL",
	};

	if (four)
		return v4[cls];
	if (fam == FZM_IPV6)
		return v6[cls];
	if (fam == FZM_LINKLOCAL)
		return ll[cls];
	return mapped[cls];
}

void fz_scn_call_text(const struct fz_scn *s, char *buf, size_t size)
{
	const uint8_t *v = s->v;

	if (v[FZ_API] == FZA_OWFAT) {
		bool four = v[FZ_OFN] == FZO_CONNECT ? v[FZ_FAMILY] == FZM_IPV4 :
						     v[FZ_FAMILY] != FZM_IPV4;
		int fam = v[FZ_OFN] == FZO_CONNECT_OTHER ? FZM_MAPPED : v[FZ_FAMILY];

		if (v[FZ_OFN] == FZO_CONNECTED) {
			snprintf(buf, size, "socket_connected(s)");
			return;
		}
		if (four)
			snprintf(buf, size, "socket_fastopen_connect4(s, %s, %s, buf %s, %s)",
				 fz_ip_text(fam, true, v[FZ_OIP]), fz_val(s, FZ_OPORT),
				 fz_val(s, FZ_OBUF), fz_val(s, FZ_OLEN));
		else
			snprintf(buf, size, "socket_fastopen_connect6(s, %s, %s, scope_id %s, buf %s, %s)",
				 fz_ip_text(fam, false, v[FZ_OIP]), fz_val(s, FZ_OPORT),
				 fz_val(s, FZ_OSCOPE), fz_val(s, FZ_OBUF), fz_val(s, FZ_OLEN));
		return;
	}
	snprintf(buf, size,
		 "connectx(s, endpoints %s {srcif %s, srcaddr %s len %s, dstaddr %s len %s, %s}, associd %s, flags %s%s%s, iov %s (%s), iovcnt %s, len %s, connid %s)",
		 fz_val(s, FZ_XEP), fz_val(s, FZ_XSRCIF), fz_val(s, FZ_XSRC),
		 fz_val(s, FZ_XSRCLEN), fz_val(s, FZ_XDST), fz_val(s, FZ_XDSTLEN),
		 fz_val(s, FZ_XPORT), fz_val(s, FZ_XAID), fz_val(s, FZ_XFLAGS),
		 v[FZ_XUNK] ? "|" : "", v[FZ_XUNK] ? fz_val(s, FZ_XUNK) : "",
		 fz_val(s, FZ_XIOV), fz_val(s, FZ_XIOVSHAPE), fz_val(s, FZ_XIOVCNT),
		 fz_val(s, FZ_XLENP), fz_val(s, FZ_XCIDP));
}

void fz_scn_describe(const struct fz_scn *s, char *buf, size_t size)
{
	const uint8_t *v = s->v;
	char call[600];
	size_t off = 0;

	buf[0] = 0;
	util_appendf(buf, size, &off, "profile %s, %s, %s; server %s on port %s%s; socket: %s, %s%s%s%s%s; ",
		     fz_val(s, FZ_PROFILE), fz_val(s, FZ_FAMILY), fz_val(s, FZ_PATH),
		     fz_val(s, FZ_LISTEN), fz_val(s, FZ_SRVPORT),
		     v[FZ_COOKIE] ? ", a TFO cookie cached" : "",
		     fz_val(s, FZ_PRIOR), fz_val(s, FZ_NONBLOCK),
		     v[FZ_DOMAIN] ? ", the other family's domain" : "",
		     v[FZ_CLOEXEC] ? ", FD_CLOEXEC" : "",
		     v[FZ_V6ONLY] ? ", IPV6_V6ONLY" : "", "");
	fz_scn_call_text(s, call, sizeof(call));
	util_appendf(buf, size, &off, "%s", call);
	for (int i = 0; i < FZ_NFOLLOW; i++)
		if (v[FZ_F1 + i])
			util_appendf(buf, size, &off, "%s%s", i ? ", " : "; then ",
				     fz_val(s, FZ_F1 + i));
}

size_t fz_scn_delta(const struct fz_scn *s, uint8_t *out)
{
	size_t n = 0;

	for (int i = 1; i < FZ_NFEAT; i++)
		if (s->v[i])
			out[n++] = (uint8_t)i;
	return n;
}

void fz_scn_apply(const struct fz_scn *s, const uint8_t *feats, size_t n,
		  struct fz_scn *out)
{
	memset(out, 0, sizeof(*out));
	out->v[FZ_API] = s->v[FZ_API];
	for (size_t i = 0; i < n; i++)
		out->v[feats[i]] = s->v[feats[i]];
	fz_scn_canon(out);
}

int fz_scn_calls(const struct fz_scn *s)
{
	int n = 1;

	for (int i = 0; i < FZ_NFOLLOW; i++)
		n += s->v[FZ_F1 + i] == FZW_AGAIN ||
		     s->v[FZ_F1 + i] == FZW_DISCONNECTX ||
		     s->v[FZ_F1 + i] == FZW_DISCONNECTX_BADAID ||
		     (s->v[FZ_API] == FZA_OWFAT && s->v[FZ_F1 + i] == FZW_CONNECTED);
	return n;
}
