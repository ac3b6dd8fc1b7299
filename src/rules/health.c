/* health.c - catalog section 4 in a Dockerfile: PL401 healthcheck-missing, PL402
 * healthcheck-without-start-period, PL403 healthcheck-timing. */
#include "k8s/k8s.h"
#include "model/container.h"
#include "rules/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The HEALTHCHECK in effect at the end of the final stage (inherited through FROM
 * <stage>), and whether the stage chain EXPOSEs a port (what marks a long-running
 * service: a base image or a CLI tool needs no health check). */
static const df_cmd *last_healthcheck(const df_build *b, const df_stage *st, bool *service)
{
	const df_cmd *hc = NULL;
	*service = false;
	for (; st; st = st->base_stage >= 0 ? &b->stages[st->base_stage] : NULL) {
		for (size_t i = st->ncmds; i-- > 0;) {
			const df_cmd *c = &st->cmds[i];
			if (c->kind == DF_HEALTHCHECK && !hc)
				hc = c;
			if (c->kind == DF_EXPOSE)
				*service = true;
		}
	}
	return hc;
}

static bool is_none(const df_cmd *hc)
{
	return hc->node->nargs && !strcasecmp(hc->node->args[0].s, "none");
}

static void check_missing(pl_scan *s, const df_build *b)
{
	const df_stage *st = pl_final_stage(b);
	bool service;
	if (!st)
		return;
	const df_cmd *hc = last_healthcheck(b, st, &service);
	if (!service)
		return;
	if (!hc)
		pl_emit(s, st->implicit ? &st->cmds[0].node->keyword : st->base_word,
			"DL3057 CKV_DOCKER_2 AVD-DS-0026 CIS-DI-0006", NULL,
			"the final stage EXPOSEs a port but has no HEALTHCHECK: Docker cannot tell a "
			"hung service from a healthy one");
	else if (is_none(hc))
		pl_emit(s, &hc->node->args[0], "DL3057 CKV_DOCKER_2", NULL,
			"HEALTHCHECK NONE disables the health check of a service");
}

static void container_health_missing(pl_scan *s, const pl_container *c);
static void container_start_period(pl_scan *s, const pl_container *c);
static void container_timing(pl_scan *s, const pl_container *c);

const pl_rule rule_PL401 = {
	.code = "PL401", .slug = "healthcheck-missing", .severity = SEV_MEDIUM,
	.inputs = IN_D | IN_C | IN_I | IN_L,
	.aka = "DL3057 CKV_DOCKER_2 AVD-DS-0026 CIS-DI-0006",
	.summary = "A long-running service has no health check.",
	.why = "Without a health check, a service that deadlocks or loses its database keeps "
	       "receiving traffic: orchestrators only see that the process is alive.",
	.fix = "Add HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD "
	       "[\"/app\", \"healthcheck\"] (exec form, no curl needed if the app can probe itself).",
	.fix_compose = "healthcheck: {test: [\"CMD\", \"/app\", \"healthcheck\"], interval: 30s, "
	               "timeout: 3s, start_period: 10s} (or a HEALTHCHECK in the image).",
	.fix_live = "Recreate it with --health-cmd '<probe>' --health-interval 30s --health-timeout "
		    "3s --health-start-period 10s, or give the image a HEALTHCHECK.",
	.check_dockerfile = check_missing,
	.check_container = container_health_missing,
};

/* Go's time.ParseDuration for the forms Docker accepts; returns -1 when invalid. */
static double seconds(const char *v)
{
	double total = 0;
	const char *p = v;
	if (!*p)
		return -1;
	while (*p) {
		char *end;
		double x = strtod(p, &end);
		if (end == p)
			return -1;
		p = end;
		if (!strncmp(p, "ns", 2)) total += x / 1e9, p += 2;
		else if (!strncmp(p, "us", 2) || !strncmp(p, "\xC2\xB5s", 3))
			total += x / 1e6, p += p[0] == 'u' ? 2 : 3;
		else if (!strncmp(p, "ms", 2)) total += x / 1e3, p += 2;
		else if (*p == 's') total += x, p++;
		else if (*p == 'm') total += x * 60, p++;
		else if (*p == 'h') total += x * 3600, p++;
		else if (x == 0 && !*p) return 0;
		else return -1;
	}
	return total;
}

