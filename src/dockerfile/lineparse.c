/* lineparse.c - keyword, flags and arguments of one logical line, as BuildKit splits them.
 *
 * Mirrors BuildKit's split_command.go (keyword and --flags) and line_parsers.go (one
 * argument parser per instruction). Each produced word records the logical-line offsets it
 * came from. Three Go details matter for byte-exact output and are kept:
 *  - flags are scanned byte by byte and a byte >= 0x80 is appended as the rune of the same
 *    value (Go's `word += string(rune(b))`), so non-ASCII flag text is re-encoded;
 *  - parseWords decodes UTF-8 and writes invalid bytes as U+FFFD;
 *  - "whitespace" is sometimes Unicode (strings.TrimSpace) and sometimes the regexp class
 *    [\t\v\f\r ]; each use below follows the original. */
#include "dockerfile/lineparse.h"
#include "core/buf.h"
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

typedef struct wlist {
	df_word *v;
	size_t n, cap;
} wlist;

static df_word *wl_push(arena *mem, wlist *l)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 4;
		l->v = arena_grow(mem, l->v, l->cap, ncap, sizeof *l->v);
		l->cap = ncap;
	}
	df_word *w = &l->v[l->n++];
	memset(w, 0, sizeof *w);
	return w;
}

static void set_word(df_lctx *c, df_word *w, const char *s, size_t len, size_t off, size_t end)
{
	w->s = arena_strndup(c->mem, s, len);
	w->len = len;
	w->off = off;
	w->end = end;
}

/* The regexp class [\t\v\f\r ] used by BuildKit's reWhitespace and tokenWhitespace. */
static bool is_re_space(char ch)
{
	return ch == '\t' || ch == '\v' || ch == '\f' || ch == '\r' || ch == ' ';
}

/* unicode.IsSpace(rune(b)) for a single byte, as the byte-wise Go loops test it. */
static bool is_byte_space(unsigned char b)
{
	return go_isspace((int32_t)b);
}

static void trim_space(const df_lctx *c, size_t *a, size_t *b)
{
	*a += go_space_prefix(c->s + *a, *b - *a);
	*b -= go_space_suffix(c->s + *a, *b - *a);
}

static void *fail(df_lctx *c, size_t off, const char *msg)
{
	snprintf(c->err, sizeof c->err, "%s", msg);
	c->err_off = off;
	return NULL;
}

/* --- split_command.go ------------------------------------------------------------------ */

/* Scan leading --flags of s[a..b). Returns where the arguments start. */
static size_t extract_flags(df_lctx *c, size_t a, size_t b, wlist *flags)
{
	enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
	const char *s = c->s;
	buf word = BUF_INIT;
	unsigned char quote = 0;
	bool blank_ok = false;
	size_t wstart = a, rest = b;

	for (size_t pos = a; pos <= b; pos++) {
		unsigned char ch = pos < b ? (unsigned char)s[pos] : 0;
		if (phase == IN_SPACES) {
			if (pos == b)
				break;
			if (is_byte_space(ch))
				continue;
			if (ch != '-' || pos + 1 == b || s[pos + 1] != '-') {
				rest = pos;
				goto out;
			}
			phase = IN_WORD;
			wstart = pos;
		}
		if (pos == b) {
			bool dashdash = word.len == 2 && memcmp(word.p, "--", 2) == 0;
			if (!dashdash && (blank_ok || word.len > 0))
				set_word(c, wl_push(c->mem, flags), buf_str(&word), word.len, wstart, pos);
			break;
		}
		if (phase == IN_WORD) {
			if (is_byte_space(ch)) {
				phase = IN_SPACES;
				if (word.len == 2 && memcmp(word.p, "--", 2) == 0) {
					rest = pos;
					goto out;
				}
				if (blank_ok || word.len > 0)
					set_word(c, wl_push(c->mem, flags), buf_str(&word), word.len, wstart, pos);
				buf_reset(&word);
				blank_ok = false;
				continue;
			}
			if (ch == '\'' || ch == '"') {
				quote = ch;
				blank_ok = true;
				phase = IN_QUOTE;
				continue;
			}
			if (ch == '\\') {
				if (pos + 1 == b)
					continue;
				ch = (unsigned char)s[++pos];
			}
			buf_addrune(&word, ch);
			continue;
		}
		/* IN_QUOTE */
		if (ch == quote) {
			phase = IN_WORD;
			continue;
		}
		if (ch == '\\') {
			if (pos + 1 == b) {
				phase = IN_WORD;
				continue;
			}
			ch = (unsigned char)s[++pos];
		}
		buf_addrune(&word, ch);
	}
out:
	buf_free(&word);
	return rest;
}

