/* SPDX-License-Identifier: MIT */
/*
 * Playing and observing one scenario (see play.h).  Reproducers carry
 * this file verbatim, so it uses the C library and kernel headers only.
 *
 * Determinism is the point of every choice here: the reference against
 * itself, in two fresh topologies, must observe the same thing.  So every
 * follow-up and the final look first let the handshake settle (the TCP
 * state leaves SYN_SENT/SYN_RECV, or a budget that only paths with lost
 * SYNs or ICMP replies exhaust), ports are classes, and the server's
 * bytes are judged against what the caller was told.
 */
#ifndef FZ_REPRO
#include "fuzz/play.h"
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* ---- value tables ---------------------------------------------------- */

#define FZ_NPROFILES 10

const uint8_t fz_nvalues[FZ_NFEAT] = {
	[FZ_API] = FZA_MAX, [FZ_PROFILE] = FZ_NPROFILES, [FZ_FAMILY] = FZM_MAX,
	[FZ_PATH] = FZP_MAX, [FZ_LISTEN] = 2, [FZ_SRVPORT] = FZS_MAX,
	[FZ_COOKIE] = 2, [FZ_PRIOR] = FZR_MAX, [FZ_DOMAIN] = 2,
	[FZ_NONBLOCK] = 2, [FZ_CLOEXEC] = 2, [FZ_V6ONLY] = 2,
	[FZ_OFN] = FZO_FN_MAX, [FZ_OIP] = FZI_MAX, [FZ_OPORT] = FZT_MAX,
	[FZ_OSCOPE] = FZC_MAX, [FZ_OBUF] = FZB_MAX, [FZ_OLEN] = FZ_NLEN,
	[FZ_XEP] = FZQ_MAX, [FZ_XSRCIF] = FZF_MAX, [FZ_XSRC] = FZX_SRC_MAX,
	[FZ_XSRCLEN] = FZL_MAX, [FZ_XDST] = FZD_MAX, [FZ_XDSTLEN] = FZL_MAX,
	[FZ_XPORT] = FZT_MAX, [FZ_XAID] = FZA_AID_MAX, [FZ_XFLAGS] = FZ_NFLAGS,
	[FZ_XUNK] = FZU_MAX, [FZ_XIOV] = FZQ_MAX, [FZ_XIOVCNT] = FZ_NIOVCNT,
	[FZ_XIOVSHAPE] = FZH_MAX, [FZ_XLENP] = FZQ_MAX, [FZ_XCIDP] = FZQ_MAX,
	[FZ_F1] = FZW_MAX, [FZ_F2] = FZW_MAX, [FZ_F3] = FZW_MAX,
};

const size_t fz_len_values[FZ_NLEN] = { 27, 0, 1, 5, 1000, 1400, 3000, 65535, 102400 };
const unsigned int fz_iovcnt_values[FZ_NIOVCNT] = { 3, 0, 1, 2, 4, 16, 1024, 1025, 0xffffffffu };
const uint16_t fz_srvport_values[FZS_MAX] = { 0, 80, 1023, 1024, 40404, 65535 };

static const unsigned int fz_unk_bits[FZU_MAX] = { 0, 0x8, 0x10, 0x100, 0x80000000u };
static const uint32_t fz_aid_values[FZA_AID_MAX] = { 0, 0xffffffffu, 1, 0x12345678u };

const char *const fz_field_names[FZK_MAX] = {
	"end", "call", "follow-up 1", "follow-up 2", "follow-up 3",
	"descriptor", "flags", "tcp_state", "local_address", "peer_address",
	"other_end", "server_connections", "server_bytes", "delivery",
	"server_syn_data", "wire_packets", "wire_syn_option", "wire_syn_data",
	"wire_ack_first", "side_effect",
};

const char *const fz_equiv_ids[FZV_MAX] = {
	"owfat.nonblocking", "connectx.nonblocking_data", "connectx.domain_limit",
	"connectx.connid", "owfat.connected_pending", "connectx.associd",
	"disconnectx.associd", "connectx.iov_len", "connectx.iovcnt",
	"connectx.flags_unknown",
};

#define FZ_CLOSED_FD 900	/* above what lowest-free allocation reaches */
#define FZ_IOV_ENTRIES 1025
#define FZ_EXP_MAX (FZ_PAYLOAD_MAX * 4)

/* tcpi_state values (include/net/tcp_states.h) */
enum { ST_ESTABLISHED = 1, ST_SYN_SENT, ST_SYN_RECV, ST_FIN_WAIT1, ST_FIN_WAIT2,
       ST_TIME_WAIT, ST_CLOSE, ST_CLOSE_WAIT, ST_LAST_ACK, ST_LISTEN, ST_CLOSING };

static const char *const fz_state_names[] = {
	"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
};

/* ---- small helpers --------------------------------------------------- */

static unsigned char fz_pat(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

static uint32_t fz_hash(const unsigned char *p, size_t n, uint32_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static double fz_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void fz_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static const char *fz_errname(int e)
{
	static char buf[24];
	const char *n = e ? strerrorname_np(e) : "0";

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* tcpi_state of fd, or -1 when it is no TCP socket. */
static int fz_tcp_state(int fd)
{
	unsigned char info[8] = { 0 };
	socklen_t l = sizeof(info);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, &l) < 0)
		return -1;
	return info[0];
}

/* A SYN_SENT socket with nothing in flight: its connect was deferred to
 * the first write (TCP_FASTOPEN_CONNECT, or a resume-on-write connectx),
 * so nothing happens until the caller writes. */
static bool fz_deferred(int fd)
{
	struct tcp_info ti;
	socklen_t l = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &l) < 0 ||
	    l < offsetof(struct tcp_info, tcpi_unacked) + sizeof(ti.tcpi_unacked))
		return false;
	return ti.tcpi_state == ST_SYN_SENT && ti.tcpi_unacked == 0;
}

static bool fz_handshaking(int st)
{
	return st == ST_SYN_SENT || st == ST_SYN_RECV;
}

/* States a connection passes through on its own: the handshake, and the
 * closing ones that wait for the other end's ACK or FIN. */
static bool fz_transient(int st)
{
	return fz_handshaking(st) || st == ST_FIN_WAIT1 || st == ST_FIN_WAIT2 ||
	       st == ST_CLOSING || st == ST_LAST_ACK;
}

/* Let the connection settle: until the state leaves the handshake and
 * the closing states that wait on the other end, or the budget is spent,
 * or it is a deferred connect, which waits on the caller.  POLLERR alone
 * does not end it: an ICMP error can be soft (the state stays SYN_SENT
 * until the retransmission's reply). */
static void fz_settle(int fd, int budget_ms)
{
	double end = fz_now_ms() + budget_ms;

	while (fz_transient(fz_tcp_state(fd)) && !fz_deferred(fd)) {
		double left = end - fz_now_ms();
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		if (left <= 0)
			break;
		if (poll(&p, 1, left < 10 ? (int)left + 1 : 10) == 1 &&
		    (p.revents & (POLLERR | POLLHUP)))
			fz_sleep_ms(2); /* level-triggered: do not spin */
	}
}

/* Nothing answers the call's SYN: the silent neighbour, a source
 * interface (lo) with no route to the server, or a socket whose own
 * handshake is already unanswered. */
static bool fz_unanswered(const struct fz_scn *s)
{
	const uint8_t *v = s->v;

	if (v[FZ_PRIOR] == FZR_CONNECTING)
		return true;
	if (v[FZ_API] == FZA_OWFAT)
		return v[FZ_OIP] == FZI_SILENT;
	return v[FZ_XDST] == FZD_SILENT ||
	       (v[FZ_XSRCIF] == FZF_LO &&
		(v[FZ_XDST] == FZD_SERVER || v[FZ_XDST] == FZD_UNROUTABLE));
}

int fz_settle_ms(const struct fz_scn *s)
{
	const uint8_t *v = s->v;

	switch (v[FZ_PATH]) {
	case FZP_ICMP_HOST:
	case FZP_ICMP_ADMIN:
	case FZP_ICMP_NET:
	case FZP_DROP_SYN_DATA:
		return 1500;
	case FZP_DROP_SYN:
		return 5;
	}
	if (fz_unanswered(s))
		return 5; /* nothing answers: the state holds for a second */
	return 300;
}

