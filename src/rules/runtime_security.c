/* runtime_security.c - catalog section 2 as a Dockerfile shows it: PL201 root-user and
 * PL216 low-uid. The final stage is what ships; builder stages may run as root. */
#include "k8s/k8s.h"
#include "model/container.h"
#include "rules/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The user part of USER user[:group]. */
static void user_part(const char *u, char *out, size_t n)
{
	size_t i = 0;
	while (u[i] && u[i] != ':' && i + 1 < n) {
		out[i] = u[i];
		i++;
	}
	out[i] = '\0';
}

static bool is_root(const char *user)
{
	return !strcmp(user, "root") || !strcmp(user, "0");
}

static void check_root(pl_scan *s, const df_build *b)
{
	const df_stage *st = pl_final_stage(b);
	if (!st)
		return;
	if (!st->user) {
		/* images that document a non-root default user: distroless :nonroot, Chainguard */
		const df_stage *root = st;
		while (root->base_stage >= 0)
			root = &b->stages[root->base_stage];
		if (root->base && (strstr(root->base, ":nonroot") || strstr(root->base, "-nonroot") ||
				   !strncmp(root->base, "cgr.dev/chainguard/", 19)))
			return;
		const df_word *at = st->implicit ? &st->cmds[0].node->keyword : st->base_word;
		if (st->base && !strcasecmp(st->base, "scratch") && st->ncmds <= 1)
			return; /* an empty scratch stage runs nothing */
		pl_emit(s, at, "CKV_DOCKER_3 AVD-DS-0002 CIS-DI-0001", NULL,
			"the final stage sets no USER, so the container runs as root (unless the "
			"base image sets a user)");
		return;
	}
	char u[256];
	user_part(st->user, u, sizeof u);
	if (is_root(u))
		pl_emit(s, st->user_word, "DL3002 CKV_DOCKER_8 AVD-DS-0002 CIS-DI-0001", NULL,
			"the final stage runs as %s", st->user);
}

static void container_root(pl_scan *s, const pl_container *c);

const pl_rule rule_PL201 = {
	.code = "PL201", .slug = "root-user", .severity = SEV_HIGH,
	.inputs = IN_D | IN_C | IN_K | IN_I | IN_L,
	.aka = "DL3002 CKV_DOCKER_3 CKV_DOCKER_8 AVD-DS-0002 CIS-DI-0001 KSV-0012 "
	       "run-as-non-root runAsNonRoot docker-bench-4.1",
	.summary = "The process runs as root. For a built image, a named user is resolved "
		   "through the image's own /etc/passwd: a name that maps to uid 0 is root, and "
		   "a name it does not define is reported too (the container cannot start).",
	.why = "A process that runs as root inside the container is root on the host as soon as "
	       "one escape or misconfigured mount exists; it can also rewrite its own binaries. "
	       "A user the image does not define stops the container at start (\"unable to find "
	       "user\"), usually after a base-image change removed it.",
	.fix = "Create a user in the image and end the final stage with USER <uid>, e.g. "
	       "RUN useradd -r -u 10001 app, then USER 10001.",
	.fix_k8s = "securityContext: {runAsNonRoot: true, runAsUser: 10001} at pod or container "
	           "level.",
	.fix_compose = "user: \"10001:10001\" on the service (or a non-root USER in its image).",
	.fix_live = "Recreate it with --user 10001:10001 (compose: user:), or give the image a "
		    "USER.",
	.check_dockerfile = check_root,
	.check_container = container_root,
};

static void check_low_uid(pl_scan *s, const df_build *b)
{
	const df_stage *st = pl_final_stage(b);
	if (!st || !st->user)
		return;
	char u[256];
	user_part(st->user, u, sizeof u);
	if (!u[0] || is_root(u))
		return;
	for (const char *p = u; *p; p++)
		if (!isdigit((unsigned char)*p))
			return; /* a name: its uid is not known here */
	long uid = strtol(u, NULL, 10);
	if (uid < s->cfg->low_uid_below)
		pl_emit(s, st->user_word, NULL, NULL,
			"the final stage runs as uid %ld, below %d: it may be a real user on the host",
			uid, s->cfg->low_uid_below);
}

