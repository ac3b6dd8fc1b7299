/* service.c - one merged Compose service as a pl_container.
 *
 * Reads the keys that matter to the rules (image, build, user, capabilities, privileged,
 * read_only, security_opt, host namespaces, volumes / tmpfs / secrets / configs, ports,
 * memory / CPU / PID limits and deploy.resources, healthcheck, restart, logging,
 * environment and env_file, use_api_socket, replicas, labels) and checks their types as
 * the Compose schema would, reporting what Compose would refuse. Every value keeps its node's
 * position; a value from another file than the first says so in `via` ("from
 * compose.override.yaml"), and an interpolated one names the .env line or default. Relative
 * host paths resolve against the project directory, or the directory of an extended or
 * included file, as compose-go rebases them. */
#include "compose/internal.h"
#include "core/buf.h"
#include "core/file.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct svc_ctx {
	cz_ctx *c;
	const char *name;
	pl_container *o;
	/* growable arrays */
	size_t cap_mounts, cap_ports, cap_env;
} svc_ctx;

int cz_bool(const cz_node *n)
{
	if (!n || n->kind != Y_SCALAR)
		return -1;
	static const char *const T[] = {"true", "yes", "on", "y", NULL};
	static const char *const F[] = {"false", "no", "off", "n", NULL};
	for (int i = 0; T[i]; i++)
		if (strcasecmp(n->s, T[i]) == 0)
			return 1;
	for (int i = 0; F[i]; i++)
		if (strcasecmp(n->s, F[i]) == 0)
			return 0;
	return -1;
}

static pl_origin org(const svc_ctx *x, const cz_node *n)
{
	pl_origin o = {0};
	if (!n)
		return o;
	o.file = n->file;
	o.line = n->line;
	o.col = n->col;
	o.end_line = n->end_line;
	o.end_col = n->end_col;
	o.via = n->via;
	if (!o.via && n->file && x->c->primary && strcmp(n->file, x->c->primary) != 0) {
		const cz_file *f = cz_file_of(x->c, n->file);
		if (f)
			o.via = f->from;
	}
	return o;
}

static const char *kind_name(yaml_kind k)
{
	switch (k) {
	case Y_MAP: return "a mapping";
	case Y_SEQ: return "a sequence";
	case Y_NULL: return "null";
	default: return "a scalar";
	}
}

/* The value of key in map when its kind is one of the allowed ones; a problem otherwise.
 * allowed is a bit set of (1 << yaml_kind). Null values count as absent. */
static const cz_node *want(svc_ctx *x, const cz_node *map, const char *path, const char *key,
			   unsigned allowed)
{
	const cz_node *v = cz_get(map, key);
	if (!v || v->kind == Y_NULL)
		return NULL;
	if (!(allowed & (1u << v->kind))) {
		cz_problem(x->c, v, true, "services.%s%s%s.%s must not be %s", x->name, path[0] ? "." : "",
			   path, key, kind_name(v->kind));
		return NULL;
	}
	return v;
}

#define SCALAR (1u << Y_SCALAR)
#define MAP (1u << Y_MAP)
#define SEQ (1u << Y_SEQ)

static const char *base_dir(const svc_ctx *x, const cz_node *n)
{
	const cz_file *f = n ? cz_file_of(x->c, n->file) : NULL;
	return f ? f->base : x->c->p->dir;
}

static pl_str str_of(svc_ctx *x, const cz_node *n)
{
	pl_str s = {NULL, {0}};
	if (n) {
		s.v = n->s;
		s.at = org(x, n);
	}
	return s;
}

static pl_flag flag_of(svc_ctx *x, const cz_node *map, const char *path, const char *key)
{
	pl_flag f = {TRI_UNSET, {0}};
	const cz_node *n = want(x, map, path, key, SCALAR);
	if (!n)
		return f;
	int b = cz_bool(n);
	if (b < 0) {
		cz_problem(x->c, n, true, "services.%s.%s must be a boolean, not \"%s\"", x->name, key, n->s);
		return f;
	}
	f.v = b ? TRI_TRUE : TRI_FALSE;
	f.at = org(x, n);
	return f;
}

static pl_flag flag_set(svc_ctx *x, const cz_node *n, bool v)
{
	pl_flag f = {v ? TRI_TRUE : TRI_FALSE, org(x, n)};
	return f;
}