bool fz_is_slow(const struct fz_scn *s)
{
	const uint8_t *v = s->v;
	bool complete = false;

	if (fz_settle_ms(s) > 300)
		return true;
	/* the prior connect waits until its handshake gives up */
	if (v[FZ_PRIOR] == FZR_CONNECTED && v[FZ_PATH] == FZP_DROP_SYN)
		return true;
	for (int i = 0; i < FZ_NFOLLOW; i++)
		complete |= v[FZ_F1 + i] == FZW_COMPLETE;
	/* a blocking call, and a careful caller completing the write, wait
	 * as long */
	return (!v[FZ_NONBLOCK] || complete) &&
	       (v[FZ_PATH] == FZP_DROP_SYN || fz_unanswered(s));
}

/* ---- the scenario's memory ------------------------------------------ */

struct fz_mem {
	unsigned char *payload;		/* FZ_PAYLOAD_MAX bytes of pattern */
	unsigned char *guard;		/* a PROT_NONE page */
	unsigned char *shortbuf;	/* 16 bytes right before a guard */
	struct iovec *iov;		/* FZ_IOV_ENTRIES, right before a guard */
	unsigned char *src, *dst;	/* 512-byte address buffers */
	struct fz_endpoints *ep;
	unsigned char *ip;		/* 16 bytes */
	unsigned char *exp;		/* what the caller was told was sent */
	size_t nexp;
	unsigned char *concat;		/* the iov's bytes, in order */
	size_t nconcat;
};

static void *fz_map(size_t n, int prot)
{
	void *p = mmap(NULL, n, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* n bytes ending right at a PROT_NONE page. */
static void *fz_map_guarded(size_t n)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (n + pg - 1) / pg * pg;
	unsigned char *p = fz_map(len + pg, PROT_READ | PROT_WRITE);

	if (!p || mprotect(p + len, pg, PROT_NONE))
		return NULL;
	return p + len - n;
}

static int fz_mem_init(struct fz_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->payload = fz_map(FZ_PAYLOAD_MAX, PROT_READ | PROT_WRITE);
	m->guard = fz_map((size_t)sysconf(_SC_PAGESIZE), PROT_NONE);
	m->shortbuf = fz_map_guarded(16);
	m->iov = fz_map_guarded(FZ_IOV_ENTRIES * sizeof(struct iovec));
	m->src = fz_map(4096, PROT_READ | PROT_WRITE);
	m->exp = fz_map(FZ_EXP_MAX, PROT_READ | PROT_WRITE);
	m->concat = fz_map(FZ_PAYLOAD_MAX, PROT_READ | PROT_WRITE);
	if (!m->payload || !m->guard || !m->shortbuf || !m->iov || !m->src ||
	    !m->exp || !m->concat)
		return -ENOMEM;
	m->dst = m->src + 1024;
	m->ep = (struct fz_endpoints *)(m->src + 2048);
	m->ip = m->src + 3072;
	for (size_t i = 0; i < FZ_PAYLOAD_MAX; i++)
		m->payload[i] = fz_pat(i);
	memcpy(m->shortbuf, m->payload, 16);
	return 0;
}

static void fz_exp_add(struct fz_mem *m, const unsigned char *p, size_t n)
{
	if (n > FZ_EXP_MAX - m->nexp)
		n = FZ_EXP_MAX - m->nexp;
	memcpy(m->exp + m->nexp, p, n);
	m->nexp += n;
}

/* ---- addresses ------------------------------------------------------- */

/* How an address of a class is written: as IPv4, IPv6, v4-mapped, or
 * link-local IPv6. */
enum fz_variant { FZN_V4, FZN_V6, FZN_MAPPED, FZN_LL };

static enum fz_variant fz_family_variant(int fam)
{
	return fam == FZM_IPV4 ? FZN_V4 : fam == FZM_IPV6 ? FZN_V6 :
	       fam == FZM_MAPPED ? FZN_MAPPED : FZN_LL;
}

/* The variant of sockets of domain dom for a scenario of family fam. */
static enum fz_variant fz_domain_variant(int fam, int dom)
{
	if (dom == AF_INET)
		return FZN_V4;
	return fam == FZM_IPV4 ? FZN_MAPPED : fz_family_variant(fam);
}

static void fz_v4_of(const struct fz_env *e, int cls, struct in_addr *a)
{
	switch (cls) {
	case FZI_SERVER: *a = e->server4; break;
	case FZI_UNROUTABLE: *a = e->unroutable4; break;
	case FZI_SILENT: *a = e->silent4; break;
	case FZI_SELF: *a = e->client4; break;
	case FZI_LOOPBACK: a->s_addr = htonl(INADDR_LOOPBACK); break;
	case FZI_MCAST: a->s_addr = htonl(0xe0000001); break;
	case FZI_BCAST: a->s_addr = htonl(INADDR_BROADCAST); break;
	default: a->s_addr = htonl(INADDR_ANY); break;
	}
}

static void fz_v6_of(const struct fz_env *e, int cls, bool ll,
		     struct in6_addr *a)
{
	static const struct in6_addr mc_ll = { { { 0xff, 0x02, [15] = 1 } } };
	static const struct in6_addr mc_gl = { { { 0xff, 0x0e, [15] = 1 } } };
	static const struct in6_addr bc_ll = { { { 0xff, 0x02, [15] = 2 } } };

	switch (cls) {
	case FZI_SERVER: *a = ll ? e->server_ll : e->server6; break;
	case FZI_UNROUTABLE: *a = e->unroutable6; break;
	case FZI_SILENT: *a = ll ? e->silent_ll : e->silent6; break;
	case FZI_SELF: *a = ll ? e->client_ll : e->client6; break;
	case FZI_LOOPBACK: *a = in6addr_loopback; break;
	case FZI_MCAST: *a = ll ? mc_ll : mc_gl; break;
	case FZI_BCAST: *a = bc_ll; break;
	default: *a = in6addr_any; break;
	}
}

/* 4 or 16 raw bytes of class cls in variant vr; returns the length. */
static size_t fz_raw_addr(const struct fz_env *e, enum fz_variant vr, int cls,
			  unsigned char *out)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (vr == FZN_V4 || vr == FZN_MAPPED) {
		fz_v4_of(e, cls, &a4);
		if (vr == FZN_V4) {
			memcpy(out, &a4, 4);
			return 4;
		}
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
		return 16;
	}
	fz_v6_of(e, cls, vr == FZN_LL, &a6);
	memcpy(out, &a6, 16);
	return 16;
}

static bool fz_needs_scope(const unsigned char *a16)
{
	return (a16[0] == 0xfe && (a16[1] & 0xc0) == 0x80) ||
	       (a16[0] == 0xff && (a16[1] & 0x0f) == 0x02);
}

/* A socket address of class cls in variant vr (port host order). */
static socklen_t fz_sockaddr(const struct fz_env *e, enum fz_variant vr,
			     int cls, uint16_t port, void *buf)
{
	unsigned char raw[16];

	memset(buf, 0, sizeof(struct sockaddr_in6));
	if (fz_raw_addr(e, vr, cls, raw) == 4) {
		struct sockaddr_in *s4 = buf;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, raw, 4);
		return sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = buf;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, raw, 16);
		if (fz_needs_scope(raw))
			s6->sin6_scope_id = e->client_ifindex;
		return sizeof(*s6);
	}
}

/* Is fd's peer one of the server's addresses? */
static bool fz_peer_is_server(int fd, const struct fz_env *env)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;

	if (getpeername(fd, (struct sockaddr *)&ss, &sl) < 0)
		return false;
	if (ss.ss_family == AF_INET)
		return s4->sin_addr.s_addr == env->server4.s_addr;
	if (ss.ss_family != AF_INET6)
		return false;
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		return !memcmp(&s6->sin6_addr.s6_addr[12], &env->server4, 4);
	return IN6_ARE_ADDR_EQUAL(&s6->sin6_addr, &env->server6) ||
	       IN6_ARE_ADDR_EQUAL(&s6->sin6_addr, &env->server_ll);
}

