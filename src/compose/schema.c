/* schema.c - JSON-schema validation of one compose file (see schema.h).
 *
 * Keywords: type (one or a list), $ref (#/$defs/... or #/definitions/...), properties,
 * patternProperties, additionalProperties, required, dependentRequired, items,
 * uniqueItems, enum, const, minimum, maximum, pattern, oneOf, anyOf, allOf, not.
 * Annotations (description, default, deprecated, format, title) are ignored. Regexes are
 * PCRE2 with `$` only at the end, as Go's regexp reads the schema.
 *
 * No cascades: a type mismatch stops the checks of that value, and a oneOf/anyOf that no
 * branch satisfies reports either one "must be a X or Y" (no branch has the value's type)
 * or the errors of the branch that got deepest into the value (compose-go's "most
 * specific error"). Errors are collected first so a failed branch can be dropped. */
#include "core/xalloc.h"
#include "compose/schema.h"
#include "core/buf.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_DEPTH = 256, MAX_NEST = 1024 };

/* --- the schema ------------------------------------------------------------------------- */

typedef struct regex {
	const char *pat;        /* points into the JSON */
	pcre2_code *re;
} regex;

struct cz_schema {
	json_t *root;
	regex *re;
	size_t nre, capre;
};

static int add_regex(cz_schema *s, const char *pat, char *err, size_t errlen)
{
	for (size_t i = 0; i < s->nre; i++)
		if (strcmp(s->re[i].pat, pat) == 0)
			return 0;
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY,
				       &code, &off, NULL);
	if (!re) {
		snprintf(err, errlen, "compose schema: bad regex '%s' at %zu", pat, (size_t)off);
		return -1;
	}
	if (s->nre == s->capre) {
		s->capre = s->capre ? s->capre * 2 : 16;
		s->re = xrealloc(s->re, s->capre * sizeof *s->re);
	}
	s->re[s->nre++] = (regex){pat, re};
	return 0;
}

/* Compile every regex the schema names: patternProperties keys and pattern values. */
static int compile_regexes(cz_schema *s, const json_t *j, char *err, size_t errlen)
{
	const char *k;
	const json_t *v;
	size_t i;
	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (compile_regexes(s, v, err, errlen) < 0)
				return -1;
		return 0;
	}
	if (!json_is_object(j))
		return 0;
	json_object_foreach((json_t *)j, k, v) {
		if (strcmp(k, "patternProperties") == 0 && json_is_object(v)) {
			const char *pk;
			const json_t *pv;
			json_object_foreach((json_t *)v, pk, pv)
				if (add_regex(s, pk, err, errlen) < 0)
					return -1;
		} else if (strcmp(k, "pattern") == 0 && json_is_string(v)) {
			if (add_regex(s, json_string_value(v), err, errlen) < 0)
				return -1;
		}
		if (compile_regexes(s, v, err, errlen) < 0)
			return -1;
	}
	return 0;
}

cz_schema *cz_schema_new(char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(pl_compose_spec_json, pl_compose_spec_json_len, 0, &je);
	if (!root) {
		snprintf(err, errlen, "compose schema: %s (line %d)", je.text, je.line);
		return NULL;
	}
	cz_schema *s = xcalloc(1, sizeof *s);
	s->root = root;
	if (compile_regexes(s, root, err, errlen) < 0) {
		cz_schema_free(s);
		return NULL;
	}
	return s;
}

void cz_schema_free(cz_schema *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nre; i++)
		pcre2_code_free(s->re[i].re);
	free(s->re);
	json_decref(s->root);
	free(s);
}

/* --- values: the JSON type compose-go sees ----------------------------------------------- */

/* Value types, and the schema's type names as a mask of them. */
enum {
	T_NULL = 1, T_BOOL = 2, T_INT = 4, T_NUM = 8, T_STR = 16, T_ARR = 32, T_OBJ = 64,
};

typedef struct val {
	unsigned t;             /* one T_ bit */
	double num;             /* T_INT, T_NUM */
	bool b;                 /* T_BOOL */
} val;

typedef struct seg {
	const char *key;        /* NULL: an index */
	size_t idx;
} seg;

