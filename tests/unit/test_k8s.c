/* test_k8s.c - Kubernetes manifests into the container model: exact fields and origins for
 * realistic workloads (hardened, bad, pod/container precedence, CronJob, List, init and
 * ephemeral containers), selectors of Services, PDBs and NetworkPolicies across streams,
 * quantities, probes, env, ConfigMaps; then wrong types everywhere, and the whole
 * ../shared/corpus/k8s read without a crash. Streams are freed before the set is examined,
 * so the set must own everything (ASan checks it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/file.h"
#include "k8s/k8s.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* --- helpers ------------------------------------------------------------------------- */

static int load(pl_k8s_set *set, const char *file, const char *text)
{
	yaml_stream y;
	if (yaml_load(&y, file, text, strlen(text)) != 0)
		fail_msg("%s does not load: %d:%d: %s", file, y.err_line, y.err_col, y.err);
	int n = pl_k8s_read(&y, set);
	yaml_free(&y);
	return n;
}

/* 1-based column of needle on line `line` of text. */
static int col_of(const char *text, int line, const char *needle)
{
	const char *p = text;
	for (int l = 1; l < line; l++) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	const char *eol = strchr(p, '\n');
	if (!eol)
		eol = p + strlen(p);
	const char *hit = strstr(p, needle);
	if (!hit || hit >= eol)
		fail_msg("'%s' is not on line %d", needle, line);
	return (int)(hit - p) + 1;
}

/* The origin is file:line at the first occurrence of needle on that line. */
static void check_at(pl_origin o, const char *file, const char *text, int line, const char *needle)
{
	assert_non_null(o.file);
	assert_string_equal(o.file, file);
	if (o.line != line || o.col != col_of(text, line, needle))
		fail_msg("origin %d:%d, want %d:%d ('%s')", o.line, o.col, line,
			 col_of(text, line, needle), needle);
}

static const pl_container *find(const pl_k8s_set *set, const char *workload, const char *name)
{
	for (size_t i = 0; i < set->ncontainers; i++)
		if (strcmp(set->containers[i].workload, workload) == 0 &&
		    strcmp(set->containers[i].name, name) == 0)
			return &set->containers[i];
	fail_msg("no container %s/%s", workload, name);
	return NULL;
}

static const char *label(const pl_container *c, const char *key)
{
	for (size_t i = 0; i < c->nlabels; i++)
		if (strcmp(c->label_keys[i], key) == 0)
			return c->label_values[i];
	return NULL;
}

static bool has_problem(const pl_k8s_set *set, const char *part)
{
	for (size_t i = 0; i < set->nproblems; i++)
		if (strstr(set->problems[i].message, part))
			return true;
	return false;
}

static void dump_problems(const pl_k8s_set *set)
{
	for (size_t i = 0; i < set->nproblems; i++)
		print_message("# problem %s:%d:%d: %s\n", set->problems[i].file, set->problems[i].line,
			      set->problems[i].col, set->problems[i].message);
}

/* --- a hardened Deployment ----------------------------------------------------------- */

static const char HARDENED[] =
	"apiVersion: apps/v1\n"                                      /* 1 */
	"kind: Deployment\n"                                         /* 2 */
	"metadata:\n"                                                /* 3 */
	"  name: web\n"                                              /* 4 */
	"  namespace: shop\n"                                        /* 5 */
	"spec:\n"                                                    /* 6 */
	"  replicas: 3\n"                                            /* 7 */
	"  selector:\n"                                              /* 8 */
	"    matchLabels: {app: web}\n"                              /* 9 */
	"  template:\n"                                              /* 10 */
	"    metadata:\n"                                            /* 11 */
	"      labels:\n"                                            /* 12 */
	"        app: web\n"                                         /* 13 */
	"        tier: front\n"                                      /* 14 */
	"    spec:\n"                                                /* 15 */
	"      automountServiceAccountToken: false\n"                /* 16 */
	"      securityContext:\n"                                   /* 17 */
	"        runAsNonRoot: true\n"                               /* 18 */
	"        runAsUser: 10001\n"                                 /* 19 */
	"        seccompProfile:\n"                                  /* 20 */
	"          type: RuntimeDefault\n"                           /* 21 */
	"      containers:\n"                                        /* 22 */
	"      - name: app\n"                                        /* 23 */
	"        image: registry.example.com/web@sha256:0123\n"      /* 24 */
	"        securityContext:\n"                                 /* 25 */
	"          allowPrivilegeEscalation: false\n"                /* 26 */
	"          readOnlyRootFilesystem: true\n"                   /* 27 */
	"          privileged: false\n"                              /* 28 */
	"          capabilities:\n"                                  /* 29 */
	"            drop: [\"ALL\"]\n"                              /* 30 */
	"            add: [NET_BIND_SERVICE]\n"                      /* 31 */
	"        ports:\n"                                           /* 32 */
	"        - containerPort: 8080\n"                            /* 33 */
	"        resources:\n"                                       /* 34 */
	"          limits: {memory: 256Mi, cpu: 500m}\n"             /* 35 */
	"          requests:\n"                                      /* 36 */
	"            memory: 128Mi\n"                                /* 37 */
	"            cpu: 250m\n"                                    /* 38 */
	"        livenessProbe:\n"                                   /* 39 */
	"          httpGet: {path: /healthz, port: 8080}\n"          /* 40 */
	"          periodSeconds: 20\n"                              /* 41 */
	"        readinessProbe:\n"                                  /* 42 */
	"          httpGet: {path: /ready, port: 8080}\n"            /* 43 */
	"        volumeMounts:\n"                                    /* 44 */
	"        - name: tmp\n"                                      /* 45 */
	"          mountPath: /tmp\n"                                /* 46 */
	"      volumes:\n"                                           /* 47 */
	"      - name: tmp\n"                                        /* 48 */
	"        emptyDir: {medium: Memory}\n";                      /* 49 */