static void container_low_uid(pl_scan *s, const pl_container *c);

const pl_rule rule_PL216 = {
	.code = "PL216", .slug = "low-uid", .severity = SEV_INFO,
	.inputs = IN_D | IN_C | IN_K | IN_I | IN_L,
	.aka = "",
	.summary = "The process runs with a UID below 10000 (configurable).",
	.why = "Low UIDs are the ones host accounts use. A container process that shares one with "
	       "a host user gets that user's access to anything shared with the host.",
	.fix = "Use a high UID such as 10001 (thresholds.low-uid-below in .plimsoll.yml).",
	.fix_k8s = "securityContext.runAsUser: 10001 and runAsGroup: 10001 "
	           "(thresholds.low-uid-below in .plimsoll.yml).",
	.fix_compose = "user: \"10001:10001\" (thresholds.low-uid-below in .plimsoll.yml).",
	.fix_live = "Recreate it with --user 10001:10001 (thresholds.low-uid-below in "
		    ".plimsoll.yml).",
	.check_dockerfile = check_low_uid,
	.check_container = container_low_uid,
};

/* ---------------------------------------------------------------------------------------
 * The same practices for a container as it runs (compose service, Kubernetes container,
 * image config, live container): one check per rule, reading only pl_container. */

static const pl_origin *at_or(const pl_origin *at, const pl_container *c)
{
	return at && at->file ? at : &c->at;
}

static void container_root(pl_scan *s, const pl_container *c)
{
	if (c->run_as_non_root.v == TRI_TRUE && !(c->run_as_user.set && c->run_as_user.v == 0))
		return;
	if (c->run_as_user.set) {
		if (c->run_as_user.v == 0)
			pl_emit_origin(s, &c->run_as_user.at, -1, "KSV-0012 CKV_K8S_40", NULL,
				       "%s runs as uid 0 (runAsUser: 0)", c->target);
		return; /* a positive runAsUser is a non-root user Kubernetes enforces */
	}
	if (c->user.v) {
		char u[256];
		user_part(c->user.v, u, sizeof u);
		if (is_root(u))
			pl_emit_origin(s, &c->user.at, -1, NULL, NULL, "%s runs as %s", c->target,
				       c->user.v);
		else if (c->user_unknown) /* not root, but it cannot start: the runtime refuses */
			pl_emit_origin(s, &c->user.at, -1, NULL, NULL,
				       "%s runs as user '%s', but %s: the container fails to start "
				       "(unable to find user %s)", c->target, u, c->user_unknown, u);
		else if (c->user_uid.set && c->user_uid.v == 0)
			pl_emit_origin(s, &c->user.at, -1, NULL, NULL,
				       "%s runs as '%s', which is uid 0 (root) in its /etc/passwd",
				       c->target, u);
		return;
	}
	if (!strcmp(c->source_kind, "k8s") && c->run_as_non_root.v == TRI_FALSE &&
	    c->run_as_non_root.at.file) /* point at the runAsNonRoot: false that lets it run as root */
		pl_emit_origin(s, &c->run_as_non_root.at, -1,
			       "KSV-0012 CKV_K8S_23 run-as-non-root runAsNonRoot", NULL,
			       "%s sets runAsNonRoot: false and no non-zero runAsUser, so it runs as the "
			       "image's user, root unless the image says otherwise", c->target);
	else if (!strcmp(c->source_kind, "k8s"))
		pl_emit_origin(s, &c->at, -1, "KSV-0012 CKV_K8S_23 run-as-non-root runAsNonRoot", NULL,
			       "%s sets neither runAsNonRoot: true nor a non-zero runAsUser, so it "
			       "runs as the image's user, root unless the image says otherwise",
			       c->target);
	else if (!strcmp(c->source_kind, "image"))
		pl_emit_origin(s, &c->at, -1, NULL, NULL,
			       "%s sets no user in its config (no USER in its Dockerfile): it runs as "
			       "root", c->target);
	else if (!strcmp(c->source_kind, "live")) /* Config.User already merges the image's */
		pl_emit_origin(s, &c->at, -1, NULL, NULL,
			       "%s runs as root: neither docker run --user (compose user:) nor its "
			       "image sets a user (Config.User is empty)", c->target);
	else if (c->dockerfile)
		pl_emit_origin(s, &c->at, -1, NULL, NULL,
			       "%s sets no user, and its image (built from its Dockerfile) sets none "
			       "either: it runs as root", c->target);
	else /* a pulled image: its config is not read here, so do not claim what it says */
		pl_emit_origin(s, &c->at, -1, NULL, NULL,
			       "%s sets no user, so it runs as its image's user: root unless the "
			       "image sets one", c->target);
}

