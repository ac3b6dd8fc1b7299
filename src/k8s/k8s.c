/* k8s.c - see k8s.h.
 *
 * The reader walks each document by hand instead of through a schema: a manifest that
 * kubectl would refuse is still worth checking, so every lookup checks the node's type and a
 * mismatch becomes a problem with a position while the rest of the object is still read.
 *
 * Precedence follows the kubelet: a container's securityContext wins over the pod's, and the
 * seccomp/AppArmor fields win over the deprecated annotations. Values a container inherits
 * keep the origin of the pod-level node they came from, with `via` saying so. */
#include "k8s/k8s.h"

#include "model/quantity.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Reading state for one pl_k8s_read call (no globals: readers may run in parallel). */
typedef struct rd {
	pl_k8s_set *set;
	const char *src_file;  /* the yaml stream's file name ... */
	const char *file;      /* ... and its copy in the set's arena */
} rd;

static const char VIA_POD[] = "inherited from the pod securityContext";
static const char VIA_DEFAULT[] = "the Kubernetes default";

/* Arrays in the arena grow by doubling; arena_grow copies the old elements over. */
#define GROW(r, arr, n, cap)                                                                \
	do {                                                                                 \
		if ((n) == (cap)) {                                                          \
			size_t nc_ = (cap) ? (cap) * 2 : 8;                                  \
			(arr) = arena_grow(&(r)->set->mem, (arr), (n), nc_, sizeof *(arr));  \
			(cap) = nc_;                                                         \
		}                                                                            \
	} while (0)

/* --- strings, origins, problems ------------------------------------------------------ */

static const char *file_of(rd *r, const yaml_node *n)
{
	if (!n->file)
		return NULL;
	if (n->file != r->src_file) {
		r->src_file = n->file;
		r->file = arena_strdup(&r->set->mem, n->file);
	}
	return r->file;
}

static pl_origin origin(rd *r, const yaml_node *n, const char *via)
{
	pl_origin o = {0};
	if (!n)
		return o;
	o.file = file_of(r, n);
	o.line = n->line;
	o.col = n->col;
	o.end_line = n->end_line;
	o.end_col = n->end_col;
	o.via = via;
	return o;
}

static const char *dup(rd *r, const char *s)
{
	return arena_strdup(&r->set->mem, s);
}

static const char *fmt(rd *r, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(rd *r, const char *f, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, sizeof buf, f, ap);
	va_end(ap);
	return dup(r, buf);
}

static void problem(rd *r, const yaml_node *at, const char *f, ...) __attribute__((format(printf, 3, 4)));
static void problem(rd *r, const yaml_node *at, const char *f, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, sizeof buf, f, ap);
	va_end(ap);
	pl_k8s_set *s = r->set;
	GROW(r, s->problems, s->nproblems, s->cap_problems);
	pl_k8s_problem *p = &s->problems[s->nproblems++];
	memset(p, 0, sizeof *p);
	p->file = at ? file_of(r, at) : r->file;
	p->line = at ? at->line : 0;
	p->col = at ? at->col : 0;
	p->message = dup(r, buf);
}

/* A scalar's text, copied into the set (embedded NULs cut it short, harmlessly). */
static const char *str(rd *r, const yaml_node *n)
{
	return arena_strndup(&r->set->mem, n->s, n->len);
}

static bool absent(const yaml_node *n)
{
	return !n || n->kind == Y_NULL;
}

static const char *kind_name(const yaml_node *n)
{
	switch (n->kind) {
	case Y_MAP:
		return "a mapping";
	case Y_SEQ:
		return "a sequence";
	case Y_SCALAR:
		return "a scalar";
	default:
		return "null";
	}
}

static bool is_scalar_text(const yaml_node *n, const char *s)
{
	return n && n->kind == Y_SCALAR && strlen(s) == n->len && memcmp(n->s, s, n->len) == 0;
}

/* The pair for key in map, NULL when absent or map is not a mapping. */
static const yaml_pair *pair_of(const yaml_node *map, const char *key)
{
	if (!map || map->kind != Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->npairs; i++)
		if (is_scalar_text(map->pairs[i].key, key))
			return &map->pairs[i];
	return NULL;
}

static const yaml_node *get(const yaml_node *map, const char *key)
{
	const yaml_pair *p = pair_of(map, key);
	return p ? p->value : NULL;
}

/* Typed lookups: NULL when absent or null; a problem and NULL when of another type. */
static const yaml_node *get_typed(rd *r, const yaml_node *map, const char *key, yaml_kind want,
				  const char *want_name)
{
	const yaml_node *v = get(map, key);
	if (absent(v))
		return NULL;
	if (v->kind != want) {
		problem(r, v, "%s: expected %s, found %s", key, want_name, kind_name(v));
		return NULL;
	}
	return v;
}

static const yaml_node *get_map(rd *r, const yaml_node *map, const char *key)
{
	return get_typed(r, map, key, Y_MAP, "a mapping");
}

static const yaml_node *get_seq(rd *r, const yaml_node *map, const char *key)
{
	return get_typed(r, map, key, Y_SEQ, "a sequence");
}

static const yaml_node *get_scalar(rd *r, const yaml_node *map, const char *key)
{
	return get_typed(r, map, key, Y_SCALAR, "a scalar");
}

static const char *get_str(rd *r, const yaml_node *map, const char *key)
{
	const yaml_node *v = get_scalar(r, map, key);
	return v ? str(r, v) : NULL;
}

/* A boolean field into a flag; invert for fields that mean the opposite of the flag. */
static void read_flag(rd *r, const yaml_node *map, const char *key, pl_flag *f, bool invert,
		      const char *via)
{
	const yaml_node *v = get(map, key);
	if (absent(v))
		return;
	int b = yaml_bool(v);
	if (b < 0) {
		problem(r, v, "%s: expected true or false, found %s%s%s%s", key,
			v->kind == Y_SCALAR && v->quoted ? "\"" : "",
			v->kind == Y_SCALAR ? v->s : kind_name(v),
			v->kind == Y_SCALAR && v->quoted ? "\"" : "",
			v->kind == Y_SCALAR && v->quoted ? " (a quoted string)" : "");
		return;
	}
	f->v = (b != 0) != invert ? TRI_TRUE : TRI_FALSE;
	f->at = origin(r, v, via);
}

