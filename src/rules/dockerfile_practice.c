/* dockerfile_practice.c - Dockerfile checks beyond the catalog rows that peers have and
 * that fit Plimsoll's practices (hadolint parity, catalog section 9 numbering), plus
 * PL114 shell-form-entrypoint. None of these needs the shell tokenizer. */
#include "rules/util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static void check_shell_form(pl_scan *s, const df_build *b)
{
	const df_stage *st = pl_final_stage(b);
	if (!st)
		return;
	const df_cmd *cmd = NULL, *ep = NULL;
	for (size_t i = 0; i < st->ncmds; i++) {
		if (st->cmds[i].kind == DF_CMD)
			cmd = &st->cmds[i];
		if (st->cmds[i].kind == DF_ENTRYPOINT)
			ep = &st->cmds[i];
	}
	const df_cmd *c = ep ? ep : cmd;
	if (c && !c->node->json && c->node->nargs)
		pl_emit(s, &c->node->keyword, "DL3025", NULL,
			"%s is in shell form: the process runs under /bin/sh -c, is not PID 1 and "
			"does not receive SIGTERM, so it is killed after the stop timeout",
			df_kind_name(c->kind));
}

const pl_rule rule_PL114 = {
	.code = "PL114", .slug = "shell-form-entrypoint", .severity = SEV_MEDIUM, .inputs = IN_D,
	.aka = "DL3025 JSONArgsRecommended",
	.summary = "The final CMD or ENTRYPOINT is in shell form.",
	.why = "In shell form the application runs as a child of /bin/sh, which does not forward "
	       "SIGTERM: every stop waits for the timeout and then kills the process mid-request.",
	.fix = "Use exec form: CMD [\"node\", \"server.js\"] (add an init such as tini if the "
	       "process does not reap children).",
	.check_dockerfile = check_shell_form,
};

static void check_inline_ignore(pl_scan *s, const df_build *b)
{
	const df_file *f = s->df;
	for (size_t i = 0; i < f->nnodes; i++)
		for (size_t j = 0; j < f->nodes[i]->ncomments; j++) {
			const df_word *c = &f->nodes[i]->comments[j];
			if (strstr(c->s, "hadolint ignore=") || strstr(c->s, "plimsoll ignore="))
				pl_emit(s, c, "DL1001", NULL, "inline ignore pragma: %s", c->s);
		}
}

const pl_rule rule_PL913 = {
	.code = "PL913", .slug = "inline-ignore-used", .severity = SEV_INFO, .inputs = IN_D,
	.aka = "DL1001", .opt_in = true,
	.summary = "An inline ignore pragma is used (opt-in, for teams that forbid them).",
	.why = "Some teams require every exception to live in the reviewed configuration file.",
	.fix = "Move the exception to .plimsoll.yml (ignore: with a path and rules).",
	.check_dockerfile = check_inline_ignore,
};

static void check_copy_own_stage(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			const df_flag *f = df_flag_get(c->flags, c->nflags, "from");
			if (c->kind != DF_COPY || !f || !f->value)
				continue;
			if ((st->name && !strcasecmp(st->name, f->value)))
				pl_emit(s, f->word, "DL3023 AVD-DS-0006", NULL,
					"COPY --from=%s refers to the stage it is in", f->value);
		}
	}
}

const pl_rule rule_PL917 = {
	.code = "PL917", .slug = "copy-from-own-stage", .severity = SEV_HIGH, .inputs = IN_D,
	.aka = "DL3023 AVD-DS-0006",
	.summary = "COPY --from names the stage it is in.",
	.why = "A stage cannot copy from itself: the build fails or pulls an image of that name.",
	.fix = "Copy from an earlier stage.",
	.check_dockerfile = check_copy_own_stage,
};

