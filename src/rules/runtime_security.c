/* runtime_security.c - catalog section 2 as a Dockerfile shows it: PL201 root-user and
 * PL216 low-uid. The final stage is what ships; builder stages may run as root. */
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

const pl_rule rule_PL201 = {
	.code = "PL201", .slug = "root-user", .severity = SEV_HIGH,
	.inputs = IN_D | IN_C | IN_K | IN_I | IN_L,
	.aka = "DL3002 CKV_DOCKER_3 CKV_DOCKER_8 AVD-DS-0002 CIS-DI-0001 KSV-0012 "
	       "run-as-non-root runAsNonRoot docker-bench-4.1",
	.summary = "The process runs as root.",
	.why = "A process that runs as root inside the container is root on the host as soon as "
	       "one escape or misconfigured mount exists; it can also rewrite its own binaries.",
	.fix = "Create a user in the image and end the final stage with USER <uid>, e.g. "
	       "RUN useradd -r -u 10001 app, then USER 10001.",
	.check_dockerfile = check_root,
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

const pl_rule rule_PL216 = {
	.code = "PL216", .slug = "low-uid", .severity = SEV_INFO,
	.inputs = IN_D | IN_C | IN_K | IN_I | IN_L,
	.aka = "",
	.summary = "The process runs with a UID below 10000 (configurable).",
	.why = "Low UIDs are the ones host accounts use. A container process that shares one with "
	       "a host user gets that user's access to anything shared with the host.",
	.fix = "Use a high UID such as 10001 (thresholds.low-uid-below in .plimsoll.yml).",
	.check_dockerfile = check_low_uid,
};
