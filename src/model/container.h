/* container.h - a container as it will run (or runs), whatever described it.
 *
 * Compose services, Kubernetes pod templates, image configs and live containers all fill
 * this one model, so that a practice is checked once: PL201 root-user reads `user`, not
 * compose's `user:` or a Pod's `runAsUser`. Every value keeps where it came from
 * (pl_origin), so a finding can point at the override file, anchor or .env default that
 * produced it. Unset values are distinguishable from false/zero everywhere: a tri-state
 * for flags, -1 for numbers, NULL for strings. */
#ifndef PL_CONTAINER_H
#define PL_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_origin {
	const char *file;      /* NULL: not from a file (API field, image config) */
	int line, col, end_line, end_col;
	const char *via;       /* how the value got here, for messages: "from the override
				  file", "the .env default", "anchor &defaults"; NULL when direct */
} pl_origin;

typedef enum pl_tri { TRI_UNSET = -1, TRI_FALSE = 0, TRI_TRUE = 1 } pl_tri;

typedef struct pl_flag {
	pl_tri v;
	pl_origin at;
} pl_flag;

typedef struct pl_str {
	const char *v;         /* NULL when unset */
	pl_origin at;
} pl_str;

typedef struct pl_num {
	double v;              /* bytes for memory, cores for CPU, counts otherwise */
	bool set;
	bool invalid;          /* written but not a valid quantity (PL306) */
	const char *text;      /* as written */
	pl_origin at;
} pl_num;

typedef enum pl_mount_kind {
	MOUNT_BIND,            /* host path: compose bind, K hostPath, live bind */
	MOUNT_VOLUME,          /* named volume, K persistentVolumeClaim */
	MOUNT_TMPFS,           /* tmpfs, K emptyDir with medium Memory */
	MOUNT_EMPTYDIR,
	MOUNT_SECRET,          /* K secret, compose secrets: */
	MOUNT_CONFIG,          /* K configMap, compose configs: */
	MOUNT_OTHER,
} pl_mount_kind;

typedef struct pl_mount {
	pl_mount_kind kind;
	const char *source;    /* host path for MOUNT_BIND, volume name otherwise */
	const char *target;    /* path in the container */
	bool read_only;
	pl_origin at;
} pl_mount;

typedef struct pl_port {
	const char *host_ip;   /* NULL or "" = all interfaces */
	int host_port;         /* 0 when not published */
	int container_port;
	const char *protocol;
	pl_origin at;
} pl_port;

typedef enum pl_env_kind {
	ENV_LITERAL,           /* a value written in the file */
	ENV_REFERENCE,         /* ${VAR} left to the environment, K valueFrom fieldRef ... */
	ENV_SECRET_REF,        /* K secretKeyRef, compose secret file */
} pl_env_kind;

typedef struct pl_env {
	const char *name;
	const char *value;     /* NULL for references */
	pl_env_kind kind;
	pl_origin at;
} pl_env;

typedef struct pl_probe {
	bool set;
	bool disabled;         /* HEALTHCHECK NONE, compose disable: true */
	const char *kind;      /* "exec", "http", "tcp", "grpc", "cmd" */
	const char *what;      /* normalised command or endpoint: two probes are the same
				  when kind and what are equal (PL406) */
	pl_num interval, timeout, start_period, retries, initial_delay;
	bool from_image;       /* the image's own HEALTHCHECK (a linked Dockerfile, an image
				  config): its timing is judged where it is written */
	pl_origin at;
} pl_probe;

typedef struct pl_container {
	/* what it is */
	const char *source_kind;  /* "compose", "k8s", "image", "live" */
	const char *workload_kind;/* "service", "Deployment", "CronJob", "Pod", ... */
	const char *workload;     /* service name, workload name */
	const char *name;         /* container name (k8s), service name (compose) */
	const char *namespace_;   /* k8s namespace, compose project */
	bool init;                /* an init (or ephemeral) container */
	bool long_running;        /* a service, not a Job/CronJob/one-off */
	pl_origin at;             /* where it is defined */
	const char *target;       /* label for findings: "service web", "Deployment/api container app" */

	/* image */
	pl_str image;
	const char *build_context;/* compose build.context, resolved; NULL when none */
	const char *dockerfile;   /* compose build.dockerfile, resolved */

	/* identity */
	pl_str user;              /* compose user, image User, live Config.User: "app", "1000:1000" */
	pl_num run_as_user;       /* K runAsUser (container wins over pod) */
	pl_num user_uid;          /* I: a named user's uid in the image's own /etc/passwd */
	const char *user_unknown; /* I: why a named user does not resolve ("its /etc/passwd does
				     not define it"): the runtime refuses to start the container */
	pl_flag run_as_non_root;  /* K runAsNonRoot */

	/* privileges */
	const char **cap_add;
	pl_origin *cap_add_at;
	size_t ncap_add;
	const char **cap_drop;
	pl_origin *cap_drop_at;
	size_t ncap_drop;
	pl_flag privileged;
	pl_flag read_only_root;
	pl_flag no_new_privileges;      /* compose security_opt no-new-privileges, K
					   allowPrivilegeEscalation: false */
	pl_str seccomp;                 /* "unconfined", "RuntimeDefault", "Localhost", a path */
	pl_str apparmor;                /* "unconfined", "runtime/default", ... */
	pl_flag selinux_disabled;       /* label:disable */
	pl_flag host_network, host_pid, host_ipc, host_uts;
	pl_flag use_api_socket;         /* compose use_api_socket */
	pl_flag automount_sa_token;     /* K automountServiceAccountToken */
	pl_str service_account;         /* K serviceAccountName (or the deprecated serviceAccount);
					   NULL when not written */

	/* storage and network */
	pl_mount *mounts;
	size_t nmounts;
	pl_port *ports;
	size_t nports;

	/* resources */
	pl_num mem_limit, cpu_limit, mem_request, cpu_request, pids_limit;

	/* health */
	pl_probe health;          /* compose healthcheck, image/live Healthcheck */
	pl_probe liveness, readiness, startup;
	pl_str restart;           /* compose restart, live RestartPolicy; K is always */

	/* logging */
	pl_str log_driver;
	pl_str log_max_size, log_max_file;

	/* environment */
	pl_env *env;
	size_t nenv;

	/* scale */
	pl_num replicas;

	/* labels of the pod (K) or service (compose), for selectors */
	const char **label_keys, **label_values;
	size_t nlabels;
} pl_container;

/* Zero c, then mark every flag, number and probe timing unset (as no input said it). */
void pl_container_init(pl_container *c);

#endif
