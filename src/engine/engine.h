/* engine.h - scan one Dockerfile (and its build context) into findings. */
#ifndef PL_ENGINE_H
#define PL_ENGINE_H

#include "engine/config.h"
#include "core/file.h"
#include "engine/finding.h"

/* Read, parse and check path; findings (already suppressed, overridden and with source
 * lines) are appended to out. display is the name reports use (path, or "-" for stdin).
 * Returns 0, or -1 on an I/O error (err set): a file that does not parse is a PL901
 * finding, not an error. */
int pl_scan_dockerfile(const pl_config *cfg, const char *path, const char *display,
		       bool with_context, pl_findings *out, char *err, size_t errlen);

/* The same for a Dockerfile already in memory (standard input): no build context. */
void pl_scan_dockerfile_data(const pl_config *cfg, const pl_input *data, const char *display,
			     pl_findings *out);

#endif
