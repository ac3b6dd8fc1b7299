/* scan.c - `plimsoll scan [PATH...]`: find inputs, check them in parallel, report.
 *
 * Files are checked by a small pool of threads (--jobs), each result lands in the slot of
 * its file, and reports are written after all are done, so output order never depends on
 * scheduling. Exit status: 0 nothing at or over --fail-on, 1 findings at or over it,
 * 2 usage or I/O error. */
#include "cli/cli.h"
#include "cli/discover.h"
#include "cli/options.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "engine/config.h"
#include "compose/compose.h"
#include "engine/engine.h"
#include "engine/runtime.h"
#include "report/report.h"
#include "report/sbom.h"

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
		"  default: the current directory.\n\n%s"
		"  --jobs N          files checked in parallel (default: the core count)\n"
		"  -f, --file FILE   compose files merged into one project, in order (like\n"
		"                    docker compose -f); repeatable\n"
		"  --no-context      do not read build contexts (.dockerignore, COPY sources)\n"
		"  --sbom F          image only: write an SBOM of the image's OS packages\n"
		"                    (cyclonedx or spdx JSON) instead of the findings\n"
		"  --platform P      image only: which image of a multi-platform index\n"
		"                    (os/arch[/variant]; default: this machine's, or the only one)\n",
		cli_common_usage);
}

/* "os/arch" or "os/arch/variant", lowercase letters and digits */
static bool platform_ok(const char *p)
{
	int parts = 1;
	if (!*p || *p == '/')
		return false;
	for (const char *c = p; *c; c++) {
		if (*c == '/') {
			if (c[1] == '/' || !c[1])
				return false;
			parts++;
		} else if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) {
			return false;
		}
	}
	return parts == 2 || parts == 3;
}

/* plimsoll image --sbom: the packages of one image as CycloneDX or SPDX, no rules. */
static int sbom_main(const char *path, pl_sbom_format fmt, const char *output, long jobs,
		     const char *platform)
{
	pl_image img;
	img_opts o = {.jobs = (int)jobs, .platform = platform};
	char err[1024];
	if (pl_image_open(&img, path, &o, err, sizeof err) < 0) {
		fprintf(stderr, "%s: error: %s\n", path, err);
		return 2;
	}
	for (size_t i = 0; i < img.nproblems; i++)
		fprintf(stderr, "%s: warning: %s: %s\n", path, img.problems[i].where,
			img.problems[i].msg);
	pl_pkgs pkgs;
	pl_pkgs_init(&pkgs);
	pl_image_packages(&img, &pkgs);
	if (pkgs.unread)
		fprintf(stderr, "%s: warning: %zu package database file(s) too large to read; "
				"the SBOM is incomplete\n", path, pkgs.unread);
	if (pkgs.truncated)
		fprintf(stderr, "%s: warning: more than %d packages; the rest are left out\n", path,
			PL_PKG_MAX);
	char created[32];
	pl_sbom_time(created);
	char *doc = pl_sbom_json(&img, &pkgs, fmt, created, PL_VERSION);
	int rc = 0;
	FILE *to = output ? fopen(output, "w") : stdout;
	if (!to) {
		fprintf(stderr, "plimsoll image: cannot write %s: %s\n", output, strerror(errno));
		rc = 2;
	} else {
		fputs(doc, to);
		if (ferror(to) || (to != stdout && fclose(to) != 0)) {
			fprintf(stderr, "plimsoll image: cannot write %s\n", output ? output : "stdout");
			rc = 2;
		}
	}
	free(doc);
	pl_pkgs_free(&pkgs);
	pl_image_free(&img);
	return rc;
}

/* A unit of work: one Dockerfile, one compose project, or all manifests together (so
 * that selectors match across files). */
typedef enum { U_DOCKERFILE, U_COMPOSE, U_MANIFESTS, U_IMAGE } unit_kind;

typedef struct unit {
	unit_kind kind;
	pl_paths paths;
} unit;