static void check_platform(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_cmd *c = &b->stages[i].cmds[0];
		if (c->kind != DF_FROM)
			continue;
		const df_flag *f = df_flag_get(c->flags, c->nflags, "platform");
		if (!f || !f->value)
			continue;
		/* the value as written, before expansion */
		const char *raw = strchr(f->word->s, '=');
		raw = raw ? raw + 1 : "";
		if (!strchr(raw, '$'))
			pl_emit(s, f->word, "DL3029", NULL,
				"FROM --platform=%s pins the platform: the image cannot be built for "
				"another architecture", raw);
	}
}

const pl_rule rule_PL919 = {
	.code = "PL919", .slug = "from-platform-constant", .severity = SEV_LOW, .inputs = IN_D,
	.aka = "DL3029 FromPlatformFlagConstDisallowed",
	.summary = "FROM --platform with a constant value.",
	.why = "A fixed platform breaks multi-platform builds and runs emulated on other hosts.",
	.fix = "Use --platform=$BUILDPLATFORM for build stages, or leave it out.",
	.check_dockerfile = check_platform,
};

static void check_platform_redundant(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_cmd *c = &b->stages[i].cmds[0];
		const df_flag *f = c->kind == DF_FROM ? df_flag_get(c->flags, c->nflags, "platform")
						      : NULL;
		const char *raw = f ? strchr(f->word->s, '=') : NULL;
		if (raw && (!strcmp(raw + 1, "$TARGETPLATFORM") ||
			    !strcmp(raw + 1, "${TARGETPLATFORM}")))
			pl_emit(s, f->word, "DL3065 RedundantTargetPlatform", NULL,
				"--platform=$TARGETPLATFORM is the default and can be left out");
	}
}

const pl_rule rule_PL931 = {
	.code = "PL931", .slug = "from-platform-redundant", .severity = SEV_INFO, .inputs = IN_D,
	.aka = "DL3065 RedundantTargetPlatform",
	.summary = "FROM --platform=$TARGETPLATFORM, which is the default.",
	.why = "Redundant flags make the reader look for a meaning that is not there.",
	.fix = "Remove --platform=$TARGETPLATFORM.",
	.check_dockerfile = check_platform_redundant,
};

/* ENV a=1 b=$a: the value of b comes from before this ENV, not from a=1. */
static void check_env_self(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			if (c->kind != DF_ENV)
				continue;
			const df_node *n = c->node;
			for (size_t k = 3; k + 2 < n->nargs; k += 3)
				for (size_t p = 0; p < k; p += 3) {
					const df_word *key = &n->args[p], *val = &n->args[k + 1];
					char a[300], bb[300];
					snprintf(a, sizeof a, "$%s", key->s);
					snprintf(bb, sizeof bb, "${%s", key->s);
					const char *hit = strstr(val->s, a);
					bool word_end = hit && !(isalnum((unsigned char)hit[strlen(a)]) ||
								 hit[strlen(a)] == '_');
					/* ${NAME} or ${NAME<modifier>...}, not ${NAMEFOO} */
					const char *br = strstr(val->s, bb);
					bool br_end = br && strchr("}:-+?#%/", br[strlen(bb)]);
					if (br && !br_end)
						br = NULL;
					if ((hit && word_end) || br) {
						pl_emit(s, val, "DL3044", NULL,
							"%s uses %s, set earlier in the same ENV: it gets the value "
							"from before this ENV", n->args[k].s, key->s);
						break;
					}
				}
		}
}

const pl_rule rule_PL921 = {
	.code = "PL921", .slug = "env-self-reference", .severity = SEV_MEDIUM, .inputs = IN_D,
	.aka = "DL3044",
	.summary = "An ENV value refers to a variable set earlier in the same ENV.",
	.why = "All values of one ENV are expanded before any is set, so the reference sees the "
	       "old value (usually empty), not the one just written.",
	.fix = "Split into two ENV instructions.",
	.check_dockerfile = check_env_self,
};