typedef struct verr {
	const cz_node *at;
	size_t depth;           /* path length at the error: deeper is more specific */
	unsigned types;         /* a type mismatch: the allowed types; 0 for other errors */
	size_t seq;             /* creation order, to sort stably */
	char *msg;
} verr;

typedef struct vctx {
	const cz_schema *s;
	pcre2_match_data *md;
	seg path[MAX_DEPTH];
	size_t depth;
	size_t nest;            /* schema recursion, a guard against $ref loops */
	verr *err;
	size_t nerr, caperr, seq;
	buf pb;                 /* path text scratch */
} vctx;

/* compose-go casts interpolated strings at these paths (loader/interpolate.go); "*" is any
 * segment, "[]" any list index. */
static const struct cast {
	const char *path;
	unsigned t;
} CASTS[] = {
	{"services.*.configs.[].mode", T_INT}, {"services.*.cpu_count", T_INT},
	{"services.*.cpu_percent", T_NUM}, {"services.*.cpu_period", T_INT},
	{"services.*.cpu_quota", T_INT}, {"services.*.cpu_rt_period", T_INT},
	{"services.*.cpu_rt_runtime", T_INT}, {"services.*.cpus", T_NUM},
	{"services.*.cpu_shares", T_INT}, {"services.*.init", T_BOOL},
	{"services.*.deploy.replicas", T_INT}, {"services.*.deploy.update_config.parallelism", T_INT},
	{"services.*.deploy.update_config.max_failure_ratio", T_NUM},
	{"services.*.deploy.rollback_config.parallelism", T_INT},
	{"services.*.deploy.rollback_config.max_failure_ratio", T_NUM},
	{"services.*.deploy.restart_policy.max_attempts", T_INT},
	{"services.*.deploy.placement.max_replicas_per_node", T_INT},
	{"services.*.healthcheck.retries", T_INT}, {"services.*.healthcheck.disable", T_BOOL},
	{"services.*.mem_limit", T_INT}, {"services.*.mem_reservation", T_INT},
	{"services.*.memswap_limit", T_INT}, {"services.*.mem_swappiness", T_INT},
	{"services.*.oom_kill_disable", T_BOOL}, {"services.*.oom_score_adj", T_INT},
	{"services.*.pids_limit", T_INT}, {"services.*.ports.[].target", T_INT},
	{"services.*.ports.[].published", T_INT}, {"services.*.privileged", T_BOOL},
	{"services.*.read_only", T_BOOL}, {"services.*.scale", T_INT},
	{"services.*.secrets.[].mode", T_INT}, {"services.*.shm_size", T_INT},
	{"services.*.stdin_open", T_BOOL}, {"services.*.stop_grace_period", T_INT},
	{"services.*.tty", T_BOOL}, {"services.*.ulimits.*", T_INT},
	{"services.*.ulimits.*.hard", T_INT}, {"services.*.ulimits.*.soft", T_INT},
	{"services.*.volumes.[].read_only", T_BOOL},
	{"services.*.volumes.[].volume.nocopy", T_BOOL},
	{"services.*.volumes.[].tmpfs.size", T_INT}, {"networks.*.external", T_BOOL},
	{"networks.*.internal", T_BOOL}, {"networks.*.attachable", T_BOOL},
	{"volumes.*.external", T_BOOL}, {"secrets.*.external", T_BOOL},
	{"configs.*.external", T_BOOL},
};

static bool path_is(const vctx *v, const char *pat)
{
	size_t i = 0;
	while (*pat) {
		const char *e = strchr(pat, '.');
		size_t len = e ? (size_t)(e - pat) : strlen(pat);
		if (i >= v->depth)
			return false;
		const seg *s = &v->path[i];
		if (len == 2 && memcmp(pat, "[]", 2) == 0) {
			if (s->key)
				return false;
		} else if (!(len == 1 && pat[0] == '*')) {
			if (!s->key || strlen(s->key) != len || memcmp(s->key, pat, len) != 0)
				return false;
		}
		i++;
		pat += len;
		if (*pat == '.')
			pat++;
	}
	return i == v->depth;
}

/* Go's strconv.ParseInt(s, 10, 64) syntax. */
static bool dec_int(const char *s, double *out)
{
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (!*p)
		return false;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return false;
	*out = strtod(s, NULL);
	return true;
}

