/* config.c - .plimsoll.yml: defaults, loading with positioned errors, and the queries the
 * engine asks (is this rule on, at what severity, is this file ignored for it).
 *
 * YAML is read with libfyaml's event parser into a small tree of our own that keeps the
 * line and column of every node, so each error can name the exact spot. The event API is
 * used rather than libfyaml's document builder because it never resolves aliases: an
 * alias is refused where it appears, so a "billion laughs" file costs nothing. Together
 * with the 1 MiB size limit and a 64-level nesting limit, memory stays bounded by the
 * input size on any file.
 *
 * A load is staged: everything is validated into a scratch config first and merged into
 * the caller's only when the whole file is good, so a bad file changes nothing. */
#include "engine/config.h"
#include "context/context.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/xalloc.h"

/* From yaml/yaml.h, which this file does not include: its tree types clash with the
 * small tree here (this loader refuses aliases; yaml.c resolves them). */
size_t yaml_risky_explicit_key(const char *s, size_t n);
struct fy_diag *yaml_diag_collecting(void);

#include <libfyaml.h>

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	MAX_CONFIG = 1024 * 1024, /* no real config comes near; bounds hostile input */
	MAX_DEPTH = 64,
};

/* ---------------------------------------------------------------------------------------
 * Defaults and queries */

void pl_config_init(pl_config *c)
{
	memset(c, 0, sizeof *c);
	size_t n = pl_nrules ? pl_nrules : 1;
	c->enabled = xmalloc(n);
	memset(c->enabled, -1, n);
	c->severity = xmalloc(n * sizeof *c->severity);
	for (size_t i = 0; i < n; i++)
		c->severity[i] = -1;
	c->fail_on = SEV_HIGH;
	c->low_uid_below = 10000;
	c->warn_on = SEV_LOW;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void free_ignores(pl_path_ignore *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].pattern);
		free(v[i].rules);
	}
	free(v);
}

static void free_labels(pl_label_rule *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].type);
	}
	free(v);
}

void pl_config_free(pl_config *c)
{
	free(c->path);
	free(c->dir);
	free(c->enabled);
	free(c->severity);
	free_strv(c->trusted_registries, c->ntrusted);
	free_strv(c->allow_setuid, c->nallow_setuid);
	free_strv(c->allow_secrets, c->nallow_secrets);
	free_strv(c->allow_drift, c->nallow_drift);
	free_strv(c->exempt_namespaces, c->nexempt_namespaces);
	free_strv(c->exempt_labels, c->nexempt_labels);
	free(c->live_metrics_path);
	for (int f = 0; f < PL_LOG_FIELDS; f++)
		free_strv(c->live_log_fields[f], c->nlive_log_fields[f]);
	free_ignores(c->ignores, c->nignores);
	free_labels(c->labels, c->nlabels);
	memset(c, 0, sizeof *c);
}

bool pl_config_drift_allowed(const pl_config *c, const char *path)
{
	for (size_t i = 0; i < c->nallow_drift; i++)
		if (fnmatch(c->allow_drift[i], path, 0) == 0)
			return true;
	return false;
}

bool pl_config_setuid_allowed(const pl_config *c, const char *path)
{
	for (size_t i = 0; i < c->nallow_setuid; i++)
		if (fnmatch(c->allow_setuid[i], path, 0) == 0)
			return true;
	return false;
}

bool pl_config_secret_allowed(const pl_config *c, const char *path, const char *value,
			      size_t n, bool within)
{
	for (size_t i = 0; i < c->nallow_secrets; i++) {
		const char *a = c->allow_secrets[i];
		if (a[0] == '/') { /* a path glob; "*" also matches "/" (no FNM_PATHNAME) */
			if (path && fnmatch(a, path, 0) == 0)
				return true;
		} else if (value) {
			size_t al = strlen(a);
			if (within ? memmem(value, n, a, al) != NULL : (al == n && !memcmp(a, value, n)))
				return true;
		}
	}
	return false;
}

size_t pl_rule_index(const pl_rule *r)
{
	for (size_t i = 0; i < pl_nrules; i++)
		if (pl_rules[i] == r)
			return i;
	return pl_nrules;
}

bool pl_config_rule_enabled(const pl_config *c, const pl_rule *r)
{
	size_t i = pl_rule_index(r);
	if (i < pl_nrules && c->enabled && c->enabled[i] >= 0)
		return c->enabled[i] != 0;
	if (c->enable_all)
		return true;
	return !r->opt_in;
}

pl_severity pl_config_severity(const pl_config *c, const pl_rule *r)
{
	size_t i = pl_rule_index(r);
	if (i < pl_nrules && c->severity && c->severity[i] >= 0)
		return (pl_severity)c->severity[i];
	return r->severity;
}

/* Lexically clean a '/'-separated path (Go's path.Clean): no "." or empty elements, ".."
 * folded into its parent where there is one. Returns a malloc'd string, "." when empty. */
static char *clean_path(const char *s)
{
	size_t n = strlen(s);
	char *out = xmalloc(n + 2);
	bool rooted = s[0] == '/';
	size_t w = 0, floor = 0; /* out[0..floor) is "/" or leading ".." that cannot fold */
	if (rooted) {
		out[w++] = '/';
		floor = 1;
	}
	for (const char *p = s; *p;) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		size_t len = (size_t)(e - p);
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (w > floor) {
				while (w > floor && out[w - 1] != '/')
					w--;
				if (w > floor)
					w--;
			} else if (!rooted) {
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				floor = w;
			}
		} else {
			if (w > (rooted ? 1u : 0u))
				out[w++] = '/';
			memcpy(out + w, p, len);
			w += len;
		}
		p = e;
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = '\0';
	return out;
}

