/* audit.c - one pass over a Docker Engine: every running container into the live model.
 *
 * The requests per container are independent and the Engine answers them concurrently,
 * so containers are read by a small pool of threads (I/O-bound: more threads than cores).
 * Bounds: every body has a cap (inspect 4 MiB, logs 8 MiB, events 4 MiB), every request
 * the engine client's timeout; the metrics endpoint is scrape.c's. */
#include "live/audit.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "live/inspect.h"
#include "live/scrape.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define INSPECT_MAX (4u << 20)
#define LOGS_MAX    (8u << 20)
#define EVENTS_MAX  (4u << 20)

static void note(pl_audit_slot *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(pl_audit_slot *s, const char *fmt, ...)
{
	buf b = BUF_INIT;
	if (s->note) {
		buf_adds(&b, s->note);
		buf_adds(&b, "; ");
		free(s->note);
	}
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	s->note = buf_detach(&b, NULL);
}

static void url_escape(buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("-._~", c))
			buf_addc(b, (char)c);
		else
			buf_printf(b, "%%%02X", c);
	}
}

/* The Engine's message for an error status ({"message": "..."}), or the status. */
static const char *engine_message(const pl_http_resp *r, char *tmp, size_t n)
{
	json_t *j = json_loadb(r->body ? r->body : "", r->len, 0, NULL);
	const char *m = json_string_value(json_object_get(j, "message"));
	snprintf(tmp, n, "%s (HTTP %ld)", m ? m : "unexpected answer", r->status);
	json_decref(j);
	return tmp;
}

/* RFC 3339 ("2026-11-28T09:47:30.123456789Z", offsets too) to unix seconds; -1 if not. */
static long long rfc3339(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *p = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	if (!p)
		return -1;
	long long t = (long long)timegm(&tm);
	if (*p == '.')
		p += 1 + strspn(p + 1, "0123456789");
	if ((*p == '+' || *p == '-') && strlen(p) >= 6 && p[3] == ':') {
		int off = atoi(p + 1) * 3600 + atoi(p + 4) * 60;
		t += *p == '+' ? -off : off;
	} else if (*p != 'Z' && *p != 'z') {
		return -1;
	}
	return t;
}

long long pl_audit_parse_since(const char *s, long long now)
{
	if (!s || !*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s))
		return strlen(s) > 12 ? -1 : atoll(s);
	long long t = rfc3339(s);
	if (t >= 0)
		return t;
	/* a duration as Go writes them: 90s, 30m, 2h, 1h30m, 7d is not Go's but common */
	long long total = 0;
	const char *p = s;
	while (*p) {
		char *end;
		long long v = strtoll(p, &end, 10);
		if (end == p || v < 0 || v > 100000000)
			return -1;
		long long unit = *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600
			       : *end == 'd' ? 86400 : 0;
		if (!unit)
			return -1;
		total += v * unit;
		p = end + 1;
	}
	return now - total;
}

/* --- one container --------------------------------------------------------------------- */

typedef struct job {
	pl_engine *e;
	const pl_audit_opts *o;
	pl_audit *a;
	char **ids;
	bool engine_local;           /* the engine runs here: container IPs are reachable */
	const char *engine_host;     /* for tcp:// engines, where published ports are */
	atomic_size_t next;
	atomic_size_t done;
} job;

/* The command a health probe runs, as exec_start events spell it. */
static void probe_cmd(const pl_container *c, char *out, size_t n)
{
	out[0] = '\0';
	const char *w = c->health.set && !c->health.disabled ? c->health.what : NULL;
	if (!w)
		return;
	if (!strncmp(w, "CMD-SHELL ", 10))
		snprintf(out, n, "/bin/sh -c %s", w + 10);
	else if (!strncmp(w, "CMD ", 4))
		snprintf(out, n, "%s", w + 4);
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/' || n == 1);
}