/* A YAML plain scalar as yaml.v3 resolves it (ints with base prefixes and `_`, floats,
 * .inf/.nan, true/false in three spellings); anything else is a string. */
static unsigned plain_type(const char *s, val *out)
{
	static const char *const T[] = {"true", "True", "TRUE"}, *const F[] = {"false", "False", "FALSE"};
	static const char *const SPECIAL[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
					      "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"};
	for (int i = 0; i < 3; i++) {
		if (strcmp(s, T[i]) == 0 || strcmp(s, F[i]) == 0) {
			out->b = strcmp(s, T[i]) == 0;
			return T_BOOL;
		}
	}
	for (size_t i = 0; i < sizeof SPECIAL / sizeof *SPECIAL; i++)
		if (strcmp(s, SPECIAL[i]) == 0) {
			out->num = s[strlen(s) - 1] == 'n' || s[strlen(s) - 1] == 'N' ? NAN
				   : s[0] == '-' ? -INFINITY : INFINITY;
			return T_NUM;
		}
	if (!strchr("+-.0123456789", s[0]) || strlen(s) > 64)
		return T_STR;
	char p[80];
	size_t n = 0;
	for (const char *q = s; *q; q++)
		if (*q != '_')
			p[n++] = *q;
	p[n] = '\0';
	/* strconv.ParseInt(p, 0, 64): sign, then 0x / 0o / 0b / 0 (octal) prefixes or decimal */
	const char *d = p + (p[0] == '+' || p[0] == '-');
	int base = 10;
	const char *digits = d;
	if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
		base = 16, digits = d + 2;
	else if (d[0] == '0' && (d[1] == 'o' || d[1] == 'O'))
		base = 8, digits = d + 2;
	else if (d[0] == '0' && (d[1] == 'b' || d[1] == 'B'))
		base = 2, digits = d + 2;
	else if (d[0] == '0' && d[1])
		base = 8, digits = d + 1;
	bool ok = *digits != '\0';
	double v = 0;
	for (const char *q = digits; *q && ok; q++) {
		int dv = *q >= '0' && *q <= '9' ? *q - '0'
			 : *q >= 'a' && *q <= 'f' ? *q - 'a' + 10
			 : *q >= 'A' && *q <= 'F' ? *q - 'A' + 10 : 99;
		if (dv >= base)
			ok = false;
		v = v * base + dv;
	}
	if (ok) {
		out->num = p[0] == '-' ? -v : v;
		return T_INT;
	}
	/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
	const char *q = p + (p[0] == '+' || p[0] == '-');
	size_t before = strspn(q, "0123456789");
	q += before;
	if (*q == '.') {
		size_t after = strspn(q + 1, "0123456789");
		if (!before && !after)
			return T_STR;
		q += 1 + after;
	} else if (!before) {
		return T_STR;
	}
	if (*q == 'e' || *q == 'E') {
		q++;
		if (*q == '+' || *q == '-')
			q++;
		size_t ex = strspn(q, "0123456789");
		if (!ex)
			return T_STR;
		q += ex;
	}
	if (*q)
		return T_STR;
	out->num = strtod(p, NULL);
	return T_NUM;
}

/* An interpolated string at a path compose-go casts (see CASTS). */
static unsigned cast(const vctx *v, const char *s, val *out)
{
	for (size_t i = 0; i < sizeof CASTS / sizeof *CASTS; i++) {
		if (!path_is(v, CASTS[i].path))
			continue;
		if (CASTS[i].t == T_BOOL) {
			static const char *const Y[] = {"y", "yes", "true", "on"}, *const N[] = {"n", "no", "false", "off"};
			for (int k = 0; k < 4; k++) {
				if (strcasecmp(s, Y[k]) == 0 || strcasecmp(s, N[k]) == 0) {
					out->b = strcasecmp(s, Y[k]) == 0;
					return T_BOOL;
				}
			}
		} else if (CASTS[i].t == T_INT) {
			if (dec_int(s, &out->num))
				return T_INT;
		} else {
			char *end;
			out->num = strtod(s, &end);
			if (*s && !*end)
				return T_NUM;
		}
		return T_STR; /* compose-go refuses the cast; the schema then sees a string */
	}
	return T_STR;
}

