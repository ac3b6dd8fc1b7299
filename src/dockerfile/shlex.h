/* shlex.h - BuildKit's shell word lexer: quotes, escapes and variable expansion.
 *
 * BuildKit runs one small lexer (frontend/dockerfile/shell) wherever a Dockerfile value is
 * expanded (FROM, ENV, ARG, COPY, WORKDIR, USER, LABEL, ...) and to find heredoc words. This
 * is that lexer, rule for rule: '...' and "..." quoting, the escape token (\ or `),
 * $VAR, ${VAR}, ${VAR:-w} ${VAR-w} ${VAR:+w} ${VAR+w} ${VAR:?w} ${VAR?w},
 * ${VAR#p} ${VAR##p} ${VAR%p} ${VAR%%p} (shell patterns with * and ?), ${VAR/p/r} ${VAR//p/r},
 * special parameters ($@ $* $# $? $- $$ $! $0) and positional $1. Word splitting happens after
 * expansion, on Unicode whitespace, as BuildKit does.
 *
 * Deliberate differences: ${...} nesting deeper than SHLEX_MAX_DEPTH is an error instead of
 * unbounded recursion, so hostile input cannot exhaust the stack. */
#ifndef PL_SHLEX_H
#define PL_SHLEX_H

#include <stdbool.h>
#include <stddef.h>

#define SHLEX_MAX_DEPTH 128
/* Variable values and ${V//p/r} replacements may add at most this many bytes to one word:
 * `ENV B=$A$A` repeated doubles a value per line, so without a cap a small hostile file
 * expands to gigabytes. Go has no cap (it runs out of memory instead). */
#define SHLEX_MAX_EXPANSION (4 << 20)

/* Variable lookup. Returns true and sets *val and *vlen when name is set (possibly to ""). */
typedef bool (*shlex_get_fn)(void *ctx, const char *name, size_t name_len,
			     const char **val, size_t *vlen);

typedef struct shlex_opts {
	int escape;              /* '\\' or '`' */
	bool raw_quotes;         /* keep quote characters in the output */
	bool raw_escapes;        /* keep escape characters in the output */
	bool skip_unset_env;     /* leave references to unset variables as written */
	bool skip_process_quotes;/* treat ' and " as ordinary characters */
} shlex_opts;

typedef struct shlex_result {
	char *word;        /* ProcessWord: the expanded string (malloc'd, NUL-terminated) */
	size_t word_len;
	char **words;      /* ProcessWords: the expanded string split into words */
	size_t *word_lens;
	size_t nwords;
	char **unmatched;  /* names referenced but not set, in order of first use, no repeats */
	size_t nunmatched;
	char *error;       /* NULL on success; else BuildKit's message, e.g.
			      failed to process "${a:-b": syntax error: missing '}' */
	size_t error_len;  /* the message may hold NUL bytes copied from the input */
} shlex_result;

/* Lex and expand s[0..n). get may be NULL (no variable is set); opts may be NULL (escape
 * '\\', nothing else set). Returns 0 on success, -1 on error (out->error set, word "" and no
 * words; unmatched still lists the names looked up before the error, as Go's does).
 * Always call shlex_result_free. */
int shlex_process(const char *s, size_t n, const shlex_opts *opts,
		  shlex_get_fn get, void *ctx, shlex_result *out);
void shlex_result_free(shlex_result *r);

#endif
