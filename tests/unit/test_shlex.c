/* test_shlex.c - the BuildKit shell lexer: expansion, quoting, word splitting and errors.
 *
 * Expectations come from BuildKit's own lexer tests (envVarTest, wordsTest and
 * TestProcessWithMatches in frontend/dockerfile/shell) where they apply, and otherwise
 * from reading lex.go and Go's regexp, strconv and text/scanner rules. Each table row
 * gives the ProcessWord result and the ProcessWords words (joined with '|'). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "dockerfile/shlex.h"

enum {
	RQ = 1,    /* raw_quotes */
	RE = 2,    /* raw_escapes */
	SKIP = 4,  /* skip_unset_env */
	SPQ = 8,   /* skip_process_quotes */
	BT = 16,   /* escape token ` */
};

typedef struct tcase {
	const char *in;
	const char *const *env;  /* "NAME=value" strings, NULL-terminated */
	int flags;
	const char *word;        /* NULL: an error is expected */
	const char *words;       /* joined with '|'; when word is NULL, the full error */
	const char *unmatched;   /* joined with '|'; NULL: not checked */
} tcase;

static bool env_get(void *ctx, const char *name, size_t n, const char **val, size_t *vlen)
{
	const char *const *kv = ctx;
	for (; kv && *kv; kv++) {
		const char *eq = strchr(*kv, '=');
		if ((size_t)(eq - *kv) == n && memcmp(*kv, name, n) == 0) {
			*val = eq + 1;
			*vlen = strlen(eq + 1);
			return true;
		}
	}
	return false;
}

static shlex_opts opts_for(int flags)
{
	shlex_opts o = {
		.escape = (flags & BT) ? '`' : '\\',
		.raw_quotes = (flags & RQ) != 0,
		.raw_escapes = (flags & RE) != 0,
		.skip_unset_env = (flags & SKIP) != 0,
		.skip_process_quotes = (flags & SPQ) != 0,
	};
	return o;
}

static void join(buf *b, char **v, const size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(b, '|');
		buf_add(b, v[i], lens ? lens[i] : strlen(v[i]));
	}
}

static void expect_eq(const tcase *c, const char *what, const char *want, const char *got,
		      size_t glen)
{
	if (strlen(want) == glen && memcmp(want, got, glen) == 0)
		return;
	print_error("input [%s] flags %d: %s\n  want [%s]\n  got  [%.*s]\n", c->in, c->flags,
		    what, want, (int)glen, got);
	fail();
}

static void run_case(const tcase *c)
{
	shlex_opts o = opts_for(c->flags);
	shlex_result r;
	buf b = BUF_INIT;
	int rc = shlex_process(c->in, strlen(c->in), &o, env_get, (void *)c->env, &r);

	if (c->word) {
		if (rc != 0) {
			print_error("input [%s]: unexpected error: %s\n", c->in, r.error);
			fail();
		}
		assert_null(r.error);
		expect_eq(c, "word", c->word, r.word, r.word_len);
		join(&b, r.words, r.word_lens, r.nwords);
		expect_eq(c, "words", c->words, buf_str(&b), b.len);
	} else {
		if (rc != -1) {
			print_error("input [%s]: expected error, got [%s]\n", c->in, r.word);
			fail();
		}
		assert_non_null(r.error);
		expect_eq(c, "error", c->words, r.error, r.error_len);
		assert_int_equal(r.nwords, 0);
	}
	if (c->unmatched) {
		buf_reset(&b);
		join(&b, r.unmatched, NULL, r.nunmatched);
		expect_eq(c, "unmatched", c->unmatched, buf_str(&b), b.len);
	}
	buf_free(&b);
	shlex_result_free(&r);
}

static void run_table(const tcase *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		run_case(&t[i]);
}

#define RUN(t) run_table(t, sizeof t / sizeof t[0])

/* Error message prefixes. */
#define SQ "unexpected end of statement while looking for matching single-quote"
#define DQ "unexpected end of statement while looking for matching double-quote"
#define BAD "syntax error: bad substitution"
#define MISS "syntax error: missing '}'"
#define FFFD "\xEF\xBF\xBD"

/* ---- BuildKit's envVarTest ------------------------------------------------------------ */

static const char *const E_STD[] = {"PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL=", NULL};