static val value_of(const vctx *v, const cz_node *n)
{
	val r = {T_STR, 0, false};
	switch (n->kind) {
	case Y_NULL: r.t = T_NULL; return r;
	case Y_MAP: r.t = T_OBJ; return r;
	case Y_SEQ: r.t = T_ARR; return r;
	case Y_SCALAR: break;
	}
	/* interpolation replaced the text: it was a string in the YAML */
	bool interpolated = n->via || n->env_ref;
	bool str_tag = n->tag && (strcmp(n->tag, "!!str") == 0 ||
				  strcmp(n->tag, "!<tag:yaml.org,2002:str>") == 0);
	if (interpolated)
		r.t = cast(v, n->s, &r);
	else if (!n->quoted && !str_tag)
		r.t = plain_type(n->s, &r);
	return r;
}

static unsigned type_mask(const char *name)
{
	static const struct {
		const char *name;
		unsigned t;
	} M[] = {{"null", T_NULL}, {"boolean", T_BOOL}, {"integer", T_INT}, {"number", T_NUM},
		 {"string", T_STR}, {"array", T_ARR}, {"object", T_OBJ}};
	for (size_t i = 0; i < sizeof M / sizeof *M; i++)
		if (strcmp(name, M[i].name) == 0)
			return M[i].t;
	return 0;
}

static bool type_ok(const val *x, unsigned allowed)
{
	if (x->t & allowed)
		return true;
	if (x->t == T_INT && (allowed & T_NUM))
		return true;
	return x->t == T_NUM && (allowed & T_INT) && isfinite(x->num) && x->num == floor(x->num);
}

/* "string, number or mapping", in a fixed order (compose-go's words for object/array). */
static void types_text(buf *b, unsigned t)
{
	static const struct {
		unsigned t;
		const char *word;
	} W[] = {{T_STR, "string"}, {T_NUM, "number"}, {T_INT, "integer"}, {T_BOOL, "boolean"},
		 {T_OBJ, "mapping"}, {T_ARR, "list"}, {T_NULL, "null"}};
	if ((t & T_NUM) && (t & T_INT))
		t &= ~(unsigned)T_INT;
	size_t n = 0, total = (size_t)__builtin_popcount(t);
	for (size_t i = 0; i < sizeof W / sizeof *W; i++) {
		if (!(t & W[i].t))
			continue;
		buf_adds(b, n == 0 ? "" : n + 1 == total ? " or " : ", ");
		buf_adds(b, W[i].word);
		n++;
	}
}

/* --- errors ----------------------------------------------------------------------------- */

static const char *path_text(vctx *v)
{
	buf_reset(&v->pb);
	for (size_t i = 0; i < v->depth; i++) {
		if (i)
			buf_addc(&v->pb, '.');
		if (v->path[i].key)
			buf_adds(&v->pb, v->path[i].key);
		else
			buf_printf(&v->pb, "%zu", v->path[i].idx);
	}
	return v->depth ? buf_str(&v->pb) : "(root)";
}

static void add_err(vctx *v, const cz_node *at, unsigned types, char *msg)
{
	if (v->nerr == v->caperr) {
		v->caperr = v->caperr ? v->caperr * 2 : 16;
		v->err = xrealloc(v->err, v->caperr * sizeof *v->err);
	}
	v->err[v->nerr++] = (verr){at, v->depth, types, v->seq++, msg};
}

