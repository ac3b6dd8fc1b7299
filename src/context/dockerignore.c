/* dockerignore.c - .dockerignore parsing and matching with Docker's exact semantics.
 *
 * Reading follows BuildKit's dockerignore.ReadAll; matching follows moby/patternmatcher,
 * which turns each pattern into a regular expression ("*" -> [^/]*, "?" -> [^/],
 * "**" -> (.*\/)? or .*, "[...]" passed through) unless the pattern is a plain string, a
 * "prefix**" or a "**suffix", which it compares as strings. We keep the same four match
 * kinds, because they differ in corner cases ("**foo" matches "barfoo" as a suffix), and
 * run the regular-expression kind as a small NFA over runes, so that hostile patterns cost
 * O(pattern x path) and never backtrack.
 *
 * Known differences, all in patterns no real .dockerignore uses: a backslash before a
 * letter is a literal letter here (Go's regexp would read "\d" as a digit class), "*" and
 * "?" inside brackets are literal, and POSIX classes ("[[:alpha:]]") are not recognised.
 * Patterns Docker refuses (an unclosed "[", a lone "!") make `docker build` fail; here they
 * match nothing, since the context rules can still say something useful. */
#include "context/context.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- Go's filepath.Clean -------------------------------------------------------------- */

/* Lexically clean s[0..n) into a new arena string, as Go's filepath.Clean: collapse "//",
 * drop "." elements, resolve ".." against earlier elements (a rooted path cannot go above
 * "/"), and return "." for an empty result. */