static bool has_cap(const char **v, size_t n, const char *cap)
{
	for (size_t i = 0; i < n; i++) {
		const char *x = v[i];
		if (!strncasecmp(x, "CAP_", 4))
			x += 4;
		if (!strcasecmp(x, cap))
			return true;
	}
	return false;
}

static void container_caps_dropped(pl_scan *s, const pl_container *c)
{
	/* Dropping every capability of the runtime's default set by name is dropping ALL. */
	static const char *const defaults[] = {"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER",
					       "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP",
					       "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
					       "AUDIT_WRITE", NULL};
	bool all = true;
	for (size_t i = 0; defaults[i] && all; i++)
		all = has_cap(c->cap_drop, c->ncap_drop, defaults[i]);
	if (!all && !has_cap(c->cap_drop, c->ncap_drop, "ALL"))
		pl_emit_origin(s, c->ncap_drop ? &c->cap_drop_at[0] : &c->at, -1,
			       "KSV-0003 CKV_K8S_28 CKV_K8S_37 drop-all-capabilities", NULL,
			       "%s keeps the default capabilities: drop ALL and add back only what "
			       "it needs", c->target);
}

const pl_rule rule_PL202 = {
	.code = "PL202", .slug = "capabilities-not-dropped", .severity = SEV_HIGH,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "KSV-0003 CKV_K8S_28 CKV_K8S_37 drop-all-capabilities docker-bench-5.3",
	.summary = "Not every Linux capability is dropped.",
	.why = "Docker's default set still includes CAP_NET_RAW, CAP_CHOWN, CAP_SETUID and more: "
	       "enough for ARP spoofing or privilege games after a compromise. Most services "
	       "need none.",
	.fix = "cap_drop: [ALL] (compose) / securityContext.capabilities.drop: [\"ALL\"], then "
	       "add back only what is needed (NET_BIND_SERVICE for ports below 1024).",
	.fix_live = "Recreate it with --cap-drop ALL, then --cap-add only what it needs "
		    "(NET_BIND_SERVICE for ports below 1024).",
	.check_container = container_caps_dropped,
};

static void container_caps_added(pl_scan *s, const pl_container *c)
{
	static const char *const always_high[] = {"SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE",
						  "SYS_MODULE", "ALL", NULL};
	for (size_t i = 0; i < c->ncap_add; i++) {
		const char *cap = c->cap_add[i];
		const char *bare = !strncasecmp(cap, "CAP_", 4) ? cap + 4 : cap;
		if (!strcasecmp(bare, "NET_BIND_SERVICE"))
			continue;
		bool high = false;
		for (size_t k = 0; always_high[k]; k++)
			high = high || !strcasecmp(bare, always_high[k]);
		pl_emit_origin(s, &c->cap_add_at[i], high ? SEV_HIGH : SEV_MEDIUM,
			       "KSV-0022 CKV_K8S_39 docker-bench-5.3", NULL,
			       "%s adds capability %s%s", c->target, cap,
			       high ? ", which is close to root on the host" : "");
	}
}

