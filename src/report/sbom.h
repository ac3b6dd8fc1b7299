/* sbom.h - a software bill of materials of an image's OS packages, as CycloneDX 1.6 JSON
 * or SPDX 2.3 JSON (`plimsoll image --sbom FORMAT`). */
#ifndef PL_SBOM_H
#define PL_SBOM_H

#include "image/image.h"
#include "image/packages.h"

typedef enum pl_sbom_format { PL_SBOM_CYCLONEDX, PL_SBOM_SPDX } pl_sbom_format;

/* "cyclonedx" or "spdx" (case-insensitive); -1 for anything else. */
int pl_sbom_format_parse(const char *name);

/* The creation time, RFC 3339 UTC ("2026-11-28T08:00:00Z"): SOURCE_DATE_EPOCH when set
 * (reproducible output), else now. */
void pl_sbom_time(char out[32]);

/* The document: malloc'd JSON text ending in a newline. `created` is an RFC 3339 time;
 * `version` the tool's. */
char *pl_sbom_json(const pl_image *img, const pl_pkgs *pkgs, pl_sbom_format fmt,
		   const char *created, const char *version);

/* The serial number of the CycloneDX document: a name-based (version 5) UUID of the
 * image's config digest, "urn:uuid:..." into out. */
void pl_sbom_serial(const char *config_digest, char out[48]);

#endif
