/* live.c - `plimsoll live [CONTAINER...]`: audit the running containers of a Docker Engine.
 *
 * The engine client (live/engine.c) connects and negotiates, the audit (live/audit.c)
 * reads every container into the live model, the engine runs the L rules on each, and the
 * report is written as scan writes it. --watch then follows the events stream and
 * re-audits a container when it starts, is updated or changes health, printing only
 * findings not printed before; Ctrl-C (or SIGTERM) ends it cleanly. */
#include "cli/cli.h"
#include "cli/options.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "engine/runtime.h"
#include "live/audit.h"
#include "live/engine.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *to)
{
	fprintf(to,
		"usage: plimsoll live [options] [CONTAINER...]\n"
		"  Audit running containers (all, or those named by name or id) through the\n"
		"  Docker Engine API: settings, drift, exec sessions, health, logs, metrics.\n\n%s"
		"  -H, --host URL    the engine: unix:///path, tcp://host:port (default\n"
		"                    $DOCKER_HOST, else unix:///var/run/docker.sock); TLS client\n"
		"                    certificates from $DOCKER_CERT_PATH with --tls or\n"
		"                    $DOCKER_TLS_VERIFY\n"
		"  --tls             use TLS with client certificates for tcp://\n"
		"  --filter K=V      as docker ps --filter: label=tier=web, name=api (repeatable)\n"
		"  --since WHEN      exec sessions since WHEN (unix time, RFC 3339, or 30m, 2h, 7d\n"
		"                    ago); default: since each container started\n"
		"  --log-lines N     recent log lines judged per container (default 100)\n"
		"  --log-field F=N1,N2  names a JSON log field may have (F: timestamp, level,\n"
		"                    message, service, correlation); replaces the defaults\n"
		"  --metrics-path P  where metrics are served (default: the prometheus.io/path\n"
		"                    label, else /metrics)\n"
		"  --metrics-timeout S  seconds to wait for a metrics endpoint (default 2)\n"
		"  --timeout S       seconds per Engine API request (default 5)\n"
		"  --jobs N          containers read in parallel (default 8)\n"
		"  --watch           keep running: re-audit containers as they start or change,\n"
		"                    print new findings; Ctrl-C ends\n"
		"  --record DIR      also write every API response to DIR (fixtures, bug reports)\n"
		"  --replay DIR      read the responses from DIR instead of an engine\n",
		cli_common_usage);
}

/* "2", "0.5": milliseconds, or -1 when not a number of seconds from 0.1 to 600. */
static long seconds_ms(const char *v)
{
	char *end;
	double s = strtod(v, &end);
	if (end == v || *end || !(s >= 0.1 && s <= 600))
		return -1;
	return (long)(s * 1000);
}

static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

_Static_assert(DL_NFIELDS == PL_LOG_FIELDS, "the config's log fields are the judge's");

/* --log-field level=severity,lvl: one NULL-terminated list per field, in `keep`. */
static int log_field(dl_fields *f, bool *cli_set, const char *spec, char ***keep, size_t *nkeep)
{
	const char *eq = strchr(spec, '=');
	int which = -1;
	for (int i = 0; eq && i < DL_NFIELDS; i++)
		if ((size_t)(eq - spec) == strlen(dl_field_label[i]) &&
		    !strncmp(spec, dl_field_label[i], (size_t)(eq - spec)))
			which = i;
	if (eq && which < 0 && !strncmp(spec, "correlation=", 12))
		which = DL_CORRELATION;
	if (which < 0 || !eq[1] || cli_set[which])
		return -1;
	cli_set[which] = true;
	size_t n = 1;
	for (const char *p = eq + 1; *p; p++)
		n += *p == ',';
	char **names = xcalloc(n + 1, sizeof *names);
	char *copy = xstrdup(eq + 1);
	size_t k = 0;
	for (char *tok, *save = NULL, *p = copy; (tok = strtok_r(p, ",", &save)); p = NULL)
		names[k++] = tok;
	*keep = xrealloc(*keep, (*nkeep + 2) * sizeof **keep);
	(*keep)[(*nkeep)++] = (char *)names;
	(*keep)[(*nkeep)++] = copy;
	f->names[which] = (const char *const *)names;
	return 0;
}