/* An error at the current path: fmt gets the path text as its first argument. */
static void fail(vctx *v, const cz_node *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(vctx *v, const cz_node *at, const char *fmt, ...)
{
	buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	add_err(v, at, 0, buf_detach(&b, NULL));
}

static void fail_type(vctx *v, const cz_node *at, unsigned types)
{
	buf b = BUF_INIT;
	buf_printf(&b, "%s must be a ", path_text(v));
	types_text(&b, types);
	add_err(v, at, types, buf_detach(&b, NULL));
}

static void drop_from(vctx *v, size_t from)
{
	for (size_t i = from; i < v->nerr; i++)
		free(v->err[i].msg);
	v->nerr = from;
}

/* Keep only errors [s, e) of those from `base` on. */
static void keep_range(vctx *v, size_t base, size_t s, size_t e)
{
	for (size_t i = base; i < v->nerr; i++)
		if (i < s || i >= e)
			free(v->err[i].msg);
	memmove(&v->err[base], &v->err[s], (e - s) * sizeof *v->err);
	v->nerr = base + (e - s);
}

/* --- validation ------------------------------------------------------------------------- */

static bool check(vctx *v, const json_t *sch, const cz_node *n);

static bool push_key(vctx *v, const char *key)
{
	if (v->depth >= MAX_DEPTH)
		return false;
	v->path[v->depth++] = (seg){key ? key : "", 0};
	return true;
}

static bool push_idx(vctx *v, size_t idx)
{
	if (v->depth >= MAX_DEPTH)
		return false;
	v->path[v->depth++] = (seg){NULL, idx};
	return true;
}

static bool is_reset(const cz_node *n)
{
	return n && n->tag && strcmp(n->tag, "!reset") == 0;
}

static bool regex_match(vctx *v, const char *pat, const char *s)
{
	for (size_t i = 0; i < v->s->nre; i++)
		if (strcmp(v->s->re[i].pat, pat) == 0)
			return pcre2_match(v->s->re[i].re, (PCRE2_SPTR)s, strlen(s), 0, 0, v->md, NULL) >= 0;
	return false;
}

static const json_t *resolve_ref(const vctx *v, const char *ref)
{
	if (strncmp(ref, "#/", 2) != 0)
		return NULL;
	const json_t *j = v->s->root;
	const char *p = ref + 2;
	while (*p && j) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char name[128];
		if (len >= sizeof name)
			return NULL;
		memcpy(name, p, len);
		name[len] = '\0';
		j = json_object_get(j, name);
		p += len;
		if (*p == '/')
			p++;
	}
	return j;
}

/* Does the node's value equal the JSON value (enum, const)? */
static bool same_value(const val *x, const cz_node *n, const json_t *j)
{
	if (json_is_string(j))
		return x->t == T_STR && strcmp(n->s, json_string_value(j)) == 0;
	if (json_is_number(j))
		return (x->t == T_INT || x->t == T_NUM) && x->num == json_number_value(j);
	if (json_is_boolean(j))
		return x->t == T_BOOL && x->b == json_is_true(j);
	if (json_is_null(j))
		return x->t == T_NULL;
	return false;
}

static void json_text(buf *b, const json_t *j)
{
	if (json_is_string(j))
		buf_adds(b, json_string_value(j));
	else if (json_is_number(j))
		buf_printf(b, "%g", json_number_value(j));
	else if (json_is_boolean(j))
		buf_adds(b, json_is_true(j) ? "true" : "false");
	else
		buf_adds(b, "null");
}

/* A canonical text of a value, equal for equal JSON values (uniqueItems). */
static void canon(vctx *v, buf *b, const cz_node *n)
{
	val x = value_of(v, n);
	switch (x.t) {
	case T_NULL: buf_adds(b, "n;"); return;
	case T_BOOL: buf_adds(b, x.b ? "t;" : "f;"); return;
	case T_INT:
	case T_NUM: buf_printf(b, "d%.17g;", x.num); return;
	case T_STR: buf_printf(b, "s%zu:%s", strlen(n->s), n->s); return;
	case T_ARR:
		buf_addc(b, '[');
		for (size_t i = 0; i < n->nitems; i++) {
			if (is_reset(n->items[i]) || !push_idx(v, i))
				continue;
			canon(v, b, n->items[i]);
			v->depth--;
		}
		buf_addc(b, ']');
		return;
	default: {
		/* keys sorted, so that key order does not matter */
		size_t np = n->npairs;
		const cz_pair **ps = xmalloc((np + 1) * sizeof *ps);
		for (size_t i = 0; i < np; i++)
			ps[i] = &n->pairs[i];
		for (size_t i = 1; i < np; i++)
			for (size_t j = i; j > 0 && strcmp(ps[j - 1]->key, ps[j]->key) > 0; j--) {
				const cz_pair *t = ps[j];
				ps[j] = ps[j - 1];
				ps[j - 1] = t;
			}
		buf_addc(b, '{');
		for (size_t i = 0; i < np; i++) {
			if (is_reset(ps[i]->v) || !push_key(v, ps[i]->key))
				continue;
			buf_printf(b, "%zu:%s=", strlen(ps[i]->key), ps[i]->key);
			canon(v, b, ps[i]->v);
			v->depth--;
		}
		buf_addc(b, '}');
		free(ps);
		return;
	}
	}
}

