/* prometheus.c - strict validator of the Prometheus text format 0.0.4 and OpenMetrics 1.0
 * text basics (see prometheus.h).
 *
 * One pass over the lines. Each sample is tokenized (name, labels, value, timestamp),
 * attached to its family (by exact name, else by stripping a suffix its family's type
 * allows: _bucket _count _sum _total _created ...), and checked against the family's type.
 * Histogram buckets are checked per label set while the set's samples run on, which is how
 * every client library writes them. Duplicate series are found with a set of 64-bit hashes
 * of (name, sorted labels), capped at PROM_MAX_SERIES. Nothing grows with the input except
 * the bounded families/problems arrays. */
#include "live/prometheus.h"
#include "core/xalloc.h"

#include "core/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAM_SLOTS    32768          /* power of 2, > 2 * PROM_MAX_FAMILIES */
#define SERIES_SLOTS (1u << 18)     /* power of 2, > 2 * PROM_MAX_SERIES */

typedef struct span { const char *p; size_t n; } span;
typedef struct label { span name, value; } label;

/* Per-family state the report does not need. */
typedef struct fam_state {
	bool has_type, has_unit, closed, noncontig_reported;
} fam_state;

/* The histogram/summary label set being read: its buckets must run in order. */
typedef struct group {
	bool active;
	int fam;
	uint64_t key;
	int line;
	double last_le, last_count;
	bool has_buckets, has_inf, has_count, has_sum;
	double inf_count, count;
} group;

typedef struct ctx {
	prom_report *r;
	bool om;
	int line;
	fam_state *fs;
	int32_t *fam_slots;
	uint64_t *series;
	size_t nseries;
	bool series_full;
	bool families_full;
	int cur;            /* family of the previous sample or metadata line, -1 none */
	group g;
} ctx;

static void problem(ctx *c, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(ctx *c, int col, const char *fmt, ...)
{
	prom_report *r = c->r;
	r->nproblems_total++;
	if (r->nproblems >= PROM_MAX_PROBLEMS)
		return;
	if (!r->problems)
		r->problems = xcalloc(PROM_MAX_PROBLEMS, sizeof *r->problems);
	prom_problem *p = &r->problems[r->nproblems++];
	p->line = c->line;
	p->col = col;
	int n = snprintf(p->msg, sizeof p->msg, "line %d: ", c->line);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->msg + n, sizeof p->msg - (size_t)n, fmt, ap);
	va_end(ap);
}

/* --- small helpers ----------------------------------------------------------------------- */

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Mix the length in so ("ab","c") and ("a","bc") differ, then finalize (splitmix64). */
static uint64_t hash_span(uint64_t h, span s)
{
	h = hash_bytes(h, &s.n, sizeof s.n);
	return hash_bytes(h, s.p, s.n);
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27; x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static bool span_eq(span a, const char *s)
{
	size_t n = strlen(s);
	return a.n == n && memcmp(a.p, s, n) == 0;
}

static bool ends_with(span a, const char *suf)
{
	size_t n = strlen(suf);
	return a.n >= n && memcmp(a.p + a.n - n, suf, n) == 0;
}

static bool contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

static bool starts_with(const char *s, const char *pre)
{
	return strncmp(s, pre, strlen(pre)) == 0;
}

static bool is_blank(char ch) { return ch == ' ' || ch == '\t'; }
static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
static bool is_alpha_(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_'; }

static size_t skip_blanks(const char *s, size_t n, size_t i)
{
	while (i < n && is_blank(s[i]))
		i++;
	return i;
}

/* Length of the metric name at s ([a-zA-Z_:][a-zA-Z0-9_:]*), 0 if none. */
static size_t metric_name_len(const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0 || !(is_alpha_(s[0]) || s[0] == ':'))
		return 0;
	for (i = 1; i < n && (is_alpha_(s[i]) || is_digit(s[i]) || s[i] == ':'); i++)
		;
	return i;
}

static size_t label_name_len(const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0 || !is_alpha_(s[0]))
		return 0;
	for (i = 1; i < n && (is_alpha_(s[i]) || is_digit(s[i])); i++)
		;
	return i;
}

/* End of the token at s[i..n): up to a blank. */
static size_t token_end(const char *s, size_t n, size_t i)
{
	while (i < n && !is_blank(s[i]))
		i++;
	return i;
}

