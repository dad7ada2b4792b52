/* SPDX-License-Identifier: MIT */
/*
 * dlopen()ing the library under test (see libload.h).  RTLD_LOCAL keeps
 * its symbols out of the global scope so two libraries under test, or a
 * library and the tool itself, never interpose on each other.
 */
#include "harness/libload.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const owfat_candidates[] = {
	"libowfat.so.0",
	"/usr/lib/libowfat.so.0",
	"/usr/lib/x86_64-linux-gnu/libowfat.so.0",
};

static void libload_version(struct case_lib *l)
{
	char line[700], dir[512], real[PATH_MAX];
	const char *base;
	FILE *p;

	l->version[0] = 0;
	if (!strcmp(l->alias, "libtfo")) {
		snprintf(l->version, sizeof(l->version), "libtfo (in-tree)");
		return;
	}
	/* Debian: the package owning the file tells its version; dpkg -S
	 * scans every file list, so ask only for files a package can own */
	if ((strncmp(l->path, "/usr/", 5) && strncmp(l->path, "/lib", 4)) ||
	    strchr(l->path, '\'')) /* it is quoted for the shell below */
		return;
	/* dpkg knows /usr/lib/x, not /lib/x (merged /usr): resolve the
	 * directory, keep the file name (the soname link is registered) */
	base = strrchr(l->path, '/');
	snprintf(dir, sizeof(dir), "%.*s", (int)(base - l->path), l->path);
	if (!realpath(dir, real))
		return;
	snprintf(line, sizeof(line),
		 "dpkg -S '%.400s%.200s' 2>/dev/null | head -1 | cut -d: -f1",
		 real, base);
	p = popen(line, "r");
	if (!p)
		return;
	if (fgets(line, sizeof(line), p)) {
		char cmd[800], ver[64] = "";
		FILE *q;

		line[strcspn(line, "\n")] = 0;
		snprintf(cmd, sizeof(cmd),
			 "dpkg-query -W -f='${Version}' '%s' 2>/dev/null",
			 line);
		q = popen(cmd, "r");
		if (q) {
			if (!fgets(ver, sizeof(ver), q))
				ver[0] = 0;
			pclose(q);
		}
		if (line[0])
			snprintf(l->version, sizeof(l->version), "%.60s %.60s",
				 line, ver);
	}
	pclose(p);
}

int libload_open(struct case_lib *l, const char *name, const char *exe_dir,
		 char *err, size_t errlen)
{
	char path[512];
	struct link_map *lm = NULL;

	memset(l, 0, sizeof(*l));
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
