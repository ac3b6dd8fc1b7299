/* audit.h - read the running containers of a Docker Engine into live models.
 *
 * One pass: /info (the daemon's defaults and clock), the container list (or the named
 * ones), then per container, in parallel: inspect, changes, recent logs, the metrics
 * endpoint, and running exec sessions; finally the exec_start events since the containers
 * started (or --since). A container that disappears mid-audit, an endpoint that hangs, a
 * log that cannot be read: a note, and the rest of the audit goes on. */
#ifndef PL_LIVE_AUDIT_H
#define PL_LIVE_AUDIT_H

#include "core/arena.h"
#include "live/engine.h"
#include "live/logs.h"
#include "model/live.h"

#include <stddef.h>

typedef struct pl_audit_opts {
	const char *const *names;   /* containers by name or id; none: every running one */
	size_t nnames;
	const char *const *filters; /* docker ps filters, "label=tier=web", "name=api" */
	size_t nfilters;
	const char *since;          /* exec events since: unix time, RFC 3339, or a duration
				       ("30m", "2h") before the daemon's clock; NULL: since
				       each container started */
	int log_lines;              /* lines of recent logs to judge (0: 100) */
	const char *metrics_path;   /* NULL: a prometheus.io/path label, else /metrics */
	long metrics_timeout_ms;    /* 0: 2000 */
	int jobs;                   /* containers read in parallel (0: 8) */
	const dl_fields *fields;    /* NULL: dl_default_fields */
	bool progress;              /* a count on stderr while containers are read (a TTY) */
} pl_audit_opts;

typedef struct pl_audit_slot {
	arena mem;
	pl_live live;
	bool ok;                    /* inspected; false when it vanished or failed */
	bool skipped;               /* not the user's workload: a Kubernetes pod sandbox */
	char *note;                 /* what could not be read (malloc'd), or NULL */
} pl_audit_slot;

typedef struct pl_audit {
	pl_audit_slot *slots;
	size_t n;
	char *daemon_log_driver;    /* from /info */
	char **notes;               /* audit-level notes (malloc'd) */
	size_t nnotes;
	bool failed;                /* a named container could not be read */
} pl_audit;

/* Returns -1 (err set) only when the audit could not start: the container list could not
 * be had. Per-container problems are notes. */
int pl_audit_run(pl_engine *e, const pl_audit_opts *o, pl_audit *out, char *err, size_t errlen);
void pl_audit_free(pl_audit *a);

/* The time a --since value names, in unix seconds, relative to now (the daemon's clock);
 * -1 when it is not one of the accepted forms. */
long long pl_audit_parse_since(const char *s, long long now);

#endif
