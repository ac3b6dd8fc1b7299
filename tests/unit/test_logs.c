/* test_logs.c - the Engine's multiplexed log stream and the structured-log judgement. */
#include "live/logs.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

/* Append one multiplexed frame: stream, then the payload. */
static size_t frame(unsigned char *out, int stream, const char *payload)
{
	size_t n = strlen(payload);
	out[0] = (unsigned char)stream;
	out[1] = out[2] = out[3] = 0;
	out[4] = (unsigned char)(n >> 24);
	out[5] = (unsigned char)(n >> 16);
	out[6] = (unsigned char)(n >> 8);
	out[7] = (unsigned char)n;
	memcpy(out + 8, payload, n);
	return n + 8;
}

static void test_structured_lines(void **state)
{
	(void)state;
	dl_stats st = {0};
	const char *lines[] = {
		"{\"time\":\"2026-11-28T08:00:00Z\",\"level\":\"info\",\"msg\":\"started\",\"service\":\"api\",\"trace_id\":\"4bf92f3577b34da6\"}",
		"{\"@timestamp\":\"2026-11-28T08:00:01Z\",\"log\":{\"level\":\"warn\"},\"message\":\"slow\",\"service\":{\"name\":\"api\"}}",
		"{\"level\":30,\"time\":1764316800000,\"msg\":\"pino line\",\"reqId\":\"req-1\"}",
		"plain text line",
		"{\"unclosed\": true",
		"[1,2,3]",
		"{\"a\":1,\"a\":2}",
		"   ",
		"",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		dl_judge_line(lines[i], strlen(lines[i]), &dl_default_fields, &st);
	assert_int_equal(st.lines, 7);       /* blank lines do not count */
	assert_int_equal(st.json, 3);        /* duplicates and arrays are not log objects */
	assert_int_equal(st.with[DL_TIMESTAMP], 3);
	assert_int_equal(st.with[DL_LEVEL], 3); /* log.level nested, ECS */
	assert_int_equal(st.with[DL_MESSAGE], 3);
	assert_int_equal(st.with[DL_SERVICE], 2); /* service.name nested */
	assert_int_equal(st.with[DL_CORRELATION], 2);
}

static void test_custom_names(void **state)
{
	(void)state;
	static const char *const ts[] = {"when", NULL};
	dl_fields f = dl_default_fields;
	f.names[DL_TIMESTAMP] = ts;
	dl_stats st = {0};
	const char *a = "{\"when\":\"now\",\"time\":\"x\"}", *b = "{\"time\":\"x\"}";
	dl_judge_line(a, strlen(a), &f, &st);
	dl_judge_line(b, strlen(b), &f, &st);
	assert_int_equal(st.json, 2);
	assert_int_equal(st.with[DL_TIMESTAMP], 1);
}

static void test_multiplexed(void **state)
{
	(void)state;
	unsigned char buf[4096];
	size_t n = 0;
	/* a JSON line split across two stdout frames, a stderr line between them */
	n += frame(buf + n, 1, "{\"level\":\"info\",");
	n += frame(buf + n, 2, "panic: boom\n");
	n += frame(buf + n, 1, "\"msg\":\"hi\"}\nplain\n");
	n += frame(buf + n, 1, "last line without newline");
	dl_stats st = {0};
	dl_analyze(buf, n, false, &dl_default_fields, &st);
	assert_int_equal(st.lines, 4);
	assert_int_equal(st.json, 1);
	assert_int_equal(st.with[DL_LEVEL], 1);
	assert_int_equal(st.with[DL_MESSAGE], 1);
	assert_int_equal(st.stderr_lines, 1);
	assert_int_equal(st.bad_frames, 0);
}

static void test_tty_and_garbage(void **state)
{
	(void)state;
	const char *raw = "{\"msg\":\"a\"}\r\n{\"msg\":\"b\"}\r\n";
	dl_stats st = {0};
	dl_analyze((const unsigned char *)raw, strlen(raw), true, &dl_default_fields, &st);
	assert_int_equal(st.lines, 2);
	assert_int_equal(st.json, 2);
	/* not a multiplexed stream although asked: read raw, counted */
	memset(&st, 0, sizeof st);
	dl_analyze((const unsigned char *)raw, strlen(raw), false, &dl_default_fields, &st);
	assert_int_equal(st.bad_frames, 1);
	assert_int_equal(st.json, 2);
	/* a frame that claims more than there is: the bytes present are read */
	unsigned char t[16] = {1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 'a', 'b', '\n', 'c'};
	memset(&st, 0, sizeof st);
	dl_analyze(t, 12, false, &dl_default_fields, &st);
	assert_int_equal(st.lines, 2);
}

static void test_huge_line(void **state)
{
	(void)state;
	size_t n = 3 * DL_MAX_LINE;
	unsigned char *b = malloc(n + 8);
	assert_non_null(b);
	memcpy(b, "{\"msg\":\"", 8);
	memset(b + 8, 'x', n - 8);
	b[n - 2] = '"';
	b[n - 1] = '}';
	dl_stats st = {0};
	dl_analyze(b, n, true, &dl_default_fields, &st);
	assert_int_equal(st.lines, 1);
	assert_int_equal(st.cut, 1);
	assert_int_equal(st.json, 0); /* cut: no longer one object */
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structured_lines),
		cmocka_unit_test(test_custom_names),
		cmocka_unit_test(test_multiplexed),
		cmocka_unit_test(test_tty_and_garbage),
		cmocka_unit_test(test_huge_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
