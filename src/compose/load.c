/* load.c - a Compose project from its files, resolved as compose-go resolves it.
 *
 * Per file: YAML (anchors and merge keys resolved by the YAML reader), interpolation of
 * every scalar value with the project's variables, the legacy v1 layout (services at the
 * top level) wrapped into `services:`, the file validated against the compose-spec
 * schema (schema.c), `include` (each included project loaded with its own directory and
 * .env, its resources copied in, conflicts reported), `extends` (same file or another,
 * recursive, cycle-checked, at most MAX_EXTENDS deep). Then the files are merged in order
 * with compose-go's override rules: mappings recursively, sequences appended, command /
 * entrypoint / healthcheck.test replaced, environment-like mappings merged by key (list
 * and map forms alike), ports / volumes / secrets / configs / cap_add ... de-duplicated by
 * their key with the later entry winning, `!reset` removing a value and `!override`
 * replacing it whole. Finally the profiles decide which services are audited. */
#include "compose/internal.h"
#include "compose/schema.h"
#include "core/buf.h"
#include "core/file.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_EXTENDS = 32, MAX_INCLUDE = 16, MAX_PATH_DEPTH = 16 };

/* --- small helpers ---------------------------------------------------------------------- */

cz_node *cz_get(const cz_node *map, const char *key)
{
	const cz_pair *p = cz_get_pair(map, key);
	return p ? p->v : NULL;
}

const cz_pair *cz_get_pair(const cz_node *map, const char *key)
{
	if (!map || map->kind != Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->npairs; i++)
		if (strcmp(map->pairs[i].key, key) == 0)
			return &map->pairs[i];
	return NULL;
}

bool cz_is_scalar(const cz_node *n)
{
	return n && n->kind == Y_SCALAR;
}

static bool tag_is(const cz_node *n, const char *tag)
{
	return n && n->tag && strcmp(n->tag, tag) == 0;
}

void cz_problem(cz_ctx *c, const cz_node *at, bool error, const char *fmt, ...)
{
	pl_compose_project *p = c->p;
	if (p->nproblems == c->capproblems) {
		size_t nc = c->capproblems ? c->capproblems * 2 : 16;
		p->problems = arena_grow(c->a, p->problems, p->nproblems, nc, sizeof *p->problems);
		c->capproblems = nc;
	}
	buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	pl_compose_problem *q = &p->problems[p->nproblems++];
	q->file = at ? at->file : NULL;
	q->line = at ? at->line : 0;
	q->col = at ? at->col : 0;
	q->error = error;
	q->msg = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	if (error)
		p->nerrors++;
}

static void problem_at(cz_ctx *c, const char *file, int line, int col, bool error, const char *msg)
{
	cz_node at = {.file = file, .line = line, .col = col};
	cz_problem(c, &at, error, "%s", msg);
}

static const char *dir_of(arena *a, const char *path)
{
	const char *sl = strrchr(path, '/');
	if (!sl)
		return ".";
	if (sl == path)
		return "/";
	return arena_strndup(a, path, (size_t)(sl - path));
}

static const char *base_name(const char *path)
{
	const char *sl = strrchr(path, '/');
	return sl ? sl + 1 : path;
}

const char *cz_join(arena *a, const char *dir, const char *path, const char *home)
{
	if (!path)
		return NULL;
	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') && home) {
		buf b = BUF_INIT;
		buf_printf(&b, "%s%s", home, path + 1);
		const char *r = arena_strdup(a, buf_str(&b));
		buf_free(&b);
		return r;
	}
	if (path[0] == '/' || !dir)
		return path;
	while (path[0] == '.' && path[1] == '/') {
		path += 2;
		while (*path == '/')
			path++;
	}
	if (strcmp(path, ".") == 0 || path[0] == '\0')
		return dir;
	if (strcmp(dir, ".") == 0)
		return path;
	buf b = BUF_INIT;
	buf_printf(&b, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", path);
	const char *r = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return r;
}

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const cz_file *cz_file_of(const cz_ctx *c, const char *path)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (c->files[i].path == path || (path && strcmp(c->files[i].path, path) == 0))
			return &c->files[i];
	return NULL;
}

static const cz_file *add_file(cz_ctx *c, const char *path, const char *base)
{
	const cz_file *f = cz_file_of(c, path);
	if (f)
		return f;
	if (c->nfiles == c->capfiles) {
		size_t nc = c->capfiles ? c->capfiles * 2 : 8;
		c->files = arena_grow(c->a, c->files, c->nfiles, nc, sizeof *c->files);
		c->capfiles = nc;
	}
	cz_file *n = &c->files[c->nfiles++];
	n->path = arena_strdup(c->a, path);
	n->dir = dir_of(c->a, n->path);
	n->base = base ? base : n->dir;
	/* relative to the main file's directory (not the base name: sub/compose.yaml and
	 * compose.yaml must not read the same) */
	n->label = base_name(n->path);
	if (c->primary) {
		const char *slash = strrchr(c->primary, '/');
		size_t dl = slash ? (size_t)(slash - c->primary) + 1 : 0;
		if (dl && !strncmp(n->path, c->primary, dl))
			n->label = n->path + dl;
		else if (!dl && !strchr(n->path, '/'))
			n->label = n->path;
		else if (!dl)
			n->label = !strncmp(n->path, "./", 2) ? n->path + 2 : n->path;
	}
	buf b = BUF_INIT;
	buf_printf(&b, "from %s", n->label);
	n->from = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	return n;
}

/* --- tree building ---------------------------------------------------------------------- */

static cz_node *new_node(cz_ctx *c, yaml_kind kind, const cz_node *pos)
{
	cz_node *n = arena_alloc(c->a, sizeof *n);
	if (pos) {
		n->file = pos->file;
		n->line = pos->line;
		n->col = pos->col;
		n->end_line = pos->end_line;
		n->end_col = pos->end_col;
	}
	n->kind = kind;
	n->s = "";
	return n;
}

