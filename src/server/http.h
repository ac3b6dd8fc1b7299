/* http.h - the webhook's HTTP(S) server (libmicrohttpd): routes, bounded request bodies,
 * the configuration in force, readiness and graceful shutdown.
 *
 *   POST /validate   an AdmissionReview (admission.h)
 *   GET  /healthz    200 while the process serves at all (liveness)
 *   GET  /readyz     200 when the configuration is loaded, the certificate is within its
 *                    validity period and the server is not shutting down; else 503
 *   GET  /metrics    Prometheus text (metrics.h)
 *
 * Reviews are judged on a pool of worker threads (libmicrohttpd's thread pool), so the
 * number of reviews judged at once is bounded by the workers; bodies are bounded per
 * request (PL_ADMISSION_MAX_BODY) and in total (PL_HTTP_BODY_BUDGET), so memory stays
 * bounded whatever clients send. One server per process. */
#ifndef PL_SERVER_HTTP_H
#define PL_SERVER_HTTP_H

#include "engine/config.h"

#include <stdbool.h>
#include <stddef.h>

/* Request bodies held at once, all connections together; past it a review gets 503. */
#define PL_HTTP_BODY_BUDGET (64u << 20)
/* Connections open at once, and how long one may sit idle (seconds). */
#define PL_HTTP_MAX_CONNECTIONS 512
#define PL_HTTP_IDLE_TIMEOUT 30

typedef struct pl_http_opts {
	const char *listen;     /* "ADDR:PORT", "[v6]:PORT" or ":PORT"; port 0 picks one */
	bool tls;               /* serve HTTPS with the pair loaded by tls.c */
	unsigned workers;
} pl_http_opts;

/* Start serving with cfg (ownership moves to the server). Returns -1 with err set. */
int pl_http_start(const pl_http_opts *o, pl_config *cfg, char *err, size_t errlen);
int pl_http_port(void);                 /* the port bound (useful with port 0) */
/* Use cfg from now on (ownership moves); the old one is freed once no review uses it. */
void pl_http_set_config(pl_config *cfg);
/* Start leaving: /readyz answers 503 and answers say Connection: close, but connections
 * are still accepted (Kubernetes keeps sending for a moment after a pod is told to stop). */
void pl_http_unready(void);
/* Stop accepting connections (and pl_http_unready). */
void pl_http_quiesce(void);
unsigned pl_http_in_flight(void);       /* requests received and not yet answered */
/* Stop the server (closing any connection left) and free the configuration. */
void pl_http_stop(void);

#endif