/* --- line_parsers.go ------------------------------------------------------------------- */

/* parseWords: space-separated words, quotes and escapes kept as written. */
static void parse_words(df_lctx *c, size_t a, size_t b, wlist *out)
{
	enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
	const char *s = c->s;
	buf sb = BUF_INIT;
	int32_t quote = 0, ch = 0;
	int w = 1;
	bool blank_ok = false;
	size_t wstart = a;

	for (size_t pos = a; pos <= b; pos += (size_t)w) {
		if (pos != b)
			ch = utf8_decode(s + pos, b - pos, &w);
		if (phase == IN_SPACES) {
			if (pos == b)
				break;
			if (go_isspace(ch))
				continue;
			phase = IN_WORD;
			wstart = pos;
		}
		if (pos == b) {
			if (blank_ok || sb.len > 0)
				set_word(c, wl_push(c->mem, out), buf_str(&sb), sb.len, wstart, pos);
			break;
		}
		if (phase == IN_WORD) {
			if (go_isspace(ch)) {
				phase = IN_SPACES;
				if (blank_ok || sb.len > 0)
					set_word(c, wl_push(c->mem, out), buf_str(&sb), sb.len, wstart, pos);
				buf_reset(&sb);
				blank_ok = false;
				continue;
			}
			if (ch == '\'' || ch == '"') {
				quote = ch;
				blank_ok = true;
				phase = IN_QUOTE;
			}
			if (ch == c->escape) {
				if (pos + (size_t)w == b)
					continue; /* an escape at the very end is dropped */
				buf_addrune(&sb, ch);
				pos += (size_t)w;
				ch = utf8_decode(s + pos, b - pos, &w);
			}
			buf_addrune(&sb, ch);
			continue;
		}
		/* IN_QUOTE */
		if (ch == quote)
			phase = IN_WORD;
		if (ch == c->escape && quote != '\'') {
			if (pos + (size_t)w == b) {
				phase = IN_WORD;
				continue;
			}
			pos += (size_t)w;
			buf_addrune(&sb, ch);
			ch = utf8_decode(s + pos, b - pos, &w);
		}
		buf_addrune(&sb, ch);
	}
	buf_free(&sb);
}

/* parseStringsWhitespaceDelimited: split on runs of [\t\v\f\r ]. */
static void parse_ws_delimited(df_lctx *c, size_t a, size_t b, wlist *out)
{
	if (a == b)
		return;
	size_t i = a;
	for (;;) {
		size_t j = i;
		while (j < b && !is_re_space(c->s[j]))
			j++;
		set_word(c, wl_push(c->mem, out), c->s + i, j - i, i, j);
		if (j == b)
			break;
		while (j < b && is_re_space(c->s[j]))
			j++;
		i = j;
	}
}

static void parse_string(df_lctx *c, size_t a, size_t b, wlist *out)
{
	if (a < b)
		set_word(c, wl_push(c->mem, out), c->s + a, b - a, a, b);
}

/* parseJSON + the fallback rules of parseMaybeJSON / parseMaybeJSONToList.
 * Returns 1 when JSON was used, 0 when not, -1 on the hard "strings only" error. */
static int parse_json(df_lctx *c, size_t a, size_t b, wlist *out)
{
	size_t skip = go_space_prefix(c->s + a, b - a);
	if (a + skip >= b || c->s[a + skip] != '[')
		return 0;
	df_word *words;
	size_t n;
	int rc = df_json_string_array(c->mem, c->s + a + skip, b - a - skip, a + skip, &words, &n);
	if (rc == DF_JSON_NOT_STRINGS) {
		fail(c, a, "when using JSON array syntax, arrays must be comprised of strings only");
		return -1;
	}
	if (rc != DF_JSON_OK)
		return 0;
	out->v = words;
	out->n = out->cap = n;
	return 1;
}

