/* SPDX-License-Identifier: MIT */
/*
 * Reading results files back (report_load) and checking that a document
 * really is tfocheck-results/1 (report_doc_validate).  The check is strict
 * on purpose: report and diff gate CI, and a foreign or truncated file
 * silently read as "0 failures" would turn a red run green.  Each problem
 * is one line with the path of the offending key (results[4].status) so a
 * user can find it with jq.  Unknown extra keys are accepted: the schema
 * lets new optional keys appear without a version bump.
 */
#include "reports/report_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum {
	T_STR = 1 << 0,
	T_NUM = 1 << 1,
	T_BOOL = 1 << 2,
	T_NULL = 1 << 3,
	T_OBJ = 1 << 4,
	T_ARR = 1 << 5,
};

struct field {
	const char *key;
	unsigned int types;
	bool required;
};

static const struct field top_fields[] = {
	{ "platform_id", T_STR, true },
	{ "platform", T_OBJ, true },
	{ "profiles", T_OBJ, true },
	{ "results", T_ARR, true },
	{ "tool", T_OBJ, false },
	{ "library", T_OBJ | T_NULL, false },
	{ "reference", T_OBJ | T_NULL, false },
	{ "wall_ms", T_NUM, false },
	{ "interrupted", T_BOOL, false },
	{ NULL, 0, false },
};

static const struct field platform_fields[] = {
	{ "os", T_STR, true },
	{ "kernel", T_STR, true },
	{ "arch", T_STR, true },
	{ "version", T_STR, false },
	{ "distro", T_STR, false },
	{ NULL, 0, false },
};

static const struct field library_fields[] = {
	{ "path", T_STR, true },
	{ "alias", T_STR, false },
	{ "version", T_STR, false },
	{ NULL, 0, false },
};

static const struct field tool_fields[] = {
	{ "name", T_STR, false },
	{ "version", T_STR, false },
	{ NULL, 0, false },
};

static const struct field result_fields[] = {
	{ "id", T_STR, true },
	{ "name", T_STR, true },
	{ "api", T_STR, true },
	{ "profile", T_STR, true },
	{ "family", T_STR, true },
	{ "status", T_STR, true },
	{ "message", T_STR, true },
	{ "clause", T_STR, true },
	{ "duration_ms", T_NUM, true },
	{ "evidence", T_STR | T_NULL, false },
	{ "reproducer", T_STR | T_NULL, false },
	{ "deviation", T_STR, false },
	{ "interrupted", T_BOOL, false },
	{ NULL, 0, false },
};

static const char *type_word(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "something else";
}

static bool type_ok(const json_t *v, unsigned int types)
{
	return ((types & T_STR) && json_is_string(v)) ||
	       ((types & T_NUM) && json_is_number(v)) ||
	       ((types & T_BOOL) && json_is_boolean(v)) ||
	       ((types & T_NULL) && json_is_null(v)) ||
	       ((types & T_OBJ) && json_is_object(v)) ||
	       ((types & T_ARR) && json_is_array(v));
}

static const char *types_word(unsigned int types)
{
	switch (types) {
	case T_STR: return "a string";
	case T_NUM: return "a number";
	case T_OBJ: return "an object";
	case T_ARR: return "an array";
	case T_STR | T_NULL: return "a string or null";
	case T_OBJ | T_NULL: return "an object or null";
	case T_BOOL: return "a boolean";
	}
	return "a scalar";
}

/* where: "results[4]" or "" for the top level */
static int fields_check(const json_t *obj, const struct field *f,
			const char *label, const char *where, char *err,
			size_t errlen)
{
	const char *dot = *where ? "." : "";

	for (; f->key; f++) {
		const json_t *v = json_object_get(obj, f->key);

		if (!v) {
			if (!f->required)
				continue;
			report_err(err, errlen, "%s: %s: missing required key \"%s\"",
				   label, *where ? where : "top level", f->key);
			return -EINVAL;
		}
		if (!type_ok(v, f->types)) {
			report_err(err, errlen, "%s: %s%s%s: expected %s, got %s",
				   label, where, dot, f->key, types_word(f->types),
				   type_word(v));
			return -EINVAL;
		}
		if (json_is_number(v) && !isfinite(json_number_value(v))) {
			report_err(err, errlen, "%s: %s%s%s: not a finite number",
				   label, where, dot, f->key);
			return -EINVAL;
		}
	}
	return 0;
}

static int schema_check(const json_t *doc, const char *label, char *err,
			size_t errlen)
{
	const json_t *schema;
	const char *s;

	if (!json_is_object(doc)) {
		report_err(err, errlen,
			   "%s: not a tfocheck results file (top level is %s, not an object)",
			   label, type_word(doc));
		return -EINVAL;
	}
	schema = json_object_get(doc, "schema");
	if (!schema) {
		report_err(err, errlen,
			   "%s: not a tfocheck results file (no \"schema\" key)", label);
		return -EINVAL;
	}
	s = json_string_value(schema);
	if (!s) {
		report_err(err, errlen,
			   "%s: not a tfocheck results file (\"schema\" is %s, not a string)",
			   label, type_word(schema));
		return -EINVAL;
	}
	if (!strncmp(s, "tfocheck-results/", 17) && strcmp(s, REPORT_SCHEMA)) {
		report_err(err, errlen,
			   "%s: unsupported schema \"%s\" (this tfocheck reads \"%s\")",
			   label, s, REPORT_SCHEMA);
		return -EINVAL;
	}
	if (strcmp(s, REPORT_SCHEMA)) {
		report_err(err, errlen,
			   "%s: not a tfocheck results file (schema \"%s\")", label, s);
		return -EINVAL;
	}
	return 0;
}