const pl_rule rule_PL203 = {
	.code = "PL203", .slug = "dangerous-capability", .severity = SEV_HIGH,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "KSV-0022 CKV_K8S_39 docker-bench-5.3",
	.summary = "A capability beyond NET_BIND_SERVICE is added; SYS_ADMIN, NET_ADMIN, "
		   "SYS_PTRACE, SYS_MODULE and ALL always count as high.",
	.why = "Added capabilities give a compromised process kernel powers: SYS_ADMIN alone is "
	       "enough to escape most containers.",
	.fix = "Remove the capability, or replace it with a narrower one.",
	.fix_live = "Recreate it without that --cap-add (or with a narrower capability).",
	.check_container = container_caps_added,
};

static void container_privileged(pl_scan *s, const pl_container *c)
{
	if (c->privileged.v == TRI_TRUE)
		pl_emit_origin(s, &c->privileged.at, -1, "KSV-0017 CKV_K8S_16 privileged-container "
			       "docker-bench-5.4", NULL,
			       "%s runs privileged: it has every capability and every host device",
			       c->target);
}

const pl_rule rule_PL204 = {
	.code = "PL204", .slug = "privileged-container", .severity = SEV_CRITICAL,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "KSV-0017 CKV_K8S_16 privileged-container docker-bench-5.4",
	.summary = "The container runs in privileged mode.",
	.why = "A privileged container is root on the host in all but name: it can mount the "
	       "host's disks and load kernel modules.",
	.fix = "Remove privileged; grant the specific capability or device the workload needs.",
	.fix_live = "Recreate it without --privileged; grant the one capability (--cap-add) or "
		    "device (--device) it needs.",
	.check_container = container_privileged,
};

static void container_writable_root(pl_scan *s, const pl_container *c)
{
	if (c->read_only_root.v != TRI_TRUE)
		pl_emit_origin(s, at_or(&c->read_only_root.at, c), -1,
			       "KSV-0014 CKV_K8S_22 no-read-only-root-fs docker-bench-5.12", NULL,
			       "%s has a writable root filesystem", c->target);
}

const pl_rule rule_PL205 = {
	.code = "PL205", .slug = "writable-root-filesystem", .severity = SEV_MEDIUM,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "KSV-0014 CKV_K8S_22 no-read-only-root-fs docker-bench-5.12",
	.summary = "The root filesystem is writable.",
	.why = "A writable root lets an intruder replace binaries and plant persistence, and "
	       "hides state the platform cannot see.",
	.fix = "read_only: true / readOnlyRootFilesystem: true, with a tmpfs or emptyDir for the "
	       "paths that must be written.",
	.fix_live = "Recreate it with --read-only and --tmpfs /tmp (plus volumes for what it must "
		    "keep).",
	.check_container = container_writable_root,
};

static void container_escalation(pl_scan *s, const pl_container *c)
{
	if (c->no_new_privileges.v != TRI_TRUE && c->privileged.v != TRI_TRUE)
		pl_emit_origin(s, at_or(&c->no_new_privileges.at, c), -1,
			       "KSV-0001 CKV_K8S_20 privilege-escalation-container docker-bench-5.25",
			       NULL, "%s allows privilege escalation (setuid binaries work)",
			       c->target);
}

const pl_rule rule_PL206 = {
	.code = "PL206", .slug = "privilege-escalation-allowed", .severity = SEV_MEDIUM,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "KSV-0001 CKV_K8S_20 privilege-escalation-container docker-bench-5.25",
	.summary = "no-new-privileges is not set / allowPrivilegeEscalation is not false.",
	.why = "Without it, a setuid binary in the image turns a compromised unprivileged process "
	       "into root.",
	.fix = "security_opt: [\"no-new-privileges:true\"] / allowPrivilegeEscalation: false.",
	.fix_live = "Recreate it with --security-opt no-new-privileges.",
	.check_container = container_escalation,
};

