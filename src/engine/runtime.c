/* runtime.c - compose projects and Kubernetes manifests through the rules.
 *
 * Both readers fill the same container model, so one loop runs every rule's
 * check_container; Kubernetes adds the set-level checks (selectors across files). What
 * Compose or the API server would refuse is finding PL938. Source lines for carets are
 * read from the findings' own files (an override file, an included file). */
#include "engine/runtime.h"
#include "compose/compose.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/xalloc.h"
#include "dockerfile/parser.h"
#include "dockerfile/stages.h"
#include "engine/scan.h"
#include "image/image.h"
#include "k8s/k8s.h"
#include "model/live.h"
#include "yaml/yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool pl_looks_like_manifest(const char *t, size_t n)
{
	bool api = false, kind = false;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(t + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - t) : n;
		if (e - i >= 11 && !memcmp(t + i, "apiVersion:", 11))
			api = true;
		if (e - i >= 5 && !memcmp(t + i, "kind:", 5))
			kind = true;
		i = e + 1;
	}
	return api && kind;
}

static void invalid(pl_scan *s, const char *file, int line, int col, const char *msg)
{
	const pl_rule *r = pl_rule_find("PL938");
	if (!r || !pl_config_rule_enabled(s->cfg, r))
		return;
	s->rule = r;
	const char *saved = s->path;
	s->path = file ? file : saved;
	pl_emit_at(s, line, col, line, line ? col + 1 : 0, NULL, NULL, "%s", msg);
	s->path = saved;
}

/* The container rules on one container; with `only` (IN_I), just the rules that read that
 * input: an image's config shows user, health check, env and registry, but run-time
 * settings such as limits or capabilities are not in an image. */
static void run_container_rules(pl_scan *s, const pl_container *c, unsigned only)
{
	const char *k = c->source_kind;
	s->input = !strcmp(k, "compose") ? IN_C : !strcmp(k, "k8s") ? IN_K
		   : !strcmp(k, "live") ? IN_L : 0;
	for (size_t i = 0; i < pl_nrules; i++) {
		const pl_rule *r = pl_rules[i];
		if (!r->check_container || (only && !(r->inputs & only)) ||
		    !pl_config_rule_enabled(s->cfg, r))
			continue;
		s->rule = r;
		s->target = c->target;
		r->check_container(s, c);
	}
	s->target = NULL;
	s->input = 0;
}

/* --- source lines ---------------------------------------------------------------------- */

typedef struct file_cache {
	char **paths;
	pl_input *data;
	size_t **starts;   /* per file: offset of each line, built on first use */
	size_t *nlines;
	size_t n;
} file_cache;

static const pl_input *cached(file_cache *fc, const char *path)
{
	/* findings arrive grouped by file: try the last one first */
	if (fc->n && !strcmp(fc->paths[fc->n - 1], path))
		return &fc->data[fc->n - 1];
	for (size_t i = 0; i < fc->n; i++)
		if (!strcmp(fc->paths[i], path))
			return &fc->data[i];
	fc->paths = xrealloc(fc->paths, (fc->n + 1) * sizeof *fc->paths);
	fc->data = xrealloc(fc->data, (fc->n + 1) * sizeof *fc->data);
	fc->starts = xrealloc(fc->starts, (fc->n + 1) * sizeof *fc->starts);
	fc->nlines = xrealloc(fc->nlines, (fc->n + 1) * sizeof *fc->nlines);
	fc->starts[fc->n] = NULL;
	fc->nlines[fc->n] = 0;
	char err[128];
	fc->paths[fc->n] = xstrdup(path);
	if (pl_read_file(path, YAML_MAX_FILE, &fc->data[fc->n], err, sizeof err) < 0)
		fc->data[fc->n].data = NULL, fc->data[fc->n].len = 0;
	return &fc->data[fc->n++];
}

static void cache_free(file_cache *fc)
{
	for (size_t i = 0; i < fc->n; i++) {
		free(fc->paths[i]);
		pl_input_free(&fc->data[i]);
		free(fc->starts[i]);
	}
	free(fc->paths);
	free(fc->data);
	free(fc->starts);
	free(fc->nlines);
}

