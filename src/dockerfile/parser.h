/* parser.h - the Dockerfile syntax tree, read exactly as BuildKit reads it.
 *
 * BuildKit (frontend/dockerfile/parser) turns a Dockerfile into a list of instructions,
 * each a keyword, its --flags and a list of argument strings, plus heredoc bodies. This
 * parser produces the same tree, value for value (tests/golden/buildkit proves it on
 * BuildKit's own cases), and adds what a linter needs and BuildKit drops: the line and
 * column of every keyword, flag and argument, the comments above each instruction, and the
 * parser directives with their positions.
 *
 * Quirks of BuildKit are kept on purpose (they decide what Docker builds): an unknown
 * keyword is a node with one empty argument, ENV/LABEL values keep their quotes, a JSON
 * array that fails to parse falls back to shell form. Meaning (flag checking, stages,
 * variable expansion) is layered on top in instructions.c and stages.c. */
#ifndef PL_DF_PARSER_H
#define PL_DF_PARSER_H

#include "core/arena.h"

#include <stdbool.h>
#include <stddef.h>

/* Longest physical line BuildKit accepts (bufio.Scanner's default token limit less one). */
#define DF_MAX_LINE 65535
/* Limits of our own, so hostile input cannot make the tree unbounded: the largest real
 * Dockerfile in the shared corpus is 25 KB, and a tree costs some 500 bytes per
 * instruction, so these keep the worst case near 100 MB. */
#define DF_MAX_FILE (4u * 1024 * 1024)
#define DF_MAX_INSTRUCTIONS 200000

/* A string taken from the source, with where it came from. Offsets are byte offsets into
 * the file; lines and columns are 1-based, columns count bytes; end is exclusive. */
typedef struct df_word {
	const char *s;   /* value as BuildKit's tree holds it; NUL-terminated, may hold NULs */
	size_t len;
	size_t off, end;
	int line, col, end_line, end_col;
} df_word;

typedef struct df_heredoc {
	const char *name;     /* delimiter word, quotes removed */
	unsigned fd;          /* the N in N<<EOF, 0 when absent */
	bool expand;          /* delimiter unquoted: the body is subject to expansion */
	bool chomp;           /* <<- : leading tabs are stripped */
	df_word body;         /* the lines between the instruction and the delimiter */
} df_heredoc;

/* Where a piece of a logical line came from: logical offset loff is file offset foff. */
typedef struct df_seg {
	size_t loff, foff;
} df_seg;

typedef struct df_node df_node;
struct df_node {
	df_word keyword;        /* lower-cased as BuildKit does ("run"), span as written */
	df_word *flags;         /* "--mount=type=cache,target=/x" as BuildKit joins them */
	size_t nflags;
	df_word *args;          /* the Next chain */
	size_t nargs;
	df_word rest;           /* the argument text after the flags, trimmed */
	df_node *sub;           /* ONBUILD: the instruction it carries */
	bool json;              /* arguments were a JSON (exec form) array */
	bool unknown;           /* keyword BuildKit's parser does not dispatch */
	bool empty_continuation;/* an empty line inside a continuation (BuildKit warns) */
	df_heredoc *heredocs;
	size_t nheredocs;
	df_word original;       /* the logical line: continuations joined, comments dropped */
	int start_line, end_line;
	df_word *comments;      /* comment lines above it since the previous instruction */
	size_t ncomments;
	df_seg *segs;           /* pieces of the logical line (original), for df_rest_span */
	size_t nsegs;
	size_t rest_loff;       /* offset of `rest` within the logical line */
};

typedef struct df_directive {
	df_word name;           /* lower-case: "syntax", "escape" or "check" */
	df_word value;
} df_directive;

typedef struct df_file {
	arena mem;
	const char *path;
	const char *src;        /* the input (not owned) */
	size_t len;
	df_node **nodes;        /* top-level instructions in order */
	size_t nnodes;
	df_directive *directives;
	size_t ndirectives;
	int escape;             /* '\\' or '`' */
	size_t *line_starts;    /* byte offset of each physical line; line N at [N-1] */
	size_t nlines;
	/* the error, when df_parse fails */
	int err_line, err_col;
	char err[512];
} df_file;

/* Parse src[0..len) (not copied: it must outlive f). Returns 0, or -1 with f->err set to a
 * message and f->err_line/err_col to where. f must be released with df_free either way. */
int df_parse(df_file *f, const char *path, const char *src, size_t len);
void df_free(df_file *f);

/* Line and column (1-based) of a byte offset in f->src. */
void df_position(const df_file *f, size_t off, int *line, int *col);

/* The file span of bytes [a, b) of n->rest: e.g. one shell word of a RUN spread over
 * continuation lines. out->s/len are left NULL/0. */
void df_rest_span(const df_file *f, const df_node *n, size_t a, size_t b, df_word *out);

/* BuildKit's own dump of the tree (parser.Node.Dump), one "(...)" line per instruction. */
struct buf;
void df_dump_buildkit(const df_file *f, struct buf *out);

#endif