/* An integer field into a number; a non-integer is a problem and leaves it unset. */
static bool read_int(rd *r, const yaml_node *map, const char *key, pl_num *out, const char *via)
{
	const yaml_node *v = get(map, key);
	if (absent(v))
		return false;
	long long i;
	if (!yaml_int(v, &i)) {
		problem(r, v, "%s: expected an integer, found %s%s%s%s", key,
			v->kind == Y_SCALAR && v->quoted ? "\"" : "",
			v->kind == Y_SCALAR ? v->s : kind_name(v),
			v->kind == Y_SCALAR && v->quoted ? "\"" : "",
			v->kind == Y_SCALAR && v->quoted ? " (a quoted string)" : "");
		return false;
	}
	out->v = (double)i;
	out->set = true;
	out->invalid = false;
	out->text = str(r, v);
	out->at = origin(r, v, via);
	return true;
}

/* --- selectors -------------------------------------------------------------------------- */

/* A string map (labels, Service selector) into parallel key/value arrays. */
static void read_string_map(rd *r, const yaml_node *m, const char ***keys, const char ***values,
			    size_t *n)
{
	*keys = arena_alloc(&r->set->mem, (m->npairs + 1) * sizeof **keys);
	*values = arena_alloc(&r->set->mem, (m->npairs + 1) * sizeof **values);
	*n = 0;
	for (size_t i = 0; i < m->npairs; i++) {
		const yaml_node *k = m->pairs[i].key, *v = m->pairs[i].value;
		if (k->kind != Y_SCALAR) {
			problem(r, k, "a label key must be a scalar, found %s", kind_name(k));
			continue;
		}
		if (v->kind != Y_SCALAR && v->kind != Y_NULL) {
			problem(r, v, "%.*s: expected a string, found %s", (int)k->len, k->s,
				kind_name(v));
			continue;
		}
		(*keys)[*n] = str(r, k);
		(*values)[*n] = v->kind == Y_SCALAR ? str(r, v) : "";
		(*n)++;
	}
}

/* A metav1.LabelSelector (matchLabels, matchExpressions). Returns false when Kubernetes
 * would refuse it. */
static bool read_label_selector(rd *r, const yaml_node *sel, pl_k8s_selector *out)
{
	bool ok = true;
	const yaml_node *ml = get_map(r, sel, "matchLabels");
	if (ml)
		read_string_map(r, ml, &out->keys, &out->values, &out->nlabels);
	const yaml_node *me = get_seq(r, sel, "matchExpressions");
	if (!me)
		return ok;
	out->exprs = arena_alloc(&r->set->mem, (me->nitems + 1) * sizeof *out->exprs);
	for (size_t i = 0; i < me->nitems; i++) {
		const yaml_node *e = me->items[i];
		if (e->kind != Y_MAP) {
			problem(r, e, "matchExpressions: expected a mapping, found %s", kind_name(e));
			ok = false;
			continue;
		}
		pl_k8s_requirement *q = &out->exprs[out->nexprs];
		q->key = get_str(r, e, "key");
		const yaml_node *op = get_scalar(r, e, "operator");
		if (!q->key || !op) {
			problem(r, e, "a match expression needs a key and an operator");
			ok = false;
			continue;
		}
		if (is_scalar_text(op, "In"))
			q->op = K8S_OP_IN;
		else if (is_scalar_text(op, "NotIn"))
			q->op = K8S_OP_NOT_IN;
		else if (is_scalar_text(op, "Exists"))
			q->op = K8S_OP_EXISTS;
		else if (is_scalar_text(op, "DoesNotExist"))
			q->op = K8S_OP_DOES_NOT_EXIST;
		else {
			problem(r, op, "unknown selector operator '%s'", op->s);
			ok = false;
			continue;
		}
		const yaml_node *vals = get_seq(r, e, "values");
		size_t nv = vals ? vals->nitems : 0;
		q->values = arena_alloc(&r->set->mem, (nv + 1) * sizeof *q->values);
		for (size_t j = 0; j < nv; j++) {
			if (vals->items[j]->kind != Y_SCALAR) {
				problem(r, vals->items[j], "values: expected a string, found %s",
					kind_name(vals->items[j]));
				ok = false;
				continue;
			}
			q->values[q->nvalues++] = str(r, vals->items[j]);
		}
		bool wants_values = q->op == K8S_OP_IN || q->op == K8S_OP_NOT_IN;
		if (wants_values && q->nvalues == 0) {
			problem(r, op, "operator %s needs values", op->s);
			ok = false;
		} else if (!wants_values && nv > 0) {
			problem(r, vals, "operator %s takes no values", op->s);
			ok = false;
		}
		out->nexprs++;
	}
	return ok;
}

static bool has_label(const char *const *keys, const char *const *values, size_t n,
		      const char *key, const char **value)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i] && strcmp(keys[i], key) == 0) {
			*value = values[i];
			return true;
		}
	return false;
}

bool pl_k8s_selector_matches(const pl_k8s_selector *sel, const char *const *keys,
			     const char *const *values, size_t nlabels)
{
	if (sel->none)
		return false;
	const char *v;
	for (size_t i = 0; i < sel->nlabels; i++)
		if (!has_label(keys, values, nlabels, sel->keys[i], &v) ||
		    strcmp(v, sel->values[i]) != 0)
			return false;
	for (size_t i = 0; i < sel->nexprs; i++) {
		const pl_k8s_requirement *q = &sel->exprs[i];
		bool has = has_label(keys, values, nlabels, q->key, &v);
		bool in = false;
		for (size_t j = 0; has && j < q->nvalues; j++)
			if (strcmp(v, q->values[j]) == 0)
				in = true;
		bool ok;
		switch (q->op) {
		case K8S_OP_IN:
			ok = in;
			break;
		case K8S_OP_NOT_IN:
			ok = !in;
			break;
		case K8S_OP_EXISTS:
			ok = has;
			break;
		default:
			ok = !has;
			break;
		}
		if (!ok)
			return false;
	}
	return true;
}

bool pl_k8s_selects(const pl_k8s_object *obj, const pl_container *c)
{
	if (!obj->namespace_ || !c->namespace_ || strcmp(obj->namespace_, c->namespace_) != 0)
		return false;
	return pl_k8s_selector_matches(&obj->selector, c->label_keys, c->label_values, c->nlabels);
}