/* An absolute version of a relative path, against the working directory. */
static char *absolute(const char *p)
{
	if (p[0] == '/')
		return xstrdup(p);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return xstrdup(p);
	buf b = BUF_INIT;
	buf_printf(&b, "%s/%s", cwd, p);
	return buf_detach(&b, NULL);
}

/* file made relative to dir, or NULL when file is not under dir. */
static char *relative_to(const char *dir, const char *file)
{
	char *d, *f;
	if ((dir[0] == '/') != (file[0] == '/')) {
		char *ad = absolute(dir), *af = absolute(file);
		d = clean_path(ad);
		f = clean_path(af);
		free(ad);
		free(af);
	} else {
		d = clean_path(dir);
		f = clean_path(file);
	}
	char *rel = NULL;
	size_t nd = strlen(d);
	if (strcmp(d, ".") == 0) {
		if (strcmp(f, "..") != 0 && strncmp(f, "../", 3) != 0)
			rel = xstrdup(f);
	} else if (strcmp(d, "/") == 0) {
		rel = xstrdup(f[1] ? f + 1 : ".");
	} else if (strcmp(f, d) == 0) {
		rel = xstrdup(".");
	} else if (strncmp(f, d, nd) == 0 && f[nd] == '/') {
		rel = xstrdup(f + nd + 1);
	}
	free(d);
	free(f);
	return rel;
}

bool pl_config_path_ignored(const pl_config *c, const pl_rule *r, const char *file)
{
	if (c->nignores == 0)
		return false;
	char *rel = relative_to(c->dir ? c->dir : ".", file);
	if (!rel)
		return false;
	bool ignored = false;
	for (size_t i = 0; i < c->nignores && !ignored; i++) {
		const pl_path_ignore *pi = &c->ignores[i];
		bool applies = pi->rules == NULL;
		for (size_t k = 0; k < pi->nrules && !applies; k++)
			applies = pi->rules[k] == r;
		if (!applies)
			continue;
		/* patterns were turned into .dockerignore form at load time, so Docker's
		 * matcher (with its parent-directory rule) does the work */
		pl_ignore_pattern ip = {pi->pattern, false, 0};
		pl_dockerignore di = {NULL, &ip, 1};
		ignored = pl_dockerignore_excludes(&di, rel);
	}
	free(rel);
	return ignored;
}

/* ---------------------------------------------------------------------------------------
 * Finding the file */

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static const char *const config_names[] = {".plimsoll.yml", ".plimsoll.yaml"};

/* dir/name for each config name; returns the first that exists, malloc'd. */
static char *try_dir(const char *dir)
{
	for (size_t i = 0; i < sizeof config_names / sizeof *config_names; i++) {
		buf b = BUF_INIT;
		if (strcmp(dir, ".") != 0) {
			buf_adds(&b, dir);
			if (b.len == 0 || b.p[b.len - 1] != '/')
				buf_addc(&b, '/');
		}
		buf_adds(&b, config_names[i]);
		if (is_file(b.p))
			return buf_detach(&b, NULL);
		buf_free(&b);
	}
	return NULL;
}

char *pl_config_find(const char *start_dir)
{
	/* The start directory keeps the caller's spelling (".plimsoll.yml", not an absolute
	 * path) so that messages read as the user typed; parents need the real path. */
	char *found = try_dir(start_dir);
	if (found)
		return found;
	char *dir = realpath(start_dir, NULL);
	if (!dir)
		return NULL;
	while (!found && strcmp(dir, "/") != 0) {
		char *slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		found = try_dir(dir);
	}
	free(dir);
	return found;
}

/* ---------------------------------------------------------------------------------------
 * YAML to a positioned tree */

typedef enum ykind { Y_SCALAR, Y_SEQ, Y_MAP } ykind;

typedef struct ynode ynode;
struct ynode {
	ykind kind;
	int line, col;          /* 1-based */
	const char *s;          /* Y_SCALAR: text, NUL-terminated */
	size_t len;
	bool plain;             /* unquoted scalar (only plain scalars can be null) */
	ynode **v;              /* Y_SEQ: items; Y_MAP: key, value, key, value, ... */
	size_t n;
};

typedef struct loader {
	arena mem;
	const char *path;
	char *err;
	size_t errlen;
	struct fy_parser *fyp;
	struct fy_diag *diag;
} loader;

