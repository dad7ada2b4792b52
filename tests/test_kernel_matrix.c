/* SPDX-License-Identifier: MIT */
/*
 * Kernel matrix (docs/kernel-matrix.md): the kver helpers, and one quick
 * trip through the initramfs/boot/result-return path — the newest Debian
 * 6.1 cloud kernel under qemu (TCG) running two smoke instances, whose
 * results must come back over the framed serial channel as a valid
 * tfocheck-results/1 document with PASS results from the guest kernel.
 * Skipped when qemu, busybox or kmod are missing or the kernel package
 * cannot be had (scripts/kernel-matrix.sh exit 3).  About 10-15 s cached.
 */
#include "tests/testlib.h"

#include "harness/kver.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define KM_SCRIPT "scripts/kernel-matrix.sh"
/* a directory per run (results, work files), so that two runs of the
 * test -- two checkouts, two CI jobs -- never share one; the kernel
 * package cache and the initramfs cache stay shared (their entries are
 * written to a temporary name and renamed) */
#define KM_DIR_TEMPLATE "/tmp/tfocheck-kmatrix-XXXXXX"

static void test_kver_parse(void)
{
	unsigned a = 9, b = 9, c = 9;

	CU_ASSERT_EQUAL(kver_parse("6.1.0-56-cloud-amd64", &a, &b, &c), 0);
	CU_ASSERT(a == 6 && b == 1 && c == 0);
	CU_ASSERT_EQUAL(kver_parse("6.12.117+deb12-cloud-amd64", &a, &b, &c), 0);
	CU_ASSERT(a == 6 && b == 12 && c == 117);
	CU_ASSERT_EQUAL(kver_parse("6.18", &a, &b, &c), 0);
	CU_ASSERT(a == 6 && b == 18 && c == 0);
	CU_ASSERT_EQUAL(kver_parse("5", &a, &b, &c), -EINVAL);
	CU_ASSERT_EQUAL(kver_parse("x.1", &a, &b, &c), -EINVAL);
	CU_ASSERT_EQUAL(kver_parse("", NULL, NULL, NULL), -EINVAL);
	CU_ASSERT_EQUAL(kver_parse(NULL, NULL, NULL, NULL), -EINVAL);
	CU_ASSERT_EQUAL(kver_parse("1234567.1", NULL, NULL, NULL), -EINVAL);
}

static void test_kver_current(void)
{
	struct utsname u;
	unsigned a, b, c, ua, ub;

	CU_ASSERT_FATAL(uname(&u) == 0);
	if (getenv("TFOCHECK_KVER")) {
		test_skip("TFOCHECK_KVER is set: uname is not consulted");
		return;
	}
	CU_ASSERT_EQUAL_FATAL(kver_current(&a, &b, &c), 0);
	CU_ASSERT_EQUAL_FATAL(kver_parse(u.release, &ua, &ub, NULL), 0);
	CU_ASSERT(a == ua && b == ub);
	CU_ASSERT(kver_at_least(a, b));
	CU_ASSERT(kver_at_least(a - 1, 999));
	CU_ASSERT(!kver_at_least(a, b + 1));
	CU_ASSERT(!kver_at_least(a + 1, 0));
	CU_ASSERT(kver_at_least3(a, b, c));
	CU_ASSERT(!kver_at_least3(a, b, c + 1));
}

static bool in_path(const char *prog)
{
	char *path = getenv("PATH"), *copy, *dir, *save = NULL, buf[4096];
	bool found = false;

	if (!path)
		return false;
	copy = strdup(path);
	if (!copy)
		return false;
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(buf, sizeof(buf), "%s/%s", dir, prog);
		found = access(buf, X_OK) == 0;
	}
	free(copy);
	return found;
}

/* Every result PASS, at least one, and run under a kernel other than ours. */
static void check_result_doc(const char *path)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr), *res, *r;
	const char *schema, *kernel;
	struct utsname u;
	size_t i, pass = 0;

	/* not _FATAL: the caller still removes the run's directory */
	CU_ASSERT_PTR_NOT_NULL(doc);
	if (!doc) {
		fprintf(stderr, "\n    %s: %s\n", path, jerr.text);
		return;
	}
	schema = json_string_value(json_object_get(doc, "schema"));
	CU_ASSERT(schema && !strcmp(schema, "tfocheck-results/1"));
	kernel = json_string_value(json_object_get(json_object_get(doc, "platform"), "kernel"));
	CU_ASSERT_PTR_NOT_NULL(kernel);
	if (kernel && !uname(&u)) {
		CU_ASSERT(strcmp(kernel, u.release) != 0);
		CU_ASSERT(!strncmp(kernel, "6.1.", 4));
	}
	res = json_object_get(doc, "results");
	CU_ASSERT(json_is_array(res) && json_array_size(res) > 0);
	json_array_foreach(res, i, r) {
		const char *st = json_string_value(json_object_get(r, "status"));

		if (st && !strcmp(st, "PASS"))
			pass++;
		else
			fprintf(stderr, "\n    %s: %s (%s)\n",
				json_string_value(json_object_get(r, "name")),
				st ? st : "?",
				json_string_value(json_object_get(r, "message")));
	}
	CU_ASSERT(pass > 0 && pass == json_array_size(res));
	json_decref(doc);
}

static void test_boot_one_kernel(void)
{
	char dir[] = KM_DIR_TEMPLATE, outdir[64], work[64], result[128];
	char *const argv[] = { "env", work, KM_SCRIPT, "--kernels", "6.1",
			       "--api", "smoke", "--filter", "smoke.unroutable*",
			       "--out", outdir, "--no-report",
			       "--timeout", "60", NULL };
	char *const rm[] = { "rm", "-rf", dir, NULL };
	const char *need[] = { "qemu-system-x86_64", "busybox", "depmod",
			       "modprobe", "apt-get" };
	char *out = NULL, *err = NULL;
	int rc;

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!in_path(need[i])) {
			test_skip("kernel matrix: '%s' not installed (make deps TFOCHECK_EXTRA_PKGS=\"qemu-system-x86 busybox-static kmod\")",
				  need[i]);
			return;
		}
	if (access(TEST_TFOCHECK, X_OK) || access(TEST_LIBTFO, R_OK)) {
		test_skip("kernel matrix: %s or %s not built", TEST_TFOCHECK, TEST_LIBTFO);
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(outdir, sizeof(outdir), "%s/out", dir);
	snprintf(work, sizeof(work), "KMATRIX_WORK=%s/work", dir);
	snprintf(result, sizeof(result), "%s/results/01-6.1-libtfo.json", outdir);
	rc = test_run_capture(argv, &out, &err, 90000);
	if (rc == 3) {
		test_skip("kernel matrix: nothing could boot (no kernel package?): %s",
			  err ? err : "");
	} else {
		if (rc != 0)
			fprintf(stderr, "\n%s exit %d:\n%s%s\n", KM_SCRIPT, rc,
				out ? out : "", err ? err : "");
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT(out && strstr(out, " pass, 0 fail"));
		if (rc == 0)
			check_result_doc(result);
	}
	test_run_capture(rm, NULL, NULL, 30000);
	free(out);
	free(err);
}

TEST_SUITE(kernel_matrix, NULL, NULL,
	   { "kver_parse", test_kver_parse },
	   { "kver_current", test_kver_current },
	   { "boot_one_kernel", test_boot_one_kernel })
