/* resources.c - catalog section 3: limits and requests. PL301 memory-limit-missing, PL302
 * cpu-limit-missing, PL303 resource-requests-missing, PL304
 * resource-limits-missing-with-requests, PL305 pids-limit-missing, PL306
 * memory-request-exceeds-limit. Quantities arrive parsed (bytes, cores) in the model. */
#include "model/container.h"
#include "rules/util.h"

#include <string.h>

static bool is_k8s(const pl_container *c)
{
	return !strcmp(c->source_kind, "k8s");
}

static void mem_limit(pl_scan *s, const pl_container *c)
{
	if (!c->mem_limit.set && !c->mem_limit.invalid)
		pl_emit_origin(s, &c->at, -1, "KSV-0018 CKV_K8S_13 unset-memory-requirements "
			       "docker-bench-5.10", NULL,
			       "%s has no memory limit: one leak can take the whole node's memory",
			       c->target);
}

const pl_rule rule_PL301 = {
	.code = "PL301", .slug = "memory-limit-missing", .severity = SEV_HIGH,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "KSV-0018 CKV_K8S_13 unset-memory-requirements docker-bench-5.10",
	.summary = "No memory limit.",
	.why = "Without a limit a leaking or attacked container grows until the kernel's OOM "
	       "killer picks a victim, often another service on the same host.",
	.fix = "Set mem_limit or deploy.resources.limits.memory (compose), "
	       "resources.limits.memory (Kubernetes).",
	.fix_live = "docker update --memory 512m --memory-swap 512m <container> (in place), and set it "
		    "where the container is defined.",
	.check_container = mem_limit,
};

static void cpu_limit(pl_scan *s, const pl_container *c)
{
	if (!c->cpu_limit.set && !c->cpu_limit.invalid)
		pl_emit_origin(s, &c->at, -1, "KSV-0011 CKV_K8S_11 unset-cpu-requirements "
			       "docker-bench-5.11", NULL,
			       "%s has no CPU limit: a busy loop starves its neighbours", c->target);
}

const pl_rule rule_PL302 = {
	.code = "PL302", .slug = "cpu-limit-missing", .severity = SEV_MEDIUM,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "KSV-0011 CKV_K8S_11 unset-cpu-requirements docker-bench-5.11",
	.summary = "No CPU limit.",
	.why = "A container without a CPU limit can take every core of its host.",
	.fix = "Set cpus or deploy.resources.limits.cpus (compose), resources.limits.cpu "
	       "(Kubernetes).",
	.fix_live = "docker update --cpus 1 <container> (in place), and set it where the container is "
		    "defined.",
	.check_container = cpu_limit,
};

static void requests_missing(pl_scan *s, const pl_container *c)
{
	if (!is_k8s(c))
		return;
	if (c->mem_limit.set && !c->mem_request.set)
		pl_emit_origin(s, &c->mem_limit.at, -1, "KSV-0016 CKV_K8S_12", NULL,
			       "%s sets a memory limit but no memory request", c->target);
	if (c->cpu_limit.set && !c->cpu_request.set)
		pl_emit_origin(s, &c->cpu_limit.at, -1, "KSV-0015 CKV_K8S_10", NULL,
			       "%s sets a CPU limit but no CPU request", c->target);
}

const pl_rule rule_PL303 = {
	.code = "PL303", .slug = "resource-requests-missing", .severity = SEV_MEDIUM,
	.inputs = IN_K,
	.aka = "KSV-0016 KSV-0015 CKV_K8S_12 CKV_K8S_10",
	.summary = "Limits are set but requests are not.",
	.why = "The scheduler places pods by requests; without them (Kubernetes then copies the "
	       "limit) capacity planning and bin packing are guesses.",
	.fix = "Set resources.requests for memory and cpu.",
	.check_container = requests_missing,
};

static void limits_missing(pl_scan *s, const pl_container *c)
{
	if (!is_k8s(c))
		return;
	if (c->mem_request.set && !c->mem_limit.set)
		pl_emit_origin(s, &c->mem_request.at, -1, NULL, NULL,
			       "%s requests memory but sets no memory limit", c->target);
	if (c->cpu_request.set && !c->cpu_limit.set)
		pl_emit_origin(s, &c->cpu_request.at, -1, NULL, NULL,
			       "%s requests CPU but sets no CPU limit", c->target);
}

const pl_rule rule_PL304 = {
	.code = "PL304", .slug = "resource-limits-missing-with-requests", .severity = SEV_MEDIUM,
	.inputs = IN_K,
	.aka = "",
	.summary = "Requests are set but limits are not.",
	.why = "A pod that may use unbounded resources above its request is a noisy neighbour "
	       "under load.",
	.fix = "Set resources.limits next to the requests.",
	.check_container = limits_missing,
};

static void pids_limit(pl_scan *s, const pl_container *c)
{
	if (is_k8s(c) || c->pids_limit.set)
		return;
	pl_emit_origin(s, &c->at, -1, "docker-bench-5.28", NULL,
		       "%s has no PID limit: a fork bomb can exhaust the host's process table",
		       c->target);
}

const pl_rule rule_PL305 = {
	.code = "PL305", .slug = "pids-limit-missing", .severity = SEV_LOW,
	.inputs = IN_C | IN_L,
	.aka = "docker-bench-5.28",
	.summary = "No PID limit.",
	.why = "A runaway or malicious fork loop in one container takes down every process on "
	       "the host.",
	.fix = "pids_limit: 200 (or deploy.resources.limits.pids).",
	.fix_live = "docker update --pids-limit 200 <container> (in place), and set it where the container "
		    "is defined.",
	.check_container = pids_limit,
};

static void bad_quantities(pl_scan *s, const pl_container *c)
{
	const struct { const pl_num *n; const char *what; } q[] = {
		{&c->mem_limit, "memory limit"}, {&c->cpu_limit, "CPU limit"},
		{&c->mem_request, "memory request"}, {&c->cpu_request, "CPU request"},
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
		if (q[i].n->invalid)
			pl_emit_origin(s, &q[i].n->at, -1, NULL, NULL,
				       "%s: the %s '%s' is not a Kubernetes quantity", c->target,
				       q[i].what, q[i].n->text ? q[i].n->text : "");
	if (!is_k8s(c))
		return;
	if (c->mem_request.set && c->mem_limit.set && c->mem_request.v > c->mem_limit.v)
		pl_emit_origin(s, &c->mem_request.at, -1, NULL, NULL,
			       "%s requests more memory (%s) than its limit (%s): the API server "
			       "refuses it", c->target, c->mem_request.text,
			       c->mem_limit.text);
	if (c->cpu_request.set && c->cpu_limit.set && c->cpu_request.v > c->cpu_limit.v)
		pl_emit_origin(s, &c->cpu_request.at, -1, NULL, NULL,
			       "%s requests more CPU (%s) than its limit (%s): the API server "
			       "refuses it", c->target, c->cpu_request.text,
			       c->cpu_limit.text);
}

const pl_rule rule_PL306 = {
	.code = "PL306", .slug = "memory-request-exceeds-limit", .severity = SEV_HIGH,
	.inputs = IN_K,
	.aka = "",
	.summary = "A request is larger than its limit, or a value does not parse as a "
		   "Kubernetes quantity.",
	.why = "The API server rejects such a pod: the deployment fails at apply time.",
	.fix = "Make the request at most the limit; write quantities like 512Mi or 500m.",
	.check_container = bad_quantities,
};
