/* utf8.c - see utf8.h. */
#include "utf8.h"
#include "buf.h"

int32_t utf8_decode(const char *str, size_t n, int *width)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[0];
	*width = 1;
	if (c < 0x80)
		return (int32_t)c;
	int need;
	int32_t r, min;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1, r = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2, r = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3, r = c & 0x07, min = 0x10000;
	} else {
		return RUNE_ERROR;
	}
	if ((size_t)need >= n)
		return RUNE_ERROR;
	for (int i = 1; i <= need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return RUNE_ERROR;
		r = (r << 6) | (s[i] & 0x3F);
	}
	if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		return RUNE_ERROR;
	*width = need + 1;
	return r;
}

size_t utf8_encode(int32_t r, char out[4])
{
	unsigned char *o = (unsigned char *)out;
	if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		r = RUNE_ERROR;
	if (r < 0x80) {
		o[0] = (unsigned char)r;
		return 1;
	}
	if (r < 0x800) {
		o[0] = (unsigned char)(0xC0 | (r >> 6));
		o[1] = (unsigned char)(0x80 | (r & 0x3F));
		return 2;
	}
	if (r < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (r >> 12));
		o[1] = (unsigned char)(0x80 | ((r >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (r & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (r >> 18));
	o[1] = (unsigned char)(0x80 | ((r >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((r >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (r & 0x3F));
	return 4;
}

bool utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		int w;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (utf8_decode(s + i, n - i, &w) == RUNE_ERROR && w == 1)
			return false;
		i += (size_t)w;
	}
	return true;
}

bool go_isspace(int32_t r)
{
	switch (r) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
	case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
	case 0x202F: case 0x205F: case 0x3000:
		return true;
	}
	return r >= 0x2000 && r <= 0x200A;
}

typedef struct { int32_t lo, hi; } range;

static bool in_ranges(int32_t r, const range *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (r >= t[i].lo && r <= t[i].hi)
			return true;
	return false;
}

bool go_isdigit(int32_t r)
{
	static const range nd[] = {
		{0x660, 0x669}, {0x6F0, 0x6F9}, {0x7C0, 0x7C9}, {0x966, 0x96F}, {0x9E6, 0x9EF},
		{0xA66, 0xA6F}, {0xAE6, 0xAEF}, {0xB66, 0xB6F}, {0xBE6, 0xBEF}, {0xC66, 0xC6F},
		{0xCE6, 0xCEF}, {0xD66, 0xD6F}, {0xE50, 0xE59}, {0xED0, 0xED9}, {0xF20, 0xF29},
		{0x1040, 0x1049}, {0x17E0, 0x17E9}, {0x1810, 0x1819}, {0xFF10, 0xFF19},
	};
	if (r < 0x80)
		return r >= '0' && r <= '9';
	return in_ranges(r, nd, sizeof nd / sizeof nd[0]);
}

bool go_isletter(int32_t r)
{
	static const range letters[] = {
		{0xAA, 0xAA}, {0xB5, 0xB5}, {0xBA, 0xBA}, {0xC0, 0xD6}, {0xD8, 0xF6},
		{0xF8, 0x2C1}, {0x370, 0x373}, {0x376, 0x377}, {0x37B, 0x37D}, {0x386, 0x386},
		{0x388, 0x3FF}, {0x400, 0x481}, {0x48A, 0x52F}, {0x531, 0x556}, {0x561, 0x587},
		{0x5D0, 0x5EA}, {0x620, 0x64A}, {0x904, 0x939}, {0xE01, 0xE30}, {0x10A0, 0x10FF},
		{0x1E00, 0x1FBC}, {0x3041, 0x3096}, {0x30A1, 0x30FA}, {0x3400, 0x4DBF},
		{0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFF21, 0xFF3A},
		{0xFF41, 0xFF5A},
	};
	if (r < 0x80)
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
	return in_ranges(r, letters, sizeof letters / sizeof letters[0]);
}

bool go_isprint(int32_t r)
{
	static const range nonprint[] = {
		{0x7F, 0xA0}, {0xAD, 0xAD}, {0x378, 0x379}, {0x380, 0x383}, {0x38B, 0x38B},
		{0x600, 0x605}, {0x61C, 0x61C}, {0x6DD, 0x6DD}, {0x70F, 0x70F}, {0x1680, 0x1680},
		{0x180E, 0x180E}, {0x2000, 0x200F}, {0x2028, 0x202F}, {0x205F, 0x206F},
		{0x2065, 0x2065}, {0x3000, 0x3000}, {0xD800, 0xF8FF}, {0xFEFF, 0xFEFF},
		{0xFFF0, 0xFFFB}, {0xFFFE, 0xFFFF}, {0xE0000, 0xE0FFF}, {0xF0000, 0x10FFFF},
	};
	if (r < 0x80)
		return r >= 0x20 && r < 0x7F;
	return !in_ranges(r, nonprint, sizeof nonprint / sizeof nonprint[0]);
}

void go_quote(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_addc(b, '"');
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		int w = 1;
		int32_t r = c < 0x80 ? (int32_t)c : utf8_decode(s + i, n - i, &w);
		if (r == RUNE_ERROR && w == 1 && c >= 0x80) {
			buf_adds(b, "\\x");
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
			i++;
			continue;
		}
		if (r == '"' || r == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)r);
		} else if (go_isprint(r)) {
			buf_add(b, s + i, (size_t)w);
		} else {
			switch (r) {
			case '\a': buf_adds(b, "\\a"); break;
			case '\b': buf_adds(b, "\\b"); break;
			case '\f': buf_adds(b, "\\f"); break;
			case '\n': buf_adds(b, "\\n"); break;
			case '\r': buf_adds(b, "\\r"); break;
			case '\t': buf_adds(b, "\\t"); break;
			case '\v': buf_adds(b, "\\v"); break;
			default:
				if (r < ' ' || r == 0x7F) {
					buf_printf(b, "\\x%c%c", hex[(r >> 4) & 15], hex[r & 15]);
				} else if (r < 0x10000) {
					buf_printf(b, "\\u%04x", (unsigned)r);
				} else {
					buf_printf(b, "\\U%08x", (unsigned)r);
				}
			}
		}
		i += (size_t)w;
	}
	buf_addc(b, '"');
}

size_t go_space_prefix(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		int w = 1;
		unsigned char c = (unsigned char)s[i];
		int32_t r = c < 0x80 ? (int32_t)c : utf8_decode(s + i, n - i, &w);
		if (!go_isspace(r))
			break;
		i += (size_t)w;
	}
	return i;
}

size_t go_space_suffix(const char *s, size_t n)
{
	size_t end = n;
	while (end > 0) {
		unsigned char c = (unsigned char)s[end - 1];
		if (c < 0x80) {
			if (!go_isspace(c))
				break;
			end--;
			continue;
		}
		/* Step back over one multi-byte sequence (at most 4 bytes). */
		size_t start = end - 1;
		while (start > 0 && end - start < 4 && ((unsigned char)s[start] & 0xC0) == 0x80)
			start--;
		int w;
		int32_t r = utf8_decode(s + start, end - start, &w);
		if ((size_t)w != end - start || !go_isspace(r))
			break;
		end = start;
	}
	return n - end;
}