typedef struct job {
	const pl_config *cfg;
	unit *units;
	size_t n;
	bool context;
	const pl_input *stdin_data;     /* "-" already read, or NULL */
	const char *const *environ;
	pl_findings *results;
	pl_linked *linked;              /* per unit: Dockerfiles compose services build from */
	bool image_progress;            /* image reader's bar on stderr (one image, a TTY) */
	const char *platform;           /* --platform: which image of a multi-platform index */
	int image_jobs;                 /* threads per image: 2 reads blobs on a second core */
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
		const unit *u = &j->units[i];
		int rc = 0;
		if (u->kind == U_DOCKERFILE && !strcmp(u->paths.v[0], "-") && j->stdin_data)
			pl_scan_dockerfile_data(j->cfg, j->stdin_data, "-", &j->results[i]);
		else if (u->kind == U_DOCKERFILE)
			rc = pl_scan_dockerfile(j->cfg, u->paths.v[0], u->paths.v[0], j->context,
						&j->results[i], err, sizeof err);
		else if (u->kind == U_IMAGE)
			rc = pl_scan_image(j->cfg, u->paths.v[0], j->image_jobs, j->image_progress, j->platform,
					   &j->results[i], err, sizeof err);
		else if (u->kind == U_COMPOSE)
			rc = pl_scan_compose(j->cfg, (const char *const *)u->paths.v, u->paths.n,
					     j->environ, &j->results[i], &j->linked[i], err, sizeof err);
		else
			rc = pl_scan_manifests(j->cfg, (const char *const *)u->paths.v, u->paths.n,
					       j->stdin_data, &j->results[i], err, sizeof err);
		if (rc < 0)
			j->errors[i] = xstrdup(err);
		atomic_fetch_add(&j->done, 1);
	}
}

static unit *add_unit(unit **v, size_t *n, unit_kind kind)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	unit *u = &(*v)[(*n)++];
	memset(u, 0, sizeof *u);
	u->kind = kind;
	return u;
}

/* The same file under two spellings ("./x/Dockerfile", "x/Dockerfile"). */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (stat(a, &sa) || stat(b, &sb))
		return !strcmp(a, b);
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static bool same_dir(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
	size_t la = sa ? (size_t)(sa - a) : 0, lb = sb ? (size_t)(sb - b) : 0;
	return la == lb && !strncmp(a, b, la);
}

/* Compose files found in directories: per directory, the main file with its override as
 * Compose loads them without -f, and each other compose file on its own. */
static void compose_units(const pl_paths *compose, unit **units, size_t *n)
{
	for (size_t i = 0; i < compose->n; i++) {
		const char *f = compose->v[i];
		const char *base = strrchr(f, '/') ? strrchr(f, '/') + 1 : f;
		if (pl_is_compose_override_name(base))
			continue; /* loaded with its main file */
		unit *u = add_unit(units, n, U_COMPOSE);
		pl_paths_add(&u->paths, f);
		char *dir = xstrndup(f, strrchr(f, '/') ? (size_t)(strrchr(f, '/') - f) : 1);
		if (!strrchr(f, '/'))
			strcpy(dir, ".");
		char *found[2] = {NULL, NULL};
		size_t nf = pl_compose_find(dir, found);
		/* the main file of the directory takes the override, like `docker compose` */
		if (nf == 2 && !strcmp(strrchr(found[0], '/') ? strrchr(found[0], '/') + 1 : found[0], base))
			for (size_t k = 0; k < compose->n; k++) {
				const char *o = compose->v[k];
				const char *ob = strrchr(o, '/') ? strrchr(o, '/') + 1 : o;
				if (same_dir(o, f) && pl_is_compose_override_name(ob) &&
				    !strcmp(ob, strrchr(found[1], '/') ? strrchr(found[1], '/') + 1 : found[1]))
					pl_paths_add(&u->paths, o);
			}
		free(found[0]);
		free(found[1]);
		free(dir);
	}
}

