/* shlex.c - BuildKit's shell word lexer (frontend/dockerfile/shell/lex.go), rule for rule.
 *
 * The structure mirrors the Go code so that odd inputs behave the same: stop_on() is
 * processStopOn, dollar() is processDollar, and so on. Input is read rune by rune the way
 * Go's text/scanner reads it (invalid bytes are U+FFFD, a leading BOM is skipped). The
 * ${VAR#p} ${VAR%p} ${VAR/p/r} patterns, which Go turns into regular expressions, are run
 * by a small Pike VM with Go's leftmost-first priorities (plain literals by KMP), so no
 * regex library is needed and matching costs at most pattern x value, as Go's does. */
#include "dockerfile/shlex.h"

#include "core/buf.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <string.h>

#define EOF_RUNE (-1)

typedef struct strvec {
	char **v;
	size_t *lens;
	size_t n, cap;
} strvec;

typedef struct lexer {
	const char *s;
	size_t n, pos;
	const shlex_opts *o;
	shlex_get_fn get;
	void *ctx;
	bool raw_escapes;    /* sw.rawEscapes: overridden for the duration of each stop_on */
	int depth;           /* active ${...} frames */
	buf wbuf;            /* sw.wordsBuffer: the word being built, shared by all levels */
	strvec words;        /* words of the top-level stop_on */
	strvec unmatched;
	size_t *uset;        /* hash set over unmatched: index + 1, 0 = empty slot */
	size_t ucap;
	buf err;
	size_t budget;       /* bytes of variable values and replacements still allowed */
	bool too_big;        /* the budget ran out: the result is refused */
} lexer;

static void strvec_push(strvec *sv, const char *s, size_t n)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
		sv->lens = xrealloc(sv->lens, sv->cap * sizeof *sv->lens);
	}
	sv->v[sv->n] = xstrndup(s, n);
	sv->lens[sv->n] = n;
	sv->n++;
}

static void strvec_free(strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	free(sv->lens);
	memset(sv, 0, sizeof *sv);
}

/* ---- input: text/scanner's Peek and Next ------------------------------------------- */

static int32_t decode_at(const char *s, size_t n, size_t i, int *w)
{
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80) {
		*w = 1;
		return c;
	}
	return utf8_decode(s + i, n - i, w);
}

static int32_t lx_peek(const lexer *lx)
{
	int w;
	if (lx->pos >= lx->n)
		return EOF_RUNE;
	return decode_at(lx->s, lx->n, lx->pos, &w);
}

static int32_t lx_next(lexer *lx)
{
	int w;
	if (lx->pos >= lx->n)
		return EOF_RUNE;
	int32_t r = decode_at(lx->s, lx->n, lx->pos, &w);
	lx->pos += (size_t)w;
	return r;
}

/* ---- errors ------------------------------------------------------------------------ */

static int fail(lexer *lx, const char *msg)
{
	buf_reset(&lx->err);
	buf_adds(&lx->err, msg);
	return -1;
}

/* "unsupported modifier (CHS) in substitution" */
static int fail_modifier(lexer *lx, const buf *chs)
{
	buf_reset(&lx->err);
	buf_adds(&lx->err, "unsupported modifier (");
	buf_add(&lx->err, chs->p, chs->len);
	buf_adds(&lx->err, ") in substitution");
	return -1;
}

/* ---- variables --------------------------------------------------------------------- */

static size_t name_hash(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return (size_t)h;
}

static void uset_insert(lexer *lx, size_t idx)
{
	const char *nm = lx->unmatched.v[idx];
	size_t i = name_hash(nm, lx->unmatched.lens[idx]) & (lx->ucap - 1);
	while (lx->uset[i])
		i = (i + 1) & (lx->ucap - 1);
	lx->uset[i] = idx + 1;
}

/* Record a name that was looked up and not set: first use only, in order. */
static void note_unmatched(lexer *lx, const char *name, size_t n)
{
	if (lx->ucap) {
		size_t i = name_hash(name, n) & (lx->ucap - 1);
		for (; lx->uset[i]; i = (i + 1) & (lx->ucap - 1)) {
			size_t k = lx->uset[i] - 1;
			if (lx->unmatched.lens[k] == n && memcmp(lx->unmatched.v[k], name, n) == 0)
				return;
		}
	}
	strvec_push(&lx->unmatched, name, n);
	if (lx->unmatched.n * 2 > lx->ucap) {
		free(lx->uset);
		lx->ucap = lx->ucap ? lx->ucap * 2 : 16;
		lx->uset = xcalloc(lx->ucap, sizeof *lx->uset);
		for (size_t k = 0; k < lx->unmatched.n; k++)
			uset_insert(lx, k);
	} else {
		uset_insert(lx, lx->unmatched.n - 1);
	}
}

