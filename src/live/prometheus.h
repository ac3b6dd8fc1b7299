/* prometheus.h - a strict validator of the Prometheus text exposition format 0.0.4 and the
 * basics of OpenMetrics 1.0 text (# EOF, _created, # UNIT).
 *
 * Rules PL503/PL504 fetch a container's /metrics and audit it: the exposition must be one
 * Prometheus would ingest without error, and it should expose the four golden signals.
 * prom_parse never fails: each violation becomes a problem with its line and column. All
 * memory is bounded (families, problems, and a duplicate-series set capped by the limits
 * below), and the work is linear in the input apart from sorting each sample's labels. */
#ifndef PL_LIVE_PROMETHEUS_H
#define PL_LIVE_PROMETHEUS_H

#include <stdbool.h>
#include <stddef.h>

#define PROM_MAX_LINE     (64 * 1024)
#define PROM_MAX_FAMILIES 10000
#define PROM_MAX_LABELS   128
#define PROM_MAX_PROBLEMS 100
#define PROM_MAX_SERIES   100000

typedef struct prom_problem {
	int line, col;  /* 1-based */
	char msg[160];
} prom_problem;

typedef struct prom_family {
	char name[128];
	char type[16];  /* counter gauge histogram summary untyped; OM: info stateset gaugehistogram unknown */
	size_t samples;
	bool has_help;
} prom_family;

typedef struct prom_report {
	bool openmetrics;            /* the input was OpenMetrics (ended by # EOF, or flagged by the caller) */
	size_t nsamples, nfamilies;
	prom_family *families;       /* malloc'd, families_cap entries, nfamilies used */
	size_t families_cap;
	prom_problem *problems;      /* malloc'd, the first PROM_MAX_PROBLEMS */
	size_t nproblems;
	size_t nproblems_total;
	/* golden signals seen, by metric-name heuristics */
	bool latency, traffic, errors, saturation;
} prom_report;

/* Parse len bytes (need not be NUL-terminated). openmetrics: the Content-Type said so. */
void prom_parse(const char *data, size_t len, bool openmetrics, prom_report *r);
void prom_report_free(prom_report *r);

#endif
