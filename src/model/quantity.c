/* quantity.c - see quantity.h.
 *
 * The scan follows resource.ParseQuantity step by step (sign, leading zeros, integer digits,
 * optional '.' and fraction, then a suffix of letters from "eEinumkKMGTP" with an optional
 * signed exponent) because its acceptance rules are odd in places and a rewrite "by the
 * grammar" would disagree with the API server on texts like "1.G" (valid), "Gi" (valid, 0) or
 * "Ei" (invalid). The value is computed from the decimal digits with a small digit buffer, so
 * that the rounding to 1n happens on the decimal value as Go does it, not on a double. */
#include "model/quantity.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The pieces of a quantity text, as offsets into it. */
typedef struct qparts {
	bool positive;
	bool zeros_only;        /* only a sign and zeros: Go returns "0" early */
	size_t num, num_len;    /* integer digits after leading zeros; num_len 0 stands for "0" */
	size_t den, den_len;    /* fraction digits */
	size_t suf, suf_len;    /* suffix */
} qparts;

/* Returns false when the text cannot be split (Go's ErrFormatWrong). */
static bool split(const char *s, size_t end, qparts *p)
{
	size_t pos = 0;
	memset(p, 0, sizeof *p);
	p->positive = true;
	if (pos < end && (s[0] == '-' || s[0] == '+')) {
		p->positive = s[0] == '+';
		pos++;
	}
	while (pos < end && s[pos] == '0')
		pos++;
	if (pos >= end) {
		p->zeros_only = true;
		return true;
	}
	p->num = pos;
	while (pos < end && is_digit(s[pos]))
		pos++;
	p->num_len = pos - p->num;
	if (pos < end && s[pos] == '.') {
		pos++;
		p->den = pos;
		while (pos < end && is_digit(s[pos]))
			pos++;
		p->den_len = pos - p->den;
	}
	p->suf = pos;
	while (pos < end && s[pos] != '\0' && strchr("eEinumkKMGTP", s[pos]))
		pos++;
	if (pos < end && (s[pos] == '-' || s[pos] == '+'))
		pos++;
	while (pos < end && is_digit(s[pos]))
		pos++;
	if (pos < end)
		return false; /* something other than an exponent's digits after the suffix */
	p->suf_len = end - p->suf;
	return true;
}

