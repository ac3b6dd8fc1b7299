/* correctness.c - catalog section 9: Dockerfile correctness. PL901 is reported by the
 * engine (a file that does not parse has no model to check); the rest read the model. */
#include "rules/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const pl_rule rule_PL901 = {
	.code = "PL901", .slug = "dockerfile-syntax", .severity = SEV_CRITICAL, .inputs = IN_D,
	.aka = "DL1000 DL3043 DL3061",
	.summary = "The Dockerfile does not parse, or BuildKit would refuse an instruction.",
	.why = "A build that fails is not a warning. Plimsoll reads Dockerfiles exactly as "
	       "BuildKit does, so this is the error `docker build` would stop with.",
	.fix = "Fix the syntax at the position shown.",
};

/* A --from value that is an image rather than a stage: has a tag, digest or path. */
static bool looks_like_image(const char *v)
{
	return strpbrk(v, ":/@.") != NULL;
}

static int stage_named(const df_build *b, const char *name)
{
	for (size_t i = 0; i < b->nstages; i++)
		if (b->stages[i].name && !strcasecmp(b->stages[i].name, name))
			return (int)i;
	return -1;
}

static void check_undefined_stage(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			const df_flag *f = df_flag_get(c->flags, c->nflags, "from");
			if (c->kind != DF_COPY || !f || !f->value || !f->value[0] || strchr(f->word->s, '$'))
				continue;
			if (df_stage_ref(b, f->value, st->index) >= 0 || looks_like_image(f->value))
				continue;
			int later = stage_named(b, f->value);
			if (later == st->index)
				continue; /* PL917's case */
			if (later > st->index)
				pl_emit(s, f->word, "DL3022", NULL,
					"COPY --from=%s names a stage defined later in the file; stages "
					"can only copy from earlier ones", f->value);
			else
				pl_emit(s, f->word, "DL3022", NULL,
					"COPY --from=%s names no stage defined before it (and it is not an "
					"image reference with a tag)", f->value);
		}
	}
}

const pl_rule rule_PL902 = {
	.code = "PL902", .slug = "undefined-stage", .severity = SEV_HIGH, .inputs = IN_D,
	.aka = "DL3022",
	.summary = "COPY --from names a stage that is not defined before it and is not an image.",
	.why = "BuildKit then pulls an image of that name from Docker Hub: a typo in a stage name "
	       "silently copies files out of a stranger's image.",
	.fix = "Define the stage (FROM ... AS <name>) before the COPY, or use a full image "
	       "reference with a tag.",
	.check_dockerfile = check_undefined_stage,
};

static void check_dup_stage(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < i; j++)
			if (b->stages[i].name && b->stages[j].name &&
			    !strcasecmp(b->stages[i].name, b->stages[j].name)) {
				pl_emit(s, b->stages[i].name_word, "DL3024 CKV_DOCKER_11 AVD-DS-0012", NULL,
					"stage name '%s' is already used on line %d",
					b->stages[i].name, b->stages[j].name_word->line);
				break;
			}
}

const pl_rule rule_PL903 = {
	.code = "PL903", .slug = "duplicate-stage-name", .severity = SEV_HIGH, .inputs = IN_D,
	.aka = "DL3024 CKV_DOCKER_11 AVD-DS-0012",
	.summary = "Two stages share a name.",
	.why = "COPY --from and --target then refer to whichever stage BuildKit picks, which is "
	       "not what the reader of the file expects.",
	.fix = "Give each stage a unique name.",
	.check_dockerfile = check_dup_stage,
};

static void check_multiple(pl_scan *s, const df_build *b)
{
	static const struct { df_kind k; const char *aka; } kinds[] = {
		{DF_CMD, "DL4003 AVD-DS-0016"}, {DF_ENTRYPOINT, "DL4004 AVD-DS-0007"},
		{DF_HEALTHCHECK, "DL3012 AVD-DS-0023"},
	};
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			int seen = 0, first = 0;
			for (size_t j = 0; j < st->ncmds; j++) {
				if (st->cmds[j].kind != kinds[k].k)
					continue;
				if (seen++ == 0) {
					first = st->cmds[j].node->start_line;
					continue;
				}
				pl_emit(s, &st->cmds[j].node->keyword, kinds[k].aka, NULL,
					"a second %s in the stage (the first is on line %d): only the last "
					"one takes effect", df_kind_name(kinds[k].k), first);
			}
		}
	}
}