/* sw.getEnv. The value is only valid until the next lookup. */
static bool lookup(lexer *lx, const buf *name, const char **val, size_t *vlen)
{
	bool set = lx->get && lx->get(lx->ctx, buf_str(name), name->len, val, vlen);
	if (!set || !*val) {
		*val = "";
		*vlen = 0;
	}
	if (!set)
		note_unmatched(lx, buf_str(name), name->len);
	/* Each substitution spends budget, so `$A$A$A...` cannot grow without bound. */
	if (*vlen > lx->budget) {
		lx->too_big = true;
		*val = "";
		*vlen = 0;
	} else {
		lx->budget -= *vlen;
	}
	return set;
}

/* ---- word splitting (wordsStruct) -------------------------------------------------- */

typedef struct words {
	lexer *lx;
	bool in_word;
	bool on;      /* only the top level keeps its words; inner levels' are discarded */
} words;

static void w_flush(words *w)
{
	buf *b = &w->lx->wbuf;
	if (b->len) {
		strvec_push(&w->lx->words, b->p, b->len);
		buf_reset(b);
		w->in_word = false;
	}
}

static void w_raw_char(words *w, int32_t r)
{
	if (!w->on)
		return;
	buf_addrune(&w->lx->wbuf, r);
	w->in_word = true;
}

static void w_char(words *w, int32_t r)
{
	if (!w->on)
		return;
	if (go_isspace(r)) {
		if (w->in_word)
			w_flush(w);
	} else {
		w_raw_char(w, r);
	}
}

/* addString: expansion output is split on whitespace; invalid bytes become U+FFFD. */
static void w_string(words *w, const char *s, size_t n)
{
	if (!w->on)
		return;
	for (size_t i = 0; i < n;) {
		int wd;
		int32_t r = decode_at(s, n, i, &wd);
		w_char(w, r);
		i += (size_t)wd;
	}
}

static void w_raw_string(words *w, const char *s, size_t n)
{
	if (!w->on)
		return;
	buf_add(&w->lx->wbuf, s, n);
	w->in_word = true;
}

/* ---- shell patterns ---------------------------------------------------------------- */

/* convertShellPatternToRegex produces only literals, '.' (any rune but newline) and '.*'
 * or '.*?' (all of one kind per pattern). We keep that as a token list. Consecutive stars
 * collapse into one: '.*.*' matches exactly what '.*' does and prefers the same end. */
enum { P_LIT, P_ANY, P_STAR };

typedef struct pattern {
	unsigned char *kind;
	int32_t *rune;
	size_t n;
	bool greedy;
} pattern;

static void pat_free(pattern *p)
{
	free(p->kind);
	free(p->rune);
	memset(p, 0, sizeof *p);
}

static void pat_push(pattern *p, int kind, int32_t r)
{
	p->kind[p->n] = (unsigned char)kind;
	p->rune[p->n] = r;
	p->n++;
}

/* Read s as text/scanner does (BOM skipped when first) and tokenise; on a bad escape,
 * set err to Go's message and return -1. */
static int pat_compile(const char *s, size_t n, bool greedy, pattern *p, buf *err)
{
	size_t i = 0;
	int w;
	memset(p, 0, sizeof *p);
	p->greedy = greedy;
	p->kind = xmalloc(n + 1);
	p->rune = xmalloc((n + 1) * sizeof *p->rune);
	if (n && decode_at(s, n, 0, &w) == 0xFEFF)
		i = (size_t)w;
	while (i < n) {
		int32_t tok = decode_at(s, n, i, &w);
		i += (size_t)w;
		if (tok == '*') {
			if (p->n == 0 || p->kind[p->n - 1] != P_STAR)
				pat_push(p, P_STAR, 0);
			continue;
		}
		if (tok == '?') {
			pat_push(p, P_ANY, 0);
			continue;
		}
		if (tok == '\\') {
			int32_t pk = i < n ? decode_at(s, n, i, &w) : EOF_RUNE;
			/* \} and \/ only protect the character inside ${}: drop the backslash */
			if (pk == '}' || pk == '/')
				continue;
			tok = EOF_RUNE;
			if (i < n) {
				tok = decode_at(s, n, i, &w);
				i += (size_t)w;
			}
			if (tok != '*' && tok != '?' && tok != '\\') {
				buf_reset(err);
				buf_adds(err, "invalid escape '\\");
				buf_addrune(err, tok); /* EOF prints as U+FFFD, like Go's %c */
				buf_addc(err, '\'');
				pat_free(p);
				return -1;
			}
		}
		pat_push(p, P_LIT, tok);
	}
	return 0;
}