static int fail_at(loader *L, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail_at(loader *L, int line, int col, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(L->err, L->errlen, "%s:%d:%d: %s", L->path, line, col, msg);
	return -1;
}

#define FAIL(L, node, ...) fail_at((L), (node)->line, (node)->col, __VA_ARGS__)

/* The parser stopped: report libfyaml's first error with its (1-based) position. */
static int parse_error(loader *L)
{
	void *it = NULL;
	struct fy_diag_error *e;
	while ((e = fy_diag_errors_iterate(L->diag, &it)) != NULL) {
		if (e->type >= FYET_ERROR)
			return fail_at(L, e->line > 0 ? e->line : 1, e->column > 0 ? e->column : 1,
				       "%s", e->msg);
	}
	return fail_at(L, 1, 1, "not valid YAML");
}

static void event_pos(struct fy_event *ev, int *line, int *col)
{
	const struct fy_mark *m = fy_event_start_mark(ev);
	*line = m ? m->line + 1 : 1;
	*col = m ? m->column + 1 : 1;
}

static struct fy_event *next_event(loader *L)
{
	struct fy_event *ev = fy_parser_parse(L->fyp);
	if (!ev || fy_parser_get_stream_error(L->fyp)) {
		if (ev)
			fy_parser_event_free(L->fyp, ev);
		parse_error(L);
		return NULL;
	}
	return ev;
}

static void push(loader *L, ynode *p, size_t *cap, ynode *kid)
{
	if (p->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		p->v = arena_grow(&L->mem, p->v, p->n, ncap, sizeof *p->v);
		*cap = ncap;
	}
	p->v[p->n++] = kid;
}

/* Build the node that starts with ev (which this function frees). Returns NULL with the
 * error set. */
static ynode *build(loader *L, struct fy_event *ev, int depth)
{
	ynode *y = arena_alloc(&L->mem, sizeof *y);
	event_pos(ev, &y->line, &y->col);
	struct fy_token *tag = NULL;
	enum fy_event_type type = ev->type;
	switch (type) {
	case FYET_SCALAR: {
		tag = ev->scalar.tag;
		size_t len = 0;
		const char *s = fy_token_get_text(ev->scalar.value, &len);
		y->kind = Y_SCALAR;
		y->s = arena_strndup(&L->mem, s ? s : "", s ? len : 0);
		y->len = s ? len : 0;
		enum fy_scalar_style style = fy_token_scalar_style(ev->scalar.value);
		y->plain = style == FYSS_PLAIN;
		/* libfyaml marks a quoted scalar after its opening quote; point at the quote */
		if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) && y->col > 1)
			y->col--;
		break;
	}
	case FYET_SEQUENCE_START:
		tag = ev->sequence_start.tag;
		y->kind = Y_SEQ;
		break;
	case FYET_MAPPING_START:
		tag = ev->mapping_start.tag;
		y->kind = Y_MAP;
		break;
	case FYET_ALIAS:
		/* marked after the '*'; point at it */
		if (y->col > 1)
			y->col--;
		fy_parser_event_free(L->fyp, ev);
		FAIL(L, y, "aliases are not supported");
		return NULL;
	default:
		fy_parser_event_free(L->fyp, ev);
		FAIL(L, y, "unexpected YAML event");
		return NULL;
	}
	if (tag) {
		/* at the tag itself, not at the node it tags */
		const struct fy_mark *m = fy_token_start_mark(tag);
		int line = m ? m->line + 1 : y->line, col = m ? m->column + 1 : y->col;
		fy_parser_event_free(L->fyp, ev);
		fail_at(L, line, col, "tags are not supported");
		return NULL;
	}
	fy_parser_event_free(L->fyp, ev);
	if (y->kind == Y_SCALAR)
		return y;
	if (depth >= MAX_DEPTH) {
		FAIL(L, y, "nested deeper than %d levels", MAX_DEPTH);
		return NULL;
	}
	enum fy_event_type end = y->kind == Y_SEQ ? FYET_SEQUENCE_END : FYET_MAPPING_END;
	size_t cap = 0;
	for (;;) {
		ev = next_event(L);
		if (!ev)
			return NULL;
		if (ev->type == end) {
			fy_parser_event_free(L->fyp, ev);
			return y;
		}
		ynode *kid = build(L, ev, depth + 1);
		if (!kid)
			return NULL;
		push(L, y, &cap, kid);
	}
}

/* Parse the whole stream: at most one document. *root is NULL for an empty file. */
static int parse_yaml(loader *L, ynode **root)
{
	*root = NULL;
	struct fy_event *ev = next_event(L);
	if (!ev)
		return -1;
	fy_parser_event_free(L->fyp, ev); /* STREAM_START */
	int docs = 0;
	for (;;) {
		ev = next_event(L);
		if (!ev)
			return -1;
		if (ev->type == FYET_STREAM_END) {
			fy_parser_event_free(L->fyp, ev);
			return 0;
		}
		if (ev->type != FYET_DOCUMENT_START) {
			fy_parser_event_free(L->fyp, ev);
			return fail_at(L, 1, 1, "unexpected YAML event");
		}
		int line, col;
		event_pos(ev, &line, &col);
		fy_parser_event_free(L->fyp, ev);
		if (++docs > 1)
			return fail_at(L, line, col, "only one YAML document is allowed");
		ev = next_event(L);
		if (!ev)
			return -1;
		*root = build(L, ev, 0);
		if (!*root)
			return -1;
		ev = next_event(L); /* DOCUMENT_END */
		if (!ev)
			return -1;
		fy_parser_event_free(L->fyp, ev);
	}
}

/* ---------------------------------------------------------------------------------------
 * The schema */

/* What a file sets, before it is merged into the caller's config. */
typedef struct staged {
	int fail_on;            /* -2 unset */
	signed char *enabled;
	int *severity;
	int all;                /* -1 unset, 0 off, 1 on */
	char **trusted;
	size_t ntrusted;
	pl_path_ignore *ignores;
	size_t nignores;
	pl_label_rule *labels;
	size_t nlabels;
	int strict_labels;      /* -1 unset */
	long low_uid_below;     /* -1 unset */
	char **allow_setuid, **allow_secrets, **allow_drift;
	size_t nallow_setuid, nallow_secrets, nallow_drift;
	char **exempt_ns, **exempt_labels;
	size_t nexempt_ns, nexempt_labels;
	int warn_on;            /* -2 unset */
	long live_log_lines;    /* -1 unset */
	char *live_metrics_path;
	char **live_fields[PL_LOG_FIELDS];
	size_t nlive_fields[PL_LOG_FIELDS];
} staged;

static const char *const top_keys[] = {
	"fail-on", "rules", "trusted-registries", "ignore", "label-schema", "strict-labels",
	"thresholds", "allow", "webhook", "live",
};
static const char *const live_keys[] = {"log-lines", "metrics-path", "log-fields"};
const char *const pl_log_field_keys[PL_LOG_FIELDS] = {"timestamp", "level", "message",
						      "service", "correlation"};
