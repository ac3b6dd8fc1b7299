/* fs.c - the merged filesystem: layers applied in order over a tree of paths.
 *
 * A layer's whiteouts (`.wh.name`, `.wh..wh..opq`) are applied before its entries, so they
 * only hide what lower layers wrote. Deleted paths stay in the tree, marked with the layer
 * that deleted them. Bytes a later layer overwrites or removes are counted as wasted
 * against the layer that wrote them. Nodes are found by a hash table on the full path;
 * a subtree (a removed directory) is walked through child and sibling links. */
#include "image/internal.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

void img_fs_init(img_fs *fs)
{
	memset(fs, 0, sizeof *fs);
}

void img_fs_free(img_fs *fs)
{
	free(fs->nodes);
	free(fs->table);
	memset(fs, 0, sizeof *fs);
}

static void rehash(img_fs *fs)
{
	size_t ncap = fs->tcap ? fs->tcap * 2 : 1024;
	uint32_t *t = xcalloc(ncap, sizeof *t);
	for (size_t i = 0; i < fs->n; i++) {
		const char *p = fs->nodes[i].f.path;
		size_t k = hash(p, strlen(p)) & (ncap - 1);
		while (t[k])
			k = (k + 1) & (ncap - 1);
		t[k] = (uint32_t)i + 1;
	}
	free(fs->table);
	fs->table = t;
	fs->tcap = ncap;
}

static uint32_t find(const img_fs *fs, const char *p, size_t n)
{
	if (!fs->tcap)
		return NONE;
	size_t k = hash(p, n) & (fs->tcap - 1);
	while (fs->table[k]) {
		const char *q = fs->nodes[fs->table[k] - 1].f.path;
		if (!strncmp(q, p, n) && q[n] == '\0')
			return fs->table[k] - 1;
		k = (k + 1) & (fs->tcap - 1);
	}
	return NONE;
}

/* The node for p (length n), created with its parents when missing. */
static uint32_t node(img_ctx *x, const char *p, size_t n, int layer)
{
	img_fs *fs = &x->fs;
	uint32_t i = find(fs, p, n);
	if (i != NONE)
		return i;
	uint32_t parent = NONE;
	if (n > 1) {
		size_t d = n;
		while (d > 0 && p[d - 1] != '/')
			d--;
		parent = node(x, p, d > 1 ? d - 1 : 1, layer); /* "/a/b" -> "/a", "/a" -> "/" */
	}
	if ((fs->n + 1) * 2 > fs->tcap)
		rehash(fs);
	if (fs->n == fs->cap) {
		size_t ncap = fs->cap ? fs->cap * 2 : 1024;
		fs->nodes = xrealloc(fs->nodes, ncap * sizeof *fs->nodes);
		fs->cap = ncap;
	}
	i = (uint32_t)fs->n++;
	fs_node *nd = &fs->nodes[i];
	memset(nd, 0, sizeof *nd);
	nd->f.path = arena_strndup(&x->img->mem, p, n);
	nd->f.type = 'd';
	nd->f.mode = 0755;
	nd->f.layer = layer;
	nd->f.deleted_in = -1;
	nd->f.secret_layer = -1;
	nd->implicit = true;
	nd->parent = parent;
	nd->first_child = NONE;
	nd->next_sibling = NONE;
	if (parent != NONE) {
		nd->next_sibling = fs->nodes[parent].first_child;
		fs->nodes[parent].first_child = i;
	}
	size_t k = hash(p, n) & (fs->tcap - 1);
	while (fs->table[k])
		k = (k + 1) & (fs->tcap - 1);
	fs->table[k] = i + 1;
	return i;
}

static void mark(img_ctx *x, fs_node *nd, int layer)
{
	pl_image *img = x->img;
	if (nd->f.deleted)
		return;
	nd->f.deleted = true;
	nd->f.deleted_in = layer;
	if (nd->f.type == '-' && nd->f.layer >= 0 && (size_t)nd->f.layer < img->nlayers)
		img->layers[nd->f.layer].wasted_bytes += nd->f.size;
}

/* Mark top's descendants (and top itself when self) deleted by layer. Iterative: a deep
 * hostile tree must not exhaust the stack. */
