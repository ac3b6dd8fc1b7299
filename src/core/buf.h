/* buf.h - growable byte buffer, always NUL-terminated so it can be read as a C string. */
#ifndef PL_BUF_H
#define PL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct buf {
	char *p;
	size_t len;
	size_t cap;
} buf;

#define BUF_INIT {NULL, 0, 0}

void buf_grow(buf *b, size_t extra);
void buf_add(buf *b, const void *data, size_t n);
void buf_addc_slow(buf *b, char c);
/* One byte: the common case (room left) stays inline, since tokenizers call it per byte. */
static inline void buf_addc(buf *b, char c)
{
	if (b->p && b->len + 1 < b->cap) {
		b->p[b->len++] = c;
		b->p[b->len] = '\0';
		return;
	}
	buf_addc_slow(b, c);
}
void buf_adds(buf *b, const char *s);
void buf_addrune(buf *b, int32_t r); /* UTF-8 encode, invalid runes as U+FFFD (Go semantics) */
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
void buf_reset(buf *b);
void buf_free(buf *b);
/* Hand the contents to the caller (malloc'd, NUL-terminated); the buffer is emptied. */
char *buf_detach(buf *b, size_t *len);
static inline const char *buf_str(const buf *b) { return b->p ? b->p : ""; }

#endif
