/* test_config.c - .plimsoll.yml: defaults, the full schema, every error with its
 * path:line:col, hostile YAML, per-path ignores and finding the file upward. Files are
 * real, in a temporary directory; rules are the real table's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/buf.h"
#include "engine/config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- helpers ------------------------------------------------------------------------- */

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

typedef struct fixture {
	char *dir;
	char *cfg;   /* dir/.plimsoll.yml */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = strdup("/tmp/plimsoll-cfg-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	buf b = BUF_INIT;
	buf_printf(&b, "%s/.plimsoll.yml", f->dir);
	f->cfg = buf_detach(&b, NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f->dir);
	free(f->cfg);
	free(f);
	return 0;
}

static void write_file(const char *path, const char *text, size_t n)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, n, fp), n);
	fclose(fp);
}

static const pl_rule *rule(const char *name)
{
	const pl_rule *r = pl_rule_find(name);
	if (!r)
		fail_msg("rule %s is not in the table", name);
	return r;
}

/* Load text as the fixture's config into a fresh config; returns the rc, err filled. */
static int load_text(fixture *f, pl_config *c, const char *text, char *err, size_t errlen)
{
	write_file(f->cfg, text, strlen(text));
	pl_config_init(c);
	err[0] = '\0';
	return pl_config_load(c, f->cfg, err, errlen);
}

/* The load must fail with exactly "<cfg>:<want>". */
static void expect_error(fixture *f, const char *text, const char *want)
{
	pl_config c;
	char err[1024];
	int rc = load_text(f, &c, text, err, sizeof err);
	buf w = BUF_INIT;
	buf_printf(&w, "%s:%s", f->cfg, want);
	if (rc != -1 || strcmp(err, w.p) != 0)
		fail_msg("for:\n%s\ngot rc=%d \"%s\"\nwant \"%s\"", text, rc, err, w.p);
	buf_free(&w);
	pl_config_free(&c);
}

/* --- defaults and queries ---------------------------------------------------------------- */

static void test_defaults(void **state)
{
	(void)state;
	pl_config c;
	pl_config_init(&c);
	assert_null(c.path);
	assert_int_equal(c.fail_on, SEV_HIGH);
	assert_int_equal(c.low_uid_below, 10000);
	assert_false(c.enable_all);
	assert_false(c.strict_labels);
	assert_int_equal(c.ntrusted, 0);
	for (size_t i = 0; i < pl_nrules; i++) {
		assert_int_equal(c.enabled[i], -1);
		assert_int_equal(c.severity[i], -1);
		assert_int_equal(pl_rule_index(pl_rules[i]), i);
		assert_int_equal(pl_config_rule_enabled(&c, pl_rules[i]), !pl_rules[i]->opt_in);
		assert_int_equal(pl_config_severity(&c, pl_rules[i]), pl_rules[i]->severity);
		assert_false(pl_config_path_ignored(&c, pl_rules[i], "Dockerfile"));
	}
	/* a rule outside the table gets its own defaults */
	pl_rule stray = {.code = "PL000", .slug = "stray", .severity = SEV_LOW, .opt_in = true};
	assert_int_equal(pl_rule_index(&stray), pl_nrules);
	assert_false(pl_config_rule_enabled(&c, &stray));
	assert_int_equal(pl_config_severity(&c, &stray), SEV_LOW);
	c.enable_all = true;
	assert_true(pl_config_rule_enabled(&c, &stray));
	pl_config_free(&c);
}

static void test_rule_lookup(void **state)
{
	(void)state;
	const pl_rule *r = rule("PL101");
	assert_string_equal(r->slug, "image-tag-latest");
	assert_ptr_equal(pl_rule_find("image-tag-latest"), r);
	assert_ptr_equal(pl_rule_find("pl101"), r);
	assert_ptr_equal(pl_rule_find("DL3007"), r);
	assert_null(pl_rule_find("PL999"));
}

