/* runtime.h - scan compose projects and Kubernetes manifests: containers as they will run. */
#ifndef PL_RUNTIME_H
#define PL_RUNTIME_H

#include "engine/config.h"
#include "core/file.h"
#include "engine/finding.h"

/* One compose project: its files (the main file and its override, or a -f list), merged
 * as Compose merges them. A service that builds its image is checked together with its
 * Dockerfile: a USER or HEALTHCHECK there counts for the service, and the finding says so.
 * environ: the process environment ("K=V", NULL-terminated), read once by the caller. */
/* The Dockerfiles of services that build are added to linked (malloc'd paths, their
 * build context being their directory when it is the service's context), so the caller
 * can check them too, once. linked may be NULL. */
typedef struct pl_linked {
	char **dockerfiles;
	size_t n;
	char **read;       /* every file the project read (override, include, extends) */
	size_t nread;
} pl_linked;
int pl_scan_compose(const pl_config *cfg, const char *const *files, size_t nfiles,
		    const char *const *environ, pl_findings *out, pl_linked *linked,
		    char *err, size_t errlen);

/* A set of Kubernetes manifests, read together so that Services, PodDisruptionBudgets and
 * NetworkPolicies in one file select workloads in another. A file named "-" is
 * stdin_data (standard input, read by the caller). */
int pl_scan_manifests(const pl_config *cfg, const char *const *files, size_t nfiles,
		      const pl_input *stdin_data, pl_findings *out, char *err, size_t errlen);

/* A built image (docker save archive, OCI layout directory or tar): every layer verified
 * and merged, then the image rules and the container rules on its config. Returns -1 when
 * the image cannot be read at all (err set). progress: a bar on stderr while the layers
 * are read (the caller checks that stderr is a terminal). */
int pl_scan_image(const pl_config *cfg, const char *path, int jobs, bool progress,
		  const char *platform, pl_findings *out, char *err, size_t errlen);

/* A running container read from a Docker Engine (live/audit.h): the container rules that
 * read input L and the live-only rules. */
struct pl_live;
void pl_scan_live(const pl_config *cfg, const struct pl_live *l, pl_findings *out);

/* Whether text looks like a Kubernetes manifest (a top-level apiVersion and kind). */
bool pl_looks_like_manifest(const char *text, size_t n);

#endif
