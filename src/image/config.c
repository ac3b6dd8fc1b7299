/* config.c - the image config (user, env, entrypoint, cmd, health check, exposed ports,
 * labels, history, rootfs.diff_ids, platform) and the container model filled from it. */
#include "image/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char **strings(arena *a, json_t *arr, size_t *n)
{
	*n = 0;
	if (!json_is_array(arr))
		return NULL;
	const char **v = arena_alloc(a, (json_array_size(arr) + 1) * sizeof *v);
	size_t i;
	json_t *s;
	json_array_foreach(arr, i, s) {
		if (json_is_string(s))
			v[(*n)++] = arena_strdup(a, json_string_value(s));
	}
	return v;
}

/* Healthcheck durations are nanoseconds; 0 means "inherit the default". */
static double seconds(json_t *ns)
{
	if (!json_is_integer(ns) || json_integer_value(ns) <= 0)
		return -1;
	return (double)json_integer_value(ns) / 1e9;
}

int img_config(img_ctx *x, const unsigned char *data, size_t len, char *err, size_t errlen)
{
	pl_image *img = x->img;
	arena *a = &img->mem;
	json_error_t je;
	json_t *root = json_loadb((const char *)data, len, 0, &je);
	if (!json_is_object(root)) {
		snprintf(err, errlen, "config %s is not a JSON object (%s)",
			 x->config_name, root ? "wrong type" : je.text);
		json_decref(root);
		return -1;
	}
	img->config_digest = x->config_digest ? arena_strdup(a, x->config_digest) : NULL;
	if (!img->config_digest) {
		char d[72];
		img_sha256(data, len, d);
		img->config_digest = arena_strdup(a, d);
	}
	const char *os = json_string_value(json_object_get(root, "os"));
	const char *arch = json_string_value(json_object_get(root, "architecture"));
	const char *var = json_string_value(json_object_get(root, "variant"));
	if (os && arch) {
		char p[256];
		snprintf(p, sizeof p, "%s/%s%s%s", os, arch, var ? "/" : "", var ? var : "");
		img->platform = arena_strdup(a, p);
	}

	json_t *c = json_object_get(root, "config");
	const char *user = json_string_value(json_object_get(c, "User"));
	img->user = arena_strdup(a, user ? user : "");
	img->env = strings(a, json_object_get(c, "Env"), &img->nenv);
	img->entrypoint = strings(a, json_object_get(c, "Entrypoint"), &img->nentrypoint);
	img->cmd = strings(a, json_object_get(c, "Cmd"), &img->ncmd);
	json_t *hc = json_object_get(c, "Healthcheck");
	if (json_is_object(hc)) {
		img->has_healthcheck = true;
		img->healthcheck_test = strings(a, json_object_get(hc, "Test"), &img->nhealthcheck_test);
		img->hc_interval = seconds(json_object_get(hc, "Interval"));
		img->hc_timeout = seconds(json_object_get(hc, "Timeout"));
		img->hc_start_period = seconds(json_object_get(hc, "StartPeriod"));
		json_t *r = json_object_get(hc, "Retries");
		img->hc_retries = json_is_integer(r) && json_integer_value(r) > 0 &&
						  json_integer_value(r) < 1000000
					  ? (int)json_integer_value(r)
					  : -1;
	}
	json_t *ports = json_object_get(c, "ExposedPorts");
	if (json_is_object(ports)) {
		img->exposed_ports = arena_alloc(a, (json_object_size(ports) + 1) * sizeof(char *));
		const char *k;
		json_t *v;
		json_object_foreach(ports, k, v) img->exposed_ports[img->nexposed++] = arena_strdup(a, k);
	}
	json_t *labels = json_object_get(c, "Labels");
	if (json_is_object(labels)) {
		size_t n = json_object_size(labels) + 1;
		img->labels_k = arena_alloc(a, n * sizeof(char *));
		img->labels_v = arena_alloc(a, n * sizeof(char *));
		const char *k;
		json_t *v;
		json_object_foreach(labels, k, v) {
			if (!json_is_string(v))
				continue;
			img->labels_k[img->nlabels] = arena_strdup(a, k);
			img->labels_v[img->nlabels++] = arena_strdup(a, json_string_value(v));
		}
	}

	json_t *ids = json_object_get(json_object_get(root, "rootfs"), "diff_ids");
	x->diff_ids = strings(&x->tmp, ids, &x->ndiff_ids);
	img->nlayers = x->nwants;
	img->layers = arena_alloc(a, (x->nwants + 1) * sizeof *img->layers);
	for (size_t i = 0; i < x->nwants; i++) {
		img_layer *l = &img->layers[i];
		l->digest = x->wants[i].digest ? arena_strdup(a, x->wants[i].digest) : NULL;
		l->diff_id = i < x->ndiff_ids ? arena_strdup(a, x->diff_ids[i]) : NULL;
		l->media_type = x->wants[i].media_type;
		l->size = x->wants[i].size;
	}
	if (x->ndiff_ids != x->nwants)
		img_problem_add(x, x->config_name,
				"rootfs.diff_ids lists %zu layers, the manifest %zu", x->ndiff_ids,
				x->nwants);

	json_t *hist = json_object_get(root, "history");
	if (json_is_array(hist)) {
		img->history = arena_alloc(a, (json_array_size(hist) + 1) * sizeof *img->history);
		size_t i, layer = 0;
		json_t *h;
		json_array_foreach(hist, i, h) {
			img_history *e = &img->history[img->nhistory++];
			const char *cb = json_string_value(json_object_get(h, "created_by"));
			e->created_by = cb ? arena_strdup(a, cb) : NULL;
			e->empty_layer = json_is_true(json_object_get(h, "empty_layer"));
			e->layer = -1;
			if (!e->empty_layer) {
				if (layer < img->nlayers) {
					e->layer = (int)layer;
					img->layers[layer].created_by = e->created_by;
				}
				layer++;
			}
		}
		if (layer != img->nlayers)
			img_problem_add(x, x->config_name,
					"history has %zu non-empty entries for %zu layers", layer,
					img->nlayers);
	}
	json_decref(root);
	if (x->opts->platform && img->platform && x->desc_platform == NULL &&
	    strncmp(img->platform, x->opts->platform, strlen(x->opts->platform))) {
		snprintf(err, errlen, "the image is %s, not %s", img->platform,
			 x->opts->platform);
		return -1;
	}
	return 0;
}

