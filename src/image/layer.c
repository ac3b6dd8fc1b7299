/* layer.c - one layer blob, streamed: its bytes are hashed as they arrive (the descriptor
 * digest), decompressed by libarchive's "raw" reader (gzip, zstd, ... sniffed by magic),
 * hashed again (the config's diff_id) and parsed by libarchive's tar reader. Each entry
 * becomes a record for the merge; small text files and files whose name calls for it are
 * looked at for secrets. Nothing larger than one read block and IMG_SECRET_SCAN bytes is
 * held, and the uncompressed stream is capped (gzip bombs). */
#include "image/internal.h"
#include "model/secrets.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pipe_state {
	img_ctx *x;
	img_job *job;
	img_bytes *in;
	EVP_MD_CTX *blob_md, *tar_md;
	struct archive *raw;
	bool in_err, raw_err, raw_eof, bomb;
	bool prefetched;  /* the blob is hashed by the prefetch thread, not here */
} pipe_state;

static la_ssize_t raw_cb(struct archive *a, void *h, const void **buf)
{
	pipe_state *p = h;
	long n = p->in->read(p->in->h, buf);
	if (n < 0) {
		p->in_err = true;
		archive_set_error(a, EIO, "%s", p->in->err[0] ? p->in->err : "read error");
		return -1;
	}
	if (n > 0) {
		if (!p->prefetched)
			EVP_DigestUpdate(p->blob_md, *buf, (size_t)n);
		p->job->blob_bytes += n;
		img_progress(p->x, p->job);
	}
	return n;
}

/* The next block of the uncompressed stream: > 0 bytes, 0 at the end, -1 on error. */
static long next_plain(pipe_state *p, const void **buf, char *err, size_t errlen)
{
	if (p->raw_eof)
		return 0;
	for (;;) {
		size_t n = 0;
		la_int64_t off;
		int r = archive_read_data_block(p->raw, buf, &n, &off);
		if (r == ARCHIVE_EOF) {
			p->raw_eof = true;
			return 0;
		}
		if (r < ARCHIVE_WARN) {
			p->raw_err = true;
			snprintf(err, errlen, "%s",
				 archive_error_string(p->raw) ? archive_error_string(p->raw) : "read error");
			return -1;
		}
		if (n == 0)
			continue;
		if (p->job->tar_bytes + (int64_t)n > p->x->max_uncompressed) {
			p->bomb = true;
			snprintf(err, errlen, "uncompressed stream exceeds %lld bytes",
				 (long long)p->x->max_uncompressed);
			return -1;
		}
		EVP_DigestUpdate(p->tar_md, *buf, n);
		p->job->tar_bytes += (int64_t)n;
		return (long)n;
	}
}

static la_ssize_t tar_cb(struct archive *a, void *h, const void **buf)
{
	pipe_state *p = h;
	char err[256];
	long n = next_plain(p, buf, err, sizeof err);
	if (n < 0)
		archive_set_error(a, EIO, "%s", err);
	return n;
}

static void finish_md(EVP_MD_CTX *md, char out[72])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_DigestFinal_ex(md, d, &n);
	memcpy(out, "sha256:", 7);
	for (unsigned i = 0; i < n && i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", d[i]);
}

/* --- secrets ----------------------------------------------------------------------------- */

/* The fixed strings at which pl_secret_pattern can match: a line without one cannot match,
 * so only lines holding one are checked (the keyword prefilter, exact for these patterns:
 * "password", "token" or "secret" alone never make a match). One pass over the bytes finds
 * them: each anchor has a pivot, a byte rare in ordinary text (upper case, '_', '-', ':'),
 * and only at a pivot byte are the anchors compared. */
typedef struct anchor {
	const char *s;
	unsigned char len, pivot; /* s[pivot] is the byte looked for */
} anchor;