/* --- objects other than workloads ------------------------------------------------------- */

typedef struct meta {
	const char *name;
	const char *namespace_;
	const yaml_node *labels, *annotations;
} meta;

static void read_meta(rd *r, const yaml_node *doc, meta *m)
{
	memset(m, 0, sizeof *m);
	const yaml_node *md = get_map(r, doc, "metadata");
	m->name = md ? get_str(r, md, "name") : NULL;
	if (!m->name && md)
		m->name = get_str(r, md, "generateName");
	if (!m->name)
		m->name = "";
	m->namespace_ = md ? get_str(r, md, "namespace") : NULL;
	if (!m->namespace_ || !*m->namespace_)
		m->namespace_ = "default"; /* what kubectl apply uses without -n */
	if (md) {
		m->labels = get_map(r, md, "labels");
		m->annotations = get_map(r, md, "annotations");
	}
}

static pl_k8s_object *new_object(rd *r, pl_k8s_kind kind, const yaml_node *doc, const meta *m)
{
	pl_k8s_set *s = r->set;
	GROW(r, s->objects, s->nobjects, s->cap_objects);
	pl_k8s_object *o = &s->objects[s->nobjects++];
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->name = m->name;
	o->namespace_ = m->namespace_;
	o->at = origin(r, doc, NULL);
	o->selector.at = o->at;
	return o;
}

static void read_service(rd *r, const yaml_node *doc, const meta *m)
{
	pl_k8s_object *o = new_object(r, K8S_SERVICE, doc, m);
	const yaml_node *spec = get_map(r, doc, "spec");
	const yaml_node *sel = spec ? get_map(r, spec, "selector") : NULL;
	/* A Service without a selector (or with an empty one) has its endpoints managed by
	 * hand: it targets no pod. */
	o->selector.none = true;
	if (!sel)
		return;
	o->selector.at = origin(r, sel, NULL);
	read_string_map(r, sel, &o->selector.keys, &o->selector.values, &o->selector.nlabels);
	o->selector.none = o->selector.nlabels == 0;
}

static void read_pdb(rd *r, const yaml_node *doc, const meta *m)
{
	pl_k8s_object *o = new_object(r, K8S_PDB, doc, m);
	const yaml_node *spec = get_map(r, doc, "spec");
	const yaml_node *sel = spec ? get_map(r, spec, "selector") : NULL;
	if (!sel) {
		o->selector.none = true; /* a nil selector selects nothing */
		return;
	}
	o->selector.at = origin(r, sel, NULL);
	if (!read_label_selector(r, sel, &o->selector))
		o->selector.none = true;
	/* policy/v1 made `selector: {}` select every pod; in policy/v1beta1 it selected none. */
	const yaml_node *api = get(doc, "apiVersion");
	if (o->selector.nlabels == 0 && o->selector.nexprs == 0 &&
	    is_scalar_text(api, "policy/v1beta1"))
		o->selector.none = true;
}

static void read_netpol(rd *r, const yaml_node *doc, const meta *m)
{
	pl_k8s_object *o = new_object(r, K8S_NETWORK_POLICY, doc, m);
	const yaml_node *spec = get_map(r, doc, "spec");
	/* podSelector is required; absent or `{}` both mean every pod of the namespace. */
	const yaml_node *sel = spec ? get_map(r, spec, "podSelector") : NULL;
	if (sel) {
		o->selector.at = origin(r, sel, NULL);
		if (!read_label_selector(r, sel, &o->selector))
			o->selector.none = true;
	}
	const yaml_node *types = spec ? get_seq(r, spec, "policyTypes") : NULL;
	if (types) {
		for (size_t i = 0; i < types->nitems; i++) {
			if (is_scalar_text(types->items[i], "Ingress"))
				o->ingress = true;
			else if (is_scalar_text(types->items[i], "Egress"))
				o->egress = true;
			else
				problem(r, types->items[i], "policyTypes: expected Ingress or Egress");
		}
	} else {
		/* The API server's default: Ingress always, Egress when egress rules exist. */
		o->ingress = true;
		o->egress = spec && !absent(get(spec, "egress"));
	}
}

/* An HPA owns its target's replica count: what matters is minReplicas (default 1). */
static void read_hpa(rd *r, const yaml_node *doc, const meta *m)
{
	pl_k8s_object *o = new_object(r, K8S_HPA, doc, m);
	o->selector.none = true;
	o->min_replicas.v = 1;
	o->min_replicas.at = o->at;
	o->min_replicas.at.via = VIA_DEFAULT;
	const yaml_node *spec = get_map(r, doc, "spec");
	const yaml_node *ref = spec ? get_map(r, spec, "scaleTargetRef") : NULL;
	if (ref) {
		o->target_kind = get_str(r, ref, "kind");
		o->target_name = get_str(r, ref, "name");
	}
	if (spec)
		read_int(r, spec, "minReplicas", &o->min_replicas, NULL);
}

static void read_configmap(rd *r, const yaml_node *doc, const meta *m)
{
	pl_k8s_set *s = r->set;
	GROW(r, s->configmaps, s->nconfigmaps, s->cap_configmaps);
	pl_k8s_configmap *cm = &s->configmaps[s->nconfigmaps++];
	memset(cm, 0, sizeof *cm);
	cm->name = m->name;
	cm->namespace_ = m->namespace_;
	cm->at = origin(r, doc, NULL);
	const yaml_node *data = get_map(r, doc, "data");
	if (!data)
		return;
	cm->data = arena_alloc(&s->mem, (data->npairs + 1) * sizeof *cm->data);
	for (size_t i = 0; i < data->npairs; i++) {
		const yaml_node *k = data->pairs[i].key, *v = data->pairs[i].value;
		if (k->kind != Y_SCALAR || (v->kind != Y_SCALAR && v->kind != Y_NULL)) {
			problem(r, v, "data: expected string keys and values");
			continue;
		}
		pl_k8s_kv *kv = &cm->data[cm->ndata++];
		kv->key = str(r, k);
		kv->value = v->kind == Y_SCALAR ? str(r, v) : "";
		kv->at = origin(r, v, NULL);
	}
}

/* --- containers --------------------------------------------------------------------- */

