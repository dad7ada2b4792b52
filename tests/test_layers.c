/* SPDX-License-Identifier: MIT */
/*
 * The dependency rule of docs/architecture.md, enforced: every
 * `#include "dir/..."` in a module's sources must name a module the rule
 * lets it build on.  The checker walks a tree given by its root, so the
 * test runs it on this tree (no violation allowed) and on a planted tree
 * under /tmp (the violation must be reported), proving it can fail.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/testlib.h"
#include "util/util.h"

/*
 * Layers, bottom up.  A module may include its own headers and those
 * listed; "util/tfo_uapi.h" names one header where a module may use only
 * that one of its layer (libtfo is built without the rest of util/).
 */
static const struct layer_rule {
	const char *dir;
	const char *may[8];
} layer_rules[] = {
	{ "util", { NULL } },
	{ "include/libtfo", { NULL } },
	{ "lib", { "libtfo", "util/tfo_uapi.h", NULL } },
	{ "netns", { "util", NULL } },
	{ "reports", { "util", NULL } },
	{ "probes", { "util", "netns", NULL } },
	{ "harness", { "util", "netns", "reports", "probes", "libtfo", NULL } },
	{ "cases", { "util", "netns", "harness", "libtfo", NULL } },
	{ "fuzz", { "util", "netns", "reports", "probes", "harness", "cases", "libtfo", NULL } },
};

/* Does rule r allow a file in r->dir to include path ("netns/topo.h")? */
static bool layer_allows(const struct layer_rule *r, const char *path)
{
	const char *own = strrchr(r->dir, '/') ? strrchr(r->dir, '/') + 1 :
						 r->dir;
	size_t n;

	if (!strchr(path, '/'))
		return true; /* a sibling in the same directory */
	n = strcspn(path, "/");
	if (strlen(own) == n && !strncmp(path, own, n))
		return true;
	for (const char *const *m = r->may; *m; m++) {
		if (strchr(*m, '.') ? !strcmp(path, *m) :
				      strlen(*m) == n && !strncmp(path, *m, n))
			return true;
	}
	return false;
}

/* Check every .c/.h of root/r->dir; violations appended to out. */
static int layer_check_dir(const char *root, const struct layer_rule *r,
			   char *out, size_t size, size_t *off, int *count)
{
	char dir[1024];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", root, r->dir);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		char path[1400], line[512];
		FILE *f;
		int lineno = 0;

		if (l < 3 || (strcmp(e->d_name + l - 2, ".c") &&
			      strcmp(e->d_name + l - 2, ".h")))
			continue;
		/* the top: it dispatches to every subcommand */
		if (!strcmp(r->dir, "harness") && !strcmp(e->d_name, "main.c"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			char inc[256];

			lineno++;
			if (sscanf(line, " #include \"%255[^\"]\"", inc) != 1)
				continue;
			if (layer_allows(r, inc))
				continue;
			(*count)++;
			util_appendf(out, size, off, "%s/%s:%d includes \"%s\"\n",
				     r->dir, e->d_name, lineno, inc);
		}
		fclose(f);
	}
	closedir(d);
	return 0;
}

/* Number of violations under root (their lines in out), or -errno. */
static int layer_check_tree(const char *root, char *out, size_t size)
{
	size_t off = 0;
	int count = 0;

	out[0] = 0;
	for (size_t i = 0; i < sizeof(layer_rules) / sizeof(layer_rules[0]);
	     i++) {
		int ret = layer_check_dir(root, &layer_rules[i], out, size,
					  &off, &count);

		if (ret)
			return ret;
	}
	return count;
}

static void test_tree_follows_rule(void)
{
	char out[8192];
	int n = layer_check_tree(".", out, sizeof(out));

	CU_ASSERT_EQUAL(n, 0);
	if (n)
		fprintf(stderr, "\n  dependency rule broken (docs/architecture.md):\n%s",
			out);
}

static int plant(const char *root, const char *rel, const char *text)
{
	char path[512], dir[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = 0;
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(text, f);
	fclose(f);
	return 0;
}

/* Planted violations are found, with file and line; allowed ones are not. */
static void test_planted_violation_found(void)
{
	char root[] = "/tmp/tfocheck-layers-XXXXXX", out[4096], cmd[64];
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(root));
	/* upward: netns may not build on the harness */
	CU_ASSERT_EQUAL(plant(root, "netns/bad.c",
			      "#include \"netns/topo.h\"\n#include \"util/util.h\"\n"
			      "#include \"harness/case.h\"\n"), 0);
	/* libtfo may use the uapi header of util/, nothing else there */
	CU_ASSERT_EQUAL(plant(root, "lib/x.c",
			      "#include \"util/tfo_uapi.h\"\n#include \"util/util.h\"\n"), 0);
	/* allowed: cases on harness */
	CU_ASSERT_EQUAL(plant(root, "cases/ok.c", "#include \"harness/case.h\"\n"), 0);
	n = layer_check_tree(root, out, sizeof(out));
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "netns/bad.c:3 includes \"harness/case.h\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "lib/x.c:2 includes \"util/util.h\""));
	CU_ASSERT_PTR_NULL(strstr(out, "cases/ok.c"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	(void)!system(cmd);
}

TEST_SUITE(layers, NULL, NULL,
	   { "the tree follows the dependency rule", test_tree_follows_rule },
	   { "a planted violation is reported", test_planted_violation_found })
