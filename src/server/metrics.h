/* metrics.h - the webhook's Prometheus metrics: the four golden signals.
 *
 *   traffic     plimsoll_webhook_requests_total{kind,operation,decision}
 *   latency     plimsoll_webhook_request_duration_seconds (histogram)
 *   errors      plimsoll_webhook_errors_total{reason}
 *   saturation  plimsoll_webhook_in_flight_requests, plimsoll_webhook_workers,
 *               plimsoll_webhook_workers_busy, plimsoll_webhook_worker_saturation
 * plus config and certificate reloads and the certificate's expiry time.
 *
 * Counters are atomics in fixed tables: recording never allocates or blocks, and label
 * values come from closed sets (a kind the webhook does not judge is "other"), so a
 * hostile client cannot grow the exposition. */
#ifndef PL_SERVER_METRICS_H
#define PL_SERVER_METRICS_H

#include "core/buf.h"

#include <stdbool.h>

typedef enum pl_metric_error {
	ERR_MALFORMED,   /* not an AdmissionReview */
	ERR_OVERSIZED,   /* body over the limit */
	ERR_BUSY,        /* the server's body budget was spent */
	ERR_INTERNAL,    /* the scan failed */
	ERR_NOT_FOUND,   /* unknown path or method */
	ERR_NKINDS
} pl_metric_error;

void pl_metrics_init(unsigned workers);
/* One /validate request: the review's kind and operation (any text; mapped to the closed
 * label sets), its decision name (admission.h) and how long it took. */
void pl_metrics_request(const char *kind, const char *operation, const char *decision,
			double seconds);
void pl_metrics_error(pl_metric_error e);
void pl_metrics_in_flight(int delta);
void pl_metrics_busy(int delta);
void pl_metrics_config_reload(bool ok);
void pl_metrics_cert_reload(bool ok);
void pl_metrics_cert_expiry(long long unix_seconds);   /* 0: no certificate (plain HTTP) */

/* The exposition, Prometheus text format 0.0.4. */
void pl_metrics_render(buf *out);

#endif
