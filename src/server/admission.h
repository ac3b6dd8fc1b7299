/* admission.h - one AdmissionReview (admission.k8s.io/v1) in, its answer out.
 *
 * The request's object is re-serialised as JSON (which is YAML) and handed to the same
 * engine `plimsoll scan` runs on manifests: the webhook adds no rule of its own, it only
 * sorts findings into a decision. A finding at or above the configuration's fail-on
 * threshold denies the request (status 403, a message listing code, slug, target and fix
 * of each); findings below it and at or above webhook.warn-on come back as warnings[],
 * which kubectl prints even when the request is allowed. DELETE and CONNECT, subresources
 * and kinds the engine does not read are allowed unjudged; namespaces and object labels
 * listed in webhook.exempt-namespaces / exempt-labels are allowed unjudged too. dryRun
 * requests are judged the same way (judging has no side effects) and marked in the log.
 *
 * Anything that is not a well-formed review gets HTTP 400 with a one-line reason: that is
 * what the API server's failurePolicy is for. Pure: no I/O, no globals; thread-safe as
 * long as the configuration is not changed while a review runs. */
#ifndef PL_SERVER_ADMISSION_H
#define PL_SERVER_ADMISSION_H

#include "engine/config.h"

#include <stdbool.h>
#include <stddef.h>

/* Request bodies larger than this are refused. The API server accepts objects up to
 * 3 MiB and a review of an UPDATE carries the object twice (object and oldObject); real
 * reviews are a few KiB. */
#define PL_ADMISSION_MAX_BODY (4u << 20)
/* Answers stay readable: at most this many findings are listed in a denial message and
 * this many warnings returned (the rest are counted), each warning cut to this length
 * (the API server truncates long warnings itself). */
#define PL_ADMISSION_MAX_LISTED 20
#define PL_ADMISSION_MAX_WARNING 256

typedef enum pl_decision {
	DEC_ALLOWED,    /* judged, nothing to say */
	DEC_WARNED,     /* judged, allowed with warnings */
	DEC_DENIED,     /* judged, a finding reached the threshold */
	DEC_EXEMPT,     /* allowed unjudged: exempt namespace or label */
	DEC_SKIPPED,    /* allowed unjudged: DELETE, CONNECT, subresource, kind not read */
	DEC_INVALID,    /* HTTP 400: not a well-formed AdmissionReview */
	DEC_ERROR,      /* HTTP 500: the engine could not read the object */
} pl_decision;

typedef struct pl_admission {
	int status;                 /* HTTP status: 200, 400 or 500 */
	pl_decision decision;
	char *body;                 /* malloc'd response body */
	size_t body_len;
	const char *content_type;   /* application/json, or text/plain for 400 and 500 */
	/* from the request, for logs and metrics (malloc'd; NULL when absent) */
	char *uid, *kind, *operation, *namespace_, *name;
	bool dry_run;
	size_t findings;            /* findings the engine reported (all severities) */
	size_t denying, warnings;   /* of those: at or above fail-on; returned as warnings */
	char reason[256];           /* 400/500: why; otherwise a short summary */
} pl_admission;

/* Adjust a loaded configuration for single-object judgement: rules that relate a workload
 * to other objects of a set (a NetworkPolicy, Service or PodDisruptionBudget selecting it)
 * cannot be judged on one object and are turned off; `plimsoll scan` of the whole set in
 * CI keeps them. */
void pl_admission_prepare(pl_config *cfg);

void pl_admission_review(const pl_config *cfg, const char *body, size_t len,
			 pl_admission *out);
void pl_admission_free(pl_admission *a);

const char *pl_decision_name(pl_decision d);   /* "allowed", "denied", ... */
/* Whether the kind is one the engine judges (Pod, Deployment, ..., ConfigMap). */
bool pl_admission_judged_kind(const char *kind);

#endif
