/* yaml.c - YAML streams into positioned trees (see yaml.h).
 *
 * libfyaml's event parser does the YAML; the tree is ours. Its document API is not used: in
 * libfyaml 0.7 collections have no positions there, and it expands aliases with no bound.
 * Here an alias is expanded by copying the anchored subtree, node by node, against a per-file
 * budget, so a "billion laughs" file stops at YAML_MAX_ALIAS_NODES copies with an error at
 * the alias. `<<` merge keys are applied when their mapping ends, with duplicate keys found
 * by sorting (O(n log n), whatever the file).
 *
 * Positions are computed from libfyaml's byte offsets (its columns count characters, ours
 * count bytes like every other Plimsoll position), lines end at '\n' (so CRLF is one break),
 * and ends are exclusive. A node starts at its content (a quote, `|`, `[`, the first key),
 * not at its tag or anchor; an alias copy keeps the positions of the nodes it copies.
 *
 * Decisions: empty documents (and untagged null ones) are skipped, as Kubernetes tooling
 * does; an error's message is in err without the file, its position in err_line/err_col
 * (0:0 only for a file over the size limit). */
#include "yaml/yaml.h"

#include <libfyaml.h>

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/file.h"
#include "core/xalloc.h"

/* An anchor seen in the current document. `building` while its collection is still open:
 * an alias to it from inside would be a cycle. */
typedef struct anchor anchor;
struct anchor {
	anchor *next;
	uint64_t hash;
	const char *name;
	size_t len;
	yaml_node *node;
	bool building;
};

/* One key of a mapping being finished, for the sort that finds duplicates and merge winners. */
typedef struct keyent {
	const yaml_node *key;
	size_t order;   /* explicit keys: pair index; merged keys: SIZE_MAX/2 + candidate index */
	bool *keep;     /* cleared when an earlier key with the same text wins */
} keyent;

typedef struct loader {
	yaml_stream *y;
	const char *text;
	size_t n;
	struct fy_parser *fyp;
	struct fy_diag *diag;
	bool failed;
	/* position cursor: offsets are asked for nearly in order, so walking from the last one
	 * is linear overall and needs no line table (which could be 4 bytes a byte) */
	size_t cur, bol;
	int line;
	size_t last_end;        /* end offset of the last token seen */
	/* anchors of the current document: a chained hash table keyed by a hash with a random
	 * base, so a file cannot choose names that collide */
	anchor **buckets;
	size_t nbuckets, nanchors;
	uint64_t hash_base;
	size_t copied;          /* nodes added by alias expansion in this file */
	/* scratch for finishing mappings (malloc'd, reused) */
	keyent *keys;
	size_t keycap;
	bool *keep;
	size_t keepcap;
} loader;

