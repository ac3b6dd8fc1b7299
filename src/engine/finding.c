/* finding.c - the findings list: growth, release, and the order every report uses. */
#include "engine/finding.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

pl_finding *pl_findings_add(pl_findings *fs)
{
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 16;
		fs->v = xrealloc(fs->v, fs->cap * sizeof *fs->v);
	}
	pl_finding *f = &fs->v[fs->n++];
	memset(f, 0, sizeof *f);
	return f;
}

void pl_findings_free(pl_findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		pl_finding *f = &fs->v[i];
		free(f->file);
		free(f->target);
		free(f->message);
		free(f->fix);
		free(f->aka);
		free(f->source);
	}
	free(fs->v);
	fs->v = NULL;
	fs->n = fs->cap = 0;
}

static int cmp(const void *a, const void *b)
{
	const pl_finding *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if ((c = strcmp(x->rule->code, y->rule->code)))
		return c;
	return strcmp(x->message, y->message);
}

void pl_findings_sort(pl_findings *fs)
{
	if (fs->n > 1)
		qsort(fs->v, fs->n, sizeof *fs->v, cmp);
}