static void container_seccomp(pl_scan *s, const pl_container *c)
{
	const char *p = c->seccomp.v;
	if (p && !strcasecmp(p, "unconfined"))
		pl_emit_origin(s, &c->seccomp.at, SEV_HIGH, "KSV-0104 docker-bench-5.21", NULL,
			       "%s runs with seccomp unconfined: every system call is allowed",
			       c->target);
	else if (!strcmp(c->source_kind, "k8s") && !p)
		pl_emit_origin(s, &c->at, SEV_MEDIUM, "KSV-0104 CKV_K8S_31", NULL,
			       "%s has no seccomp profile (RuntimeDefault or Localhost) at pod or "
			       "container level", c->target);
}

const pl_rule rule_PL207 = {
	.code = "PL207", .slug = "seccomp-disabled", .severity = SEV_HIGH,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "KSV-0104 CKV_K8S_31 docker-bench-5.21",
	.summary = "seccomp is unconfined (Kubernetes: no RuntimeDefault or Localhost profile is "
		   "medium).",
	.why = "seccomp blocks the rarely used system calls most kernel exploits need.",
	.fix = "Remove seccomp:unconfined; in Kubernetes set securityContext.seccompProfile.type: "
	       "RuntimeDefault.",
	.fix_live = "Recreate it without --security-opt seccomp=unconfined (Docker's default "
		    "profile applies).",
	.check_container = container_seccomp,
};

static void container_host_ns(pl_scan *s, const pl_container *c)
{
	const struct { const pl_flag *f; const char *what; } ns[] = {
		{&c->host_network, "network"}, {&c->host_pid, "PID"}, {&c->host_ipc, "IPC"},
		{&c->host_uts, "UTS"},
	};
	for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
		if (ns[i].f->v == TRI_TRUE)
			pl_emit_origin(s, &ns[i].f->at, -1, "KSV-0009 KSV-0010 KSV-0008 host-network "
				       "host-pid host-ipc docker-bench-5.9", NULL,
				       "%s shares the host's %s namespace", c->target, ns[i].what);
}

const pl_rule rule_PL208 = {
	.code = "PL208", .slug = "host-namespace-shared", .severity = SEV_HIGH,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "KSV-0009 KSV-0010 KSV-0008 host-network host-pid host-ipc docker-bench-5.9",
	.summary = "Host network, PID, IPC or UTS namespace.",
	.why = "Sharing a host namespace removes the isolation it provides: host processes, "
	       "interfaces or shared memory become reachable from the container.",
	.fix = "Remove network_mode: host / hostNetwork, pid: host, ipc: host, uts: host.",
	.fix_live = "Recreate it without --network host, --pid host, --ipc host and --uts host.",
	.check_container = container_host_ns,
};

static bool is_runtime_socket(const char *p)
{
	static const char *const socks[] = {
		"/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd/containerd.sock",
		"/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/run/crio/crio.sock",
		"/run/podman/podman.sock", "/var/run/podman/podman.sock", "/var/run/cri-dockerd.sock",
		NULL};
	if (!p)
		return false;
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		n--;
	for (size_t i = 0; socks[i]; i++)
		if (strlen(socks[i]) == n && !strncmp(p, socks[i], n))
			return true;
	return false;
}

