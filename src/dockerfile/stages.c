/* stages.c - see stages.h. Follows dockerfile2llb's dispatch order: global ARGs, then each
 * stage's instructions in order, expanding with the variables defined so far. */
#include "dockerfile/stages.h"
#include "dockerfile/shlex.h"
#include "core/buf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const df_var *df_vars_get(const df_vars *vs, const char *name, size_t len)
{
	for (size_t i = vs->n; i-- > 0;)
		if (strlen(vs->v[i].name) == len && memcmp(vs->v[i].name, name, len) == 0)
			return &vs->v[i];
	return NULL;
}

static void vars_set(arena *mem, df_vars *vs, const char *name, size_t nlen, const char *val,
		     size_t vlen, const df_word *where, bool from_arg)
{
	if (vs->n == vs->cap) {
		size_t ncap = vs->cap ? vs->cap * 2 : 8;
		vs->v = arena_grow(mem, vs->v, vs->cap, ncap, sizeof *vs->v);
		vs->cap = ncap;
	}
	df_var *v = &vs->v[vs->n++];
	v->name = arena_strndup(mem, name, nlen);
	v->value = val ? arena_strndup(mem, val, vlen) : NULL;
	v->vlen = val ? vlen : 0;
	v->where = where;
	v->from_arg = from_arg;
}

static void vars_copy(arena *mem, df_vars *dst, const df_vars *src)
{
	dst->n = dst->cap = 0;
	dst->v = NULL;
	for (size_t i = 0; i < src->n; i++)
		if (!src->v[i].from_arg) /* ARGs go out of scope at the end of their stage */
			vars_set(mem, dst, src->v[i].name, strlen(src->v[i].name), src->v[i].value,
				 src->v[i].vlen, src->v[i].where, false);
}

/* Lookup callback for the shell lexer: a variable declared without a value is unset. */
static bool lookup(void *ctx, const char *name, size_t len, const char **val, size_t *vlen)
{
	const df_var *v = df_vars_get(ctx, name, len);
	if (!v || !v->value)
		return false;
	*val = v->value;
	*vlen = v->vlen;
	return true;
}

/* ProcessWord: quotes removed, variables expanded. On error, records a problem and keeps
 * the text as written. */
static const char *expand_u(df_build *b, arena *mem, const df_vars *vars, const df_word *w,
			    const char *s, size_t n, size_t *out_len, bool *unresolved)
{
	shlex_opts o = {.escape = b->file->escape};
	shlex_result r = {0};
	const char *res;
	if (b->expand_budget < n) { /* the file has expanded enough: keep text as written */
		*out_len = n;
		return arena_strndup(mem, s, n);
	}
	if (shlex_process(s, n, &o, lookup, (void *)vars, &r) < 0) {
		df_problem_add(mem, &b->problems, w, "%s", r.error);
		res = arena_strndup(mem, s, n);
		*out_len = n;
	} else {
		res = arena_strndup(mem, r.word, r.word_len);
		*out_len = r.word_len;
		if (unresolved)
			*unresolved = r.nunmatched > 0;
		df_cmd *c = b->current;
		for (size_t i = 0; c && i < r.nunmatched; i++) {
			bool seen = false;
			for (size_t k = 0; k < c->nunset; k++)
				seen = seen || !strcmp(c->unset[k], r.unmatched[i]);
			if (seen)
				continue;
			c->unset = arena_grow(mem, (void *)c->unset, c->nunset, c->nunset + 1,
					      sizeof *c->unset);
			c->unset[c->nunset++] = arena_strdup(mem, r.unmatched[i]);
		}
		if (r.word_len > b->expand_budget) {
			b->expand_budget = 0;
			df_problem_add(mem, &b->problems, w,
				       "variable expansion stopped: the file expands to more than %d bytes",
				       DF_MAX_EXPANDED);
		} else {
			b->expand_budget -= r.word_len;
		}
	}
	shlex_result_free(&r);
	return res;
}

static const char *expand(df_build *b, arena *mem, const df_vars *vars, const df_word *w,
			  const char *s, size_t n, size_t *out_len)
{
	return expand_u(b, mem, vars, w, s, n, out_len, NULL);
}

static bool expands_args(df_kind k)
{
	switch (k) {
	case DF_ADD: case DF_COPY: case DF_EXPOSE: case DF_LABEL: /* ENV: in resolve() */
	case DF_STOPSIGNAL: case DF_USER: case DF_VOLUME: case DF_WORKDIR:
		return true;
	default:
		return false;
	}
}