/* "198.18.0.1:eph", "[fe80::1%2]:40404", "unbound", "ENOTCONN". */
static void fz_name_text(int fd, bool peer, uint16_t listener, char *buf,
			 size_t size)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char a[INET6_ADDRSTRLEN] = "?", port[16];
	uint16_t p = 0;
	int r = peer ? getpeername(fd, (struct sockaddr *)&ss, &sl) :
		       getsockname(fd, (struct sockaddr *)&ss, &sl);

	if (r < 0) {
		snprintf(buf, size, "%s", fz_errname(errno));
		return;
	}
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		p = ntohs(s4->sin_port);
	} else if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		size_t l;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		l = strlen(a);
		if (s6->sin6_scope_id)
			snprintf(a + l, sizeof(a) - l, "%%if");
		p = ntohs(s6->sin6_port);
	} else {
		snprintf(buf, size, "family %d", ss.ss_family);
		return;
	}
	if (!p && !peer && !strcmp(a, "0.0.0.0"))
		snprintf(buf, size, "unbound (0.0.0.0:0)");
	else if (!p && !peer && !strcmp(a, "::"))
		snprintf(buf, size, "unbound ([::]:0)");
	else {
		if (p == 0)
			snprintf(port, sizeof(port), "0");
		else if (peer && p == listener)
			snprintf(port, sizeof(port), "server-port");
		else if (p == FZ_BIND_PORT || p == FZ_SRC_PORT ||
			 p == FZ_CLOSED_PORT || p == FZ_IDLE_PORT ||
			 (p < 32768 && p != listener))
			snprintf(port, sizeof(port), "%u", p);
		else
			snprintf(port, sizeof(port), "ephemeral");
		snprintf(buf, size, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
			 a, port);
	}
}

static uint16_t fz_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return 0;
}

/* ---- the play -------------------------------------------------------- */

struct fz_run {
	const struct fz_scn *s;
	const struct fz_ops *o;
	struct fz_obs *obs;
	struct fz_mem m;
	int fam, dom;		/* the scenario's family, the socket's domain */
	int fd, aux_fd;
	uint16_t port;		/* the server's port (listening or not) */
	bool listening;
	bool udp;
	unsigned int base[2];	/* server connections before the socket's */
	struct stat st0;
	bool st0_ok;
	int settle;
	bool peer_server;	/* the socket's peer is the server's address */
	/* connectx's outputs */
	size_t xlen;
	uint32_t xcid;
	size_t iov_total;
};

static int fz_socket(struct fz_run *r, int type)
{
	int fd = r->o->client_socket(r->o->ctx, r->dom, type);
	int one = 1;

	if (fd < 0)
		return fd;
	if ((type & 0xf) == SOCK_STREAM)
		setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &one, sizeof(one));
	if (r->dom == AF_INET6 && r->s->v[FZ_V6ONLY])
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	return fd;
}

static socklen_t fz_bind_addr(struct fz_run *r, bool specific, uint16_t port,
			      void *buf)
{
	return fz_sockaddr(r->o->env, fz_domain_variant(r->fam, r->dom),
			   specific ? FZI_SELF : FZI_ANY, port, buf);
}

/* The socket's state before the call; -errno when the harness failed. */
static int fz_prior(struct fz_run *r)
{
	const uint8_t *v = r->s->v;
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = -1, p[2];

	r->aux_fd = -1;
	switch (v[FZ_PRIOR]) {
	case FZR_CLOSED:
		close(FZ_CLOSED_FD);
		r->fd = FZ_CLOSED_FD;
		return 0;
	case FZR_UNIX:
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, p))
			return -errno;
		fd = p[0];
		r->aux_fd = p[1];
		break;
	case FZR_PIPE:
		if (pipe2(p, 0))
			return -errno;
		fd = p[1];
		r->aux_fd = p[0];
		break;
	case FZR_UDP:
	case FZR_UDP_CONNECTED:
		fd = fz_socket(r, SOCK_DGRAM);
		if (fd < 0)
			return fd;
		if (v[FZ_PRIOR] == FZR_UDP_CONNECTED) {
			sl = fz_sockaddr(r->o->env, fz_domain_variant(r->fam, r->dom),
					 FZI_SERVER, r->port, &ss);
			(void)connect(fd, (struct sockaddr *)&ss, sl);
		}
		break;
	default:
		fd = fz_socket(r, SOCK_STREAM);
		if (fd < 0)
			return fd;
		break;
	}
	switch (v[FZ_PRIOR]) {
	case FZR_BOUND_ANY:
	case FZR_BOUND_ANY_PORT:
	case FZR_BOUND_ADDR:
	case FZR_BOUND_ADDR_PORT: {
		bool spec = v[FZ_PRIOR] == FZR_BOUND_ADDR ||
			    v[FZ_PRIOR] == FZR_BOUND_ADDR_PORT;
		bool port = v[FZ_PRIOR] == FZR_BOUND_ANY_PORT ||
			    v[FZ_PRIOR] == FZR_BOUND_ADDR_PORT;

		sl = fz_bind_addr(r, spec, port ? FZ_BIND_PORT : 0, &ss);
		(void)bind(fd, (struct sockaddr *)&ss, sl);
		break;
	}
	case FZR_CONNECTING:
		fcntl(fd, F_SETFL, O_NONBLOCK);
		sl = fz_sockaddr(r->o->env, fz_domain_variant(r->fam, r->dom),
				 FZI_SILENT, r->port, &ss);
		(void)connect(fd, (struct sockaddr *)&ss, sl);
		break;
	case FZR_CONNECTED:
		sl = fz_sockaddr(r->o->env, fz_domain_variant(r->fam, r->dom),
				 FZI_SERVER, r->port, &ss);
		(void)connect(fd, (struct sockaddr *)&ss, sl);
		break;
	case FZR_FAILED:
		fcntl(fd, F_SETFL, O_NONBLOCK);
		sl = fz_sockaddr(r->o->env, fz_domain_variant(r->fam, r->dom),
				 FZI_SERVER, FZ_CLOSED_PORT, &ss);
		(void)connect(fd, (struct sockaddr *)&ss, sl);
		fz_settle(fd, r->settle);
		break;
	case FZR_LISTENING:
		sl = fz_bind_addr(r, false, 0, &ss);
		(void)bind(fd, (struct sockaddr *)&ss, sl);
		(void)listen(fd, 4);
		break;
	}
	fcntl(fd, F_SETFL, v[FZ_NONBLOCK] ? O_NONBLOCK : 0);
	fcntl(fd, F_SETFD, v[FZ_CLOEXEC] ? FD_CLOEXEC : 0);
	r->fd = fd;
	return 0;
}

static uint16_t fz_port_arg(const struct fz_run *r, int cls)
{
	return cls == FZT_LISTENER ? r->port : cls == FZT_CLOSED ? FZ_CLOSED_PORT : 0;
}

static void fz_step_result(struct fz_step *st, int64_t ret, int err)
{
	st->ran = true;
	st->ret = ret;
	st->err = ret < 0 ? err : 0;
}

/* socket_fastopen_connect4/6 or socket_connected, as the scenario says. */
static void fz_call_owfat(struct fz_run *r, struct fz_step *st)
{
	const uint8_t *v = r->s->v;
	const struct fz_ops *o = r->o;
	enum fz_variant vr;
	const char *buf;
	size_t len = fz_len_values[v[FZ_OLEN]];
	uint32_t scope = 0;
	bool four;
	ssize_t n;

	if (v[FZ_OFN] == FZO_CONNECTED) {
		if (!o->connected)
			return;
		errno = 0;
		n = o->connected(o->ctx, r->fd);
		fz_step_result(st, n, errno);
		/* 0 is its "no", with errno: keep the errno for it */
		if (n == 0)
			st->err = errno;
		return;
	}
	four = v[FZ_OFN] == FZO_CONNECT ? r->fam == FZM_IPV4 : r->fam != FZM_IPV4;
	vr = four ? FZN_V4 : v[FZ_OFN] == FZO_CONNECT ? fz_family_variant(r->fam) :
							 FZN_MAPPED;
	memset(r->m.ip, 0, 16);
	fz_raw_addr(o->env, vr, v[FZ_OIP], r->m.ip);
	switch (v[FZ_OSCOPE]) {
	case FZC_AUTO:
		scope = fz_needs_scope(r->m.ip) && vr != FZN_V4 ? o->env->client_ifindex : 0;
		break;
	case FZC_CLIENT_IF: scope = o->env->client_ifindex; break;
	case FZC_LO: scope = 1; break;
	case FZC_BOGUS: scope = FZ_BOGUS_IF; break;
	case FZC_MAXVAL: scope = 0xffffffffu; break;
	}
	buf = v[FZ_OBUF] == FZB_VALID ? (const char *)r->m.payload :
	      v[FZ_OBUF] == FZB_NULL ? NULL :
	      v[FZ_OBUF] == FZB_UNMAPPED ? (const char *)r->m.guard :
					   (const char *)r->m.shortbuf;
	errno = 0;
	if (four)
		n = o->connect4(o->ctx, r->fd,
				v[FZ_OIP] == FZI_NULL ? NULL : (const char *)r->m.ip,
				fz_port_arg(r, v[FZ_OPORT]), buf, len);
	else
		n = o->connect6(o->ctx, r->fd,
				v[FZ_OIP] == FZI_NULL ? NULL : (const char *)r->m.ip,
				fz_port_arg(r, v[FZ_OPORT]), scope, buf, len);
	fz_step_result(st, n, errno);
	if (n > 0)
		fz_exp_add(&r->m, r->m.payload, (size_t)n);
}

