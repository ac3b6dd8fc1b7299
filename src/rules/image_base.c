/* image_base.c - catalog section 1, the rules about base images and what FROM/ADD fetch:
 * PL101 image-tag-latest, PL102 image-not-pinned-by-digest, PL103 base-image-not-minimal,
 * PL104 untrusted-registry, PL107 add-instead-of-copy, PL108 add-url-without-checksum. */
#include "image/image.h"
#include "image/packages.h"
#include "model/container.h"
#include "model/imageref.h"
#include "rules/util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The image a stage's FROM names, or NULL when it names an earlier stage, scratch, or a
 * variable that is not set (nothing can be judged then). */
static const char *from_image(const df_stage *st, pl_imageref *ref)
{
	if (st->implicit || !st->base || st->base_stage >= 0 || st->base_unresolved)
		return NULL;
	if (!strcasecmp(st->base, "scratch"))
		return NULL;
	if (!pl_imageref_parse(st->base, ref))
		return NULL;
	return st->base;
}

static void check_tag_latest(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		pl_imageref ref;
		const char *img = from_image(st, &ref);
		if (!img || ref.digest[0])
			continue; /* a digest pins the image whatever the tag says */
		if (!ref.tag[0])
			pl_emit(s, st->base_word, "DL3006 CKV_DOCKER_7 AVD-DS-0001",
				"pin a release tag, e.g. FROM " "<image>:<version>",
				"FROM %s has no tag, so it means whatever ':latest' is at build time",
				img);
		else if (!strcmp(ref.tag, "latest"))
			pl_emit(s, st->base_word, "DL3007 CKV_DOCKER_7 AVD-DS-0001", NULL,
				"FROM %s uses the 'latest' tag: builds are not reproducible", img);
	}
}

static void container_tag(pl_scan *s, const pl_container *c);
static void container_digest(pl_scan *s, const pl_container *c);
static void container_registry(pl_scan *s, const pl_container *c);
static bool trusted(const pl_config *c, const char *registry);

const pl_rule rule_PL101 = {
	.code = "PL101", .slug = "image-tag-latest", .severity = SEV_HIGH,
	.inputs = IN_D | IN_C | IN_K | IN_L,
	.aka = "DL3006 DL3007 CKV_DOCKER_7 AVD-DS-0001 DKL-DI-0006 latest-tag",
	.summary = "An image reference has no tag or the tag 'latest'.",
	.why = "'latest' moves: the same Dockerfile or manifest builds or runs a different image "
	       "tomorrow, rollbacks do not roll back, and nobody can tell which version is live.",
	.fix = "Name a release tag (node:20.11-bookworm-slim), or better a digest.",
	.check_dockerfile = check_tag_latest,
	.check_container = container_tag,
};

static void check_digest(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		pl_imageref ref;
		const char *img = from_image(st, &ref);
		if (img && !ref.digest[0])
			pl_emit(s, st->base_word, NULL, NULL,
				"FROM %s is not pinned by digest: the tag can be moved to other content",
				img);
	}
}

const pl_rule rule_PL102 = {
	.code = "PL102", .slug = "image-not-pinned-by-digest", .severity = SEV_MEDIUM,
	.inputs = IN_D | IN_C | IN_K | IN_L,
	.aka = "",
	.summary = "An image reference has no @sha256: digest.",
	.why = "A tag is a pointer that its owner (or an attacker who gets their credentials) can "
	       "move. A digest names exact content, so a build or deployment gets what was tested.",
	.fix = "Append the digest: FROM node:20.11-bookworm-slim@sha256:<digest> (docker buildx "
	       "imagetools inspect prints it); let Renovate or Dependabot keep it current.",
	.fix_k8s = "image: name:tag@sha256:<digest> (docker buildx imagetools inspect name:tag "
	           "prints it); let Renovate or Dependabot keep it current.",
	.fix_compose = "image: name:tag@sha256:<digest> (docker buildx imagetools inspect name:tag "
	               "prints it); let Renovate or Dependabot keep it current.",
	.fix_live = "Run it by digest: docker run IMAGE@sha256:<digest> (docker image inspect "
		    "--format '{{index .RepoDigests 0}}' IMAGE prints it), or by image id.",
	.check_dockerfile = check_digest,
	.check_container = container_digest,
};