static void test_hardened_deployment(void **state)
{
	(void)state;
	const char *F = "deploy.yaml", *T = HARDENED;
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	assert_int_equal(load(&set, F, T), 1);
	dump_problems(&set);
	assert_int_equal(set.nproblems, 0);
	assert_int_equal(set.nworkloads, 1);
	assert_string_equal(set.workloads[0].kind, "Deployment");
	assert_int_equal(set.workloads[0].first, 0);
	assert_int_equal(set.workloads[0].n, 1);

	const pl_container *c = &set.containers[0];
	assert_string_equal(c->source_kind, "k8s");
	assert_string_equal(c->workload_kind, "Deployment");
	assert_string_equal(c->workload, "web");
	assert_string_equal(c->name, "app");
	assert_string_equal(c->namespace_, "shop");
	assert_string_equal(c->target, "Deployment/web container app");
	assert_false(c->init);
	assert_true(c->long_running);
	check_at(c->at, F, T, 23, "name: app");

	assert_string_equal(c->image.v, "registry.example.com/web@sha256:0123");
	check_at(c->image.at, F, T, 24, "registry");

	/* inherited from the pod: origin is the pod-level node */
	assert_true(c->run_as_user.set);
	assert_true(c->run_as_user.v == 10001);
	check_at(c->run_as_user.at, F, T, 19, "10001");
	assert_non_null(c->run_as_user.at.via);
	assert_int_equal(c->run_as_non_root.v, TRI_TRUE);
	check_at(c->run_as_non_root.at, F, T, 18, "true");
	assert_string_equal(c->seccomp.v, "RuntimeDefault");
	check_at(c->seccomp.at, F, T, 21, "RuntimeDefault");
	assert_non_null(c->seccomp.at.via);

	assert_int_equal(c->no_new_privileges.v, TRI_TRUE);
	check_at(c->no_new_privileges.at, F, T, 26, "false");
	assert_null(c->no_new_privileges.at.via);
	assert_int_equal(c->read_only_root.v, TRI_TRUE);
	check_at(c->read_only_root.at, F, T, 27, "true");
	assert_int_equal(c->privileged.v, TRI_FALSE);
	check_at(c->privileged.at, F, T, 28, "false");
	assert_int_equal(c->ncap_drop, 1);
	assert_string_equal(c->cap_drop[0], "ALL");
	check_at(c->cap_drop_at[0], F, T, 30, "\"ALL\"");
	assert_int_equal(c->ncap_add, 1);
	assert_string_equal(c->cap_add[0], "NET_BIND_SERVICE");
	check_at(c->cap_add_at[0], F, T, 31, "NET_BIND");
	assert_null(c->apparmor.v);
	assert_int_equal(c->selinux_disabled.v, TRI_UNSET);

	assert_int_equal(c->host_network.v, TRI_UNSET);
	assert_int_equal(c->host_pid.v, TRI_UNSET);
	assert_int_equal(c->host_ipc.v, TRI_UNSET);
	assert_int_equal(c->automount_sa_token.v, TRI_FALSE);
	check_at(c->automount_sa_token.at, F, T, 16, "false");

	assert_int_equal(c->nmounts, 1);
	assert_int_equal(c->mounts[0].kind, MOUNT_TMPFS);
	assert_string_equal(c->mounts[0].target, "/tmp");
	assert_string_equal(c->mounts[0].source, "tmp");
	assert_false(c->mounts[0].read_only);
	check_at(c->mounts[0].at, F, T, 45, "name: tmp");
	assert_non_null(strstr(c->mounts[0].at.via, "line 48"));

	assert_int_equal(c->nports, 1);
	assert_int_equal(c->ports[0].container_port, 8080);
	assert_int_equal(c->ports[0].host_port, 0);
	assert_null(c->ports[0].host_ip);
	assert_string_equal(c->ports[0].protocol, "TCP");
	check_at(c->ports[0].at, F, T, 33, "containerPort");

	assert_true(c->mem_limit.set && !c->mem_limit.invalid);
	assert_true(c->mem_limit.v == 268435456.0);
	assert_string_equal(c->mem_limit.text, "256Mi");
	check_at(c->mem_limit.at, F, T, 35, "256Mi");
	assert_true(c->cpu_limit.v == 0.5);
	check_at(c->cpu_limit.at, F, T, 35, "500m");
	assert_true(c->mem_request.v == 134217728.0);
	check_at(c->mem_request.at, F, T, 37, "128Mi");
	assert_true(c->cpu_request.v == 0.25);
	assert_false(c->pids_limit.set);

	assert_true(c->liveness.set);
	assert_string_equal(c->liveness.kind, "http");
	assert_string_equal(c->liveness.what, "HTTP :8080/healthz");
	check_at(c->liveness.at, F, T, 39, "livenessProbe");
	assert_true(c->liveness.interval.set && c->liveness.interval.v == 20);
	check_at(c->liveness.interval.at, F, T, 41, "20");
	assert_false(c->liveness.timeout.set);
	assert_true(c->liveness.timeout.v == 1);
	assert_false(c->liveness.retries.set);
	assert_true(c->liveness.retries.v == 3);
	assert_true(c->liveness.initial_delay.v == 0 && !c->liveness.initial_delay.set);
	assert_true(c->readiness.set);
	assert_string_equal(c->readiness.what, "HTTP :8080/ready");
	assert_false(c->startup.set);

	assert_true(c->replicas.set && c->replicas.v == 3);
	check_at(c->replicas.at, F, T, 7, "3");
	assert_int_equal(c->nlabels, 2);
	assert_string_equal(label(c, "app"), "web");
	assert_string_equal(label(c, "tier"), "front");
	assert_int_equal(c->nenv, 0);
	assert_null(c->restart.v);
	pl_k8s_set_free(&set);
}

/* --- a bad Pod ----------------------------------------------------------------------- */

static const char BAD_POD[] =
	"apiVersion: v1\n"                                 /* 1 */
	"kind: Pod\n"                                      /* 2 */
	"metadata:\n"                                      /* 3 */
	"  name: bad\n"                                    /* 4 */
	"spec:\n"                                          /* 5 */
	"  hostNetwork: true\n"                            /* 6 */
	"  hostPID: true\n"                                /* 7 */
	"  containers:\n"                                  /* 8 */
	"  - name: shell\n"                                /* 9 */
	"    image: ubuntu\n"                              /* 10 */
	"    securityContext:\n"                           /* 11 */
	"      privileged: true\n"                         /* 12 */
	"      runAsUser: 0\n"                             /* 13 */
	"      capabilities:\n"                            /* 14 */
	"        add: [\"SYS_ADMIN\"]\n"                   /* 15 */
	"    volumeMounts:\n"                              /* 16 */
	"    - name: sock\n"                               /* 17 */
	"      mountPath: /var/run/docker.sock\n"          /* 18 */
	"    - name: etc\n"                                /* 19 */
	"      mountPath: /host/etc\n"                     /* 20 */
	"      readOnly: true\n"                           /* 21 */
	"  volumes:\n"                                     /* 22 */
	"  - name: sock\n"                                 /* 23 */
	"    hostPath:\n"                                  /* 24 */
	"      path: /var/run/docker.sock\n"               /* 25 */
	"      type: Socket\n"                             /* 26 */
	"  - name: etc\n"                                  /* 27 */
	"    hostPath: {path: /etc}\n";                    /* 28 */