enum num_kind { N_COUNT, N_BYTES, N_CPUS, N_DURATION };

static pl_num num_of(svc_ctx *x, const cz_node *n, enum num_kind k, const char *what)
{
	pl_num r = {0};
	r.v = -1;
	if (!n)
		return r;
	r.set = true;
	r.text = n->s;
	r.at = org(x, n);
	bool ok = false;
	char *end;
	switch (k) {
	case N_BYTES:
		ok = cz_parse_bytes(n->s, &r.v);
		break;
	case N_DURATION:
		ok = cz_parse_duration(n->s, &r.v);
		break;
	case N_CPUS:
	case N_COUNT:
		r.v = strtod(n->s, &end);
		ok = *n->s && *end == '\0' && r.v == r.v;
		if (k == N_COUNT && ok && r.v != (double)(long long)r.v)
			ok = false;
		break;
	}
	if (!ok) {
		r.invalid = true;
		r.v = -1;
		cz_problem(x->c, n, true, "services.%s.%s: \"%s\" is not a valid %s", x->name, what, n->s,
			   k == N_BYTES ? "byte value" : k == N_DURATION ? "duration" : "number");
	}
	return r;
}

/* --- lists ------------------------------------------------------------------------------ */

static pl_mount *add_mount(svc_ctx *x)
{
	pl_container *o = x->o;
	if (o->nmounts == x->cap_mounts) {
		size_t nc = x->cap_mounts ? x->cap_mounts * 2 : 8;
		o->mounts = arena_grow(x->c->a, o->mounts, o->nmounts, nc, sizeof *o->mounts);
		x->cap_mounts = nc;
	}
	pl_mount *m = &o->mounts[o->nmounts++];
	memset(m, 0, sizeof *m);
	return m;
}

static pl_port *add_port(svc_ctx *x)
{
	pl_container *o = x->o;
	if (o->nports == x->cap_ports) {
		size_t nc = x->cap_ports ? x->cap_ports * 2 : 8;
		o->ports = arena_grow(x->c->a, o->ports, o->nports, nc, sizeof *o->ports);
		x->cap_ports = nc;
	}
	pl_port *p = &o->ports[o->nports++];
	memset(p, 0, sizeof *p);
	return p;
}

static void set_env(svc_ctx *x, const char *name, const char *value, pl_env_kind kind, pl_origin at)
{
	pl_container *o = x->o;
	for (size_t i = 0; i < o->nenv; i++)
		if (strcmp(o->env[i].name, name) == 0) {
			o->env[i] = (pl_env){name, value, kind, at};
			return;
		}
	if (o->nenv == x->cap_env) {
		size_t nc = x->cap_env ? x->cap_env * 2 : 16;
		o->env = arena_grow(x->c->a, o->env, o->nenv, nc, sizeof *o->env);
		x->cap_env = nc;
	}
	o->env[o->nenv++] = (pl_env){name, value, kind, at};
}