/* Pike VM thread list: a sparse set of program counters in priority order. pc == n is
 * the match state. Each pc appears at most once, so a step costs O(pattern). */
typedef struct tlist {
	size_t *pc, *start, *slot;
	size_t n;
} tlist;

typedef struct matcher {
	const pattern *p;
	tlist a, b;
	buf lit;         /* the pattern's bytes when it is a plain literal, for KMP */
	size_t *next;    /* KMP failure function over lit */
} matcher;

static void tl_init(tlist *l, size_t cap)
{
	l->pc = xmalloc(cap * sizeof *l->pc);
	l->start = xmalloc(cap * sizeof *l->start);
	l->slot = xcalloc(cap, sizeof *l->slot);
	l->n = 0;
}

static void tl_free(tlist *l)
{
	free(l->pc);
	free(l->start);
	free(l->slot);
}

/* Go finds a literal pattern with strings.Index; the VM would cost pattern x value, so a
 * literal gets KMP over bytes. That is exact when the literal has no U+FFFD: its bytes are
 * valid UTF-8 starting with a non-continuation byte, so a byte match is a rune match. */
static void matcher_init(matcher *m, const pattern *p)
{
	memset(m, 0, sizeof *m);
	m->p = p;
	tl_init(&m->a, p->n + 1);
	tl_init(&m->b, p->n + 1);
	for (size_t i = 0; i < p->n; i++)
		if (p->kind[i] != P_LIT || p->rune[i] == RUNE_ERROR)
			return;
	if (p->n == 0)
		return;
	for (size_t i = 0; i < p->n; i++)
		buf_addrune(&m->lit, p->rune[i]);
	const char *l = m->lit.p;
	m->next = xmalloc(m->lit.len * sizeof *m->next);
	m->next[0] = 0;
	for (size_t i = 1, k = 0; i < m->lit.len; i++) {
		while (k && l[i] != l[k])
			k = m->next[k - 1];
		if (l[i] == l[k])
			k++;
		m->next[i] = k;
	}
}

static void matcher_free(matcher *m)
{
	tl_free(&m->a);
	tl_free(&m->b);
	buf_free(&m->lit);
	free(m->next);
}

static bool lit_find(const matcher *m, const char *s, size_t n, size_t from, size_t *ms,
		     size_t *me)
{
	const char *l = m->lit.p;
	size_t ln = m->lit.len;
	for (size_t i = from, k = 0; i < n; i++) {
		while (k && s[i] != l[k])
			k = m->next[k - 1];
		if (s[i] == l[k])
			k++;
		if (k == ln) {
			*ms = i + 1 - ln;
			*me = i + 1;
			return true;
		}
	}
	return false;
}

static bool tl_has(const tlist *l, size_t pc)
{
	size_t i = l->slot[pc];
	return i < l->n && l->pc[i] == pc;
}

static void tl_push(tlist *l, size_t pc, size_t start)
{
	l->slot[pc] = l->n;
	l->pc[l->n] = pc;
	l->start[l->n] = start;
	l->n++;
}

/* Add pc and what it reaches without input, in Go's priority order: a greedy star
 * prefers to consume another rune, a lazy one prefers to move on. The star's own entry
 * is the thread that consumes. pc + 1 is never a star, so recursion is one level. */
static void tl_add(const pattern *p, tlist *l, size_t pc, size_t start)
{
	if (tl_has(l, pc))
		return;
	if (pc < p->n && p->kind[pc] == P_STAR) {
		if (p->greedy) {
			tl_push(l, pc, start);
			tl_add(p, l, pc + 1, start);
		} else {
			tl_add(p, l, pc + 1, start);
			tl_push(l, pc, start);
		}
		return;
	}
	tl_push(l, pc, start);
}

/* Leftmost-first match of the pattern in s[from..n), as Go's regexp finds it. Anchored
 * means '^': a match may only start at offset 0. Positions are byte offsets; runes are
 * decoded like Go does (an invalid byte is U+FFFD, width 1). */
