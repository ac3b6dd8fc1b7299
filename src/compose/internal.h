/* internal.h - shared pieces of the Compose reader (not part of the public API).
 *
 * cz_node is a YAML node copied out of the parser's tree so it can be interpolated,
 * merged and annotated with `via`; interpolation and .env parsing are pure functions over
 * a lookup callback; units parses Compose byte sizes and durations. */
#ifndef PL_COMPOSE_INTERNAL_H
#define PL_COMPOSE_INTERNAL_H

#include "compose/compose.h"
#include "core/arena.h"
#include "yaml/yaml.h"

#include <stdbool.h>
#include <stddef.h>

/* --- tree ------------------------------------------------------------------------------- */

typedef struct cz_node cz_node;
typedef struct cz_pair {
	const char *key;
	cz_node *kn;            /* the key node, for positions */
	cz_node *v;
} cz_pair;

struct cz_node {
	yaml_kind kind;         /* Y_NULL for null scalars (plain null, ~, empty) */
	const char *file;
	int line, col, end_line, end_col;
	const char *tag;
	bool quoted;
	const char *s;          /* scalar text ("" for null) */
	const char *via;        /* ".env line 3", "the default in ${X:-y}", ... */
	bool env_ref;           /* interpolation used the process environment or an unset var */
	cz_pair *pairs;
	size_t npairs;
	cz_node **items;
	size_t nitems;
};

cz_node *cz_get(const cz_node *map, const char *key);
const cz_pair *cz_get_pair(const cz_node *map, const char *key);
bool cz_is_scalar(const cz_node *n); /* Y_SCALAR */

/* --- variables and interpolation -------------------------------------------------------- */

/* A variable lookup: sets *value (and *via: NULL for the process environment, ".env line
 * N" for a dotenv entry) and returns true when name[0..n) is set. */
typedef bool (*cz_lookup_fn)(void *ctx, const char *name, size_t n, const char **value,
			     const char **via);

typedef struct cz_interp {
	char *value;            /* result (arena), NULL on error */
	const char *via;        /* the first default or .env entry that supplied text */
	bool env_ref;           /* a variable came from the process environment, or was unset */
	bool unset;             /* a variable without default was unset (empty string used) */
	const char *unset_name; /* the first such variable (arena) */
	char err[256];          /* on error: compose-go's message */
} cz_interp;

/* Interpolate s as compose-go's template package does. Returns 0, or -1 with r->err. */
int cz_interpolate(arena *a, const char *s, cz_lookup_fn fn, void *ctx, cz_interp *r);

/* A set of variables: the process environment overlaid on dotenv entries. */
typedef struct cz_var {
	const char *name;
	const char *value;
	const char *via;        /* NULL: process environment */
} cz_var;

typedef struct cz_env {
	cz_var *v;
	size_t n, cap;
} cz_env;

void cz_env_set(arena *a, cz_env *e, const char *name, const char *value, const char *via);
const cz_var *cz_env_find(const cz_env *e, const char *name, size_t n);
/* A cz_lookup_fn over a cz_env (ctx = const cz_env *). */
bool cz_env_lookup(void *ctx, const char *name, size_t n, const char **value, const char **via);

/* Parse dotenv text as compose-go's dotenv package does, adding entries to out (later keys
 * replace earlier ones). `lookup` resolves `${VAR}` inside values (and bare `KEY` lines)
 * before earlier keys of the same file; label names the file in `via` ("`.env` line N").
 * Returns 0, or -1 with err (including the line). */
int cz_dotenv_parse(arena *a, const char *text, size_t n, const char *label, cz_lookup_fn lookup,
		    void *lctx, cz_env *out, char *err, size_t errlen);

/* --- units ------------------------------------------------------------------------------ */

/* Compose byte values ("512m", "1gb", "1.5g", 1073741824; binary multiples as docker's
 * RAMInBytes). Returns false when s is not one. */
bool cz_parse_bytes(const char *s, double *out);
/* Go durations ("1m30s", "500ms", "1h", "0"); seconds. False when s is not one. */
bool cz_parse_duration(const char *s, double *out);

/* --- loading context (load.c, service.c) ------------------------------------------------- */

typedef struct cz_file {
	const char *path;       /* as given or joined; the string cz_node.file points at */
	const char *dir;        /* its directory */
	const char *base;       /* relative paths in it resolve against this directory */
	const char *label;      /* its base name */
	const char *from;       /* "from <label>": the `via` of values it gives another file */
} cz_file;

typedef struct cz_ctx {
	pl_compose_project *p;
	arena *a;
	cz_file *files;
	size_t nfiles, capfiles;
	size_t capproblems;
	const char *primary;    /* the first -f file: values from it carry no `via` */
	const char *home;       /* for ~ in host paths */
	cz_env env;             /* the project's variables: environment over .env */
	cz_env osenv;           /* the process environment alone */
} cz_ctx;

void cz_problem(cz_ctx *c, const cz_node *at, bool error, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
const cz_file *cz_file_of(const cz_ctx *c, const char *path);
/* path joined to dir unless absolute; "~" and "~/" expanded with home; "./" dropped. */
const char *cz_join(arena *a, const char *dir, const char *path, const char *home);
/* Fill out from the merged service definition svc (a map) named name. */
void cz_fill_service(cz_ctx *c, const char *name, const cz_node *key, const cz_node *svc,
		     pl_container *out);
/* Compose's boolean strings (true/false/yes/no/on/off/y/n, any case): 1, 0 or -1. */
int cz_bool(const cz_node *n);

#endif