/* --- the full schema ------------------------------------------------------------------- */

static void test_full_example(void **state)
{
	fixture *f = *state;
	const char *text = "# the documented example\n"
			   "fail-on: medium\n"
			   "rules:\n"
			   "  PL201: off\n"
			   "  image-not-pinned-by-digest: low\n"
			   "  DL3007: on\n"
			   "  all: on\n"
			   "trusted-registries: [registry.example.com, \"*.gcr.io\", \"docker.io\"]\n"
			   "ignore:\n"
			   "  - path: \"legacy/**\"\n"
			   "    rules: [PL201, image-tag-latest]\n"
			   "  - path: vendor/\n"
			   "label-schema:\n"
			   "  maintainer: text\n"
			   "  org.opencontainers.image.source: url\n"
			   "strict-labels: true\n"
			   "thresholds:\n"
			   "  low-uid-below: 5000\n";
	pl_config c;
	char err[512];
	assert_int_equal(load_text(f, &c, text, err, sizeof err), 0);
	assert_string_equal(c.path, f->cfg);
	assert_string_equal(c.dir, f->dir);
	assert_int_equal(c.fail_on, SEV_MEDIUM);
	const pl_rule *root = rule("root-user"), *digest = rule("PL102"), *latest = rule("PL101");
	assert_false(pl_config_rule_enabled(&c, root));
	assert_true(pl_config_rule_enabled(&c, digest));
	assert_int_equal(pl_config_severity(&c, digest), SEV_LOW);
	assert_true(pl_config_rule_enabled(&c, latest));
	assert_int_equal(pl_config_severity(&c, latest), latest->severity);
	assert_true(c.enable_all);
	for (size_t i = 0; i < pl_nrules; i++)
		if (pl_rules[i] != root)
			assert_true(pl_config_rule_enabled(&c, pl_rules[i]));
	assert_int_equal(c.ntrusted, 3);
	assert_string_equal(c.trusted_registries[0], "registry.example.com");
	assert_string_equal(c.trusted_registries[1], "*.gcr.io");
	assert_string_equal(c.trusted_registries[2], "docker.io");
	assert_int_equal(c.nignores, 2);
	assert_string_equal(c.ignores[0].pattern, "legacy/**");
	assert_int_equal(c.ignores[0].nrules, 2);
	assert_ptr_equal(c.ignores[0].rules[0], root);
	assert_ptr_equal(c.ignores[0].rules[1], latest);
	assert_string_equal(c.ignores[1].pattern, "**/vendor");
	assert_null(c.ignores[1].rules);
	assert_int_equal(c.nlabels, 2);
	assert_string_equal(c.labels[0].name, "maintainer");
	assert_string_equal(c.labels[0].type, "text");
	assert_string_equal(c.labels[1].name, "org.opencontainers.image.source");
	assert_string_equal(c.labels[1].type, "url");
	assert_true(c.strict_labels);
	assert_int_equal(c.low_uid_below, 5000);
	pl_config_free(&c);
}