static bool pat_exec(matcher *m, const char *s, size_t n, size_t from, bool anchored,
		     size_t *ms, size_t *me)
{
	const pattern *p = m->p;
	tlist *cl = &m->a, *nl = &m->b;
	bool matched = false;
	size_t pos = from;

	if (m->next && !anchored)
		return lit_find(m, s, n, from, ms, me);
	cl->n = nl->n = 0;
	for (;;) {
		if (cl->n == 0 && ((anchored && pos != 0) || matched))
			break;
		if (!matched && (pos == 0 || !anchored))
			tl_add(p, cl, 0, pos);

		int w = 0;
		int32_t c = EOF_RUNE;
		if (pos < n)
			c = decode_at(s, n, pos, &w);

		nl->n = 0;
		for (size_t j = 0; j < cl->n; j++) {
			size_t pc = cl->pc[j], st = cl->start[j];
			if (pc == p->n) {
				/* Record it and drop every lower-priority thread. */
				matched = true;
				*ms = st;
				*me = pos;
				break;
			}
			switch (p->kind[pc]) {
			case P_STAR:
				if (c != EOF_RUNE && c != '\n')
					tl_add(p, nl, pc, st);
				break;
			case P_ANY:
				if (c != EOF_RUNE && c != '\n')
					tl_add(p, nl, pc + 1, st);
				break;
			default:
				if (c == p->rune[pc])
					tl_add(p, nl, pc + 1, st);
				break;
			}
		}
		if (w == 0)
			break;
		pos += (size_t)w;
		tlist *t = cl;
		cl = nl;
		nl = t;
	}
	return matched;
}

/* Go's []rune round trip reversed: invalid bytes come out as U+FFFD. */
static void reverse_string(const char *s, size_t n, buf *out)
{
	int32_t *r = xmalloc((n + 1) * sizeof *r);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		int w;
		r[k++] = decode_at(s, n, i, &w);
		i += (size_t)w;
	}
	while (k > 0)
		buf_addrune(out, r[--k]);
	free(r);
}

/* reversePattern: reverse by rune, but keep each backslash in front of what it escapes. */
static void reverse_pattern(const char *s, size_t n, buf *out)
{
	int32_t *r = xmalloc((n + 1) * sizeof *r);
	int32_t *o = xmalloc((n + 1) * sizeof *o);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		int w;
		r[k++] = decode_at(s, n, i, &w);
		i += (size_t)w;
	}
	for (size_t i = 0; i < k;) {
		size_t at = k - 1 - i;
		if (r[i] == '\\' && i != k - 1) {
			o[at - 1] = r[i];
			o[at] = r[i + 1];
			i += 2;
		} else {
			o[at] = r[i];
			i++;
		}
	}
	for (size_t i = 0; i < k; i++)
		buf_addrune(out, o[i]);
	free(r);
	free(o);
}

static int bad_pattern(lexer *lx, const char *pat, size_t plen, const buf *why)
{
	buf_reset(&lx->err);
	buf_adds(&lx->err, "invalid pattern (");
	buf_add(&lx->err, pat, plen);
	buf_adds(&lx->err, ") in substitution: ");
	buf_add(&lx->err, why->p, why->len);
	return -1;
}

/* trimPrefix: drop the part of value that the pattern matches at its start. */
static int trim_prefix(lexer *lx, const char *pat, size_t plen, const char *val, size_t vlen,
		       bool greedy, buf *out)
{
	pattern p;
	matcher m;
	buf why = BUF_INIT;
	size_t ms = 0, me = 0;

	if (pat_compile(pat, plen, greedy, &p, &why) < 0) {
		bad_pattern(lx, pat, plen, &why);
		buf_free(&why);
		return -1;
	}
	matcher_init(&m, &p);
	if (pat_exec(&m, val, vlen, 0, true, &ms, &me))
		buf_add(out, val + me, vlen - me);
	else
		buf_add(out, val, vlen);
	matcher_free(&m);
	pat_free(&p);
	return 0;
}

/* trimSuffix: Go reverses pattern and value to make it a prefix match. Errors therefore
 * quote the reversed pattern, and the result is rebuilt from runes. */
