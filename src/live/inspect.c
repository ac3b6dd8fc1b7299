/* inspect.c - GET /containers/{id}/json into the live model.
 *
 * The Engine reports a container's effective settings: Config is the image's config merged
 * with what `docker run` or compose gave, HostConfig what the runtime enforces. Each value
 * keeps the API field it came from as its origin's `via`, so a finding says "(HostConfig.
 * Privileged)" where a compose finding names its file and line. Unknown or mistyped fields
 * are read as absent: an old or unusual engine gives fewer findings, never a crash. */
#include "live/inspect.h"
#include "core/buf.h"
#include "core/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *dup(arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static pl_origin api(const char *field)
{
	pl_origin o;
	memset(&o, 0, sizeof o);
	o.via = field;
	return o;
}

static void flag(pl_flag *f, json_t *o, const char *key, const char *field)
{
	json_t *v = json_object_get(o, key);
	if (json_is_boolean(v)) {
		f->v = json_is_true(v) ? TRI_TRUE : TRI_FALSE;
		f->at = api(field);
	}
}

static pl_num num(double v, const char *field)
{
	pl_num n;
	memset(&n, 0, sizeof n);
	n.v = v;
	n.set = true;
	n.at = api(field);
	return n;
}

static long long integer(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* Health check durations are nanoseconds; 0 means "the default". */
static pl_num duration(json_t *hc, const char *key, const char *field)
{
	long long ns = integer(hc, key);
	if (ns <= 0) {
		pl_num n;
		memset(&n, 0, sizeof n);
		n.v = -1;
		return n;
	}
	return num((double)ns / 1e9, field);
}

static const char **strings(arena *a, json_t *arr, size_t *n, pl_origin **at, const char *field)
{
	*n = 0;
	if (!json_is_array(arr) || !json_array_size(arr))
		return NULL;
	size_t cap = json_array_size(arr);
	const char **v = arena_alloc(a, cap * sizeof *v);
	if (at)
		*at = arena_alloc(a, cap * sizeof **at);
	for (size_t i = 0; i < cap; i++) {
		json_t *e = json_array_get(arr, i);
		if (!json_is_string(e))
			continue;
		if (at)
			(*at)[*n] = api(field);
		v[(*n)++] = arena_strdup(a, json_string_value(e));
	}
	return v;
}

/* "sha256:<64 hex>" or a bare 64-hex id: the container was started from an image id,
 * which is content-addressed (as pinned as a digest) and names no registry. */
static bool image_id(const char *s)
{
	if (!strncmp(s, "sha256:", 7))
		s += 7;
	size_t n = strspn(s, "0123456789abcdef");
	return n == 64 && !s[n];
}

static bool host_shared(const pl_container *c)
{
	return c->privileged.v == TRI_TRUE || c->host_pid.v == TRI_TRUE || c->host_ipc.v == TRI_TRUE;
}

static void security_opts(arena *a, pl_container *c, json_t *opts)
{
	for (size_t i = 0; json_is_array(opts) && i < json_array_size(opts); i++) {
		const char *o = json_string_value(json_array_get(opts, i));
		if (!o)
			continue;
		/* the CLI writes key=value; older engines and the API accept key:value too */
		char key[32];
		size_t k = strcspn(o, "=:");
		snprintf(key, sizeof key, "%.*s", (int)(k < 31 ? k : 31), o);
		const char *val = o[k] ? o + k + 1 : "";
		if (!strcmp(key, "no-new-privileges") && strcasecmp(val, "false")) {
			c->no_new_privileges.v = TRI_TRUE;
			c->no_new_privileges.at = api("HostConfig.SecurityOpt");
		} else if (!strcmp(key, "seccomp")) {
			c->seccomp.v = !strcmp(val, "unconfined") ? "unconfined" : "Localhost";
			c->seccomp.at = api("HostConfig.SecurityOpt");
		} else if (!strcmp(key, "apparmor")) {
			c->apparmor.v = arena_strdup(a, val);
			c->apparmor.at = api("HostConfig.SecurityOpt");
		} else if (!strcmp(key, "label") && !strcmp(val, "disable") &&
			   !host_shared(c)) {
			/* the Engine adds label=disable itself to privileged containers and to
			 * those sharing the host's PID or IPC namespace: PL204/PL208 report
			 * the cause, the user wrote no such option */
			c->selinux_disabled.v = TRI_TRUE;
			c->selinux_disabled.at = api("HostConfig.SecurityOpt");
		}
	}
}

static void namespaces(pl_container *c, json_t *hc)
{
	struct {
		const char *key;
		pl_flag *f;
		const char *field;
	} ns[] = {{"NetworkMode", &c->host_network, "HostConfig.NetworkMode"},
		  {"PidMode", &c->host_pid, "HostConfig.PidMode"},
		  {"IpcMode", &c->host_ipc, "HostConfig.IpcMode"},
		  {"UTSMode", &c->host_uts, "HostConfig.UTSMode"}};
	for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
		const char *m = str(hc, ns[i].key);
		ns[i].f->v = m && !strcmp(m, "host") ? TRI_TRUE : TRI_FALSE;
		ns[i].f->at = api(ns[i].field);
	}
}