/* Zero is TRI_FALSE, so every flag must be made unset explicitly. */
static void unset_flags(pl_flag *const *flags, size_t n)
{
	for (size_t i = 0; i < n; i++)
		flags[i]->v = TRI_UNSET;
}

/* What a pod template gives all its containers. */
typedef struct pod {
	const char *kind;
	const meta *m;
	const yaml_node *spec;
	bool long_running;
	pl_num replicas;
	/* pod-level securityContext, with origins pointing at it */
	pl_num run_as_user;
	pl_flag run_as_non_root;
	pl_str seccomp, apparmor;
	pl_flag selinux_disabled;
	pl_flag host_network, host_pid, host_ipc, automount;
	pl_str service_account;
	pl_str restart;
	const yaml_node *volumes;
	const yaml_node *claim_templates; /* StatefulSet volumeClaimTemplates */
	const char **label_keys, **label_values;
	size_t nlabels;
	const yaml_node *annotations;
} pod;

static const char *norm_seccomp(const char *t)
{
	if (strcmp(t, "Unconfined") == 0 || strcmp(t, "unconfined") == 0)
		return "unconfined";
	if (strcmp(t, "runtime/default") == 0 || strcmp(t, "docker/default") == 0)
		return "RuntimeDefault";
	if (strncmp(t, "localhost/", 10) == 0)
		return "Localhost";
	return t;
}

/* securityContext.seccompProfile.type, normalised to the model's spelling. */
static void read_seccomp(rd *r, const yaml_node *sc, pl_str *out, const char *via)
{
	const yaml_node *p = get_map(r, sc, "seccompProfile");
	const yaml_node *t = p ? get_scalar(r, p, "type") : NULL;
	if (!t)
		return;
	out->v = norm_seccomp(str(r, t));
	out->at = origin(r, t, via);
}

/* securityContext.appArmorProfile, in the annotation's spelling ("runtime/default",
 * "localhost/<profile>", "unconfined") so both sources compare alike. */
static void read_apparmor(rd *r, const yaml_node *sc, pl_str *out, const char *via)
{
	const yaml_node *p = get_map(r, sc, "appArmorProfile");
	const yaml_node *t = p ? get_scalar(r, p, "type") : NULL;
	if (!t)
		return;
	if (is_scalar_text(t, "RuntimeDefault"))
		out->v = "runtime/default";
	else if (is_scalar_text(t, "Unconfined"))
		out->v = "unconfined";
	else if (is_scalar_text(t, "Localhost")) {
		const char *prof = get_str(r, p, "localhostProfile");
		out->v = prof ? fmt(r, "localhost/%s", prof) : "localhost";
	} else
		out->v = str(r, t);
	out->at = origin(r, t, via);
}

/* seLinuxOptions: a type that runs the process unconfined counts as labelling disabled. */
static void read_selinux(rd *r, const yaml_node *sc, pl_flag *out, const char *via)
{
	const yaml_node *o = get_map(r, sc, "seLinuxOptions");
	if (!o)
		return;
	const yaml_node *t = get_scalar(r, o, "type");
	bool off = t && (is_scalar_text(t, "spc_t") || is_scalar_text(t, "unconfined_t"));
	out->v = off ? TRI_TRUE : TRI_FALSE;
	out->at = origin(r, t ? t : o, via);
}

/* The annotation <prefix><name> (name NULL: the key is prefix itself). */
static const yaml_node *annotation(const yaml_node *ann, const char *prefix, const char *name)
{
	if (!ann)
		return NULL;
	size_t pl = strlen(prefix);
	for (size_t i = 0; i < ann->npairs; i++) {
		const yaml_node *k = ann->pairs[i].key, *v = ann->pairs[i].value;
		if (k->kind != Y_SCALAR || v->kind != Y_SCALAR || k->len < pl ||
		    memcmp(k->s, prefix, pl) != 0)
			continue;
		if (name ? strcmp(k->s + pl, name) == 0 : k->len == pl)
			return v;
	}
	return NULL;
}

static void read_caps(rd *r, const yaml_node *caps, const char *key, const char ***names,
		      pl_origin **at, size_t *n)
{
	const yaml_node *l = get_seq(r, caps, key);
	if (!l)
		return;
	*names = arena_alloc(&r->set->mem, (l->nitems + 1) * sizeof **names);
	*at = arena_alloc(&r->set->mem, (l->nitems + 1) * sizeof **at);
	for (size_t i = 0; i < l->nitems; i++) {
		const yaml_node *c = l->items[i];
		if (c->kind != Y_SCALAR) {
			problem(r, c, "capabilities.%s: expected a name, found %s", key,
				kind_name(c));
			continue;
		}
		(*names)[*n] = str(r, c);
		(*at)[*n] = origin(r, c, NULL);
		(*n)++;
	}
}

static void read_security(rd *r, const yaml_node *cn, pl_container *c, const pod *p)
{
	/* Inherited first, so that whatever the container writes replaces it. */
	c->run_as_user = p->run_as_user;
	c->run_as_non_root = p->run_as_non_root;
	c->selinux_disabled = p->selinux_disabled;

	/* seccomp: pod annotation < container annotation < pod field < container field */
	const yaml_node *a = annotation(p->annotations, "seccomp.security.alpha.kubernetes.io/pod", NULL);
	if (a) {
		c->seccomp.v = norm_seccomp(str(r, a));
		c->seccomp.at = origin(r, a, "the pod seccomp annotation");
	}
	a = annotation(p->annotations, "container.seccomp.security.alpha.kubernetes.io/", c->name);
	if (a) {
		c->seccomp.v = norm_seccomp(str(r, a));
		c->seccomp.at = origin(r, a, "the container seccomp annotation");
	}
	if (p->seccomp.v)
		c->seccomp = p->seccomp;
	/* AppArmor: pod field < container annotation < container field */
	if (p->apparmor.v)
		c->apparmor = p->apparmor;
	a = annotation(p->annotations, "container.apparmor.security.beta.kubernetes.io/", c->name);
	if (a) {
		c->apparmor.v = str(r, a);
		c->apparmor.at = origin(r, a, "the AppArmor annotation");
	}

	const yaml_node *sc = get_map(r, cn, "securityContext");
	if (!sc)
		return;
	read_int(r, sc, "runAsUser", &c->run_as_user, NULL);
	read_flag(r, sc, "runAsNonRoot", &c->run_as_non_root, false, NULL);
	read_flag(r, sc, "privileged", &c->privileged, false, NULL);
	read_flag(r, sc, "readOnlyRootFilesystem", &c->read_only_root, false, NULL);
	/* allowPrivilegeEscalation: false is what sets no_new_privs */
	read_flag(r, sc, "allowPrivilegeEscalation", &c->no_new_privileges, true, NULL);
	read_seccomp(r, sc, &c->seccomp, NULL);
	read_apparmor(r, sc, &c->apparmor, NULL);
	read_selinux(r, sc, &c->selinux_disabled, NULL);
	const yaml_node *caps = get_map(r, sc, "capabilities");
	if (caps) {
		read_caps(r, caps, "add", &c->cap_add, &c->cap_add_at, &c->ncap_add);
		read_caps(r, caps, "drop", &c->cap_drop, &c->cap_drop_at, &c->ncap_drop);
	}
}