static void fail_at(loader *L, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail_at(loader *L, int line, int col, const char *fmt, ...)
{
	if (L->failed)
		return; /* the first error is the one worth reporting */
	L->failed = true;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(L->y->err, sizeof L->y->err, fmt, ap);
	va_end(ap);
	L->y->err_line = line;
	L->y->err_col = col;
}

/* ---------------------------------------------------------------------------------------
 * Positions */

/* 1-based line and byte column of offset off. */
static void pos_at(loader *L, size_t off, int *line, int *col)
{
	if (off > L->n)
		off = L->n;
	while (L->cur < off) {
		const char *nl = memchr(L->text + L->cur, '\n', off - L->cur);
		if (!nl) {
			L->cur = off;
			break;
		}
		L->line++;
		L->cur = L->bol = (size_t)(nl - L->text) + 1;
	}
	while (off < L->bol) {
		/* back to the previous line: find its start */
		L->line--;
		size_t b = L->bol - 1; /* the '\n' that ended it */
		while (b > 0 && L->text[b - 1] != '\n')
			b--;
		L->bol = b;
	}
	L->cur = off;
	*line = L->line;
	*col = (int)(off - L->bol) + 1;
}

/* The byte offset of 1-based (line, character column) as libfyaml counts them, for its
 * errors that name no token. */
static size_t offset_of(loader *L, int line, int col)
{
	size_t off = 0;
	for (int l = 1; l < line && off < L->n; l++) {
		const char *nl = memchr(L->text + off, '\n', L->n - off);
		if (!nl)
			return L->n;
		off = (size_t)(nl - L->text) + 1;
	}
	for (int c = 1; c < col && off < L->n && L->text[off] != '\n'; c++) {
		off++;
		while (off < L->n && ((unsigned char)L->text[off] & 0xC0) == 0x80)
			off++; /* a UTF-8 continuation byte is part of the same character */
	}
	return off;
}

static size_t mark_off(const struct fy_mark *m, size_t dflt)
{
	return m ? m->input_pos : dflt;
}

static void note_end(loader *L, size_t off)
{
	if (off > L->last_end && off <= L->n)
		L->last_end = off;
}

/* A block scalar's event starts at its content; the node starts at its `|` or `>`. Between
 * the previous token and the content there is only indentation, `:`, `-`, `?`, comments and
 * the header, so the first indicator outside a comment is the one. */
static size_t block_indicator(loader *L, size_t content)
{
	for (size_t i = L->last_end; i < content; i++) {
		char c = L->text[i];
		if (c == '|' || c == '>')
			return i;
		if (c == '#') {
			while (i < content && L->text[i] != '\n')
				i++;
		}
	}
	return content;
}

/* ---------------------------------------------------------------------------------------
 * libfyaml glue */

/* The parser stopped: its first error, at the position it reports. */
static void parse_error(loader *L)
{
	void *it = NULL;
	struct fy_diag_error *e;
	while ((e = fy_diag_errors_iterate(L->diag, &it)) != NULL) {
		if (e->type < FYET_ERROR)
			continue;
		int line = e->line > 0 ? e->line : 1, col = e->column > 0 ? e->column : 1;
		const struct fy_mark *m = e->fyt ? fy_token_start_mark(e->fyt) : NULL;
		size_t off;
		if (m && m->line + 1 == line && m->column + 1 == col)
			off = m->input_pos;
		else
			off = offset_of(L, line, col);
		pos_at(L, off, &line, &col);
		fail_at(L, line, col, "%s", e->msg ? e->msg : "not valid YAML");
		return;
	}
	fail_at(L, 1, 1, "not valid YAML");
}

static struct fy_event *next_event(loader *L)
{
	struct fy_event *ev = fy_parser_parse(L->fyp);
	if (!ev || fy_parser_get_stream_error(L->fyp)) {
		if (ev)
			fy_parser_event_free(L->fyp, ev);
		parse_error(L);
		return NULL;
	}
	return ev;
}

/* The bytes of a token as written (tags: "!!str", not "tag:yaml.org,2002:str"). */
static const char *token_source(loader *L, struct fy_token *t)
{
	size_t s = mark_off(fy_token_start_mark(t), 0), e = mark_off(fy_token_end_mark(t), 0);
	if (e > L->n || s >= e)
		return NULL;
	return arena_strndup(&L->y->mem, L->text + s, e - s);
}

/* ---------------------------------------------------------------------------------------
 * Anchors */

static uint64_t name_hash(const loader *L, const char *s, size_t n)
{
	/* polynomial hash modulo 2^61-1 with a secret base: two names collide with
	 * probability at most n/2^61, whatever names the file picks */
	const uint64_t p = (1ull << 61) - 1;
	uint64_t h = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned __int128 t = (unsigned __int128)h * L->hash_base + (unsigned char)s[i] + 1;
		uint64_t r = (uint64_t)(t & p) + (uint64_t)(t >> 61);
		h = (r & p) + (r >> 61);
	}
	return h;
}

static anchor *anchor_find(loader *L, const char *name, size_t len, uint64_t h)
{
	if (!L->buckets)
		return NULL;
	for (anchor *a = L->buckets[h & (L->nbuckets - 1)]; a; a = a->next)
		if (a->hash == h && a->len == len && memcmp(a->name, name, len) == 0)
			return a;
	return NULL;
}

/* Define (or redefine: the latest definition wins) an anchor for node. */
static anchor *anchor_set(loader *L, struct fy_token *t, yaml_node *node, bool building)
{
	size_t len = 0;
	const char *name = fy_token_get_text(t, &len);
	if (!name)
		return NULL;
	uint64_t h = name_hash(L, name, len);
	anchor *a = anchor_find(L, name, len, h);
	if (!a) {
		if (L->nanchors >= L->nbuckets) {
			size_t nb = L->nbuckets ? L->nbuckets * 2 : 64;
			anchor **b = arena_alloc(&L->y->mem, nb * sizeof *b);
			for (size_t i = 0; i < L->nbuckets; i++) {
				for (anchor *x = L->buckets[i], *nx; x; x = nx) {
					nx = x->next;
					x->next = b[x->hash & (nb - 1)];
					b[x->hash & (nb - 1)] = x;
				}
			}
			L->buckets = b;
			L->nbuckets = nb;
		}
		a = arena_alloc(&L->y->mem, sizeof *a);
		a->hash = h;
		a->name = arena_strndup(&L->y->mem, name, len);
		a->len = len;
		a->next = L->buckets[h & (L->nbuckets - 1)];
		L->buckets[h & (L->nbuckets - 1)] = a;
		L->nanchors++;
	}
	a->node = node;
	a->building = building;
	return a;
}