static int trim_suffix(lexer *lx, const char *pat, size_t plen, const char *val, size_t vlen,
		       bool greedy, buf *out)
{
	buf rp = BUF_INIT, rv = BUF_INIT, tmp = BUF_INIT;
	int rc;

	reverse_pattern(pat, plen, &rp);
	reverse_string(val, vlen, &rv);
	rc = trim_prefix(lx, buf_str(&rp), rp.len, buf_str(&rv), rv.len, greedy, &tmp);
	if (rc == 0)
		reverse_string(buf_str(&tmp), tmp.len, out);
	buf_free(&rp);
	buf_free(&rv);
	buf_free(&tmp);
	return rc;
}

/* regexp.Expand for a pattern with no groups: $$ is '$', $0 and ${0} the match, any other
 * well-formed $name or ${name} nothing; a malformed one leaves the '$' as text. */
static void expand(buf *out, const char *t, size_t tn, const char *match, size_t mlen)
{
	size_t i = 0;
	while (i < tn) {
		const char *d = memchr(t + i, '$', tn - i);
		if (!d)
			break;
		size_t k = (size_t)(d - t);
		buf_add(out, t + i, k - i);
		i = k + 1;
		if (i < tn && t[i] == '$') {
			buf_addc(out, '$');
			i++;
			continue;
		}
		/* extract() */
		size_t j = i;
		bool brace = false;
		if (j < tn && t[j] == '{') {
			brace = true;
			j++;
		}
		size_t name = j;
		while (j < tn) {
			int w;
			int32_t r = decode_at(t, tn, j, &w);
			if (!go_isletter(r) && !go_isdigit(r) && r != '_')
				break;
			j += (size_t)w;
		}
		size_t nlen = j - name;
		if (nlen == 0 || (brace && (j >= tn || t[j] != '}'))) {
			buf_addc(out, '$');
			continue;
		}
		if (brace)
			j++;
		if (nlen == 1 && t[name] == '0')
			buf_add(out, match, mlen);
		i = j;
	}
	buf_add(out, t + i, tn - i);
}

/* re.ReplaceAllString, including its rules for empty matches. */
static void replace_all(matcher *m, const char *v, size_t vn, const char *rep, size_t rn,
			buf *out, lexer *lx)
{
	size_t last = 0, search = 0, start = out->len;
	while (search <= vn) {
		if (out->len - start > lx->budget) { /* replacements multiply: stop early */
			lx->too_big = true;
			return;
		}
		size_t a0, a1;
		if (!pat_exec(m, v, vn, search, false, &a0, &a1))
			break;
		buf_add(out, v + last, a0 - last);
		/* No replacement for an empty match right after the previous match. */
		if (a1 > last || a0 == 0)
			expand(out, rep, rn, v + a0, a1 - a0);
		last = a1;
		int w = 0;
		if (search < vn)
			decode_at(v, vn, search, &w);
		if (search + (size_t)w > a1)
			search += (size_t)w;
		else if (search + 1 > a1)
			search++;
		else
			search = a1;
	}
	buf_add(out, v + last, vn - last);
}

/* ---- the lexer --------------------------------------------------------------------- */

static int stop_on(lexer *lx, int32_t stop, bool raw_escapes, buf *res, bool top);
static int dollar(lexer *lx, buf *out);

static int single_quote(lexer *lx, buf *out)
{
	int32_t ch = lx_next(lx);
	if (lx->o->raw_quotes)
		buf_addrune(out, ch);
	for (;;) {
		ch = lx_next(lx);
		if (ch == EOF_RUNE)
			return fail(lx, "unexpected end of statement while looking for matching single-quote");
		if (ch == '\'') {
			if (lx->o->raw_quotes)
				buf_addrune(out, ch);
			return 0;
		}
		buf_addrune(out, ch);
	}
}

static int double_quote(lexer *lx, buf *out)
{
	int32_t ch = lx_next(lx);
	if (lx->o->raw_quotes)
		buf_addrune(out, ch);
	for (;;) {
		int32_t pk = lx_peek(lx);
		if (pk == EOF_RUNE)
			return fail(lx, "unexpected end of statement while looking for matching double-quote");
		if (pk == '"') {
			ch = lx_next(lx);
			if (lx->o->raw_quotes)
				buf_addrune(out, ch);
			return 0;
		}
		if (pk == '$') {
			if (dollar(lx, out) < 0)
				return -1;
			continue;
		}
		ch = lx_next(lx);
		if (ch == lx->o->escape) {
			if (lx->raw_escapes)
				buf_addrune(out, ch);
			pk = lx_peek(lx);
			if (pk == EOF_RUNE)
				continue; /* the loop then reports the missing quote */
			/* Only ", $ and the escape itself are escaped; else the escape stays
			 * (so with raw escapes it appears twice, as in Go). */
			if (pk == '"' || pk == '$' || pk == lx->o->escape)
				ch = lx_next(lx);
		}
		buf_addrune(out, ch);
	}
}

