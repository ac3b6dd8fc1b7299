/* fuzz_interpolate.c - libFuzzer target for Compose interpolation and .env parsing
 * (src/compose/interpolate.c: cz_interpolate; src/compose/dotenv.c: cz_dotenv_parse).
 *
 * Each input is used three ways, over a fixed small environment (set, empty, and with `$`
 * and `}` in values, so the results of substitution are themselves fuzzed text):
 *   1. as a template: cz_interpolate over the fixed environment. Success must give a value
 *      and no error; failure must give no value and a message. A template without `$` must
 *      come back unchanged.
 *   2. escaped: every `$` doubled must interpolate back to the text itself, with no lookup
 *      and nothing flagged (compose-go's `$$` rule, the one users rely on to keep a `$`).
 *   3. as a `.env` file: cz_dotenv_parse on the raw bytes (no NUL after the last one, so
 *      AddressSanitizer sees any read past the end), with the fixed environment as the
 *      process environment; a failure must say why, naming a line. Then the template is
 *      interpolated again over the variables it defined, as the loader does with `.env`.
 * Templates stop at the first NUL byte (the loader's strings are C strings). Everything
 * lives in one arena, freed per input, so LeakSanitizer checks the buffers around it.
 * Build: make build/fuzz/fuzz_interpolate; run: FUZZ_SECONDS=60 fuzz/run.sh build/fuzz/fuzz_interpolate */
#include "compose/internal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fixed process environment. */
static const char *const env_pairs[][2] = {
	{"A", "alpha"},
	{"EMPTY", ""},
	{"B", "${A}"},          /* values are not interpolated again: stays literal */
	{"DOLLAR", "$$x"},
	{"BRACE", "}"},
	{"_U1", "ünï"},
	{"HOME", "/home/fuzz"},
};

static bool fixed_lookup(void *ctx, const char *name, size_t n, const char **value,
			 const char **via)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof env_pairs / sizeof env_pairs[0]; i++)
		if (strlen(env_pairs[i][0]) == n && memcmp(env_pairs[i][0], name, n) == 0) {
			*value = env_pairs[i][1];
			*via = NULL; /* the process environment */
			return true;
		}
	return false;
}

/* A lookup that must never be called (the escaped template has no variable in it). */
static bool no_lookup(void *ctx, const char *name, size_t n, const char **value,
		      const char **via)
{
	(void)ctx, (void)name, (void)n, (void)value, (void)via;
	__builtin_trap();
}

/* The checks every interpolation result must pass. */
static void check_result(int rc, const char *tmpl, const cz_interp *r)
{
	if (rc == 0) {
		if (!r->value || r->err[0] != '\0')
			__builtin_trap();
		if (!strchr(tmpl, '$') && strcmp(r->value, tmpl) != 0)
			__builtin_trap();
		if (r->unset && !r->unset_name)
			__builtin_trap();
	} else if (rc != -1 || r->value || r->err[0] == '\0' ||
		   !memchr(r->err, '\0', sizeof r->err)) {
		__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena a;
	arena_init(&a);

	/* 1. the input as a template */
	char *tmpl = arena_strndup(&a, (const char *)data, size); /* stops at a NUL */
	cz_interp r;
	int rc = cz_interpolate(&a, tmpl, fixed_lookup, NULL, &r);
	check_result(rc, tmpl, &r);

	/* 2. `$` doubled comes back as the text itself */
	size_t tl = strlen(tmpl), nd = 0;
	for (size_t i = 0; i < tl; i++)
		nd += tmpl[i] == '$';
	char *esc = arena_alloc(&a, tl + nd + 1);
	for (size_t i = 0, j = 0; i < tl; i++) {
		esc[j++] = tmpl[i];
		if (tmpl[i] == '$')
			esc[j++] = '$';
	}
	rc = cz_interpolate(&a, esc, no_lookup, NULL, &r);
	check_result(rc, esc, &r);
	if (rc != 0 || strcmp(r.value, tmpl) != 0 || r.unset || r.env_ref || r.via)
		__builtin_trap();

	/* 3. the input as a .env file, on the raw bytes */
	uint8_t *raw = malloc(size ? size : 1); /* exact size: no terminator to lean on */
	if (!raw)
		abort();
	memcpy(raw, data, size);
	cz_env env = {0};
	char err[256];
	err[0] = '\0';
	rc = cz_dotenv_parse(&a, (const char *)raw, size, "fuzz.env", fixed_lookup, NULL, &env,
			     err, sizeof err);
	free(raw);
	if (rc != 0 && (rc != -1 || strncmp(err, "line ", 5) != 0))
		__builtin_trap();
	for (size_t i = 0; i < env.n; i++) {
		const cz_var *v = &env.v[i];
		if (!v->name || !v->value || cz_env_find(&env, v->name, strlen(v->name)) != v)
			__builtin_trap(); /* names are unique and found */
	}
	/* the template over what the file defined, as the loader reads compose files */
	rc = cz_interpolate(&a, tmpl, cz_env_lookup, &env, &r);
	check_result(rc, tmpl, &r);

	arena_free(&a);
	return 0;
}
