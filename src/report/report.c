/* report.c - choosing a reporter by --format name, and where a rule's documentation lives. */
#include "report/report.h"

#include <string.h>

/* The one place the documentation URL is spelled: SARIF's helpUri, `plimsoll explain` and
 * anything else that links to a rule page go through pl_rule_doc_uri(). */
#define PL_RULE_DOCS_BASE "https://github.com/plimsoll-dev/plimsoll/blob/main/docs/rules/"

static const struct {
	const char *name;
	pl_reporter fn;
} reporters[] = {
	{"text", pl_report_text},
	{"json", pl_report_json},
	{"sarif", pl_report_sarif},
	{"junit", pl_report_junit},
	{"github", pl_report_github},
};

pl_reporter pl_reporter_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof reporters / sizeof reporters[0]; i++)
		if (!strcmp(reporters[i].name, name))
			return reporters[i].fn;
	return NULL;
}

const char *pl_rule_doc_uri(const pl_rule *r, buf *tmp)
{
	buf_reset(tmp);
	buf_adds(tmp, PL_RULE_DOCS_BASE);
	buf_adds(tmp, r->code);
	buf_adds(tmp, ".md");
	return buf_str(tmp);
}
