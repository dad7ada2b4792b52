/* SPDX-License-Identifier: MIT */
/*
 * The calls into the library under test (see libcall.h).
 */
#include "harness/libcall.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/case.h"
#include "harness/libload.h"

static char *call_slot;
static size_t call_slot_size;

void libcall_attach(char *slot, size_t size)
{
	call_slot = slot;
	call_slot_size = size;
}

static void call_begin(const char *fn)
{
	if (call_slot)
		snprintf(call_slot, call_slot_size, "%s", fn);
}

static void call_end(void)
{
	int e = errno;

	if (call_slot)
		call_slot[0] = 0;
	errno = e;
}

ssize_t libcall_fo_connect4(struct case_ctx *c, int s, const char *ip,
			    uint16_t port, const char *buf, size_t len)
{
	ssize_t r;

	call_begin("socket_fastopen_connect4");
	errno = 0;
	r = c->lib->fo_connect4(s, ip, port, buf, len);
	call_end();
	return r;
}

ssize_t libcall_fo_connect6(struct case_ctx *c, int s, const char *ip,
			    uint16_t port, uint32_t scope_id, const char *buf,
			    size_t len)
{
	ssize_t r;

	call_begin("socket_fastopen_connect6");
	errno = 0;
	r = c->lib->fo_connect6(s, ip, port, scope_id, buf, len);
	call_end();
	return r;
}

int libcall_connected(struct case_ctx *c, int s)
{
	int r;

	call_begin("socket_connected");
	errno = 0;
	r = c->lib->connected(s);
	call_end();
	return r;
}

int libcall_connectx(struct case_ctx *c, int s, const void *endpoints,
		     uint32_t associd, unsigned int flags,
		     const struct iovec *iov, unsigned int iovcnt, size_t *len,
		     uint32_t *connid)
{
	int r;

	call_begin("connectx");
	errno = 0;
	r = c->lib->connectx(s, endpoints, associd, flags, iov, iovcnt, len,
			     connid);
	call_end();
	return r;
}

int libcall_disconnectx(struct case_ctx *c, int s, uint32_t associd,
			uint32_t connid)
{
	int r;

	call_begin("disconnectx");
	errno = 0;
	r = c->lib->disconnectx(s, associd, connid);
	call_end();
	return r;
}