static const char *const webhook_keys[] = {"exempt-namespaces", "exempt-labels", "warn-on"};
static const char *const allow_keys[] = {"setuid", "secrets", "drift"};
static const char *const ignore_keys[] = {"path", "rules"};
static const char *const threshold_keys[] = {"low-uid-below"};
static const char *const label_types[] = {
	"text", "url", "semver", "hash", "rfc3339", "spdx", "email",
};
#define COUNT(a) (sizeof(a) / sizeof *(a))

static int key_index(const char *const *keys, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(keys[i], k) == 0)
			return (int)i;
	return -1;
}

static int unknown_key(loader *L, const ynode *k, const char *const *keys, size_t n)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", keys[i]);
	int rc = FAIL(L, k, "unknown key '%s' (known: %s)", k->s, buf_str(&b));
	buf_free(&b);
	return rc;
}

static bool is_null(const ynode *y)
{
	return y->kind == Y_SCALAR && y->plain &&
	       (y->len == 0 || strcmp(y->s, "~") == 0 || strcasecmp(y->s, "null") == 0);
}

/* YAML 1.1 booleans, which people write in configs ("PL201: off"). */
static int parse_bool(const ynode *y)
{
	static const char *const yes[] = {"on", "true", "yes"};
	static const char *const no[] = {"off", "false", "no"};
	if (y->kind != Y_SCALAR)
		return -1;
	for (size_t i = 0; i < COUNT(yes); i++) {
		if (strcasecmp(y->s, yes[i]) == 0)
			return 1;
		if (strcasecmp(y->s, no[i]) == 0)
			return 0;
	}
	return -1;
}

