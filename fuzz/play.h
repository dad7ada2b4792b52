/* SPDX-License-Identifier: MIT */
/*
 * One fuzz scenario, played and observed: the part of `tfocheck fuzz`
 * that every reproducer carries along verbatim (tfocheck repro pastes this
 * header and play.c into the C file it writes), so the calls a maintainer
 * runs and what is observed of them are the very code the fuzzer ran.
 * Hence the rule for these two files: the C library and the kernel's
 * headers only, nothing of tfocheck.
 *
 * A scenario is a vector of small integers, one per feature (enum
 * fz_feat): the platform (profile, family, path), the socket's prior
 * state, every argument of one library call drawn from its boundary
 * classes, and up to three follow-up actions.  Feature 0 of each value
 * table is the plain, valid choice; shrinking resets features to it.
 * Where things live (which namespace, which server, which capture) is
 * behind struct fz_ops: tfocheck implements it over its harness,
 * a reproducer over setns(2) and its own small server and capture.
 *
 * The observation (struct fz_obs) holds only what is the same on every
 * run of a correct library: classes instead of ephemeral ports, the TCP
 * state only after the handshake settled, the bytes the server received
 * as length, hash and "the truth" (exactly what the caller was told was
 * sent, once, in order), a wire summary instead of packets.
 * fz_compare() compares two observations under the declared equivalences
 * (where the page allows more than one outcome; tfocheck's words for them
 * are in cases/may.c under the same ids).
 *
 * Contract: fz_play returns 0 or -errno (the harness failed, not the
 * library: the observation is then an ERROR); nothing here exits.
 */
#ifndef TFOCHECK_FUZZ_PLAY_H
#define TFOCHECK_FUZZ_PLAY_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

enum fz_feat {
	FZ_API,		/* owfat, connectx (not shrunk) */
	FZ_PROFILE,	/* index into the fuzz profile list */
	FZ_FAMILY,	/* fz_fam */
	FZ_PATH,	/* fz_path */
	FZ_LISTEN,	/* a server listens on the port: yes, no */
	FZ_SRVPORT,	/* the server's port: fz_srvport */
	FZ_COOKIE,	/* cache a TFO cookie first: no, yes */
	FZ_PRIOR,	/* the socket's state before the call: fz_prior */
	FZ_DOMAIN,	/* the family's socket domain, or the other one */
	FZ_NONBLOCK,	/* O_NONBLOCK at the call */
	FZ_CLOEXEC,	/* FD_CLOEXEC */
	FZ_V6ONLY,	/* IPV6_V6ONLY on an AF_INET6 socket */
	/* socket_fastopen_connect4/6, socket_connected */
	FZ_OFN, FZ_OIP, FZ_OPORT, FZ_OSCOPE, FZ_OBUF, FZ_OLEN,
	/* connectx */
	FZ_XEP, FZ_XSRCIF, FZ_XSRC, FZ_XSRCLEN, FZ_XDST, FZ_XDSTLEN, FZ_XPORT,
	FZ_XAID, FZ_XFLAGS, FZ_XUNK, FZ_XIOV, FZ_XIOVCNT, FZ_XIOVSHAPE,
	FZ_XLENP, FZ_XCIDP,
	/* follow-ups, in order */
	FZ_F1, FZ_F2, FZ_F3,
	FZ_NFEAT
};

#define FZ_NFOLLOW 3

