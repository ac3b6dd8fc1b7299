/* internal.h - what the image reader's files share: the reading context, the archive
 * source (a directory or a tar read in two passes), per-layer record lists and the merged
 * filesystem tree. Not part of the public interface (image.h). */
#ifndef PL_IMAGE_INTERNAL_H
#define PL_IMAGE_INTERNAL_H

#include "core/xalloc.h"
#include "image/image.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits against hostile archives. */
#define IMG_MAX_JSON        (16u << 20)   /* one JSON document, and all of them together */
#define IMG_MAX_MEMBERS     100000        /* entries of the outer tar */
#define IMG_MAX_LAYERS      512
#define IMG_MAX_ENTRIES     1000000       /* entries of one layer tar */
#define IMG_MAX_PATH        4096
#define IMG_MAX_UNCOMPRESSED (64LL << 30) /* one layer's tar stream (gzip bombs) */
#define IMG_SECRET_SCAN     (256u << 10)  /* text files scanned for credential patterns */
#define IMG_SECRET_HEAD     (64u << 10)   /* bytes given to pl_secret_file_kind */
#define IMG_KEEP_FILE       (16u << 20)   /* one kept file (img_keep_path): larger ones are not kept */
#define IMG_KEEP_TOTAL      (32u << 20)   /* all kept contents of one image together */

/* A file of the outer tar (pass 1): its normalised name and, for small JSON-looking files,
 * its bytes. */
typedef struct img_member {
	const char *name;
	int64_t size;
	const unsigned char *data; /* NULL when not captured */
	size_t len;
} img_member;

/* A pull source of bytes: read() returns a block (0 at the end, -1 on error with err set). */
typedef struct img_bytes {
	long (*read)(void *h, const void **buf);
	void *h;
	char err[256];
} img_bytes;

/* One tar entry of a layer, as the merge needs it. type 'w': whiteout of path; 'o': path
 * is an opaque directory. */
typedef struct img_rec {
	const char *path;
	const char *link;
	int64_t size;
	uint32_t mode, uid, gid;
	char type;
	bool caps;
	const char *secret;        /* static string from secrets.c */
	const char *excerpt;       /* in the layer arena */
	int secret_line;
	const char *content;       /* the bytes of a kept file (img_keep_path), in the layer arena */
	size_t content_len;
} img_rec;

/* One blob read as a layer (several layers may share a blob). */
typedef struct img_job {
	const char *name;          /* source-relative path of the blob */
	arena mem;                 /* record strings; freed once every user layer is merged */
	img_rec *recs;
	size_t nrecs, cap;
	int users;                 /* layers still to merge that use this blob */
	bool done;                 /* read (or given up) */
	bool complete;             /* both streams read to their end */
	char blob_sha[72], tar_sha[72];
	int64_t blob_bytes, tar_bytes;
	const char *compression;   /* "gzip", "zstd", NULL for none */
} img_job;

/* A layer to read: its descriptor (what is expected) and the job that reads it. */
typedef struct img_want {
	const char *name;          /* blob path in the source */
	const char *digest;        /* expected, or NULL when the layout gives none */
	int64_t size;              /* expected, -1 unknown */
	const char *media_type;
	int job;
} img_want;

/* The merged filesystem: a tree of nodes indexed by a hash table on the full path. */
typedef struct fs_node {
	img_file f;
	uint32_t parent, first_child, next_sibling;
	bool implicit;             /* created as the parent of an entry, never listed itself */
} fs_node;

typedef struct img_fs {
	fs_node *nodes;
	size_t n, cap;
	uint32_t *table;           /* node index + 1, 0 empty */
	size_t tcap;
} img_fs;

