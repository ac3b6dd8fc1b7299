/* source.c - where an image's files come from: a directory (an OCI layout) or a tar
 * (docker save, an OCI layout archived, possibly compressed).
 *
 * A tar is read twice. Pass 1 lists its files and keeps only the small JSON ones (at most
 * IMG_MAX_JSON bytes in all), because manifest.json may come after the layers. Pass 2
 * streams each wanted layer straight from its tar entry into the layer reader; nothing
 * large is ever held. Layers met out of order wait (as records) until the lower ones are
 * merged. */
#include "image/internal.h"
#include "image/registry.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CAPTURE_MAX (4u << 20) /* a blob larger than this is never a manifest or config */

static struct archive *outer_open(const char *path)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 1 << 20) != ARCHIVE_OK)
		return a; /* the caller checks archive_errno / first header */
	return a;
}

static bool wants_capture(const char *name, int64_t size)
{
	if (size < 0 || size > (int64_t)CAPTURE_MAX)
		return false;
	size_t n = strlen(name);
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	return (n > 5 && !strcmp(name + n - 5, ".json")) || !strcmp(base, "json") ||
	       !strcmp(name, "oci-layout") || !strcmp(name, "repositories") ||
	       !strncmp(name, "blobs/", 6);
}

/* Read the current entry when it looks like JSON and fits the budget. */
static void capture(img_ctx *x, struct archive *a, img_member *m)
{
	unsigned char head[4096];
	la_ssize_t got = archive_read_data(a, head, sizeof head);
	if (got <= 0)
		return;
	size_t i = 0;
	while (i < (size_t)got && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' ||
				   head[i] == '\t'))
		i++;
	if (i == (size_t)got || (head[i] != '{' && head[i] != '['))
		return;
	if (x->captured + (size_t)m->size > IMG_MAX_JSON) {
		img_problem_add(x, m->name, "JSON files exceed %u MiB in all; not read",
				IMG_MAX_JSON >> 20);
		return;
	}
	size_t cap = (size_t)m->size > (size_t)got ? (size_t)m->size : (size_t)got;
	unsigned char *buf = arena_alloc(&x->tmp, cap + 1);
	memcpy(buf, head, (size_t)got);
	size_t len = (size_t)got;
	while (len < cap) {
		la_ssize_t r = archive_read_data(a, buf + len, cap - len);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	x->captured += cap;
	m->data = buf;
	m->len = len;
}

static int pass1(img_ctx *x, char *err, size_t errlen)
{
	struct archive *a = outer_open(x->root);
	struct archive_entry *e;
	size_t cap = 0;
	int r;
	bool any = false;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		any = true;
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		const char *raw = archive_entry_pathname(e);
		char name[IMG_MAX_PATH];
		if (!raw || img_normalise(raw, name, sizeof name) <= 0) {
			img_problem_add(x, raw ? raw : "(unnamed entry)",
					"path traversal or unusable name in the archive; skipped");
			continue;
		}
		if (x->nmembers >= IMG_MAX_MEMBERS) {
			img_problem_add(x, NULL, "more than %d files in the archive; the rest ignored",
					IMG_MAX_MEMBERS);
			break;
		}
		if (x->nmembers == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			x->members = arena_grow(&x->tmp, x->members, x->nmembers, ncap,
						sizeof *x->members);
			cap = ncap;
		}
		img_member *m = &x->members[x->nmembers++];
		m->name = arena_strdup(&x->tmp, name);
		m->size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
		if (wants_capture(name, m->size))
			capture(x, a, m);
	}
	if (r != ARCHIVE_EOF) {
		if (!any) {
			snprintf(err, errlen, "not an image archive (%s)",
				 archive_error_string(a) ? archive_error_string(a) : "unreadable");
			archive_read_free(a);
			return -1;
		}
		img_problem_add(x, NULL, "archive is truncated or corrupt: %s",
				archive_error_string(a) ? archive_error_string(a) : "read error");
	}
	archive_read_free(a);
	return 0;
}

/* A document fetched from the registry (malloc'd) moved into the open's arena, counted
 * against IMG_MAX_JSON like the small files of a tar or directory. */
static const unsigned char *keep_doc(img_ctx *x, unsigned char *body, size_t n)
{
	unsigned char *copy = arena_alloc(&x->tmp, n + 1);
	memcpy(copy, body, n);
	free(body);
	x->captured += n;
	return copy;
}

/* A registry reference: fetch what the tag names. An index (or Docker manifest list) is the
 * layout's index.json as it is; a single manifest gets a one-entry index.json around it, so
 * the OCI layout code (platform choice, verification) reads registries unchanged. */
