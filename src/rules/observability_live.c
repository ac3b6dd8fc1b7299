/* observability_live.c - catalog section 5 on a running container: PL502
 * logs-not-structured, PL503 metrics-endpoint-missing, PL504 golden-signals-missing and
 * PL506 logs-written-to-files. The audit read the recent log lines and the metrics
 * endpoint (live/audit.c); these rules judge what it found. */
#include "core/buf.h"
#include "model/live.h"
#include "rules/util.h"

#include <string.h>

/* More than this share of plain lines means the service does not log JSON (a stray line
 * from a crash or a library banner is not the service's format). */
#define PLAIN_SHARE 0.05
/* A correlation id is on request lines only: a container that has logged fewer JSON lines
 * than this (start-up, no traffic yet) is not judged for it. */
#define CORRELATION_MIN_LINES 10

static void logs(pl_scan *s, const pl_live *l)
{
	const dl_stats *st = &l->logs;
	if (!l->logs_known || !st->lines)
		return; /* nothing logged recently: nothing to judge */
	size_t plain = st->lines - st->json;
	if ((double)plain > PLAIN_SHARE * (double)st->lines) {
		pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
			       "%s: %zu of its last %zu log lines are not JSON objects", l->c.target,
			       plain, st->lines);
		return;
	}
	/* JSON: each expected field on most lines; a correlation id only on request lines,
	 * so on at least one of a fair sample */
	buf miss = BUF_INIT;
	for (int f = 0; f < DL_NFIELDS; f++) {
		bool lacking = f == DL_CORRELATION
				       ? st->with[f] == 0 && st->json >= CORRELATION_MIN_LINES
				       : st->with[f] * 2 < st->json;
		if (lacking)
			buf_printf(&miss, "%s%s (%zu of %zu lines)", miss.len ? ", " : "",
				   dl_field_label[f], st->with[f], st->json);
	}
	if (miss.len)
		pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
			       "%s logs JSON, but its lines lack %s", l->c.target, buf_str(&miss));
	buf_free(&miss);
}

const pl_rule rule_PL502 = {
	.code = "PL502", .slug = "logs-not-structured", .severity = SEV_LOW,
	.inputs = IN_L,
	.aka = "",
	.summary = "Recent log lines are not JSON objects, or lack timestamp, level, message, "
		   "service or correlation-id fields (names configurable).",
	.why = "Plain-text logs cannot be filtered by level, joined across services by request, "
	       "or alerted on reliably; every log pipeline parses JSON lines without custom rules.",
	.fix = "Log one JSON object per line with time, level, msg, service and a request/trace "
	       "id (zap, slog, logrus JSONFormatter, pino, structlog, ...).",
	.check_live = logs,
};

static void metrics_missing(pl_scan *s, const pl_live *l)
{
	if (!l->metrics_url) {
		if (l->metrics_tried)
			pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
				       "%s serves no Prometheus metrics: %s", l->c.target,
				       l->metrics_tried_urls);
		else if (!l->c.nports)
			pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
				       "%s serves no Prometheus metrics: it exposes no TCP port to read "
				       "them from", l->c.target);
		/* ports, but no address to reach them (restarting, no network): not judged */
		return;
	}
	const prom_report *m = &l->metrics;
	if (l->metrics_truncated) {
		/* a cut exposition has a cut last line: its problems say nothing more */
		pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
			   "%s: the exposition at %s did not end within the size or time limit "
			   "(4 MiB, the metrics timeout)", l->c.target, l->metrics_url);
	} else if (m->nproblems_total) {
		const prom_problem *p = &m->problems[0];
		const char *msg = p->msg;
		if (!strncmp(msg, "line ", 5) && strstr(msg, ": "))
			msg = strstr(msg, ": ") + 2; /* the position is said already */
		pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
			   "%s serves a malformed exposition at %s: %zu problem%s, the first at "
			   "line %d column %d: %s", l->c.target, l->metrics_url,
			   m->nproblems_total, m->nproblems_total == 1 ? "" : "s", p->line, p->col,
			   msg);
	}
}

const pl_rule rule_PL503 = {
	.code = "PL503", .slug = "metrics-endpoint-missing", .severity = SEV_LOW,
	.inputs = IN_L,
	.aka = "",
	.summary = "The container serves no Prometheus text exposition on its metrics path, or "
		   "the exposition is malformed.",
	.why = "Without metrics, saturation and error rates are invisible until users report "
	       "them; a malformed exposition is dropped whole by Prometheus at scrape time.",
	.fix = "Serve /metrics with a Prometheus client library (or set prometheus.io/port and "
	       "prometheus.io/path labels where it is served elsewhere).",
	.check_live = metrics_missing,
};

static void golden(pl_scan *s, const pl_live *l)
{
	const prom_report *m = &l->metrics;
	if (!l->metrics_valid)
		return;
	buf miss = BUF_INIT;
	if (!m->latency)
		buf_adds(&miss, "latency (a request duration histogram or summary)");
	if (!m->traffic)
		buf_printf(&miss, "%straffic (a request counter)", miss.len ? ", " : "");
	if (!m->errors)
		buf_printf(&miss, "%serrors (an error counter or a status label)", miss.len ? ", " : "");
	if (!m->saturation)
		buf_printf(&miss, "%ssaturation (a gauge of in-flight work, queue or pool use)",
			   miss.len ? ", " : "");
	if (miss.len)
		pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
			       "%s: the metrics at %s lack %s", l->c.target, l->metrics_url,
			       buf_str(&miss));
	buf_free(&miss);
}

const pl_rule rule_PL504 = {
	.code = "PL504", .slug = "golden-signals-missing", .severity = SEV_INFO,
	.inputs = IN_L,
	.aka = "",
	.summary = "The metrics lack a latency histogram/summary, a request counter, an error "
		   "counter or a saturation gauge.",
	.why = "Latency, traffic, errors and saturation are what alerts and SLOs are built on; "
	       "runtime metrics alone (memory, goroutines) do not say whether users are served.",
	.fix = "Instrument the request path: a *_request_duration_seconds histogram, a "
	       "*_requests_total counter with a status/code label, and an in-flight gauge.",
	.check_live = golden,
};

static void log_files(pl_scan *s, const pl_live *l)
{
	if (!l->changes_known)
		return;
	pl_pathlist list = {0};
	for (size_t i = 0; i < l->nchanges; i++)
		if (l->changes[i].kind != CHANGE_DELETED && pl_live_is_log_file(l->changes[i].path))
			pl_pathlist_add(&list, l->changes[i].path);
	if (list.n)
		pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
			       "%s writes log files inside its own filesystem: %s", l->c.target,
			       pl_pathlist_str(&list));
}

const pl_rule rule_PL506 = {
	.code = "PL506", .slug = "logs-written-to-files", .severity = SEV_LOW,
	.inputs = IN_L,
	.aka = "",
	.summary = "The container writes log files inside its filesystem (under /var/log or "
		   "*.log) instead of to stdout.",
	.why = "Log files in the container layer are invisible to docker logs and every log "
	       "driver, grow the writable layer without rotation and vanish with the container.",
	.fix = "Log to stdout/stderr (or symlink the files to /dev/stdout and /dev/stderr, as "
	       "the official nginx image does).",
	.check_live = log_files,
};
