/* test_context.c - .dockerignore reading and matching (cases from moby/patternmatcher's
 * and Go's filepath.Match tests), the context walk on real directories, and which files a
 * COPY/ADD source sends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "context/context.h"
#include "core/buf.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- helpers ------------------------------------------------------------------------- */

/* Whether path is excluded by the .dockerignore text. */
static bool excl(const char *text, const char *path)
{
	arena mem;
	arena_init(&mem);
	pl_dockerignore di;
	pl_dockerignore_parse(&mem, ".dockerignore", text, strlen(text), &di);
	bool r = pl_dockerignore_excludes(&di, path);
	arena_free(&mem);
	return r;
}

typedef struct mcase {
	const char *pattern, *path;
	bool match;
} mcase;

static void run_cases(const mcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool got = excl(cases[i].pattern, cases[i].path);
		if (got != cases[i].match)
			fail_msg("pattern \"%s\" on \"%s\": got %d, want %d", cases[i].pattern,
				 cases[i].path, got, cases[i].match);
	}
}

static void put(const char *root, const char *rel, const char *content)
{
	buf p = BUF_INIT;
	buf_printf(&p, "%s/%s", root, rel);
	/* create the parent directories */
	for (char *s = p.p + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p.p, 0755);
		*s = '/';
	}
	FILE *f = fopen(p.p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	buf_free(&p);
}

