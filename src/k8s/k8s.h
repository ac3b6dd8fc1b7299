/* k8s.h - Kubernetes manifests read into containers, plus the objects that select them.
 *
 * Every container of every workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob, and any List of them) becomes one pl_container, with
 * the pod-level settings it inherits already applied and every value's origin kept. The
 * objects some rules relate workloads to (Service, PodDisruptionBudget, NetworkPolicy) are
 * recorded with their selectors, HorizontalPodAutoscalers with their target, and ConfigMaps with their data, so that rules like
 * "no NetworkPolicy selects this pod" see all manifests handed to one set: a set takes any
 * number of streams (every manifest of a directory) before rules look at it.
 *
 * Everything lives in the set's arena, strings included: streams may be freed once read.
 * Malformed input (wrong types, unknown operators, mounts naming no volume) never stops the
 * reader: the part is skipped and a problem with file, line and column is recorded. Documents
 * that are not mappings, kinds that are not listed above, and custom resources are ignored.
 *
 * How the model is filled, where Kubernetes leaves a choice:
 *   - init and ephemeral containers have init = true (the target says which); they are not
 *     long-running, except a restartable init container (restartPolicy: Always, a sidecar);
 *   - long_running is false for Jobs, CronJobs and Pods whose restartPolicy is not Always;
 *   - securityContext: the container's value wins; an inherited one keeps the pod-level
 *     node's origin with `via` set. seccomp reads "RuntimeDefault", "Localhost" or
 *     "unconfined" (field or annotation); AppArmor reads "runtime/default",
 *     "localhost/<profile>" or "unconfined" (field or annotation); selinux_disabled is true
 *     for seLinuxOptions type spc_t or unconfined_t, false for any other seLinuxOptions;
 *   - allowPrivilegeEscalation: false is no_new_privileges TRUE (and true is FALSE);
 *   - mounts join volumeMounts with the pod's volumes (and a StatefulSet's
 *     volumeClaimTemplates); the origin is the volumeMount, `via` names the volume. Secret,
 *     configMap, projected and downwardAPI mounts are read-only, as the kubelet mounts them;
 *   - resources: no defaulting of requests from limits (rules need what was written); a
 *     quantity is invalid when ParseQuantity refuses it, when it has no digit ("Gi", which
 *     Kubernetes takes as 0), or when it is negative (API validation refuses it);
 *   - probes: unwritten timings hold the Kubernetes defaults (period 10, timeout 1,
 *     initialDelay 0, failureThreshold 3) with set = false;
 *   - replicas: Deployment, StatefulSet, ReplicaSet, ReplicationController only; unwritten is
 *     1 with set = false;
 *   - env: value → ENV_LITERAL ("" when absent), secretKeyRef → ENV_SECRET_REF, any other
 *     valueFrom → ENV_REFERENCE; each envFrom is one entry named by its prefix ("" without),
 *     ENV_SECRET_REF for a secretRef, ENV_REFERENCE for a configMapRef, value NULL;
 *   - service_account: serviceAccountName, else the deprecated serviceAccount;
 *   - namespace "default" when metadata.namespace is not written. */
#ifndef PL_K8S_H
#define PL_K8S_H

#include "core/arena.h"
#include "model/container.h"
#include "yaml/yaml.h"

#include <stdbool.h>
#include <stddef.h>

/* Lists nest (a List of Lists); deeper than this is reported, not followed. */
#define PL_K8S_MAX_LIST_DEPTH 8

typedef struct pl_k8s_problem {
	const char *file;
	int line, col;
	const char *message;
} pl_k8s_problem;

typedef enum pl_k8s_op {
	K8S_OP_IN,
	K8S_OP_NOT_IN,
	K8S_OP_EXISTS,
	K8S_OP_DOES_NOT_EXIST,
} pl_k8s_op;

typedef struct pl_k8s_requirement {
	const char *key;
	pl_k8s_op op;
	const char **values;
	size_t nvalues;
} pl_k8s_requirement;

/* A label selector, already interpreted for its object kind: an empty selector that selects
 * nothing (a Service without selector, a policy/v1beta1 PDB with `{}`), a missing one, or one
 * Kubernetes would refuse (unknown operator, In without values) has none = true; otherwise
 * every label and every requirement must hold (so an empty one selects every pod of the
 * namespace, as NetworkPolicy `podSelector: {}` does). */
typedef struct pl_k8s_selector {
	bool none;
	const char **keys, **values;   /* matchLabels, or a Service's selector map */
	size_t nlabels;
	pl_k8s_requirement *exprs;     /* matchExpressions */
	size_t nexprs;
	pl_origin at;                  /* the selector (or the object when there is none) */
} pl_k8s_selector;

typedef enum pl_k8s_kind {
	K8S_SERVICE,
	K8S_PDB,
	K8S_NETWORK_POLICY,
	K8S_HPA,                       /* HorizontalPodAutoscaler: no selector (none = true) */
} pl_k8s_kind;

typedef struct pl_k8s_object {
	pl_k8s_kind kind;
	const char *name;
	const char *namespace_;        /* "default" when not written */
	pl_k8s_selector selector;      /* spec.selector, or NetworkPolicy spec.podSelector */
	bool ingress, egress;          /* NetworkPolicy: the directions it isolates (policyTypes,
					  or Ingress plus Egress when spec.egress is written) */
	const char *target_kind;       /* HPA: spec.scaleTargetRef kind and name */
	const char *target_name;
	pl_num min_replicas;           /* HPA: spec.minReplicas; unwritten is 1 with set = false */
	pl_origin at;                  /* the document */
} pl_k8s_object;

typedef struct pl_k8s_kv {
	const char *key;
	const char *value;
	pl_origin at;                  /* the value */
} pl_k8s_kv;

typedef struct pl_k8s_configmap {
	const char *name;
	const char *namespace_;
	pl_k8s_kv *data;               /* `data`, in document order */
	size_t ndata;
	pl_origin at;
} pl_k8s_configmap;

/* A workload and the containers it contributed: set->containers[first .. first + n). */
typedef struct pl_k8s_workload {
	const char *kind;              /* "Deployment", "CronJob", ... */
	const char *name;
	const char *namespace_;
	size_t first, n;
	pl_origin at;
} pl_k8s_workload;

typedef struct pl_k8s_set {
	arena mem;
	pl_container *containers;
	size_t ncontainers, cap_containers;
	pl_k8s_workload *workloads;
	size_t nworkloads, cap_workloads;
	pl_k8s_object *objects;
	size_t nobjects, cap_objects;
	pl_k8s_configmap *configmaps;
	size_t nconfigmaps, cap_configmaps;
	pl_k8s_problem *problems;
	size_t nproblems, cap_problems;
} pl_k8s_set;

void pl_k8s_set_init(pl_k8s_set *set);
void pl_k8s_set_free(pl_k8s_set *set);

/* Add every workload, selector object and ConfigMap of the stream to the set. Returns the
 * number of containers added (0 is not an error: the stream may hold none). */
int pl_k8s_read(const yaml_stream *y, pl_k8s_set *set);

/* Whether the selector's labels and requirements hold for these labels (no namespace
 * check). */
bool pl_k8s_selector_matches(const pl_k8s_selector *sel, const char *const *keys,
			     const char *const *values, size_t nlabels);

/* Whether the object selects the container's pod: same namespace and a matching selector. */
bool pl_k8s_selects(const pl_k8s_object *obj, const pl_container *c);

#endif
