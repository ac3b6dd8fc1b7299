/* image.h - a built image, read without a daemon: its config, history, layers and the
 * merged filesystem, verified against its digests.
 *
 * Inputs: `docker save` archives in the three layouts Docker writes (classic
 * `<id>/layer.tar` + manifest.json; Docker 25+ OCI-compatible with index.json and
 * blobs/sha256; the containerd-store form with compressed blobs and a multi-platform index
 * whose other platforms' blobs are absent), and OCI image layouts (a directory or a tar).
 * Layers (tar, tar+gzip, tar+zstd) are streamed with libarchive: the image is never held in
 * memory or unpacked on disk. Every blob's sha256 is checked against its descriptor and
 * every layer's uncompressed sha256 against the config's diff_ids; mismatches are recorded,
 * not trusted. */
#ifndef PL_IMAGE_H
#define PL_IMAGE_H

#include "core/arena.h"
#include "model/container.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One path in the merged filesystem (after whiteouts and opaque directories). */
typedef struct img_file {
	const char *path;        /* absolute, normalised: "/etc/passwd" */
	char type;               /* '-' file, 'd' dir, 'l' symlink, 'h' hardlink, 'c' 'b' 'p' */
	uint32_t mode;           /* permission bits incl. setuid/setgid/sticky */
	uint32_t uid, gid;
	int64_t size;
	const char *link;        /* symlink or hardlink target */
	bool has_file_caps;      /* security.capability xattr (file capabilities) */
	int layer;               /* index of the layer that last wrote it */
	bool deleted;            /* removed by a later layer (whiteout or opaque dir) */
	int deleted_in;          /* that layer, or -1 */
	const char *secret;      /* kind of secret the content or name shows, or NULL */
	const char *secret_excerpt; /* masked excerpt of the matched secret, or NULL */
	int secret_line;         /* line of the match in the file, 0 when by name */
	const char *content;     /* the bytes of the files the rules read whole (/etc/passwd,
				    /etc/group, the dpkg and apk databases), NUL-terminated;
				    NULL for every other file or when over the size budget */
	size_t content_len;
	int secret_layer;        /* layer whose content held the secret: lower than `layer`
				    when a later layer overwrote the file (the secret stays in
				    the lower blob); -1 when no secret */
} img_file;

typedef struct img_layer {
	const char *digest;      /* descriptor digest (compressed blob), "sha256:..." */
	const char *diff_id;     /* config rootfs.diff_ids[i] */
	const char *media_type;
	int64_t size;            /* compressed size */
	int64_t uncompressed;    /* bytes of the tar stream */
	int64_t added_bytes;     /* file bytes this layer added or changed */
	int64_t wasted_bytes;    /* file bytes a later layer overwrote or removed (dive) */
	const char *created_by;  /* the history entry that made it */
	bool digest_ok, diff_id_ok; /* verified */
	bool verified;           /* false when the blob could not be read (absent platform) */
} img_layer;

typedef struct img_history {
	const char *created_by;
	bool empty_layer;
	int layer;               /* layer index, -1 for empty_layer entries */
} img_history;

typedef struct img_problem {
	const char *where;       /* "blobs/sha256/ab12...", "manifest.json", a layer path */
	const char *msg;
} img_problem;

typedef struct pl_image {
	arena mem;
	const char *path;         /* what was opened */
	const char *layout;       /* "docker-save", "docker-save-oci", "oci-layout" */
	const char *ref;          /* RepoTags[0] / org.opencontainers.image.ref.name, or NULL */
	const char *platform;     /* "linux/amd64" */
	const char *config_digest;
	bool config_ok;           /* config blob matches its digest */
	/* config */
	const char *user;         /* Config.User ("" when unset) */
	const char **env;         /* "K=V" */
	size_t nenv;
	const char **entrypoint, **cmd;
	size_t nentrypoint, ncmd;
	bool has_healthcheck;
	const char **healthcheck_test;
	size_t nhealthcheck_test;
	double hc_interval, hc_timeout, hc_start_period; /* seconds, -1 unset */
	int hc_retries;                                   /* -1 unset */
	const char **exposed_ports;
	size_t nexposed;
	const char **labels_k, **labels_v;
	size_t nlabels;
	img_history *history;
	size_t nhistory;
	/* layers and files */
	img_layer *layers;
	size_t nlayers;
	img_file *files;          /* the merged view, sorted by path; deleted entries kept */
	size_t nfiles;
	int64_t total_bytes;      /* uncompressed bytes of all layers' files */
	img_problem *problems;    /* integrity failures and unreadable parts */
	size_t nproblems;
	size_t problems_cap;
	const char **platforms;   /* platforms the index lists whose blobs are present */
	size_t nplatforms;
	size_t absent_manifests;  /* index entries skipped because their blobs are absent */
	/* the container model's arrays, prepared by pl_image_open for pl_image_container */
	pl_env *c_env;
	size_t c_nenv;
	pl_port *c_ports;
	size_t c_nports;
	const char *c_target;
	const char *c_health_what;
} pl_image;

typedef struct img_opts {
	const char *platform;     /* "linux/arm64" for a multi-platform index; NULL: the host's,
				     or the only one present */
	int jobs;                 /* layers read in parallel (1 = one core) */
	bool progress;            /* progress bar on stderr (the caller checks isatty) */
	int64_t max_layer_bytes;  /* cap on one layer's uncompressed stream (gzip bombs);
				     0: 64 GiB */
} img_opts;

/* Open and fully read (verify, merge) an image. Returns 0, or -1 when it cannot be read
 * at all (err set, without the path: callers say which image). Integrity failures are
 * problems, not errors. */
int pl_image_open(pl_image *img, const char *path, const img_opts *opts, char *err,
		  size_t errlen);
void pl_image_free(pl_image *img);

/* The merged file at path (not deleted), or NULL. */
const img_file *pl_image_file(const pl_image *img, const char *path);

/* Fill the container model from the config (user, env, health check, ports, labels), so
 * the shared container rules apply to the image unchanged. */
void pl_image_container(const pl_image *img, pl_container *c);

#endif