static int reg_open(img_ctx *x, char *err, size_t errlen)
{
	x->reg = img_reg_open(x->root, err, errlen);
	if (!x->reg)
		return -1;
	unsigned char *body;
	size_t n;
	char mt[256];
	if (img_reg_manifest(x->reg, img_reg_reference(x->reg), CAPTURE_MAX, &body, &n, mt,
			     sizeof mt, err, errlen) < 0)
		return -1;
	const unsigned char *copy = keep_doc(x, body, n);
	if (strstr(mt, "index") || strstr(mt, "manifest.list")) {
		x->reg_index = copy;
		x->reg_index_len = n;
		return 0;
	}
	char digest[72];
	img_sha256(copy, n, digest);
	char name[96];
	snprintf(name, sizeof name, "blobs/sha256/%s", digest + 7);
	x->reg_manifest = copy;
	x->reg_manifest_len = n;
	x->reg_manifest_name = arena_strdup(&x->tmp, name);
	char idx[512];
	int k = snprintf(idx, sizeof idx, "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
			 "\"%s\",\"digest\":\"%s\",\"size\":%zu}]}",
			 mt[0] ? mt : "application/vnd.oci.image.manifest.v1+json", digest, n);
	x->reg_index = (const unsigned char *)arena_strdup(&x->tmp, idx);
	x->reg_index_len = (size_t)k;
	return 0;
}

/* A small document from the registry: index.json, the tagged manifest, or a blob (a
 * config; a manifest of an index when the blob store does not know it as a blob). */
static int reg_small(img_ctx *x, const char *name, const unsigned char **data, size_t *len)
{
	if (!strcmp(name, "index.json")) {
		*data = x->reg_index;
		*len = x->reg_index_len;
		return 0;
	}
	if (x->reg_manifest_name && !strcmp(name, x->reg_manifest_name)) {
		*data = x->reg_manifest;
		*len = x->reg_manifest_len;
		return 0;
	}
	if (strncmp(name, "blobs/sha256/", 13))
		return -1;
	char digest[80], err[512], mt[256];
	snprintf(digest, sizeof digest, "sha256:%.64s", name + 13);
	unsigned char *body = NULL;
	size_t n = 0;
	int r = img_reg_blob(x->reg, digest, CAPTURE_MAX, &body, &n, err, sizeof err);
	if (r == 1)
		r = img_reg_manifest(x->reg, digest, CAPTURE_MAX, &body, &n, mt, sizeof mt, err,
				     sizeof err) < 0 ? -1 : 0;
	if (r != 0) {
		img_problem_add(x, name, "%s", err);
		return -2;
	}
	if (x->captured + n > IMG_MAX_JSON) {
		free(body);
		img_problem_add(x, name, "JSON files exceed %u MiB in all; not read",
				IMG_MAX_JSON >> 20);
		return -2;
	}
	*data = keep_doc(x, body, n);
	*len = n;
	return 0;
}

int img_src_open(img_ctx *x, char *err, size_t errlen)
{
	struct stat st;
	x->root = x->img->path;
	if (stat(x->root, &st) != 0) {
		if (errno == ENOENT && img_ref_is_registry(x->root))
			return reg_open(x, err, errlen);
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		x->is_dir = true;
		return 0;
	}
	return pass1(x, err, errlen);
}

static const img_member *member(img_ctx *x, const char *name)
{
	for (size_t i = x->nmembers; i-- > 0;) /* the last of duplicates wins, as in tar */
		if (!strcmp(x->members[i].name, name))
			return &x->members[i];
	return NULL;
}

static int open_in_dir(img_ctx *x, const char *name)
{
	char norm[IMG_MAX_PATH], full[2 * IMG_MAX_PATH + 2];
	if (img_normalise(name, norm, sizeof norm) <= 0)
		return -2;
	snprintf(full, sizeof full, "%s/%s", x->root, norm);
	return open(full, O_RDONLY | O_CLOEXEC);
}

bool img_src_has(img_ctx *x, const char *name)
{
	if (x->reg) /* what the registry holds is known only by asking: blobs are assumed */
		return !strcmp(name, "index.json") || !strncmp(name, "blobs/sha256/", 13);
	if (!x->is_dir)
		return member(x, name) != NULL;
	int fd = open_in_dir(x, name);
	if (fd < 0)
		return false;
	struct stat st;
	bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	close(fd);
	return ok;
}

