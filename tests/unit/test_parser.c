/* test_parser.c - the syntax tree beyond BuildKit's dump: positions, directives, comments,
 * heredoc bodies, and the flag and instruction checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dockerfile/instructions.h"
#include "dockerfile/parser.h"
#include "core/buf.h"

#include <stdlib.h>
#include <string.h>

static df_file parse_ok(const char *src)
{
	df_file f;
	int rc = df_parse(&f, "Dockerfile", src, strlen(src));
	if (rc != 0)
		fail_msg("parse failed: %d:%d: %s", f.err_line, f.err_col, f.err);
	return f;
}

static void assert_word(const df_word *w, const char *value, int line, int col, int end_line,
			int end_col)
{
	assert_string_equal(w->s, value);
	assert_int_equal(w->line, line);
	assert_int_equal(w->col, col);
	assert_int_equal(w->end_line, end_line);
	assert_int_equal(w->end_col, end_col);
}

static void test_positions_across_continuations(void **state)
{
	(void)state;
	const char *src = "FROM alpine\n"
			  "RUN --mount=type=cache,target=/root \\\n"
			  "  # a comment inside\n"
			  "\n"
			  "    apk add curl\n";
	df_file f = parse_ok(src);
	assert_int_equal(f.nnodes, 2);
	df_node *run = f.nodes[1];
	assert_word(&run->keyword, "run", 2, 1, 2, 4);
	assert_int_equal(run->nflags, 1);
	assert_word(&run->flags[0], "--mount=type=cache,target=/root", 2, 5, 2, 36);
	assert_int_equal(run->nargs, 1);
	/* the argument starts on line 5, after the comment and the empty line */
	assert_int_equal(run->args[0].line, 5);
	assert_int_equal(run->args[0].col, 5);
	assert_int_equal(run->start_line, 2);
	assert_int_equal(run->end_line, 5);
	assert_true(run->empty_continuation);
	df_free(&f);
}

static void test_crlf_and_bom(void **state)
{
	(void)state;
	df_file f = parse_ok("\xEF\xBB\xBF" "FROM a\r\nUSER b \\\r\n c\r\n");
	assert_int_equal(f.nnodes, 2);
	assert_string_equal(f.nodes[1]->args[0].s, "b  c");
	assert_int_equal(f.nodes[1]->args[0].line, 2);
	assert_int_equal(f.nodes[1]->args[0].col, 6);
	assert_int_equal(f.nodes[1]->args[0].end_line, 3);
	df_free(&f);
}

static void test_directives(void **state)
{
	(void)state;
	df_file f = parse_ok("# syntax = docker/dockerfile:1.7\n#escape=`\n# check=skip=all\n"
			     "FROM a\nRUN echo `\n  hi\n# escape=\\\n");
	assert_int_equal(f.ndirectives, 3);
	assert_string_equal(f.directives[0].name.s, "syntax");
	assert_word(&f.directives[0].value, "docker/dockerfile:1.7", 1, 12, 1, 33);
	assert_string_equal(f.directives[1].value.s, "`");
	assert_string_equal(f.directives[2].value.s, "skip=all");
	assert_int_equal(f.escape, '`');
	assert_string_equal(f.nodes[1]->args[0].s, "echo   hi");
	df_free(&f);

	/* A blank line or an instruction ends directive scanning. */
	f = parse_ok("\n# escape=`\nFROM a\n");
	assert_int_equal(f.ndirectives, 0);
	assert_int_equal(f.escape, '\\');
	df_free(&f);
}

static void test_directive_errors(void **state)
{
	(void)state;
	df_file f;
	const char *dup = "# syntax=a\n# syntax=b\nFROM a\n";
	assert_int_equal(df_parse(&f, "D", dup, strlen(dup)), -1);
	assert_string_equal(f.err, "only one syntax parser directive can be used");
	assert_int_equal(f.err_line, 2);
	df_free(&f);
	const char *bad = "# escape=x\nFROM a\n";
	assert_int_equal(df_parse(&f, "D", bad, strlen(bad)), -1);
	assert_string_equal(f.err, "invalid escape token 'x' does not match ` or \\");
	assert_int_equal(f.err_line, 1);
	assert_int_equal(f.err_col, 10);
	df_free(&f);
}

static void test_heredocs(void **state)
{
	(void)state;
	const char *src = "FROM a\n"
			  "RUN <<EOF cat <<-'END' > /x\n"
			  "echo $HOME\n"
			  "EOF\n"
			  "\tliteral $X\n"
			  "\tEND\n"
			  "COPY 3<<\"DATA\" /y\n"
			  "d\n"
			  "DATA\n";
	df_file f = parse_ok(src);
	assert_int_equal(f.nnodes, 3);
	df_node *run = f.nodes[1];
	assert_int_equal(run->nheredocs, 2);
	assert_string_equal(run->heredocs[0].name, "EOF");
	assert_true(run->heredocs[0].expand);
	assert_false(run->heredocs[0].chomp);
	assert_string_equal(run->heredocs[0].body.s, "echo $HOME\n");
	assert_int_equal(run->heredocs[0].body.line, 3);
	assert_string_equal(run->heredocs[1].name, "END");
	assert_false(run->heredocs[1].expand);
	assert_true(run->heredocs[1].chomp);
	assert_string_equal(run->heredocs[1].body.s, "\tliteral $X\n");
	assert_int_equal(run->end_line, 6);
	df_node *cp = f.nodes[2];
	assert_int_equal(cp->nheredocs, 1);
	assert_int_equal(cp->heredocs[0].fd, 3);
	assert_false(cp->heredocs[0].expand);
	assert_string_equal(cp->heredocs[0].body.s, "d\n");
	df_free(&f);

	/* JSON form never takes heredocs; an unterminated one is an error at the RUN. */
	f = parse_ok("FROM a\nRUN [\"<<EOF\"]\nEOF\n");
	assert_int_equal(f.nodes[1]->nheredocs, 0);
	assert_int_equal(f.nnodes, 3);
	df_free(&f);
	const char *bad = "FROM a\nRUN <<EOF\necho\n";
	assert_int_equal(df_parse(&f, "D", bad, strlen(bad)), -1);
	assert_string_equal(f.err, "unterminated heredoc");
	assert_int_equal(f.err_line, 2);
	df_free(&f);
}

