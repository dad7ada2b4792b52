/* SPDX-License-Identifier: MIT */
/*
 * Pieces every report format needs (see report_int.h).  Output goes to a
 * temporary file beside the target and is renamed at the end, because a
 * CI step that uploads "whatever is there" must never pick up half a
 * report, and `tfocheck report` promises to write nothing on bad input.
 */
#include "reports/report_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *report_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

double report_num(const json_t *obj, const char *key)
{
	return json_number_value(json_object_get(obj, key));
}

enum outcome report_result_status(const json_t *r)
{
	int s = outcome_from_name(report_str(r, "status"));

	/* validated documents never get here with an unknown word */
	return s < 0 ? OUT_ERROR : (enum outcome)s;
}

void report_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int report_out_open(struct report_out *o, const char *path, char *err,
		    size_t errlen)
{
	int ret = 0;

	memset(o, 0, sizeof(*o));
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return 0;
	}
	o->path = strdup(path);
	if (!o->path || asprintf(&o->tmp, "%s.tmp.%d", path, (int)getpid()) < 0) {
		o->tmp = NULL;
		ret = -ENOMEM;
		report_err(err, errlen, "%s: out of memory", path);
		goto out;
	}
	o->f = fopen(o->tmp, "w");
	if (!o->f) {
		ret = -errno;
		report_err(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		goto out;
	}
	return 0;
out:
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	return ret;
}

int report_out_check(const char *path, char *err, size_t errlen)
{
	struct report_out o;
	struct stat st;
	int ret;

	if (!strcmp(path, "-"))
		return 0;
	/* rename() would replace a directory's name only with a directory */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		report_err(err, errlen, "cannot create '%s': it is a directory", path);
		return -EISDIR;
	}
	ret = report_out_open(&o, path, err, errlen);
	if (ret) {
		report_err(err, errlen, "cannot create '%s': %s", path, strerror(-ret));
		return ret;
	}
	report_out_abort(&o);
	return 0;
}

int report_out_commit(struct report_out *o, char *err, size_t errlen)
{
	const char *name = o->path ? o->path : "stdout";
	int ret = 0;

	if (!o->f)
		return -EBADF;
	if (fflush(o->f) || ferror(o->f)) {
		ret = errno ? -errno : -EIO;
		report_err(err, errlen, "%s: write error: %s", name, strerror(-ret));
		goto out;
	}
	if (!o->path) {
		o->f = NULL;
		return 0;
	}
	if (fclose(o->f)) {
		o->f = NULL;
		ret = -errno;
		report_err(err, errlen, "%s: write error: %s", name, strerror(errno));
		goto out;
	}
	o->f = NULL;
	if (rename(o->tmp, o->path)) {
		ret = -errno;
		report_err(err, errlen, "%s: cannot rename %s into place: %s", name,
			   o->tmp, strerror(errno));
		goto out;
	}
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return 0;
out:
	report_out_abort(o);
	return ret;
}

void report_out_abort(struct report_out *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
}

void report_xml_puts(FILE *f, const char *s, bool attr)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\n':
		case '\r':
		case '\t':
			/* attribute normalisation would turn these into spaces */
			if (attr)
				fprintf(f, "&#%d;", *p);
			else
				fputc(*p, f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fputs("\xef\xbf\xbd", f); /* U+FFFD: XML 1.0 forbids these */
			else
				fputc(*p, f);
		}
	}
}

char *report_row_key(const json_t *r)
{
	const char *name = report_str(r, "name"), *prof = report_str(r, "profile");
	size_t plen = strlen(prof);
	const char *at = name;
	char *key;

	/* "id@profile/family" -> "id/family"; a name that does not follow
	 * the convention is its own key */
	while ((at = strchr(at, '@'))) {
		if (!strncmp(at + 1, prof, plen) && (at[1 + plen] == '/' || !at[1 + plen]))
			break;
		at++;
	}
	if (!at || !plen)
		return strdup(name);
	key = malloc(strlen(name) + 1);
	if (!key)
		return NULL;
	memcpy(key, name, (size_t)(at - name));
	strcpy(key + (at - name), at + 1 + plen);
	return key;
}