/* Line `line` of a file, through a line index built once per file (findings are many). */
static char *line_of(const pl_input *in, size_t **starts, size_t *nlines, int line)
{
	if (!in->data || line < 1)
		return NULL;
	if (!*starts) {
		size_t cap = 64, n = 0;
		size_t *v = xmalloc(cap * sizeof *v);
		v[n++] = 0;
		for (const char *p = in->data; (p = memchr(p, '\n', in->len - (size_t)(p - in->data)));) {
			p++;
			if (n == cap)
				v = xrealloc(v, (cap *= 2) * sizeof *v);
			v[n++] = (size_t)(p - in->data);
		}
		*starts = v;
		*nlines = n;
	}
	if ((size_t)line > *nlines)
		return NULL;
	size_t a = (*starts)[line - 1];
	const char *nl = memchr(in->data + a, '\n', in->len - a);
	size_t e = nl ? (size_t)(nl - in->data) : in->len;
	while (e > a && in->data[e - 1] == '\r')
		e--;
	return xstrndup(in->data + a, e - a);
}

/* Move the scan's findings to out: configuration filters, then source lines. */
static void finish(pl_scan *s, pl_findings *out, const pl_input *stdin_data)
{
	file_cache fc = {0};
	size_t *stdin_starts = NULL, stdin_nlines = 0;
	for (size_t i = 0; i < s->out.n; i++) {
		pl_finding *f = &s->out.v[i];
		if (pl_config_path_ignored(s->cfg, f->rule, f->file))
			continue;
		pl_finding *o = pl_findings_add(out);
		*o = *f;
		memset(f, 0, sizeof *f);
		if (s->cfg->severity[pl_rule_index(o->rule)] >= 0)
			o->severity = pl_config_severity(s->cfg, o->rule);
		if (o->line < 1)
			continue; /* no position (an image, a container): no source line to read */
		if (!strcmp(o->file, "-")) {
			if (stdin_data)
				o->source = line_of(stdin_data, &stdin_starts, &stdin_nlines, o->line);
			continue;
		}
		const pl_input *in = cached(&fc, o->file);
		size_t k = (size_t)(in - fc.data);
		o->source = line_of(in, &fc.starts[k], &fc.nlines[k], o->line);
	}
	cache_free(&fc);
	free(stdin_starts);
	pl_findings_free(&s->out);
	arena_free(&s->mem);
}

/* --- compose --------------------------------------------------------------------------- */

/* What the service's Dockerfile says about user and health check, when compose does not:
 * the image it builds carries them. */
static void link_dockerfile(pl_compose_project *p, pl_container *c)
{
	/* c->dockerfile is already joined to the context by the loader; it is NULL for a
	 * remote context or dockerfile_inline, where there is no file to read */
	if (!c->build_context || !c->dockerfile)
		return;
	buf path = BUF_INIT;
	buf_adds(&path, c->dockerfile);
	pl_input in;
	char err[256];
	if (pl_read_file(path.p, DF_MAX_FILE, &in, err, sizeof err) < 0) {
		buf_free(&path);
		return;
	}
	df_file df;
	if (df_parse(&df, path.p, in.data, in.len) == 0) {
		df_build b;
		df_build_model(&df, &b);
		const df_stage *st = b.nstages ? &b.stages[b.nstages - 1] : NULL;
		char *file = arena_strdup(&p->mem, path.p);
		if (st && st->user && !c->user.v && !c->run_as_user.set) {
			c->user.v = arena_strdup(&p->mem, st->user);
			c->user.at = (pl_origin){file, st->user_word->line, st->user_word->col,
						 st->user_word->end_line, st->user_word->end_col,
						 "USER in the service's Dockerfile"};
		}
		for (const df_stage *h = st; h && !c->health.set;
		     h = h->base_stage >= 0 ? &b.stages[h->base_stage] : NULL)
			for (size_t i = h->ncmds; i-- > 0 && !c->health.set;) {
				const df_cmd *cmd = &h->cmds[i];
				if (cmd->kind != DF_HEALTHCHECK)
					continue;
				c->health.set = true;
				c->health.from_image = true;
				c->health.disabled = cmd->node->nargs &&
						     !strcasecmp(cmd->node->args[0].s, "none");
				c->health.start_period.set =
					df_flag_get(cmd->flags, cmd->nflags, "start-period") != NULL;
				c->health.at = (pl_origin){file, cmd->node->start_line, 1,
							   cmd->node->start_line, 12,
							   "HEALTHCHECK in the service's Dockerfile"};
			}
	}
	df_free(&df);
	pl_input_free(&in);
	buf_free(&path);
}