enum fz_api { FZA_OWFAT, FZA_CONNECTX, FZA_MAX };
enum fz_fam { FZM_IPV4, FZM_IPV6, FZM_MAPPED, FZM_LINKLOCAL, FZM_MAX };
enum fz_path {
	FZP_PAIR, FZP_ROUTED, FZP_DROP_SYN, FZP_ICMP_HOST, FZP_ICMP_ADMIN,
	FZP_ICMP_NET, FZP_DROP_SYN_DATA, FZP_STRIP_TFO, FZP_MAX
};
enum fz_srvport { FZS_EPH, FZS_80, FZS_1023, FZS_1024, FZS_40404, FZS_65535, FZS_MAX };
enum fz_prior {
	FZR_FRESH, FZR_BOUND_ANY, FZR_BOUND_ANY_PORT, FZR_BOUND_ADDR,
	FZR_BOUND_ADDR_PORT, FZR_CONNECTING, FZR_CONNECTED, FZR_FAILED,
	FZR_LISTENING, FZR_CLOSED, FZR_UDP, FZR_UDP_CONNECTED, FZR_UNIX,
	FZR_PIPE, FZR_MAX
};
/* owfat */
enum fz_ofn { FZO_CONNECT, FZO_CONNECT_OTHER, FZO_CONNECTED, FZO_FN_MAX };
enum fz_ip {
	FZI_SERVER, FZI_UNROUTABLE, FZI_SILENT, FZI_SELF, FZI_ANY, FZI_LOOPBACK,
	FZI_MCAST, FZI_BCAST, FZI_NULL, FZI_MAX
};
enum fz_port { FZT_LISTENER, FZT_CLOSED, FZT_ZERO, FZT_MAX };
enum fz_scope { FZC_AUTO, FZC_ZERO, FZC_CLIENT_IF, FZC_LO, FZC_BOGUS, FZC_MAXVAL, FZC_MAX };
enum fz_buf { FZB_VALID, FZB_NULL, FZB_UNMAPPED, FZB_SHORT, FZB_MAX };
#define FZ_NLEN 9
/* connectx */
enum fz_ptr { FZQ_VALID, FZQ_NULL, FZQ_UNMAPPED, FZQ_MAX };
enum fz_srcif { FZF_NONE, FZF_CLIENT_IF, FZF_LO, FZF_BOGUS, FZF_MAX };
enum fz_src {
	FZX_NONE, FZX_CLIENT, FZX_CLIENT_PORT, FZX_ANY, FZX_ANY_PORT,
	FZX_SERVER, FZX_OTHER_FAMILY, FZX_UNSPEC, FZX_MCAST, FZX_SRC_MAX
};
enum fz_dst {
	FZD_SERVER, FZD_UNROUTABLE, FZD_SILENT, FZD_SELF, FZD_ANY, FZD_MCAST,
	FZD_OTHER_FAMILY, FZD_UNSPEC, FZD_NULL, FZD_MAX
};
enum fz_alen {
	FZL_EXACT, FZL_0, FZL_1, FZL_2, FZL_MINUS1, FZL_PLUS1, FZL_STORAGE,
	FZL_255, FZL_256, FZL_MAX
};
enum fz_aid { FZA_ANY, FZA_ALL, FZA_ONE, FZA_BIG, FZA_AID_MAX };
#define FZ_NFLAGS 8	/* combinations of the three known bits */
enum fz_unk { FZU_NONE, FZU_8, FZU_10, FZU_100, FZU_TOP, FZU_MAX };
#define FZ_NIOVCNT 9
enum fz_shape {
	FZH_SMALL, FZH_EMPTY_FIRST, FZH_BIG, FZH_HUGE, FZH_NULL_BASE,
	FZH_UNMAPPED_BASE, FZH_MAX
};
/* follow-ups */
enum fz_follow {
	FZW_NONE, FZW_POLL, FZW_COMPLETE, FZW_WRITE, FZW_READ, FZW_CONNECTED,
	FZW_AGAIN, FZW_DISCONNECTX, FZW_DISCONNECTX_BADAID, FZW_SOERROR,
	FZW_MAX
};

struct fz_scn {
	uint8_t v[FZ_NFEAT];
};

/* Number of values of each feature (the value tables above). */
extern const uint8_t fz_nvalues[FZ_NFEAT];
/* Fixed values behind some tables. */
extern const size_t fz_len_values[FZ_NLEN];
extern const unsigned int fz_iovcnt_values[FZ_NIOVCNT];
extern const uint16_t fz_srvport_values[FZS_MAX];

#define FZ_BIND_PORT 40404	/* the prior states that bind a port */
#define FZ_SRC_PORT 41234	/* connectx's sae_srcaddr with a port */
#define FZ_CLOSED_PORT 9	/* nothing listens there */
#define FZ_IDLE_PORT 33333	/* the server's port when it does not listen */
/* ip_local_reserved_ports of both hosts: the ports above are named in
 * the observation, so the kernel must never pick one as ephemeral */
