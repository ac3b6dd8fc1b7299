/* engine.c - one Dockerfile through the whole flow: read, parse, model, rules, then
 * suppressions and configuration, then source lines for the reporters.
 *
 * Suppressions act after the rules, as the design says: inline pragmas
 * (`# plimsoll ignore=PL201,pipe-without-pipefail -- reason` above an instruction,
 * `# plimsoll global ignore=...` anywhere for the whole file) and hadolint's own
 * (`# hadolint ignore=DL3008`, `global ignore=`, `stage ignore=` before a FROM) name rules
 * by code, slug or any peer id the rule lists in aka. */
#include "engine/engine.h"
#include "context/context.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/xalloc.h"
#include "dockerfile/parser.h"
#include "dockerfile/stages.h"
#include "engine/scan.h"

#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool aka_has(const char *aka, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = aka; *p;) {
		while (*p == ' ')
			p++;
		size_t l = strcspn(p, " ");
		if (l == n && !strncasecmp(p, id, n))
			return true;
		p += l;
	}
	return false;
}

/* Does a comma-separated list name this finding's rule? */
static bool list_names(const char *list, size_t n, const pl_finding *f)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && list[j] != ',')
			j++;
		char id[64];
		size_t l = j - i;
		if (l && l < sizeof id) {
			memcpy(id, list + i, l);
			id[l] = '\0';
			/* a peer id names this finding when the finding carries it (a hadolint
			 * ignore=DL3008 silences apt pins, not the pip pins of the same rule) */
			bool peer = f->aka && f->aka[0] ? aka_has(f->aka, id) : pl_rule_has_aka(f->rule, id);
			if (!strcasecmp(id, f->rule->code) || !strcasecmp(id, f->rule->slug) || peer ||
			    !strcmp(id, "*") || !strcasecmp(id, "all"))
				return true;
		}
		i = j + 1;
	}
	return false;
}

/* Parse "<tool> [global|stage ]ignore=LIST": returns the scope ('i' next instruction,
 * 'g' global, 's' stage) and the list, or 0. */
static int pragma(const char *c, const char **list, size_t *n)
{
	const char *p;
	if (!strncmp(c, "plimsoll ", 9))
		p = c + 9;
	else if (!strncmp(c, "hadolint ", 9))
		p = c + 9;
	else
		return 0;
	int scope = 'i';
	if (!strncmp(p, "global ", 7))
		scope = 'g', p += 7;
	else if (!strncmp(p, "stage ", 6))
		scope = 's', p += 6;
	if (strncmp(p, "ignore=", 7))
		return 0;
	p += 7;
	*list = p;
	*n = strcspn(p, " \t#");
	return scope;
}

static bool suppressed(const df_file *df, const df_build *b, const pl_finding *f)
{
	const char *list;
	size_t n;
	for (size_t i = 0; i < df->nnodes; i++) {
		const df_node *node = df->nodes[i];
		for (size_t k = 0; k < node->ncomments; k++) {
			int scope = pragma(node->comments[k].s, &list, &n);
			if (!scope || !list_names(list, n, f))
				continue;
			if (scope == 'g')
				return true;
			if (f->line == 0)
				continue;
			if (scope == 'i' && f->line >= node->start_line && f->line <= node->end_line)
				return true;
			if (scope == 's' && df_kind_of(node->keyword.s) == DF_FROM) {
				/* from this FROM to the next one */
				int end = INT32_MAX;
				for (size_t j = i + 1; j < df->nnodes; j++)
					if (df_kind_of(df->nodes[j]->keyword.s) == DF_FROM) {
						end = df->nodes[j]->start_line - 1;
						break;
					}
				if (f->line >= node->start_line && f->line <= end)
					return true;
			}
		}
	}
	(void)b;
	return false;
}

/* The text of a 1-based line, for carets. With the parser's line index it is found
 * directly; a file that did not parse is searched from the start. */
static char *source_line(const df_file *df, const char *src, size_t len, int line)
{
	if (line < 1)
		return NULL;
	size_t a = 0;
	if (df && df->line_starts && (size_t)line <= df->nlines)
		a = df->line_starts[line - 1], line = 1;
	for (int l = 1; l < line; l++) {
		const char *nl = memchr(src + a, '\n', len - a);
		if (!nl)
			return NULL;
		a = (size_t)(nl - src) + 1;
	}
	const char *nl = memchr(src + a, '\n', len - a);
	size_t e = nl ? (size_t)(nl - src) : len;
	while (e > a && src[e - 1] == '\r')
		e--;
	return xstrndup(src + a, e - a);
}

