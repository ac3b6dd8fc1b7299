/* promcheck.c - validate a Prometheus text exposition on standard input with Plimsoll's
 * strict validator (src/live/prometheus.h): print each problem as line:col: message, and
 * exit 1 when there is one or when a golden signal is missing. tests/golden/serve.sh builds
 * it against the sanitizer library and feeds it the server's /metrics. */
#include "live/prometheus.h"

#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	static char data[1 << 20];
	size_t n = fread(data, 1, sizeof data, stdin);
	prom_report r;
	prom_parse(data, n, false, &r);
	for (size_t i = 0; i < r.nproblems; i++)
		printf("%d:%d: %s\n", r.problems[i].line, r.problems[i].col, r.problems[i].msg);
	int rc = r.nproblems_total || !r.latency || !r.traffic || !r.errors || !r.saturation;
	printf("%zu families, %zu samples, %zu problems; signals: latency %d traffic %d errors %d "
	       "saturation %d\n", r.nfamilies, r.nsamples, r.nproblems_total, r.latency, r.traffic,
	       r.errors, r.saturation);
	prom_report_free(&r);
	return rc;
}