/* A copy of src for an alias at (line, col): every node charged to the budget, positions
 * kept, marked from_alias. depth is where the copy goes, so copies cannot nest deeper than
 * the limit either. */
static yaml_node *copy_node(loader *L, const yaml_node *src, int depth, int line, int col)
{
	if (++L->copied > YAML_MAX_ALIAS_NODES) {
		fail_at(L, line, col, "alias expansion exceeds %d nodes (billion laughs?)",
			YAML_MAX_ALIAS_NODES);
		return NULL;
	}
	if ((src->kind == Y_MAP || src->kind == Y_SEQ) && depth >= YAML_MAX_DEPTH) {
		fail_at(L, line, col, "nesting deeper than %d levels (through this alias)",
			YAML_MAX_DEPTH);
		return NULL;
	}
	yaml_node *d = arena_alloc(&L->y->mem, sizeof *d);
	*d = *src;
	d->from_alias = true;
	if (src->kind == Y_MAP && src->npairs) {
		d->pairs = arena_alloc(&L->y->mem, src->npairs * sizeof *d->pairs);
		for (size_t i = 0; i < src->npairs; i++) {
			d->pairs[i].key = copy_node(L, src->pairs[i].key, depth + 1, line, col);
			if (!d->pairs[i].key)
				return NULL;
			d->pairs[i].value = copy_node(L, src->pairs[i].value, depth + 1, line, col);
			if (!d->pairs[i].value)
				return NULL;
		}
	} else if (src->kind == Y_SEQ && src->nitems) {
		d->items = arena_alloc(&L->y->mem, src->nitems * sizeof *d->items);
		for (size_t i = 0; i < src->nitems; i++) {
			d->items[i] = copy_node(L, src->items[i], depth + 1, line, col);
			if (!d->items[i])
				return NULL;
		}
	}
	return d;
}

/* ---------------------------------------------------------------------------------------
 * Mappings: duplicate keys and `<<` merges */

static bool is_str_tag(const char *tag)
{
	return tag && (strcmp(tag, "!!str") == 0 || strcmp(tag, "!<tag:yaml.org,2002:str>") == 0);
}

static bool is_merge_key(const yaml_node *k)
{
	return k->kind == Y_SCALAR && !k->quoted && k->len == 2 && memcmp(k->s, "<<", 2) == 0 &&
	       (!k->tag || strcmp(k->tag, "!!merge") == 0);
}

/* Scalar and null keys take part in duplicate detection; a key that is a collection is
 * rare enough (never in Compose or Kubernetes) to be taken as it is. */
static bool textual(const yaml_node *k)
{
	return k->kind == Y_SCALAR || k->kind == Y_NULL;
}