static void read_changes(job *j, pl_audit_slot *s)
{
	pl_live *l = &s->live;
	char path[256], err[256], msg[512];
	snprintf(path, sizeof path, "/containers/%s/changes", l->id);
	pl_http_resp r = {0};
	if (pl_engine_get(j->e, path, INSPECT_MAX, &r, err, sizeof err) < 0) {
		note(s, "changes: %s", err);
		return;
	}
	/* "null" when nothing changed */
	json_t *arr = r.status == 200 ? json_loadb(r.body, r.len, JSON_DECODE_ANY, NULL) : NULL;
	if (r.status != 200 || (!json_is_array(arr) && !json_is_null(arr)) || r.truncated) {
		note(s, "changes: %s", r.status == 200 ? "not a JSON list" : engine_message(&r, msg, sizeof msg));
		json_decref(arr);
		pl_http_resp_free(&r);
		return;
	}
	static const char *const scratch[] = {"/tmp", "/var/tmp", "/run", "/var/run", "/dev/shm",
					      "/var/cache"};
	size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
	l->changes = arena_alloc(&s->mem, (n + 1) * sizeof *l->changes);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(arr, i);
		const char *p = json_string_value(json_object_get(e, "Path"));
		json_t *k = json_object_get(e, "Kind");
		if (!p || !json_is_integer(k) || json_integer_value(k) < 0 || json_integer_value(k) > 2)
			continue;
		bool skip = false;
		for (size_t m = 0; m < sizeof scratch / sizeof *scratch && !skip; m++)
			skip = under(p, scratch[m]);
		/* per-user caches (~/.cache, /root/.cache): written by whatever runs there */
		const char *cache = strstr(p, "/.cache");
		skip = skip || (cache && (cache[7] == '\0' || cache[7] == '/'));
		for (size_t m = 0; m < l->c.nmounts && !skip; m++)
			skip = l->c.mounts[m].target && under(p, l->c.mounts[m].target);
		/* a directory listed only because something below it changed is not news */
		for (size_t o = 0; o < n && !skip; o++) {
			const char *q = json_string_value(json_object_get(json_array_get(arr, o), "Path"));
			skip = o != i && q && strlen(q) > strlen(p) && under(q, p) &&
			       json_integer_value(k) != CHANGE_DELETED;
		}
		if (skip)
			continue;
		l->changes[l->nchanges].path = arena_strdup(&s->mem, p);
		l->changes[l->nchanges++].kind = (pl_change_kind)json_integer_value(k);
	}
	l->changes_known = true;
	json_decref(arr);
	pl_http_resp_free(&r);
}

static void read_logs(job *j, pl_audit_slot *s)
{
	pl_live *l = &s->live;
	char path[256], err[256], msg[512];
	int tail = j->o->log_lines > 0 ? j->o->log_lines : 100;
	snprintf(path, sizeof path, "/containers/%s/logs?stdout=1&stderr=1&tail=%d", l->id, tail);
	pl_http_resp r = {0};
	if (pl_engine_get(j->e, path, LOGS_MAX, &r, err, sizeof err) < 0) {
		note(s, "logs: %s", err);
		return;
	}
	if (r.status == 200) {
		dl_analyze((const unsigned char *)r.body, r.len, l->tty,
			   j->o->fields ? j->o->fields : &dl_default_fields, &l->logs);
		l->logs_known = true;
		l->logs_tail = (size_t)tail;
	} else if (r.status == 501 || r.status == 400) {
		/* a driver that cannot be read back (syslog, fluentd, ...): the logs left the
		 * host, which is fine; their shape cannot be judged from here */
		l->logs_driver = l->c.log_driver.v;
	} else {
		note(s, "logs: %s", engine_message(&r, msg, sizeof msg));
	}
	pl_http_resp_free(&r);
}

static void read_execs(job *j, pl_audit_slot *s)
{
	pl_live *l = &s->live;
	char probe[1024];
	probe_cmd(&l->c, probe, sizeof probe);
	size_t keep = 0;
	for (size_t i = 0; i < l->nexecs; i++) {
		char path[256], err[256];
		snprintf(path, sizeof path, "/exec/%s/json", l->execs[i].id);
		pl_http_resp r = {0};
		json_t *x = NULL;
		if (pl_engine_get(j->e, path, INSPECT_MAX, &r, err, sizeof err) == 0 && r.status == 200)
			x = json_loadb(r.body, r.len, 0, NULL);
		if (r.status == 404) {
			/* ended since the inspect (health probes come and go every few
			 * seconds): the events say whether it was a session */
			pl_http_resp_free(&r);
			continue;
		}
		json_t *pc = json_object_get(x, "ProcessConfig");
		buf cmd = BUF_INIT;
		const char *ep = json_string_value(json_object_get(pc, "entrypoint"));
		if (ep)
			buf_adds(&cmd, ep);
		json_t *args = json_object_get(pc, "arguments");
		for (size_t k = 0; json_is_array(args) && k < json_array_size(args); k++)
			if (json_string_value(json_array_get(args, k)))
				buf_printf(&cmd, " %s", json_string_value(json_array_get(args, k)));
		bool is_probe = *probe && cmd.len && !strcmp(buf_str(&cmd), probe);
		if (!is_probe) {
			l->execs[keep] = l->execs[i];
			if (cmd.len)
				l->execs[keep].cmd = arena_strdup(&s->mem, buf_str(&cmd));
			keep++;
		}
		buf_free(&cmd);
		json_decref(x);
		pl_http_resp_free(&r);
	}
	l->nexecs = keep;
}

