/* labels.c - the label schema (hadolint's DL3049-DL3058 family): labels a team requires on
 * every image, with typed values. Configured under label-schema: in .plimsoll.yml; without
 * a schema these rules have nothing to check. PL926 label-missing, PL927
 * label-not-in-schema (with strict-labels), PL928 label-invalid-value. */
#include "rules/util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Stages that only serve others (FROM <it> or COPY --from=<it>) are not images. */
static bool is_intermediate(const df_build *b, const df_stage *st)
{
	if (!st->name)
		return false;
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *o = &b->stages[i];
		if (o->base_stage == st->index)
			return true;
		for (size_t j = 0; j < o->ncmds; j++) {
			const df_flag *f = df_flag_get(o->cmds[j].flags, o->cmds[j].nflags, "from");
			if (o->cmds[j].kind == DF_COPY && f && f->value &&
			    df_stage_ref(b, f->value, o->index) == st->index)
				return true;
		}
	}
	return false;
}

/* The value of label `name` in a stage or the stages it is built FROM, or NULL. */
static const char *label_value(const df_build *b, const df_stage *st, const char *name,
			       const df_word **where)
{
	for (; st; st = st->base_stage >= 0 ? &b->stages[st->base_stage] : NULL)
		for (size_t j = st->ncmds; j-- > 0;) {
			const df_cmd *c = &st->cmds[j];
			if (c->kind != DF_LABEL)
				continue;
			for (size_t k = c->nargs; k >= 3; k -= 3)
				if (!strcmp(c->args[k - 3], name)) {
					if (where)
						*where = &c->node->args[k - 2];
					return c->args[k - 2];
				}
		}
	return NULL;
}

static void check_missing(pl_scan *s, const df_build *b)
{
	const pl_config *cfg = s->cfg;
	for (size_t i = 0; i < b->nstages && cfg->nlabels; i++) {
		const df_stage *st = &b->stages[i];
		if (is_intermediate(b, st))
			continue;
		for (size_t l = 0; l < cfg->nlabels; l++)
			if (!label_value(b, st, cfg->labels[l].name, NULL)) {
				const df_word *at = st->implicit ? &st->cmds[0].node->keyword : st->base_word;
				pl_emit(s, at, "DL3049", NULL, "the image has no label %s, which the label "
					"schema requires", cfg->labels[l].name);
			}
	}
}

const pl_rule rule_PL926 = {
	.code = "PL926", .slug = "label-missing", .severity = SEV_INFO, .inputs = IN_D,
	.aka = "DL3049",
	.summary = "An image lacks a label that the configured label-schema requires.",
	.why = "Teams use labels to find an image's source, owner and version; a missing one "
	       "breaks the tooling that relies on it.",
	.fix = "Add the label: LABEL <name>=<value>.",
	.check_dockerfile = check_missing,
};

static bool in_schema(const pl_config *cfg, const char *name)
{
	for (size_t l = 0; l < cfg->nlabels; l++)
		if (!strcmp(cfg->labels[l].name, name))
			return true;
	return false;
}

static void check_extra(pl_scan *s, const df_build *b)
{
	if (!s->cfg->strict_labels)
		return;
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			if (c->kind != DF_LABEL)
				continue;
			for (size_t k = 0; k + 2 < c->nargs; k += 3)
				if (!in_schema(s->cfg, c->args[k]))
					pl_emit(s, &c->node->args[k], "DL3050", NULL,
						"label %s is not in the label schema (strict-labels)", c->args[k]);
		}
}

const pl_rule rule_PL927 = {
	.code = "PL927", .slug = "label-not-in-schema", .severity = SEV_INFO, .inputs = IN_D,
	.aka = "DL3050",
	.summary = "A label outside the configured label-schema, with strict-labels on.",
	.why = "A strict schema keeps label keys consistent across a team's images.",
	.fix = "Add the key to label-schema, or remove the label.",
	.check_dockerfile = check_extra,
};

static bool all_of(const char *s, const char *set, size_t min, size_t max)
{
	size_t n = strlen(s);
	return n >= min && n <= max && strspn(s, set) == n;
}

static bool valid_url(const char *v)
{
	const char *c = strstr(v, "://");
	if (!c || c == v || !c[3])
		return false;
	for (const char *p = v; p < c; p++)
		if (!(isalnum((unsigned char)*p) || *p == '+' || *p == '.' || *p == '-'))
			return false;
	return isalpha((unsigned char)v[0]);
}

static bool digits(const char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return true;
}

static bool valid_rfc3339(const char *v)
{
	if (strlen(v) < 20 || !digits(v, 4) || v[4] != '-' || !digits(v + 5, 2) || v[7] != '-' ||
	    !digits(v + 8, 2) || (v[10] != 'T' && v[10] != 't' && v[10] != ' ') ||
	    !digits(v + 11, 2) || v[13] != ':' || !digits(v + 14, 2) || v[16] != ':' ||
	    !digits(v + 17, 2))
		return false;
	const char *p = v + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && !p[1])
		return true;
	return (*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' && digits(p + 4, 2) &&
	       !p[6];
}

