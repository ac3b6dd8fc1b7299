/* stages.h - the build as BuildKit resolves it: stages, names, bases, ARG/ENV expansion.
 *
 * A Dockerfile is a sequence of stages. Global ARGs (before the first FROM) parameterise
 * FROM lines; inside a stage, ARG and ENV define variables that BuildKit expands in ADD,
 * COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR and ARG defaults, and in the
 * values of --from, --chown, --chmod, --checksum, --platform and --mount. A stage built FROM
 * an earlier stage inherits its environment, user and working directory. The last stage is
 * the one that ships. Rules read this model, never the raw text. */
#ifndef PL_DF_STAGES_H
#define PL_DF_STAGES_H

#include "dockerfile/instructions.h"
#include "dockerfile/parser.h"

typedef struct df_var {
	const char *name;
	const char *value;     /* expanded; NULL when declared without a value (ARG x) */
	size_t vlen;
	const df_word *where;  /* the word that set it */
	bool from_arg;         /* set by ARG rather than ENV */
} df_var;

typedef struct df_vars {
	df_var *v;
	size_t n, cap;
} df_vars;

typedef struct df_cmd {
	const df_node *node;
	df_kind kind;
	df_flag *flags;        /* validated flags; values expanded where BuildKit expands */
	size_t nflags;
	const char **args;     /* arguments after expansion (quotes removed) where BuildKit */
	size_t *arg_lens;      /* expands them; otherwise the arguments as parsed */
	size_t nargs;
	bool expanded;         /* args went through variable expansion */
	const char **unset;    /* variables it referenced that were not set (in order) */
	size_t nunset;
} df_cmd;

typedef struct df_stage {
	int index;
	const char *name;          /* "AS name", lower-cased; NULL when unnamed */
	const df_word *name_word;
	const char *base;          /* FROM image after global ARG expansion */
	const df_word *base_word;
	int base_stage;            /* index of the earlier stage it builds on, or -1 */
	const char *platform;      /* --platform after expansion, or NULL */
	df_cmd *cmds;
	size_t ncmds;
	df_vars env;               /* ENV (and ARG values) at the end of the stage, inherited */
	const char *user;          /* effective USER at the end, inherited; NULL = never set */
	const df_word *user_word;
	const char *workdir;       /* effective WORKDIR, inherited; NULL = never set */
	bool final;                /* the stage the build produces */
	bool implicit;             /* instructions with no FROM before them (BuildKit refuses
				      the file; rules still look at them) */
	bool base_unresolved;      /* FROM names a variable that is not set */
} df_stage;

/* All expanded values of one file together stay under this (hostile input could otherwise
 * double a value per ENV line); past it, values are kept as written and a problem noted. */
#define DF_MAX_EXPANDED (64 << 20)

typedef struct df_build {
	const df_file *file;
	df_vars global_args;       /* ARGs before the first FROM */
	df_cmd *global_cmds;       /* those ARG instructions */
	size_t nglobal_cmds;
	df_stage *stages;
	size_t nstages;
	df_problems problems;      /* what BuildKit would refuse, with positions */
	size_t expand_budget;      /* bytes of expansion left, see DF_MAX_EXPANDED */
	df_cmd *current;           /* while building: the instruction being resolved */
} df_build;

/* Build the model from a parsed file; lives in f's arena. Never fails: what BuildKit would
 * refuse is recorded in b->problems and the model is built as far as it can be. */
void df_build_model(const df_file *f, df_build *b);

/* The stage named or numbered by ref ("builder", "0") before stage `before`, or -1. */
int df_stage_ref(const df_build *b, const char *ref, int before);

/* Look a variable up: last definition wins. NULL when unset. */
const df_var *df_vars_get(const df_vars *vs, const char *name, size_t len);

#endif