static void container_socket(pl_scan *s, const pl_container *c)
{
	if (c->use_api_socket.v == TRI_TRUE)
		pl_emit_origin(s, &c->use_api_socket.at, -1, NULL, NULL,
			       "%s has use_api_socket: true: it can drive the Docker Engine, which is "
			       "root on the host", c->target);
	for (size_t i = 0; i < c->nmounts; i++)
		if (c->mounts[i].kind == MOUNT_BIND && is_runtime_socket(c->mounts[i].source))
			pl_emit_origin(s, &c->mounts[i].at, -1, "KSV-0121 docker-sock docker-bench-5.31",
				       NULL, "%s mounts the container runtime socket %s: whoever "
				       "controls the container controls the host", c->target,
				       c->mounts[i].source);
}

const pl_rule rule_PL209 = {
	.code = "PL209", .slug = "docker-socket-mounted", .severity = SEV_CRITICAL,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "KSV-0121 docker-sock docker-bench-5.31",
	.summary = "The Docker (or containerd, CRI-O, podman) socket is mounted, or compose "
		   "use_api_socket: true.",
	.why = "The runtime socket accepts commands that start privileged containers with the "
	       "host's filesystem mounted: it is root on the host.",
	.fix = "Do not mount the socket; use a narrowly scoped API proxy if a tool truly needs it.",
	.check_container = container_socket,
};

static void container_host_path(pl_scan *s, const pl_container *c)
{
	static const char *const sensitive[] = {"/", "/etc", "/proc", "/sys", "/root", "/var/run",
						"/run", "/boot", "/dev", "/var/lib/docker",
						"/var/lib/kubelet", "/home", NULL};
	for (size_t i = 0; i < c->nmounts; i++) {
		const pl_mount *m = &c->mounts[i];
		if (m->kind != MOUNT_BIND || !m->source || is_runtime_socket(m->source))
			continue;
		for (size_t k = 0; sensitive[k]; k++) {
			size_t l = strlen(sensitive[k]);
			bool under = !strcmp(m->source, sensitive[k]) ||
				     (l > 1 && !strncmp(m->source, sensitive[k], l) && m->source[l] == '/');
			if (!under)
				continue;
			pl_emit_origin(s, &m->at, m->read_only ? SEV_MEDIUM : SEV_HIGH,
				       "KSV-0023 sensitive-host-mounts docker-bench-5.5", NULL,
				       "%s mounts the host path %s%s", c->target, m->source,
				       m->read_only ? " (read-only)" : " read-write");
			break;
		}
	}
}

const pl_rule rule_PL210 = {
	.code = "PL210", .slug = "sensitive-host-path", .severity = SEV_HIGH,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "KSV-0023 sensitive-host-mounts docker-bench-5.5",
	.summary = "A sensitive host path (/, /etc, /proc, /sys, /root, /var/run, /boot, /dev, "
		   "...) is mounted (read-write high, read-only medium).",
	.why = "Host system directories expose credentials, kernel interfaces and other "
	       "containers' data; read-write they let the container change the host.",
	.fix = "Mount only the application's own directory, read-only where possible.",
	.check_container = container_host_path,
};

static void container_ro_tmp(pl_scan *s, const pl_container *c)
{
	if (c->read_only_root.v != TRI_TRUE)
		return;
	for (size_t i = 0; i < c->nmounts; i++)
		if (c->mounts[i].target && (!strcmp(c->mounts[i].target, "/tmp") ||
					    !strcmp(c->mounts[i].target, "/tmp/")))
			return;
	pl_emit_origin(s, &c->read_only_root.at, -1, NULL, NULL,
		       "%s has a read-only root but no tmpfs or emptyDir on /tmp: programs that "
		       "write temporary files will fail", c->target);
}

const pl_rule rule_PL211 = {
	.code = "PL211", .slug = "read-only-root-without-tmpfs", .severity = SEV_INFO,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "",
	.summary = "The root filesystem is read-only and nothing writable covers /tmp.",
	.why = "Many runtimes and libraries write to /tmp; with a read-only root they fail at "
	       "the worst moment (an upload, a crash dump).",
	.fix = "Add tmpfs: [/tmp] (compose) or an emptyDir mounted at /tmp.",
	.fix_live = "Recreate it with --tmpfs /tmp.",
	.check_container = container_ro_tmp,
};

