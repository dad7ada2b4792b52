/* SPDX-License-Identifier: MIT */
/*
 * libtfo: Darwin's connectx(2)/disconnectx(2) for Linux.
 *
 * On Darwin this header defers to the system's <sys/socket.h>, which
 * declares the real system calls.  Elsewhere it declares the same ABI
 * (types, constants, structure layout) and libtfo implements the calls
 * in user space on top of bind/connect/sendmsg(MSG_FASTOPEN).  What
 * matches Darwin and what cannot is listed in connectx(3) and
 * docs/connectx-linux.md.
 *
 * Both calls return 0 on success, or -1 and set errno.
 */
#ifndef LIBTFO_CONNECTX_H
#define LIBTFO_CONNECTX_H

#ifdef __APPLE__
#include <sys/socket.h>
#else

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t sae_associd_t;
typedef uint32_t sae_connid_t;

#define SAE_ASSOCID_ANY 0
#define SAE_ASSOCID_ALL ((sae_associd_t)0xffffffffU)
#define SAE_CONNID_ANY 0
#define SAE_CONNID_ALL ((sae_connid_t)0xffffffffU)

#define CONNECT_RESUME_ON_READ_WRITE 0x1
#define CONNECT_DATA_IDEMPOTENT 0x2
#define CONNECT_DATA_AUTHENTICATED 0x4

/* Same member order as Darwin: LP64 size 40, offsets 0/8/16/24/32. */
typedef struct sa_endpoints {
	unsigned int sae_srcif;		     /* optional source interface */
	const struct sockaddr *sae_srcaddr;  /* optional source address */
	socklen_t sae_srcaddrlen;	     /* size of source address */
	const struct sockaddr *sae_dstaddr;  /* destination address */
	socklen_t sae_dstaddrlen;	     /* size of destination address */
} sa_endpoints_t;

int connectx(int socket, const sa_endpoints_t *endpoints,
	     sae_associd_t associd, unsigned int flags,
	     const struct iovec *iov, unsigned int iovcnt, size_t *len,
	     sae_connid_t *connid);

int disconnectx(int s, sae_associd_t aid, sae_connid_t cid);

#ifdef __cplusplus
}
#endif

#endif /* __APPLE__ */
#endif /* LIBTFO_CONNECTX_H */