static const tcase envvar_cases[] = {
	{"hello", E_STD, 0, "hello", "hello", NULL},
	{"he'll'o", E_STD, 0, "hello", "hello", NULL},
	{"he'llo", E_STD, 0, NULL, "failed to process \"he'llo\": " SQ, NULL},
	{"he\\'llo", E_STD, 0, "he'llo", "he'llo", NULL},
	{"he\\\\'llo", E_STD, 0, NULL, "failed to process \"he\\\\\\\\'llo\": " SQ, NULL},
	{"abc\\tdef", E_STD, 0, "abctdef", "abctdef", NULL},
	{"\"abc\\tdef\"", E_STD, 0, "abc\\tdef", "abc\\tdef", NULL},
	{"\"abc\\\\tdef\"", E_STD, 0, "abc\\tdef", "abc\\tdef", NULL},
	{"'abc\\tdef'", E_STD, 0, "abc\\tdef", "abc\\tdef", NULL},
	{"hello\\", E_STD, 0, "hello", "hello", NULL},
	{"hello\\\\", E_STD, 0, "hello\\", "hello\\", NULL},
	{"\"hello", E_STD, 0, NULL, "failed to process \"\\\"hello\": " DQ, NULL},
	{"\"hello\\\"", E_STD, 0, NULL, "failed to process \"\\\"hello\\\\\\\"\": " DQ, NULL},
	{"\"hel'lo\"", E_STD, 0, "hel'lo", "hel'lo", NULL},
	{"'hello", E_STD, 0, NULL, "failed to process \"'hello\": " SQ, NULL},
	{"'hello\\'", E_STD, 0, "hello\\", "hello\\", NULL},
	{"'hello\\there'", E_STD, 0, "hello\\there", "hello\\there", NULL},
	{"'hello\\\\there'", E_STD, 0, "hello\\\\there", "hello\\\\there", NULL},
	{"\"''\"", E_STD, 0, "''", "''", NULL},
	{"$.", E_STD, 0, "$.", "$.", NULL},
	{"$1", E_STD, 0, "", "", "1"},
	{"he$1x", E_STD, 0, "hex", "hex", "1"},
	{"he$.x", E_STD, 0, "he$.x", "he$.x", ""},
	{"he$pwd.", E_STD, 0, "he.", "he.", "pwd"},
	{"he$PWD", E_STD, 0, "he/home", "he/home", ""},
	{"he\\$PWD", E_STD, 0, "he$PWD", "he$PWD", ""},
	{"he\\\\$PWD", E_STD, 0, "he\\/home", "he\\/home", NULL},
	{"\"he\\$PWD\"", E_STD, 0, "he$PWD", "he$PWD", NULL},
	{"\"he\\\\$PWD\"", E_STD, 0, "he\\/home", "he\\/home", NULL},
	{"\\${}", E_STD, 0, "${}", "${}", NULL},
	{"\\${}aaa", E_STD, 0, "${}aaa", "${}aaa", NULL},
	{"he\\${}", E_STD, 0, "he${}", "he${}", NULL},
	{"he\\${}xx", E_STD, 0, "he${}xx", "he${}xx", NULL},
	{"${}", E_STD, 0, NULL, "failed to process \"${}\": " BAD, NULL},
	{"${}aaa", E_STD, 0, NULL, "failed to process \"${}aaa\": " BAD, NULL},
	{"he${}", E_STD, 0, NULL, "failed to process \"he${}\": " BAD, NULL},
	{"he${}xx", E_STD, 0, NULL, "failed to process \"he${}xx\": " BAD, NULL},
	{"he${hi}", E_STD, 0, "he", "he", "hi"},
	{"he${hi}xx", E_STD, 0, "hexx", "hexx", NULL},
	{"he${PWD}", E_STD, 0, "he/home", "he/home", NULL},
	{"he${.}", E_STD, 0, NULL,
	 "failed to process \"he${.}\": unsupported modifier (.) in substitution", NULL},
	/* A ${...} with a word clears the partial word before it in ProcessWords, as Go's
	 * shared wordsBuffer does: hence "000xx" below, not "he000xx". */
	{"he${XXX:-000}xx", E_STD, 0, "he000xx", "000xx", "XXX"},
	{"he${PWD:-000}xx", E_STD, 0, "he/homexx", "/homexx", NULL},
	{"he${XXX:-$PWD}xx", E_STD, 0, "he/homexx", "/homexx", NULL},
	{"he${XXX:-${PWD:-yyy}}xx", E_STD, 0, "he/homexx", "/homexx", "XXX"},
	{"he${XXX:-${YYY:-yyy}}xx", E_STD, 0, "heyyyxx", "yyyxx", "YYY|XXX"},
	{"he${XXX:YYY}", E_STD, 0, NULL,
	 "failed to process \"he${XXX:YYY}\": unsupported modifier (:Y) in substitution", NULL},
	{"he${XXX:+${PWD}}xx", E_STD, 0, "hexx", "xx", NULL},
	{"he${PWD:+${XXX}}xx", E_STD, 0, "hexx", "xx", NULL},
	{"he${PWD:+${SHELL}}xx", E_STD, 0, "hebashxx", "bashxx", NULL},
	{"he${XXX:+000}xx", E_STD, 0, "hexx", "xx", NULL},
	{"he${PWD:+000}xx", E_STD, 0, "he000xx", "000xx", NULL},
	{"'he${XX}'", E_STD, 0, "he${XX}", "he${XX}", ""},
	{"\"he${PWD}\"", E_STD, 0, "he/home", "he/home", NULL},
	{"\"he'$PWD'\"", E_STD, 0, "he'/home'", "he'/home'", NULL},
	{"\"$PWD\"", E_STD, 0, "/home", "/home", NULL},
	{"'$PWD'", E_STD, 0, "$PWD", "$PWD", NULL},
	{"'\\$PWD'", E_STD, 0, "\\$PWD", "\\$PWD", NULL},
	{"'\"hello\"'", E_STD, 0, "\"hello\"", "\"hello\"", NULL},
	{"he${PWD", E_STD, 0, NULL,
	 "failed to process \"he${PWD\": unsupported modifier (" FFFD ") in substitution", NULL},
	{"he${PWD:=000}xx", E_STD, 0, NULL,
	 "failed to process \"he${PWD:=000}xx\": unsupported modifier (:=) in substitution",
	 NULL},
	{"he${PWD:+${PWD}:}xx", E_STD, 0, "he/home:xx", "/home:xx", NULL},
	{"he${XXX:-\\$PWD:}xx", E_STD, 0, "he$PWD:xx", "$PWD:xx", NULL},
	{"he${XXX:-\\${PWD}z}xx", E_STD, 0, "he${PWDz}xx", "${PWDz}xx", NULL},
	{"안녕하세요", E_STD, 0, "안녕하세요", "안녕하세요", NULL},
	{"안'녕'하세요", E_STD, 0, "안녕하세요", "안녕하세요", NULL},
	{"안'녕하세요", E_STD, 0, NULL, "failed to process \"안'녕하세요\": " SQ, NULL},
	{"안녕\\t하세요", E_STD, 0, "안녕t하세요", "안녕t하세요", NULL},
	{"\"안녕\\t하세요\"", E_STD, 0, "안녕\\t하세요", "안녕\\t하세요", NULL},
	{"안녕${XXX:-000}xx", E_STD, 0, "안녕000xx", "000xx", NULL},
	{"안녕$1x", E_STD, 0, "안녕x", "안녕x", NULL},
	{"$KOREAN", E_STD, 0, "한국어", "한국어", NULL},
	{"안녕$KOREAN", E_STD, 0, "안녕한국어", "안녕한국어", NULL},
	{"${{aaa}", E_STD, 0, NULL, "failed to process \"${{aaa}\": " BAD, NULL},
	{"${aaa}}", E_STD, 0, "}", "}", NULL},
	{"${aaa", E_STD, 0, NULL,
	 "failed to process \"${aaa\": unsupported modifier (" FFFD ") in substitution", NULL},
	{"${{aaa:-bbb}", E_STD, 0, NULL, "failed to process \"${{aaa:-bbb}\": " BAD, NULL},
	{"${aaa:-bbb}}", E_STD, 0, "bbb}", "bbb}", NULL},
	{"${aaa:-bbb", E_STD, 0, NULL, "failed to process \"${aaa:-bbb\": " MISS, NULL},
	{"${aaa:-bbb}", E_STD, 0, "bbb", "bbb", NULL},
	{"${aaa:-${bbb:-ccc}}", E_STD, 0, "ccc", "ccc", "bbb|aaa"},
	{"${aaa:-bbb ${foo}", E_STD, 0, NULL, "failed to process \"${aaa:-bbb ${foo}\": " MISS,
	 NULL},
	{"${aaa:-bbb {foo}", E_STD, 0, "bbb {foo", "bbb|{foo", NULL},
	{"${:}", E_STD, 0, NULL, "failed to process \"${:}\": " BAD, NULL},
	{"${:-bbb}", E_STD, 0, NULL, "failed to process \"${:-bbb}\": " BAD, NULL},
	{"${:+bbb}", E_STD, 0, NULL, "failed to process \"${:+bbb}\": " BAD, NULL},
	{"${NULL:-x}${NULL-y}", E_STD, 0, "x", "", ""},
};

static void test_envvar_upstream(void **state)
{
	(void)state;
	RUN(envvar_cases);
}

/* ---- BuildKit's wordsTest ------------------------------------------------------------- */

static const char *const E_NONE[] = {NULL};
static const char *const E_WORDS[] = {
	"hi=hi", "space=abc  def", "leading=  ab c", "trailing=ab c   ", NULL,
};

