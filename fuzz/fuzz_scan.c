/* fuzz_scan.c - libFuzzer target for the whole engine on one Dockerfile: read, parse,
 * model, every rule (opt-in ones included), suppressions, then every reporter.
 *
 * pl_scan_dockerfile reads a path, so each input is written to one per-process file,
 * <tmpdir>/Dockerfile in a directory made once with mkdtemp (removed at exit), rewritten
 * on every run. The config is the default one with enable_all = true, the build context is
 * not read (with_context = false). The findings, sorted as the CLI sorts them, are then
 * rendered by each reporter pl_reporter_find knows (text with and without colour, json,
 * sarif, junit, github) into a buffer. Checked: every finding is well formed (a rule, the
 * display name, a message, sane positions); json and sarif output is valid JSON and UTF-8;
 * junit output is UTF-8 without the characters XML 1.0 forbids, with balanced tags;
 * uncoloured text output holds no control characters but newline and tab; github output
 * is one "::" command line per finding. A broken invariant traps.
 * Build: make build/fuzz/fuzz_scan; run: make fuzz (see fuzz/run.sh). */
#include "check.h"
#include "tmpfile.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "engine/config.h"
#include "engine/engine.h"
#include "engine/finding.h"
#include "report/report.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


#define DISPLAY "fuzz/Dockerfile"

static pl_config cfg;
static bool cfg_ready;

static void free_cfg(void)
{
	pl_config_free(&cfg);
}


/* ---- output checks ------------------------------------------------------------------ */

static bool valid_utf8(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		int w = 1;
		int32_t r = utf8_decode(s + i, n - i, &w);
		if (r == RUNE_ERROR && w == 1 &&
		    !(n - i >= 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0))
			return false;
		i += (size_t)(w > 0 ? w : 1);
	}
	return true;
}

/* A strict RFC 8259 reader: returns whether s[*i..n) starts with one JSON value. */
typedef struct jr {
	const char *s;
	size_t n, i;
	int depth;
} jr;

static void ws(jr *j)
{
	while (j->i < j->n && strchr(" \t\n\r", j->s[j->i]) && j->s[j->i])
		j->i++;
}

static bool lit(jr *j, const char *w)
{
	size_t k = strlen(w);
	if (j->n - j->i < k || memcmp(j->s + j->i, w, k) != 0)
		return false;
	j->i += k;
	return true;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool jstring(jr *j)
{
	if (j->i >= j->n || j->s[j->i] != '"')
		return false;
	j->i++;
	while (j->i < j->n) {
		unsigned char c = (unsigned char)j->s[j->i++];
		if (c == '"')
			return true;
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (j->i >= j->n)
			return false;
		c = (unsigned char)j->s[j->i++];
		if (c == 'u') {
			for (int k = 0; k < 4; k++)
				if (j->i >= j->n || !is_hex(j->s[j->i++]))
					return false;
		} else if (!strchr("\"\\/bfnrt", c) || c == 0) {
			return false;
		}
	}
	return false;
}

static bool digits(jr *j)
{
	size_t a = j->i;
	while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
		j->i++;
	return j->i > a;
}

static bool jnumber(jr *j)
{
	if (j->i < j->n && j->s[j->i] == '-')
		j->i++;
	if (j->i < j->n && j->s[j->i] == '0')
		j->i++;
	else if (!digits(j))
		return false;
	if (j->i < j->n && j->s[j->i] == '.') {
		j->i++;
		if (!digits(j))
			return false;
	}
	if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
		j->i++;
		if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		if (!digits(j))
			return false;
	}
	return true;
}

static bool jvalue(jr *j)
{
	ws(j);
	if (j->i >= j->n || ++j->depth > 200)
		return false;
	char c = j->s[j->i];
	bool ok;
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		j->i++;
		ws(j);
		if (j->i < j->n && j->s[j->i] == close) {
			j->i++;
			ok = true;
		} else {
			for (;;) {
				if (c == '{') {
					ws(j);
					if (!jstring(j))
						return false;
					ws(j);
					if (j->i >= j->n || j->s[j->i++] != ':')
						return false;
				}
				if (!jvalue(j))
					return false;
				ws(j);
				if (j->i >= j->n)
					return false;
				char d = j->s[j->i++];
				if (d == close)
					break;
				if (d != ',')
					return false;
			}
			ok = true;
		}
	} else if (c == '"') {
		ok = jstring(j);
	} else if (c == 't') {
		ok = lit(j, "true");
	} else if (c == 'f') {
		ok = lit(j, "false");
	} else if (c == 'n') {
		ok = lit(j, "null");
	} else {
		ok = jnumber(j);
	}
	j->depth--;
	return ok;
}

static void check_json(const buf *b)
{
	jr j = {b->p, b->len, 0, 0};
	CHECK(b->p != NULL);
	CHECK(jvalue(&j));
	ws(&j);
	CHECK(j.i == j.n);
	CHECK(valid_utf8(b->p, b->len));
}