static const yaml_node *find_volume(const yaml_node *volumes, const char *name)
{
	if (!volumes)
		return NULL;
	for (size_t i = 0; i < volumes->nitems; i++)
		if (is_scalar_text(get(volumes->items[i], "name"), name))
			return volumes->items[i];
	return NULL;
}

/* One volumeMount joined with its pod volume. */
static bool read_mount(rd *r, const yaml_node *vm, const pod *p, pl_mount *out)
{
	if (vm->kind != Y_MAP) {
		problem(r, vm, "volumeMounts: expected a mapping, found %s", kind_name(vm));
		return false;
	}
	const char *name = get_str(r, vm, "name");
	const char *target = get_str(r, vm, "mountPath");
	if (!name || !target) {
		problem(r, vm, "a volumeMount needs a name and a mountPath");
		return false;
	}
	out->target = target;
	out->source = name;
	out->kind = MOUNT_OTHER;
	out->read_only = yaml_bool(get(vm, "readOnly")) == 1;
	const yaml_node *vol = find_volume(p->volumes, name);
	if (!vol) {
		/* a StatefulSet's per-replica claims are volumes too */
		for (size_t i = 0; p->claim_templates && i < p->claim_templates->nitems; i++) {
			const yaml_node *ct = p->claim_templates->items[i];
			if (is_scalar_text(get(get(ct, "metadata"), "name"), name)) {
				out->kind = MOUNT_VOLUME;
				out->at = origin(r, vm, fmt(r, "volumeClaimTemplate '%s' at line %d",
							    name, ct->line));
				return true;
			}
		}
		problem(r, vm, "volumeMount '%s' names no volume of the pod", name);
		return false;
	}
	/* The volume's type is the key present beside its name; its details are read when
	 * they have the right shape. */
	const yaml_node *src;
	if (pair_of(vol, "hostPath")) {
		out->kind = MOUNT_BIND;
		src = get_map(r, vol, "hostPath");
		const char *hp = src ? get_str(r, src, "path") : NULL;
		out->source = hp ? hp : "";
	} else if (pair_of(vol, "emptyDir")) {
		src = get_map(r, vol, "emptyDir"); /* `emptyDir: {}` or a bare `emptyDir:` */
		out->kind = is_scalar_text(get(src, "medium"), "Memory") ? MOUNT_TMPFS : MOUNT_EMPTYDIR;
	} else if (pair_of(vol, "secret")) {
		out->kind = MOUNT_SECRET;
		src = get_map(r, vol, "secret");
		const char *sn = src ? get_str(r, src, "secretName") : NULL;
		out->source = sn ? sn : name;
		out->read_only = true; /* the kubelet mounts API data volumes read-only */
	} else if (pair_of(vol, "configMap")) {
		out->kind = MOUNT_CONFIG;
		src = get_map(r, vol, "configMap");
		const char *cn = src ? get_str(r, src, "name") : NULL;
		out->source = cn ? cn : name;
		out->read_only = true;
	} else if (pair_of(vol, "persistentVolumeClaim")) {
		out->kind = MOUNT_VOLUME;
		src = get_map(r, vol, "persistentVolumeClaim");
		const char *cl = src ? get_str(r, src, "claimName") : NULL;
		out->source = cl ? cl : name;
		if (yaml_bool(get(src, "readOnly")) == 1)
			out->read_only = true;
	} else if (pair_of(vol, "projected") || pair_of(vol, "downwardAPI")) {
		out->read_only = true;
	}
	out->at = origin(r, vm, fmt(r, "volume '%s' at line %d", name, vol->line));
	return true;
}

static void read_mounts(rd *r, const yaml_node *cn, pl_container *c, const pod *p)
{
	const yaml_node *vms = get_seq(r, cn, "volumeMounts");
	if (!vms)
		return;
	c->mounts = arena_alloc(&r->set->mem, (vms->nitems + 1) * sizeof *c->mounts);
	for (size_t i = 0; i < vms->nitems; i++)
		if (read_mount(r, vms->items[i], p, &c->mounts[c->nmounts]))
			c->nmounts++;
}

static int port_number(rd *r, const yaml_node *m, const char *key)
{
	pl_num n = {0};
	if (!read_int(r, m, key, &n, NULL))
		return 0;
	if (n.v < 0 || n.v > 65535) {
		problem(r, get(m, key), "%s: %s is not a port number", key, n.text);
		return 0;
	}
	return (int)n.v;
}

static void read_ports(rd *r, const yaml_node *cn, pl_container *c)
{
	const yaml_node *ps = get_seq(r, cn, "ports");
	if (!ps)
		return;
	c->ports = arena_alloc(&r->set->mem, (ps->nitems + 1) * sizeof *c->ports);
	for (size_t i = 0; i < ps->nitems; i++) {
		const yaml_node *pn = ps->items[i];
		if (pn->kind != Y_MAP) {
			problem(r, pn, "ports: expected a mapping, found %s", kind_name(pn));
			continue;
		}
		pl_port *pt = &c->ports[c->nports++];
		pt->container_port = port_number(r, pn, "containerPort");
		pt->host_port = port_number(r, pn, "hostPort");
		pt->host_ip = get_str(r, pn, "hostIP");
		pt->protocol = get_str(r, pn, "protocol");
		if (!pt->protocol)
			pt->protocol = "TCP";
		pt->at = origin(r, pn, NULL);
	}
}