typedef struct keyref {
	const ynode *k;
	size_t i;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
	const keyref *x = a, *y = b;
	if (x->k->len != y->k->len)
		return x->k->len < y->k->len ? -1 : 1;
	int c = memcmp(x->k->s, y->k->s, x->k->len);
	if (c)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Every key of a mapping must be a string, and appear once. Sorting finds duplicates in
 * O(n log n) even in a hostile file with 100 000 keys. */
static int check_map(loader *L, const ynode *m)
{
	size_t n = m->n / 2;
	for (size_t i = 0; i < n; i++) {
		const ynode *k = m->v[2 * i];
		if (k->kind != Y_SCALAR || strlen(k->s) != k->len)
			return FAIL(L, k, "keys must be strings");
	}
	if (n < 2)
		return 0;
	keyref *refs = xmalloc(n * sizeof *refs);
	for (size_t i = 0; i < n; i++)
		refs[i] = (keyref){m->v[2 * i], i};
	qsort(refs, n, sizeof *refs, keyref_cmp);
	const keyref *dup = NULL, *first = NULL;
	for (size_t i = 1; i < n; i++) {
		if (refs[i].k->len == refs[i - 1].k->len &&
		    memcmp(refs[i].k->s, refs[i - 1].k->s, refs[i].k->len) == 0 &&
		    (!dup || refs[i].i < dup->i)) {
			dup = &refs[i];
			first = &refs[i - 1];
			while (first > refs && first[-1].k->len == first->k->len &&
			       memcmp(first[-1].k->s, first->k->s, first->k->len) == 0)
				first--;
		}
	}
	int rc = 0;
	if (dup)
		rc = FAIL(L, dup->k, "duplicate key '%s' (first at line %d)", dup->k->s,
			  first->k->line);
	free(refs);
	return rc;
}

static int want_map(loader *L, const ynode *v, const char *what)
{
	if (v->kind != Y_MAP)
		return FAIL(L, v, "'%s' must be a mapping", what);
	return check_map(L, v);
}

static int want_list(loader *L, const ynode *v, const char *what)
{
	if (v->kind != Y_SEQ)
		return FAIL(L, v, "'%s' must be a list", what);
	return 0;
}

static int want_scalar(loader *L, const ynode *v, const char *what)
{
	if (v->kind != Y_SCALAR)
		return FAIL(L, v, "'%s' must be a single value", what);
	if (strlen(v->s) != v->len)
		return FAIL(L, v, "'%s' holds a NUL character", what);
	return 0;
}

static const pl_rule *find_rule(loader *L, const ynode *y)
{
	if (want_scalar(L, y, "rule names") != 0)
		return NULL;
	const pl_rule *r = pl_rule_find(y->s);
	if (!r)
		FAIL(L, y, "unknown rule '%s'", y->s);
	return r;
}

static int load_fail_on(loader *L, staged *st, const ynode *v)
{
	if (want_scalar(L, v, "fail-on") != 0)
		return -1;
	int s = pl_severity_parse(v->s);
	if (s == -2)
		return FAIL(L, v,
			    "bad value '%s' for 'fail-on' (expected critical, high, medium, low, "
			    "info or none)",
			    v->s);
	st->fail_on = s;
	return 0;
}

static int load_rules(loader *L, staged *st, const ynode *m)
{
	if (is_null(m))
		return 0;
	if (want_map(L, m, "rules") != 0)
		return -1;
	const ynode **seen = xcalloc(pl_nrules ? pl_nrules : 1, sizeof *seen);
	int rc = 0;
	for (size_t i = 0; i + 1 < m->n && rc == 0; i += 2) {
		const ynode *k = m->v[i], *v = m->v[i + 1];
		if (strcasecmp(k->s, "all") == 0) {
			int b = parse_bool(v);
			if (b < 0)
				rc = FAIL(L, v, "bad value '%s' for 'all' (expected on or off)",
					  v->kind == Y_SCALAR ? v->s : "...");
			else
				st->all = b;
			continue;
		}
		const pl_rule *r = find_rule(L, k);
		if (!r) {
			rc = -1;
			break;
		}
		size_t idx = pl_rule_index(r);
		if (idx >= pl_nrules) {
			rc = FAIL(L, k, "unknown rule '%s'", k->s);
			break;
		}
		if (seen[idx]) {
			rc = FAIL(L, k, "'%s' is the same rule as '%s' (line %d)", k->s,
				  seen[idx]->s, seen[idx]->line);
			break;
		}
		seen[idx] = k;
		int b = parse_bool(v);
		int sev = v->kind == Y_SCALAR ? pl_severity_parse(v->s) : -2;
		if (b >= 0) {
			st->enabled[idx] = (signed char)b;
		} else if (sev >= SEV_INFO) {
			/* naming a severity asks for the rule: it turns opt-in rules on too */
			st->enabled[idx] = 1;
			st->severity[idx] = sev;
		} else {
			rc = FAIL(L, v,
				  "bad value '%s' for rule '%s' (expected on, off or a severity: "
				  "critical, high, medium, low, info)",
				  v->kind == Y_SCALAR ? v->s : "...", k->s);
		}
	}
	/* "all: off" turns off every rule the same map does not name, so a config can
	 * list exactly the rules it wants */
	if (rc == 0 && st->all == 0)
		for (size_t i = 0; i < pl_nrules; i++)
			if (!seen[i])
				st->enabled[i] = 0;
	free(seen);
	return rc;
}

static int load_registries(loader *L, staged *st, const ynode *v)
{
	if (is_null(v))
		return 0;
	if (want_list(L, v, "trusted-registries") != 0)
		return -1;
	st->trusted = xcalloc(v->n ? v->n : 1, sizeof *st->trusted);
	for (size_t i = 0; i < v->n; i++) {
		const ynode *e = v->v[i];
		if (want_scalar(L, e, "trusted-registries entries") != 0)
			return -1;
		if (e->len == 0 || strpbrk(e->s, " \t\r\n") != NULL)
			return FAIL(L, e, "bad registry name '%s'", e->s);
		st->trusted[st->ntrusted++] = xstrdup(e->s);
	}
	return 0;
}

/* Turn a gitignore-style path into the .dockerignore form the matcher runs: a pattern
 * without a '/' matches at any depth ("*.md" matches "docs/a.md"), a trailing '/' only says
 * "directory" (a directory's files match through it anyway), a leading '/' anchors. */
static int ignore_pattern(loader *L, const ynode *p, char **out)
{
	if (want_scalar(L, p, "path") != 0)
		return -1;
	if (p->len == 0)
		return FAIL(L, p, "empty path pattern");
	for (size_t i = 0; i < p->len; i++)
		if ((unsigned char)p->s[i] < 0x20)
			return FAIL(L, p, "path pattern holds a control character");
	if (p->s[0] == '!')
		return FAIL(L, p, "path patterns cannot start with '!'");
	size_t n = p->len;
	while (n > 1 && p->s[n - 1] == '/')
		n--;
	buf b = BUF_INIT;
	if (memchr(p->s, '/', n) == NULL)
		buf_adds(&b, "**/");
	else if (p->s[0] == '#')
		buf_addc(&b, '\\'); /* would read as a .dockerignore comment */
	buf_add(&b, p->s, n);
	arena tmp;
	arena_init(&tmp);
	pl_dockerignore di;
	pl_dockerignore_parse(&tmp, NULL, b.p, b.len, &di);
	int rc = 0;
	if (di.n != 1 || strcmp(di.v[0].pattern, ".") == 0 || di.v[0].exclusion)
		rc = FAIL(L, p, "bad path pattern '%s'", p->s);
	else
		*out = xstrdup(di.v[0].pattern);
	arena_free(&tmp);
	buf_free(&b);
	return rc;
}

static int load_ignore_entry(loader *L, pl_path_ignore *pi, const ynode *e)
{
	if (e->kind != Y_MAP)
		return FAIL(L, e, "'ignore' entries must be mappings with 'path' and 'rules'");
	if (check_map(L, e) != 0)
		return -1;
	const ynode *path = NULL, *rules = NULL;
	for (size_t i = 0; i + 1 < e->n; i += 2) {
		const ynode *k = e->v[i];
		int which = key_index(ignore_keys, COUNT(ignore_keys), k->s);
		if (which < 0)
			return unknown_key(L, k, ignore_keys, COUNT(ignore_keys));
		if (which == 0)
			path = e->v[i + 1];
		else
			rules = e->v[i + 1];
	}
	if (!path)
		return FAIL(L, e, "'ignore' entry without 'path'");
	if (ignore_pattern(L, path, &pi->pattern) != 0)
		return -1;
	if (!rules || is_null(rules))
		return 0; /* every rule */
	if (want_list(L, rules, "rules") != 0)
		return -1;
	if (rules->n == 0)
		return FAIL(L, rules, "empty 'rules' list (omit 'rules' to ignore every rule)");
	pi->rules = xcalloc(rules->n, sizeof *pi->rules);
	for (size_t i = 0; i < rules->n; i++) {
		const pl_rule *r = find_rule(L, rules->v[i]);
		if (!r)
			return -1;
		pi->rules[pi->nrules++] = r;
	}
	return 0;
}

static int load_ignores(loader *L, staged *st, const ynode *v)
{
	if (is_null(v))
		return 0;
	if (want_list(L, v, "ignore") != 0)
		return -1;
	st->ignores = xcalloc(v->n ? v->n : 1, sizeof *st->ignores);
	for (size_t i = 0; i < v->n; i++) {
		/* counted first so that a half-filled entry is freed with the rest */
		pl_path_ignore *pi = &st->ignores[st->nignores++];
		if (load_ignore_entry(L, pi, v->v[i]) != 0)
			return -1;
	}
	return 0;
}

static int load_labels(loader *L, staged *st, const ynode *m)
{
	if (is_null(m))
		return 0;
	if (want_map(L, m, "label-schema") != 0)
		return -1;
	st->labels = xcalloc(m->n ? m->n / 2 : 1, sizeof *st->labels);
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const ynode *k = m->v[i], *v = m->v[i + 1];
		if (k->len == 0)
			return FAIL(L, k, "empty label name");
		if (want_scalar(L, v, "label-schema values") != 0)
			return -1;
		if (key_index(label_types, COUNT(label_types), v->s) < 0) {
			buf b = BUF_INIT;
			for (size_t t = 0; t < COUNT(label_types); t++)
				buf_printf(&b, "%s%s", t ? ", " : "", label_types[t]);
			int rc = FAIL(L, v, "unknown label type '%s' for '%s' (known: %s)", v->s,
				      k->s, buf_str(&b));
			buf_free(&b);
			return rc;
		}
		pl_label_rule *lr = &st->labels[st->nlabels++];
		lr->name = xstrdup(k->s);
		lr->type = xstrdup(v->s);
	}
	return 0;
}

