/* metrics.c - see metrics.h. */
#include "server/metrics.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

/* Label values: the kinds the webhook judges, then "other" (any other kind) and "unknown"
 * (a request that did not say). */
static const char *const kinds[] = {
	"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
	"Job", "CronJob", "ConfigMap", "other", "unknown",
};
static const char *const operations[] = {"CREATE", "UPDATE", "DELETE", "CONNECT", "other",
					 "unknown"};
static const char *const decisions[] = {"allowed", "warned", "denied", "exempt", "skipped",
					"invalid", "error"};
static const char *const error_names[ERR_NKINDS] = {"malformed", "oversized", "busy",
						    "internal", "not_found"};
/* seconds; the goal is p99 under 5 ms, so the low end is fine-grained */
static const double bounds[] = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
				0.5, 1, 2.5};

#define NK (sizeof kinds / sizeof *kinds)
#define NO (sizeof operations / sizeof *operations)
#define ND (sizeof decisions / sizeof *decisions)
#define NB (sizeof bounds / sizeof *bounds)

static atomic_ullong requests[NK][NO][ND];
static atomic_ullong errors[ERR_NKINDS];
static atomic_ullong buckets[NB + 1];    /* non-cumulative; the last is +Inf */
static atomic_ullong sum_ns;
static atomic_int in_flight, busy;
static unsigned nworkers = 1;
static atomic_ullong config_reloads[2], cert_reloads[2]; /* [0] failure, [1] success */
static atomic_llong cert_expiry;

void pl_metrics_init(unsigned workers)
{
	nworkers = workers ? workers : 1;
}

static size_t pick(const char *const *set, size_t n, const char *v, size_t other,
		   size_t unknown)
{
	if (!v || !*v)
		return unknown;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(set[i], v))
			return i;
	return other;
}

void pl_metrics_request(const char *kind, const char *operation, const char *decision,
			double seconds)
{
	size_t k = pick(kinds, NK - 2, kind, NK - 2, NK - 1);
	size_t o = pick(operations, NO - 2, operation, NO - 2, NO - 1);
	size_t d = pick(decisions, ND, decision, ND - 1, ND - 1);
	atomic_fetch_add(&requests[k][o][d], 1);
	size_t b = 0;
	while (b < NB && seconds > bounds[b])
		b++;
	atomic_fetch_add(&buckets[b], 1);
	atomic_fetch_add(&sum_ns, (unsigned long long)(seconds * 1e9));
}

void pl_metrics_error(pl_metric_error e) { atomic_fetch_add(&errors[e], 1); }
void pl_metrics_in_flight(int delta) { atomic_fetch_add(&in_flight, delta); }
void pl_metrics_busy(int delta) { atomic_fetch_add(&busy, delta); }
void pl_metrics_config_reload(bool ok) { atomic_fetch_add(&config_reloads[ok], 1); }
void pl_metrics_cert_reload(bool ok) { atomic_fetch_add(&cert_reloads[ok], 1); }
void pl_metrics_cert_expiry(long long t) { atomic_store(&cert_expiry, t); }

static void head(buf *out, const char *name, const char *type, const char *help)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void pl_metrics_render(buf *out)
{
	head(out, "plimsoll_webhook_requests_total", "counter",
	     "Admission reviews answered, by the object's kind, the operation and the decision.");
	for (size_t k = 0; k < NK; k++)
		for (size_t o = 0; o < NO; o++)
			for (size_t d = 0; d < ND; d++) {
				unsigned long long v = atomic_load(&requests[k][o][d]);
				if (v)
					buf_printf(out, "plimsoll_webhook_requests_total{kind=\"%s\","
							"operation=\"%s\",decision=\"%s\"} %llu\n",
						   kinds[k], operations[o], decisions[d], v);
			}
	head(out, "plimsoll_webhook_request_duration_seconds", "histogram",
	     "Time from a review's request headers to its answer, in seconds.");
	unsigned long long cum = 0;
	for (size_t b = 0; b <= NB; b++) {
		cum += atomic_load(&buckets[b]);
		if (b < NB)
			buf_printf(out, "plimsoll_webhook_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
				   bounds[b], cum);
		else
			buf_printf(out, "plimsoll_webhook_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
				   cum);
	}
	/* _count equals the +Inf bucket: both read from the same snapshot */
	buf_printf(out, "plimsoll_webhook_request_duration_seconds_sum %.9f\n",
		   (double)atomic_load(&sum_ns) / 1e9);
	buf_printf(out, "plimsoll_webhook_request_duration_seconds_count %llu\n", cum);
	head(out, "plimsoll_webhook_errors_total", "counter",
	     "Requests answered with an error status, by reason.");
	for (size_t e = 0; e < ERR_NKINDS; e++)
		buf_printf(out, "plimsoll_webhook_errors_total{reason=\"%s\"} %llu\n", error_names[e],
			   atomic_load(&errors[e]));
	int inf = atomic_load(&in_flight), bz = atomic_load(&busy);
	head(out, "plimsoll_webhook_in_flight_requests", "gauge",
	     "Requests received and not yet answered.");
	buf_printf(out, "plimsoll_webhook_in_flight_requests %d\n", inf);
	head(out, "plimsoll_webhook_workers", "gauge", "Worker threads that judge reviews.");
	buf_printf(out, "plimsoll_webhook_workers %u\n", nworkers);
	head(out, "plimsoll_webhook_workers_busy", "gauge", "Worker threads judging a review now.");
	buf_printf(out, "plimsoll_webhook_workers_busy %d\n", bz);
	head(out, "plimsoll_webhook_worker_saturation", "gauge",
	     "Busy workers over workers, 0 to 1.");
	buf_printf(out, "plimsoll_webhook_worker_saturation %g\n", (double)bz / nworkers);
	head(out, "plimsoll_webhook_config_reloads_total", "counter",
	     "Configuration reloads (SIGHUP), by result.");
	buf_printf(out, "plimsoll_webhook_config_reloads_total{result=\"success\"} %llu\n",
		   atomic_load(&config_reloads[1]));
	buf_printf(out, "plimsoll_webhook_config_reloads_total{result=\"failure\"} %llu\n",
		   atomic_load(&config_reloads[0]));
	head(out, "plimsoll_webhook_certificate_reloads_total", "counter",
	     "TLS certificate reloads after the files changed, by result.");
	buf_printf(out, "plimsoll_webhook_certificate_reloads_total{result=\"success\"} %llu\n",
		   atomic_load(&cert_reloads[1]));
	buf_printf(out, "plimsoll_webhook_certificate_reloads_total{result=\"failure\"} %llu\n",
		   atomic_load(&cert_reloads[0]));
	long long exp = atomic_load(&cert_expiry);
	if (exp) {
		head(out, "plimsoll_webhook_certificate_expiry_timestamp_seconds", "gauge",
		     "When the served certificate expires (Unix time): alert well before it.");
		buf_printf(out, "plimsoll_webhook_certificate_expiry_timestamp_seconds %lld\n", exp);
	}
}