static void read_one(job *j, size_t i)
{
	pl_audit_slot *s = &j->a->slots[i];
	arena_init(&s->mem);
	char err[256], msg[512];
	buf p = BUF_INIT;
	buf_adds(&p, "/containers/");
	url_escape(&p, j->ids[i]);
	buf_adds(&p, "/json");
	pl_http_resp r = {0};
	int rc = pl_engine_get(j->e, buf_str(&p), INSPECT_MAX, &r, err, sizeof err);
	buf_free(&p);
	if (rc < 0) {
		note(s, "%s", err);
		return;
	}
	if (r.status == 404) {
		note(s, "no such container (it may have been removed during the audit)");
		pl_http_resp_free(&r);
		return;
	}
	if (r.status != 200 || r.truncated ||
	    pl_live_from_inspect(&s->mem, r.body, r.len, &s->live, err, sizeof err) < 0) {
		note(s, "%s", r.status != 200 ? engine_message(&r, msg, sizeof msg) : r.truncated ? "inspect answer too large" : err);
		pl_http_resp_free(&r);
		return;
	}
	pl_http_resp_free(&r);
	const char *type = pl_live_label(&s->live.c, "io.kubernetes.docker.type");
	if (!j->o->nnames && type && !strcmp(type, "podsandbox")) {
		/* the pause container the kubelet (dockershim, cri-dockerd) holds a pod's
		 * namespaces with: its settings are the kubelet's, not a workload's */
		s->skipped = true;
		return;
	}
	s->ok = true;
	read_changes(j, s);
	read_execs(j, s);
	read_logs(j, s);
	pl_scrape_opts so = {.path = j->o->metrics_path, .timeout_ms = j->o->metrics_timeout_ms,
			     .engine_local = j->engine_local, .engine_host = j->engine_host};
	pl_scrape(j->e, &so, &s->mem, &s->live);
}

static void *worker(void *arg)
{
	job *j = arg;
	for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->a->n;) {
		read_one(j, i);
		atomic_fetch_add(&j->done, 1);
	}
	return NULL;
}

/* --- the whole engine ------------------------------------------------------------------ */

static int list_containers(pl_engine *e, const pl_audit_opts *o, char ***ids, size_t *n,
			   char *err, size_t errlen)
{
	buf q = BUF_INIT;
	buf_adds(&q, "/containers/json");
	if (o->nfilters) {
		/* docker ps --filter k=v: {"k": ["v", ...]} */
		json_t *f = json_object();
		for (size_t i = 0; i < o->nfilters; i++) {
			const char *eq = strchr(o->filters[i], '=');
			char key[64];
			snprintf(key, sizeof key, "%.*s", eq ? (int)(eq - o->filters[i]) : 0, o->filters[i]);
			json_t *arr = json_object_get(f, key);
			if (!arr)
				json_object_set_new(f, key, arr = json_array());
			json_array_append_new(arr, json_string(eq + 1));
		}
		char *js = json_dumps(f, JSON_COMPACT | JSON_SORT_KEYS);
		buf_adds(&q, "?filters=");
		url_escape(&q, js);
		free(js);
		json_decref(f);
	}
	pl_http_resp r = {0};
	char msg[512];
	int rc = pl_engine_get(e, buf_str(&q), INSPECT_MAX * 4, &r, err, errlen);
	buf_free(&q);
	if (rc < 0)
		return -1;
	json_t *arr = r.status == 200 && !r.truncated ? json_loadb(r.body, r.len, 0, NULL) : NULL;
	if (!json_is_array(arr)) {
		snprintf(err, errlen, "the container list: %s",
			 r.status == 200 ? "not a JSON list" : engine_message(&r, msg, sizeof msg));
		json_decref(arr);
		pl_http_resp_free(&r);
		return -1;
	}
	*ids = xcalloc(json_array_size(arr) + 1, sizeof **ids);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *id = json_string_value(json_object_get(json_array_get(arr, i), "Id"));
		if (id)
			(*ids)[(*n)++] = xstrdup(id);
	}
	json_decref(arr);
	pl_http_resp_free(&r);
	return 0;
}

