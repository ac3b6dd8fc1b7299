/* interpolate.c - Compose variable interpolation, as compose-go's template package does it.
 *
 * `$$` is a literal `$`; `$NAME` and `${NAME}` substitute (unset: empty, flagged);
 * `${NAME:-d}`/`${NAME-d}` default when unset or empty / unset only; `${NAME:?e}`/`${NAME?e}`
 * fail with "required variable NAME is missing a value: e"; `${NAME:+x}`/`${NAME+x}`
 * substitute x when set and non-empty / set. The operator is the one right after the name
 * (so `${A-x:?y}` defaults to "x:?y"); defaults, messages and alternatives are themselves
 * interpolated, lazily. A `$` that starts no variable (`$}`, `$5`, `$(`, a trailing `$`)
 * is literal (compose-go since PR #307); a `${` that is not a valid braced expression
 * (`${`, `${}`, `${ A}`, `${A!}`) is an invalid template, as in Compose. Also the variable set (cz_env) the lookups run over. */
#include "compose/internal.h"
#include "core/buf.h"

#include <stdio.h>
#include <string.h>

enum { MAX_NESTING = 64 };

typedef struct ictx {
	arena *a;
	cz_lookup_fn fn;
	void *ctx;
	cz_interp *r;
	const char *whole;     /* the template, for error messages */
	int depth;
} ictx;

static bool name_start(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

static int invalid(ictx *x)
{
	snprintf(x->r->err, sizeof x->r->err,
		 "invalid interpolation format \"%.160s\": you may need to escape any $ with another $",
		 x->whole);
	return -1;
}

/* Look a variable up, recording where its value came from. */
static bool lookup(ictx *x, const char *name, size_t n, const char **val)
{
	const char *via = NULL;
	*val = NULL;
	if (x->fn && x->fn(x->ctx, name, n, val, &via) && *val) {
		if (via && !x->r->via)
			x->r->via = via;
		if (!via)
			x->r->env_ref = true;
		return true;
	}
	*val = "";
	return false;
}

static void mark_unset(ictx *x, const char *name, size_t n)
{
	x->r->env_ref = true;
	if (!x->r->unset)
		x->r->unset_name = arena_strndup(x->a, name, n);
	x->r->unset = true;
}

static int subst(ictx *x, const char *s, size_t n, buf *out);

/* Index of the `}` closing the `${` at s[0], or -1 (compose-go's getFirstBraceClosingIndex). */
static long closing_brace(const char *s, size_t n)
{
	int open = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '}') {
			open--;
			if (open == 0)
				return (long)i;
		}
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
			open++;
			i++;
		}
	}
	return -1;
}

static void set_default_via(ictx *x, const char *braced, size_t n)
{
	if (x->r->via)
		return;
	buf b = BUF_INIT;
	buf_printf(&b, "the default in %.*s", (int)(n > 120 ? 120 : n), braced);
	x->r->via = arena_strdup(x->a, buf_str(&b));
	buf_free(&b);
}

/* s[0..n) is the whole "${...}". */
static int braced(ictx *x, const char *s, size_t n, buf *out)
{
	const char *in = s + 2;
	size_t m = n - 3, i = 0;
	if (m == 0 || !name_start(in[0]))
		return invalid(x);
	while (i < m && name_char(in[i]))
		i++;
	const char *name = in;
	size_t nl = i;
	const char *val;
	bool set = lookup(x, name, nl, &val);
	if (i == m) {
		if (!set)
			mark_unset(x, name, nl);
		buf_adds(out, val);
		return 0;
	}
	bool colon = false;
	if (in[i] == ':') {
		colon = true;
		i++;
		if (i == m)
			return invalid(x);
	}
	char op = in[i++];
	if (op != '-' && op != '?' && op != '+')
		return invalid(x);
	const char *rest = in + i;
	size_t rn = m - i;
	bool present = set && (!colon || val[0] != '\0');
	switch (op) {
	case '-':
		if (present) {
			buf_adds(out, val);
			return 0;
		}
		set_default_via(x, s, n);
		return subst(x, rest, rn, out);
	case '+':
		if (!present)
			return 0;
		return subst(x, rest, rn, out);
	default: /* '?' */
		if (present) {
			buf_adds(out, val);
			return 0;
		}
		buf msg = BUF_INIT;
		int rc = subst(x, rest, rn, &msg);
		if (rc == 0) {
			if (msg.len)
				snprintf(x->r->err, sizeof x->r->err,
					 "required variable %.*s is missing a value: %.180s", (int)nl, name,
					 buf_str(&msg));
			else
				snprintf(x->r->err, sizeof x->r->err,
					 "required variable %.*s is missing a value", (int)nl, name);
		}
		buf_free(&msg);
		return -1;
	}
}