/* General-purpose images: full distributions, and language images built on them. */
static bool is_full_image(const pl_imageref *r)
{
	static const char *const distros[] = {
		"library/ubuntu", "library/debian", "library/centos", "library/fedora",
		"library/rockylinux", "library/almalinux", "library/amazonlinux",
		"library/oraclelinux", "library/opensuse", "opensuse/leap", "opensuse/tumbleweed",
		"library/archlinux", "library/buildpack-deps", "redhat/ubi8", "redhat/ubi9",
		"library/node", "library/python", "library/ruby", "library/golang",
		"library/openjdk", "library/php", "library/perl", "library/rust", "library/gcc",
		"library/maven", "library/gradle", "library/eclipse-temurin", NULL,
	};
	bool known = false;
	for (size_t i = 0; distros[i]; i++)
		if (!strcmp(r->repo, distros[i]))
			known = true;
	if (!known)
		return false;
	static const char *const small[] = {"slim", "alpine", "minimal", "distroless", "micro",
					    "busybox", NULL};
	for (size_t i = 0; small[i]; i++)
		if (strcasestr(r->tag, small[i]))
			return false;
	return true;
}

static void check_minimal(pl_scan *s, const df_build *b)
{
	const df_stage *st = pl_final_stage(b);
	while (st && st->base_stage >= 0)
		st = &b->stages[st->base_stage];
	pl_imageref ref;
	if (!st || !from_image(st, &ref) || !is_full_image(&ref))
		return;
	pl_emit(s, st->base_word, NULL, NULL,
		"the final image is built on %s, a general-purpose image: it ships a package "
		"manager, a shell and hundreds of packages the application does not use",
		st->base);
}

static bool has_file(const pl_image *img, const char *path)
{
	const img_file *f = pl_image_file(img, path);
	return f && f->type != 'd';
}

/* For a built image the FROM line is gone; what it was shows in the filesystem: a
 * general-purpose distribution (os-release) that still has its package manager. Debian's
 * slim variant is marked by the dpkg excludes debuerreotype writes
 * (/etc/dpkg/dpkg.cfg.d/docker); distroless and chiseled images have no dpkg at all; the
 * minimal RHEL-family images have microdnf instead of dnf or yum. */
static void image_minimal(pl_scan *s, const pl_image *img)
{
	pl_pkgs p;
	pl_pkgs_init(&p);
	pl_image_distro(img, &p);
	const char *id = p.distro_id;
	static const char *const rpm_family[] = {"centos", "fedora", "rocky", "almalinux", "amzn",
						 "ol", "rhel", "opensuse-leap", "opensuse-tumbleweed",
						 "sles", "arch", NULL};
	const char *why = NULL;
	if (id && !strcmp(id, "debian") && has_file(img, "/usr/bin/dpkg") &&
	    !has_file(img, "/etc/dpkg/dpkg.cfg.d/docker"))
		why = "the full Debian base, not -slim";
	else if (id && !strcmp(id, "ubuntu") && has_file(img, "/usr/bin/dpkg"))
		why = "Ubuntu, which has no slim variant";
	for (size_t i = 0; id && !why && rpm_family[i]; i++)
		if (!strcmp(id, rpm_family[i]) &&
		    (has_file(img, "/usr/bin/dnf") || has_file(img, "/usr/bin/yum") ||
		     has_file(img, "/usr/bin/zypper") || has_file(img, "/usr/bin/pacman")))
			why = "a full distribution image with its package manager, not a minimal one";
	if (why)
		pl_emit(s, NULL, NULL, NULL,
			"the image is built on %s (%s): it ships a package manager, a shell and "
			"packages the application does not use",
			p.distro_name ? p.distro_name : id, why);
	pl_pkgs_free(&p);
}

