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

/* Walk dir recursively, skipping .git, node_modules and vendored trees and honouring
 * .gitignore files, and add the Dockerfiles found (sorted). Returns -1 when dir cannot be
 * read (err set). */
int pl_discover(const char *dir, pl_paths *out, char *err, size_t errlen);
void pl_paths_add(pl_paths *p, const char *path);
void pl_paths_free(pl_paths *p);

#endif
