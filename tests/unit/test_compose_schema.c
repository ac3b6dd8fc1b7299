/* test_compose_schema.c - compose files checked against the compose-spec schema: documents
 * Compose accepts give no problem, documents it refuses give the exact message at the
 * offending node's line:col, and every corpus compose file Compose accepts validates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "compose/compose.h"
#include "compose/schema.h"
#include "core/arena.h"
#include "core/file.h"
#include "yaml/yaml.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- helpers ---------------------------------------------------------------------------- */

typedef struct fixture {
	char dir[64];
	char path[128];
	pl_compose_project p;
	bool loaded;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/plimsoll-schema-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/compose.yaml", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	if (f->loaded)
		pl_compose_free(&f->p);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Write text as compose.yaml and load it with env (NULL-terminated "K=V" strings). */
static void load_env(fixture *f, const char *const *env, const char *text)
{
	if (f->loaded)
		pl_compose_free(&f->p);
	FILE *fp = fopen(f->path, "wb");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	const char *files[1] = {f->path};
	pl_compose_opts o = {.environ = env};
	(void)pl_compose_load(files, 1, &o, &f->p);
	f->loaded = true;
}

static const char *const NO_ENV[] = {"HOME=/home/u", NULL};

static void load(fixture *f, const char *text)
{
	load_env(f, NO_ENV, text);
}

static void dump(const fixture *f)
{
	for (size_t i = 0; i < f->p.nproblems; i++)
		print_message("# %d:%d: %s: %s\n", f->p.problems[i].line, f->p.problems[i].col,
			      f->p.problems[i].error ? "error" : "warning", f->p.problems[i].msg);
}

/* An error with exactly this message at line:col. */
static void expect(const fixture *f, int line, int col, const char *msg)
{
	for (size_t i = 0; i < f->p.nproblems; i++) {
		const pl_compose_problem *q = &f->p.problems[i];
		if (q->error && strcmp(q->msg, msg) == 0) {
			if (q->line != line || q->col != col)
				print_message("# '%s' at %d:%d, expected %d:%d\n", msg, q->line, q->col, line, col);
			assert_int_equal(q->line, line);
			assert_int_equal(q->col, col);
			return;
		}
	}
	dump(f);
	fail_msg("no error '%s'", msg);
}

static void expect_clean(const fixture *f)
{
	if (f->p.nerrors)
		dump(f);
	assert_int_equal(f->p.nerrors, 0);
}

/* --- accepted documents ----------------------------------------------------------------- */

static void test_accepts(void **state)
{
	fixture *f = *state;
	load(f,
	     "name: shop\n"
	     "x-common: &common\n"
	     "  restart: unless-stopped\n"
	     "services:\n"
	     "  web:\n"
	     "    <<: *common\n"
	     "    image: nginx:1.25\n"
	     "    ports:\n"
	     "      - 80\n"
	     "      - \"443:443\"\n"
	     "      - target: 8080\n"
	     "        published: \"8081\"\n"
	     "        protocol: tcp\n"
	     "        x-note: fine\n"
	     "    environment:\n"
	     "      A: 1\n"
	     "      B: true\n"
	     "      C:\n"
	     "      D: \"text\"\n"
	     "    depends_on:\n"
	     "      db:\n"
	     "        condition: service_healthy\n"
	     "    cpus: \"0.5\"\n"
	     "    mem_limit: 512m\n"
	     "    privileged: false\n"
	     "    read_only: true\n"
	     "    cap_drop: [ALL]\n"
	     "    command: [\"nginx\", \"-g\", \"daemon off;\"]\n"
	     "    healthcheck:\n"
	     "      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n"
	     "      interval: 30s\n"
	     "      retries: 3\n"
	     "    ulimits:\n"
	     "      nproc: 65535\n"
	     "      nofile: {soft: 20000, hard: 40000}\n"
	     "    volumes:\n"
	     "      - data:/var/lib/data\n"
	     "      - type: bind\n"
	     "        source: ./conf\n"
	     "        target: /etc/nginx/conf.d\n"
	     "        read_only: true\n"
	     "    deploy:\n"
	     "      resources:\n"
	     "        limits: {pids: 100}\n"
	     "    logging:\n"
	     "      driver: json-file\n"
	     "      options: {max-size: 10m}\n"
	     "    x-custom: [1, 2]\n"
	     "  db:\n"
	     "    image: postgres:16\n"
	     "    build:\n"
	     "      context: .\n"
	     "      args: [A=1, B=2]\n"
	     "    restart: \"no\"\n"
	     "    stop_grace_period: 1m30s\n"
	     "    extra_hosts: [\"host.docker.internal:host-gateway\"]\n"
	     "    labels: {com.example.team: shop}\n"
	     "    secrets: [pw]\n"
	     "volumes:\n"
	     "  data: {}\n"
	     "  ext:\n"
	     "    external: true\n"
	     "networks:\n"
	     "  default:\n"
	     "    name: shop-net\n"
	     "secrets:\n"
	     "  pw:\n"
	     "    file: ./pw.txt\n");
	expect_clean(f);
}

/* Interpolated values are strings, except where compose-go casts them. */
static void test_accepts_interpolated(void **state)
{
	fixture *f = *state;
	static const char *const env[] = {"HOME=/home/u", "PORT=8080", "FLAG=yes", "N=3", NULL};
	load_env(f, env,
		 "services:\n"
		 "  web:\n"
		 "    image: nginx\n"
		 "    privileged: ${FLAG}\n"
		 "    init: ${FLAG}\n"
		 "    scale: ${N}\n"
		 "    ports:\n"
		 "      - target: ${PORT}\n"
		 "        published: ${PORT}\n"
		 "      - \"${PORT}:80\"\n"
		 "    healthcheck:\n"
		 "      retries: ${N}\n"
		 "    cpu_count: ${N}\n");
	expect_clean(f);
}

/* `!reset` removes a value before validation; `version` is only a warning. */
static void test_accepts_reset_and_version(void **state)
{
	fixture *f = *state;
	load(f,
	     "version: \"3.8\"\n"
	     "services:\n"
	     "  web:\n"
	     "    image: nginx\n"
	     "    ports: !reset []\n"
	     "    depends_on: !reset null\n");
	expect_clean(f);
	assert_true(f->p.nproblems >= 1); /* the `version` warning */
}

/* --- refused documents ------------------------------------------------------------------ */

static void test_unknown_keys(void **state)
{
	fixture *f = *state;
	load(f,
	     "services:\n"
	     "  web:\n"
	     "    imagee: nginx\n"
	     "    image: nginx\n"
	     "    healthcheck:\n"
	     "      test: [CMD, \"true\"]\n"
	     "      intervall: 5s\n"
	     "  bad name:\n"
	     "    image: x\n"
	     "bogus: 1\n"
	     "x-ok: 1\n");
	expect(f, 3, 5, "services.web: additional property imagee is not allowed");
	expect(f, 7, 7, "services.web.healthcheck: additional property intervall is not allowed");
	expect(f, 8, 3, "services: additional property bad name is not allowed");
	expect(f, 10, 1, "additional property bogus is not allowed");
	assert_int_equal(f->p.nerrors, 4);
}

static void test_wrong_types(void **state)
{
	fixture *f = *state;
	load(f,
	     "services:\n"
	     "  web:\n"
	     "    image: nginx\n"
	     "    restart: 3\n"
	     "    tty: \"maybe\"\n"
	     "    command: [redis-server, --port, 6379]\n"
	     "    environment:\n"
	     "      B: [x]\n"
	     "    x-fine: {a: 1}\n"
	     "  db:\n"
	     "    image: [postgres]\n"
	     "volumes: [data]\n");
	expect(f, 4, 14, "services.web.restart must be a string");
	expect(f, 6, 37, "services.web.command.2 must be a string");
	expect(f, 8, 10, "services.web.environment.B must be a string, number or boolean");
	expect(f, 11, 12, "services.db.image must not be a sequence"); /* service.c's wins */
	expect(f, 12, 10, "volumes must be a mapping");
}

/* A oneOf no branch fits: one summary when the value has none of the branches' types. */
static void test_oneof_summary(void **state)
{
	fixture *f = *state;
	load(f,
	     "services:\n"
	     "  web:\n"
	     "    image: nginx\n"
	     "    devices:\n"
	     "      - [1, 2]\n"
	     "    build: 3\n"
	     "    depends_on:\n"
	     "      db:\n"
	     "        condition: started\n"
	     "  db:\n"
	     "    image: postgres\n");
	expect(f, 5, 9, "services.web.devices.0 must be a string or mapping");
	expect(f, 6, 12, "services.web.build must be a string or mapping");
	/* the mapping branch fits the type: its own error, not a summary */
	expect(f, 9, 20,
	       "services.web.depends_on.db.condition must be one of: service_started, "
	       "service_healthy, service_completed_successfully");
}

static void test_enum_required_minimum_pattern_unique(void **state)
{
	fixture *f = *state;
	load(f,
	     "services:\n"
	     "  web:\n"
	     "    image: nginx\n"
	     "    cgroup: shared\n"
	     "    cpu_count: -1\n"
	     "    oom_score_adj: 2000\n"
	     "    container_name: \"-\"\n"
	     "    pull_policy: sometimes\n"
	     "    cap_add: [NET_ADMIN, SYS_TIME, NET_ADMIN]\n"
	     "    depends_on:\n"
	     "      db:\n"
	     "        required: true\n"
	     "    develop:\n"
	     "      watch:\n"
	     "        - path: ./src\n"
	     "  db:\n"
	     "    image: postgres\n");
	expect(f, 4, 13, "services.web.cgroup must be one of: host, private");
	expect(f, 5, 16, "services.web.cpu_count must be greater than or equal to 0");
	expect(f, 6, 20, "services.web.oom_score_adj must be less than or equal to 1000");
	expect(f, 7, 21, "services.web.container_name must match '[a-zA-Z0-9][a-zA-Z0-9_.-]+'");
	expect(f, 8, 18,
	       "services.web.pull_policy must match "
	       "'always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+'");
	expect(f, 9, 36, "services.web.cap_add must have unique items: 'NET_ADMIN' is repeated");
	expect(f, 12, 9, "services.web.depends_on.db: property condition is required");
	expect(f, 15, 11, "services.web.develop.watch.0: property action is required");
}

/* A quoted number is a string; a plain one a number: the schema tells them apart. */
static void test_scalar_types(void **state)
{
	fixture *f = *state;
	load(f,
	     "services:\n"
	     "  web:\n"
	     "    image: nginx\n"
	     "    stop_signal: 9\n"
	     "    hostname: \"9\"\n"
	     "    user: 0x10\n"
	     "    domainname: 1_000\n"
	     "    working_dir: 1.5e3\n"
	     "    platform: .inf\n"
	     "    stdin_open: \"true\"\n"
	     "    mac_address: 2024-01-01\n");
	expect(f, 4, 18, "services.web.stop_signal must be a string");
	expect(f, 6, 11, "services.web.user must be a string");
	expect(f, 7, 17, "services.web.domainname must be a string");
	expect(f, 8, 18, "services.web.working_dir must be a string");
	expect(f, 9, 15, "services.web.platform must be a string");
	/* stdin_open takes a boolean or a string; a date-like scalar is a string */
	assert_int_equal(f->p.nerrors, 5);
}

/* The loader's own, more specific error at a node wins over the schema's there. */
static void test_no_duplicates(void **state)
{
	fixture *f = *state;
	load(f,
	     "services:\n"
	     "  web:\n"
	     "    image: nginx\n"
	     "    ports: \"80:80\"\n"
	     "    healthcheck:\n"
	     "      interval: 30\n");
	size_t at4 = 0, at6 = 0;
	for (size_t i = 0; i < f->p.nproblems; i++) {
		at4 += f->p.problems[i].error && f->p.problems[i].line == 4;
		at6 += f->p.problems[i].error && f->p.problems[i].line == 6;
	}
	if (at4 != 1 || at6 != 1)
		dump(f);
	assert_int_equal(at4, 1);
	assert_int_equal(at6, 1);
}

/* --- the corpus ------------------------------------------------------------------------- */

/* Files of the corpus Compose refuses on its own (the schema says why). */
static const struct {
	const char *file, *why;
} INVALID[] = {
	{"docker-compose/pkg__e2e__fixtures__wrong-composefile__compose.yaml",
	 "an unknown service key on purpose (wrongField)"},
	{"traefik/integration__resources__compose__ratelimit.yml",
	 "a number in a `command` list: Compose v2 wants strings (traefik's harness is not Compose)"},
	{"traefik/integration__resources__compose__redis_sentinel.yml",
	 "numbers in `command` lists, as above"},
	{"jessfraz-dockerfiles/openvpn__docker-compose.yml",
	 "the v1 layout (services at the top level), which Compose v2 refuses; the loader reads "
	 "it as v1 with a warning and validates the wrapped services"},
	{"compose-go/loader__testdata__extends__base.yaml",
	 "an empty (null) service `nil`: compose-go reads this file only as an extends base, "
	 "which it does not validate; on its own Compose refuses it"},
};

/* The loader's tree from a YAML one, without interpolation (no variables are set, as for
 * a corpus file; `${X}` stays a string either way). */
static cz_node *to_cz(arena *a, const yaml_node *y, const char *file)
{
	cz_node *n = arena_alloc(a, sizeof *n);
	n->file = file;
	n->line = y->line;
	n->col = y->col;
	n->tag = y->tag;
	n->quoted = y->quoted;
	n->kind = y->kind;
	n->s = y->kind == Y_SCALAR ? y->s : "";
	if (y->kind == Y_MAP) {
		n->pairs = arena_alloc(a, (y->npairs + 1) * sizeof *n->pairs);
		for (size_t i = 0; i < y->npairs; i++) {
			cz_node *k = to_cz(a, y->pairs[i].key, file);
			n->pairs[n->npairs++] = (cz_pair){k->s, k, to_cz(a, y->pairs[i].value, file)};
		}
	} else if (y->kind == Y_SEQ) {
		n->items = arena_alloc(a, (y->nitems + 1) * sizeof *n->items);
		for (size_t i = 0; i < y->nitems; i++)
			n->items[n->nitems++] = to_cz(a, y->items[i], file);
	}
	return n;
}

typedef struct corpus_run {
	const char *file;
	size_t errors;
} corpus_run;

static void corpus_report(void *ctx, const cz_node *at, const char *msg)
{
	corpus_run *r = ctx;
	if (r->errors++ < 3)
		print_message("# %s:%d:%d: %s\n", r->file, at->line, at->col, msg);
}

static void test_corpus(void **state)
{
	(void)state;
	const char *root = getenv("PL_CORPUS") ? getenv("PL_CORPUS") : "../shared/corpus/compose";
	DIR *top = opendir(root);
	if (!top)
		skip();
	char err[256];
	cz_schema *s = cz_schema_new(err, sizeof err);
	assert_non_null(s);
	size_t files = 0, valid = 0, refused = 0, unexpected = 0;
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
			if (n < 5 || (strcmp(e->d_name + n - 4, ".yml") != 0 && strcmp(e->d_name + n - 5, ".yaml") != 0))
				continue;
			char p[2048], rel[1200];
			snprintf(p, sizeof p, "%s/%s", sub, e->d_name);
			snprintf(rel, sizeof rel, "%s/%s", d->d_name, e->d_name);
			pl_input in;
			if (pl_read_file(p, YAML_MAX_FILE, &in, err, sizeof err) < 0)
				continue;
			yaml_stream y;
			corpus_run r = {rel, 0};
			if (yaml_load(&y, p, in.data, in.len) == 0) {
				arena a;
				arena_init(&a);
				for (size_t k = 0; k < y.ndocs; k++)
					if (y.docs[k] && y.docs[k]->kind == Y_MAP)
						cz_schema_validate(s, to_cz(&a, y.docs[k], p), corpus_report, &r);
				arena_free(&a);
			}
			yaml_free(&y);
			pl_input_free(&in);
			files++;
			bool known = false;
			for (size_t k = 0; k < sizeof INVALID / sizeof *INVALID; k++)
				known |= strcmp(INVALID[k].file, rel) == 0;
			if (r.errors == 0)
				valid++;
			else if (known)
				refused++;
			else
				unexpected++;
			if (known && r.errors == 0) {
				print_message("# %s: listed as invalid but validates\n", rel);
				unexpected++;
			}
		}
		closedir(dd);
	}
	closedir(top);
	cz_schema_free(s);
	print_message("# %zu corpus files: %zu validate, %zu refused as expected, %zu unexpected\n",
		      files, valid, refused, unexpected);
	assert_true(files > 100);
	assert_int_equal(unexpected, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_accepts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accepts_interpolated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accepts_reset_and_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oneof_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enum_required_minimum_pattern_unique, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scalar_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_duplicates, setup, teardown),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