static cz_node *shallow_copy(cz_ctx *c, const cz_node *n)
{
	cz_node *m = arena_alloc(c->a, sizeof *m);
	*m = *n;
	return m;
}

static void map_add(cz_ctx *c, cz_node *map, const char *key, cz_node *kn, cz_node *v)
{
	map->pairs = arena_grow(c->a, map->pairs, map->npairs, map->npairs + 1, sizeof *map->pairs);
	map->pairs[map->npairs++] = (cz_pair){key, kn, v};
}

static void seq_add(cz_ctx *c, cz_node *seq, cz_node *v)
{
	seq->items = arena_grow(c->a, seq->items, seq->nitems, seq->nitems + 1, sizeof *seq->items);
	seq->items[seq->nitems++] = v;
}

static cz_node *convert(cz_ctx *c, const yaml_node *y, const char *file)
{
	cz_node *n = arena_alloc(c->a, sizeof *n);
	n->file = file;
	n->line = y->line;
	n->col = y->col;
	n->end_line = y->end_line;
	n->end_col = y->end_col;
	n->tag = y->tag ? arena_strdup(c->a, y->tag) : NULL;
	n->quoted = y->quoted;
	n->kind = y->kind;
	n->s = "";
	switch (y->kind) {
	case Y_SCALAR:
		if (yaml_is_null(y))
			n->kind = Y_NULL;
		else
			n->s = arena_strndup(c->a, y->s, y->len);
		break;
	case Y_MAP:
		n->pairs = arena_alloc(c->a, (y->npairs + 1) * sizeof *n->pairs);
		for (size_t i = 0; i < y->npairs; i++) {
			cz_node *k = convert(c, y->pairs[i].key, file);
			n->pairs[n->npairs++] = (cz_pair){k->s, k, convert(c, y->pairs[i].value, file)};
		}
		break;
	case Y_SEQ:
		n->items = arena_alloc(c->a, (y->nitems + 1) * sizeof *n->items);
		for (size_t i = 0; i < y->nitems; i++)
			n->items[n->nitems++] = convert(c, y->items[i], file);
		break;
	case Y_NULL:
		break;
	}
	return n;
}

/* --- interpolation ---------------------------------------------------------------------- */

static void interpolate(cz_ctx *c, cz_node *n, cz_env *env)
{
	switch (n->kind) {
	case Y_SCALAR: {
		cz_interp r;
		if (cz_interpolate(c->a, n->s, cz_env_lookup, env, &r) < 0) {
			cz_problem(c, n, true, "%s", r.err);
			n->s = "";
			return;
		}
		if (r.value != n->s) {
			n->s = r.value;
			n->via = r.via;
			n->env_ref = r.env_ref;
		}
		if (r.unset)
			cz_problem(c, n, false, "the \"%s\" variable is not set: defaulting to a blank string",
				   r.unset_name);
		return;
	}
	case Y_MAP:
		for (size_t i = 0; i < n->npairs; i++)
			interpolate(c, n->pairs[i].v, env);
		return;
	case Y_SEQ:
		for (size_t i = 0; i < n->nitems; i++)
			interpolate(c, n->items[i], env);
		return;
	case Y_NULL:
		return;
	}
}

/* --- merging ---------------------------------------------------------------------------- */

typedef struct kpath {
	const char *seg[MAX_PATH_DEPTH];
	int n;
} kpath;

/* pat is dot-separated; '*' matches any segment. */
static bool at(const kpath *p, const char *pat)
{
	int i = 0;
	const char *s = pat;
	while (*s) {
		const char *e = strchr(s, '.');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (i >= p->n)
			return false;
		if (!(len == 1 && s[0] == '*') &&
		    (!p->seg[i] || strlen(p->seg[i]) != len || memcmp(p->seg[i], s, len) != 0))
			return false;
		i++;
		s += len;
		if (*s == '.')
			s++;
	}
	return i == p->n;
}

static bool at_any(const kpath *p, const char *const *pats)
{
	for (; *pats; pats++)
		if (at(p, *pats))
			return true;
	return false;
}

static const char *const REPLACED[] = {"services.*.command", "services.*.entrypoint",
				       "services.*.healthcheck.test", NULL};
static const char *const KEYVALUE[] = {
	"services.*.environment", "services.*.labels", "services.*.annotations",
	"services.*.sysctls", "services.*.build.args", "services.*.build.labels",
	"services.*.build.additional_contexts", "services.*.deploy.labels",
	"services.*.extra_hosts", "services.*.build.extra_hosts", "networks.*.labels",
	"volumes.*.labels", NULL};
static const char *const TO_MAP[] = {"services.*.networks", "services.*.depends_on", NULL};
static const char *const UNIQUE[] = {
	"services.*.cap_add", "services.*.cap_drop", "services.*.dns", "services.*.dns_opt",
	"services.*.dns_search", "services.*.expose", "services.*.links", "services.*.ports",
	"services.*.profiles", "services.*.secrets", "services.*.configs", "services.*.tmpfs",
	"services.*.volumes", "services.*.devices", "services.*.env_file", "services.*.security_opt",
	"services.*.build.tags", "services.*.build.platforms", NULL};

/* A map, seq of "K=V"/"K", or anything else, as a map (compose-go mergeToSequence). */
static cz_node *as_kv_map(cz_ctx *c, cz_node *n)
{
	if (!n || n->kind != Y_SEQ)
		return n;
	cz_node *m = new_node(c, Y_MAP, n);
	for (size_t i = 0; i < n->nitems; i++) {
		cz_node *it = n->items[i];
		if (it->kind != Y_SCALAR)
			continue;
		const char *eq = strchr(it->s, '=');
		cz_node *k = shallow_copy(c, it);
		k->s = eq ? arena_strndup(c->a, it->s, (size_t)(eq - it->s)) : it->s;
		cz_node *v = shallow_copy(c, it);
		if (eq)
			v->s = eq + 1;
		else {
			v->kind = Y_NULL;
			v->s = "";
		}
		const cz_pair *old = cz_get_pair(m, k->s);
		if (old)
			((cz_pair *)old)->v = v;
		else
			map_add(c, m, k->s, k, v);
	}
	return m;
}