const pl_rule rule_PL904 = {
	.code = "PL904", .slug = "multiple-cmd-or-entrypoint", .severity = SEV_MEDIUM,
	.inputs = IN_D,
	.aka = "DL4003 DL4004 DL3012 AVD-DS-0016 AVD-DS-0007 AVD-DS-0023",
	.summary = "More than one CMD, ENTRYPOINT or HEALTHCHECK in a stage.",
	.why = "Only the last one takes effect; the others mislead whoever reads the file.",
	.fix = "Keep one; combine commands in a script if several are needed.",
	.check_dockerfile = check_multiple,
};

static void check_maintainer(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++)
			if (b->stages[i].cmds[j].kind == DF_MAINTAINER)
				pl_emit(s, &b->stages[i].cmds[j].node->keyword,
					"DL4000 CKV_DOCKER_6 AVD-DS-0022", NULL,
					"MAINTAINER is deprecated");
}

const pl_rule rule_PL905 = {
	.code = "PL905", .slug = "maintainer-deprecated", .severity = SEV_INFO, .inputs = IN_D,
	.aka = "DL4000 CKV_DOCKER_6 AVD-DS-0022",
	.summary = "MAINTAINER is used.",
	.why = "MAINTAINER is deprecated since Docker 1.13 and not shown by common tooling.",
	.fix = "Use LABEL org.opencontainers.image.authors=\"name <email>\".",
	.check_dockerfile = check_maintainer,
};

static bool is_absolute(const char *p)
{
	if (p[0] == '/' || p[0] == '\\' || p[0] == '$')
		return true;
	/* Windows: C:\ or C:/ (also quoted "C:\") */
	const char *q = p[0] == '"' || p[0] == '\'' ? p + 1 : p;
	return isalpha((unsigned char)q[0]) && q[1] == ':';
}

static void check_workdir(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			if (c->kind != DF_WORKDIR || c->nargs != 1 || c->nunset)
				continue;
			if (!is_absolute(c->node->args[0].s) && !is_absolute(c->args[0]))
				pl_emit(s, &c->node->args[0], "DL3000 CKV_DOCKER_10 AVD-DS-0009", NULL,
					"WORKDIR %s is relative: it depends on every WORKDIR before it, "
					"including the base image's", c->args[0]);
		}
}

const pl_rule rule_PL906 = {
	.code = "PL906", .slug = "workdir-relative", .severity = SEV_LOW, .inputs = IN_D,
	.aka = "DL3000 CKV_DOCKER_10 AVD-DS-0009",
	.summary = "WORKDIR with a relative path.",
	.why = "A relative WORKDIR resolves against the previous one, possibly set by the base "
	       "image: changing the base silently moves the application.",
	.fix = "Use an absolute path: WORKDIR /app.",
	.check_dockerfile = check_workdir,
};

/* One EXPOSE item: 80, 80/tcp, 8000-8010/udp. */
static bool valid_port(const char *p)
{
	char *end;
	long a = strtol(p, &end, 10);
	if (end == p || a < 0 || a > 65535)
		return false;
	if (*end == '-') {
		const char *q = end + 1;
		long bb = strtol(q, &end, 10);
		if (end == q || bb < a || bb > 65535)
			return false;
	}
	if (*end == '/')
		return !strcasecmp(end + 1, "tcp") || !strcasecmp(end + 1, "udp") ||
		       !strcasecmp(end + 1, "sctp");
	return *end == '\0';
}

static void check_ports(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			if (c->kind != DF_EXPOSE)
				continue;
			for (size_t k = 0; k < c->nargs; k++)
				if (!strchr(c->node->args[k].s, '$') && !valid_port(c->args[k]))
					pl_emit(s, &c->node->args[k], "DL3011 AVD-DS-0008", NULL,
						"EXPOSE %s is not a valid port (0-65535, optionally /tcp, "
						"/udp or /sctp)", c->args[k]);
		}
}

