/* compose.h - Docker Compose projects read as Compose itself would run them.
 *
 * A project is one or more compose files (the default file and its override, or the -f
 * list), merged in order by compose-go's rules, after `.env` and environment
 * interpolation, `include`, `extends`, `!reset`/`!override` and profiles. Each active
 * service becomes one pl_container whose values keep the file, line and column they came
 * from, with `via` naming the override file, the .env line or the `${VAR:-default}` that
 * produced them. Problems Compose would stop on (unknown keys, wrong types, a missing
 * `${VAR:?err}`) are listed with their positions; loading goes on past them so the rest of
 * the project can still be audited. Pure: the environment is passed in, nothing global. */
#ifndef PL_COMPOSE_H
#define PL_COMPOSE_H

#include "core/arena.h"
#include "model/container.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_compose_problem {
	const char *file;      /* NULL when not tied to a file */
	int line, col;         /* 0 when unknown */
	bool error;            /* Compose would refuse the project; false: a warning */
	const char *msg;
} pl_compose_problem;

typedef struct pl_compose_opts {
	/* The process environment as "NAME=value" strings, NULL-terminated; read once by the
	 * caller (environ). It wins over `.env`, as in Compose. NULL: empty. */
	const char *const *environ;
	/* --env-file: replace the project's `.env` (later files win). */
	const char *const *env_files;
	size_t nenv_files;
	const char *project_dir;   /* --project-directory; default: the first file's directory */
	const char *project_name;  /* -p; default: `name:`, COMPOSE_PROJECT_NAME, the directory */
	/* --profile, in addition to COMPOSE_PROFILES. */
	const char *const *profiles;
	size_t nprofiles;
	bool all_profiles;         /* audit every service, whatever its profiles */
} pl_compose_opts;

typedef struct pl_compose_project {
	arena mem;                 /* everything below lives here */
	const char *name;          /* project name */
	const char *dir;           /* project directory */
	const char **files;        /* every file read: -f files, extends and include targets */
	size_t nfiles;
	pl_container *containers;  /* active services, in file order */
	size_t ncontainers;
	const char **inactive;     /* services left out because no profile of theirs is on */
	size_t ninactive;
	pl_compose_problem *problems;
	size_t nproblems;
	size_t nerrors;            /* problems with error set */
} pl_compose_project;

/* Load files[0..nfiles) (merged in order) into out. Returns 0, or -1 when Compose would
 * refuse the project (out->nerrors > 0); out is filled as far as possible either way and
 * must be released with pl_compose_free. opts may be NULL. */
int pl_compose_load(const char *const *files, size_t nfiles, const pl_compose_opts *opts,
		    pl_compose_project *out);
void pl_compose_free(pl_compose_project *p);

/* The files `docker compose` reads in dir without -f: the first of compose.yaml,
 * compose.yml, docker-compose.yml, docker-compose.yaml, then the first existing override
 * (compose.override.yml, compose.override.yaml, docker-compose.override.yml,
 * docker-compose.override.yaml). Stores malloc'd paths in out[0..2) and returns how many
 * (0 when there is no compose file). */
size_t pl_compose_find(const char *dir, char *out[2]);

#endif