/* The container model's arrays, in the image's arena (pl_image_container takes a const
 * image). */
void img_container_prepare(img_ctx *x)
{
	pl_image *img = x->img;
	arena *a = &img->mem;
	char t[1024];
	/* an OCI layout's ref.name is often a bare tag ("1.0"): name the layout with it */
	const char *ref = img->ref;
	if (ref && !strpbrk(ref, ":/@")) {
		const char *base = img->path + strlen(img->path);
		while (base > img->path && base[-1] == '/')
			base--; /* "dir/" */
		const char *end = base;
		while (base > img->path && base[-1] != '/')
			base--;
		if (end - base > 4 && !strncmp(end - 4, ".tar", 4))
			end -= 4; /* "app.tar" names the image "app" */
		snprintf(t, sizeof t, "image %.*s:%s", (int)(end - base), base, ref);
	} else {
		snprintf(t, sizeof t, "image %s", ref ? ref : img->path);
	}
	img->c_target = arena_strdup(a, t);
	img->c_env = arena_alloc(a, (img->nenv + 1) * sizeof *img->c_env);
	for (size_t i = 0; i < img->nenv; i++) {
		const char *eq = strchr(img->env[i], '=');
		pl_env *e = &img->c_env[img->c_nenv++];
		e->name = eq ? arena_strndup(a, img->env[i], (size_t)(eq - img->env[i])) : img->env[i];
		e->value = eq ? eq + 1 : "";
		e->kind = ENV_LITERAL;
	}
	img->c_ports = arena_alloc(a, (img->nexposed + 1) * sizeof *img->c_ports);
	for (size_t i = 0; i < img->nexposed; i++) {
		const char *p = img->exposed_ports[i];
		char *end;
		long port = strtol(p, &end, 10);
		if (end == p || port <= 0 || port > 65535)
			continue;
		pl_port *o = &img->c_ports[img->c_nports++];
		o->container_port = (int)port;
		o->protocol = *end == '/' ? end + 1 : "tcp";
	}
	if (img->has_healthcheck) {
		size_t n = 1;
		for (size_t i = 0; i < img->nhealthcheck_test; i++)
			n += strlen(img->healthcheck_test[i]) + 1;
		char *w = arena_alloc(a, n);
		for (size_t i = 0; i < img->nhealthcheck_test; i++) {
			if (i)
				strcat(w, " ");
			strcat(w, img->healthcheck_test[i]);
		}
		img->c_health_what = w;
	}
}