static void test_values_and_nulls(void **state)
{
	fixture *f = *state;
	pl_config c;
	char err[512];
	/* empty file, comments only, empty document, null sections */
	const char *empties[] = {"", "# nothing\n", "---\n", "~\n",
				 ("rules:\nignore:\ntrusted-registries: ~\nlabel-schema: null\n"
				  "thresholds:\n")};
	for (size_t i = 0; i < sizeof empties / sizeof *empties; i++) {
		if (load_text(f, &c, empties[i], err, sizeof err) != 0)
			fail_msg("'%s': %s", empties[i], err);
		assert_int_equal(c.fail_on, SEV_HIGH);
		assert_int_equal(c.nignores, 0);
		pl_config_free(&c);
	}
	/* booleans in every spelling, severities in any case, quoted or not */
	assert_int_equal(load_text(f, &c,
				   "fail-on: NONE\nrules:\n  PL101: 'off'\n  PL102: Yes\n"
				   "  PL201: CRITICAL\n  PL216: false\nstrict-labels: on\n",
				   err, sizeof err),
			 0);
	assert_int_equal(c.fail_on, SEV_NONE);
	assert_false(pl_config_rule_enabled(&c, rule("PL101")));
	assert_true(pl_config_rule_enabled(&c, rule("PL102")));
	assert_int_equal(pl_config_severity(&c, rule("PL201")), SEV_CRITICAL);
	assert_false(pl_config_rule_enabled(&c, rule("PL216")));
	assert_true(c.strict_labels);
	pl_config_free(&c);
	/* flow style works as well as block style */
	assert_int_equal(load_text(f, &c, "{rules: {PL101: off}, thresholds: {low-uid-below: 0}}",
				   err, sizeof err),
			 0);
	assert_false(pl_config_rule_enabled(&c, rule("PL101")));
	assert_int_equal(c.low_uid_below, 0);
	pl_config_free(&c);
}

static void test_all_off_and_opt_in(void **state)
{
	fixture *f = *state;
	pl_config c;
	char err[512];
	/* "all: off" keeps only the rules the map names */
	assert_int_equal(load_text(f, &c, "rules:\n  all: off\n  PL201: on\n", err, sizeof err), 0);
	for (size_t i = 0; i < pl_nrules; i++)
		assert_int_equal(pl_config_rule_enabled(&c, pl_rules[i]),
				 pl_rules[i] == rule("PL201"));
	pl_config_free(&c);

	const pl_rule *opt = NULL;
	for (size_t i = 0; i < pl_nrules && !opt; i++)
		if (pl_rules[i]->opt_in)
			opt = pl_rules[i];
	if (!opt)
		skip(); /* the table has no opt-in rule yet */
	/* a severity turns an opt-in rule on; "on" does too */
	buf t = BUF_INIT;
	buf_printf(&t, "rules:\n  %s: low\n", opt->slug);
	assert_int_equal(load_text(f, &c, t.p, err, sizeof err), 0);
	assert_true(pl_config_rule_enabled(&c, opt));
	assert_int_equal(pl_config_severity(&c, opt), SEV_LOW);
	pl_config_free(&c);
	buf_reset(&t);
	buf_printf(&t, "rules:\n  %s: on\n", opt->code);
	assert_int_equal(load_text(f, &c, t.p, err, sizeof err), 0);
	assert_true(pl_config_rule_enabled(&c, opt));
	pl_config_free(&c);
	assert_int_equal(load_text(f, &c, "rules: {all: on}\n", err, sizeof err), 0);
	assert_true(pl_config_rule_enabled(&c, opt));
	pl_config_free(&c);
	buf_free(&t);
}

static void test_failed_load_changes_nothing(void **state)
{
	fixture *f = *state;
	pl_config c;
	char err[512];
	assert_int_equal(load_text(f, &c, "fail-on: low\nrules: {PL201: off}\n"
					  "trusted-registries: [a.io]\n",
				   err, sizeof err),
			 0);
	write_file(f->cfg, "fail-on: info\nrules: {PL101: off}\ntrusted-registries: [b.io]\n"
			   "bogus: 1\n", 70);
	assert_int_equal(pl_config_load(&c, f->cfg, err, sizeof err), -1);
	assert_int_equal(c.fail_on, SEV_LOW);
	assert_true(pl_config_rule_enabled(&c, rule("PL101")));
	assert_false(pl_config_rule_enabled(&c, rule("PL201")));
	assert_int_equal(c.ntrusted, 1);
	/* a good second file adds on top */
	write_file(f->cfg, "trusted-registries: [b.io]\n", 27);
	assert_int_equal(pl_config_load(&c, f->cfg, err, sizeof err), 0);
	assert_int_equal(c.ntrusted, 2);
	assert_string_equal(c.trusted_registries[1], "b.io");
	assert_int_equal(c.fail_on, SEV_LOW);
	pl_config_free(&c);
}

