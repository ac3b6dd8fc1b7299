/* sarif.c - SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: the rules that
 * fired, with their documentation, and one result per finding with a stable fingerprint.
 *
 * Columns: findings count bytes, SARIF's default (and GitHub's) column unit is UTF-16 code
 * units. Columns on the finding's own line are converted using its source line, and the run
 * declares "utf16CodeUnits"; without a source line (or for an end on a later line) the byte
 * column is kept, which is the same number for ASCII. */
#include "report/report.h"
#include "core/jsonw.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
#define PL_INFORMATION_URI "https://github.com/plimsoll-dev/plimsoll"
#define FINGERPRINT_KEY "plimsoll/v1"

static const char *level(pl_severity s)
{
	if (s >= SEV_HIGH)
		return "error";
	if (s == SEV_MEDIUM)
		return "warning";
	return "note";
}

/* GitHub ranks alerts by this score (>= 9.0 critical, >= 7.0 high, >= 4.0 medium). */
static const char *security_severity(pl_severity s)
{
	switch (s) {
	case SEV_CRITICAL: return "9.5";
	case SEV_HIGH: return "8.0";
	case SEV_MEDIUM: return "5.5";
	case SEV_LOW: return "3.0";
	default: return "1.0";
	}
}

/* A file path as a URI reference: forward slashes, no "./" prefix, and every byte outside
 * RFC 3986's unreserved set (and '/') percent-encoded, so spaces, '#', '?', ':' and
 * non-ASCII names survive. An absolute path becomes a file:// URI. */
static void add_uri(buf *out, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	while (path[0] == '.' && (path[1] == '/' || path[1] == '\\'))
		path += 2;
	if (path[0] == '/')
		buf_adds(out, "file://");
	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\\')
			c = '/';
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			buf_addc(out, (char)c);
		} else {
			buf_addc(out, '%');
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 15]);
		}
	}
}

/* Byte column (1-based) to UTF-16 code units (1-based), reading the source line. */
static int utf16_col(const char *src, int col)
{
	if (!src || col <= 1)
		return col;
	size_t want = (size_t)col - 1, len = strlen(src), i = 0;
	int units = 0;
	while (i < want && i < len) {
		int w = 1;
		int32_t r = utf8_decode(src + i, len - i, &w);
		units += r >= 0x10000 ? 2 : 1;
		i += (size_t)w;
	}
	if (i < want) /* a column past the end of the line: one unit per byte */
		units += (int)(want - i);
	return units + 1;
}

/* FNV-1a, 64 bits: small, dependency-free, and stable across platforms. Not a security
 * hash; it only has to tell findings apart. */
static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t fnv1a_field(uint64_t h, const char *s)
{
	if (s)
		h = fnv1a(h, s, strlen(s));
	return fnv1a(h, "", 1); /* a NUL between fields: "ab"+"c" differs from "a"+"bc" */
}

/* What identifies a finding across commits: rule, file, target, message and the text of
 * its line, trimmed. Not the line number, so an edit above the finding keeps its alert. */
static uint64_t fingerprint(const pl_finding *f, const char *uri)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	h = fnv1a_field(h, f->rule->code);
	h = fnv1a_field(h, uri);
	h = fnv1a_field(h, f->target);
	h = fnv1a_field(h, f->message);
	const char *s = f->source ? f->source : "";
	size_t n = strlen(s);
	while (n && strchr(" \t\r\n\v\f", s[n - 1]))
		n--;
	while (n && strchr(" \t\r\n\v\f", *s))
		s++, n--;
	h = fnv1a(h, s, n);
	return h;
}

static int rule_cmp(const void *a, const void *b)
{
	const pl_rule *x = *(const pl_rule *const *)a, *y = *(const pl_rule *const *)b;
	return strcmp(x->code, y->code);
}

/* The rules that fired, once each, ordered by code; results refer to them by index. */
static const pl_rule **used_rules(const pl_findings *fs, size_t *np)
{
	const pl_rule **v = xmalloc((fs->n + 1) * sizeof *v);
	size_t n = 0;
	for (size_t i = 0; i < fs->n; i++) {
		size_t j = 0;
		while (j < n && v[j] != fs->v[i].rule)
			j++;
		if (j == n)
			v[n++] = fs->v[i].rule;
	}
	qsort(v, n, sizeof *v, rule_cmp);
	*np = n;
	return v;
}

