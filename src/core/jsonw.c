/* jsonw.c - see jsonw.h. */
#include "jsonw.h"
#include "utf8.h"

#include <string.h>

void jw_init(jsonw *w, buf *out, bool pretty)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->pretty = pretty;
	w->first[0] = true;
}

static void indent(jsonw *w)
{
	if (!w->pretty)
		return;
	buf_addc(w->out, '\n');
	for (int i = 0; i < w->depth; i++)
		buf_adds(w->out, "  ");
}

/* Before a value or key: a comma unless first in its container. */
static void sep(jsonw *w)
{
	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		buf_addc(w->out, ',');
	w->first[w->depth] = false;
	indent(w);
}

static void before_value(jsonw *w)
{
	if (w->after_key)
		w->after_key = false;
	else
		sep(w);
}

static void open(jsonw *w, char c)
{
	before_value(w);
	buf_addc(w->out, c);
	if (w->depth + 1 < JSONW_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_(jsonw *w, char c)
{
	bool empty = w->first[w->depth];
	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	buf_addc(w->out, c);
}

void jw_obj(jsonw *w) { open(w, '{'); }
void jw_obj_end(jsonw *w) { close_(w, '}'); }
void jw_arr(jsonw *w) { open(w, '['); }
void jw_arr_end(jsonw *w) { close_(w, ']'); }

void jw_key(jsonw *w, const char *k)
{
	sep(w);
	jw_escape(w->out, k, strlen(k));
	buf_adds(w->out, w->pretty ? ": " : ":");
	w->after_key = true;
}

void jw_escape(buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_grow(out, n + 2);
	buf_addc(out, '"');
	size_t i = 0;
	while (i < n) {
		/* copy the run of bytes that need no escaping in one go */
		size_t j = i;
		while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7F &&
		       s[j] != '"' && s[j] != '\\')
			j++;
		if (j > i) {
			buf_add(out, s + i, j - i);
			i = j;
			continue;
		}
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			int wd;
			int32_t r = utf8_decode(s + i, n - i, &wd);
			if (r == RUNE_ERROR && wd == 1)
				buf_adds(out, "\xEF\xBF\xBD");
			else
				buf_add(out, s + i, (size_t)wd);
			i += (size_t)wd;
			continue;
		}
		switch (c) {
		case '"': buf_adds(out, "\\\""); break;
		case '\\': buf_adds(out, "\\\\"); break;
		case '\n': buf_adds(out, "\\n"); break;
		case '\r': buf_adds(out, "\\r"); break;
		case '\t': buf_adds(out, "\\t"); break;
		case '\b': buf_adds(out, "\\b"); break;
		case '\f': buf_adds(out, "\\f"); break;
		default:
			buf_adds(out, "\\u00");
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 15]);
		}
		i++;
	}
	buf_addc(out, '"');
}

void jw_strn(jsonw *w, const char *s, size_t n)
{
	before_value(w);
	jw_escape(w->out, s, n);
}

void jw_str(jsonw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	jw_strn(w, s, strlen(s));
}

void jw_int(jsonw *w, long long v)
{
	before_value(w);
	char tmp[24], *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_add(w->out, p, (size_t)(tmp + sizeof tmp - p));
}

void jw_bool(jsonw *w, bool v)
{
	before_value(w);
	buf_adds(w->out, v ? "true" : "false");
}

void jw_null(jsonw *w)
{
	before_value(w);
	buf_adds(w->out, "null");
}