const pl_rule rule_PL103 = {
	.code = "PL103", .slug = "base-image-not-minimal", .severity = SEV_LOW,
	.inputs = IN_D | IN_I,
	.aka = "",
	.summary = "The final stage's base is a general-purpose distribution image. In a built "
		   "image: a general-purpose distribution (os-release) that keeps its package "
		   "manager, without Debian's slim marker or a minimal variant's microdnf.",
	.why = "Every package in the image is attack surface and CVE noise, and weight to pull on "
	       "every deploy. Production images need the application and its runtime only.",
	.fix = "Use a -slim or alpine variant, a distroless or chainguard image, or scratch for "
	       "static binaries; build in an earlier stage.",
	.check_dockerfile = check_minimal,
	.check_image = image_minimal,
};

static bool trusted(const pl_config *c, const char *registry)
{
	for (size_t i = 0; i < c->ntrusted; i++)
		if (pl_registry_matches(registry, c->trusted_registries[i]))
			return true;
	return false;
}

static void untrusted_ref(pl_scan *s, const df_word *where, const char *img, const char *what)
{
	pl_imageref ref;
	if (!pl_imageref_parse(img, &ref) || ref.has_variable || trusted(s->cfg, ref.registry))
		return;
	pl_emit(s, where, "DL3026", NULL, "%s %s comes from %s, which is not a trusted registry",
		what, img, ref.registry);
}

static void check_registry(pl_scan *s, const df_build *b)
{
	if (!s->cfg->ntrusted)
		return;
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		pl_imageref ref;
		if (from_image(st, &ref))
			untrusted_ref(s, st->base_word, st->base, "FROM");
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			const df_flag *from = df_flag_get(c->flags, c->nflags, "from");
			if (c->kind == DF_COPY && from && from->value &&
			    df_stage_ref(b, from->value, st->index) < 0)
				untrusted_ref(s, from->word, from->value, "COPY --from");
			/* RUN --mount=...,from=<image>,... reads from an image too */
			for (size_t k = 0; k < c->nflags; k++) {
				if (strcmp(c->flags[k].name, "mount") || !c->flags[k].value)
					continue;
				char opts[1024];
				snprintf(opts, sizeof opts, "%.*s", (int)c->flags[k].value_len,
					 c->flags[k].value);
				char *save, *tok = strtok_r(opts, ",", &save);
				for (; tok; tok = strtok_r(NULL, ",", &save))
					if (!strncmp(tok, "from=", 5) &&
					    df_stage_ref(b, tok + 5, st->index) < 0 && strcmp(tok + 5, "context"))
						untrusted_ref(s, c->flags[k].word, tok + 5, "RUN --mount from");
			}
		}
	}
}

const pl_rule rule_PL104 = {
	.code = "PL104", .slug = "untrusted-registry", .severity = SEV_HIGH,
	.inputs = IN_D | IN_C | IN_K | IN_I | IN_L,
	.aka = "DL3026",
	.summary = "An image comes from a registry outside the configured trusted-registries.",
	.why = "Images from arbitrary registries bypass the scanning, signing and retention your "
	       "organisation applies to its own; a typo-squatted name is one letter away.",
	.fix = "Mirror the image into a trusted registry, or add the registry to "
	       "trusted-registries in .plimsoll.yml.",
	.check_dockerfile = check_registry,
	.check_container = container_registry,
};

static bool is_url(const char *s)
{
	return pl_has_prefix(s, "http://") || pl_has_prefix(s, "https://") ||
	       pl_has_prefix(s, "git@") || pl_has_prefix(s, "git://");
}

/* ADD extracts local tar archives (compressed or not): that is what ADD is for. */
static bool is_archive(const char *s)
{
	static const char *const ext[] = {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2",
					  ".tb2", ".tar.xz", ".txz", ".tar.lz", ".tlz", ".tar.lzma",
					  ".tar.zst", ".tzst", ".gz", ".bz2", ".xz", ".lz", ".lzma",
					  ".zst", ".Z", ".tZ", NULL};
	size_t n = strlen(s);
	for (size_t i = 0; ext[i]; i++) {
		size_t e = strlen(ext[i]);
		if (n > e && !strcasecmp(s + n - e, ext[i]))
			return true;
	}
	return false;
}

