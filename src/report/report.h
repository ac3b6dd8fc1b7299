/* report.h - reporters: they only format findings (no filtering, no severity decisions).
 *
 * Every reporter takes the findings already filtered, overridden and sorted by the engine
 * (file, line, column, code) and writes one format to out. */
#ifndef PL_REPORT_H
#define PL_REPORT_H

#include "core/buf.h"
#include "engine/finding.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_report_opts {
	bool color;             /* ANSI colours (text only; the CLI sets it on a TTY) */
	const char *version;    /* tool version */
	size_t nfiles;          /* inputs scanned, for summaries */
	const char *const *files; /* their paths (for JUnit testcases per target), nfiles long */
	pl_severity fail_on;    /* the threshold, for the summary line */
	bool quiet;             /* text: no summary line */
	const char *unit;       /* what the inputs are, for summaries: "container"; NULL: "file" */
} pl_report_opts;

typedef void (*pl_reporter)(buf *out, const pl_findings *fs, const pl_report_opts *o);

void pl_report_text(buf *out, const pl_findings *fs, const pl_report_opts *o);
void pl_report_json(buf *out, const pl_findings *fs, const pl_report_opts *o);
void pl_report_sarif(buf *out, const pl_findings *fs, const pl_report_opts *o);
void pl_report_junit(buf *out, const pl_findings *fs, const pl_report_opts *o);
void pl_report_github(buf *out, const pl_findings *fs, const pl_report_opts *o);

/* The reporter for a --format name, or NULL. */
pl_reporter pl_reporter_find(const char *name);

/* The documentation URI of a rule (docs/rules/<code>.md in the repository). */
const char *pl_rule_doc_uri(const pl_rule *r, buf *tmp);

#endif
