/* test_yaml.c - the YAML reader: exact positions, scalar styles, documents, anchors and
 * aliases, merge keys, tags, every error with its position, CRLF, the helpers, and that
 * big or hostile inputs take linear (or n log n) time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/buf.h"
#include "yaml/yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* --- helpers ------------------------------------------------------------------------- */

static void load_ok(yaml_stream *y, const char *text)
{
	int rc = yaml_load(y, "t.yml", text, strlen(text));
	if (rc != 0)
		fail_msg("unexpected error %d:%d: %s", y->err_line, y->err_col, y->err);
}

/* Load text that must fail with exactly this message at line:col. */
static void load_err_n(const char *text, size_t n, int line, int col, const char *msg)
{
	yaml_stream y;
	assert_int_equal(yaml_load(&y, "t.yml", text, n), -1);
	assert_string_equal(y.err, msg);
	assert_int_equal(y.err_line, line);
	assert_int_equal(y.err_col, col);
	assert_int_equal(y.ndocs, 0);
	yaml_free(&y);
}

static void load_err(const char *text, int line, int col, const char *msg)
{
	load_err_n(text, strlen(text), line, col, msg);
}

static void at(const yaml_node *n, int line, int col, int end_line, int end_col)
{
	assert_non_null(n);
	assert_int_equal(n->line, line);
	assert_int_equal(n->col, col);
	assert_int_equal(n->end_line, end_line);
	assert_int_equal(n->end_col, end_col);
}

