/* fuzz_dockerignore.c - libFuzzer target for .dockerignore parsing and matching
 * (pl_dockerignore_parse / pl_dockerignore_excludes in src/context/context.h).
 *
 * The input is split at its first 0x01 byte (or, when there is none, at its middle): the
 * part before is the .dockerignore text, given to pl_dockerignore_parse as exact bytes
 * with no NUL after them; the part after is a list of paths separated by 0x01 or '\n',
 * each copied into its own exactly-sized NUL-terminated buffer and asked about with
 * pl_dockerignore_excludes. The parsed patterns are checked (non-empty, lines increasing;
 * a stored pattern may still start with '!': "!!x" is an exception for the literal "!x",
 * as in Docker), every answer is asked twice and must not change, and a few answers that
 * patternmatcher fixes are checked: "." is never excluded, a path behaves
 * like its "./"-prefixed form, and an excluded relative directory excludes what is under
 * it unless an exception pattern exists. A broken invariant traps.
 * Build: make build/fuzz/fuzz_dockerignore; run: make fuzz (see fuzz/run.sh). */
#include "check.h"
#include "context/context.h"
#include "core/arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


enum { SEP = 0x01, MAX_PATHS = 64 };

static char *dup_n(const char *s, size_t n, const char *prefix, const char *suffix)
{
	size_t np = strlen(prefix), ns = strlen(suffix);
	char *p = malloc(np + n + ns + 1);
	if (!p)
		abort();
	memcpy(p, prefix, np);
	memcpy(p + np, s, n);
	memcpy(p + np + n, suffix, ns);
	p[np + n + ns] = '\0';
	return p;
}

static bool excludes(const pl_dockerignore *di, const char *s, size_t n, const char *prefix,
		     const char *suffix)
{
	char *p = dup_n(s, n, prefix, suffix);
	bool r = pl_dockerignore_excludes(di, p);
	free(p);
	return r;
}

static void check_path(const pl_dockerignore *di, bool has_exceptions, const char *s,
		       size_t n)
{
	/* pl_dockerignore_excludes reads a C string: a NUL inside ends the path there */
	const char *nul = memchr(s, '\0', n);
	if (nul)
		n = (size_t)(nul - s);
	bool a = excludes(di, s, n, "", "");
	bool b = excludes(di, s, n, "", "");
	CHECK(a == b);
	/* filepath.Clean makes these the same path */
	if (n > 0 && s[0] != '/')
		CHECK(excludes(di, s, n, "./", "") == a);
	/* An excluded path excludes its children, unless a "!" pattern may bring them back.
	 * Not for rooted paths: patternmatcher tries "/" as a parent of "/o" but not of
	 * "/o/x" (filepath.Dir then strings.Split), so pattern "/" excludes only the first. */
	if (a && !has_exceptions && n > 0 && s[0] != '/')
		CHECK(excludes(di, s, n, "", "/fuzz-child") == true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	const char *sep = memchr(src, SEP, size);
	size_t ntext = sep ? (size_t)(sep - src) : size / 2;
	const char *paths = sep ? sep + 1 : src + ntext;
	size_t npaths = size - (size_t)(paths - src);

	/* The text as its own allocation, so a read past its end is caught. */
	char *text = malloc(ntext ? ntext : 1);
	if (!text)
		abort();
	memcpy(text, src, ntext);

	arena mem;
	arena_init(&mem);
	pl_dockerignore di;
	pl_dockerignore_parse(&mem, ".dockerignore", text, ntext, &di);
	CHECK(di.path != NULL && strcmp(di.path, ".dockerignore") == 0);
	CHECK(di.n == 0 || di.v != NULL);
	bool has_exceptions = false;
	for (size_t i = 0; i < di.n; i++) {
		const pl_ignore_pattern *p = &di.v[i];
		CHECK(p->pattern != NULL && p->pattern[0] != '\0');
		CHECK(p->line >= 1 && (i == 0 || p->line > di.v[i - 1].line));
		has_exceptions = has_exceptions || p->exclusion;
	}

	/* "." and the empty path are never excluded ("don't let them exclude everything") */
	CHECK(!pl_dockerignore_excludes(&di, "."));
	CHECK(!pl_dockerignore_excludes(&di, ""));
	CHECK(!pl_dockerignore_excludes(NULL, "x"));

	size_t pos = 0, count = 0;
	while (pos <= npaths && count < MAX_PATHS) {
		size_t e = pos;
		while (e < npaths && paths[e] != SEP && paths[e] != '\n')
			e++;
		check_path(&di, has_exceptions, paths + pos, e - pos);
		count++;
		pos = e + 1;
	}
	/* the patterns themselves, as paths */
	for (size_t i = 0; i < di.n && i < 16; i++)
		check_path(&di, has_exceptions, di.v[i].pattern, strlen(di.v[i].pattern));

	/* parsing is deterministic too */
	pl_dockerignore di2;
	pl_dockerignore_parse(&mem, ".dockerignore", text, ntext, &di2);
	CHECK(di2.n == di.n);
	for (size_t i = 0; i < di.n; i++) {
		CHECK(strcmp(di.v[i].pattern, di2.v[i].pattern) == 0);
		CHECK(di.v[i].exclusion == di2.v[i].exclusion && di.v[i].line == di2.v[i].line);
	}

	arena_free(&mem);
	free(text);
	return 0;
}
