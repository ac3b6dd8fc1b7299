/* registry.h - a read-only client of the Registry v2 HTTP API (the OCI distribution spec),
 * enough to read one image: manifests by tag or digest, small blobs whole, layer blobs as
 * a stream. Auth: anonymous, Basic, and Bearer tokens (the WWW-Authenticate challenge),
 * with credentials from ~/.docker/config.json ($DOCKER_CONFIG). Internal to src/image. */
#ifndef PL_IMAGE_REGISTRY_H
#define PL_IMAGE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

typedef struct img_registry img_registry;
typedef struct img_reg_stream img_reg_stream;

/* Whether s reads as a registry reference rather than a path: its first component names a
 * host ("localhost", or with a '.' or a ':port'), followed by a repository, as in
 * "registry.local:5000/team/app:1.2" or "127.0.0.1:5000/app@sha256:...". */
bool img_ref_is_registry(const char *s);

/* Parse ref and prepare a client (no traffic yet). NULL with err on a bad reference. */
img_registry *img_reg_open(const char *ref, char *err, size_t errlen);
void img_reg_free(img_registry *r);
/* The tag or digest the reference names ("latest" when it names none). */
const char *img_reg_reference(const img_registry *r);

/* GET a manifest or index (by tag or digest), at most max bytes, malloc'd in *body; its
 * media type in mt. Returns 0, or -1 with err ("HTTP 404 ...", "unauthorized ..."). */
int img_reg_manifest(img_registry *r, const char *reference, size_t max, unsigned char **body,
		     size_t *n, char *mt, size_t mtlen, char *err, size_t errlen);
/* GET a blob whole, at most max bytes (configs). Returns 0, 1 when the registry does not
 * know it as a blob (404), or -1 with err. */
int img_reg_blob(img_registry *r, const char *digest, size_t max, unsigned char **body,
		 size_t *n, char *err, size_t errlen);

/* A blob as a stream for the layer reader: img_reg_read has img_bytes' read signature
 * (bytes in *out, 0 at the end, -1 on error with img_reg_stream_error). */
img_reg_stream *img_reg_blob_open(img_registry *r, const char *digest);
long img_reg_read(void *stream, const void **out);
const char *img_reg_stream_error(const img_reg_stream *s);
void img_reg_stream_close(img_reg_stream *s);

#endif