static int load_strict_labels(loader *L, staged *st, const ynode *v)
{
	if (want_scalar(L, v, "strict-labels") != 0)
		return -1;
	int b = parse_bool(v);
	if (b < 0)
		return FAIL(L, v, "bad value '%s' for 'strict-labels' (expected true or false)",
			    v->s);
	st->strict_labels = b;
	return 0;
}

static int load_thresholds(loader *L, staged *st, const ynode *m)
{
	if (is_null(m))
		return 0;
	if (want_map(L, m, "thresholds") != 0)
		return -1;
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const ynode *k = m->v[i], *v = m->v[i + 1];
		if (key_index(threshold_keys, COUNT(threshold_keys), k->s) < 0)
			return unknown_key(L, k, threshold_keys, COUNT(threshold_keys));
		if (want_scalar(L, v, k->s) != 0)
			return -1;
		/* digits only: "1e4", "0x10", "-1" and "10_000" are all mistakes here */
		bool ok = v->len > 0 && v->len <= 10 && strspn(v->s, "0123456789") == v->len;
		long n = ok ? strtol(v->s, NULL, 10) : -1;
		if (!ok || n > INT_MAX)
			return FAIL(L, v,
				    "bad value '%s' for '%s' (expected a whole number from 0 to "
				    "%d)",
				    v->s, k->s, INT_MAX);
		st->low_uid_below = n;
	}
	return 0;
}

/* allow: {setuid: [paths], secrets: [paths or values]} */
static int load_strings(loader *L, const ynode *v, const char *what, char ***out, size_t *n)
{
	if (is_null(v))
		return 0;
	if (want_list(L, v, what) != 0)
		return -1;
	*out = xcalloc(v->n ? v->n : 1, sizeof **out);
	for (size_t i = 0; i < v->n; i++) {
		const ynode *e = v->v[i];
		if (want_scalar(L, e, what) != 0)
			return -1;
		if (e->len == 0)
			return FAIL(L, e, "empty entry in '%s'", what);
		(*out)[(*n)++] = xstrdup(e->s);
	}
	return 0;
}

