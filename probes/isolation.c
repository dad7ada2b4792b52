/* SPDX-License-Identifier: MIT */
/*
 * Isolation probes (see isolation.h).  Namespace creation is tried in
 * forked children, so even a success leaves the caller where it was; the
 * device probes run in a private network namespace held by fd, so a veth
 * made to prove the driver works dies with that fd.
 */
#include "probes/isolation.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/userns.h"
#include "util/util.h"
#include "netns/netns.h"
#include "netns/rtnl.h"

#define NOBODY 65534

/* Fork, run unshare(flags) in the child (after dropping to nobody when
 * drop is set): 0 when it worked, else -errno of unshare() (or -ECHILD
 * when the child could not get that far). */
static int try_unshare(int flags, bool drop)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (drop && geteuid() == 0) {
			if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
			    setresuid(NOBODY, NOBODY, NOBODY))
				_exit(255);
		}
		_exit(unshare(flags) ? (errno & 0xff) : 0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 255)
		return -ECHILD;
	return -WEXITSTATUS(status);
}

static long read_long_or(const char *path, long dflt)
{
	char buf[32];
	long v;

	if (util_file_read(path, buf, sizeof(buf)) < 0)
		return dflt;
	buf[strcspn(buf, "\n")] = 0;
	return util_parse_long(buf, &v) < 0 ? dflt : v;
}

/* err: the errno a namespace or device call observed (0: it worked);
 * EINVAL/ENOSYS there mean a kernel built without the feature. */
static void cap_from_err(struct probe_cap *c, int err, const char *what)
{
	if (err == 0)
		probe_cap_set(c, PROBE_SUPPORTED, 0, "%s", what);
	else if (err == EINVAL || err == ENOSYS)
		probe_cap_set(c, PROBE_MISSING, err, "%s: %s", what, util_errno_name(err));
	else
		probe_cap_set(c, probe_state_from_errno(err), err, "%s: %s", what,
			      util_errno_name(err));
}

int probe_isolation_namespaces(struct probe_isolation *iso)
{
	int err;

	iso->unprivileged_userns_clone =
		read_long_or("/proc/sys/kernel/unprivileged_userns_clone", -1);
	iso->max_user_namespaces = read_long_or("/proc/sys/user/max_user_namespaces", -1);

	cap_from_err(&iso->netns, -try_unshare(CLONE_NEWNET, false), "unshare(CLONE_NEWNET)");
	cap_from_err(&iso->userns, -try_unshare(CLONE_NEWUSER, false), "unshare(CLONE_NEWUSER)");

	err = -try_unshare(CLONE_NEWUSER, true);
	cap_from_err(&iso->unpriv_userns, err,
		     geteuid() == 0 ? "as nobody" : "as this user");
	/* name the sysctl that said no, the first thing an admin will ask */
	if (err && iso->max_user_namespaces == 0)
		probe_cap_set(&iso->unpriv_userns, PROBE_DISABLED, err,
			      "user.max_user_namespaces=0");
	else if (err && iso->unprivileged_userns_clone == 0)
		probe_cap_set(&iso->unpriv_userns, PROBE_DISABLED, err,
			      "kernel.unprivileged_userns_clone=0");
	return 0;
}

static int nft_gettables(int nsfd)
{
	char buf[8192];
	struct mnl_socket *nl = NULL;
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	unsigned int seq = (unsigned int)time(NULL), portid;
	int fd, ret;

	fd = netns_socket(nsfd, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0)
		return fd;
	nl = mnl_socket_fdopen(fd);
	if (!nl) {
		ret = -errno;
		close(fd);
		return ret;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (n < 0) {
			ret = -errno;
			goto out;
		}
		ret = mnl_cb_run(buf, n, seq, portid, NULL, NULL);
		if (ret <= MNL_CB_STOP) {
			ret = ret < 0 ? -errno : 0;
			goto out;
		}
	}
out:
	mnl_socket_close(nl);
	return ret;
}

int probe_isolation_private(struct probe_isolation *iso)
{
	struct rtnl r = { 0 };
	int ns = -1, fd, ret;

	ret = netns_create(&ns);
	if (ret < 0) {
		probe_cap_set(&iso->veth, probe_state_from_errno(-ret), -ret,
			      "no private namespace: %s", util_errno_name(-ret));
		iso->nftables = iso->af_packet = iso->veth;
		goto out;
	}

	ret = rtnl_open(&r, ns);
	if (ret == 0)
		ret = rtnl_veth_create(&r, "tfoprobe0", 0, "tfoprobe1", 0, ns);
	if (ret == -EOPNOTSUPP)	/* rtnetlink knows no "veth" kind */
		probe_cap_set(&iso->veth, PROBE_MISSING, -ret, "veth driver unavailable");
	else
		cap_from_err(&iso->veth, -ret, "veth pair in a private netns");

	ret = nft_gettables(ns);
	if (ret == -EPROTONOSUPPORT)
		probe_cap_set(&iso->nftables, PROBE_MISSING, -ret, "no nfnetlink");
	else if (ret == -EINVAL || ret == -EOPNOTSUPP || ret == -ENOENT)
		probe_cap_set(&iso->nftables, PROBE_MISSING, -ret, "no nf_tables (%s)",
			      util_errno_name(-ret));
	else
		cap_from_err(&iso->nftables, -ret, "NFT_MSG_GETTABLE in a private netns");

	fd = netns_socket(ns, AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd >= 0)
		close(fd);
	cap_from_err(&iso->af_packet, fd < 0 ? -fd : 0, "socket(AF_PACKET) in a private netns");
	ret = 0;
out:
	rtnl_close(&r);
	if (ns >= 0)
		close(ns);
	return ret;
}

static int read_full(int fd, void *buf, size_t size)
{
	size_t off = 0;

	while (off < size) {
		ssize_t n = read(fd, (char *)buf + off, size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EPIPE;
		off += n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t size)
{
	size_t off = 0;

	while (off < size) {
		ssize_t n = write(fd, (const char *)buf + off, size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		off += n;
	}
	return 0;
}

int probe_isolation_in_userns(int (*fn)(void *buf), void *buf, size_t size)
{
	int p[2], status, ret;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(p[0]);
		close(p[1]);
		return ret;
	}
	if (pid == 0) {
		int r[2] = { 0, 0 };	/* setup error, fn's result */

		close(p[0]);
		r[0] = userns_become_root(CLONE_NEWNET);
		if (r[0] == 0)
			r[1] = fn(buf);
		if (write_full(p[1], r, sizeof(r)) == 0 && r[0] == 0)
			write_full(p[1], buf, size);
		_exit(0);
	}
	close(p[1]);
	{
		int r[2];

		ret = read_full(p[0], r, sizeof(r));
		if (ret == 0)
			ret = r[0];
		/* buf is only copied back when the child got that far */
		if (ret == 0)
			ret = read_full(p[0], buf, size);
		if (ret == 0)
			ret = r[1];
	}
	close(p[0]);
	waitpid(pid, &status, 0);
	return ret;
}
