/* test_report.c - the reporters (text, JSON, SARIF, JUnit, GitHub) and the findings list,
 * on hand-made findings of rules defined here, so the tests do not move when the real
 * rule table does.
 *
 * With PL_SARIF_OUT set, test_sarif_document also writes its SARIF there, for
 * tests/golden/sarif.sh to validate against the official schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "engine/finding.h"
#include "report/report.h"

static const pl_rule rule_latest = {
	.code = "PL101",
	.slug = "image-tag-latest",
	.severity = SEV_HIGH,
	.inputs = IN_D | IN_C | IN_K,
	.aka = "DL3006 DL3007",
	.summary = "the base image is not pinned to a version",
	.why = "A mutable tag changes under you: two builds of one commit ship different code.",
	.fix = "pin a version tag and a digest",
};

static const pl_rule rule_root = {
	.code = "PL201",
	.slug = "root-user",
	.severity = SEV_HIGH,
	.inputs = IN_D | IN_I,
	.aka = "DL3002",
	.summary = "the container runs as root",
	.why = "Root in a container is root on the host's kernel.",
	.fix = "add a USER with a non-zero UID",
};

static const pl_rule rule_health = {
	.code = "PL401",
	.slug = "healthcheck-missing",
	.severity = SEV_MEDIUM,
	.inputs = IN_C,
	.aka = "",
	.summary = "no health check",
	.why = "Without a health check a hung process looks healthy.",
	.fix = NULL,
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static pl_finding *add(pl_findings *fs, const pl_rule *r, pl_severity sev, const char *file,
		       int line, int col, int end_line, int end_col, const char *target,
		       const char *msg, const char *fix, const char *aka, const char *source)
{
	pl_finding *f = pl_findings_add(fs);
	f->rule = r;
	f->severity = sev;
	f->file = xstrdup(file);
	f->line = line;
	f->col = col;
	f->end_line = end_line;
	f->end_col = end_col;
	f->target = dup_or_null(target);
	f->message = xstrdup(msg);
	f->fix = dup_or_null(fix);
	f->aka = xstrdup(aka);
	f->source = dup_or_null(source);
	return f;
}

/* The three findings most tests use: a span, a span after a tab, and no position. */
static void sample(pl_findings *fs)
{
	add(fs, &rule_latest, SEV_HIGH, "Dockerfile", 1, 6, 1, 17, "stage 0 (FROM node:latest)",
	    "base image \"node:latest\" uses the mutable tag latest", "pin a version tag and a digest",
	    "DL3007", "FROM node:latest AS build");
	add(fs, &rule_root, SEV_CRITICAL, "Dockerfile", 12, 2, 12, 11, "stage 1 (FROM node:20)",
	    "the final stage runs as root", NULL, "DL3002 CKV_DOCKER_8", "\tUSER root");
	add(fs, &rule_health, SEV_MEDIUM, "svc/compose.yaml", 0, 0, 0, 0, "service web",
	    "no healthcheck", "add a healthcheck", "", NULL);
}

static const char *const sample_files[] = {"Dockerfile", "svc/compose.yaml", "clean/Dockerfile"};

static pl_report_opts opts(size_t nfiles)
{
	pl_report_opts o = {
		.color = false,
		.version = "0.1.0",
		.nfiles = nfiles,
		.files = sample_files,
		.fail_on = SEV_HIGH,
	};
	return o;
}

/* Run a reporter and compare its whole output. */
static void expect(pl_reporter fn, const pl_findings *fs, const pl_report_opts *o, const char *want)
{
	buf out = BUF_INIT;
	fn(&out, fs, o);
	if (strcmp(buf_str(&out), want)) {
		print_message("--- got ---\n%s--- want ---\n%s---\n", buf_str(&out), want);
		buf_free(&out);
		fail_msg("output differs");
	}
	buf_free(&out);
}