#define FZ_RESERVED_PORTS "9,33333,40404,41234"
#define FZ_BOGUS_IF 4242	/* an interface index that names nothing */
#define FZ_PAYLOAD_MAX (128 * 1024)
#define FZ_LEN_SENTINEL ((size_t)0x5a5a5a5a5a5a5a5aULL)
#define FZ_CID_SENTINEL 0xa5a5a5a5U

/* ---- where the scenario runs ----------------------------------------- */

/* The addresses of the topology (tfocheck's, or the reproducer's copy). */
struct fz_env {
	struct in_addr client4, server4, unroutable4, silent4;
	struct in6_addr client6, server6, unroutable6, silent6;
	struct in6_addr client_ll, server_ll, silent_ll;
	uint32_t client_ifindex;
};

/* A TCP segment the server's interface saw. */
struct fz_pkt {
	bool to_server;
	uint8_t flags;		/* TCP flags byte */
	uint16_t sport, dport;	/* host order */
	uint32_t payload;
	uint8_t tfo;		/* FZ_TFO_* */
};
enum { FZ_TFO_NONE, FZ_TFO_REQ, FZ_TFO_COOKIE, FZ_TFO_EXP, FZ_TFO_MAX };

/* A connection (or a datagram) the server received. */
struct fz_conn {
	const unsigned char *data;
	size_t len;
	bool done;		/* EOF or an error: nothing more will come */
	bool syn_data;		/* the server took data from the SYN */
};

struct fz_ops {
	void *ctx;
	const struct fz_env *env;
	/* a socket in the client's namespace */
	int (*client_socket)(void *ctx, int domain, int type);
	/* listeners for both families on port (0: any), TCP or UDP, with
	 * the profile's TCP_FASTOPEN; the port, or -errno */
	int (*server_start)(void *ctx, bool udp, uint16_t port);
	/* one TFO connection to the server so a cookie is cached */
	int (*server_warm)(void *ctx, int family);
	/* install the path's fault; called after the warm-up, so that "a
	 * cookie cached" holds on every path (and no warm-up waits out a
	 * path that drops its SYN).  0 or -errno; NULL: the path has none */
	int (*path_fault)(void *ctx);
	/* which: 0 the IPv4 listener, 1 the IPv6 one */
	unsigned int (*server_count)(void *ctx, int which);
	int (*server_conn)(void *ctx, int which, unsigned int idx, int wait_ms,
			   struct fz_conn *out);
	/* the TCP segments seen so far, in order */
	size_t (*wire)(void *ctx, struct fz_pkt *out, size_t max);
	/* the library under test; connected and the connectx pair may be
	 * NULL when it does not export them */
	ssize_t (*connect4)(void *ctx, int s, const char *ip, uint16_t port,
			    const char *buf, size_t len);
	ssize_t (*connect6)(void *ctx, int s, const char *ip, uint16_t port,
			    uint32_t scope_id, const char *buf, size_t len);
	int (*connected)(void *ctx, int s);
	int (*connectx)(void *ctx, int s, const void *ep, uint32_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, uint32_t *cid);
	int (*disconnectx)(void *ctx, int s, uint32_t aid, uint32_t cid);
	/* what the calls so far changed that their page gives them no
	 * business with ("" when nothing, or when not checked) */
	const char *(*side_effect)(void *ctx);
};

/* ---- what is observed ------------------------------------------------ */

enum fz_end { FZE_OK, FZE_CRASH, FZE_EXIT, FZE_TIMEOUT, FZE_ERROR, FZE_MAX };
enum fz_out { FZU_UNTOUCHED, FZU_WRITTEN, FZU_NA };
enum fz_fd { FZD_SAME, FZD_CLOSED, FZD_OTHER, FZD_OPENED, FZD_FD_MAX };

struct fz_step {
	uint8_t kind;		/* 0: the call; else enum fz_follow */
	bool ran;		/* false: not applicable here (n/a) */
	int64_t ret;
	int32_t err;		/* errno when ret < 0, else 0 */
	uint8_t len_state, cid_state;	/* enum fz_out */
	uint64_t len;
	uint32_t cid;
	int16_t revents;	/* FZW_POLL */
	int16_t pre_state;	/* tcpi_state before the step, -1 none */
};