static bool expands_flag(const char *name)
{
	static const char *const names[] = {"from", "chown", "chmod", "checksum", "platform",
					    "mount", "network", "security"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

int df_stage_ref(const df_build *b, const char *ref, int before)
{
	for (int i = 0; i < before && i < (int)b->nstages; i++)
		if (b->stages[i].name && !strcasecmp(b->stages[i].name, ref))
			return i;
	char *end;
	long idx = strtol(ref, &end, 10);
	if (*ref && !*end && idx >= 0 && idx < before)
		return (int)idx;
	return -1;
}

/* Resolve one instruction inside a stage (or a global ARG when st is NULL). */
static void resolve(df_build *b, arena *mem, df_stage *st, df_vars *vars, const df_node *n,
		    df_cmd *c)
{
	c->node = n;
	c->kind = df_kind_of(n->keyword.s);
	b->current = c;
	df_parse_flags(mem, n, c->kind, &c->flags, &c->nflags, &b->problems);
	df_check_instruction(mem, n, c->kind, &b->problems);

	for (size_t i = 0; i < c->nflags; i++) {
		df_flag *f = &c->flags[i];
		if (f->value && expands_flag(f->name) && c->kind != DF_FROM)
			f->value = expand(b, mem, vars, f->word, f->value, f->value_len, &f->value_len);
	}
	c->nargs = n->nargs;
	c->args = arena_alloc(mem, (n->nargs + 1) * sizeof *c->args);
	c->arg_lens = arena_alloc(mem, (n->nargs + 1) * sizeof *c->arg_lens);
	c->expanded = expands_args(c->kind) && !n->json;
	for (size_t i = 0; i < n->nargs; i++) {
		const df_word *w = &n->args[i];
		if (c->expanded || (n->json && (c->kind == DF_COPY || c->kind == DF_ADD ||
						 c->kind == DF_VOLUME)))
			c->args[i] = expand(b, mem, vars, w, w->s, w->len, &c->arg_lens[i]);
		else
			c->args[i] = w->s, c->arg_lens[i] = w->len;
	}

	switch (c->kind) {
	case DF_ENV:
		/* Key, value, separator triples. Every pair expands with the variables as they
		 * were before this ENV: `ENV a=bye b=$a` gives b the old a (Docker documents it). */
		for (size_t i = 0; i + 2 < n->nargs; i += 3) {
			const df_word *kw = &n->args[i], *vw = &n->args[i + 1];
			c->args[i] = expand(b, mem, vars, kw, kw->s, kw->len, &c->arg_lens[i]);
			c->args[i + 1] = expand(b, mem, vars, vw, vw->s, vw->len, &c->arg_lens[i + 1]);
		}
		for (size_t i = 0; i + 2 < n->nargs; i += 3) {
			vars_set(mem, vars, c->args[i], c->arg_lens[i], c->args[i + 1],
				 c->arg_lens[i + 1], &n->args[i], false);
			if (st)
				vars_set(mem, &st->env, c->args[i], c->arg_lens[i], c->args[i + 1],
					 c->arg_lens[i + 1], &n->args[i], false);
		}
		break;
	case DF_ARG:
		for (size_t i = 0; i < n->nargs; i++) {
			const df_word *w = &n->args[i];
			const char *eq = memchr(w->s, '=', w->len);
			size_t kl = eq ? (size_t)(eq - w->s) : w->len;
			const char *val = NULL;
			size_t vl = 0;
			if (eq) {
				val = expand(b, mem, vars, w, eq + 1, w->len - kl - 1, &vl);
			} else if (st) {
				/* ARG x in a stage takes the global default of the same name. */
				const df_var *g = df_vars_get(&b->global_args, w->s, kl);
				if (g && g->value)
					val = g->value, vl = g->vlen;
			}
			vars_set(mem, vars, w->s, kl, val, vl, w, true);
			if (st && val)
				vars_set(mem, &st->env, w->s, kl, val, vl, w, true);
		}
		break;
	case DF_USER:
		if (st && n->nargs == 1)
			st->user = c->args[0], st->user_word = &n->args[0];
		break;
	case DF_WORKDIR:
		if (st && n->nargs == 1) {
			const char *wd = c->args[0];
			if (wd[0] != '/' && st->workdir) { /* relative WORKDIR joins the previous */
				buf p = BUF_INIT;
				buf_printf(&p, "%s/%s", st->workdir, wd);
				wd = arena_strndup(mem, p.p, p.len);
				buf_free(&p);
			}
			st->workdir = wd;
		}
		break;
	default:
		break;
	}
}

static df_stage *new_stage(df_build *b, arena *mem, size_t *cap)
{
	if (b->nstages == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		b->stages = arena_grow(mem, b->stages, *cap, ncap, sizeof *b->stages);
		*cap = ncap;
	}
	df_stage *st = &b->stages[b->nstages];
	memset(st, 0, sizeof *st);
	st->index = (int)b->nstages++;
	st->base_stage = -1;
	return st;
}

static void push_cmd(arena *mem, df_cmd **v, size_t *n, size_t *cap, df_cmd *c)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		*v = arena_grow(mem, *v, *cap, ncap, sizeof **v);
		*cap = ncap;
	}
	(*v)[(*n)++] = *c;
}