/* Audit (all or the given containers) and add their findings to out; files gets each
 * container's location. Returns 0, 2 when a named container could not be read, -1 when
 * the audit could not start. */
static int audit(pl_engine *e, const pl_config *cfg, const pl_audit_opts *o, pl_findings *out,
		 char ***files, size_t *nfiles)
{
	pl_audit a;
	char err[512];
	if (pl_audit_run(e, o, &a, err, sizeof err) < 0) {
		fprintf(stderr, "plimsoll live: %s: %s\n", pl_engine_endpoint(e), err);
		return -1;
	}
	for (size_t i = 0; i < a.nnotes; i++)
		fprintf(stderr, "plimsoll live: note: %s\n", a.notes[i]);
	for (size_t i = 0; i < a.n; i++) {
		pl_audit_slot *s = &a.slots[i];
		if (s->note)
			fprintf(stderr, "plimsoll live: %s container %s: %s\n",
				s->ok ? "warning:" : "error:", s->live.name, s->note);
		if (!s->ok)
			continue;
		pl_findings one = {0};
		pl_scan_live(cfg, &s->live, &one);
		pl_findings_sort(&one);
		for (size_t k = 0; k < one.n; k++)
			*pl_findings_add(out) = one.v[k];
		free(one.v);
		buf loc = BUF_INIT;
		buf_printf(&loc, "container:%s", s->live.name);
		*files = xrealloc(*files, (*nfiles + 1) * sizeof **files);
		(*files)[(*nfiles)++] = buf_detach(&loc, NULL);
	}
	int rc = a.failed ? 2 : 0;
	pl_audit_free(&a);
	return rc;
}

typedef struct watch {
	pl_engine *e;
	const pl_config *cfg;
	const pl_audit_opts *o;
	const cli_common *co;
	pl_findings seen;     /* every finding printed so far (file, code, message) */
	int rc;
} watch;

/* The same finding again, counts aside: "4 of its last 4 log lines" after a restart is
 * what "9 of its last 9" said. */
static bool same_shape(const char *a, const char *b)
{
	while (*a && *b) {
		bool da = *a >= '0' && *a <= '9', db = *b >= '0' && *b <= '9';
		if (da && db) {
			while (*a >= '0' && *a <= '9')
				a++;
			while (*b >= '0' && *b <= '9')
				b++;
			continue;
		}
		if (*a++ != *b++)
			return false;
	}
	return !*a && !*b;
}

static bool seen_before(const pl_findings *seen, const pl_finding *f)
{
	for (size_t i = 0; i < seen->n; i++)
		if (seen->v[i].rule == f->rule && !strcmp(seen->v[i].file, f->file) &&
		    same_shape(seen->v[i].message, f->message))
			return true;
	return false;
}

static void remember(pl_findings *seen, const pl_finding *f)
{
	pl_finding *c = pl_findings_add(seen);
	c->rule = f->rule;
	c->file = xstrdup(f->file);
	c->message = xstrdup(f->message);
}