static int keyent_cmp(const void *a, const void *b)
{
	const keyent *x = a, *y = b;
	size_t n = x->key->len < y->key->len ? x->key->len : y->key->len;
	int c = memcmp(x->key->s, y->key->s, n);
	if (c)
		return c;
	if (x->key->len != y->key->len)
		return x->key->len < y->key->len ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* A key for a message: at most 60 bytes, control characters as '?'. */
static void show_key(const yaml_node *k, char *out, size_t cap)
{
	size_t w = 0, n = k->len;
	bool cut = false;
	if (n > 60) {
		n = 60;
		while (n > 0 && ((unsigned char)k->s[n] & 0xC0) == 0x80)
			n--; /* not in the middle of a UTF-8 character */
		cut = true;
	}
	for (size_t i = 0; i < n && w + 4 < cap; i++) {
		unsigned char c = (unsigned char)k->s[i];
		out[w++] = c < 0x20 || c == 0x7F ? '?' : (char)c;
	}
	if (cut && w + 4 < cap) {
		memcpy(out + w, "...", 3);
		w += 3;
	}
	out[w] = '\0';
}

static void *scratch(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	*cap = n;
	return xrealloc(p, n * elem);
}

/* Check a finished mapping's keys and apply its merge keys. Explicit keys win over merged
 * ones, wherever they appear; among merged keys the earlier `<<` and, within a list, the
 * earlier mapping wins. Merged pairs take the place of their `<<` pair. */
static int finish_map(loader *L, yaml_node *m)
{
	size_t nmerge = 0, ncand = 0;
	for (size_t i = 0; i < m->npairs; i++) {
		if (!is_merge_key(m->pairs[i].key))
			continue;
		const yaml_node *v = m->pairs[i].value;
		nmerge++;
		if (v->kind == Y_MAP) {
			ncand += v->npairs;
		} else if (v->kind == Y_SEQ) {
			for (size_t j = 0; j < v->nitems; j++) {
				if (v->items[j]->kind != Y_MAP) {
					fail_at(L, v->items[j]->line, v->items[j]->col,
						"merge key '<<' needs a mapping or a list of mappings");
					return -1;
				}
				ncand += v->items[j]->npairs;
			}
		} else {
			fail_at(L, v->line, v->col,
				"merge key '<<' needs a mapping or a list of mappings");
			return -1;
		}
	}
	if (m->npairs < 2 && nmerge == 0)
		return 0;

	/* Every textual key, explicit first (by document order), then merge candidates in
	 * the order they would be merged; after sorting, the first of each run of equal keys
	 * is the one that stays. */
	L->keys = scratch(L->keys, &L->keycap, m->npairs + ncand, sizeof *L->keys);
	L->keep = scratch(L->keep, &L->keepcap, ncand + 1, sizeof *L->keep);
	size_t nk = 0, c = 0;
	for (size_t i = 0; i < m->npairs; i++) {
		const yaml_node *k = m->pairs[i].key;
		if (!is_merge_key(k) && textual(k))
			L->keys[nk++] = (keyent){k, i, NULL};
	}
	for (size_t i = 0; i < m->npairs; i++) {
		if (!is_merge_key(m->pairs[i].key))
			continue;
		const yaml_node *v = m->pairs[i].value;
		size_t nsrc = v->kind == Y_MAP ? 1 : v->nitems;
		for (size_t s = 0; s < nsrc; s++) {
			const yaml_node *src = v->kind == Y_MAP ? v : v->items[s];
			for (size_t j = 0; j < src->npairs; j++, c++) {
				L->keep[c] = true;
				if (textual(src->pairs[j].key))
					L->keys[nk++] =
						(keyent){src->pairs[j].key, SIZE_MAX / 2 + c, &L->keep[c]};
			}
		}
	}
	qsort(L->keys, nk, sizeof *L->keys, keyent_cmp);

	const keyent *dup = NULL, *first = NULL;
	for (size_t i = 0; i < nk;) {
		size_t j = i + 1;
		while (j < nk && L->keys[j].key->len == L->keys[i].key->len &&
		       memcmp(L->keys[j].key->s, L->keys[i].key->s, L->keys[i].key->len) == 0) {
			if (L->keys[j].keep)
				*L->keys[j].keep = false;
			else if (j == i + 1 && (!dup || L->keys[j].order < dup->order)) {
				/* two explicit keys: the second is the duplicate */
				dup = &L->keys[j];
				first = &L->keys[i];
			}
			j++;
		}
		i = j;
	}
	/* is_merge_key pairs are excluded above, so two `<<` are caught here */
	const yaml_node *mk = NULL;
	for (size_t i = 0; i < m->npairs; i++) {
		const yaml_node *k = m->pairs[i].key;
		if (!is_merge_key(k))
			continue;
		if (mk && (!dup || i < dup->order)) {
			fail_at(L, k->line, k->col, "duplicate key '<<' (first on line %d)", mk->line);
			return -1;
		}
		mk = k;
	}
	if (dup) {
		char shown[256];
		show_key(dup->key, shown, sizeof shown);
		fail_at(L, dup->key->line, dup->key->col, "duplicate key '%s' (first on line %d)",
			shown, first->key->line);
		return -1;
	}
	if (nmerge == 0)
		return 0;

	size_t nout = 0;
	for (size_t i = 0; i < c; i++)
		nout += L->keep[i];
	nout += m->npairs - nmerge;
	yaml_pair *out = arena_alloc(&L->y->mem, (nout ? nout : 1) * sizeof *out);
	size_t w = 0;
	c = 0;
	for (size_t i = 0; i < m->npairs; i++) {
		if (!is_merge_key(m->pairs[i].key)) {
			out[w++] = m->pairs[i];
			continue;
		}
		const yaml_node *v = m->pairs[i].value;
		size_t nsrc = v->kind == Y_MAP ? 1 : v->nitems;
		for (size_t s = 0; s < nsrc; s++) {
			const yaml_node *src = v->kind == Y_MAP ? v : v->items[s];
			for (size_t j = 0; j < src->npairs; j++, c++)
				if (L->keep[c])
					out[w++] = src->pairs[j];
		}
	}
	m->pairs = out;
	m->npairs = w;
	return 0;
}

/* ---------------------------------------------------------------------------------------
 * Building the tree */

static bool is_null_text(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') ||
	       (n == 4 && (memcmp(s, "null", 4) == 0 || memcmp(s, "Null", 4) == 0 ||
			   memcmp(s, "NULL", 4) == 0));
}

static void set_end(loader *L, yaml_node *y, size_t off)
{
	int line, col;
	pos_at(L, off, &line, &col);
	y->end_line = line;
	y->end_col = col;
}

static bool pos_after(int l1, int c1, int l2, int c2)
{
	return l1 > l2 || (l1 == l2 && c1 > c2);
}

static void end_after(yaml_node *y, const yaml_node *kid)
{
	if (pos_after(kid->end_line, kid->end_col, y->end_line, y->end_col)) {
		y->end_line = kid->end_line;
		y->end_col = kid->end_col;
	}
}

/* The value of the single-quoted scalar whose text (between the quotes) is src[0..n):
 * '' is a quote, a single line break folds to a space and k+1 breaks to k newlines, with
 * the blanks around breaks dropped. libfyaml's own decoding is not used for these: in 0.7
 * it leaks its chunk buffer on a long run of '' (found by fuzzing). */
static char *single_quoted(arena *a, const char *src, size_t n, size_t *len)
{
	char *out = arena_alloc(a, n + 1), *w = out;
	size_t i = 0;
	while (i < n) {
		char c = src[i];
		if (c == '\'' && i + 1 < n && src[i + 1] == '\'') {
			*w++ = '\'';
			i += 2;
		} else if (c == '\n' || (c == '\r' && i + 1 < n && src[i + 1] == '\n')) {
			while (w > out && (w[-1] == ' ' || w[-1] == '\t'))
				w--; /* trailing blanks of the line */
			size_t breaks = 0;
			for (;;) {
				while (i < n && (src[i] == ' ' || src[i] == '\t'))
					i++;
				if (i < n && src[i] == '\n') {
					i++;
					breaks++;
				} else if (i + 1 < n && src[i] == '\r' && src[i + 1] == '\n') {
					i += 2;
					breaks++;
				} else {
					break;
				}
			}
			if (breaks == 1)
				*w++ = ' ';
			for (size_t k = 1; k < breaks; k++)
				*w++ = '\n';
		} else {
			*w++ = c;
			i++;
		}
	}
	*w = '\0';
	*len = (size_t)(w - out);
	return out;
}

/* props: where the node's anchor or tag starts, SIZE_MAX when it has none. */
static void scalar(loader *L, yaml_node *y, struct fy_event *ev, size_t props)
{
	struct fy_token *t = ev->scalar.value;
	size_t len = 0;
	enum fy_scalar_style style = t ? fy_token_scalar_style(t) : FYSS_PLAIN;
	const char *s = NULL;
	if (t && style != FYSS_SINGLE_QUOTED)
		s = fy_token_get_text(t, &len);
	const struct fy_mark *sm = t ? fy_token_start_mark(t) : NULL;
	size_t start, end;
	if (sm) {
		start = sm->input_pos;
		end = mark_off(fy_token_end_mark(t), start);
	} else {
		/* an empty value has no token: place it at its tag or anchor, or else just
		 * after what came before (the ':' of "key:") */
		start = end = props != SIZE_MAX ? props : L->last_end;
	}
	if (start > L->n)
		start = L->n;
	if (end > L->n || end < start)
		end = start;
	switch (style) {
	case FYSS_SINGLE_QUOTED:
	case FYSS_DOUBLE_QUOTED: {
		/* libfyaml marks the text inside the quotes; the node starts at the quote */
		char q = style == FYSS_SINGLE_QUOTED ? '\'' : '"';
		if (style == FYSS_SINGLE_QUOTED)
			s = single_quoted(&L->y->mem, L->text + start, end - start, &len);
		if (start > 0 && L->text[start - 1] == q)
			start--;
		if (end < L->n && L->text[end] == q)
			end++;
		y->quoted = true;
		break;
	}
	case FYSS_LITERAL:
	case FYSS_FOLDED:
		/* always strings; the span ends at the last content character, not after the
		 * line breaks libfyaml includes */
		y->quoted = true;
		start = block_indicator(L, start);
		while (end > start && strchr(" \t\r\n", L->text[end - 1]))
			end--;
		break;
	default:
		break;
	}
	pos_at(L, start, &y->line, &y->col);
	set_end(L, y, end);
	note_end(L, end);
	if (!y->quoted && is_null_text(s, s ? len : 0) && !is_str_tag(y->tag)) {
		y->kind = Y_NULL;
		y->s = "";
		return;
	}
	y->kind = Y_SCALAR;
	y->s = arena_strndup(&L->y->mem, s ? s : "", s ? len : 0);
	y->len = s ? len : 0;
}

static yaml_node *build(loader *L, struct fy_event *ev, int depth);

/* Read the children of the collection y up to its end event. */
static int children(loader *L, yaml_node *y, int depth)
{
	enum fy_event_type end = y->kind == Y_SEQ ? FYET_SEQUENCE_END : FYET_MAPPING_END;
	size_t cap = 0, n = 0;
	yaml_node **kids = NULL;
	for (;;) {
		struct fy_event *ev = next_event(L);
		if (!ev)
			return -1;
		if (ev->type == end) {
			/* flow collections end at their bracket; block ones at their last child
			 * (libfyaml's mark is where the next token starts) */
			const struct fy_mark *s = fy_event_start_mark(ev), *e = fy_event_end_mark(ev);
			y->end_line = y->line;
			y->end_col = y->col;
			if (s && e && e->input_pos > s->input_pos) {
				set_end(L, y, e->input_pos);
				note_end(L, e->input_pos);
			}
			fy_parser_event_free(L->fyp, ev);
			break;
		}
		yaml_node *kid = build(L, ev, depth + 1);
		if (!kid)
			return -1;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			kids = arena_grow(&L->y->mem, kids, n, ncap, sizeof *kids);
			cap = ncap;
		}
		kids[n++] = kid;
	}
	for (size_t i = 0; i < n; i++)
		end_after(y, kids[i]);
	if (y->kind == Y_SEQ) {
		y->items = kids;
		y->nitems = n;
		return 0;
	}
	/* a map's events alternate key, value; libfyaml always sends both */
	y->npairs = n / 2;
	y->pairs = arena_alloc(&L->y->mem, (y->npairs ? y->npairs : 1) * sizeof *y->pairs);
	for (size_t i = 0; i < y->npairs; i++)
		y->pairs[i] = (yaml_pair){kids[2 * i], kids[2 * i + 1]};
	return finish_map(L, y);
}

