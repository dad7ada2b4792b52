/* SPDX-License-Identifier: MIT */
/*
 * The may-fail declarations (see may.h).  The words are the pages'; the
 * readings are the ones docs/clauses.md gives for them.
 */
#include "cases/may.h"

const struct may_fail may_associd = {
	"connectx.associd",
	"The parameter associd is reserved for future use, and must always be set to SAE_ASSOCID_ANY; EINVAL: An invalid argument was detected (e.g., ...)",
	"-1 EINVAL with no effect, or the call as if associd were SAE_ASSOCID_ANY",
};

const struct may_fail may_disconnectx_associd = {
	"disconnectx.associd",
	"The parameter associd is reserved for future use, and must always be set to SAE_ASSOCID_ANY",
	"-1 EINVAL with the connection intact, or the association dissolved as with SAE_ASSOCID_ANY",
};

const struct may_fail may_iov_len = {
	"connectx.iov_len",
	"Data to be transmitted may optionally be defined via the iovcnt buffers specified by members of the iov array, along with a non-NULL len parameter",
	"-1 EINVAL with no effect, or the data sent as with a len to report it",
};

const struct may_fail may_iovcnt = {
	"connectx.iovcnt",
	"Data to be transmitted may optionally be defined via the iovcnt buffers specified by members of the iov array",
	"-1 EINVAL with no effect, or success with exactly the iovcnt buffers' bytes sent (none for 0)",
};

const struct may_fail may_nb_count = {
	"owfat.nonblocking",
	">=0, to indicate that the connection succeeded and this many bytes were sent; -1, setting errno to error_inprogress or error_wouldblock, to indicate that the socket is non-blocking",
	"a count of the bytes sent (they rode the SYN), or -1 EINPROGRESS/EWOULDBLOCK with none sent",
};

const struct may_fail may_nb_data = {
	"connectx.nonblocking_data",
	"EINPROGRESS: The connection cannot be completed immediately; len ... upon success, indicates the number of bytes enqueued for transmission",
	"0 once connected, or -1 EINPROGRESS, with *len the bytes enqueued either way",
};

const struct may_fail may_domain_limit = {
	"connectx.domain_limit",
	"The communication domain may impose a limit on the amount of data allowed to be buffered before connection establishment",
	"*len anywhere from 0 to the total, as long as it is the truth",
};

const struct may_fail may_connid = {
	"connectx.connid",
	"The parameter connid is also reserved for future use and should be set to NULL",
	"any value written through a non-NULL connid, or none",
};

/* docs/clauses.md, owfat readings 3: the page gives errno a meaning only
 * for a connection that failed */
const struct may_fail may_connected_pending = {
	"owfat.connected_pending",
	"you can use socket_connected to see whether the connection succeeded. If the connection failed, socket_connected returns 0, setting errno appropriately",
	"0 while the handshake still runs, with any errno",
};

const struct may_fail may_flags_unknown = {
	"connectx.flags_unknown",
	"When the flags parameter is set to CONNECT_RESUME_ON_READ_WRITE ...; The flags parameter may also be set to CONNECT_DATA_IDEMPOTENT",
	"-1 EINVAL with no effect, or the call as if the bits the page does not name were clear",
};

const struct may_fail *const may_all[] = {
	&may_associd, &may_disconnectx_associd, &may_iov_len, &may_iovcnt,
	&may_nb_count, &may_nb_data, &may_domain_limit, &may_connid,
	&may_connected_pending, &may_flags_unknown,
};
const size_t may_count = sizeof(may_all) / sizeof(may_all[0]);
