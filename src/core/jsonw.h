/* jsonw.h - a small streaming JSON writer into a buf (output only; input uses jansson).
 *
 * Commas and nesting are tracked here so callers write values in order and never format
 * punctuation by hand. Strings are escaped per RFC 8259; invalid UTF-8 is written as
 * U+FFFD so the output is always valid JSON. */
#ifndef PL_JSONW_H
#define PL_JSONW_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>

#define JSONW_MAX_DEPTH 64

typedef struct jsonw {
	buf *out;
	int depth;
	bool first[JSONW_MAX_DEPTH];
	bool pretty;
	bool after_key; /* between jw_key and its value: no separator */
} jsonw;

void jw_init(jsonw *w, buf *out, bool pretty);
void jw_obj(jsonw *w);            /* { */
void jw_obj_end(jsonw *w);        /* } */
void jw_arr(jsonw *w);            /* [ */
void jw_arr_end(jsonw *w);        /* ] */
void jw_key(jsonw *w, const char *k);
void jw_str(jsonw *w, const char *s);
void jw_strn(jsonw *w, const char *s, size_t n);
void jw_int(jsonw *w, long long v);
void jw_bool(jsonw *w, bool v);
void jw_null(jsonw *w);
void jw_escape(buf *out, const char *s, size_t n); /* quoted JSON string */

#endif