typedef struct img_ctx {
	pl_image *img;
	const img_opts *opts;
	arena tmp;                 /* members, captured JSON: freed at the end of open */
	int64_t max_uncompressed;
	/* source */
	bool is_dir;
	const char *root;
	/* a registry reference instead of a path (registry.c): index.json is the manifest the
	 * tag names (or one made around it), blobs come over HTTP */
	struct img_registry *reg;
	const unsigned char *reg_index, *reg_manifest;
	size_t reg_index_len, reg_manifest_len;
	const char *reg_manifest_name; /* "blobs/sha256/<hex>" of reg_manifest */
	img_member *members;
	size_t nmembers;
	size_t captured;
	/* what to read */
	img_want *wants;
	size_t nwants;
	img_job *jobs;
	size_t njobs;
	size_t next_merge;         /* first layer not merged yet */
	const char *config_name;   /* config blob path */
	const char *config_digest; /* expected */
	int64_t config_size;
	const char *desc_platform; /* platform of the chosen index entry, if any */
	const char **diff_ids;
	size_t ndiff_ids;
	size_t kept_bytes;         /* contents kept on the image so far (IMG_KEEP_TOTAL) */
	/* scratch for file content (secret detection) */
	unsigned char *scratch;
	img_fs fs;
	/* progress bar (opts->progress): blob bytes in all, read by finished jobs, jobs begun */
	int64_t prog_total, prog_done;
	size_t prog_layer;
	double prog_start, prog_last; /* monotonic seconds; prog_last: last drawn, 0 never */
} img_ctx;

/* image.c */
void img_problem_add(img_ctx *x, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Normalise a path inside an archive or layer: strips "./" and "/", resolves "." and
 * "..". Returns the length written to out (no leading slash, "" for the root), or -1 when
 * ".." escapes the root or the result is longer than outlen - 1. */
int img_normalise(const char *in, char *out, size_t outlen);
/* sha256 of bytes as "sha256:<hex>" in out[72]. */
void img_sha256(const void *data, size_t n, char out[72]);
/* Check data against a descriptor (digest may be NULL, size -1); records problems. */
bool img_verify(img_ctx *x, const char *where, const char *digest, int64_t size,
		const void *data, size_t n);
/* "blobs/sha256/<hex>" for a valid digest, in the tmp arena, or NULL (problem recorded). */
const char *img_blob_path(img_ctx *x, const char *digest, const char *where);
/* The progress bar: redrawn at most 10 times a second, from 1 s after the start, when
 * opts->progress; `job` is being read (its blob_bytes so far count). */
void img_progress(img_ctx *x, const img_job *job);

/* layer.c: whether the content of this file is kept on the image (users, packages) */
bool img_keep_path(const char *path);

/* source.c */
int img_src_open(img_ctx *x, char *err, size_t errlen);
bool img_src_has(img_ctx *x, const char *name);
/* The bytes of a small file (JSON), in the tmp arena: 0, -1 absent, -2 too large or
 * unreadable (problem recorded). */
int img_src_small(img_ctx *x, const char *name, const unsigned char **data, size_t *len);
/* Read every wanted layer blob, merging layers in order as they complete. */
void img_src_read_layers(img_ctx *x);

/* layout.c: pick the image (manifest.json or index.json), fill wants and config. */
int img_layout(img_ctx *x, char *err, size_t errlen);
/* The host's platform, "linux/amd64". */
void img_host_platform(char *out, size_t n);

/* config.c */
int img_config(img_ctx *x, const unsigned char *data, size_t len, char *err, size_t errlen);
void img_container_prepare(img_ctx *x);

/* layer.c: stream one blob through sha256, decompression, sha256 and the tar reader. */
void img_layer_read(img_ctx *x, img_job *job, img_bytes *in);

/* prefetch.c: a blob read and hashed (its descriptor digest) on another thread, handed to
 * the layer reader through `self`. */
#define PF_SLOTS 4
#define PF_SLOT  (1u << 20) /* a source's largest read block (the outer tar's, 1 MiB) */
typedef struct img_prefetch {
	img_bytes self;            /* what the layer reader reads from */
	img_bytes *in;             /* the real source, read by the producer only */
	struct evp_md_ctx_st *md;  /* the blob's sha256, on the producer's side */
	unsigned char *buf, *slot[PF_SLOTS];
	long len[PF_SLOTS];        /* bytes in each slot; 0 the end, -1 an error */
	int head, count;           /* ring: first filled slot, filled slots */
	bool holding;              /* the reader holds slot `head` */
	bool finished, cancel;
	long final;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
} img_prefetch;
bool img_prefetch_start(img_prefetch *pf, img_bytes *in);
/* Stop (the producer may be ahead of an early-stopping reader) and give the blob digest. */
void img_prefetch_stop(img_prefetch *pf, char blob_sha[72]);

/* fs.c */
void img_fs_init(img_fs *fs);
void img_fs_free(img_fs *fs);
void img_fs_apply(img_ctx *x, const img_job *job, int layer);
void img_fs_finish(img_ctx *x);
/* Merge every layer whose blob (and every lower layer's) is done. */
void img_merge_ready(img_ctx *x);

#endif