static void test_bad_pod(void **state)
{
	(void)state;
	const char *F = "bad.yaml", *T = BAD_POD;
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	assert_int_equal(load(&set, F, T), 1);
	assert_int_equal(set.nproblems, 0);
	const pl_container *c = find(&set, "bad", "shell");
	assert_string_equal(c->namespace_, "default");
	assert_string_equal(c->workload_kind, "Pod");
	assert_string_equal(c->target, "Pod/bad container shell");
	assert_true(c->long_running);
	assert_string_equal(c->image.v, "ubuntu");
	assert_int_equal(c->privileged.v, TRI_TRUE);
	check_at(c->privileged.at, F, T, 12, "true");
	assert_true(c->run_as_user.set && c->run_as_user.v == 0);
	check_at(c->run_as_user.at, F, T, 13, "0");
	assert_null(c->run_as_user.at.via);
	assert_int_equal(c->run_as_non_root.v, TRI_UNSET);
	assert_int_equal(c->ncap_add, 1);
	assert_string_equal(c->cap_add[0], "SYS_ADMIN");
	assert_int_equal(c->ncap_drop, 0);
	assert_int_equal(c->host_network.v, TRI_TRUE);
	check_at(c->host_network.at, F, T, 6, "true");
	assert_int_equal(c->host_pid.v, TRI_TRUE);
	assert_int_equal(c->host_ipc.v, TRI_UNSET);
	assert_int_equal(c->no_new_privileges.v, TRI_UNSET);
	assert_int_equal(c->read_only_root.v, TRI_UNSET);
	assert_int_equal(c->automount_sa_token.v, TRI_UNSET);
	assert_null(c->seccomp.v);
	assert_int_equal(c->nmounts, 2);
	assert_int_equal(c->mounts[0].kind, MOUNT_BIND);
	assert_string_equal(c->mounts[0].source, "/var/run/docker.sock");
	assert_string_equal(c->mounts[0].target, "/var/run/docker.sock");
	assert_false(c->mounts[0].read_only);
	check_at(c->mounts[0].at, F, T, 17, "name: sock");
	assert_int_equal(c->mounts[1].kind, MOUNT_BIND);
	assert_string_equal(c->mounts[1].source, "/etc");
	assert_true(c->mounts[1].read_only);
	assert_false(c->replicas.set);
	assert_false(c->mem_limit.set);
	assert_false(c->liveness.set);
	pl_k8s_set_free(&set);
}

/* --- pod versus container securityContext ----------------------------------------------- */

static const char PRECEDENCE[] =
	"kind: Pod\n"                                                           /* 1 */
	"metadata:\n"                                                           /* 2 */
	"  name: prec\n"                                                        /* 3 */
	"  annotations:\n"                                                      /* 4 */
	"    container.apparmor.security.beta.kubernetes.io/a: unconfined\n"    /* 5 */
	"    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n"       /* 6 */
	"    container.seccomp.security.alpha.kubernetes.io/b: unconfined\n"    /* 7 */
	"spec:\n"                                                               /* 8 */
	"  securityContext:\n"                                                  /* 9 */
	"    runAsUser: 1000\n"                                                 /* 10 */
	"    runAsNonRoot: true\n"                                              /* 11 */
	"    seLinuxOptions: {type: spc_t}\n"                                   /* 12 */
	"    appArmorProfile: {type: RuntimeDefault}\n"                         /* 13 */
	"  containers:\n"                                                       /* 14 */
	"  - name: a\n"                                                         /* 15 */
	"    image: x\n"                                                        /* 16 */
	"    securityContext:\n"                                                /* 17 */
	"      runAsUser: 0\n"                                                  /* 18 */
	"      runAsNonRoot: false\n"                                           /* 19 */
	"  - name: b\n"                                                         /* 20 */
	"    image: x\n"                                                        /* 21 */
	"  - name: c\n"                                                         /* 22 */
	"    image: x\n"                                                        /* 23 */
	"    securityContext:\n"                                                /* 24 */
	"      seccompProfile: {type: Localhost, localhostProfile: p.json}\n"   /* 25 */
	"      appArmorProfile: {type: Localhost, localhostProfile: k8s-nginx}\n" /* 26 */
	"      seLinuxOptions: {type: container_t}\n"                           /* 27 */
	"  - name: d\n"                                                         /* 28 */
	"    image: x\n"                                                        /* 29 */
	"    securityContext:\n"                                                /* 30 */
	"      seccompProfile: {type: Unconfined}\n"                            /* 31 */
	"      appArmorProfile: {type: Unconfined}\n";                          /* 32 */

static void test_precedence(void **state)
{
	(void)state;
	const char *F = "prec.yaml", *T = PRECEDENCE;
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	assert_int_equal(load(&set, F, T), 4);
	dump_problems(&set);
	assert_int_equal(set.nproblems, 0);

	const pl_container *a = find(&set, "prec", "a");
	assert_true(a->run_as_user.v == 0);
	check_at(a->run_as_user.at, F, T, 18, "0");
	assert_null(a->run_as_user.at.via);
	assert_int_equal(a->run_as_non_root.v, TRI_FALSE);
	check_at(a->run_as_non_root.at, F, T, 19, "false");
	/* the container's annotation beats the pod's appArmorProfile field */
	assert_string_equal(a->apparmor.v, "unconfined");
	check_at(a->apparmor.at, F, T, 5, "unconfined");
	/* only the pod annotation speaks of seccomp for a */
	assert_string_equal(a->seccomp.v, "RuntimeDefault");
	check_at(a->seccomp.at, F, T, 6, "runtime/default");
	assert_int_equal(a->selinux_disabled.v, TRI_TRUE);
	check_at(a->selinux_disabled.at, F, T, 12, "spc_t");

	const pl_container *b = find(&set, "prec", "b");
	assert_true(b->run_as_user.v == 1000);
	check_at(b->run_as_user.at, F, T, 10, "1000");
	assert_non_null(b->run_as_user.at.via);
	assert_int_equal(b->run_as_non_root.v, TRI_TRUE);
	check_at(b->run_as_non_root.at, F, T, 11, "true");
	assert_string_equal(b->seccomp.v, "unconfined");
	check_at(b->seccomp.at, F, T, 7, "unconfined");
	assert_string_equal(b->apparmor.v, "runtime/default");
	check_at(b->apparmor.at, F, T, 13, "RuntimeDefault");

	const pl_container *c = find(&set, "prec", "c");
	assert_string_equal(c->seccomp.v, "Localhost");
	check_at(c->seccomp.at, F, T, 25, "Localhost");
	assert_string_equal(c->apparmor.v, "localhost/k8s-nginx");
	assert_int_equal(c->selinux_disabled.v, TRI_FALSE);
	check_at(c->selinux_disabled.at, F, T, 27, "container_t");
	assert_true(c->run_as_user.v == 1000);

	const pl_container *d = find(&set, "prec", "d");
	assert_string_equal(d->seccomp.v, "unconfined");
	assert_string_equal(d->apparmor.v, "unconfined");
	check_at(d->apparmor.at, F, T, 32, "Unconfined");
	pl_k8s_set_free(&set);
}

/* --- Jobs, CronJobs and run-once Pods ------------------------------------------------- */

static const char BATCH[] =
	"apiVersion: batch/v1\n"
	"kind: CronJob\n"
	"metadata: {name: nightly, namespace: ops}\n"
	"spec:\n"
	"  schedule: \"0 3 * * *\"\n"
	"  jobTemplate:\n"
	"    spec:\n"
	"      template:\n"
	"        metadata:\n"
	"          labels: {job: nightly}\n"
	"        spec:\n"
	"          restartPolicy: OnFailure\n"
	"          containers:\n"
	"          - name: backup\n"
	"            image: backup:1.2\n"
	"---\n"
	"apiVersion: batch/v1\n"
	"kind: Job\n"
	"metadata: {name: once}\n"
	"spec:\n"
	"  template:\n"
	"    spec:\n"
	"      restartPolicy: Never\n"
	"      containers:\n"
	"      - {name: run, image: \"busybox:1.36\"}\n"
	"---\n"
	"kind: Pod\n"
	"metadata: {name: task}\n"
	"spec:\n"
	"  restartPolicy: Never\n"
	"  containers: [{name: t, image: alpine}]\n"
	"---\n"
	"kind: Pod\n"
	"metadata: {name: svc}\n"
	"spec:\n"
	"  restartPolicy: Always\n"
	"  containers: [{name: s, image: alpine}]\n"
	"---\n"
	"kind: ReplicationController\n"
	"metadata: {name: rc}\n"
	"spec:\n"
	"  replicas: 1\n"
	"  template:\n"
	"    spec:\n"
	"      containers: [{name: r, image: alpine}]\n";

