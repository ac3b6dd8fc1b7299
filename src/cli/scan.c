/* scan.c - `plimsoll scan [PATH...]`: find inputs, check them in parallel, report.
 *
 * Files are checked by a small pool of threads (--jobs), each result lands in the slot of
 * its file, and reports are written after all are done, so output order never depends on
 * scheduling. Exit status: 0 nothing at or over --fail-on, 1 findings at or over it,
 * 2 usage or I/O error. */
#include "cli/cli.h"
#include "cli/discover.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "engine/config.h"
#include "engine/engine.h"
#include "report/report.h"

#include <errno.h>
#include <libgen.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *to)
{
	fprintf(to,
		"usage: plimsoll scan [options] [PATH...]\n"
		"  PATH is a Dockerfile, a directory (searched recursively), or - for stdin;\n"
		"  default: the current directory.\n\n"
		"  --format F        text (default), json, sarif, junit, github\n"
		"  --output FILE     write the report to FILE\n"
		"  --fail-on LEVEL   critical|high|medium|low|info|none (default high)\n"
		"  --config FILE     use FILE instead of the nearest .plimsoll.yml\n"
		"  --enable RULE     turn a rule on (code, slug or peer id; 'all' for every rule)\n"
		"  --disable RULE    turn a rule off\n"
		"  --rule RULE       run only the named rules (repeatable)\n"
		"  --severity RULE=LEVEL  override a rule's severity\n"
		"  --jobs N          files checked in parallel (default: the core count)\n"
		"  --no-context      do not read build contexts (.dockerignore, COPY sources)\n"
		"  --no-color        no colours in text output\n"
		"  --quiet           no summary line and no progress\n");
}

typedef struct job {
	const pl_config *cfg;
	char **paths;
	size_t n;
	bool context;
	pl_findings *results;
	char **errors;
	atomic_size_t next;
	atomic_size_t done;
} job;

static void *worker(void *arg)
{
	job *j = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&j->next, 1);
		if (i >= j->n)
			return NULL;
		char err[512];
		if (pl_scan_dockerfile(j->cfg, j->paths[i], j->paths[i], j->context, &j->results[i],
				       err, sizeof err) < 0)
			j->errors[i] = xstrdup(err);
		atomic_fetch_add(&j->done, 1);
	}
}

static int set_rule(pl_config *c, const char *name, int on)
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
		fprintf(stderr, "plimsoll scan: unknown rule '%s' (see plimsoll rules)\n", name);
		return -1;
	}
	c->enabled[pl_rule_index(r)] = (signed char)on;
	return 0;
}

int cmd_scan(int argc, char **argv)
{
	const char *format = "text", *output = NULL, *config = NULL, *fail_on = NULL;
	bool no_color = false, quiet = false, context = true;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	pl_paths inputs = {0};
	char **enables = xcalloc((size_t)argc + 1, sizeof *enables);
	char **only = xcalloc((size_t)argc + 1, sizeof *only);
	char **sev = xcalloc((size_t)argc + 1, sizeof *sev);
	int *enable_on = xcalloc((size_t)argc + 1, sizeof *enable_on);
	size_t nen = 0, nonly = 0, nsev = 0;
	int rc = 2;
	pl_config cfg;
	pl_config_init(&cfg);
	pl_paths files = {0};
	pl_findings all = {0};
	job j;
	memset(&j, 0, sizeof j);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = NULL;
#define OPT(name) (!strcmp(a, name) && i + 1 < argc ? (v = argv[++i]) : \
		   !strncmp(a, name "=", strlen(name) + 1) ? (v = a + strlen(name) + 1) : NULL)
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			rc = 0;
			goto out;
		} else if (OPT("--format")) {
			format = v;
		} else if (OPT("--output") || OPT("-o")) {
			output = v;
		} else if (OPT("--fail-on")) {
			fail_on = v;
		} else if (OPT("--config")) {
			config = v;
		} else if (OPT("--enable")) {
			enable_on[nen] = 1, enables[nen++] = (char *)v;
		} else if (OPT("--disable")) {
			enable_on[nen] = 0, enables[nen++] = (char *)v;
		} else if (OPT("--rule")) {
			only[nonly++] = (char *)v;
		} else if (OPT("--severity")) {
			sev[nsev++] = (char *)v;
		} else if (OPT("--jobs") || OPT("-j")) {
			jobs = strtol(v, NULL, 10);
		} else if (!strcmp(a, "--no-color")) {
			no_color = true;
		} else if (!strcmp(a, "--no-context")) {
			context = false;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			quiet = true;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "plimsoll scan: unknown or incomplete option '%s'\n", a);
			usage(stderr);
			goto out;
		} else {
			pl_paths_add(&inputs, a);
		}
