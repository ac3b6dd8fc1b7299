/* xalloc.h - allocation that never returns NULL, and a fatal-error exit. */
#ifndef PL_XALLOC_H
#define PL_XALLOC_H

#include <stddef.h>
#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
_Noreturn void xdie(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
