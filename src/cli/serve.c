/* serve.c - `plimsoll serve`: the Kubernetes validating admission webhook (src/server/).
 *
 * The main thread owns the process's signals and the periodic work; libmicrohttpd's
 * threads serve requests. Signals are blocked before any thread starts, so every thread
 * inherits the mask and only sigtimedwait below ever sees them:
 *   SIGHUP           reload --config (a bad file is logged and the old one kept)
 *   SIGTERM, SIGINT  turn /readyz to 503 and keep serving for --shutdown-delay seconds
 *                    (while the endpoint is removed from the Service), then stop
 *                    accepting, let in-flight requests finish within --grace, exit 0;
 *                    a second signal skips the rest of the delay
 *   every second     reload the certificate and key if their files changed */
#include "cli/cli.h"
#include "core/xalloc.h"
#include "engine/config.h"
#include "server/admission.h"
#include "server/http.h"
#include "server/log.h"
#include "server/metrics.h"
#include "server/tls.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *to)
{
	fprintf(to,
		"usage: plimsoll serve --listen ADDR:PORT --tls-cert FILE --tls-key FILE [options]\n"
		"  Kubernetes validating admission webhook: POST /validate (AdmissionReview v1),\n"
		"  GET /healthz, /readyz, /metrics. Logs are JSON lines on stdout.\n\n"
		"  --listen ADDR:PORT  where to listen, e.g. 0.0.0.0:8443, [::]:8443, :8443\n"
		"  --tls-cert FILE     PEM certificate (chain); reloaded when the file changes\n"
		"  --tls-key FILE      PEM private key; reloaded with the certificate\n"
		"  --insecure-http     serve plain HTTP instead (tests and local trials only:\n"
		"                      the API server only calls webhooks over HTTPS)\n"
		"  --config FILE       .plimsoll.yml: rules, fail-on (the deny threshold) and the\n"
		"                      webhook: section; reloaded on SIGHUP\n"
		"  --workers N         reviews judged at once (default: the core count)\n"
		"  --shutdown-delay S  on SIGTERM, keep serving (not ready) this long first, while\n"
		"                      Kubernetes stops routing to the pod (default 0)\n"
		"  --grace SECONDS     then, how long in-flight requests may take (default 20)\n");
}

/* A configuration for the webhook, from file (NULL: the defaults). */
static pl_config *load_config(const char *file, char *err, size_t errlen)
{
	pl_config *c = xmalloc(sizeof *c);
	pl_config_init(c);
	if (file && pl_config_load(c, file, err, errlen) < 0) {
		pl_config_free(c);
		free(c);
		return NULL;
	}
	pl_admission_prepare(c);
	return c;
}

static void reload_config(const char *file)
{
	if (!file) {
		pl_log("info", "SIGHUP: no --config, nothing to reload");
		return;
	}
	char err[1024];
	pl_config *c = load_config(file, err, sizeof err);
	pl_metrics_config_reload(c != NULL);
	if (!c) {
		pl_log("error", "configuration not reloaded, the previous one stays: %s", err);
		return;
	}
	pl_http_set_config(c);
	pl_log("info", "configuration reloaded from %s", file);
}

static void check_certificate(void)
{
	char err[512];
	int rc = pl_tls_check(err, sizeof err);
	if (rc == 0)
		return;
	pl_metrics_cert_reload(rc > 0);
	if (rc < 0) {
		pl_log("error", "certificate not reloaded, the previous one stays: %s", err);
		return;
	}
	pl_metrics_cert_expiry((long long)pl_tls_not_after());
	pl_log("info", "certificate reloaded; valid until %lld", (long long)pl_tls_not_after());
}