static void test_batch(void **state)
{
	(void)state;
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	assert_int_equal(load(&set, "batch.yaml", BATCH), 5);
	assert_int_equal(set.nproblems, 0);
	const pl_container *c = find(&set, "nightly", "backup");
	assert_string_equal(c->workload_kind, "CronJob");
	assert_string_equal(c->target, "CronJob/nightly container backup");
	assert_string_equal(c->namespace_, "ops");
	assert_false(c->long_running);
	assert_string_equal(c->restart.v, "OnFailure");
	assert_int_equal(c->restart.at.line, 12);
	assert_string_equal(label(c, "job"), "nightly");
	assert_string_equal(c->image.v, "backup:1.2");
	assert_false(c->replicas.set);

	c = find(&set, "once", "run");
	assert_string_equal(c->workload_kind, "Job");
	assert_false(c->long_running);
	assert_string_equal(c->image.v, "busybox:1.36");
	assert_false(find(&set, "task", "t")->long_running);
	assert_true(find(&set, "svc", "s")->long_running);
	c = find(&set, "rc", "r");
	assert_true(c->replicas.set && c->replicas.v == 1);
	assert_true(c->long_running);
	pl_k8s_set_free(&set);
}

/* --- Lists --------------------------------------------------------------------------- */

static const char LIST[] =
	"apiVersion: v1\n"
	"kind: List\n"
	"items:\n"
	"- apiVersion: apps/v1\n"
	"  kind: Deployment\n"
	"  metadata: {name: a}\n"
	"  spec:\n"
	"    template:\n"
	"      spec:\n"
	"        containers: [{name: x, image: i}]\n"
	"- kind: List\n"
	"  items:\n"
	"  - kind: StatefulSet\n"
	"    metadata: {name: db}\n"
	"    spec:\n"
	"      volumeClaimTemplates: [{metadata: {name: data}}]\n"
	"      template:\n"
	"        spec:\n"
	"          containers: [{name: pg, image: postgres, volumeMounts: [{name: data, "
	"mountPath: /var/lib/postgresql/data}]}]\n"
	"  - kind: Service\n"
	"    metadata: {name: db}\n"
	"    spec: {selector: {app: db}}\n"
	"- \"garbage\"\n"
	"- 42\n"
	"- kind: MyCustomThing\n"
	"  spec: {containers: [{name: nope}]}\n"
	"- kind: DaemonSet\n"
	"  metadata: {name: agent}\n"
	"  spec:\n"
	"    template:\n"
	"      spec:\n"
	"        containers: [{name: ag, image: agent}]\n";

static void test_list(void **state)
{
	(void)state;
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	assert_int_equal(load(&set, "list.yaml", LIST), 3);
	dump_problems(&set);
	assert_int_equal(set.nproblems, 0);
	assert_int_equal(set.nobjects, 1);
	assert_int_equal(set.objects[0].kind, K8S_SERVICE);
	const pl_container *c = find(&set, "a", "x");
	assert_false(c->replicas.set);
	assert_true(c->replicas.v == 1); /* the API default, not written */
	c = find(&set, "db", "pg");
	assert_string_equal(c->workload_kind, "StatefulSet");
	assert_false(c->replicas.set);
	assert_true(c->replicas.v == 1);
	assert_int_equal(c->nmounts, 1);
	assert_int_equal(c->mounts[0].kind, MOUNT_VOLUME);
	assert_string_equal(c->mounts[0].source, "data");
	assert_string_equal(c->mounts[0].target, "/var/lib/postgresql/data");
	c = find(&set, "agent", "ag");
	assert_false(c->replicas.set);
	assert_true(c->replicas.v == 0);
	assert_int_equal(c->at.line, 32);

	/* nesting is bounded */
	char deep[4096] = "";
	size_t used = 0;
	for (int i = 0; i < PL_K8S_MAX_LIST_DEPTH + 4; i++)
		used += (size_t)snprintf(deep + used, sizeof deep - used, "%*skind: List\n%*sitems:\n%*s- ",
					  0, "", i * 2, "", i * 2, "");
	snprintf(deep + used, sizeof deep - used, "kind: Pod\n");
	pl_k8s_set set2;
	pl_k8s_set_init(&set2);
	yaml_stream y;
	assert_int_equal(yaml_load(&y, "deep.yaml", deep, strlen(deep)), 0);
	assert_int_equal(pl_k8s_read(&y, &set2), 0);
	assert_true(has_problem(&set2, "nested deeper"));
	yaml_free(&y);
	pl_k8s_set_free(&set2);
	pl_k8s_set_free(&set);
}

/* --- init, sidecar and ephemeral containers -------------------------------------------- */

static const char INIT[] =
	"kind: Deployment\n"
	"metadata: {name: web}\n"
	"spec:\n"
	"  template:\n"
	"    spec:\n"
	"      initContainers:\n"
	"      - name: migrate\n"
	"        image: m\n"
	"      - name: proxy\n"
	"        image: p\n"
	"        restartPolicy: Always\n"
	"      containers:\n"
	"      - name: app\n"
	"        image: a\n"
	"      ephemeralContainers:\n"
	"      - name: debug\n"
	"        image: busybox\n";

static void test_init_containers(void **state)
{
	(void)state;
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	assert_int_equal(load(&set, "init.yaml", INIT), 4);
	assert_int_equal(set.nworkloads, 1);
	assert_int_equal(set.workloads[0].n, 4);
	const pl_container *c = &set.containers[0];
	assert_string_equal(c->name, "migrate");
	assert_true(c->init);
	assert_false(c->long_running);
	assert_string_equal(c->target, "Deployment/web init container migrate");
	c = &set.containers[1];
	assert_string_equal(c->name, "proxy");
	assert_true(c->init);
	assert_true(c->long_running); /* a native sidecar */
	c = &set.containers[2];
	assert_string_equal(c->name, "app");
	assert_false(c->init);
	assert_true(c->long_running);
	c = &set.containers[3];
	assert_string_equal(c->name, "debug");
	assert_true(c->init);
	assert_false(c->long_running);
	assert_string_equal(c->target, "Deployment/web ephemeral container debug");
	pl_k8s_set_free(&set);
}

/* --- selectors ----------------------------------------------------------------------- */

static const char WORKLOADS[] =
	"kind: Deployment\n"
	"metadata: {name: web, namespace: shop}\n"
	"spec:\n"
	"  template:\n"
	"    metadata: {labels: {app: web, tier: front}}\n"
	"    spec: {containers: [{name: app, image: a}]}\n"
	"---\n"
	"kind: Deployment\n"
	"metadata: {name: web, namespace: other}\n"
	"spec:\n"
	"  template:\n"
	"    metadata: {labels: {app: web}}\n"
	"    spec: {containers: [{name: app, image: a}]}\n"
	"---\n"
	"kind: Pod\n"
	"metadata: {name: db, namespace: shop, labels: {app: db, env: prod}}\n"
	"spec: {containers: [{name: pg, image: p}]}\n"
	"---\n"
	"kind: Pod\n"
	"metadata: {name: canary, namespace: shop, labels: {app: api, canary: \"true\"}}\n"
	"spec: {containers: [{name: c, image: p}]}\n";

