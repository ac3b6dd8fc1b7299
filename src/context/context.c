/* context.c - the build context: read the .dockerignore BuildKit would use, walk the
 * context directory once (bounded), mark what .dockerignore excludes, and answer which
 * files a COPY/ADD source sends.
 *
 * The walk never follows symbolic links (a link is recorded as itself, as Docker sends it)
 * and stops at 64 levels or 100 000 entries, setting `truncated`, so a huge or looping tree
 * costs bounded time and memory. Entries are sorted by path so results are reproducible
 * whatever order the file system lists them in. */
#include "context/context.h"
#include "model/secrets.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/utf8.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	MAX_DEPTH = 64,
	MAX_ENTRIES = 100000,
	MAX_IGNORE_FILE = 1024 * 1024,
};

typedef struct walker {
	pl_buildctx *x;
	size_t cap;
	buf rel;    /* the current directory, relative to root, "" at the root */
} walker;

static void add_entry(walker *w, const char *rel, bool is_dir, long long size)
{
	pl_buildctx *x = w->x;
	if (x->nfiles == w->cap) {
		size_t ncap = w->cap ? w->cap * 2 : 256;
		x->files = arena_grow(&x->mem, x->files, x->nfiles, ncap, sizeof *x->files);
		w->cap = ncap;
	}
	pl_ctxfile *f = &x->files[x->nfiles++];
	f->path = arena_strdup(&x->mem, rel);
	f->is_dir = is_dir;
	f->size = size;
	f->ignored = pl_dockerignore_excludes(x->ignore, rel);
}

/* Mark files that are secrets. Content is read only for names that need it, and only
 * the first 64 KiB: the model records the kind, rules never open files. */
static void classify(walker *w, int dfd, const char *name, pl_ctxfile *f)
{
	char head[65536];
	ssize_t n = -1;
	if (pl_secret_file_needs_content(f->path)) {
		int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			n = read(fd, head, sizeof head);
			close(fd);
		}
	}
	const char *kind = pl_secret_file_kind(f->path, n > 0 ? head : NULL, n > 0 ? (size_t)n : 0);
	f->secret = kind ? arena_strdup(&w->x->mem, kind) : NULL;
}

/* Walk the directory open as fd (which this function owns and closes). */
static void walk(walker *w, int fd, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	size_t base = w->rel.len;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (w->x->nfiles >= MAX_ENTRIES) {
			w->x->truncated = true;
			break;
		}
		struct stat st;
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue; /* vanished or unreadable: Docker could not send it either */
		w->rel.len = base;
		if (base)
			buf_addc(&w->rel, '/');
		buf_adds(&w->rel, name);
		bool is_dir = S_ISDIR(st.st_mode);
		add_entry(w, buf_str(&w->rel), is_dir, is_dir ? 0 : (long long)st.st_size);
		if (!is_dir) {
			if (S_ISREG(st.st_mode))
				classify(w, dirfd(d), name, &w->x->files[w->x->nfiles - 1]);
			continue;
		}
		if (depth + 1 >= MAX_DEPTH) {
			w->x->truncated = true;
			continue;
		}
		/* O_NOFOLLOW: if the directory was swapped for a link since fstatat, refuse */
		int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			walk(w, sub, depth + 1);
	}
	w->rel.len = base;
	if (w->rel.p)
		w->rel.p[base] = '\0';
	closedir(d);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const pl_ctxfile *)a)->path, ((const pl_ctxfile *)b)->path);
}

/* Read the .dockerignore BuildKit would use. Returns 0 (x->ignore may stay NULL), or -1
 * when the file exists but cannot be read. */
static int read_ignore(pl_buildctx *x, const char *root, const char *dockerfile, char *err,
		       size_t errlen)
{
	buf path = BUF_INIT;
	struct stat st;
	bool found = false;
	if (dockerfile) {
		/* BuildKit prefers <Dockerfile name>.dockerignore beside the Dockerfile */
		buf_printf(&path, "%s.dockerignore", dockerfile);
		found = stat(path.p, &st) == 0;
	}
	if (!found) {
		buf_reset(&path);
		if (!strcmp(root, "."))
			buf_adds(&path, ".dockerignore");
		else
			buf_printf(&path, "%s/.dockerignore", root);
		found = stat(path.p, &st) == 0;
	}
	if (!found) {
		buf_free(&path);
		return 0;
	}
	pl_input in;
	char why[256];
	if (pl_read_file(path.p, MAX_IGNORE_FILE, &in, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s: %s", path.p, why);
		buf_free(&path);
		return -1;
	}
	x->ignore = arena_alloc(&x->mem, sizeof *x->ignore);
	pl_dockerignore_parse(&x->mem, path.p, in.data, in.len, x->ignore);
	pl_input_free(&in);
	buf_free(&path);
	return 0;
}

int pl_buildctx_open(pl_buildctx *x, const char *root, const char *dockerfile,
		     const df_build *b, char *err, size_t errlen)
{
	memset(x, 0, sizeof *x);
	arena_init(&x->mem);
	x->root = arena_strdup(&x->mem, root);
	x->dockerfile = dockerfile ? arena_strdup(&x->mem, dockerfile) : NULL;
	x->build = b;
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open the build context: %s", root,
			 strerror(errno));
		return -1;
	}
	if (read_ignore(x, root, dockerfile, err, errlen) != 0) {
		close(fd);
		return -1;
	}
	walker w = {x, 0, BUF_INIT};
	walk(&w, fd, 0);
	buf_free(&w.rel);
	if (x->nfiles > 1)
		qsort(x->files, x->nfiles, sizeof *x->files, by_path);
	return 0;
}

