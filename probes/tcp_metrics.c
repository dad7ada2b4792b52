/* SPDX-License-Identifier: MIT */
/*
 * tcp_metrics generic netlink client (see tcp_metrics.h), on libmnl.  The
 * family id is looked up on every call rather than cached: it is per boot,
 * and callers hop between namespaces, so a cache would buy nothing but a
 * staleness question.  Attribute layouts follow uapi/linux/tcp_metrics.h.
 */
#include "probes/tcp_metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/tcp_metrics.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "netns/netns.h"

#ifndef MNL_SOCKET_DUMP_SIZE
#define MNL_SOCKET_DUMP_SIZE 32768
#endif

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	char *buf;
};

static void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
}

static int nl_open(struct nl *nl, int nsfd)
{
	int fd, ret;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(MNL_SOCKET_DUMP_SIZE);
	if (!nl->buf)
		return -ENOMEM;
	fd = netns_socket(nsfd, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
			  NETLINK_GENERIC);
	if (fd < 0) {
		ret = fd;
		goto err;
	}
	nl->sock = mnl_socket_fdopen(fd);
	if (!nl->sock) {
		ret = -errno;
		close(fd);
		goto err;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);
	return 0;
err:
	nl_close(nl);
	return ret;
}

static struct nlmsghdr *nl_genl_put(struct nl *nl, uint16_t type,
				    uint16_t flags, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

/* cb_err carries a callback's -errno out of mnl_cb_run(), which only knows
 * MNL_CB_ERROR and whatever errno happens to be. */
struct talk {
	int cb_err;
	void *data;
};

static int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		   struct talk *t)
{
	unsigned int seq = nlh->nlmsg_seq;
	int ret;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf,
						MNL_SOCKET_DUMP_SIZE);

		if (n < 0)
			return -errno;
		errno = 0;
		ret = mnl_cb_run(nl->buf, n, seq, nl->portid, cb, t);
		if (ret == MNL_CB_ERROR) {
			if (t->cb_err)
				return t->cb_err;
			return errno ? -errno : -EPROTO;
		}
		if (ret == MNL_CB_STOP)
			return t->cb_err;
	}
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	/* skip attributes newer than our headers */
	if (mnl_attr_type_valid(attr, CTRL_ATTR_MAX) < 0)
		return MNL_CB_OK;
	if (type == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = { 0 };

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			   tb) < 0) {
		t->cb_err = -EPROTO;
		return MNL_CB_ERROR;
	}
	if (tb[CTRL_ATTR_FAMILY_ID])
		*(uint16_t *)t->data = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return MNL_CB_OK;
}

static int nl_family_id(struct nl *nl, uint16_t *id)
{
	struct talk t = { 0, id };
	struct nlmsghdr *nlh;
	int ret;

	*id = 0;
	nlh = nl_genl_put(nl, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TCP_METRICS_GENL_NAME);
	ret = nl_talk(nl, nlh, family_cb, &t);
	if (ret == 0 && !*id)
		ret = -ENOENT;
	return ret;
}

int tcpm_family_id(int nsfd, uint16_t *id)
{
	struct nl nl;
	int ret;

	ret = nl_open(&nl, nsfd);
	if (ret < 0)
		return ret;
	ret = nl_family_id(&nl, id);
	nl_close(&nl);
	return ret;
}

static int metrics_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);
	size_t len = mnl_attr_get_payload_len(attr);
	size_t want = 0;

	if (mnl_attr_type_valid(attr, TCP_METRICS_ATTR_MAX) < 0)
		return MNL_CB_OK;
	switch (type) {
	case TCP_METRICS_ATTR_ADDR_IPV4:
	case TCP_METRICS_ATTR_SADDR_IPV4:
		want = 4;
		break;
	case TCP_METRICS_ATTR_ADDR_IPV6:
	case TCP_METRICS_ATTR_SADDR_IPV6:
		want = 16;
		break;
	case TCP_METRICS_ATTR_AGE:
	case TCP_METRICS_ATTR_FOPEN_SYN_DROP_TS:
		want = 8;
		break;
	case TCP_METRICS_ATTR_FOPEN_MSS:
	case TCP_METRICS_ATTR_FOPEN_SYN_DROPS:
		want = 2;
		break;
	case TCP_METRICS_ATTR_FOPEN_COOKIE:
		if (len > TCPM_COOKIE_MAX)
			return MNL_CB_OK;	/* not a cookie we understand */
		break;
	default:
		break;
	}
	if (want && len < want)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

struct dump_ctx {
	int (*cb)(const struct tcpm_entry *e, void *arg);
	void *arg;
	bool stopped;
};

