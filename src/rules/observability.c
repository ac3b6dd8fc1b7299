/* observability.c - catalog section 5 for containers as they run: PL501
 * log-rotation-missing and PL505 log-driver-local-only. (PL502-PL504 and PL506 need a live
 * engine and come with it.) */
#include "model/container.h"
#include "rules/util.h"

#include <string.h>

static bool local_driver(const pl_container *c)
{
	const char *d = c->log_driver.v;
	return !d || !strcmp(d, "json-file") || !strcmp(d, "local");
}

static void rotation(pl_scan *s, const pl_container *c)
{
	if (!strcmp(c->source_kind, "k8s") || c->init)
		return; /* the kubelet rotates container logs */
	if (!c->log_driver.v || !strcmp(c->log_driver.v, "json-file")) {
		if (!c->log_max_size.v)
			pl_emit_origin(s, c->log_driver.v ? &c->log_driver.at : &c->at, -1,
				       "docker-bench-2.12", NULL,
				       "%s logs with json-file and no max-size: its log file grows until "
				       "the disk is full", c->target);
	}
}

const pl_rule rule_PL501 = {
	.code = "PL501", .slug = "log-rotation-missing", .severity = SEV_MEDIUM,
	.inputs = IN_C | IN_L,
	.aka = "docker-bench-2.12",
	.summary = "The json-file log driver has no max-size.",
	.why = "Docker's default json-file driver never rotates: a chatty service fills the "
	       "host's disk, and everything on the host stops.",
	.fix = "logging: {driver: json-file, options: {max-size: \"10m\", max-file: \"3\"}} (or "
	       "the local driver, or set defaults in daemon.json).",
	.fix_live = "Recreate it with --log-opt max-size=10m --log-opt max-file=3 (compose: "
		    "logging.options), and set log-opts in /etc/docker/daemon.json so new "
		    "containers rotate too.",
	.check_container = rotation,
};

static void forwarding(pl_scan *s, const pl_container *c)
{
	if (strcmp(c->source_kind, "k8s") && !c->init && local_driver(c))
		pl_emit_origin(s, c->log_driver.v ? &c->log_driver.at : &c->at, -1, NULL, NULL,
			       "%s keeps its logs on the host (%s driver)", c->target,
			       c->log_driver.v ? c->log_driver.v : "json-file");
}

const pl_rule rule_PL505 = {
	.code = "PL505", .slug = "log-driver-local-only", .severity = SEV_INFO,
	.inputs = IN_C | IN_L, .opt_in = true,
	.aka = "",
	.summary = "Logs stay on the host (json-file, local) where forwarding is required "
		   "(opt-in: enable it when your platform requires forwarding).",
	.why = "Logs on a host disappear with the host and cannot be searched across services.",
	.fix = "Use a forwarding driver (fluentd, gelf, syslog, awslogs, ...) or a log agent.",
	.check_container = forwarding,
};