/* XML: allowed characters only, every '&' a reference, tags balanced. */
static void check_xml(const buf *b)
{
	CHECK(b->p != NULL && valid_utf8(b->p, b->len));
	const char *s = b->p;
	size_t n = b->len;
	const char *stack[64];
	size_t ls[64];
	int top = 0;
	bool root_seen = false;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		CHECK(c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
		CHECK(!(n - i >= 3 && (memcmp(s + i, "\xEF\xBF\xBE", 3) == 0 ||
				       memcmp(s + i, "\xEF\xBF\xBF", 3) == 0)));
		if (c == '&') {
			const char *semi = memchr(s + i, ';', n - i);
			CHECK(semi && semi - (s + i) <= 8 && semi - (s + i) >= 3);
			i = (size_t)(semi - s) + 1;
			continue;
		}
		if (c == '>')
			__builtin_trap(); /* a '>' in text is legal XML but the reporter escapes it */
		if (c != '<') {
			i++;
			continue;
		}
		if (n - i >= 2 && (s[i + 1] == '?' || s[i + 1] == '!')) {
			const char *e = memchr(s + i, '>', n - i);
			CHECK(e != NULL);
			i = (size_t)(e - s) + 1;
			continue;
		}
		bool closing = n - i >= 2 && s[i + 1] == '/';
		size_t a = i + (closing ? 2 : 1), e = a;
		while (e < n && s[e] != ' ' && s[e] != '>' && s[e] != '/' && s[e] != '\n')
			e++;
		CHECK(e > a);
		/* the rest of the tag: attributes, quoted values hold no '<' */
		size_t k = e;
		bool in_q = false;
		while (k < n && (in_q || s[k] != '>')) {
			CHECK(s[k] != '<');
			if (s[k] == '"')
				in_q = !in_q;
			k++;
		}
		CHECK(k < n);
		bool empty = s[k - 1] == '/';
		if (closing) {
			CHECK(top > 0 && ls[top - 1] == e - a &&
			      memcmp(stack[top - 1], s + a, e - a) == 0);
			top--;
		} else if (!empty) {
			CHECK(top < 64);
			if (top == 0) {
				CHECK(!root_seen);
				root_seen = true;
			}
			stack[top] = s + a;
			ls[top++] = e - a;
		}
		i = k + 1;
	}
	CHECK(top == 0 && root_seen);
}

static void check_plain(const buf *b)
{
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->p[i];
		CHECK((c >= 0x20 && c != 0x7F) || c == '\n' || c == '\t');
	}
}

static void check_github(const buf *b, size_t nfindings)
{
	size_t lines = 0;
	for (size_t i = 0; i < b->len;) {
		const char *nl = memchr(b->p + i, '\n', b->len - i);
		CHECK(nl != NULL); /* every line ends */
		CHECK(b->len - i >= 2 && b->p[i] == ':' && b->p[i + 1] == ':');
		CHECK(memchr(b->p + i, '\r', (size_t)(nl - (b->p + i))) == NULL);
		lines++;
		i = (size_t)(nl - b->p) + 1;
	}
	CHECK(lines == nfindings);
}

static void check_finding(const pl_finding *f)
{
	CHECK(f->rule != NULL && f->rule->code != NULL && f->rule->slug != NULL);
	CHECK(f->file != NULL && strcmp(f->file, DISPLAY) == 0);
	CHECK(f->message != NULL && f->message[0] != '\0');
	CHECK(f->aka != NULL); /* target may be NULL: the file as a whole */
	CHECK(f->severity >= SEV_INFO && f->severity <= SEV_CRITICAL);
	CHECK(f->line >= 0 && f->col >= 0 && f->end_line >= 0 && f->end_col >= 0);
	CHECK(f->line > 0 || f->col == 0);
	CHECK(f->end_line == 0 || f->end_line >= f->line);
}

static void render(const char *name, const pl_findings *fs, pl_report_opts *o, buf *out)
{
	pl_reporter r = pl_reporter_find(name);
	CHECK(r != NULL);
	buf_reset(out);
	r(out, fs, o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cfg_ready) {
		pl_config_init(&cfg);
		cfg.enable_all = true;
		cfg_ready = true;
		atexit(free_cfg);
	}
	const char *path = fz_file("scan", "Dockerfile", data, size);

	pl_findings fs = {NULL, 0, 0};
	char err[512] = "";
	int rc = pl_scan_dockerfile(&cfg, path, DISPLAY, false, &fs, err, sizeof err);
	CHECK(rc == 0); /* the file is there: only an I/O error fails */
	pl_findings_sort(&fs);
	for (size_t i = 0; i < fs.n; i++)
		check_finding(&fs.v[i]);

	const char *files[] = {DISPLAY};
	pl_report_opts o = {.color = false, .version = "0.0.0-fuzz", .nfiles = 1,
			    .files = files, .fail_on = cfg.fail_on, .quiet = false};
	buf out = BUF_INIT;
	render("text", &fs, &o, &out);
	check_plain(&out);
	o.color = true;
	o.quiet = true;
	render("text", &fs, &o, &out);
	o.color = false;
	o.quiet = false;
	render("json", &fs, &o, &out);
	check_json(&out);
	render("sarif", &fs, &o, &out);
	check_json(&out);
	render("junit", &fs, &o, &out);
	check_xml(&out);
	render("github", &fs, &o, &out);
	check_github(&out, fs.n);
	CHECK(pl_reporter_find("no-such-format") == NULL);
	buf_free(&out);
	pl_findings_free(&fs);
	return 0;
}