static pl_num num(double v)
{
	pl_num n;
	memset(&n, 0, sizeof n);
	n.v = v;
	n.set = v >= 0;
	return n;
}

/* A named user (User "app" or "app:staff") resolved through the image's own /etc/passwd,
 * as the runtime does at start: a missing name (or no /etc/passwd) fails the start with
 * "unable to find user". Numeric users need no lookup. */
static void resolve_user(const pl_image *img, pl_container *c)
{
	const char *u = c->user.v;
	if (!u)
		return;
	size_t n = strcspn(u, ":");
	bool numeric = n > 0;
	for (size_t i = 0; i < n; i++)
		numeric = numeric && u[i] >= '0' && u[i] <= '9';
	if (numeric || n == 0 || (n == 4 && !strncmp(u, "root", 4)))
		return;
	const img_file *f = pl_image_file(img, "/etc/passwd");
	if (f && (f->type != '-' || !f->content))
		return; /* a symlink, or over the size budget: not known, so no claim */
	const char *p = f ? f->content : NULL;
	const char *end = p ? p + f->content_len : NULL;
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		/* name:password:uid:gid:gecos:home:shell */
		const char *c1 = memchr(p, ':', (size_t)(le - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(le - c1 - 1)) : NULL;
		if (c1 && c2 && (size_t)(c1 - p) == n && !memcmp(p, u, n)) {
			char *e;
			long uid = strtol(c2 + 1, &e, 10);
			if (e > c2 + 1 && (*e == ':' || e == le) && uid >= 0) {
				c->user_uid.set = true;
				c->user_uid.v = (double)uid;
			}
			return;
		}
		p = nl ? nl + 1 : end;
	}
	c->user_unknown = f ? "its /etc/passwd does not define it" : "it has no /etc/passwd";
}

void pl_image_container(const pl_image *img, pl_container *c)
{
	pl_container_init(c);

	c->source_kind = "image";
	c->workload_kind = "image";
	c->workload = c->name = img->ref ? img->ref : img->path;
	c->target = img->c_target;
	c->image.v = img->ref;
	/* an empty User is root by default: left unset, as a compose service without user: */
	c->user.v = img->user && img->user[0] ? img->user : NULL;
	resolve_user(img, c);
	c->env = img->c_env;
	c->nenv = img->c_nenv;
	c->ports = img->c_ports;
	c->nports = img->c_nports;
	c->long_running = img->nexposed > 0;
	c->label_keys = img->labels_k;
	c->label_values = img->labels_v;
	c->nlabels = img->nlabels;
	if (img->has_healthcheck) {
		pl_probe *h = &c->health;
		h->set = true;
		/* from_image stays false: for an image input, the config is where the health
		 * check is written, so its timing is judged here */
		h->kind = "cmd";
		h->what = img->c_health_what;
		h->disabled = img->nhealthcheck_test > 0 && !strcmp(img->healthcheck_test[0], "NONE");
		h->interval = num(img->hc_interval);
		h->timeout = num(img->hc_timeout);
		h->start_period = num(img->hc_start_period);
		h->retries = num(img->hc_retries);
	}
}