static void mkdir_rel(const char *root, const char *rel)
{
	buf p = BUF_INIT;
	buf_printf(&p, "%s/%s", root, rel);
	assert_int_equal(mkdir(p.p, 0755), 0);
	buf_free(&p);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void rm_tree(const char *root)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *make_tmp(void)
{
	char *t = strdup("/tmp/plimsoll-ctx-XXXXXX");
	assert_non_null(mkdtemp(t));
	return t;
}

static const pl_ctxfile *find(const pl_buildctx *x, const char *path)
{
	for (size_t i = 0; i < x->nfiles; i++)
		if (strcmp(x->files[i].path, path) == 0)
			return &x->files[i];
	return NULL;
}

static void collect(void *arg, const pl_ctxfile *f)
{
	buf *b = arg;
	buf_printf(b, "%s%s", b->len ? " " : "", f->path);
}

/* The files a source sends, space-separated in context order. */
static char *sources(const pl_buildctx *x, const char *src)
{
	buf b = BUF_INIT;
	pl_buildctx_sources(x, src, collect, &b);
	return buf_detach(&b, NULL);
}

static void assert_sources(const pl_buildctx *x, const char *src, const char *want)
{
	char *got = sources(x, src);
	if (strcmp(got, want) != 0)
		fail_msg("COPY %s: got \"%s\", want \"%s\"", src, got, want);
	free(got);
}

/* --- reading --------------------------------------------------------------------------- */

static void test_read_all(void **state)
{
	(void)state;
	/* moby's ReadAll test, plus a BOM, CRLF, and an indented '#' that is a pattern */
	const char *text = "\xEF\xBB\xBFtest1\n/test2\r\n/a/file/here\n\nlastfile\n"
			   "# this is a comment\n! /inverted/abs/path\n!\n! \n"
			   "  #notacomment\n./x/../y//z/\n/\n";
	arena mem;
	arena_init(&mem);
	pl_dockerignore di;
	pl_dockerignore_parse(&mem, "ctx/.dockerignore", text, strlen(text), &di);
	assert_string_equal(di.path, "ctx/.dockerignore");
	struct {
		const char *p;
		bool ex;
		int line;
	} want[] = {
		{"test1", false, 1},        {"test2", false, 2},    {"a/file/here", false, 3},
		{"lastfile", false, 5},     {"inverted/abs/path", true, 7},
		{"#notacomment", false, 10}, {"y/z", false, 11},     {"/", false, 12},
	};
	assert_int_equal(di.n, sizeof want / sizeof *want);
	for (size_t i = 0; i < di.n; i++) {
		assert_string_equal(di.v[i].pattern, want[i].p);
		assert_int_equal(di.v[i].exclusion, want[i].ex);
		assert_int_equal(di.v[i].line, want[i].line);
	}
	arena_free(&mem);
}

static void test_read_edge_lines(void **state)
{
	(void)state;
	arena mem;
	arena_init(&mem);
	pl_dockerignore di;
	/* no final newline; Unicode spaces trimmed as strings.TrimSpace does; "a /." cleans
	 * to "a " which patternmatcher trims again */
	const char *text = "\xC2\xA0" "foo\xE3\x80\x80\n" "a /.\n" "!!bang\n" "last";
	pl_dockerignore_parse(&mem, "x", text, strlen(text), &di);
	assert_int_equal(di.n, 4);
	assert_string_equal(di.v[0].pattern, "foo");
	assert_string_equal(di.v[1].pattern, "a");
	assert_string_equal(di.v[2].pattern, "!bang");
	assert_true(di.v[2].exclusion);
	assert_string_equal(di.v[3].pattern, "last");
	assert_int_equal(di.v[3].line, 4);
	arena_free(&mem);

	arena_init(&mem);
	pl_dockerignore_parse(&mem, "x", "", 0, &di);
	assert_int_equal(di.n, 0);
	assert_false(pl_dockerignore_excludes(&di, "a"));
	assert_false(pl_dockerignore_excludes(NULL, "a"));
	arena_free(&mem);
}

/* --- matching: moby/patternmatcher TestMatches (MatchesOrParentMatches column) ------------ */

static void test_moby_matches(void **state)
{
	(void)state;
	static const mcase cases[] = {
		{"**", "file", true},
		{"**", "file/", true},
		{"**/", "file", true},
		{"**/", "file/", true},
		{"**", "/", true},
		{"**/", "/", true},
		{"**", "dir/file", true},
		{"**/", "dir/file", true},
		{"**", "dir/file/", true},
		{"**/", "dir/file/", true},
		{"**/**", "dir/file", true},
		{"**/**", "dir/file/", true},
		{"dir/**", "dir/file", true},
		{"dir/**", "dir/file/", true},
		{"dir/**", "dir/dir2/file", true},
		{"dir/**", "dir/dir2/file/", true},
		{"**/dir", "dir", true},
		{"**/dir", "dir/file", true},
		{"**/dir2/*", "dir/dir2/file", true},
		{"**/dir2/*", "dir/dir2/file/", true},
		{"**/dir2/**", "dir/dir2/dir3/file", true},
		{"**/dir2/**", "dir/dir2/dir3/file/", true},
		{"**file", "file", true},
		{"**file", "dir/file", true},
		{"**/file", "dir/file", true},
		{"**file", "dir/dir/file", true},
		{"**/file", "dir/dir/file", true},
		{"**/file*", "dir/dir/file", true},
		{"**/file*", "dir/dir/file.txt", true},
		{"**/file*txt", "dir/dir/file.txt", true},
		{"**/file*.txt", "dir/dir/file.txt", true},
		{"**/file*.txt*", "dir/dir/file.txt", true},
		{"**/**/*.txt", "dir/dir/file.txt", true},
		{"**/**/*.txt2", "dir/dir/file.txt", false},
		{"**/*.txt", "file.txt", true},
		{"**/**/*.txt", "file.txt", true},
		{"a**/*.txt", "a/file.txt", true},
		{"a**/*.txt", "a/dir/file.txt", true},
		{"a**/*.txt", "a/dir/dir/file.txt", true},
		{"a/*.txt", "a/dir/file.txt", false},
		{"a/*.txt", "a/file.txt", true},
		{"a/*.txt**", "a/file.txt", true},
		{"a[b-d]e", "ae", false},
		{"a[b-d]e", "ace", true},
		{"a[b-d]e", "aae", false},
		{"a[^b-d]e", "aze", true},
		{".*", ".foo", true},
		{".*", "foo", false},
		{"abc.def", "abcdef", false},
		{"abc.def", "abc.def", true},
		{"abc.def", "abcZdef", false},
		{"abc?def", "abcZdef", true},
		{"abc?def", "abcdef", false},
		{"**/foo/bar", "foo/bar", true},
		{"**/foo/bar", "dir/foo/bar", true},
		{"**/foo/bar", "dir/dir2/foo/bar", true},
		{"abc/**", "abc", false},
		{"abc/**", "abc/def", true},
		{"abc/**", "abc/def/ghi", true},
		{"**/.foo", ".foo", true},
		{"**/.foo", "bar.foo", false},
		{"a(b)c/def", "a(b)c/def", true},
		{"a(b)c/def", "a(b)c/xyz", false},
		{"a.|)$(}+{bc", "a.|)$(}+{bc", true},
		{"dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
		 "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true},
		{"dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true},
		{"a\\\\", "a\\", true},
		{"a\\*b", "a*b", true},
		/* the suffix kind compares strings: "**file" also matches "notfile" */
		{"**file", "dir/notfile", true},
		{"**/file", "dir/notfile", false},
	};
	run_cases(cases, sizeof cases / sizeof *cases);
}

/* Go's filepath.Match tests as patternmatcher runs them; bad patterns match nothing. */
static void test_go_match(void **state)
{
	(void)state;
	static const mcase cases[] = {
		{"abc", "abc", true},
		{"*", "abc", true},
		{"*c", "abc", true},
		{"a*", "a", true},
		{"a*", "abc", true},
		{"a*", "ab/c", true},
		{"a*/b", "abc/b", true},
		{"a*/b", "a/c/b", false},
		{"a*b*c*d*e*/f", "axbxcxdxe/f", true},
		{"a*b*c*d*e*/f", "axbxcxdxexxx/f", true},
		{"a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false},
		{"a*b*c*d*e*/f", "axbxcxdxexxx/fff", false},
		{"a*b?c*x", "abxbbxdbxebxczzx", true},
		{"a*b?c*x", "abxbbxdbxebxczzy", false},
		{"ab[c]", "abc", true},
		{"ab[b-d]", "abc", true},
		{"ab[e-g]", "abc", false},
		{"ab[^c]", "abc", false},
		{"ab[^b-d]", "abc", false},
		{"ab[^e-g]", "abc", true},
		{"a\\*b", "a*b", true},
		{"a\\*b", "ab", false},
		{"a?b", "a\xE2\x98\xBA" "b", true},
		{"a[^a]b", "a\xE2\x98\xBA" "b", true},
		{"a???b", "a\xE2\x98\xBA" "b", false},
		{"a[^a][^a][^a]b", "a\xE2\x98\xBA" "b", false},
		{"[a-\xCE\xB6]*", "\xCE\xB1", true},
		{"*[a-\xCE\xB6]", "A", false},
		{"a?b", "a/b", false},
		{"a*b", "a/b", false},
		{"[\\]a]", "]", true},
		{"[\\-]", "-", true},
		{"[x\\-]", "x", true},
		{"[x\\-]", "-", true},
		{"[x\\-]", "z", false},
		{"[\\-x]", "x", true},
		{"[\\-x]", "-", true},
		{"[\\-x]", "a", false},
		{"[]a]", "]", false},
		{"[-]", "-", false},
		{"[x-]", "x", false},
		{"[x-]", "-", false},
		{"[-x]", "x", false},
		{"\\", "a", false},
		{"[a-b-c]", "a", false},
		{"[", "a", false},
		{"[^", "a", false},
		{"[^bc", "a", false},
		{"a[", "a", false},
		{"a[", "ab", false},
		{"*x", "xxx", true},
		/* '!' is not a negation in Docker's classes: only '^' is */
		{"[!a]", "b", false},
		{"[!a]", "!", true},
	};
	run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_moby_multi(void **state)
{
	(void)state;
	static const mcase cases[] = {
		{"**\n!util/docker/web", "util/docker/web/foo", false},
		{"**\n!util/docker/web\nutil/docker/web/foo", "util/docker/web/foo", true},
		{"**\n!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
		 "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false},
		{"**\n!dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false},
		/* TestExclusionPatternMatchesPatternBefore / After */
		{"!fileutils.go\n*.go", "fileutils.go", true},
		{"*.go\n!fileutils.go", "fileutils.go", false},
		/* folder exclusions with exceptions */
		{"docs\n!docs/README.md", "docs/README.md", false},
		{"docs/\n!docs/README.md", "docs/README.md", false},
		{"docs/*\n!docs/README.md", "docs/README.md", false},
		{"docs\n!docs/README.md", "docs/other.md", true},
		/* "." is never excluded; a lone "!" is refused (matches nothing) */
		{"*", ".", false},
		{"!\n*.go", "a.go", true},
		{"*.go\n!", "a.go", true},
	};
	run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_semantics(void **state)
{
	(void)state;
	static const mcase cases[] = {
		/* a leading '/' is dropped: "/foo" is "foo", still anchored at the root */
		{"/foo", "foo", true},
		{"/foo", "a/foo", false},
		{"foo", "a/foo", false},
		/* a directory pattern excludes everything under it */
		{"node_modules", "node_modules/x/y.js", true},
		{"node_modules/", "node_modules/x/y.js", true},
		{"build/", "build", true},
		{"build", "buildx", false},
		/* last match wins, either way */
		{"*.md\n!README.md\n*.md", "README.md", true},
		{"*.md\n!README.md", "README.md", false},
		{"!README.md\n*.md", "README.md", true},
		/* an exception inside an excluded directory re-includes the file... */
		{"secrets\n!secrets/public.pem", "secrets/public.pem", false},
		/* ...but a later directory pattern wins again */
		{"secrets\n!secrets/public.pem\nsecrets", "secrets/public.pem", true},
		/* ** at the start and in the middle */
		{"**/*.pem", "a/b/c.pem", true},
		{"**/*.pem", "c.pem", true},
		{"a/**/z", "a/z", true},
		{"a/**/z", "a/b/c/z", true},
		{"a/**/z", "b/a/z", false},
		/* "*" does not cross '/', but a parent may match */
		{"*.env", "config/.env", false},
		{"*", "config/.env", true},
		{".env*", ".env.local", true},
		{"**/.env", "svc/.env", true},
		/* cleaning: "./a/../b" is "b" */
		{"./a/../b", "b/c", true},
		/* Go's regexp "." does not match newline inside "**" */
		{"a/**/b", "a/x\ny/b", false},
		{"a/**/b", "a/x/y/b", true},
		/* invalid UTF-8 reads as U+FFFD on both sides */
		{"a?", "a\xff", true},
	};
	run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_hostile_patterns(void **state)
{
	(void)state;
	/* many stars against a long name: the NFA keeps this linear, not exponential */
	buf p = BUF_INIT, s = BUF_INIT;
	for (int i = 0; i < 200; i++)
		buf_adds(&p, "*a");
	buf_adds(&p, "b");
	for (int i = 0; i < 4000; i++)
		buf_addc(&s, 'a');
	assert_false(excl(p.p, s.p));
	buf_reset(&p);
	for (int i = 0; i < 100; i++)
		buf_adds(&p, "**/");
	buf_adds(&p, "x");
	buf_reset(&s);
	for (int i = 0; i < 500; i++)
		buf_adds(&s, "d/");
	buf_adds(&s, "x");
	assert_true(excl(p.p, s.p));
	buf_free(&p);
	buf_free(&s);
}

/* --- the context walk ---------------------------------------------------------------------- */

static void test_walk_and_marks(void **state)
{
	(void)state;
	char *root = make_tmp();
	put(root, "Dockerfile", "FROM alpine\n");
	put(root, ".dockerignore", "# deps\nnode_modules\n!node_modules/keep.txt\n*.log\n/secret\n");
	put(root, ".env", "TOKEN=x\n");
	put(root, "app.log", "log\n");
	put(root, "src/main.c", "int main(void){return 0;}\n");
	put(root, "src/debug.log", "x\n");
	put(root, "node_modules/x/y.js", "1\n");
	put(root, "node_modules/keep.txt", "k\n");
	put(root, "secret/id_rsa", "KEY\n");
	put(root, "a/secret/ok", "ok\n");
	buf link = BUF_INIT;
	buf_printf(&link, "%s/link", root);
	assert_int_equal(symlink("/etc", link.p), 0);
	buf_free(&link);

	pl_buildctx x;
	char err[256] = "";
	assert_int_equal(pl_buildctx_open(&x, root, NULL, NULL, err, sizeof err), 0);
	assert_non_null(x.ignore);
	assert_int_equal(x.ignore->n, 4);
	assert_false(x.truncated);
	/* sorted, every entry, with its marks */
	static const struct {
		const char *path;
		bool dir, ignored;
	} want[] = {
		{".dockerignore", false, false},
		{".env", false, false},
		{"Dockerfile", false, false},
		{"a", true, false},
		{"a/secret", true, false},
		{"a/secret/ok", false, false},
		{"app.log", false, true},
		{"link", false, false},
		{"node_modules", true, true},
		{"node_modules/keep.txt", false, false},
		{"node_modules/x", true, true},
		{"node_modules/x/y.js", false, true},
		{"secret", true, true},
		{"secret/id_rsa", false, true},
		{"src", true, false},
		{"src/debug.log", false, false}, /* "*.log" is anchored at the root */
		{"src/main.c", false, false},
	};
	assert_int_equal(x.nfiles, sizeof want / sizeof *want);
	for (size_t i = 0; i < x.nfiles; i++) {
		assert_string_equal(x.files[i].path, want[i].path);
		assert_int_equal(x.files[i].is_dir, want[i].dir);
		if (x.files[i].ignored != want[i].ignored)
			fail_msg("%s: ignored=%d", want[i].path, x.files[i].ignored);
	}
	assert_int_equal(find(&x, ".env")->size, 8);
	/* the symlink is recorded as itself, never followed */
	assert_null(find(&x, "link/passwd"));

	/* COPY/ADD sources */
	assert_sources(&x, ".", ".dockerignore .env Dockerfile a/secret/ok link "
				"node_modules/keep.txt src/debug.log src/main.c");
	assert_sources(&x, "./", ".dockerignore .env Dockerfile a/secret/ok link "
				 "node_modules/keep.txt src/debug.log src/main.c");
	assert_sources(&x, "/", ".dockerignore .env Dockerfile a/secret/ok link "
				"node_modules/keep.txt src/debug.log src/main.c");
	assert_sources(&x, "src/", "src/debug.log src/main.c");
	assert_sources(&x, "./src", "src/debug.log src/main.c");
	assert_sources(&x, "/src/main.c", "src/main.c");
	assert_sources(&x, ".env", ".env");
	assert_sources(&x, "*.log", "");        /* app.log is ignored */
	assert_sources(&x, "src/*.log", "src/debug.log");
	assert_sources(&x, "*/*.c", "src/main.c");
	assert_sources(&x, "s*", "src/debug.log src/main.c"); /* secret/ is ignored */
	assert_sources(&x, "node_modules", "node_modules/keep.txt");
	assert_sources(&x, "secret/id_rsa", "");
	assert_sources(&x, "missing", "");
	assert_sources(&x, "src/../.env", ".env");
	assert_sources(&x, "../../.env", ".env"); /* cannot climb out of the context */
	assert_sources(&x, "[.]env", ".env");
	assert_sources(&x, "?env", ".env");
	assert_sources(&x, "*env", ".env");
	assert_sources(&x, ".e?v", ".env");
	assert_sources(&x, "Docker[e-g]ile", "Dockerfile");
	pl_buildctx_free(&x);
	rm_tree(root);
	free(root);
}

static void test_copy_dot_sends_env_unless_ignored(void **state)
{
	(void)state;
	char *root = make_tmp();
	put(root, "Dockerfile", "FROM alpine\nCOPY . .\n");
	put(root, ".env", "SECRET=1\n");
	put(root, "app.json", "{}\n");
	pl_buildctx x;
	char err[256];
	assert_int_equal(pl_buildctx_open(&x, root, NULL, NULL, err, sizeof err), 0);
	assert_null(x.ignore);
	assert_sources(&x, ".", ".env Dockerfile app.json");
	assert_sources(&x, "*.json", "app.json");
	pl_buildctx_free(&x);

	put(root, ".dockerignore", ".env\n");
	assert_int_equal(pl_buildctx_open(&x, root, NULL, NULL, err, sizeof err), 0);
	assert_sources(&x, ".", ".dockerignore Dockerfile app.json");
	pl_buildctx_free(&x);
	rm_tree(root);
	free(root);
}

static void test_dockerfile_dockerignore_precedence(void **state)
{
	(void)state;
	char *root = make_tmp();
	put(root, "docker/app.Dockerfile", "FROM alpine\n");
	put(root, "docker/app.Dockerfile.dockerignore", "*.txt\n");
	put(root, ".dockerignore", "*.md\n");
	put(root, "a.txt", "t\n");
	put(root, "b.md", "m\n");
	buf df = BUF_INIT;
	buf_printf(&df, "%s/docker/app.Dockerfile", root);

	pl_buildctx x;
	char err[256];
	/* <Dockerfile>.dockerignore beside the Dockerfile wins over <root>/.dockerignore */
	assert_int_equal(pl_buildctx_open(&x, root, df.p, NULL, err, sizeof err), 0);
	assert_non_null(x.ignore);
	assert_true(strstr(x.ignore->path, "app.Dockerfile.dockerignore") != NULL);
	assert_string_equal(x.dockerfile, df.p);
	assert_true(find(&x, "a.txt")->ignored);
	assert_false(find(&x, "b.md")->ignored);
	pl_buildctx_free(&x);

	/* without it, the root's .dockerignore applies */
	buf_reset(&df);
	buf_printf(&df, "%s/docker/other.Dockerfile", root);
	assert_int_equal(pl_buildctx_open(&x, root, df.p, NULL, err, sizeof err), 0);
	assert_non_null(x.ignore);
	assert_false(find(&x, "a.txt")->ignored);
	assert_true(find(&x, "b.md")->ignored);
	pl_buildctx_free(&x);
	buf_free(&df);
	rm_tree(root);
	free(root);
}

static void test_open_errors(void **state)
{
	(void)state;
	pl_buildctx x;
	char err[256] = "";
	assert_int_equal(pl_buildctx_open(&x, "/nonexistent/plimsoll", NULL, NULL, err, sizeof err),
			 -1);
	assert_string_equal(err, "/nonexistent/plimsoll: cannot open the build context: "
				 "No such file or directory");
	pl_buildctx_free(&x);

	/* a .dockerignore over 1 MiB is refused */
	char *root = make_tmp();
	buf big = BUF_INIT;
	while (big.len <= 1024 * 1024)
		buf_adds(&big, "pattern-line-that-is-long-enough\n");
	put(root, ".dockerignore", big.p);
	buf_free(&big);
	assert_int_equal(pl_buildctx_open(&x, root, NULL, NULL, err, sizeof err), -1);
	buf want = BUF_INIT;
	buf_printf(&want, "%s/.dockerignore: file is", root);
	assert_true(strncmp(err, want.p, want.len) == 0);
	assert_non_null(strstr(err, "over the 1048576-byte input limit"));
	buf_free(&want);
	pl_buildctx_free(&x);
	rm_tree(root);
	free(root);
}

static void test_depth_limit(void **state)
{
	(void)state;
	char *root = make_tmp();
	buf rel = BUF_INIT;
	for (int i = 0; i < 70; i++) {
		buf_printf(&rel, "%sd", i ? "/" : "");
		mkdir_rel(root, rel.p);
	}
	pl_buildctx x;
	char err[256];
	assert_int_equal(pl_buildctx_open(&x, root, NULL, NULL, err, sizeof err), 0);
	assert_true(x.truncated);
	assert_int_equal(x.nfiles, 64);
	pl_buildctx_free(&x);
	buf_free(&rel);
	rm_tree(root);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_all),
		cmocka_unit_test(test_read_edge_lines),
		cmocka_unit_test(test_moby_matches),
		cmocka_unit_test(test_go_match),
		cmocka_unit_test(test_moby_multi),
		cmocka_unit_test(test_semantics),
		cmocka_unit_test(test_hostile_patterns),
		cmocka_unit_test(test_walk_and_marks),
		cmocka_unit_test(test_copy_dot_sends_env_unless_ignored),
		cmocka_unit_test(test_dockerfile_dockerignore_precedence),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_depth_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