static void check_relative_dest(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		bool workdir = false;
		for (const df_stage *p = st; p && !workdir;
		     p = p->base_stage >= 0 ? &b->stages[p->base_stage] : NULL) {
			if (p != st && p->workdir)
				workdir = true;
			/* scratch has no WORKDIR to inherit: relative means "/", and that is known */
			if (p->base_stage < 0 && p->base && !strcasecmp(p->base, "scratch"))
				workdir = true;
		}
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			if (c->kind == DF_WORKDIR)
				workdir = true;
			if (c->kind != DF_COPY || workdir || c->nargs < 2)
				continue;
			const char *raw = c->node->args[c->nargs - 1].s;
			const char *dest = c->args[c->nargs - 1]; /* quotes removed */
			if (strchr(raw, '$') || dest[0] == '/' || dest[0] == '\\' ||
			    (isalpha((unsigned char)dest[0]) && dest[1] == ':'))
				continue;
			pl_emit(s, &c->node->args[c->nargs - 1], "DL3045", NULL,
				"COPY to the relative path %s with no WORKDIR set: it lands wherever "
				"the base image's working directory is", dest);
		}
	}
}

const pl_rule rule_PL922 = {
	.code = "PL922", .slug = "copy-relative-dest-without-workdir", .severity = SEV_LOW,
	.inputs = IN_D,
	.aka = "DL3045",
	.summary = "COPY to a relative destination when no WORKDIR is set.",
	.why = "The destination then depends on the base image's WORKDIR, which can change with a "
	       "base image update.",
	.fix = "Set WORKDIR first, or use an absolute destination.",
	.check_dockerfile = check_relative_dest,
};

static bool label_key_ok(const char *k, const char **why)
{
	size_t n = strlen(k);
	if (n == 0) {
		*why = "it is empty";
		return false;
	}
	static const char *const reserved[] = {"com.docker.", "io.docker.", "org.dockerproject.",
					       NULL};
	for (size_t i = 0; reserved[i]; i++)
		if (!strncmp(k, reserved[i], strlen(reserved[i]))) {
			*why = "the namespace is reserved by Docker";
			return false;
		}
	if (!islower((unsigned char)k[0]) || !isalnum((unsigned char)k[n - 1])) {
		*why = "it must start with a lower-case letter and end with a letter or digit";
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!(islower((unsigned char)c) || isdigit((unsigned char)c) || c == '.' || c == '-')) {
			*why = "only lower-case letters, digits, '.' and '-' are allowed";
			return false;
		}
		if (i && (c == '.' || c == '-') && (k[i - 1] == '.' || k[i - 1] == '-')) {
			*why = "it has consecutive separators";
			return false;
		}
	}
	return true;
}

static void check_label_keys(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			if (c->kind != DF_LABEL)
				continue;
			for (size_t k = 0; k + 2 < c->nargs; k += 3) {
				const char *why;
				if (strchr(c->node->args[k].s, '$') || label_key_ok(c->args[k], &why))
					continue;
				pl_emit(s, &c->node->args[k], "DL3048", NULL,
					"label key '%s' is not a valid key: %s", c->args[k], why);
			}
		}
}

const pl_rule rule_PL925 = {
	.code = "PL925", .slug = "invalid-label-key", .severity = SEV_INFO, .inputs = IN_D,
	.aka = "DL3048",
	.summary = "A LABEL key breaks Docker's key format recommendations.",
	.why = "Tools that read labels (registries, scanners, SBOM generators) expect reverse-DNS "
	       "lower-case keys; reserved namespaces belong to Docker.",
	.fix = "Use lower-case reverse-DNS keys, e.g. org.opencontainers.image.source.",
	.check_dockerfile = check_label_keys,
};

static void check_reserved_stage(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		if (st->name && (!strcmp(st->name, "scratch") || !strcmp(st->name, "context")))
			pl_emit(s, st->name_word, "DL3063 ReservedStageName", NULL,
				"'%s' is a reserved name and cannot name a stage", st->name);
	}
}