/* Build the node that starts with ev (which this function frees). NULL with the error set. */
static yaml_node *build(loader *L, struct fy_event *ev, int depth)
{
	yaml_node *y = arena_alloc(&L->y->mem, sizeof *y);
	y->file = L->y->file;
	y->s = "";
	struct fy_token *anch = fy_event_get_anchor_token(ev);
	struct fy_token *tag = fy_event_get_tag_token(ev);
	size_t props = SIZE_MAX;
	if (anch) {
		props = mark_off(fy_token_start_mark(anch), SIZE_MAX);
		if (props > 0 && props != SIZE_MAX && L->text[props - 1] == '&')
			props--; /* marked at the name, after the '&' */
		note_end(L, mark_off(fy_token_end_mark(anch), 0));
	}
	if (tag) {
		y->tag = token_source(L, tag);
		size_t t = mark_off(fy_token_start_mark(tag), SIZE_MAX);
		if (t < props)
			props = t;
		note_end(L, mark_off(fy_token_end_mark(tag), 0));
	}

	if (ev->type == FYET_SCALAR) {
		scalar(L, y, ev, props);
		if (anch)
			anchor_set(L, anch, y, false);
		fy_parser_event_free(L->fyp, ev);
		return y;
	}
	if (ev->type == FYET_ALIAS) {
		size_t len = 0;
		const char *name = fy_token_get_text(ev->alias.anchor, &len);
		size_t start = mark_off(fy_event_start_mark(ev), L->last_end);
		size_t end = mark_off(fy_event_end_mark(ev), start);
		if (start > 0 && start <= L->n && L->text[start - 1] == '*')
			start--; /* libfyaml marks the name; the alias starts at its '*' */
		int line, col;
		pos_at(L, start, &line, &col);
		note_end(L, end);
		anchor *a = name ? anchor_find(L, name, len, name_hash(L, name, len)) : NULL;
		yaml_node *copy = NULL;
		char shown[256];
		yaml_node tmp = {.s = name ? name : "", .len = name ? len : 0};
		show_key(&tmp, shown, sizeof shown);
		if (!a)
			fail_at(L, line, col, "alias '*%s' names no anchor before it", shown);
		else if (a->building)
			fail_at(L, line, col, "alias '*%s' is inside its own anchor (a cycle)", shown);
		else
			copy = copy_node(L, a->node, depth, line, col);
		fy_parser_event_free(L->fyp, ev);
		return copy;
	}
	if (ev->type != FYET_SEQUENCE_START && ev->type != FYET_MAPPING_START) {
		int line, col;
		pos_at(L, mark_off(fy_event_start_mark(ev), L->last_end), &line, &col);
		fy_parser_event_free(L->fyp, ev);
		fail_at(L, line, col, "unexpected YAML event");
		return NULL;
	}

	y->kind = ev->type == FYET_SEQUENCE_START ? Y_SEQ : Y_MAP;
	size_t start = mark_off(fy_event_start_mark(ev), L->last_end);
	pos_at(L, start, &y->line, &y->col);
	const struct fy_mark *em = fy_event_end_mark(ev);
	if (em)
		note_end(L, em->input_pos);
	/* the anchor token belongs to the event */
	anchor *a = anch ? anchor_set(L, anch, y, true) : NULL;
	fy_parser_event_free(L->fyp, ev);
	if (depth >= YAML_MAX_DEPTH) {
		fail_at(L, y->line, y->col, "nesting deeper than %d levels", YAML_MAX_DEPTH);
		return NULL;
	}
	if (children(L, y, depth) != 0)
		return NULL;
	if (a && a->node == y)
		a->building = false;
	return y;
}