/* parseNameVal (ENV, LABEL): "KEY name value" or "KEY n1=v1 n2=v2 ...". */
static bool parse_name_val(df_lctx *c, size_t a, size_t b, const char *key, wlist *out)
{
	wlist words = {0};
	parse_words(c, a, b, &words);
	if (words.n == 0)
		return true;
	if (!memchr(words.v[0].s, '=', words.v[0].len)) {
		/* Old form: name, then everything after the first whitespace run. */
		size_t i = a;
		while (i < b && !is_re_space(c->s[i]))
			i++;
		if (i == b) {
			char msg[64];
			snprintf(msg, sizeof msg, "%s must have two arguments", key);
			fail(c, a, msg);
			return false;
		}
		size_t j = i;
		while (j < b && is_re_space(c->s[j]))
			j++;
		set_word(c, wl_push(c->mem, out), c->s + a, i - a, a, i);
		set_word(c, wl_push(c->mem, out), c->s + j, b - j, j, b);
		set_word(c, wl_push(c->mem, out), "", 0, b, b);
		return true;
	}
	for (size_t k = 0; k < words.n; k++) {
		df_word *wd = &words.v[k];
		const char *eq = memchr(wd->s, '=', wd->len);
		if (!eq) {
			buf m = BUF_INIT;
			buf_adds(&m, "Syntax error - can't find = in ");
			go_quote(&m, wd->s, wd->len);
			buf_adds(&m, ". Must be of the form: name=value");
			fail(c, wd->off, buf_str(&m));
			buf_free(&m);
			return false;
		}
		size_t klen = (size_t)(eq - wd->s);
		/* The '=' sits at the same place in the source: parseWords keeps text raw. */
		const char *seq = memchr(c->s + wd->off, '=', wd->end - wd->off);
		size_t vsrc = seq ? (size_t)(seq - c->s) + 1 : wd->end;
		set_word(c, wl_push(c->mem, out), wd->s, klen, wd->off, vsrc ? vsrc - 1 : wd->off);
		set_word(c, wl_push(c->mem, out), eq + 1, wd->len - klen - 1, vsrc, wd->end);
		set_word(c, wl_push(c->mem, out), "=", 1, vsrc - 1, vsrc);
	}
	return true;
}

/* parseHealthConfig: the type word, then parseMaybeJSON of the rest. Byte-wise spaces. */
static bool parse_health(df_lctx *c, size_t a, size_t b, wlist *out, bool *json)
{
	size_t sep = a;
	while (sep < b && !is_byte_space((unsigned char)c->s[sep]))
		sep++;
	size_t next = sep;
	while (next < b && is_byte_space((unsigned char)c->s[next]))
		next++;
	if (sep == a)
		return true;
	set_word(c, wl_push(c->mem, out), c->s + a, sep - a, a, sep);
	if (next == b)
		return true;
	wlist cmd = {0};
	int rc = parse_json(c, next, b, &cmd);
	if (rc < 0)
		return false;
	if (rc == 0)
		parse_string(c, next, b, &cmd);
	*json = rc == 1;
	for (size_t i = 0; i < cmd.n; i++)
		*wl_push(c->mem, out) = cmd.v[i];
	return true;
}

/* --- dispatch -------------------------------------------------------------------------- */

enum argkind { A_IGNORE, A_JSON_LIST, A_NAMEORVAL, A_JSON, A_ENV, A_LABEL, A_WS, A_HEALTH,
	       A_STRING, A_ONBUILD };

static enum argkind dispatch(const char *kw)
{
	static const struct { const char *kw; enum argkind k; } table[] = {
		{"add", A_JSON_LIST}, {"arg", A_NAMEORVAL}, {"cmd", A_JSON},
		{"copy", A_JSON_LIST}, {"entrypoint", A_JSON}, {"env", A_ENV},
		{"expose", A_WS}, {"from", A_WS}, {"healthcheck", A_HEALTH},
		{"label", A_LABEL}, {"maintainer", A_STRING}, {"onbuild", A_ONBUILD},
		{"run", A_JSON}, {"shell", A_JSON}, {"stopsignal", A_STRING},
		{"user", A_STRING}, {"volume", A_JSON_LIST}, {"workdir", A_STRING},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(kw, table[i].kw) == 0)
			return table[i].k;
	return A_IGNORE;
}