/* One event from the stream: a container started, was updated or changed health. */
static int on_event(void *ud, const char *line, size_t len)
{
	watch *w = ud;
	json_t *ev = json_loadb(line, len, 0, NULL);
	const char *action = json_string_value(json_object_get(ev, "Action"));
	const char *id = json_string_value(json_object_get(json_object_get(ev, "Actor"), "ID"));
	bool wanted = action && id &&
		      (!strcmp(action, "start") || !strcmp(action, "update") ||
		       !strncmp(action, "health_status", 13) || !strcmp(action, "restart"));
	/* only the containers the command line asked for: named ones by name or id prefix,
	 * filtered ones through the same filters plus the id (docker ps --filter id=...) */
	const char *name = json_string_value(
		json_object_get(json_object_get(json_object_get(ev, "Actor"), "Attributes"), "name"));
	if (wanted && w->o->nnames) {
		bool named = false;
		for (size_t i = 0; i < w->o->nnames && !named; i++)
			named = (name && !strcmp(w->o->names[i], name)) ||
				!strncmp(id, w->o->names[i], strlen(w->o->names[i]));
		wanted = named;
	}
	if (wanted) {
		pl_audit_opts one = *w->o;
		const char **filters = xcalloc(w->o->nfilters + 2, sizeof *filters);
		buf idf = BUF_INIT;
		buf_printf(&idf, "id=%s", id);
		const char *names[1] = {id};
		if (w->o->nfilters) {
			memcpy(filters, w->o->filters, w->o->nfilters * sizeof *filters);
			filters[w->o->nfilters] = buf_str(&idf);
			one.filters = filters;
			one.nfilters = w->o->nfilters + 1;
			one.nnames = 0;
		} else {
			one.names = names;
			one.nnames = 1;
		}
		pl_findings all = {0}, fresh = {0};
		char **files = NULL;
		size_t nfiles = 0;
		audit(w->e, w->cfg, &one, &all, &files, &nfiles);
		for (size_t i = 0; i < all.n; i++) {
			if (seen_before(&w->seen, &all.v[i]))
				continue;
			remember(&w->seen, &all.v[i]);
			*pl_findings_add(&fresh) = all.v[i];
			memset(&all.v[i], 0, sizeof all.v[i]);
		}
		if (fresh.n) {
			cli_common quiet = *w->co;
			quiet.quiet = true; /* no summary line per event */
			int rc = cli_common_report(&quiet, w->cfg, &fresh, (const char *const *)files,
						   nfiles);
			if (rc > w->rc)
				w->rc = rc;
		}
		pl_findings_free(&fresh);
		pl_findings_free(&all);
		free(filters);
		buf_free(&idf);
		for (size_t i = 0; i < nfiles; i++)
			free(files[i]);
		free(files);
	}
	json_decref(ev);
	return stop != 0;
}

int cmd_live(int argc, char **argv)
{
	cli_common co;
	cli_common_init(&co, "live", argc);
	co.unit = "container";
	pl_engine_opts eo = {.tls = -1};
	pl_audit_opts ao = {0};
	const char **names = xcalloc((size_t)argc + 1, sizeof *names);
	const char **filters = xcalloc((size_t)argc + 1, sizeof *filters);
	size_t nnames = 0, nfilters = 0;
	dl_fields fields = dl_default_fields;
	bool cli_set[DL_NFIELDS] = {false};
	char **keep = NULL;
	size_t nkeep = 0;
	bool watch_mode = false;
	int rc = 2;
	pl_config cfg;
	pl_config_init(&cfg);
	pl_engine *e = NULL;
	pl_findings all = {0};
	char **files = NULL;
	size_t nfiles = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
#define OPT(name) cli_opt(argc, argv, &i, name, &v)
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			rc = 0;
			goto out;
		} else if (cli_common_opt(&co, argc, argv, &i)) {
			continue;
		} else if (OPT("--host") || OPT("-H")) {
			eo.host = v;
		} else if (!strcmp(a, "--tls")) {
			eo.tls = 1;
		} else if (OPT("--filter")) {
			if (!strchr(v, '=')) {
				fprintf(stderr, "plimsoll live: --filter wants KEY=VALUE, got '%s'\n", v);
				goto out;
			}
			filters[nfilters++] = v;
		} else if (OPT("--since")) {
			if (pl_audit_parse_since(v, 1LL << 40) < 0) {
				fprintf(stderr, "plimsoll live: --since wants a unix time, an RFC 3339 "
						"time or a duration (30m, 2h), not '%s'\n", v);
				goto out;
			}
			ao.since = v;
		} else if (OPT("--log-lines")) {
			ao.log_lines = atoi(v);
			if (ao.log_lines < 1 || ao.log_lines > 10000) {
				fprintf(stderr, "plimsoll live: --log-lines wants 1 to 10000\n");
				goto out;
			}
		} else if (OPT("--log-field")) {
			if (log_field(&fields, cli_set, v, &keep, &nkeep) < 0) {
				fprintf(stderr, "plimsoll live: --log-field wants FIELD=NAME[,NAME...] "
						"with FIELD one of timestamp, level, message, service, "
						"correlation, once each; got '%s'\n", v);
				goto out;
			}
		} else if (OPT("--metrics-path")) {
			ao.metrics_path = v;
		} else if (OPT("--metrics-timeout") || OPT("--timeout")) {
			long ms = seconds_ms(v);
			if (ms < 0) {
				fprintf(stderr, "plimsoll live: %.*s wants seconds from 0.1 to 600, not "
						"'%s'\n", (int)strcspn(a, "="), a, v);
				goto out;
			}
			if (!strncmp(a, "--metrics", 9))
				ao.metrics_timeout_ms = ms;
			else
				eo.timeout_ms = ms;
		} else if (OPT("--jobs") || OPT("-j")) {
			ao.jobs = atoi(v);
			if (ao.jobs < 1 || ao.jobs > 64) {
				fprintf(stderr, "plimsoll live: --jobs wants 1 to 64\n");
				goto out;
			}
		} else if (!strcmp(a, "--watch")) {
			watch_mode = true;
		} else if (OPT("--record")) {
			eo.record_dir = v;
		} else if (OPT("--replay")) {
			eo.replay_dir = v;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "plimsoll live: unknown or incomplete option '%s'\n", a);
			usage(stderr);
			goto out;
		} else {
			names[nnames++] = a;
		}