/* Build connectx's iov array and the bytes it names. */
static void fz_iov_build(struct fz_run *r)
{
	const uint8_t *v = r->s->v;
	unsigned int cnt = fz_iovcnt_values[v[FZ_XIOVCNT]];
	unsigned int k = cnt < FZ_IOV_ENTRIES ? cnt : FZ_IOV_ENTRIES;
	size_t off = 0;

	r->m.nconcat = 0;
	for (unsigned int i = 0; i < k; i++) {
		size_t n = 9;

		if (i == 0 && v[FZ_XIOVSHAPE] == FZH_EMPTY_FIRST)
			n = 0;
		if (i == 0 && v[FZ_XIOVSHAPE] == FZH_BIG)
			n = 3000;
		if (i == 0 && v[FZ_XIOVSHAPE] == FZH_HUGE)
			n = 100000;
		if (off + n > FZ_PAYLOAD_MAX)
			n = 0;
		r->m.iov[i].iov_base = r->m.payload + off;
		r->m.iov[i].iov_len = n;
		if (i == 0 && v[FZ_XIOVSHAPE] == FZH_NULL_BASE) {
			r->m.iov[i].iov_base = NULL;
			r->m.iov[i].iov_len = 0;
			n = 0;
		}
		if (i == k - 1 && v[FZ_XIOVSHAPE] == FZH_UNMAPPED_BASE) {
			r->m.iov[i].iov_base = r->m.guard;
			memset(r->m.concat + r->m.nconcat, 0xee, n);
		} else {
			memcpy(r->m.concat + r->m.nconcat, r->m.payload + off, n);
		}
		r->m.nconcat += n;
		off += n;
	}
	r->iov_total = r->m.nconcat;
}

/* An address buffer for connectx of class cls (FZX_ or FZD_ values). */
static socklen_t fz_cx_addr(struct fz_run *r, unsigned char *buf, bool src,
			    int cls, uint16_t port)
{
	const struct fz_env *e = r->o->env;
	enum fz_variant vr = fz_domain_variant(r->fam, r->dom);
	enum fz_variant other = r->dom == AF_INET ? FZN_V6 : FZN_V4;
	socklen_t l;

	memset(buf, 0, 512);
	if (src) {
		switch (cls) {
		case FZX_CLIENT: return fz_sockaddr(e, vr, FZI_SELF, 0, buf);
		case FZX_CLIENT_PORT: return fz_sockaddr(e, vr, FZI_SELF, FZ_SRC_PORT, buf);
		case FZX_ANY: return fz_sockaddr(e, vr, FZI_ANY, 0, buf);
		case FZX_ANY_PORT: return fz_sockaddr(e, vr, FZI_ANY, FZ_SRC_PORT, buf);
		case FZX_SERVER: return fz_sockaddr(e, vr, FZI_SERVER, 0, buf);
		case FZX_OTHER_FAMILY: return fz_sockaddr(e, other, FZI_SELF, 0, buf);
		case FZX_MCAST: return fz_sockaddr(e, vr, FZI_MCAST, 0, buf);
		case FZX_UNSPEC:
			l = fz_sockaddr(e, vr, FZI_SELF, 0, buf);
			((struct sockaddr *)buf)->sa_family = AF_UNSPEC;
			return l;
		}
		return 0;
	}
	switch (cls) {
	case FZD_SERVER: return fz_sockaddr(e, vr, FZI_SERVER, port, buf);
	case FZD_UNROUTABLE: return fz_sockaddr(e, vr, FZI_UNROUTABLE, port, buf);
	case FZD_SILENT: return fz_sockaddr(e, vr, FZI_SILENT, port, buf);
	case FZD_SELF: return fz_sockaddr(e, vr, FZI_SELF, port, buf);
	case FZD_ANY: return fz_sockaddr(e, vr, FZI_ANY, port, buf);
	case FZD_MCAST: return fz_sockaddr(e, vr, FZI_MCAST, port, buf);
	case FZD_OTHER_FAMILY: return fz_sockaddr(e, other, FZI_SERVER, port, buf);
	case FZD_UNSPEC:
		l = fz_sockaddr(e, vr, FZI_SERVER, port, buf);
		((struct sockaddr *)buf)->sa_family = AF_UNSPEC;
		return l;
	}
	return sizeof(struct sockaddr_in6);
}

static socklen_t fz_alen(int cls, socklen_t exact)
{
	static const socklen_t fixed[FZL_MAX] = {
		[FZL_0] = 0, [FZL_1] = 1, [FZL_2] = 2, [FZL_STORAGE] = 128,
		[FZL_255] = 255, [FZL_256] = 256,
	};

	if (cls == FZL_EXACT)
		return exact;
	if (cls == FZL_MINUS1)
		return exact - 1;
	if (cls == FZL_PLUS1)
		return exact + 1;
	return fixed[cls];
}

static void *fz_ptr(struct fz_run *r, int cls, void *valid)
{
	return cls == FZQ_VALID ? valid : cls == FZQ_NULL ? NULL : (void *)r->m.guard;
}

static void fz_call_connectx(struct fz_run *r, struct fz_step *st)
{
	const uint8_t *v = r->s->v;
	const struct fz_ops *o = r->o;
	struct fz_endpoints *ep = r->m.ep;
	size_t *lenp;
	uint32_t *cidp;
	socklen_t l;
	int ret;

	if (!o->connectx)
		return;
	memset(ep, 0, sizeof(*ep));
	ep->srcif = v[FZ_XSRCIF] == FZF_CLIENT_IF ? o->env->client_ifindex :
		    v[FZ_XSRCIF] == FZF_LO ? 1 :
		    v[FZ_XSRCIF] == FZF_BOGUS ? FZ_BOGUS_IF : 0;
	if (v[FZ_XSRC] != FZX_NONE) {
		l = fz_cx_addr(r, r->m.src, true, v[FZ_XSRC], 0);
		ep->src = (const struct sockaddr *)r->m.src;
		ep->srclen = fz_alen(v[FZ_XSRCLEN], l);
	}
	l = fz_cx_addr(r, r->m.dst, false, v[FZ_XDST], fz_port_arg(r, v[FZ_XPORT]));
	ep->dst = v[FZ_XDST] == FZD_NULL ? NULL : (const struct sockaddr *)r->m.dst;
	ep->dstlen = fz_alen(v[FZ_XDSTLEN], l);
	fz_iov_build(r);
	r->xlen = FZ_LEN_SENTINEL;
	r->xcid = FZ_CID_SENTINEL;
	lenp = fz_ptr(r, v[FZ_XLENP], &r->xlen);
	cidp = fz_ptr(r, v[FZ_XCIDP], &r->xcid);
	errno = 0;
	ret = o->connectx(o->ctx, r->fd, fz_ptr(r, v[FZ_XEP], ep),
			  fz_aid_values[v[FZ_XAID]],
			  v[FZ_XFLAGS] | fz_unk_bits[v[FZ_XUNK]],
			  v[FZ_XIOV] == FZQ_VALID ? r->m.iov :
			  v[FZ_XIOV] == FZQ_NULL ? NULL : (struct iovec *)r->m.guard,
			  fz_iovcnt_values[v[FZ_XIOVCNT]], lenp, cidp);
	fz_step_result(st, ret, errno);
	st->len_state = v[FZ_XLENP] != FZQ_VALID ? FZU_NA :
			r->xlen == FZ_LEN_SENTINEL ? FZU_UNTOUCHED : FZU_WRITTEN;
	st->cid_state = v[FZ_XCIDP] != FZQ_VALID ? FZU_NA :
			r->xcid == FZ_CID_SENTINEL ? FZU_UNTOUCHED : FZU_WRITTEN;
	st->len = st->len_state == FZU_WRITTEN ? r->xlen : 0;
	st->cid = st->cid_state == FZU_WRITTEN ? r->xcid : 0;
	if ((ret == 0 || st->err == EINPROGRESS) && st->len_state == FZU_WRITTEN)
		fz_exp_add(&r->m, r->m.concat,
			   st->len < r->m.nconcat ? st->len : r->m.nconcat);
}