/* A seq of names as a map name -> null (networks, depends_on short forms). */
static cz_node *names_to_map(cz_ctx *c, cz_node *n)
{
	if (!n || n->kind != Y_SEQ)
		return n;
	cz_node *m = new_node(c, Y_MAP, n);
	for (size_t i = 0; i < n->nitems; i++)
		if (n->items[i]->kind == Y_SCALAR && !cz_get(m, n->items[i]->s))
			map_add(c, m, n->items[i]->s, n->items[i], new_node(c, Y_NULL, n->items[i]));
	return m;
}

static const char *scalar_of(const cz_node *map, const char *key, const char *dflt)
{
	const cz_node *v = cz_get(map, key);
	return v && v->kind == Y_SCALAR ? v->s : dflt;
}

/* The key an entry of a de-duplicated sequence is known by (compose-go's indexers). */
static const char *unique_key(cz_ctx *c, const kpath *p, const cz_node *it)
{
	const char *last = p->seg[p->n - 1];
	bool vol = strcmp(last, "volumes") == 0 || strcmp(last, "devices") == 0;
	bool sec = strcmp(last, "secrets") == 0, cfg = strcmp(last, "configs") == 0;
	buf b = BUF_INIT;
	if (it->kind == Y_SCALAR) {
		const char *s = it->s;
		if (vol) {
			const char *c1 = strchr(s, ':');
			if (c1) {
				const char *c2 = strchr(c1 + 1, ':');
				buf_add(&b, c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1));
			} else {
				buf_adds(&b, s);
			}
		} else if (sec || cfg) {
			buf_printf(&b, "%s/%s", sec ? "/run/secrets" : "", s);
		} else if (strcmp(last, "ports") == 0 || strcmp(last, "env_file") == 0) {
			buf_adds(&b, s);
		} else {
			const char *eq = strchr(s, '=');
			buf_add(&b, s, eq ? (size_t)(eq - s) : strlen(s));
		}
	} else if (it->kind == Y_MAP) {
		if (vol || sec || cfg) {
			const char *t = scalar_of(it, "target", NULL);
			if (!t || (t[0] != '/' && (sec || cfg)))
				buf_printf(&b, "%s/%s", sec ? "/run/secrets" : "",
					   t ? t : scalar_of(it, "source", ""));
			else
				buf_adds(&b, t);
		} else if (strcmp(last, "ports") == 0) {
			buf_printf(&b, "%s:%s:%s/%s", scalar_of(it, "host_ip", "0.0.0.0"),
				   scalar_of(it, "published", ""), scalar_of(it, "target", ""),
				   scalar_of(it, "protocol", "tcp"));
		} else if (strcmp(last, "env_file") == 0) {
			buf_adds(&b, scalar_of(it, "path", ""));
		} else {
			buf_printf(&b, "#%p", (const void *)it);
		}
	} else {
		buf_printf(&b, "#%p", (const void *)it);
	}
	const char *r = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	return r;
}

static cz_node *dedupe(cz_ctx *c, const kpath *p, cz_node *seq)
{
	const char **keys = arena_alloc(c->a, (seq->nitems + 1) * sizeof *keys);
	cz_node *out = new_node(c, Y_SEQ, seq);
	out->tag = NULL;
	size_t nk = 0;
	for (size_t i = 0; i < seq->nitems; i++) {
		const char *k = unique_key(c, p, seq->items[i]);
		size_t j = 0;
		while (j < nk && strcmp(keys[j], k) != 0)
			j++;
		if (j < nk) {
			out->items[j] = seq->items[i];
		} else {
			keys[nk++] = k;
			seq_add(c, out, seq->items[i]);
		}
	}
	return out;
}

static cz_node *untag(cz_ctx *c, cz_node *n)
{
	if (!n->tag)
		return n;
	cz_node *m = shallow_copy(c, n);
	m->tag = NULL;
	return m;
}

static cz_node *merge(cz_ctx *c, kpath *p, cz_node *base, cz_node *over);

static cz_node *merge_maps(cz_ctx *c, kpath *p, cz_node *base, cz_node *over)
{
	cz_node *m = shallow_copy(c, base);
	m->tag = NULL;
	m->pairs = arena_alloc(c->a, (base->npairs + over->npairs + 1) * sizeof *m->pairs);
	memcpy(m->pairs, base->pairs, base->npairs * sizeof *m->pairs);
	m->npairs = base->npairs;
	for (size_t i = 0; i < over->npairs; i++) {
		cz_pair *op = &over->pairs[i];
		size_t j = 0;
		while (j < m->npairs && strcmp(m->pairs[j].key, op->key) != 0)
			j++;
		cz_node *v;
		if (p->n < MAX_PATH_DEPTH) {
			p->seg[p->n++] = op->key;
			v = merge(c, p, j < m->npairs ? m->pairs[j].v : NULL, op->v);
			p->n--;
		} else {
			v = tag_is(op->v, "!reset") ? NULL : op->v;
		}
		if (j < m->npairs) {
			if (v) {
				m->pairs[j].v = v;
			} else {
				memmove(&m->pairs[j], &m->pairs[j + 1], (m->npairs - j - 1) * sizeof *m->pairs);
				m->npairs--;
			}
		} else if (v) {
			m->pairs[m->npairs++] = (cz_pair){op->key, op->kn, v};
		}
	}
	return m;
}

