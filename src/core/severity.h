/* severity.h - finding severities, ordered so that comparisons mean "at least as bad". */
#ifndef PL_SEVERITY_H
#define PL_SEVERITY_H

typedef enum pl_severity {
	SEV_NONE = -1, /* only as a threshold: --fail-on none */
	SEV_INFO = 0,
	SEV_LOW,
	SEV_MEDIUM,
	SEV_HIGH,
	SEV_CRITICAL,
} pl_severity;

const char *pl_severity_name(pl_severity s);  /* "high" */
/* Parse a name ("high", case-insensitive); returns -2 when unknown. */
int pl_severity_parse(const char *s);

#endif