/* exec_start events between since and until, matched to the audited containers. Health
 * probes run as execs too and are not sessions: their command is the health check's. */
static void read_events(pl_engine *e, pl_audit *a, long long since, long long until)
{
	char path[512], err[256];
	buf q = BUF_INIT;
	url_escape(&q, "{\"event\":[\"exec_start\"],\"type\":[\"container\"]}");
	snprintf(path, sizeof path, "/events?since=%lld&until=%lld&filters=%s", since, until,
		 buf_str(&q));
	buf_free(&q);
	pl_http_resp r = {0};
	if (pl_engine_get(e, path, EVENTS_MAX, &r, err, sizeof err) < 0 || r.status != 200) {
		a->notes = xrealloc(a->notes, (a->nnotes + 1) * sizeof *a->notes);
		buf m = BUF_INIT;
		buf_printf(&m, "exec sessions that ended are not known: the events could not be read (%s)",
			   r.status ? "engine error" : err);
		a->notes[a->nnotes++] = buf_detach(&m, NULL);
		pl_http_resp_free(&r);
		return;
	}
	for (size_t off = 0; off < r.len;) {
		const char *nl = memchr(r.body + off, '\n', r.len - off);
		size_t end = nl ? (size_t)(nl - r.body) : r.len;
		json_t *ev = json_loadb(r.body + off, end - off, 0, NULL);
		off = end + 1;
		const char *action = json_string_value(json_object_get(ev, "Action"));
		json_t *actor = json_object_get(ev, "Actor");
		const char *cid = json_string_value(json_object_get(actor, "ID"));
		const char *xid = json_string_value(
			json_object_get(json_object_get(actor, "Attributes"), "execID"));
		if (!action || !cid || strncmp(action, "exec_start", 10)) {
			json_decref(ev);
			continue;
		}
		const char *cmd = action[10] == ':' ? action + 11 + (action[11] == ' ') : "";
		for (size_t i = 0; i < a->n; i++) {
			pl_audit_slot *s = &a->slots[i];
			pl_live *l = &s->live;
			if (!s->ok || strcmp(l->id, cid))
				continue;
			char probe[1024];
			probe_cmd(&l->c, probe, sizeof probe);
			bool dup = !strcmp(cmd, probe);
			for (size_t k = 0; k < l->nexecs && !dup; k++)
				dup = xid && l->execs[k].id && !strcmp(l->execs[k].id, xid);
			if (dup)
				break;
			l->execs = arena_grow(&s->mem, l->execs, l->nexecs, l->nexecs + 1, sizeof *l->execs);
			pl_exec *x = &l->execs[l->nexecs++];
			x->id = xid ? arena_strdup(&s->mem, xid) : NULL;
			x->cmd = arena_strdup(&s->mem, cmd);
			json_t *t = json_object_get(ev, "time");
			if (json_is_integer(t)) {
				time_t tt = (time_t)json_integer_value(t);
				struct tm tm;
				char when[32];
				gmtime_r(&tt, &tm);
				strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
				x->when = arena_strdup(&s->mem, when);
			}
			break;
		}
		json_decref(ev);
	}
	pl_http_resp_free(&r);
}