const pl_rule rule_PL909 = {
	.code = "PL909", .slug = "invalid-port", .severity = SEV_MEDIUM, .inputs = IN_D,
	.aka = "DL3011 AVD-DS-0008",
	.summary = "EXPOSE outside 0-65535 or malformed.",
	.why = "The build fails or the port mapping silently does something else.",
	.fix = "Use a port number from 0 to 65535, e.g. EXPOSE 8080/tcp.",
	.check_dockerfile = check_ports,
};

/* Arguments BuildKit defines for every build. */
static bool predefined(const char *v)
{
	static const char *const names[] = {
		"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM",
		"TARGETOS", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE", "BUILDKIT_SYNTAX",
		"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
		"NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "SOURCE_DATE_EPOCH", NULL};
	for (size_t i = 0; names[i]; i++)
		if (!strcmp(v, names[i]))
			return true;
	return !strncmp(v, "BUILDKIT_", 9);
}

/* Where the file declares a variable with ARG (any stage), or 0. A variable the file does
 * not declare by ARG may come from the base image's environment (PATH, HOME, or whatever
 * the image sets), which a Dockerfile alone cannot see; ARG values never come from an
 * image, so an ARG out of scope is a certain mistake. */
static int declared_line(const df_build *b, const char *v)
{
	for (size_t i = 0; i < b->nglobal_cmds; i++)
		for (size_t k = 0; k < b->global_cmds[i].node->nargs; k++) {
			const df_word *w = &b->global_cmds[i].node->args[k];
			size_t l = strcspn(w->s, "=");
			if (l == strlen(v) && !strncmp(w->s, v, l))
				return w->line;
		}
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			if (c->kind == DF_ARG)
				for (size_t k = 0; k < c->node->nargs; k++) {
					const df_word *w = &c->node->args[k];
					size_t l = strcspn(w->s, "=");
					if (l == strlen(v) && !strncmp(w->s, v, l))
						return w->line;
				}
		}
	return 0;
}

/* Declared by an ARG of this stage before `line` (with or without a default: a build
 * argument can supply it, so it counts as defined). */
static bool arg_in_scope(const df_stage *st, const char *v, int line)
{
	for (size_t j = 0; j < st->ncmds && st->cmds[j].node->start_line < line; j++) {
		const df_cmd *c = &st->cmds[j];
		if (c->kind != DF_ARG)
			continue;
		for (size_t k = 0; k < c->node->nargs; k++) {
			const df_word *w = &c->node->args[k];
			size_t l = strcspn(w->s, "=");
			if (l == strlen(v) && !strncmp(w->s, v, l))
				return true;
		}
	}
	return false;
}

static void check_undefined_var(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			for (size_t k = 0; k < c->nunset; k++) {
				const char *v = c->unset[k];
				if (predefined(v) || !v[0] || isdigit((unsigned char)v[0]) ||
				    strchr("@*#?-$!", v[0]))
					continue;
				if (c->kind != DF_FROM &&
				    arg_in_scope(&b->stages[i], v, c->node->start_line + (c->kind == DF_ARG)))
					continue;
				bool global = false;
				for (size_t g = 0; g < b->global_args.n; g++)
					global = global || !strcmp(b->global_args.v[g].name, v);
				int decl = declared_line(b, v);
				if (c->kind == DF_FROM && !global)
					pl_emit(s, &c->node->keyword, "UndefinedArgInFrom", NULL,
						"FROM uses $%s, but no ARG before the first FROM declares it: it "
						"expands to an empty string", v);
				else if (c->kind != DF_FROM && global)
					pl_emit(s, &c->node->keyword, "UndefinedVar", NULL,
						"$%s is a global ARG (line %d) that this stage does not re-declare: "
						"it expands to an empty string here", v, decl);
				else if (c->kind != DF_FROM && decl)
					pl_emit(s, &c->node->keyword, "UndefinedVar", NULL,
						"$%s is used here but only declared by ARG on line %d, %s", v, decl,
						decl > c->node->start_line ? "later" : "in another stage");
			}
		}
}

const pl_rule rule_PL910 = {
	.code = "PL910", .slug = "undefined-variable", .severity = SEV_MEDIUM, .inputs = IN_D,
	.aka = "UndefinedVar UndefinedArgInFrom",
	.summary = "$VAR used in an instruction and not defined by ARG or ENV in scope (a global "
		   "ARG not re-declared in the stage, a variable set later or in another stage, or "
		   "an undeclared ARG in FROM).",
	.why = "BuildKit expands an undefined variable to an empty string without an error: "
	       "COPY app /$DIR copies to /, FROM image:$TAG pulls latest.",
	.fix = "Declare it with ARG (and re-declare global ARGs inside the stage that uses them).",
	.check_dockerfile = check_undefined_var,
};