/* --- errors ---------------------------------------------------------------------------- */

static void test_schema_errors(void **state)
{
	fixture *f = *state;
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"rulez: {}\n",
		 "1:1: unknown key 'rulez' (known: fail-on, rules, trusted-registries, ignore, "
		 "label-schema, strict-labels, thresholds, allow, webhook, live)"},
		{"allow:\n  setuid: [usr/bin/su]\n",
		 "2:11: allow.setuid entry 'usr/bin/su' is not an absolute path"},
		{"allow:\n  secret: []\n", "2:3: unknown key 'secret' (known: setuid, secrets, drift)"},
		{"allow:\n  secrets: [\"\"]\n", "2:13: empty entry in 'allow.secrets'"},
		{"allow: [a]\n", "1:8: 'allow' must be a mapping"},
		{"fail-on: high\nrules:\n  PL999: off\n", "3:3: unknown rule 'PL999'"},
		{"fail-on: urgent\n",
		 "1:10: bad value 'urgent' for 'fail-on' (expected critical, high, medium, low, "
		 "info or none)"},
		{"fail-on: [high]\n", "1:10: 'fail-on' must be a single value"},
		{"rules: [PL101]\n", "1:8: 'rules' must be a mapping"},
		{"rules:\n  PL101: maybe\n",
		 "2:10: bad value 'maybe' for rule 'PL101' (expected on, off or a severity: "
		 "critical, high, medium, low, info)"},
		{"rules:\n  PL101: none\n",
		 "2:10: bad value 'none' for rule 'PL101' (expected on, off or a severity: "
		 "critical, high, medium, low, info)"},
		{"rules:\n  PL101: {a: 1}\n",
		 "2:10: bad value '...' for rule 'PL101' (expected on, off or a severity: "
		 "critical, high, medium, low, info)"},
		{"rules:\n  all: low\n", "2:8: bad value 'low' for 'all' (expected on or off)"},
		{"rules:\n  PL201: off\n  root-user: on\n",
		 "3:3: 'root-user' is the same rule as 'PL201' (line 2)"},
		{"rules:\n  [a]: on\n", "2:3: keys must be strings"},
		{"fail-on: high\nfail-on: low\n", "2:1: duplicate key 'fail-on' (first at line 1)"},
		{"rules:\n  PL101: on\n  PL102: on\n  PL101: off\n",
		 "4:3: duplicate key 'PL101' (first at line 2)"},
		{"trusted-registries: docker.io\n", "1:21: 'trusted-registries' must be a list"},
		{"trusted-registries: [ok.io, {a: b}]\n",
		 "1:29: 'trusted-registries entries' must be a single value"},
		{"trusted-registries: [\"bad name\"]\n", "1:22: bad registry name 'bad name'"},
		{"trusted-registries: [\"\"]\n", "1:22: bad registry name ''"},
		{"ignore: legacy\n", "1:9: 'ignore' must be a list"},
		{"ignore:\n  - legacy\n",
		 "2:5: 'ignore' entries must be mappings with 'path' and 'rules'"},
		{"ignore:\n  - paths: legacy\n", "2:5: unknown key 'paths' (known: path, rules)"},
		{"ignore:\n  - rules: [PL101]\n", "2:5: 'ignore' entry without 'path'"},
		{"ignore:\n  - path: \"\"\n", "2:11: empty path pattern"},
		{"ignore:\n  - path: \"!keep\"\n", "2:11: path patterns cannot start with '!'"},
		{"ignore:\n  - path: \"a\\tb\"\n", "2:11: path pattern holds a control character"},
		{"ignore:\n  - path: [a]\n", "2:11: 'path' must be a single value"},
		{"ignore:\n  - path: a\n    rules: PL101\n", "3:12: 'rules' must be a list"},
		{"ignore:\n  - path: a\n    rules: []\n",
		 "3:12: empty 'rules' list (omit 'rules' to ignore every rule)"},
		{"ignore:\n  - path: a\n    rules: [PL101, nope]\n", "3:20: unknown rule 'nope'"},
		{"ignore:\n  - path: a\n    path: b\n", "3:5: duplicate key 'path' (first at line 2)"},
		{"label-schema: [a]\n", "1:15: 'label-schema' must be a mapping"},
		{"label-schema:\n  maintainer: number\n",
		 "2:15: unknown label type 'number' for 'maintainer' (known: text, url, semver, "
		 "hash, rfc3339, spdx, email)"},
		{"label-schema:\n  \"\": text\n", "2:3: empty label name"},
		{"label-schema:\n  a: [text]\n", "2:6: 'label-schema values' must be a single value"},
		{"strict-labels: maybe\n",
		 "1:16: bad value 'maybe' for 'strict-labels' (expected true or false)"},
		{"thresholds: 5\n", "1:13: 'thresholds' must be a mapping"},
		{"thresholds:\n  high-uid: 1\n", "2:3: unknown key 'high-uid' (known: low-uid-below)"},
		{"thresholds:\n  low-uid-below: -1\n",
		 "2:18: bad value '-1' for 'low-uid-below' (expected a whole number from 0 to "
		 "2147483647)"},
		{"thresholds:\n  low-uid-below: 2147483648\n",
		 "2:18: bad value '2147483648' for 'low-uid-below' (expected a whole number from 0 "
		 "to 2147483647)"},
		{"thresholds:\n  low-uid-below: 1e4\n",
		 "2:18: bad value '1e4' for 'low-uid-below' (expected a whole number from 0 to "
		 "2147483647)"},
		{"thresholds:\n  low-uid-below: [1]\n", "2:18: 'low-uid-below' must be a single value"},
		{"- rules\n", "1:1: the configuration must be a mapping of keys"},
		{"just text\n", "1:1: the configuration must be a mapping of keys"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		expect_error(f, cases[i].text, cases[i].want);
}