static void caps(svc_ctx *x, const cz_node *svc, const char *key, const char ***out,
		 pl_origin **at, size_t *n)
{
	const cz_node *l = want(x, svc, "", key, SEQ);
	if (!l)
		return;
	*out = arena_alloc(x->c->a, (l->nitems + 1) * sizeof **out);
	*at = arena_alloc(x->c->a, (l->nitems + 1) * sizeof **at);
	for (size_t i = 0; i < l->nitems; i++) {
		const cz_node *it = l->items[i];
		if (it->kind != Y_SCALAR) {
			cz_problem(x->c, it, true, "services.%s.%s entries must be strings", x->name, key);
			continue;
		}
		const char *s = it->s;
		if (strncasecmp(s, "CAP_", 4) == 0)
			s += 4;
		char *u = arena_strdup(x->c->a, s);
		for (char *p = u; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		(*out)[*n] = u;
		(*at)[(*n)++] = org(x, it);
	}
}

static void security_opts(svc_ctx *x, const cz_node *svc)
{
	const cz_node *l = want(x, svc, "", "security_opt", SEQ);
	pl_container *o = x->o;
	for (size_t i = 0; l && i < l->nitems; i++) {
		const cz_node *it = l->items[i];
		if (it->kind != Y_SCALAR)
			continue;
		const char *s = it->s;
		size_t kl = strcspn(s, ":=");
		const char *val = s[kl] ? s + kl + 1 : NULL;
		if (kl == 17 && strncmp(s, "no-new-privileges", 17) == 0) {
			bool on = !val || strcasecmp(val, "true") == 0;
			o->no_new_privileges = flag_set(x, it, on);
		} else if (kl == 7 && strncmp(s, "seccomp", 7) == 0 && val) {
			o->seccomp = (pl_str){val, org(x, it)};
		} else if (kl == 8 && strncmp(s, "apparmor", 8) == 0 && val) {
			o->apparmor = (pl_str){val, org(x, it)};
		} else if (kl == 5 && strncmp(s, "label", 5) == 0 && val) {
			if (strcmp(val, "disable") == 0 || strcmp(val, "disable:true") == 0)
				o->selinux_disabled = flag_set(x, it, true);
		}
	}
}

static pl_flag host_mode(svc_ctx *x, const cz_node *svc, const char *key)
{
	pl_flag f = {TRI_UNSET, {0}};
	const cz_node *n = want(x, svc, "", key, SCALAR);
	if (n)
		f = flag_set(x, n, strcmp(n->s, "host") == 0);
	return f;
}

static bool is_path_source(const char *s)
{
	return s[0] == '.' || s[0] == '/' || s[0] == '~' ||
	       (isalpha((unsigned char)s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/'));
}

static void volumes(svc_ctx *x, const cz_node *svc)
{
	const cz_node *l = want(x, svc, "", "volumes", SEQ);
	for (size_t i = 0; l && i < l->nitems; i++) {
		const cz_node *it = l->items[i];
		const char *dir = base_dir(x, it);
		if (it->kind == Y_SCALAR) {
			pl_mount *m = add_mount(x);
			m->at = org(x, it);
			const char *s = it->s;
			const char *c1 = strchr(s, ':');
			/* a Windows drive letter is part of the source */
			if (c1 && c1 == s + 1 && isalpha((unsigned char)s[0]) && (c1[1] == '\\' || c1[1] == '/'))
				c1 = strchr(c1 + 1, ':');
			if (!c1) {
				m->kind = MOUNT_VOLUME; /* anonymous volume */
				m->target = s;
				continue;
			}
			const char *src = arena_strndup(x->c->a, s, (size_t)(c1 - s));
			const char *c2 = strchr(c1 + 1, ':');
			m->target = c2 ? arena_strndup(x->c->a, c1 + 1, (size_t)(c2 - c1 - 1)) : c1 + 1;
			if (c2) {
				/* options: ro, rw, z, Z, nocopy, propagation */
				const char *p = c2 + 1;
				while (*p) {
					size_t n = strcspn(p, ",");
					if (n == 2 && strncmp(p, "ro", 2) == 0)
						m->read_only = true;
					p += n;
					if (*p == ',')
						p++;
				}
			}
			if (is_path_source(src)) {
				m->kind = MOUNT_BIND;
				m->source = cz_join(x->c->a, dir, src, x->c->home);
			} else {
				m->kind = MOUNT_VOLUME;
				m->source = src;
			}
		} else if (it->kind == Y_MAP) {
			const cz_node *type = want(x, it, "volumes", "type", SCALAR);
			const cz_node *src = want(x, it, "volumes", "source", SCALAR);
			const cz_node *tgt = want(x, it, "volumes", "target", SCALAR);
			if (!type) {
				cz_problem(x->c, it, true, "services.%s.volumes: a long-syntax volume needs a type",
					   x->name);
				continue;
			}
			pl_mount *m = add_mount(x);
			m->at = org(x, it);
			m->target = tgt ? tgt->s : NULL;
			const cz_node *ro = want(x, it, "volumes", "read_only", SCALAR);
			m->read_only = cz_bool(ro) == 1;
			const char *t = type->s;
			if (strcmp(t, "bind") == 0) {
				m->kind = MOUNT_BIND;
				m->source = src ? cz_join(x->c->a, dir, src->s, x->c->home) : NULL;
			} else if (strcmp(t, "volume") == 0) {
				m->kind = MOUNT_VOLUME;
				m->source = src ? src->s : NULL;
			} else if (strcmp(t, "tmpfs") == 0) {
				m->kind = MOUNT_TMPFS;
			} else if (strcmp(t, "npipe") == 0 || strcmp(t, "image") == 0 || strcmp(t, "cluster") == 0) {
				m->kind = MOUNT_OTHER;
				m->source = src ? src->s : NULL;
			} else {
				m->kind = MOUNT_OTHER;
				cz_problem(x->c, type, true, "services.%s.volumes: unknown volume type \"%s\"",
					   x->name, t);
			}
		} else {
			cz_problem(x->c, it, true, "services.%s.volumes entries must be strings or mappings",
				   x->name);
		}
	}
}

static void tmpfs(svc_ctx *x, const cz_node *svc)
{
	const cz_node *l = want(x, svc, "", "tmpfs", SCALAR | SEQ);
	size_t n = !l ? 0 : l->kind == Y_SEQ ? l->nitems : 1;
	for (size_t i = 0; i < n; i++) {
		const cz_node *it = l->kind == Y_SEQ ? l->items[i] : l;
		if (it->kind != Y_SCALAR)
			continue;
		pl_mount *m = add_mount(x);
		m->kind = MOUNT_TMPFS;
		size_t len = strcspn(it->s, ":");
		m->target = arena_strndup(x->c->a, it->s, len);
		m->at = org(x, it);
	}
}

static void file_refs(svc_ctx *x, const cz_node *svc, const char *key, pl_mount_kind kind)
{
	const cz_node *l = want(x, svc, "", key, SEQ);
	const char *prefix = kind == MOUNT_SECRET ? "/run/secrets/" : "/";
	for (size_t i = 0; l && i < l->nitems; i++) {
		const cz_node *it = l->items[i];
		const char *src = NULL, *tgt = NULL;
		if (it->kind == Y_SCALAR) {
			src = it->s;
		} else if (it->kind == Y_MAP) {
			const cz_node *s = want(x, it, key, "source", SCALAR);
			const cz_node *t = want(x, it, key, "target", SCALAR);
			src = s ? s->s : NULL;
			tgt = t ? t->s : NULL;
		}
		if (!src) {
			cz_problem(x->c, it, true, "services.%s.%s entries need a source", x->name, key);
			continue;
		}
		pl_mount *m = add_mount(x);
		m->kind = kind;
		m->source = src;
		m->read_only = true;
		m->at = org(x, it);
		const char *t = tgt ? tgt : src;
		if (t[0] == '/') {
			m->target = t;
		} else {
			buf b = BUF_INIT;
			buf_printf(&b, "%s%s", prefix, t);
			m->target = arena_strdup(x->c->a, buf_str(&b));
			buf_free(&b);
		}
	}
}

/* "8080-8090" -> 8080; returns false when not a port number. */
static bool port_num(const char *s, size_t n, int *out)
{
	if (n == 0)
		return false;
	long v = 0;
	size_t i = 0;
	for (; i < n && isdigit((unsigned char)s[i]); i++) {
		v = v * 10 + (s[i] - '0');
		if (v > 65535)
			return false;
	}
	if (i == 0 || (i < n && s[i] != '-'))
		return false;
	*out = (int)v;
	return true;
}

static void ports(svc_ctx *x, const cz_node *svc)
{
	const cz_node *l = want(x, svc, "", "ports", SEQ);
	for (size_t i = 0; l && i < l->nitems; i++) {
		const cz_node *it = l->items[i];
		if (it->kind == Y_SCALAR) {
			const char *s = it->s;
			pl_port *p = add_port(x);
			p->at = org(x, it);
			p->protocol = "tcp";
			const char *slash = strrchr(s, '/');
			size_t n = strlen(s);
			if (slash && !strchr(slash, ':')) {
				p->protocol = slash + 1;
				n = (size_t)(slash - s);
			}
			/* container port after the last ':' (outside brackets) */
			const char *lc = NULL;
			for (const char *q = s; q < s + n; q++)
				if (*q == ':')
					lc = q;
			const char *cp = lc ? lc + 1 : s;
			bool ok = port_num(cp, (size_t)(s + n - cp), &p->container_port);
			if (lc) {
				const char *hc = NULL;
				for (const char *q = s; q < lc; q++)
					if (*q == ':' && !(s[0] == '[' && !memchr(s, ']', (size_t)(q - s))))
						hc = q;
				const char *hp = hc ? hc + 1 : s;
				if (lc > hp && !port_num(hp, (size_t)(lc - hp), &p->host_port))
					ok = false;
				if (hc) {
					const char *ip = s;
					size_t il = (size_t)(hc - s);
					if (il >= 2 && ip[0] == '[' && ip[il - 1] == ']') {
						ip++;
						il -= 2;
					}
					p->host_ip = il ? arena_strndup(x->c->a, ip, il) : NULL;
				}
			}
			if (!ok)
				cz_problem(x->c, it, true, "services.%s.ports: invalid port \"%s\"", x->name, s);
		} else if (it->kind == Y_MAP) {
			pl_port *p = add_port(x);
			p->at = org(x, it);
			const cz_node *t = want(x, it, "ports", "target", SCALAR);
			const cz_node *pub = want(x, it, "ports", "published", SCALAR);
			const cz_node *ip = want(x, it, "ports", "host_ip", SCALAR);
			const cz_node *pr = want(x, it, "ports", "protocol", SCALAR);
			if (!t || !port_num(t->s, strlen(t->s), &p->container_port))
				cz_problem(x->c, t ? t : it, true, "services.%s.ports: a target port is required",
					   x->name);
			if (pub && *pub->s && !port_num(pub->s, strlen(pub->s), &p->host_port))
				cz_problem(x->c, pub, true, "services.%s.ports: invalid published port \"%s\"",
					   x->name, pub->s);
			p->host_ip = ip && *ip->s ? ip->s : NULL;
			p->protocol = pr ? pr->s : "tcp";
		} else {
			cz_problem(x->c, it, true, "services.%s.ports entries must be strings, numbers or mappings",
				   x->name);
		}
	}
}

/* --- resources, health, logging --------------------------------------------------------- */

static pl_num pick(svc_ctx *x, pl_num plain, const char *pk, pl_num dep, const char *dk)
{
	if (plain.set && dep.set && !plain.invalid && !dep.invalid && plain.v != dep.v)
		cz_problem(x->c, &(cz_node){.file = plain.at.file, .line = plain.at.line, .col = plain.at.col},
			   true, "services.%s: can't set distinct values on '%s' and '%s'", x->name, pk, dk);
	return dep.set ? dep : plain;
}

static void resources(svc_ctx *x, const cz_node *svc)
{
	pl_container *o = x->o;
	const cz_node *deploy = want(x, svc, "", "deploy", MAP);
	const cz_node *res = deploy ? want(x, deploy, "deploy", "resources", MAP) : NULL;
	const cz_node *lim = res ? want(x, res, "deploy.resources", "limits", MAP) : NULL;
	const cz_node *rsv = res ? want(x, res, "deploy.resources", "reservations", MAP) : NULL;
	pl_num m = num_of(x, want(x, svc, "", "mem_limit", SCALAR), N_BYTES, "mem_limit");
	pl_num dm = num_of(x, lim ? want(x, lim, "deploy.resources.limits", "memory", SCALAR) : NULL,
			   N_BYTES, "deploy.resources.limits.memory");
	o->mem_limit = pick(x, m, "mem_limit", dm, "deploy.resources.limits.memory");
	pl_num cpu = num_of(x, want(x, svc, "", "cpus", SCALAR), N_CPUS, "cpus");
	pl_num dc = num_of(x, lim ? want(x, lim, "deploy.resources.limits", "cpus", SCALAR) : NULL,
			   N_CPUS, "deploy.resources.limits.cpus");
	o->cpu_limit = pick(x, cpu, "cpus", dc, "deploy.resources.limits.cpus");
	pl_num pids = num_of(x, want(x, svc, "", "pids_limit", SCALAR), N_COUNT, "pids_limit");
	pl_num dp = num_of(x, lim ? want(x, lim, "deploy.resources.limits", "pids", SCALAR) : NULL,
			   N_COUNT, "deploy.resources.limits.pids");
	o->pids_limit = pick(x, pids, "pids_limit", dp, "deploy.resources.limits.pids");
	pl_num mr = num_of(x, want(x, svc, "", "mem_reservation", SCALAR), N_BYTES, "mem_reservation");
	pl_num dmr = num_of(x, rsv ? want(x, rsv, "deploy.resources.reservations", "memory", SCALAR) : NULL,
			    N_BYTES, "deploy.resources.reservations.memory");
	o->mem_request = dmr.set ? dmr : mr;
	o->cpu_request = num_of(x, rsv ? want(x, rsv, "deploy.resources.reservations", "cpus", SCALAR) : NULL,
				N_CPUS, "deploy.resources.reservations.cpus");
	const cz_node *memswap = want(x, svc, "", "memswap_limit", SCALAR);
	if (memswap && strcmp(memswap->s, "-1") != 0)
		(void)num_of(x, memswap, N_BYTES, "memswap_limit");

	pl_num rep = num_of(x, deploy ? want(x, deploy, "deploy", "replicas", SCALAR) : NULL, N_COUNT,
			    "deploy.replicas");
	pl_num scale = num_of(x, want(x, svc, "", "scale", SCALAR), N_COUNT, "scale");
	o->replicas = rep.set ? rep : scale;

	/* restart, and deploy.restart_policy.condition when restart is absent */
	const cz_node *rs = want(x, svc, "", "restart", SCALAR);
	if (rs) {
		o->restart = str_of(x, rs);
	} else if (deploy) {
		const cz_node *rp = want(x, deploy, "deploy", "restart_policy", MAP);
		const cz_node *cond = rp ? want(x, rp, "deploy.restart_policy", "condition", SCALAR) : NULL;
		if (cond) {
			o->restart = str_of(x, cond);
			if (strcmp(cond->s, "none") == 0)
				o->restart.v = "no";
			else if (strcmp(cond->s, "any") == 0)
				o->restart.v = "always";
		}
	}
}

static void healthcheck(svc_ctx *x, const cz_node *svc)
{
	pl_probe *h = &x->o->health;
	h->interval.v = h->timeout.v = h->start_period.v = h->retries.v = h->initial_delay.v = -1;
	const cz_node *hc = want(x, svc, "", "healthcheck", MAP);
	if (!hc)
		return;
	h->set = true;
	h->kind = "cmd";
	h->at = org(x, hc);
	const cz_node *test = want(x, hc, "healthcheck", "test", SCALAR | SEQ);
	if (test && test->kind == Y_SCALAR) {
		buf b = BUF_INIT;
		buf_printf(&b, "CMD-SHELL %s", test->s);
		h->what = arena_strdup(x->c->a, buf_str(&b));
		buf_free(&b);
	} else if (test) {
		if (test->nitems == 0 || test->items[0]->kind != Y_SCALAR) {
			cz_problem(x->c, test, true, "services.%s.healthcheck.test must start with NONE, CMD or CMD-SHELL",
				   x->name);
		} else {
			const char *first = test->items[0]->s;
			if (strcmp(first, "NONE") == 0)
				h->disabled = true;
			else if (strcmp(first, "CMD") != 0 && strcmp(first, "CMD-SHELL") != 0)
				cz_problem(x->c, test->items[0], true,
					   "services.%s.healthcheck.test must start with NONE, CMD or CMD-SHELL, not \"%s\"",
					   x->name, first);
			buf b = BUF_INIT;
			for (size_t i = 0; i < test->nitems; i++)
				buf_printf(&b, "%s%s", i ? " " : "", test->items[i]->s);
			h->what = arena_strdup(x->c->a, buf_str(&b));
			buf_free(&b);
		}
	}
	const cz_node *dis = want(x, hc, "healthcheck", "disable", SCALAR);
	if (dis) {
		int b = cz_bool(dis);
		if (b < 0)
			cz_problem(x->c, dis, true, "services.%s.healthcheck.disable must be a boolean", x->name);
		if (b == 1)
			h->disabled = true;
	}
	h->interval = num_of(x, want(x, hc, "healthcheck", "interval", SCALAR), N_DURATION,
			     "healthcheck.interval");
	h->timeout = num_of(x, want(x, hc, "healthcheck", "timeout", SCALAR), N_DURATION,
			    "healthcheck.timeout");
	h->start_period = num_of(x, want(x, hc, "healthcheck", "start_period", SCALAR), N_DURATION,
				 "healthcheck.start_period");
	(void)num_of(x, want(x, hc, "healthcheck", "start_interval", SCALAR), N_DURATION,
		     "healthcheck.start_interval");
	h->retries = num_of(x, want(x, hc, "healthcheck", "retries", SCALAR), N_COUNT,
			    "healthcheck.retries");
}

static void logging(svc_ctx *x, const cz_node *svc)
{
	const cz_node *lg = want(x, svc, "", "logging", MAP);
	if (!lg)
		return;
	x->o->log_driver = str_of(x, want(x, lg, "logging", "driver", SCALAR));
	const cz_node *op = want(x, lg, "logging", "options", MAP);
	if (op) {
		x->o->log_max_size = str_of(x, want(x, op, "logging.options", "max-size", SCALAR));
		x->o->log_max_file = str_of(x, want(x, op, "logging.options", "max-file", SCALAR));
	}
}

/* --- environment and labels ------------------------------------------------------------- */

static void env_files(svc_ctx *x, const cz_node *svc)
{
	const cz_node *l = want(x, svc, "", "env_file", SCALAR | SEQ);
	size_t n = !l ? 0 : l->kind == Y_SEQ ? l->nitems : 1;
	for (size_t i = 0; i < n; i++) {
		const cz_node *it = l->kind == Y_SEQ ? l->items[i] : l;
		const cz_node *pn = it;
		bool required = true;
		if (it->kind == Y_MAP) {
			pn = want(x, it, "env_file", "path", SCALAR);
			required = cz_bool(cz_get(it, "required")) != 0;
		}
		if (!pn || pn->kind != Y_SCALAR)
			continue;
		const char *path = cz_join(x->c->a, base_dir(x, pn), pn->s, x->c->home);
		pl_input in;
		char err[256];
		if (pl_read_file(path, PL_MAX_INPUT, &in, err, sizeof err) < 0) {
			if (required)
				cz_problem(x->c, pn, true, "env file %s not found: %s", path, err);
			continue;
		}
		cz_env vars = {0};
		const char *label = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		if (cz_dotenv_parse(x->c->a, in.data, in.len, label, cz_env_lookup, &x->c->env, &vars, err,
				    sizeof err) < 0)
			cz_problem(x->c, pn, true, "env file %s: %s", path, err);
		pl_input_free(&in);
		for (size_t j = 0; j < vars.n; j++) {
			pl_origin at = org(x, pn);
			at.via = vars.v[j].via;
			set_env(x, vars.v[j].name, vars.v[j].value, vars.v[j].via ? ENV_LITERAL : ENV_REFERENCE, at);
		}
	}
}

static void env_value(svc_ctx *x, const char *name, const cz_node *v, const cz_node *pos)
{
	if (!v || v->kind == Y_NULL) {
		set_env(x, name, NULL, ENV_REFERENCE, org(x, pos));
		return;
	}
	if (v->kind != Y_SCALAR) {
		cz_problem(x->c, v, true, "services.%s.environment.%s must be a string, number or boolean",
			   x->name, name);
		return;
	}
	set_env(x, name, v->env_ref ? NULL : v->s, v->env_ref ? ENV_REFERENCE : ENV_LITERAL, org(x, v));
}

static void environment(svc_ctx *x, const cz_node *svc)
{
	env_files(x, svc);
	const cz_node *e = want(x, svc, "", "environment", MAP | SEQ);
	if (!e)
		return;
	if (e->kind == Y_MAP) {
		for (size_t i = 0; i < e->npairs; i++)
			env_value(x, e->pairs[i].key, e->pairs[i].v, e->pairs[i].kn);
		return;
	}
	for (size_t i = 0; i < e->nitems; i++) {
		const cz_node *it = e->items[i];
		if (it->kind != Y_SCALAR) {
			cz_problem(x->c, it, true, "services.%s.environment entries must be strings", x->name);
			continue;
		}
		const char *eq = strchr(it->s, '=');
		if (!eq) {
			set_env(x, it->s, NULL, ENV_REFERENCE, org(x, it));
			continue;
		}
		cz_node v = *it;
		v.s = eq + 1;
		env_value(x, arena_strndup(x->c->a, it->s, (size_t)(eq - it->s)), &v, it);
	}
}

static void labels(svc_ctx *x, const cz_node *svc)
{
	const cz_node *l = want(x, svc, "", "labels", MAP | SEQ);
	if (!l)
		return;
	size_t n = l->kind == Y_MAP ? l->npairs : l->nitems;
	pl_container *o = x->o;
	o->label_keys = arena_alloc(x->c->a, (n + 1) * sizeof *o->label_keys);
	o->label_values = arena_alloc(x->c->a, (n + 1) * sizeof *o->label_values);
	for (size_t i = 0; i < n; i++) {
		const char *k, *v;
		if (l->kind == Y_MAP) {
			k = l->pairs[i].key;
			v = l->pairs[i].v->s;
		} else {
			const cz_node *it = l->items[i];
			if (it->kind != Y_SCALAR)
				continue;
			const char *eq = strchr(it->s, '=');
			k = eq ? arena_strndup(x->c->a, it->s, (size_t)(eq - it->s)) : it->s;
			v = eq ? eq + 1 : "";
		}
		o->label_keys[o->nlabels] = k;
		o->label_values[o->nlabels++] = v;
	}
}

/* --- image and build -------------------------------------------------------------------- */

static bool is_remote(const char *s)
{
	return strstr(s, "://") || strncmp(s, "git@", 4) == 0 || strncmp(s, "github.com/", 11) == 0;
}

static void build(svc_ctx *x, const cz_node *svc)
{
	const cz_node *b = want(x, svc, "", "build", SCALAR | MAP);
	if (!b)
		return;
	const cz_node *ctxn = b->kind == Y_SCALAR ? b : want(x, b, "build", "context", SCALAR);
	const char *ctx = ctxn ? ctxn->s : ".";
	const char *dir = base_dir(x, ctxn ? ctxn : b);
	const char *resolved = is_remote(ctx) ? ctx : cz_join(x->c->a, dir, ctx, x->c->home);
	x->o->build_context = resolved;
	if (b->kind == Y_MAP && cz_get(b, "dockerfile_inline"))
		return;
	const cz_node *df = b->kind == Y_MAP ? want(x, b, "build", "dockerfile", SCALAR) : NULL;
	const char *name = df ? df->s : "Dockerfile";
	if (is_remote(resolved))
		return;
	x->o->dockerfile = cz_join(x->c->a, resolved, name, x->c->home);
}

/* --- the service ------------------------------------------------------------------------ */

void cz_fill_service(cz_ctx *c, const char *name, const cz_node *key, const cz_node *svc,
		     pl_container *o)
{
	pl_container_init(o);
	svc_ctx x = {c, name, o, 0, 0, 0};
	o->source_kind = "compose";
	o->workload_kind = "service";
	o->workload = name;
	o->name = name;
	o->namespace_ = c->p->name;
	o->long_running = true;
	o->at = org(&x, key ? key : svc);
	buf b = BUF_INIT;
	buf_printf(&b, "service %s", name);
	o->target = arena_strdup(c->a, buf_str(&b));
	buf_free(&b);
	if (!svc || svc->kind != Y_MAP) {
		cz_problem(c, key ? key : svc, true,
			   "service \"%s\" has neither an image nor a build context specified", name);
		return;
	}

	o->image = str_of(&x, want(&x, svc, "", "image", SCALAR));
	build(&x, svc);
	/* `extends` is still there only when its base could not be read: that is reported
	 * already, and the base may well have supplied the image */
	if (!o->image.v && !cz_get(svc, "build") && !cz_get(svc, "provider") && !cz_get(svc, "extends"))
		cz_problem(c, key ? key : svc, true,
			   "service \"%s\" has neither an image nor a build context specified", name);
	o->user = str_of(&x, want(&x, svc, "", "user", SCALAR));
	caps(&x, svc, "cap_add", &o->cap_add, &o->cap_add_at, &o->ncap_add);
	caps(&x, svc, "cap_drop", &o->cap_drop, &o->cap_drop_at, &o->ncap_drop);
	o->privileged = flag_of(&x, svc, "", "privileged");
	o->read_only_root = flag_of(&x, svc, "", "read_only");
	o->use_api_socket = flag_of(&x, svc, "", "use_api_socket");
	security_opts(&x, svc);
	o->host_network = host_mode(&x, svc, "network_mode");
	o->host_pid = host_mode(&x, svc, "pid");
	o->host_ipc = host_mode(&x, svc, "ipc");
	o->host_uts = host_mode(&x, svc, "uts");
	volumes(&x, svc);
	tmpfs(&x, svc);
	file_refs(&x, svc, "secrets", MOUNT_SECRET);
	file_refs(&x, svc, "configs", MOUNT_CONFIG);
	ports(&x, svc);
	resources(&x, svc);
	healthcheck(&x, svc);
	logging(&x, svc);
	environment(&x, svc);
	labels(&x, svc);
	(void)want(&x, svc, "", "command", SCALAR | SEQ);
	(void)want(&x, svc, "", "entrypoint", SCALAR | SEQ);
	(void)want(&x, svc, "", "expose", SEQ);
	(void)want(&x, svc, "", "networks", SEQ | MAP);
	(void)want(&x, svc, "", "depends_on", SEQ | MAP);
}
