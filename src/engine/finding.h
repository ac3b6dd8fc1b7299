/* finding.h - one finding, as every reporter receives it. */
#ifndef PL_FINDING_H
#define PL_FINDING_H

#include "core/severity.h"
#include "rules/rule.h"

#include <stddef.h>

typedef struct pl_finding {
	const pl_rule *rule;
	pl_severity severity;   /* after configuration overrides */
	char *file;             /* the path as the user named it (or "-") */
	int line, col;          /* 1-based; 0 when the finding has no position */
	int end_line, end_col;  /* exclusive end; 0 when unknown */
	char *target;           /* what the finding is about: "stage 1 (FROM node:latest)" */
	char *message;
	char *fix;              /* how to fix it; may be NULL */
	char *aka;              /* peer ids this very finding corresponds to, space-separated;
				   "" when none */
	char *source;           /* the source line `line` (no newline), for carets; may be NULL */
} pl_finding;

typedef struct pl_findings {
	pl_finding *v;
	size_t n, cap;
} pl_findings;

/* Takes ownership of nothing: copies every string. */
pl_finding *pl_findings_add(pl_findings *fs);
void pl_findings_free(pl_findings *fs);
/* Order used by every report: file, line, column, code. */
void pl_findings_sort(pl_findings *fs);

#endif
