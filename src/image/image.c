/* image.c - pl_image_open: the order of the work (source, layout, config, layers, merge)
 * and the helpers every part shares: problems, path normalisation, sha256 checks. */
#include "image/internal.h"
#include "image/registry.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

void img_problem_add(img_ctx *x, const char *where, const char *fmt, ...)
{
	pl_image *img = x->img;
	if (img->nproblems >= 10000)
		return; /* a hostile archive cannot grow the list without bound */
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (img->nproblems == img->problems_cap) {
		size_t ncap = img->problems_cap ? img->problems_cap * 2 : 8;
		img->problems = arena_grow(&img->mem, img->problems, img->nproblems, ncap,
					   sizeof *img->problems);
		img->problems_cap = ncap;
	}
	img_problem *p = &img->problems[img->nproblems++];
	p->where = arena_strdup(&img->mem, where ? where : img->path);
	p->msg = arena_strdup(&img->mem, msg);
}

int img_normalise(const char *in, char *out, size_t outlen)
{
	size_t n = 0;
	const char *p = in;
	while (*p) {
		while (*p == '/')
			p++;
		const char *s = p;
		while (*p && *p != '/')
			p++;
		size_t len = (size_t)(p - s);
		if (len == 0 || (len == 1 && s[0] == '.'))
			continue;
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			if (n == 0)
				return -1;
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--; /* the slash before the dropped component */
			continue;
		}
		if (n + (n > 0) + len + 1 > outlen)
			return -1;
		if (n > 0)
			out[n++] = '/';
		memcpy(out + n, s, len);
		n += len;
	}
	if (outlen)
		out[n] = '\0';
	return (int)n;
}

void img_sha256(const void *data, size_t n, char out[72])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL);
	memcpy(out, "sha256:", 7);
	for (unsigned i = 0; i < mdlen && i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
}

bool img_verify(img_ctx *x, const char *where, const char *digest, int64_t size,
		const void *data, size_t n)
{
	bool ok = true;
	if (size >= 0 && (uint64_t)size != n) {
		img_problem_add(x, where, "size is %zu bytes, its descriptor says %lld", n,
				(long long)size);
		ok = false;
	}
	if (digest) {
		char got[72];
		img_sha256(data, n, got);
		if (strncmp(digest, "sha256:", 7) != 0) {
			img_problem_add(x, where, "digest algorithm of %s is not supported", digest);
			ok = false;
		} else if (strcmp(got, digest) != 0) {
			img_problem_add(x, where, "content does not match its digest: %s, expected %s",
					got, digest);
			ok = false;
		}
	}
	return ok;
}

const char *img_blob_path(img_ctx *x, const char *digest, const char *where)
{
	if (!digest || strncmp(digest, "sha256:", 7) != 0 || strlen(digest) != 71 ||
	    strspn(digest + 7, "0123456789abcdef") != 64) {
		img_problem_add(x, where, "invalid or unsupported digest \"%.80s\"",
				digest ? digest : "");
		return NULL;
	}
	char b[96];
	snprintf(b, sizeof b, "blobs/sha256/%s", digest + 7);
	return arena_strdup(&x->tmp, b);
}

/* --- progress bar --------------------------------------------------------------------------- */

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The compressed bytes to read: each distinct blob once, by its descriptor size, else the
 * outer tar member's size (classic docker save), else the file's (a directory). */
static int64_t blobs_total(img_ctx *x)
{
	int64_t total = 0;
	for (size_t i = 0; i < x->nwants; i++) {
		const img_want *w = &x->wants[i];
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(x->wants[k].name, w->name);
		if (seen)
			continue;
		int64_t size = w->size;
		for (size_t m = x->nmembers; size < 0 && m-- > 0;)
			if (!strcmp(x->members[m].name, w->name))
				size = x->members[m].size;
		if (size < 0 && x->is_dir) {
			char full[2 * IMG_MAX_PATH + 2];
			struct stat st;
			snprintf(full, sizeof full, "%s/%s", x->root, w->name);
			if (stat(full, &st) == 0)
				size = (int64_t)st.st_size;
		}
		total += size > 0 ? size : 0;
	}
	return total;
}