static const tcase words_cases[] = {
	{"hello", E_NONE, 0, "hello", "hello", NULL},
	{"hello${hi}bye", E_NONE, 0, "hellobye", "hellobye", "hi"},
	{"hello${hi}bye", E_WORDS, 0, "hellohibye", "hellohibye", ""},
	{"hello${space}bye", E_WORDS, 0, "helloabc  defbye", "helloabc|defbye", NULL},
	{"hello\"${space}\"bye", E_WORDS, 0, "helloabc  defbye", "helloabc  defbye", NULL},
	{"hello \"${space}\"bye", E_WORDS, 0, "hello abc  defbye", "hello|abc  defbye", NULL},
	{"hello${leading}def", E_WORDS, 0, "hello  ab cdef", "hello|ab|cdef", NULL},
	{"hello\"${leading}\" def", E_WORDS, 0, "hello  ab c def", "hello  ab c|def", NULL},
	{"hello\"${leading}\"", E_WORDS, 0, "hello  ab c", "hello  ab c", NULL},
	{"hello${leading}", E_WORDS, 0, "hello  ab c", "hello|ab|c", NULL},
	{"hello${trailing}", E_WORDS, 0, "helloab c   ", "helloab|c", NULL},
	{"hello${trailing}d", E_WORDS, 0, "helloab c   d", "helloab|c|d", NULL},
	{"hello\"${trailing}\"d", E_WORDS, 0, "helloab c   d", "helloab c   d", NULL},
	{"hel\"lo${trailing}\"", E_WORDS, 0, "helloab c   ", "helloab c   ", NULL},
	{"hello\" there  \"", E_WORDS, 0, "hello there  ", "hello there  ", NULL},
	{"hello there     ", E_WORDS, 0, "hello there     ", "hello|there", NULL},
	{"hello\\ there", E_WORDS, 0, "hello there", "hello there", NULL},
	{"hello\" there", E_WORDS, 0, NULL, "failed to process \"hello\\\" there\": " DQ, NULL},
	{"hello\\\" there", E_WORDS, 0, "hello\" there", "hello\"|there", NULL},
	/* the same file in BuildKit's RawQuotes + SkipUnsetEnv mode */
	{"hello${nope}bye", E_WORDS, RQ | SKIP, "hello${nope}bye", "hello${nope}bye", "nope"},
	{"hello\"${space}\"bye", E_WORDS, RQ | SKIP, "hello\"abc  def\"bye",
	 "hello\"abc  def\"bye", NULL},
	{"hello \"${space}\"bye", E_WORDS, RQ | SKIP, "hello \"abc  def\"bye",
	 "hello|\"abc  def\"bye", NULL},
	{"hello${leading}def", E_WORDS, RQ | SKIP, "hello  ab cdef", "hello|ab|cdef", NULL},
};

static void test_words_upstream(void **state)
{
	(void)state;
	RUN(words_cases);
}

/* ---- BuildKit's TestProcessWithMatches ------------------------------------------------ */

static const char *const E_DUMMY[] = {"DUMMY=dummy", NULL};
static const char *const E_FOOY[] = {"FOO=y", NULL};
static const char *const E_FB[] = {"FOO=xxx", "BAR=", NULL};
static const char *const E_RE[] = {"FOO=()[]{}^$.*?|\\x", NULL};
static const char *const E_STARS[] = {"FOO=xx**", NULL};
static const char *const E_XXYY[] = {"FOO=xxyy", NULL};
static const char *const E_XXYY_X[] = {"FOO=xxyy", "BAR=x", NULL};
static const char *const E_XXYY_E[] = {"FOO=xxyy", "BAR=", NULL};
static const char *const E_QQQ[] = {"FOO=???y", NULL};
static const char *const E_A3[] = {"FOO=a***yy*", NULL};
static const char *const E_W1[] = {"FOO=/foo*/*/*.txt", "NEEDLE=\\*/", NULL};
static const char *const E_W2[] = {"FOO=/tmp/tmp/bar.txt", "NEEDLE=/tmp", NULL};
static const char *const E_W3[] = {"FOO=/a/foo/b/c.txt", "NEEDLE=/?/", "REPLACEMENT=/", NULL};
static const char *const E_W4[] = {
	"FOO=http://google.de", "NEEDLE=http://", "REPLACEMENT=https://", NULL,
};
static const char *const E_TMP[] = {"FOO=/tmp/foo.txt", NULL};
static const char *const E_MAND1[] = {"VAR=plain", "ARG=x", NULL};
static const char *const E_MAND2[] = {"VAR=", "ARG=x", NULL};
static const char *const E_MAND3[] = {"ARG=x", NULL};
static const char *const E_PLAT1[] = {
	"VERSION=v1.2.3", "TARGETOS=linux", "TARGETARCH=arm", "TARGETVARIANT=v7", NULL,
};
static const char *const E_PLAT2[] = {
	"VERSION=v1.2.3", "TARGETOS=linux", "TARGETARCH=arm64", "TARGETVARIANT=", NULL,
};
static const char *const E_PLAT3[] = {
	"VERSION=v1.2.3", "TARGETOS=linux", "TARGETARCH=arm64", NULL,
};
#define PLAT "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz"

static const tcase matches_cases[] = {
	{"x", E_DUMMY, 0, "x", "x", ""},
	{"x ${UNUSED}", E_DUMMY, 0, "x ", "x", "UNUSED"},
	{"x ${FOO}", E_FOOY, 0, "x y", "x|y", ""},
	{"${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", E_FB, 0, "xxx  ccc", "xxx|ccc", "BAZ"},
	{"${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", E_FB, 0, "xxx bbb ccc", "xxx|bbb|ccc", "BAZ"},
	{"${FOO:-}", E_FB, 0, "xxx", "xxx", ""},
	{"${FOO:-}", E_NONE, 0, "", "", "FOO"},
	{"${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", E_FB, 0, "aaa bbb ", "aaa|bbb", "BAZ"},
	{"${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", E_FB, 0, "aaa  ", "aaa", "BAZ"},
	{"${FOO?aaa}", E_FB, 0, "xxx", "xxx", ""},
	{"${BAR?bbb}", E_FB, 0, "", "", ""},
	{"${BAZ?ccc}", E_FB, 0, NULL, "failed to process \"${BAZ?ccc}\": BAZ: ccc", "BAZ"},
	{"${FOO:?aaa}", E_FB, 0, "xxx", "xxx", ""},
	{"${BAR:?bbb}", E_FB, 0, NULL, "failed to process \"${BAR:?bbb}\": BAR: bbb", ""},
	{"${BAZ:?ccc}", E_FB, 0, NULL, "failed to process \"${BAZ:?ccc}\": BAZ: ccc", "BAZ"},
	{"${BAZ:?}", E_FB, 0, NULL,
	 "failed to process \"${BAZ:?}\": BAZ: is not allowed to be unset", "BAZ"},
	{"${FOO=aaa}", E_FB, 0, NULL,
	 "failed to process \"${FOO=aaa}\": unsupported modifier (=) in substitution", NULL},
	{"${FOO=:aaa}", E_FB, 0, NULL,
	 "failed to process \"${FOO=:aaa}\": unsupported modifier (=) in substitution", NULL},
	{"${FOO=}", E_NONE, 0, NULL,
	 "failed to process \"${FOO=}\": unsupported modifier (=) in substitution", NULL},
	{"${FOO#()[]{\\}^$.\\*\\?|\\\\}", E_RE, 0, "x", "x", ""},
	{"${FOO%%\\**}", E_STARS, 0, "xx", "xx", ""},
	{"${FOO#*x*y}", E_XXYY, 0, "y", "y", ""},
	{"${FOO#*}", E_XXYY, 0, "xxyy", "xxyy", ""},
	{"${FOO#$BAR}", E_XXYY_X, 0, "xyy", "xyy", ""},
	{"${FOO#$BAR}", E_XXYY_E, 0, "xxyy", "xxyy", ""},
	{"${FOO#}", E_XXYY, 0, "xxyy", "xxyy", ""},
	{"${FOO##*x}", E_XXYY, 0, "yy", "yy", ""},
	{"${FOO##}", E_XXYY, 0, "xxyy", "xxyy", ""},
	{"${FOO#?\\?}", E_QQQ, 0, "?y", "?y", ""},
	{"${ABC:-.}${FOO%x}${ABC:-.}", E_XXYY, 0, ".xxyy.", ".", "ABC"},
	{"${FOO%%\\**\\*}", E_A3, 0, "a", "a", ""},
	{"${FOO%}", E_XXYY, 0, "xxyy", "xxyy", ""},
	{"${FOO%%$BAR}", E_XXYY_E, 0, "xxyy", "xxyy", ""},
	{"${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", E_W1, 0, "/foo.*/*.txt - /foo..*.txt",
	 "/foo.*/*.txt|-|/foo..*.txt", ""},
	{"${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", E_W2, 0, "/tmp/bar.txt - /bar.txt",
	 "/tmp/bar.txt|-|/bar.txt", ""},
	{"${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}", E_W3, 0,
	 "/foo/b/c.txt - /foo/c.txt", "/foo/b/c.txt|-|/foo/c.txt", ""},
	{"${FOO/$NEEDLE/$REPLACEMENT}", E_W4, 0, "https://google.de", "https://google.de", ""},
	{"${FOO//\\//\\/}", E_TMP, 0, "\\/tmp\\/foo.txt", "\\/tmp\\/foo.txt", ""},
	{"${FOO/$BAR/ww}", E_XXYY_E, 0, "wwxxyy", "wwxxyy", ""},
	{"${FOO//ww}", E_XXYY, 0, NULL,
	 "failed to process \"${FOO//ww}\": syntax error: missing '/' in ${}", NULL},
	{"${FOO//}", E_XXYY, 0, NULL,
	 "failed to process \"${FOO//}\": syntax error: missing '/' in ${}", NULL},
	{"${FOO///}", E_XXYY, 0, "xxyy", "xxyy", ""},
	{"${FOO///}", E_NONE, 0, "", "", "FOO"},
	/* TestShellParserMandatoryEnvVars */
	{"${VAR:?message here$ARG}", E_MAND1, 0, "plain", "plain", ""},
	{"${VAR:?message here$ARG}", E_MAND2, 0, NULL,
	 "failed to process \"${VAR:?message here$ARG}\": VAR: message herex", ""},
	{"${VAR:?message here$ARG}", E_MAND3, 0, NULL,
	 "failed to process \"${VAR:?message here$ARG}\": VAR: message herex", "VAR"},
	{"${VAR?message here$ARG}", E_MAND1, 0, "plain", "plain", ""},
	{"${VAR?message here$ARG}", E_MAND2, 0, "", "", ""},
	{"${VAR?message here$ARG}", E_MAND3, 0, NULL,
	 "failed to process \"${VAR?message here$ARG}\": VAR: message herex", "VAR"},
	/* TestProcessWithMatchesPlatform; the words show the shared-buffer quirk */
	{PLAT, E_PLAT1, 0, "something-v1.2.3.linux-arm-v7.tar.gz", "-v7.tar.gz", ""},
	{PLAT, E_PLAT2, 0, "something-v1.2.3.linux-arm64.tar.gz", ".tar.gz", ""},
	{PLAT, E_PLAT3, 0, "something-v1.2.3.linux-arm64.tar.gz", ".tar.gz", "TARGETVARIANT"},
};

