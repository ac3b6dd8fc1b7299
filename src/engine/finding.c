/* finding.c - the findings array: growing it, freeing it, and the one order every report
 * uses. */
#include "engine/finding.h"
#include "core/xalloc.h"

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
	memset(fs, 0, sizeof *fs);
}

/* NULL sorts before any string, so a half-filled finding still has a place. */
static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_int(int a, int b)
{
	return (a > b) - (a < b);
}

static int finding_cmp(const pl_finding *a, const pl_finding *b)
{
	int c;
	if ((c = strcmp_null(a->file, b->file)))
		return c;
	if ((c = cmp_int(a->line, b->line)))
		return c;
	if ((c = cmp_int(a->col, b->col)))
		return c;
	if ((c = strcmp_null(a->rule ? a->rule->code : NULL, b->rule ? b->rule->code : NULL)))
		return c;
	return strcmp_null(a->message, b->message);
}

/* Merge sort rather than qsort: qsort is not stable, and findings that compare equal must
 * keep the order the rules emitted them in, or reports would differ between libcs. */
void pl_findings_sort(pl_findings *fs)
{
	size_t n = fs->n;
	if (n < 2)
		return;
	pl_finding *src = fs->v;
	pl_finding *dst = xmalloc(n * sizeof *dst);
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				dst[k++] = finding_cmp(&src[j], &src[i]) < 0 ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		pl_finding *t = src;
		src = dst;
		dst = t;
	}
	/* src holds the sorted run; make sure it is the array the caller owns. */
	if (src != fs->v) {
		memcpy(fs->v, src, n * sizeof *src);
		free(src);
	} else {
		free(dst);
	}
}