static void delete_tree(img_ctx *x, uint32_t top, bool self, int layer)
{
	fs_node *nodes = x->fs.nodes;
	if (self)
		mark(x, &nodes[top], layer);
	uint32_t i = nodes[top].first_child;
	while (i != NONE) {
		mark(x, &nodes[i], layer);
		if (nodes[i].first_child != NONE) {
			i = nodes[i].first_child;
			continue;
		}
		while (i != top && nodes[i].next_sibling == NONE)
			i = nodes[i].parent;
		if (i == top)
			return;
		i = nodes[i].next_sibling;
	}
}

static void undelete_parents(img_fs *fs, uint32_t i, int layer)
{
	for (uint32_t p = fs->nodes[i].parent; p != NONE; p = fs->nodes[p].parent) {
		fs_node *nd = &fs->nodes[p];
		if (!nd->f.deleted)
			break;
		nd->f.deleted = false; /* recreated implicitly as the parent of a new entry */
		nd->f.deleted_in = -1;
		nd->f.layer = layer;
		nd->f.type = 'd';
		nd->f.mode = 0755;
		nd->f.size = 0;
	}
}

static void put(img_ctx *x, const img_rec *r, int layer)
{
	pl_image *img = x->img;
	size_t n = strlen(r->path);
	uint32_t i = node(x, r->path, n, layer);
	undelete_parents(&x->fs, i, layer);
	fs_node *nd = &x->fs.nodes[i];
	if (!nd->f.deleted) {
		if (nd->f.type == '-' && nd->f.layer >= 0 && (size_t)nd->f.layer < img->nlayers)
			img->layers[nd->f.layer].wasted_bytes += nd->f.size; /* overwritten */
		if (nd->f.type == 'd' && r->type != 'd')
			delete_tree(x, i, false, layer); /* a directory replaced by a file */
	}
	nd = &x->fs.nodes[i];
	nd->implicit = false;
	nd->f.type = r->type;
	nd->f.mode = r->mode;
	nd->f.uid = r->uid;
	nd->f.gid = r->gid;
	nd->f.size = r->size;
	nd->f.link = r->link ? arena_strdup(&img->mem, r->link) : NULL;
	nd->f.has_file_caps = r->caps;
	nd->f.content = NULL;
	nd->f.content_len = 0;
	if (r->content && x->kept_bytes + r->content_len <= IMG_KEEP_TOTAL) {
		char *c = arena_alloc(&img->mem, r->content_len + 1); /* zeroed: NUL-terminated */
		memcpy(c, r->content, r->content_len);
		nd->f.content = c;
		nd->f.content_len = r->content_len;
		x->kept_bytes += r->content_len;
	}
	nd->f.layer = layer;
	nd->f.deleted = false;
	nd->f.deleted_in = -1;
	if (r->secret) {
		nd->f.secret = r->secret;
		nd->f.secret_excerpt = r->excerpt ? arena_strdup(&img->mem, r->excerpt) : NULL;
		nd->f.secret_line = r->secret_line;
		nd->f.secret_layer = layer;
	} /* else a lower layer's secret stays: its bytes are still in that layer's blob */
	if (r->type == '-') {
		img->layers[layer].added_bytes += r->size;
		img->total_bytes += r->size;
	}
}

void img_fs_apply(img_ctx *x, const img_job *job, int layer)
{
	for (size_t k = 0; k < job->nrecs; k++) {
		const img_rec *r = &job->recs[k];
		if (r->type != 'w' && r->type != 'o')
			continue;
		uint32_t i = find(&x->fs, r->path, strlen(r->path));
		if (i == NONE)
			continue;
		if (r->type == 'w')
			delete_tree(x, i, true, layer);
		else
			delete_tree(x, i, false, layer);
	}
	for (size_t k = 0; k < job->nrecs; k++)
		if (job->recs[k].type != 'w' && job->recs[k].type != 'o')
			put(x, &job->recs[k], layer);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const img_file *)a)->path, ((const img_file *)b)->path);
}

void img_fs_finish(img_ctx *x)
{
	pl_image *img = x->img;
	img_fs *fs = &x->fs;
	img->files = arena_alloc(&img->mem, (fs->n + 1) * sizeof *img->files);
	for (size_t i = 0; i < fs->n; i++) {
		if (!strcmp(fs->nodes[i].f.path, "/"))
			continue;
		img->files[img->nfiles++] = fs->nodes[i].f;
	}
	qsort(img->files, img->nfiles, sizeof *img->files, by_path);
}
