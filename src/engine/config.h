/* config.h - what the user configured: rules on/off, severities, registries, thresholds,
 * per-path ignores. Filled from .plimsoll.yml (config.c) and then the command line. */
#ifndef PL_CONFIG_H
#define PL_CONFIG_H

#include "core/severity.h"
#include "rules/rule.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_path_ignore {
	char *pattern;          /* gitignore-style glob, relative to the config file's dir */
	const pl_rule **rules;  /* NULL = every rule */
	size_t nrules;
} pl_path_ignore;

typedef struct pl_label_rule {
	char *name;             /* label key */
	char *type;             /* text, url, semver, hash, rfc3339, spdx, email */
} pl_label_rule;

#define PL_LOG_FIELDS 5
extern const char *const pl_log_field_keys[PL_LOG_FIELDS]; /* "timestamp", ... "correlation" */

typedef struct pl_config {
	char *path;             /* the file it came from, NULL for defaults */
	char *dir;              /* its directory (for per-path ignores) */
	signed char *enabled;   /* per rule index: -1 default, 0 off, 1 on */
	int *severity;          /* per rule index: -1 default, else pl_severity */
	bool enable_all;
	pl_severity fail_on;    /* default SEV_HIGH */
	char **trusted_registries;
	size_t ntrusted;
	pl_path_ignore *ignores;
	size_t nignores;
	pl_label_rule *labels;  /* label-schema (hadolint DL3049-DL3058 family) */
	size_t nlabels;
	bool strict_labels;
	/* allow-lists (`allow:`): setuid paths PL116 accepts; secret paths (entries starting
	 * with '/', globs over image paths) and literal values the secret rules accept */
	char **allow_setuid;
	size_t nallow_setuid;
	char **allow_secrets;
	size_t nallow_secrets;
	char **allow_drift;     /* PL410: path globs a running container may change */
	size_t nallow_drift;
	/* thresholds */
	int low_uid_below;      /* PL216: UIDs below this are "low"; default 10000 */
	/* webhook: (plimsoll serve): namespaces and object labels ("key" or "key=value")
	 * whose admission requests are not judged; findings below fail-on and at or above
	 * warn_on are returned as warnings (default low) */
	char **exempt_namespaces;
	size_t nexempt_namespaces;
	char **exempt_labels;
	size_t nexempt_labels;
	pl_severity warn_on;
	/* live: (plimsoll live): recent log lines judged (0: the default), the metrics path
	 * (NULL: the default), and per expected log field, in the order timestamp, level,
	 * message, service, correlation, the names it may have (NULL: the defaults) */
	int live_log_lines;
	char *live_metrics_path;
	char **live_log_fields[PL_LOG_FIELDS];
	size_t nlive_log_fields[PL_LOG_FIELDS];
} pl_config;

void pl_config_init(pl_config *c);   /* defaults */
void pl_config_free(pl_config *c);

/* Load a .plimsoll.yml into c (on top of what c holds). On error returns -1 with a message
 * "path:line:col: reason" in err. Unknown keys and bad values are errors. */
int pl_config_load(pl_config *c, const char *path, char *err, size_t errlen);

/* Find .plimsoll.yml (or .plimsoll.yaml) from dir upward; returns a malloc'd path or NULL. */
char *pl_config_find(const char *start_dir);

size_t pl_rule_index(const pl_rule *r);
bool pl_config_rule_enabled(const pl_config *c, const pl_rule *r);
pl_severity pl_config_severity(const pl_config *c, const pl_rule *r);
/* Whether findings of r in file (a path as scanned) are ignored by a per-path rule. */
bool pl_config_path_ignored(const pl_config *c, const pl_rule *r, const char *file);
/* Whether a changed path of a running container is in allow.drift (PL410). */
bool pl_config_drift_allowed(const pl_config *c, const char *path);
/* Whether an image path is in allow.setuid (PL116). */
bool pl_config_setuid_allowed(const pl_config *c, const char *path);
/* Whether a secret is accepted by allow.secrets: path (an image path, or NULL) matches a
 * '/' glob, or value (or NULL) equals, or with `within` contains, a literal entry. */
bool pl_config_secret_allowed(const pl_config *c, const char *path, const char *value,
			      size_t n, bool within);

#endif
