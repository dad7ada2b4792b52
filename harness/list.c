/* SPDX-License-Identifier: MIT */
/*
 * `tfocheck list`: the case rows with their clause, families and
 * profiles, the profiles, the faults.  Reads the tables and the profile
 * and fault catalogues only; nothing runs.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "harness/run.h"
#include "harness/run_int.h"
#include "util/util.h"

static void families_str(const struct case_def *d, char *buf, size_t size)
{
	unsigned int m = d->families ? d->families : FAMS_IP;
	size_t off = 0;

	buf[0] = 0;
	if (d->once) {
		snprintf(buf, size, "-");
		return;
	}
	for (int f = 0; f < FAM_MAX; f++)
		if (m & (1u << f))
			util_appendf(buf, size, &off, "%s%s", off ? "," : "",
				     topo_family_name((enum topo_family)f));
}

/* The profiles a row runs in, by name, whichever way the row chose. */
static void profiles_str(const struct case_def *d, char *buf, size_t size)
{
	size_t off = 0, n = 0;

	buf[0] = 0;
	for (size_t p = 0; p < profile_count; p++) {
		const struct profile *pr = &profile_table[p];
		bool in = d->profile_if ? d->profile_if(pr) :
			  d->profiles ? expand_list_has(d->profiles, pr->name) :
					pr == profile_default();

		if (in) {
			util_appendf(buf, size, &off, "%s%s", n ? "," : "",
				     pr->name);
			n++;
		}
	}
	if (n == profile_count)
		snprintf(buf, size, "*");
}

static void list_usage(FILE *f)
{
	fprintf(f, "usage: tfocheck list [--api API[,API]] | --profiles | --faults\n");
}

int list_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "profiles", no_argument, NULL, 'P' },
		{ "faults", no_argument, NULL, 'F' },
		{ "api", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	bool profiles = false, faults = false;
	unsigned int apis = (1u << API_MAX) - 1 - (1u << API_SELFTEST);
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'P':
			profiles = true;
			break;
		case 'F':
			faults = true;
			break;
		case 'a':
			if (case_api_parse(optarg, &apis)) {
				fprintf(stderr, "tfocheck list: unknown API in '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			list_usage(stdout);
			return 0;
		default:
			list_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tfocheck list: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (profiles) {
		printf("%-20s %-8s %-8s %-8s %s\n", "PROFILE", "CLIENT", "SERVER",
		       "SOCKOPT", "SUMMARY");
		for (size_t i = 0; i < profile_count; i++) {
			const struct profile *p = &profile_table[i];

			printf("%-20s 0x%-6lx 0x%-6lx %-8s %s\n", p->name,
			       p->client_tfo, p->server_tfo,
			       p->server_sockopt ? "yes" : "no", p->summary);
		}
		return 0;
	}
	if (faults) {
		for (int f = FAULT_NONE + 1; f < FAULT_MAX; f++)
			printf("%-24s %s\n", fault_name((enum fault)f),
			       fault_doc((enum fault)f));
		return 0;
	}
	for (const struct case_table *t = case_tables(); t; t = t->next)
		for (size_t r = 0; r < t->count; r++) {
			const struct case_def *d = &t->rows[r];
			char fams[96], profs[512];

			if (!(apis & (1u << d->api)))
				continue;
			families_str(d, fams, sizeof(fams));
			profiles_str(d, profs, sizeof(profs));
			printf("%s\n    api: %s  clause id: %s  topology: %s  fault: %s  families: %s  profiles: %s\n"
			       "    expects: %s\n    clause: \"%s\"\n",
			       d->id, case_api_name(d->api),
			       d->clause_id ? d->clause_id : "-",
			       d->topo == TOPO_ROUTED ? "routed" : "pair",
			       d->fault ? fault_name(d->fault) : "none", fams,
			       profs, d->expect, d->clause);
		}
	return 0;
}