static const char SELECTORS[] =
	"kind: Service\n"                                                        /* 1 */
	"metadata: {name: web, namespace: shop}\n"                               /* 2 */
	"spec: {selector: {app: web}}\n"                                         /* 3 */
	"---\n"                                                                  /* 4 */
	"kind: Service\n"                                                        /* 5 */
	"metadata: {name: external, namespace: shop}\n"                          /* 6 */
	"spec: {type: ExternalName, externalName: example.com}\n"                /* 7 */
	"---\n"                                                                  /* 8 */
	"apiVersion: policy/v1\n"                                                /* 9 */
	"kind: PodDisruptionBudget\n"                                            /* 10 */
	"metadata: {name: front, namespace: shop}\n"                             /* 11 */
	"spec:\n"                                                                /* 12 */
	"  minAvailable: 1\n"                                                    /* 13 */
	"  selector:\n"                                                          /* 14 */
	"    matchExpressions:\n"                                                /* 15 */
	"    - {key: app, operator: In, values: [web, api]}\n"                   /* 16 */
	"    - {key: canary, operator: DoesNotExist}\n"                          /* 17 */
	"---\n"                                                                  /* 18 */
	"apiVersion: policy/v1beta1\n"                                           /* 19 */
	"kind: PodDisruptionBudget\n"                                            /* 20 */
	"metadata: {name: old, namespace: shop}\n"                               /* 21 */
	"spec: {selector: {}}\n"                                                 /* 22 */
	"---\n"                                                                  /* 23 */
	"apiVersion: policy/v1\n"                                                /* 24 */
	"kind: PodDisruptionBudget\n"                                            /* 25 */
	"metadata: {name: all, namespace: shop}\n"                               /* 26 */
	"spec: {selector: {}}\n"                                                 /* 27 */
	"---\n"                                                                  /* 28 */
	"kind: NetworkPolicy\n"                                                  /* 29 */
	"metadata: {name: deny, namespace: shop}\n"                              /* 30 */
	"spec: {podSelector: {}}\n"                                              /* 31 */
	"---\n"                                                                  /* 32 */
	"kind: NetworkPolicy\n"                                                  /* 33 */
	"metadata: {name: web-back, namespace: other}\n"                         /* 34 */
	"spec:\n"                                                                /* 35 */
	"  podSelector:\n"                                                       /* 36 */
	"    matchLabels: {app: web}\n"                                          /* 37 */
	"    matchExpressions: [{key: tier, operator: NotIn, values: [front]}]\n" /* 38 */
	"  policyTypes: [Egress]\n"                                              /* 39 */
	"---\n"                                                                  /* 40 */
	"kind: NetworkPolicy\n"                                                  /* 41 */
	"metadata: {name: broken, namespace: shop}\n"                            /* 42 */
	"spec:\n"                                                                /* 43 */
	"  podSelector:\n"                                                       /* 44 */
	"    matchExpressions: [{key: app, operator: Near, values: [web]}]\n"    /* 45 */
	"---\n"                                                                  /* 46 */
	"kind: NetworkPolicy\n"                                                  /* 47 */
	"metadata: {name: prod, namespace: shop}\n"                              /* 48 */
	"spec:\n"                                                                /* 49 */
	"  podSelector: {matchExpressions: [{key: env, operator: Exists}]}\n"    /* 50 */
	"  egress: []\n";                                                        /* 51 */

static const pl_k8s_object *object(const pl_k8s_set *set, pl_k8s_kind kind, const char *name)
{
	for (size_t i = 0; i < set->nobjects; i++)
		if (set->objects[i].kind == kind && strcmp(set->objects[i].name, name) == 0)
			return &set->objects[i];
	fail_msg("no object %s", name);
	return NULL;
}

static void test_selectors(void **state)
{
	(void)state;
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	/* two streams into one set: selectors match across files */
	assert_int_equal(load(&set, "workloads.yaml", WORKLOADS), 4);
	assert_int_equal(load(&set, "policies.yaml", SELECTORS), 0);
	assert_int_equal(set.nobjects, 9);
	assert_true(has_problem(&set, "unknown selector operator 'Near'"));
	assert_int_equal(set.nproblems, 1);
	assert_string_equal(set.problems[0].file, "policies.yaml");
	assert_int_equal(set.problems[0].line, 45);

	const pl_container *web = NULL, *web_other = NULL;
	for (size_t i = 0; i < set.ncontainers; i++) {
		if (strcmp(set.containers[i].workload, "web") != 0)
			continue;
		if (strcmp(set.containers[i].namespace_, "shop") == 0)
			web = &set.containers[i];
		else
			web_other = &set.containers[i];
	}
	assert_non_null(web);
	assert_non_null(web_other);
	const pl_container *db = find(&set, "db", "pg");
	const pl_container *canary = find(&set, "canary", "c");

	const pl_k8s_object *svc = object(&set, K8S_SERVICE, "web");
	assert_string_equal(svc->namespace_, "shop");
	assert_true(pl_k8s_selects(svc, web));
	assert_false(pl_k8s_selects(svc, web_other)); /* other namespace */
	assert_false(pl_k8s_selects(svc, db));
	assert_int_equal(svc->selector.at.line, 3);
	assert_string_equal(svc->selector.at.file, "policies.yaml");
	const pl_k8s_object *ext = object(&set, K8S_SERVICE, "external");
	assert_true(ext->selector.none);
	assert_false(pl_k8s_selects(ext, web));

	const pl_k8s_object *front = object(&set, K8S_PDB, "front");
	assert_int_equal(front->selector.nexprs, 2);
	assert_true(pl_k8s_selects(front, web));
	assert_false(pl_k8s_selects(front, db));      /* app not in (web, api) */
	assert_false(pl_k8s_selects(front, canary));  /* has canary */
	assert_false(pl_k8s_selects(front, web_other));
	assert_false(pl_k8s_selects(object(&set, K8S_PDB, "old"), web));
	const pl_k8s_object *all = object(&set, K8S_PDB, "all");
	assert_true(pl_k8s_selects(all, web) && pl_k8s_selects(all, db));
	assert_false(pl_k8s_selects(all, web_other));

	const pl_k8s_object *deny = object(&set, K8S_NETWORK_POLICY, "deny");
	assert_true(pl_k8s_selects(deny, web) && pl_k8s_selects(deny, db) &&
		    pl_k8s_selects(deny, canary));
	assert_false(pl_k8s_selects(deny, web_other));
	assert_true(deny->ingress);
	assert_false(deny->egress);
	const pl_k8s_object *back = object(&set, K8S_NETWORK_POLICY, "web-back");
	assert_true(pl_k8s_selects(back, web_other)); /* no tier label: NotIn holds */
	assert_false(pl_k8s_selects(back, web));
	assert_false(back->ingress);
	assert_true(back->egress);
	const pl_k8s_object *broken = object(&set, K8S_NETWORK_POLICY, "broken");
	assert_true(broken->selector.none);
	assert_false(pl_k8s_selects(broken, web));
	const pl_k8s_object *prod = object(&set, K8S_NETWORK_POLICY, "prod");
	assert_true(pl_k8s_selects(prod, db));
	assert_false(pl_k8s_selects(prod, web));
	assert_true(prod->ingress && prod->egress);

	/* the matcher on its own */
	const char *keys[] = {"app"}, *vals[] = {"web"};
	assert_true(pl_k8s_selector_matches(&svc->selector, keys, vals, 1));
	assert_false(pl_k8s_selector_matches(&svc->selector, NULL, NULL, 0));
	pl_k8s_set_free(&set);
}

