/* junit.c - JUnit XML for CI test dashboards: a test suite per scanned file, a failing test
 * case per (target, rule) that has findings, a passing one for a clean file. */
#include "report/report.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* XML 1.0 text and attribute values: the five specials as entities, and characters XML
 * 1.0 forbids (C0 controls other than tab/LF/CR, U+FFFE, U+FFFF, invalid UTF-8) replaced
 * by U+FFFD so a hostile file name or message cannot make the report unreadable. In an
 * attribute, tab/LF/CR are written as references, or a parser would normalise them to
 * spaces. */
static void add_xml(buf *out, const char *s, bool attr)
{
	size_t n = strlen(s);
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			int w = 1;
			int32_t r = utf8_decode(s + i, n - i, &w);
			if ((r == RUNE_ERROR && w == 1) || r == 0xFFFE || r == 0xFFFF)
				buf_adds(out, "\xEF\xBF\xBD");
			else
				buf_add(out, s + i, (size_t)w);
			i += (size_t)w;
			continue;
		}
		switch (c) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		case '\'': buf_adds(out, "&apos;"); break;
		case '\t': buf_adds(out, attr ? "&#9;" : "\t"); break;
		case '\n': buf_adds(out, attr ? "&#10;" : "\n"); break;
		case '\r': buf_adds(out, "&#13;"); break;
		default:
			if (c < 0x20 || c == 0x7F) /* DEL is legal XML but invisible: same treatment */
				buf_adds(out, "\xEF\xBF\xBD");
			else
				buf_addc(out, (char)c);
		}
		i++;
	}
}

static bool same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

/* The suites: every scanned file in order, then any file a finding names that the caller
 * did not list (so no finding is ever dropped from the report). */
static const char **suite_names(const pl_findings *fs, const pl_report_opts *o, size_t *np)
{
	const char **v = xmalloc((o->nfiles + fs->n + 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < o->nfiles; i++)
		v[n++] = o->files[i];
	for (size_t i = 0; i < fs->n; i++) {
		size_t j = 0;
		while (j < n && strcmp(v[j], fs->v[i].file))
			j++;
		if (j == n)
			v[n++] = fs->v[i].file;
	}
	*np = n;
	return v;
}

/* Findings grouped into test cases: pointers sorted so each (file, rule, target) group is
 * contiguous, in emission order within it. Ties break on the address, which is the
 * findings' own order, so the result does not depend on qsort's stability. */
static int group_cmp(const void *a, const void *b)
{
	const pl_finding *x = *(const pl_finding *const *)a, *y = *(const pl_finding *const *)b;
	int c = strcmp(x->file, y->file);
	if (!c)
		c = strcmp(x->rule->code, y->rule->code);
	if (!c && x->target != y->target)
		c = !x->target ? -1 : !y->target ? 1 : strcmp(x->target, y->target);
	if (!c)
		c = (x > y) - (x < y);
	return c;
}

static bool in_group(const pl_finding *g, const pl_finding *f)
{
	return g->rule == f->rule && same(g->target, f->target) && !strcmp(g->file, f->file);
}

/* One failing test case: the group that starts at grp[0] and runs while in_group holds. */
static void add_testcase(buf *out, const pl_finding *const *grp, size_t left)
{
	const pl_finding *f = grp[0];
	size_t count = 0;
	pl_severity worst = f->severity;
	while (count < left && in_group(grp[count], f)) {
		if (grp[count]->severity > worst)
			worst = grp[count]->severity;
		count++;
	}

	buf_adds(out, "    <testcase classname=\"");
	add_xml(out, f->file, true);
	buf_adds(out, "\" name=\"");
	add_xml(out, f->rule->code, true);
	buf_addc(out, ' ');
	add_xml(out, f->rule->slug, true);
	/* Two targets of one file can break the same rule: the target keeps the names apart. */
	if (f->target && *f->target) {
		buf_adds(out, ": ");
		add_xml(out, f->target, true);
	}
	buf_adds(out, "\">\n      <failure message=\"");
	if (count == 1)
		add_xml(out, f->message, true);
	else
		buf_printf(out, "%zu findings", count);
	buf_printf(out, "\" type=\"%s\">", pl_severity_name(worst));
	for (size_t j = 0; j < count; j++) {
		const pl_finding *g = grp[j];
		if (g->line > 0)
			buf_printf(out, "%d:%d: ", g->line, g->col);
		add_xml(out, g->message, false);
		buf_addc(out, '\n');
	}
	if (f->fix) {
		buf_adds(out, "fix: ");
		add_xml(out, f->fix, false);
		buf_addc(out, '\n');
	}
	buf_adds(out, "</failure>\n    </testcase>\n");
}

void pl_report_junit(buf *out, const pl_findings *fs, const pl_report_opts *o)
{
	size_t nsuites;
	const char **suites = suite_names(fs, o, &nsuites);

	const pl_finding **grp = xmalloc((fs->n + 1) * sizeof *grp);
	for (size_t i = 0; i < fs->n; i++)
		grp[i] = &fs->v[i];
	qsort(grp, fs->n, sizeof *grp, group_cmp);
	/* leader[i]: finding i opens its group (at grp[at[i]]); test cases follow the order
	 * of the findings, so a file's cases read top to bottom. */
	size_t *at = xcalloc(fs->n + 1, sizeof *at);
	bool *leader = xcalloc(fs->n + 1, sizeof *leader);
	size_t ngroups = 0;
	for (size_t k = 0; k < fs->n; k++) {
		size_t i = (size_t)(grp[k] - fs->v);
		if (k == 0 || !in_group(grp[k - 1], grp[k])) {
			leader[i] = true;
			at[i] = k;
			ngroups++;
		}
	}

	size_t *groups = xcalloc(nsuites + 1, sizeof *groups);
	size_t clean = 0;
	for (size_t s = 0; s < nsuites; s++) {
		for (size_t i = 0; i < fs->n; i++)
			if (leader[i] && !strcmp(fs->v[i].file, suites[s]))
				groups[s]++;
		clean += groups[s] == 0;
	}

	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	buf_printf(out, "<testsuites name=\"plimsoll\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
		   ngroups + clean, ngroups);
	for (size_t s = 0; s < nsuites; s++) {
		buf_adds(out, "  <testsuite name=\"");
		add_xml(out, suites[s], true);
		buf_printf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
			   groups[s] ? groups[s] : 1, groups[s]);
		if (!groups[s]) {
			buf_adds(out, "    <testcase classname=\"");
			add_xml(out, suites[s], true);
			buf_adds(out, "\" name=\"plimsoll\"/>\n");
		}
		for (size_t i = 0; i < fs->n && groups[s]; i++)
			if (leader[i] && !strcmp(fs->v[i].file, suites[s]))
				add_testcase(out, grp + at[i], fs->n - at[i]);
		buf_adds(out, "  </testsuite>\n");
	}
	buf_adds(out, "</testsuites>\n");
	free(groups);
	free(leader);
	free(at);
	free(grp);
	free(suites);
}