/* Effective mounts (Mounts[]) plus --tmpfs entries, which the Engine lists only in
 * HostConfig.Tmpfs. */
static void mounts(arena *a, pl_container *c, json_t *ms, json_t *tmpfs)
{
	size_t cap = (json_is_array(ms) ? json_array_size(ms) : 0) +
		     (json_is_object(tmpfs) ? json_object_size(tmpfs) : 0);
	if (!cap)
		return;
	c->mounts = arena_alloc(a, cap * sizeof *c->mounts);
	for (size_t i = 0; json_is_array(ms) && i < json_array_size(ms); i++) {
		json_t *m = json_array_get(ms, i);
		const char *type = str(m, "Type"), *dst = str(m, "Destination");
		if (!type || !dst)
			continue;
		pl_mount *p = &c->mounts[c->nmounts++];
		p->kind = !strcmp(type, "bind")     ? MOUNT_BIND
			  : !strcmp(type, "volume") ? MOUNT_VOLUME
			  : !strcmp(type, "tmpfs")  ? MOUNT_TMPFS
						    : MOUNT_OTHER;
		p->source = dup(a, p->kind == MOUNT_VOLUME && str(m, "Name") ? str(m, "Name")
									     : str(m, "Source"));
		p->target = arena_strdup(a, dst);
		p->read_only = json_is_false(json_object_get(m, "RW"));
		p->at = api("Mounts");
	}
	const char *dst;
	json_t *v;
	json_object_foreach(tmpfs, dst, v) {
		pl_mount *p = &c->mounts[c->nmounts++];
		p->kind = MOUNT_TMPFS;
		p->target = arena_strdup(a, dst);
		p->at = api("HostConfig.Tmpfs");
	}
}

static bool all_interfaces(const char *ip)
{
	return !ip || !*ip || !strcmp(ip, "0.0.0.0") || !strcmp(ip, "::");
}

static bool same_binding(json_t *a, json_t *b)
{
	const char *pa = str(a, "HostPort"), *pb = str(b, "HostPort");
	return all_interfaces(str(a, "HostIp")) && pa && pb && !strcmp(pa, pb);
}

/* Ports as bound now (NetworkSettings.Ports), else as asked (HostConfig.PortBindings);
 * exposed but unpublished ports too, which the metrics probe may use. */
