/* scan.h - scanning one input: running the enabled rules over its model and collecting
 * their findings. Rules report through pl_emit(); suppressions and configuration are
 * applied afterwards by the engine, never by a rule. */
#ifndef PL_SCAN_H
#define PL_SCAN_H

#include "dockerfile/parser.h"
#include "dockerfile/stages.h"
#include "engine/config.h"
#include "engine/finding.h"

struct pl_run;

typedef struct pl_scan {
	arena mem;                 /* scratch for rules, freed with the scan */
	const pl_config *cfg;
	const char *path;          /* file name for findings */
	const df_file *df;         /* the parsed Dockerfile, for source lines; may be NULL */
	const pl_rule *rule;       /* the rule being run (set by the engine) */
	const char *target;        /* default target label */
	unsigned input;            /* IN_C, IN_K, IN_L: the container being checked came from
				      that input, whose own fix hint applies; 0 otherwise */
	pl_findings out;
	struct pl_run *runs;       /* RUN scripts, parsed once (rules/util.h: pl_runs) */
	size_t nruns;
	bool runs_ready;
	struct {                   /* what a rule family derives once and shares between its */
		const void *key;   /* rules (pl_scan_memo), keyed by an address of its own */
		void *val;
	} memo[4];
} pl_scan;

/* An empty scan of path (findings' file name) under cfg. */
void pl_scan_init(pl_scan *s, const pl_config *cfg, const char *path);

/* Report a finding of the running rule at a word's span. aka: the peer ids this finding
 * corresponds to ("DL3007"), or NULL. fix: NULL for the rule's default hint. */
void pl_emit(pl_scan *s, const df_word *where, const char *aka, const char *fix,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same with an explicit span (line 0: no position). */
void pl_emit_at(pl_scan *s, int line, int col, int end_line, int end_col, const char *aka,
		const char *fix, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

struct pl_origin;
/* Report at a model value's origin (its own file, which may be an override file), with
 * the container's target label. sev < 0: the rule's severity; else this finding's. */
void pl_emit_origin(pl_scan *s, const struct pl_origin *at, int sev, const char *aka,
		    const char *fix, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* A value a rule family computed for this scan under key, or NULL; and storing one. The
 * value lives in s->mem, so it goes with the scan. */
void *pl_scan_memo(const pl_scan *s, const void *key);
void pl_scan_memo_set(pl_scan *s, const void *key, void *val);

#endif
