/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck probe` command line (see probe.h): parse the options, gather
 * the report, decide the verdict, render it in the chosen form, and say
 * on stderr why when the client is not usable.
 */
#include "probes/probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probes/gather.h"
#include "probes/render.h"
#include "probes/verdict.h"

enum probe_form { FORM_TEXT, FORM_JSON, FORM_MACROS };

struct probe_cli {
	enum probe_form form;
	bool live;
	bool help;
	struct probe_render_opts render;
};

static void usage(FILE *f)
{
	fputs("usage: tfocheck probe [--json | --macros] [--verbose] [--no-live]\n"
	      "\n"
	      "Report what this kernel and this network namespace offer a TCP Fast\n"
	      "Open client: net.ipv4.tcp_fastopen decoded, run-time support for\n"
	      "MSG_FASTOPEN and the TCP_FASTOPEN* options, cached cookies, TcpExt\n"
	      "counters, isolation, and a live TFO exchange in private namespaces.\n"
	      "Never changes the host: every write happens in private namespaces.\n"
	      "\n"
	      "  --json      JSON (schema in docs/probe-json.md)\n"
	      "  --macros    C #define HAVE_TFO_* lines for build systems\n"
	      "  -v, --verbose  cached destinations and cookies, per-connection detail\n"
	      "  --no-live   skip the live exchange\n"
	      "  -h, --help  this text\n"
	      "\n"
	      "Exit status: 0 TFO client usable, 1 not usable (reason on stderr),\n"
	      "2 usage error.  NO_COLOR (any non-empty value) disables colour.\n",
	      f);
}

static int parse_args(int argc, char **argv, struct probe_cli *c)
{
	const char *nc = getenv("NO_COLOR");
	bool json = false, macros = false;

	*c = (struct probe_cli){ .form = FORM_TEXT, .live = true };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json"))
			json = true;
		else if (!strcmp(a, "--macros"))
			macros = true;
		else if (!strcmp(a, "--verbose") || !strcmp(a, "-v"))
			c->render.verbose = true;
		else if (!strcmp(a, "--no-live"))
			c->live = false;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			c->help = true;
		else {
			fprintf(stderr, "tfocheck probe: %s `%s' (see tfocheck probe --help)\n",
				a[0] == '-' ? "unknown option" : "unexpected argument", a);
			return -EINVAL;
		}
	}
	if (json && macros) {
		fprintf(stderr, "tfocheck probe: `--json' and `--macros' cannot be combined\n");
		return -EINVAL;
	}
	c->form = json ? FORM_JSON : macros ? FORM_MACROS : FORM_TEXT;
	c->render.color = isatty(STDOUT_FILENO) && !(nc && nc[0]);
	return 0;
}

int probe_main(int argc, char **argv)
{
	struct probe_report *r;
	struct probe_cli c;
	int ret = 0;

	if (parse_args(argc, argv, &c) < 0)
		return PROBE_EXIT_USAGE;
	if (c.help) {
		usage(stdout);
		return 0;
	}
	/* several kB of plain data (cached destinations): not for the stack */
	r = calloc(1, sizeof(*r));
	if (!r) {
		fprintf(stderr, "tfocheck probe: out of memory\n");
		return PROBE_EXIT_UNUSABLE;
	}
	probe_gather(r, c.live);
	probe_verdict_decide(r);
	switch (c.form) {
	case FORM_JSON:
		ret = probe_render_json(stdout, r, &c.render);
		break;
	case FORM_MACROS:
		probe_render_macros(stdout, r);
		break;
	case FORM_TEXT:
		probe_render_text(stdout, r, &c.render);
		break;
	}
	fflush(stdout);
	if (ret < 0) {
		fprintf(stderr, "tfocheck probe: cannot write the JSON report: %s\n",
			strerror(-ret));
		ret = PROBE_EXIT_UNUSABLE;
	} else {
		if (!r->usable)
			fprintf(stderr, "tfocheck probe: TFO client not usable: %s\n", r->why);
		ret = probe_verdict_exit_code(r);
	}
	free(r);
	return ret;
}