static void add_doc(loader *L, yaml_node *root, size_t *cap)
{
	yaml_stream *y = L->y;
	if (y->ndocs == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		y->docs = arena_grow(&y->mem, y->docs, y->ndocs, ncap, sizeof *y->docs);
		*cap = ncap;
	}
	y->docs[y->ndocs++] = root;
}

static int parse_stream(loader *L)
{
	struct fy_event *ev = next_event(L);
	if (!ev)
		return -1;
	fy_parser_event_free(L->fyp, ev); /* STREAM_START */
	size_t cap = 0;
	for (;;) {
		ev = next_event(L);
		if (!ev)
			return -1;
		enum fy_event_type type = ev->type;
		const struct fy_mark *em = fy_event_end_mark(ev);
		if (em)
			note_end(L, em->input_pos);
		fy_parser_event_free(L->fyp, ev);
		if (type == FYET_STREAM_END)
			return 0;
		if (type != FYET_DOCUMENT_START) {
			fail_at(L, 1, 1, "unexpected YAML event");
			return -1;
		}
		/* anchors do not cross documents */
		L->buckets = NULL;
		L->nbuckets = L->nanchors = 0;
		ev = next_event(L);
		if (!ev)
			return -1;
		yaml_node *root = build(L, ev, 0);
		if (!root)
			return -1;
		ev = next_event(L); /* DOCUMENT_END */
		if (!ev)
			return -1;
		fy_parser_event_free(L->fyp, ev);
		/* Kubernetes tooling skips empty documents ("---" separators with nothing, or
		 * only comments, between them); so do we */
		if (root->kind == Y_NULL && !root->tag)
			continue;
		add_doc(L, root, &cap);
	}
}