/* A resource quantity. Besides what ParseQuantity refuses, a text with no digit ("Gi",
 * which Kubernetes takes as 0) and a negative value (which API validation refuses for
 * requests and limits) are invalid. The API server trims spaces around a quantity. */
static void read_quantity(rd *r, const yaml_node *m, const char *key, pl_num *out)
{
	const yaml_node *v = get_scalar(r, m, key);
	if (!v)
		return;
	const char *s = v->s;
	size_t n = v->len;
	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	pl_quantity q;
	pl_quantity_parse(s, n, &q);
	out->set = true;
	out->text = str(r, v);
	out->at = origin(r, v, NULL);
	out->invalid = !q.valid || !q.has_digits || q.value < 0;
	out->v = out->invalid ? 0 : q.value;
}

static void read_resources(rd *r, const yaml_node *cn, pl_container *c)
{
	const yaml_node *res = get_map(r, cn, "resources");
	if (!res)
		return;
	const yaml_node *lim = get_map(r, res, "limits");
	const yaml_node *req = get_map(r, res, "requests");
	read_quantity(r, lim, "memory", &c->mem_limit);
	read_quantity(r, lim, "cpu", &c->cpu_limit);
	read_quantity(r, req, "memory", &c->mem_request);
	read_quantity(r, req, "cpu", &c->cpu_request);
}

/* A port as written (number or name), for a probe's `what`. */
static const char *port_text(rd *r, const yaml_node *h)
{
	const yaml_node *pt = get_scalar(r, h, "port");
	return pt ? pt->s : "";
}

static void timing(rd *r, const yaml_node *pr, const char *key, pl_num *out, double dflt,
		   const pl_origin *at)
{
	if (read_int(r, pr, key, out, NULL))
		return;
	out->v = dflt;
	out->set = false;
	out->at = *at;
	out->at.via = VIA_DEFAULT;
}

/* A probe; `what` is built so that the same check written twice gives the same text:
 * exec "argv joined by spaces", http "SCHEME host:port/path", tcp "host:port",
 * grpc "port service". */
static void read_probe(rd *r, const yaml_node *cn, const char *key, pl_probe *p)
{
	const yaml_pair *kv = pair_of(cn, key);
	if (!kv || absent(kv->value))
		return;
	const yaml_node *pr = kv->value;
	if (pr->kind != Y_MAP) {
		problem(r, pr, "%s: expected a mapping, found %s", key, kind_name(pr));
		return;
	}
	p->set = true;
	p->at = origin(r, kv->key, NULL);
	int handlers = 0;
	const yaml_node *h;
	if ((h = get_map(r, pr, "exec"))) {
		handlers++;
		p->kind = "exec";
		char buf[2048] = "";
		size_t used = 0;
		const yaml_node *cmd = get_seq(r, h, "command");
		for (size_t i = 0; cmd && i < cmd->nitems; i++) {
			const yaml_node *a = cmd->items[i];
			if (a->kind != Y_SCALAR) {
				problem(r, a, "command: expected a string, found %s", kind_name(a));
				continue;
			}
			int w = snprintf(buf + used, sizeof buf - used, "%s%s", i ? " " : "", a->s);
			if (w < 0 || (size_t)w >= sizeof buf - used)
				break; /* very long commands compare on their first 2 KiB */
			used += (size_t)w;
		}
		p->what = dup(r, buf);
	}
	if ((h = get_map(r, pr, "httpGet"))) {
		if (!handlers++) {
			const yaml_node *scheme = get_scalar(r, h, "scheme");
			const yaml_node *host = get_scalar(r, h, "host");
			const yaml_node *path = get_scalar(r, h, "path");
			p->kind = "http";
			p->what = fmt(r, "%s %s:%s%s", scheme ? scheme->s : "HTTP",
				      host ? host->s : "", port_text(r, h), path ? path->s : "/");
		}
	}
	if ((h = get_map(r, pr, "tcpSocket"))) {
		if (!handlers++) {
			const yaml_node *host = get_scalar(r, h, "host");
			p->kind = "tcp";
			p->what = fmt(r, "%s:%s", host ? host->s : "", port_text(r, h));
		}
	}
	if ((h = get_map(r, pr, "grpc"))) {
		if (!handlers++) {
			const yaml_node *svc = get_scalar(r, h, "service");
			p->kind = "grpc";
			p->what = fmt(r, "%s %s", port_text(r, h), svc ? svc->s : "");
		}
	}
	if (handlers == 0)
		problem(r, kv->key, "%s has no handler (exec, httpGet, tcpSocket or grpc)", key);
	else if (handlers > 1)
		problem(r, kv->key, "%s has more than one handler", key);
	timing(r, pr, "periodSeconds", &p->interval, 10, &p->at);
	timing(r, pr, "timeoutSeconds", &p->timeout, 1, &p->at);
	timing(r, pr, "initialDelaySeconds", &p->initial_delay, 0, &p->at);
	timing(r, pr, "failureThreshold", &p->retries, 3, &p->at);
}

static void read_env(rd *r, const yaml_node *cn, pl_container *c)
{
	const yaml_node *env = get_seq(r, cn, "env");
	const yaml_node *from = get_seq(r, cn, "envFrom");
	size_t cap = (env ? env->nitems : 0) + (from ? from->nitems : 0);
	if (cap == 0)
		return;
	c->env = arena_alloc(&r->set->mem, (cap + 1) * sizeof *c->env);
	for (size_t i = 0; env && i < env->nitems; i++) {
		const yaml_node *e = env->items[i];
		if (e->kind != Y_MAP) {
			problem(r, e, "env: expected a mapping, found %s", kind_name(e));
			continue;
		}
		const char *name = get_str(r, e, "name");
		if (!name) {
			problem(r, e, "an env entry needs a name");
			continue;
		}
		pl_env *ev = &c->env[c->nenv++];
		ev->name = name;
		ev->at = origin(r, e, NULL);
		const yaml_node *vf = get_map(r, e, "valueFrom");
		const yaml_node *val = get(e, "value");
		if (vf) {
			if (!absent(val))
				problem(r, val, "env %s has both value and valueFrom", name);
			ev->kind = absent(get(vf, "secretKeyRef")) ? ENV_REFERENCE : ENV_SECRET_REF;
			ev->at = origin(r, vf, NULL);
			continue;
		}
		ev->kind = ENV_LITERAL;
		ev->value = "";
		if (absent(val))
			continue;
		if (val->kind != Y_SCALAR) {
			problem(r, val, "value: expected a string, found %s", kind_name(val));
			continue;
		}
		ev->value = str(r, val);
		ev->at = origin(r, val, NULL);
	}
	/* envFrom imports a whole Secret or ConfigMap: one entry each, named by its prefix. */
	for (size_t i = 0; from && i < from->nitems; i++) {
		const yaml_node *e = from->items[i];
		if (e->kind != Y_MAP) {
			problem(r, e, "envFrom: expected a mapping, found %s", kind_name(e));
			continue;
		}
		bool secret = !absent(get(e, "secretRef"));
		if (!secret && absent(get(e, "configMapRef"))) {
			problem(r, e, "envFrom needs a secretRef or a configMapRef");
			continue;
		}
		const char *prefix = get_str(r, e, "prefix");
		pl_env *ev = &c->env[c->nenv++];
		ev->name = prefix ? prefix : "";
		ev->kind = secret ? ENV_SECRET_REF : ENV_REFERENCE;
		ev->at = origin(r, e, NULL);
	}
}