typedef struct item_key {
	char *text;
	size_t idx;
} item_key;

static int cmp_item_key(const void *a, const void *b)
{
	const item_key *x = a, *y = b;
	int c = strcmp(x->text, y->text);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* uniqueItems: each repeated item is reported once, where it repeats, in order. */
static bool check_unique(vctx *v, const cz_node *n)
{
	size_t m = n->nitems;
	if (m < 2)
		return true;
	item_key *keys = xcalloc(m, sizeof *keys);
	size_t *dups = xcalloc(m, sizeof *dups);
	for (size_t i = 0; i < m; i++) {
		buf b = BUF_INIT;
		if (!is_reset(n->items[i]) && push_idx(v, i)) {
			canon(v, &b, n->items[i]);
			v->depth--;
		} else {
			buf_printf(&b, "#%zu", i); /* never equal to another */
		}
		keys[i] = (item_key){buf_detach(&b, NULL), i};
	}
	qsort(keys, m, sizeof *keys, cmp_item_key);
	size_t nd = 0;
	for (size_t i = 1; i < m; i++)
		if (strcmp(keys[i].text, keys[i - 1].text) == 0)
			dups[nd++] = keys[i].idx;
	qsort(dups, nd, sizeof *dups, cmp_size);
	for (size_t i = 0; i < nd; i++) {
		const cz_node *it = n->items[dups[i]];
		if (it->kind == Y_SCALAR)
			fail(v, it, "%s must have unique items: '%s' is repeated", path_text(v), it->s);
		else
			fail(v, it, "%s must have unique items: item %zu is repeated", path_text(v), dups[i]);
	}
	for (size_t i = 0; i < m; i++)
		free(keys[i].text);
	free(keys);
	free(dups);
	return nd == 0;
}

static bool check_object(vctx *v, const json_t *sch, const cz_node *n)
{
	bool ok = true;
	const json_t *props = json_object_get(sch, "properties");
	const json_t *pprops = json_object_get(sch, "patternProperties");
	const json_t *addl = json_object_get(sch, "additionalProperties");
	if (props || pprops || addl) {
		for (size_t i = 0; i < n->npairs; i++) {
			const cz_pair *p = &n->pairs[i];
			if (is_reset(p->v))
				continue;
			bool matched = false;
			if (!push_key(v, p->key))
				continue;
			const json_t *ps = props ? json_object_get(props, p->key) : NULL;
			if (ps) {
				matched = true;
				ok &= check(v, ps, p->v);
			}
			if (json_is_object(pprops)) {
				const char *pk;
				json_t *psch;
				json_object_foreach((json_t *)pprops, pk, psch) {
					if (regex_match(v, pk, p->key)) {
						matched = true;
						ok &= check(v, psch, p->v);
					}
				}
			}
			if (!matched && addl && !json_is_false(addl))
				ok &= check(v, addl, p->v);
			v->depth--;
			if (!matched && json_is_false(addl)) {
				if (v->depth)
					fail(v, p->kn ? p->kn : p->v, "%s: additional property %s is not allowed",
					     path_text(v), p->key);
				else
					fail(v, p->kn ? p->kn : p->v, "additional property %s is not allowed",
					     p->key);
				ok = false;
			}
		}
	}
	const json_t *req = json_object_get(sch, "required");
	size_t i;
	const json_t *r;
	json_array_foreach(req, i, r) {
		const char *name = json_string_value(r);
		const cz_pair *p = name ? cz_get_pair(n, name) : NULL;
		if (name && (!p || is_reset(p->v))) {
			fail(v, n, "%s: property %s is required", path_text(v), name);
			ok = false;
		}
	}
	const json_t *dep = json_object_get(sch, "dependentRequired");
	const char *dk;
	json_t *dv;
	json_object_foreach((json_t *)dep, dk, dv) {
		if (!cz_get_pair(n, dk))
			continue;
		json_array_foreach(dv, i, r) {
			const char *name = json_string_value(r);
			if (name && !cz_get_pair(n, name)) {
				fail(v, n, "%s: property %s is required with %s", path_text(v), name, dk);
				ok = false;
			}
		}
	}
	return ok;
}

static bool check_array(vctx *v, const json_t *sch, const cz_node *n)
{
	bool ok = true;
	const json_t *items = json_object_get(sch, "items");
	if (items) {
		for (size_t i = 0; i < n->nitems; i++) {
			const json_t *is = json_is_array(items) ? json_array_get(items, i) : items;
			if (!is || is_reset(n->items[i]) || !push_idx(v, i))
				continue;
			ok &= check(v, is, n->items[i]);
			v->depth--;
		}
	}
	if (json_is_true(json_object_get(sch, "uniqueItems")))
		ok &= check_unique(v, n);
	return ok;
}

/* oneOf / anyOf: see the header comment for which errors a failure keeps. */
static bool check_choice(vctx *v, const json_t *arr, const cz_node *n, bool one)
{
	size_t nb = json_array_size(arr), base = v->nerr, npass = 0;
	size_t *start = xmalloc((nb + 1) * sizeof *start);
	for (size_t i = 0; i < nb; i++) {
		start[i] = v->nerr;
		if (check(v, json_array_get(arr, i), n))
			npass++;
	}
	start[nb] = v->nerr;
	bool ok = one ? npass == 1 : npass >= 1;
	if (ok || (one && npass > 1)) {
		drop_from(v, base);
		if (!ok)
			fail(v, n, "%s must match exactly one allowed form, not %zu", path_text(v), npass);
		free(start);
		return ok;
	}
	unsigned types = 0;
	size_t best = nb, best_depth = 0, best_count = 0;
	for (size_t i = 0; i < nb; i++) {
		size_t s = start[i], e = start[i + 1];
		if (e == s)
			continue;
		if (e - s == 1 && v->err[s].types && v->err[s].at == n) {
			types |= v->err[s].types; /* the value is not of this branch's type */
			continue;
		}
		size_t d = 0;
		for (size_t k = s; k < e; k++)
			if (v->err[k].depth > d)
				d = v->err[k].depth;
		if (best == nb || d > best_depth || (d == best_depth && e - s < best_count)) {
			best = i;
			best_depth = d;
			best_count = e - s;
		}
	}
	if (best == nb) {
		drop_from(v, base);
		fail_type(v, n, types ? types : T_OBJ);
	} else {
		keep_range(v, base, start[best], start[best + 1]);
	}
	free(start);
	return false;
}

static bool check_schema(vctx *v, const json_t *sch, const cz_node *n)
{
	if (json_is_false(sch)) {
		fail(v, n, "%s is not allowed", path_text(v));
		return false;
	}
	if (!json_is_object(sch))
		return true;
	bool ok = true;
	const json_t *ref = json_object_get(sch, "$ref");
	if (json_is_string(ref)) {
		const json_t *target = resolve_ref(v, json_string_value(ref));
		if (target && !check(v, target, n))
			return false;
	}
	val x = value_of(v, n);
	const json_t *type = json_object_get(sch, "type");
	if (type) {
		unsigned allowed = 0;
		if (json_is_string(type)) {
			allowed = type_mask(json_string_value(type));
		} else {
			size_t i;
			const json_t *t;
			json_array_foreach(type, i, t)
				if (json_is_string(t))
					allowed |= type_mask(json_string_value(t));
		}
		if (allowed && !type_ok(&x, allowed)) {
			fail_type(v, n, allowed);
			return false;
		}
	}
	const json_t *en = json_object_get(sch, "enum");
	if (json_is_array(en)) {
		bool found = false;
		size_t i;
		const json_t *e;
		json_array_foreach(en, i, e)
			found |= same_value(&x, n, e);
		if (!found) {
			buf b = BUF_INIT;
			json_array_foreach(en, i, e) {
				if (i)
					buf_adds(&b, ", ");
				json_text(&b, e);
			}
			fail(v, n, "%s must be one of: %s", path_text(v), buf_str(&b));
			buf_free(&b);
			ok = false;
		}
	}
	const json_t *cn = json_object_get(sch, "const");
	if (cn && !same_value(&x, n, cn)) {
		buf b = BUF_INIT;
		json_text(&b, cn);
		fail(v, n, "%s must be %s", path_text(v), buf_str(&b));
		buf_free(&b);
		ok = false;
	}
	if (x.t == T_INT || x.t == T_NUM) {
		const json_t *mn = json_object_get(sch, "minimum"), *mx = json_object_get(sch, "maximum");
		if (json_is_number(mn) && x.num < json_number_value(mn)) {
			fail(v, n, "%s must be greater than or equal to %g", path_text(v), json_number_value(mn));
			ok = false;
		}
		if (json_is_number(mx) && x.num > json_number_value(mx)) {
			fail(v, n, "%s must be less than or equal to %g", path_text(v), json_number_value(mx));
			ok = false;
		}
	}
	const json_t *pat = json_object_get(sch, "pattern");
	if (x.t == T_STR && json_is_string(pat) && !regex_match(v, json_string_value(pat), n->s)) {
		fail(v, n, "%s must match '%s'", path_text(v), json_string_value(pat));
		ok = false;
	}
	if (x.t == T_OBJ)
		ok &= check_object(v, sch, n);
	if (x.t == T_ARR)
		ok &= check_array(v, sch, n);
	const json_t *all = json_object_get(sch, "allOf");
	size_t i;
	const json_t *sub;
	json_array_foreach(all, i, sub)
		ok &= check(v, sub, n);
	const json_t *any = json_object_get(sch, "anyOf");
	if (json_is_array(any) && json_array_size(any))
		ok &= check_choice(v, any, n, false);
	const json_t *one = json_object_get(sch, "oneOf");
	if (json_is_array(one) && json_array_size(one))
		ok &= check_choice(v, one, n, true);
	const json_t *nt = json_object_get(sch, "not");
	if (nt) {
		size_t base = v->nerr;
		bool matched = check(v, nt, n);
		drop_from(v, base);
		if (matched) {
			fail(v, n, "%s has a value that is not allowed here", path_text(v));
			ok = false;
		}
	}
	return ok;
}

static bool check(vctx *v, const json_t *sch, const cz_node *n)
{
	if (v->nest >= MAX_NEST)
		return true;
	v->nest++;
	bool ok = check_schema(v, sch, n);
	v->nest--;
	return ok;
}

static int cmp_err(const void *a, const void *b)
{
	const verr *x = a, *y = b;
	if (x->at->line != y->at->line)
		return (x->at->line > y->at->line) - (x->at->line < y->at->line);
	if (x->at->col != y->at->col)
		return (x->at->col > y->at->col) - (x->at->col < y->at->col);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

size_t cz_schema_validate(const cz_schema *s, const cz_node *root, cz_schema_report_fn report,
			  void *ctx)
{
	if (!s || !root)
		return 0;
	vctx *v = xcalloc(1, sizeof *v);
	v->s = s;
	v->md = pcre2_match_data_create(1, NULL);
	if (!v->md)
		abort();
	check(v, s->root, root);
	/* the same node may be reached by two branches or patterns: report it once */
	if (v->nerr)
		qsort(v->err, v->nerr, sizeof *v->err, cmp_err);
	size_t n = 0;
	for (size_t i = 0; i < v->nerr; i++) {
		bool dup = false;
		for (size_t k = i; k-- > 0 && !dup && v->err[k].at->line == v->err[i].at->line &&
				   v->err[k].at->col == v->err[i].at->col;)
			dup = v->err[k].at == v->err[i].at && strcmp(v->err[k].msg, v->err[i].msg) == 0;
		if (dup)
			continue;
		report(ctx, v->err[i].at, v->err[i].msg);
		n++;
	}
	drop_from(v, 0);
	free(v->err);
	buf_free(&v->pb);
	pcre2_match_data_free(v->md);
	free(v);
	return n;
}
