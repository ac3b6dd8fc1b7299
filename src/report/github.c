/* github.c - GitHub Actions workflow commands: one annotation per finding, which GitHub
 * shows on the pull request's diff and in the run summary. */
#include "report/report.h"

#include <string.h>

/* GitHub's escaping (toolkit/core command.ts): '%', CR and LF everywhere; ':' and ','
 * too inside a property value, where they would end the value. */
static void add_escaped(buf *out, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': buf_adds(out, "%25"); break;
		case '\r': buf_adds(out, "%0D"); break;
		case '\n': buf_adds(out, "%0A"); break;
		case ':':
			if (property)
				buf_adds(out, "%3A");
			else
				buf_addc(out, ':');
			break;
		case ',':
			if (property)
				buf_adds(out, "%2C");
			else
				buf_addc(out, ',');
			break;
		default: buf_addc(out, *s);
		}
	}
}

static const char *command(pl_severity s)
{
	if (s >= SEV_HIGH)
		return "error";
	if (s == SEV_MEDIUM)
		return "warning";
	return "notice";
}

void pl_report_github(buf *out, const pl_findings *fs, const pl_report_opts *o)
{
	for (size_t i = 0; i < fs->n; i++) {
		const pl_finding *f = &fs->v[i];
		buf_printf(out, "::%s file=", command(f->severity));
		add_escaped(out, f->file, true);
		if (f->line > 0) {
			buf_printf(out, ",line=%d", f->line);
			if (f->col > 0)
				buf_printf(out, ",col=%d", f->col);
			if (f->end_line > 0)
				buf_printf(out, ",endLine=%d", f->end_line);
			if (f->end_line > 0 && f->end_col > 0)
				buf_printf(out, ",endColumn=%d", f->end_col);
		}
		buf_adds(out, ",title=");
		add_escaped(out, f->rule->code, true);
		buf_addc(out, ' ');
		add_escaped(out, f->rule->slug, true);
		buf_adds(out, "::");
		add_escaped(out, f->message, false);
		buf_addc(out, '\n');
	}
}