static void test_matches_upstream(void **state)
{
	(void)state;
	RUN(matches_cases);
}

/* ---- quotes, escapes and splitting ---------------------------------------------------- */

static const char *const E_SP[] = {"PWD=/home", "NB=x\xC2\xA0y", "SP=a b", NULL};

static const tcase quote_cases[] = {
	{"he'll'o \"x y\"", E_SP, RQ, "he'll'o \"x y\"", "he'll'o|\"x y\"", NULL},
	{"'a''b'", E_SP, RQ, "'a''b'", "'a''b'", NULL},
	{"a\\ b\\\\c\\", E_SP, RE, "a\\ b\\\\c\\", "a\\ b\\\\c\\", NULL},
	{"a\\ b\\\\c\\", E_SP, 0, "a b\\c", "a b\\c", NULL},
	/* in double quotes an escape of anything but " $ \ stays; with raw escapes Go then
	 * writes it twice */
	{"\"a\\\"b\\c\"", E_SP, RE, "a\\\"b\\\\c", "a\\\"b\\\\c", NULL},
	{"\"a\\\"b\\c\"", E_SP, 0, "a\"b\\c", "a\"b\\c", NULL},
	{"\"a\\$PWD\"", E_SP, RE, "a\\$PWD", "a\\$PWD", NULL},
	{"\"a\\'b\"", E_SP, 0, "a\\'b", "a\\'b", NULL},
	{"'a\"b'", E_SP, 0, "a\"b", "a\"b", NULL},
	{"'a\\b' \"c\"", E_SP, RE | RQ, "'a\\b' \"c\"", "'a\\b'|\"c\"", NULL},
	{"'a b'", E_SP, SPQ, "'a b'", "'a|b'", NULL},
	{"\"$PWD x\"", E_SP, SPQ, "\"/home x\"", "\"/home|x\"", NULL},
	{"\\'x\\\"", E_SP, SPQ, "'x\"", "'x\"", NULL},
	{"a\\b", E_SP, BT, "a\\b", "a\\b", NULL},
	{"a`b", E_SP, BT, "ab", "ab", NULL},
	{"a` b", E_SP, BT, "a b", "a b", NULL},
	{"a`", E_SP, BT, "a", "a", NULL},
	{"\"a`\"b\"", E_SP, BT, "a\"b", "a\"b", NULL},
	{"\"a\\$PWD\"", E_SP, BT, "a\\/home", "a\\/home", NULL},
	{"\"a``b\"", E_SP, BT, "a`b", "a`b", NULL},
	{"\"a`$PWD\"", E_SP, BT, "a$PWD", "a$PWD", NULL},
	{"a`$x", E_SP, BT | RE, "a`$x", "a`$x", NULL},
	{"a\\ \\ b c", E_SP, 0, "a  b c", "a  b|c", NULL},
	{"a '' b", E_SP, 0, "a  b", "a|b", NULL},
	{"''", E_SP, 0, "", "", NULL},
	{"\"\"x", E_SP, 0, "x", "x", NULL},
	{"\"a b\"'c d'e", E_SP, 0, "a bc de", "a bc de", NULL},
	{"  a\t\tb\nc  ", E_SP, 0, "  a\t\tb\nc  ", "a|b|c", NULL},
	/* splitting is on Unicode white space (NBSP, U+3000) but not on U+200B */
	{"a\xC2\xA0" "b", E_SP, 0, "a\xC2\xA0" "b", "a|b", NULL},
	{"a\xE3\x80\x80" "b", E_SP, 0, "a\xE3\x80\x80" "b", "a|b", NULL},
	{"a\xE2\x80\x8B" "b", E_SP, 0, "a\xE2\x80\x8B" "b", "a\xE2\x80\x8B" "b", NULL},
	{"$NB", E_SP, 0, "x\xC2\xA0y", "x|y", NULL},
	{"\"$NB\"", E_SP, 0, "x\xC2\xA0y", "x\xC2\xA0y", NULL},
	{"${U:-$SP}", E_SP, 0, "a b", "a|b", NULL},
	/* the ${} result is split even when its word was quoted */
	{"${U:-\"$SP\"}", E_SP, 0, "a b", "a|b", NULL},
	{"\"${U:-$SP}\"", E_SP, 0, "a b", "a b", NULL},
	/* more of the shared word buffer: the partial word before a ${...} is lost */
	{"a${X:-b}c", E_SP, 0, "abc", "bc", NULL},
	{"a \"${X:-b c}\"d", E_SP, 0, "a b cd", "a|b cd", NULL},
	{"x ${X:-y}", E_SP, 0, "x y", "x|y", NULL},
	{"a${X/b/c}d", E_SP, 0, "ad", "d", NULL},
	{"a${X}b", E_SP, 0, "ab", "ab", NULL},
};

static void test_quotes_escapes(void **state)
{
	(void)state;
	RUN(quote_cases);
}

