/* imageref.h - image references ("registry:5000/team/app:1.2@sha256:...") split the way
 * Docker's reference grammar (distribution/reference) splits them, including Docker Hub's
 * normalisation: a name without a registry is docker.io, and a one-part name is library/. */
#ifndef PL_IMAGEREF_H
#define PL_IMAGEREF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_imageref {
	char registry[256];   /* "docker.io" when none is written */
	char repo[512];       /* "library/alpine", "team/app" */
	char tag[130];        /* "" when none */
	char digest[160];     /* "sha256:..." or "" */
	bool explicit_registry;
	bool has_variable;    /* holds an unexpanded $: cannot be judged */
} pl_imageref;

/* Returns false when s is not a valid reference (the fields are then undefined). */
bool pl_imageref_parse(const char *s, pl_imageref *out);

/* Match a registry against a trusted-registries entry: exact, "*.suffix", "prefix*", "*". */
bool pl_registry_matches(const char *registry, const char *pattern);

#endif