static bool valid_spdx(const char *v)
{
	static const char *const ids[] = {
		"MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "GPL-2.0", "GPL-2.0-only",
		"GPL-2.0-or-later", "GPL-3.0", "GPL-3.0-only", "GPL-3.0-or-later", "LGPL-2.1",
		"LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0", "LGPL-3.0-only",
		"LGPL-3.0-or-later", "AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "MPL-2.0",
		"EPL-1.0", "EPL-2.0", "ISC", "Unlicense", "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0",
		"Zlib", "BSL-1.0", "0BSD", "Artistic-2.0", "PostgreSQL", "OFL-1.1", "WTFPL",
		"Python-2.0", "PSF-2.0", "Ruby", "PHP-3.01", "CDDL-1.0", "CDDL-1.1", "EUPL-1.2",
		"MIT-0", "BSD-4-Clause", "X11", "NCSA", "Unicode-DFS-2016", "BlueOak-1.0.0",
		"Elastic-2.0", "SSPL-1.0", "BUSL-1.1", "LicenseRef-Proprietary", NULL};
	/* expressions: ids joined by AND / OR / WITH, optional parentheses */
	char buf[512];
	snprintf(buf, sizeof buf, "%s", v);
	char *save, *tok = strtok_r(buf, " ()", &save);
	bool any = false;
	for (; tok; tok = strtok_r(NULL, " ()", &save)) {
		if (!strcmp(tok, "AND") || !strcmp(tok, "OR") || !strcmp(tok, "WITH"))
			continue;
		size_t l = strlen(tok);
		if (l && tok[l - 1] == '+')
			tok[l - 1] = '\0';
		bool ok = !strncmp(tok, "LicenseRef-", 11);
		for (size_t i = 0; ids[i] && !ok; i++)
			ok = !strcasecmp(tok, ids[i]);
		if (!ok)
			return false;
		any = true;
	}
	return any;
}

static bool valid_semver(const char *v)
{
	const char *p = v;
	for (int part = 0; part < 3; part++) {
		if (!isdigit((unsigned char)*p) || (*p == '0' && isdigit((unsigned char)p[1])))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
		if (part < 2 && *p++ != '.')
			return false;
	}
	if (*p == '-') {
		p++;
		if (!*p)
			return false;
		while (*p && *p != '+') {
			if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '-'))
				return false;
			p++;
		}
	}
	if (*p == '+') {
		p++;
		if (!*p)
			return false;
		while (*p) {
			if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '-'))
				return false;
			p++;
		}
	}
	return *p == '\0';
}

static bool valid_email(const char *v)
{
	const char *at = strchr(v, '@');
	if (!at || at == v || strchr(at + 1, '@'))
		return false;
	const char *dot = strrchr(at, '.');
	return dot && dot > at + 1 && dot[1] && !strpbrk(v, " <>\"");
}

static void check_values(pl_scan *s, const df_build *b)
{
	const pl_config *cfg = s->cfg;
	for (size_t i = 0; i < b->nstages && cfg->nlabels; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			if (c->kind != DF_LABEL)
				continue;
			for (size_t k = 0; k + 2 < c->nargs; k += 3)
				for (size_t l = 0; l < cfg->nlabels; l++) {
					if (strcmp(cfg->labels[l].name, c->args[k]))
						continue;
					const char *v = c->args[k + 1], *t = cfg->labels[l].type;
					const df_word *at = &c->node->args[k + 1];
					if (!*v) {
						pl_emit(s, at, "DL3051", NULL, "label %s is empty", c->args[k]);
						continue;
					}
					const char *aka = NULL;
					if (!strcmp(t, "url") && !valid_url(v))
						aka = "DL3052";
					else if (!strcmp(t, "rfc3339") && !valid_rfc3339(v))
						aka = "DL3053";
					else if (!strcmp(t, "spdx") && !valid_spdx(v))
						aka = "DL3054";
					else if (!strcmp(t, "hash") && !all_of(v, "0123456789abcdefABCDEF", 7, 40))
						aka = "DL3055";
					else if (!strcmp(t, "semver") && !valid_semver(v))
						aka = "DL3056";
					else if (!strcmp(t, "email") && !valid_email(v))
						aka = "DL3058";
					if (aka)
						pl_emit(s, at, aka, NULL, "label %s=%s is not a valid %s",
							c->args[k], v, t);
				}
		}
}

const pl_rule rule_PL928 = {
	.code = "PL928", .slug = "label-invalid-value", .severity = SEV_LOW, .inputs = IN_D,
	.aka = "DL3051 DL3052 DL3053 DL3054 DL3055 DL3056 DL3058",
	.summary = "A label in the label-schema is empty or not a valid value of its type (url, "
		   "rfc3339, spdx, hash, semver, email).",
	.why = "Tools that read labels (SBOMs, registries, dashboards) reject or misreport "
	       "malformed values.",
	.fix = "Give the label a value of the declared type.",
	.check_dockerfile = check_values,
};
