/* inspect.h - a container's inspect document (GET /containers/{id}/json) as the live model. */
#ifndef PL_LIVE_INSPECT_H
#define PL_LIVE_INSPECT_H

#include "core/arena.h"
#include "model/live.h"

#include <stddef.h>

/* Fill l from the JSON (strings in a). Returns -1 with err set when it is not a container
 * document; missing or mistyped fields are read as absent. */
int pl_live_from_inspect(arena *a, const char *json, size_t len, pl_live *l, char *err,
			 size_t errlen);

/* A label's value, or NULL. */
const char *pl_live_label(const pl_container *c, const char *key);

#endif