/* --- quantities ---------------------------------------------------------------------- */

static const char QUANTITIES[] =
	"kind: Pod\n"
	"metadata: {name: q}\n"
	"spec:\n"
	"  containers:\n"
	"  - name: ok\n"
	"    resources:\n"
	"      limits: {memory: \" 1Gi \", cpu: \"2\"}\n"
	"      requests: {memory: 1G, cpu: 0.5}\n"
	"  - name: bad\n"
	"    resources:\n"
	"      limits: {memory: 1gi, cpu: Gi}\n"
	"      requests: {memory: -1Gi, cpu: 1.5.5}\n"
	"  - name: empty\n"
	"    resources:\n"
	"      limits: {memory: \"\", cpu: }\n"
	"      requests: [1]\n"
	"  - name: odd\n"
	"    resources:\n"
	"      limits: {memory: 1e3, cpu: \"-0\"}\n"
	"      requests: {memory: \"1 Gi\", cpu: {a: 1}}\n";

static void test_quantities(void **state)
{
	(void)state;
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	assert_int_equal(load(&set, "q.yaml", QUANTITIES), 4);
	const pl_container *c = find(&set, "q", "ok");
	assert_true(c->mem_limit.set && !c->mem_limit.invalid && c->mem_limit.v == 1073741824.0);
	assert_string_equal(c->mem_limit.text, " 1Gi ");
	assert_true(c->cpu_limit.v == 2 && !c->cpu_limit.invalid);
	assert_true(c->mem_request.v == 1e9);
	assert_true(c->cpu_request.v == 0.5);

	c = find(&set, "q", "bad");
	assert_true(c->mem_limit.set && c->mem_limit.invalid);
	assert_string_equal(c->mem_limit.text, "1gi");
	assert_int_equal(c->mem_limit.at.line, 11);
	assert_true(c->cpu_limit.set && c->cpu_limit.invalid); /* Go takes "Gi" as 0 */
	assert_true(c->mem_request.set && c->mem_request.invalid); /* negative */
	assert_true(c->cpu_request.set && c->cpu_request.invalid);
	assert_true(c->mem_limit.v == 0);

	c = find(&set, "q", "empty");
	assert_true(c->mem_limit.set && c->mem_limit.invalid);
	assert_false(c->cpu_limit.set);
	assert_false(c->mem_request.set);
	assert_true(has_problem(&set, "requests: expected a mapping"));

	c = find(&set, "q", "odd");
	assert_true(c->mem_limit.v == 1000 && !c->mem_limit.invalid);
	assert_true(c->cpu_limit.v == 0 && !c->cpu_limit.invalid);
	assert_true(c->mem_request.invalid);
	assert_false(c->cpu_request.set);
	assert_true(has_problem(&set, "cpu: expected a scalar"));
	pl_k8s_set_free(&set);
}

/* --- probes -------------------------------------------------------------------------- */

static const char PROBES[] =
	"kind: Deployment\n"
	"metadata: {name: p}\n"
	"spec:\n"
	"  template:\n"
	"    spec:\n"
	"      containers:\n"
	"      - name: same\n"
	"        livenessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 5}\n"
	"        readinessProbe:\n"
	"          httpGet:\n"
	"            port: 8080\n"
	"            path: /health\n"
	"            scheme: HTTP\n"
	"      - name: exec\n"
	"        livenessProbe: {exec: {command: [cat, /tmp/ok]}}\n"
	"        readinessProbe: {exec: {command: [\"cat\", \"/tmp/ok\"]}}\n"
	"        startupProbe: {tcpSocket: {port: 8080}, failureThreshold: 30, initialDelaySeconds: 5}\n"
	"      - name: diff\n"
	"        livenessProbe: {tcpSocket: {port: http}, timeoutSeconds: 2}\n"
	"        readinessProbe: {grpc: {port: 9090}}\n"
	"      - name: https\n"
	"        livenessProbe: {httpGet: {path: /health, port: 8443, scheme: HTTPS}}\n"
	"        readinessProbe: {httpGet: {path: /health, port: 8080}}\n"
	"      - name: none\n"
	"        livenessProbe: {periodSeconds: 3}\n";

static bool same_probe(const pl_probe *a, const pl_probe *b)
{
	return a->kind && b->kind && strcmp(a->kind, b->kind) == 0 && strcmp(a->what, b->what) == 0;
}

static void test_probes(void **state)
{
	(void)state;
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	assert_int_equal(load(&set, "probes.yaml", PROBES), 5);
	const pl_container *c = find(&set, "p", "same");
	assert_true(same_probe(&c->liveness, &c->readiness));
	assert_true(c->liveness.interval.v == 5 && c->liveness.interval.set);
	assert_true(c->readiness.interval.v == 10 && !c->readiness.interval.set);

	c = find(&set, "p", "exec");
	assert_string_equal(c->liveness.kind, "exec");
	assert_string_equal(c->liveness.what, "cat /tmp/ok");
	assert_true(same_probe(&c->liveness, &c->readiness));
	assert_true(c->startup.set);
	assert_string_equal(c->startup.kind, "tcp");
	assert_string_equal(c->startup.what, ":8080");
	assert_true(c->startup.retries.set && c->startup.retries.v == 30);
	assert_true(c->startup.initial_delay.set && c->startup.initial_delay.v == 5);
	assert_int_equal(c->startup.at.line, 17);

	c = find(&set, "p", "diff");
	assert_string_equal(c->liveness.what, ":http");
	assert_true(c->liveness.timeout.v == 2);
	assert_string_equal(c->readiness.kind, "grpc");
	assert_string_equal(c->readiness.what, "9090 ");
	assert_false(same_probe(&c->liveness, &c->readiness));

	c = find(&set, "p", "https");
	assert_false(same_probe(&c->liveness, &c->readiness));
	assert_string_equal(c->liveness.what, "HTTPS :8443/health");

	c = find(&set, "p", "none");
	assert_true(c->liveness.set);
	assert_null(c->liveness.kind);
	assert_true(has_problem(&set, "livenessProbe has no handler"));
	assert_false(c->readiness.set);
	pl_k8s_set_free(&set);
}

/* --- env and ConfigMaps ---------------------------------------------------------------- */