void pl_buildctx_free(pl_buildctx *x)
{
	arena_free(&x->mem);
	memset(x, 0, sizeof *x);
}

/* --- COPY/ADD sources --------------------------------------------------------------- */

/* Clean a source as BuildKit resolves it inside the context: "/" is the context root,
 * "." and empty elements vanish, ".." cannot climb above the root. Returns "" for the
 * root itself. */
static char *clean_source(const char *src)
{
	size_t n = strlen(src);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	size_t w = 0;
	const char *p = src;
	while (*p) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		size_t len = (size_t)(e - p);
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (w > 0 && out[w - 1] != '/')
				w--;
			if (w > 0)
				w--;
		} else {
			if (w > 0)
				out[w++] = '/';
			memcpy(out + w, p, len);
			w += len;
		}
		p = e;
	}
	out[w] = '\0';
	return out;
}

/* One element of a bracket class for Go's filepath.Match (getEsc). */
static bool class_char(const char **pp, const char *end, int32_t *r)
{
	const char *p = *pp;
	if (p >= end || *p == '-' || *p == ']')
		return false;
	if (*p == '\\' && ++p >= end)
		return false;
	int width;
	*r = utf8_decode(p, (size_t)(end - p), &width);
	*pp = p + width;
	return *pp < end;
}

/* Go's matchChunk: match chunk (no '*') against the start of s; on success returns the
 * rest of s in *rest. A malformed chunk never matches. */
static bool match_chunk(const char *chunk, const char *cend, const char *s, const char **rest)
{
	while (chunk < cend) {
		if (*s == '\0')
			return false;
		int width;
		int32_t r;
		switch (*chunk) {
		case '[': {
			r = utf8_decode(s, strlen(s), &width);
			s += width;
			chunk++;
			bool negated = chunk < cend && *chunk == '^';
			if (negated)
				chunk++;
			bool in = false;
			int nrange = 0;
			for (;;) {
				if (chunk < cend && *chunk == ']' && nrange > 0) {
					chunk++;
					break;
				}
				int32_t lo, hi;
				if (!class_char(&chunk, cend, &lo))
					return false;
				hi = lo;
				if (*chunk == '-') {
					chunk++;
					if (!class_char(&chunk, cend, &hi))
						return false;
				}
				if (lo <= r && r <= hi)
					in = true;
				nrange++;
			}
			if (in == negated)
				return false;
			break;
		}
		case '?':
			if (*s == '/')
				return false;
			utf8_decode(s, strlen(s), &width);
			s += width;
			chunk++;
			break;
		case '\\':
			if (++chunk >= cend)
				return false;
			/* fall through */
		default:
			if (*chunk != *s)
				return false;
			chunk++;
			s++;
			break;
		}
	}
	*rest = s;
	return true;
}

/* Go's filepath.Match: '*' and '?' stop at '/', so a pattern matches paths with the same
 * number of elements. Each star tries every shorter skip but never backtracks into an
 * earlier star, which keeps the cost polynomial on hostile patterns. */
static bool glob_match(const char *pat, const char *name)
{
	while (*pat) {
		bool star = false;
		while (*pat == '*') {
			pat++;
			star = true;
		}
		/* the chunk runs to the next '*' outside brackets */
		const char *cend = pat;
		bool inrange = false;
		for (; *cend; cend++) {
			if (*cend == '\\' && cend[1]) {
				cend++;
			} else if (*cend == '[') {
				inrange = true;
			} else if (*cend == ']') {
				inrange = false;
			} else if (*cend == '*' && !inrange) {
				break;
			}
		}
		if (star && cend == pat)
			return strchr(name, '/') == NULL; /* a trailing '*' takes the rest */
		const char *rest;
		if (match_chunk(pat, cend, name, &rest) && (*rest == '\0' || *cend)) {
			name = rest;
			pat = cend;
			continue;
		}
		bool found = false;
		if (star) {
			for (size_t i = 0; name[i] && name[i] != '/'; i++) {
				if (match_chunk(pat, cend, name + i + 1, &rest)) {
					if (!*cend && *rest)
						continue; /* the last chunk must end the name */
					name = rest;
					found = true;
					break;
				}
			}
		}
		if (!found)
			return false;
		pat = cend;
	}
	return *name == '\0';
}

/* Send every file under dir (dir itself excluded) that .dockerignore keeps. */
static void send_tree(const pl_buildctx *x, const char *dir,
		      void (*fn)(void *arg, const pl_ctxfile *f), void *arg)
{
	size_t n = strlen(dir);
	for (size_t i = 0; i < x->nfiles; i++) {
		const pl_ctxfile *f = &x->files[i];
		if (f->is_dir || f->ignored)
			continue;
		if (n == 0 || (strncmp(f->path, dir, n) == 0 && f->path[n] == '/'))
			fn(arg, f);
	}
}

void pl_buildctx_sources(const pl_buildctx *x, const char *src,
			 void (*fn)(void *arg, const pl_ctxfile *f), void *arg)
{
	char *s = clean_source(src);
	if (!s)
		return;
	if (s[0] == '\0') {
		send_tree(x, "", fn, arg); /* "." or "/": the whole context */
		free(s);
		return;
	}
	bool wild = strpbrk(s, "*?[") != NULL;
	for (size_t i = 0; i < x->nfiles; i++) {
		const pl_ctxfile *f = &x->files[i];
		bool hit = wild ? glob_match(s, f->path) : strcmp(s, f->path) == 0;
		if (!hit)
			continue;
		/* an excluded directory is still matched: files re-included under it by a
		 * "!" pattern are in the context */
		if (f->is_dir)
			send_tree(x, f->path, fn, arg);
		else if (!f->ignored)
			fn(arg, f);
	}
	free(s);
}