static void container_public_ports(pl_scan *s, const pl_container *c)
{
	if (!strcmp(c->source_kind, "k8s"))
		return;
	for (size_t i = 0; i < c->nports; i++) {
		const pl_port *p = &c->ports[i];
		/* Compose publishes every `ports:` entry: one without a host port ("80", or a
		 * long-syntax entry without `published`) gets an ephemeral host port, on every
		 * interface unless a host_ip says otherwise. */
		bool ephemeral = !p->host_port && !strcmp(c->source_kind, "compose");
		if ((!p->host_port && !ephemeral) ||
		    (p->host_ip && *p->host_ip && strcmp(p->host_ip, "0.0.0.0") &&
		     strcmp(p->host_ip, "::")))
			continue;
		if (p->host_port == 80 || p->host_port == 443)
			continue; /* the ports meant to be public */
		if (ephemeral)
			pl_emit_origin(s, &p->at, -1, "docker-bench-5.13", NULL,
				       "%s publishes container port %d on a random host port on every "
				       "host interface", c->target, p->container_port);
		else
			pl_emit_origin(s, &p->at, -1, "docker-bench-5.13", NULL,
				       "%s publishes port %d on every host interface", c->target,
				       p->host_port);
	}
}

const pl_rule rule_PL212 = {
	.code = "PL212", .slug = "ports-on-all-interfaces", .severity = SEV_LOW,
	.inputs = IN_C | IN_L,
	.aka = "docker-bench-5.13",
	.summary = "A published port binds all host interfaces (80 and 443 excepted).",
	.why = "A database or admin port published as 5432:5432 is reachable from every network "
	       "the host is on, and Docker's iptables rules bypass the host firewall.",
	.fix = "Bind to loopback (\"127.0.0.1:5432:5432\") or do not publish internal ports.",
	.fix_live = "Recreate it publishing on loopback (-p 127.0.0.1:8080:8080), or without -p for "
		    "internal ports.",
	.check_container = container_public_ports,
};

static void container_sa_token(pl_scan *s, const pl_container *c)
{
	/* automountServiceAccountToken: true under a service account of its own (not
	 * "default") is the author saying the workload uses the API (operators, controllers,
	 * exporters with kube-rbac-proxy): not a token left mounted by default. */
	if (c->automount_sa_token.v == TRI_TRUE && c->service_account.v &&
	    strcmp(c->service_account.v, "default"))
		return;
	if (!strcmp(c->source_kind, "k8s") && !c->init && c->automount_sa_token.v != TRI_FALSE)
		pl_emit_origin(s, at_or(&c->automount_sa_token.at, c), -1,
			       "KSV-0036 CKV_K8S_38 automount-service-account-token", NULL,
			       "%s gets a service account token mounted (automountServiceAccountToken "
			       "is not false)", c->target);
}

const pl_rule rule_PL213 = {
	.code = "PL213", .slug = "service-account-token-mounted", .severity = SEV_LOW,
	.inputs = IN_K,
	.aka = "KSV-0036 CKV_K8S_38 automount-service-account-token",
	.summary = "automountServiceAccountToken is not false.",
	.why = "A mounted token lets anyone in the container call the Kubernetes API with the "
	       "pod's identity; workloads that do not use the API should not carry one.",
	.fix = "automountServiceAccountToken: false in the pod spec (or the ServiceAccount).",
	.check_container = container_sa_token,
};