static void test_sort_and_free(void **state)
{
	(void)state;
	pl_findings fs = {0};
	add(&fs, &rule_root, SEV_HIGH, "b", 1, 1, 0, 0, NULL, "m", NULL, "", NULL);
	add(&fs, &rule_root, SEV_HIGH, "a", 9, 1, 0, 0, NULL, "m", NULL, "", NULL);
	add(&fs, &rule_root, SEV_HIGH, "a", 2, 5, 0, 0, NULL, "z", NULL, "", NULL);
	add(&fs, &rule_latest, SEV_HIGH, "a", 2, 5, 0, 0, NULL, "z", NULL, "", NULL);
	add(&fs, &rule_root, SEV_HIGH, "a", 2, 5, 0, 0, NULL, "y", NULL, "", NULL);
	add(&fs, &rule_root, SEV_HIGH, "a", 2, 3, 0, 0, NULL, "m", NULL, "", NULL);
	/* equal keys: emission order is kept (the target tells them apart) */
	add(&fs, &rule_root, SEV_HIGH, "a", 2, 5, 0, 0, "first", "y", NULL, "", NULL);
	add(&fs, &rule_root, SEV_HIGH, "a", 2, 5, 0, 0, "second", "y", NULL, "", NULL);
	pl_findings_sort(&fs);
	const char *want[] = {"a:2:3:PL201:m",  "a:2:5:PL101:z", "a:2:5:PL201:y", "a:2:5:PL201:y",
			      "a:2:5:PL201:y", "a:2:5:PL201:z", "a:9:1:PL201:m", "b:1:1:PL201:m"};
	assert_int_equal(fs.n, 8);
	for (size_t i = 0; i < fs.n; i++) {
		char got[64];
		snprintf(got, sizeof got, "%s:%d:%d:%s:%s", fs.v[i].file, fs.v[i].line, fs.v[i].col,
			 fs.v[i].rule->code, fs.v[i].message);
		assert_string_equal(got, want[i]);
	}
	assert_null(fs.v[2].target);
	assert_string_equal(fs.v[3].target, "first");
	assert_string_equal(fs.v[4].target, "second");
	pl_findings_free(&fs);
	assert_null(fs.v);
	assert_int_equal(fs.n, 0);
	pl_findings_free(&fs); /* freeing twice is harmless */
}

static void test_find_and_doc_uri(void **state)
{
	(void)state;
	assert_ptr_equal(pl_reporter_find("text"), pl_report_text);
	assert_ptr_equal(pl_reporter_find("json"), pl_report_json);
	assert_ptr_equal(pl_reporter_find("sarif"), pl_report_sarif);
	assert_ptr_equal(pl_reporter_find("junit"), pl_report_junit);
	assert_ptr_equal(pl_reporter_find("github"), pl_report_github);
	assert_null(pl_reporter_find("xml"));
	assert_null(pl_reporter_find(""));
	assert_null(pl_reporter_find(NULL));
	buf b = BUF_INIT;
	buf_adds(&b, "leftover");
	assert_string_equal(pl_rule_doc_uri(&rule_root, &b),
			    "https://github.com/plimsoll-dev/plimsoll/blob/main/docs/rules/PL201.md");
	buf_free(&b);
}

static void test_text(void **state)
{
	(void)state;
	pl_findings fs = {0};
	sample(&fs);
	pl_report_opts o = opts(2);
	expect(pl_report_text, &fs, &o,
	       "Dockerfile:1:6: high[PL101 image-tag-latest]: base image \"node:latest\" uses the mutable tag latest\n"
	       " FROM node:latest AS build\n"
	       "      ^~~~~~~~~~~\n"
	       "  fix: pin a version tag and a digest\n"
	       "  target: stage 0 (FROM node:latest)\n"
	       "Dockerfile:12:2: critical[PL201 root-user]: the final stage runs as root\n"
	       " \tUSER root\n"
	       " \t^~~~~~~~~\n"
	       "  target: stage 1 (FROM node:20)\n"
	       "svc/compose.yaml: medium[PL401 healthcheck-missing]: no healthcheck\n"
	       "  fix: add a healthcheck\n"
	       "  target: service web\n"
	       "\n"
	       "3 findings (1 critical, 1 high, 1 medium) in 2 files; failing threshold: high\n");
	/* --quiet: no blank line, no summary */
	o.quiet = true;
	buf out = BUF_INIT;
	pl_report_text(&out, &fs, &o);
	assert_int_equal(out.p[out.len - 1], '\n');
	assert_non_null(strstr(buf_str(&out), "  target: service web\n"));
	assert_null(strstr(buf_str(&out), "\n\n"));
	assert_null(strstr(buf_str(&out), "3 findings"));
	buf_free(&out);
	pl_findings_free(&fs);

	pl_findings none = {0};
	o = opts(4);
	expect(pl_report_text, &none, &o, "no findings in 4 files\n");
	o = opts(1);
	expect(pl_report_text, &none, &o, "no findings in 1 file\n");
	o.quiet = true;
	expect(pl_report_text, &none, &o, "");
}