static void fz_call(struct fz_run *r, struct fz_step *st)
{
	if (r->s->v[FZ_API] == FZA_OWFAT)
		fz_call_owfat(r, st);
	else
		fz_call_connectx(r, st);
}

/* Send all of p[0..n) (waiting on EAGAIN); bytes sent or -errno. */
static ssize_t fz_send_all(int fd, const unsigned char *p, size_t n)
{
	size_t off = 0;
	double end = fz_now_ms() + 2000;

	while (off < n) {
		ssize_t w = send(fd, p + off, n - off, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		if (w < 0 && (errno == EAGAIN || errno == EINTR) && fz_now_ms() < end) {
			struct pollfd pf = { .fd = fd, .events = POLLOUT };

			poll(&pf, 1, 50);
			continue;
		}
		if (off)
			break;
		return -errno;
	}
	return (ssize_t)off;
}

/* The careful caller: write what the call did not say it sent. */
static void fz_complete(struct fz_run *r, struct fz_step *st)
{
	const struct fz_step *c = &r->obs->step[0];
	const uint8_t *v = r->s->v;
	const unsigned char *src;
	size_t total, from;
	ssize_t w;

	st->ran = true;
	if (!c->ran)
		return;
	if (v[FZ_API] == FZA_OWFAT) {
		if (v[FZ_OFN] == FZO_CONNECTED || v[FZ_OBUF] != FZB_VALID)
			return;
		total = fz_len_values[v[FZ_OLEN]];
		src = r->m.payload;
		if (c->ret >= 0)
			from = (size_t)c->ret;
		else if (c->err == EINPROGRESS || c->err == EAGAIN)
			from = 0;
		else
			return;
	} else {
		if (c->ret != 0 && c->err != EINPROGRESS)
			return;
		total = r->m.nconcat;
		src = r->m.concat;
		from = c->len_state == FZU_WRITTEN ? c->len : 0;
	}
	if (from >= total)
		return;
	w = fz_send_all(r->fd, src + from, total - from);
	fz_step_result(st, w < 0 ? -1 : w, w < 0 ? (int)-w : 0);
	if (w > 0)
		fz_exp_add(&r->m, src + from, (size_t)w);
}

static void fz_follow(struct fz_run *r, int kind, struct fz_step *st)
{
	const struct fz_ops *o = r->o;
	unsigned char sink[64];
	struct pollfd pf;
	socklen_t sl;
	int e = 0;
	ssize_t n;

	st->kind = (uint8_t)kind;
	fz_settle(r->fd, r->settle);
	st->pre_state = (int16_t)fz_tcp_state(r->fd);
	errno = 0;
	switch (kind) {
	case FZW_POLL:
		pf = (struct pollfd){ .fd = r->fd, .events = POLLIN | POLLOUT };
		fz_step_result(st, poll(&pf, 1, 0), errno);
		st->revents = pf.revents;
		break;
	case FZW_COMPLETE:
		fz_complete(r, st);
		break;
	case FZW_WRITE:
		n = send(r->fd, "MORE!", 5, MSG_NOSIGNAL | MSG_DONTWAIT);
		fz_step_result(st, n, errno);
		if (n > 0)
			fz_exp_add(&r->m, (const unsigned char *)"MORE!", (size_t)n);
		break;
	case FZW_READ:
		fz_step_result(st, recv(r->fd, sink, sizeof(sink), MSG_DONTWAIT), errno);
		break;
	case FZW_CONNECTED:
		if (r->s->v[FZ_API] == FZA_OWFAT) {
			if (!o->connected)
				break;
			n = o->connected(o->ctx, r->fd);
			fz_step_result(st, n, errno);
			if (n == 0)
				st->err = errno;
			break;
		}
		/* connectx has no socket_connected: its SO_ERROR instead */
		st->kind = FZW_SOERROR;
		/* fall through */
	case FZW_SOERROR:
		sl = sizeof(e);
		n = getsockopt(r->fd, SOL_SOCKET, SO_ERROR, &e, &sl);
		fz_step_result(st, n < 0 ? -1 : e, errno);
		break;
	case FZW_AGAIN:
		fz_call(r, st);
		break;
	case FZW_DISCONNECTX:
	case FZW_DISCONNECTX_BADAID:
		if (r->s->v[FZ_API] != FZA_CONNECTX || !o->disconnectx)
			break;
		n = o->disconnectx(o->ctx, r->fd, kind == FZW_DISCONNECTX ? 0 : 42, 0);
		fz_step_result(st, n, errno);
		break;
	}
}

/* how long the server may take to accept and read what it was sent */
#define FZ_SERVER_WAIT_MS 3000

/* Every connection (datagram) after the socket's first, v4 then v6. */
static void fz_server_observe(struct fz_run *r)
{
	const struct fz_ops *o = r->o;
	struct fz_obs *obs = r->obs;
	static unsigned char rx[FZ_EXP_MAX];
	size_t nrx = 0;
	double end = fz_now_ms() + FZ_SERVER_WAIT_MS;
	unsigned int seen = ~0u, want = 0;

	if (!r->listening)
		return;
	if (r->udp)
		fz_sleep_ms(5);
	/* a socket that got connected to the server has its connection
	 * there (one connected to itself has not); on a loaded machine its
	 * accept can lag by far more than a second */
	if (r->peer_server &&
	    (obs->state == ST_ESTABLISHED || obs->state == ST_CLOSE_WAIT ||
	     obs->state == ST_FIN_WAIT1 || obs->state == ST_FIN_WAIT2))
		want = 1;
	/* wait until every connection ended and no new one came for 1 ms */
	for (;;) {
		unsigned int n = 0;
		bool all = true;

		for (int w = 0; w < 2; w++) {
			unsigned int c = o->server_count(o->ctx, w);

			for (unsigned int i = r->base[w]; i < c; i++) {
				struct fz_conn k;
				int left = (int)(end - fz_now_ms());

				o->server_conn(o->ctx, w, i, left > 0 ? left : 0, &k);
				all &= k.done;
			}
			n += c - r->base[w];
		}
		if ((all && n == seen && n >= want) || fz_now_ms() >= end)
			break;
		seen = n;
		fz_sleep_ms(1);
	}
	for (int w = 0; w < 2; w++) {
		unsigned int c = o->server_count(o->ctx, w);

		for (unsigned int i = r->base[w]; i < c; i++) {
			struct fz_conn k;
			size_t take;

			o->server_conn(o->ctx, w, i, 0, &k);
			take = k.len < sizeof(rx) - nrx ? k.len : sizeof(rx) - nrx;
			if (k.data && take)
				memcpy(rx + nrx, k.data, take);
			nrx += take;
			obs->srv_syn_data |= k.syn_data;
			if (obs->conns < 255)
				obs->conns++;
		}
	}
	obs->rx_len = (uint32_t)nrx;
	obs->rx_hash = fz_hash(rx, nrx, 2166136261u);
	obs->rx_truth = nrx == r->m.nexp && !memcmp(rx, r->m.exp, nrx);
}

static void fz_wire_observe(struct fz_run *r, uint16_t lport)
{
	static struct fz_pkt pk[4096];
	struct fz_obs *obs = r->obs;
	size_t n = r->o->wire(r->o->ctx, pk, sizeof(pk) / sizeof(pk[0]));
	bool syn = false, ack = false;

	obs->w_syn_tfo = -1;
	if (!lport)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct fz_pkt *k = &pk[i];

		if (!k->to_server || k->sport != lport)
			continue;
		obs->w_pkts = true;
		if ((k->flags & 0x12) == 0x02 && !syn) {
			syn = true;
			obs->w_syn_tfo = (int8_t)k->tfo;
			obs->w_syn_data = k->payload > 0;
			if (k->payload)
				break;
			continue;
		}
		if (!syn)
			continue;
		if (k->payload) {
			obs->w_ack_first = ack;
			break;
		}
		if (!(k->flags & 0x07))
			ack = true;
	}
}

