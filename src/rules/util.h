/* util.h - what rules share: the RUN commands of a build, and small helpers.
 *
 * The engine parses every RUN once (shell form text, or heredoc bodies fed to a shell) with
 * the shell tokenizer and hands the list to all rules, so no rule re-parses text. */
#ifndef PL_RULES_UTIL_H
#define PL_RULES_UTIL_H

#include "dockerfile/shell.h"
#include "dockerfile/stages.h"
#include "engine/scan.h"

typedef struct pl_run {
	const df_stage *stage;
	const df_cmd *cmd;        /* the RUN (or the ONBUILD holding it) */
	const df_node *node;      /* the RUN node itself (ONBUILD's sub-node for triggers) */
	bool onbuild;             /* an ONBUILD RUN trigger */
	bool exec_form;           /* RUN ["..."]: no shell, script is empty */
	const char *shell;        /* SHELL in effect, joined with spaces ("/bin/sh -c") */
	const df_heredoc *heredoc;/* the body the script came from, or NULL for the RUN text */
	sh_script script;
} pl_run;

/* The RUNs of the build in order, one entry per script (a RUN with two heredocs gives
 * the RUN text and each body that is a shell script). Built once per scan. */
const pl_run *pl_runs(pl_scan *s, const df_build *b, size_t *n);

/* File span of a shell word or command of a run. */
void pl_run_span(const pl_scan *s, const pl_run *r, size_t off, size_t end, df_word *out);

/* Emit at a shell word of a run. */
void pl_emit_word(pl_scan *s, const pl_run *r, const sh_word *w, const char *aka,
		  const char *fix, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The final stage, or NULL when the file has none. */
const df_stage *pl_final_stage(const df_build *b);

/* Name a stage for messages: "stage 'builder'" or "stage 1". */
const char *pl_stage_label(const df_stage *st, char *tmp, size_t n);

/* Case-insensitive ASCII suffix/prefix tests. */
bool pl_has_prefix(const char *s, const char *prefix);

struct pl_image;
/* "layer 3 (RUN apt-get ...)" for image findings. */
const char *pl_layer_note(const struct pl_image *img, int layer, char *buf, size_t n);
/* Paths for one finding: every one counted, the first 8 listed, then "and N more". */
typedef struct pl_pathlist {
	size_t n;
	size_t len;
	char text[1024];
} pl_pathlist;
void pl_pathlist_add(pl_pathlist *l, const char *path);
const char *pl_pathlist_str(pl_pathlist *l);

#endif