static void test_yaml_errors(void **state)
{
	fixture *f = *state;
	/* syntax errors carry libfyaml's message and position */
	expect_error(f, "rules: [PL101\n", "2:1: flow sequence without a closing bracket");
	expect_error(f, "rules:\n  PL101: \"x\\qy\"\n", "2:12: invalid escape 'q' in double-quoted string");
	expect_error(f, "fail-on: high\n---\nfail-on: low\n",
		     "2:1: only one YAML document is allowed");
	expect_error(f, "rules: !!map {PL101: on}\n", "1:8: tags are not supported");
	expect_error(f, "fail-on: !!str high\n", "1:10: tags are not supported");
	/* aliases are refused where they appear: nothing is ever expanded */
	expect_error(f, "fail-on: &s high\nrules:\n  PL101: *s\n", "3:10: aliases are not supported");
	/* bytes that are not UTF-8 text */
	expect_error(f, "fail-on: hi\xffgh\n", "1:12: invalid UTF-8 (the file is not UTF-8 text)");
	pl_config c;
	pl_config_init(&c);
	char err[512];
	write_file(f->cfg, "a: 1\n\0", 6);
	assert_int_equal(pl_config_load(&c, f->cfg, err, sizeof err), -1);
	buf w = BUF_INIT;
	buf_printf(&w, "%s:2:1: NUL byte (binary file, not a text file)", f->cfg);
	assert_string_equal(err, w.p);
	/* a missing file */
	buf_reset(&w);
	buf_printf(&w, "%s/none.yml", f->dir);
	assert_int_equal(pl_config_load(&c, w.p, err, sizeof err), -1);
	buf_printf(&w, ": cannot open: No such file or directory");
	assert_string_equal(err, w.p);
	buf_free(&w);
	pl_config_free(&c);
}

