/* layout.c - which image an archive or layout holds, and where its config and layers are.
 *
 * index.json (OCI layouts, Docker 25+ and containerd-store docker save) is followed down
 * nested indexes to one manifest per platform; entries whose blobs are absent (other
 * platforms in a containerd-store save) and attestation manifests are skipped. The platform
 * is opts->platform, else the host's, else the only one present. manifest.json (every
 * docker save) is the fallback, and the source of RepoTags. Every manifest and index blob
 * is checked against its descriptor. */
#include "image/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#define MAX_CANDIDATES 256

void img_host_platform(char *out, size_t n)
{
	struct utsname u;
	const char *arch = "amd64", *variant = NULL;
	if (uname(&u) == 0) {
		const char *m = u.machine;
		if (!strcmp(m, "x86_64") || !strcmp(m, "amd64"))
			arch = "amd64";
		else if (!strcmp(m, "aarch64") || !strcmp(m, "arm64"))
			arch = "arm64";
		else if (!strncmp(m, "armv7", 5))
			arch = "arm", variant = "v7";
		else if (!strncmp(m, "armv6", 5))
			arch = "arm", variant = "v6";
		else if (!strcmp(m, "i386") || !strcmp(m, "i686"))
			arch = "386";
		else
			arch = m; /* ppc64le, s390x, riscv64, mips64 are spelt alike */
	}
	snprintf(out, n, "linux/%s%s%s", arch, variant ? "/" : "", variant ? variant : "");
}

/* Does "os/arch[/variant]" (have) satisfy the request (want)? A request without a variant
 * takes any variant. */
static bool platform_match(const char *have, const char *want)
{
	size_t wl = strlen(want);
	if (!strncmp(have, want, wl) && (have[wl] == '\0' || have[wl] == '/'))
		return true;
	return false;
}

static const char *platform_of(img_ctx *x, json_t *p)
{
	const char *os = json_string_value(json_object_get(p, "os"));
	const char *arch = json_string_value(json_object_get(p, "architecture"));
	const char *var = json_string_value(json_object_get(p, "variant"));
	if (!os || !arch)
		return NULL;
	char b[256];
	snprintf(b, sizeof b, "%s/%s%s%s", os, arch, var ? "/" : "", var ? var : "");
	return arena_strdup(&x->tmp, b);
}

/* Read, verify and parse a JSON blob. NULL when absent (absent set) or bad (problem). */
static json_t *load(img_ctx *x, const char *name, const char *digest, int64_t size,
		    bool *absent, bool *ok)
{
	const unsigned char *d;
	size_t n;
	int r = img_src_small(x, name, &d, &n);
	if (absent)
		*absent = r == -1;
	if (r != 0)
		return NULL;
	bool v = img_verify(x, name, digest, size, d, n);
	if (ok)
		*ok = v;
	json_error_t je;
	json_t *j = json_loadb((const char *)d, n, 0, &je);
	if (!j)
		img_problem_add(x, name, "not valid JSON: %s (line %d)", je.text, je.line);
	return j;
}

