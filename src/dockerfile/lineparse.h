/* lineparse.h - one logical Dockerfile line into a node (internal to the parser).
 *
 * The parser joins continuation lines into one logical line; these functions split it into
 * keyword, flags and arguments with the per-instruction rules of BuildKit's line_parsers.go
 * and split_command.go. Word offsets here are offsets into the logical line; the parser maps
 * them back to file positions. */
#ifndef PL_DF_LINEPARSE_H
#define PL_DF_LINEPARSE_H

#include "dockerfile/parser.h"

typedef struct df_lctx {
	arena *mem;
	const char *s;      /* the logical line */
	size_t n;
	int escape;
	char err[256];      /* set when a function returns NULL */
	size_t err_off;     /* where in the line the error points */
} df_lctx;

/* Parse the whole logical line into a node (ONBUILD nests iteratively). NULL on error. */
df_node *df_node_from_line(df_lctx *c);

/* Result of parsing a JSON array of strings the way Go's encoding/json does. */
enum { DF_JSON_OK, DF_JSON_SYNTAX, DF_JSON_NOT_STRINGS };
int df_json_string_array(arena *mem, const char *s, size_t n, size_t base,
			 df_word **out, size_t *nout);

#endif
