/* fuzz_inspect.c - a hostile Docker Engine's inspect answer: the bytes are read as a
 * container's inspect document (GET /containers/{id}/json) into the live model, and
 * every rule that reads a live container (opt-in ones included) runs on what came out.
 * Checked: the reader either refuses with a message or fills a model the rules can read
 * (a name, a target), and every finding has a rule, a message and the container's
 * location. A broken invariant traps.
 * Build: make build/fuzz/fuzz_inspect; run: make fuzz (see fuzz/run.sh). */
#include "check.h"
#include "engine/config.h"
#include "engine/runtime.h"
#include "live/inspect.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena a;
	arena_init(&a);
	pl_live l;
	char err[256] = "";
	if (pl_live_from_inspect(&a, (const char *)data, size, &l, err, sizeof err) < 0) {
		CHECK(err[0]);
		arena_free(&a);
		return 0;
	}
	CHECK(l.name && l.c.target && l.image);
	pl_config cfg;
	pl_config_init(&cfg);
	cfg.enable_all = true;
	pl_findings out = {0};
	pl_scan_live(&cfg, &l, &out);
	for (size_t i = 0; i < out.n; i++) {
		CHECK(out.v[i].rule && out.v[i].message && *out.v[i].message);
		CHECK(!strncmp(out.v[i].file, "container:", 10));
	}
	pl_findings_free(&out);
	pl_config_free(&cfg);
	arena_free(&a);
	return 0;
}
