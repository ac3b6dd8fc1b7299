/* yaml.h - YAML documents as a plain tree where every node knows its file, line and column.
 *
 * Compose files and Kubernetes manifests are read through this one reader (libfyaml's event
 * parser underneath). Anchors and aliases are resolved, and `<<` merge keys applied, with a
 * budget on the nodes an alias may copy, so a "billion laughs" file is an error with a
 * position instead of gigabytes. Tags are kept (`!reset`, `!override` matter to Compose).
 * Duplicate keys, nesting deeper than YAML_MAX_DEPTH, files over the size limit, NUL bytes
 * and invalid UTF-8 are errors that name the file, line and column. */
#ifndef PL_YAML_H
#define PL_YAML_H

#include "core/arena.h"

#include <stdbool.h>
#include <stddef.h>

#define YAML_MAX_DEPTH 128
#define YAML_MAX_FILE (16u * 1024 * 1024)
/* Nodes that aliases may add by copying, per file (merge keys included). */
#define YAML_MAX_ALIAS_NODES 100000

typedef enum yaml_kind { Y_SCALAR, Y_MAP, Y_SEQ, Y_NULL } yaml_kind;

typedef struct yaml_node yaml_node;
typedef struct yaml_pair {
	yaml_node *key;
	yaml_node *value;
} yaml_pair;

struct yaml_node {
	yaml_kind kind;
	const char *file;       /* the file it came from (shared string) */
	int line, col;          /* 1-based position of the node's first character */
	int end_line, end_col;
	const char *tag;        /* "!reset", "!override", "!!str" ... or NULL */
	bool quoted;            /* a scalar written in quotes: never null, bool or number */
	bool from_alias;        /* this node is a copy made by resolving an alias or merge */
	const char *s;          /* scalar value (NUL-terminated), "" for null */
	size_t len;
	yaml_pair *pairs;       /* Y_MAP, in document order */
	size_t npairs;
	yaml_node **items;      /* Y_SEQ */
	size_t nitems;
};

typedef struct yaml_stream {
	arena mem;
	const char *file;
	yaml_node **docs;       /* one root per document ("---" separated) */
	size_t ndocs;
	/* the error, when yaml_load fails */
	int err_line, err_col;
	char err[512];
} yaml_stream;

/* Parse text[0..n) (not kept) as a stream of documents. Returns 0, or -1 with the error
 * set. Always release with yaml_free. */
int yaml_load(yaml_stream *y, const char *file, const char *text, size_t n);
void yaml_free(yaml_stream *y);

/* Map lookup by key (scalar keys), NULL when absent. */
yaml_node *yaml_get(const yaml_node *map, const char *key);
/* Scalar helpers: plain (unquoted) null / true / false as YAML 1.1 and 1.2 core read them
 * (Compose accepts yes/no/on/off too). */
bool yaml_is_null(const yaml_node *n);
int yaml_bool(const yaml_node *n); /* 1, 0, or -1 when not a boolean */
bool yaml_int(const yaml_node *n, long long *out);

/* libfyaml 0.7 crashes on some tab errors inside block explicit keys: the offset of a '?'
 * key indicator in a text that also has tabs (such input must not reach libfyaml), or
 * SIZE_MAX. Every libfyaml user in Plimsoll checks it first. */
size_t yaml_risky_explicit_key(const char *s, size_t n);

/* A libfyaml diagnostic object that prints nothing and collects errors, for the caller to
 * report with its own positions (aborts when libfyaml cannot make one). */
struct fy_diag;
struct fy_diag *yaml_diag_collecting(void);

#endif
