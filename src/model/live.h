/* live.h - a running container as the Docker Engine shows it.
 *
 * The part every input shares (user, capabilities, limits, mounts, logging, ...) is the
 * container model `c`, filled from GET /containers/{id}/json, so the C/K/L rules read it
 * as they read a compose service. The rest is what only a live engine knows: the
 * filesystem's drift from the image, exec sessions, health and restarts, the recent log
 * lines and the metrics endpoint. Rules with input L read this through check_live. Every
 * string lives in the audit's arena. */
#ifndef PL_MODEL_LIVE_H
#define PL_MODEL_LIVE_H

#include "live/logs.h"
#include "live/prometheus.h"
#include "model/container.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

typedef enum { CHANGE_MODIFIED = 0, CHANGE_ADDED = 1, CHANGE_DELETED = 2 } pl_change_kind;

typedef struct pl_change {
	const char *path;
	pl_change_kind kind;
} pl_change;

typedef struct pl_exec {
	const char *id;
	const char *cmd;          /* from the events stream ("sh -c ..."); NULL from ExecIDs */
	const char *when;         /* RFC 3339, from events; NULL otherwise */
} pl_exec;

/* What a step of the audit could not learn: a rule that needs it stays silent, and the
 * report says why once (the audit's notes), rather than guessing. */
typedef struct pl_live {
	pl_container c;           /* source_kind "live"; target names container and image */
	const char *id;           /* full container id */
	const char *name;         /* without the leading '/' */
	const char *state;        /* running, restarting, paused */
	const char *started_at;
	const char *image;        /* as started (Config.Image), or a short image id */
	bool tty;                 /* Config.Tty: the log stream is raw, not multiplexed */
	const char **addresses;   /* IPs on its networks */
	size_t naddresses;

	/* drift: docker diff, without mounts, tmpfs and scratch directories */
	pl_change *changes;
	size_t nchanges;
	bool changes_known;

	/* exec sessions: ExecIDs, plus exec_start events with --since */
	pl_exec *execs;
	size_t nexecs;

	/* health */
	const char *health_status;/* "healthy", "unhealthy", "starting", NULL without one */
	int failing_streak;
	const char *health_output;/* the last probe's output, trimmed */
	int restart_count;
	long long up_seconds;     /* since the last start, by the daemon's clock; -1 unknown */
	bool restarting;

	/* logs: the last lines of stdout and stderr */
	bool logs_known;
	size_t logs_tail;         /* how many lines were asked for */
	dl_stats logs;
	const char *logs_driver;  /* the driver, when the engine cannot read it back */

	/* metrics: the first port that answered on the metrics path */
	bool metrics_tried;       /* a port to ask was known */
	const char *metrics_url;  /* where an exposition was read; NULL when none answered */
	const char *metrics_tried_urls; /* "http://...:8080/metrics (404), ..." for messages */
	bool metrics_truncated;
	prom_report metrics;
	bool metrics_valid;       /* metrics_url set and the report parsed */

	/* the daemon's defaults (GET /info) */
	const char *daemon_log_driver;
} pl_live;

/* A log file written inside the container: PL506's business, not drift (PL410). */
static inline bool pl_live_is_log_file(const char *path)
{
	size_t n = strlen(path);
	return (!strncmp(path, "/var/log/", 9) && path[9]) ||
	       (n > 4 && !strcasecmp(path + n - 4, ".log"));
}

#endif
