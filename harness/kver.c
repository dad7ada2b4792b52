/* SPDX-License-Identifier: MIT */
/*
 * Running kernel version (see kver.h).
 */
#include "harness/kver.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

static struct {
	pthread_once_t once;
	int err;
	unsigned v[3];
} kver_cache = { .once = PTHREAD_ONCE_INIT };

/* Parse a decimal number of at most 6 digits at *p, advancing *p. */
static int kver_num(const char **p, unsigned *out)
{
	unsigned n = 0, digits = 0;

	while (**p >= '0' && **p <= '9') {
		if (++digits > 6)
			return -EINVAL;
		n = n * 10 + (unsigned)(**p - '0');
		(*p)++;
	}
	if (!digits)
		return -EINVAL;
	*out = n;
	return 0;
}

int kver_parse(const char *release, unsigned *major, unsigned *minor,
	       unsigned *patch)
{
	const char *p = release;
	unsigned v[3] = { 0, 0, 0 };

	if (!p || kver_num(&p, &v[0]) || *p++ != '.' || kver_num(&p, &v[1]))
		return -EINVAL;
	if (*p == '.') {
		p++;
		if (kver_num(&p, &v[2]))
			return -EINVAL;
	}
	if (major)
		*major = v[0];
	if (minor)
		*minor = v[1];
	if (patch)
		*patch = v[2];
	return 0;
}

/*
 * Debian: release "6.1.0-56-cloud-amd64", version "#1 SMP PREEMPT_DYNAMIC
 * Debian 6.1.192-2 (...)".  Take the sublevel from the version string when
 * it names the same major.minor.
 */
static void kver_debian_patch(const char *version, unsigned v[3])
{
	const char *d = strstr(version, "Debian ");
	unsigned maj, min, pat;

	if (d && !kver_parse(d + strlen("Debian "), &maj, &min, &pat) &&
	    maj == v[0] && min == v[1] && pat > v[2])
		v[2] = pat;
}

static void kver_init(void)
{
	const char *env = getenv("TFOCHECK_KVER");
	struct utsname u;

	if (env && *env) {
		kver_cache.err = kver_parse(env, &kver_cache.v[0],
					    &kver_cache.v[1], &kver_cache.v[2]);
		return;
	}
	if (uname(&u)) {
		kver_cache.err = -errno;
		return;
	}
	kver_cache.err = kver_parse(u.release, &kver_cache.v[0],
				    &kver_cache.v[1], &kver_cache.v[2]);
	if (!kver_cache.err)
		kver_debian_patch(u.version, kver_cache.v);
}

int kver_current(unsigned *major, unsigned *minor, unsigned *patch)
{
	bool ok;

	pthread_once(&kver_cache.once, kver_init);
	ok = !kver_cache.err;
	if (major)
		*major = ok ? kver_cache.v[0] : 0;
	if (minor)
		*minor = ok ? kver_cache.v[1] : 0;
	if (patch)
		*patch = ok ? kver_cache.v[2] : 0;
	return kver_cache.err;
}

bool kver_at_least3(unsigned maj, unsigned min, unsigned patch)
{
	unsigned v[3];

	if (kver_current(&v[0], &v[1], &v[2]))
		return false;
	if (v[0] != maj)
		return v[0] > maj;
	if (v[1] != min)
		return v[1] > min;
	return v[2] >= patch;
}

bool kver_at_least(unsigned maj, unsigned min)
{
	return kver_at_least3(maj, min, 0);
}
