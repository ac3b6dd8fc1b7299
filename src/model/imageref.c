/* imageref.c - see imageref.h. */
#include "model/imageref.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return false;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return true;
}

bool pl_imageref_parse(const char *s, pl_imageref *out)
{
	memset(out, 0, sizeof *out);
	size_t n = strlen(s);
	if (n == 0 || n > 1000)
		return false;
	out->has_variable = strchr(s, '$') != NULL;
	for (size_t i = 0; i < n; i++)
		if (isspace((unsigned char)s[i]))
			return false;
	/* digest */
	const char *at = strchr(s, '@');
	size_t name_end = n;
	if (at) {
		if (!copy(out->digest, sizeof out->digest, at + 1, n - (size_t)(at - s) - 1))
			return false;
		if (!strchr(out->digest, ':'))
			return false;
		name_end = (size_t)(at - s);
	}
	/* tag: a ':' after the last '/' */
	const char *slash = NULL;
	for (size_t i = 0; i < name_end; i++)
		if (s[i] == '/')
			slash = s + i;
	const char *colon = NULL;
	for (const char *p = slash ? slash : s; p < s + name_end; p++)
		if (*p == ':')
			colon = p;
	size_t repo_end = name_end;
	if (colon) {
		if (!copy(out->tag, sizeof out->tag, colon + 1, name_end - (size_t)(colon - s) - 1) ||
		    !out->tag[0])
			return false;
		repo_end = (size_t)(colon - s);
	}
	if (repo_end == 0)
		return false;
	/* registry: the first component when it has '.', ':' or is "localhost" */
	const char *first_slash = memchr(s, '/', repo_end);
	if (first_slash) {
		size_t fl = (size_t)(first_slash - s);
		bool is_reg = memchr(s, '.', fl) || memchr(s, ':', fl) ||
			      (fl == 9 && !strncmp(s, "localhost", 9)) ||
			      (fl > 0 && isupper((unsigned char)s[0]));
		if (is_reg) {
			out->explicit_registry = true;
			if (!copy(out->registry, sizeof out->registry, s, fl))
				return false;
			return copy(out->repo, sizeof out->repo, first_slash + 1, repo_end - fl - 1);
		}
	}
	strcpy(out->registry, "docker.io");
	if (!first_slash) {
		if (repo_end + 8 >= sizeof out->repo)
			return false;
		snprintf(out->repo, sizeof out->repo, "library/%.*s", (int)repo_end, s);
		return true;
	}
	return copy(out->repo, sizeof out->repo, s, repo_end);
}

bool pl_registry_matches(const char *registry, const char *pattern)
{
	size_t pl = strlen(pattern), rl = strlen(registry);
	if (!strcmp(pattern, "*"))
		return true;
	if (pl >= 1 && pattern[0] == '*') /* "*.gcr.io": suffix */
		return rl >= pl - 1 && !strcasecmp(registry + rl - (pl - 1), pattern + 1);
	if (pl >= 1 && pattern[pl - 1] == '*') /* "my-reg*": prefix */
		return !strncasecmp(registry, pattern, pl - 1);
	if (!strcasecmp(pattern, "docker.io") || !strcasecmp(pattern, "index.docker.io") ||
	    !strcasecmp(pattern, "registry-1.docker.io"))
		return !strcasecmp(registry, "docker.io");
	return !strcasecmp(registry, pattern);
}