const pl_rule rule_PL930 = {
	.code = "PL930", .slug = "reserved-stage-name", .severity = SEV_MEDIUM, .inputs = IN_D,
	.aka = "DL3063 ReservedStageName",
	.summary = "A stage is named 'scratch' or 'context'.",
	.why = "Those names mean the empty image and the build context: FROM or COPY --from them "
	       "does not refer to the stage.",
	.fix = "Rename the stage.",
	.check_dockerfile = check_reserved_stage,
};

static void check_user_name(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			if (c->kind != DF_USER || c->nargs != 1 || strchr(c->node->args[0].s, '$'))
				continue;
			const char *u = c->args[0];
			bool numeric = true;
			for (const char *p = u; *p && *p != ':'; p++)
				numeric = numeric && isdigit((unsigned char)*p);
			if (!numeric)
				pl_emit(s, &c->node->args[0], "DL3066", NULL,
					"USER %s is a name: Kubernetes runAsNonRoot cannot verify it, and it "
					"may map to another uid elsewhere", u);
		}
}

const pl_rule rule_PL932 = {
	.code = "PL932", .slug = "user-by-name", .severity = SEV_INFO, .inputs = IN_D,
	.aka = "DL3066", .opt_in = true,
	.summary = "USER names a user instead of a numeric uid (opt-in).",
	.why = "Kubernetes can only enforce runAsNonRoot for numeric users; a name resolves "
	       "through the image's /etc/passwd at run time.",
	.fix = "Use the numeric uid: USER 10001:10001.",
	.check_dockerfile = check_user_name,
};

static void check_copy_root(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			const df_flag *from = df_flag_get(c->flags, c->nflags, "from");
			int ref = from && from->value ? df_stage_ref(b, from->value, (int)i) : -1;
			/* a FROM scratch stage holds only what was put there: an export stage */
			if (ref >= 0 && b->stages[ref].base && !strcasecmp(b->stages[ref].base, "scratch"))
				continue;
			if (c->kind == DF_COPY && from &&
			    c->nargs == 2 && !strcmp(c->args[0], "/") && !strcmp(c->args[1], "/"))
				pl_emit(s, &c->node->keyword, "DL3067", NULL,
					"COPY --from=%s / / copies the whole filesystem of the stage",
					df_flag_get(c->flags, c->nflags, "from")->value);
		}
}

const pl_rule rule_PL933 = {
	.code = "PL933", .slug = "copy-whole-stage-filesystem", .severity = SEV_LOW,
	.inputs = IN_D,
	.aka = "DL3067",
	.summary = "COPY --from=<stage> / / copies a whole filesystem.",
	.why = "Everything the builder had (compilers, caches, secrets used during the build) "
	       "ends up in the final image, defeating the multi-stage build.",
	.fix = "Copy only the build outputs: COPY --from=build /app/bin/server /app/.",
	.check_dockerfile = check_copy_root,
};

static void check_ssh_port(pl_scan *s, const df_build *b)
{
	const df_stage *st = pl_final_stage(b);
	for (size_t j = 0; st && j < st->ncmds; j++) {
		const df_cmd *c = &st->cmds[j];
		if (c->kind != DF_EXPOSE)
			continue;
		for (size_t k = 0; k < c->nargs; k++)
			if (!strcmp(c->args[k], "22") || !strcmp(c->args[k], "22/tcp"))
				pl_emit(s, &c->node->args[k], "CKV_DOCKER_1 AVD-DS-0004", NULL,
					"EXPOSE 22: the image runs an SSH server");
	}
}

const pl_rule rule_PL937 = {
	.code = "PL937", .slug = "ssh-port-exposed", .severity = SEV_MEDIUM, .inputs = IN_D,
	.aka = "CKV_DOCKER_1 AVD-DS-0004",
	.summary = "The final stage exposes port 22.",
	.why = "An SSH server in a container is a second way in that bypasses the orchestrator's "
	       "access control and audit; use docker exec or kubectl exec for debugging.",
	.fix = "Remove the SSH server and EXPOSE 22.",
	.check_dockerfile = check_ssh_port,
};