static void add_text(jsonw *w, const char *key, const char *text)
{
	jw_key(w, key);
	jw_obj(w);
	jw_key(w, "text");
	jw_str(w, text);
	jw_obj_end(w);
}

/* The worst severity r's findings have in this run: configuration may have overridden the
 * rule's default, and GitHub ranks every alert of a rule by the rule's score. */
static pl_severity effective_severity(const pl_findings *fs, const pl_rule *r)
{
	pl_severity worst = SEV_NONE;
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].rule == r && fs->v[i].severity > worst)
			worst = fs->v[i].severity;
	return worst == SEV_NONE ? r->severity : worst;
}

/* tmp: scratch for the help texts; docb: holds the documentation URI. */
static void add_rule(jsonw *w, const pl_rule *r, pl_severity sev, buf *tmp, buf *docb)
{
	static const struct {
		unsigned bit;
		const char *tag;
	} inputs[] = {
		{IN_D, "dockerfile"}, {IN_X, "build-context"}, {IN_C, "compose"},
		{IN_K, "kubernetes"}, {IN_I, "image"},         {IN_L, "container"},
	};
	const char *doc = pl_rule_doc_uri(r, docb);
	jw_obj(w);
	jw_key(w, "id");
	jw_str(w, r->code);
	jw_key(w, "name");
	jw_str(w, r->slug);
	if (r->summary)
		add_text(w, "shortDescription", r->summary);
	if (r->why)
		add_text(w, "fullDescription", r->why);

	/* help: why it matters and how to fix it, as plain text and as Markdown. */
	jw_key(w, "help");
	jw_obj(w);
	buf_reset(tmp);
	buf_adds(tmp, r->why ? r->why : r->summary ? r->summary : r->code);
	if (r->fix)
		buf_printf(tmp, "\n\nFix: %s", r->fix);
	jw_key(w, "text");
	jw_str(w, buf_str(tmp));
	buf_reset(tmp);
	buf_adds(tmp, r->why ? r->why : r->summary ? r->summary : r->code);
	if (r->fix)
		buf_printf(tmp, "\n\n**Fix:** %s", r->fix);
	buf_printf(tmp, "\n\n[%s %s](%s)", r->code, r->slug, doc);
	jw_key(w, "markdown");
	jw_str(w, buf_str(tmp));
	jw_obj_end(w);

	jw_key(w, "helpUri");
	jw_str(w, doc);
	jw_key(w, "defaultConfiguration");
	jw_obj(w);
	jw_key(w, "level");
	jw_str(w, level(r->severity));
	jw_obj_end(w);

	jw_key(w, "properties");
	jw_obj(w);
	jw_key(w, "tags");
	jw_arr(w);
	jw_str(w, "security");
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
		if (r->inputs & inputs[i].bit)
			jw_str(w, inputs[i].tag);
	jw_arr_end(w);
	jw_key(w, "security-severity");
	jw_str(w, security_severity(sev));
	jw_key(w, "precision");
	jw_str(w, "high");
	jw_obj_end(w);
	jw_obj_end(w);
}

static void add_region(jsonw *w, const pl_finding *f)
{
	jw_key(w, "region");
	jw_obj(w);
	jw_key(w, "startLine");
	jw_int(w, f->line);
	if (f->col > 0) {
		jw_key(w, "startColumn");
		jw_int(w, utf16_col(f->source, f->col));
	}
	/* An end before the start would be rejected; leave such an end out. */
	if (f->end_line > f->line || (f->end_line == f->line && f->end_col > f->col)) {
		jw_key(w, "endLine");
		jw_int(w, f->end_line);
		if (f->col > 0 && f->end_col > 0) {
			jw_key(w, "endColumn");
			jw_int(w, f->end_line == f->line ? utf16_col(f->source, f->end_col)
							 : f->end_col);
		}
	}
	jw_obj_end(w);
}

