/* discover.c - find Dockerfiles under a directory, the way a developer would expect:
 * skip what git ignores and the trees nobody maintains here (.git, node_modules, vendor). */
#include "cli/discover.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/xalloc.h"
#include "engine/runtime.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_DEPTH 64

void pl_paths_add(pl_paths *p, const char *path)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->v = xrealloc(p->v, p->cap * sizeof *p->v);
	}
	p->v[p->n++] = xstrdup(path);
}

void pl_paths_free(pl_paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix);
}

bool pl_is_dockerfile_name(const char *b)
{
	if (ends_with(b, ".dockerignore") || ends_with(b, ".j2") || ends_with(b, ".tmpl") ||
	    ends_with(b, ".template") || ends_with(b, ".tpl") || ends_with(b, ".orig") ||
	    ends_with(b, ".md") || ends_with(b, ".bak") || ends_with(b, "~"))
		return false;
	if (!strcmp(b, "Dockerfile") || !strcmp(b, "Containerfile") ||
	    !strcmp(b, "dockerfile"))
		return true;
	if (!strncmp(b, "Dockerfile.", 11) || !strncmp(b, "Containerfile.", 14) ||
	    !strncmp(b, "Dockerfile-", 11) || !strncmp(b, "Dockerfile_", 11))
		return true;
	return ends_with(b, ".Dockerfile") || ends_with(b, ".dockerfile") ||
	       ends_with(b, ".containerfile");
}

static bool is_yaml_name(const char *b)
{
	return ends_with(b, ".yaml") || ends_with(b, ".yml");
}

bool pl_is_compose_override_name(const char *b)
{
	return is_yaml_name(b) && (!strncmp(b, "compose.override.", 17) ||
				   !strncmp(b, "docker-compose.override.", 24));
}

bool pl_is_compose_name(const char *b)
{
	return is_yaml_name(b) && (!strncmp(b, "compose.", 8) || !strncmp(b, "docker-compose.", 15) ||
				   !strncmp(b, "docker-compose-", 15));
}

/* Sniff a YAML file: a manifest has a top-level apiVersion and kind. */
static bool manifest_file(const char *path)
{
	pl_input in;
	char err[128];
	if (pl_read_file(path, 16u << 20, &in, err, sizeof err) < 0)
		return false;
	bool m = pl_looks_like_manifest(in.data, in.len);
	pl_input_free(&in);
	return m;
}

/* A .gitignore's patterns, relative to the directory that holds it. */
typedef struct gitignore {
	char *base;      /* directory, relative to the scan root ("" for the root) */
	char **pat;
	bool *neg, *dir_only, *anchored;
	size_t n;
} gitignore;

typedef struct walk {
	pl_found *out;
	gitignore *gi;
	size_t ngi, capgi;
	size_t entries;
} walk;

static void load_gitignore(walk *w, const char *abs, const char *rel)
{
	buf path = BUF_INIT;
	buf_printf(&path, "%s/.gitignore", abs);
	pl_input in;
	char err[128];
	if (pl_read_file(path.p, 1 << 20, &in, err, sizeof err) < 0) {
		buf_free(&path);
		return;
	}
	buf_free(&path);
	if (w->ngi == w->capgi) {
		w->capgi = w->capgi ? w->capgi * 2 : 8;
		w->gi = xrealloc(w->gi, w->capgi * sizeof *w->gi);
	}
	gitignore *g = &w->gi[w->ngi++];
	memset(g, 0, sizeof *g);
	g->base = xstrdup(rel);
	size_t cap = 0;
	char *save, *line = strtok_r(in.data, "\n", &save);
	for (; line; line = strtok_r(NULL, "\n", &save)) {
		size_t l = strlen(line);
		while (l && (line[l - 1] == '\r' || line[l - 1] == ' '))
			line[--l] = '\0';
		if (!l || line[0] == '#')
			continue;
		if (g->n == cap) {
			cap = cap ? cap * 2 : 16;
			g->pat = xrealloc(g->pat, cap * sizeof *g->pat);
			g->neg = xrealloc(g->neg, cap * sizeof *g->neg);
			g->dir_only = xrealloc(g->dir_only, cap * sizeof *g->dir_only);
			g->anchored = xrealloc(g->anchored, cap * sizeof *g->anchored);
		}
		bool neg = line[0] == '!';
		char *p = line + neg;
		size_t pl = strlen(p);
		bool dir_only = pl && p[pl - 1] == '/';
		if (dir_only)
			p[--pl] = '\0';
		/* a slash anywhere but the end anchors the pattern to its directory */
		bool anchored = strchr(p, '/') != NULL;
		if (p[0] == '/')
			p++;
		g->pat[g->n] = xstrdup(p);
		g->neg[g->n] = neg;
		g->dir_only[g->n] = dir_only;
		g->anchored[g->n] = anchored;
		g->n++;
	}
	pl_input_free(&in);
}

