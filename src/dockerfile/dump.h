/* dump.h - the parsed Dockerfile as JSON, with positions (plimsoll dump --format=json). */
#ifndef PL_DF_DUMP_H
#define PL_DF_DUMP_H

#include "dockerfile/parser.h"
#include "core/buf.h"

void df_dump_json(const df_file *f, buf *out);

#endif
