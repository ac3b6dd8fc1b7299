/* context.h - the build context: the files a `docker build` would send, after .dockerignore.
 *
 * Context rules (catalog "X") must name the real files that leak. The context of a
 * Dockerfile is its directory (or the compose build.context); .dockerignore is read from
 * the root, or <Dockerfile>.dockerignore next to the Dockerfile when present (BuildKit's
 * rule). Patterns follow Docker's moby/patternmatcher exactly: filepath.Clean'ed, leading
 * "/" dropped, "**" across directories, "!" exceptions, the last matching pattern wins,
 * and a pattern that matches a directory excludes everything under it. */
#ifndef PL_CONTEXT_H
#define PL_CONTEXT_H

#include "core/arena.h"
#include "dockerfile/stages.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_ignore_pattern {
	char *pattern;      /* cleaned, without the leading '!' */
	bool exclusion;     /* was "!pattern" */
	int line;           /* line in .dockerignore */
} pl_ignore_pattern;

typedef struct pl_dockerignore {
	char *path;         /* the file it came from */
	pl_ignore_pattern *v;
	size_t n;
} pl_dockerignore;

typedef struct pl_ctxfile {
	char *path;         /* relative to the context root, '/'-separated, no leading "./" */
	bool is_dir;
	bool ignored;       /* excluded by .dockerignore */
	long long size;
	const char *secret; /* kind of secret the file is (model/secrets.h), or NULL */
} pl_ctxfile;

typedef struct pl_buildctx {
	arena mem;
	char *root;                 /* the context directory */
	char *dockerfile;           /* the Dockerfile path */
	pl_dockerignore *ignore;    /* NULL when there is none */
	pl_ctxfile *files;          /* every file and directory under root (bounded walk) */
	size_t nfiles;
	bool truncated;             /* the walk stopped at its limit */
	const df_build *build;      /* the Dockerfile's model, for COPY/ADD sources */
} pl_buildctx;

/* Parse .dockerignore text (as moby's ReadAll does: comments, blank lines, "!" exceptions,
 * filepath.Clean, a leading "/" removed). */
void pl_dockerignore_parse(arena *mem, const char *path, const char *text, size_t n,
			   pl_dockerignore *out);
/* Whether relpath (cleaned, '/'-separated) is excluded; parents are considered, as
 * patternmatcher's MatchesOrParentMatches does. */
bool pl_dockerignore_excludes(const pl_dockerignore *di, const char *relpath);

/* Open the context for a Dockerfile: read the right .dockerignore, walk root (at most
 * 100 000 entries, skipping nothing but honouring ignore marks). Returns 0, or -1 when
 * root cannot be read (err set). */
int pl_buildctx_open(pl_buildctx *x, const char *root, const char *dockerfile,
		     const df_build *b, char *err, size_t errlen);
void pl_buildctx_free(pl_buildctx *x);

/* Files of the context that a COPY/ADD source pattern (relative, may hold * ? [ ]) sends,
 * ignored files excluded: calls fn for each. */
void pl_buildctx_sources(const pl_buildctx *x, const char *src,
			 void (*fn)(void *arg, const pl_ctxfile *f), void *arg);

#endif