static void ports(arena *a, pl_container *c, json_t *bound, json_t *asked, json_t *exposed)
{
	json_t *src = json_is_object(bound) && json_object_size(bound) ? bound : asked;
	size_t cap = (json_is_object(exposed) ? json_object_size(exposed) : 0) + 1;
	const char *k;
	json_t *v;
	json_object_foreach(src, k, v)
		cap += json_is_array(v) ? json_array_size(v) + 1 : 1;
	c->ports = arena_alloc(a, cap * sizeof *c->ports);
	json_t *lists[] = {src, exposed};
	for (int l = 0; l < 2; l++) {
		json_object_foreach(lists[l], k, v) {
			int port = atoi(k);
			const char *slash = strchr(k, '/');
			const char *proto = slash ? slash + 1 : "tcp";
			bool known = false;
			for (size_t i = 0; i < c->nports && !known; i++)
				known = c->ports[i].container_port == port &&
					!strcmp(c->ports[i].protocol, proto);
			if (l == 1 && known)
				continue;
			if (l == 0 && json_is_array(v) && json_array_size(v)) {
				for (size_t i = 0; i < json_array_size(v) && c->nports < cap; i++) {
					json_t *b = json_array_get(v, i);
					if (i && all_interfaces(str(b, "HostIp")) &&
					    same_binding(json_array_get(v, i - 1), b))
						continue; /* 0.0.0.0 and :: on one port: one binding */
					pl_port *p = &c->ports[c->nports++];
					p->container_port = port;
					p->protocol = arena_strdup(a, proto);
					p->host_ip = dup(a, str(b, "HostIp"));
					p->host_port = str(b, "HostPort") ? atoi(str(b, "HostPort")) : 0;
					p->at = api(src == bound ? "NetworkSettings.Ports"
								 : "HostConfig.PortBindings");
				}
			} else if (c->nports < cap) {
				pl_port *p = &c->ports[c->nports++];
				p->container_port = port;
				p->protocol = arena_strdup(a, proto);
				p->at = api("Config.ExposedPorts");
			}
		}
	}
}

static void env(arena *a, pl_container *c, json_t *arr)
{
	if (!json_is_array(arr) || !json_array_size(arr))
		return;
	c->env = arena_alloc(a, json_array_size(arr) * sizeof *c->env);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *kv = json_string_value(json_array_get(arr, i));
		if (!kv)
			continue;
		const char *eq = strchr(kv, '=');
		pl_env *e = &c->env[c->nenv++];
		e->name = eq ? arena_strndup(a, kv, (size_t)(eq - kv)) : arena_strdup(a, kv);
		e->value = arena_strdup(a, eq ? eq + 1 : "");
		e->kind = ENV_LITERAL;
		e->at = api("Config.Env");
	}
}

static void labels(arena *a, pl_container *c, json_t *obj)
{
	size_t n = json_is_object(obj) ? json_object_size(obj) : 0;
	if (!n)
		return;
	c->label_keys = arena_alloc(a, n * sizeof *c->label_keys);
	c->label_values = arena_alloc(a, n * sizeof *c->label_values);
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v) {
		if (!json_is_string(v))
			continue;
		c->label_keys[c->nlabels] = arena_strdup(a, k);
		c->label_values[c->nlabels++] = arena_strdup(a, json_string_value(v));
	}
}

const char *pl_live_label(const pl_container *c, const char *key)
{
	for (size_t i = 0; i < c->nlabels; i++)
		if (!strcmp(c->label_keys[i], key))
			return c->label_values[i];
	return NULL;
}

static void health(arena *a, pl_live *l, json_t *hc, json_t *state)
{
	pl_container *c = &l->c;
	json_t *test = json_object_get(hc, "Test");
	if (json_is_array(test) && json_array_size(test)) {
		pl_probe *h = &c->health;
		h->set = true;
		h->kind = "cmd";
		h->at = api("Config.Healthcheck");
		const char *first = json_string_value(json_array_get(test, 0));
		h->disabled = first && !strcmp(first, "NONE");
		buf w = BUF_INIT;
		for (size_t i = 0; i < json_array_size(test); i++) {
			const char *part = json_string_value(json_array_get(test, i));
			buf_printf(&w, "%s%s", i ? " " : "", part ? part : "");
		}
		h->what = arena_strdup(a, buf_str(&w));
		buf_free(&w);
		h->interval = duration(hc, "Interval", "Config.Healthcheck.Interval");
		h->timeout = duration(hc, "Timeout", "Config.Healthcheck.Timeout");
		h->start_period = duration(hc, "StartPeriod", "Config.Healthcheck.StartPeriod");
		long long r = integer(hc, "Retries");
		if (r > 0 && r < 1000000)
			h->retries = num((double)r, "Config.Healthcheck.Retries");
	}
	json_t *hs = json_object_get(state, "Health");
	if (json_is_object(hs)) {
		l->health_status = dup(a, str(hs, "Status"));
		l->failing_streak = (int)integer(hs, "FailingStreak");
		json_t *log = json_object_get(hs, "Log");
		size_t n = json_is_array(log) ? json_array_size(log) : 0;
		const char *out = n ? str(json_array_get(log, n - 1), "Output") : NULL;
		if (out) {
			/* one line for messages: the probe's output up to its first newline */
			size_t k = strcspn(out, "\r\n");
			while (k && (out[k - 1] == ' ' || out[k - 1] == '\t'))
				k--;
			l->health_output = arena_strndup(a, out, k > 200 ? 200 : k);
		}
	}
}