static void test_text_carets(void **state)
{
	(void)state;
	pl_findings fs = {0};
	/* multi-line span: to the end of the first line */
	add(&fs, &rule_root, SEV_LOW, "D", 3, 5, 5, 2, NULL, "multi", NULL, "", "RUN a && \\");
	/* no end: one caret; multi-byte characters take one column each */
	add(&fs, &rule_root, SEV_LOW, "D", 4, 8, 0, 0, NULL, "point", NULL, "", "ENV é=ü x=1");
	/* span through multi-byte characters */
	add(&fs, &rule_root, SEV_LOW, "D", 5, 5, 5, 10, NULL, "utf8", NULL, "", "ENV éü=1");
	/* a column past the end of the line, and control characters shown as '?' */
	add(&fs, &rule_root, SEV_INFO, "D", 6, 6, 6, 9, NULL, "bell\a\x1b[2J", NULL, "", "RUN\x1b");
	/* a line without a column: the source but no caret */
	add(&fs, &rule_root, SEV_INFO, "D", 7, 0, 0, 0, NULL, "nocol", NULL, "", "USER 0");
	pl_report_opts o = opts(1);
	expect(pl_report_text, &fs, &o,
	       "D:3:5: low[PL201 root-user]: multi\n"
	       " RUN a && \\\n"
	       "     ^~~~~~\n"
	       "D:4:8: low[PL201 root-user]: point\n"
	       " ENV é=ü x=1\n"
	       "       ^\n"
	       "D:5:5: low[PL201 root-user]: utf8\n"
	       " ENV éü=1\n"
	       "     ^~~\n"
	       "D:6:6: info[PL201 root-user]: bell??[2J\n"
	       " RUN?\n"
	       "      ^\n"
	       "D:7: info[PL201 root-user]: nocol\n"
	       " USER 0\n"
	       "\n"
	       "5 findings (3 low, 2 info) in 1 file; failing threshold: high\n");
	pl_findings_free(&fs);
}

static void test_text_color(void **state)
{
	(void)state;
	pl_findings fs = {0};
	sample(&fs);
	pl_report_opts o = opts(2);
	o.color = true;
	buf out = BUF_INIT;
	pl_report_text(&out, &fs, &o);
	const char *s = buf_str(&out);
	assert_non_null(strstr(s, "\033[1mDockerfile:1:6:\033[0m \033[1;31mhigh\033[0m[PL101 "));
	assert_non_null(strstr(s, "\033[1;31mcritical\033[0m"));
	assert_non_null(strstr(s, "\033[1;33mmedium\033[0m"));
	assert_non_null(strstr(s, "      \033[1;32m^~~~~~~~~~~\033[0m\n"));
	buf_free(&out);
	pl_findings_free(&fs);
}

