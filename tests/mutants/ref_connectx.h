/* SPDX-License-Identifier: MIT */
/*
 * For mutants that wrap the reference connectx: lib/connectx.c compiled
 * in under other names (cxm_ref_connectx, cxm_ref_disconnectx), so the
 * mutant exports connectx/disconnectx itself with one clause broken.
 */
#ifndef TFOCHECK_MUTANT_REF_CONNECTX_H
#define TFOCHECK_MUTANT_REF_CONNECTX_H

#define connectx cxm_ref_connectx
#define disconnectx cxm_ref_disconnectx
#include "lib/connectx.c"
#include "lib/tfo_common.c"
#undef connectx
#undef disconnectx

#define CXM_EXPORT __attribute__((visibility("default")))

CXM_EXPORT int connectx(int s, const sa_endpoints_t *ep, sae_associd_t aid,
			unsigned int flags, const struct iovec *iov,
			unsigned int iovcnt, size_t *len, sae_connid_t *cid);
CXM_EXPORT int disconnectx(int s, sae_associd_t aid, sae_connid_t cid);

#endif
