/* secrets.c - catalog section 6 in a Dockerfile: PL601 secret-in-environment and PL602
 * secret-in-build-arg. Values are never printed in full. */
#include "k8s/k8s.h"
#include "model/container.h"
#include "model/secrets.h"
#include "rules/util.h"

#include <string.h>

static void check_env(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			if (c->kind != DF_ENV)
				continue;
			for (size_t k = 0; k + 2 < c->nargs; k += 3) {
				const df_word *raw = &c->node->args[k + 1];
				const char *name = c->args[k], *val = c->args[k + 1];
				size_t vl = c->arg_lens[k + 1];
				if (pl_config_secret_allowed(s->cfg, NULL, val, vl, false))
					continue; /* allow.secrets in .plimsoll.yml */
				const char *kind = pl_secret_pattern(val, vl);
				char masked[64];
				pl_secret_mask(val, vl, masked, sizeof masked);
				if (kind)
					pl_emit(s, raw, "AVD-DS-0031", NULL,
						"ENV %s holds a literal %s (%s): it is stored in the image "
						"config for anyone who can pull the image", name, kind, masked);
				else if (pl_secret_name(name) && raw->s[0] != '$' &&
					 !pl_secret_value_trivial(val, vl))
					pl_emit(s, raw, "DL3064 AVD-DS-0031", NULL,
						"ENV %s sets a literal secret (%s): it is stored in the image "
						"config for anyone who can pull the image", name, masked);
			}
		}
	}
}

static void container_env(pl_scan *s, const pl_container *c);

const pl_rule rule_PL601 = {
	.code = "PL601", .slug = "secret-in-environment", .severity = SEV_CRITICAL,
	.inputs = IN_D | IN_C | IN_K | IN_I | IN_L,
	.aka = "DL3064 AVD-DS-0031 CKV_K8S_35 CIS-DI-0010",
	.summary = "An environment variable holds a literal secret.",
	.why = "Environment values are stored in the image config, compose files and manifests, "
	       "shown by docker inspect and logged by crash reporters: a secret there is public to "
	       "everyone with read access to any of them.",
	.fix = "Inject secrets at run time (Docker or Kubernetes secrets, a vault), or at build "
	       "time with RUN --mount=type=secret.",
	.fix_k8s = "env[].valueFrom.secretKeyRef (a Secret) instead of value:; rotate the "
	           "exposed value.",
	.fix_compose = "Use secrets: (files under /run/secrets) or environment: {VAR: ${VAR}} filled "
	               "by the deploying environment, not a literal; rotate the exposed value.",
	.fix_live = "Recreate it with the secret in a file (docker secrets, a read-only --mount) "
		    "rather than -e; rotate the exposed value.",
	.check_dockerfile = check_env,
	.check_container = container_env,
};

static void check_arg(pl_scan *s, const df_cmd *c)
{
	for (size_t k = 0; k < c->nargs; k++) {
		const df_word *w = &c->node->args[k];
		const char *eq = memchr(w->s, '=', w->len);
		char name[256];
		size_t nl = eq ? (size_t)(eq - w->s) : w->len;
		if (nl >= sizeof name)
			continue;
		memcpy(name, w->s, nl);
		name[nl] = '\0';
		if (pl_secret_name(name))
			pl_emit(s, w, "DL3064 AVD-DS-0031", NULL,
				"ARG %s looks like a secret: build arguments are recorded in the image "
				"history", name);
	}
}

static void check_args(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nglobal_cmds; i++)
		check_arg(s, &b->global_cmds[i]);
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++)
			if (b->stages[i].cmds[j].kind == DF_ARG)
				check_arg(s, &b->stages[i].cmds[j]);
}

const pl_rule rule_PL602 = {
	.code = "PL602", .slug = "secret-in-build-arg", .severity = SEV_HIGH, .inputs = IN_D,
	.aka = "DL3064 AVD-DS-0031",
	.summary = "An ARG with a secret-like name.",
	.why = "Build arguments used by a RUN are written into the image history "
	       "(docker history --no-trunc shows them) and into build caches.",
	.fix = "Pass secrets with RUN --mount=type=secret,id=<name> and docker build --secret.",
	.check_dockerfile = check_args,
};

/* The same practice for a container's environment (compose, Kubernetes, image, live). */
static void container_env(pl_scan *s, const pl_container *c)
{
	for (size_t i = 0; i < c->nenv; i++) {
		const pl_env *e = &c->env[i];
		if (e->kind != ENV_LITERAL || !e->value)
			continue;
		size_t vl = strlen(e->value);
		if (pl_config_secret_allowed(s->cfg, NULL, e->value, vl, false))
			continue;
		const char *kind = pl_secret_pattern(e->value, vl);
		char masked[64];
		pl_secret_mask(e->value, vl, masked, sizeof masked);
		if (kind)
			pl_emit_origin(s, &e->at, -1, "CKV_K8S_35 KSV-0109", NULL,
				       "%s: %s holds a literal %s (%s)", c->target, e->name, kind, masked);
		else if (pl_secret_name(e->name) && !pl_secret_value_trivial(e->value, vl))
			pl_emit_origin(s, &e->at, -1, "CKV_K8S_35 KSV-0109 env-var-secret", NULL,
				       "%s: %s is set to a literal secret (%s)", c->target, e->name,
				       masked);
	}
}

static void set_configmaps(pl_scan *s, const pl_k8s_set *set)
{
	for (size_t i = 0; i < set->nconfigmaps; i++) {
		const pl_k8s_configmap *cm = &set->configmaps[i];
		for (size_t k = 0; k < cm->ndata; k++) {
			const pl_k8s_kv *kv = &cm->data[k];
			if (!kv->value ||
			    pl_config_secret_allowed(s->cfg, NULL, kv->value, strlen(kv->value), false))
				continue;
			const char *kind = pl_secret_pattern(kv->value, strlen(kv->value));
			char masked[64];
			pl_secret_mask(kv->value, strlen(kv->value), masked, sizeof masked);
			if (kind)
				pl_emit_origin(s, &kv->at, -1, NULL, NULL,
					       "ConfigMap %s: %s holds a %s (%s); ConfigMaps are not "
					       "secret", cm->name, kv->key, kind, masked);
			else if (pl_secret_name(kv->key) && !pl_secret_value_trivial(kv->value, strlen(kv->value)) &&
				 !strchr(kv->value, '\n'))
				pl_emit_origin(s, &kv->at, -1, NULL, NULL,
					       "ConfigMap %s: %s looks like a secret (%s); ConfigMaps are "
					       "not secret", cm->name, kv->key, masked);
		}
	}
}

const pl_rule rule_PL610 = {
	.code = "PL610", .slug = "secret-in-configmap", .severity = SEV_HIGH, .inputs = IN_K,
	.aka = "",
	.summary = "A ConfigMap's data holds a value matching a credential pattern.",
	.why = "ConfigMaps are readable by anyone who can read the namespace, are not encrypted "
	       "at rest by default and end up in Git and logs.",
	.fix = "Move the value to a Secret (or an external secret store) and reference it.",
	.check_k8s_set = set_configmaps,
};