static const anchor anchors[] = {
	{"PRIVATE KEY-----", 16, 10}, {"://", 3, 0}, {"AKIA", 4, 1}, {"ASIA", 4, 1},
	{"AIza", 4, 1}, {"ghp_", 4, 3}, {"gho_", 4, 3}, {"ghu_", 4, 3}, {"ghs_", 4, 3},
	{"ghr_", 4, 3}, {"github_pat_", 11, 6}, {"glpat-", 6, 5}, {"xoxb-", 5, 4},
	{"xoxp-", 5, 4}, {"xoxa-", 5, 4}, {"sk_live_", 8, 2}, {"rk_live_", 8, 2},
	{"npm_", 4, 3}, {"SG.", 3, 1},
};
#define NANCHORS (sizeof anchors / sizeof *anchors)
static const unsigned char pivot_byte[256] = {['Y'] = 1, [':'] = 1, ['K'] = 1, ['S'] = 1,
					      ['I'] = 1, ['_'] = 1, ['-'] = 1, ['G'] = 1};

/* The first anchor at or after c + from, or NULL. */
static const char *next_anchor(const char *c, size_t n, size_t from)
{
	for (size_t i = from; i < n; i++) {
		unsigned char b = (unsigned char)c[i];
		if (!pivot_byte[b])
			continue;
		for (size_t k = 0; k < NANCHORS; k++) {
			const anchor *a = &anchors[k];
			if ((unsigned char)a->s[a->pivot] != b || i < a->pivot ||
			    i - a->pivot + a->len > n)
				continue;
			if (!memcmp(c + i - a->pivot, a->s, a->len))
				return c + i - a->pivot;
		}
	}
	return NULL;
}

static const char *const starts[] = {"-----BEGIN", "AKIA", "ASIA", "ghp_", "gho_", "ghu_",
				     "ghs_", "ghr_", "github_pat_", "glpat-", "xox", "sk_live_",
				     "rk_live_", "AIza", "npm_", "SG.", "://", NULL};

/* Where in a matching line the secret starts and ends, for a masked excerpt. */
static void excerpt_of(const char *line, size_t n, char *out, size_t outlen)
{
	const char *best = NULL;
	size_t skip = 0;
	for (size_t i = 0; starts[i]; i++) {
		const char *p = memmem(line, n, starts[i], strlen(starts[i]));
		if (p && (!best || p < best)) {
			best = p;
			skip = !strcmp(starts[i], "://") ? 3 : 0;
		}
	}
	const char *s = best ? best + skip : line, *e = line + n;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	const char *q = s;
	while (q < e && *q != ' ' && *q != '\t' && *q != '"' && *q != '\'' && *q != ',' &&
	       *q != '\r')
		q++;
	pl_secret_mask(s, (size_t)(q - s), out, outlen);
}

static int line_of(const char *c, const char *p)
{
	int line = 1;
	for (const char *q = c; (q = memchr(q, '\n', (size_t)(p - q))); q++)
		line++;
	return line;
}

/* Configuration files, where a random-looking value assigned to a secret name is worth a
 * look. Libraries' trees (their tests, docs and examples are full of sample keys) and
 * documentation are not read this way: a false positive there is noise users learn to
 * ignore. */
static bool config_like(const char *path)
{
	static const char *const vendor[] = {"/node_modules/", "/site-packages/",
					     "/dist-packages/", "/usr/share/", "/usr/lib/",
					     "/usr/local/lib/", "/vendor/", "/test", "/spec/",
					     "/example", "/doc", "/.cache/", NULL};
	for (size_t i = 0; vendor[i]; i++)
		if (strstr(path, vendor[i]))
			return false;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	static const char *const ext[] = {".conf", ".cfg", ".ini", ".properties", ".yml", ".yaml",
					  ".toml", ".json", ".xml", ".env", NULL};
	for (size_t i = 0; dot && ext[i]; i++)
		if (!strcmp(dot, ext[i]))
			return true;
	return !strncmp(base, ".env", 4);
}