static void check_copy_dest(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			if ((c->kind != DF_COPY && c->kind != DF_ADD) || c->nargs < 3)
				continue;
			const char *dest = c->args[c->nargs - 1];
			size_t dl = c->arg_lens[c->nargs - 1];
			if (dl && (dest[dl - 1] == '/' || dest[dl - 1] == '\\'))
				continue;
			if (dl && strchr(c->node->args[c->nargs - 1].s, '$'))
				continue;
			pl_emit(s, &c->node->args[c->nargs - 1], "DL3021 AVD-DS-0011", NULL,
				"%s with %zu sources needs a destination directory ending in '/', not %s",
				df_kind_name(c->kind), c->nargs - 1, dest);
		}
}

const pl_rule rule_PL911 = {
	.code = "PL911", .slug = "copy-multiple-sources-needs-dir", .severity = SEV_HIGH,
	.inputs = IN_D,
	.aka = "DL3021 AVD-DS-0011",
	.summary = "COPY or ADD with several sources into a destination not ending in '/'.",
	.why = "The build fails: several files cannot be copied onto one file name.",
	.fix = "End the destination with '/': COPY a b /app/.",
	.check_dockerfile = check_copy_dest,
};

static int casing(const char *s, size_t n)
{
	bool up = false, low = false;
	for (size_t i = 0; i < n; i++) {
		if (isupper((unsigned char)s[i]))
			up = true;
		if (islower((unsigned char)s[i]))
			low = true;
	}
	return up && !low ? 1 : low && !up ? -1 : 0;
}

static void check_casing(pl_scan *s, const df_build *b)
{
	const df_file *f = s->df;
	int upper = 0, lower = 0;
	for (size_t i = 0; i < f->nnodes; i++) {
		const df_word *k = &f->nodes[i]->keyword;
		int c = casing(f->src + k->off, k->end - k->off);
		upper += c > 0;
		lower += c < 0;
	}
	bool want_upper = upper >= lower;
	for (size_t i = 0; i < f->nnodes; i++) {
		const df_word *k = &f->nodes[i]->keyword;
		int c = casing(f->src + k->off, k->end - k->off);
		if (c != (want_upper ? 1 : -1))
			pl_emit(s, k, "ConsistentInstructionCasing", NULL,
				"'%.*s' is not %s case like the other instructions of this file",
				(int)(k->end - k->off), f->src + k->off, want_upper ? "upper" : "lower");
	}
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		if (!st->name_word || st->cmds[0].node->nargs != 3)
			continue;
		const df_word *as = &st->cmds[0].node->args[1];
		const df_word *from = &st->cmds[0].node->keyword;
		int ca = casing(as->s, as->len), cf = casing(f->src + from->off, from->end - from->off);
		if (ca && cf && ca != cf)
			pl_emit(s, as, "FromAsCasing", NULL, "'%s' does not match the case of '%.*s'",
				as->s, (int)(from->end - from->off), f->src + from->off);
	}
}

const pl_rule rule_PL912 = {
	.code = "PL912", .slug = "instruction-casing", .severity = SEV_INFO, .inputs = IN_D,
	.aka = "ConsistentInstructionCasing FromAsCasing",
	.summary = "Instruction keywords or AS in mixed case within one file.",
	.why = "Mixed casing makes a Dockerfile harder to scan and to grep.",
	.fix = "Write every keyword in upper case (FROM, RUN, AS).",
	.check_dockerfile = check_casing,
};

const pl_rule rule_PL938 = {
	.code = "PL938", .slug = "invalid-configuration", .severity = SEV_HIGH,
	.inputs = IN_C | IN_K,
	.aka = "",
	.summary = "A compose file or Kubernetes manifest that Docker Compose or the API server "
		   "would refuse (YAML errors, unknown keys, wrong types, a required variable that "
		   "is not set).",
	.why = "A deployment that fails at apply time is an outage waiting for the next deploy; "
	       "and what Plimsoll cannot read, it cannot check.",
	.fix = "Fix the value at the position shown.",
};