/* ---- $names ---------------------------------------------------------------------------- */

static const char *const E_NAMES[] = {
	"0=zero", "#=3", "12=twelve", "_x1=u", "é=e", "PWD=/home", NULL,
};

static const tcase name_cases[] = {
	{"$0 $# $01 $12a $_x1. $é", E_NAMES, 0, "zero 3  twelvea u. e", "zero|3|twelvea|u.|e",
	 "01"},
	{"${#} ${0} ${12}", E_NAMES, 0, "3 zero twelve", "3|zero|twelve", ""},
	{"$@$*$?$-$$$!", E_NAMES, 0, "", "", "@|*|?|-|$|!"},
	{"$@$*$?$-$$$!", E_NAMES, SKIP, "$@$*$?$-$$$!", "$@$*$?$-$$$!", "@|*|?|-|$|!"},
	{"$", E_NAMES, 0, "$", "$", ""},
	{"a$", E_NAMES, 0, "a$", "a$", ""},
	{"$ x", E_NAMES, 0, "$ x", "$|x", ""},
	{"$-x", E_NAMES, 0, "x", "x", "-"},
	{"$:", E_NAMES, 0, "$:", "$:", ""},
	{"$'a'", E_NAMES, 0, "$a", "$a", ""},
	{"$\"a\"", E_NAMES, 0, "$a", "$a", ""},
	{"$PWD$PWD", E_NAMES, 0, "/home/home", "/home/home", ""},
	{"$PWDx", E_NAMES, 0, "", "", "PWDx"},
	{"${#V}", E_NAMES, 0, NULL,
	 "failed to process \"${#V}\": unsupported modifier (V) in substitution", NULL},
	{"${0abc}", E_NAMES, 0, NULL,
	 "failed to process \"${0abc}\": unsupported modifier (a) in substitution", NULL},
	{"${a€}", E_NAMES, 0, NULL,
	 "failed to process \"${a€}\": unsupported modifier (€) in substitution", NULL},
	/* an empty name after ${ is looked up like any other */
	{"${+x}", E_NAMES, 0, "", "", ""},
	{"${-x}", E_NAMES, 0, NULL,
	 "failed to process \"${-x}\": unsupported modifier (x) in substitution", NULL},
};

static void test_names(void **state)
{
	(void)state;
	RUN(name_cases);
}

/* ---- ${V-w} ${V+w} ${V?w} and their ':' forms ------------------------------------------ */

static const char *const E_MOD[] = {"SET=val", "EMPTY=", "SP=a b", NULL};

static const tcase modifier_cases[] = {
	{"${SET-d} ${EMPTY-d} ${UNSET-d}", E_MOD, 0, "val  d", "val|d", "UNSET"},
	{"${SET:-d} ${EMPTY:-d} ${UNSET:-d}", E_MOD, 0, "val d d", "val|d|d", "UNSET"},
	{"${SET+a} ${EMPTY+a} ${UNSET+a}", E_MOD, 0, "a a ", "a|a", "UNSET"},
	{"${SET:+a} ${EMPTY:+a} ${UNSET:+a}", E_MOD, 0, "a  ", "a", "UNSET"},
	{"${SET?m} ${EMPTY?m}", E_MOD, 0, "val ", "val", ""},
	{"${SET:?m}", E_MOD, 0, "val", "val", ""},
	{"${UNSET?m}", E_MOD, 0, NULL, "failed to process \"${UNSET?m}\": UNSET: m", "UNSET"},
	{"${UNSET?}", E_MOD, 0, NULL,
	 "failed to process \"${UNSET?}\": UNSET: is not allowed to be unset", "UNSET"},
	{"${UNSET:?}", E_MOD, 0, NULL,
	 "failed to process \"${UNSET:?}\": UNSET: is not allowed to be unset", "UNSET"},
	{"${EMPTY:?}", E_MOD, 0, NULL,
	 "failed to process \"${EMPTY:?}\": EMPTY: is not allowed to be empty", ""},
	{"${EMPTY:?m $SET}", E_MOD, 0, NULL,
	 "failed to process \"${EMPTY:?m $SET}\": EMPTY: m val", ""},
	{"${SET:+${SET}x}", E_MOD, 0, "valx", "valx", ""},
	{"${UNSET:-a b}", E_MOD, 0, "a b", "a|b", NULL},
	{"${UNSET:-'}'}", E_MOD, 0, "}", "}", NULL},
	{"${UNSET:-\\}}", E_MOD, 0, "}", "}", NULL},
	{"${UNSET:-x}y}", E_MOD, 0, "xy}", "xy}", NULL},
	{"${UNSET:-$}", E_MOD, 0, "$", "$", NULL},
};

static void test_modifiers(void **state)
{
	(void)state;
	RUN(modifier_cases);
}

/* ---- skip_unset_env -------------------------------------------------------------------- */

static const char *const E_PWD[] = {"PWD=/home", NULL};

static const tcase skip_cases[] = {
	{"$FOO ${FOO} ${FOO:-x} ${FOO//a/b} $PWD", E_PWD, SKIP,
	 "$FOO ${FOO} ${FOO:-x} ${FOO/a/b} /home", "$FOO|${FOO}|${FOO:-x}|${FOO/a/b}|/home",
	 "FOO"},
	{"${FOO#x} ${FOO##x} ${FOO%x} ${FOO:?msg} ${FOO:x} ${FOO?}", E_PWD, SKIP,
	 "${FOO#x} ${FOO##x} ${FOO%x} ${FOO:?msg} ${FOO:x} ${FOO?}",
	 "${FOO#x}|${FOO##x}|${FOO%x}|${FOO:?msg}|${FOO:x}|${FOO?}", "FOO"},
	{"$1 $@ ${PWD:-x}", E_PWD, SKIP, "$1 $@ /home", "$1|$@|/home", "1|@"},
	{"${FOO:-$BAR}", E_PWD, SKIP, "${FOO:-$BAR}", "${FOO:-$BAR}", "BAR|FOO"},
	{"${PWD/h/H}", E_PWD, SKIP, "/Home", "/Home", ""},
	{"${FOO:#x}", E_PWD, SKIP, NULL,
	 "failed to process \"${FOO:#x}\": unsupported modifier (:#) in substitution", ""},
	{"${FOO=x}", E_PWD, SKIP, NULL,
	 "failed to process \"${FOO=x}\": unsupported modifier (=) in substitution", ""},
	/* the pattern is still checked for a set variable only */
	{"${FOO#\\x}", E_PWD, SKIP, "${FOO#\\x}", "${FOO#\\x}", "FOO"},
	{"'$FOO' \"$FOO\"", E_PWD, SKIP | RQ, "'$FOO' \"$FOO\"", "'$FOO'|\"$FOO\"", "FOO"},
};

static void test_skip_unset(void **state)
{
	(void)state;
	RUN(skip_cases);
}

/* ---- ${V#p} ${V##p} ${V%p} ${V%%p} ------------------------------------------------------ */

static const char *const E_PAT[] = {
	"V=ab\ncd", "U=👽🚀🖖", "BAD=\xff\xfeZ", "FOO=xxyy", "P=a.c", "Q=abc", "S=a*b",
	"BS=\\", "BSX=\\xy", "CB=}x}", NULL,
};