/* over wins; NULL means the key is removed. */
static cz_node *merge(cz_ctx *c, kpath *p, cz_node *base, cz_node *over)
{
	if (tag_is(over, "!reset"))
		return NULL;
	if (tag_is(over, "!override"))
		return untag(c, over);
	if (tag_is(base, "!reset"))
		base = NULL;
	if (!base)
		return over;
	if (at_any(p, REPLACED))
		return over;
	if (at_any(p, KEYVALUE)) {
		base = as_kv_map(c, base);
		over = as_kv_map(c, over);
	} else if (at_any(p, TO_MAP)) {
		base = names_to_map(c, base);
		over = names_to_map(c, over);
	} else if (at(p, "services.*.build")) {
		if (base->kind == Y_SCALAR) {
			cz_node *m = new_node(c, Y_MAP, base);
			map_add(c, m, "context", base, base);
			base = m;
		}
		if (over->kind == Y_SCALAR) {
			cz_node *m = new_node(c, Y_MAP, over);
			map_add(c, m, "context", over, over);
			over = m;
		}
	} else if (at(p, "services.*.logging") && base->kind == Y_MAP && over->kind == Y_MAP) {
		const char *bd = scalar_of(base, "driver", NULL), *od = scalar_of(over, "driver", NULL);
		if (bd && od && strcmp(bd, od) != 0)
			return over;
	} else if (at(p, "services.*.ulimits.*") && (base->kind != Y_MAP || over->kind != Y_MAP)) {
		return over;
	}
	if (base->kind == Y_MAP && over->kind == Y_MAP)
		return merge_maps(c, p, base, over);
	if (base->kind == Y_SEQ && over->kind == Y_SEQ) {
		cz_node *s = shallow_copy(c, over);
		s->tag = NULL;
		s->items = arena_alloc(c->a, (base->nitems + over->nitems + 1) * sizeof *s->items);
		memcpy(s->items, base->items, base->nitems * sizeof *s->items);
		memcpy(s->items + base->nitems, over->items, over->nitems * sizeof *s->items);
		s->nitems = base->nitems + over->nitems;
		return at_any(p, UNIQUE) ? dedupe(c, p, s) : s;
	}
	return over;
}

/* Remove what `!reset` cleared in a file that had nothing to reset. */
static void strip_reset(cz_node *n)
{
	if (n->kind == Y_MAP) {
		size_t k = 0;
		for (size_t i = 0; i < n->npairs; i++) {
			if (tag_is(n->pairs[i].v, "!reset"))
				continue;
			strip_reset(n->pairs[i].v);
			n->pairs[k++] = n->pairs[i];
		}
		n->npairs = k;
	} else if (n->kind == Y_SEQ) {
		size_t k = 0;
		for (size_t i = 0; i < n->nitems; i++) {
			if (tag_is(n->items[i], "!reset"))
				continue;
			strip_reset(n->items[i]);
			n->items[k++] = n->items[i];
		}
		n->nitems = k;
	}
}

/* --- schema ---------------------------------------------------------------------------- */

/* Unknown keys, wrong types, bad enum values... are the compose-spec schema's job
 * (schema.c); the loader no longer checks keys itself. TOP_KEYS tells the v1 layout. */

static const char *const TOP_KEYS[] = {"version", "name", "include", "services", "models",
				       "networks", "volumes", "secrets", "configs", NULL};
static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* The v1 layout: no `services:`, every top-level mapping with image or build is a service. */
static cz_node *legacy_v1(cz_ctx *c, cz_node *root)
{
	if (cz_get(root, "services") || cz_get(root, "version") || cz_get(root, "include"))
		return root;
	bool v1 = false;
	for (size_t i = 0; i < root->npairs; i++) {
		cz_node *v = root->pairs[i].v;
		if (!in_list(TOP_KEYS, root->pairs[i].key) && v->kind == Y_MAP &&
		    (cz_get(v, "image") || cz_get(v, "build")))
			v1 = true;
	}
	if (!v1)
		return root;
	cz_problem(c, root, false,
		   "legacy Compose file format (v1): top-level keys are read as services");
	cz_node *nr = new_node(c, Y_MAP, root), *svcs = new_node(c, Y_MAP, root);
	for (size_t i = 0; i < root->npairs; i++) {
		cz_pair *kp = &root->pairs[i];
		if (strncmp(kp->key, "x-", 2) == 0) {
			map_add(c, nr, kp->key, kp->kn, kp->v);
			continue;
		}
		map_add(c, svcs, kp->key, kp->kn, kp->v);
		/* v1's `net` is today's `network_mode` (same values: host, bridge, none,
		 * container:NAME); read it as such instead of refusing it, so `net: host`
		 * counts as sharing the host network. */
		for (size_t j = 0; kp->v->kind == Y_MAP && j < kp->v->npairs; j++)
			if (strcmp(kp->v->pairs[j].key, "net") == 0 && !cz_get(kp->v, "network_mode"))
				kp->v->pairs[j].key = "network_mode";
	}
	map_add(c, nr, "services", NULL, svcs);
	return nr;
}

/* --- one file --------------------------------------------------------------------------- */

typedef struct raw_file {
	const char *path;
	const cz_env *env;
	cz_node *root;
	bool validated;         /* checked against the schema (extends bases are not) */
} raw_file;

typedef struct loader {
	cz_ctx *c;
	raw_file *raws;
	size_t nraws;
	cz_schema *schema;
	const char **schema_msgs; /* the messages of schema problems, to tell them apart */
	size_t nschema_msgs;
	const char *inc_stack[MAX_INCLUDE + 1];
	int ninc;
} loader;

static void schema_problem(void *ctx, const cz_node *at, const char *msg)
{
	loader *L = ctx;
	cz_problem(L->c, at, true, "%s", msg);
	L->schema_msgs = arena_grow(L->c->a, L->schema_msgs, L->nschema_msgs, L->nschema_msgs + 1,
				    sizeof *L->schema_msgs);
	L->schema_msgs[L->nschema_msgs++] = L->c->p->problems[L->c->p->nproblems - 1].msg;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const char *const *)a, y = (uintptr_t)*(const char *const *)b;
	return (x > y) - (x < y);
}