typedef enum ckind { C_MAIN, C_INIT, C_EPHEMERAL } ckind;

static void read_container(rd *r, const yaml_node *cn, size_t index, ckind ck, const pod *p)
{
	if (cn->kind != Y_MAP) {
		problem(r, cn, "a container must be a mapping, found %s", kind_name(cn));
		return;
	}
	pl_k8s_set *s = r->set;
	GROW(r, s->containers, s->ncontainers, s->cap_containers);
	pl_container *c = &s->containers[s->ncontainers++];
	pl_container_init(c);

	c->source_kind = "k8s";
	c->workload_kind = p->kind;
	c->workload = p->m->name;
	c->namespace_ = p->m->namespace_;
	c->name = get_str(r, cn, "name");
	if (!c->name) {
		problem(r, cn, "a container needs a name");
		c->name = fmt(r, "#%zu", index + 1);
	}
	c->init = ck != C_MAIN;
	/* A restartable init container is a sidecar: it runs as long as the pod does. */
	c->long_running = ck == C_MAIN ? p->long_running
		: ck == C_INIT && is_scalar_text(get(cn, "restartPolicy"), "Always") && p->long_running;
	c->at = origin(r, cn, NULL);
	c->target = fmt(r, "%s/%s %scontainer %s", p->kind, p->m->name,
			ck == C_INIT ? "init " : ck == C_EPHEMERAL ? "ephemeral " : "", c->name);

	const yaml_node *img = get_scalar(r, cn, "image");
	if (img) {
		c->image.v = str(r, img);
		c->image.at = origin(r, img, NULL);
	}

	c->host_network = p->host_network;
	c->host_pid = p->host_pid;
	c->host_ipc = p->host_ipc;
	c->automount_sa_token = p->automount;
	c->service_account = p->service_account;
	c->restart = p->restart;
	c->replicas = p->replicas;
	c->label_keys = p->label_keys;
	c->label_values = p->label_values;
	c->nlabels = p->nlabels;

	read_security(r, cn, c, p);
	read_mounts(r, cn, c, p);
	read_ports(r, cn, c);
	read_resources(r, cn, c);
	read_probe(r, cn, "livenessProbe", &c->liveness);
	read_probe(r, cn, "readinessProbe", &c->readiness);
	read_probe(r, cn, "startupProbe", &c->startup);
	read_env(r, cn, c);
}

static void read_container_list(rd *r, const pod *p, const char *key, ckind ck)
{
	const yaml_node *l = get_seq(r, p->spec, key);
	for (size_t i = 0; l && i < l->nitems; i++)
		read_container(r, l->items[i], i, ck, p);
}

/* --- workloads ------------------------------------------------------------------------ */

static bool has_replicas(const char *kind)
{
	return strcmp(kind, "Deployment") == 0 || strcmp(kind, "StatefulSet") == 0 ||
	       strcmp(kind, "ReplicaSet") == 0 || strcmp(kind, "ReplicationController") == 0;
}