/* libfyaml 0.7 crashes in fy_parser_destroy after some tab errors inside a block explicit
 * key ("? c:<TAB>:", found by fuzzing; libfyaml issue #57 is the same family). Neither Compose
 * nor Kubernetes files use explicit keys, so a file that has both a tab and a '?' key
 * indicator at the start of a line (after indentation and "- ") is refused before libfyaml
 * sees it. Returns the offset of that '?', or SIZE_MAX. */
struct fy_diag *yaml_diag_collecting(void)
{
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL; /* never print: errors are collected and reported by the caller */
	dcfg.colorize = false;
	struct fy_diag *d = fy_diag_create(&dcfg);
	if (!d)
		xdie("libfyaml: cannot create a diagnostic object");
	fy_diag_set_collect_errors(d, true);
	return d;
}

size_t yaml_risky_explicit_key(const char *s, size_t n)
{
	if (!memchr(s, '\t', n))
		return SIZE_MAX;
	for (size_t i = 0; i < n;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t' ||
				 (s[i] == '-' && i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\t'))))
			i++;
		if (i < n && s[i] == '?' &&
		    (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t' || s[i + 1] == '\r' ||
		     s[i + 1] == '\n'))
			return i;
		const char *nl = memchr(s + i, '\n', n - i);
		if (!nl)
			break;
		i = (size_t)(nl - s) + 1;
	}
	return SIZE_MAX;
}

/* ---------------------------------------------------------------------------------------
 * The API */

int yaml_load(yaml_stream *y, const char *file, const char *text, size_t n)
{
	memset(y, 0, sizeof *y);
	arena_init(&y->mem);
	y->file = arena_strdup(&y->mem, file ? file : "");
	loader L = {.y = y, .text = text, .n = n, .line = 1};

	if (n > YAML_MAX_FILE) {
		fail_at(&L, 0, 0, "file too large (%zu bytes; the limit is %u)", n,
			(unsigned)YAML_MAX_FILE);
		return -1;
	}
	size_t bad;
	const char *why;
	if (!pl_text_check(text, n, &bad, &why)) {
		int line, col;
		pos_at(&L, bad, &line, &col);
		fail_at(&L, line, col, "%s", why);
		return -1;
	}

	size_t q = yaml_risky_explicit_key(text, n);
	if (q != SIZE_MAX) {
		int line, col;
		pos_at(&L, q, &line, &col);
		fail_at(&L, line, col, "an explicit key ('?') in a file with tab characters is not "
				       "supported");
		return -1;
	}

	L.diag = yaml_diag_collecting();
	/* Our own depth limit applies, with our message, to block and flow nesting alike.
	 * Sloppy flow indentation: Compose (Go's yaml.v3) and PyYAML accept a closing ']' at
	 * its key's indentation, and real compose files and manifests rely on it. */
	struct fy_parse_cfg pcfg = {
		.flags = FYPCF_QUIET | FYPCF_DISABLE_DEPTH_LIMIT | FYPCF_SLOPPY_FLOW_INDENTATION,
		.diag = L.diag,
	};
	L.fyp = fy_parser_create(&pcfg);
	if (!L.fyp)
		xdie("libfyaml: cannot create a parser");
	L.hash_base = (((uint64_t)arc4random() << 32) | arc4random()) % ((1ull << 61) - 2) + 1;

	int rc = -1;
	if (n == 0)
		rc = 0; /* libfyaml refuses an empty string; it is an empty stream */
	else if (fy_parser_set_string(L.fyp, text, n) != 0)
		fail_at(&L, 1, 1, "cannot start the YAML parser");
	else
		rc = parse_stream(&L);
	if (rc != 0) {
		y->docs = NULL;
		y->ndocs = 0;
	}
	free(L.keys);
	free(L.keep);
	fy_parser_destroy(L.fyp);
	/* libfyaml 0.7 frees collected errors only when collection is switched off */
	fy_diag_set_collect_errors(L.diag, false);
	fy_diag_unref(L.diag);
	return rc;
}

void yaml_free(yaml_stream *y)
{
	arena_free(&y->mem);
	memset(y, 0, sizeof *y);
}

yaml_node *yaml_get(const yaml_node *map, const char *key)
{
	if (!map || map->kind != Y_MAP)
		return NULL;
	size_t n = strlen(key);
	for (size_t i = 0; i < map->npairs; i++) {
		const yaml_node *k = map->pairs[i].key;
		if (k->kind == Y_SCALAR && k->len == n && memcmp(k->s, key, n) == 0)
			return map->pairs[i].value;
	}
	return NULL;
}

bool yaml_is_null(const yaml_node *n)
{
	return n && n->kind == Y_NULL;
}

/* Only a plain scalar can be a boolean or a number: "yes" in quotes is a string. */
static bool plain(const yaml_node *n)
{
	return n && n->kind == Y_SCALAR && !n->quoted && !is_str_tag(n->tag);
}

int yaml_bool(const yaml_node *n)
{
	static const char *const yes[] = {"true", "yes", "on", "y"};
	static const char *const no[] = {"false", "no", "off", "n"};
	if (!plain(n))
		return -1;
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (strcasecmp(n->s, yes[i]) == 0)
			return 1;
		if (strcasecmp(n->s, no[i]) == 0)
			return 0;
	}
	return -1;
}

bool yaml_int(const yaml_node *n, long long *out)
{
	if (!plain(n) || n->len == 0 || strlen(n->s) != n->len)
		return false;
	const char *p = n->s;
	bool neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	unsigned base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) {
		base = 8;
		p += 2;
	}
	if (!*p)
		return false;
	unsigned long long v = 0, lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; *p; p++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return false;
		if (d >= base || v > (lim - d) / base)
			return false;
		v = v * base + d;
	}
	*out = neg ? (v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v)
		   : (long long)v;
	return true;
}