#undef OPT
	}
	if (cli_common_check_format(&co) < 0 || cli_common_config(&co, &cfg, ".") < 0)
		goto out;
	/* .plimsoll.yml live: where the command line said nothing */
	if (!ao.log_lines && cfg.live_log_lines > 0)
		ao.log_lines = cfg.live_log_lines;
	if (!ao.metrics_path)
		ao.metrics_path = cfg.live_metrics_path;
	for (int f = 0; f < DL_NFIELDS; f++) {
		if (cli_set[f] || !cfg.nlive_log_fields[f])
			continue;
		char **list = xcalloc(cfg.nlive_log_fields[f] + 1, sizeof *list);
		memcpy(list, cfg.live_log_fields[f], cfg.nlive_log_fields[f] * sizeof *list);
		keep = xrealloc(keep, (nkeep + 1) * sizeof *keep);
		keep[nkeep++] = (char *)list; /* the names themselves belong to cfg */
		fields.names[f] = (const char *const *)list;
	}
	ao.names = names;
	ao.nnames = nnames;
	ao.filters = filters;
	ao.nfilters = nfilters;
	ao.fields = &fields;
	ao.progress = !co.quiet && isatty(STDERR_FILENO);
	char err[512];
	if (pl_engine_open(&e, &eo, err, sizeof err) < 0) {
		fprintf(stderr, "plimsoll live: %s\n", err);
		goto out;
	}
	int arc = audit(e, &cfg, &ao, &all, &files, &nfiles);
	if (arc < 0)
		goto out;
	if (!watch_mode) {
		rc = cli_common_report(&co, &cfg, &all, (const char *const *)files, nfiles);
		if (arc > rc)
			rc = arc;
		goto out;
	}

	/* --watch: the first audit as usual, then new findings as containers change */
	watch w = {.e = e, .cfg = &cfg, .o = &ao, .co = &co};
	w.rc = cli_common_report(&co, &cfg, &all, (const char *const *)files, nfiles);
	for (size_t i = 0; i < all.n; i++)
		remember(&w.seen, &all.v[i]);
	fflush(stdout);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!co.quiet)
		fprintf(stderr, "plimsoll live: watching %s for container changes (Ctrl-C ends)\n",
			pl_engine_endpoint(e));
	const char *path = "/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D";
	while (!stop) {
		if (pl_engine_stream(e, path, 0, on_event, &w, &stop, err, sizeof err) < 0) {
			fprintf(stderr, "plimsoll live: the events stream: %s\n", err);
			break;
		}
		if (eo.replay_dir)
			break; /* a recording ends */
		if (!stop)
			sleep(1); /* the engine closed the stream (restart): follow it again */
	}
	rc = stop || eo.replay_dir ? w.rc : 2;
	pl_findings_free(&w.seen);
out:
	if (e)
		pl_engine_close(e);
	pl_findings_free(&all);
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	for (size_t i = 0; i < nkeep; i++)
		free(keep[i]);
	free(keep);
	free(names);
	free(filters);
	pl_config_free(&cfg);
	cli_common_free(&co);
	return rc;
}