/* Last matching pattern of every applicable .gitignore wins. */
static bool git_ignored(const walk *w, const char *rel, const char *name, bool is_dir)
{
	bool ignored = false;
	for (size_t i = 0; i < w->ngi; i++) {
		const gitignore *g = &w->gi[i];
		size_t bl = strlen(g->base);
		if (bl && (strncmp(rel, g->base, bl) || rel[bl] != '/'))
			continue;
		const char *sub = bl ? rel + bl + 1 : rel;
		for (size_t k = 0; k < g->n; k++) {
			if (g->dir_only[k] && !is_dir)
				continue;
			bool m = g->anchored[k] ? fnmatch(g->pat[k], sub, FNM_PATHNAME) == 0
						: fnmatch(g->pat[k], name, 0) == 0;
			if (m)
				ignored = !g->neg[k];
		}
	}
	return ignored;
}

static bool skip_dir(const char *name)
{
	static const char *const skip[] = {".git", "node_modules", "vendor", "third_party",
					   ".hg", ".svn", ".venv", "__pycache__", NULL};
	for (size_t i = 0; skip[i]; i++)
		if (!strcmp(name, skip[i]))
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(walk *w, const char *abs, const char *rel, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	size_t gi_before = w->ngi;
	load_gitignore(w, abs, rel);
	DIR *d = opendir(abs);
	if (!d)
		return;
	pl_paths names = {0};
	struct dirent *e;
	while ((e = readdir(d)) && w->entries < 1000000) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		w->entries++;
		pl_paths_add(&names, e->d_name);
	}
	closedir(d);
	if (names.n > 1)
		qsort(names.v, names.n, sizeof *names.v, cmp_str);
	for (size_t i = 0; i < names.n; i++) {
		const char *name = names.v[i];
		buf a = BUF_INIT, r = BUF_INIT;
		if (!strcmp(abs, "."))
			buf_adds(&a, name); /* scanning ".": report "Dockerfile", not "./Dockerfile" */
		else
			buf_printf(&a, "%s/%s", abs, name);
		buf_printf(&r, "%s%s%s", rel, *rel ? "/" : "", name);
		struct stat st;
		if (lstat(a.p, &st) == 0) {
			bool is_dir = S_ISDIR(st.st_mode);
			if (!git_ignored(w, r.p, name, is_dir)) {
				if (is_dir && !skip_dir(name))
					walk_dir(w, a.p, r.p, depth + 1);
				else if (S_ISREG(st.st_mode) && pl_is_dockerfile_name(name))
					pl_paths_add(&w->out->dockerfiles, a.p);
				else if (S_ISREG(st.st_mode) && pl_is_compose_name(name))
					pl_paths_add(&w->out->compose, a.p);
				else if (S_ISREG(st.st_mode) && is_yaml_name(name) &&
					 strcmp(name, ".plimsoll.yml") && strcmp(name, ".plimsoll.yaml") &&
					 manifest_file(a.p))
					pl_paths_add(&w->out->manifests, a.p);
			}
		}
		buf_free(&a);
		buf_free(&r);
	}
	pl_paths_free(&names);
	/* .gitignore files of this directory apply below it only */
	for (size_t i = gi_before; i < w->ngi; i++) {
		gitignore *g = &w->gi[i];
		for (size_t k = 0; k < g->n; k++)
			free(g->pat[k]);
		free(g->pat), free(g->neg), free(g->dir_only), free(g->anchored), free(g->base);
	}
	w->ngi = gi_before;
}

void pl_found_free(pl_found *f)
{
	pl_paths_free(&f->dockerfiles);
	pl_paths_free(&f->compose);
	pl_paths_free(&f->manifests);
}

int pl_discover(const char *dir, pl_found *out, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "cannot read directory: %s", strerror(errno));
		return -1;
	}
	closedir(d);
	walk w = {.out = out};
	size_t l = strlen(dir);
	char *root = xstrndup(dir, l > 1 && dir[l - 1] == '/' ? l - 1 : l);
	walk_dir(&w, root, "", 0);
	free(root);
	free(w.gi);
	return 0;
}
