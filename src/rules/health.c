/* health.c - catalog section 4 in a Dockerfile: PL401 healthcheck-missing, PL402
 * healthcheck-without-start-period, PL403 healthcheck-timing. */
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

const pl_rule rule_PL401 = {
	.code = "PL401", .slug = "healthcheck-missing", .severity = SEV_MEDIUM,
	.inputs = IN_D | IN_C | IN_I | IN_L,
	.aka = "DL3057 CKV_DOCKER_2 AVD-DS-0026 CIS-DI-0006",
	.summary = "A long-running service has no health check.",
	.why = "Without a health check, a service that deadlocks or loses its database keeps "
	       "receiving traffic: orchestrators only see that the process is alive.",
	.fix = "Add HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD "
	       "[\"/app\", \"healthcheck\"] (exec form, no curl needed if the app can probe itself).",
	.check_dockerfile = check_missing,
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
	.check_dockerfile = check_start_period,
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
	.check_dockerfile = check_timing,
};
