/* test_compose.c - the Compose reader: interpolation (compose-go's template cases), .env
 * parsing, precedence, override merging with !reset/!override, extends, include, profiles,
 * anchors through the YAML reader, ports / volumes / healthcheck / units, the v1 layout, and
 * every corpus compose file loading without a crash. Files are real, in a temp directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "compose/compose.h"
#include "compose/internal.h"
#include "core/buf.h"

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- helpers ---------------------------------------------------------------------------- */

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

typedef struct fixture {
	char dir[64];
	pl_compose_project p;
	bool loaded;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/plimsoll-compose-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	if (f->loaded)
		pl_compose_free(&f->p);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static char *path_in(fixture *f, const char *name)
{
	static _Thread_local char p[4][512];
	static _Thread_local int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", f->dir, name);
	return p[k];
}

static void put(fixture *f, const char *name, const char *text)
{
	char *p = path_in(f, name);
	char *sl = strrchr(p, '/');
	*sl = '\0';
	mkdir(p, 0755);
	*sl = '/';
	FILE *fp = fopen(p, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static const char *const NO_ENV[] = {"HOME=/home/u", NULL};

/* Load the named files of the fixture (environment env). */
static int load_env(fixture *f, const char *const *env, const char *a, const char *b)
{
	const char *files[2] = {path_in(f, a), b ? path_in(f, b) : NULL};
	char *fa = strdup(files[0]), *fb = b ? strdup(files[1]) : NULL;
	const char *ff[2] = {fa, fb};
	pl_compose_opts o = {.environ = env};
	if (f->loaded)
		pl_compose_free(&f->p);
	int rc = pl_compose_load(ff, b ? 2 : 1, &o, &f->p);
	f->loaded = true;
	free(fa);
	free(fb);
	return rc;
}

static int load(fixture *f, const char *a, const char *b)
{
	return load_env(f, NO_ENV, a, b);
}

static const pl_container *svc(fixture *f, const char *name)
{
	for (size_t i = 0; i < f->p.ncontainers; i++)
		if (strcmp(f->p.containers[i].name, name) == 0)
			return &f->p.containers[i];
	fail_msg("no service %s", name);
	return NULL;
}

static const pl_env *env_of(const pl_container *c, const char *name)
{
	for (size_t i = 0; i < c->nenv; i++)
		if (strcmp(c->env[i].name, name) == 0)
			return &c->env[i];
	return NULL;
}

static const pl_compose_problem *problem(fixture *f, const char *needle)
{
	for (size_t i = 0; i < f->p.nproblems; i++)
		if (strstr(f->p.problems[i].msg, needle))
			return &f->p.problems[i];
	return NULL;
}

static void dump_problems(fixture *f)
{
	for (size_t i = 0; i < f->p.nproblems; i++)
		fprintf(stderr, "# %s:%d:%d: %s\n", f->p.problems[i].file ? f->p.problems[i].file : "-",
			f->p.problems[i].line, f->p.problems[i].col, f->p.problems[i].msg);
}

/* --- interpolation (compose-go template_test.go cases) ----------------------------------- */

static bool test_lookup(void *ctx, const char *name, size_t n, const char **value, const char **via)
{
	(void)ctx;
	*via = NULL;
	if (n == 3 && memcmp(name, "FOO", 3) == 0) {
		*value = "first";
		return true;
	}
	if (n == 3 && memcmp(name, "BAR", 3) == 0) {
		*value = "";
		return true;
	}
	return false;
}

static void expect_sub(const char *tmpl, const char *want)
{
	arena a;
	arena_init(&a);
	cz_interp r;
	int rc = cz_interpolate(&a, tmpl, test_lookup, NULL, &r);
	if (rc != 0 || strcmp(r.value, want) != 0)
		fail_msg("%s: got rc=%d \"%s\" (%s), want \"%s\"", tmpl, rc, r.value ? r.value : "(null)",
			 r.err, want);
	arena_free(&a);
}

static void expect_sub_err(const char *tmpl, const char *want)
{
	arena a;
	arena_init(&a);
	cz_interp r;
	int rc = cz_interpolate(&a, tmpl, test_lookup, NULL, &r);
	if (rc == 0 || !strstr(r.err, want))
		fail_msg("%s: got rc=%d err \"%s\", want \"%s\"", tmpl, rc, r.err, want);
	arena_free(&a);
}

static void test_interpolate_template_cases(void **state)
{
	(void)state;
	expect_sub("$${foo}", "${foo}");
	expect_sub("foo", "foo");
	expect_sub("$FOO-bar", "first-bar");
	expect_sub("This ${missing} var", "This  var");
	expect_sub("This ${BAR} var", "This  var");
	expect_sub("This $FOO var", "This first var");
	expect_sub("This ${FOO} var", "This first var");
	expect_sub("ok ${missing:-def}", "ok def");
	expect_sub("ok ${missing-def}", "ok def");
	expect_sub("ok ${BAR:-def}", "ok def");
	expect_sub("ok ${FOO:-def}", "ok first");
	expect_sub("ok ${BAR-def}", "ok ");
	expect_sub("ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric");
	expect_sub("ok ${UNSET_VAR-$FOO}", "ok first");
	expect_sub("ok ${UNSET_VAR-${FOO}}", "ok first");
	expect_sub("ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first");
	expect_sub("ok ${BAR:-$FOO}", "ok first");
	expect_sub("ok ${BAR:-${FOO}}", "ok first");
	expect_sub("ok ${BAR:-${FOO} ${FOO}}", "ok first first");
	expect_sub("ok ${FOO:?err}", "ok first");
	expect_sub("ok ${FOO?err}", "ok first");
	expect_sub("ok ${BAR?err}", "ok ");
	expect_sub("${UNSET_VAR-myerror?msg}", "myerror?msg");
	expect_sub("${FOO?bar-baz}", "first");
	expect_sub("${BAR:-default_value_for_empty_var}", "default_value_for_empty_var");
	expect_sub("${UNSET_VAR-default_value_for_unset_var}", "default_value_for_unset_var");
	expect_sub("${FOO:+alt}", "alt");
	expect_sub("${BAR:+alt}", "");
	expect_sub("${BAR+alt}", "alt");
	expect_sub("${NOPE+alt}", "");
	expect_sub("${A:-${B:-${FOO}}}x", "firstx");
	expect_sub("${A:+${FOO}}", "");

	/* a $ that starts no variable is literal (compose-go PR #307) */
	expect_sub("$}", "$}");
	expect_sub("a $ string", "a $ string");
	expect_sub("cost $5 $(date) trailing $", "cost $5 $(date) trailing $");
	static const char *const invalid[] = {"${", "${}", "${ }", "${ foo}", "${foo }", "${foo!}",
					      "ok ${FOO", "${FOO:}", "${FOO:x}"};
	for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++)
		expect_sub_err(invalid[i], "invalid interpolation format");

	expect_sub_err("not ok ${UNSET_VAR:?Mandatory Variable Unset}",
		       "required variable UNSET_VAR is missing a value: Mandatory Variable Unset");
	expect_sub_err("not ok ${BAR:?Mandatory Variable Empty}",
		       "required variable BAR is missing a value: Mandatory Variable Empty");
	expect_sub_err("not ok ${UNSET_VAR:?}", "required variable UNSET_VAR is missing a value");
	expect_sub_err("not ok ${UNSET_VAR?Mandatory Variable Unset}",
		       "required variable UNSET_VAR is missing a value: Mandatory Variable Unset");
	expect_sub_err("not ok ${UNSET_VAR?}", "required variable UNSET_VAR is missing a value");
	expect_sub_err("not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}",
		       "required variable UNSET_VAR is missing a value: Mandatory Variable first");
	expect_sub_err("not ok ${UNSET_VAR?Mandatory Variable ${FOO}}",
		       "required variable UNSET_VAR is missing a value: Mandatory Variable first");
	expect_sub_err("${UNSET_VAR?bar-baz}", "required variable UNSET_VAR is missing a value: bar-baz");

	/* deep nesting is bounded */
	buf b = BUF_INIT;
	for (int i = 0; i < 200; i++)
		buf_adds(&b, "${A:-");
	for (int i = 0; i < 200; i++)
		buf_addc(&b, '}');
	expect_sub_err(buf_str(&b), "nested deeper");
	buf_free(&b);
}

/* --- .env parsing ------------------------------------------------------------------------ */

static void test_dotenv(void **state)
{
	(void)state;
	arena a;
	arena_init(&a);
	cz_env os = {0}, out = {0};
	cz_env_set(&a, &os, "FROM_OS", "os-value", NULL);
	const char *text = "\xEF\xBB\xBF# comment\r\n"
			   "PLAIN=value\n"
			   "export EXPORTED=yes\n"
			   "SPACED = spaced value   # a comment\n"
			   "HASH=a#b\n"
			   "EMPTY=\n"
			   "SINGLE='lit ${PLAIN} \\n'\n"
			   "DOUBLE=\"a\\nb \\\"q\\\" ${PLAIN}\"\n"
			   "MULTI=\"line1\n"
			   "line2\"\n"
			   "REF=${PLAIN}-x\n"
			   "OSREF=$FROM_OS\n"
			   "YAMLISH: colon\n"
			   "FROM_OS\n"
			   "DFLT=${NOPE:-fallback}\n";
	char err[256] = "";
	int rc = cz_dotenv_parse(&a, text, strlen(text), ".env", cz_env_lookup, &os, &out, err, sizeof err);
	assert_int_equal(rc, 0);
	struct {
		const char *k, *v;
	} want[] = {{"PLAIN", "value"},
		    {"EXPORTED", "yes"},
		    {"SPACED", "spaced value"},
		    {"HASH", "a#b"},
		    {"EMPTY", ""},
		    {"SINGLE", "lit ${PLAIN} \\n"},
		    {"DOUBLE", "a\nb \"q\" value"},
		    {"MULTI", "line1\nline2"},
		    {"REF", "value-x"},
		    {"OSREF", "os-value"},
		    {"YAMLISH", "colon"},
		    {"FROM_OS", "os-value"},
		    {"DFLT", "fallback"}};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const cz_var *v = cz_env_find(&out, want[i].k, strlen(want[i].k));
		if (!v || strcmp(v->value, want[i].v) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", want[i].k, v ? v->value : "(unset)", want[i].v);
	}
	const cz_var *v = cz_env_find(&out, "REF", 3);
	assert_string_equal(v->via, ".env line 11");

	cz_env bad = {0};
	const char *t2 = "OK=1\nBAD KEY!=x\n";
	assert_int_equal(cz_dotenv_parse(&a, t2, strlen(t2), ".env", NULL, NULL, &bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 2"));
	const char *t3 = "Q=\"unterminated\n";
	assert_int_equal(cz_dotenv_parse(&a, t3, strlen(t3), ".env", NULL, NULL, &bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "unterminated"));
	arena_free(&a);
}

/* --- units ------------------------------------------------------------------------------- */

static void test_units(void **state)
{
	(void)state;
	double v;
	assert_true(cz_parse_bytes("512m", &v));
	assert_true(v == 512.0 * 1024 * 1024);
	assert_true(cz_parse_bytes("1g", &v) && v == 1073741824.0);
	assert_true(cz_parse_bytes("1gb", &v) && v == 1073741824.0);
	assert_true(cz_parse_bytes("1GiB", &v) && v == 1073741824.0);
	assert_true(cz_parse_bytes("1073741824", &v) && v == 1073741824.0);
	assert_true(cz_parse_bytes("300 kb", &v) && v == 300.0 * 1024);
	assert_true(cz_parse_bytes("1.5g", &v) && v == 1.5 * 1073741824.0);
	assert_true(cz_parse_bytes("100b", &v) && v == 100);
	assert_false(cz_parse_bytes("lots", &v));
	assert_false(cz_parse_bytes("1x", &v));
	assert_false(cz_parse_bytes("", &v));
	assert_true(cz_parse_duration("1m30s", &v) && v == 90);
	assert_true(cz_parse_duration("500ms", &v) && v == 0.5);
	assert_true(cz_parse_duration("1h", &v) && v == 3600);
	assert_true(cz_parse_duration("1.5s", &v) && v == 1.5);
	assert_true(cz_parse_duration("0", &v) && v == 0);
	assert_true(cz_parse_duration("10us", &v) && v > 0);
	assert_false(cz_parse_duration("10", &v));
	assert_false(cz_parse_duration("10x", &v));
	assert_false(cz_parse_duration("", &v));
}

/* --- interpolation in a project ---------------------------------------------------------- */

static void test_project_interpolation(void **state)
{
	fixture *f = *state;
	put(f, ".env", "TAG=1.2\nUSER_ID=1000\nOVERRIDDEN=from-dotenv\n");
	put(f, "compose.yaml",
	    "services:\n"
	    "  web:\n"
	    "    image: \"nginx:${TAG}\"\n"
	    "    user: ${USER_ID}\n"
	    "    mem_limit: ${MEM:-512m}\n"
	    "    environment:\n"
	    "      FROM_OS: ${OVERRIDDEN}\n"
	    "      LITERAL: plain\n"
	    "      DOLLAR: $$HOME\n"
	    "      PASSTHROUGH:\n"
	    "      UNSET: ${NOT_SET_ANYWHERE}\n");
	const char *const env[] = {"HOME=/home/u", "OVERRIDDEN=from-os", NULL};
	int rc = load_env(f, env, "compose.yaml", NULL);
	if (rc != 0)
		dump_problems(f);
	assert_int_equal(rc, 0);
	const pl_container *c = svc(f, "web");
	assert_string_equal(c->image.v, "nginx:1.2");
	assert_string_equal(c->image.at.via, ".env line 1");
	assert_int_equal(c->image.at.line, 3);
	assert_int_equal(c->image.at.col, 12);
	assert_string_equal(c->user.v, "1000");
	assert_true(c->mem_limit.set && c->mem_limit.v == 512.0 * 1024 * 1024);
	assert_string_equal(c->mem_limit.at.via, "the default in ${MEM:-512m}");
	const pl_env *e = env_of(c, "FROM_OS");
	assert_int_equal(e->kind, ENV_REFERENCE); /* the OS environment wins over .env */
	e = env_of(c, "LITERAL");
	assert_int_equal(e->kind, ENV_LITERAL);
	assert_string_equal(e->value, "plain");
	assert_string_equal(env_of(c, "DOLLAR")->value, "$HOME");
	assert_int_equal(env_of(c, "PASSTHROUGH")->kind, ENV_REFERENCE);
	assert_int_equal(env_of(c, "UNSET")->kind, ENV_REFERENCE);
	assert_non_null(problem(f, "NOT_SET_ANYWHERE"));
	assert_non_null(strcasestr(f->dir, f->p.name)); /* the directory name, normalised */
}

static void test_required_variable_error(void **state)
{
	fixture *f = *state;
	put(f, "compose.yaml",
	    "services:\n"
	    "  db:\n"
	    "    image: postgres\n"
	    "    environment:\n"
	    "      POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}\n");
	assert_int_equal(load(f, "compose.yaml", NULL), -1);
	const pl_compose_problem *p =
		problem(f, "required variable DB_PASSWORD is missing a value: set DB_PASSWORD in .env");
	assert_non_null(p);
	assert_true(p->error);
	assert_int_equal(p->line, 5);
	assert_int_equal(p->col, 26);
	assert_string_equal(p->file, path_in(f, "compose.yaml"));
	assert_int_equal(f->p.ncontainers, 1); /* the rest is still audited */

	put(f, "compose.yaml", "services:\n  a:\n    image: \"${ bad}\"\n");
	assert_int_equal(load(f, "compose.yaml", NULL), -1);
	assert_non_null(problem(f, "escape any $"));
}

/* --- merging ----------------------------------------------------------------------------- */

static void test_override_merge(void **state)
{
	fixture *f = *state;
	put(f, "compose.yaml",
	    "services:\n"
	    "  web:\n"
	    "    image: app:1\n"
	    "    command: [\"serve\", \"--a\"]\n"
	    "    cap_drop: [ALL]\n"
	    "    ports: [\"8080:80\", \"9090:90\"]\n"
	    "    volumes: [\"./data:/data\", \"logs:/logs\"]\n"
	    "    environment: [\"A=1\", \"B=2\"]\n"
	    "    read_only: true\n"
	    "    healthcheck:\n"
	    "      test: [\"CMD\", \"a\"]\n"
	    "      interval: 10s\n"
	    "    logging:\n"
	    "      driver: json-file\n"
	    "      options: {max-size: 10m}\n");
	put(f, "compose.override.yaml",
	    "services:\n"
	    "  web:\n"
	    "    command: [\"debug\"]\n"
	    "    cap_add: [SYS_ADMIN]\n"
	    "    ports: [\"8080:80\", \"127.0.0.1:7000:70\"]\n"
	    "    volumes: [\"./other:/data:ro\"]\n"
	    "    environment:\n"
	    "      B: three\n"
	    "    healthcheck:\n"
	    "      test: [\"CMD\", \"b\"]\n"
	    "    logging:\n"
	    "      options: {max-file: \"3\"}\n");
	char *found[2];
	size_t n = pl_compose_find(f->dir, found);
	assert_int_equal(n, 2);
	assert_non_null(strstr(found[0], "/compose.yaml"));
	assert_non_null(strstr(found[1], "/compose.override.yaml"));
	free(found[0]);
	free(found[1]);
	int rc = load(f, "compose.yaml", "compose.override.yaml");
	if (rc)
		dump_problems(f);
	assert_int_equal(rc, 0);
	const pl_container *c = svc(f, "web");
	assert_int_equal(c->ncap_add, 1);
	assert_string_equal(c->cap_add[0], "SYS_ADMIN");
	assert_string_equal(c->cap_add_at[0].via, "from compose.override.yaml");
	assert_int_equal(c->cap_add_at[0].line, 4);
	assert_int_equal(c->ncap_drop, 1);
	assert_null(c->cap_drop_at[0].via);
	assert_int_equal(c->nports, 3); /* 8080:80 once, 9090:90, 127.0.0.1:7000:70 */
	assert_string_equal(c->ports[2].host_ip, "127.0.0.1");
	assert_int_equal(c->ports[2].host_port, 7000);
	assert_int_equal(c->nmounts, 2); /* /data replaced by the override's, /logs kept */
	assert_int_equal(c->mounts[0].kind, MOUNT_BIND);
	assert_true(c->mounts[0].read_only);
	assert_string_equal(c->mounts[0].target, "/data");
	assert_string_equal(c->mounts[0].source, path_in(f, "other"));
	assert_string_equal(c->mounts[0].at.via, "from compose.override.yaml");
	assert_int_equal(c->mounts[1].kind, MOUNT_VOLUME);
	assert_string_equal(env_of(c, "A")->value, "1");
	assert_string_equal(env_of(c, "B")->value, "three");
	assert_string_equal(c->health.what, "CMD b");
	assert_true(c->health.interval.v == 10);
	assert_string_equal(c->log_driver.v, "json-file");
	assert_string_equal(c->log_max_size.v, "10m");
	assert_string_equal(c->log_max_file.v, "3");
	assert_int_equal(c->read_only_root.v, TRI_TRUE);
}

static void test_reset_override(void **state)
{
	fixture *f = *state;
	put(f, "compose.yaml",
	    "services:\n"
	    "  web:\n"
	    "    image: app\n"
	    "    ports: [\"80:80\"]\n"
	    "    read_only: true\n"
	    "    cap_add: [NET_ADMIN, CHOWN]\n"
	    "    environment: {A: \"1\", B: \"2\"}\n");
	put(f, "over.yaml",
	    "services:\n"
	    "  web:\n"
	    "    ports: !reset []\n"
	    "    read_only: !reset null\n"
	    "    cap_add: !override [NET_BIND_SERVICE]\n"
	    "    environment: !override {C: \"3\"}\n");
	int rc = load(f, "compose.yaml", "over.yaml");
	if (rc)
		dump_problems(f);
	assert_int_equal(rc, 0);
	const pl_container *c = svc(f, "web");
	assert_int_equal(c->nports, 0);
	assert_int_equal(c->read_only_root.v, TRI_UNSET);
	assert_int_equal(c->ncap_add, 1);
	assert_string_equal(c->cap_add[0], "NET_BIND_SERVICE");
	assert_null(env_of(c, "A"));
	assert_string_equal(env_of(c, "C")->value, "3");
	assert_string_equal(env_of(c, "C")->at.via, "from over.yaml");
}

/* --- extends and include ----------------------------------------------------------------- */

static void test_extends(void **state)
{
	fixture *f = *state;
	put(f, "common/base.yaml",
	    "services:\n"
	    "  hardened:\n"
	    "    cap_drop: [ALL]\n"
	    "    read_only: true\n"
	    "    build: ./app\n"
	    "  chained:\n"
	    "    extends: hardened\n"
	    "    user: \"1000\"\n");
	put(f, "compose.yaml",
	    "services:\n"
	    "  base:\n"
	    "    image: base\n"
	    "    environment: {A: \"1\"}\n"
	    "  same:\n"
	    "    extends: base\n"
	    "    environment: {B: \"2\"}\n"
	    "  other:\n"
	    "    extends:\n"
	    "      file: common/base.yaml\n"
	    "      service: chained\n"
	    "    privileged: false\n");
	int rc = load(f, "compose.yaml", NULL);
	if (rc)
		dump_problems(f);
	assert_int_equal(rc, 0);
	const pl_container *s = svc(f, "same");
	assert_string_equal(s->image.v, "base");
	assert_string_equal(env_of(s, "A")->value, "1");
	assert_string_equal(env_of(s, "B")->value, "2");
	const pl_container *o = svc(f, "other");
	assert_int_equal(o->ncap_drop, 1);
	assert_string_equal(o->cap_drop_at[0].via, "from common/base.yaml");
	assert_string_equal(o->user.v, "1000");
	assert_int_equal(o->privileged.v, TRI_FALSE);
	/* the build context resolves against the extended file's directory */
	assert_string_equal(o->build_context, path_in(f, "common/app"));
	assert_string_equal(o->dockerfile, path_in(f, "common/app/Dockerfile"));

	put(f, "compose.yaml",
	    "services:\n"
	    "  a:\n"
	    "    image: x\n"
	    "    extends: b\n"
	    "  b:\n"
	    "    image: y\n"
	    "    extends: a\n");
	assert_int_equal(load(f, "compose.yaml", NULL), -1);
	assert_non_null(problem(f, "circular reference with extends"));
	put(f, "compose.yaml", "services:\n  a:\n    image: x\n    extends: missing\n");
	assert_int_equal(load(f, "compose.yaml", NULL), -1);
	assert_non_null(problem(f, "service not found"));
}

static void test_include(void **state)
{
	fixture *f = *state;
	put(f, "sub/.env", "SUBTAG=9\n");
	put(f, "sub/compose.yaml",
	    "services:\n"
	    "  db:\n"
	    "    image: postgres:${SUBTAG}\n"
	    "    volumes: [\"./pgdata:/var/lib/postgresql/data\"]\n");
	put(f, "compose.yaml",
	    "include:\n"
	    "  - sub/compose.yaml\n"
	    "services:\n"
	    "  web:\n"
	    "    image: web\n");
	int rc = load(f, "compose.yaml", NULL);
	if (rc)
		dump_problems(f);
	assert_int_equal(rc, 0);
	assert_int_equal(f->p.ncontainers, 2);
	const pl_container *db = svc(f, "db");
	assert_string_equal(db->image.v, "postgres:9");
	assert_string_equal(db->image.at.via, ".env line 1");
	assert_string_equal(db->mounts[0].source, path_in(f, "sub/pgdata"));

	put(f, "compose.yaml",
	    "include: [sub/compose.yaml]\n"
	    "services:\n"
	    "  db:\n"
	    "    image: web\n");
	assert_int_equal(load(f, "compose.yaml", NULL), -1);
	assert_non_null(problem(f, "conflicts with imported resource"));

	put(f, "loop.yaml", "include: [loop.yaml]\nservices:\n  x:\n    image: x\n");
	assert_int_equal(load(f, "loop.yaml", NULL), -1);
	assert_non_null(problem(f, "include cycle"));
}

static void test_profiles(void **state)
{
	fixture *f = *state;
	put(f, "compose.yaml",
	    "services:\n"
	    "  app:\n"
	    "    image: app\n"
	    "  debug:\n"
	    "    image: dbg\n"
	    "    profiles: [debug]\n"
	    "  tools:\n"
	    "    image: t\n"
	    "    profiles: [tools]\n");
	assert_int_equal(load(f, "compose.yaml", NULL), 0);
	assert_int_equal(f->p.ncontainers, 1);
	assert_int_equal(f->p.ninactive, 2);
	const char *const env[] = {"COMPOSE_PROFILES=debug", NULL};
	assert_int_equal(load_env(f, env, "compose.yaml", NULL), 0);
	assert_int_equal(f->p.ncontainers, 2);
	assert_string_equal(f->p.containers[1].name, "debug");
}

/* --- service details --------------------------------------------------------------------- */

static void test_anchors_and_security(void **state)
{
	fixture *f = *state;
	put(f, "compose.yaml",
	    "name: MyProject\n"
	    "x-hardening: &hardening\n"
	    "  cap_drop: [ALL]\n"
	    "  security_opt:\n"
	    "    - no-new-privileges:true\n"
	    "    - seccomp:unconfined\n"
	    "    - apparmor=unconfined\n"
	    "    - label:disable\n"
	    "services:\n"
	    "  web:\n"
	    "    <<: *hardening\n"
	    "    image: web\n"
	    "    network_mode: host\n"
	    "    pid: host\n"
	    "    ipc: host\n"
	    "    uts: host\n"
	    "    use_api_socket: true\n"
	    "    privileged: \"yes\"\n"
	    "    secrets: [db_pw, {source: api, target: /etc/api}]\n"
	    "    tmpfs: /tmp:size=64m\n"
	    "    deploy:\n"
	    "      replicas: 3\n"
	    "      resources:\n"
	    "        limits: {cpus: \"0.5\", memory: 1gb, pids: 100}\n"
	    "        reservations: {memory: 256M}\n"
	    "      restart_policy: {condition: any}\n"
	    "    labels: [\"a=b\", \"c\"]\n"
	    "secrets:\n"
	    "  db_pw: {file: ./pw}\n"
	    "  api: {file: ./api}\n");
	int rc = load(f, "compose.yaml", NULL);
	if (rc)
		dump_problems(f);
	assert_int_equal(rc, 0);
	assert_string_equal(f->p.name, "myproject");
	const pl_container *c = svc(f, "web");
	assert_string_equal(c->target, "service web");
	assert_string_equal(c->namespace_, "myproject");
	assert_int_equal(c->ncap_drop, 1);
	assert_int_equal(c->cap_drop_at[0].line, 3);
	assert_int_equal(c->no_new_privileges.v, TRI_TRUE);
	assert_string_equal(c->seccomp.v, "unconfined");
	assert_string_equal(c->apparmor.v, "unconfined");
	assert_int_equal(c->selinux_disabled.v, TRI_TRUE);
	assert_int_equal(c->host_network.v, TRI_TRUE);
	assert_int_equal(c->host_pid.v, TRI_TRUE);
	assert_int_equal(c->host_ipc.v, TRI_TRUE);
	assert_int_equal(c->host_uts.v, TRI_TRUE);
	assert_int_equal(c->use_api_socket.v, TRI_TRUE);
	assert_int_equal(c->privileged.v, TRI_TRUE);
	assert_true(c->cpu_limit.v == 0.5);
	assert_true(c->mem_limit.v == 1073741824.0);
	assert_true(c->pids_limit.v == 100);
	assert_true(c->mem_request.v == 256.0 * 1024 * 1024);
	assert_true(c->replicas.v == 3);
	assert_string_equal(c->restart.v, "always");
	assert_int_equal(c->nmounts, 3);
	assert_int_equal(c->mounts[0].kind, MOUNT_TMPFS);
	assert_string_equal(c->mounts[0].target, "/tmp");
	assert_int_equal(c->mounts[1].kind, MOUNT_SECRET);
	assert_string_equal(c->mounts[1].target, "/run/secrets/db_pw");
	assert_string_equal(c->mounts[2].target, "/etc/api");
	assert_int_equal(c->nlabels, 2);
	assert_string_equal(c->label_values[1], "");
	assert_int_equal(c->long_running, true);
}

static void test_ports_volumes(void **state)
{
	fixture *f = *state;
	put(f, "compose.yaml",
	    "services:\n"
	    "  s:\n"
	    "    image: s\n"
	    "    ports:\n"
	    "      - \"8080:80\"\n"
	    "      - \"127.0.0.1:8081:81\"\n"
	    "      - \"82\"\n"
	    "      - 83\n"
	    "      - \"9000-9010:9000-9010\"\n"
	    "      - \"53:53/udp\"\n"
	    "      - \"[::1]:8443:443\"\n"
	    "      - target: 84\n"
	    "        published: \"8084\"\n"
	    "        host_ip: 10.0.0.1\n"
	    "        protocol: udp\n"
	    "    volumes:\n"
	    "      - /var/run/docker.sock:/var/run/docker.sock\n"
	    "      - ~/cfg:/cfg:ro,z\n"
	    "      - named:/named\n"
	    "      - /anon\n"
	    "      - type: bind\n"
	    "        source: ../up\n"
	    "        target: /up\n"
	    "        read_only: true\n"
	    "      - type: tmpfs\n"
	    "        target: /run\n");
	int rc = load(f, "compose.yaml", NULL);
	if (rc)
		dump_problems(f);
	assert_int_equal(rc, 0);
	const pl_container *c = svc(f, "s");
	assert_int_equal(c->nports, 8);
	assert_int_equal(c->ports[0].host_port, 8080);
	assert_int_equal(c->ports[0].container_port, 80);
	assert_null(c->ports[0].host_ip);
	assert_string_equal(c->ports[1].host_ip, "127.0.0.1");
	assert_int_equal(c->ports[2].host_port, 0);
	assert_int_equal(c->ports[2].container_port, 82);
	assert_int_equal(c->ports[3].container_port, 83);
	assert_int_equal(c->ports[4].host_port, 9000);
	assert_string_equal(c->ports[5].protocol, "udp");
	assert_string_equal(c->ports[6].host_ip, "::1");
	assert_int_equal(c->ports[6].host_port, 8443);
	assert_int_equal(c->ports[7].host_port, 8084);
	assert_string_equal(c->ports[7].host_ip, "10.0.0.1");
	assert_string_equal(c->ports[7].protocol, "udp");
	assert_int_equal(c->ports[7].at.line, 12);

	assert_int_equal(c->nmounts, 6);
	assert_int_equal(c->mounts[0].kind, MOUNT_BIND);
	assert_string_equal(c->mounts[0].source, "/var/run/docker.sock");
	assert_string_equal(c->mounts[1].source, "/home/u/cfg");
	assert_true(c->mounts[1].read_only);
	assert_int_equal(c->mounts[2].kind, MOUNT_VOLUME);
	assert_string_equal(c->mounts[2].source, "named");
	assert_int_equal(c->mounts[3].kind, MOUNT_VOLUME);
	assert_string_equal(c->mounts[3].target, "/anon");
	assert_string_equal(c->mounts[4].source, path_in(f, "../up"));
	assert_true(c->mounts[4].read_only);
	assert_int_equal(c->mounts[5].kind, MOUNT_TMPFS);

	put(f, "compose.yaml", "services:\n  s:\n    image: s\n    ports: \"80:80\"\n    wat: 1\nbogus: 1\n");
	assert_int_equal(load(f, "compose.yaml", NULL), -1);
	const pl_compose_problem *p = problem(f, "ports must not be a scalar");
	assert_non_null(p);
	assert_int_equal(p->line, 4);
	p = problem(f, "additional property wat");
	assert_non_null(p);
	assert_int_equal(p->line, 5);
	assert_int_equal(p->col, 5);
	assert_non_null(problem(f, "additional property bogus"));
}

static void test_healthcheck(void **state)
{
	fixture *f = *state;
	put(f, "compose.yaml",
	    "services:\n"
	    "  a:\n"
	    "    image: a\n"
	    "    healthcheck:\n"
	    "      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n"
	    "      interval: 1m30s\n"
	    "      timeout: 10s\n"
	    "      start_period: 40s\n"
	    "      start_interval: 5s\n"
	    "      retries: 3\n"
	    "  b:\n"
	    "    image: b\n"
	    "    healthcheck:\n"
	    "      test: curl -f http://localhost || exit 1\n"
	    "  c:\n"
	    "    image: c\n"
	    "    healthcheck:\n"
	    "      test: [\"NONE\"]\n"
	    "  d:\n"
	    "    image: d\n"
	    "    healthcheck:\n"
	    "      disable: true\n"
	    "  e:\n"
	    "    image: e\n"
	    "    restart: \"no\"\n"
	    "    mem_limit: 1073741824\n"
	    "    healthcheck:\n"
	    "      test: [\"CMD-SHELL\", \"true\"]\n"
	    "      interval: 30\n");
	load(f, "compose.yaml", NULL);
	const pl_container *a = svc(f, "a");
	assert_true(a->health.set);
	assert_false(a->health.disabled);
	assert_string_equal(a->health.what, "CMD curl -f http://localhost");
	assert_true(a->health.interval.v == 90);
	assert_true(a->health.timeout.v == 10);
	assert_true(a->health.start_period.v == 40);
	assert_true(a->health.retries.v == 3);
	assert_string_equal(svc(f, "b")->health.what, "CMD-SHELL curl -f http://localhost || exit 1");
	assert_true(svc(f, "c")->health.disabled);
	assert_true(svc(f, "d")->health.disabled);
	const pl_container *e = svc(f, "e");
	assert_string_equal(e->restart.v, "no");
	assert_true(e->mem_limit.v == 1073741824.0);
	assert_true(e->health.interval.invalid);
	const pl_compose_problem *p = problem(f, "is not a valid duration");
	assert_non_null(p);
	assert_int_equal(p->line, 29);
}

static void test_legacy_v1(void **state)
{
	fixture *f = *state;
	put(f, "docker-compose.yml",
	    "web:\n"
	    "  image: nginx\n"
	    "  links: [db]\n"
	    "db:\n"
	    "  image: postgres\n"
	    "  mem_limit: 512m\n");
	char *found[2];
	assert_int_equal(pl_compose_find(f->dir, found), 1);
	free(found[0]);
	assert_int_equal(load(f, "docker-compose.yml", NULL), 0);
	assert_int_equal(f->p.ncontainers, 2);
	assert_non_null(problem(f, "legacy Compose file format"));
	assert_true(svc(f, "db")->mem_limit.v == 512.0 * 1024 * 1024);

	put(f, "docker-compose.yml", "version: \"3.8\"\nservices:\n  a:\n    image: a\n");
	assert_int_equal(load(f, "docker-compose.yml", NULL), 0);
	const pl_compose_problem *p = problem(f, "`version` is obsolete");
	assert_non_null(p);
	assert_false(p->error);
}

/* --- robustness: the corpus -------------------------------------------------------------- */

static void test_corpus(void **state)
{
	(void)state;
	const char *root = getenv("PL_CORPUS") ? getenv("PL_CORPUS") : "../shared/corpus/compose";
	DIR *top = opendir(root);
	if (!top)
		skip();
	size_t files = 0, services = 0;
	struct dirent *d;
	while ((d = readdir(top))) {
		if (d->d_name[0] == '.')
			continue;
		char sub[1024];
		snprintf(sub, sizeof sub, "%s/%s", root, d->d_name);
		DIR *dd = opendir(sub);
		if (!dd)
			continue;
		struct dirent *e;
		while ((e = readdir(dd))) {
			size_t n = strlen(e->d_name);
			if (n < 4 || (strcmp(e->d_name + n - 4, ".yml") != 0 && strcmp(e->d_name + n - 5, ".yaml") != 0))
				continue;
			char p[2048];
			snprintf(p, sizeof p, "%s/%s", sub, e->d_name);
			const char *files1[1] = {p};
			pl_compose_opts o = {.environ = NO_ENV};
			pl_compose_project pr;
			(void)pl_compose_load(files1, 1, &o, &pr);
			files++;
			services += pr.ncontainers + pr.ninactive;
			pl_compose_free(&pr);
		}
		closedir(dd);
	}
	closedir(top);
	print_message("# %zu corpus files, %zu services\n", files, services);
	assert_true(files > 100);
	assert_true(services > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interpolate_template_cases),
		cmocka_unit_test(test_dotenv),
		cmocka_unit_test(test_units),
		cmocka_unit_test_setup_teardown(test_project_interpolation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_required_variable_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_override_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_override, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_include, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profiles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_anchors_and_security, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ports_volumes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_healthcheck, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_v1, setup, teardown),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