static const tcase trim_cases[] = {
	/* '*' and '?' are Go's '.', which does not match a newline */
	{"${V#*c}", E_PAT, 0, "ab\ncd", "ab|cd", ""},
	{"${V#*\n}", E_PAT, 0, "cd", "cd", ""},
	{"${V#??}", E_PAT, 0, "\ncd", "cd", ""},
	{"${V#???}", E_PAT, 0, "ab\ncd", "ab|cd", ""},
	{"${V%%*}", E_PAT, 0, "ab\n", "ab", ""},
	{"${V%*}", E_PAT, 0, "ab\ncd", "ab|cd", ""},
	{"${V##*}", E_PAT, 0, "\ncd", "cd", ""},
	{"${U%🖖}", E_PAT, 0, "👽🚀", "👽🚀", ""},
	{"${U#?}", E_PAT, 0, "🚀🖖", "🚀🖖", ""},
	{"${U%%?*}", E_PAT, 0, "", "", ""},
	{"${FOO%y*}", E_PAT, 0, "xxy", "xxy", ""},
	{"${FOO%%y*}", E_PAT, 0, "xx", "xx", ""},
	{"${FOO#x*}", E_PAT, 0, "xyy", "xyy", ""},
	{"${FOO##x*}", E_PAT, 0, "", "", ""},
	{"${FOO#X}", E_PAT, 0, "xxyy", "xxyy", ""},
	{"${FOO#**x}", E_PAT, 0, "xyy", "xyy", ""},
	{"${FOO###}", E_PAT, 0, "xxyy", "xxyy", ""},
	{"${FOO%%%}", E_PAT, 0, "xxyy", "xxyy", ""},
	{"${S#a\\*}", E_PAT, 0, "b", "b", ""},
	{"${S#a*}", E_PAT, 0, "*b", "*b", ""},
	{"${P#a?c}", E_PAT, 0, "", "", ""},
	{"${P#a.}", E_PAT, 0, "c", "c", ""},
	{"${Q#a.}", E_PAT, 0, "abc", "abc", ""},
	{"${CB#\\}x}", E_PAT, 0, "}", "}", ""},
	/* "\x" in double quotes keeps its backslash twice under raw escapes: \\x */
	{"${BSX#\"\\x\"}", E_PAT, 0, "y", "y", ""},
	/* invalid bytes: '?' takes one; '#' keeps the rest raw; '%' goes through []rune */
	{"${BAD#??}", E_PAT, 0, "Z", "Z", ""},
	{"${BAD#?}", E_PAT, 0, "\xfeZ", FFFD "Z", ""},
	{"${BAD%Z}", E_PAT, 0, FFFD FFFD, FFFD FFFD, ""},
	{"${BAD#" FFFD "}", E_PAT, 0, "\xfeZ", FFFD "Z", ""},
	/* text/scanner skips a BOM at the start of the pattern too */
	{"${FOO#\xEF\xBB\xBFx}", E_PAT, 0, "xyy", "xyy", ""},
	{"${FOO#\\x}", E_PAT, 0, NULL,
	 "failed to process \"${FOO#\\\\x}\": invalid pattern (\\x) in substitution: "
	 "invalid escape '\\x'", ""},
	/* '%' reverses the pattern first, and the message shows it reversed */
	{"${FOO%a\\x}", E_PAT, 0, NULL,
	 "failed to process \"${FOO%a\\\\x}\": invalid pattern (\\xa) in substitution: "
	 "invalid escape '\\x'", ""},
	{"${FOO#$BS}", E_PAT, 0, NULL,
	 "failed to process \"${FOO#$BS}\": invalid pattern (\\) in substitution: "
	 "invalid escape '\\" FFFD "'", ""},
	{"${NOPE#\\q}", E_PAT, 0, NULL,
	 "failed to process \"${NOPE#\\\\q}\": invalid pattern (\\q) in substitution: "
	 "invalid escape '\\q'", "NOPE"},
};

static void test_trim(void **state)
{
	(void)state;
	RUN(trim_cases);
}

/* ---- ${V/p/r} ${V//p/r} ----------------------------------------------------------------- */

static const char *const E_REP[] = {
	"V=abcabc", "H=héllo", "BAD=a\xff" "b", "E=", "P=a.c", "Q=abc a.c", "V2=ac/xb", NULL,
};

static const tcase replace_cases[] = {
	{"${V/b*/X}", E_REP, 0, "aX", "aX", ""},
	{"${V//b?/X}", E_REP, 0, "aXaX", "aXaX", ""},
	{"${V/b?/X}", E_REP, 0, "aXabc", "aXabc", ""},
	{"${H//?/X}", E_REP, 0, "XXXXX", "XXXXX", ""},
	/* Go's ReplaceAllString rules for empty matches */
	{"${V///-}", E_REP, 0, "-a-b-c-a-b-c-", "-a-b-c-a-b-c-", ""},
	{"${V//*/-}", E_REP, 0, "-", "-", ""},
	{"${V/*/-}", E_REP, 0, "-", "-", ""},
	{"${V//x*/-}", E_REP, 0, "abcabc", "abcabc", ""},
	{"${E//*/-}", E_REP, 0, "-", "-", ""},
	{"${E///-}", E_REP, 0, "-", "-", ""},
	{"${UNSET/*/-}", E_REP, 0, "-", "-", "UNSET"},
	/* ReplaceAllString expands $0 / ${0} (the match), $$ and other $names (empty) */
	{"${V//b/'[$0]'}", E_REP, 0, "a[b]ca[b]c", "a[b]ca[b]c", ""},
	{"${V//b/'$$'}", E_REP, 0, "a$ca$c", "a$ca$c", ""},
	{"${V//b/'<${0}$1$x>'}", E_REP, 0, "a<b>ca<b>c", "a<b>ca<b>c", ""},
	{"${V//b/'$-'}", E_REP, 0, "a$-ca$-c", "a$-ca$-c", ""},
	{"${V//b/'${0'}", E_REP, 0, "a${0ca${0c", "a${0ca${0c", ""},
	{"${V//b/'$00'}", E_REP, 0, "acac", "acac", ""},
	{"${V//b/\\$0}", E_REP, 0, "a\\bca\\bc", "a\\bca\\bc", ""},
	{"${V/b/'$0'}", E_REP, 0, "a$0cabc", "a$0cabc", ""},
	{"${V/b/\\$0}", E_REP, 0, "a\\$0cabc", "a\\$0cabc", ""},
	{"${V/b/\\}}", E_REP, 0, "a\\}cabc", "a\\}cabc", ""},
	{"${Q/$P/r}", E_REP, 0, "abc r", "abc|r", ""},
	{"${V2/c\\/x/Y}", E_REP, 0, "aYb", "aYb", ""},
	{"${BAD/?/X}", E_REP, 0, "X\xff" "b", "X" FFFD "b", ""},
	{"${BAD//?/X}", E_REP, 0, "XXX", "XXX", ""},
	{"${BAD/b/X}", E_REP, 0, "a\xffX", "a" FFFD "X", ""},
	{"${V/a}", E_REP, 0, NULL,
	 "failed to process \"${V/a}\": syntax error: missing '/' in ${}", NULL},
	{"${V/a/b", E_REP, 0, NULL, "failed to process \"${V/a/b\": " MISS, NULL},
	{"${V/\\q/r}", E_REP, 0, NULL,
	 "failed to process \"${V/\\\\q/r}\": invalid pattern (\\q) in substitution: "
	 "invalid escape '\\q'", ""},
	{"${UNSET//a/b}", E_REP, SKIP, "${UNSET/a/b}", "${UNSET/a/b}", "UNSET"},
};

static void test_replace(void **state)
{
	(void)state;
	RUN(replace_cases);
}

/* ---- remaining errors ------------------------------------------------------------------ */