/* The container's addresses on its networks, where its metrics port can be reached. */
static void addresses(arena *a, pl_live *l, json_t *nets)
{
	size_t n = json_is_object(nets) ? json_object_size(nets) : 0;
	if (!n)
		return;
	l->addresses = arena_alloc(a, n * sizeof *l->addresses);
	const char *k;
	json_t *v;
	json_object_foreach(nets, k, v) {
		const char *ip = str(v, "IPAddress");
		if (ip && *ip)
			l->addresses[l->naddresses++] = arena_strdup(a, ip);
	}
}

/* "container web (image nginx:1.25, compose service shop/web)" */
static void target(arena *a, pl_live *l)
{
	pl_container *c = &l->c;
	const char *project = pl_live_label(c, "com.docker.compose.project");
	const char *service = pl_live_label(c, "com.docker.compose.service");
	const char *pod = pl_live_label(c, "io.kubernetes.pod.name");
	const char *podns = pl_live_label(c, "io.kubernetes.pod.namespace");
	const char *kc = pl_live_label(c, "io.kubernetes.container.name");
	char t[1024], where[512] = "";
	if (service)
		snprintf(where, sizeof where, ", compose service %s%s%s", project ? project : "",
			 project ? "/" : "", service);
	else if (pod)
		snprintf(where, sizeof where, ", pod %s%s%s container %s", podns ? podns : "",
			 podns ? "/" : "", pod, kc ? kc : "?");
	snprintf(t, sizeof t, "container %s (image %s%s)", l->name, l->image, where);
	c->target = arena_strdup(a, t);
	c->namespace_ = project ? project : podns;
	c->workload = service ? service : pod ? pod : l->name;
}