static int metrics_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	struct dump_ctx *d = t->data;
	const struct nlattr *tb[TCP_METRICS_ATTR_MAX + 1] = { 0 };
	struct tcpm_entry e;
	int ret;

	if (d->stopped)
		return MNL_CB_OK;	/* drain the rest of the dump */
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), metrics_attr_cb,
			   tb) < 0) {
		t->cb_err = -EPROTO;
		return MNL_CB_ERROR;
	}
	memset(&e, 0, sizeof(e));
	if (tb[TCP_METRICS_ATTR_ADDR_IPV4]) {
		e.family = AF_INET;
		memcpy(&e.daddr.v4, mnl_attr_get_payload(tb[TCP_METRICS_ATTR_ADDR_IPV4]), 4);
	} else if (tb[TCP_METRICS_ATTR_ADDR_IPV6]) {
		e.family = AF_INET6;
		memcpy(&e.daddr.v6, mnl_attr_get_payload(tb[TCP_METRICS_ATTR_ADDR_IPV6]), 16);
	} else {
		return MNL_CB_OK;
	}
	if (tb[TCP_METRICS_ATTR_SADDR_IPV4] && e.family == AF_INET) {
		memcpy(&e.saddr.v4, mnl_attr_get_payload(tb[TCP_METRICS_ATTR_SADDR_IPV4]), 4);
		e.has_saddr = true;
	} else if (tb[TCP_METRICS_ATTR_SADDR_IPV6] && e.family == AF_INET6) {
		memcpy(&e.saddr.v6, mnl_attr_get_payload(tb[TCP_METRICS_ATTR_SADDR_IPV6]), 16);
		e.has_saddr = true;
	}
	if (tb[TCP_METRICS_ATTR_AGE])
		e.age_ms = mnl_attr_get_u64(tb[TCP_METRICS_ATTR_AGE]);
	if (tb[TCP_METRICS_ATTR_FOPEN_MSS])
		e.fopen_mss = mnl_attr_get_u16(tb[TCP_METRICS_ATTR_FOPEN_MSS]);
	if (tb[TCP_METRICS_ATTR_FOPEN_SYN_DROPS])
		e.fopen_syn_drops = mnl_attr_get_u16(tb[TCP_METRICS_ATTR_FOPEN_SYN_DROPS]);
	if (tb[TCP_METRICS_ATTR_FOPEN_SYN_DROP_TS]) {
		e.has_syn_drop_ts = true;
		e.fopen_syn_drop_age_ms = mnl_attr_get_u64(tb[TCP_METRICS_ATTR_FOPEN_SYN_DROP_TS]);
	}
	if (tb[TCP_METRICS_ATTR_FOPEN_COOKIE]) {
		e.cookie_len = mnl_attr_get_payload_len(tb[TCP_METRICS_ATTR_FOPEN_COOKIE]);
		memcpy(e.cookie, mnl_attr_get_payload(tb[TCP_METRICS_ATTR_FOPEN_COOKIE]),
		       e.cookie_len);
	}
	ret = d->cb(&e, d->arg);
	if (ret < 0) {
		t->cb_err = ret;
		d->stopped = true;
	} else if (ret > 0) {
		d->stopped = true;
	}
	return MNL_CB_OK;
}

/* One tcp_metrics request inside nsfd: open, resolve the family, send
 * cmd with flags, run cb over the replies until the ack or NLMSG_DONE. */
static int tcpm_request(int nsfd, uint16_t flags, uint8_t cmd, mnl_cb_t cb,
			struct talk *t)
{
	struct nlmsghdr *nlh;
	uint16_t id;
	struct nl nl;
	int ret;

	ret = nl_open(&nl, nsfd);
	if (ret < 0)
		return ret;
	ret = nl_family_id(&nl, &id);
	if (ret < 0)
		goto out;
	nlh = nl_genl_put(&nl, id, flags, cmd, TCP_METRICS_GENL_VERSION);
	ret = nl_talk(&nl, nlh, cb, t);
out:
	nl_close(&nl);
	return ret;
}

int tcpm_dump(int nsfd, int (*cb)(const struct tcpm_entry *e, void *arg),
	      void *arg)
{
	struct dump_ctx d = { cb, arg, false };
	struct talk t = { 0, &d };

	/* a callback's stop request still reads the dump to NLMSG_DONE so
	 * the socket is left clean; cb_err then carries its -errno */
	return tcpm_request(nsfd, NLM_F_DUMP, TCP_METRICS_CMD_GET, metrics_cb,
			    &t);
}

static int ack_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

int tcpm_flush(int nsfd)
{
	struct talk t = { 0, NULL };

	/* no address attribute: the kernel flushes the whole namespace */
	return tcpm_request(nsfd, NLM_F_ACK, TCP_METRICS_CMD_DEL, ack_cb, &t);
}

const char *tcpm_addr_str(int family, const void *addr, char *buf, size_t size)
{
	if (!inet_ntop(family, addr, buf, size))
		snprintf(buf, size, "?");
	return buf;
}

const char *tcpm_cookie_str(const struct tcpm_entry *e, char *buf, size_t size)
{
	size_t off = 0;

	if (!size)
		return buf;
	buf[0] = 0;
	for (size_t i = 0; i < e->cookie_len && i < TCPM_COOKIE_MAX && off + 2 < size; i++)
		off += snprintf(buf + off, size - off, "%02x", e->cookie[i]);
	return buf;
}