static void test_json(void **state)
{
	(void)state;
	pl_findings fs = {0};
	sample(&fs);
	pl_report_opts o = opts(3);
	expect(pl_report_json, &fs, &o,
	       "{\n"
	       "  \"tool\": {\n"
	       "    \"name\": \"plimsoll\",\n"
	       "    \"version\": \"0.1.0\"\n"
	       "  },\n"
	       "  \"findings\": [\n"
	       "    {\n"
	       "      \"code\": \"PL101\",\n"
	       "      \"slug\": \"image-tag-latest\",\n"
	       "      \"severity\": \"high\",\n"
	       "      \"file\": \"Dockerfile\",\n"
	       "      \"line\": 1,\n"
	       "      \"column\": 6,\n"
	       "      \"end_line\": 1,\n"
	       "      \"end_column\": 17,\n"
	       "      \"target\": \"stage 0 (FROM node:latest)\",\n"
	       "      \"message\": \"base image \\\"node:latest\\\" uses the mutable tag latest\",\n"
	       "      \"fix\": \"pin a version tag and a digest\",\n"
	       "      \"aka\": [\n"
	       "        \"DL3007\"\n"
	       "      ]\n"
	       "    },\n"
	       "    {\n"
	       "      \"code\": \"PL201\",\n"
	       "      \"slug\": \"root-user\",\n"
	       "      \"severity\": \"critical\",\n"
	       "      \"file\": \"Dockerfile\",\n"
	       "      \"line\": 12,\n"
	       "      \"column\": 2,\n"
	       "      \"end_line\": 12,\n"
	       "      \"end_column\": 11,\n"
	       "      \"target\": \"stage 1 (FROM node:20)\",\n"
	       "      \"message\": \"the final stage runs as root\",\n"
	       "      \"fix\": null,\n"
	       "      \"aka\": [\n"
	       "        \"DL3002\",\n"
	       "        \"CKV_DOCKER_8\"\n"
	       "      ]\n"
	       "    },\n"
	       "    {\n"
	       "      \"code\": \"PL401\",\n"
	       "      \"slug\": \"healthcheck-missing\",\n"
	       "      \"severity\": \"medium\",\n"
	       "      \"file\": \"svc/compose.yaml\",\n"
	       "      \"line\": null,\n"
	       "      \"column\": null,\n"
	       "      \"end_line\": null,\n"
	       "      \"end_column\": null,\n"
	       "      \"target\": \"service web\",\n"
	       "      \"message\": \"no healthcheck\",\n"
	       "      \"fix\": \"add a healthcheck\",\n"
	       "      \"aka\": []\n"
	       "    }\n"
	       "  ],\n"
	       "  \"summary\": {\n"
	       "    \"files\": 3,\n"
	       "    \"findings\": 3,\n"
	       "    \"by_severity\": {\n"
	       "      \"critical\": 1,\n"
	       "      \"high\": 1,\n"
	       "      \"medium\": 1,\n"
	       "      \"low\": 0,\n"
	       "      \"info\": 0\n"
	       "    },\n"
	       "    \"fail_on\": \"high\"\n"
	       "  }\n"
	       "}\n");
	pl_findings_free(&fs);

	pl_findings none = {0};
	o = opts(0);
	o.version = NULL;
	o.fail_on = SEV_NONE;
	buf out = BUF_INIT;
	pl_report_json(&out, &none, &o);
	assert_non_null(strstr(buf_str(&out), "\"version\": null\n"));
	assert_non_null(strstr(buf_str(&out), "\"findings\": [],\n"));
	assert_non_null(strstr(buf_str(&out), "\"fail_on\": \"none\"\n"));
	buf_free(&out);
}

static void test_github(void **state)
{
	(void)state;
	pl_findings fs = {0};
	sample(&fs);
	add(&fs, &rule_root, SEV_LOW, "dir,a:b/100%.yaml", 3, 0, 0, 0, NULL,
	    "50% done,\r\nnext: line", NULL, "", NULL);
	pl_report_opts o = opts(3);
	expect(pl_report_github, &fs, &o,
	       "::error file=Dockerfile,line=1,col=6,endLine=1,endColumn=17,title=PL101 image-tag-latest::"
	       "base image \"node:latest\" uses the mutable tag latest\n"
	       "::error file=Dockerfile,line=12,col=2,endLine=12,endColumn=11,title=PL201 root-user::"
	       "the final stage runs as root\n"
	       "::warning file=svc/compose.yaml,title=PL401 healthcheck-missing::no healthcheck\n"
	       "::notice file=dir%2Ca%3Ab/100%25.yaml,line=3,title=PL201 root-user::"
	       "50%25 done,%0D%0Anext: line\n");
	pl_findings_free(&fs);
}