int pl_audit_run(pl_engine *e, const pl_audit_opts *o, pl_audit *a, char *err, size_t errlen)
{
	memset(a, 0, sizeof *a);
	/* the daemon's defaults and clock */
	long long now = (long long)time(NULL);
	pl_http_resp r = {0};
	char e2[256];
	if (pl_engine_get(e, "/info", INSPECT_MAX, &r, e2, sizeof e2) == 0 && r.status == 200) {
		json_t *info = json_loadb(r.body, r.len, 0, NULL);
		const char *d = json_string_value(json_object_get(info, "LoggingDriver"));
		if (d)
			a->daemon_log_driver = xstrdup(d);
		long long t = rfc3339(json_string_value(json_object_get(info, "SystemTime")));
		if (t > 0)
			now = t;
		json_decref(info);
	}
	pl_http_resp_free(&r);

	char **ids = NULL;
	size_t n = 0;
	if (o->nnames) {
		ids = xcalloc(o->nnames + 1, sizeof *ids);
		for (size_t i = 0; i < o->nnames; i++)
			ids[n++] = xstrdup(o->names[i]);
	} else if (list_containers(e, o, &ids, &n, err, errlen) < 0) {
		return -1;
	}
	a->n = n;
	a->slots = xcalloc(n + 1, sizeof *a->slots);
	const char *ep = pl_engine_endpoint(e);
	job j = {.e = e, .o = o, .a = a, .ids = ids,
		 .engine_local = !strncmp(ep, "unix://", 7) || !strncmp(ep, "replay:", 7)};
	char host[256] = "127.0.0.1";
	if (!strncmp(ep, "tcp://", 6) || !strncmp(ep, "http://", 7) || !strncmp(ep, "https://", 8)) {
		const char *h = strstr(ep, "://") + 3;
		size_t hn = h[0] == '[' ? strcspn(h + 1, "]") : strcspn(h, ":/");
		snprintf(host, sizeof host, "%.*s", (int)hn, h + (h[0] == '['));
		j.engine_local = !strcmp(host, "127.0.0.1") || !strcmp(host, "localhost") || !strcmp(host, "::1");
	}
	j.engine_host = host;
	atomic_init(&j.next, 0);
	atomic_init(&j.done, 0);
	size_t nth = (size_t)(o->jobs > 0 ? o->jobs : 8);
	if (nth > n)
		nth = n;
	pthread_t *th = xcalloc(nth + 1, sizeof *th);
	size_t started = 0;
	/* with a progress count the main thread only reports; else it reads too */
	bool progress = o->progress && n >= 10;
	for (size_t i = progress ? 0 : 1; i < nth; i++)
		if (pthread_create(&th[started], NULL, worker, &j) == 0)
			started++;
	if (progress && started) {
		while (atomic_load(&j.done) < n) {
			fprintf(stderr, "\rplimsoll live: %zu/%zu containers", atomic_load(&j.done), n);
			struct timespec ts = {0, 100 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		fprintf(stderr, "\r%40s\r", "");
	}
	worker(&j);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);

	/* exec sessions that already ended: the events since the earliest start */
	long long since = o->since ? pl_audit_parse_since(o->since, now) : -1;
	for (size_t i = 0; !o->since && i < n; i++) {
		long long t = a->slots[i].ok ? rfc3339(a->slots[i].live.started_at) : -1;
		if (t > 0 && (since < 0 || t < since))
			since = t;
	}
	if (since >= 0 && n)
		/* until the daemon's clock at the start, not later: the Engine holds the
		 * stream open until `until` has passed (now + 1 cost a second per audit) */
		read_events(e, a, since, now);
	size_t sandboxes = 0;
	for (size_t i = 0; i < n; i++) {
		sandboxes += a->slots[i].skipped;
		if (!a->slots[i].ok && !a->slots[i].skipped) {
			if (o->nnames)
				a->failed = true;
			if (!a->slots[i].live.name)
				a->slots[i].live.name = arena_strdup(&a->slots[i].mem, ids[i]);
		}
		a->slots[i].live.daemon_log_driver = a->daemon_log_driver;
		long long begun = a->slots[i].ok ? rfc3339(a->slots[i].live.started_at) : -1;
		a->slots[i].live.up_seconds = begun > 0 && now >= begun ? now - begun : -1;
		free(ids[i]);
	}
	free(ids);
	if (sandboxes) {
		buf m = BUF_INIT;
		buf_printf(&m, "%zu Kubernetes pod sandbox (pause) container%s not audited: the "
			       "kubelet's, not a workload", sandboxes, sandboxes == 1 ? "" : "s");
		a->notes = xrealloc(a->notes, (a->nnotes + 1) * sizeof *a->notes);
		a->notes[a->nnotes++] = buf_detach(&m, NULL);
	}
	return 0;
}

void pl_audit_free(pl_audit *a)
{
	for (size_t i = 0; i < a->n; i++) {
		prom_report_free(&a->slots[i].live.metrics);
		free(a->slots[i].note);
		arena_free(&a->slots[i].mem);
	}
	free(a->slots);
	for (size_t i = 0; i < a->nnotes; i++)
		free(a->notes[i]);
	free(a->notes);
	free(a->daemon_log_driver);
	memset(a, 0, sizeof *a);
}