static const tcase error_cases[] = {
	{"${", E_NONE, 0, NULL, "failed to process \"${\": " MISS, NULL},
	{"${{", E_NONE, 0, NULL, "failed to process \"${{\": " BAD, NULL},
	{"${a:", E_NONE, 0, NULL, "failed to process \"${a:\": " MISS, NULL},
	/* the '}' after ':' is taken as the modifier, so the word runs on */
	{"${a:}", E_NONE, 0, NULL, "failed to process \"${a:}\": " MISS, NULL},
	{"${a:}b}", E_NONE, 0, NULL,
	 "failed to process \"${a:}b}\": unsupported modifier (:}) in substitution", NULL},
	{"${a:#x}", E_NONE, 0, NULL,
	 "failed to process \"${a:#x}\": unsupported modifier (:#) in substitution", NULL},
	{"${a:%x}", E_NONE, 0, NULL,
	 "failed to process \"${a:%x}\": unsupported modifier (:%) in substitution", NULL},
	{"${a:/x/y}", E_NONE, 0, NULL,
	 "failed to process \"${a:/x/y}\": unsupported modifier (:/) in substitution", NULL},
	/* any error while the input is used up becomes "missing '}'" */
	{"${a:-'x}", E_NONE, 0, NULL, "failed to process \"${a:-'x}\": " MISS, NULL},
	{"${a:-\\", E_NONE, 0, NULL, "failed to process \"${a:-\\\\\": " MISS, NULL},
	{"\"${a:-x", E_NONE, 0, NULL, "failed to process \"\\\"${a:-x\": " MISS, NULL},
	{"${b:-${a?oops}", E_NONE, 0, NULL, "failed to process \"${b:-${a?oops}\": " MISS, "a"},
	{"${b:-${a?oops}}", E_NONE, 0, NULL, "failed to process \"${b:-${a?oops}}\": a: oops",
	 "a"},
	{"${a#x", E_NONE, 0, NULL, "failed to process \"${a#x\": " MISS, NULL},
	{"'${a:-x", E_NONE, 0, NULL, "failed to process \"'${a:-x\": " SQ, ""},
	/* the source is quoted as Go's %q does */
	{"'\n\t", E_NONE, 0, NULL, "failed to process \"'\\n\\t\": " SQ, NULL},
	{"\"\xff", E_NONE, 0, NULL, "failed to process \"\\\"\\xff\": " DQ, NULL},
	{"\"\xE2\x80\x8B", E_NONE, 0, NULL, "failed to process \"\\\"\\u200b\": " DQ, NULL},
	/* unmatched names are kept when an error follows, as Go's result does */
	{"$X${Y?}", E_NONE, 0, NULL, "failed to process \"$X${Y?}\": Y: is not allowed to be unset",
	 "X|Y"},
};

static void test_errors(void **state)
{
	(void)state;
	RUN(error_cases);
}

static const tcase unmatched_cases[] = {
	{"$B ${A:-$C} $B $A", E_NONE, 0, "   ", "", "B|C|A"},
	{"$PWD $B", E_PWD, 0, "/home ", "/home", "B"},
	{"${A:+$B}", E_NONE, 0, "", "", "B|A"},
	{"'$A' \"$B\"", E_NONE, 0, "$A ", "$A", "B"},
};

static void test_unmatched(void **state)
{
	(void)state;
	RUN(unmatched_cases);
}

/* ---- bytes: NUL, invalid UTF-8, BOM ----------------------------------------------------- */

static void process_bytes(const char *s, size_t n, int flags, const char *const *env,
			  shlex_result *r)
{
	shlex_opts o = opts_for(flags);
	shlex_process(s, n, &o, env_get, (void *)env, r);
}

static void test_bytes(void **state)
{
	(void)state;
	shlex_result r;

	/* NUL is an ordinary character */
	process_bytes("a\0b c", 5, 0, E_NONE, &r);
	assert_null(r.error);
	assert_int_equal(r.word_len, 5);
	assert_memory_equal(r.word, "a\0b c", 5);
	assert_int_equal(r.nwords, 2);
	assert_int_equal(r.word_lens[0], 3);
	assert_memory_equal(r.words[0], "a\0b", 3);
	assert_string_equal(r.words[1], "c");
	shlex_result_free(&r);

	process_bytes("'\0'\"\0\"", 6, 0, E_NONE, &r);
	assert_null(r.error);
	assert_int_equal(r.word_len, 2);
	assert_memory_equal(r.word, "\0\0", 2);
	shlex_result_free(&r);

	/* invalid bytes in the input become U+FFFD, in quotes too */
	process_bytes("a\xff" "b '\xc3'", 7, 0, E_NONE, &r);
	assert_null(r.error);
	assert_string_equal(r.word, "a" FFFD "b " FFFD);
	assert_int_equal(r.nwords, 2);
	assert_string_equal(r.words[0], "a" FFFD "b");
	assert_string_equal(r.words[1], FFFD);
	shlex_result_free(&r);

	/* a truncated sequence at the end */
	process_bytes("x\xe2\x82", 3, 0, E_NONE, &r);
	assert_string_equal(r.word, "x" FFFD FFFD);
	shlex_result_free(&r);

	/* one leading BOM is skipped; others are kept */
	process_bytes("\xEF\xBB\xBF" "abc", 6, 0, E_NONE, &r);
	assert_string_equal(r.word, "abc");
	shlex_result_free(&r);
	process_bytes("\xEF\xBB\xBF\xEF\xBB\xBF" "a", 7, 0, E_NONE, &r);
	assert_string_equal(r.word, "\xEF\xBB\xBF" "a");
	shlex_result_free(&r);
	process_bytes("a\xEF\xBB\xBF", 4, 0, E_NONE, &r);
	assert_string_equal(r.word, "a\xEF\xBB\xBF");
	shlex_result_free(&r);

	/* invalid bytes in a value stay raw in the word, U+FFFD in the words */
	static const char *const env[] = {"V=a\xff" "b", NULL};
	process_bytes("$V", 2, 0, env, &r);
	assert_string_equal(r.word, "a\xff" "b");
	assert_string_equal(r.words[0], "a" FFFD "b");
	shlex_result_free(&r);

	/* a NUL inside an error message survives through error_len */
	process_bytes("${a\0}", 5, 0, E_NONE, &r);
	static const char want[] =
		"failed to process \"${a\\x00}\": unsupported modifier (\0) in substitution";
	assert_non_null(r.error);
	assert_int_equal(r.error_len, sizeof want - 1);
	assert_memory_equal(r.error, want, sizeof want - 1);
	shlex_result_free(&r);

	/* every byte value on its own, and after '$', '${', '${a' and '${a#' */
	static const char *const pre[] = {"", "$", "${", "${a", "${a#", "\"", "${a/"};
	for (size_t p = 0; p < sizeof pre / sizeof pre[0]; p++) {
		for (int c = 0; c < 256; c++) {
			char in[8];
			size_t n = strlen(pre[p]);
			memcpy(in, pre[p], n);
			in[n++] = (char)c;
			process_bytes(in, n, 0, E_NONE, &r);
			assert_true(r.error != NULL || r.word != NULL);
			shlex_result_free(&r);
		}
	}
}

/* ---- NULL callback, NULL opts, empty input --------------------------------------------- */