static void test_junit(void **state)
{
	(void)state;
	pl_findings fs = {0};
	sample(&fs);
	/* a second finding of the same (target, rule): one test case, two lines */
	add(&fs, &rule_latest, SEV_MEDIUM, "Dockerfile", 5, 6, 5, 12, "stage 0 (FROM node:latest)",
	    "second <use> of latest", NULL, "", NULL);
	/* XML specials and characters XML 1.0 forbids */
	add(&fs, &rule_root, SEV_LOW, "a&b.yaml", 2, 3, 0, 0, "svc \"x\" 'y'",
	    "bad\x01\x1f char <&> \"q\" 'a'\tx", NULL, "", NULL);
	pl_findings_sort(&fs);
	pl_report_opts o = opts(3);
	expect(pl_report_junit, &fs, &o,
	       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<testsuites name=\"plimsoll\" tests=\"5\" failures=\"4\" errors=\"0\">\n"
	       "  <testsuite name=\"Dockerfile\" tests=\"2\" failures=\"2\" errors=\"0\">\n"
	       "    <testcase classname=\"Dockerfile\" name=\"PL101 image-tag-latest: stage 0 (FROM node:latest)\">\n"
	       "      <failure message=\"2 findings\" type=\"high\">"
	       "1:6: base image &quot;node:latest&quot; uses the mutable tag latest\n"
	       "5:6: second &lt;use&gt; of latest\n"
	       "fix: pin a version tag and a digest\n"
	       "</failure>\n"
	       "    </testcase>\n"
	       "    <testcase classname=\"Dockerfile\" name=\"PL201 root-user: stage 1 (FROM node:20)\">\n"
	       "      <failure message=\"the final stage runs as root\" type=\"critical\">"
	       "12:2: the final stage runs as root\n"
	       "</failure>\n"
	       "    </testcase>\n"
	       "  </testsuite>\n"
	       "  <testsuite name=\"svc/compose.yaml\" tests=\"1\" failures=\"1\" errors=\"0\">\n"
	       "    <testcase classname=\"svc/compose.yaml\" name=\"PL401 healthcheck-missing: service web\">\n"
	       "      <failure message=\"no healthcheck\" type=\"medium\">no healthcheck\n"
	       "fix: add a healthcheck\n"
	       "</failure>\n"
	       "    </testcase>\n"
	       "  </testsuite>\n"
	       "  <testsuite name=\"clean/Dockerfile\" tests=\"1\" failures=\"0\" errors=\"0\">\n"
	       "    <testcase classname=\"clean/Dockerfile\" name=\"plimsoll\"/>\n"
	       "  </testsuite>\n"
	       "  <testsuite name=\"a&amp;b.yaml\" tests=\"1\" failures=\"1\" errors=\"0\">\n"
	       "    <testcase classname=\"a&amp;b.yaml\" name=\"PL201 root-user: svc &quot;x&quot; &apos;y&apos;\">\n"
	       "      <failure message=\"bad\xEF\xBF\xBD\xEF\xBF\xBD char &lt;&amp;&gt; &quot;q&quot; &apos;a&apos;&#9;x\" type=\"low\">"
	       "2:3: bad\xEF\xBF\xBD\xEF\xBF\xBD char &lt;&amp;&gt; &quot;q&quot; &apos;a&apos;\tx\n"
	       "</failure>\n"
	       "    </testcase>\n"
	       "  </testsuite>\n"
	       "</testsuites>\n");
	pl_findings_free(&fs);
}

/* The value of "plimsoll/v1" in a SARIF document (the first one), in out. */
static void first_fingerprint(const pl_findings *fs, char out[64])
{
	buf b = BUF_INIT;
	pl_report_opts o = opts(1);
	pl_report_sarif(&b, fs, &o);
	const char *p = strstr(buf_str(&b), "\"plimsoll/v1\": \"");
	assert_non_null(p);
	p += strlen("\"plimsoll/v1\": \"");
	size_t n = strcspn(p, "\"");
	assert_true(n < 64);
	memcpy(out, p, n);
	out[n] = '\0';
	buf_free(&b);
}

static void test_sarif_fingerprint(void **state)
{
	(void)state;
	char a[64], b[64], c[64], d[64];
	pl_findings fs = {0};
	add(&fs, &rule_root, SEV_HIGH, "Dockerfile", 3, 1, 3, 10, "stage 0", "runs as root", NULL, "",
	    "USER root");
	first_fingerprint(&fs, a);
	/* lines inserted above, the line re-indented: the same alert */
	fs.v[0].line = fs.v[0].end_line = 40;
	free(fs.v[0].source);
	fs.v[0].source = xstrdup("    USER root  ");
	first_fingerprint(&fs, b);
	assert_string_equal(a, b);
	/* another message: another alert */
	free(fs.v[0].message);
	fs.v[0].message = xstrdup("runs as UID 0");
	first_fingerprint(&fs, c);
	assert_string_not_equal(a, c);
	/* 16 hex digits, then the occurrence */
	assert_int_equal(strlen(a), 18);
	assert_int_equal(strspn(a, "0123456789abcdef"), 16);
	assert_string_equal(a + 16, ":1");
	pl_findings_free(&fs);

	/* two identical findings on identical lines are told apart by occurrence */
	add(&fs, &rule_root, SEV_HIGH, "D", 1, 1, 0, 0, NULL, "m", NULL, "", "RUN x");
	add(&fs, &rule_root, SEV_HIGH, "D", 9, 1, 0, 0, NULL, "m", NULL, "", "RUN x");
	buf out = BUF_INIT;
	pl_report_opts o = opts(1);
	pl_report_sarif(&out, &fs, &o);
	first_fingerprint(&fs, d);
	d[16] = '\0';
	char want[128];
	snprintf(want, sizeof want, "\"plimsoll/v1\": \"%s:2\"", d);
	assert_non_null(strstr(buf_str(&out), want));
	buf_free(&out);
	pl_findings_free(&fs);
}

