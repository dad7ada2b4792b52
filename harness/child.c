/* SPDX-License-Identifier: MIT */
/*
 * Inside one case process (see run_int.h): build the row's topology with
 * the instance's profile, check the row's kernel requirements, install
 * its fault, open the wire observer, run the body, keep the capture of a
 * bad ending as evidence, and report the verdict.  Nothing is cleaned up:
 * _exit() releases the namespaces, sockets and threads, also when the
 * library under test never returns.  The verdict goes into the job's
 * shared frame (harness/verdict.h), never through a descriptor.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness/delay.h"
#include "harness/libcall.h"
#include "harness/run_int.h"
#include "harness/wire.h"
#include "util/tfo_uapi.h"
#include "util/util.h"

/*
 * A requirement is a socket option the kernel may not know: setsockopt
 * answering ENOPROTOOPT or EINVAL means it lacks it (EOPNOTSUPP means
 * known but disabled by the sysctl: supported).
 */
static const struct {
	enum case_req req;
	int level, opt, val;
	const char *name;
} req_probes[] = {
	{ REQ_TFO_CONNECT, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, 1,
	  "TCP_FASTOPEN_CONNECT" },
	{ REQ_BINDTOIFINDEX, SOL_SOCKET, SO_BINDTOIFINDEX, 1,
	  "SO_BINDTOIFINDEX" },
};

/* 0: met; 1: SKIP recorded; -errno: the probe itself failed. */
static int req_check(struct case_ctx *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(req_probes); i++) {
		int fd, r, err;

		if (!(c->def->requires & req_probes[i].req))
			continue;
		fd = topo_socket(&c->topo, ROLE_CLIENT, AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			return fd;
		r = setsockopt(fd, req_probes[i].level, req_probes[i].opt,
			       &req_probes[i].val, sizeof(req_probes[i].val));
		err = errno;
		close(fd);
		if (r && (err == ENOPROTOOPT || err == EINVAL)) {
			case_skip(c, "kernel lacks %s (setsockopt: %s)",
				  req_probes[i].name, util_errno_name(err));
			return 1;
		}
	}
	return 0;
}

static void pcap_name(const char *dir, const struct inst *in, char *buf,
		      size_t size)
{
	size_t off = 0;

	util_appendf(buf, size, &off, "%s/", dir);
	for (const char *p = in->name; *p; p++)
		util_appendf(buf, size, &off, "%c",
			     (*p == '/' || *p == '@') ? '_' : *p);
	util_appendf(buf, size, &off, ".pcap");
}

/* Everything before the body; 0, or the verdict is already recorded. */
static int child_setup(struct case_ctx *c, const struct inst *in)
{
	const struct case_def *d = in->def;
	int ret;

	ret = topo_build(&c->topo, d->topo, in->profile);
	if (ret) {
		case_error(c, "cannot build the %s topology: %s",
			   d->topo == TOPO_ROUTED ? "routed" : "pair",
			   util_errno_name(-ret));
		return ret;
	}
	ret = req_check(c);
	if (ret < 0)
		case_error(c, "requirement probe failed: %s",
			   util_errno_name(-ret));
	if (ret)
		return ret;
	if (d->fault != FAULT_NONE) {
		ret = fault_apply(&c->topo, d->fault);
		if (ret) {
			case_error(c, "cannot install fault %s: %s",
				   fault_name(d->fault), util_errno_name(-ret));
			return ret;
		}
	}
	if (d->delay_ms) {
		ret = delay_start(&c->delay, &c->topo, case_ms(d->delay_ms));
		if (ret) {
			case_error(c, "cannot start the delayed path: %s",
				   util_errno_name(-ret));
			return ret;
		}
	}
	if (d->wire) {
		ret = wire_open(&c->wire, &c->topo);
		if (ret) {
			case_error(c, "cannot open the wire observer: %s",
				   util_errno_name(-ret));
			return ret;
		}
	}
	return 0;
}

void child_main(void *arg)
{
	const struct child_job *job = arg;
	const struct inst *in = job->in;
	const struct run_opts *o = job->o;
	struct case_ctx c = { 0 };
	struct result res = { 0 };

	/* a crash in the library under test must end the process by its
	 * signal (CRASH), also when a sanitizer runtime installed handlers */
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	case_time_scale = o->timeout_scale;
	case_rto = o->rto_ms > 0 && !case_real_timers(in->def) ? o->rto_ms : 1000;
	c.def = in->def;
	c.profile = in->profile;
	c.family = in->family;
	c.lib = job->lib;
	libcall_attach(job->frame->in_call, sizeof(job->frame->in_call));
	if (child_setup(&c, in) == 0) {
		in->def->body(&c);
		if (!c.decided) {
			c.decided = true;
			if (c.xfail_reason) {
				c.outcome = OUT_XPASS;
				snprintf(c.msg, sizeof(c.msg),
					 "passed although a known limit was expected: %s",
					 c.xfail_reason);
			} else {
				c.outcome = OUT_PASS;
			}
		}
		if (c.wire && o->pcap_dir &&
		    (outcome_is_bad(c.outcome) || c.outcome == OUT_XFAIL)) {
			pcap_name(o->pcap_dir, in, c.evidence,
				  sizeof(c.evidence));
			wire_collect(c.wire, 0);
			if (wire_save_pcap(c.wire, c.evidence))
				c.evidence[0] = 0;
		}
	}
	res.outcome = c.outcome;
	memcpy(res.msg, c.msg, sizeof(res.msg));
	memcpy(res.evidence, c.evidence, sizeof(res.evidence));
	verdict_commit(job->frame, &job->expect, &res);
}