static bool is_index_type(const char *mt)
{
	return mt && (!strcmp(mt, "application/vnd.oci.image.index.v1+json") ||
		      !strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json"));
}

static bool is_manifest_type(const char *mt)
{
	return !mt || !strcmp(mt, "application/vnd.oci.image.manifest.v1+json") ||
	       !strcmp(mt, "application/vnd.docker.distribution.manifest.v2+json");
}

typedef struct cand {
	json_t *desc;            /* borrowed from a document kept in docs */
	const char *platform;    /* NULL when the descriptor gives none */
	const char *ref;
	const char *name;        /* blob path */
} cand;

typedef struct walk {
	cand c[MAX_CANDIDATES];
	size_t n;
	json_t *docs[64];
	size_t ndocs;
} walk;

static const char *ref_of(json_t *desc)
{
	json_t *ann = json_object_get(desc, "annotations");
	const char *r = json_string_value(json_object_get(ann, "io.containerd.image.name"));
	return r ? r : json_string_value(json_object_get(ann, "org.opencontainers.image.ref.name"));
}

static void collect(img_ctx *x, walk *w, json_t *index, const char *where, const char *ref,
		    int depth)
{
	json_t *ms = json_object_get(index, "manifests");
	if (!json_is_array(ms)) {
		img_problem_add(x, where, "has no \"manifests\" array");
		return;
	}
	size_t i;
	json_t *d;
	json_array_foreach(ms, i, d) {
		const char *mt = json_string_value(json_object_get(d, "mediaType"));
		const char *digest = json_string_value(json_object_get(d, "digest"));
		json_t *ann = json_object_get(d, "annotations");
		const char *rt = json_string_value(json_object_get(ann, "vnd.docker.reference.type"));
		const char *pf = platform_of(x, json_object_get(d, "platform"));
		if ((rt && !strcmp(rt, "attestation-manifest")) ||
		    (pf && !strncmp(pf, "unknown/", 8)))
			continue;
		const char *name = img_blob_path(x, digest, where);
		if (!name)
			continue;
		const char *r = ref_of(d) ? ref_of(d) : ref;
		if (is_index_type(mt)) {
			bool absent = false;
			if (depth >= 4 || w->ndocs >= sizeof w->docs / sizeof *w->docs) {
				img_problem_add(x, name, "indexes nested too deeply");
				continue;
			}
			json_int_t sz = json_integer_value(json_object_get(d, "size"));
			json_t *sub = load(x, name, digest, json_is_integer(json_object_get(d, "size")) ? sz : -1,
					   &absent, NULL);
			if (!sub) {
				if (absent)
					x->img->absent_manifests++;
				continue;
			}
			w->docs[w->ndocs++] = sub;
			collect(x, w, sub, name, r, depth + 1);
		} else if (is_manifest_type(mt) && w->n < MAX_CANDIDATES) {
			if (!img_src_has(x, name)) {
				x->img->absent_manifests++;
				continue;
			}
			w->c[w->n++] = (cand){d, pf, r, name};
		}
	}
}

static int64_t size_of(json_t *desc)
{
	json_t *s = json_object_get(desc, "size");
	return json_is_integer(s) && json_integer_value(s) >= 0 ? (int64_t)json_integer_value(s) : -1;
}

static const cand *choose(img_ctx *x, walk *w, char *err, size_t errlen)
{
	pl_image *img = x->img;
	img->platforms = arena_alloc(&img->mem, (w->n + 1) * sizeof *img->platforms);
	for (size_t i = 0; i < w->n; i++)
		if (w->c[i].platform)
			img->platforms[img->nplatforms++] = arena_strdup(&img->mem, w->c[i].platform);
	if (w->n == 1 && !x->opts->platform)
		return &w->c[0];
	char host[64];
	img_host_platform(host, sizeof host);
	const char *want = x->opts->platform ? x->opts->platform : host;
	for (size_t i = 0; i < w->n; i++)
		if (w->c[i].platform && platform_match(w->c[i].platform, want))
			return &w->c[i];
	if (!x->opts->platform && !strcmp(host, "linux/arm/v7")) /* v7 hosts run arm without a variant */
		for (size_t i = 0; i < w->n; i++)
			if (w->c[i].platform && platform_match(w->c[i].platform, "linux/arm"))
				return &w->c[i];
	if (w->n == 1 && x->opts->platform && !w->c[0].platform)
		return &w->c[0]; /* the config says which platform: checked after it is read */
	char list[512] = "";
	for (size_t i = 0; i < w->n; i++) {
		size_t l = strlen(list);
		snprintf(list + l, sizeof list - l, "%s%s", l ? ", " : "",
			 w->c[i].platform ? w->c[i].platform : "unknown");
	}
	if (w->n == 0)
		snprintf(err, errlen, "the index lists no image whose blobs are present");
	else
		snprintf(err, errlen, "no image for %s (present: %s); choose one with --platform",
			 want, list);
	return NULL;
}

static int from_index(img_ctx *x, char *err, size_t errlen)
{
	walk w;
	memset(&w, 0, sizeof w);
	int rc = -1;
	json_t *index = load(x, "index.json", NULL, -1, NULL, NULL);
	if (!index) {
		/* say why: the reader recorded it as a problem of index.json */
		const char *why = "cannot be read";
		for (size_t i = 0; i < x->img->nproblems; i++)
			if (!strcmp(x->img->problems[i].where, "index.json"))
				why = x->img->problems[i].msg;
		snprintf(err, errlen, "index.json: %s", why);
		return -1;
	}
	collect(x, &w, index, "index.json", NULL, 0);
	const cand *c = choose(x, &w, err, errlen);
	json_t *m = NULL;
	if (!c)
		goto out;
	const char *digest = json_string_value(json_object_get(c->desc, "digest"));
	m = load(x, c->name, digest, size_of(c->desc), NULL, NULL);
	json_t *cfg = json_object_get(m, "config");
	json_t *layers = json_object_get(m, "layers");
	if (!m || !json_is_object(cfg) || !json_is_array(layers) || json_array_size(layers) == 0) {
		snprintf(err, errlen, "manifest %s has no config or no layers",
			 c->name);
		goto out;
	}
	x->config_digest = arena_strdup(&x->tmp, json_string_value(json_object_get(cfg, "digest")) ?
						     json_string_value(json_object_get(cfg, "digest")) : "");
	x->config_name = img_blob_path(x, x->config_digest, c->name);
	x->config_size = size_of(cfg);
	if (!x->config_name) {
		snprintf(err, errlen, "manifest %s: bad config descriptor", c->name);
		goto out;
	}
	size_t n = json_array_size(layers);
	if (n > IMG_MAX_LAYERS) {
		snprintf(err, errlen, "%zu layers (at most %d are read)", n,
			 IMG_MAX_LAYERS);
		goto out;
	}
	x->wants = arena_alloc(&x->tmp, n * sizeof *x->wants);
	for (size_t i = 0; i < n; i++) {
		json_t *l = json_array_get(layers, i);
		const char *d = json_string_value(json_object_get(l, "digest"));
		const char *name = img_blob_path(x, d, c->name);
		if (!name) {
			snprintf(err, errlen, "manifest %s: layer %zu has a bad digest",
				 c->name, i);
			goto out;
		}
		const char *mt = json_string_value(json_object_get(l, "mediaType"));
		x->wants[i] = (img_want){name, arena_strdup(&x->tmp, d), size_of(l),
					 mt ? arena_strdup(&x->img->mem, mt) : NULL, -1};
	}
	x->nwants = n;
	if (c->platform)
		x->desc_platform = c->platform;
	if (c->ref)
		x->img->ref = arena_strdup(&x->img->mem, c->ref);
	rc = 0;
out:
	json_decref(m);
	for (size_t i = 0; i < w.ndocs; i++)
		json_decref(w.docs[i]);
	json_decref(index);
	return rc;
}

/* "blobs/sha256/<hex>" or "<hex>.json" names the sha256 of the content. */
static const char *digest_from_name(img_ctx *x, const char *name)
{
	const char *b = strrchr(name, '/');
	b = b ? b + 1 : name;
	size_t n = strspn(b, "0123456789abcdef");
	if (n != 64 || (b[64] && strcmp(b + 64, ".json")))
		return NULL;
	if (b != name && !(b - name == 13 && !strncmp(name, "blobs/sha256/", 13)))
		return NULL;
	char d[80];
	snprintf(d, sizeof d, "sha256:%.64s", b);
	return arena_strdup(&x->tmp, d);
}

static const char *norm_name(img_ctx *x, const char *s)
{
	char b[IMG_MAX_PATH];
	if (!s || img_normalise(s, b, sizeof b) <= 0)
		return NULL;
	return arena_strdup(&x->tmp, b);
}

/* manifest.json: the first image of the archive. With only_ref, just take RepoTags. */
static int from_manifest_json(img_ctx *x, bool only_ref, char *err, size_t errlen)
{
	json_t *arr = load(x, "manifest.json", NULL, -1, NULL, NULL);
	json_t *e = json_array_get(arr, 0);
	int rc = -1;
	if (!json_is_object(e)) {
		snprintf(err, errlen, "manifest.json lists no image");
		goto out;
	}
	const char *tag = json_string_value(json_array_get(json_object_get(e, "RepoTags"), 0));
	const char *cfg = norm_name(x, json_string_value(json_object_get(e, "Config")));
	if (only_ref) {
		if (tag && !x->img->ref)
			x->img->ref = arena_strdup(&x->img->mem, tag);
		if (cfg && x->config_name && strcmp(cfg, x->config_name))
			img_problem_add(x, "manifest.json",
					"names config %s, index.json's image has %s", cfg,
					x->config_name);
		rc = 0;
		goto out;
	}
	json_t *layers = json_object_get(e, "Layers");
	if (json_is_array(layers) && json_array_size(layers) > IMG_MAX_LAYERS) {
		snprintf(err, errlen, "manifest.json: %zu layers, more than %d",
			 json_array_size(layers), IMG_MAX_LAYERS);
		goto out;
	}
	if (!cfg || !json_is_array(layers)) {
		snprintf(err, errlen, "manifest.json: no Config string or no Layers list");
		goto out;
	}
	if (tag)
		x->img->ref = arena_strdup(&x->img->mem, tag);
	x->config_name = cfg;
	x->config_digest = digest_from_name(x, cfg);
	size_t n = json_array_size(layers);
	x->wants = arena_alloc(&x->tmp, (n ? n : 1) * sizeof *x->wants);
	for (size_t i = 0; i < n; i++) {
		const char *name = norm_name(x, json_string_value(json_array_get(layers, i)));
		if (!name) {
			snprintf(err, errlen, "manifest.json: layer %zu has a bad path", i);
			goto out;
		}
		x->wants[i] = (img_want){name, digest_from_name(x, name), -1, NULL, -1};
	}
	x->nwants = n;
	rc = 0;
out:
	json_decref(arr);
	return rc;
}

int img_layout(img_ctx *x, char *err, size_t errlen)
{
	bool man = img_src_has(x, "manifest.json"), idx = img_src_has(x, "index.json");
	if (!man && !idx) {
		snprintf(err, errlen, "neither manifest.json nor index.json: not an image archive or "
			 "OCI layout");
		return -1;
	}
	if (idx) {
		char ierr[512];
		if (from_index(x, ierr, sizeof ierr) == 0) {
			x->img->layout = man ? "docker-save-oci" : "oci-layout";
			if (man)
				from_manifest_json(x, true, ierr, sizeof ierr);
			return 0;
		}
		if (!man || x->opts->platform) {
			snprintf(err, errlen, "%s", ierr);
			return -1;
		}
		img_problem_add(x, "index.json", "%s; read manifest.json instead", ierr);
		x->nwants = 0;
		x->config_name = x->config_digest = NULL;
		x->config_size = -1;
	}
	x->img->layout = idx ? "docker-save-oci" : "docker-save";
	return from_manifest_json(x, false, err, errlen);
}