/* doc: the object; pmeta/spec: the pod template's metadata and spec (for a Pod, its own). */
static void read_pod(rd *r, const char *kind, const yaml_node *doc, const meta *m,
		     const yaml_node *pmeta_node, const yaml_node *spec)
{
	pl_k8s_set *s = r->set;
	pod p;
	memset(&p, 0, sizeof p);
	p.kind = kind;
	p.m = m;
	p.spec = spec;
	p.run_as_user.v = -1;
	pl_flag *const flags[] = {&p.run_as_non_root, &p.selinux_disabled, &p.host_network,
				  &p.host_pid, &p.host_ipc, &p.automount};
	unset_flags(flags, sizeof flags / sizeof flags[0]);
	p.long_running = strcmp(kind, "Job") != 0 && strcmp(kind, "CronJob") != 0;

	const yaml_node *rp = get_scalar(r, spec, "restartPolicy");
	if (rp) {
		p.restart.v = str(r, rp);
		p.restart.at = origin(r, rp, NULL);
		if (strcmp(kind, "Pod") == 0 && !is_scalar_text(rp, "Always"))
			p.long_running = false; /* a Pod that is done once it exits */
	}
	if (has_replicas(kind)) {
		const yaml_node *ospec = get(doc, "spec");
		if (!read_int(r, ospec, "replicas", &p.replicas, NULL)) {
			p.replicas.v = 1; /* the API server's default */
			p.replicas.at = origin(r, ospec, VIA_DEFAULT);
		}
	}

	/* labels and annotations of the pod (the template's for controllers) */
	const yaml_node *labels = NULL;
	if (pmeta_node) {
		labels = get_map(r, pmeta_node, "labels");
		p.annotations = get_map(r, pmeta_node, "annotations");
	}
	if (labels)
		read_string_map(r, labels, &p.label_keys, &p.label_values, &p.nlabels);

	read_flag(r, spec, "hostNetwork", &p.host_network, false, NULL);
	read_flag(r, spec, "hostPID", &p.host_pid, false, NULL);
	read_flag(r, spec, "hostIPC", &p.host_ipc, false, NULL);
	read_flag(r, spec, "automountServiceAccountToken", &p.automount, false, NULL);
	/* serviceAccountName wins over its deprecated alias serviceAccount */
	const yaml_node *san = get_scalar(r, spec, "serviceAccountName");
	if (!san)
		san = get_scalar(r, spec, "serviceAccount");
	if (san && san->len) {
		p.service_account.v = str(r, san);
		p.service_account.at = origin(r, san, NULL);
	}
	p.volumes = get_seq(r, spec, "volumes");
	if (strcmp(kind, "StatefulSet") == 0)
		p.claim_templates = get_seq(r, get(doc, "spec"), "volumeClaimTemplates");
	for (size_t i = 0; p.volumes && i < p.volumes->nitems; i++)
		if (p.volumes->items[i]->kind != Y_MAP)
			problem(r, p.volumes->items[i], "volumes: expected a mapping, found %s",
				kind_name(p.volumes->items[i]));

	const yaml_node *psc = get_map(r, spec, "securityContext");
	if (psc) {
		read_int(r, psc, "runAsUser", &p.run_as_user, VIA_POD);
		read_flag(r, psc, "runAsNonRoot", &p.run_as_non_root, false, VIA_POD);
		read_seccomp(r, psc, &p.seccomp, VIA_POD);
		read_apparmor(r, psc, &p.apparmor, VIA_POD);
		read_selinux(r, psc, &p.selinux_disabled, VIA_POD);
	}

	GROW(r, s->workloads, s->nworkloads, s->cap_workloads);
	size_t w = s->nworkloads++;
	memset(&s->workloads[w], 0, sizeof s->workloads[w]);
	s->workloads[w].kind = kind;
	s->workloads[w].name = m->name;
	s->workloads[w].namespace_ = m->namespace_;
	s->workloads[w].at = origin(r, doc, NULL);
	s->workloads[w].first = s->ncontainers;

	read_container_list(r, &p, "initContainers", C_INIT);
	read_container_list(r, &p, "containers", C_MAIN);
	read_container_list(r, &p, "ephemeralContainers", C_EPHEMERAL);

	s->workloads[w].n = s->ncontainers - s->workloads[w].first;
	if (absent(get(spec, "containers")))
		problem(r, spec, "%s %s has no containers", kind, m->name);
}

/* Follow keys down from a node, each a mapping; NULL (with a problem when a node has the
 * wrong type) when the path breaks. */
static const yaml_node *path(rd *r, const yaml_node *n, const char *const *keys)
{
	for (; n && *keys; keys++)
		n = get_map(r, n, *keys);
	return n;
}

static void read_workload(rd *r, const char *kind, const yaml_node *doc, const meta *m)
{
	const yaml_node *pmeta, *spec;
	if (strcmp(kind, "Pod") == 0) {
		pmeta = get(doc, "metadata");
		spec = get_map(r, doc, "spec");
	} else {
		static const char *const tmpl[] = {"spec", "template", NULL};
		static const char *const cron[] = {"spec", "jobTemplate", "spec", "template", NULL};
		const yaml_node *t = path(r, doc, strcmp(kind, "CronJob") == 0 ? cron : tmpl);
		pmeta = t ? get_map(r, t, "metadata") : NULL;
		spec = t ? get_map(r, t, "spec") : NULL;
	}
	if (!spec) {
		problem(r, doc, "%s %s has no pod spec", kind, m->name);
		return;
	}
	read_pod(r, kind, doc, m, pmeta && pmeta->kind == Y_MAP ? pmeta : NULL, spec);
}

static const char *const WORKLOADS[] = {
	"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
	"Job", "CronJob",
};

static void read_doc(rd *r, const yaml_node *doc, int depth)
{
	if (!doc || doc->kind != Y_MAP)
		return; /* empty documents, stray scalars: not objects */
	const yaml_node *kn = get(doc, "kind");
	if (!kn || kn->kind != Y_SCALAR)
		return;
	const char *kind = kn->s;
	size_t kl = kn->len;

	if (kl >= 4 && strcmp(kind + kl - 4, "List") == 0) {
		const yaml_node *items = get_seq(r, doc, "items");
		if (!items)
			return;
		if (depth >= PL_K8S_MAX_LIST_DEPTH) {
			problem(r, doc, "Lists nested deeper than %d levels are not read",
				PL_K8S_MAX_LIST_DEPTH);
			return;
		}
		for (size_t i = 0; i < items->nitems; i++)
			read_doc(r, items->items[i], depth + 1);
		return;
	}
	for (size_t i = 0; i < sizeof WORKLOADS / sizeof WORKLOADS[0]; i++) {
		if (strcmp(kind, WORKLOADS[i]) == 0) {
			meta m;
			read_meta(r, doc, &m);
			read_workload(r, WORKLOADS[i], doc, &m);
			return;
		}
	}
	bool svc = strcmp(kind, "Service") == 0, pdb = strcmp(kind, "PodDisruptionBudget") == 0;
	bool np = strcmp(kind, "NetworkPolicy") == 0, cm = strcmp(kind, "ConfigMap") == 0;
	bool hpa = strcmp(kind, "HorizontalPodAutoscaler") == 0;
	if (!svc && !pdb && !np && !cm && !hpa)
		return; /* other kinds and custom resources */
	meta m;
	read_meta(r, doc, &m);
	if (svc)
		read_service(r, doc, &m);
	else if (pdb)
		read_pdb(r, doc, &m);
	else if (np)
		read_netpol(r, doc, &m);
	else if (hpa)
		read_hpa(r, doc, &m);
	else
		read_configmap(r, doc, &m);
}

void pl_k8s_set_init(pl_k8s_set *set)
{
	memset(set, 0, sizeof *set);
	arena_init(&set->mem);
}

void pl_k8s_set_free(pl_k8s_set *set)
{
	arena_free(&set->mem);
	memset(set, 0, sizeof *set);
}

int pl_k8s_read(const yaml_stream *y, pl_k8s_set *set)
{
	rd r = {.set = set};
	size_t before = set->ncontainers;
	if (y->file) {
		r.src_file = y->file;
		r.file = arena_strdup(&set->mem, y->file);
	}
	for (size_t i = 0; i < y->ndocs; i++)
		read_doc(&r, y->docs[i], 0);
	return (int)(set->ncontainers - before);
}