static void each_healthcheck(pl_scan *s, const df_build *b,
			     void (*fn)(pl_scan *, const df_cmd *))
{
	const df_stage *st = pl_final_stage(b);
	if (!st)
		return;
	for (size_t i = 0; i < st->ncmds; i++)
		if (st->cmds[i].kind == DF_HEALTHCHECK && !is_none(&st->cmds[i]))
			fn(s, &st->cmds[i]);
}

static void start_period(pl_scan *s, const df_cmd *c)
{
	if (!df_flag_get(c->flags, c->nflags, "start-period"))
		pl_emit(s, &c->node->keyword, NULL, NULL,
			"HEALTHCHECK has no --start-period: a slow start counts as failures");
}

static void check_start_period(pl_scan *s, const df_build *b)
{
	each_healthcheck(s, b, start_period);
}

const pl_rule rule_PL402 = {
	.code = "PL402", .slug = "healthcheck-without-start-period", .severity = SEV_LOW,
	.inputs = IN_D | IN_C | IN_I | IN_L,
	.aka = "",
	.summary = "A health check has no start period.",
	.why = "Failures during the start period do not count. Without one, an application that "
	       "needs a while to warm up is marked unhealthy and restarted in a loop.",
	.fix = "Add --start-period=<typical start time> to the HEALTHCHECK.",
	.fix_compose = "healthcheck.start_period: <typical start time>.",
	.fix_live = "Recreate it with --health-start-period <typical start time>.",
	.check_dockerfile = check_start_period,
	.check_container = container_start_period,
};

static void timing(pl_scan *s, const df_cmd *c)
{
	const df_flag *fi = df_flag_get(c->flags, c->nflags, "interval");
	const df_flag *ft = df_flag_get(c->flags, c->nflags, "timeout");
	const df_flag *fr = df_flag_get(c->flags, c->nflags, "retries");
	double interval = fi ? seconds(fi->value) : 30, timeout = ft ? seconds(ft->value) : 30;
	if (fi && interval >= 0 && (interval < 1 || interval > 300))
		pl_emit(s, fi->word, NULL, NULL,
			"HEALTHCHECK --interval=%s is %s: probes should run every 1 s to 5 min",
			fi->value, interval < 1 ? "too short" : "too long");
	if ((fi || ft) && interval > 0 && timeout >= interval)
		pl_emit(s, ft ? ft->word : fi->word, NULL, NULL,
			"HEALTHCHECK timeout (%gs) is not shorter than its interval (%gs)",
			timeout, interval);
	if (fr && fr->value && atoi(fr->value) == 0 && fr->value[0] == '0')
		pl_emit(s, fr->word, NULL, NULL,
			"HEALTHCHECK --retries=0: one failed probe marks the container unhealthy");
}

static void check_timing(pl_scan *s, const df_build *b)
{
	each_healthcheck(s, b, timing);
}

const pl_rule rule_PL403 = {
	.code = "PL403", .slug = "healthcheck-timing", .severity = SEV_LOW,
	.inputs = IN_D | IN_C | IN_I | IN_L,
	.aka = "",
	.summary = "Health check timing that cannot work: timeout not shorter than the interval, "
		   "no retries, an interval under 1 s or over 5 min.",
	.why = "Probes that overlap, fire constantly or almost never, or give up at the first "
	       "blip make the health status noise instead of a signal.",
	.fix = "Use e.g. --interval=30s --timeout=5s --retries=3.",
	.fix_compose = "healthcheck: {interval: 30s, timeout: 5s, retries: 3}.",
	.fix_live = "Recreate it with e.g. --health-interval 30s --health-timeout 5s "
		    "--health-retries 3.",
	.check_dockerfile = check_timing,
	.check_container = container_timing,
};

