/* rule.h - what a rule is: its metadata and its check functions, in one struct.
 *
 * Every rule is one `const pl_rule` defined next to its check functions in the family file
 * named after its catalog section (image_construction.c, runtime_security.c, ...), and
 * listed once in table.c. `plimsoll rules`, `plimsoll explain`, the docs pages, the SARIF
 * rule metadata and the lookup of peer ids all read these structs; nothing else describes
 * a rule. A check reads only a model (the build model for D, the context for X) and
 * reports through pl_emit(); it never opens files or parses text. */
#ifndef PL_RULE_H
#define PL_RULE_H

#include "core/severity.h"

#include <stdbool.h>
#include <stddef.h>

/* Inputs a rule applies to (the catalog's "where" column). */
enum {
	IN_D = 1 << 0, /* Dockerfile */
	IN_X = 1 << 1, /* build context */
	IN_C = 1 << 2, /* compose service */
	IN_K = 1 << 3, /* Kubernetes workload */
	IN_I = 1 << 4, /* built image */
	IN_L = 1 << 5, /* live container */
};

struct pl_scan;      /* the per-file scan: where findings go (engine/scan.h) */
struct df_build;     /* dockerfile/stages.h */
struct pl_buildctx;  /* context/context.h */
struct pl_container; /* model/container.h */
struct pl_k8s_set;   /* k8s/k8s.h */
struct pl_image;     /* image/image.h */
struct pl_live;      /* model/live.h */

typedef struct pl_rule {
	const char *code;       /* "PL101" */
	const char *slug;       /* "image-tag-latest" */
	pl_severity severity;   /* default */
	unsigned inputs;        /* IN_* */
	const char *aka;        /* peers' ids, space-separated: "DL3006 DL3007 CKV_DOCKER_7" */
	bool opt_in;            /* off unless enabled (--enable RULE or all, or config) */
	const char *summary;    /* one line: what it finds */
	const char *why;        /* a short paragraph: why it matters in production */
	const char *fix;        /* default fix hint */
	/* the fix in an input's own terms where it differs; NULL: fix */
	const char *fix_compose;/* C: compose keys */
	const char *fix_k8s;    /* K: pod spec fields */
	const char *fix_live;   /* L: docker run / docker update flags */
	void (*check_dockerfile)(struct pl_scan *s, const struct df_build *b);
	void (*check_context)(struct pl_scan *s, const struct pl_buildctx *x);
	/* C K I L: one container as it runs, whichever input described it */
	void (*check_container)(struct pl_scan *s, const struct pl_container *c);
	/* K: what only the whole set of manifests shows (Services, PDBs, NetworkPolicies) */
	void (*check_k8s_set)(struct pl_scan *s, const struct pl_k8s_set *set);
	/* I: what only a built image shows (its layers, files, history, digests) */
	void (*check_image)(struct pl_scan *s, const struct pl_image *img);
	/* L: what only a running container shows (drift, execs, health, logs, metrics) */
	void (*check_live)(struct pl_scan *s, const struct pl_live *l);
} pl_rule;

/* The table (table.c): every rule, ordered by code. */
extern const pl_rule *const pl_rules[];
extern const size_t pl_nrules;

/* Find a rule by code ("PL101"), slug or peer id from aka ("DL3007"), case-insensitive. */
const pl_rule *pl_rule_find(const char *name);
/* Whether a peer id is listed in the rule's aka. */
bool pl_rule_has_aka(const pl_rule *r, const char *id);

#endif