static int cmp_place(const pl_compose_problem *a, const pl_compose_problem *b)
{
	int c = a->file && b->file ? strcmp(a->file, b->file) : (a->file != NULL) - (b->file != NULL);
	if (c)
		return c;
	if (a->line != b->line)
		return (a->line > b->line) - (a->line < b->line);
	return (a->col > b->col) - (a->col < b->col);
}

/* qsort has no context argument: the problems being sorted, per thread */
static _Thread_local const pl_compose_problem *sort_base;

static int cmp_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = cmp_place(&sort_base[x], &sort_base[y]);
	return c ? c : (x > y) - (x < y);
}

/* One report per fault: a schema problem repeated (a file read twice, by two includes)
 * is kept once, and one at a node where service.c reported an error of its own is
 * dropped: that message is the more specific ("not a valid duration" rather than "must
 * be a string"). */
static void dedupe_problems(loader *L)
{
	pl_compose_project *p = L->c->p;
	if (L->nschema_msgs == 0)
		return;
	qsort(L->schema_msgs, L->nschema_msgs, sizeof *L->schema_msgs, cmp_ptr);
	size_t *idx = arena_alloc(L->c->a, (p->nproblems + 1) * sizeof *idx), n = 0;
	bool *schema = arena_alloc(L->c->a, (p->nproblems + 1) * sizeof *schema);
	for (size_t i = 0; i < p->nproblems; i++) {
		schema[i] = bsearch(&p->problems[i].msg, L->schema_msgs, L->nschema_msgs,
				    sizeof *L->schema_msgs, cmp_ptr) != NULL;
		if (p->problems[i].error)
			idx[n++] = i;
	}
	sort_base = p->problems;
	qsort(idx, n, sizeof *idx, cmp_index); /* errors by place, then order */
	size_t k = 0;
	for (size_t i = 0; i < p->nproblems; i++) {
		pl_compose_problem *q = &p->problems[i];
		bool drop = false;
		/* the first error at q's place */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (cmp_place(&p->problems[idx[mid]], q) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t j = lo; schema[i] && j < n && !drop && cmp_place(&p->problems[idx[j]], q) == 0; j++)
			drop = !schema[idx[j]] || (idx[j] < i && strcmp(p->problems[idx[j]].msg, q->msg) == 0);
		if (drop) {
			p->nerrors--;
			continue;
		}
		p->problems[k++] = *q;
	}
	p->nproblems = k;
}

/* Read, parse, interpolate, normalise one file (cached per path and variable set) and,
 * unless it is only an extends base (compose-go validates the extending file, not the
 * base file), check it against the schema. */
static cz_node *load_raw(loader *L, const char *path, const char *base, cz_env *env, const cz_node *from,
			 bool validate)
{
	cz_ctx *c = L->c;
	for (size_t i = 0; i < L->nraws; i++)
		if (strcmp(L->raws[i].path, path) == 0 && L->raws[i].env == env) {
			if (validate && !L->raws[i].validated) {
				L->raws[i].validated = true;
				cz_schema_validate(L->schema, L->raws[i].root, schema_problem, L);
			}
			return L->raws[i].root;
		}
	const cz_file *f = add_file(c, path, base);
	pl_input in;
	char err[256];
	if (pl_read_file(path, YAML_MAX_FILE, &in, err, sizeof err) < 0) {
		if (from)
			cz_problem(c, from, true, "%s: %s", path, err);
		else
			problem_at(c, f->path, 0, 0, true, err);
		return NULL;
	}
	yaml_stream y;
	cz_node *root = NULL;
	if (yaml_load(&y, f->path, in.data, in.len) < 0) {
		problem_at(c, f->path, y.err_line, y.err_col, true, y.err);
	} else {
		for (size_t d = 0; d < y.ndocs; d++) {
			if (!y.docs[d])
				continue;
			cz_node *doc = convert(c, y.docs[d], f->path);
			if (doc->kind == Y_NULL)
				continue;
			if (doc->kind != Y_MAP) {
				cz_problem(c, doc, true, "a compose file must be a mapping");
				continue;
			}
			kpath p = {{0}, 0};
			root = root ? merge(c, &p, root, doc) : doc;
		}
	}
	yaml_free(&y);
	pl_input_free(&in);
	if (!root) {
		cz_node pos = {.file = f->path, .line = 1, .col = 1};
		root = new_node(c, Y_MAP, &pos);
	}
	interpolate(c, root, env);
	root = legacy_v1(c, root);
	for (size_t i = 0; i < root->npairs; i++) {
		cz_pair *kp = &root->pairs[i];
		if (strcmp(kp->key, "version") == 0)
			cz_problem(c, kp->kn, false,
				   "the attribute `version` is obsolete, it will be ignored");
	}
	/* compose-go validates each file after interpolation, before merging */
	if (validate)
		cz_schema_validate(L->schema, root, schema_problem, L);
	L->raws = arena_grow(c->a, L->raws, L->nraws, L->nraws + 1, sizeof *L->raws);
	L->raws[L->nraws++] = (raw_file){f->path, env, root, validate};
	return root;
}

/* --- extends ---------------------------------------------------------------------------- */

typedef struct ext_frame {
	const char *file, *service;
} ext_frame;

