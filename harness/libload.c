/* SPDX-License-Identifier: MIT */
/*
 * dlopen()ing the library under test (see libload.h).  RTLD_LOCAL keeps
 * its symbols out of the global scope so two libraries under test, or a
 * library and the tool itself, never interpose on each other.
 */
#include "harness/libload.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const owfat_candidates[] = {
	"libowfat.so.0",
	"/usr/lib/libowfat.so.0",
	"/usr/lib/x86_64-linux-gnu/libowfat.so.0",
};

/*
 * Run argv (no shell: nothing in a path is interpreted) with stdout into
 * out (at most size-1 bytes, NUL-terminated, the first line only).
 * 0 when it exited 0, -errno or -ECHILD otherwise.
 */
static int run_capture_line(char *const argv[], char *out, size_t size)
{
	posix_spawn_file_actions_t fa;
	int p[2], status, ret;
	size_t off = 0;
	pid_t pid;

	out[0] = 0;
	if (pipe2(p, O_CLOEXEC))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	ret = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (ret) {
		close(p[0]);
		return -ret;
	}
	for (;;) {
		ssize_t n = read(p[0], out + off, size - 1 - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
		if (off == size - 1)
			break;
	}
	out[off] = 0;
	out[strcspn(out, "\n")] = 0;
	close(p[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

/* Debian: the package owning the file tells its version. */
static void libload_version(struct case_lib *l)
{
	char dir[PATH_MAX], real[PATH_MAX], file[PATH_MAX + 1], line[700],
		ver[128];
	const char *base;

	l->version[0] = 0;
	/* dpkg -S scans every file list: ask only for files a package can
	 * own; the libtfo next to the tool in a build tree is "in-tree", the
	 * one libtfo1 installed is named by its package like any other */
	if (strncmp(l->path, "/usr/", 5) && strncmp(l->path, "/lib", 4)) {
		if (!strcmp(l->alias, "libtfo"))
			snprintf(l->version, sizeof(l->version),
				 "libtfo (in-tree)");
		return;
	}
	/* dpkg knows /usr/lib/x, not /lib/x (merged /usr): resolve the
	 * directory, keep the file name (the soname link is registered) */
	base = strrchr(l->path, '/');
	snprintf(dir, sizeof(dir), "%.*s", (int)(base - l->path), l->path);
	if (!realpath(dir, real) ||
	    snprintf(file, sizeof(file), "%s%s", real, base) >= (int)sizeof(file))
		return;
	{
		char *const dpkg[] = { "dpkg-query", "-S", file, NULL };

		if (run_capture_line(dpkg, line, sizeof(line)) || !line[0])
			return;
	}
	/* "libowfat0:amd64: /usr/lib/..." -> "libowfat0:amd64" */
	line[strcspn(line, " ")] = 0;
	if (line[0] && line[strlen(line) - 1] == ':')
		line[strlen(line) - 1] = 0;
	{
		char *const query[] = { "dpkg-query", "-W", "-f=${Version}",
					line, NULL };

		if (run_capture_line(query, ver, sizeof(ver)))
			ver[0] = 0;
	}
	snprintf(l->version, sizeof(l->version), "%.60s %.60s", line, ver);
}

int libload_open(struct case_lib *l, const char *name, const char *exe_dir,
		 char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct link_map *lm = NULL;

	memset(l, 0, sizeof(*l));
	if (strlen(name) + 2 >= sizeof(path) ||
	    strlen(exe_dir) + 32 >= sizeof(path)) {
		snprintf(err, errlen, "cannot load library '%.200s...': the path is longer than PATH_MAX (%d)",
			 name, PATH_MAX);
		return -ENAMETOOLONG;
	}
	if (!strcmp(name, "libtfo")) {
		/* in the build tree beside build/tfocheck; installed in
		 * PREFIX/lib beside PREFIX/bin; else the library path */
		static const char *const fmt[] = { "%s/libtfo.so",
						   "%s/../lib/libtfo.so.1",
						   "libtfo.so.1" };

		snprintf(l->alias, sizeof(l->alias), "libtfo");
		for (size_t i = 0; !l->handle && i < 3; i++) {
			snprintf(path, sizeof(path), fmt[i], exe_dir);
			l->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		}
	} else if (!strcmp(name, "libowfat")) {
		snprintf(l->alias, sizeof(l->alias), "libowfat");
		for (size_t i = 0; !l->handle && i < 3; i++) {
			snprintf(path, sizeof(path), "%s", owfat_candidates[i]);
			l->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		}
	} else {
		/* dlopen() searches the library path for names without a
		 * slash; a user naming a file means that file */
		if (!strchr(name, '/') && access(name, F_OK) == 0)
			snprintf(path, sizeof(path), "./%s", name);
		else
			snprintf(path, sizeof(path), "%s", name);
		l->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	}
	if (!l->handle) {
		const char *e = dlerror();

		snprintf(err, errlen, "cannot load library '%s': %s", name,
			 e ? e : "unknown error");
		return -ENOENT;
	}
	if (dlinfo(l->handle, RTLD_DI_LINKMAP, &lm) == 0 && lm && lm->l_name &&
	    lm->l_name[0])
		snprintf(l->path, sizeof(l->path), "%s", lm->l_name);
	else
		snprintf(l->path, sizeof(l->path), "%s", path);
	*(void **)&l->fo_connect4 = dlsym(l->handle, "socket_fastopen_connect4");
	*(void **)&l->fo_connect6 = dlsym(l->handle, "socket_fastopen_connect6");
	*(void **)&l->connected = dlsym(l->handle, "socket_connected");
	*(void **)&l->connectx = dlsym(l->handle, "connectx");
	*(void **)&l->disconnectx = dlsym(l->handle, "disconnectx");
	libload_version(l);
	return 0;
}

int libload_check_api(const struct case_lib *l, enum case_api api, char *err,
		      size_t errlen)
{
	const char *missing = NULL;

	switch (api) {
	case API_OWFAT:
		if (!l->fo_connect4)
			missing = "socket_fastopen_connect4";
		else if (!l->fo_connect6)
			missing = "socket_fastopen_connect6";
		break;
	case API_CONNECTX:
		if (!l->connectx)
			missing = "connectx";
		else if (!l->disconnectx)
			missing = "disconnectx";
		break;
	default:
		break;
	}
	if (!missing)
		return 0;
	snprintf(err, errlen, "library '%s' does not export %s (needed by --api %s)",
		 l->path, missing, case_api_name(api));
	return -ENOENT;
}

void libload_close(struct case_lib *l)
{
	if (l->handle)
		dlclose(l->handle);
	l->handle = NULL;
}