/* Secret-named assignments with a random-looking value (pl_secret_assignment). */
static bool scan_assignments(img_job *job, img_rec *r, const char *c, size_t n)
{
	const char *end = c + n;
	for (const char *ls = c; ls < end;) {
		const char *le = memchr(ls, '\n', (size_t)(end - ls));
		le = le ? le : end;
		size_t voff, vlen;
		const char *kind = (size_t)(le - ls) > 20 && (memchr(ls, '=', (size_t)(le - ls)) ||
							     memchr(ls, ':', (size_t)(le - ls)))
					   ? pl_secret_assignment(ls, (size_t)(le - ls), &voff, &vlen)
					   : NULL;
		if (kind) {
			char ex[64];
			pl_secret_mask(ls + voff, vlen, ex, sizeof ex);
			r->secret = kind;
			r->secret_line = line_of(c, ls);
			r->excerpt = arena_strdup(&job->mem, ex);
			return true;
		}
		ls = le + 1;
	}
	return false;
}

static void scan_text(img_job *job, img_rec *r, const char *c, size_t n)
{
	if (memchr(c, '\0', n < 8192 ? n : 8192))
		return; /* binary */
	const char *end = c + n, *hit;
	size_t from = 0;
	while ((hit = next_anchor(c, n, from))) {
		const char *ls = hit;
		while (ls > c && ls[-1] != '\n')
			ls--;
		const char *le = memchr(hit, '\n', (size_t)(end - hit));
		le = le ? le : end;
		const char *kind = pl_secret_pattern(ls, (size_t)(le - ls));
		if (kind) {
			char ex[64];
			excerpt_of(ls, (size_t)(le - ls), ex, sizeof ex);
			r->secret = kind;
			r->secret_line = line_of(c, ls);
			r->excerpt = arena_strdup(&job->mem, ex);
			return;
		}
		from = (size_t)(le - c) + 1; /* the rest of this line cannot match either */
	}
	if (config_like(r->path))
		scan_assignments(job, r, c, n);
}

/* The files whose whole content the rules read: users for PL201, packages for the SBOM. */
bool img_keep_path(const char *path)
{
	return !strcmp(path, "/etc/passwd") || !strcmp(path, "/etc/group") ||
	       !strcmp(path, "/var/lib/dpkg/status") ||
	       !strncmp(path, "/var/lib/dpkg/status.d/", 23) ||
	       !strcmp(path, "/lib/apk/db/installed") ||
	       !strcmp(path, "/etc/os-release") || !strcmp(path, "/usr/lib/os-release");
}

/* Secret detection on a file; `kept` is its whole content when already read, else NULL and
 * the head is read from the archive. */
static void secrets(img_ctx *x, img_job *job, struct archive *tar, img_rec *r,
		    const char *kept, size_t nkept)
{
	bool by_content = pl_secret_file_needs_content(r->path);
	const char *kind = pl_secret_file_kind(r->path, NULL, 0);
	bool scan = r->size > 0 && r->size <= (int64_t)IMG_SECRET_SCAN;
	if (!by_content && !scan) {
		r->secret = kind;
		return;
	}
	const char *c = kept;
	size_t n = nkept;
	if (!kept) {
		size_t want = r->size > (int64_t)IMG_SECRET_SCAN ? IMG_SECRET_HEAD : (size_t)r->size;
		n = 0;
		while (n < want) {
			la_ssize_t got = archive_read_data(tar, x->scratch + n, want - n);
			if (got <= 0)
				break;
			n += (size_t)got;
		}
		c = (const char *)x->scratch;
	}
	if (by_content && !kind)
		kind = pl_secret_file_kind(r->path, c, n < IMG_SECRET_HEAD ? n : IMG_SECRET_HEAD);
	if (kind) {
		r->secret = kind;
		return;
	}
	if (scan)
		scan_text(job, r, c, n < IMG_SECRET_SCAN ? n : IMG_SECRET_SCAN);
}

