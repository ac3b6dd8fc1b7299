/* dump.h - the parsed Dockerfile as JSON, with positions (plimsoll dump --format=json). */
#ifndef PL_DF_DUMP_H
#define PL_DF_DUMP_H

#include "dockerfile/parser.h"
#include "core/buf.h"
#include "dockerfile/stages.h"

/* b may be NULL: then only the syntax tree is written. */
void df_dump_json(const df_file *f, const df_build *b, buf *out);

/* The resolved build in plain text: stages, bases, users, variables, problems. */
void df_dump_stages(const df_build *b, buf *out);

#endif