int img_src_small(img_ctx *x, const char *name, const unsigned char **data, size_t *len)
{
	if (x->reg)
		return reg_small(x, name, data, len);
	if (!x->is_dir) {
		const img_member *m = member(x, name);
		if (!m)
			return -1;
		if (!m->data) {
			img_problem_add(x, name, "not a JSON document of at most %u MiB",
					CAPTURE_MAX >> 20);
			return -2;
		}
		*data = m->data;
		*len = m->len;
		return 0;
	}
	int fd = open_in_dir(x, name);
	if (fd < 0)
		return fd == -2 ? -2 : -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	if (st.st_size > (off_t)CAPTURE_MAX ||
	    x->captured + (size_t)st.st_size > IMG_MAX_JSON) {
		img_problem_add(x, name, "%lld bytes: too large for a manifest or config",
				(long long)st.st_size);
		close(fd);
		return -2;
	}
	unsigned char *buf = arena_alloc(&x->tmp, (size_t)st.st_size + 1);
	size_t n = 0;
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	x->captured += n;
	*data = buf;
	*len = n;
	return 0;
}

/* --- byte sources for the layer reader ---------------------------------------------------- */

typedef struct fd_src {
	int fd;
	unsigned char buf[256 << 10];
} fd_src;

static long fd_read(void *h, const void **out)
{
	fd_src *s = h;
	ssize_t r;
	do
		r = read(s->fd, s->buf, sizeof s->buf);
	while (r < 0 && errno == EINTR);
	*out = s->buf;
	return r < 0 ? -1 : (long)r;
}

typedef struct entry_src {
	struct archive *a;
	img_bytes *self;
} entry_src;

static long entry_read(void *h, const void **out)
{
	entry_src *s = h;
	size_t n;
	la_int64_t off;
	int r = archive_read_data_block(s->a, out, &n, &off);
	if (r == ARCHIVE_EOF)
		return 0;
	if (r < ARCHIVE_WARN) {
		snprintf(s->self->err, sizeof s->self->err, "%s",
			 archive_error_string(s->a) ? archive_error_string(s->a) : "read error");
		return -1;
	}
	return (long)n;
}

static void make_jobs(img_ctx *x)
{
	x->jobs = xcalloc(x->nwants ? x->nwants : 1, sizeof *x->jobs);
	for (size_t i = 0; i < x->nwants; i++) {
		size_t j = 0;
		while (j < x->njobs && strcmp(x->jobs[j].name, x->wants[i].name))
			j++;
		if (j == x->njobs) {
			x->jobs[j].name = x->wants[i].name;
			arena_init(&x->jobs[j].mem);
			x->njobs++;
		}
		x->jobs[j].users++;
		x->wants[i].job = (int)j;
	}
}

static void read_dir(img_ctx *x)
{
	fd_src *s = xmalloc(sizeof *s);
	for (size_t j = 0; j < x->njobs; j++) {
		img_job *job = &x->jobs[j];
		s->fd = open_in_dir(x, job->name);
		if (s->fd < 0) {
			img_problem_add(x, job->name, "blob is absent");
		} else {
			img_bytes in = {fd_read, s, {0}};
			img_layer_read(x, job, &in);
			close(s->fd);
		}
		job->done = true;
		img_merge_ready(x);
	}
	free(s);
}

static void read_tar(img_ctx *x)
{
	size_t left = x->njobs;
	struct archive *a = outer_open(x->root);
	struct archive_entry *e;
	int r;
	while (left > 0 && ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		const char *raw = archive_entry_pathname(e);
		char name[IMG_MAX_PATH];
		if (!raw || img_normalise(raw, name, sizeof name) <= 0)
			continue;
		for (size_t j = 0; j < x->njobs; j++) {
			img_job *job = &x->jobs[j];
			if (job->done || strcmp(job->name, name))
				continue;
			img_bytes in = {entry_read, NULL, {0}};
			entry_src es = {a, &in};
			in.h = &es;
			img_layer_read(x, job, &in);
			job->done = true;
			left--;
			img_merge_ready(x);
			break;
		}
	}
	archive_read_free(a);
	for (size_t j = 0; j < x->njobs; j++)
		if (!x->jobs[j].done) {
			img_problem_add(x, x->jobs[j].name, "blob is absent from the archive");
			x->jobs[j].done = true;
		}
	img_merge_ready(x);
}

static void read_registry(img_ctx *x)
{
	for (size_t j = 0; j < x->njobs; j++) {
		img_job *job = &x->jobs[j];
		char digest[80];
		snprintf(digest, sizeof digest, "sha256:%.64s", job->name + 13);
		img_reg_stream *s = img_reg_blob_open(x->reg, digest);
		img_bytes in = {img_reg_read, s, {0}};
		img_layer_read(x, job, &in);
		if (img_reg_stream_error(s)[0] && !in.err[0])
			img_problem_add(x, job->name, "download failed: %s", img_reg_stream_error(s));
		img_reg_stream_close(s);
		job->done = true;
		img_merge_ready(x);
	}
}

void img_src_read_layers(img_ctx *x)
{
	make_jobs(x);
	if (x->reg)
		read_registry(x);
	else if (x->is_dir)
		read_dir(x);
	else
		read_tar(x);
}