static void human(char *out, size_t n, double bytes)
{
	if (bytes >= 1e9)
		snprintf(out, n, "%.1f GB", bytes / 1e9);
	else
		snprintf(out, n, "%.0f MB", bytes / 1e6);
}

void img_progress(img_ctx *x, const img_job *job)
{
	if (!x->opts->progress)
		return;
	double now = mono_now();
	if (now - x->prog_start < 1.0 || now - x->prog_last < 0.1)
		return;
	x->prog_last = now;
	double done = (double)(x->prog_done + (job ? job->blob_bytes : 0));
	double total = (double)x->prog_total;
	if (total < done)
		total = done;
	double frac = total > 0 ? done / total : 0;
	char bar[24], a[32], b[32];
	int width = 20, full = (int)(frac * width);
	for (int i = 0; i < width; i++)
		bar[i] = i < full ? '=' : i == full ? '>' : ' ';
	bar[width] = '\0';
	human(a, sizeof a, done);
	human(b, sizeof b, total);
	fprintf(stderr, "\r[%s] %s / %s  layer %zu/%zu  %.0f MB/s\033[K", bar, a, b, x->prog_layer,
		x->njobs, done / 1e6 / (now - x->prog_start));
	fflush(stderr);
}

int pl_image_open(pl_image *img, const char *path, const img_opts *opts, char *err,
		  size_t errlen)
{
	static const img_opts defaults = {NULL, 1, false, 0};
	memset(img, 0, sizeof *img);
	arena_init(&img->mem);
	img->path = arena_strdup(&img->mem, path);
	img->user = "";
	img->hc_interval = img->hc_timeout = img->hc_start_period = -1;
	img->hc_retries = -1;
	img_ctx x;
	memset(&x, 0, sizeof x);
	x.img = img;
	x.opts = opts ? opts : &defaults;
	x.max_uncompressed = x.opts->max_layer_bytes > 0 ? x.opts->max_layer_bytes
							   : IMG_MAX_UNCOMPRESSED;
	x.config_size = -1;
	if (x.opts->progress)
		x.prog_start = mono_now();
	arena_init(&x.tmp);
	img_fs_init(&x.fs);
	int rc = -1;
	if (err && errlen)
		err[0] = '\0';

	if (img_src_open(&x, err, errlen) != 0 || img_layout(&x, err, errlen) != 0)
		goto out;
	const unsigned char *cfg;
	size_t cfglen;
	int r = img_src_small(&x, x.config_name, &cfg, &cfglen);
	if (r != 0) {
		snprintf(err, errlen, "config blob %s %s", x.config_name,
			 r == -1 ? "is absent" : "cannot be read");
		goto out;
	}
	img->config_ok = img_verify(&x, x.config_name, x.config_digest, x.config_size, cfg, cfglen);
	if (img_config(&x, cfg, cfglen, err, errlen) != 0)
		goto out;
	if (!img->platform && x.desc_platform)
		img->platform = arena_strdup(&img->mem, x.desc_platform);
	x.scratch = xmalloc(IMG_SECRET_SCAN);
	x.prog_total = blobs_total(&x);
	img_src_read_layers(&x);
	img_fs_finish(&x);
	img_container_prepare(&x);
	rc = 0;
out:
	if (x.prog_last > 0) {
		fputs("\r\033[K", stderr); /* erase the bar */
		fflush(stderr);
	}
	for (size_t i = 0; i < x.njobs; i++) {
		arena_free(&x.jobs[i].mem);
		free(x.jobs[i].recs);
	}
	free(x.jobs);
	free(x.scratch);
	img_fs_free(&x.fs);
	arena_free(&x.tmp);
	img_reg_free(x.reg);
	if (rc != 0) {
		if (err && errlen && !err[0])
			snprintf(err, errlen, "cannot be read");
		arena_free(&img->mem);
		memset(img, 0, sizeof *img);
	}
	return rc;
}

void pl_image_free(pl_image *img)
{
	arena_free(&img->mem);
	memset(img, 0, sizeof *img);
}

static int cmp_path(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const img_file *)elem)->path);
}

const img_file *pl_image_file(const pl_image *img, const char *path)
{
	if (!img->files)
		return NULL;
	const img_file *f = bsearch(path, img->files, img->nfiles, sizeof *img->files, cmp_path);
	return f && !f->deleted ? f : NULL;
}