static const char ENV[] =
	"kind: Pod\n"                                                   /* 1 */
	"metadata: {name: e}\n"                                         /* 2 */
	"spec:\n"                                                       /* 3 */
	"  containers:\n"                                               /* 4 */
	"  - name: app\n"                                               /* 5 */
	"    env:\n"                                                    /* 6 */
	"    - {name: LOG_LEVEL, value: debug}\n"                       /* 7 */
	"    - name: DB_PASSWORD\n"                                     /* 8 */
	"      value: hunter2\n"                                        /* 9 */
	"    - name: API_TOKEN\n"                                       /* 10 */
	"      valueFrom: {secretKeyRef: {name: api, key: token}}\n"    /* 11 */
	"    - name: POD_IP\n"                                          /* 12 */
	"      valueFrom: {fieldRef: {fieldPath: status.podIP}}\n"      /* 13 */
	"    - name: EMPTY\n"                                           /* 14 */
	"    envFrom:\n"                                                /* 15 */
	"    - secretRef: {name: creds}\n"                              /* 16 */
	"    - configMapRef: {name: cfg}\n"                             /* 17 */
	"      prefix: CFG_\n"                                          /* 18 */
	"---\n"                                                         /* 19 */
	"kind: ConfigMap\n"                                             /* 20 */
	"metadata: {name: cfg, namespace: shop}\n"                      /* 21 */
	"data:\n"                                                       /* 22 */
	"  DATABASE_URL: postgres://u:p@db/x\n"                         /* 23 */
	"  nested: {a: 1}\n"                                            /* 24 */
	"  n: 5\n"                                                      /* 25 */
	"  blank:\n";                                                   /* 26 */

static void test_env_and_configmap(void **state)
{
	(void)state;
	const char *F = "env.yaml", *T = ENV;
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	assert_int_equal(load(&set, F, T), 1);
	const pl_container *c = find(&set, "e", "app");
	assert_int_equal(c->nenv, 7);
	assert_string_equal(c->env[0].name, "LOG_LEVEL");
	assert_int_equal(c->env[0].kind, ENV_LITERAL);
	assert_string_equal(c->env[0].value, "debug");
	check_at(c->env[0].at, F, T, 7, "debug");
	assert_string_equal(c->env[1].name, "DB_PASSWORD");
	assert_int_equal(c->env[1].kind, ENV_LITERAL);
	assert_string_equal(c->env[1].value, "hunter2");
	check_at(c->env[1].at, F, T, 9, "hunter2");
	assert_string_equal(c->env[2].name, "API_TOKEN");
	assert_int_equal(c->env[2].kind, ENV_SECRET_REF);
	assert_null(c->env[2].value);
	check_at(c->env[2].at, F, T, 11, "{secretKeyRef");
	assert_int_equal(c->env[3].kind, ENV_REFERENCE);
	assert_null(c->env[3].value);
	assert_string_equal(c->env[4].name, "EMPTY");
	assert_int_equal(c->env[4].kind, ENV_LITERAL);
	assert_string_equal(c->env[4].value, "");
	assert_string_equal(c->env[5].name, "");
	assert_int_equal(c->env[5].kind, ENV_SECRET_REF);
	check_at(c->env[5].at, F, T, 16, "secretRef");
	assert_string_equal(c->env[6].name, "CFG_");
	assert_int_equal(c->env[6].kind, ENV_REFERENCE);

	assert_int_equal(set.nconfigmaps, 1);
	const pl_k8s_configmap *cm = &set.configmaps[0];
	assert_string_equal(cm->name, "cfg");
	assert_string_equal(cm->namespace_, "shop");
	assert_int_equal(cm->ndata, 3);
	assert_string_equal(cm->data[0].key, "DATABASE_URL");
	assert_string_equal(cm->data[0].value, "postgres://u:p@db/x");
	check_at(cm->data[0].at, F, T, 23, "postgres");
	assert_string_equal(cm->data[1].key, "n");
	assert_string_equal(cm->data[1].value, "5");
	assert_string_equal(cm->data[2].value, "");
	assert_true(has_problem(&set, "data: expected string keys and values"));
	pl_k8s_set_free(&set);
}

/* --- robustness ------------------------------------------------------------------------ */

static const struct {
	const char *yaml;
	bool problems;   /* the reader must record at least one problem */
} WRONG[] = {
	{"kind: Pod\nspec: []\n", true},
	{"kind: Pod\nspec: {containers: {name: a}}\n", true},
	{"kind: Pod\nspec: {containers: [a, 1, [x], null]}\n", true},
	{"kind: Pod\nmetadata: [x]\nspec: {containers: [{name: [a], image: {x: 1}}]}\n", true},
	{"kind: Pod\nspec: {containers: [{name: a, securityContext: yes}]}\n", true},
	{"kind: Pod\nspec: {securityContext: [1], containers: [{name: a, securityContext: "
	 "{capabilities: {add: ALL, drop: [{x: 1}]}, privileged: maybe, runAsUser: root, "
	 "seccompProfile: x, appArmorProfile: [1], seLinuxOptions: [1], runAsNonRoot: 1}}]}\n", true},
	{"kind: Pod\nspec: {hostNetwork: \"true\", containers: [{name: a, ports: [8080, "
	 "{containerPort: http, hostPort: 70000, hostIP: [1]}], resources: {limits: [1]}, env: {A: b}, "
	 "envFrom: [1, {}], volumeMounts: [{name: v, mountPath: /x}, 3]}]}\n", true},
	{"kind: Pod\nspec: {volumes: [1, {name: v, hostPath: /etc}, {name: w, secret: [1]}, "
	 "{name: e, emptyDir: 1}], containers: [{name: a, volumeMounts: [{name: v, mountPath: /x}, "
	 "{name: w, mountPath: /w}, {name: e, mountPath: /e}, {name: [v]}]}]}\n", true},
	{"kind: Pod\nspec: {volumes: {a: 1}, containers: [{name: a, volumeMounts: {a: 1}}]}\n", true},
	{"kind: Pod\nspec: {containers: [{name: a, livenessProbe: [1], readinessProbe: {exec: "
	 "{command: cat}}, startupProbe: {httpGet: [1], periodSeconds: soon, tcpSocket: {port: "
	 "1}}}]}\n", true},
	{"kind: Pod\nspec: {containers: [{name: a, livenessProbe: {exec: {command: [[1], a]}, "
	 "grpc: {port: [1], service: {a: 1}}}}]}\n", true},
	{"kind: Deployment\nspec: {template: []}\n", true},
	{"kind: Deployment\nspec: []\n", true},
	{"kind: Deployment\nspec: {replicas: many, template: {metadata: {labels: [a], annotations: "
	 "[1]}, spec: {containers: [{name: a}]}}}\n", true},
	{"kind: Deployment\nspec: {template: {metadata: 1, spec: {containers: [{name: a}]}}}\n",
	 true},
	{"kind: Deployment\nspec: {template: {metadata: {labels: {a: [1], [k]: v}}, spec: "
	 "{containers: [{name: a}]}}}\n", true},
	{"kind: CronJob\nspec: {jobTemplate: {spec: 3}}\n", true},
	{"kind: CronJob\nspec: {jobTemplate: []}\n", true},
	{"kind: [Pod]\nspec: {containers: [{name: a}]}\n", false},
	{"kind: Service\nspec: {selector: [a]}\n", true},
	{"kind: Service\nspec: {selector: {app: [x]}}\n", true},
	{"kind: Service\nspec: 1\nmetadata: {name: {a: 1}, namespace: [x]}\n", true},
	{"kind: PodDisruptionBudget\nspec: {selector: {matchExpressions: {a: b}}}\n", true},
	{"kind: PodDisruptionBudget\nspec: {selector: {matchExpressions: [{key: a, operator: In}]}}\n",
	 true},
	{"kind: PodDisruptionBudget\nspec: {selector: {matchExpressions: [1, {key: a, operator: "
	 "Exists, values: [x]}, {operator: In}, {key: a, operator: [In]}, {key: b, operator: In, "
	 "values: [[1]]}], matchLabels: [1]}}\n", true},
	{"kind: PodDisruptionBudget\nspec: {selector: 1}\n", true},
	{"kind: NetworkPolicy\nspec: {podSelector: 1, policyTypes: Ingress}\n", true},
	{"kind: NetworkPolicy\nspec: {policyTypes: [Sideways, [1]]}\n", true},
	{"kind: ConfigMap\ndata: [1]\n", true},
	{"kind: ConfigMap\ndata: {[a]: b}\n", true},
	{"kind: List\nitems: {a: 1}\n", true},
	{"kind: List\nitems: [[], 1, null, {kind: Pod}]\n", true},
	{"--- 1\n--- [a]\n--- \"x\"\n---\n--- !!str kind\n", false},
	{"kind: Pod\nmetadata: {name: a, annotations: {container.apparmor.security.beta.kubernetes.io/a: "
	 "[x], seccomp.security.alpha.kubernetes.io/pod: {a: 1}}}\nspec: {containers: [{name: a}]}\n",
	 false},
	{"kind: Pod\nspec: {containers: [{name: a, env: [{name: X, value: {a: 1}}, {value: 1}, "
	 "{name: Y, valueFrom: [1]}, {name: Z, value: v, valueFrom: {secretKeyRef: {}}}, 7]}]}\n",
	 true},
	{"x: &c {name: a, image: b}\nkind: Pod\nspec: {containers: [*c, *c], initContainers: *c}\n",
	 true},
	{"kind: Pod\nspec: {initContainers: [{name: i, restartPolicy: [1]}], ephemeralContainers: "
	 "1, containers: []}\n", true},
	{"kind: Pod\nspec: {restartPolicy: [1], automountServiceAccountToken: {}, hostPID: 2, "
	 "containers: [{name: a}]}\n", true},
	{"kind: \"\"\n", false},
	{"kind: List\n", false},
	{"kind: Pod\n", true},
};

