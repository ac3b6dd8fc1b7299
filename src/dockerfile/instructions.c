/* instructions.c - instruction kinds, flag validation and argument checks (BuildKit's
 * frontend/dockerfile/instructions/parse.go and bflag.go, as errors we can report). */
#include "dockerfile/instructions.h"
#include "core/buf.h"
#include "core/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[] = {
	"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
	"LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
	"WORKDIR", "",
};

df_kind df_kind_of(const char *kw)
{
	for (int k = 0; k < DF_UNKNOWN; k++)
		if (strcasecmp(kw, kind_names[k]) == 0)
			return (df_kind)k;
	return DF_UNKNOWN;
}

const char *df_kind_name(df_kind k)
{
	return kind_names[k];
}

void df_problem_add(arena *mem, df_problems *ps, const df_word *w, const char *fmt, ...)
{
	if (ps->n == ps->cap) {
		size_t ncap = ps->cap ? ps->cap * 2 : 8;
		ps->v = arena_grow(mem, ps->v, ps->cap, ncap, sizeof *ps->v);
		ps->cap = ncap;
	}
	df_problem *p = &ps->v[ps->n++];
	p->line = w->line;
	p->col = w->col;
	p->end_line = w->end_line;
	p->end_col = w->end_col;
	va_list ap;
	va_start(ap, fmt);
	buf b = BUF_INIT;
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	p->msg = arena_strndup(mem, buf_str(&b), b.len);
	buf_free(&b);
}

/* --- flags (bflag.go) ------------------------------------------------------------------ */

enum ftype { F_BOOL, F_STRING, F_STRINGS };

typedef struct flagdef {
	df_kind kind;
	const char *name;
	enum ftype type;
} flagdef;

/* The flags BuildKit's Dockerfile frontend accepts today, per instruction. */
static const flagdef flagdefs[] = {
	{DF_ADD, "chown", F_STRING}, {DF_ADD, "chmod", F_STRING}, {DF_ADD, "link", F_BOOL},
	{DF_ADD, "keep-git-dir", F_BOOL}, {DF_ADD, "checksum", F_STRING},
	{DF_ADD, "exclude", F_STRINGS}, {DF_ADD, "unpack", F_BOOL},
	{DF_COPY, "from", F_STRING}, {DF_COPY, "chown", F_STRING}, {DF_COPY, "chmod", F_STRING},
	{DF_COPY, "link", F_BOOL}, {DF_COPY, "parents", F_BOOL}, {DF_COPY, "exclude", F_STRINGS},
	{DF_RUN, "mount", F_STRINGS}, {DF_RUN, "network", F_STRING},
	{DF_RUN, "security", F_STRING}, {DF_RUN, "device", F_STRINGS},
	{DF_FROM, "platform", F_STRING},
	{DF_HEALTHCHECK, "interval", F_STRING}, {DF_HEALTHCHECK, "timeout", F_STRING},
	{DF_HEALTHCHECK, "start-period", F_STRING}, {DF_HEALTHCHECK, "start-interval", F_STRING},
	{DF_HEALTHCHECK, "retries", F_STRING},
};