static int profiles_check(const json_t *profiles, const char *label, char *err,
			  size_t errlen)
{
	const char *name, *key;
	json_t *p, *v;

	json_object_foreach((json_t *)profiles, name, p) {
		if (!json_is_object(p)) {
			report_err(err, errlen, "%s: profiles.%s: expected an object, got %s",
				   label, name, type_word(p));
			return -EINVAL;
		}
		json_object_foreach(p, key, v) {
			if (json_is_object(v) || json_is_array(v)) {
				report_err(err, errlen,
					   "%s: profiles.%s.%s: expected a scalar, got %s",
					   label, name, key, type_word(v));
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int results_check(const json_t *doc, const char *label, char *err,
			 size_t errlen)
{
	const json_t *results = json_object_get(doc, "results");
	const json_t *profiles = json_object_get(doc, "profiles");
	json_t *seen = json_object();
	char where[48];
	size_t i;
	json_t *r;
	int ret = 0;

	if (!seen)
		return -ENOMEM;
	json_array_foreach((json_t *)results, i, r) {
		const char *name, *status, *profile;
		json_t *prev;

		snprintf(where, sizeof(where), "results[%zu]", i);
		if (!json_is_object(r)) {
			report_err(err, errlen, "%s: %s: expected an object, got %s",
				   label, where, type_word(r));
			ret = -EINVAL;
			goto out;
		}
		ret = fields_check(r, result_fields, label, where, err, errlen);
		if (ret)
			goto out;
		name = report_str(r, "name");
		status = report_str(r, "status");
		profile = report_str(r, "profile");
		if (!*name) {
			report_err(err, errlen, "%s: %s.name: empty instance name",
				   label, where);
			ret = -EINVAL;
			goto out;
		}
		if (outcome_from_name(status) < 0) {
			report_err(err, errlen, "%s: %s.status: unknown status \"%s\"",
				   label, where, status);
			ret = -EINVAL;
			goto out;
		}
		if (report_num(r, "duration_ms") < 0) {
			report_err(err, errlen, "%s: %s.duration_ms: negative (%g)",
				   label, where, report_num(r, "duration_ms"));
			ret = -EINVAL;
			goto out;
		}
		if (!json_object_get(profiles, profile)) {
			report_err(err, errlen,
				   "%s: %s.profile: \"%s\" is not described in \"profiles\"",
				   label, where, profile);
			ret = -EINVAL;
			goto out;
		}
		/* diff matches on names: two results with one name are ambiguous */
		prev = json_object_get(seen, name);
		if (prev) {
			report_err(err, errlen,
				   "%s: %s.name: duplicate instance name \"%s\" (also results[%lld])",
				   label, where, name, (long long)json_integer_value(prev));
			ret = -EINVAL;
			goto out;
		}
		if (json_object_set_new(seen, name, json_integer((json_int_t)i))) {
			ret = -ENOMEM;
			goto out;
		}
	}
out:
	json_decref(seen);
	return ret;
}

int report_doc_validate(const json_t *doc, const char *label, char *err,
			size_t errlen)
{
	const json_t *lib;
	int ret;

	ret = schema_check(doc, label, err, errlen);
	if (ret)
		return ret;
	ret = fields_check(doc, top_fields, label, "", err, errlen);
	if (ret)
		return ret;
	ret = fields_check(json_object_get(doc, "platform"), platform_fields,
			   label, "platform", err, errlen);
	if (ret)
		return ret;
	if (json_object_get(doc, "tool")) {
		ret = fields_check(json_object_get(doc, "tool"), tool_fields,
				   label, "tool", err, errlen);
		if (ret)
			return ret;
	}
	lib = json_object_get(doc, "library");
	if (json_is_object(lib)) {
		ret = fields_check(lib, library_fields, label, "library", err, errlen);
		if (ret)
			return ret;
	}
	if (!*report_str(doc, "platform_id")) {
		report_err(err, errlen, "%s: platform_id: empty", label);
		return -EINVAL;
	}
	ret = profiles_check(json_object_get(doc, "profiles"), label, err, errlen);
	if (ret)
		return ret;
	return results_check(doc, label, err, errlen);
}

int report_load(const char *path, json_t **doc, char *err, size_t errlen)
{
	json_error_t jerr;
	struct stat st;
	json_t *d = NULL;
	FILE *f;
	int ret = 0;

	*doc = NULL;
	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		report_err(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		report_err(err, errlen, "%s: is a directory, not a results file", path);
		ret = -EISDIR;
		goto out;
	}
	/* duplicate keys would make "which status counts" ambiguous */
	d = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	if (!d) {
		if (jerr.line > 0)
			report_err(err, errlen, "%s: line %d column %d: %s", path,
				   jerr.line, jerr.column, jerr.text);
		else
			report_err(err, errlen, "%s: %s", path, jerr.text);
		ret = -EINVAL;
		goto out;
	}
	ret = report_doc_validate(d, path, err, errlen);
	if (ret)
		goto out;
	*doc = d;
	d = NULL;
out:
	json_decref(d);
	fclose(f);
	return ret;
}
