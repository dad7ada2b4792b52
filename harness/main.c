/* SPDX-License-Identifier: MIT */
/*
 * tfocheck: conformance suite and kernel capability checker for TCP Fast
 * Open client APIs.  main() only dispatches to the subcommands; each
 * returns the process exit status and nothing else calls exit().
 */
#include <stdio.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "harness/run.h"
#include "util/util.h"
#include "probes/probe.h"
#include "reports/report.h"


static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
} subcommands[] = {
	{ "probe", probe_main, "report what this kernel offers a TFO client" },
	{ "run", run_main, "run conformance cases against a library" },
	{ "list", list_main, "list cases with their clauses, profiles, faults" },
	{ "report", report_main, "results files as one report: failing clauses first, then the matrix" },
	{ "diff", diff_main, "compare two results files; exit 1 on regressions" },
	{ "fuzz", fuzz_main, "differential fuzzing of a library against the reference" },
	{ "repro", repro_main, "write a self-contained reproducer for a FAIL or a divergence" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: tfocheck COMMAND [ARGS]   (tfocheck COMMAND --help)\n\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-8s %s\n", subcommands[i].name, subcommands[i].what);
	fprintf(f, "\nSee tfocheck(1).\n");
}

int main(int argc, char **argv)
{
	/* `run` keeps a reproducer beside each FAIL's pcap (fuzz/ writes it) */
	run_set_repro_hook(fz_repro_failures);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("tfocheck %s\n", TFOCHECK_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "tfocheck: unknown command '%s' (try tfocheck --help)\n",
		argv[1]);
	return EXIT_USAGE;
}