static cz_node *resolve_service(loader *L, cz_node *root, const char *file, cz_env *env,
				const char *name, const cz_node *from, ext_frame *stack, int depth)
{
	cz_ctx *c = L->c;
	cz_node *svc = cz_get(cz_get(root, "services"), name);
	if (!svc) {
		if (from)
			cz_problem(c, from, true, "cannot extend service \"%s\" in %s: service not found",
				   name, file);
		return NULL;
	}
	const cz_pair *ext = cz_get_pair(svc, "extends");
	if (!ext)
		return svc;
	for (int i = 0; i < depth; i++)
		if (strcmp(stack[i].file, file) == 0 && strcmp(stack[i].service, name) == 0) {
			cz_problem(c, ext->kn, true, "circular reference with extends: service \"%s\" in %s",
				   name, file);
			return NULL;
		}
	if (depth >= MAX_EXTENDS) {
		cz_problem(c, ext->kn, true, "extends nested deeper than %d services", MAX_EXTENDS);
		return NULL;
	}
	stack[depth] = (ext_frame){file, name};
	const char *bname = NULL, *bfile = NULL;
	if (ext->v->kind == Y_SCALAR) {
		bname = ext->v->s;
	} else if (ext->v->kind == Y_MAP) {
		bname = scalar_of(ext->v, "service", NULL);
		bfile = scalar_of(ext->v, "file", NULL);
	}
	if (!bname || !*bname) {
		cz_problem(c, ext->v, true, "extends must name a service");
		return NULL;
	}
	cz_node *broot = root;
	const char *bpath = file;
	if (bfile && *bfile) {
		const cz_file *f = cz_file_of(c, file);
		bpath = cz_join(c->a, f ? f->dir : ".", bfile, c->home);
		broot = load_raw(L, bpath, NULL, env, ext->v, false);
		if (!broot)
			return NULL;
		bpath = cz_file_of(c, bpath)->path;
	}
	cz_node *base = resolve_service(L, broot, bpath, env, bname, ext->v, stack, depth + 1);
	if (!base)
		return NULL;
	cz_node *own = shallow_copy(c, svc);
	own->pairs = arena_alloc(c->a, (svc->npairs + 1) * sizeof *own->pairs);
	own->npairs = 0;
	for (size_t i = 0; i < svc->npairs; i++)
		if (strcmp(svc->pairs[i].key, "extends") != 0)
			own->pairs[own->npairs++] = svc->pairs[i];
	kpath p = {{"services", name}, 2};
	if (base->kind != Y_MAP)
		return own;
	return merge(c, &p, base, own);
}

static void apply_extends(loader *L, cz_node *root, const char *file, cz_env *env)
{
	cz_node *svcs = cz_get(root, "services");
	if (!svcs || svcs->kind != Y_MAP)
		return;
	ext_frame stack[MAX_EXTENDS + 1];
	for (size_t i = 0; i < svcs->npairs; i++) {
		cz_node *svc = svcs->pairs[i].v;
		if (svc->kind != Y_MAP || !cz_get(svc, "extends"))
			continue;
		cz_node *r = resolve_service(L, root, file, env, svcs->pairs[i].key, NULL, stack, 0);
		if (r)
			svcs->pairs[i].v = r;
	}
}

/* --- include ---------------------------------------------------------------------------- */

static cz_node *load_project(loader *L, const char *const *paths, size_t n, const char *base,
			     cz_env *env, const cz_node *from);

/* Variables of an included project: the process environment over its own .env files. */
static cz_env *include_env(loader *L, const char *const *env_files, size_t n, const char *dir,
			   const cz_node *from)
{
	cz_ctx *c = L->c;
	cz_env *e = arena_alloc(c->a, sizeof *e);
	for (size_t i = 0; i < c->osenv.n; i++)
		cz_env_set(c->a, e, c->osenv.v[i].name, c->osenv.v[i].value, NULL);
	const char *dflt = cz_join(c->a, dir, ".env", NULL);
	if (n == 0) {
		if (!file_exists(dflt))
			return e;
		env_files = &dflt;
		n = 1;
	}
	cz_env dot = {0};
	for (size_t i = 0; i < n; i++) {
		pl_input in;
		char err[256];
		if (pl_read_file(env_files[i], PL_MAX_INPUT, &in, err, sizeof err) < 0) {
			cz_problem(c, from, true, "env file %s: %s", env_files[i], err);
			continue;
		}
		if (cz_dotenv_parse(c->a, in.data, in.len, base_name(env_files[i]), cz_env_lookup,
				    &c->osenv, &dot, err, sizeof err) < 0)
			cz_problem(c, from, true, "env file %s: %s", env_files[i], err);
		pl_input_free(&in);
	}
	for (size_t i = 0; i < dot.n; i++)
		if (!cz_env_find(&c->osenv, dot.v[i].name, strlen(dot.v[i].name)))
			cz_env_set(c->a, e, dot.v[i].name, dot.v[i].value, dot.v[i].via);
	return e;
}

static const char *const COPIED[] = {"services", "networks", "volumes", "secrets", "configs",
				     "models", NULL};