static void test_comments_above_instruction(void **state)
{
	(void)state;
	df_file f = parse_ok("FROM a\n# first\n# plimsoll ignore=PL201 -- builder\nUSER root\nUSER x\n");
	assert_int_equal(f.nodes[1]->ncomments, 2);
	assert_string_equal(f.nodes[1]->comments[1].s, "plimsoll ignore=PL201 -- builder");
	assert_int_equal(f.nodes[1]->comments[1].line, 3);
	assert_int_equal(f.nodes[2]->ncomments, 0);
	df_free(&f);
}

static void test_json_and_shell_forms(void **state)
{
	(void)state;
	df_file f = parse_ok("FROM a\nCMD [\"a\", \"b\\u00e9\"]\nCMD [\"a\" \"b\"]\nENTRYPOINT []\n");
	assert_true(f.nodes[1]->json);
	assert_int_equal(f.nodes[1]->nargs, 2);
	assert_string_equal(f.nodes[1]->args[1].s, "b\xc3\xa9");
	assert_int_equal(f.nodes[1]->args[1].col, 11);
	assert_false(f.nodes[2]->json); /* invalid JSON: shell form, text kept */
	assert_string_equal(f.nodes[2]->args[0].s, "[\"a\" \"b\"]");
	assert_true(f.nodes[3]->json);
	assert_int_equal(f.nodes[3]->nargs, 0);
	df_free(&f);

	df_file g;
	const char *bad = "FROM a\nCMD [\"a\", 1]\n";
	assert_int_equal(df_parse(&g, "D", bad, strlen(bad)), -1);
	assert_string_equal(g.err,
			    "when using JSON array syntax, arrays must be comprised of strings only");
	assert_int_equal(g.err_line, 2);
	df_free(&g);
}

static void test_onbuild_and_dump(void **state)
{
	(void)state;
	df_file f = parse_ok("FROM a\nonbuild run --mount=x echo hi\nFOO bar\n");
	buf b = BUF_INIT;
	df_dump_buildkit(&f, &b);
	assert_string_equal(b.p, "(from \"a\")\n(onbuild (run [\"--mount=x\"] \"echo hi\"))\n"
				 "(foo \"\")\n");
	assert_non_null(f.nodes[1]->sub);
	assert_int_equal(f.nodes[1]->sub->keyword.col, 9);
	assert_true(f.nodes[2]->unknown);
	buf_free(&b);
	df_free(&f);
}

static void test_flag_checks(void **state)
{
	(void)state;
	df_file f = parse_ok("FROM --platform=$P a\nCOPY --from=b --link --chown --bogus=1 x y\n"
			     "ADD --link=maybe a b\nRUN --mount=a --mount=b x\nCMD --doit x\n");
	df_problems ps = {0};
	df_flag *fl;
	size_t n;
	df_parse_flags(&f.mem, f.nodes[1], DF_COPY, &fl, &n, &ps);
	assert_int_equal(n, 2);
	assert_string_equal(fl[0].name, "from");
	assert_string_equal(fl[0].value, "b");
	assert_null(fl[1].value); /* bare boolean */
	assert_int_equal(ps.n, 2);
	assert_string_equal(ps.v[0].msg, "missing a value on flag: chown");
	assert_string_equal(ps.v[1].msg, "unknown flag: bogus");
	assert_int_equal(ps.v[1].col, 30);
	df_parse_flags(&f.mem, f.nodes[2], DF_ADD, &fl, &n, &ps);
	assert_string_equal(ps.v[2].msg, "expecting boolean value for flag link, not: maybe");
	df_parse_flags(&f.mem, f.nodes[3], DF_RUN, &fl, &n, &ps);
	assert_int_equal(n, 2); /* --mount may repeat */
	df_parse_flags(&f.mem, f.nodes[4], DF_CMD, &fl, &n, &ps);
	assert_string_equal(ps.v[3].msg, "unknown flag: doit");
	df_free(&f);
}

static void test_long_line_limit(void **state)
{
	(void)state;
	size_t n = DF_MAX_LINE + 20;
	char *src = malloc(n + 16);
	memcpy(src, "FROM a\nRUN ", 11);
	memset(src + 11, 'x', n - 11);
	src[n] = '\0';
	df_file f;
	assert_int_equal(df_parse(&f, "D", src, n), -1);
	assert_string_equal(f.err, "dockerfile line greater than max allowed size of 65535");
	assert_int_equal(f.err_line, 2);
	df_free(&f);
	free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions_across_continuations),
		cmocka_unit_test(test_crlf_and_bom),
		cmocka_unit_test(test_directives),
		cmocka_unit_test(test_directive_errors),
		cmocka_unit_test(test_heredocs),
		cmocka_unit_test(test_comments_above_instruction),
		cmocka_unit_test(test_json_and_shell_forms),
		cmocka_unit_test(test_onbuild_and_dump),
		cmocka_unit_test(test_flag_checks),
		cmocka_unit_test(test_long_line_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
