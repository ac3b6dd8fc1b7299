/* fuzz_prometheus.c - libFuzzer target for the Prometheus/OpenMetrics text validator
 * (src/live/prometheus.h).
 *
 * The input is parsed as libFuzzer gives it (no NUL after the last byte, so AddressSanitizer
 * sees any read past the end); the first byte's low bit picks the mode (0.0.4 or
 * OpenMetrics). The report is then checked against prometheus.h's contract: problems kept
 * <= PROM_MAX_PROBLEMS <= total, every problem's line within the input's line count and
 * column >= 1, messages NUL-terminated, families bounded with NUL-terminated names, and no
 * more samples than lines. A broken invariant traps, so libFuzzer keeps the input.
 * Build: make build/fuzz/fuzz_prometheus; run: make fuzz (see fuzz/run.sh). */
#include "check.h"
#include "live/prometheus.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool om = size > 0 && (data[0] & 1);
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';

	prom_report r;
	prom_parse((const char *)data, size, om, &r);
	CHECK(r.nproblems <= PROM_MAX_PROBLEMS);
	CHECK(r.nproblems <= r.nproblems_total);
	CHECK(r.nproblems_total == 0 || r.nproblems > 0);
	CHECK(r.nfamilies <= r.families_cap && r.families_cap <= PROM_MAX_FAMILIES);
	CHECK(r.nsamples <= lines);
	CHECK(!om || r.openmetrics);
	for (size_t i = 0; i < r.nproblems; i++) {
		const prom_problem *p = &r.problems[i];
		CHECK(p->line >= 1 && (size_t)p->line <= lines);
		CHECK(p->col >= 1);
		CHECK(memchr(p->msg, 0, sizeof p->msg) != NULL);
	}
	for (size_t i = 0; i < r.nfamilies; i++) {
		CHECK(memchr(r.families[i].name, 0, sizeof r.families[i].name) != NULL);
		CHECK(memchr(r.families[i].type, 0, sizeof r.families[i].type) != NULL);
		CHECK(r.families[i].samples <= r.nsamples);
	}
	prom_report_free(&r);
	return 0;
}
