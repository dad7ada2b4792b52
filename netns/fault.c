/* SPDX-License-Identifier: MIT */
/*
 * Fault injection in the router namespace (see fault.h and
 * docs/harness-faults-wire.md).  Each fault is a small nft script in one
 * table, `inet tfocheck_fault`, hooked at forward: client→server traffic
 * is selected by input interface (the router's client-side veth), so the
 * same rules serve IPv4 and IPv6.  The script first deletes the table, so
 * applying a fault replaces the previous one atomically (one nft
 * transaction) and FAULT_NONE leaves no table at all.
 *
 * libnftables 1.0.6 opens its netlink socket in nft_ctx_new(), not when a
 * command runs (measured: a context created in namespace A and run from
 * namespace B wrote into A), so the context is created, used and freed
 * while this thread sits in the router namespace.
 *
 * "Carries payload" is decided without arithmetic, which nft lacks: a
 * segment is pure when its IP length equals the IP header plus the TCP
 * header (doff * 4), enumerated for doff 5..15 — one `return` rule each,
 * then `drop`.  That is exact for IPv4 without options and IPv6 without
 * extension headers (all Linux sends on these sockets); anything else is
 * counted as carrying payload.  A concatenation set (`ip length . tcp
 * doff`) would be shorter, but nft 1.0.6 aborts when listing such a set
 * (mergesort.c assertion on the 4-bit field), so a debugging `nft list`
 * in the router would crash.
 */
#include "netns/fault.h"

#include <errno.h>
#include <nftables/libnftables.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"
#include "netns/netns.h"
#include "netns/topo.h"

#define FAULT_TABLE "tfocheck_fault"
#define FAULT_SCRIPT_MAX 8192

/* SYN from the client: SYN set, ACK clear (SYN-ACKs travel the other way
 * anyway, but a simultaneous open must not be caught by accident). */
#define FAULT_SYN "tcp flags & (syn|ack) == syn"

const struct fault_info fault_table[FAULT_MAX] = {
	[FAULT_NONE] = { FAULT_NONE, "none", "no fault: the router forwards everything" },
	[FAULT_DROP_SYN] = { FAULT_DROP_SYN, "drop-syn",
		"drop every client SYN: connect fails with ETIMEDOUT (3 s with tcp_syn_retries=1)" },
	[FAULT_DROP_SYN_DATA] = { FAULT_DROP_SYN_DATA, "drop-syn-data",
		"drop client SYNs carrying payload: SYN-data lost, plain SYN retransmitted after 1 s, no errno, data delivered after the handshake" },
	[FAULT_STRIP_TFO] = { FAULT_STRIP_TFO, "strip-tfo",
		"NOP out TCP options 34 and 254/0xF989 in SYNs and SYN-ACKs: connections succeed, no cookie is ever cached, data goes after the handshake" },
	[FAULT_RST_SYN] = { FAULT_RST_SYN, "rst-syn",
		"answer client SYNs with a TCP RST: ECONNREFUSED at once" },
	[FAULT_ICMP_HOST_UNREACH] = { FAULT_ICMP_HOST_UNREACH, "icmp-host-unreach",
		"answer client SYNs with ICMP host / ICMPv6 address unreachable: EHOSTUNREACH after ~1 s (blocking)" },
	[FAULT_ICMP_NET_UNREACH] = { FAULT_ICMP_NET_UNREACH, "icmp-net-unreach",
		"answer client SYNs with ICMP net unreachable / ICMPv6 no route: ENETUNREACH after ~1 s (blocking)" },
	[FAULT_ICMP_ADMIN_PROHIB] = { FAULT_ICMP_ADMIN_PROHIB, "icmp-admin-prohibited",
		"answer client SYNs with ICMP admin-prohibited: EHOSTUNREACH (IPv4) / EACCES (IPv6) after ~1 s (blocking)" },
	[FAULT_DROP_AFTER_HANDSHAKE] = { FAULT_DROP_AFTER_HANDSHAKE, "drop-after-handshake",
		"handshake (and SYN data) passes, later client segments with payload are dropped: connect succeeds, the data never arrives" },
};

static __thread char fault_err[512];

const char *fault_last_error(void)
{
	return fault_err;
}

