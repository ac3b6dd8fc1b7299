/* instructions.h - what each parsed node means: its kind and its validated --flags.
 *
 * The syntax tree accepts anything; BuildKit's instructions package then refuses what it
 * cannot build (unknown instructions, unknown or malformed flags, wrong argument counts).
 * This layer applies the same checks, but collects every problem with its position instead
 * of stopping at the first, so a linter can report them all (as PL901). */
#ifndef PL_DF_INSTRUCTIONS_H
#define PL_DF_INSTRUCTIONS_H

#include "dockerfile/parser.h"

typedef enum df_kind {
	DF_ADD, DF_ARG, DF_CMD, DF_COPY, DF_ENTRYPOINT, DF_ENV, DF_EXPOSE, DF_FROM,
	DF_HEALTHCHECK, DF_LABEL, DF_MAINTAINER, DF_ONBUILD, DF_RUN, DF_SHELL,
	DF_STOPSIGNAL, DF_USER, DF_VOLUME, DF_WORKDIR, DF_UNKNOWN
} df_kind;

df_kind df_kind_of(const char *keyword);
const char *df_kind_name(df_kind k); /* upper case, "RUN" */

typedef struct df_flag {
	const char *name;      /* without the dashes: "mount" */
	const char *value;     /* after '='; NULL for a bare boolean flag */
	size_t value_len;
	const df_word *word;   /* the flag as written */
} df_flag;

typedef struct df_problem {
	int line, col, end_line, end_col;
	char *msg;
} df_problem;

typedef struct df_problems {
	df_problem *v;
	size_t n, cap;
} df_problems;

void df_problem_add(arena *mem, df_problems *ps, const df_word *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Split and check the node's flags against what BuildKit accepts for its instruction.
 * Problems go to ps; valid flags to *out. */
void df_parse_flags(arena *mem, const df_node *n, df_kind k, df_flag **out, size_t *nout,
		    df_problems *ps);

/* The checks BuildKit's instruction parser makes on argument counts and forms. */
void df_check_instruction(arena *mem, const df_node *n, df_kind k, df_problems *ps);

/* First flag with this name, or NULL. */
const df_flag *df_flag_get(const df_flag *v, size_t n, const char *name);

#endif