void df_build_model(const df_file *f, df_build *b)
{
	arena *mem = (arena *)&f->mem;
	memset(b, 0, sizeof *b);
	b->file = f;
	b->expand_budget = DF_MAX_EXPANDED;
	size_t stage_cap = 0, gcap = 0, ccap = 0;
	df_stage *st = NULL;
	df_vars scope = {0}; /* variables visible to the current stage */

	for (size_t i = 0; i < f->nnodes; i++) {
		const df_node *n = f->nodes[i];
		df_kind k = df_kind_of(n->keyword.s);
		df_cmd c = {0};
		if (k == DF_FROM) {
			st = new_stage(b, mem, &stage_cap);
			ccap = 0;
			resolve(b, mem, st, &b->global_args, n, &c);
			/* FROM expands with the global ARGs only. */
			if (n->nargs >= 1) {
				size_t l;
				st->base_word = &n->args[0];
				st->base = expand_u(b, mem, &b->global_args, &n->args[0], n->args[0].s,
						    n->args[0].len, &l, &st->base_unresolved);
				c.args[0] = st->base, c.arg_lens[0] = l;
			}
			if (n->nargs == 3) {
				char *name = arena_strndup(mem, n->args[2].s, n->args[2].len);
				for (char *p = name; *p; p++)
					if (*p >= 'A' && *p <= 'Z')
						*p = (char)(*p - 'A' + 'a');
				st->name = name;
				st->name_word = &n->args[2];
			}
			for (size_t j = 0; j < c.nflags; j++)
				if (!strcmp(c.flags[j].name, "platform")) {
					size_t l;
					st->platform = expand(b, mem, &b->global_args, c.flags[j].word,
							      c.flags[j].value, c.flags[j].value_len, &l);
				}
			scope.n = scope.cap = 0;
			scope.v = NULL;
			if (st->base) {
				int ref = df_stage_ref(b, st->base, st->index);
				/* Only names refer to stages in FROM; an image can be called "0". */
				if (ref >= 0 && b->stages[ref].name && !strcasecmp(b->stages[ref].name, st->base)) {
					const df_stage *p = &b->stages[ref];
					st->base_stage = ref;
					vars_copy(mem, &st->env, &p->env);
					vars_copy(mem, &scope, &p->env);
					st->user = p->user;
					st->user_word = p->user_word;
					st->workdir = p->workdir;
				}
			}
			b->current = NULL;
			push_cmd(mem, &st->cmds, &st->ncmds, &ccap, &c);
			continue;
		}
		if (!st && k == DF_ARG) {
			resolve(b, mem, NULL, &b->global_args, n, &c);
			b->current = NULL;
			push_cmd(mem, &b->global_cmds, &b->nglobal_cmds, &gcap, &c);
			continue;
		}
		if (!st) {
			/* BuildKit refuses instructions before the first FROM; keep them in an
			 * implicit stage so that rules can still judge them. */
			if (k != DF_UNKNOWN)
				df_problem_add(mem, &b->problems, &n->keyword,
					       "no build stage in current context");
			st = new_stage(b, mem, &stage_cap);
			st->implicit = true;
			ccap = 0;
		}
		resolve(b, mem, st, &scope, n, &c);
		b->current = NULL;
		push_cmd(mem, &st->cmds, &st->ncmds, &ccap, &c);
	}
	if (b->nstages)
		b->stages[b->nstages - 1].final = true;
}