int fz_play(const struct fz_scn *s, const struct fz_ops *o, struct fz_obs *obs)
{
	const uint8_t *v = s->v;
	struct fz_run r = { .s = s, .o = o, .obs = obs, .fd = -1, .aux_fd = -1 };
	struct stat st1;
	uint16_t lport;
	int ret, fl, fdfl;

	memset(obs, 0, sizeof(*obs));
	for (int i = 0; i <= FZ_NFOLLOW; i++) {
		obs->step[i].pre_state = -1;
		obs->step[i].len_state = obs->step[i].cid_state = FZU_NA;
	}
	ret = fz_mem_init(&r.m);
	if (ret)
		goto out;
	r.fam = v[FZ_FAMILY];
	r.dom = (r.fam == FZM_IPV4) != (v[FZ_DOMAIN] != 0) ? AF_INET : AF_INET6;
	r.settle = fz_settle_ms(s);
	r.udp = v[FZ_PRIOR] == FZR_UDP || v[FZ_PRIOR] == FZR_UDP_CONNECTED;
	r.port = fz_srvport_values[v[FZ_SRVPORT]];
	if (!v[FZ_LISTEN]) {
		ret = o->server_start(o->ctx, r.udp, r.port);
		if (ret < 0) {
			snprintf(obs->error, sizeof(obs->error),
				 "server on port %u: %s", r.port, fz_errname(-ret));
			goto out;
		}
		r.port = (uint16_t)ret;
		r.listening = true;
	} else if (!r.port) {
		r.port = FZ_IDLE_PORT;
	}
	/* where the profile gives the client no TFO, warming fails the same
	 * way every time: the scenario goes on without a cookie */
	if (v[FZ_COOKIE] && r.listening && !r.udp)
		(void)o->server_warm(o->ctx, r.fam);
	ret = o->path_fault ? o->path_fault(o->ctx) : 0;
	if (ret) {
		snprintf(obs->error, sizeof(obs->error), "path fault: %s",
			 fz_errname(-ret));
		goto out;
	}
	if (r.listening) {
		r.base[0] = o->server_count(o->ctx, 0);
		r.base[1] = o->server_count(o->ctx, 1);
	}
	ret = fz_prior(&r);
	if (ret) {
		snprintf(obs->error, sizeof(obs->error), "prior state: %s",
			 fz_errname(-ret));
		goto out;
	}
	r.st0_ok = fstat(r.fd, &r.st0) == 0;
	obs->pre_state = (int16_t)fz_tcp_state(r.fd);
	fz_name_text(r.fd, false, r.port, obs->pre_local, sizeof(obs->pre_local));
	if (r.listening)
		obs->pre_conns = (uint8_t)(o->server_count(o->ctx, 0) - r.base[0] +
					   o->server_count(o->ctx, 1) - r.base[1]);

	obs->step[0].pre_state = obs->pre_state;
	fz_call(&r, &obs->step[0]);
	for (int i = 0; i < FZ_NFOLLOW; i++)
		if (v[FZ_F1 + i] != FZW_NONE)
			fz_follow(&r, v[FZ_F1 + i], &obs->step[1 + i]);

	/* the socket once settled */
	fz_settle(r.fd, r.settle);
	fl = fcntl(r.fd, F_GETFL);
	fdfl = fcntl(r.fd, F_GETFD);
	if (fdfl < 0)
		obs->fd = FZD_CLOSED;
	else if (!r.st0_ok)
		obs->fd = FZD_OPENED;
	else if (fstat(r.fd, &st1) || st1.st_ino != r.st0.st_ino ||
		 st1.st_dev != r.st0.st_dev)
		obs->fd = FZD_OTHER;
	else
		obs->fd = FZD_SAME;
	obs->nonblock = fl >= 0 && (fl & O_NONBLOCK);
	obs->cloexec = fdfl >= 0 && (fdfl & FD_CLOEXEC);
	obs->state = (int16_t)fz_tcp_state(r.fd);
	fz_name_text(r.fd, false, r.port, obs->local, sizeof(obs->local));
	fz_name_text(r.fd, true, r.port, obs->peer, sizeof(obs->peer));
	r.peer_server = fz_peer_is_server(r.fd, o->env);
	if (r.aux_fd >= 0) {
		unsigned char sink[4096];
		ssize_t n;

		fcntl(r.aux_fd, F_SETFL, O_NONBLOCK);
		while ((n = read(r.aux_fd, sink, sizeof(sink))) > 0)
			obs->aux += (uint32_t)n;
	}
	lport = fdfl >= 0 ? fz_local_port(r.fd) : 0;
	if (fdfl >= 0) {
		if (obs->state == ST_ESTABLISHED || obs->state == ST_CLOSE_WAIT)
			shutdown(r.fd, SHUT_WR);
		close(r.fd);
	}
	fz_server_observe(&r);
	fz_wire_observe(&r, lport);
	snprintf(obs->side, sizeof(obs->side), "%s",
		 o->side_effect ? o->side_effect(o->ctx) : "");
	ret = 0;
out:
	if (ret) {
		obs->end = FZE_ERROR;
		if (!obs->error[0])
			snprintf(obs->error, sizeof(obs->error), "%s",
				 fz_errname(-ret));
	}
	return ret;
}

/* ---- text ------------------------------------------------------------ */

static const char *fz_state_text(int st)
{
	if (st < 0)
		return "not a TCP socket";
	if (st < (int)(sizeof(fz_state_names) / sizeof(fz_state_names[0])))
		return fz_state_names[st];
	return "?";
}

static const char *const fz_follow_names[FZW_MAX] = {
	"", "poll", "complete", "write", "read", "socket_connected", "again",
	"disconnectx", "disconnectx(associd 42)", "SO_ERROR",
};

static void fz_step_text(const struct fz_step *st, char *buf, size_t size)
{
	size_t off = 0;

#define ADD(...)                                                             \
	do {                                                                 \
		int k_ = snprintf(buf + off, size - off, __VA_ARGS__);       \
		if (k_ > 0)                                                  \
			off = off + (size_t)k_ < size ? off + (size_t)k_ : size - 1; \
	} while (0)
	buf[0] = 0;
	if (st->kind)
		ADD("%s: ", fz_follow_names[st->kind]);
	if (!st->ran) {
		ADD(st->kind == FZW_COMPLETE ? "nothing to write" : "n/a");
		return;
	}
	if (st->kind == FZW_SOERROR || (st->kind == FZW_CONNECTED && st->ret > 1)) {
		if (st->ret < 0)
			ADD("-1 %s", fz_errname(st->err));
		else
			ADD("%s", fz_errname((int)st->ret));
		return;
	}
	if (st->ret < 0)
		ADD("-1 %s", fz_errname(st->err));
	else if (st->kind == FZW_CONNECTED ||
		 ((st->kind == 0 || st->kind == FZW_AGAIN) && st->err))
		ADD("%lld errno %s", (long long)st->ret, fz_errname(st->err));
	else
		ADD("%lld", (long long)st->ret);
	if (st->kind == FZW_POLL)
		ADD(" revents %#x%s%s%s%s", st->revents & 0xffff,
		    st->revents & POLLIN ? " IN" : "", st->revents & POLLOUT ? " OUT" : "",
		    st->revents & POLLERR ? " ERR" : "", st->revents & POLLHUP ? " HUP" : "");
	if (st->len_state == FZU_WRITTEN)
		ADD(", *len %llu", (unsigned long long)st->len);
	else if (st->len_state == FZU_UNTOUCHED)
		ADD(", *len untouched");
	if (st->cid_state == FZU_WRITTEN)
		ADD(", *connid %u", st->cid);
	else if (st->cid_state == FZU_UNTOUCHED)
		ADD(", *connid untouched");
#undef ADD
}