static void fault_error_set(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void fault_error_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fault_err, sizeof(fault_err), fmt, ap);
	va_end(ap);
}

const char *fault_name(enum fault f)
{
	if ((unsigned)f >= FAULT_MAX)
		return NULL;
	return fault_table[f].name;
}

const char *fault_doc(enum fault f)
{
	if ((unsigned)f >= FAULT_MAX)
		return NULL;
	return fault_table[f].doc;
}

int fault_from_name(const char *name, enum fault *out)
{
	if (!name)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(fault_table); i++) {
		if (!strcmp(fault_table[i].name, name)) {
			*out = fault_table[i].fault;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * Chain `payload`: returns for a segment without payload, drops the rest.
 * Jumped to only for TCP.
 */
static void fault_script_payload_chain(char *buf, size_t size, size_t *off)
{
	util_appendf(buf, size, off, "add chain inet " FAULT_TABLE " payload\n");
	for (unsigned doff = 5; doff <= 15; doff++)
		util_appendf(buf, size, off,
			     "add rule inet " FAULT_TABLE " payload meta nfproto ipv4 ip hdrlength 5 tcp doff %u ip length %u return\n",
			     doff, 20 + 4 * doff);
	for (unsigned doff = 5; doff <= 15; doff++)
		util_appendf(buf, size, off,
			     "add rule inet " FAULT_TABLE " payload meta nfproto ipv6 ip6 nexthdr tcp tcp doff %u ip6 length %u return\n",
			     doff, 4 * doff);
	util_appendf(buf, size, off,
		     "add rule inet " FAULT_TABLE " payload counter drop\n");
}

int fault_script(const struct topo *t, enum fault f, char *buf, size_t size)
{
	const char *icmpx = NULL;
	size_t off = 0;
	int c2s_if, ret = 0;

	if (!t || !buf || !size || (unsigned)f >= FAULT_MAX ||
	    t->kind != TOPO_ROUTED) {
		ret = -EINVAL;
		goto out;
	}
	buf[0] = 0;
	c2s_if = t->host[ROLE_ROUTER].ifindex[0];

	/* "add" first so that "delete" never fails on a fresh router */
	util_appendf(buf, size, &off, "add table inet " FAULT_TABLE "\n"
		     "delete table inet " FAULT_TABLE "\n");
	if (f == FAULT_NONE)
		goto check;

	util_appendf(buf, size, &off,
		     "add table inet " FAULT_TABLE "\n"
		     "add chain inet " FAULT_TABLE " forward { type filter hook forward priority 0; policy accept; }\n"
		     "add chain inet " FAULT_TABLE " c2s\n");
	if (f == FAULT_STRIP_TFO) {
		/* both directions: SYN (request/cookie) and SYN-ACK (cookie).
		 * The kernel (nft_exthdr, "strip") overwrites the option with
		 * NOPs and fixes the checksum; length and offsets stay. */
		util_appendf(buf, size, &off,
			     "add rule inet " FAULT_TABLE " forward tcp flags & syn == syn tcp option fastopen exists counter reset tcp option fastopen\n"
			     "add rule inet " FAULT_TABLE " forward tcp flags & syn == syn tcp option @254,16,16 0xf989 counter reset tcp option 254\n");
		goto check;
	}
	util_appendf(buf, size, &off,
		     "add rule inet " FAULT_TABLE " forward meta iif %d meta l4proto tcp jump c2s\n",
		     c2s_if);

	switch (f) {
	case FAULT_DROP_SYN:
		util_appendf(buf, size, &off,
			     "add rule inet " FAULT_TABLE " c2s " FAULT_SYN " counter drop\n");
		break;
	case FAULT_DROP_SYN_DATA:
		fault_script_payload_chain(buf, size, &off);
		util_appendf(buf, size, &off,
			     "add rule inet " FAULT_TABLE " c2s " FAULT_SYN " jump payload\n");
		break;
	case FAULT_DROP_AFTER_HANDSHAKE:
		/* every SYN (with whatever it carries) and every RST passes;
		 * of the rest, whatever carries payload is dropped */
		fault_script_payload_chain(buf, size, &off);
		util_appendf(buf, size, &off,
			     "add rule inet " FAULT_TABLE " c2s tcp flags & (syn|rst) == 0 jump payload\n");
		break;
	case FAULT_RST_SYN:
		util_appendf(buf, size, &off,
			     "add rule inet " FAULT_TABLE " c2s " FAULT_SYN " counter reject with tcp reset\n");
		break;
	case FAULT_ICMP_HOST_UNREACH:
		icmpx = "host-unreachable";
		break;
	case FAULT_ICMP_NET_UNREACH:
		icmpx = "no-route";
		break;
	case FAULT_ICMP_ADMIN_PROHIB:
		icmpx = "admin-prohibited";
		break;
	default:
		break;
	}
	if (icmpx)
		util_appendf(buf, size, &off,
			     "add rule inet " FAULT_TABLE " c2s " FAULT_SYN " counter reject with icmpx %s\n",
			     icmpx);
check:
	if (off >= size - 1)
		ret = -ENOSPC;
out:
	return ret;
}

/* Run script with libnftables inside nsfd; the context must be born there
 * (see the top of the file). */
static int fault_nft_run(int nsfd, const char *script)
{
	struct nft_ctx *ctx = NULL;
	int back = -1, ret, err;

	ret = netns_current(&back);
	if (ret) {
		fault_error_set("cannot open the current namespace: %s",
				strerror(-ret));
		goto out;
	}
	ret = netns_enter(nsfd);
	if (ret) {
		fault_error_set("cannot enter the router namespace: %s",
				strerror(-ret));
		goto out;
	}
	ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx) {
		fault_error_set("nft_ctx_new failed");
		ret = -ENOMEM;
	} else if (nft_ctx_buffer_output(ctx) || nft_ctx_buffer_error(ctx)) {
		fault_error_set("nft_ctx_buffer_* failed");
		ret = -ENOMEM;
	} else {
		errno = 0;
		if (nft_run_cmd_from_buffer(ctx, script)) {
			const char *e = nft_ctx_get_error_buffer(ctx);

			err = errno;
			fault_error_set("nft: %s", e && *e ? e : "command failed");
			/* errno is only meaningful for netlink failures */
			ret = err == EPERM || err == ENOENT || err == EOPNOTSUPP ||
			      err == ENOMEM ? -err : -EINVAL;
		}
	}
	if (ctx)
		nft_ctx_free(ctx);
	err = netns_enter(back);
	if (err && !ret) {
		/* the thread is stranded in the router: the worst outcome */
		fault_error_set("cannot return from the router namespace: %s",
				strerror(-err));
		ret = err;
	}
out:
	if (back >= 0)
		close(back);
	return ret;
}

int fault_apply(const struct topo *t, enum fault f)
{
	char *script = NULL;
	int ret;

	fault_err[0] = 0;
	if (!t || t->kind != TOPO_ROUTED || (unsigned)f >= FAULT_MAX) {
		fault_error_set("fault needs a TOPO_ROUTED topology and a valid fault");
		ret = -EINVAL;
		goto out;
	}
	script = malloc(FAULT_SCRIPT_MAX);
	if (!script) {
		ret = -ENOMEM;
		goto out;
	}
	ret = fault_script(t, f, script, FAULT_SCRIPT_MAX);
	if (ret) {
		fault_error_set("fault script too long");
		goto out;
	}
	if (f >= FAULT_ICMP_HOST_UNREACH && f <= FAULT_ICMP_ADMIN_PROHIB) {
		/* one ICMP per SYN, every time: the default token bucket
		 * (1 per second per peer after a burst of 6) would turn a
		 * fast test series into timeouts */
		ret = netns_sysctl_write(t->host[ROLE_ROUTER].nsfd,
					 "net/ipv4/icmp_ratelimit", "0");
		if (!ret)
			ret = netns_sysctl_write(t->host[ROLE_ROUTER].nsfd,
						 "net/ipv6/icmp/ratelimit", "0");
		if (ret) {
			fault_error_set("cannot lift the router's ICMP rate limit: %s",
					strerror(-ret));
			goto out;
		}
	}
	ret = fault_nft_run(t->host[ROLE_ROUTER].nsfd, script);
out:
	free(script);
	return ret;
}