/* isSpecialParam: the POSIX special parameters, which are one character long */
static bool is_special(int32_t ch)
{
	switch (ch) {
	case '@': case '*': case '#': case '?': case '-': case '$': case '!': case '0':
		return true;
	}
	return false;
}

/* processName: a run of digits, one special parameter, or letters/digits/_ */
static void read_name(lexer *lx, buf *name)
{
	int32_t ch;
	while ((ch = lx_peek(lx)) != EOF_RUNE) {
		if (name->len == 0 && go_isdigit(ch)) {
			while ((ch = lx_peek(lx)) != EOF_RUNE && go_isdigit(ch))
				buf_addrune(name, lx_next(lx));
			return;
		}
		if (name->len == 0 && is_special(ch)) {
			buf_addrune(name, lx_next(lx));
			return;
		}
		if (!go_isletter(ch) && !go_isdigit(ch) && ch != '_')
			break;
		buf_addrune(name, lx_next(lx));
	}
}

/* ${NAME} and ${NAME<modifier>word}, after "${" has been read. */
static int modifier(lexer *lx, const buf *name, int32_t ch, const buf *chs, bool null_unset,
		    buf *out)
{
	buf word = BUF_INIT;
	const char *val;
	size_t vlen;
	int rc = 0;
	bool raw = ch == '#' || ch == '%';

	if (null_unset && raw)
		return fail_modifier(lx, chs);
	if (stop_on(lx, '}', raw, &word, false) < 0) {
		if (lx_peek(lx) == EOF_RUNE)
			fail(lx, "syntax error: missing '}'");
		buf_free(&word);
		return -1;
	}

	bool set = lookup(lx, name, &val, &vlen);
	if (lx->o->skip_unset_env && !set) {
		buf_adds(out, "${");
		buf_add(out, name->p, name->len);
		buf_add(out, chs->p, chs->len);
		buf_add(out, word.p, word.len);
		buf_addc(out, '}');
		buf_free(&word);
		return 0;
	}
	bool empty = !set || (null_unset && vlen == 0);

	switch (ch) {
	case '-':
		if (empty)
			buf_add(out, word.p, word.len);
		else
			buf_add(out, val, vlen);
		break;
	case '+':
		if (!empty)
			buf_add(out, word.p, word.len);
		break;
	case '?':
		if (empty) {
			buf_reset(&lx->err);
			buf_add(&lx->err, name->p, name->len);
			buf_adds(&lx->err, ": ");
			if (word.len)
				buf_add(&lx->err, word.p, word.len);
			else if (!set)
				buf_adds(&lx->err, "is not allowed to be unset");
			else
				buf_adds(&lx->err, "is not allowed to be empty");
			rc = -1;
		} else {
			buf_add(out, val, vlen);
		}
		break;
	case '#':
	case '%': {
		/* one # or % is the shortest match, a doubled one the longest */
		const char *p = buf_str(&word);
		size_t plen = word.len;
		bool greedy = plen > 0 && (unsigned char)p[0] == (unsigned)ch;
		if (greedy)
			p++, plen--;
		if (ch == '%')
			rc = trim_suffix(lx, p, plen, val, vlen, greedy, out);
		else
			rc = trim_prefix(lx, p, plen, val, vlen, greedy, out);
		break;
	}
	default:
		rc = fail_modifier(lx, chs);
		break;
	}
	buf_free(&word);
	return rc;
}