static char *go_clean(arena *mem, const char *s, size_t n)
{
	if (n == 0)
		return arena_strdup(mem, ".");
	bool rooted = s[0] == '/';
	char *out = arena_alloc(mem, n + 2);
	size_t w = 0, r = 0, dotdot = 0;
	if (rooted) {
		out[w++] = '/';
		r = 1;
		dotdot = 1;
	}
	while (r < n) {
		if (s[r] == '/') {
			r++;
		} else if (s[r] == '.' && (r + 1 == n || s[r + 1] == '/')) {
			r++;
		} else if (s[r] == '.' && s[r + 1] == '.' && (r + 2 == n || s[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				/* back up over the last element */
				w--;
				while (w > dotdot && out[w] != '/')
					w--;
			} else if (!rooted) {
				/* nothing to cancel: keep ".." */
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			while (r < n && s[r] != '/')
				out[w++] = s[r++];
		}
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = '\0';
	return out;
}

/* --- reading ------------------------------------------------------------------------- */

void pl_dockerignore_parse(arena *mem, const char *path, const char *text, size_t n,
			   pl_dockerignore *out)
{
	out->path = arena_strdup(mem, path ? path : ".dockerignore");
	out->v = NULL;
	out->n = 0;
	size_t cap = 0;
	int line = 0;
	size_t pos = 0;
	while (pos < n) {
		/* bufio.ScanLines: split at '\n', drop one trailing '\r' */
		const char *nl = memchr(text + pos, '\n', n - pos);
		size_t end = nl ? (size_t)(nl - text) : n;
		const char *s = text + pos;
		size_t len = end - pos;
		pos = nl ? end + 1 : n;
		if (len > 0 && s[len - 1] == '\r')
			len--;
		if (line == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			len -= 3;
		}
		line++;
		/* a comment only when '#' is the very first byte: "  #x" is a pattern */
		if (len > 0 && s[0] == '#')
			continue;
		size_t lead = go_space_prefix(s, len);
		s += lead;
		len -= lead;
		len -= go_space_suffix(s, len);
		if (len == 0)
			continue;
		/* ReadAll: a leading '!' is kept aside while the rest is trimmed, cleaned and
		 * stripped of a leading '/' */
		bool invert = s[0] == '!';
		if (invert) {
			s++;
			len--;
			lead = go_space_prefix(s, len);
			s += lead;
			len -= lead;
			len -= go_space_suffix(s, len);
		}
		char *pat = arena_alloc(mem, len + 2);
		size_t np = 0;
		if (invert)
			pat[np++] = '!';
		if (len > 0) {
			const char *cl = go_clean(mem, s, len);
			if (strlen(cl) > 1 && cl[0] == '/')
				cl++;
			size_t ncl = strlen(cl);
			memcpy(pat + np, cl, ncl);
			np += ncl;
		}
		/* patternmatcher's New then trims and cleans the line again ("a /." became
		 * "a " above and is "a" now) and takes the '!' off */
		lead = go_space_prefix(pat, np);
		np -= lead + go_space_suffix(pat + lead, np - lead);
		if (np == 0)
			continue;
		char *q = go_clean(mem, pat + lead, np);
		bool exclusion = q[0] == '!';
		if (exclusion)
			q++;
		/* New refuses a lone "!" (also "!/", which cleans to "!"); Docker fails the
		 * build, we keep nothing for it */
		if (exclusion && q[0] == '\0')
			continue;
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			out->v = arena_grow(mem, out->v, out->n, ncap, sizeof *out->v);
			cap = ncap;
		}
		pl_ignore_pattern *p = &out->v[out->n++];
		p->pattern = q;
		p->exclusion = exclusion;
		p->line = line;
	}
}

/* --- compiling a pattern ------------------------------------------------------------- */

enum mkind { M_EXACT, M_PREFIX, M_SUFFIX, M_REGEXP, M_BAD };

enum tkind {
	T_RUNE,   /* one literal rune */
	T_ONE,    /* "?": [^/] */
	T_STAR,   /* "*": [^/]* */
	T_DSTAR,  /* "**" before more pattern: (.*\/)? */
	T_ALL,    /* "**" at the end: .* */
	T_CLASS,  /* "[...]": one rune in (or, negated, not in) the ranges */
};

typedef struct tok {
	unsigned char kind;
	bool negated;
	int32_t r;            /* T_RUNE */
	uint32_t lo, nranges; /* T_CLASS: ranges[lo .. lo+nranges) */
} tok;

typedef struct compiled {
	enum mkind kind;
	tok *t;
	size_t nt;
	int32_t (*ranges)[2];
	size_t nranges;
} compiled;

static int32_t next_rune(const char *p, size_t n, size_t *i)
{
	int w;
	int32_t r = utf8_decode(p + *i, n - *i, &w);
	*i += (size_t)w;
	return r;
}

/* One class item for filepath.Match's getEsc: an unescaped '-' or ']' is malformed, so is
 * a trailing '\', and (Match's own rule) the item may not end the pattern. */
static bool class_item(const char *p, size_t n, size_t *i, int32_t *r)
{
	if (*i >= n || p[*i] == '-' || p[*i] == ']')
		return false;
	if (p[*i] == '\\') {
		(*i)++;
		if (*i >= n)
			return false;
	}
	int w;
	*r = utf8_decode(p + *i, n - *i, &w);
	if (*r == RUNE_ERROR && w == 1)
		return false;
	*i += (size_t)w;
	return *i < n;
}

/* Parse "[...]" starting after the '[' at *i; appends ranges. Returns false when malformed
 * for filepath.Match (or for Go's regexp: a range with lo > hi). */
static bool parse_class(const char *p, size_t n, size_t *i, compiled *c, size_t cap_ranges,
			tok *t)
{
	t->kind = T_CLASS;
	t->negated = false;
	t->lo = (uint32_t)c->nranges;
	t->nranges = 0;
	if (*i < n && p[*i] == '^') {
		t->negated = true;
		(*i)++;
	}
	for (;;) {
		if (*i < n && p[*i] == ']' && t->nranges > 0) {
			(*i)++;
			return true;
		}
		int32_t lo, hi;
		if (!class_item(p, n, i, &lo))
			return false;
		hi = lo;
		if (p[*i] == '-') {
			(*i)++;
			if (!class_item(p, n, i, &hi))
				return false;
		}
		if (lo > hi || c->nranges >= cap_ranges)
			return false;
		c->ranges[c->nranges][0] = lo;
		c->ranges[c->nranges][1] = hi;
		c->nranges++;
		t->nranges++;
	}
}

/* Classify and tokenize a cleaned pattern exactly as patternmatcher's compile() walks it.
 * c->t and c->ranges must hold strlen(p) + 1 entries. */
static void compile(const char *p, compiled *c)
{
	size_t n = strlen(p);
	enum mkind kind = M_EXACT;
	c->nt = 0;
	c->nranges = 0;
	for (size_t i = 0, iter = 0; i < n; iter++) {
		tok *t = &c->t[c->nt];
		memset(t, 0, sizeof *t);
		int32_t ch = next_rune(p, n, &i);
		if (ch == '*') {
			if (i < n && p[i] == '*') {
				i++;
				if (i < n && p[i] == '/')
					i++; /* "**" followed by "/" is the same "**" */
				if (i == n) {
					if (kind == M_EXACT) {
						kind = M_PREFIX;
					} else {
						t->kind = T_ALL;
						c->nt++;
						kind = M_REGEXP;
					}
				} else {
					t->kind = T_DSTAR;
					c->nt++;
					kind = M_REGEXP;
				}
				if (iter == 0)
					kind = M_SUFFIX;
			} else {
				t->kind = T_STAR;
				c->nt++;
				kind = M_REGEXP;
			}
		} else if (ch == '?') {
			t->kind = T_ONE;
			c->nt++;
			kind = M_REGEXP;
		} else if (ch == '\\') {
			if (i < n) {
				t->kind = T_RUNE;
				t->r = next_rune(p, n, &i);
				c->nt++;
				kind = M_REGEXP;
			} else {
				/* a trailing '\' is a bad pattern for filepath.Match */
				c->kind = M_BAD;
				return;
			}
		} else if (ch == '[') {
			if (!parse_class(p, n, &i, c, n + 1, t)) {
				c->kind = M_BAD;
				return;
			}
			c->nt++;
			kind = M_REGEXP;
		} else if (ch == ']') {
			/* unmatched ']' is a literal for both Match and regexp, but still
			 * switches patternmatcher to its regexp path */
			t->kind = T_RUNE;
			t->r = ch;
			c->nt++;
			kind = M_REGEXP;
		} else {
			t->kind = T_RUNE;
			t->r = ch;
			c->nt++;
		}
	}
	c->kind = kind;
}

/* --- matching -------------------------------------------------------------------------- */

static bool class_has(const compiled *c, const tok *t, int32_t r)
{
	bool in = false;
	for (uint32_t k = 0; k < t->nranges && !in; k++)
		in = r >= c->ranges[t->lo + k][0] && r <= c->ranges[t->lo + k][1];
	return in != t->negated;
}

/* Epsilon moves: every state whose token can match nothing also reaches the next one.
 * State 2*i is "at token i"; 2*i+1 is "inside the .* of a T_DSTAR at i" (which must still
 * end with a '/'). Edges only go forward, so one pass in order is a full closure. */
static void closure(const compiled *c, unsigned char *st)
{
	for (size_t i = 0; i < c->nt; i++) {
		unsigned k = c->t[i].kind;
		if (st[2 * i] && (k == T_STAR || k == T_DSTAR || k == T_ALL))
			st[2 * (i + 1)] = 1;
	}
}

/* Run the regexp kind: the whole path must match (the regexp is ^...$). Go's regexp reads
 * invalid UTF-8 as U+FFFD one byte at a time, as utf8_decode does, and "." excludes '\n'. */
static bool nfa_match(const compiled *c, const char *s)
{
	size_t ns = 2 * (c->nt + 1);
	unsigned char small[2][128];
	unsigned char *cur = small[0], *nxt = small[1], *heap = NULL;
	if (ns > sizeof small[0]) {
		heap = xcalloc(2, ns);
		cur = heap;
		nxt = heap + ns;
	}
	memset(cur, 0, ns);
	cur[0] = 1;
	closure(c, cur);
	size_t n = strlen(s), i = 0;
	bool alive = true;
	while (i < n && alive) {
		int32_t r = next_rune(s, n, &i);
		memset(nxt, 0, ns);
		alive = false;
		for (size_t k = 0; k < c->nt; k++) {
			const tok *t = &c->t[k];
			bool at = cur[2 * k], inside = cur[2 * k + 1];
			if (!at && !inside)
				continue;
			bool adv = false, stay = false, in = false;
			switch (t->kind) {
			case T_RUNE:
				adv = at && r == t->r;
				break;
			case T_ONE:
				adv = at && r != '/';
				break;
			case T_STAR:
				stay = at && r != '/';
				break;
			case T_CLASS:
				adv = at && class_has(c, t, r);
				break;
			case T_ALL:
				stay = at && r != '\n';
				break;
			case T_DSTAR:
				if (r != '\n')
					in = true;
				if (r == '/')
					adv = true;
				break;
			}
			if (adv)
				nxt[2 * (k + 1)] = 1;
			if (stay)
				nxt[2 * k] = 1;
			if (in)
				nxt[2 * k + 1] = 1;
			alive |= adv || stay || in;
		}
		closure(c, nxt);
		unsigned char *tmp = cur;
		cur = nxt;
		nxt = tmp;
	}
	bool ok = alive && cur[2 * c->nt];
	free(heap);
	return ok;
}

static bool has_prefix(const char *s, const char *p, size_t n)
{
	return strncmp(s, p, n) == 0;
}

static bool has_suffix(const char *s, size_t ns, const char *suf, size_t n)
{
	return ns >= n && memcmp(s + ns - n, suf, n) == 0;
}

/* patternmatcher's Pattern.match for path s[0..n) (s need not be NUL-terminated there). */
static bool pattern_match(const compiled *c, const char *pat, const char *s, size_t n,
			  char *scratch)
{
	size_t np = strlen(pat);
	switch (c->kind) {
	case M_EXACT:
		return n == np && memcmp(s, pat, n) == 0;
	case M_PREFIX:
		return n >= np - 2 && has_prefix(s, pat, np - 2);
	case M_SUFFIX: {
		const char *suf = pat + 2;
		size_t nsuf = np - 2;
		if (has_suffix(s, n, suf, nsuf))
			return true;
		return nsuf > 0 && suf[0] == '/' && n == nsuf - 1 && memcmp(s, suf + 1, n) == 0;
	}
	case M_REGEXP:
		memcpy(scratch, s, n);
		scratch[n] = '\0';
		return nfa_match(c, scratch);
	case M_BAD:
		break;
	}
	return false;
}

bool pl_dockerignore_excludes(const pl_dockerignore *di, const char *relpath)
{
	if (!di || di->n == 0)
		return false;
	arena mem;
	arena_init(&mem);
	const char *file = go_clean(&mem, relpath, strlen(relpath));
	if (strcmp(file, ".") == 0) {
		/* patternmatcher: "Don't let them exclude everything" */
		arena_free(&mem);
		return false;
	}
	size_t nf = strlen(file);
	/* filepath.Dir(file): everything before the last '/', cleaned */
	const char *slash = strrchr(file, '/');
	const char *parent = slash ? go_clean(&mem, file, (size_t)(slash - file) + (slash == file))
				   : ".";
	bool has_parent = strcmp(parent, ".") != 0;
	size_t nparent = strlen(parent);
	char *scratch = arena_alloc(&mem, nf + 1);

	bool matched = false;
	for (size_t k = 0; k < di->n; k++) {
		const pl_ignore_pattern *ip = &di->v[k];
		/* an inclusion cannot change an already-excluded path, nor an exclusion an
		 * included one, so patternmatcher skips them */
		if (ip->exclusion != matched)
			continue;
		size_t np = strlen(ip->pattern);
		compiled c;
		c.t = xcalloc(np + 1, sizeof *c.t);
		c.ranges = xcalloc(np + 1, sizeof *c.ranges);
		compile(ip->pattern, &c);
		bool m = pattern_match(&c, ip->pattern, file, nf, scratch);
		if (!m && has_parent) {
			/* the pattern may match any ancestor directory: "a", "a/b", ... */
			for (size_t e = 0; e <= nparent && !m; e++) {
				if (e == nparent || parent[e] == '/')
					m = pattern_match(&c, ip->pattern, parent, e, scratch);
			}
		}
		free(c.t);
		free(c.ranges);
		if (m)
			matched = !ip->exclusion;
	}
	arena_free(&mem);
	return matched;
}
