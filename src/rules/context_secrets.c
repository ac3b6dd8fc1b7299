/* context_secrets.c - catalog section 6 for the build context (X) and COPY/ADD (D):
 * PL603 secret-file-in-image, PL604 dockerignore-missing, PL605 dockerignore-leaks-secrets.
 * The context model (context/context.h) has already walked the directory, applied
 * .dockerignore and marked the files that are secrets; these rules only read it. */
#include "context/context.h"
#include "image/image.h"
#include "model/secrets.h"
#include "rules/util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The stages whose layers ship: the final stage and the stages it is built FROM. */
static bool ships(const df_build *b, const df_stage *st)
{
	for (const df_stage *p = pl_final_stage(b); p;
	     p = p->base_stage >= 0 ? &b->stages[p->base_stage] : NULL)
		if (p == st)
			return true;
	return false;
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* D: a COPY/ADD that names a secret file outright. */
static void check_copy_names(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		if (!ships(b, st))
			continue;
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			if ((c->kind != DF_COPY && c->kind != DF_ADD) ||
			    df_flag_get(c->flags, c->nflags, "from"))
				continue;
			for (size_t k = 0; k + 1 < c->nargs; k++) {
				const char *kind = pl_secret_file_kind(c->args[k], NULL, 0);
				if (kind && !has_glob(c->args[k]))
					pl_emit(s, &c->node->args[k], "AVD-DS-0031 CIS-DI-0010", NULL,
						"%s copies %s (%s) into a layer of the image: anyone who "
						"pulls the image can read it", df_kind_name(c->kind),
						c->args[k], kind);
			}
		}
	}
}

/* Where a COPY's destination lands, as an absolute path (stage WORKDIR approximates the
 * working directory at the instruction). */
static void abs_dest(const df_stage *st, const char *dest, char *out, size_t n)
{
	if (dest[0] == '/')
		snprintf(out, n, "%s", dest);
	else
		snprintf(out, n, "%s/%s", st->workdir ? st->workdir : "", dest);
	size_t l = strlen(out);
	while (l > 1 && (out[l - 1] == '/' || (l > 2 && out[l - 1] == '.' && out[l - 2] == '/')))
		out[--l] = '\0';
}

/* A builder stage's file still ships when a shipping stage copies a path that holds it. */
static bool ships_via_copy(const df_build *b, const df_stage *from, const char *dest)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		if (!ships(b, st))
			continue;
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			const df_flag *f = df_flag_get(c->flags, c->nflags, "from");
			if (c->kind != DF_COPY || !f || !f->value ||
			    df_stage_ref(b, f->value, st->index) != from->index)
				continue;
			for (size_t k = 0; k + 1 < c->nargs; k++) {
				char src[1024];
				abs_dest(from, c->args[k], src, sizeof src);
				size_t l = strlen(src);
				if (!strcmp(src, "/") || (!strncmp(dest, src, l) &&
							  (dest[l] == '/' || dest[l] == '\0')))
					return true;
			}
		}
	}
	return false;
}

typedef struct sent {
	pl_scan *s;
	const df_cmd *c;
	const df_word *src;
	const char *pattern;
} sent;

static void report_sent(void *arg, const pl_ctxfile *f)
{
	sent *x = arg;
	if (!f->secret || !strcmp(f->path, x->pattern))
		return; /* named outright: reported by the Dockerfile check */
	pl_emit(x->s, x->src, "AVD-DS-0031 CIS-DI-0010", NULL,
		"%s %s sends %s (%s) into a layer of the image", df_kind_name(x->c->kind),
		x->pattern, f->path, f->secret);
}

/* X: secret files a directory or wildcard source sends. */
static void check_copy_context(pl_scan *s, const pl_buildctx *x)
{
	const df_build *b = x->build;
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		bool shipped = ships(b, st);
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			if ((c->kind != DF_COPY && c->kind != DF_ADD) ||
			    df_flag_get(c->flags, c->nflags, "from") || c->node->nheredocs ||
			    c->nargs < 2)
				continue;
			char dest[1024];
			abs_dest(st, c->args[c->nargs - 1], dest, sizeof dest);
			if (!shipped && !ships_via_copy(b, st, dest))
				continue;
			for (size_t k = 0; k + 1 < c->nargs; k++) {
				if (pl_has_prefix(c->args[k], "http://") ||
				    pl_has_prefix(c->args[k], "https://"))
					continue;
				sent ctx = {s, c, &c->node->args[k], c->args[k]};
				pl_buildctx_sources(x, c->args[k], report_sent, &ctx);
			}
		}
	}
}