static void test_hostile_yaml(void **state)
{
	fixture *f = *state;
	/* billion laughs: refused at the first alias, in bounded memory */
	const char *laughs = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
			     "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
			     "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
			     "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n";
	expect_error(f, laughs, "2:8: aliases are not supported");
	/* a merge key is an alias too */
	expect_error(f, "x: &x {fail-on: low}\n<<: *x\n", "2:5: aliases are not supported");

	/* deep nesting stops at 64 levels */
	buf b = BUF_INIT;
	buf_adds(&b, "rules: ");
	for (int i = 0; i < 100; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 100; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '\n');
	expect_error(f, b.p, "1:71: nested deeper than 64 levels");

	/* over 1 MiB is refused before parsing */
	buf_reset(&b);
	buf_adds(&b, "trusted-registries:\n");
	while (b.len <= 1024 * 1024)
		buf_adds(&b, "  - registry.example.com\n");
	write_file(f->cfg, b.p, b.len);
	pl_config c;
	pl_config_init(&c);
	char err[512];
	assert_int_equal(pl_config_load(&c, f->cfg, err, sizeof err), -1);
	buf w = BUF_INIT;
	buf_printf(&w, "%s: file is %zu bytes, over the 1048576-byte input limit", f->cfg, b.len);
	assert_string_equal(err, w.p);
	assert_int_equal(c.ntrusted, 0);
	pl_config_free(&c);

	/* many keys: duplicate detection stays fast, and finds the first repeat */
	buf_reset(&b);
	buf_adds(&b, "label-schema:\n");
	for (int i = 0; i < 20000; i++)
		buf_printf(&b, "  l%d: text\n", i);
	buf_adds(&b, "  l7: url\n  l3: url\n");
	expect_error(f, b.p, "20002:3: duplicate key 'l7' (first at line 9)");
	buf_free(&b);
	buf_free(&w);
}

/* --- per-path ignores ---------------------------------------------------------------- */

static void test_allow(void **state)
{
	fixture *f = *state;
	pl_config c;
	char err[512];
	assert_int_equal(load_text(f, &c,
				   "allow:\n  setuid: [/usr/bin/passwd, \"/opt/*/bin/helper\"]\n"
				   "  secrets: [\"/usr/share/doc/*\", AKIAPLIMSOLLEXAMPLE0]\n",
				   err, sizeof err), 0);
	assert_true(pl_config_setuid_allowed(&c, "/usr/bin/passwd"));
	assert_true(pl_config_setuid_allowed(&c, "/opt/x/y/bin/helper"));
	assert_false(pl_config_setuid_allowed(&c, "/usr/bin/su"));
	assert_true(pl_config_secret_allowed(&c, "/usr/share/doc/a/id_rsa", NULL, 0, false));
	assert_false(pl_config_secret_allowed(&c, "/root/.ssh/id_rsa", NULL, 0, false));
	const char *v = "AKIAPLIMSOLLEXAMPLE0";
	assert_true(pl_config_secret_allowed(&c, NULL, v, strlen(v), false));
	/* a value is accepted whole, or inside a longer text only when asked (history) */
	const char *cmd = "RUN aws configure set key AKIAPLIMSOLLEXAMPLE0";
	assert_false(pl_config_secret_allowed(&c, NULL, cmd, strlen(cmd), false));
	assert_true(pl_config_secret_allowed(&c, NULL, cmd, strlen(cmd), true));
	/* a path entry never accepts a value, nor a value entry a path */
	assert_false(pl_config_secret_allowed(&c, NULL, "/usr/share/doc/x", 16, false));
	assert_false(pl_config_secret_allowed(&c, "AKIAPLIMSOLLEXAMPLE0", NULL, 0, false));
	pl_config_free(&c);
}

