/* dotenv.c - `.env` and env_file parsing, as compose-go's dotenv package reads them.
 *
 * Lines are `[export ]KEY=value` (or `KEY: value`); a bare `KEY` takes the variable from
 * the lookup (skipped when unset). Blank lines and `#` lines are skipped. Unquoted values
 * end at the line end, lose a ` #...` comment and trailing space, and are interpolated.
 * '...' is literal (and may span lines). "..." may span lines, expands \n \r \t etc., keeps
 * `\$`, unescapes other `\x`, and is interpolated. Interpolation looks the lookup (the
 * process environment) up first, then the keys already read from this file. CRLF and a
 * UTF-8 BOM are accepted. */
#include "compose/internal.h"
#include "core/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct dctx {
	cz_lookup_fn lookup;
	void *lctx;
	cz_env *self;
} dctx;

/* Process environment first, then earlier keys of the file. */
static bool dot_lookup(void *ctx, const char *name, size_t n, const char **value, const char **via)
{
	dctx *d = ctx;
	if (d->lookup && d->lookup(d->lctx, name, n, value, via))
		return true;
	return cz_env_lookup(d->self, name, n, value, via);
}

static bool key_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '-' || c == '[' || c == ']' || c >= 0x80;
}

/* Standard escapes of double-quoted values (compose-go's expandEscapes). */
static void expand_escapes(const char *s, size_t n, buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 >= n) {
			buf_addc(out, s[i]);
			continue;
		}
		char c = s[++i];
		switch (c) {
		case 'n': buf_addc(out, '\n'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'a': buf_addc(out, '\a'); break;
		case 'b': buf_addc(out, '\b'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'v': buf_addc(out, '\v'); break;
		case '$': buf_adds(out, "\\$"); break;
		default: buf_addc(out, c); break;
		}
	}
}

static int expand(arena *a, dctx *d, const char *s, const char **out, char *err, size_t errlen,
		  int line)
{
	cz_interp r;
	if (cz_interpolate(a, s, dot_lookup, d, &r) < 0) {
		snprintf(err, errlen, "line %d: %s", line, r.err);
		return -1;
	}
	*out = r.value;
	return 0;
}

int cz_dotenv_parse(arena *a, const char *text, size_t n, const char *label, cz_lookup_fn lookup,
		    void *lctx, cz_env *out, char *err, size_t errlen)
{
	/* CRLF to LF, BOM off. */
	buf src = BUF_INIT;
	size_t i = 0;
	if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < n; i++)
		if (!(text[i] == '\r' && i + 1 < n && text[i + 1] == '\n'))
			buf_addc(&src, text[i]);
	const char *s = buf_str(&src), *end = s + src.len;
	dctx d = {lookup, lctx, out};
	int line = 1, rc = 0;
	buf val = BUF_INIT;

	while (s < end) {
		/* statement start: skip blank space and comment lines */
		while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')) {
			if (*s == '\n')
				line++;
			s++;
		}
		if (s >= end)
			break;
		if (*s == '#') {
			while (s < end && *s != '\n')
				s++;
			continue;
		}
		int kline = line;
		if (end - s > 7 && memcmp(s, "export", 6) == 0 && (s[6] == ' ' || s[6] == '\t')) {
			s += 6;
			while (s < end && (*s == ' ' || *s == '\t'))
				s++;
		}
		/* key */
		const char *k = s;
		while (s < end && *s != '=' && *s != ':' && *s != '\n') {
			if (!key_char((unsigned char)*s) && *s != ' ' && *s != '\t') {
				const char *le = memchr(k, '\n', (size_t)(end - k));
				snprintf(err, errlen, "line %d: unexpected character \"%c\" in variable name \"%.*s\"",
					 line, *s, (int)((le ? le : end) - k), k);
				rc = -1;
				goto done;
			}
			s++;
		}
		const char *ke = s;
		while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		char *key = arena_strndup(a, k, (size_t)(ke - k));
		char via[96];
		snprintf(via, sizeof via, "%s line %d", label, kline);
		if (s >= end || *s == '\n') {
			/* bare KEY: inherited from the environment */
			const char *v, *vv;
			if (key[0] && lookup && lookup(lctx, key, strlen(key), &v, &vv))
				cz_env_set(a, out, key, v, vv);
			continue;
		}
		s++; /* '=' or ':' */
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (!key[0]) {
			snprintf(err, errlen, "line %d: zero length variable name", line);
			rc = -1;
			goto done;
		}
		const char *value;
		buf_reset(&val);
		if (s < end && (*s == '\'' || *s == '"')) {
			char q = *s;
			const char *p = s + 1;
			bool esc = false;
			for (; p < end; p++) {
				if (*p == '\n')
					line++;
				if (*p != q) {
					esc = !esc && *p == '\\';
					continue;
				}
				if (esc) {
					esc = false;
					continue;
				}
				break;
			}
			if (p >= end) {
				const char *le = memchr(s, '\n', (size_t)(end - s));
				snprintf(err, errlen, "line %d: unterminated quoted value %.*s", kline,
					 (int)((le ? le : end) - s > 120 ? 120 : (le ? le : end) - s), s);
				rc = -1;
				goto done;
			}
			if (q == '\'') {
				value = arena_strndup(a, s + 1, (size_t)(p - s - 1));
			} else {
				expand_escapes(s + 1, (size_t)(p - s - 1), &val);
				if (expand(a, &d, buf_str(&val), &value, err, errlen, kline) < 0) {
					rc = -1;
					goto done;
				}
			}
			s = p + 1;
			/* the rest of the line (a comment) is skipped by the statement start */
			while (s < end && *s != '\n' && (*s == ' ' || *s == '\t'))
				s++;
			if (s < end && *s == '#')
				while (s < end && *s != '\n')
					s++;
		} else {
			const char *le = memchr(s, '\n', (size_t)(end - s));
			if (!le)
				le = end;
			const char *ve = s;
			while (ve < le && !(ve[0] == ' ' && ve + 1 < le && ve[1] == '#'))
				ve++;
			while (ve > s && isspace((unsigned char)ve[-1]))
				ve--;
			buf_add(&val, s, (size_t)(ve - s));
			if (expand(a, &d, buf_str(&val), &value, err, errlen, kline) < 0) {
				rc = -1;
				goto done;
			}
			s = le;
		}
		cz_env_set(a, out, key, value, arena_strdup(a, via));
	}
done:
	buf_free(&val);
	buf_free(&src);
	return rc;
}