static const char *const fz_tfo_text[FZ_TFO_MAX] = {
	"no TFO option", "a cookie request", "a cookie", "the experimental TFO option",
};

void fz_field_text(const struct fz_obs *o, enum fz_field f, char *buf,
		   size_t size)
{
	static const char *const fdw[FZD_FD_MAX] = {
		"the same descriptor", "closed", "a different object behind the descriptor",
		"a descriptor opened at the closed number",
	};

	switch (f) {
	case FZK_END:
		switch (o->end) {
		case FZE_OK: snprintf(buf, size, "returned normally"); break;
		case FZE_CRASH:
			snprintf(buf, size, "killed by signal %s%s%s", sigabbrev_np(o->end_code) ?
				 sigabbrev_np(o->end_code) : "?", o->where[0] ? " inside " : "",
				 o->where);
			break;
		case FZE_EXIT:
			snprintf(buf, size, "exited with status %d%s%s", o->end_code,
				 o->where[0] ? " inside " : "", o->where);
			break;
		case FZE_TIMEOUT:
			snprintf(buf, size, "did not return in time%s%s",
				 o->where[0] ? ": stuck inside " : "", o->where);
			break;
		default: snprintf(buf, size, "harness error: %s", o->error); break;
		}
		break;
	case FZK_CALL: case FZK_F1: case FZK_F2: case FZK_F3:
		fz_step_text(&o->step[f - FZK_CALL], buf, size);
		break;
	case FZK_FD: snprintf(buf, size, "%s", fdw[o->fd % FZD_FD_MAX]); break;
	case FZK_FLAGS:
		snprintf(buf, size, "O_NONBLOCK %s, FD_CLOEXEC %s",
			 o->nonblock ? "set" : "clear", o->cloexec ? "set" : "clear");
		break;
	case FZK_STATE: snprintf(buf, size, "%s", fz_state_text(o->state)); break;
	case FZK_LOCAL: snprintf(buf, size, "local %s", o->local); break;
	case FZK_PEER: snprintf(buf, size, "peer %s", o->peer); break;
	case FZK_AUX: snprintf(buf, size, "%u bytes at the other end", o->aux); break;
	case FZK_CONNS: snprintf(buf, size, "%u connections at the server", o->conns); break;
	case FZK_BYTES:
		snprintf(buf, size, "the server received %u bytes (hash %08x)",
			 o->rx_len, o->rx_hash);
		break;
	case FZK_TRUTH:
		snprintf(buf, size, o->rx_truth ?
			 "the server received exactly the bytes the caller was told were sent, once, in order" :
			 "the server did not receive exactly the bytes the caller was told were sent (%u bytes)",
			 o->rx_len);
		break;
	case FZK_SRV_SYN_DATA:
		snprintf(buf, size, "%s", o->srv_syn_data ? "the server took data from the SYN" :
			 "the server took no data from the SYN");
		break;
	case FZK_W_PKTS:
		snprintf(buf, size, "%s", o->w_pkts ? "the socket's packets reached the server" :
			 "no packet of the socket reached the server");
		break;
	case FZK_W_TFO:
		if (o->w_syn_tfo < 0)
			snprintf(buf, size, "no SYN reached the server");
		else
			snprintf(buf, size, "the SYN carried %s", fz_tfo_text[o->w_syn_tfo % FZ_TFO_MAX]);
		break;
	case FZK_W_SYN_DATA:
		snprintf(buf, size, "%s", o->w_syn_data ? "data in the SYN" : "no data in the SYN");
		break;
	case FZK_W_ACK:
		snprintf(buf, size, "%s", o->w_ack_first ? "a pure ACK before the first data" :
			 "no pure ACK before the first data");
		break;
	case FZK_SIDE:
		snprintf(buf, size, "%s", o->side[0] ? o->side : "nothing else changed");
		break;
	default:
		snprintf(buf, size, "?");
	}
}

void fz_obs_text(const struct fz_obs *o, char *buf, size_t size)
{
	size_t off = 0;
	char t[256];

	buf[0] = 0;
	for (int f = 0; f < FZK_MAX; f++) {
		if (f >= FZK_F1 && f <= FZK_F3 && !o->step[f - FZK_CALL].kind)
			continue;
		if (o->end != FZE_OK && f > FZK_END)
			break;
		fz_field_text(o, (enum fz_field)f, t, sizeof(t));
		off += (size_t)snprintf(buf + off, size - off, "%s%s", off ? "; " : "", t);
		if (off >= size)
			break;
	}
}

/* ---- comparing ------------------------------------------------------- */

static bool fz_step_eq(const struct fz_step *a, const struct fz_step *b)
{
	return a->kind == b->kind && a->ran == b->ran && a->ret == b->ret &&
	       a->err == b->err && a->len_state == b->len_state &&
	       a->len == b->len && a->revents == b->revents;
}

static bool fz_field_eq(const struct fz_obs *a, const struct fz_obs *b,
			enum fz_field f)
{
	switch (f) {
	case FZK_END:
		return a->end == b->end && a->end_code == b->end_code &&
		       !strcmp(a->where, b->where);
	case FZK_CALL: case FZK_F1: case FZK_F2: case FZK_F3:
		return fz_step_eq(&a->step[f - FZK_CALL], &b->step[f - FZK_CALL]);
	case FZK_FD: return a->fd == b->fd;
	case FZK_FLAGS: return a->nonblock == b->nonblock && a->cloexec == b->cloexec;
	case FZK_STATE: return a->state == b->state;
	case FZK_LOCAL: return !strcmp(a->local, b->local);
	case FZK_PEER: return !strcmp(a->peer, b->peer);
	case FZK_AUX: return a->aux == b->aux;
	case FZK_CONNS: return a->conns == b->conns;
	case FZK_BYTES: return a->rx_len == b->rx_len && a->rx_hash == b->rx_hash;
	case FZK_TRUTH: return a->rx_truth == b->rx_truth;
	case FZK_SRV_SYN_DATA: return a->srv_syn_data == b->srv_syn_data;
	case FZK_W_PKTS: return a->w_pkts == b->w_pkts;
	case FZK_W_TFO: return a->w_syn_tfo == b->w_syn_tfo;
	case FZK_W_SYN_DATA: return a->w_syn_data == b->w_syn_data;
	case FZK_W_ACK: return a->w_ack_first == b->w_ack_first;
	case FZK_SIDE: return !strcmp(a->side, b->side);
	default: return true;
	}
}

/* owfat's non-blocking shapes: a count, or -1 EINPROGRESS/EWOULDBLOCK */
static bool fz_nb_shape(const struct fz_step *st)
{
	return st->ran && (st->ret >= 0 || st->err == EINPROGRESS || st->err == EAGAIN);
}

/* connectx with data: 0, or -1 EINPROGRESS */
static bool fz_cx_shape(const struct fz_step *st)
{
	return st->ran && (st->ret == 0 || (st->ret < 0 && st->err == EINPROGRESS));
}

static bool fz_is_connect_step(const struct fz_scn *s, const struct fz_step *st)
{
	return (st->kind == 0 || st->kind == FZW_AGAIN) &&
	       (s->v[FZ_API] == FZA_CONNECTX || s->v[FZ_OFN] != FZO_CONNECTED);
}

/* A rejection with no effect: -1 EINVAL, outputs untouched, the socket
 * as it was right before the call. */
static bool fz_rejected(const struct fz_obs *o)
{
	const struct fz_step *c = &o->step[0];

	return c->ran && c->ret == -1 && c->err == EINVAL &&
	       c->len_state != FZU_WRITTEN && o->state == o->pre_state &&
	       !strcmp(o->local, o->pre_local) && o->conns == o->pre_conns;
}

/* The page's "must" violated by s, as the equivalence that covers it;
 * FZV_MAX when none.  *alt gets the scenario with the page's value. */