/* Read a kept file whole into the layer arena. */
static void keep(img_job *job, struct archive *tar, img_rec *r)
{
	char *buf = arena_alloc(&job->mem, (size_t)r->size + 1);
	size_t n = 0;
	while (n < (size_t)r->size) {
		la_ssize_t got = archive_read_data(tar, buf + n, (size_t)r->size - n);
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	r->content = buf;
	r->content_len = n;
}

/* --- entries ----------------------------------------------------------------------------- */

static img_rec *new_rec(img_job *job)
{
	if (job->nrecs == job->cap) {
		size_t ncap = job->cap ? job->cap * 2 : 256;
		job->recs = xrealloc(job->recs, ncap * sizeof *job->recs);
		job->cap = ncap;
	}
	img_rec *r = &job->recs[job->nrecs++];
	memset(r, 0, sizeof *r);
	return r;
}

static char type_of(struct archive_entry *e)
{
	if (archive_entry_hardlink(e))
		return 'h';
	switch (archive_entry_filetype(e)) {
	case AE_IFREG: return '-';
	case AE_IFDIR: return 'd';
	case AE_IFLNK: return 'l';
	case AE_IFCHR: return 'c';
	case AE_IFBLK: return 'b';
	case AE_IFIFO: return 'p';
	default: return 0;
	}
}

/* One entry; false to stop reading the layer. */
static bool entry(img_ctx *x, img_job *job, struct archive *tar, struct archive_entry *e)
{
	const char *raw = archive_entry_pathname(e);
	char norm[IMG_MAX_PATH];
	if (!raw) {
		img_problem_add(x, job->name, "entry without a usable name; skipped");
		return true;
	}
	if (strlen(raw) >= IMG_MAX_PATH) {
		img_problem_add(x, job->name, "path longer than %d bytes; skipped", IMG_MAX_PATH);
		return true;
	}
	int n = img_normalise(raw, norm, sizeof norm);
	if (n < 0) {
		img_problem_add(x, job->name, "path traversal: \"%.200s\"; skipped", raw);
		return true;
	}
	if (n == 0)
		return true; /* the root directory */
	int64_t size = archive_entry_size(e);
	if (size < 0 || size > x->max_uncompressed) {
		img_problem_add(x, job->name, "\"%.200s\" declares %lld bytes, more than a layer may "
				"hold (%lld); layer not read further", raw, (long long)size,
				(long long)x->max_uncompressed);
		return false;
	}
	char *slash = strrchr(norm, '/');
	const char *base = slash ? slash + 1 : norm;
	const char *dir = slash ? norm : "";
	size_t dirlen = slash ? (size_t)(slash - norm) : 0;
	if (!strncmp(base, ".wh.", 4)) {
		char p[IMG_MAX_PATH + 2];
		img_rec *r;
		if (!strcmp(base, ".wh..wh..opq")) {
			r = new_rec(job);
			r->type = 'o';
			snprintf(p, sizeof p, "/%.*s", (int)dirlen, dir);
		} else if (!strncmp(base, ".wh..wh.", 8)) {
			return true; /* AUFS metadata: ignored */
		} else if (base[4] == '\0') {
			img_problem_add(x, job->name, "invalid whiteout \"%.200s\"; skipped", raw);
			return true;
		} else {
			r = new_rec(job);
			r->type = 'w';
			snprintf(p, sizeof p, "/%.*s%s%s", (int)dirlen, dir, dirlen ? "/" : "", base + 4);
		}
		r->path = arena_strdup(&job->mem, p);
		return true;
	}
	char t = type_of(e);
	if (!t)
		return true; /* sockets and unknown types are not files of the image */
	img_rec *r = new_rec(job);
	char p[IMG_MAX_PATH + 2];
	snprintf(p, sizeof p, "/%s", norm);
	r->path = arena_strdup(&job->mem, p);
	r->type = t;
	r->mode = (uint32_t)archive_entry_mode(e) & 07777;
	r->uid = (uint32_t)archive_entry_uid(e);
	r->gid = (uint32_t)archive_entry_gid(e);
	r->size = t == '-' ? size : 0;
	if (t == 'h') {
		char l[IMG_MAX_PATH];
		if (img_normalise(archive_entry_hardlink(e), l, sizeof l) <= 0) {
			img_problem_add(x, job->name, "path traversal in hardlink \"%.200s\" -> \"%.200s\"; skipped",
					raw, archive_entry_hardlink(e));
			job->nrecs--;
			return true;
		}
		char lp[IMG_MAX_PATH + 2];
		snprintf(lp, sizeof lp, "/%s", l);
		r->link = arena_strdup(&job->mem, lp);
	} else if (t == 'l' && archive_entry_symlink(e)) {
		r->link = arena_strndup(&job->mem, archive_entry_symlink(e),
					strnlen(archive_entry_symlink(e), IMG_MAX_PATH));
	}
	if (archive_entry_xattr_reset(e) > 0) {
		const char *name;
		const void *val;
		size_t vl;
		while (archive_entry_xattr_next(e, &name, &val, &vl) == ARCHIVE_OK)
			if (name && !strcmp(name, "security.capability"))
				r->caps = true;
	}
	if (t == '-' && img_keep_path(r->path) && r->size <= (int64_t)IMG_KEEP_FILE)
		keep(job, tar, r);
	if (t == '-')
		secrets(x, job, tar, r, r->content, r->content_len);
	return true;
}

void img_layer_read(img_ctx *x, img_job *job, img_bytes *in)
{
	pipe_state p = {x, job, in, EVP_MD_CTX_new(), EVP_MD_CTX_new(), NULL, false, false, false,
			false, false};
	if (!p.blob_md || !p.tar_md)
		abort();
	/* two cores or more: read and hash the compressed blob on the other one */
	img_prefetch pf;
	if (x->opts->jobs >= 2 && img_prefetch_start(&pf, in)) {
		in = p.in = &pf.self;
		p.prefetched = true;
	}
	x->prog_layer++;
	EVP_DigestInit_ex(p.blob_md, EVP_sha256(), NULL);
	EVP_DigestInit_ex(p.tar_md, EVP_sha256(), NULL);
	p.raw = archive_read_new();
	archive_read_support_filter_gzip(p.raw);
	archive_read_support_filter_zstd(p.raw);
	archive_read_support_filter_bzip2(p.raw);
	archive_read_support_filter_xz(p.raw);
	archive_read_support_format_raw(p.raw);
	struct archive_entry *e;
	struct archive *tar = NULL;
	if (archive_read_open(p.raw, &p, NULL, raw_cb, NULL) != ARCHIVE_OK ||
	    archive_read_next_header(p.raw, &e) != ARCHIVE_OK) {
		if (!p.in_err && job->blob_bytes == 0)
			img_problem_add(x, job->name, "layer blob is empty");
		else
			img_problem_add(x, job->name, "layer cannot be read: %s",
					archive_error_string(p.raw) ? archive_error_string(p.raw) : "?");
		goto drain_in;
	}
	int fc = archive_filter_code(p.raw, 0);
	job->compression = fc == ARCHIVE_FILTER_GZIP ? "gzip" : fc == ARCHIVE_FILTER_ZSTD ? "zstd"
			   : fc == ARCHIVE_FILTER_BZIP2 ? "bzip2" : fc == ARCHIVE_FILTER_XZ ? "xz" : NULL;
	tar = archive_read_new();
	archive_read_support_format_tar(tar);
	if (archive_read_open(tar, &p, NULL, tar_cb, NULL) != ARCHIVE_OK) {
		img_problem_add(x, job->name, "layer is not a tar archive: %s",
				archive_error_string(tar) ? archive_error_string(tar) : "?");
	} else {
		size_t count = 0;
		int r;
		while ((r = archive_read_next_header(tar, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
			if (++count > IMG_MAX_ENTRIES) {
				img_problem_add(x, job->name, "more than %d entries; the rest not read",
						IMG_MAX_ENTRIES);
				break;
			}
			if (!entry(x, job, tar, e))
				break;
		}
		if (r != ARCHIVE_EOF && r != ARCHIVE_OK && r != ARCHIVE_WARN)
			img_problem_add(x, job->name, "layer tar %s: %s",
					p.bomb ? "stopped" : p.in_err ? "is truncated" : "is corrupt",
					archive_error_string(tar) ? archive_error_string(tar) : "?");
	}
	archive_read_free(tar);
	/* the tar reader stops at its end marker: hash the rest of both streams */
	if (!p.in_err && !p.raw_err && !p.bomb) {
		const void *b;
		char err[256];
		while (next_plain(&p, &b, err, sizeof err) > 0)
			;
		if (p.bomb || p.raw_err)
			img_problem_add(x, job->name, "layer %s: %s", p.bomb ? "stopped" : "is corrupt", err);
	}
drain_in:
	archive_read_free(p.raw);
	if (!p.in_err && !p.bomb && !p.raw_err) {
		const void *b;
		long n;
		while ((n = in->read(in->h, &b)) > 0) {
			if (!p.prefetched)
				EVP_DigestUpdate(p.blob_md, b, (size_t)n);
			job->blob_bytes += n;
			img_progress(x, job);
		}
		if (n < 0)
			p.in_err = true;
	}
	if (p.in_err)
		img_problem_add(x, job->name, "blob is truncated or unreadable: %s",
				in->err[0] ? in->err : "read error");
	job->complete = !p.in_err && !p.raw_err && !p.bomb && p.raw_eof;
	x->prog_done += job->blob_bytes;
	if (p.prefetched)
		img_prefetch_stop(&pf, job->blob_sha);
	else
		finish_md(p.blob_md, job->blob_sha);
	finish_md(p.tar_md, job->tar_sha);
	EVP_MD_CTX_free(p.blob_md);
	EVP_MD_CTX_free(p.tar_md);
}

/* --- layer verdicts and merge order ------------------------------------------------------- */

static const char *media_type_of(const img_job *job)
{
	if (!job->compression)
		return "application/vnd.oci.image.layer.v1.tar";
	if (!strcmp(job->compression, "gzip"))
		return "application/vnd.oci.image.layer.v1.tar+gzip";
	if (!strcmp(job->compression, "zstd"))
		return "application/vnd.oci.image.layer.v1.tar+zstd";
	return job->compression;
}

void img_merge_ready(img_ctx *x)
{
	pl_image *img = x->img;
	while (x->next_merge < x->nwants && x->jobs[x->wants[x->next_merge].job].done) {
		size_t i = x->next_merge++;
		const img_want *w = &x->wants[i];
		img_job *job = &x->jobs[w->job];
		img_layer *l = &img->layers[i];
		l->verified = job->complete;
		l->uncompressed = job->tar_bytes;
		if (!l->media_type && job->blob_bytes > 0)
			l->media_type = media_type_of(job);
		if (job->complete) {
			if (w->digest) {
				l->digest_ok = !strcmp(job->blob_sha, w->digest);
				if (!l->digest_ok)
					img_problem_add(x, job->name,
							"blob does not match its digest: %s, expected %s",
							job->blob_sha, w->digest);
			} else {
				l->digest = arena_strdup(&img->mem, job->blob_sha);
				l->digest_ok = true; /* nothing to compare with (classic docker save) */
			}
			if (w->size >= 0 && w->size != job->blob_bytes) {
				img_problem_add(x, job->name, "blob is %lld bytes, its descriptor says %lld",
						(long long)job->blob_bytes, (long long)w->size);
				l->digest_ok = false;
			}
			if (l->size < 0)
				l->size = job->blob_bytes;
			if (l->diff_id) {
				l->diff_id_ok = !strcmp(job->tar_sha, l->diff_id);
				if (!l->diff_id_ok)
					img_problem_add(x, job->name,
							"layer %zu: uncompressed content %s does not match "
							"diff_id %s", i + 1, job->tar_sha, l->diff_id);
			}
		}
		img_fs_apply(x, job, (int)i);
		if (--job->users == 0) {
			arena_free(&job->mem);
			arena_init(&job->mem);
			free(job->recs);
			job->recs = NULL;
			job->nrecs = job->cap = 0;
		}
	}
}
