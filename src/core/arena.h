/* arena.h - bump allocator: everything parsed from one input lives and dies together.
 *
 * A parse allocates many small nodes and strings; freeing them one by one is error-prone.
 * An arena hands out memory from large chunks and frees all of it at once, so a model
 * never leaks and never needs a destructor walk. Allocation failure aborts the process:
 * inputs are size-limited before they reach an arena, so running out is a host problem. */
#ifndef PL_ARENA_H
#define PL_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
	arena_chunk *head;
	size_t used;      /* bytes handed out in head */
	size_t total;     /* bytes reserved over all chunks (for limits and stats) */
} arena;

void arena_init(arena *a);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t size);            /* zeroed, 16-byte aligned */
char *arena_strndup(arena *a, const char *s, size_t n); /* NUL-terminated copy */
char *arena_strdup(arena *a, const char *s);
/* Grow an array owned by the arena: returns a new block holding the old elements. */
void *arena_grow(arena *a, void *old, size_t old_n, size_t new_n, size_t elem);

#endif
