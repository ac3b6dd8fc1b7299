/* health_live.c - catalog section 4 on a running container: what only the Engine can
 * show. PL410 container-drift, PL411 exec-into-container, PL412 health-status-unhealthy. */
#include "core/buf.h"
#include "model/live.h"
#include "rules/util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static void drift(pl_scan *s, const pl_live *l)
{
	if (!l->changes_known)
		return;
	static const char kind[] = {'C', 'A', 'D'};
	pl_pathlist list = {0};
	for (size_t i = 0; i < l->nchanges; i++) {
		const pl_change *ch = &l->changes[i];
		if ((ch->kind != CHANGE_DELETED && pl_live_is_log_file(ch->path)) ||
		    pl_config_drift_allowed(s->cfg, ch->path))
			continue;
		char item[1100];
		snprintf(item, sizeof item, "%c %s", kind[ch->kind], ch->path);
		pl_pathlist_add(&list, item);
	}
	if (list.n)
		pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
			       "%s differs from its image in %zu path%s since it was created: %s "
			       "(A added, C changed, D deleted; mounts, tmpfs and /tmp, /run excluded)",
			       l->c.target, list.n, list.n == 1 ? "" : "s", pl_pathlist_str(&list));
}

const pl_rule rule_PL410 = {
	.code = "PL410", .slug = "container-drift", .severity = SEV_MEDIUM,
	.inputs = IN_L,
	.aka = "",
	.summary = "The container's filesystem differs from its image: it was patched in place.",
	.why = "A fix applied inside a running container is lost on the next deploy and exists "
	       "in no image, review or scan; an unexpected change can also be an intruder's.",
	.fix = "Make the change in the Dockerfile, rebuild and redeploy; run with --read-only and "
	       "put state on volumes so drift cannot happen. Files an entrypoint writes on purpose "
	       "at start go in allow.drift in .plimsoll.yml.",
	.check_live = drift,
};

static void execs(pl_scan *s, const pl_live *l)
{
	if (!l->nexecs)
		return;
	buf b = BUF_INIT;
	for (size_t i = 0; i < l->nexecs && i < 5; i++) {
		const pl_exec *x = &l->execs[i];
		buf_printf(&b, "%s'%.120s'", i ? ", " : "", x->cmd ? x->cmd : "(running)");
		if (x->when)
			buf_printf(&b, " at %s", x->when);
	}
	if (l->nexecs > 5)
		buf_printf(&b, " and %zu more", l->nexecs - 5);
	pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
		       "%s has had %zu docker exec session%s: %s", l->c.target, l->nexecs,
		       l->nexecs == 1 ? "" : "s", buf_str(&b));
	buf_free(&b);
}

const pl_rule rule_PL411 = {
	.code = "PL411", .slug = "exec-into-container", .severity = SEV_LOW,
	.inputs = IN_L,
	.aka = "",
	.summary = "The container has had docker exec sessions (health probes excluded).",
	.why = "Interactive sessions in production change state nobody reviewed and bypass the "
	       "deploy pipeline; they are also what an intruder with API access does.",
	.fix = "Debug with logs, metrics and a debug sidecar or a copy of the container; restrict "
	       "who may reach the Docker API.",
	.check_live = execs,
};

/* Restarts this close together are a loop, not a policy doing its job now and then. */
#define LOOP_WINDOW (10 * 60)

static void unhealthy(pl_scan *s, const pl_live *l)
{
	if (l->health_status && !strcmp(l->health_status, "unhealthy")) {
		if (l->health_output && *l->health_output)
			pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
				       "%s is unhealthy: its last %d health check%s failed (last "
				       "output: %s)", l->c.target, l->failing_streak,
				       l->failing_streak == 1 ? "" : "s", l->health_output);
		else
			pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
				       "%s is unhealthy: its last %d health check%s failed",
				       l->c.target, l->failing_streak, l->failing_streak == 1 ? "" : "s");
	}
	/* a few restarts over a long life are what the policy is for; a restart in progress
	 * after earlier ones, or three and more with the last one minutes ago, is a loop */
	bool recent = l->up_seconds >= 0 && l->up_seconds < LOOP_WINDOW;
	if ((l->restarting && l->restart_count > 0) || (l->restart_count >= 3 && recent)) {
		if (l->restarting)
			pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
				   "%s is restarting in a loop: restarted %d time%s, restarting now",
				   l->c.target, l->restart_count, l->restart_count == 1 ? "" : "s");
		else
			pl_emit_at(s, 0, 0, 0, 0, NULL, NULL,
				   "%s is restarting in a loop: restarted %d times, the last %llds ago",
				   l->c.target, l->restart_count, l->up_seconds);
	}
}

const pl_rule rule_PL412 = {
	.code = "PL412", .slug = "health-status-unhealthy", .severity = SEV_HIGH,
	.inputs = IN_L,
	.aka = "",
	.summary = "The container reports unhealthy, or it is restarting in a loop.",
	.why = "An unhealthy container still receives traffic from anything that does not read "
	       "its health (plain Docker, compose without depends_on conditions); a restart loop "
	       "is an outage that looks like a running service.",
	.fix = "Read the health check output (docker inspect --format '{{json .State.Health}}') "
	       "and the logs of the last start; fix the cause rather than the probe.",
	.check_live = unhealthy,
};