static void apply_include(loader *L, cz_node *root, const char *file)
{
	cz_ctx *c = L->c;
	const cz_pair *inc = cz_get_pair(root, "include");
	if (!inc)
		return;
	if (inc->v->kind != Y_SEQ) {
		cz_problem(c, inc->v, true, "include must be a sequence");
		return;
	}
	const cz_file *f = cz_file_of(c, file);
	const char *dir = f ? f->dir : ".";
	for (size_t i = 0; i < inc->v->nitems; i++) {
		cz_node *it = inc->v->items[i];
		const char **paths = NULL, **envs = NULL;
		size_t np = 0, ne = 0;
		const char *pdir = NULL;
		cz_node *pv = it, *ev = NULL;
		if (it->kind == Y_MAP) {
			pv = cz_get(it, "path");
			ev = cz_get(it, "env_file");
			const char *pd = scalar_of(it, "project_directory", NULL);
			if (pd)
				pdir = cz_join(c->a, dir, pd, c->home);
		}
		cz_node *lists[2] = {pv, ev};
		for (int w = 0; w < 2; w++) {
			cz_node *l = lists[w];
			if (!l)
				continue;
			size_t cnt = l->kind == Y_SEQ ? l->nitems : 1;
			const char **arr = arena_alloc(c->a, (cnt + 1) * sizeof *arr);
			size_t k = 0;
			for (size_t j = 0; j < cnt; j++) {
				cz_node *s = l->kind == Y_SEQ ? l->items[j] : l;
				if (s->kind == Y_SCALAR && *s->s)
					arr[k++] = cz_join(c->a, dir, s->s, c->home);
			}
			if (w == 0) {
				paths = arr;
				np = k;
			} else {
				envs = arr;
				ne = k;
			}
		}
		if (np == 0) {
			cz_problem(c, it, true, "include entry has no path");
			continue;
		}
		bool cycle = false;
		for (int s = 0; s < L->ninc; s++)
			if (strcmp(L->inc_stack[s], paths[0]) == 0)
				cycle = true;
		if (cycle || L->ninc >= MAX_INCLUDE) {
			cz_problem(c, it, true, cycle ? "include cycle: %s is already being included"
						      : "include nested too deep at %s",
				   paths[0]);
			continue;
		}
		if (!pdir)
			pdir = dir_of(c->a, paths[0]);
		cz_env *env = include_env(L, envs, ne, pdir, it);
		L->inc_stack[L->ninc++] = paths[0];
		cz_node *sub = load_project(L, paths, np, pdir, env, it);
		L->ninc--;
		if (!sub)
			continue;
		/* copy the included resources in; a name defined on both sides is a conflict */
		for (const char *const *sec = COPIED; *sec; sec++) {
			cz_node *from = cz_get(sub, *sec);
			if (!from || from->kind != Y_MAP)
				continue;
			cz_node *to = cz_get(root, *sec);
			if (!to || to->kind != Y_MAP) {
				to = new_node(c, Y_MAP, it);
				map_add(c, root, *sec, NULL, to);
			}
			for (size_t j = 0; j < from->npairs; j++) {
				if (cz_get(to, from->pairs[j].key)) {
					cz_problem(c, it, true,
						   "%s.%s conflicts with imported resource from %s", *sec,
						   from->pairs[j].key, paths[0]);
					continue;
				}
				map_add(c, to, from->pairs[j].key, from->pairs[j].kn, from->pairs[j].v);
			}
		}
	}
}

/* Files merged in order, each with its includes and extends applied. */
static cz_node *load_project(loader *L, const char *const *paths, size_t n, const char *base,
			     cz_env *env, const cz_node *from)
{
	cz_node *acc = NULL;
	for (size_t i = 0; i < n; i++) {
		cz_node *root = load_raw(L, paths[i], base, env, from, true);
		if (!root)
			continue;
		const char *fp = cz_file_of(L->c, paths[i])->path;
		apply_include(L, root, fp);
		apply_extends(L, root, fp, env);
		kpath p = {{0}, 0};
		acc = acc ? merge(L->c, &p, acc, root) : root;
	}
	if (acc)
		strip_reset(acc);
	return acc;
}

/* --- the project ------------------------------------------------------------------------ */

static const char *env_get(const cz_env *e, const char *name)
{
	const cz_var *v = cz_env_find(e, name, strlen(name));
	return v ? v->value : NULL;
}

static void read_environment(cz_ctx *c, const pl_compose_opts *o, const char *dir)
{
	if (o && o->environ)
		for (const char *const *e = o->environ; *e; e++) {
			const char *eq = strchr(*e, '=');
			if (!eq || eq == *e)
				continue;
			char *name = arena_strndup(c->a, *e, (size_t)(eq - *e));
			cz_env_set(c->a, &c->osenv, name, eq + 1, NULL);
			cz_env_set(c->a, &c->env, name, eq + 1, NULL);
		}
	const char *dflt = cz_join(c->a, dir, ".env", NULL);
	const char *const *files = o ? o->env_files : NULL;
	size_t n = o ? o->nenv_files : 0;
	if (n == 0) {
		if (!file_exists(dflt))
			return;
		files = &dflt;
		n = 1;
	}
	cz_env dot = {0};
	for (size_t i = 0; i < n; i++) {
		pl_input in;
		char err[256];
		const char *label = base_name(files[i]);
		if (pl_read_file(files[i], PL_MAX_INPUT, &in, err, sizeof err) < 0) {
			problem_at(c, arena_strdup(c->a, files[i]), 0, 0, true, err);
			continue;
		}
		if (cz_dotenv_parse(c->a, in.data, in.len, label, cz_env_lookup, &c->osenv, &dot, err,
				    sizeof err) < 0)
			problem_at(c, arena_strdup(c->a, files[i]), 0, 0, true, err);
		pl_input_free(&in);
	}
	for (size_t i = 0; i < dot.n; i++)
		if (!cz_env_find(&c->osenv, dot.v[i].name, strlen(dot.v[i].name)))
			cz_env_set(c->a, &c->env, dot.v[i].name, dot.v[i].value, dot.v[i].via);
}

/* Compose's normalisation of project names: lower case, [a-z0-9_-], starting alphanumeric. */
static const char *normalize_name(arena *a, const char *s)
{
	buf b = BUF_INIT;
	for (; *s; s++) {
		char ch = (char)tolower((unsigned char)*s);
		if (isalnum((unsigned char)ch) || ((ch == '_' || ch == '-') && b.len))
			buf_addc(&b, ch);
	}
	const char *r = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return r;
}

static bool profile_on(const char *const *on, size_t non, const char *name)
{
	for (size_t i = 0; i < non; i++)
		if (strcmp(on[i], name) == 0 || strcmp(on[i], "*") == 0)
			return true;
	return false;
}