static void check_secret_files(pl_scan *s, const pl_image *img)
{
	for (size_t i = 0; i < img->nfiles; i++) {
		const img_file *f = &img->files[i];
		if (!f->secret || pl_config_secret_allowed(s->cfg, f->path, NULL, 0, false))
			continue;
		/* the layer whose blob holds the secret: a later overwrite or delete does not
		 * remove it from there */
		int in = f->secret_layer >= 0 ? f->secret_layer : f->layer;
		char note[200], where[32] = "";
		pl_layer_note(img, in, note, sizeof note);
		if (f->secret_line > 0)
			snprintf(where, sizeof where, ":%d", f->secret_line);
		const char *sep = f->secret_excerpt ? ": " : "";
		const char *ex = f->secret_excerpt ? f->secret_excerpt : "";
		if (f->deleted)
			pl_emit(s, NULL, NULL, NULL,
				"%s%s: %s%s%s, added in %s and deleted in layer %d, but still in the "
				"earlier layer for anyone who pulls the image", f->path, where,
				f->secret, sep, ex, note, f->deleted_in + 1);
		else if (in != f->layer)
			pl_emit(s, NULL, NULL, NULL,
				"%s%s: %s%s%s in %s; layer %d overwrote the file, but the secret is "
				"still in the earlier layer for anyone who pulls the image", f->path,
				where, f->secret, sep, ex, note, f->layer + 1);
		else
			pl_emit(s, NULL, NULL, NULL, "%s%s: %s%s%s, added in %s", f->path,
				where, f->secret, sep, ex, note);
	}
}

const pl_rule rule_PL603 = {
	.code = "PL603", .slug = "secret-file-in-image", .severity = SEV_CRITICAL,
	.inputs = IN_D | IN_X | IN_I,
	.aka = "AVD-DS-0031 CIS-DI-0010",
	.summary = "A private key, .env, token-bearing .npmrc/.pypirc, .git-credentials, cloud "
		   "credentials or kubeconfig is copied into or present in the image.",
	.why = "Every layer of an image is readable by whoever can pull it, and deleting a file in "
	       "a later layer does not remove it from the earlier one.",
	.fix = "Exclude the file in .dockerignore and pass secrets at build time with RUN "
	       "--mount=type=secret, or at run time.",
	.check_dockerfile = check_copy_names,
	.check_context = check_copy_context,
	.check_image = check_secret_files,
};

/* Whether the Dockerfile sends anything from the context at all. */
static const df_cmd *first_context_copy(const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			if ((c->kind == DF_COPY || c->kind == DF_ADD) && c->nargs >= 2 &&
			    !df_flag_get(c->flags, c->nflags, "from") && !c->node->nheredocs &&
			    !pl_has_prefix(c->args[0], "http"))
				return c;
		}
	return NULL;
}

static void check_missing_ignore(pl_scan *s, const pl_buildctx *x)
{
	const df_cmd *c = first_context_copy(x->build);
	if (x->ignore || !c)
		return;
	size_t files = 0;
	for (size_t i = 0; i < x->nfiles; i++)
		files += !x->files[i].is_dir;
	pl_emit(s, &c->node->keyword, NULL, NULL,
		"the build context %s has no .dockerignore: every one of its %zu files%s is sent "
		"to the builder, and COPY . puts them in the image", x->root, files,
		x->truncated ? " (at least)" : "");
}

const pl_rule rule_PL604 = {
	.code = "PL604", .slug = "dockerignore-missing", .severity = SEV_MEDIUM, .inputs = IN_X,
	.aka = "",
	.summary = "The build context has no .dockerignore.",
	.why = "Without it, .git, local .env files, build outputs and editor files go to the "
		"builder on every build and into the image with any COPY of a directory.",
	.fix = "Add a .dockerignore that excludes .git, .env*, secrets, node_modules and build "
	       "outputs; consider an allow-list (* then !src/ ...).",
	.check_context = check_missing_ignore,
};

static void check_ignore_leaks(pl_scan *s, const pl_buildctx *x)
{
	if (!x->ignore)
		return;
	const char *saved = s->path;
	s->path = x->ignore->path;
	for (size_t i = 0; i < x->nfiles; i++) {
		const pl_ctxfile *f = &x->files[i];
		if (f->ignored)
			continue;
		if (f->is_dir && !strcmp(f->path, ".git"))
			pl_emit_at(s, 0, 0, 0, 0, NULL, "add the line .git to .dockerignore",
				   ".dockerignore does not exclude .git: the repository history, "
				   "with every secret ever committed, is sent to the builder");
		else if (f->secret)
			pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
				   ".dockerignore does not exclude %s (%s), which exists in the context",
				   f->path, f->secret);
	}
	s->path = saved;
}

const pl_rule rule_PL605 = {
	.code = "PL605", .slug = "dockerignore-leaks-secrets", .severity = SEV_HIGH,
	.inputs = IN_X,
	.aka = "",
	.summary = ".dockerignore lets through files that exist in the context and look like "
		   "secrets, or .git.",
	.why = "What the context sends can end up in a layer with one careless COPY, and build "
	       "logs and remote builders see it either way.",
	.fix = "Add the files (or a pattern such as **/.env*) to .dockerignore.",
	.check_context = check_ignore_leaks,
};