static void test_wrong_types(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof WRONG / sizeof WRONG[0]; i++) {
		pl_k8s_set set;
		pl_k8s_set_init(&set);
		char name[32];
		snprintf(name, sizeof name, "wrong%zu.yaml", i);
		yaml_stream y;
		if (yaml_load(&y, name, WRONG[i].yaml, strlen(WRONG[i].yaml)) != 0)
			fail_msg("case %zu does not load: %s", i, y.err);
		pl_k8s_read(&y, &set);
		yaml_free(&y);
		if (WRONG[i].problems && set.nproblems == 0)
			fail_msg("case %zu: no problem recorded", i);
		for (size_t j = 0; j < set.nproblems; j++) {
			assert_string_equal(set.problems[j].file, name);
			assert_true(set.problems[j].line > 0);
			assert_true(set.problems[j].message[0] != '\0');
		}
		/* whatever was read is complete enough for rules to walk */
		for (size_t j = 0; j < set.ncontainers; j++) {
			const pl_container *c = &set.containers[j];
			assert_non_null(c->name);
			assert_non_null(c->target);
			assert_non_null(c->workload);
			assert_non_null(c->namespace_);
			for (size_t k = 0; k < c->nenv; k++)
				assert_non_null(c->env[k].name);
			for (size_t k = 0; k < c->nmounts; k++)
				assert_true(c->mounts[k].source && c->mounts[k].target);
		}
		pl_k8s_set_free(&set);
	}
}

static void test_problem_position(void **state)
{
	(void)state;
	const char *T = "kind: Pod\n"
			"metadata: {name: p}\n"
			"spec:\n"
			"  containers:\n"
			"  - name: a\n"
			"    securityContext: yes\n"
			"    volumeMounts:\n"
			"    - {name: missing, mountPath: /m}\n";
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	assert_int_equal(load(&set, "pos.yaml", T), 1);
	assert_int_equal(set.nproblems, 2);
	assert_string_equal(set.problems[0].file, "pos.yaml");
	assert_int_equal(set.problems[0].line, 6);
	assert_int_equal(set.problems[0].col, col_of(T, 6, "yes"));
	assert_string_equal(set.problems[0].message,
			    "securityContext: expected a mapping, found a scalar");
	assert_int_equal(set.problems[1].line, 8);
	assert_int_equal(set.problems[1].col, col_of(T, 8, "{name"));
	assert_non_null(strstr(set.problems[1].message, "'missing'"));
	assert_int_equal(set.containers[0].nmounts, 0);
	pl_k8s_set_free(&set);
}

/* --- the corpus ---------------------------------------------------------------------- */

typedef struct walk {
	pl_k8s_set *set;
	size_t files, unparsed, containers;
} walk;

static void walk_dir(walk *w, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk_dir(w, path);
			continue;
		}
		pl_input in;
		char err[256];
		if (pl_read_file(path, YAML_MAX_FILE, &in, err, sizeof err) != 0)
			continue;
		w->files++;
		yaml_stream y;
		if (yaml_load(&y, path, in.data, in.len) == 0)
			w->containers += (size_t)pl_k8s_read(&y, w->set);
		else
			w->unparsed++;
		yaml_free(&y);
		pl_input_free(&in);
	}
	closedir(d);
}

static void test_corpus(void **state)
{
	(void)state;
	const char *root = getenv("PL_ROOT");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/../shared/corpus/k8s", root ? root : ".");
	struct stat st;
	if (stat(dir, &st) != 0) {
		skip();
		return;
	}
	pl_k8s_set set;
	pl_k8s_set_init(&set);
	walk w = {.set = &set};
	walk_dir(&w, dir);
	print_message("# corpus: %zu files (%zu not YAML), %zu containers in %zu workloads, "
		      "%zu objects, %zu ConfigMaps, %zu problems\n",
		      w.files, w.unparsed, set.ncontainers, set.nworkloads, set.nobjects,
		      set.nconfigmaps, set.nproblems);
	assert_true(w.files > 0);
	assert_true(set.ncontainers > 0);
	assert_int_equal(w.containers, set.ncontainers);
	size_t sum = 0;
	for (size_t i = 0; i < set.nworkloads; i++)
		sum += set.workloads[i].n;
	assert_int_equal(sum, set.ncontainers);
	pl_k8s_set_free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hardened_deployment),
		cmocka_unit_test(test_bad_pod),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_init_containers),
		cmocka_unit_test(test_selectors),
		cmocka_unit_test(test_quantities),
		cmocka_unit_test(test_probes),
		cmocka_unit_test(test_env_and_configmap),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_problem_position),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