int pl_compose_load(const char *const *files, size_t nfiles, const pl_compose_opts *opts,
		    pl_compose_project *out)
{
	memset(out, 0, sizeof *out);
	arena_init(&out->mem);
	cz_ctx c = {0};
	c.p = out;
	c.a = &out->mem;
	if (nfiles == 0) {
		problem_at(&c, NULL, 0, 0, true, "no compose file");
		return -1;
	}
	const char *dir = opts && opts->project_dir ? arena_strdup(c.a, opts->project_dir)
						    : dir_of(c.a, files[0]);
	out->dir = dir;
	read_environment(&c, opts, dir);
	c.home = env_get(&c.osenv, "HOME");

	const char **paths = arena_alloc(c.a, (nfiles + 1) * sizeof *paths);
	for (size_t i = 0; i < nfiles; i++) {
		paths[i] = arena_strdup(c.a, files[i]);
		add_file(&c, paths[i], dir);
	}
	c.primary = c.files[0].path;
	loader L = {.c = &c};
	char serr[256];
	L.schema = cz_schema_new(serr, sizeof serr);
	if (!L.schema)
		problem_at(&c, NULL, 0, 0, false, serr);
	cz_node *root = load_project(&L, paths, nfiles, dir, &c.env, NULL);

	/* project name: -p, COMPOSE_PROJECT_NAME, name:, the directory */
	const char *name = opts && opts->project_name ? opts->project_name : NULL;
	if (!name)
		name = env_get(&c.env, "COMPOSE_PROJECT_NAME");
	if (!name || !*name)
		name = root ? scalar_of(root, "name", NULL) : NULL;
	if (!name || !*name) {
		char *abs = realpath(dir, NULL);
		name = arena_strdup(c.a, base_name(abs ? abs : dir));
		free(abs);
	}
	out->name = normalize_name(c.a, name);

	/* profiles */
	const char **on = NULL;
	size_t non = 0;
	const char *cp = env_get(&c.env, "COMPOSE_PROFILES");
	size_t cap = (opts ? opts->nprofiles : 0) + (cp ? strlen(cp) + 1 : 0) + 1;
	on = arena_alloc(c.a, cap * sizeof *on);
	for (size_t i = 0; opts && i < opts->nprofiles; i++)
		on[non++] = opts->profiles[i];
	while (cp && *cp) {
		const char *e = strchr(cp, ',');
		size_t len = e ? (size_t)(e - cp) : strlen(cp);
		while (len && isspace((unsigned char)*cp)) {
			cp++;
			len--;
		}
		while (len && isspace((unsigned char)cp[len - 1]))
			len--;
		if (len)
			on[non++] = arena_strndup(c.a, cp, len);
		cp = e ? e + 1 : NULL;
	}

	cz_node *svcs = root ? cz_get(root, "services") : NULL;
	if (svcs && svcs->kind == Y_MAP) {
		out->containers = arena_alloc(c.a, (svcs->npairs + 1) * sizeof *out->containers);
		out->inactive = arena_alloc(c.a, (svcs->npairs + 1) * sizeof *out->inactive);
		for (size_t i = 0; i < svcs->npairs; i++) {
			cz_pair *sp = &svcs->pairs[i];
			if (strncmp(sp->key, "x-", 2) == 0)
				continue;
			if (sp->v->kind != Y_MAP && sp->v->kind != Y_NULL)
				continue; /* reported by the schema check */
			cz_node *prof = cz_get(sp->v, "profiles");
			bool active = !prof || (opts && opts->all_profiles);
			if (prof && prof->kind == Y_SEQ) {
				for (size_t j = 0; j < prof->nitems && !active; j++)
					if (prof->items[j]->kind == Y_SCALAR &&
					    profile_on(on, non, prof->items[j]->s))
						active = true;
				if (prof->nitems == 0)
					active = true;
			} else if (prof && prof->kind != Y_NULL) {
				cz_problem(&c, prof, true, "services.%s.profiles must be a sequence", sp->key);
				active = true;
			}
			if (!active) {
				out->inactive[out->ninactive++] = sp->key;
				continue;
			}
			pl_container *ct = &out->containers[out->ncontainers++];
			cz_fill_service(&c, sp->key, sp->kn, sp->v, ct);
		}
		/* A service another one waits for with `condition: service_completed_successfully`
		 * is a one-shot job (a migration, an init step): Compose expects it to exit. */
		for (size_t i = 0; i < svcs->npairs; i++) {
			cz_node *dep = svcs->pairs[i].v->kind == Y_MAP ? cz_get(svcs->pairs[i].v, "depends_on")
								       : NULL;
			for (size_t j = 0; dep && dep->kind == Y_MAP && j < dep->npairs; j++) {
				const char *cond = dep->pairs[j].v->kind == Y_MAP
							   ? scalar_of(dep->pairs[j].v, "condition", NULL)
							   : NULL;
				if (!cond || strcmp(cond, "service_completed_successfully") != 0)
					continue;
				for (size_t k = 0; k < out->ncontainers; k++)
					if (strcmp(out->containers[k].name, dep->pairs[j].key) == 0)
						out->containers[k].long_running = false;
			}
		}
	} else if (svcs && svcs->kind != Y_NULL) {
		/* reported by the schema check */
	}

	out->files = arena_alloc(c.a, (c.nfiles + 1) * sizeof *out->files);
	for (size_t i = 0; i < c.nfiles; i++)
		out->files[out->nfiles++] = c.files[i].path;
	dedupe_problems(&L);
	cz_schema_free(L.schema);
	return out->nerrors ? -1 : 0;
}

void pl_compose_free(pl_compose_project *p)
{
	arena_free(&p->mem);
	memset(p, 0, sizeof *p);
}

size_t pl_compose_find(const char *dir, char *out[2])
{
	static const char *const MAIN[] = {"compose.yaml", "compose.yml", "docker-compose.yml",
					   "docker-compose.yaml", NULL};
	static const char *const OVERRIDE[] = {"compose.override.yml", "compose.override.yaml",
					       "docker-compose.override.yml",
					       "docker-compose.override.yaml", NULL};
	const char *const *lists[2] = {MAIN, OVERRIDE};
	size_t n = 0;
	for (int w = 0; w < 2; w++) {
		for (const char *const *f = lists[w]; *f; f++) {
			buf b = BUF_INIT;
			buf_printf(&b, "%s/%s", dir, *f);
			if (file_exists(buf_str(&b))) {
				out[n++] = buf_detach(&b, NULL);
				break;
			}
			buf_free(&b);
		}
		if (n == 0)
			return 0;
	}
	return n;
}