struct fz_obs {
	uint8_t end;		/* enum fz_end */
	int32_t end_code;	/* signal or exit status */
	char where[48];		/* the library function it ended in */
	char error[160];	/* FZE_ERROR: what broke */
	struct fz_step step[1 + FZ_NFOLLOW];
	uint8_t fd;		/* enum fz_fd */
	bool nonblock, cloexec;
	int16_t state;		/* tcpi_state once settled, -1: not TCP */
	char local[72], peer[72];
	/* right before the call, for "no effect" */
	int16_t pre_state;
	char pre_local[72];
	uint8_t pre_conns;
	uint32_t aux;		/* bytes in the pipe / the other end */
	uint8_t conns;		/* connections (datagrams) the server got */
	uint32_t rx_len, rx_hash;
	bool rx_truth;		/* exactly what the caller was told was sent */
	bool srv_syn_data;
	bool w_pkts;		/* the socket's connection reached the server */
	int8_t w_syn_tfo;	/* FZ_TFO_* of its first SYN, -1 no SYN */
	bool w_syn_data, w_ack_first;
	char side[240];
};

/* The endpoints argument of connectx: Darwin's sa_endpoints_t layout. */
struct fz_endpoints {
	unsigned int srcif;
	const struct sockaddr *src;
	socklen_t srclen;
	const struct sockaddr *dst;
	socklen_t dstlen;
};

/* Play s: prior state, the call, the follow-ups, the observation. */
int fz_play(const struct fz_scn *s, const struct fz_ops *o,
	    struct fz_obs *obs);

/* The settle budget (ms) and whether s mostly waits on kernel timers. */
int fz_settle_ms(const struct fz_scn *s);
bool fz_is_slow(const struct fz_scn *s);

/* ---- comparing ------------------------------------------------------- */

enum fz_field {
	FZK_END, FZK_CALL, FZK_F1, FZK_F2, FZK_F3, FZK_FD, FZK_FLAGS,
	FZK_STATE, FZK_LOCAL, FZK_PEER, FZK_AUX, FZK_CONNS, FZK_BYTES,
	FZK_TRUTH, FZK_SRV_SYN_DATA, FZK_W_PKTS, FZK_W_TFO, FZK_W_SYN_DATA,
	FZK_W_ACK, FZK_SIDE, FZK_MAX
};
extern const char *const fz_field_names[FZK_MAX];

/* Where the page allows more than one outcome (cases/may.c, same ids). */
enum fz_equiv {
	FZV_NB_COUNT,		/* owfat.nonblocking */
	FZV_NB_DATA,		/* connectx.nonblocking_data */
	FZV_DOMAIN_LIMIT,	/* connectx.domain_limit */
	FZV_CONNID,		/* connectx.connid */
	FZV_CONNECTED_PENDING,	/* owfat.connected_pending */
	FZV_ASSOCID,		/* connectx.associd */
	FZV_DX_ASSOCID,		/* disconnectx.associd */
	FZV_IOV_LEN,		/* connectx.iov_len */
	FZV_IOVCNT,		/* connectx.iovcnt */
	FZV_FLAGS,		/* connectx.flags_unknown */
	FZV_MAX
};
extern const char *const fz_equiv_ids[FZV_MAX];

struct fz_diff {
	uint8_t field;		/* enum fz_field */
	char expected[200], observed[200];
};

struct fz_cmp {
	int ndiff;
	struct fz_diff diff[FZK_MAX];
	unsigned int excused;	/* 1 << enum fz_equiv that hid a difference */
	/* the page says the reference's rejection may instead be the call
	 * "as if" the argument were the page's value: compare with the
	 * reference on alt (set when need_alt) */
	bool need_alt;
	uint8_t alt_equiv;
	struct fz_scn alt;
};

/* Compare lib's observation with the reference's (ref) for s. */
void fz_compare(const struct fz_scn *s, const struct fz_obs *ref,
		const struct fz_obs *lib, struct fz_cmp *out);
/* The same, where ref is the reference's observation of out->alt. */
void fz_compare_alt(const struct fz_scn *s, const struct fz_obs *ref,
		    const struct fz_obs *lib, struct fz_cmp *out);

/* One field of an observation as text ("-1 EINPROGRESS", "same"). */
void fz_field_text(const struct fz_obs *o, enum fz_field f, char *buf,
		   size_t size);
/* The whole observation, one line. */
void fz_obs_text(const struct fz_obs *o, char *buf, size_t size);

#endif