static void container_lsm(pl_scan *s, const pl_container *c)
{
	if (c->apparmor.v && !strcasecmp(c->apparmor.v, "unconfined"))
		pl_emit_origin(s, &c->apparmor.at, -1, "KSV-0002 docker-bench-5.1", NULL,
			       "%s runs with AppArmor unconfined", c->target);
	if (c->selinux_disabled.v == TRI_TRUE && !strcmp(c->source_kind, "k8s"))
		/* Kubernetes has no label:disable; the reader sets the flag for spc_t/unconfined_t */
		pl_emit_origin(s, &c->selinux_disabled.at, -1, "docker-bench-5.2", NULL,
			       "%s runs with an unconfined SELinux type (seLinuxOptions.type)",
			       c->target);
	else if (c->selinux_disabled.v == TRI_TRUE)
		pl_emit_origin(s, &c->selinux_disabled.at, -1, "docker-bench-5.2", NULL,
			       "%s disables SELinux labelling (label:disable)", c->target);
}

const pl_rule rule_PL214 = {
	.code = "PL214", .slug = "apparmor-or-selinux-disabled", .severity = SEV_MEDIUM,
	.inputs = IN_C | IN_K | IN_L,
	.aka = "KSV-0002 docker-bench-5.1 docker-bench-5.2",
	.summary = "AppArmor unconfined or SELinux labelling disabled.",
	.why = "The Linux security module profile is a second wall after capabilities and "
	       "seccomp; turning it off removes it for the whole container.",
	.fix = "Remove apparmor:unconfined / label:disable; write a specific profile if needed.",
	.fix_live = "Recreate it without --security-opt apparmor=unconfined or label=disable.",
	.check_container = container_lsm,
};

static void container_low_uid(pl_scan *s, const pl_container *c)
{
	long uid = -1;
	const pl_origin *at = NULL;
	if (c->run_as_user.set) {
		uid = (long)c->run_as_user.v;
		at = &c->run_as_user.at;
	} else if (c->user.v) {
		char u[256];
		user_part(c->user.v, u, sizeof u);
		bool digits = u[0] != '\0';
		for (const char *p = u; *p; p++)
			digits = digits && isdigit((unsigned char)*p);
		if (digits)
			uid = strtol(u, NULL, 10), at = &c->user.at;
		else if (c->user_uid.set) /* a name the image's /etc/passwd resolves */
			uid = (long)c->user_uid.v, at = &c->user.at;
	}
	if (uid > 0 && uid < s->cfg->low_uid_below)
		pl_emit_origin(s, at, -1, "KSV-0020", NULL,
			       "%s runs as uid %ld, below %d: it may be a real user on the host",
			       c->target, uid, s->cfg->low_uid_below);
}

/* PL215: a NetworkPolicy in the input set must select the workload's pods. */
static void set_network(pl_scan *s, const pl_k8s_set *set)
{
	for (size_t w = 0; w < set->nworkloads; w++) {
		const pl_k8s_workload *wl = &set->workloads[w];
		if (!wl->n)
			continue;
		const pl_container *c = &set->containers[wl->first];
		/* NetworkPolicy does not apply to hostNetwork pods: nothing to suggest. */
		if (c->host_network.v == TRI_TRUE)
			continue;
		bool covered = false;
		for (size_t i = 0; i < set->nobjects && !covered; i++)
			covered = set->objects[i].kind == K8S_NETWORK_POLICY &&
				  pl_k8s_selects(&set->objects[i], c);
		if (!covered)
			pl_emit_origin(s, &wl->at, -1, "KSV-0038 non-isolated-pod", NULL,
				       "%s/%s: no NetworkPolicy in the input selects its pods, so any pod "
				       "in the cluster can reach them", wl->kind, wl->name);
	}
}

const pl_rule rule_PL215 = {
	.code = "PL215", .slug = "network-not-isolated", .severity = SEV_INFO, .inputs = IN_K,
	.aka = "KSV-0038 non-isolated-pod",
	.summary = "No NetworkPolicy in the input set selects the workload's pods.",
	.why = "Without a policy every pod accepts traffic from every other pod: one compromised "
	       "workload can reach all the others.",
	.fix = "Add a NetworkPolicy that selects the pods and allows only the traffic they need.",
	.check_k8s_set = set_network,
};