static void test_defaults(void **state)
{
	(void)state;
	shlex_result r;

	assert_int_equal(shlex_process("$A${B:-x} \\y", 12, NULL, NULL, NULL, &r), 0);
	assert_string_equal(r.word, "x y");
	assert_int_equal(r.nwords, 2);
	assert_int_equal(r.nunmatched, 2);
	assert_string_equal(r.unmatched[0], "A");
	assert_string_equal(r.unmatched[1], "B");
	shlex_result_free(&r);

	assert_int_equal(shlex_process("", 0, NULL, NULL, NULL, &r), 0);
	assert_string_equal(r.word, "");
	assert_int_equal(r.word_len, 0);
	assert_int_equal(r.nwords, 0);
	shlex_result_free(&r);

	assert_int_equal(shlex_process(NULL, 0, NULL, NULL, NULL, &r), 0);
	assert_string_equal(r.word, "");
	shlex_result_free(&r);

	/* freeing twice (or a zeroed result) is harmless */
	shlex_result_free(&r);
}

/* ---- nesting limit ---------------------------------------------------------------------- */

static char *nested(int levels, const char *open, const char *close, size_t *len)
{
	buf b = BUF_INIT;
	for (int i = 0; i < levels; i++)
		buf_adds(&b, open);
	buf_addc(&b, 'x');
	for (int i = 0; i < levels; i++)
		buf_adds(&b, close);
	return buf_detach(&b, len);
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static void test_depth(void **state)
{
	(void)state;
	shlex_result r;
	size_t n;
	char *s;

	s = nested(SHLEX_MAX_DEPTH, "${a:-", "}", &n);
	assert_int_equal(shlex_process(s, n, NULL, NULL, NULL, &r), 0);
	assert_string_equal(r.word, "x");
	assert_int_equal(r.nunmatched, 1);
	shlex_result_free(&r);
	free(s);

	s = nested(SHLEX_MAX_DEPTH + 1, "${a:-", "}", &n);
	assert_int_equal(shlex_process(s, n, NULL, NULL, NULL, &r), -1);
	assert_true(ends_with(r.error, r.error_len,
			      "\": syntax error: substitution nested too deeply"));
	shlex_result_free(&r);
	free(s);

	/* through double quotes, and far deeper than the stack would allow */
	s = nested(200000, "\"${a:-", "}\"", &n);
	assert_int_equal(shlex_process(s, n, NULL, NULL, NULL, &r), -1);
	assert_true(ends_with(r.error, r.error_len,
			      "\": syntax error: substitution nested too deeply"));
	shlex_result_free(&r);
	free(s);

	/* deep but unterminated: Go would report the missing brace, and so do we */
	s = nested(200000, "${a:-", "", &n);
	assert_int_equal(shlex_process(s, n, NULL, NULL, NULL, &r), -1);
	assert_true(ends_with(r.error, r.error_len, "\": syntax error: substitution nested too deeply") ||
		    ends_with(r.error, r.error_len, "\": " MISS));
	shlex_result_free(&r);
	free(s);
}

/* ---- size: everything is linear in the input ------------------------------------------- */

#define MB (1u << 20)

static double seconds_since(clock_t t0)
{
	return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

static void test_large(void **state)
{
	(void)state;
	shlex_result r;
	clock_t t0 = clock();
	char *s = malloc(MB + 16);
	assert_non_null(s);

	/* 1 MB of short words */
	for (size_t i = 0; i < MB; i++)
		s[i] = (i % 4 == 3) ? ' ' : "abc"[i % 4];
	assert_int_equal(shlex_process(s, MB, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.word_len, MB);
	assert_memory_equal(r.word, s, MB);
	assert_int_equal(r.nwords, MB / 4);
	assert_string_equal(r.words[MB / 4 - 1], "abc");
	shlex_result_free(&r);

	/* 1 MB in double quotes inside a ${...} word */
	memcpy(s, "${a:-\"", 6);
	memset(s + 6, 'q', MB);
	memcpy(s + 6 + MB, "\"}", 2);
	assert_int_equal(shlex_process(s, MB + 8, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.word_len, MB);
	assert_int_equal(r.nwords, 1);
	shlex_result_free(&r);

	/* 1 MB value through the pattern operators */
	memset(s, 'a', MB);
	s[MB] = '\0';
	buf e = BUF_INIT;
	buf_adds(&e, "V=");
	buf_add(&e, s, MB);
	const char *const env[] = {buf_str(&e), NULL};
	static const struct {
		const char *in;
		size_t len;
		char first, last;
	} ops[] = {
		{"${V//a/b}", MB, 'b', 'b'},
		{"${V/a/b}", MB, 'b', 'a'},
		{"${V#*a}", MB - 1, 'a', 'a'},
		{"${V##*a}", 0, 0, 0},
		{"${V%a*}", MB - 1, 'a', 'a'},
		{"${V%%a*}", 0, 0, 0},
		{"${V//?/}", 0, 0, 0},
		{"${V//*b/}", MB, 'a', 'a'},
		{"${V/*b/}", MB, 'a', 'a'},
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		process_bytes(ops[i].in, strlen(ops[i].in), 0, env, &r);
		assert_null(r.error);
		assert_int_equal(r.word_len, ops[i].len);
		if (ops[i].len) {
			assert_int_equal(r.word[0], ops[i].first);
			assert_int_equal(r.word[ops[i].len - 1], ops[i].last);
		}
		shlex_result_free(&r);
	}
	buf_free(&e);

	/* a 64 KB literal pattern against a 1 MB value that nearly matches everywhere */
	buf pv = BUF_INIT;
	buf_adds(&pv, "V=");
	buf_add(&pv, s, MB);
	buf pp = BUF_INIT;
	buf_adds(&pp, "P=");
	for (int i = 0; i < 65536; i++)
		buf_addc(&pp, 'a');
	buf_addc(&pp, 'b');
	const char *const env2[] = {buf_str(&pv), buf_str(&pp), NULL};
	static const char *const big[] = {"${V//$P/x}", "${V/$P/x}", "${V#$P}", "${V%$P}"};
	for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
		process_bytes(big[i], strlen(big[i]), 0, env2, &r);
		assert_null(r.error);
		assert_int_equal(r.word_len, MB);
		shlex_result_free(&r);
	}
	/* and one that does match, at the very end */
	pv.p[pv.len - 1] = 'b';
	process_bytes("${V/$P/x}", 9, 0, env2, &r);
	assert_int_equal(r.word_len, MB - 65537 + 1);
	assert_int_equal(r.word[r.word_len - 1], 'x');
	shlex_result_free(&r);
	buf_free(&pv);
	buf_free(&pp);

	/* many distinct unset names: the unmatched set must not be quadratic */
	buf b = BUF_INIT;
	for (int i = 0; i < 100000; i++)
		buf_printf(&b, "$v%d $v%d ", i, i / 2);
	assert_int_equal(shlex_process(b.p, b.len, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.nunmatched, 100000);
	assert_string_equal(r.unmatched[0], "v0");
	assert_string_equal(r.unmatched[99999], "v99999");
	shlex_result_free(&r);
	buf_free(&b);

	/* many ${...} at the top level */
	b = (buf)BUF_INIT;
	for (int i = 0; i < 100000; i++)
		buf_adds(&b, "${a:-x} ");
	assert_int_equal(shlex_process(b.p, b.len, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.nwords, 100000);
	shlex_result_free(&r);
	buf_free(&b);

	free(s);
	/* Quadratic work on these sizes would take hours; this is a loose bound. */
	assert_true(seconds_since(t0) < 60.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envvar_upstream),
		cmocka_unit_test(test_words_upstream),
		cmocka_unit_test(test_matches_upstream),
		cmocka_unit_test(test_quotes_escapes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_modifiers),
		cmocka_unit_test(test_skip_unset),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_unmatched),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