static int load_allow(loader *L, staged *st, const ynode *m)
{
	if (is_null(m))
		return 0;
	if (want_map(L, m, "allow") != 0)
		return -1;
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const ynode *k = m->v[i], *v = m->v[i + 1];
		int rc;
		switch (key_index(allow_keys, COUNT(allow_keys), k->s)) {
		case 0:
			rc = load_strings(L, v, "allow.setuid", &st->allow_setuid, &st->nallow_setuid);
			for (size_t j = 0; rc == 0 && j < st->nallow_setuid; j++)
				if (st->allow_setuid[j][0] != '/')
					rc = FAIL(L, v, "allow.setuid entry '%s' is not an absolute path",
						  st->allow_setuid[j]);
			break;
		case 1:
			rc = load_strings(L, v, "allow.secrets", &st->allow_secrets,
					  &st->nallow_secrets);
			break;
		case 2:
			rc = load_strings(L, v, "allow.drift", &st->allow_drift, &st->nallow_drift);
			for (size_t j = 0; rc == 0 && j < st->nallow_drift; j++)
				if (st->allow_drift[j][0] != '/')
					rc = FAIL(L, v, "allow.drift entry '%s' is not an absolute path",
						  st->allow_drift[j]);
			break;
		default: rc = unknown_key(L, k, allow_keys, COUNT(allow_keys)); break;
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* webhook: {exempt-namespaces: [names], exempt-labels: [key or key=value], warn-on: level} */
static int load_webhook(loader *L, staged *st, const ynode *m)
{
	if (is_null(m))
		return 0;
	if (want_map(L, m, "webhook") != 0)
		return -1;
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const ynode *k = m->v[i], *v = m->v[i + 1];
		int rc = 0;
		switch (key_index(webhook_keys, COUNT(webhook_keys), k->s)) {
		case 0:
			rc = load_strings(L, v, "webhook.exempt-namespaces", &st->exempt_ns,
					  &st->nexempt_ns);
			break;
		case 1:
			rc = load_strings(L, v, "webhook.exempt-labels", &st->exempt_labels,
					  &st->nexempt_labels);
			for (size_t j = 0; rc == 0 && j < st->nexempt_labels; j++)
				if (st->exempt_labels[j][0] == '=')
					rc = FAIL(L, v, "webhook.exempt-labels entry '%s' has no label key",
						  st->exempt_labels[j]);
			break;
		case 2: {
			if (want_scalar(L, v, "warn-on") != 0)
				return -1;
			int s = pl_severity_parse(v->s);
			if (s == -2)
				return FAIL(L, v, "bad value '%s' for 'warn-on' (expected critical, high, "
						  "medium, low, info or none)", v->s);
			st->warn_on = s;
			break;
		}
		default: rc = unknown_key(L, k, webhook_keys, COUNT(webhook_keys)); break;
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* live: {log-lines: N, metrics-path: /path, log-fields: {level: [names], ...}} */
static int load_live(loader *L, staged *st, const ynode *m)
{
	if (is_null(m))
		return 0;
	if (want_map(L, m, "live") != 0)
		return -1;
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const ynode *k = m->v[i], *v = m->v[i + 1];
		switch (key_index(live_keys, COUNT(live_keys), k->s)) {
		case 0: {
			if (want_scalar(L, v, k->s) != 0)
				return -1;
			bool ok = v->len > 0 && v->len <= 5 && strspn(v->s, "0123456789") == v->len;
			long n = ok ? strtol(v->s, NULL, 10) : -1;
			if (n < 1 || n > 10000)
				return FAIL(L, v, "bad value '%s' for 'log-lines' (expected 1 to 10000)",
					    v->s);
			st->live_log_lines = n;
			break;
		}
		case 1:
			if (want_scalar(L, v, k->s) != 0)
				return -1;
			if (v->s[0] != '/' || strpbrk(v->s, " \t\r\n?#"))
				return FAIL(L, v, "bad value '%s' for 'metrics-path' (expected a path "
						  "such as /metrics)", v->s);
			free(st->live_metrics_path);
			st->live_metrics_path = xstrdup(v->s);
			break;
		case 2:
			if (is_null(v))
				break;
			if (want_map(L, v, "log-fields") != 0)
				return -1;
			for (size_t j = 0; j + 1 < v->n; j += 2) {
				const ynode *fk = v->v[j], *fv = v->v[j + 1];
				int f = key_index(pl_log_field_keys, PL_LOG_FIELDS, fk->s);
				if (f < 0)
					return unknown_key(L, fk, pl_log_field_keys, PL_LOG_FIELDS);
				free_strv(st->live_fields[f], st->nlive_fields[f]);
				st->live_fields[f] = NULL;
				st->nlive_fields[f] = 0;
				if (load_strings(L, fv, fk->s, &st->live_fields[f], &st->nlive_fields[f]) != 0)
					return -1;
				if (!st->nlive_fields[f])
					return FAIL(L, fv, "'%s' needs at least one field name", fk->s);
			}
			break;
		default: return unknown_key(L, k, live_keys, COUNT(live_keys));
		}
	}
	return 0;
}

static int load_root(loader *L, staged *st, const ynode *root)
{
	if (!root || is_null(root))
		return 0; /* an empty file configures nothing */
	if (root->kind != Y_MAP)
		return FAIL(L, root, "the configuration must be a mapping of keys");
	if (check_map(L, root) != 0)
		return -1;
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		const ynode *k = root->v[i], *v = root->v[i + 1];
		int rc;
		switch (key_index(top_keys, COUNT(top_keys), k->s)) {
		case 0: rc = load_fail_on(L, st, v); break;
		case 1: rc = load_rules(L, st, v); break;
		case 2: rc = load_registries(L, st, v); break;
		case 3: rc = load_ignores(L, st, v); break;
		case 4: rc = load_labels(L, st, v); break;
		case 5: rc = load_strict_labels(L, st, v); break;
		case 6: rc = load_thresholds(L, st, v); break;
		case 7: rc = load_allow(L, st, v); break;
		case 8: rc = load_webhook(L, st, v); break;
		case 9: rc = load_live(L, st, v); break;
		default: rc = unknown_key(L, k, top_keys, COUNT(top_keys)); break;
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

static void append_strv(char ***to, size_t *nto, char **from, size_t *nfrom)
{
	if (!*nfrom)
		return;
	*to = xrealloc(*to, (*nto + *nfrom) * sizeof **to);
	memcpy(*to + *nto, from, *nfrom * sizeof *from);
	*nto += *nfrom;
	*nfrom = 0;
}

/* Move what the file set into c; st's lists are emptied (ownership moves). */
static void merge(pl_config *c, staged *st)
{
	if (st->fail_on != -2)
		c->fail_on = (pl_severity)st->fail_on;
	for (size_t i = 0; i < pl_nrules; i++) {
		if (st->enabled[i] >= 0)
			c->enabled[i] = st->enabled[i];
		if (st->severity[i] >= 0)
			c->severity[i] = st->severity[i];
	}
	if (st->all >= 0)
		c->enable_all = st->all == 1;
	if (st->ntrusted) {
		c->trusted_registries = xrealloc(c->trusted_registries,
						 (c->ntrusted + st->ntrusted) * sizeof(char *));
		memcpy(c->trusted_registries + c->ntrusted, st->trusted,
		       st->ntrusted * sizeof(char *));
		c->ntrusted += st->ntrusted;
		st->ntrusted = 0;
	}
	if (st->nignores) {
		c->ignores = xrealloc(c->ignores, (c->nignores + st->nignores) * sizeof *c->ignores);
		memcpy(c->ignores + c->nignores, st->ignores, st->nignores * sizeof *c->ignores);
		c->nignores += st->nignores;
		st->nignores = 0;
	}
	if (st->nlabels) {
		c->labels = xrealloc(c->labels, (c->nlabels + st->nlabels) * sizeof *c->labels);
		memcpy(c->labels + c->nlabels, st->labels, st->nlabels * sizeof *c->labels);
		c->nlabels += st->nlabels;
		st->nlabels = 0;
	}
	if (st->strict_labels >= 0)
		c->strict_labels = st->strict_labels == 1;
	if (st->low_uid_below >= 0)
		c->low_uid_below = (int)st->low_uid_below;
	append_strv(&c->allow_setuid, &c->nallow_setuid, st->allow_setuid, &st->nallow_setuid);
	append_strv(&c->allow_secrets, &c->nallow_secrets, st->allow_secrets,
		    &st->nallow_secrets);
	append_strv(&c->allow_drift, &c->nallow_drift, st->allow_drift, &st->nallow_drift);
	append_strv(&c->exempt_namespaces, &c->nexempt_namespaces, st->exempt_ns, &st->nexempt_ns);
	append_strv(&c->exempt_labels, &c->nexempt_labels, st->exempt_labels, &st->nexempt_labels);
	if (st->warn_on != -2)
		c->warn_on = (pl_severity)st->warn_on;
	if (st->live_log_lines > 0)
		c->live_log_lines = (int)st->live_log_lines;
	if (st->live_metrics_path) {
		free(c->live_metrics_path);
		c->live_metrics_path = st->live_metrics_path;
		st->live_metrics_path = NULL;
	}
	for (int f = 0; f < PL_LOG_FIELDS; f++) {
		if (!st->nlive_fields[f])
			continue;
		free_strv(c->live_log_fields[f], c->nlive_log_fields[f]);
		c->live_log_fields[f] = st->live_fields[f];
		c->nlive_log_fields[f] = st->nlive_fields[f];
		st->live_fields[f] = NULL;
		st->nlive_fields[f] = 0;
	}
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* line:col (1-based, in bytes) of offset off in s */
static void offset_pos(const char *s, size_t off, int *line, int *col)
{
	*line = 1;
	size_t start = 0;
	for (size_t i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	}
	*col = (int)(off - start) + 1;
}

int pl_config_load(pl_config *c, const char *path, char *err, size_t errlen)
{
	pl_input in;
	char why[256];
	if (pl_read_file(path, MAX_CONFIG, &in, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	loader L = {.path = path, .err = err, .errlen = errlen};
	size_t bad;
	const char *what;
	if (!pl_text_check(in.data, in.len, &bad, &what)) {
		int line, col;
		offset_pos(in.data, bad, &line, &col);
		fail_at(&L, line, col, "%s", what);
		pl_input_free(&in);
		return -1;
	}
	size_t q = yaml_risky_explicit_key(in.data, in.len);
	if (q != SIZE_MAX) { /* would crash libfyaml 0.7: see yaml.h */
		int line, col;
		offset_pos(in.data, q, &line, &col);
		fail_at(&L, line, col, "an explicit key ('?') in a file with tab characters is not "
				       "supported");
		pl_input_free(&in);
		return -1;
	}

	L.diag = yaml_diag_collecting();
	/* No FYPCF_RESOLVE_DOCUMENT: aliases stay unexpanded events, which we refuse. */
	struct fy_parse_cfg pcfg = {.flags = FYPCF_QUIET, .diag = L.diag};
	L.fyp = fy_parser_create(&pcfg);
	if (!L.fyp)
		xdie("libfyaml: cannot create a parser");
	arena_init(&L.mem);

	staged st = {.fail_on = -2, .all = -1, .strict_labels = -1, .low_uid_below = -1,
		     .warn_on = -2, .live_log_lines = -1};
	size_t nr = pl_nrules ? pl_nrules : 1;
	st.enabled = xmalloc(nr);
	memset(st.enabled, -1, nr);
	st.severity = xmalloc(nr * sizeof *st.severity);
	for (size_t i = 0; i < nr; i++)
		st.severity[i] = -1;

	ynode *root = NULL;
	int rc = -1;
	if (fy_parser_set_string(L.fyp, in.data, in.len) != 0)
		fail_at(&L, 1, 1, "cannot start the YAML parser");
	else if (parse_yaml(&L, &root) == 0 && load_root(&L, &st, root) == 0)
		rc = 0;

	if (rc == 0) {
		merge(c, &st);
		free(c->path);
		free(c->dir);
		c->path = xstrdup(path);
		c->dir = dir_of(path);
	}
	free(st.enabled);
	free(st.severity);
	free_strv(st.trusted, st.ntrusted);
	free_strv(st.allow_setuid, st.nallow_setuid);
	free_strv(st.allow_secrets, st.nallow_secrets);
	free_strv(st.allow_drift, st.nallow_drift);
	free_strv(st.exempt_ns, st.nexempt_ns);
	free_strv(st.exempt_labels, st.nexempt_labels);
	free(st.live_metrics_path);
	for (int f = 0; f < PL_LOG_FIELDS; f++)
		free_strv(st.live_fields[f], st.nlive_fields[f]);
	free_ignores(st.ignores, st.nignores);
	free_labels(st.labels, st.nlabels);
	arena_free(&L.mem);
	fy_parser_destroy(L.fyp);
	/* libfyaml 0.7 frees collected errors only when collection is switched off */
	fy_diag_set_collect_errors(L.diag, false);
	fy_diag_unref(L.diag);
	pl_input_free(&in);
	return rc;
}