static int subst(ictx *x, const char *s, size_t n, buf *out)
{
	if (++x->depth > MAX_NESTING) {
		snprintf(x->r->err, sizeof x->r->err, "interpolation nested deeper than %d levels",
			 MAX_NESTING);
		return -1;
	}
	size_t i = 0;
	while (i < n) {
		const char *d = memchr(s + i, '$', n - i);
		if (!d) {
			buf_add(out, s + i, n - i);
			break;
		}
		size_t k = (size_t)(d - s);
		buf_add(out, s + i, k - i);
		if (k + 1 >= n) {
			buf_addc(out, '$'); /* a trailing $ is literal */
			break;
		}
		char c = s[k + 1];
		if (c == '$') {
			buf_addc(out, '$');
			i = k + 2;
		} else if (name_start(c)) {
			size_t e = k + 1;
			while (e < n && name_char(s[e]))
				e++;
			const char *val;
			if (!lookup(x, s + k + 1, e - k - 1, &val))
				mark_unset(x, s + k + 1, e - k - 1);
			buf_adds(out, val);
			i = e;
		} else if (c == '{') {
			long close = closing_brace(s + k, n - k);
			if (close < 0)
				return invalid(x);
			if (braced(x, s + k, (size_t)close + 1, out) < 0)
				return -1;
			i = k + (size_t)close + 1;
		} else {
			buf_addc(out, '$'); /* not a variable: literal, as in POSIX sh */
			i = k + 1;
		}
	}
	x->depth--;
	return 0;
}

int cz_interpolate(arena *a, const char *s, cz_lookup_fn fn, void *ctx, cz_interp *r)
{
	memset(r, 0, sizeof *r);
	if (!strchr(s, '$')) {
		r->value = (char *)s;
		return 0;
	}
	ictx x = {a, fn, ctx, r, s, 0};
	buf out = BUF_INIT;
	int rc = subst(&x, s, strlen(s), &out);
	if (rc == 0)
		r->value = arena_strndup(a, buf_str(&out), out.len);
	buf_free(&out);
	return rc;
}

/* --- variable sets ---------------------------------------------------------------------- */

const cz_var *cz_env_find(const cz_env *e, const char *name, size_t n)
{
	for (size_t i = 0; i < e->n; i++)
		if (strlen(e->v[i].name) == n && memcmp(e->v[i].name, name, n) == 0)
			return &e->v[i];
	return NULL;
}

void cz_env_set(arena *a, cz_env *e, const char *name, const char *value, const char *via)
{
	cz_var *v = (cz_var *)cz_env_find(e, name, strlen(name));
	if (!v) {
		if (e->n == e->cap) {
			size_t nc = e->cap ? e->cap * 2 : 32;
			e->v = arena_grow(a, e->v, e->n, nc, sizeof *e->v);
			e->cap = nc;
		}
		v = &e->v[e->n++];
		v->name = arena_strdup(a, name);
	}
	v->value = arena_strdup(a, value);
	v->via = via;
}

bool cz_env_lookup(void *ctx, const char *name, size_t n, const char **value, const char **via)
{
	const cz_var *v = cz_env_find(ctx, name, n);
	if (!v)
		return false;
	*value = v->value;
	*via = v->via;
	return true;
}
