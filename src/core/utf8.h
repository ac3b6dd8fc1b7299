/* utf8.h - Go-compatible UTF-8 and character classes.
 *
 * BuildKit is written in Go, and its parser's output depends on Go's rules: invalid UTF-8
 * decodes to U+FFFD one byte at a time, unicode.IsSpace decides word breaks, and
 * strconv.Quote decides how the dump prints a value. These helpers reproduce those rules so
 * that our parse of a hostile file matches BuildKit's byte for byte. Character classes for
 * letters, digits and printability use compact range tables covering the scripts seen in
 * Dockerfiles; exotic code points may classify differently from Go's full tables. */
#ifndef PL_UTF8_H
#define PL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RUNE_ERROR 0xFFFD

struct buf;

/* Decode one rune from s[0..n): returns the rune and sets *width (1..4). An invalid or
 * truncated sequence yields RUNE_ERROR with width 1, as Go's utf8.DecodeRune. n must be > 0. */
int32_t utf8_decode(const char *s, size_t n, int *width);
size_t utf8_encode(int32_t r, char out[4]);
bool utf8_valid(const char *s, size_t n);

bool go_isspace(int32_t r);   /* unicode.IsSpace */
bool go_isdigit(int32_t r);   /* unicode.IsDigit */
bool go_isletter(int32_t r);  /* unicode.IsLetter */
bool go_isprint(int32_t r);   /* strconv.IsPrint */

/* Append strconv.Quote(s) to b: double-quoted, Go escapes. */
void go_quote(struct buf *b, const char *s, size_t n);

/* Length of the Unicode-whitespace prefix / suffix of s (strings.TrimLeftFunc etc.). */
size_t go_space_prefix(const char *s, size_t n);
size_t go_space_suffix(const char *s, size_t n);
/* strings.TrimSpace(s) == "" */
static inline bool go_blank(const char *s, size_t n) { return go_space_prefix(s, n) == n; }

#endif