static void test_sarif_document(void **state)
{
	(void)state;
	pl_findings fs = {0};
	sample(&fs);
	/* a path that needs percent-encoding, and columns after non-ASCII text: "é" is 2 bytes
	 * and 1 UTF-16 unit, the emoji 4 bytes and 2 units */
	add(&fs, &rule_latest, SEV_LOW, "./my app/Dockerfile #2", 2, 15, 2, 19, "stage 0",
	    "tag \"x\" after é\U0001F600", NULL, "DL3007", "LABEL é=\U0001F600 FROM x");
	/* a span that ends on a later line keeps its byte end column */
	add(&fs, &rule_root, SEV_INFO, "./my app/Dockerfile #2", 4, 1, 6, 3, NULL, "multi-line", NULL,
	    "", "RUN a \\");
	pl_findings_sort(&fs);
	pl_report_opts o = opts(3);
	buf out = BUF_INIT;
	pl_report_sarif(&out, &fs, &o);
	const char *s = buf_str(&out);

	const char *path = getenv("PL_SARIF_OUT");
	if (path && *path) {
		FILE *fp = fopen(path, "w");
		assert_non_null(fp);
		assert_int_equal(fwrite(s, 1, out.len, fp), out.len);
		assert_int_equal(fclose(fp), 0);
	}

	assert_non_null(strstr(s, "\"$schema\": \"https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"));
	assert_non_null(strstr(s, "\"columnKind\": \"utf16CodeUnits\""));
	/* rules: once each, by code; results point at them */
	const char *r101 = strstr(s, "\"id\": \"PL101\"");
	const char *r201 = strstr(s, "\"id\": \"PL201\"");
	const char *r401 = strstr(s, "\"id\": \"PL401\"");
	assert_true(r101 && r201 && r401 && r101 < r201 && r201 < r401);
	assert_null(strstr(r101 + 1, "\"id\": \"PL101\""));
	assert_non_null(strstr(s, "\"ruleId\": \"PL401\",\n          \"ruleIndex\": 2,\n          \"level\": \"warning\""));
	assert_non_null(strstr(s, "\"ruleId\": \"PL201\",\n          \"ruleIndex\": 1,\n          \"level\": \"error\""));
	assert_non_null(strstr(s, "\"helpUri\": \"https://github.com/plimsoll-dev/plimsoll/blob/main/docs/rules/PL201.md\""));
	assert_non_null(strstr(s, "\"security-severity\": \"8.0\""));
	assert_non_null(strstr(s, "\"markdown\": \"A mutable tag changes under you: two builds of one commit ship different code.\\n\\n**Fix:** pin a version tag and a digest\\n\\n[PL101 image-tag-latest](https://github.com/plimsoll-dev/plimsoll/blob/main/docs/rules/PL101.md)\""));
	assert_non_null(strstr(s, "\"tags\": [\n                  \"security\",\n                  \"dockerfile\",\n                  \"compose\",\n                  \"kubernetes\"\n                ]"));
	/* the URI and the converted columns */
	assert_non_null(strstr(s, "\"uri\": \"my%20app/Dockerfile%20%232\""));
	assert_non_null(strstr(s, "\"startLine\": 2,\n                  \"startColumn\": 12,\n                  \"endLine\": 2,\n                  \"endColumn\": 16\n"));
	assert_non_null(strstr(s, "\"startLine\": 4,\n                  \"startColumn\": 1,\n                  \"endLine\": 6,\n                  \"endColumn\": 3\n"));
	/* no position: an artifact location and no region */
	assert_non_null(strstr(s, "\"uri\": \"svc/compose.yaml\"\n                }\n              }\n"));
	buf_free(&out);
	pl_findings_free(&fs);

	/* no findings: still a complete run */
	pl_findings none = {0};
	pl_report_sarif(&out, &none, &o);
	assert_non_null(strstr(buf_str(&out), "\"rules\": []"));
	assert_non_null(strstr(buf_str(&out), "\"results\": []"));
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sort_and_free),
		cmocka_unit_test(test_find_and_doc_uri),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_carets),
		cmocka_unit_test(test_text_color),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_github),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_sarif_fingerprint),
		cmocka_unit_test(test_sarif_document),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