static int fz_must_violation(const struct fz_scn *s, struct fz_scn *alt)
{
	const uint8_t *v = s->v;
	unsigned int cnt = fz_iovcnt_values[v[FZ_XIOVCNT]];

	*alt = *s;
	if (v[FZ_API] != FZA_CONNECTX)
		return FZV_MAX;
	if (v[FZ_XAID] != FZA_ANY) {
		alt->v[FZ_XAID] = FZA_ANY;
		return FZV_ASSOCID;
	}
	if (v[FZ_XUNK] != FZU_NONE) {
		alt->v[FZ_XUNK] = FZU_NONE;
		return FZV_FLAGS;
	}
	if (v[FZ_XIOV] == FZQ_VALID && v[FZ_XLENP] == FZQ_NULL) {
		alt->v[FZ_XLENP] = FZQ_VALID;
		return FZV_IOV_LEN;
	}
	if (v[FZ_XIOV] == FZQ_VALID && (cnt == 0 || cnt > 1024)) {
		alt->v[FZ_XIOV] = FZQ_NULL;
		alt->v[FZ_XIOVCNT] = 0;
		return FZV_IOVCNT;
	}
	return FZV_MAX;
}

static void fz_diff_add(struct fz_cmp *out, const struct fz_obs *ref,
			const struct fz_obs *lib, enum fz_field f)
{
	struct fz_diff *d = &out->diff[out->ndiff++];

	d->field = (uint8_t)f;
	fz_field_text(ref, f, d->expected, sizeof(d->expected));
	fz_field_text(lib, f, d->observed, sizeof(d->observed));
}

static void fz_compare_mode(const struct fz_scn *s, const struct fz_obs *ref,
			    const struct fz_obs *lib, struct fz_cmp *out,
			    int alt_equiv)
{
	bool alt = alt_equiv >= 0;
	bool differs[FZK_MAX] = { false }, steps_eq = true;
	const uint8_t *v = s->v;
	struct fz_scn alt_s;
	int must;

	memset(out, 0, sizeof(*out));
	out->alt_equiv = (uint8_t)(alt ? alt_equiv : 0);
	if (ref->end != FZE_OK || lib->end != FZE_OK) {
		if (!fz_field_eq(ref, lib, FZK_END))
			fz_diff_add(out, ref, lib, FZK_END);
		return;
	}
	for (int f = 0; f < FZK_MAX; f++)
		differs[f] = !fz_field_eq(ref, lib, (enum fz_field)f);
	for (int i = 0; i <= FZ_NFOLLOW; i++)
		steps_eq &= !differs[FZK_CALL + i];
	/* different results tell the caller different things: then the
	 * bytes are judged by their truth alone */
	if (!steps_eq)
		differs[FZK_BYTES] = false;

#define EXCUSE(f, q)                                                         \
	do {                                                                 \
		if (differs[f]) {                                            \
			differs[f] = false;                                  \
			out->excused |= 1u << (q);                           \
		}                                                            \
	} while (0)

	/* the "must" inputs: a rejection with no effect, or the call as if
	 * the argument had the page's value */
	must = fz_must_violation(s, &alt_s);
	if (must != FZV_MAX && !alt) {
		bool any = false;

		for (int f = 0; f < FZK_MAX; f++)
			any |= differs[f];
		if (any && fz_rejected(lib)) {
			out->excused |= 1u << must;
			return;
		}
		if (any && fz_rejected(ref) && !fz_rejected(lib) &&
		    !(must == FZV_IOVCNT && fz_iovcnt_values[v[FZ_XIOVCNT]] > 1024)) {
			out->need_alt = true;
			out->alt_equiv = (uint8_t)must;
			out->alt = alt_s;
			return;
		}
		if (any && must == FZV_IOVCNT && fz_rejected(ref) &&
		    lib->rx_truth && lib->step[0].ret == 0) {
			/* more buffers than Darwin takes, accepted: success with
			 * exactly the bytes it says it sent is what the page
			 * allows, whatever the reference does */
			out->excused |= 1u << must;
			return;
		}
	}
	if (alt) {
		/* lib ran with the argument the page forbids; the reference
		 * with the page's value: outputs the alternative cannot have
		 * (*len through a NULL len) do not count */
		if (differs[FZK_CALL] && ref->step[0].ret == lib->step[0].ret &&
		    ref->step[0].err == lib->step[0].err)
			EXCUSE(FZK_CALL, out->alt_equiv);
	}
	/* disconnectx(associd 42): EINVAL with the connection intact, or
	 * the association dissolved: the reference rejects, so a library
	 * that dissolves is compared with disconnectx(ANY) */
	for (int i = 0; i < FZ_NFOLLOW && !alt; i++) {
		const struct fz_step *a = &ref->step[1 + i], *b = &lib->step[1 + i];
		bool later = false;

		if (v[FZ_F1 + i] != FZW_DISCONNECTX_BADAID || !differs[FZK_F1 + i] ||
		    !(a->ret == -1 && a->err == EINVAL))
			continue;
		for (int f = FZK_F1 + i + 1; f < FZK_MAX; f++)
			later |= differs[f];
		if (b->ret == -1 && b->err == EINVAL && !later) {
			EXCUSE(FZK_F1 + i, FZV_DX_ASSOCID);
			continue;
		}
		out->need_alt = true;
		out->alt_equiv = FZV_DX_ASSOCID;
		out->alt = *s;
		out->alt.v[FZ_F1 + i] = FZW_DISCONNECTX;
		return;
	}
	for (int i = 0; i <= FZ_NFOLLOW; i++) {
		const struct fz_step *a = &ref->step[i], *b = &lib->step[i];
		int f = FZK_CALL + i;
		bool pending = fz_handshaking(a->pre_state) || fz_handshaking(b->pre_state);

		/* *connid is reserved: its value is not the page's to fix */
		if (a->cid != b->cid || a->cid_state != b->cid_state)
			out->excused |= (a->cid_state != FZU_NA) << FZV_CONNID;
		if (!differs[f])
			continue;
		if (v[FZ_API] == FZA_OWFAT && v[FZ_NONBLOCK] && fz_is_connect_step(s, a) &&
		    fz_nb_shape(a) && fz_nb_shape(b))
			EXCUSE(f, FZV_NB_COUNT);
		else if (v[FZ_API] == FZA_CONNECTX && v[FZ_XIOV] == FZQ_VALID &&
			 fz_is_connect_step(s, a) && fz_cx_shape(a) && fz_cx_shape(b) &&
			 (b->len_state == FZU_WRITTEN) == (a->len_state == FZU_WRITTEN))
			EXCUSE(f, v[FZ_NONBLOCK] && (a->ret != b->ret) ? FZV_NB_DATA :
								     FZV_DOMAIN_LIMIT);
		else if ((((i == 0 || a->kind == FZW_AGAIN) && v[FZ_API] == FZA_OWFAT &&
			   v[FZ_OFN] == FZO_CONNECTED) ||
			  (a->kind == FZW_CONNECTED && v[FZ_API] == FZA_OWFAT)) &&
			 a->ran && b->ran && a->ret == 0 && b->ret == 0 && pending)
			EXCUSE(f, FZV_CONNECTED_PENDING);
	}
	/* what follows from a different, allowed shape of the result: how
	 * much the careful caller wrote, and whether the data rode the SYN */
	if (out->excused & (1u << FZV_NB_COUNT | 1u << FZV_NB_DATA | 1u << FZV_DOMAIN_LIMIT)) {
		int q = out->excused & 1u << FZV_NB_COUNT ? FZV_NB_COUNT :
			out->excused & 1u << FZV_NB_DATA ? FZV_NB_DATA : FZV_DOMAIN_LIMIT;

		for (int i = 1; i <= FZ_NFOLLOW; i++)
			if (ref->step[i].kind == FZW_COMPLETE)
				EXCUSE(FZK_CALL + i, q);
		EXCUSE(FZK_SRV_SYN_DATA, q);
		EXCUSE(FZK_W_SYN_DATA, q);
		EXCUSE(FZK_W_ACK, q);
	}
#undef EXCUSE
	for (int f = 0; f < FZK_MAX; f++)
		if (differs[f])
			fz_diff_add(out, ref, lib, (enum fz_field)f);
}

void fz_compare(const struct fz_scn *s, const struct fz_obs *ref,
		const struct fz_obs *lib, struct fz_cmp *out)
{
	fz_compare_mode(s, ref, lib, out, -1);
}

void fz_compare_alt(const struct fz_scn *s, const struct fz_obs *ref,
		    const struct fz_obs *lib, struct fz_cmp *out)
{
	uint8_t q = out->alt_equiv;
	struct fz_scn alt = out->alt;

	fz_compare_mode(s, ref, lib, out, q);
	out->excused |= 1u << q;
	out->alt = alt;
	out->alt_equiv = q;
}