static int ci_prefix(const char *s, size_t n, const char *word)
{
	size_t i = 0;
	for (; i < n && word[i]; i++) {
		char ch = s[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch != word[i])
			break;
	}
	return (int)i;
}

/* Go's strconv.ParseFloat(s, 64) without underscores: decimal or hex (p exponent) floats,
 * [+-]Inf/Infinity, NaN, any case. Out of range (1e400) is an error, as in Go. */
static bool parse_float(const char *s, size_t n, double *out)
{
	size_t i = 0;
	bool sign = false;
	if (n == 0)
		return false;
	if (s[0] == '+' || s[0] == '-') {
		sign = true;
		i = 1;
	}
	int k = ci_prefix(s + i, n - i, "infinity");
	if ((k == 3 || k == 8) && i + (size_t)k == n) {
		*out = s[0] == '-' ? -INFINITY : INFINITY;
		return true;
	}
	if (!sign && n == 3 && ci_prefix(s, n, "nan") == 3) {
		*out = NAN;
		return true;
	}
	bool hex = n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
	size_t digits = 0;
	if (hex) {
		i += 2;
		bool dot = false;
		for (; i < n; i++) {
			char ch = s[i];
			if (is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'))
				digits++;
			else if (ch == '.' && !dot)
				dot = true;
			else
				break;
		}
		if (digits == 0 || i >= n || (s[i] != 'p' && s[i] != 'P'))
			return false;   /* Go requires the p exponent of a hex float */
	} else {
		bool dot = false;
		for (; i < n; i++) {
			if (is_digit(s[i]))
				digits++;
			else if (s[i] == '.' && !dot)
				dot = true;
			else
				break;
		}
		if (digits == 0)
			return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E' || s[i] == 'p' || s[i] == 'P')) {
		if ((s[i] == 'p' || s[i] == 'P') != hex)
			return false;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t e = 0;
		for (; i < n && is_digit(s[i]); i++)
			e++;
		if (e == 0)
			return false;
	}
	if (i != n)
		return false;
	/* strtod wants a C string; numbers longer than the buffer only lose far digits. */
	char buf[512];
	size_t m = n < sizeof buf - 1 ? n : sizeof buf - 1;
	memcpy(buf, s, m);
	buf[m] = 0;
	errno = 0;
	double v = strtod(buf, NULL);
	if (isinf(v))
		return false;
	*out = v;
	return true;
}

/* strconv.ParseInt(s, 10, 64). */
static bool parse_int64(const char *s, size_t n)
{
	size_t i = 0;
	if (n > 0 && (s[0] == '+' || s[0] == '-'))
		i = 1;
	if (i == n || n - i > 19)
		return false;
	uint64_t v = 0;
	for (; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return v <= (s[0] == '-' ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX);
}

/* --- families ---------------------------------------------------------------------------- */

static int fam_find(ctx *c, const char *p, size_t n)
{
	if (n >= sizeof c->r->families[0].name)
		return -1;
	uint32_t h = (uint32_t)mix(hash_bytes(0xcbf29ce484222325ULL, p, n)) & (FAM_SLOTS - 1);
	for (;;) {
		int32_t i = c->fam_slots[h];
		if (i < 0)
			return -1;
		prom_family *f = &c->r->families[i];
		if (strlen(f->name) == n && memcmp(f->name, p, n) == 0)
			return i;
		h = (h + 1) & (FAM_SLOTS - 1);
	}
}

static int fam_add(ctx *c, const char *p, size_t n, const char *type)
{
	prom_report *r = c->r;
	/* Valid but longer than the report holds: checked, just not tracked as a family. */
	if (n >= sizeof r->families[0].name)
		return -1;
	if (r->nfamilies >= PROM_MAX_FAMILIES) {
		if (!c->families_full)
			problem(c, 1, "more than %d metric families: families not tracked further", PROM_MAX_FAMILIES);
		c->families_full = true;
		return -1;
	}
	if (r->nfamilies == r->families_cap) {
		size_t cap = r->families_cap ? r->families_cap * 2 : 64;
		if (cap > PROM_MAX_FAMILIES)
			cap = PROM_MAX_FAMILIES;
		r->families = xrealloc(r->families, cap * sizeof *r->families);
		c->fs = xrealloc(c->fs, cap * sizeof *c->fs);
		r->families_cap = cap;
	}
	int i = (int)r->nfamilies++;
	prom_family *f = &r->families[i];
	memset(f, 0, sizeof *f);
	memset(&c->fs[i], 0, sizeof c->fs[i]);
	memcpy(f->name, p, n);
	snprintf(f->type, sizeof f->type, "%s", type);
	uint32_t h = (uint32_t)mix(hash_bytes(0xcbf29ce484222325ULL, p, n)) & (FAM_SLOTS - 1);
	while (c->fam_slots[h] >= 0)
		h = (h + 1) & (FAM_SLOTS - 1);
	c->fam_slots[h] = i;
	return i;
}

static const char *untyped(const ctx *c) { return c->om ? "unknown" : "untyped"; }

/* Make f the current family. Returning to a family left earlier is interleaving. */
static void fam_enter(ctx *c, int f, int col)
{
	if (f == c->cur)
		return;
	if (c->cur >= 0)
		c->fs[c->cur].closed = true;
	c->cur = f;
	if (f >= 0 && c->fs[f].closed && !c->fs[f].noncontig_reported) {
		c->fs[f].noncontig_reported = true;
		problem(c, col, "samples of metric family '%.60s' are not contiguous (interleaved with another family)",
			c->r->families[f].name);
	}
}

/* The family a sample named n belongs to: the exact name, else the name without a suffix
 * its family's type allows. A new untyped family otherwise. */
static int fam_of_sample(ctx *c, span n, span *suffix)
{
	static const struct { const char *suf, *types[3]; } sufs[] = {
		{ "_bucket", { "histogram", "gaugehistogram", NULL } },
		{ "_count", { "histogram", "summary", NULL } },
		{ "_sum", { "histogram", "summary", NULL } },
		{ "_total", { "counter", NULL, NULL } },
		{ "_created", { "counter", "histogram", "summary" } },
		{ "_gcount", { "gaugehistogram", NULL, NULL } },
		{ "_gsum", { "gaugehistogram", NULL, NULL } },
		{ "_info", { "info", NULL, NULL } },
	};
	suffix->p = n.p + n.n;
	suffix->n = 0;
	int f = fam_find(c, n.p, n.n);
	if (f >= 0)
		return f;
	for (size_t i = 0; i < sizeof sufs / sizeof sufs[0]; i++) {
		if (!ends_with(n, sufs[i].suf))
			continue;
		size_t sl = strlen(sufs[i].suf);
		int b = fam_find(c, n.p, n.n - sl);
		if (b < 0)
			continue;
		for (int t = 0; t < 3 && sufs[i].types[t]; t++) {
			if (strcmp(c->r->families[b].type, sufs[i].types[t]) == 0) {
				suffix->p = n.p + n.n - sl;
				suffix->n = sl;
				return b;
			}
		}
	}
	return fam_add(c, n.p, n.n, untyped(c));
}

/* --- histogram groups ---------------------------------------------------------------------- */

static void group_end(ctx *c)
{
	group *g = &c->g;
	if (!g->active)
		return;
	g->active = false;
	const char *name = c->r->families[g->fam].name;
	int save = c->line;
	c->line = g->line;
	if (g->has_buckets && !g->has_inf)
		problem(c, 1, "histogram '%.60s' has no le=\"+Inf\" bucket", name);
	if (g->has_inf && g->has_count && g->inf_count != g->count && !(isnan(g->count) && isnan(g->inf_count)))
		problem(c, 1, "histogram '%.60s': _count %g differs from the +Inf bucket %g", name, g->count, g->inf_count);
	if (g->has_count != g->has_sum)
		problem(c, 1, "'%.60s' has %s without %s", name, g->has_count ? "_count" : "_sum",
			g->has_count ? "_sum" : "_count");
	c->line = save;
}

/* --- lines ------------------------------------------------------------------------------- */

static int label_cmp(const void *a, const void *b)
{
	const label *x = a, *y = b;
	size_t n = x->name.n < y->name.n ? x->name.n : y->name.n;
	int d = memcmp(x->name.p, y->name.p, n);
	if (d)
		return d;
	return (x->name.n > y->name.n) - (x->name.n < y->name.n);
}

/* Parse {name="value",...} at s[*i] (s[*i] == '{'). Returns false after a problem. */
static bool parse_labels(ctx *c, const char *s, size_t n, size_t *pi, label *ls, size_t *nl)
{
	size_t i = *pi + 1;
	*nl = 0;
	for (;;) {
		i = skip_blanks(s, n, i);
		if (i < n && s[i] == '}') {
			*pi = i + 1;
			return true;
		}
		size_t ln = label_name_len(s + i, n - i);
		if (ln == 0) {
			size_t e = i;
			while (e < n && s[e] != '=' && s[e] != '}' && s[e] != ',' && !is_blank(s[e]) && e - i < 40)
				e++;
			problem(c, (int)i + 1, "label name '%.*s' is not valid ([a-zA-Z_][a-zA-Z0-9_]*)", (int)(e - i), s + i);
			return false;
		}
		span name = { s + i, ln };
		if (ln >= 2 && name.p[0] == '_' && name.p[1] == '_')
			problem(c, (int)i + 1, "label name '%.*s' uses the reserved prefix __", (int)(ln > 60 ? 60 : ln), name.p);
		i = skip_blanks(s, n, i + ln);
		if (i >= n || s[i] != '=') {
			problem(c, (int)i + 1, "expected '=' after label name '%.*s'", (int)(ln > 60 ? 60 : ln), name.p);
			return false;
		}
		i = skip_blanks(s, n, i + 1);
		if (i >= n || s[i] != '"') {
			problem(c, (int)i + 1, "label value of '%.*s' is not in double quotes", (int)(ln > 60 ? 60 : ln), name.p);
			return false;
		}
		size_t vs = ++i;
		for (; i < n && s[i] != '"'; i++) {
			if (s[i] == '\\') {
				if (i + 1 < n && (s[i + 1] == '\\' || s[i + 1] == '"' || s[i + 1] == 'n')) {
					i++;
					continue;
				}
				problem(c, (int)i + 1, "invalid escape sequence in label value (only \\\\ \\\" \\n)");
				return false;
			}
		}
		if (i >= n) {
			problem(c, (int)vs, "unterminated label value");
			return false;
		}
		span value = { s + vs, i - vs };
		if (!utf8_valid(value.p, value.n)) {
			problem(c, (int)vs + 1, "label value of '%.*s' is not valid UTF-8", (int)(ln > 60 ? 60 : ln), name.p);
			return false;
		}
		if (*nl >= PROM_MAX_LABELS) {
			problem(c, (int)(name.p - s) + 1, "more than %d labels", PROM_MAX_LABELS);
			return false;
		}
		ls[*nl].name = name;
		ls[*nl].value = value;
		(*nl)++;
		i = skip_blanks(s, n, i + 1);
		if (i < n && s[i] == ',') {
			i++;
			continue;
		}
		if (i < n && s[i] == '}') {
			*pi = i + 1;
			return true;
		}
		problem(c, (int)i + 1, "expected ',' or '}' in label set");
		return false;
	}
}

static const label *find_label(const label *ls, size_t nl, const char *name)
{
	for (size_t i = 0; i < nl; i++)
		if (span_eq(ls[i].name, name))
			return &ls[i];
	return NULL;
}

/* Record the series; report it if already seen. */
static void series_check(ctx *c, span name, const label *ls, size_t nl, int col)
{
	if (c->series_full)
		return;
	if (c->nseries >= PROM_MAX_SERIES) {
		c->series_full = true;
		problem(c, col, "more than %d series: duplicate series detection stopped", PROM_MAX_SERIES);
		return;
	}
	if (!c->series)
		c->series = xcalloc(SERIES_SLOTS, sizeof *c->series);
	uint64_t h = hash_span(0xcbf29ce484222325ULL, name);
	for (size_t i = 0; i < nl; i++) {
		h = hash_span(h, ls[i].name);
		h = hash_span(h, ls[i].value);
	}
	h = mix(h);
	if (h == 0)
		h = 1;   /* 0 marks an empty slot */
	size_t s = h & (SERIES_SLOTS - 1);
	while (c->series[s]) {
		if (c->series[s] == h) {
			problem(c, col, "duplicate series '%.*s' with the same label set", (int)(name.n > 60 ? 60 : name.n), name.p);
			return;
		}
		s = (s + 1) & (SERIES_SLOTS - 1);
	}
	c->series[s] = h;
	c->nseries++;
}

/* Golden-signal heuristics on a family's name and type. Go/process runtime metrics
 * (go_gc_duration_seconds, promhttp's scrape counter) are not the service's own signals. */
static void signals(ctx *c, const prom_family *f, const label *ls, size_t nl)
{
	prom_report *r = c->r;
	const char *n = f->name;
	bool runtime = starts_with(n, "go_") || starts_with(n, "process_") || starts_with(n, "promhttp_");
	const char *t = f->type;
	if ((!strcmp(t, "histogram") || !strcmp(t, "summary")) && !runtime &&
	    (contains(n, "duration") || contains(n, "latency") || contains(n, "seconds")))
		r->latency = true;
	if (!strcmp(t, "counter")) {
		span sn = { n, strlen(n) };
		bool req = ends_with(sn, "_requests_total") || ends_with(sn, "_requests") || contains(n, "http_requests") ||
			span_eq(sn, "requests_total") || span_eq(sn, "requests");
		if (req && !runtime)
			r->traffic = true;
		if (contains(n, "error") || contains(n, "failure") || contains(n, "5xx"))
			r->errors = true;
		if (req && !runtime && (find_label(ls, nl, "status") || find_label(ls, nl, "code") ||
					find_label(ls, nl, "status_code")))
			r->errors = true;
	}
	if (!strcmp(t, "gauge") &&
	    (contains(n, "_in_flight") || contains(n, "_inflight") || contains(n, "queue") ||
	     contains(n, "_utilization") || contains(n, "_saturation") ||
	     !strcmp(n, "process_open_fds") || !strcmp(n, "go_goroutines")))
		r->saturation = true;
}

/* Check a sample against its family's type. */
static void check_typed(ctx *c, const char *line, int fi, span name, span suffix, const label *ls, size_t nl,
			double v, int vcol)
{
	prom_family *f = &c->r->families[fi];
	const char *t = f->type;
	int col = 1;
	bool hist = !strcmp(t, "histogram") || !strcmp(t, "gaugehistogram");

	if (!strcmp(t, "counter")) {
		if (c->om && !ends_with(name, "_total") && !ends_with(name, "_created"))
			problem(c, col, "OpenMetrics counter sample '%.60s' must end in _total or _created", f->name);
		if (v < 0 && !span_eq(suffix, "_created"))
			problem(c, vcol, "counter '%.60s' has a negative value", f->name);
		return;
	}
	if (!hist && strcmp(t, "summary"))
		return;

	/* The label set without le/quantile names the histogram or summary point. */
	uint64_t key = hash_span(0x9e3779b97f4a7c15ULL, (span){ f->name, strlen(f->name) });
	for (size_t i = 0; i < nl; i++) {
		if (span_eq(ls[i].name, hist ? "le" : "quantile"))
			continue;
		key = hash_span(hash_span(key, ls[i].name), ls[i].value);
	}
	group *g = &c->g;
	if (!g->active || g->fam != fi || g->key != key) {
		group_end(c);
		memset(g, 0, sizeof *g);
		g->active = true;
		g->fam = fi;
		g->key = key;
		g->line = c->line;
		g->last_le = -INFINITY;
		g->last_count = -INFINITY;
	}

	if (span_eq(suffix, "_count") || span_eq(suffix, "_gcount")) {
		g->has_count = true;
		g->count = v;
		if (v < 0)
			problem(c, vcol, "'%.60s' has a negative _count", f->name);
		return;
	}
	if (span_eq(suffix, "_sum") || span_eq(suffix, "_gsum")) {
		g->has_sum = true;
		return;
	}
	if (span_eq(suffix, "_created"))
		return;

	if (!hist) {    /* summary quantile sample */
		const label *q = find_label(ls, nl, "quantile");
		double qv;
		if (suffix.n != 0) {
			problem(c, col, "sample '%.*s' is not valid in summary '%.60s'", (int)(name.n > 60 ? 60 : name.n),
				name.p, f->name);
		} else if (!q) {
			problem(c, col, "summary '%.60s' sample has no quantile label", f->name);
		} else if (!parse_float(q->value.p, q->value.n, &qv) || isnan(qv) || qv < 0 || qv > 1) {
			problem(c, (int)(q->value.p - line) + 1, "summary '%.60s': quantile \"%.*s\" is not a number in [0,1]",
				f->name, (int)(q->value.n > 30 ? 30 : q->value.n), q->value.p);
		}
		return;
	}

	if (!span_eq(suffix, "_bucket")) {
		problem(c, col, "sample '%.*s' is not valid in histogram '%.60s'", (int)(name.n > 60 ? 60 : name.n),
			name.p, f->name);
		return;
	}
	const label *le = find_label(ls, nl, "le");
	double lv;
	if (!le) {
		problem(c, col, "histogram bucket '%.60s_bucket' has no le label", f->name);
		return;
	}
	if (!parse_float(le->value.p, le->value.n, &lv) || isnan(lv)) {
		problem(c, (int)(le->value.p - line) + 1, "histogram '%.60s': le \"%.*s\" is not a number", f->name,
			(int)(le->value.n > 30 ? 30 : le->value.n), le->value.p);
		return;
	}
	if (g->has_buckets && !(lv > g->last_le))
		problem(c, (int)(le->value.p - line) + 1, "histogram '%.60s': le %g is not greater than the previous %g",
			f->name, lv, g->last_le);
	if (g->has_buckets && v < g->last_count)
		problem(c, vcol, "histogram '%.60s': bucket le=%g count %g is less than the previous bucket's %g",
			f->name, lv, v, g->last_count);
	g->has_buckets = true;
	g->last_le = lv;
	g->last_count = v;
	if (isinf(lv) && lv > 0) {
		g->has_inf = true;
		g->inf_count = v;
	}
}

static void parse_sample(ctx *c, const char *s, size_t n)
{
	label ls[PROM_MAX_LABELS];
	size_t nl = 0;
	size_t i = skip_blanks(s, n, 0);
	size_t mn = metric_name_len(s + i, n - i);
	if (mn == 0 || (i + mn < n && !is_blank(s[i + mn]) && s[i + mn] != '{')) {
		size_t e = i;
		while (e < n && !is_blank(s[e]) && s[e] != '{' && e - i < 60)
			e++;
		problem(c, (int)i + 1, "metric name '%.*s' is not valid ([a-zA-Z_:][a-zA-Z0-9_:]*)", (int)(e - i), s + i);
		return;
	}
	span name = { s + i, mn };
	int ncol = (int)i + 1;
	i = skip_blanks(s, n, i + mn);
	if (i < n && s[i] == '{') {
		if (!parse_labels(c, s, n, &i, ls, &nl))
			return;
		i = skip_blanks(s, n, i);
	}
	if (nl > 1) {
		qsort(ls, nl, sizeof ls[0], label_cmp);
		for (size_t k = 1; k < nl; k++) {
			if (label_cmp(&ls[k - 1], &ls[k]) == 0) {
				problem(c, (int)(ls[k].name.p - s) + 1, "duplicate label name '%.*s'",
					(int)(ls[k].name.n > 60 ? 60 : ls[k].name.n), ls[k].name.p);
				return;
			}
		}
	}
	if (i >= n) {
		problem(c, (int)i + 1, "sample '%.*s' has no value", (int)(mn > 60 ? 60 : mn), name.p);
		return;
	}
	size_t ve = token_end(s, n, i);
	double v;
	int vcol = (int)i + 1;
	if (!parse_float(s + i, ve - i, &v)) {
		problem(c, vcol, "value '%.*s' is not a valid float", (int)(ve - i > 40 ? 40 : ve - i), s + i);
		return;
	}
	i = skip_blanks(s, n, ve);
	if (i < n && !(c->om && s[i] == '#')) {
		size_t te = token_end(s, n, i);
		double ts;
		bool ok = c->om ? parse_float(s + i, te - i, &ts) && !isnan(ts) : parse_int64(s + i, te - i);
		if (!ok) {
			problem(c, (int)i + 1, "timestamp '%.*s' is not %s", (int)(te - i > 40 ? 40 : te - i), s + i,
				c->om ? "a number" : "an integer (milliseconds)");
			return;
		}
		i = skip_blanks(s, n, te);
	}
	if (i < n && c->om && s[i] == '#') {
		/* an exemplar: # {labels} value [timestamp] */
		label el[PROM_MAX_LABELS];
		size_t enl;
		i = skip_blanks(s, n, i + 1);
		if (i >= n || s[i] != '{') {
			problem(c, (int)i + 1, "exemplar must start with a label set");
			return;
		}
		if (!parse_labels(c, s, n, &i, el, &enl))
			return;
		i = skip_blanks(s, n, i);
		size_t ee = token_end(s, n, i);
		double ev;
		if (!parse_float(s + i, ee - i, &ev)) {
			problem(c, (int)i + 1, "exemplar value is not a valid float");
			return;
		}
		i = skip_blanks(s, n, ee);
		if (i < n) {
			ee = token_end(s, n, i);
			if (!parse_float(s + i, ee - i, &ev)) {
				problem(c, (int)i + 1, "exemplar timestamp is not a number");
				return;
			}
			i = skip_blanks(s, n, ee);
		}
	}
	if (i < n) {
		problem(c, (int)i + 1, "unexpected text after the sample");
		return;
	}

	c->r->nsamples++;
	span suffix;
	int fi = fam_of_sample(c, name, &suffix);
	series_check(c, name, ls, nl, ncol);
	if (fi < 0)
		return;
	fam_enter(c, fi, ncol);
	c->r->families[fi].samples++;
	check_typed(c, s, fi, name, suffix, ls, nl, v, vcol);
	signals(c, &c->r->families[fi], ls, nl);
}

static bool valid_type(const ctx *c, span t)
{
	static const char *const prom[] = { "counter", "gauge", "histogram", "summary", "untyped" };
	static const char *const om[] = { "counter", "gauge", "histogram", "gaugehistogram", "stateset",
					   "info", "summary", "unknown" };
	const char *const *list = c->om ? om : prom;
	size_t n = c->om ? sizeof om / sizeof om[0] : sizeof prom / sizeof prom[0];
	for (size_t i = 0; i < n; i++)
		if (span_eq(t, list[i]))
			return true;
	return false;
}

/* # HELP, # TYPE, # UNIT, # EOF, or a plain comment. */
static void parse_comment(ctx *c, const char *s, size_t n, size_t *eof_line)
{
	size_t i = skip_blanks(s, n, 1);
	size_t we = token_end(s, n, i);
	span word = { s + i, we - i };
	bool help = span_eq(word, "HELP"), type = span_eq(word, "TYPE"), unit = c->om && span_eq(word, "UNIT");

	if (c->om && span_eq(word, "EOF") && we == n) {
		*eof_line = (size_t)c->line;
		return;
	}
	if (!help && !type && !unit) {
		if (c->om)
			problem(c, 1, "OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF comments");
		return;
	}
	i = skip_blanks(s, n, we);
	size_t mn = metric_name_len(s + i, n - i);
	if (mn == 0 || (i + mn < n && !is_blank(s[i + mn]))) {
		size_t e = token_end(s, n, i);
		problem(c, (int)i + 1, "metric name '%.*s' is not valid ([a-zA-Z_:][a-zA-Z0-9_:]*)",
			(int)(e - i > 60 ? 60 : e - i), s + i);
		return;
	}
	span name = { s + i, mn };
	int ncol = (int)i + 1;
	i = skip_blanks(s, n, i + mn);
	span rest = { s + i, n - i };
	if (type)       /* Go's parser allows blanks after the type word */
		while (rest.n > 0 && is_blank(rest.p[rest.n - 1]))
			rest.n--;

	if (type && !valid_type(c, rest)) {
		problem(c, (int)i + 1, "unknown metric type '%.*s'", (int)(rest.n > 30 ? 30 : rest.n), rest.p);
		return;
	}
	if (help) {
		for (size_t k = 0; k < rest.n; k++) {
			if (rest.p[k] != '\\')
				continue;
			char e = k + 1 < rest.n ? rest.p[k + 1] : 0;
			if (e == '\\' || e == 'n' || (c->om && e == '"')) {
				k++;
				continue;
			}
			problem(c, (int)(i + k) + 1, "invalid escape sequence in HELP text");
			return;
		}
		if (!utf8_valid(rest.p, rest.n)) {
			problem(c, (int)i + 1, "HELP text is not valid UTF-8");
			return;
		}
	}
	if (unit && rest.n > 0) {
		if (!(name.n > rest.n + 1 && name.p[name.n - rest.n - 1] == '_' &&
		      memcmp(name.p + name.n - rest.n, rest.p, rest.n) == 0))
			problem(c, ncol, "metric family '%.*s' does not end in its unit '_%.*s'", (int)(mn > 60 ? 60 : mn),
				name.p, (int)(rest.n > 30 ? 30 : rest.n), rest.p);
	}

	int f = fam_find(c, name.p, name.n);
	if (f < 0)
		f = fam_add(c, name.p, name.n, untyped(c));
	if (f < 0)
		return;
	prom_family *fam = &c->r->families[f];
	fam_state *st = &c->fs[f];
	/* Metadata for another family ends the current one, as a sample would. */
	if (f != c->cur) {
		if (c->cur >= 0)
			c->fs[c->cur].closed = true;
		if (st->closed) {
			problem(c, 1, "# %.4s for '%.60s' after its samples ended", word.p, fam->name);
			st->closed = false;
		}
		c->cur = f;
		group_end(c);
	}
	if (help) {
		if (fam->has_help)
			problem(c, 1, "second # HELP for '%.60s'", fam->name);
		fam->has_help = true;
	} else if (type) {
		if (st->has_type)
			problem(c, 1, "second # TYPE for '%.60s'", fam->name);
		else if (fam->samples > 0)
			problem(c, 1, "# TYPE for '%.60s' after its first sample", fam->name);
		else {
			snprintf(fam->type, sizeof fam->type, "%.*s", (int)rest.n, rest.p);
			/* a declared family is instrumentation even before its first sample
			 * (a labelled request counter has none until the first request) */
			signals(c, fam, NULL, 0);
		}
		st->has_type = true;
	} else {
		if (st->has_unit)
			problem(c, 1, "second # UNIT for '%.60s'", fam->name);
		st->has_unit = true;
	}
}

/* An OpenMetrics exposition ends with the line "# EOF" (and maybe a newline). */
static bool ends_with_eof(const char *d, size_t len)
{
	if (len > 0 && d[len - 1] == '\n')
		len--;
	return len >= 5 && memcmp(d + len - 5, "# EOF", 5) == 0 && (len == 5 || d[len - 6] == '\n');
}

void prom_parse(const char *data, size_t len, bool openmetrics, prom_report *r)
{
	memset(r, 0, sizeof *r);
	ctx c;
	memset(&c, 0, sizeof c);
	c.r = r;
	c.cur = -1;
	c.om = openmetrics || ends_with_eof(data, len);
	r->openmetrics = c.om;
	c.fam_slots = xmalloc(FAM_SLOTS * sizeof *c.fam_slots);
	memset(c.fam_slots, 0xff, FAM_SLOTS * sizeof *c.fam_slots);

	size_t eof_line = 0;
	bool after_eof_reported = false;
	size_t pos = 0;
	while (pos < len) {
		const char *s = data + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl ? 1 : 0);
		c.line++;
		if (eof_line) {
			if (!after_eof_reported)
				problem(&c, 1, "text after # EOF");
			after_eof_reported = true;
			continue;
		}
		if (n > PROM_MAX_LINE) {
			problem(&c, 1, "line longer than %d bytes: skipped", PROM_MAX_LINE);
			continue;
		}
		if (memchr(s, '\0', n)) {
			problem(&c, (int)((const char *)memchr(s, '\0', n) - s) + 1, "NUL byte in the text");
			continue;
		}
		if (n > 0 && s[n - 1] == '\r') {
			problem(&c, (int)n, "line ends with CR (\\r\\n line endings)");
			continue;
		}
		size_t i = skip_blanks(s, n, 0);
		if (i == n) {
			if (c.om)
				problem(&c, 1, "blank line (not allowed in OpenMetrics)");
			continue;
		}
		if (s[i] == '#')
			parse_comment(&c, s + i, n - i, &eof_line);
		else
			parse_sample(&c, s, n);
		if (eof_line)
			group_end(&c);
	}
	group_end(&c);
	if (c.om && !eof_line)
		problem(&c, 1, "OpenMetrics exposition does not end with # EOF");
	free(c.fam_slots);
	free(c.fs);
	free(c.series);
}

void prom_report_free(prom_report *r)
{
	if (!r)
		return;
	free(r->families);
	free(r->problems);
	r->families = NULL;
	r->problems = NULL;
	r->families_cap = r->nfamilies = r->nproblems = 0;
}
