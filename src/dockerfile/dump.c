/* dump.c - the parse tree as JSON: every instruction, flag and argument with its span. */
#include "dockerfile/dump.h"
#include "core/jsonw.h"

#include <stdbool.h>

static void word(jsonw *w, const df_word *d)
{
	jw_obj(w);
	jw_key(w, "value");
	jw_strn(w, d->s, d->len);
	jw_key(w, "line");
	jw_int(w, d->line);
	jw_key(w, "column");
	jw_int(w, d->col);
	jw_key(w, "end_line");
	jw_int(w, d->end_line);
	jw_key(w, "end_column");
	jw_int(w, d->end_col);
	jw_obj_end(w);
}

static void words(jsonw *w, const char *key, const df_word *v, size_t n)
{
	jw_key(w, key);
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		word(w, &v[i]);
	jw_arr_end(w);
}

static void node(jsonw *w, const df_node *n, bool top)
{
	jw_obj(w);
	jw_key(w, "instruction");
	word(w, &n->keyword);
	jw_key(w, "start_line");
	jw_int(w, n->start_line);
	jw_key(w, "end_line");
	jw_int(w, n->end_line);
	words(w, "flags", n->flags, n->nflags);
	words(w, "args", n->args, n->nargs);
	jw_key(w, "json");
	jw_bool(w, n->json);
	if (n->unknown) {
		jw_key(w, "unknown");
		jw_bool(w, true);
	}
	if (n->nheredocs) {
		jw_key(w, "heredocs");
		jw_arr(w);
		for (size_t i = 0; i < n->nheredocs; i++) {
			const df_heredoc *h = &n->heredocs[i];
			jw_obj(w);
			jw_key(w, "name");
			jw_str(w, h->name);
			jw_key(w, "fd");
			jw_int(w, h->fd);
			jw_key(w, "expand");
			jw_bool(w, h->expand);
			jw_key(w, "chomp");
			jw_bool(w, h->chomp);
			jw_key(w, "body");
			word(w, &h->body);
			jw_obj_end(w);
		}
		jw_arr_end(w);
	}
	if (n->ncomments)
		words(w, "comments", n->comments, n->ncomments);
	/* ONBUILD's instruction; deeper chains (which BuildKit rejects) are not shown. */
	if (n->sub && top) {
		jw_key(w, "onbuild");
		node(w, n->sub, false);
	}
	jw_obj_end(w);
}

static void vars(jsonw *w, const char *key, const df_vars *vs)
{
	jw_key(w, key);
	jw_arr(w);
	for (size_t i = 0; i < vs->n; i++) {
		jw_obj(w);
		jw_key(w, "name");
		jw_str(w, vs->v[i].name);
		jw_key(w, "value");
		if (vs->v[i].value)
			jw_strn(w, vs->v[i].value, vs->v[i].vlen);
		else
			jw_null(w);
		jw_key(w, "line");
		jw_int(w, vs->v[i].where ? vs->v[i].where->line : 0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void model(jsonw *w, const df_build *b)
{
	vars(w, "global_args", &b->global_args);
	jw_key(w, "stages");
	jw_arr(w);
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		jw_obj(w);
		jw_key(w, "index");
		jw_int(w, st->index);
		jw_key(w, "name");
		jw_str(w, st->name);
		jw_key(w, "base");
		jw_str(w, st->base);
		jw_key(w, "base_stage");
		if (st->base_stage >= 0)
			jw_int(w, st->base_stage);
		else
			jw_null(w);
		jw_key(w, "platform");
		jw_str(w, st->platform);
		jw_key(w, "final");
		jw_bool(w, st->final);
		jw_key(w, "user");
		jw_str(w, st->user);
		jw_key(w, "workdir");
		jw_str(w, st->workdir);
		vars(w, "env", &st->env);
		jw_key(w, "instructions");
		jw_arr(w);
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			jw_obj(w);
			jw_key(w, "instruction");
			jw_str(w, df_kind_name(c->kind)[0] ? df_kind_name(c->kind) : c->node->keyword.s);
			jw_key(w, "line");
			jw_int(w, c->node->start_line);
			jw_key(w, "flags");
			jw_obj(w);
			for (size_t k = 0; k < c->nflags; k++) {
				jw_key(w, c->flags[k].name);
				if (c->flags[k].value)
					jw_strn(w, c->flags[k].value, c->flags[k].value_len);
				else
					jw_bool(w, true);
			}
			jw_obj_end(w);
			jw_key(w, "args");
			jw_arr(w);
			for (size_t k = 0; k < c->nargs; k++)
				jw_strn(w, c->args[k], c->arg_lens[k]);
			jw_arr_end(w);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "problems");
	jw_arr(w);
	for (size_t i = 0; i < b->problems.n; i++) {
		const df_problem *p = &b->problems.v[i];
		jw_obj(w);
		jw_key(w, "line");
		jw_int(w, p->line);
		jw_key(w, "column");
		jw_int(w, p->col);
		jw_key(w, "message");
		jw_str(w, p->msg);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void df_dump_json(const df_file *f, const df_build *b, buf *out)
{
	jsonw w;
	jw_init(&w, out, true);
	jw_obj(&w);
	jw_key(&w, "file");
	jw_str(&w, f->path);
	jw_key(&w, "escape");
	char esc[2] = {(char)f->escape, 0};
	jw_str(&w, esc);
	jw_key(&w, "directives");
	jw_arr(&w);
	for (size_t i = 0; i < f->ndirectives; i++) {
		jw_obj(&w);
		jw_key(&w, "name");
		word(&w, &f->directives[i].name);
		jw_key(&w, "value");
		word(&w, &f->directives[i].value);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_key(&w, "instructions");
	jw_arr(&w);
	for (size_t i = 0; i < f->nnodes; i++) {
		node(&w, f->nodes[i], true);
	}
	jw_arr_end(&w);
	if (b)
		model(&w, b);
	jw_obj_end(&w);
	buf_addc(out, '\n');
}

void df_dump_stages(const df_build *b, buf *out)
{
	for (size_t i = 0; i < b->global_args.n; i++) {
		const df_var *v = &b->global_args.v[i];
		buf_printf(out, "global ARG %s%s%s\n", v->name, v->value ? "=" : "",
			   v->value ? v->value : "");
	}
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		buf_printf(out, "stage %d %s: FROM %s%s%s%s\n", st->index, st->name ? st->name : "-",
			   st->base ? st->base : "?", st->platform ? " --platform=" : "",
			   st->platform ? st->platform : "",
			   st->final ? "  (final: this stage ships)" : "  (builder)");
		if (st->base_stage >= 0)
			buf_printf(out, "  builds on stage %d\n", st->base_stage);
		buf_printf(out, "  user: %s\n", st->user ? st->user : "(none: runs as root)");
		buf_printf(out, "  workdir: %s\n", st->workdir ? st->workdir : "(none)");
		for (size_t j = 0; j < st->env.n; j++) {
			const df_var *v = &st->env.v[j];
			buf_printf(out, "  %s %s=%.*s  (line %d)\n", v->from_arg ? "arg" : "env",
				   v->name, (int)v->vlen, v->value ? v->value : "",
				   v->where ? v->where->line : 0);
		}
	}
	for (size_t i = 0; i < b->problems.n; i++) {
		const df_problem *p = &b->problems.v[i];
		buf_printf(out, "problem %d:%d: %s\n", p->line, p->col, p->msg);
	}
}