/* webhook: (plimsoll serve): exemptions and the warning threshold, and their errors */
static void test_webhook(void **state)
{
	fixture *f = *state;
	pl_config c;
	char err[512];
	assert_int_equal(load_text(f, &c,
				   "webhook:\n  exempt-namespaces: [kube-system, plimsoll]\n"
				   "  exempt-labels: [plimsoll.dev/exempt=true, legacy]\n  warn-on: medium\n",
				   err, sizeof err), 0);
	assert_int_equal(c.nexempt_namespaces, 2);
	assert_string_equal(c.exempt_namespaces[1], "plimsoll");
	assert_int_equal(c.nexempt_labels, 2);
	assert_string_equal(c.exempt_labels[0], "plimsoll.dev/exempt=true");
	assert_int_equal(c.warn_on, SEV_MEDIUM);
	pl_config_free(&c);
	assert_int_equal(load_text(f, &c, "webhook:\n  warn-on: none\n", err, sizeof err), 0);
	assert_int_equal(c.warn_on, SEV_NONE);
	pl_config_free(&c);
	assert_int_equal(load_text(f, &c, "fail-on: high\n", err, sizeof err), 0);
	assert_int_equal(c.warn_on, SEV_LOW); /* the default */
	assert_int_equal(c.nexempt_namespaces, 0);
	pl_config_free(&c);
	expect_error(f, "webhook: [a]\n", "1:10: 'webhook' must be a mapping");
	expect_error(f, "webhook:\n  exempt-namespace: [a]\n",
		     "2:3: unknown key 'exempt-namespace' (known: exempt-namespaces, exempt-labels, "
		     "warn-on)");
	expect_error(f, "webhook:\n  exempt-labels: [\"=x\"]\n",
		     "2:18: webhook.exempt-labels entry '=x' has no label key");
	expect_error(f, "webhook:\n  warn-on: loud\n",
		     "2:12: bad value 'loud' for 'warn-on' (expected critical, high, medium, low, "
		     "info or none)");
	expect_error(f, "webhook:\n  exempt-namespaces: [\"\"]\n",
		     "2:23: empty entry in 'webhook.exempt-namespaces'");
}

static void test_path_ignores(void **state)
{
	fixture *f = *state;
	pl_config c;
	char err[512];
	assert_int_equal(load_text(f, &c,
				   "ignore:\n"
				   "  - path: \"legacy/**\"\n"
				   "    rules: [PL201, DL3007]\n"
				   "  - path: vendor/\n"
				   "  - path: \"*.test.Dockerfile\"\n"
				   "  - path: /docker/ci?/Dockerfile\n"
				   "    rules: [PL102]\n",
				   err, sizeof err),
			 0);
	const pl_rule *root = rule("PL201"), *latest = rule("PL101"), *digest = rule("PL102");
	buf p = BUF_INIT;
#define IGN(r, rel) (buf_reset(&p), buf_printf(&p, "%s/%s", f->dir, rel), \
		     pl_config_path_ignored(&c, (r), p.p))
	assert_true(IGN(root, "legacy/Dockerfile"));
	assert_true(IGN(latest, "legacy/a/b/Dockerfile"));
	assert_false(IGN(digest, "legacy/Dockerfile"));   /* not in its rules */
	assert_false(IGN(root, "legacy"));                /* the directory itself is not under it */
	assert_false(IGN(root, "src/legacy/Dockerfile")); /* anchored: has a '/' */
	/* "vendor/" names a directory at any depth: every rule, everything under it */
	assert_true(IGN(digest, "vendor/x/Dockerfile"));
	assert_true(IGN(digest, "svc/vendor/Dockerfile"));
	assert_false(IGN(digest, "vendors/Dockerfile"));
	/* no '/': the name matches at any depth */
	assert_true(IGN(root, "a.test.Dockerfile"));
	assert_true(IGN(root, "deep/dir/b.test.Dockerfile"));
	assert_false(IGN(root, "a.test.Dockerfile.bak"));
	/* a leading '/' anchors at the config's directory */
	assert_true(IGN(digest, "docker/ci1/Dockerfile"));
	assert_false(IGN(root, "docker/ci1/Dockerfile"));
	assert_false(IGN(digest, "x/docker/ci1/Dockerfile"));
	/* "." and ".." elements are cleaned away; files outside the dir never match */
	assert_true(IGN(root, "./src/../legacy/./Dockerfile"));
	assert_false(IGN(root, "../legacy/Dockerfile"));
	assert_false(pl_config_path_ignored(&c, root, "/elsewhere/legacy/Dockerfile"));