/* ---------------------------------------------------------------------------------------
 * Containers as they run: the health check of a compose service, image or live container
 * (PL401-PL403), and Kubernetes probes and restarts (PL404-PL408). */

static void container_health_missing(pl_scan *s, const pl_container *c)
{
	if (!c->long_running || c->init || !strcmp(c->source_kind, "k8s"))
		return; /* Kubernetes uses probes: PL404/PL405 */
	if (!c->health.set)
		pl_emit_origin(s, &c->at, -1, "CKV_DOCKER_2", NULL,
			       "%s has no health check%s: a hung process looks healthy", c->target,
			       c->dockerfile ? " (and its Dockerfile has no HEALTHCHECK)" : "");
	else if (c->health.disabled)
		pl_emit_origin(s, &c->health.at, -1, NULL, NULL,
			       "%s disables its health check", c->target);
}

static void container_start_period(pl_scan *s, const pl_container *c)
{
	if (strcmp(c->source_kind, "k8s") && c->health.set && !c->health.disabled &&
	    !c->health.from_image && !c->health.start_period.set)
		pl_emit_origin(s, &c->health.at, -1, NULL, NULL,
			       "%s's health check has no start_period: a slow start counts as "
			       "failures", c->target);
}

static void container_timing(pl_scan *s, const pl_container *c)
{
	const pl_probe *p = &c->health;
	if (!strcmp(c->source_kind, "k8s") || !p->set || p->disabled || p->from_image)
		return;
	double interval = p->interval.set ? p->interval.v : 30;
	double timeout = p->timeout.set ? p->timeout.v : 30;
	if (p->interval.set && (interval < 1 || interval > 300))
		pl_emit_origin(s, &p->interval.at, -1, NULL, NULL,
			       "%s: health check interval %s is %s (1 s to 5 min)", c->target,
			       p->interval.text ? p->interval.text : "", interval < 1 ? "too short" : "too long");
	if ((p->interval.set || p->timeout.set) && interval > 0 && timeout >= interval)
		pl_emit_origin(s, p->timeout.set ? &p->timeout.at : &p->interval.at, -1, NULL, NULL,
			       "%s: health check timeout (%gs) is not shorter than its interval (%gs)",
			       c->target, timeout, interval);
	if (p->retries.set && p->retries.v == 0)
		pl_emit_origin(s, &p->retries.at, -1, NULL, NULL,
			       "%s: health check retries 0 marks it unhealthy at the first failure",
			       c->target);
}

static void probe_liveness(pl_scan *s, const pl_container *c)
{
	if (!strcmp(c->source_kind, "k8s") && c->long_running && !c->init && !c->liveness.set)
		pl_emit_origin(s, &c->at, -1, "KSV-0110 CKV_K8S_8 no-liveness-probe", NULL,
			       "%s has no liveness probe: a deadlocked process is never restarted",
			       c->target);
}

const pl_rule rule_PL404 = {
	.code = "PL404", .slug = "liveness-probe-missing", .severity = SEV_MEDIUM, .inputs = IN_K,
	.aka = "KSV-0110 CKV_K8S_8 no-liveness-probe",
	.summary = "A long-running container has no liveness probe.",
	.why = "Kubernetes restarts a container whose liveness probe fails; without one a hung "
	       "process stays in service forever.",
	.fix = "Add livenessProbe (an HTTP /healthz or exec check that tests the process itself, "
	       "not its dependencies).",
	.check_container = probe_liveness,
};

