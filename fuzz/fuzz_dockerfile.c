/* fuzz_dockerfile.c - libFuzzer target for the Dockerfile parser, its model and its dumps.
 *
 * Each input is run through the text check the CLI applies first (pl_text_check), then
 * parsed with df_parse; a successful parse is dumped as BuildKit's tree, resolved into the
 * build model (df_build_model, which lives in the file's arena) and dumped as JSON and as
 * stages, exactly what `plimsoll dump` does for its three formats, and everything is
 * released with df_free. The parser is fed every input, text or not: its contract is
 * "any bytes src[0..len)", so the buffer is passed exactly as libFuzzer gives it (no NUL
 * after the last byte, so AddressSanitizer sees any read past the end).
 * Build: make build/fuzz/fuzz_dockerfile; run: make fuzz (see fuzz/run.sh). */
#include "core/buf.h"
#include "core/file.h"
#include "dockerfile/dump.h"
#include "dockerfile/parser.h"
#include "dockerfile/stages.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;

	size_t bad = 0;
	const char *why = NULL;
	if (!pl_text_check(src, size, &bad, &why)) {
		/* A failing check must point inside the input and give a reason. */
		if (bad > size || why == NULL || why[0] == '\0')
			__builtin_trap();
	}

	df_file f;
	memset(&f, 0, sizeof f);
	if (df_parse(&f, "fuzz", src, size) == 0) {
		buf out = BUF_INIT;
		df_dump_buildkit(&f, &out);
		buf_reset(&out);
		df_dump_json(&f, NULL, &out); /* the syntax tree alone */
		/* The build model runs the shell lexer over every expanded word. */
		df_build b;
		df_build_model(&f, &b);
		buf_reset(&out);
		df_dump_json(&f, &b, &out);
		buf_reset(&out);
		df_dump_stages(&b, &out);
		buf_free(&out);
	} else if (f.err[0] == '\0') {
		/* A failed parse must say why. */
		__builtin_trap();
	}
	df_free(&f);
	return 0;
}
