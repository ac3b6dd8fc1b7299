/* util.c - see util.h: the parsed RUN scripts of a build, spans and stage helpers. */
#include "rules/util.h"
#include "image/image.h"
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const df_stage *pl_final_stage(const df_build *b)
{
	return b->nstages ? &b->stages[b->nstages - 1] : NULL;
}

const char *pl_stage_label(const df_stage *st, char *tmp, size_t n)
{
	if (st->name)
		snprintf(tmp, n, "stage '%s'", st->name);
	else
		snprintf(tmp, n, "stage %d", st->index);
	return tmp;
}

bool pl_has_prefix(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* A heredoc body is a shell script when the RUN runs it directly (RUN <<EOF) or feeds it
 * to a POSIX shell (RUN bash <<EOF), and its first line is not another interpreter's
 * shebang. */
static bool heredoc_is_script(arena *mem, const df_node *n, const df_heredoc *h)
{
	if (h->body.len > 2 && !strncmp(h->body.s, "#!", 2)) {
		const char *nl = memchr(h->body.s, '\n', h->body.len);
		size_t l = nl ? (size_t)(nl - h->body.s) : h->body.len;
		char line[128];
		snprintf(line, sizeof line, "%.*s", (int)l, h->body.s);
		return strstr(line, "sh") && !strstr(line, "python") && !strstr(line, "node");
	}
	sh_script sc;
	sh_parse(mem, n->rest.s, n->rest.len, &sc);
	if (sc.ncmds == 0 || sc.cmds[0].argc == 0)
		return true; /* RUN <<EOF: the body is the script */
	const char *name = sh_cmd_name(&sc.cmds[0]);
	static const char *const shells[] = {"sh", "bash", "ash", "dash", "zsh", "ksh", NULL};
	for (size_t i = 0; shells[i]; i++)
		if (!strcmp(name, shells[i]))
			return true;
	return false;
}

static void add_run(pl_scan *s, size_t *cap, const pl_run *r)
{
	if (s->nruns == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		s->runs = arena_grow(&s->mem, s->runs, *cap, ncap, sizeof *s->runs);
		*cap = ncap;
	}
	s->runs[s->nruns++] = *r;
}

const pl_run *pl_runs(pl_scan *s, const df_build *b, size_t *n)
{
	if (s->runs_ready) {
		*n = s->nruns;
		return s->runs;
	}
	size_t cap = 0;
	const char **shells = arena_alloc(&s->mem, (b->nstages + 1) * sizeof *shells);
	for (size_t si = 0; si < b->nstages; si++) {
		const df_stage *st = &b->stages[si];
		const char *shell = st->base_stage >= 0 ? shells[st->base_stage] : "/bin/sh -c";
		for (size_t ci = 0; ci < st->ncmds; ci++) {
			const df_cmd *c = &st->cmds[ci];
			const df_node *node = c->node;
			bool onbuild = false;
			if (c->kind == DF_SHELL && node->json) {
				buf j = BUF_INIT;
				for (size_t k = 0; k < node->nargs; k++) {
					if (k)
						buf_addc(&j, ' ');
					buf_add(&j, node->args[k].s, node->args[k].len);
				}
				shell = arena_strndup(&s->mem, buf_str(&j), j.len);
				buf_free(&j);
				continue;
			}
			if (c->kind == DF_ONBUILD && node->sub &&
			    df_kind_of(node->sub->keyword.s) == DF_RUN) {
				node = node->sub;
				onbuild = true;
			} else if (c->kind != DF_RUN) {
				continue;
			}
			pl_run r = {.stage = st, .cmd = c, .node = node, .onbuild = onbuild,
				    .exec_form = node->json, .shell = shell};
			if (!node->json)
				sh_parse(&s->mem, node->rest.s, node->rest.len, &r.script);
			add_run(s, &cap, &r);
			for (size_t h = 0; h < node->nheredocs && !node->json; h++) {
				const df_heredoc *hd = &node->heredocs[h];
				if (!heredoc_is_script(&s->mem, node, hd))
					continue;
				pl_run hr = r;
				hr.heredoc = hd;
				sh_parse(&s->mem, hd->body.s, hd->body.len, &hr.script);
				add_run(s, &cap, &hr);
			}
		}
		shells[si] = shell;
	}
	s->runs_ready = true;
	*n = s->nruns;
	return s->runs;
}

void pl_run_span(const pl_scan *s, const pl_run *r, size_t off, size_t end, df_word *out)
{
	if (r->heredoc) {
		memset(out, 0, sizeof *out);
		out->off = r->heredoc->body.off + off;
		out->end = r->heredoc->body.off + end;
		df_position(s->df, out->off, &out->line, &out->col);
		df_position(s->df, out->end, &out->end_line, &out->end_col);
		return;
	}
	df_rest_span(s->df, r->node, off, end, out);
}

void pl_emit_word(pl_scan *s, const pl_run *r, const sh_word *w, const char *aka,
		  const char *fix, const char *fmt, ...)
{
	df_word span;
	pl_run_span(s, r, w->off, w->end, &span);
	va_list ap;
	va_start(ap, fmt);
	buf m = BUF_INIT;
	buf_vprintf(&m, fmt, ap);
	va_end(ap);
	pl_emit(s, &span, aka, fix, "%s", buf_str(&m));
	buf_free(&m);
}

const char *pl_layer_note(const pl_image *img, int layer, char *out, size_t n)
{
	const char *by = layer >= 0 && (size_t)layer < img->nlayers ? img->layers[layer].created_by
								    : NULL;
	if (!by) {
		snprintf(out, n, "layer %d", layer + 1);
		return out;
	}
	/* the classic builder writes metadata steps as "/bin/sh -c #(nop)  CMD ..." and
	 * BuildKit appends " # buildkit": neither helps the reader */
	const char *nop = strstr(by, "#(nop) ");
	bool run = false;
	if (nop) {
		by = nop + 7;
	} else if (!strncmp(by, "/bin/sh -c ", 11)) { /* the classic builder's RUN */
		by += 11;
		run = true;
	} else if (!strncmp(by, "RUN /bin/sh -c ", 15)) { /* BuildKit's shell-form RUN */
		by += 15;
		run = true;
	}
	while (*by == ' ')
		by++;
	size_t len = strlen(by);
	static const char bk[] = " # buildkit";
	if (len >= sizeof bk - 1 && !strcmp(by + len - (sizeof bk - 1), bk))
		len -= sizeof bk - 1;
	/* history lines are long shell commands: a short excerpt names the instruction */
	snprintf(out, n, "layer %d (%s%.*s%s)", layer + 1, run ? "RUN " : "",
		 (int)(len > 80 ? 80 : len), by, len > 80 ? "..." : "");
	return out;
}

void pl_pathlist_add(pl_pathlist *l, const char *path)
{
	if (l->n++ < 8 && l->len < sizeof l->text)
		l->len += (size_t)snprintf(l->text + l->len, sizeof l->text - l->len, "%s%s",
					   l->n > 1 ? ", " : "", path);
}

const char *pl_pathlist_str(pl_pathlist *l)
{
	if (l->n > 8 && l->len < sizeof l->text)
		snprintf(l->text + l->len, sizeof l->text - l->len, " and %zu more", l->n - 8);
	return l->text;
}
