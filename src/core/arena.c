/* arena.c - see arena.h. */
#include "arena.h"
#include "xalloc.h"

#include <stdint.h>
#include <string.h>

struct arena_chunk {
	arena_chunk *next;
	size_t size;
	_Alignas(16) unsigned char data[];
};

enum { CHUNK_MIN = 16 * 1024 };

void arena_init(arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

void arena_free(arena *a)
{
	arena_chunk *c = a->head;
	while (c) {
		arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	arena_init(a);
}

void *arena_alloc(arena *a, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if (size == 0)
		size = 16;
	if (!a->head || a->head->size - a->used < size) {
		size_t want = size > CHUNK_MIN ? size : CHUNK_MIN;
		/* Chunks double with use so that large inputs need few mallocs. */
		if (a->head && a->head->size * 2 > want && a->head->size < (1u << 20))
			want = a->head->size * 2;
		arena_chunk *c = xmalloc(sizeof *c + want);
		c->next = a->head;
		c->size = want;
		a->head = c;
		a->used = 0;
		a->total += want;
	}
	void *p = a->head->data + a->used;
	a->used += size;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void *arena_grow(arena *a, void *old, size_t old_n, size_t new_n, size_t elem)
{
	if (new_n && elem > SIZE_MAX / new_n)
		xdie("arena: size overflow");
	void *p = arena_alloc(a, new_n * elem);
	if (old_n)
		memcpy(p, old, old_n * elem);
	return p;
}