static const yaml_node *get(const yaml_node *m, const char *key)
{
	const yaml_node *v = yaml_get(m, key);
	if (!v)
		fail_msg("no key '%s'", key);
	return v;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- positions and scalars ------------------------------------------------------------ */

static void test_positions(void **state)
{
	(void)state;
	yaml_stream y;
	load_ok(&y, "name: web\n"
		    "ports:\n"
		    "  - \"80:80\"\n"
		    "  - 443\n"
		    "env: {A: '1', B: x}\n"
		    "cmd: [sh, -c]\n");
	assert_int_equal(y.ndocs, 1);
	const yaml_node *r = y.docs[0];
	assert_int_equal(r->kind, Y_MAP);
	at(r, 1, 1, 6, 14);
	assert_string_equal(r->file, "t.yml");
	assert_int_equal(r->npairs, 4);
	at(r->pairs[0].key, 1, 1, 1, 5);
	at(get(r, "name"), 1, 7, 1, 10);
	const yaml_node *ports = get(r, "ports");
	assert_int_equal(ports->kind, Y_SEQ);
	at(ports, 3, 3, 4, 8);
	assert_int_equal(ports->nitems, 2);
	at(ports->items[0], 3, 5, 3, 12); /* from the opening quote to after the closing one */
	assert_string_equal(ports->items[0]->s, "80:80");
	at(ports->items[1], 4, 5, 4, 8);
	const yaml_node *env = get(r, "env");
	at(env, 5, 6, 5, 20);
	at(get(env, "A"), 5, 10, 5, 13);
	at(get(env, "B"), 5, 18, 5, 19);
	const yaml_node *cmd = get(r, "cmd");
	at(cmd, 6, 6, 6, 14);
	at(cmd->items[1], 6, 11, 6, 13);
	yaml_free(&y);
}

static void test_scalar_styles(void **state)
{
	(void)state;
	yaml_stream y;
	load_ok(&y, "plain: yes\n"
		    "single: 'yes'\n"
		    "double: \"a\\tb\"\n"
		    "literal: |\n"
		    "  one\n"
		    "  two\n"
		    "folded: >-\n"
		    "  x\n"
		    "  y\n"
		    "empty:\n"
		    "tilde: ~\n"
		    "null: nothing\n"
		    "Null2: NULL\n"
		    "qnull: 'null'\n"
		    "qempty: \"\"\n"
		    "strnull: !!str\n"
		    "multi: a\n"
		    "  b\n");
	const yaml_node *r = y.docs[0];
	const yaml_node *n = get(r, "plain");
	assert_int_equal(n->kind, Y_SCALAR);
	assert_false(n->quoted);
	assert_int_equal(yaml_bool(n), 1);
	n = get(r, "single");
	assert_true(n->quoted);
	assert_string_equal(n->s, "yes");
	assert_int_equal(yaml_bool(n), -1);
	at(n, 2, 9, 2, 14);
	n = get(r, "double");
	assert_true(n->quoted);
	assert_string_equal(n->s, "a\tb");
	assert_int_equal(n->len, 3);
	at(n, 3, 9, 3, 15);
	n = get(r, "literal");
	assert_true(n->quoted); /* block scalars are strings */
	assert_string_equal(n->s, "one\ntwo\n");
	at(n, 4, 10, 6, 6); /* from the '|' to the last content character */
	n = get(r, "folded");
	assert_true(n->quoted);
	assert_string_equal(n->s, "x y");
	at(n, 7, 9, 9, 4);
	n = get(r, "empty");
	assert_true(yaml_is_null(n));
	assert_string_equal(n->s, "");
	at(n, 10, 6, 10, 6); /* no text: at the ':' that precedes it */
	assert_true(yaml_is_null(get(r, "tilde")));
	/* a key written null is a null key, not the string "null" */
	assert_int_equal(r->pairs[7].key->kind, Y_NULL);
	assert_string_equal(r->pairs[7].value->s, "nothing");
	assert_true(yaml_is_null(get(r, "Null2")));
	n = get(r, "qnull");
	assert_int_equal(n->kind, Y_SCALAR);
	assert_string_equal(n->s, "null");
	n = get(r, "qempty");
	assert_int_equal(n->kind, Y_SCALAR);
	assert_int_equal(n->len, 0);
	n = get(r, "strnull");
	assert_int_equal(n->kind, Y_SCALAR);
	assert_string_equal(n->tag, "!!str");
	at(n, 16, 10, 16, 10);
	n = get(r, "multi");
	assert_string_equal(n->s, "a b");
	at(n, 17, 8, 18, 4);
	assert_false(yaml_is_null(NULL));
	yaml_free(&y);

	/* single quotes are decoded by us (libfyaml 0.7 leaks on a long run of ''): folding,
	 * blank lines, CRLF, and the run itself, which LeakSanitizer checks at exit */
	load_ok(&y, "a: 'it''s  \n   folded\n\n\n  twice'\n"
		    "b: 'x\r\n  y'\n"
		    "c: ''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''\n");
	assert_string_equal(get(y.docs[0], "a")->s, "it's folded\n\ntwice");
	assert_string_equal(get(y.docs[0], "b")->s, "x y");
	assert_int_equal(get(y.docs[0], "c")->len, 41);
	at(get(y.docs[0], "c"), 8, 4, 8, 88);
	yaml_free(&y);
}

static void test_helpers(void **state)
{
	(void)state;
	yaml_stream y;
	load_ok(&y, "t: [true, False, YES, no, On, OFF, y, N, 'true', maybe, !!str true]\n"
		    "i: [42, -7, +3, 0x1F, 0o17, -0x10, 9223372036854775807, -9223372036854775808,\n"
		    "    9223372036854775808, '5', 1.5, 0x, 08o, 0o8, abc, 1_000]\n");
	const yaml_node *t = get(y.docs[0], "t");
	const int want[] = {1, 0, 1, 0, 1, 0, 1, 0, -1, -1, -1};
	assert_int_equal(t->nitems, 11);
	for (size_t i = 0; i < t->nitems; i++)
		assert_int_equal(yaml_bool(t->items[i]), want[i]);
	assert_int_equal(yaml_bool(NULL), -1);

	const yaml_node *in = get(y.docs[0], "i");
	const long long ok[] = {42, -7, 3, 31, 15, -16, 9223372036854775807LL,
				-9223372036854775807LL - 1};
	long long v = 0;
	for (size_t i = 0; i < 8; i++) {
		assert_true(yaml_int(in->items[i], &v));
		assert_true(v == ok[i]);
	}
	for (size_t i = 8; i < in->nitems; i++)
		assert_false(yaml_int(in->items[i], &v));
	assert_false(yaml_int(NULL, &v));

	assert_null(yaml_get(in, "x"));    /* not a map */
	assert_null(yaml_get(y.docs[0], "missing"));
	assert_null(yaml_get(NULL, "t"));
	yaml_free(&y);
}

/* --- documents --------------------------------------------------------------------------- */

static void test_multi_doc(void **state)
{
	(void)state;
	yaml_stream y;
	/* empty documents (only separators or comments) are skipped, as kubectl does */
	load_ok(&y, "# header\n"
		    "---\n"
		    "---\n"
		    "# just a comment\n"
		    "---\n"
		    "kind: A\n"
		    "---\n"
		    "- 1\n"
		    "...\n"
		    "---\n"
		    "!reset\n"
		    "---\n"
		    "plain\n");
	assert_int_equal(y.ndocs, 4);
	assert_string_equal(get(y.docs[0], "kind")->s, "A");
	at(y.docs[0], 6, 1, 6, 8);
	assert_int_equal(y.docs[1]->kind, Y_SEQ);
	at(y.docs[1], 8, 1, 8, 4);
	assert_int_equal(y.docs[2]->kind, Y_NULL); /* tagged: kept */
	assert_string_equal(y.docs[2]->tag, "!reset");
	assert_string_equal(y.docs[3]->s, "plain");
	yaml_free(&y);

	load_ok(&y, "");
	assert_int_equal(y.ndocs, 0);
	yaml_free(&y);
	load_ok(&y, "# nothing\n\n");
	assert_int_equal(y.ndocs, 0);
	yaml_free(&y);

	/* anchors do not cross documents */
	load_err("a: &x 1\n---\nb: *x\n", 3, 4, "alias '*x' names no anchor before it");
}

/* --- anchors, aliases, merges, tags ------------------------------------------------------ */

static void test_aliases(void **state)
{
	(void)state;
	yaml_stream y;
	load_ok(&y, "base: &b\n"
		    "  image: nginx\n"
		    "  ports: [80]\n"
		    "copy: *b\n"
		    "s: &s hello\n"
		    "t: *s\n"
		    "over: &s bye\n"
		    "u: *s\n");
	const yaml_node *r = y.docs[0];
	const yaml_node *base = get(r, "base"), *copy = get(r, "copy");
	assert_false(base->from_alias);
	assert_true(copy != base);
	assert_int_equal(copy->kind, Y_MAP);
	assert_true(copy->from_alias);
	at(copy, 2, 3, 3, 14); /* the copy keeps the positions of what it copies */
	const yaml_node *ports = get(copy, "ports");
	assert_true(ports->from_alias);
	assert_true(ports != get(base, "ports"));
	assert_true(ports->items[0]->from_alias);
	at(ports->items[0], 3, 11, 3, 13);
	assert_string_equal(get(copy, "image")->s, "nginx");
	assert_false(get(base, "image")->from_alias);
	assert_string_equal(get(r, "t")->s, "hello");
	assert_true(get(r, "t")->from_alias);
	assert_string_equal(get(r, "u")->s, "bye"); /* the latest definition wins */
	yaml_free(&y);

	load_err("a: *nope\n", 1, 4, "alias '*nope' names no anchor before it");
	load_err("a: &x [1, *x]\n", 1, 11, "alias '*x' is inside its own anchor (a cycle)");
}

static void test_merge_keys(void **state)
{
	(void)state;
	yaml_stream y;
	load_ok(&y, "x-base: &base\n"
		    "  image: app\n"
		    "  restart: always\n"
		    "x-logs: &logs\n"
		    "  restart: no\n"
		    "  logging: json\n"
		    "single:\n"
		    "  <<: *base\n"
		    "  image: mine\n"
		    "list:\n"
		    "  restart: explicit\n"
		    "  <<: [*logs, *base]\n"
		    "inline:\n"
		    "  <<: {a: 1}\n"
		    "  b: 2\n"
		    "x-nested: &nested\n"
		    "  <<: *base\n"
		    "  user: app\n"
		    "nested:\n"
		    "  <<: *nested\n");
	const yaml_node *r = y.docs[0];

	/* explicit keys win, whether they come before or after the merge */
	const yaml_node *s = get(r, "single");
	assert_int_equal(s->npairs, 2);
	assert_string_equal(get(s, "image")->s, "mine");
	assert_false(get(s, "image")->from_alias);
	assert_string_equal(get(s, "restart")->s, "always");
	assert_true(get(s, "restart")->from_alias);
	at(get(s, "restart"), 3, 12, 3, 18);
	assert_null(yaml_get(s, "<<"));
	/* merged pairs take the place of the '<<' pair; the merged image was overridden */
	assert_string_equal(s->pairs[0].key->s, "restart");
	assert_string_equal(s->pairs[1].key->s, "image");
	assert_string_equal(s->pairs[1].value->s, "mine");

	/* in a list the earlier mapping wins */
	const yaml_node *l = get(r, "list");
	assert_int_equal(l->npairs, 3);
	assert_string_equal(get(l, "restart")->s, "explicit");
	assert_string_equal(get(l, "logging")->s, "json");
	assert_string_equal(get(l, "image")->s, "app");

	const yaml_node *in = get(r, "inline");
	assert_int_equal(in->npairs, 2);
	assert_string_equal(get(in, "a")->s, "1");

	/* a merged mapping that itself merged */
	const yaml_node *n = get(r, "nested");
	assert_int_equal(n->npairs, 3);
	assert_string_equal(get(n, "image")->s, "app");
	assert_string_equal(get(n, "restart")->s, "always");
	assert_string_equal(get(n, "user")->s, "app");
	assert_true(get(n, "user")->from_alias);
	yaml_free(&y);

	/* a quoted "<<" is an ordinary key */
	load_ok(&y, "\"<<\": {a: 1}\n");
	assert_non_null(yaml_get(y.docs[0], "<<"));
	yaml_free(&y);

	load_err("a:\n  <<: 5\n", 2, 7, "merge key '<<' needs a mapping or a list of mappings");
	load_err("a:\n  <<: [{b: 1}, [2]]\n", 2, 16,
		 "merge key '<<' needs a mapping or a list of mappings");
	load_err("a:\n  <<: {b: 1}\n  <<: {c: 1}\n", 3, 3, "duplicate key '<<' (first on line 2)");
}

static void test_tags(void **state)
{
	(void)state;
	yaml_stream y;
	load_ok(&y, "ports: !reset []\n"
		    "env: !override\n"
		    "  A: 1\n"
		    "n: !!str 5\n"
		    "c: !custom:thing {x: 1}\n"
		    "v: !<tag:example.com,2024:v> 1\n"
		    "r: !reset null\n"
		    "plain: 1\n");
	const yaml_node *r = y.docs[0];
	const yaml_node *p = get(r, "ports");
	assert_string_equal(p->tag, "!reset");
	assert_int_equal(p->kind, Y_SEQ);
	at(p, 1, 15, 1, 17); /* the node is its content, after the tag */
	assert_string_equal(get(r, "env")->tag, "!override");
	at(get(r, "env"), 3, 3, 3, 7);
	const yaml_node *n = get(r, "n");
	assert_string_equal(n->tag, "!!str");
	long long v;
	assert_false(yaml_int(n, &v)); /* !!str is a string */
	assert_string_equal(get(r, "c")->tag, "!custom:thing");
	assert_string_equal(get(r, "v")->tag, "!<tag:example.com,2024:v>");
	const yaml_node *reset = get(r, "r");
	assert_string_equal(reset->tag, "!reset");
	assert_true(yaml_is_null(reset));
	assert_null(get(r, "plain")->tag);
	yaml_free(&y);
}

/* --- errors ------------------------------------------------------------------------------ */

static void test_duplicate_keys(void **state)
{
	(void)state;
	load_err("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first on line 1)");
	/* the first duplicate in document order is the one reported */
	load_err("x:\n  b: 1\n  a: 1\n  a: 2\n  b: 2\n", 4, 3, "duplicate key 'a' (first on line 3)");
	load_err("{a: 1, 'a': 2}\n", 1, 8, "duplicate key 'a' (first on line 1)");
	/* null keys are the same key however they are written */
	load_err("~: 1\nnull: 2\n", 2, 1, "duplicate key '' (first on line 1)");
	/* keys are shown safely */
	load_err("\"a\\nb\": 1\n\"a\\nb\": 2\n", 2, 1, "duplicate key 'a?b' (first on line 1)");
	/* an alias copy can duplicate too; it keeps the position of what it copies */
	load_err("k: &k a\n*k : 1\na: 2\n", 3, 1, "duplicate key 'a' (first on line 1)");
}

static void test_depth(void **state)
{
	(void)state;
	char flow[300];
	memset(flow, '[', 128);
	memset(flow + 128, ']', 128);
	flow[256] = '\0';
	yaml_stream y;
	load_ok(&y, flow); /* 128 levels are fine */
	yaml_free(&y);
	memset(flow, '[', 129);
	memset(flow + 129, ']', 129);
	flow[258] = '\0';
	load_err(flow, 1, 129, "nesting deeper than 128 levels");

	buf b = BUF_INIT;
	for (int i = 0; i < 130; i++)
		buf_printf(&b, "%*sk:\n", 2 * i, "");
	load_err(buf_str(&b), 129, 257, "nesting deeper than 128 levels");
	buf_free(&b);

	/* aliases cannot nest deeper than the limit either */
	buf_reset(&b);
	buf_adds(&b, "a: &a ");
	for (int i = 0; i < 100; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 100; i++)
		buf_addc(&b, ']');
	buf_adds(&b, "\nb: ");
	for (int i = 0; i < 40; i++)
		buf_addc(&b, '[');
	buf_adds(&b, "*a");
	for (int i = 0; i < 40; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '\n');
	load_err(buf_str(&b), 2, 44, "nesting deeper than 128 levels (through this alias)");
	buf_free(&b);
}

static void test_billion_laughs(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_adds(&b, "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (char c = 'b'; c <= 'i'; c++)
		buf_printf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c,
			   c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	/* copies: b 90, c 819, d 7380, e 66429 (74718 in all); the first *e in f would add
	 * 66430 more */
	double t0 = now();
	load_err(buf_str(&b), 6, 8, "alias expansion exceeds 100000 nodes (billion laughs?)");
	assert_true(now() - t0 < 5.0);
	buf_free(&b);

	/* merges are charged as well */
	buf_reset(&b);
	buf_adds(&b, "a: &a {");
	for (int i = 0; i < 30000; i++) /* 60001 nodes: one copy fits, two do not */
		buf_printf(&b, "%sk%d: 1", i ? ", " : "", i);
	buf_adds(&b, "}\nb:\n  <<: *a\nc:\n  <<: *a\n");
	load_err(buf_str(&b), 5, 7, "alias expansion exceeds 100000 nodes (billion laughs?)");
	buf_free(&b);
}

static void test_text_errors(void **state)
{
	(void)state;
	load_err("a: 1\nb: x\xff y\n", 2, 5, "invalid UTF-8 (the file is not UTF-8 text)");
	load_err_n("a: 1\nb: 2\0\n", 11, 2, 5, "NUL byte (binary file, not a text file)");
	/* valid multi-byte text is fine, and columns count bytes */
	yaml_stream y;
	load_ok(&y, "\xc3\xa9t\xc3\xa9: [\"\xe2\x82\xac\", x]\n");
	at(get(y.docs[0], "\xc3\xa9t\xc3\xa9"), 1, 8, 1, 18);
	at(get(y.docs[0], "\xc3\xa9t\xc3\xa9")->items[1], 1, 16, 1, 17);
	yaml_free(&y);

	size_t big = YAML_MAX_FILE + 1;
	char *text = malloc(big);
	memset(text, ' ', big);
	load_err_n(text, big, 0, 0, "file too large (16777217 bytes; the limit is 16777216)");
	free(text);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	/* libfyaml must not print: send stderr to a file while it fails */
	char path[] = "/tmp/plimsoll-yaml-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);

	load_err("a: [1, 2\n", 2, 1, "flow sequence without a closing bracket");
	load_err("a: 1\n  b: 2\n", 1, 4, "invalid multiline plain key");
	/* the column counts bytes, not characters as libfyaml does */
	load_err("a:\n  - \"ab\xc3\xa9\" x\n", 2, 12,
		 "invalid trailing content after double-quoted scalar");
	/* libfyaml marks where the quoted text starts; its escapes exactly */
	load_err("a: \"x\\q\"\n", 1, 6, "invalid escape 'q' in double-quoted string");
	load_err("a: 'open\n", 1, 5, "single-quoted scalar without closing quote");

	/* libfyaml 0.7 crashes after this one (a tab in a block explicit key): refused first */
	load_err("a: 1\n- ? c:\t:\n", 2, 3,
		 "an explicit key ('?') in a file with tab characters is not supported");
	yaml_stream y;
	load_ok(&y, "? a\n: 1\n"); /* without tabs, explicit keys are fine */
	assert_string_equal(get(y.docs[0], "a")->s, "1");
	yaml_free(&y);
	load_ok(&y, "a: 'x?\ty'\n# why? \t\n");
	yaml_free(&y);

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	off_t size = lseek(fd, 0, SEEK_END);
	close(fd);
	unlink(path);
	assert_int_equal(size, 0);
}

/* --- line ends and size ------------------------------------------------------------------ */

static void test_crlf(void **state)
{
	(void)state;
	yaml_stream y;
	load_ok(&y, "a: 1\r\n"
		    "b:\r\n"
		    "  - \"x\"\r\n"
		    "  - |\r\n"
		    "    t\r\n"
		    "    u\r\n"
		    "c: d e\r\n");
	const yaml_node *r = y.docs[0];
	at(get(r, "a"), 1, 4, 1, 5);
	const yaml_node *b = get(r, "b");
	at(b, 3, 3, 6, 6);
	at(b->items[0], 3, 5, 3, 8);
	at(b->items[1], 4, 5, 6, 6);
	assert_string_equal(b->items[1]->s, "t\nu\n");
	assert_string_equal(get(r, "c")->s, "d e");
	at(get(r, "c"), 7, 4, 7, 7);
	yaml_free(&y);
}

/* Compose files close flow lists at their key's indentation; Compose accepts it, so do we. */
static void test_sloppy_flow(void **state)
{
	(void)state;
	yaml_stream y;
	load_ok(&y, "services:\n"
		    "  ct:\n"
		    "    command: [\n"
		    "        \"--log\", \"x\",\n"
		    "    ]\n");
	const yaml_node *cmd = get(get(get(y.docs[0], "services"), "ct"), "command");
	assert_int_equal(cmd->nitems, 2);
	at(cmd, 3, 14, 5, 6);
	yaml_free(&y);
}

/* A flat sequence of about mb megabytes; returns the seconds it takes to load. */
static double time_flat(size_t mb)
{
	buf b = BUF_INIT;
	size_t i = 0;
	while (b.len < mb * 1024 * 1024)
		buf_printf(&b, "- image: registry.example.com/team/service-%zu:1.2.3\n", i++);
	yaml_stream y;
	double t0 = now();
	int rc = yaml_load(&y, "big.yml", b.p, b.len);
	double t = now() - t0;
	assert_int_equal(rc, 0);
	assert_int_equal(y.docs[0]->nitems, i);
	yaml_free(&y);
	buf_free(&b);
	return t;
}

static void test_linear_time(void **state)
{
	(void)state;
	double t1 = time_flat(1), t10 = time_flat(10);
	print_message("# 1 MB in %.3fs, 10 MB in %.3fs (%.1f MB/s)\n", t1, t10, 10 / t10);
	/* linear is about 10x; quadratic would be 100x */
	assert_true(t10 < 30 * t1 + 0.5);
}

static void test_many_keys(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	for (int i = 0; i < 200000; i++)
		buf_printf(&b, "key%d: %d\n", i, i);
	yaml_stream y;
	double t0 = now();
	assert_int_equal(yaml_load(&y, "k.yml", b.p, b.len), 0);
	assert_int_equal(y.docs[0]->npairs, 200000);
	assert_string_equal(get(y.docs[0], "key199999")->s, "199999");
	yaml_free(&y);
	buf_adds(&b, "key5: again\n");
	load_err(buf_str(&b), 200001, 1, "duplicate key 'key5' (first on line 6)");
	double t = now() - t0;
	print_message("# 200k keys twice in %.3fs\n", t);
	assert_true(t < 20.0);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_scalar_styles),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_multi_doc),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_merge_keys),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_text_errors),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_sloppy_flow),
		cmocka_unit_test(test_linear_time),
		cmocka_unit_test(test_many_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
