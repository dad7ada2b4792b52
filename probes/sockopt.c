/* SPDX-License-Identifier: MIT */
/*
 * Kernel support probes (see sockopt.h).  The decisive facts, from
 * net/ipv4/tcp.c: an option do_tcp_setsockopt() does not know falls to
 * -ENOPROTOOPT; TCP_FASTOPEN_CONNECT is gated on the client sysctl bit
 * (-EOPNOTSUPP); tcp_sendmsg_fastopen() returns -EOPNOTSUPP for an
 * AF_UNSPEC destination whatever the sysctl says, while a kernel that does
 * not know MSG_FASTOPEN ignores the flag and fails the send on the
 * unconnected socket with EPIPE.
 */
#include "probes/sockopt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/util.h"
#include "netns/netns.h"
#include "util/tfo_uapi.h"

static int tcp_socket(int nsfd, int domain)
{
	return netns_socket(nsfd, domain, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

int probe_sockopt_set(int nsfd, int opt, const void *val, unsigned int len)
{
	int fd, ret = 0;

	fd = tcp_socket(nsfd, AF_INET);
	if (fd < 0)
		return fd;
	if (setsockopt(fd, IPPROTO_TCP, opt, val, len) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int probe_sockopt_msg_fastopen(int nsfd, int *known_err, int *gate_err)
{
	struct sockaddr sa = { .sa_family = AF_UNSPEC };
	int fd;

	*known_err = *gate_err = 0;
	fd = tcp_socket(nsfd, AF_INET);
	if (fd < 0)
		return fd;
	/* AF_UNSPEC: EOPNOTSUPP from any kernel that parses MSG_FASTOPEN */
	if (sendto(fd, "x", 1, MSG_FASTOPEN | MSG_NOSIGNAL | MSG_DONTWAIT,
		   &sa, sizeof(sa)) < 0)
		*known_err = errno;
	else
		*known_err = EPROTO; /* sent something?  nothing should */
	/* No address at all: past the sysctl gate the connect step rejects
	 * the empty address (EINVAL); before it, EOPNOTSUPP. */
	if (sendto(fd, "x", 1, MSG_FASTOPEN | MSG_NOSIGNAL | MSG_DONTWAIT,
		   NULL, 0) < 0)
		*gate_err = errno;
	else
		*gate_err = EPROTO;
	close(fd);
	return 0;
}

static void probe_msg_fastopen(int nsfd, struct probe_cap *c)
{
	int known, gate, ret;

	ret = probe_sockopt_msg_fastopen(nsfd, &known, &gate);
	if (ret < 0) {
		probe_cap_set(c, probe_state_from_errno(-ret), -ret,
			      "socket(): %s", util_errno_name(-ret));
		return;
	}
	if (known == EPIPE) {
		probe_cap_set(c, PROBE_MISSING, known,
			      "flag ignored by the kernel (EPIPE)");
	} else if (known != EOPNOTSUPP) {
		probe_cap_set(c, probe_state_from_errno(known) == PROBE_NOT_PERMITTED ?
				  PROBE_NOT_PERMITTED : PROBE_UNKNOWN,
			      known, "AF_UNSPEC sendto gave %s", util_errno_name(known));
	} else if (gate == EINVAL) {
		probe_cap_set(c, PROBE_SUPPORTED, 0, "client sysctl bit on");
	} else if (gate == EOPNOTSUPP) {
		probe_cap_set(c, PROBE_DISABLED, gate,
			      "net.ipv4.tcp_fastopen lacks 0x1");
	} else {
		probe_cap_set(c, PROBE_UNKNOWN, gate, "sendto gave %s",
			      util_errno_name(gate));
	}
}

/* For an option whose setsockopt() is not itself gated: known to the
 * kernel (ret 0, or -known_err), then "disabled" when the namespace's
 * sysctl keeps it inert. */
static void probe_known(struct probe_cap *c, int ret, int known_err,
			bool enabled, const char *off_why)
{
	int err = -ret;

	if (err == 0 || err == known_err) {
		if (enabled)
			probe_cap_set(c, PROBE_SUPPORTED, 0, "known to the kernel");
		else
			probe_cap_set(c, PROBE_DISABLED, 0, "%s", off_why);
		return;
	}
	probe_cap_set(c, probe_state_from_errno(err), err, "setsockopt: %s",
		      util_errno_name(err));
	if (c->state == PROBE_DISABLED)	/* EOPNOTSUPP is not a gate here */
		c->state = PROBE_UNKNOWN;
}

static void probe_ipv6(int nsfd, struct probe_cap *c)
{
	char buf[16];
	int fd;

	fd = tcp_socket(nsfd, AF_INET6);
	if (fd < 0) {
		probe_cap_set(c, probe_state_from_errno(-fd), -fd, "socket(AF_INET6): %s",
			      util_errno_name(-fd));
		return;
	}
	close(fd);
	if (netns_sysctl_read(nsfd, "net/ipv6/conf/all/disable_ipv6", buf,
			      sizeof(buf)) == 0 && buf[0] == '1')
		probe_cap_set(c, PROBE_DISABLED, 0,
			      "net.ipv6.conf.all.disable_ipv6=1");
	else
		probe_cap_set(c, PROBE_SUPPORTED, 0, "AF_INET6 TCP sockets");
}

static void probe_tcp_info(int nsfd, struct probe_kernel *k)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	int fd;

	fd = tcp_socket(nsfd, AF_INET);
	if (fd < 0)
		return;
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0)
		k->tcp_info_len = (int)len;
	close(fd);
	/* The 2-bit field shares byte 7 with tcpi_delivery_rate_app_limited
	 * (4.9), so every tcp_info length covers it; only an observed
	 * non-zero value (the live probe's cookie-less first connection)
	 * proves the kernel fills it. */
	probe_cap_set(&k->tcpi_fastopen_client_fail, PROBE_UNKNOWN, 0,
		      "needs the live probe (tcp_info %d bytes)", k->tcp_info_len);
}

int probe_sockopt_run(int nsfd, const struct probe_sysctl *s,
		      struct probe_kernel *k)
{
	static const unsigned char key[16];	/* throwaway socket's own key */
	int one = 1, minus1 = -1, ret;
	bool client = s->bits.client;
	bool server = s->bits.server || s->bits.server_wo_sockopt;

	memset(k, 0, sizeof(*k));
	probe_msg_fastopen(nsfd, &k->msg_fastopen);

	ret = probe_sockopt_set(nsfd, TCP_FASTOPEN, &minus1, sizeof(minus1));
	probe_known(&k->tcp_fastopen, ret, EINVAL, server,
		    "net.ipv4.tcp_fastopen lacks 0x2/0x400");

	ret = probe_sockopt_set(nsfd, TCP_FASTOPEN_CONNECT, &one, sizeof(one));
	if (ret == 0)
		probe_cap_set(&k->tcp_fastopen_connect, PROBE_SUPPORTED, 0,
			      "client sysctl bit on");
	else if (ret == -EOPNOTSUPP)
		probe_cap_set(&k->tcp_fastopen_connect, PROBE_DISABLED, -ret,
			      "net.ipv4.tcp_fastopen lacks 0x1");
	else
		probe_cap_set(&k->tcp_fastopen_connect, probe_state_from_errno(-ret),
			      -ret, "setsockopt: %s", util_errno_name(-ret));

	ret = probe_sockopt_set(nsfd, TCP_FASTOPEN_KEY, key, sizeof(key));
	probe_known(&k->tcp_fastopen_key, ret, 0, true, "");

	ret = probe_sockopt_set(nsfd, TCP_FASTOPEN_NO_COOKIE, &one, sizeof(one));
	probe_known(&k->tcp_fastopen_no_cookie, ret, 0, client,
		    "net.ipv4.tcp_fastopen lacks 0x1");

	probe_tcp_info(nsfd, k);
	probe_ipv6(nsfd, &k->ipv6);
	return 0;
}

int probe_sockopt_blackhole(int nsfd, bool *disabled)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int bfd, fd = -1, one = 1, ret;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* hold a port nobody listens on: a SYN to it never leaves lo */
	bfd = tcp_socket(nsfd, AF_INET);
	if (bfd < 0)
		return bfd;
	if (bind(bfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(bfd, (struct sockaddr *)&sa, &sl) < 0) {
		ret = -errno;
		goto out;
	}
	fd = netns_socket(nsfd, AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		ret = fd;
		goto out;
	}
	if (setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_NO_COOKIE, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one, sizeof(one)) < 0) {
		ret = -errno;
		goto out;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		*disabled = false;	/* deferred: TFO would be used */
		ret = 0;
	} else if (errno == EINPROGRESS || errno == ECONNREFUSED) {
		*disabled = true;	/* a plain SYN went out */
		ret = 0;
	} else {
		ret = -errno;
	}
out:
	if (fd >= 0)
		close(fd);
	close(bfd);
	return ret;
}
