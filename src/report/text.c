/* text.c - the human format: compiler-style lines, the source line with a caret under the
 * span, the fix and target, and a one-line summary. */
#include "report/report.h"
#include "core/utf8.h"

#include <string.h>

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_CYAN "\033[1;36m"
#define C_GREEN "\033[1;32m"

static const char *sev_color(pl_severity s)
{
	if (s >= SEV_HIGH)
		return C_RED;
	if (s == SEV_MEDIUM)
		return C_YELLOW;
	return C_CYAN;
}

/* Text from a scanned file (messages quote it) must not drive the terminal: control
 * characters become '?', one column each, so the caret still lines up. A tab is kept in
 * the source line, where the caret line reproduces it. */
static void add_clean(buf *out, const char *s, size_t n, bool keep_tab)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && !(c == '\t' && keep_tab)) || c == 0x7F)
			buf_addc(out, '?');
		else
			buf_addc(out, (char)c);
	}
}

/* Advance one character (a UTF-8 sequence) from s[i]; a terminal shows one column each. */
static size_t next_char(const char *s, size_t n, size_t i)
{
	int w = 1;
	utf8_decode(s + i, n - i, &w);
	return i + (size_t)w;
}

/* The source line and, under it, '^' at the column and '~' to the end of the span. */
static void add_caret(buf *out, const pl_finding *f, bool color)
{
	const char *src = f->source;
	size_t len = strlen(src);
	buf_addc(out, ' ');
	add_clean(out, src, len, true);
	buf_addc(out, '\n');
	if (f->col <= 0)
		return;

	size_t start = (size_t)f->col - 1;
	size_t end; /* byte offset where the span stops on this line */
	if (f->end_line > f->line)
		end = len;
	else if (f->end_col > f->col)
		end = (size_t)f->end_col - 1;
	else
		end = start;
	if (end > len)
		end = len;

	buf_addc(out, ' ');
	size_t i = 0;
	while (i < start && i < len) {
		buf_addc(out, src[i] == '\t' ? '\t' : ' ');
		i = next_char(src, len, i);
	}
	for (; i < start; i++) /* a column past the end of the line */
		buf_addc(out, ' ');
	if (color)
		buf_adds(out, C_GREEN);
	buf_addc(out, '^');
	if (i < end)
		i = next_char(src, len, i);
	while (i < end) {
		buf_addc(out, '~');
		i = next_char(src, len, i);
	}
	if (color)
		buf_adds(out, C_RESET);
	buf_addc(out, '\n');
}

static void add_finding(buf *out, const pl_finding *f, bool color)
{
	if (color)
		buf_adds(out, C_BOLD);
	add_clean(out, f->file, strlen(f->file), false);
	if (f->line > 0) {
		buf_printf(out, ":%d", f->line);
		if (f->col > 0)
			buf_printf(out, ":%d", f->col);
	}
	buf_addc(out, ':');
	if (color)
		buf_adds(out, C_RESET);
	buf_addc(out, ' ');
	if (color)
		buf_adds(out, sev_color(f->severity));
	buf_adds(out, pl_severity_name(f->severity));
	if (color)
		buf_adds(out, C_RESET);
	buf_printf(out, "[%s %s]: ", f->rule->code, f->rule->slug);
	add_clean(out, f->message, strlen(f->message), false);
	buf_addc(out, '\n');

	if (f->source && f->line > 0)
		add_caret(out, f, color);
	if (f->fix) {
		buf_adds(out, "  fix: ");
		add_clean(out, f->fix, strlen(f->fix), false);
		buf_addc(out, '\n');
	}
	if (f->target) {
		buf_adds(out, "  target: ");
		add_clean(out, f->target, strlen(f->target), false);
		buf_addc(out, '\n');
	}
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* "3 findings (1 critical, 2 high) in 2 files; failing threshold: high" */
static void add_summary(buf *out, const pl_findings *fs, const pl_report_opts *o)
{
	size_t by[SEV_CRITICAL + 1] = {0};
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].severity >= SEV_INFO && fs->v[i].severity <= SEV_CRITICAL)
			by[fs->v[i].severity]++;

	if (fs->n == 0) {
		buf_adds(out, "no findings");
	} else {
		buf_printf(out, "%zu %s (", fs->n, plural(fs->n, "finding", "findings"));
		const char *sep = "";
		for (int s = SEV_CRITICAL; s >= SEV_INFO; s--) {
			if (!by[s])
				continue;
			buf_printf(out, "%s%zu %s", sep, by[s], pl_severity_name((pl_severity)s));
			sep = ", ";
		}
		buf_addc(out, ')');
	}
	buf_printf(out, " in %zu %s%s", o->nfiles, o->unit ? o->unit : "file",
		   o->nfiles == 1 ? "" : "s");
	if (fs->n)
		buf_printf(out, "; failing threshold: %s", pl_severity_name(o->fail_on));
	buf_addc(out, '\n');
}

void pl_report_text(buf *out, const pl_findings *fs, const pl_report_opts *o)
{
	for (size_t i = 0; i < fs->n; i++)
		add_finding(out, &fs->v[i], o->color);
	if (o->quiet) /* --quiet: the findings only, so a clean run prints nothing */
		return;
	if (fs->n)
		buf_addc(out, '\n');
	add_summary(out, fs, o);
}
