/* fuzz_yaml.c - libFuzzer target for the YAML reader (src/yaml/yaml.c).
 *
 * Each input is loaded with yaml_load exactly as libFuzzer gives it (no NUL after the last
 * byte, so AddressSanitizer sees any read past the end). A successful load is walked: every
 * node must have a position inside the file that does not end before it starts, no deeper
 * than YAML_MAX_DEPTH plus one, and the helpers run on every node. A failed load must say
 * why and where. Everything is released with yaml_free, so LeakSanitizer checks libfyaml's
 * error collection too.
 * Build: make build/fuzz/fuzz_yaml; run: FUZZ_SECONDS=60 fuzz/run.sh build/fuzz/fuzz_yaml */
#include "yaml/yaml.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const yaml_node *n, int depth)
{
	if (!n || depth > YAML_MAX_DEPTH + 1 || n->line < 1 || n->col < 1 ||
	    n->end_line < n->line || (n->end_line == n->line && n->end_col < n->col) || !n->s ||
	    !n->file)
		__builtin_trap();
	long long v;
	(void)yaml_int(n, &v);
	(void)yaml_bool(n);
	(void)yaml_is_null(n);
	if (n->kind == Y_SCALAR && n->s[n->len] != '\0')
		__builtin_trap();
	for (size_t i = 0; i < n->npairs; i++) {
		walk(n->pairs[i].key, depth + 1);
		walk(n->pairs[i].value, depth + 1);
		if (n->pairs[i].key->kind == Y_SCALAR &&
		    yaml_get(n, n->pairs[i].key->s) == NULL && strlen(n->pairs[i].key->s) ==
		    n->pairs[i].key->len)
			__builtin_trap(); /* every scalar key can be looked up */
	}
	for (size_t i = 0; i < n->nitems; i++)
		walk(n->items[i], depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	yaml_stream y;
	if (yaml_load(&y, "fuzz.yml", (const char *)data, size) == 0) {
		for (size_t i = 0; i < y.ndocs; i++)
			walk(y.docs[i], 0);
	} else if (y.err[0] == '\0' || y.err_line < 1 || y.err_col < 1 || y.ndocs != 0) {
		__builtin_trap();
	}
	yaml_free(&y);
	return 0;
}