/* Report a problem as PL901 when the rule is on. */
static void syntax_finding(pl_scan *s, int line, int col, int end_line, int end_col,
			   const char *aka, const char *msg)
{
	const pl_rule *r = pl_rule_find("PL901");
	if (!r || !pl_config_rule_enabled(s->cfg, r))
		return;
	s->rule = r;
	if (end_line < line || (end_line == line && end_col <= col))
		end_line = line, end_col = col + 1;
	pl_emit_at(s, line, col, end_line, end_col, aka, NULL, "%s", msg);
}

static const char *problem_aka(const char *msg)
{
	if (strstr(msg, "ONBUILD"))
		return "DL3043";
	if (strstr(msg, "no build stage"))
		return "DL3061";
	return "DL1000";
}

static void run_rules(pl_scan *s, const df_build *b, const pl_buildctx *x)
{
	for (size_t i = 0; i < pl_nrules; i++) {
		const pl_rule *r = pl_rules[i];
		if (!pl_config_rule_enabled(s->cfg, r))
			continue;
		s->rule = r;
		if (r->check_dockerfile)
			r->check_dockerfile(s, b);
		if (x && r->check_context)
			r->check_context(s, x);
	}
}

static void scan_data(const pl_config *cfg, const char *path, const char *display,
		      bool with_context, pl_input *inp, pl_findings *out);

int pl_scan_dockerfile(const pl_config *cfg, const char *path, const char *display,
		       bool with_context, pl_findings *out, char *err, size_t errlen)
{
	pl_input in;
	if (pl_read_file(path, DF_MAX_FILE, &in, err, errlen) < 0)
		return -1;
	scan_data(cfg, path, display, with_context, &in, out);
	pl_input_free(&in);
	return 0;
}

void pl_scan_dockerfile_data(const pl_config *cfg, const pl_input *data, const char *display,
			     pl_findings *out)
{
	pl_input in = *data;
	scan_data(cfg, "-", display, false, &in, out);
}

static void scan_data(const pl_config *cfg, const char *path, const char *display,
		      bool with_context, pl_input *inp, pl_findings *out)
{
	pl_input in = *inp;
	pl_scan s;
	pl_scan_init(&s, cfg, display);
	df_file df;
	memset(&df, 0, sizeof df);
	df_build b;
	memset(&b, 0, sizeof b);
	bool parsed = false;

	size_t bad;
	const char *why;
	if (!pl_text_check(in.data, in.len, &bad, &why)) {
		int line = 1, col = 1;
		for (size_t i = 0; i < bad; i++)
			in.data[i] == '\n' ? (line++, col = 1) : col++;
		syntax_finding(&s, line, col, line, col + 1, "DL1000", why);
	} else if (df_parse(&df, display, in.data, in.len) < 0) {
		syntax_finding(&s, df.err_line, df.err_col, df.err_line, df.err_col + 1, "DL1000",
			       df.err);
	} else {
		parsed = true;
		s.df = &df;
		df_build_model(&df, &b);
		for (size_t i = 0; i < b.problems.n; i++)
			syntax_finding(&s, b.problems.v[i].line, b.problems.v[i].col,
				       b.problems.v[i].end_line, b.problems.v[i].end_col,
				       problem_aka(b.problems.v[i].msg), b.problems.v[i].msg);
		pl_buildctx x;
		bool have_ctx = false;
		if (with_context && strcmp(path, "-")) {
			char *dup = xstrdup(path);
			char ctxerr[256];
			have_ctx = pl_buildctx_open(&x, dirname(dup), path, &b, ctxerr,
						    sizeof ctxerr) == 0;
			free(dup);
		}
		run_rules(&s, &b, have_ctx ? &x : NULL);
		if (have_ctx)
			pl_buildctx_free(&x);
	}

	for (size_t i = 0; i < s.out.n; i++) {
		pl_finding *f = &s.out.v[i];
		if ((parsed && suppressed(&df, &b, f)) ||
		    pl_config_path_ignored(cfg, f->rule, display))
			continue;
		pl_finding *o = pl_findings_add(out);
		*o = *f;
		memset(f, 0, sizeof *f);
		/* a configured severity wins; otherwise the rule's, or the one its check chose */
		if (cfg->severity[pl_rule_index(o->rule)] >= 0)
			o->severity = pl_config_severity(cfg, o->rule);
		o->source = source_line(parsed ? &df : NULL, in.data, in.len, o->line);
	}
	pl_findings_free(&s.out);
	arena_free(&s.mem);
	df_free(&df);
}
