/* jsonarray.c - the exec form's JSON array, accepted and decoded as Go's encoding/json does.
 *
 * BuildKit decides between exec form and shell form by json.Unmarshal into []any: any JSON
 * syntax error means shell form, while valid JSON holding a non-string is a hard error. So
 * the whole text must be validated as Go validates it (nested values included, max depth
 * 10000), and strings decoded with Go's rules: invalid UTF-8 and lone surrogates become
 * U+FFFD instead of failing. No recursion: nesting is tracked in a bit stack. */
#include "dockerfile/lineparse.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 10000

typedef struct jscan {
	const char *s;
	size_t n, i;
	bool range_error; /* a number float64 cannot hold: Go fails the Unmarshal */
} jscan;

static void skip_ws(jscan *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
			       j->s[j->i] == '\n' || j->s[j->i] == '\r'))
		j->i++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

static int read_u4(jscan *j, size_t at)
{
	if (at + 4 > j->n)
		return -1;
	int v = 0;
	for (int k = 0; k < 4; k++) {
		int h = hexval(j->s[at + k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Scan a string starting at the opening quote; decode into out when out != NULL. */
static bool scan_string(jscan *j, buf *out)
{
	j->i++; /* opening quote */
	while (j->i < j->n) {
		unsigned char c = (unsigned char)j->s[j->i];
		if (c == '"') {
			j->i++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (j->i + 1 >= j->n)
				return false;
			char e = j->s[j->i + 1];
			const char *simple = strchr("\"\\/bfnrt", e);
			if (e && simple) {
				static const char map[] = "\"\\/\b\f\n\r\t";
				if (out)
					buf_addc(out, map[simple - "\"\\/bfnrt"]);
				j->i += 2;
				continue;
			}
			if (e != 'u')
				return false;
			int r = read_u4(j, j->i + 2);
			if (r < 0)
				return false;
			j->i += 6;
			if (r >= 0xD800 && r < 0xDC00) {
				/* A high surrogate pairs with a following \uDC00-\uDFFF. */
				if (j->i + 1 < j->n && j->s[j->i] == '\\' && j->s[j->i + 1] == 'u') {
					int r2 = read_u4(j, j->i + 2);
					if (r2 >= 0xDC00 && r2 < 0xE000) {
						r = 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00);
						j->i += 6;
					} else {
						r = RUNE_ERROR;
					}
				} else {
					r = RUNE_ERROR;
				}
			} else if (r >= 0xDC00 && r < 0xE000) {
				r = RUNE_ERROR;
			}
			if (out)
				buf_addrune(out, r);
			continue;
		}
		if (c < 0x80) {
			if (out)
				buf_addc(out, (char)c);
			j->i++;
			continue;
		}
		int w;
		int32_t r = utf8_decode(j->s + j->i, j->n - j->i, &w);
		if (out) {
			if (r == RUNE_ERROR && w == 1)
				buf_addrune(out, RUNE_ERROR);
			else
				buf_add(out, j->s + j->i, (size_t)w);
		}
		j->i += (size_t)w;
	}
	return false;
}

static bool scan_literal(jscan *j, const char *lit)
{
	size_t l = strlen(lit);
	if (j->n - j->i < l || memcmp(j->s + j->i, lit, l) != 0)
		return false;
	j->i += l;
	return true;
}

static bool scan_number(jscan *j)
{
	size_t i = j->i;
	if (i < j->n && j->s[i] == '-')
		i++;
	if (i >= j->n)
		return false;
	if (j->s[i] == '0') {
		i++;
	} else if (j->s[i] >= '1' && j->s[i] <= '9') {
		while (i < j->n && j->s[i] >= '0' && j->s[i] <= '9')
			i++;
	} else {
		return false;
	}
	if (i < j->n && j->s[i] == '.') {
		i++;
		if (i >= j->n || j->s[i] < '0' || j->s[i] > '9')
			return false;
		while (i < j->n && j->s[i] >= '0' && j->s[i] <= '9')
			i++;
	}
	if (i < j->n && (j->s[i] == 'e' || j->s[i] == 'E')) {
		i++;
		if (i < j->n && (j->s[i] == '+' || j->s[i] == '-'))
			i++;
		if (i >= j->n || j->s[i] < '0' || j->s[i] > '9')
			return false;
		while (i < j->n && j->s[i] >= '0' && j->s[i] <= '9')
			i++;
	}
	/* Go decodes numbers into float64 for []any; out of range is an error there. */
	size_t len = i - j->i;
	char *tmp = xmalloc(len + 1);
	memcpy(tmp, j->s + j->i, len);
	tmp[len] = '\0';
	if (isinf(strtod(tmp, NULL)))
		j->range_error = true;
	free(tmp);
	j->i = i;
	return true;
}

/* Validate one complete value (any nesting) without building it. */
static bool scan_value(jscan *j)
{
	unsigned char local[JSON_MAX_DEPTH / 8 + 1]; /* bit per level: 1 object, 0 array */
	size_t depth = 0;
	/* State machine: expecting a value, then after it a ',' or a closer. */
	for (;;) {
		skip_ws(j);
		if (j->i >= j->n)
			return false;
		char c = j->s[j->i];
		bool done_value = true;
		if (c == '{' || c == '[') {
			if (depth >= JSON_MAX_DEPTH)
				return false;
			bool obj = c == '{';
			if (obj)
				local[depth / 8] |= (unsigned char)(1u << (depth % 8));
			else
				local[depth / 8] &= (unsigned char)~(1u << (depth % 8));
			depth++;
			j->i++;
			skip_ws(j);
			if (j->i < j->n && j->s[j->i] == (obj ? '}' : ']')) {
				j->i++;
				depth--;
			} else {
				if (obj) {
					if (j->i >= j->n || j->s[j->i] != '"' || !scan_string(j, NULL))
						return false;
					skip_ws(j);
					if (j->i >= j->n || j->s[j->i] != ':')
						return false;
					j->i++;
				}
				continue; /* now expecting a value */
			}
		} else if (c == '"') {
			if (!scan_string(j, NULL))
				return false;
		} else if (c == 't') {
			done_value = scan_literal(j, "true");
		} else if (c == 'f') {
			done_value = scan_literal(j, "false");
		} else if (c == 'n') {
			done_value = scan_literal(j, "null");
		} else {
			done_value = scan_number(j);
		}
		if (!done_value)
			return false;
		/* After a value: close containers or move to the next element. */
		for (;;) {
			if (depth == 0)
				return true;
			skip_ws(j);
			if (j->i >= j->n)
				return false;
			bool obj = (local[(depth - 1) / 8] >> ((depth - 1) % 8)) & 1;
			char d = j->s[j->i];
			if (d == ',') {
				j->i++;
				if (obj) {
					skip_ws(j);
					if (j->i >= j->n || j->s[j->i] != '"' || !scan_string(j, NULL))
						return false;
					skip_ws(j);
					if (j->i >= j->n || j->s[j->i] != ':')
						return false;
					j->i++;
				}
				break; /* expecting the next value */
			}
			if (d == (obj ? '}' : ']')) {
				j->i++;
				depth--;
				continue;
			}
			return false;
		}
	}
}

int df_json_string_array(arena *mem, const char *s, size_t n, size_t base,
			 df_word **out, size_t *nout)
{
	jscan j = {s, n, 0, false};
	*out = NULL;
	*nout = 0;
	/* First pass: is the whole text one valid JSON value that is an array? */
	skip_ws(&j);
	if (j.i >= n || s[j.i] != '[')
		return DF_JSON_SYNTAX;
	size_t start = j.i;
	if (!scan_value(&j))
		return DF_JSON_SYNTAX;
	skip_ws(&j);
	if (j.i != n || j.range_error)
		return DF_JSON_SYNTAX;

	/* Second pass: walk the top-level elements; every one must be a string. */
	j.i = start + 1;
	size_t cap = 0;
	df_word *words = NULL;
	buf b = BUF_INIT;
	int rc = DF_JSON_OK;
	for (;;) {
		skip_ws(&j);
		if (s[j.i] == ']')
			break;
		if (s[j.i] != '"') {
			rc = DF_JSON_NOT_STRINGS;
			break;
		}
		size_t w0 = j.i;
		buf_reset(&b);
		scan_string(&j, &b);
		if (*nout == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			words = arena_grow(mem, words, cap, ncap, sizeof *words);
			cap = ncap;
		}
		df_word *w = &words[(*nout)++];
		w->s = arena_strndup(mem, buf_str(&b), b.len);
		w->len = b.len;
		w->off = base + w0;
		w->end = base + j.i;
		skip_ws(&j);
		if (s[j.i] == ',')
			j.i++;
	}
	buf_free(&b);
	if (rc != DF_JSON_OK) {
		*nout = 0;
		return rc;
	}
	*out = words;
	return DF_JSON_OK;
}