int pl_live_from_inspect(arena *a, const char *json, size_t len, pl_live *l, char *err,
			 size_t errlen)
{
	memset(l, 0, sizeof *l);
	pl_container_init(&l->c);
	l->up_seconds = -1; /* the audit knows the daemon's clock */
	json_error_t je;
	json_t *root = json_loadb(json, len, 0, &je);
	if (!json_is_object(root) || !str(root, "Id")) {
		snprintf(err, errlen, "the Engine's inspect answer is not a container (%s)",
			 root ? "no Id" : je.text);
		json_decref(root);
		return -1;
	}
	pl_container *c = &l->c;
	c->source_kind = "live";
	c->workload_kind = "container";
	c->long_running = true;
	json_t *cfg = json_object_get(root, "Config"), *hc = json_object_get(root, "HostConfig");
	json_t *state = json_object_get(root, "State"), *net = json_object_get(root, "NetworkSettings");

	l->id = arena_strdup(a, str(root, "Id"));
	const char *name = str(root, "Name");
	l->name = arena_strdup(a, name ? name + (*name == '/') : l->id);
	c->name = l->name;
	l->state = dup(a, str(state, "Status"));
	l->started_at = dup(a, str(state, "StartedAt"));
	l->restarting = json_is_true(json_object_get(state, "Restarting"));
	l->restart_count = (int)integer(root, "RestartCount");

	const char *image = str(cfg, "Image");
	if (image && !image_id(image)) {
		c->image.v = arena_strdup(a, image);
		c->image.at = api("Config.Image");
		l->image = c->image.v;
	} else {
		/* an id: pinned and registry-free, so the image rules have nothing to say;
		 * the target still names it, shortened as docker ps does */
		const char *id = image ? image + (strncmp(image, "sha256:", 7) ? 0 : 7) : "?";
		char shortid[24];
		snprintf(shortid, sizeof shortid, "%.12s", id);
		l->image = arena_strdup(a, shortid);
	}
	const char *user = str(cfg, "User");
	if (user && *user) {
		c->user.v = arena_strdup(a, user);
		c->user.at = api("Config.User");
	}
	env(a, c, json_object_get(cfg, "Env"));
	labels(a, c, json_object_get(cfg, "Labels"));
	const char *oneoff = pl_live_label(c, "com.docker.compose.oneoff");
	if (oneoff && !strcasecmp(oneoff, "true"))
		c->long_running = false; /* docker compose run: a one-off task */
	health(a, l, json_object_get(cfg, "Healthcheck"), state);

	/* privileges */
	c->cap_add = strings(a, json_object_get(hc, "CapAdd"), &c->ncap_add, &c->cap_add_at,
			     "HostConfig.CapAdd");
	c->cap_drop = strings(a, json_object_get(hc, "CapDrop"), &c->ncap_drop, &c->cap_drop_at,
			      "HostConfig.CapDrop");
	flag(&c->privileged, hc, "Privileged", "HostConfig.Privileged");
	flag(&c->read_only_root, hc, "ReadonlyRootfs", "HostConfig.ReadonlyRootfs");
	c->no_new_privileges.v = TRI_FALSE;
	c->no_new_privileges.at = api("HostConfig.SecurityOpt");
	namespaces(c, hc);
	security_opts(a, c, json_object_get(hc, "SecurityOpt"));
	const char *aa = str(root, "AppArmorProfile");
	if (!c->apparmor.v && aa && !strcmp(aa, "unconfined")) {
		c->apparmor.v = "unconfined";
		c->apparmor.at = api("AppArmorProfile");
	}

	mounts(a, c, json_object_get(root, "Mounts"), json_object_get(hc, "Tmpfs"));
	ports(a, c, json_object_get(net, "Ports"), json_object_get(hc, "PortBindings"),
	      json_object_get(cfg, "ExposedPorts"));

	/* resources: 0 is "unlimited" in the API */
	long long mem = integer(hc, "Memory");
	if (mem > 0)
		c->mem_limit = num((double)mem, "HostConfig.Memory");
	long long nano = integer(hc, "NanoCpus"), quota = integer(hc, "CpuQuota"),
		  period = integer(hc, "CpuPeriod");
	if (nano > 0)
		c->cpu_limit = num((double)nano / 1e9, "HostConfig.NanoCpus");
	else if (quota > 0)
		c->cpu_limit = num((double)quota / (double)(period > 0 ? period : 100000),
				   "HostConfig.CpuQuota");
	long long res = integer(hc, "MemoryReservation");
	if (res > 0)
		c->mem_request = num((double)res, "HostConfig.MemoryReservation");
	long long pids = integer(hc, "PidsLimit");
	if (pids > 0) /* 0 and -1: unlimited */
		c->pids_limit = num((double)pids, "HostConfig.PidsLimit");

	json_t *rp = json_object_get(hc, "RestartPolicy");
	const char *policy = str(rp, "Name");
	c->restart.v = policy && *policy ? arena_strdup(a, policy) : "no";
	c->restart.at = api("HostConfig.RestartPolicy");

	json_t *lc = json_object_get(hc, "LogConfig");
	if (str(lc, "Type") && *str(lc, "Type")) {
		c->log_driver.v = arena_strdup(a, str(lc, "Type"));
		c->log_driver.at = api("HostConfig.LogConfig");
	}
	json_t *lopts = json_object_get(lc, "Config");
	if (str(lopts, "max-size")) {
		c->log_max_size.v = arena_strdup(a, str(lopts, "max-size"));
		c->log_max_size.at = api("HostConfig.LogConfig.Config");
	}
	if (str(lopts, "max-file")) {
		c->log_max_file.v = arena_strdup(a, str(lopts, "max-file"));
		c->log_max_file.at = api("HostConfig.LogConfig.Config");
	}

	/* exec sessions the Engine still knows */
	json_t *ids = json_object_get(root, "ExecIDs");
	size_t nids = json_is_array(ids) ? json_array_size(ids) : 0;
	if (nids) {
		l->execs = arena_alloc(a, nids * sizeof *l->execs);
		for (size_t i = 0; i < nids; i++)
			if (json_string_value(json_array_get(ids, i)))
				l->execs[l->nexecs++].id =
					arena_strdup(a, json_string_value(json_array_get(ids, i)));
	}
	l->tty = json_is_true(json_object_get(cfg, "Tty"));
	addresses(a, l, json_object_get(net, "Networks"));
	memset(&c->at, 0, sizeof c->at); /* the container itself: no field to name */
	target(a, l);
	json_decref(root);
	return 0;
}
