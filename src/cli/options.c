/* options.c - the options scan, image and live share, and writing their report. */
#include "cli/options.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "report/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

const char cli_common_usage[] =
	"  --format F        text (default), json, sarif, junit, github\n"
	"  --output FILE     write the report to FILE\n"
	"  --fail-on LEVEL   critical|high|medium|low|info|none (default high)\n"
	"  --config FILE     use FILE instead of the nearest .plimsoll.yml\n"
	"  --enable RULE     turn a rule on (code, slug or peer id; 'all' for every rule)\n"
	"  --disable RULE    turn a rule off\n"
	"  --rule RULE       run only the named rules (repeatable)\n"
	"  --severity RULE=LEVEL  override a rule's severity\n"
	"  --no-color        no colours in text output\n"
	"  --quiet           no summary line and no progress\n";

bool cli_opt(int argc, char **argv, int *i, const char *name, const char **v)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (!strcmp(a, name) && *i + 1 < argc) {
		*v = argv[++*i];
		return true;
	}
	if (!strncmp(a, name, n) && a[n] == '=') {
		*v = a + n + 1;
		return true;
	}
	return false;
}

void cli_common_init(cli_common *o, const char *cmd, int argc)
{
	memset(o, 0, sizeof *o);
	o->cmd = cmd;
	o->format = "text";
	o->enables = xcalloc((size_t)argc + 1, sizeof *o->enables);
	o->enable_on = xcalloc((size_t)argc + 1, sizeof *o->enable_on);
	o->only = xcalloc((size_t)argc + 1, sizeof *o->only);
	o->sev = xcalloc((size_t)argc + 1, sizeof *o->sev);
}

void cli_common_free(cli_common *o)
{
	free(o->enables);
	free(o->enable_on);
	free(o->only);
	free(o->sev);
	memset(o, 0, sizeof *o);
}

int cli_common_opt(cli_common *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v = NULL;
#define OPT(name) cli_opt(argc, argv, i, name, &v)
	if (OPT("--format"))
		o->format = v;
	else if (OPT("--output") || OPT("-o"))
		o->output = v;
	else if (OPT("--fail-on"))
		o->fail_on = v;
	else if (OPT("--config"))
		o->config = v;
	else if (OPT("--enable"))
		o->enable_on[o->nen] = 1, o->enables[o->nen++] = v;
	else if (OPT("--disable"))
		o->enable_on[o->nen] = 0, o->enables[o->nen++] = v;
	else if (OPT("--rule"))
		o->only[o->nonly++] = v;
	else if (OPT("--severity"))
		o->sev[o->nsev++] = v;
	else if (!strcmp(a, "--no-color"))
		o->no_color = true;
	else if (!strcmp(a, "--quiet") || !strcmp(a, "-q"))
		o->quiet = true;
	else
		return 0;
#undef OPT
	return 1;
}

static int set_rule(const cli_common *o, pl_config *c, const char *name, int on)
{
	if (!strcasecmp(name, "all")) {
		c->enable_all = on;
		if (!on)
			for (size_t i = 0; i < pl_nrules; i++)
				c->enabled[i] = 0;
		return 0;
	}
	const pl_rule *r = pl_rule_find(name);
	if (!r) {
		fprintf(stderr, "plimsoll %s: unknown rule '%s' (see plimsoll rules)\n", o->cmd, name);
		return -1;
	}
	c->enabled[pl_rule_index(r)] = (signed char)on;
	return 0;
}

int cli_common_check_format(const cli_common *o)
{
	if (pl_reporter_find(o->format))
		return 0;
	fprintf(stderr, "plimsoll %s: unknown format '%s' (text, json, sarif, junit, github)\n",
		o->cmd, o->format);
	return -1;
}

int cli_common_config(cli_common *o, pl_config *cfg, const char *start_dir)
{
	char err[1024];
	char *found = !o->config && start_dir ? pl_config_find(start_dir) : NULL;
	const char *file = o->config ? o->config : found;
	if (file && pl_config_load(cfg, file, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		free(found);
		return -1;
	}
	free(found);
	for (size_t i = 0; i < o->nen; i++)
		if (set_rule(o, cfg, o->enables[i], o->enable_on[i]) < 0)
			return -1;
	if (o->nonly) {
		for (size_t i = 0; i < pl_nrules; i++)
			cfg->enabled[i] = 0;
		cfg->enable_all = false;
		for (size_t i = 0; i < o->nonly; i++)
			if (set_rule(o, cfg, o->only[i], 1) < 0)
				return -1;
	}
	for (size_t i = 0; i < o->nsev; i++) {
		const char *eq = strchr(o->sev[i], '=');
		int level = eq ? pl_severity_parse(eq + 1) : -2;
		char name[128];
		snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - o->sev[i]) : 127, o->sev[i]);
		const pl_rule *r = pl_rule_find(name);
		if (!r || level < 0) {
			fprintf(stderr, "plimsoll %s: --severity wants RULE=LEVEL, got '%s'\n", o->cmd,
				o->sev[i]);
			return -1;
		}
		cfg->severity[pl_rule_index(r)] = level;
	}
	if (o->fail_on) {
		int level = pl_severity_parse(o->fail_on);
		if (level == -2) {
			fprintf(stderr, "plimsoll %s: --fail-on wants critical, high, medium, low, "
					"info or none, not '%s'\n", o->cmd, o->fail_on);
			return -1;
		}
		cfg->fail_on = level;
	}
	return 0;
}

int cli_common_report(const cli_common *o, const pl_config *cfg, pl_findings *all,
		      const char *const *files, size_t nfiles)
{
	pl_report_opts ro = {.color = !o->no_color && !o->output && isatty(STDOUT_FILENO) &&
				      !getenv("NO_COLOR"),
			     .version = PL_VERSION, .nfiles = nfiles, .files = files,
			     .fail_on = cfg->fail_on, .quiet = o->quiet, .unit = o->unit};
	buf out = BUF_INIT;
	pl_reporter_find(o->format)(&out, all, &ro);
	FILE *to = stdout;
	if (o->output && !(to = fopen(o->output, "w"))) {
		fprintf(stderr, "plimsoll %s: cannot write %s: %s\n", o->cmd, o->output,
			strerror(errno));
		buf_free(&out);
		return 2;
	}
	if (out.len)
		fwrite(out.p, 1, out.len, to);
	fflush(to);
	bool bad = ferror(to) != 0;
	if (to != stdout && fclose(to) != 0)
		bad = true;
	buf_free(&out);
	if (bad) {
		fprintf(stderr, "plimsoll %s: cannot write %s\n", o->cmd, o->output ? o->output : "stdout");
		return 2;
	}
	int rc = 0;
	for (size_t i = 0; i < all->n; i++)
		if (cfg->fail_on != SEV_NONE && all->v[i].severity >= cfg->fail_on)
			rc = 1;
	return rc;
}