static int scan_main(int argc, char **argv, bool images)
{
	const char *sbom = NULL, *platform = NULL;
	bool context = true;
	cli_common co;
	cli_common_init(&co, images ? "image" : "scan", argc);
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	pl_paths inputs = {0};
	pl_paths compose_files = {0}; /* -f: one project */
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
#define OPT(name) cli_opt(argc, argv, &i, name, &v)
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			rc = 0;
			goto out;
		} else if (cli_common_opt(&co, argc, argv, &i)) {
			continue;
		} else if (OPT("--sbom")) {
			sbom = v;
		} else if (OPT("--platform")) {
			platform = v;
		} else if (OPT("--file") || OPT("-f")) {
			pl_paths_add(&compose_files, v);
		} else if (OPT("--jobs") || OPT("-j")) {
			jobs = strtol(v, NULL, 10);
		} else if (!strcmp(a, "--no-context")) {
			context = false;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "plimsoll scan: unknown or incomplete option '%s'\n", a);
			usage(stderr);
			goto out;
		} else {
			pl_paths_add(&inputs, a);
		}
#undef OPT
	}
	if (platform && (!images || !platform_ok(platform))) {
		fprintf(stderr, "plimsoll %s: %s\n", images ? "image" : "scan",
			!images ? "--platform is for images: plimsoll image --platform os/arch IMAGE"
				: "--platform wants os/arch[/variant], e.g. linux/arm64");
		goto out;
	}
	if (sbom) { /* an SBOM instead of the rules: one image, nothing else */
		int fmt = pl_sbom_format_parse(sbom);
		if (!images || fmt < 0 || inputs.n != 1 || compose_files.n) {
			fprintf(stderr, "plimsoll %s: %s\n", images ? "image" : "scan",
				!images ? "--sbom is for images: plimsoll image --sbom FORMAT IMAGE" :
				fmt < 0 ? "--sbom wants cyclonedx or spdx" :
				"--sbom takes exactly one image");
			goto out;
		}
		rc = sbom_main(inputs.v[0], (pl_sbom_format)fmt, co.output, jobs < 1 || jobs > 256 ? 1 : jobs,
			       platform);
		goto out;
	}
	if (!inputs.n && !compose_files.n)
		pl_paths_add(&inputs, ".");
	if (cli_common_check_format(&co) < 0)
		goto out;
	if (jobs < 1 || jobs > 256)
		jobs = 1;

	/* configuration: --config, else the nearest .plimsoll.yml above the first input */
	char err[1024];
	{
		char *dup = xstrdup(inputs.n ? inputs.v[0] : compose_files.v[0]);
		struct stat st;
		const char *start = !strcmp(dup, "-") ? "." :
				    (stat(dup, &st) == 0 && S_ISDIR(st.st_mode)) ? dup : dirname(dup);
		int crc = cli_common_config(&co, &cfg, start);
		free(dup);
		if (crc < 0)
			goto out;
	}

	/* inputs: Dockerfiles one by one, compose projects, and all manifests as one set */
	pl_found found = {0};
	pl_paths image_paths = {0};
	if (images) { /* plimsoll image: every path is an image */
		for (size_t i = 0; i < inputs.n; i++)
			pl_paths_add(&image_paths, inputs.v[i]);
		pl_paths_free(&inputs);
		memset(&inputs, 0, sizeof inputs);
	}
	pl_input stdin_data = {0};
	bool have_stdin = false;
	for (size_t i = 0; i < inputs.n; i++) {
		const char *in = inputs.v[i];
		struct stat st;
		const char *base = strrchr(in, '/') ? strrchr(in, '/') + 1 : in;
		if (!strcmp(in, "-")) {
			if (!have_stdin && pl_read_file("-", 16u << 20, &stdin_data, err, sizeof err) < 0) {
				fprintf(stderr, "-: error: %s\n", err);
				goto out;
			}
			have_stdin = true;
			pl_paths_add(pl_looks_like_manifest(stdin_data.data, stdin_data.len)
					     ? &found.manifests : &found.dockerfiles, "-");
		} else if (stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (pl_discover(in, &found, err, sizeof err) < 0) {
				fprintf(stderr, "%s: error: %s\n", in, err);
				goto out;
			}
		} else if (pl_is_compose_name(base)) {
			pl_paths_add(&found.compose, in);
		} else if (!pl_is_dockerfile_name(base) && (strstr(base, ".yaml") || strstr(base, ".yml"))) {
			/* a YAML file named freely: a manifest if it says apiVersion and kind, a
			 * compose file if it has services, else the manifest reader reports it */
			pl_input y;
			char yerr[128];
			bool manifest = true;
			if (pl_read_file(in, 16u << 20, &y, yerr, sizeof yerr) == 0) {
				manifest = pl_looks_like_manifest(y.data, y.len) ||
					   !(strstr(y.data, "\nservices:") || !strncmp(y.data, "services:", 9));
				pl_input_free(&y);
			}
			pl_paths_add(manifest ? &found.manifests : &found.compose, in);
		} else {
			pl_paths_add(&found.dockerfiles, in);
		}
	}
	unit *units = NULL;
	size_t nunits = 0;
	for (size_t i = 0; i < found.dockerfiles.n; i++)
		pl_paths_add(&add_unit(&units, &nunits, U_DOCKERFILE)->paths, found.dockerfiles.v[i]);
	for (size_t i = 0; i < image_paths.n; i++) {
		pl_paths_add(&add_unit(&units, &nunits, U_IMAGE)->paths, image_paths.v[i]);
		pl_paths_add(&files, image_paths.v[i]);
	}
	pl_paths_free(&image_paths);
	compose_units(&found.compose, &units, &nunits);
	if (compose_files.n) {
		unit *u = add_unit(&units, &nunits, U_COMPOSE);
		for (size_t i = 0; i < compose_files.n; i++) {
			pl_paths_add(&u->paths, compose_files.v[i]);
			pl_paths_add(&files, compose_files.v[i]);
		}
	}
	if (found.manifests.n) {
		unit *u = add_unit(&units, &nunits, U_MANIFESTS);
		for (size_t i = 0; i < found.manifests.n; i++)
			pl_paths_add(&u->paths, found.manifests.v[i]);
	}
	for (size_t i = 0; i < found.dockerfiles.n; i++)
		pl_paths_add(&files, found.dockerfiles.v[i]);
	for (size_t i = 0; i < found.compose.n; i++)
		pl_paths_add(&files, found.compose.v[i]);
	for (size_t i = 0; i < found.manifests.n; i++)
		pl_paths_add(&files, found.manifests.v[i]);
	pl_found_free(&found);

	extern char **environ;
	j.cfg = &cfg;
	j.units = units;
	j.n = nunits;
	j.context = context;
	j.stdin_data = have_stdin ? &stdin_data : NULL;
	j.environ = (const char *const *)environ;
	j.results = xcalloc(nunits + 1, sizeof *j.results);
	j.errors = xcalloc(nunits + 1, sizeof *j.errors);
	j.linked = xcalloc(nunits + 1, sizeof *j.linked);
	size_t nthreads = (size_t)jobs < nunits ? (size_t)jobs : nunits;
	bool progress = !co.quiet && isatty(STDERR_FILENO) && nunits >= 50;
	size_t nimages = 0;
	for (size_t i = 0; i < nunits; i++)
		nimages += units[i].kind == U_IMAGE;
	j.platform = platform;
	/* cores left over when there are fewer images than --jobs go to each image's reader */
	j.image_jobs = nimages && (size_t)jobs > nimages ? (int)((size_t)jobs / nimages) : 1;
	j.image_progress = !co.quiet && isatty(STDERR_FILENO) && nimages == 1 && !progress;
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

	/* A compose service's Dockerfile is checked with its build context even when the scan
	 * did not name it (-f compose.yaml): once, after the units, in file order. */
	pl_paths extra = {0};
	for (size_t i = 0; i < nunits; i++) {
		for (size_t k = 0; k < j.linked[i].n; k++) {
			const char *df = j.linked[i].dockerfiles[k];
			bool seen = false;
			for (size_t f = 0; f < files.n && !seen; f++)
				seen = same_file(files.v[f], df);
			for (size_t f = 0; f < extra.n && !seen; f++)
				seen = same_file(extra.v[f], df);
			if (!seen) {
				struct stat st;
				if (stat(df, &st) == 0 && S_ISREG(st.st_mode))
					pl_paths_add(&extra, df);
			}
			free(j.linked[i].dockerfiles[k]);
		}
		free(j.linked[i].dockerfiles);
	}
	/* A compose file that another project includes or extends was checked as part of it:
	 * drop its own project's findings, or every finding would appear twice. */
	for (size_t i = 0; i < nunits; i++) {
		if (units[i].kind != U_COMPOSE)
			continue;
		bool included = false;
		for (size_t o = 0; o < nunits && !included; o++) {
			if (o == i || units[o].kind != U_COMPOSE)
				continue;
			for (size_t k = 0; k < j.linked[o].nread && !included; k++)
				included = same_file(j.linked[o].read[k], units[i].paths.v[0]) &&
					   !same_file(units[o].paths.v[0], units[i].paths.v[0]);
		}
		if (included) {
			pl_findings_free(&j.results[i]);
			memset(&j.results[i], 0, sizeof j.results[i]);
		}
	}
	for (size_t i = 0; i < nunits; i++) {
		for (size_t k = 0; k < j.linked[i].nread; k++)
			free(j.linked[i].read[k]);
		free(j.linked[i].read);
	}
	free(j.linked);
	j.linked = NULL;
	pl_findings *extra_results = xcalloc(extra.n + 1, sizeof *extra_results);
	for (size_t i = 0; i < extra.n; i++) {
		char e2[512];
		if (pl_scan_dockerfile(&cfg, extra.v[i], extra.v[i], context, &extra_results[i], e2,
				       sizeof e2) < 0)
			fprintf(stderr, "%s: error: %s\n", extra.v[i], e2);
		pl_paths_add(&files, extra.v[i]);
	}

	bool io_error = false;
	for (size_t i = 0; i < nunits; i++) {
		if (j.errors[i]) {
			fprintf(stderr, "%s: error: %s\n", units[i].paths.v[0], j.errors[i]);
			io_error = true;
		}
		pl_findings_sort(&j.results[i]);
		for (size_t k = 0; k < j.results[i].n; k++)
			*pl_findings_add(&all) = j.results[i].v[k];
		free(j.results[i].v);
		j.results[i].v = NULL;
		j.results[i].n = 0;
		pl_paths_free(&units[i].paths);
	}
	free(units);
	for (size_t i = 0; i < extra.n; i++) {
		pl_findings_sort(&extra_results[i]);
		for (size_t k = 0; k < extra_results[i].n; k++)
			*pl_findings_add(&all) = extra_results[i].v[k];
		free(extra_results[i].v);
	}
	free(extra_results);
	pl_paths_free(&extra);
	pl_input_free(&stdin_data);

	rc = cli_common_report(&co, &cfg, &all, (const char *const *)files.v, files.n);
	if (io_error)
		rc = 2;
out:
	for (size_t i = 0; j.errors && i < j.n; i++)
		free(j.errors[i]);
	free(j.errors);
	free(j.results);
	pl_findings_free(&all);
	pl_paths_free(&files);
	pl_paths_free(&inputs);
	pl_paths_free(&compose_files);
	pl_config_free(&cfg);
	cli_common_free(&co);
	return rc;
}

int cmd_scan(int argc, char **argv)
{
	return scan_main(argc, argv, false);
}

int cmd_image(int argc, char **argv)
{
	return scan_main(argc, argv, true);
}