/* strconv.ParseInt(s, 10, 64): optional sign, at least one digit, no overflow. */
static bool parse_int64(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && (s[i] == '+' || s[i] == '-')) {
		neg = s[i] == '-';
		i++;
	}
	if (i == n)
		return false;
	uint64_t v = 0;
	uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (lim - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

/* The suffix table of apimachinery's suffix.go; exponents in decimal or binary powers. */
static bool interpret(const char *s, size_t n, int *base, int32_t *exp, pl_qformat *fmt)
{
	static const struct { const char *s; int base; int exp; } tab[] = {
		{"n", 10, -9}, {"u", 10, -6}, {"m", 10, -3}, {"", 10, 0}, {"k", 10, 3},
		{"M", 10, 6},  {"G", 10, 9},  {"T", 10, 12}, {"P", 10, 15}, {"E", 10, 18},
		{"Ki", 2, 10}, {"Mi", 2, 20}, {"Gi", 2, 30}, {"Ti", 2, 40}, {"Pi", 2, 50},
		{"Ei", 2, 60},
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		if (strlen(tab[i].s) == n && memcmp(tab[i].s, s, n) == 0) {
			*base = tab[i].base;
			*exp = tab[i].exp;
			*fmt = tab[i].base == 2 ? PLQ_BINARY_SI : PLQ_DECIMAL_SI;
			return true;
		}
	}
	if (n > 1 && (s[0] == 'e' || s[0] == 'E')) {
		int64_t e;
		if (!parse_int64(s + 1, n - 1, &e))
			return false;
		*base = 10;
		/* Go narrows with int32(parsed): keep the same wrap-around. */
		*exp = (int32_t)(uint32_t)(uint64_t)e;
		*fmt = PLQ_DECIMAL_EXPONENT;
		return true;
	}
	return false;
}

/* Significant digits kept for the value: far beyond a double's precision, and small enough
 * for a fixed buffer (room for a 2^60 factor and a carry). */
enum { KEEP = 40, DIGBUF = KEEP + 24 };

typedef struct digits {
	char d[DIGBUF];   /* most significant first, '0'..'9' */
	size_t n;
	long exp10;       /* value = d * 10^exp10 */
	bool sticky;      /* nonzero digits were dropped below d */
} digits;

static void push_digit(digits *g, char c)
{
	if (g->n == 0 && c == '0')
		return; /* leading zero */
	if (g->n < KEEP) {
		g->d[g->n++] = c;
	} else {
		g->exp10++;
		if (c != '0')
			g->sticky = true;
	}
}

static void double_digits(digits *g)
{
	unsigned carry = 0;
	for (size_t i = g->n; i-- > 0;) {
		unsigned v = (unsigned)(g->d[i] - '0') * 2 + carry;
		g->d[i] = (char)('0' + v % 10);
		carry = v / 10;
	}
	if (carry) {
		memmove(g->d + 1, g->d, g->n);
		g->d[0] = (char)('0' + carry);
		g->n++;
	}
}

static void increment(digits *g)
{
	for (size_t i = g->n; i-- > 0;) {
		if (g->d[i] != '9') {
			g->d[i]++;
			return;
		}
		g->d[i] = '0';
	}
	memmove(g->d + 1, g->d, g->n);
	g->d[0] = '1';
	g->n++;
}

static double compute(const char *s, const qparts *p, int base, int32_t exp)
{
	digits g;
	memset(&g, 0, sizeof g);
	for (size_t i = 0; i < p->num_len; i++)
		push_digit(&g, s[p->num + i]);
	for (size_t i = 0; i < p->den_len; i++) {
		push_digit(&g, s[p->den + i]);
		g.exp10--;
	}
	if (g.n == 0)
		return 0;
	if (base == 10)
		g.exp10 += exp;
	else
		for (int32_t i = 0; i < exp; i++)
			double_digits(&g);
	/* Anything finer than 1n rounds up (away from zero) to the next nano. */
	if (g.exp10 <= -9) {
		long drop = -9 - g.exp10;
		if ((size_t)drop >= g.n) {
			g.sticky = true; /* g.n > 0 and the leading digit is nonzero */
			g.n = 0;
		} else {
			for (size_t i = g.n - (size_t)drop; i < g.n; i++)
				if (g.d[i] != '0')
					g.sticky = true;
			g.n -= (size_t)drop;
		}
		g.exp10 = -9;
		if (g.sticky) {
			if (g.n == 0)
				g.d[g.n++] = '1';
			else
				increment(&g);
		}
	}
	if (g.n == 0)
		return 0;
	char text[DIGBUF + 32];
	snprintf(text, sizeof text, "%.*se%ld", (int)g.n, g.d, g.exp10);
	double v = strtod(text, NULL); /* correctly rounded; overflow gives HUGE_VAL */
	if (base == 2 && v > 9223372036854775807.0)
		v = 9223372036854775807.0; /* Go caps binary quantities at MaxInt64 */
	return v;
}

bool pl_quantity_parse(const char *s, size_t n, pl_quantity *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n; i++)
		if (is_digit(s[i]))
			out->has_digits = true;
	if (n == 0)
		return false;
	out->negative = s[0] == '-';
	if (n == 1 && s[0] == '0') {
		out->valid = true;
		return true;
	}
	qparts p;
	if (!split(s, n, &p))
		return false;
	if (p.zeros_only) {
		out->valid = true; /* "-", "+0", "000": zero, DecimalSI */
		return true;
	}
	int base;
	int32_t exp;
	pl_qformat fmt;
	if (!interpret(s + p.suf, p.suf_len, &base, &exp, &fmt))
		return false;
	out->format = fmt;

	/* Digits written before the suffix (the suffix itself may hold exponent digits). */
	bool number_digits = false;
	for (size_t i = 0; i < p.suf; i++)
		if (is_digit(s[i]))
			number_digits = true;
	out->has_digits = number_digits;

	/* Go takes an int64 fast path when the digits fit; it needs no digits at all (a missing
	 * numerator counts as "0"). Otherwise it parses the number text as a decimal, which must
	 * hold a digit: hence "Gi" (fast path) is 0 and "Ei" (too large for it) is an error. */
	size_t num_len = p.num_len ? p.num_len : 1;
	long precision;
	if (fmt != PLQ_BINARY_SI)
		precision = 18 - (long)(num_len + p.den_len);
	else if (exp >= 0 && p.den_len == 0)
		precision = 15 - (long)num_len - (long)((float)exp * 3 / 10) - 1;
	else
		precision = -1;
	long scale = (fmt == PLQ_BINARY_SI ? 0 : (long)exp) - (long)p.den_len;
	bool fast = precision >= 0 && scale >= -9;
	if (!fast && !number_digits)
		return false;

	out->valid = true;
	double v = compute(s, &p, base, exp);
	out->value = p.positive ? v : (v == 0 ? 0 : -v);
	return true;
}