static void add_result(jsonw *w, const pl_finding *f, size_t rule_index, const char *uri,
		       uint64_t hash, size_t occurrence)
{
	jw_obj(w);
	jw_key(w, "ruleId");
	jw_str(w, f->rule->code);
	jw_key(w, "ruleIndex");
	jw_int(w, (long long)rule_index);
	jw_key(w, "level");
	jw_str(w, level(f->severity));
	add_text(w, "message", f->message);

	jw_key(w, "locations");
	jw_arr(w);
	jw_obj(w);
	jw_key(w, "physicalLocation");
	jw_obj(w);
	jw_key(w, "artifactLocation");
	jw_obj(w);
	jw_key(w, "uri");
	jw_str(w, uri);
	jw_obj_end(w);
	if (f->line > 0)
		add_region(w, f);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_arr_end(w);

	/* Identical findings (same rule, file, target, message and line text) are told apart
	 * by their order, as GitHub does for its own primaryLocationLineHash. */
	char fp[40];
	snprintf(fp, sizeof fp, "%016" PRIx64 ":%zu", hash, occurrence);
	jw_key(w, "partialFingerprints");
	jw_obj(w);
	jw_key(w, FINGERPRINT_KEY);
	jw_str(w, fp);
	jw_obj_end(w);

	jw_key(w, "properties");
	jw_obj(w);
	jw_key(w, "severity");
	jw_str(w, pl_severity_name(f->severity));
	if (f->target) {
		jw_key(w, "target");
		jw_str(w, f->target);
	}
	if (f->aka && *f->aka) {
		jw_key(w, "aka");
		jw_arr(w);
		for (const char *p = f->aka; *p;) {
			size_t n = strcspn(p, " ");
			if (n)
				jw_strn(w, p, n);
			p += n;
			while (*p == ' ')
				p++;
		}
		jw_arr_end(w);
	}
	jw_obj_end(w);
	jw_obj_end(w);
}

void pl_report_sarif(buf *out, const pl_findings *fs, const pl_report_opts *o)
{
	size_t nrules;
	const pl_rule **rules = used_rules(fs, &nrules);
	buf tmp[2] = {BUF_INIT, BUF_INIT};
	jsonw w;
	jw_init(&w, out, true);

	jw_obj(&w);
	jw_key(&w, "$schema");
	jw_str(&w, SARIF_SCHEMA);
	jw_key(&w, "version");
	jw_str(&w, "2.1.0");
	jw_key(&w, "runs");
	jw_arr(&w);
	jw_obj(&w);

	jw_key(&w, "tool");
	jw_obj(&w);
	jw_key(&w, "driver");
	jw_obj(&w);
	jw_key(&w, "name");
	jw_str(&w, "plimsoll");
	if (o->version) {
		jw_key(&w, "version");
		jw_str(&w, o->version);
	}
	jw_key(&w, "informationUri");
	jw_str(&w, PL_INFORMATION_URI);
	jw_key(&w, "rules");
	jw_arr(&w);
	for (size_t i = 0; i < nrules; i++)
		add_rule(&w, rules[i], effective_severity(fs, rules[i]), &tmp[0], &tmp[1]);
	jw_arr_end(&w);
	jw_obj_end(&w);
	jw_obj_end(&w);

	jw_key(&w, "columnKind");
	jw_str(&w, "utf16CodeUnits");

	/* Hashes first, so each result can count the identical findings before it. */
	uint64_t *hashes = xmalloc((fs->n + 1) * sizeof *hashes);
	char **uris = xmalloc((fs->n + 1) * sizeof *uris);
	for (size_t i = 0; i < fs->n; i++) {
		buf_reset(&tmp[0]);
		add_uri(&tmp[0], fs->v[i].file);
		uris[i] = xstrdup(buf_str(&tmp[0]));
		hashes[i] = fingerprint(&fs->v[i], uris[i]);
	}

	jw_key(&w, "results");
	jw_arr(&w);
	for (size_t i = 0; i < fs->n; i++) {
		const pl_finding *f = &fs->v[i];
		size_t ri = 0;
		while (ri < nrules && rules[ri] != f->rule)
			ri++;
		size_t occurrence = 1;
		for (size_t j = 0; j < i; j++)
			occurrence += hashes[j] == hashes[i];
		add_result(&w, f, ri, uris[i], hashes[i], occurrence);
	}
	jw_arr_end(&w);

	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_obj_end(&w);
	buf_addc(out, '\n');

	for (size_t i = 0; i < fs->n; i++)
		free(uris[i]);
	free(uris);
	free(hashes);
	buf_free(&tmp[0]);
	buf_free(&tmp[1]);
	free(rules);
}