/* ${NAME/pattern/replacement} and ${NAME//pattern/replacement}, after the first '/'. */
static int substitute(lexer *lx, const buf *name, buf *out)
{
	buf pat = BUF_INIT, rep = BUF_INIT, why = BUF_INIT;
	const char *val;
	size_t vlen, ms, me;
	pattern p;
	matcher m;
	int rc = -1;
	bool set, all = lx_peek(lx) == '/';

	if (all)
		lx_next(lx);
	if (stop_on(lx, '/', true, &pat, false) < 0) {
		if (lx_peek(lx) == EOF_RUNE)
			fail(lx, "syntax error: missing '/' in ${}");
		goto out;
	}
	if (stop_on(lx, '}', true, &rep, false) < 0) {
		if (lx_peek(lx) == EOF_RUNE)
			fail(lx, "syntax error: missing '}'");
		goto out;
	}

	set = lookup(lx, name, &val, &vlen);
	if (lx->o->skip_unset_env && !set) {
		/* Go writes one '/' here even for '//'. */
		buf_adds(out, "${");
		buf_add(out, name->p, name->len);
		buf_addc(out, '/');
		buf_add(out, pat.p, pat.len);
		buf_addc(out, '/');
		buf_add(out, rep.p, rep.len);
		buf_addc(out, '}');
		rc = 0;
		goto out;
	}

	/* the pattern is greedy and not anchored */
	if (pat_compile(buf_str(&pat), pat.len, true, &p, &why) < 0) {
		bad_pattern(lx, buf_str(&pat), pat.len, &why);
		goto out;
	}
	matcher_init(&m, &p);
	if (all) {
		replace_all(&m, val, vlen, buf_str(&rep), rep.len, out, lx);
	} else {
		if (pat_exec(&m, val, vlen, 0, false, &ms, &me)) {
			buf_add(out, val, ms);
			buf_add(out, rep.p, rep.len);
			buf_add(out, val + me, vlen - me);
		} else {
			buf_add(out, val, vlen);
		}
	}
	matcher_free(&m);
	pat_free(&p);
	rc = 0;
out:
	buf_free(&pat);
	buf_free(&rep);
	buf_free(&why);
	return rc;
}

static int braced(lexer *lx, buf *out)
{
	buf name = BUF_INIT, chs = BUF_INIT;
	const char *val;
	size_t vlen;
	bool null_unset = false;
	int rc = 0;

	read_name(lx, &name);
	int32_t ch = lx_next(lx);
	buf_addrune(&chs, ch); /* string(ch): EOF becomes U+FFFD */
	switch (ch) {
	case '}':
		if (!lookup(lx, &name, &val, &vlen) && lx->o->skip_unset_env) {
			buf_adds(out, "${");
			buf_add(out, name.p, name.len);
			buf_addc(out, '}');
		} else {
			buf_add(out, val, vlen);
		}
		break;
	case ':':
		/* ':' treats empty as unset; whatever follows it is the modifier */
		null_unset = true;
		ch = lx_next(lx);
		buf_addrune(&chs, ch);
		/* fall through */
	case '+':
	case '-':
	case '?':
	case '#':
	case '%':
		rc = modifier(lx, &name, ch, &chs, null_unset, out);
		break;
	case '/':
		rc = substitute(lx, &name, out);
		break;
	default:
		rc = fail_modifier(lx, &chs);
		break;
	}
	buf_free(&name);
	buf_free(&chs);
	return rc;
}

/* processDollar: at '$'. Appends the expansion to out. */
static int dollar(lexer *lx, buf *out)
{
	lx_next(lx);
	if (lx_peek(lx) != '{') {
		buf name = BUF_INIT;
		const char *val;
		size_t vlen;
		read_name(lx, &name);
		if (name.len == 0) {
			buf_addc(out, '$');
		} else if (!lookup(lx, &name, &val, &vlen) && lx->o->skip_unset_env) {
			buf_addc(out, '$');
			buf_add(out, name.p, name.len);
		} else {
			buf_add(out, val, vlen);
		}
		buf_free(&name);
		return 0;
	}

	lx_next(lx);
	switch (lx_peek(lx)) {
	case EOF_RUNE:
		return fail(lx, "syntax error: missing '}'");
	case '{':
	case '}':
	case ':':
		return fail(lx, "syntax error: bad substitution");
	}
	/* Our one deviation: bound the recursion instead of trusting the stack. */
	if (lx->depth >= SHLEX_MAX_DEPTH)
		return fail(lx, "syntax error: substitution nested too deeply");
	lx->depth++;
	int rc = braced(lx, out);
	lx->depth--;
	return rc;
}

/* processStopOn: lex up to stop (EOF_RUNE = end of input) into res. Like Go, every call
 * starts by clearing the shared word buffer, so a ${...} with a word inside clobbers the
 * partial word around it in the ProcessWords output. Only the top call keeps words. */