int pl_scan_compose(const pl_config *cfg, const char *const *files, size_t nfiles,
		    const char *const *environ, pl_findings *out, pl_linked *linked,
		    char *err, size_t errlen)
{
	(void)err, (void)errlen;
	pl_scan s;
	pl_scan_init(&s, cfg, files[0]);
	pl_compose_opts o = {.environ = environ};
	pl_compose_project p;
	pl_compose_load(files, nfiles, &o, &p);
	for (size_t i = 0; i < p.nproblems; i++)
		if (p.problems[i].error)
			invalid(&s, p.problems[i].file, p.problems[i].line, p.problems[i].col,
				p.problems[i].msg);
	for (size_t i = 0; i < p.ncontainers; i++) {
		link_dockerfile(&p, &p.containers[i]);
		run_container_rules(&s, &p.containers[i], 0);
		const char *df = p.containers[i].dockerfile;
		if (linked && df) {
			linked->dockerfiles = xrealloc(linked->dockerfiles,
						       (linked->n + 1) * sizeof *linked->dockerfiles);
			linked->dockerfiles[linked->n++] = xstrdup(df);
		}
	}
	for (size_t i = 0; linked && i < p.nfiles; i++) {
		linked->read = xrealloc(linked->read, (linked->nread + 1) * sizeof *linked->read);
		linked->read[linked->nread++] = xstrdup(p.files[i]);
	}
	finish(&s, out, NULL);
	pl_compose_free(&p);
	return 0;
}

/* --- Kubernetes ------------------------------------------------------------------------ */

int pl_scan_manifests(const pl_config *cfg, const char *const *files, size_t nfiles,
		      const pl_input *stdin_data, pl_findings *out, char *err, size_t errlen)
{
	pl_scan s;
	pl_scan_init(&s, cfg, files[0]);
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	yaml_stream *streams = xcalloc(nfiles + 1, sizeof *streams);
	int rc = 0;
	for (size_t i = 0; i < nfiles; i++) {
		pl_input in = {0};
		bool from_stdin = !strcmp(files[i], "-");
		if (from_stdin && stdin_data) {
			in = *stdin_data;
		} else if (pl_read_file(files[i], YAML_MAX_FILE, &in, err, errlen) < 0) {
			rc = -1;
			continue;
		}
		if (yaml_load(&streams[i], files[i], in.data, in.len) < 0)
			invalid(&s, files[i], streams[i].err_line, streams[i].err_col, streams[i].err);
		else
			pl_k8s_read(&streams[i], &set);
		yaml_free(&streams[i]); /* the set copied what it keeps */
		if (!from_stdin)
			pl_input_free(&in);
	}
	for (size_t i = 0; i < set.nproblems; i++)
		invalid(&s, set.problems[i].file, set.problems[i].line, set.problems[i].col,
			set.problems[i].message);
	for (size_t i = 0; i < set.ncontainers; i++)
		run_container_rules(&s, &set.containers[i], 0);
	for (size_t i = 0; i < pl_nrules; i++) {
		const pl_rule *r = pl_rules[i];
		if (!r->check_k8s_set || !pl_config_rule_enabled(cfg, r))
			continue;
		s.rule = r;
		r->check_k8s_set(&s, &set);
	}
	finish(&s, out, stdin_data);
	pl_k8s_set_free(&set);
	free(streams);
	return rc;
}

/* --- images ---------------------------------------------------------------------------- */

int pl_scan_image(const pl_config *cfg, const char *path, int jobs, bool progress,
		  const char *platform, pl_findings *out, char *err, size_t errlen)
{
	pl_image img;
	img_opts o = {.jobs = jobs, .progress = progress, .platform = platform};
	if (pl_image_open(&img, path, &o, err, errlen) < 0) {
		pl_image_free(&img);
		return -1;
	}
	pl_scan s;
	pl_scan_init(&s, cfg, path);
	pl_container c;
	memset(&c, 0, sizeof c);
	pl_image_container(&img, &c);
	s.target = c.target;
	for (size_t i = 0; i < pl_nrules; i++) {
		const pl_rule *r = pl_rules[i];
		if (!r->check_image || !pl_config_rule_enabled(cfg, r))
			continue;
		s.rule = r;
		s.target = c.target;
		r->check_image(&s, &img);
	}
	run_container_rules(&s, &c, IN_I);
	finish(&s, out, NULL);
	pl_image_free(&img);
	return 0;
}

/* --- live containers ------------------------------------------------------------------- */

void pl_scan_live(const pl_config *cfg, const pl_live *l, pl_findings *out)
{
	pl_scan s;
	/* findings are about a container, not a file: "container:NAME" is their location */
	buf path = BUF_INIT;
	buf_printf(&path, "container:%s", l->name);
	pl_scan_init(&s, cfg, buf_str(&path));
	run_container_rules(&s, &l->c, IN_L);
	for (size_t i = 0; i < pl_nrules; i++) {
		const pl_rule *r = pl_rules[i];
		if (!r->check_live || !pl_config_rule_enabled(cfg, r))
			continue;
		s.rule = r;
		s.target = l->c.target;
		s.input = IN_L;
		r->check_live(&s, l);
	}
	finish(&s, out, NULL);
	buf_free(&path);
}
