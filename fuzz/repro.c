/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck repro` and the reproducers `tfocheck fuzz --out` writes
 * (docs/fuzz.md, "Reproducers").  A reproducer is two files a library
 * maintainer runs without tfocheck:
 *
 *   NAME.c   fuzz/play.h and fuzz/play.c verbatim (the very code that
 *            played the scenario in tfocheck), the scenario, the
 *            reference's observation of it, the topology's addresses and
 *            fuzz/repro_main.c.in (the fz_ops over plain sockets);
 *   NAME.sh  builds the pair topology with unshare(1) and ip(8) (a
 *            private mount namespace holds the server's namespace, so
 *            nothing outlives the script), sets the profile's sysctls,
 *            compiles NAME.c and runs it against LIBRARY (its argument,
 *            else the library that diverged).  Exit 1 while the library
 *            behaves differently from the reference, 0 once it does not.
 *
 * Only scenarios on the pair path can be written: the others need the
 * router's nftables faults, which `tfocheck fuzz --replay ID` plays.
 */
#include "fuzz/fuzz.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz/engine.h"
#include "fuzz/pool.h"
#include "fuzz/scn.h"
#include "fuzz/text.h"
#include "harness/libload.h"
#include "harness/run.h"
#include "netns/profile.h"
#include "netns/topo.h"

const char *fz_repro_inexpressible(const struct fz_scn *s)
{
	if (s->v[FZ_PATH] != FZP_PAIR)
		return "its path needs the router and its nftables faults; `tfocheck fuzz --replay ID` plays it";
	return NULL;
}

/*
 * Case rows as scenarios: the owfat rows whose body is one call the
 * scenario model says with the same arguments and prior state (the rest
 * of the row is its instance's profile and family).  Rows that count
 * packets, time a call, or need two connections are not among them.
 */
struct fz_row_map {
	const char *id;
	struct { uint8_t feat, value; } set[3];
};

static const struct fz_row_map fz_row_maps[] = {
	{ "owfat.example_hello", { { 0, 0 } } },
	{ "owfat.returns_bytes_sent", { { 0, 0 } } },
	{ "owfat.no_tfo_connect_write", { { 0, 0 } } },
	{ "owfat.same_socket", { { 0, 0 } } },
	{ "owfat.unbound_ephemeral_port", { { 0, 0 } } },
	{ "owfat.large_3000", { { FZ_OLEN, 6 } } },
	{ "owfat.large_100k", { { FZ_OLEN, 8 } } },
	{ "owfat.len_zero_connects", { { FZ_OLEN, 1 } } },
	{ "owfat.nonblock_count_or_inprogress", { { FZ_NONBLOCK, 1 } } },
	{ "owfat.same_socket_nonblock", { { FZ_NONBLOCK, 1 } } },
	{ "owfat.nonblock_large_3000", { { FZ_NONBLOCK, 1 }, { FZ_OLEN, 6 } } },
	{ "owfat.nonblock_large_100k", { { FZ_NONBLOCK, 1 }, { FZ_OLEN, 8 } } },
	{ "owfat.err_refused", { { FZ_OPORT, FZT_CLOSED } } },
	/* the row asks socket_connected once the background connect failed */
	{ "owfat.nonblock_refused", { { FZ_NONBLOCK, 1 }, { FZ_OPORT, FZT_CLOSED },
				      { FZ_F1, FZW_CONNECTED } } },
	{ "owfat.err_netunreach", { { FZ_OIP, FZI_UNROUTABLE } } },
	{ "owfat.err_eisconn", { { FZ_PRIOR, FZR_CONNECTED } } },
	{ "owfat.err_ealready", { { FZ_PRIOR, FZR_CONNECTING } } },
	{ "owfat.err_linklocal_no_scope", { { FZ_OSCOPE, FZC_ZERO } } },
};

int fz_row_scenario(const char *name, struct fz_scn *out, char *why,
		    size_t whylen)
{
	static const char *const fams[FZM_MAX] = { "ipv4", "ipv6", "ipv4-mapped",
						   "ipv6-linklocal" };
	char id[128], profile[64] = "tfo", family[32] = "ipv4";
	const struct fz_row_map *m = NULL;
	int pi = -1, fi = -1;

	if (sscanf(name, "%127[^@]@%63[^/]/%31s", id, profile, family) < 1)
		return -ENOENT;
	for (size_t i = 0; i < sizeof(fz_row_maps) / sizeof(fz_row_maps[0]); i++)
		if (!strcmp(fz_row_maps[i].id, id))
			m = &fz_row_maps[i];
	for (int i = 0; i < fz_nvalues[FZ_PROFILE]; i++)
		if (!strcmp(fz_profile_names[i], profile))
			pi = i;
	for (int i = 0; i < FZM_MAX; i++)
		if (!strcmp(fams[i], family))
			fi = i;
	if (!m) {
		snprintf(why, whylen, "case row '%s' is not expressed as a scenario (it counts packets, times a call or needs two connections); `tfocheck fuzz --lib X` finds a scenario that shows the same deviation", id);
		return -ENOTSUP;
	}
	if (pi < 0 || fi < 0) {
		snprintf(why, whylen, "profile '%s' or family '%s' is not one the scenarios use",
			 profile, family);
		return -ENOTSUP;
	}
	memset(out, 0, sizeof(*out));
	out->v[FZ_API] = FZA_OWFAT;
	out->v[FZ_PROFILE] = (uint8_t)pi;
	out->v[FZ_FAMILY] = (uint8_t)fi;
	for (int k = 0; k < 3; k++)
		if (m->set[k].feat)
			out->v[m->set[k].feat] = m->set[k].value;
	fz_scn_canon(out);
	return 0;
}

/* A C string literal of s (at most n bytes of it). */
static void fz_c_str(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void fz_c_obs(FILE *f, const char *name, const struct fz_obs *o)
{
	fprintf(f, "static const struct fz_obs %s = {\n", name);
	fprintf(f, "\t.end = %u, .end_code = %d, .where = ", o->end, o->end_code);
	fz_c_str(f, o->where, sizeof(o->where));
	fprintf(f, ", .error = ");
	fz_c_str(f, o->error, sizeof(o->error));
	fprintf(f, ",\n\t.step = {\n");
	for (int i = 0; i <= FZ_NFOLLOW; i++) {
		const struct fz_step *t = &o->step[i];

		fprintf(f, "\t\t{ .kind = %u, .ran = %d, .ret = %lldLL, .err = %d, .len_state = %u, .cid_state = %u, .len = %lluULL, .cid = %uU, .revents = %d, .pre_state = %d },\n",
			t->kind, t->ran, (long long)t->ret, t->err, t->len_state,
			t->cid_state, (unsigned long long)t->len, t->cid,
			t->revents, t->pre_state);
	}
	fprintf(f, "\t},\n\t.fd = %u, .nonblock = %d, .cloexec = %d, .state = %d, .local = ",
		o->fd, o->nonblock, o->cloexec, o->state);
	fz_c_str(f, o->local, sizeof(o->local));
	fprintf(f, ", .peer = ");
	fz_c_str(f, o->peer, sizeof(o->peer));
	fprintf(f, ",\n\t.pre_state = %d, .pre_local = ", o->pre_state);
	fz_c_str(f, o->pre_local, sizeof(o->pre_local));
	fprintf(f, ", .pre_conns = %u, .aux = %uU, .conns = %u,\n", o->pre_conns,
		o->aux, o->conns);
	fprintf(f, "\t.rx_len = %uU, .rx_hash = %uU, .rx_truth = %d, .srv_syn_data = %d,\n",
		o->rx_len, o->rx_hash, o->rx_truth, o->srv_syn_data);
	fprintf(f, "\t.w_pkts = %d, .w_syn_tfo = %d, .w_syn_data = %d, .w_ack_first = %d,\n\t.side = ",
		o->w_pkts, o->w_syn_tfo, o->w_syn_data, o->w_ack_first);
	fz_c_str(f, o->side, sizeof(o->side));
	fprintf(f, ",\n};\n\n");
}

static void fz_c_in4(FILE *f, const char *field, const struct in_addr *a)
{
	char t[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, a, t, sizeof(t));
	fprintf(f, "\tinet_pton(AF_INET, \"%s\", &e->%s);\n", t, field);
}

static void fz_c_in6(FILE *f, const char *field, const struct in6_addr *a)
{
	char t[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, t, sizeof(t));
	fprintf(f, "\tinet_pton(AF_INET6, \"%s\", &e->%s);\n", t, field);
}

/* play.c without its one project include (play.h is pasted above it) */
static void fz_c_play(FILE *f)
{
	const char *p = fz_text_play_c, *nl;

	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (strncmp(p, "#include \"fuzz/", 15))
			fwrite(p, 1, (size_t)(nl - p) + (*nl ? 1 : 0), f);
		if (!*nl)
			break;
	}
}

static int fz_write_c(const char *path, const struct fz_scn *s,
		      const struct fz_verdict *v, const struct profile *pr,
		      const struct topo *t, const char *words)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	fprintf(f, "/* Reproducer written by tfocheck repro: see the .sh beside it.\n * Scenario: %s */\n",
		"(below, RP_WORDS)");
	fprintf(f, "#define _GNU_SOURCE\n");
	fputs(fz_text_play_h, f);
	fz_c_play(f);
	fprintf(f, "\n/* ---- the scenario ---- */\n\nstatic const struct fz_scn RP_SCN = { .v = {");
	for (int i = 0; i < FZ_NFEAT; i++)
		fprintf(f, "%s%u", i ? ", " : " ", s->v[i]);
	fprintf(f, " } };\nstatic const char RP_WORDS[] = ");
	fz_c_str(f, words, strlen(words));
	fprintf(f, ";\n#define RP_ALT %d\n#define RP_SERVER_SOCKOPT %d\n#define RP_SERVER_IFINDEX %d\n\n",
		v->cmp.need_alt, pr->server_sockopt, t->server_ifindex);
	fz_c_obs(f, "rp_expected", &v->ref);
	fprintf(f, "static void rp_env(struct fz_env *e)\n{\n");
	fz_c_in4(f, "client4", &t->client4);
	fz_c_in4(f, "server4", &t->server4);
	fz_c_in4(f, "unroutable4", &t->unroutable4);
	fprintf(f, "\tinet_pton(AF_INET, \"198.18.0.3\", &e->silent4);\n");
	fz_c_in6(f, "client6", &t->client6);
	fz_c_in6(f, "server6", &t->server6);
	fz_c_in6(f, "unroutable6", &t->unroutable6);
	fprintf(f, "\tinet_pton(AF_INET6, \"2001:2::3\", &e->silent6);\n");
	fz_c_in6(f, "client_ll", &t->client_ll);
	fz_c_in6(f, "server_ll", &t->server_ll);
	fprintf(f, "\tinet_pton(AF_INET6, \"fe80::3\", &e->silent_ll);\n");
	fprintf(f, "\te->client_ifindex = %d;\n}\n\n", t->client_ifindex);
	fputs(fz_text_repro_main, f);
	if (ferror(f))
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

static int fz_write_sh(const char *path, const char *base, const char *lib,
		       const struct profile *pr, const struct topo *t,
		       const char *title, const char *words)
{
	char c4[INET_ADDRSTRLEN], s4[INET_ADDRSTRLEN], c6[INET6_ADDRSTRLEN],
		s6[INET6_ADDRSTRLEN], cl[INET6_ADDRSTRLEN], sl[INET6_ADDRSTRLEN];
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	inet_ntop(AF_INET, &t->client4, c4, sizeof(c4));
	inet_ntop(AF_INET, &t->server4, s4, sizeof(s4));
	inet_ntop(AF_INET6, &t->client6, c6, sizeof(c6));
	inet_ntop(AF_INET6, &t->server6, s6, sizeof(s6));
	inet_ntop(AF_INET6, &t->client_ll, cl, sizeof(cl));
	inet_ntop(AF_INET6, &t->server_ll, sl, sizeof(sl));
	fprintf(f, "#!/bin/sh\n"
		"# Reproducer %s, written by tfocheck repro.\n"
		"# %s\n"
		"#\n"
		"# usage: sh %s.sh [LIBRARY]   (root; needs unshare, ip and a C compiler)\n"
		"# exit: 1 while LIBRARY behaves differently from the reference library\n"
		"#       (libtfo) in this scenario, 0 once it does not, 2 it could not run.\n"
		"# The topology: two network namespaces joined by a veth pair, profile\n"
		"# %s (client net.ipv4.tcp_fastopen=%#lx, server %#lx%s).  They live in a\n"
		"# private mount namespace and go when the script ends.\n"
		"set -eu\n"
		"here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
		"lib=${1:-%s}\n"
		"case $lib in /*) ;; *) lib=$(pwd)/$lib ;; esac\n"
		"[ \"$(id -u)\" = 0 ] || { echo \"%s: needs root (network namespaces)\" >&2; exit 2; }\n"
		"${CC:-cc} -O1 -o \"$here/%s\" \"$here/%s.c\" -ldl -lpthread || exit 2\n"
		"exec unshare --mount --net --propagation private sh -eu -c '\n"
		"mount -t tmpfs tmpfs /run 2>/dev/null || mount -t tmpfs tmpfs /tmp\n"
		"mkdir -p /run/netns\n"
		"ip netns add srv\n"
		"ip link set lo up\n"
		"ip -n srv link set lo up\n"
		"ip link add cli0 index %d type veth peer name srv0 index %d netns srv\n"
		"sysctl -qw net.ipv6.conf.cli0.addr_gen_mode=1\n"
		"ip netns exec srv sysctl -qw net.ipv6.conf.srv0.addr_gen_mode=1\n"
		"ip addr add %s/24 dev cli0\n"
		"ip addr add %s/64 dev cli0 nodad\n"
		"ip addr add %s/64 dev cli0 nodad\n"
		"ip -n srv addr add %s/24 dev srv0\n"
		"ip -n srv addr add %s/64 dev srv0 nodad\n"
		"ip -n srv addr add %s/64 dev srv0 nodad\n"
		"ip link set cli0 up\n"
		"ip -n srv link set srv0 up\n"
		"smac=$(ip -n srv -o link show srv0 | sed \"s/.*link.ether \\\\([^ ]*\\\\).*/\\\\1/\")\n"
		"cmac=$(ip -o link show cli0 | sed \"s/.*link.ether \\\\([^ ]*\\\\).*/\\\\1/\")\n"
		"for a in %s %s %s; do ip neigh replace $a lladdr $smac dev cli0 nud permanent; done\n"
		"for a in %s %s %s; do ip -n srv neigh replace $a lladdr $cmac dev srv0 nud permanent; done\n"
		"# a neighbour that never answers: its SYNs leave and are not answered\n"
		"for a in 198.18.0.3 2001:2::3 fe80::3; do ip neigh replace $a lladdr 02:00:5e:00:00:03 dev cli0 nud permanent; done\n"
		"sysctl -qw net.ipv4.ip_local_reserved_ports=" FZ_RESERVED_PORTS "\n"
		"ip netns exec srv sysctl -qw net.ipv4.ip_local_reserved_ports=" FZ_RESERVED_PORTS "\n"
		"sysctl -qw net.ipv4.tcp_fastopen=%ld\n"
		"sysctl -qw net.ipv4.tcp_fastopen_blackhole_timeout_sec=%ld\n"
		"ip netns exec srv sysctl -qw net.ipv4.tcp_fastopen=%ld\n"
		"sleep 0.2\n"
		"exec \"$0\" \"$1\" /run/netns/srv\n"
		"' \"$here/%s\" \"$lib\"\n",
		base, words, base, pr->name, pr->client_tfo, pr->server_tfo,
		pr->server_sockopt ? ", listener with TCP_FASTOPEN" : "", lib,
		base, base, base, t->client_ifindex, t->server_ifindex, c4, c6,
		cl, s4, s6, sl, s4, s6, sl, c4, c6, cl, pr->client_tfo,
		pr->blackhole_sec, pr->server_tfo, base);
	(void)title;
	if (ferror(f))
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && chmod(path, 0755))
		ret = -errno;
	return ret;
}

int fz_repro_write(struct fz_engine *e, const char *dir, const char *name,
		   const struct fz_scn *s, const struct fz_verdict *v,
		   const char *lib_path, const char *title, char *sh,
		   size_t shsize, char *why, size_t whylen)
{
	const struct profile *pr = profile_find(fz_profile_names[s->v[FZ_PROFILE]]);
	const char *no = fz_repro_inexpressible(s);
	char c[1200], words[2048];
	struct topo t;
	int ret;

	(void)e;
	if (no) {
		snprintf(why, whylen, "%s", no);
		return -ENOTSUP;
	}
	if (!pr) {
		snprintf(why, whylen, "unknown profile");
		return -ENOENT;
	}
	/* the addresses and interface indexes of tfocheck's own pair */
	ret = topo_build(&t, TOPO_PAIR, pr);
	if (ret) {
		snprintf(why, whylen, "cannot build the pair topology: %s",
			 strerror(-ret));
		return ret;
	}
	fz_scn_describe(s, words, sizeof(words));
	snprintf(c, sizeof(c), "%s/%s.c", dir, name);
	snprintf(sh, shsize, "%s/%s.sh", dir, name);
	ret = fz_write_c(c, s, v, pr, &t, words);
	if (!ret)
		ret = fz_write_sh(sh, name, lib_path, pr, &t, title, words);
	topo_destroy(&t);
	if (ret)
		snprintf(why, whylen, "writing %s: %s", ret ? sh : c, strerror(-ret));
	return ret;
}

void fz_repro_failures(const struct case_lib *lib, const char *dir,
		       const char *const *names, char (*paths)[RUN_REPRO_PATH],
		       size_t n, int jobs)
{
	struct fz_scn *s = calloc(n, sizeof(*s));
	struct fz_verdict *v = calloc(n, sizeof(*v));
	size_t *of = calloc(n, sizeof(*of)), m = 0;
	struct case_lib ref = { 0 };
	struct fz_engine e = { 0 };
	char err[700], why[400];

	if (!s || !v || !of)
		goto out;
	for (size_t i = 0; i < n; i++) {
		paths[i][0] = 0;
		if (!fz_row_scenario(names[i], &s[m], why, sizeof(why)) &&
		    !fz_repro_inexpressible(&s[m]))
			of[m++] = i;
	}
	if (!m)
		goto out;
	if (libload_open(&ref, "libtfo", run_exe_dir(), err, sizeof(err))) {
		fprintf(stderr, "tfocheck run: no reproducers: %s\n", err);
		goto out;
	}
	if (fz_engine_init(&e, lib, &ref, jobs, 8 * jobs, 20000) ||
	    fz_judge(&e, s, m, true, v)) {
		fprintf(stderr, "tfocheck run: no reproducers: the scenarios could not be judged\n");
		goto done;
	}
	for (size_t k = 0; k < m; k++) {
		char base[RUN_REPRO_PATH], sh[RUN_REPRO_PATH + 600];
		size_t j = 0;

		if (!v[k].diverges || v[k].error)
			continue;
		for (const char *p = names[of[k]]; *p && j + 1 < sizeof(base); p++)
			base[j++] = *p == '/' || *p == '@' ? '_' : *p;
		base[j] = 0;
		if (!fz_repro_write(&e, dir, base, &s[k], &v[k], lib->path,
				    names[of[k]], sh, sizeof(sh), why, sizeof(why)) &&
		    strlen(sh) < RUN_REPRO_PATH)
			snprintf(paths[of[k]], RUN_REPRO_PATH, "%s", sh);
	}
done:
	fz_engine_done(&e);
	libload_close(&ref);
out:
	free(s);
	free(v);
	free(of);
}

static void repro_usage(FILE *f)
{
	fprintf(f, "usage: tfocheck repro FUZZ_ID|CASE@PROFILE/FAMILY --lib PATH|libowfat|libtfo\n"
		   "                      [--out DIR] [--reference LIB]\n"
		   "  writes DIR/ID.c and DIR/ID.sh (default DIR .; ID the scenario's id), a\n"
		   "  reproducer that runs without tfocheck: `sh DIR/ID.sh [LIBRARY]`\n"
		   "exit: 0 written, 1 nothing to reproduce (no divergence, or the scenario\n"
		   "      cannot be written), 2 usage, 77 no namespaces, 99 library not loadable\n");
}

int repro_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lib", required_argument, NULL, 'l' },
		{ "out", required_argument, NULL, 'o' },
		{ "reference", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *libname = NULL, *out = ".", *refname = "libtfo", *id;
	struct case_lib lib = { 0 }, ref = { 0 };
	struct fz_engine e = { 0 };
	struct fz_verdict v;
	struct fz_scn s;
	char err[700], sh[1200], why[400], name[FZ_ID_MAX];
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': libname = optarg; break;
		case 'o': out = optarg; break;
		case 'r': refname = optarg; break;
		case 'h': repro_usage(stdout); return 0;
		default: repro_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || !libname) {
		repro_usage(stderr);
		return EXIT_USAGE;
	}
	id = argv[optind];
	if (fz_scn_parse(id, &s)) {
		ret = fz_row_scenario(id, &s, why, sizeof(why));
		if (ret == -ENOTSUP) {
			fprintf(stderr, "tfocheck repro: %s: %s\n", id, why);
			return 1;
		}
		if (ret) {
			fprintf(stderr, "tfocheck repro: '%s' is neither a fuzz scenario id (fz1-...) nor a case instance (ID@PROFILE/FAMILY)\n",
				id);
			return EXIT_USAGE;
		}
		fz_scn_id(&s, name, sizeof(name));
		printf("tfocheck repro: %s is scenario %s\n", id, name);
		id = name;
	}
	if (fz_repro_inexpressible(&s)) {
		fprintf(stderr, "tfocheck repro: %s: %s\n", id, fz_repro_inexpressible(&s));
		return 1;
	}
	if (mkdir(out, 0755) && errno != EEXIST) {
		fprintf(stderr, "tfocheck repro: cannot create --out '%s': %s\n", out,
			strerror(errno));
		return EXIT_USAGE;
	}
	if (libload_open(&lib, libname, run_exe_dir(), err, sizeof(err)) ||
	    libload_open(&ref, refname, run_exe_dir(), err, sizeof(err))) {
		fprintf(stderr, "tfocheck repro: %s\n", err);
		ret = EXIT_HARNESS;
		goto out;
	}
	if (run_isolate(why, sizeof(why))) {
		fprintf(stderr, "tfocheck repro: %s\n", why);
		ret = EXIT_NOTHING_RAN;
		goto out;
	}
	if (fz_engine_init(&e, &lib, &ref, 1, 1, 20000) ||
	    fz_judge(&e, &s, 1, true, &v) || v.error) {
		fprintf(stderr, "tfocheck repro: %s: the scenario could not be judged\n", id);
		ret = EXIT_HARNESS;
		goto done;
	}
	if (!v.diverges) {
		printf("tfocheck repro: %s: %s behaves as the reference here; nothing to reproduce\n",
		       id, lib.path);
		ret = 1;
		goto done;
	}
	if (fz_repro_write(&e, out, id, &s, &v, lib.path, id, sh, sizeof(sh),
			   why, sizeof(why))) {
		fprintf(stderr, "tfocheck repro: %s\n", why);
		ret = 1;
		goto done;
	}
	printf("%s\n", sh);
	ret = 0;
done:
	fz_engine_done(&e);
out:
	if (lib.handle)
		libload_close(&lib);
	if (ref.handle)
		libload_close(&ref);
	return ret;
}