int cmd_serve(int argc, char **argv)
{
	const char *listen_on = NULL, *cert = NULL, *key = NULL, *config = NULL;
	bool insecure = false;
	long workers = sysconf(_SC_NPROCESSORS_ONLN), grace = 20, delay = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = NULL;
#define OPT(name) (!strcmp(a, name) && i + 1 < argc ? (v = argv[++i]) : \
		   !strncmp(a, name "=", strlen(name) + 1) ? (v = a + strlen(name) + 1) : NULL)
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (OPT("--listen")) {
			listen_on = v;
		} else if (OPT("--tls-cert")) {
			cert = v;
		} else if (OPT("--tls-key")) {
			key = v;
		} else if (OPT("--config")) {
			config = v;
		} else if (OPT("--workers")) {
			workers = strtol(v, NULL, 10);
		} else if (OPT("--grace")) {
			grace = strtol(v, NULL, 10);
		} else if (OPT("--shutdown-delay")) {
			delay = strtol(v, NULL, 10);
		} else if (!strcmp(a, "--insecure-http")) {
			insecure = true;
		} else {
			fprintf(stderr, "plimsoll serve: unknown or incomplete option '%s'\n", a);
			usage(stderr);
			return 2;
		}
#undef OPT
	}
	const char *problem = !listen_on ? "--listen ADDR:PORT is required"
		: insecure && (cert || key) ? "--insecure-http serves plain HTTP: drop --tls-cert and --tls-key"
		: !insecure && (!cert || !key) ? "--tls-cert and --tls-key are required (or --insecure-http)"
		: workers < 1 || workers > 256 ? "--workers wants 1 to 256"
		: grace < 0 || grace > 3600 ? "--grace wants 0 to 3600 seconds"
		: delay < 0 || delay > 600 ? "--shutdown-delay wants 0 to 600 seconds" : NULL;
	if (problem) {
		fprintf(stderr, "plimsoll serve: %s\n", problem);
		return 2;
	}
	char err[1024];
	pl_config *cfg = load_config(config, err, sizeof err);
	if (!cfg) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (!insecure && pl_tls_init(cert, key, err, sizeof err) < 0) {
		fprintf(stderr, "plimsoll serve: %s\n", err);
		pl_tls_free();
		pl_config_free(cfg);
		free(cfg);
		return 2;
	}

	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	pl_metrics_init((unsigned)workers);
	if (!insecure)
		pl_metrics_cert_expiry((long long)pl_tls_not_after());
	pl_http_opts ho = {.listen = listen_on, .tls = !insecure, .workers = (unsigned)workers};
	if (pl_http_start(&ho, cfg, err, sizeof err) < 0) {
		fprintf(stderr, "plimsoll serve: %s\n", err);
		pl_http_stop();
		pl_tls_free();
		return 2;
	}
	pl_log("info", "listening on %s port %d (%s, %ld workers, config %s)", listen_on,
	       pl_http_port(), insecure ? "plain HTTP" : "HTTPS", workers,
	       config ? config : "defaults");
	/* served anyway, so that a renewal dropped into place is picked up, but not ready */
	if (!insecure && !pl_tls_valid(time(NULL)))
		pl_log("warn", "the certificate is not valid now (not after %lld): /readyz answers 503 "
			       "until a valid one is in place", (long long)pl_tls_not_after());

	for (;;) {
		struct timespec tick = {1, 0};
		int sig = sigtimedwait(&sigs, NULL, &tick);
		if (sig == SIGHUP)
			reload_config(config);
		else if (sig == SIGTERM || sig == SIGINT)
			break;
		if (!insecure)
			check_certificate();
	}

	if (delay) {
		pl_http_unready();
		pl_log("info", "leaving: not ready, still serving for %lds", delay);
		struct timespec t0, t;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (;;) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			long left = delay - (t.tv_sec - t0.tv_sec);
			if (left <= 0)
				break;
			struct timespec tick = {1, 0};
			int sig = sigtimedwait(&sigs, NULL, &tick);
			if (sig == SIGTERM || sig == SIGINT)
				break;
			if (sig == SIGHUP)
				reload_config(config);
		}
	}
	pl_log("info", "shutting down: no new connections, %u requests in flight, grace %lds",
	       pl_http_in_flight(), grace);
	pl_http_quiesce();
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (!pl_http_in_flight() || t.tv_sec - t0.tv_sec >= grace)
			break;
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
	unsigned left = pl_http_in_flight();
	pl_http_stop();
	pl_tls_free();
	if (left)
		pl_log("warn", "stopped after the grace period with %u requests unanswered", left);
	else
		pl_log("info", "stopped");
	return 0;
}
