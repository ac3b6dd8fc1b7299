/* test_secrets.c - pl_secret_assignment and pl_entropy: the entropy-gated detector of
 * secrets assigned to secret names in configuration files (images, PL603). */
#include "model/secrets.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *assign(const char *line, char *value, size_t vn)
{
	size_t off = 0, len = 0;
	const char *kind = pl_secret_assignment(line, strlen(line), &off, &len);
	if (kind)
		snprintf(value, vn, "%.*s", (int)len, line + off);
	return kind;
}

static void test_entropy(void **state)
{
	(void)state;
	assert_true(fabs(pl_entropy("aaaa", 4)) < 1e-9);
	assert_true(fabs(pl_entropy("abab", 4) - 1.0) < 1e-9);
	assert_true(fabs(pl_entropy("abcd", 4) - 2.0) < 1e-9);
}

static void test_fires(void **state)
{
	(void)state;
	static const struct { const char *line, *value; } cases[] = {
		{"DB_PASSWORD=q7ZpX2vLk9RtY4mB8nWc", "q7ZpX2vLk9RtY4mB8nWc"},
		{"export API_KEY='x9Kd83LmQz02PvNw7TbR5sYe'", "x9Kd83LmQz02PvNw7TbR5sYe"},
		{"  api_key: \"x9Kd83LmQz02PvNw7TbR5sYe\"", "x9Kd83LmQz02PvNw7TbR5sYe"},
		{"\"client_secret\": \"Zx81kQp0Lm2Nv7Bc5Rt9Yw\",", "Zx81kQp0Lm2Nv7Bc5Rt9Yw"},
		{"spring.datasource.password=q7ZpX2vLk9RtY4mB8nWc # prod", "q7ZpX2vLk9RtY4mB8nWc"},
		{"secret-key = dGhpcyBpcyBhIHRlc3Qx9Z+/=", "dGhpcyBpcyBhIHRlc3Qx9Z+/="},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char v[256] = "";
		if (!assign(cases[i].line, v, sizeof v))
			fail_msg("no finding for: %s", cases[i].line);
		assert_string_equal(v, cases[i].value);
	}
}

static void test_does_not_fire(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"DB_PASSWORD=changeme_changeme_123",      /* low entropy */
		"DB_PASSWORD=${DB_PASSWORD_FROM_VAULT_X1}", /* a reference */
		"DB_PASSWORD=short1A",                    /* too short */
		"DB_PASSWORD=abcdefghijklmnopqrstuvwxyzABCD", /* no digit */
		"PASSWORD_FILE=q7ZpX2vLk9RtY4mB8nWc",     /* names a file, not a secret */
		"TOKEN_URL=q7ZpX2vLk9RtY4mB8nWc",         /* names an endpoint */
		"CACHE_KEY_PREFIX=q7ZpX2vLk9RtY4mB8nWc",  /* not a secret name */
		"password: q7ZpX2vLk9RtY4mB8nWc and more words", /* prose, not an assignment */
		"# DB_PASSWORD=q7ZpX2vLk9RtY4mB8nWc",      /* a comment */
		"DB_PASSWORD=\"q7ZpX2vLk9RtY4mB8nWc",      /* unclosed quote */
		"",
		"=",
		"DB_PASSWORD",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		char v[256];
		if (assign(lines[i], v, sizeof v))
			fail_msg("unexpected finding for: %s", lines[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entropy),
		cmocka_unit_test(test_fires),
		cmocka_unit_test(test_does_not_fire),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