static int stop_on(lexer *lx, int32_t stop, bool raw_escapes, buf *res, bool top)
{
	bool saved = lx->raw_escapes;
	words w = {lx, false, top};
	buf tmp = BUF_INIT;
	int rc = 0;
	int32_t ch;

	lx->raw_escapes = raw_escapes;
	buf_reset(&lx->wbuf);
	while ((ch = lx_peek(lx)) != EOF_RUNE) {
		if (stop != EOF_RUNE && ch == stop) {
			lx_next(lx);
			goto done;
		}
		bool quote = !lx->o->skip_process_quotes && (ch == '\'' || ch == '"');
		if (ch == '$' || quote) {
			buf_reset(&tmp);
			if (ch == '$')
				rc = dollar(lx, &tmp);
			else if (ch == '\'')
				rc = single_quote(lx, &tmp);
			else
				rc = double_quote(lx, &tmp);
			if (rc < 0)
				goto out;
			buf_add(res, tmp.p, tmp.len);
			if (ch == '$')
				w_string(&w, tmp.p, tmp.len);
			else
				w_raw_string(&w, tmp.p, tmp.len);
			continue;
		}
		ch = lx_next(lx);
		if (ch == lx->o->escape) {
			if (lx->raw_escapes) {
				w_raw_char(&w, ch);
				buf_addrune(res, ch);
			}
			ch = lx_next(lx);
			if (ch == EOF_RUNE)
				break; /* a trailing escape is dropped */
			w_raw_char(&w, ch);
		} else {
			w_char(&w, ch);
		}
		buf_addrune(res, ch);
	}
	if (stop != EOF_RUNE) {
		/* callers replace this with their own message, as it only happens at EOF */
		buf_reset(&lx->err);
		buf_adds(&lx->err, "unexpected end of statement while looking for matching ");
		buf_addrune(&lx->err, stop);
		rc = -1;
		goto out;
	}
done:
	if (top)
		w_flush(&w);
	else
		buf_reset(&lx->wbuf);
out:
	buf_free(&tmp);
	lx->raw_escapes = saved;
	return rc;
}

static char **detach_vec(strvec *sv, size_t **lens, size_t *n)
{
	char **v = sv->v;
	if (lens)
		*lens = sv->lens;
	else
		free(sv->lens);
	*n = sv->n;
	memset(sv, 0, sizeof *sv);
	return v;
}

int shlex_process(const char *s, size_t n, const shlex_opts *opts,
		  shlex_get_fn get, void *ctx, shlex_result *out)
{
	static const shlex_opts defaults = {.escape = '\\'};
	lexer lx;
	buf res = BUF_INIT;
	int w;

	memset(out, 0, sizeof *out);
	memset(&lx, 0, sizeof lx);
	if (!s)
		n = 0;
	lx.s = s ? s : "";
	lx.n = n;
	lx.o = opts ? opts : &defaults;
	lx.get = get;
	lx.ctx = ctx;
	/* text/scanner skips a byte order mark at the very start */
	if (n && decode_at(s, n, 0, &w) == 0xFEFF)
		lx.pos = (size_t)w;

	lx.budget = SHLEX_MAX_EXPANSION;
	int rc = stop_on(&lx, EOF_RUNE, lx.o->raw_escapes, &res, true);
	if (rc == 0 && lx.too_big) {
		buf_reset(&lx.err);
		buf_printf(&lx.err, "expansion result larger than %d bytes", SHLEX_MAX_EXPANSION);
		rc = -1;
	}
	if (rc < 0) {
		buf e = BUF_INIT;
		buf_adds(&e, "failed to process ");
		go_quote(&e, lx.s, n);
		buf_adds(&e, ": ");
		buf_add(&e, lx.err.p, lx.err.len);
		out->error = buf_detach(&e, &out->error_len);
		strvec_free(&lx.words);
		buf_free(&res);
		out->word = xstrdup("");
	} else {
		out->word = buf_detach(&res, &out->word_len);
		out->words = detach_vec(&lx.words, &out->word_lens, &out->nwords);
	}
	out->unmatched = detach_vec(&lx.unmatched, NULL, &out->nunmatched);
	free(lx.uset);
	buf_free(&lx.wbuf);
	buf_free(&lx.err);
	return rc < 0 ? -1 : 0;
}

void shlex_result_free(shlex_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nwords; i++)
		free(r->words[i]);
	for (size_t i = 0; i < r->nunmatched; i++)
		free(r->unmatched[i]);
	free(r->word);
	free(r->words);
	free(r->word_lens);
	free(r->unmatched);
	free(r->error);
	memset(r, 0, sizeof *r);
}