#undef IGN
	/* a relative path is taken against the working directory */
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(f->dir), 0);
	assert_true(pl_config_path_ignored(&c, root, "legacy/Dockerfile"));
	assert_true(pl_config_path_ignored(&c, root, "./legacy/Dockerfile"));
	assert_false(pl_config_path_ignored(&c, root, "Dockerfile"));
	assert_int_equal(chdir(cwd), 0);
	buf_free(&p);
	pl_config_free(&c);

	/* a config found as a relative path: dir "." */
	assert_int_equal(chdir(f->dir), 0);
	pl_config_init(&c);
	assert_int_equal(pl_config_load(&c, ".plimsoll.yml", err, sizeof err), 0);
	assert_string_equal(c.dir, ".");
	assert_true(pl_config_path_ignored(&c, root, "legacy/Dockerfile"));
	buf_reset(&p);
	buf_printf(&p, "%s/legacy/Dockerfile", f->dir);
	assert_true(pl_config_path_ignored(&c, root, p.p));
	buf_free(&p);
	pl_config_free(&c);
	assert_int_equal(chdir(cwd), 0);
}

/* --- finding the file ------------------------------------------------------------------ */

static void test_find(void **state)
{
	fixture *f = *state;
	buf deep = BUF_INIT, p = BUF_INIT;
	buf_printf(&deep, "%s/a", f->dir);
	assert_int_equal(mkdir(deep.p, 0755), 0);
	buf_adds(&deep, "/b");
	assert_int_equal(mkdir(deep.p, 0755), 0);

	/* nothing yet (assuming no config above /tmp) */
	char *found = pl_config_find(deep.p);
	assert_null(found);

	/* .plimsoll.yaml in the top directory, found from two levels down */
	buf_printf(&p, "%s/.plimsoll.yaml", f->dir);
	write_file(p.p, "{}\n", 3);
	found = pl_config_find(deep.p);
	assert_non_null(found);
	assert_string_equal(found, p.p);
	free(found);

	/* .plimsoll.yml beats .plimsoll.yaml in the same directory */
	write_file(f->cfg, "{}\n", 3);
	found = pl_config_find(deep.p);
	assert_string_equal(found, f->cfg);
	free(found);

	/* the nearest directory wins; the start directory keeps the caller's spelling */
	buf_reset(&p);
	buf_printf(&p, "%s/.plimsoll.yml", deep.p);
	write_file(p.p, "{}\n", 3);
	found = pl_config_find(deep.p);
	assert_string_equal(found, p.p);
	free(found);
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(deep.p), 0);
	found = pl_config_find(".");
	assert_string_equal(found, ".plimsoll.yml");
	free(found);
	/* a directory named .plimsoll.yml is not a config */
	assert_int_equal(remove(".plimsoll.yml"), 0);
	assert_int_equal(mkdir(".plimsoll.yml", 0755), 0);
	found = pl_config_find(".");
	assert_string_equal(found, f->cfg);
	free(found);
	assert_int_equal(chdir(cwd), 0);
	assert_null(pl_config_find("/nonexistent/plimsoll/dir"));
	buf_free(&deep);
	buf_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_rule_lookup),
		cmocka_unit_test_setup_teardown(test_full_example, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values_and_nulls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_off_and_opt_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_load_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yaml_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_yaml, setup, teardown),
		cmocka_unit_test_setup_teardown(test_path_ignores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_webhook, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
