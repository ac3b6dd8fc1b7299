/* scrape.h - read a running container's metrics endpoint into its live model (PL503,
 * PL504): metrics_tried, metrics_url, metrics_tried_urls, metrics and metrics_valid. */
#ifndef PL_LIVE_SCRAPE_H
#define PL_LIVE_SCRAPE_H

#include "core/arena.h"
#include "live/engine.h"
#include "model/live.h"

#include <stdbool.h>

typedef struct pl_scrape_opts {
	const char *path;         /* NULL: the prometheus.io/path label, else /metrics */
	long timeout_ms;          /* per port; 0: 2000 */
	bool engine_local;        /* the engine runs here: container addresses are reachable */
	const char *engine_host;  /* where a remote engine publishes ports */
} pl_scrape_opts;

/* Strings go to mem; the report in l->metrics is the caller's to free. */
void pl_scrape(pl_engine *e, const pl_scrape_opts *o, arena *mem, pl_live *l);

#endif
