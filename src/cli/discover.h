/* discover.h - which files `plimsoll scan DIR` looks at. */
#ifndef PL_DISCOVER_H
#define PL_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_paths {
	char **v;
	size_t n, cap;
} pl_paths;

/* Whether a file name is a Dockerfile: Dockerfile, Containerfile, *.Dockerfile,
 * *.dockerfile, Dockerfile.* and Containerfile.* (not *.dockerignore, not templates). */
bool pl_is_dockerfile_name(const char *base);

/* compose.yaml, docker-compose.yml, compose.prod.yaml, docker-compose.override.yml ... */
bool pl_is_compose_name(const char *base);
bool pl_is_compose_override_name(const char *base);

/* What a directory holds for Plimsoll. */
typedef struct pl_found {
	pl_paths dockerfiles;
	pl_paths compose;      /* compose files (overrides are found with their main file) */
	pl_paths manifests;    /* YAML files that hold a Kubernetes apiVersion and kind */
} pl_found;

/* Walk dir recursively, skipping .git, node_modules and vendored trees and honouring
 * .gitignore files, and collect Dockerfiles, compose files and manifests (each sorted).
 * Returns -1 when dir cannot be read (err set). */
int pl_discover(const char *dir, pl_found *out, char *err, size_t errlen);
void pl_found_free(pl_found *f);
void pl_paths_add(pl_paths *p, const char *path);
void pl_paths_free(pl_paths *p);

#endif
