/* log.h - structured logs of plimsoll serve: one JSON object per line on stdout.
 *
 * Every line has timestamp (RFC 3339, UTC, milliseconds), level, message and service;
 * review lines add the AdmissionReview uid as correlation_id, and the decision, findings
 * count and duration. The field names are among those `plimsoll` itself expects of a
 * structured log (src/live/logs.c), so the server passes its own PL502 check. */
#ifndef PL_SERVER_LOG_H
#define PL_SERVER_LOG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_log_review {
	const char *uid;        /* correlation id; NULL when the request had none */
	const char *kind, *namespace_, *name, *operation;
	const char *decision;   /* allowed, warned, denied, exempt, skipped, invalid, error */
	bool dry_run;
	size_t findings;
	int status;             /* HTTP status answered */
	double duration_ms;
} pl_log_review;

/* An event: level is "debug", "info", "warn" or "error"; message is printf-formatted. */
void pl_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One admission review, answered. */
void pl_log_review_line(const char *level, const char *message, const pl_log_review *r);

#endif