static void check_add(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			if (c->kind != DF_ADD || c->nargs < 2 || c->node->nheredocs)
				continue;
			bool local = true;
			for (size_t k = 0; k + 1 < c->nargs; k++)
				if (is_url(c->args[k]) || is_archive(c->args[k]) || strchr(c->args[k], '$'))
					local = false;
			if (local)
				pl_emit(s, &c->node->keyword, "DL3020 CKV_DOCKER_4 AVD-DS-0005", NULL,
					"ADD copies local files here: COPY does the same without ADD's "
					"implicit unpacking and URL fetching");
		}
	}
}

const pl_rule rule_PL107 = {
	.code = "PL107", .slug = "add-instead-of-copy", .severity = SEV_LOW, .inputs = IN_D,
	.aka = "DL3020 CKV_DOCKER_4 AVD-DS-0005 CIS-DI-0009",
	.summary = "ADD is used for local files or directories where COPY does the job.",
	.why = "ADD also unpacks archives and fetches URLs. Using it for plain files hides which "
	       "of those a line relies on and makes a harmless-looking change behave differently.",
	.fix = "Use COPY for local files; keep ADD for local tar archives it should unpack.",
	.check_dockerfile = check_add,
};

static void check_add_url(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			if (c->kind != DF_ADD || df_flag_get(c->flags, c->nflags, "checksum"))
				continue;
			for (size_t k = 0; k + 1 < c->nargs; k++)
				if (pl_has_prefix(c->args[k], "http://") ||
				    pl_has_prefix(c->args[k], "https://"))
					pl_emit(s, &c->node->args[k], NULL, NULL,
						"ADD %s downloads a file without --checksum: its content "
						"can change or be tampered with unnoticed", c->args[k]);
		}
	}
}

const pl_rule rule_PL108 = {
	.code = "PL108", .slug = "add-url-without-checksum", .severity = SEV_MEDIUM,
	.inputs = IN_D,
	.aka = "",
	.summary = "ADD <url> without --checksum.",
	.why = "A remote file is not versioned by its URL: without a checksum a compromised or "
	       "changed download goes straight into the image.",
	.fix = "Add --checksum=sha256:<hash> (Dockerfile syntax 1.6+), or download in a RUN and "
	       "verify with sha256sum -c.",
	.check_dockerfile = check_add_url,
};

/* The image of a container as it runs (compose, Kubernetes, live). A compose service that
 * builds its image names the result with `image:`: that is a tag it creates, not a pull. */
static bool container_image(const pl_container *c, pl_imageref *ref)
{
	if (!c->image.v || c->build_context || !pl_imageref_parse(c->image.v, ref) ||
	    ref->has_variable)
		return false;
	return true;
}

static void container_tag(pl_scan *s, const pl_container *c)
{
	pl_imageref ref;
	if (!container_image(c, &ref) || ref.digest[0])
		return;
	if (!ref.tag[0])
		pl_emit_origin(s, &c->image.at, -1, "KSV-0013 CKV_K8S_14 latest-tag", NULL,
			       "%s uses image %s with no tag, which means ':latest'", c->target,
			       c->image.v);
	else if (!strcmp(ref.tag, "latest"))
		pl_emit_origin(s, &c->image.at, -1, "KSV-0013 CKV_K8S_14 latest-tag", NULL,
			       "%s uses image %s: 'latest' is whatever was pushed last", c->target,
			       c->image.v);
}

static void container_digest(pl_scan *s, const pl_container *c)
{
	pl_imageref ref;
	if (container_image(c, &ref) && !ref.digest[0])
		pl_emit_origin(s, &c->image.at, -1, "CKV_K8S_43", NULL,
			       "%s uses image %s, not pinned by digest", c->target, c->image.v);
}

static void container_registry(pl_scan *s, const pl_container *c)
{
	pl_imageref ref;
	if (!s->cfg->ntrusted || !container_image(c, &ref) || trusted(s->cfg, ref.registry))
		return;
	if (!strcmp(c->source_kind, "image")) /* the target already names the image */
		pl_emit_origin(s, &c->image.at, -1, "DL3026", NULL,
			       "%s comes from %s, which is not a trusted registry", c->target,
			       ref.registry);
	else
		pl_emit_origin(s, &c->image.at, -1, "DL3026", NULL,
			       "%s pulls %s from %s, which is not a trusted registry", c->target,
			       c->image.v, ref.registry);
}