#undef OPT
	}
	if (!inputs.n)
		pl_paths_add(&inputs, ".");
	pl_reporter report = pl_reporter_find(format);
	if (!report) {
		fprintf(stderr, "plimsoll scan: unknown format '%s' (text, json, sarif, junit, github)\n",
			format);
		goto out;
	}
	if (jobs < 1 || jobs > 256)
		jobs = 1;

	/* configuration: --config, else the nearest .plimsoll.yml above the first input */
	char err[1024];
	char *found = NULL;
	if (!config) {
		char *dup = xstrdup(inputs.v[0]);
		struct stat st;
		const char *start = !strcmp(dup, "-") ? "." :
				    (stat(dup, &st) == 0 && S_ISDIR(st.st_mode)) ? dup : dirname(dup);
		found = pl_config_find(start);
		free(dup);
	}
	if ((config || found) && pl_config_load(&cfg, config ? config : found, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		free(found);
		goto out;
	}
	free(found);
	for (size_t i = 0; i < nen; i++)
		if (set_rule(&cfg, enables[i], enable_on[i]) < 0)
			goto out;
	if (nonly) {
		for (size_t i = 0; i < pl_nrules; i++)
			cfg.enabled[i] = 0;
		cfg.enable_all = false;
		for (size_t i = 0; i < nonly; i++)
			if (set_rule(&cfg, only[i], 1) < 0)
				goto out;
	}
	for (size_t i = 0; i < nsev; i++) {
		char *eq = strchr(sev[i], '=');
		int level = eq ? pl_severity_parse(eq + 1) : -2;
		if (eq)
			*eq = '\0';
		const pl_rule *r = pl_rule_find(sev[i]);
		if (!r || level < 0) {
			fprintf(stderr, "plimsoll scan: --severity wants RULE=LEVEL, got '%s'\n", sev[i]);
			goto out;
		}
		cfg.severity[pl_rule_index(r)] = level;
	}
	if (fail_on) {
		int level = pl_severity_parse(fail_on);
		if (level == -2) {
			fprintf(stderr, "plimsoll scan: --fail-on wants critical, high, medium, low, "
					"info or none, not '%s'\n", fail_on);
			goto out;
		}
		cfg.fail_on = level;
	}

	/* inputs */
	for (size_t i = 0; i < inputs.n; i++) {
		struct stat st;
		if (strcmp(inputs.v[i], "-") && stat(inputs.v[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (pl_discover(inputs.v[i], &files, err, sizeof err) < 0) {
				fprintf(stderr, "%s: error: %s\n", inputs.v[i], err);
				goto out;
			}
		} else {
			pl_paths_add(&files, inputs.v[i]);
		}
	}

	j.cfg = &cfg;
	j.paths = files.v;
	j.n = files.n;
	j.context = context;
	j.results = xcalloc(files.n + 1, sizeof *j.results);
	j.errors = xcalloc(files.n + 1, sizeof *j.errors);
	size_t nthreads = (size_t)jobs < files.n ? (size_t)jobs : files.n;
	bool progress = !quiet && isatty(STDERR_FILENO) && files.n >= 50;
	pthread_t *th = xcalloc(nthreads + 1, sizeof *th);
	size_t started = 0;
	for (size_t i = 0; i + 1 < nthreads; i++)
		if (pthread_create(&th[i], NULL, worker, &j) == 0)
			started++;
	if (progress) {
		/* the main thread reports progress while the pool works, then helps */
		while (atomic_load(&j.next) < j.n && started) {
			fprintf(stderr, "\rplimsoll: %zu/%zu files", atomic_load(&j.done), j.n);
			usleep(100000);
		}
	}
	worker(&j);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	if (progress)
		fprintf(stderr, "\r%40s\r", "");

	bool io_error = false;
	for (size_t i = 0; i < files.n; i++) {
		if (j.errors[i]) {
			fprintf(stderr, "%s: error: %s\n", files.v[i], j.errors[i]);
			io_error = true;
		}
		pl_findings_sort(&j.results[i]);
		for (size_t k = 0; k < j.results[i].n; k++) {
			*pl_findings_add(&all) = j.results[i].v[k];
		}
		free(j.results[i].v);
		j.results[i].v = NULL;
		j.results[i].n = 0;
	}

	pl_report_opts ro = {.color = !no_color && !output && isatty(STDOUT_FILENO) &&
				      !getenv("NO_COLOR"),
			     .version = PL_VERSION, .nfiles = files.n,
			     .files = (const char *const *)files.v, .fail_on = cfg.fail_on,
			     .quiet = quiet};
	buf out = BUF_INIT;
	report(&out, &all, &ro);
	FILE *to = stdout;
	if (output && !(to = fopen(output, "w"))) {
		fprintf(stderr, "plimsoll scan: cannot write %s: %s\n", output, strerror(errno));
		buf_free(&out);
		goto out;
	}
	if (out.len)
		fwrite(out.p, 1, out.len, to);
	if (to != stdout)
		fclose(to);
	buf_free(&out);

	rc = 0;
	for (size_t i = 0; i < all.n; i++)
		if (cfg.fail_on != SEV_NONE && all.v[i].severity >= cfg.fail_on)
			rc = 1;
	if (io_error)
		rc = 2;
out:
	for (size_t i = 0; j.errors && i < files.n; i++)
		free(j.errors[i]);
	free(j.errors);
	free(j.results);
	pl_findings_free(&all);
	pl_paths_free(&files);
	pl_paths_free(&inputs);
	pl_config_free(&cfg);
	free(enables);
	free(enable_on);
	free(only);
	free(sev);
	return rc;
}