static void probes_identical(pl_scan *s, const pl_container *c)
{
	const pl_probe *l = &c->liveness, *r = &c->readiness;
	if (l->set && r->set && l->kind && r->kind && l->what && r->what &&
	    !strcmp(l->kind, r->kind) && !strcmp(l->what, r->what))
		pl_emit_origin(s, &l->at, -1, "kube-score-probes-identical", NULL,
			       "%s uses the same check for liveness and readiness: a slow dependency "
			       "then restarts the pod instead of taking it out of rotation", c->target);
}

const pl_rule rule_PL406 = {
	.code = "PL406", .slug = "probes-identical", .severity = SEV_LOW, .inputs = IN_K,
	.aka = "kube-score-probes-identical",
	.summary = "The liveness and readiness probes are the same.",
	.why = "Readiness should fail when the pod cannot serve (e.g. its database is down); "
	       "liveness only when the process is broken. The same check conflates the two.",
	.fix = "Point liveness at a cheap in-process check and readiness at the full one.",
	.check_container = probes_identical,
};

static void slow_start(pl_scan *s, const pl_container *c)
{
	const pl_probe *l = &c->liveness;
	if (!strcmp(c->source_kind, "k8s") && l->set && !c->startup.set &&
	    (!l->initial_delay.set || l->initial_delay.v == 0))
		pl_emit_origin(s, &l->at, -1, NULL, NULL,
			       "%s has a liveness probe from the first second, with no startupProbe "
			       "or initialDelaySeconds: a slow start gets it killed in a loop",
			       c->target);
}

const pl_rule rule_PL407 = {
	.code = "PL407", .slug = "slow-start-unprotected", .severity = SEV_LOW, .inputs = IN_K,
	.aka = "",
	.summary = "A liveness probe with no startupProbe and initialDelaySeconds 0.",
	.why = "An application that needs longer to start than the liveness budget is restarted "
	       "before it ever serves, a crash loop that looks like a bug in the app.",
	.fix = "Add a startupProbe (or initialDelaySeconds) that covers the worst start time.",
	.check_container = slow_start,
};

static void restart_policy(pl_scan *s, const pl_container *c)
{
	if (!strcmp(c->source_kind, "k8s") || !c->long_running || c->init)
		return;
	if (!c->restart.v)
		pl_emit_origin(s, &c->at, -1, "docker-bench-5.15", NULL,
			       "%s has no restart policy: after a crash or a reboot it stays down",
			       c->target);
	else if (!strcmp(c->restart.v, "no") || !strcmp(c->restart.v, "none"))
		pl_emit_origin(s, &c->restart.at, -1, "docker-bench-5.15", NULL,
			       "%s has restart: %s: after a crash or a reboot it stays down",
			       c->target, c->restart.v);
}

const pl_rule rule_PL408 = {
	.code = "PL408", .slug = "restart-policy-missing", .severity = SEV_LOW,
	.inputs = IN_C | IN_L,
	.aka = "docker-bench-5.15",
	.summary = "No restart policy (or 'no') for a long-running service.",
	.why = "Processes crash and hosts reboot; without a policy the service stays down until "
	       "someone notices.",
	.fix = "restart: unless-stopped (or on-failure with a retry limit).",
	.fix_live = "docker update --restart unless-stopped <container> (in place), and set it where the "
		    "container is defined.",
	.check_container = restart_policy,
};

static bool backed_by_service(const pl_k8s_set *set, const pl_container *c)
{
	for (size_t i = 0; i < set->nobjects; i++)
		if (set->objects[i].kind == K8S_SERVICE && pl_k8s_selects(&set->objects[i], c))
			return true;
	return false;
}

static void set_readiness(pl_scan *s, const pl_k8s_set *set)
{
	for (size_t i = 0; i < set->ncontainers; i++) {
		const pl_container *c = &set->containers[i];
		if (c->init || !c->long_running || c->readiness.set || !backed_by_service(set, c))
			continue;
		s->target = c->target;
		pl_emit_origin(s, &c->at, -1, "KSV-0111 no-readiness-probe CKV_K8S_9", NULL,
			       "%s backs a Service but has no readiness probe: it receives traffic "
			       "before it can serve", c->target);
		s->target = NULL;
	}
}