const df_flag *df_flag_get(const df_flag *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

void df_parse_flags(arena *mem, const df_node *n, df_kind k, df_flag **out, size_t *nout,
		    df_problems *ps)
{
	*out = NULL;
	*nout = 0;
	if (!n->nflags)
		return;
	df_flag *v = arena_alloc(mem, n->nflags * sizeof *v);
	size_t cnt = 0;
	for (size_t i = 0; i < n->nflags; i++) {
		const df_word *w = &n->flags[i];
		if (w->len < 2 || w->s[0] != '-' || w->s[1] != '-') {
			df_problem_add(mem, ps, w, "arg should start with -- : %s", w->s);
			continue;
		}
		const char *name = w->s + 2;
		const char *eq = memchr(name, '=', w->len - 2);
		size_t nl = eq ? (size_t)(eq - name) : w->len - 2;
		const flagdef *def = NULL;
		for (size_t d = 0; d < sizeof flagdefs / sizeof flagdefs[0]; d++)
			if (flagdefs[d].kind == k && strlen(flagdefs[d].name) == nl &&
			    memcmp(flagdefs[d].name, name, nl) == 0)
				def = &flagdefs[d];
		if (!def) {
			df_problem_add(mem, ps, w, "unknown flag: %.*s", (int)nl, name);
			continue;
		}
		if (def->type != F_STRINGS && df_flag_get(v, cnt, def->name)) {
			df_problem_add(mem, ps, w, "duplicate flag specified: %.*s", (int)nl, name);
			continue;
		}
		if (def->type == F_BOOL && eq && strcasecmp(eq + 1, "true") &&
		    strcasecmp(eq + 1, "false")) {
			df_problem_add(mem, ps, w, "expecting boolean value for flag %s, not: %s",
				       def->name, eq + 1);
			continue;
		}
		if (def->type != F_BOOL && !eq) {
			df_problem_add(mem, ps, w, "missing a value on flag: %s", def->name);
			continue;
		}
		df_flag *f = &v[cnt++];
		f->name = def->name;
		f->value = eq ? eq + 1 : NULL;
		f->value_len = eq ? w->len - 2 - nl - 1 : 0;
		f->word = w;
	}
	*out = v;
	*nout = cnt;
}

/* --- argument checks (parse.go) -------------------------------------------------------- */

/* BuildKit keeps ENV/LABEL as key, value, separator triples. */
static size_t kv_pairs(const df_node *n)
{
	return n->nargs / 3;
}

void df_check_instruction(arena *mem, const df_node *n, df_kind k, df_problems *ps)
{
	const df_word *kw = &n->keyword;
	const char *name = df_kind_name(k);
	switch (k) {
	case DF_UNKNOWN:
		df_problem_add(mem, ps, kw, "unknown instruction: %s", kw->s);
		break;
	case DF_FROM:
		if (n->nargs != 1 && n->nargs != 3)
			df_problem_add(mem, ps, kw, "FROM requires either one or three arguments");
		else if (n->nargs == 3 && strcasecmp(n->args[1].s, "as"))
			df_problem_add(mem, ps, &n->args[1],
				       "FROM requires either one or three arguments");
		break;
	case DF_ENV:
	case DF_LABEL:
		if (kv_pairs(n) == 0)
			df_problem_add(mem, ps, kw, "%s requires at least one argument", name);
		for (size_t i = 0; i + 2 < n->nargs; i += 3)
			if (n->args[i].len == 0)
				df_problem_add(mem, ps, &n->args[i], "%s names can not be blank", name);
		break;
	case DF_ARG:
		if (n->nargs == 0)
			df_problem_add(mem, ps, kw, "ARG requires at least one argument");
		for (size_t i = 0; i < n->nargs; i++)
			if (n->args[i].len == 0 || n->args[i].s[0] == '=')
				df_problem_add(mem, ps, &n->args[i], "ARG names can not be blank");
		break;
	case DF_MAINTAINER:
	case DF_WORKDIR:
	case DF_USER:
	case DF_STOPSIGNAL:
		if (n->nargs != 1)
			df_problem_add(mem, ps, kw, "%s requires exactly one argument", name);
		break;
	case DF_EXPOSE:
	case DF_VOLUME:
		if (n->nargs == 0)
			df_problem_add(mem, ps, kw, "%s requires at least one argument", name);
		for (size_t i = 0; i < n->nargs && k == DF_VOLUME; i++)
			if (go_blank(n->args[i].s, n->args[i].len))
				df_problem_add(mem, ps, &n->args[i],
					       "VOLUME specified can not be an empty string");
		break;
	case DF_ADD:
	case DF_COPY:
		if (n->nargs < 2 && !(n->nargs >= 1 && n->nheredocs))
			df_problem_add(mem, ps, kw,
				       "%s requires at least two arguments, but only %s provided. "
				       "Destination could not be determined",
				       name, n->nargs ? "one was" : "none were");
		break;
	case DF_SHELL:
		if (!n->json)
			df_problem_add(mem, ps, kw, "SHELL requires the arguments to be in JSON form");
		else if (n->nargs == 0)
			df_problem_add(mem, ps, kw, "SHELL requires at least one argument");
		break;
	case DF_HEALTHCHECK:
		if (n->nargs == 0) {
			df_problem_add(mem, ps, kw, "HEALTHCHECK requires an argument");
		} else if (!strcasecmp(n->args[0].s, "none")) {
			if (n->nargs > 1)
				df_problem_add(mem, ps, &n->args[1], "HEALTHCHECK NONE takes no arguments");
		} else if (!strcasecmp(n->args[0].s, "cmd")) {
			if (n->nargs == 1)
				df_problem_add(mem, ps, kw, "Missing command after HEALTHCHECK CMD");
		} else {
			df_problem_add(mem, ps, &n->args[0], "Unknown type \"%s\" in HEALTHCHECK (try CMD)",
				       n->args[0].s);
		}
		break;
	case DF_ONBUILD:
		if (!n->sub) {
			df_problem_add(mem, ps, kw, "ONBUILD requires at least one argument");
		} else {
			df_kind sk = df_kind_of(n->sub->keyword.s);
			if (sk == DF_ONBUILD)
				df_problem_add(mem, ps, &n->sub->keyword, "ONBUILD ONBUILD is not allowed");
			else if (sk == DF_FROM || sk == DF_MAINTAINER)
				df_problem_add(mem, ps, &n->sub->keyword,
					       "%s isn't allowed as an ONBUILD trigger", df_kind_name(sk));
		}
		break;
	case DF_RUN:
	case DF_CMD:
	case DF_ENTRYPOINT:
		break;
	}
}