/* splitCommand + the instruction's argument parser, for s[a..b). ONBUILD's inner line is
 * returned through sub_a and sub_b so the caller can loop instead of recursing. outer is the
 * enclosing ONBUILD's node (NULL at top level). */
static df_node *node_from_range(df_lctx *c, size_t a, size_t b, size_t *sub_a, size_t *sub_b,
				const df_node *outer)
{
	df_node *n = arena_alloc(c->mem, sizeof *n);
	trim_space(c, &a, &b);
	size_t k = a;
	while (k < b && !is_re_space(c->s[k]))
		k++;
	char *kw = arena_strndup(c->mem, c->s + a, k - a);
	for (char *p = kw; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	n->keyword.s = kw;
	n->keyword.len = k - a;
	n->keyword.off = a;
	n->keyword.end = k;

	size_t ra = b, rb = b;
	wlist flags = {0};
	if (k < b) {
		size_t j = k;
		while (j < b && is_re_space(c->s[j]))
			j++;
		ra = extract_flags(c, j, b, &flags);
		trim_space(c, &ra, &rb);
	}
	n->flags = flags.v;
	n->nflags = flags.n;
	/* Inside ONBUILD the rest is a suffix of the enclosing rest (same trimmed end), so it
	 * points into that copy: copying it at every level made "ONBUILD ONBUILD ... RUN x"
	 * quadratic in time and memory (100 000 levels: tens of GB). Still NUL-terminated. */
	if (outer && rb == outer->rest.end && ra >= outer->rest.off) {
		n->rest = outer->rest;
		n->rest.s += ra - outer->rest.off;
		n->rest.len = rb - ra;
		n->rest.off = ra;
	} else {
		set_word(c, &n->rest, c->s + ra, rb - ra, ra, rb);
	}

	wlist args = {0};
	bool ok = true;
	int rc;
	*sub_a = *sub_b = 0;
	switch (dispatch(kw)) {
	case A_IGNORE:
		n->unknown = true;
		set_word(c, wl_push(c->mem, &args), "", 0, ra, ra);
		break;
	case A_JSON_LIST:
		rc = parse_json(c, ra, rb, &args);
		ok = rc >= 0;
		n->json = rc == 1;
		if (rc == 0)
			parse_ws_delimited(c, ra, rb, &args);
		break;
	case A_JSON:
		if (ra == rb)
			break;
		rc = parse_json(c, ra, rb, &args);
		ok = rc >= 0;
		n->json = rc == 1;
		if (rc == 0)
			parse_string(c, ra, rb, &args);
		break;
	case A_NAMEORVAL:
		parse_words(c, ra, rb, &args);
		break;
	case A_ENV:
		ok = parse_name_val(c, ra, rb, "ENV", &args);
		break;
	case A_LABEL:
		ok = parse_name_val(c, ra, rb, "LABEL", &args);
		break;
	case A_WS:
		parse_ws_delimited(c, ra, rb, &args);
		break;
	case A_HEALTH:
		ok = parse_health(c, ra, rb, &args, &n->json);
		break;
	case A_STRING:
		parse_string(c, ra, rb, &args);
		break;
	case A_ONBUILD:
		if (ra < rb) {
			*sub_a = ra;
			*sub_b = rb;
		}
		break;
	}
	if (!ok)
		return NULL;
	n->args = args.v;
	n->nargs = args.n;
	return n;
}

df_node *df_node_from_line(df_lctx *c)
{
	size_t a = 0, b = c->n, sa, sb;
	df_node *top = NULL, *prev = NULL;
	for (;;) {
		df_node *n = node_from_range(c, a, b, &sa, &sb, prev);
		if (!n)
			return NULL;
		if (prev)
			prev->sub = n;
		else
			top = n;
		if (sb == 0)
			return top;
		prev = n;
		a = sa;
		b = sb;
	}
}