const pl_rule rule_PL405 = {
	.code = "PL405", .slug = "readiness-probe-missing", .severity = SEV_MEDIUM, .inputs = IN_K,
	.aka = "KSV-0111 no-readiness-probe CKV_K8S_9",
	.summary = "A container of a Service-backed workload has no readiness probe.",
	.why = "Without a readiness probe a pod gets traffic the moment it starts and keeps "
	       "getting it while it cannot serve: every deploy and every hiccup drops requests.",
	.fix = "Add readinessProbe that checks the pod can serve (its dependencies included).",
	.check_k8s_set = set_readiness,
};

static void set_replicas(pl_scan *s, const pl_k8s_set *set)
{
	for (size_t w = 0; w < set->nworkloads; w++) {
		const pl_k8s_workload *wl = &set->workloads[w];
		if ((strcmp(wl->kind, "Deployment") && strcmp(wl->kind, "StatefulSet")) || !wl->n)
			continue;
		const pl_container *c = &set->containers[wl->first];
		double replicas = c->replicas.set ? c->replicas.v : 1;
		/* An HPA that scales the workload owns its replica count: its minReplicas is the
		 * floor (spec.replicas is only the start, and is often left out on purpose). */
		const pl_k8s_object *hpa = NULL;
		for (size_t i = 0; i < set->nobjects && !hpa; i++) {
			const pl_k8s_object *o = &set->objects[i];
			if (o->kind == K8S_HPA && o->target_kind && o->target_name &&
			    !strcmp(o->target_kind, wl->kind) && !strcmp(o->target_name, wl->name) &&
			    !strcmp(o->namespace_, wl->namespace_))
				hpa = o;
		}
		if (hpa && hpa->min_replicas.v < 2) {
			pl_emit_origin(s, hpa->min_replicas.set ? &hpa->min_replicas.at : &hpa->at, -1,
				       "kube-score-deployment-replicas", NULL,
				       "%s/%s is scaled by HorizontalPodAutoscaler %s down to %g replica: "
				       "a node drain or a crash takes it down", wl->kind, wl->name,
				       hpa->name, hpa->min_replicas.v);
			continue;
		}
		if (hpa)
			replicas = hpa->min_replicas.v;
		if (replicas < 2) {
			pl_emit_origin(s, c->replicas.set ? &c->replicas.at : &wl->at, -1,
				       "kube-score-deployment-replicas", NULL,
				       "%s/%s runs %g replica: a node drain or a crash takes it down",
				       wl->kind, wl->name, replicas);
			continue;
		}
		bool pdb = false;
		for (size_t i = 0; i < set->nobjects && !pdb; i++)
			pdb = set->objects[i].kind == K8S_PDB && pl_k8s_selects(&set->objects[i], c);
		if (!pdb)
			pl_emit_origin(s, &wl->at, -1, "kube-score-pod-disruption-budget "
				       "no-pod-disruption-budget", NULL,
				       "%s/%s has no PodDisruptionBudget in the input: a node drain may "
				       "evict all its replicas at once", wl->kind, wl->name);
	}
}

const pl_rule rule_PL409 = {
	.code = "PL409", .slug = "single-replica", .severity = SEV_INFO, .inputs = IN_K,
	.aka = "kube-score-deployment-replicas kube-score-pod-disruption-budget",
	.summary = "A Deployment or StatefulSet with fewer than 2 replicas, or without a "
		   "PodDisruptionBudget in the same input set.",
	.why = "One replica means downtime on every node maintenance; without a PDB a drain can "
	       "evict every replica at once.",
	.fix = "replicas: 2 or more, and a PodDisruptionBudget with minAvailable: 1.",
	.check_k8s_set = set_replicas,
};
