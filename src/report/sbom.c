/* sbom.c - CycloneDX 1.6 and SPDX 2.3 JSON documents listing an image's OS packages
 * (see sbom.h). The package list comes from image/packages.c; this file only shapes it.
 *
 * Output is stable for one image: packages arrive sorted, keys are written in insertion
 * order (jansson keeps it), the CycloneDX serial number is derived from the config digest,
 * and the only moving part, the creation time, honours SOURCE_DATE_EPOCH. */
#include "report/sbom.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int pl_sbom_format_parse(const char *name)
{
	if (!strcasecmp(name, "cyclonedx"))
		return PL_SBOM_CYCLONEDX;
	if (!strcasecmp(name, "spdx"))
		return PL_SBOM_SPDX;
	return -1;
}

void pl_sbom_time(char out[32])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	long long v = sde && *sde ? strtoll(sde, &end, 10) : -1;
	time_t t = (end && !*end && v >= 0 && v < 253402300800LL) ? (time_t)v : time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void pl_sbom_serial(const char *config_digest, char out[48])
{
	/* RFC 9562 version 5: SHA-1 of the URL namespace and the name */
	static const unsigned char ns_url[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
						 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
	const char *name = config_digest ? config_digest : "";
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hn = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md)
		abort();
	EVP_DigestInit_ex(md, EVP_sha1(), NULL);
	EVP_DigestUpdate(md, ns_url, sizeof ns_url);
	EVP_DigestUpdate(md, name, strlen(name));
	EVP_DigestFinal_ex(md, h, &hn);
	EVP_MD_CTX_free(md);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x50);
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	int n = snprintf(out, 48, "urn:uuid:");
	for (int i = 0; i < 16; i++) {
		n += snprintf(out + n, (size_t)(48 - n), "%02x", h[i]);
		if (i == 3 || i == 5 || i == 7 || i == 9)
			out[n++] = '-', out[n] = '\0';
	}
}

/* A JSON string from bytes that may not be UTF-8 (image paths, refs): bad bytes as '?'. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s);
	char *c = xmalloc(n + 1);
	for (size_t i = 0; i < n;) {
		int w;
		int32_t r = utf8_decode(s + i, n - i, &w);
		if (r == RUNE_ERROR && w == 1)
			c[i] = '?';
		else
			memcpy(c + i, s + i, (size_t)w);
		i += (size_t)w;
	}
	c[n] = '\0';
	j = json_string(c);
	free(c);
	return j ? j : json_string("");
}

static void set(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, jstr(v));
}

/* What names the image: its tag, else the path it was read from. */
static const char *image_name(const pl_image *img)
{
	return img->ref ? img->ref : img->path ? img->path : "image";
}

/* Homepages go out as URLs only when they look like one (schemas check the format). */
static bool is_url(const char *s)
{
	return s && (!strncmp(s, "https://", 8) || !strncmp(s, "http://", 7)) &&
	       !strpbrk(s, " \t\"<>\\^`{|}");
}

/* The part of a "sha256:<hex>" digest after the colon. */
static const char *digest_hex(const char *d)
{
	const char *c = d ? strchr(d, ':') : NULL;
	return c ? c + 1 : d ? d : "unknown";
}

/* ---- CycloneDX 1.6 --------------------------------------------------------------------- */

static json_t *cdx_licenses(const char *lic)
{
	json_t *a = json_array(), *l = json_object();
	if (strchr(lic, ' ')) { /* "MIT AND BSD-2-Clause": an expression */
		set(l, "expression", lic);
	} else {
		json_t *n = json_object();
		set(n, "name", lic);
		json_object_set_new(l, "license", n);
	}
	json_array_append_new(a, l);
	return a;
}

static json_t *cdx_property(const char *name, const char *value)
{
	json_t *p = json_object();
	set(p, "name", name);
	set(p, "value", value);
	return p;
}

static json_t *cyclonedx(const pl_image *img, const pl_pkgs *pkgs, const char *created,
			 const char *version)
{
	json_t *root = json_object();
	char serial[48];
	pl_sbom_serial(img->config_digest, serial);
	set(root, "bomFormat", "CycloneDX");
	set(root, "specVersion", "1.6");
	set(root, "serialNumber", serial);
	json_object_set_new(root, "version", json_integer(1));

	json_t *meta = json_object();
	set(meta, "timestamp", created);
	json_t *tool = json_object();
	set(tool, "type", "application");
	set(tool, "name", "plimsoll");
	set(tool, "version", version);
	json_t *tools = json_object(), *tcomp = json_array();
	json_array_append_new(tcomp, tool);
	json_object_set_new(tools, "components", tcomp);
	json_object_set_new(meta, "tools", tools);
	json_t *image = json_object();
	set(image, "bom-ref", "image");
	set(image, "type", "container");
	set(image, "name", image_name(img));
	if (img->config_digest)
		set(image, "version", img->config_digest);
	json_object_set_new(meta, "component", image);
	json_object_set_new(root, "metadata", meta);

	json_t *comps = json_array();
	json_t *deps = json_array(); /* the image depends on each package */
	json_t *image_deps = json_array();
	if (pkgs->distro_id) { /* the distribution, as scanners look for it */
		json_t *os = json_object();
		buf ref = BUF_INIT;
		buf_printf(&ref, "os:%s@%s", pkgs->distro_id,
			   pkgs->distro_version ? pkgs->distro_version : "");
		set(os, "bom-ref", buf_str(&ref));
		set(os, "type", "operating-system");
		set(os, "name", pkgs->distro_id);
		if (pkgs->distro_version)
			set(os, "version", pkgs->distro_version);
		if (pkgs->distro_name)
			set(os, "description", pkgs->distro_name);
		json_array_append_new(comps, os);
		json_array_append_new(image_deps, jstr(buf_str(&ref)));
		buf_free(&ref);
	}
	json_t *seen = json_object(); /* bom-refs must be unique */
	buf purl = BUF_INIT, ref = BUF_INIT;
	for (size_t i = 0; i < pkgs->n; i++) {
		const pl_pkg *k = &pkgs->v[i];
		buf_reset(&purl);
		buf_reset(&ref);
		pl_pkg_purl(pkgs, k, &purl);
		buf_adds(&ref, buf_str(&purl));
		for (int d = 2; json_object_get(seen, buf_str(&ref)); d++) {
			buf_reset(&ref);
			buf_printf(&ref, "%s#%d", buf_str(&purl), d);
		}
		json_object_set_new(seen, buf_str(&ref), json_true());
		json_t *c = json_object();
		set(c, "bom-ref", buf_str(&ref));
		set(c, "type", "library");
		if (k->maintainer) {
			json_t *sup = json_object();
			set(sup, "name", k->maintainer);
			json_object_set_new(c, "supplier", sup);
			set(c, "publisher", k->maintainer);
		}
		set(c, "name", k->name);
		if (k->version[0])
			set(c, "version", k->version);
		if (k->license)
			json_object_set_new(c, "licenses", cdx_licenses(k->license));
		set(c, "purl", buf_str(&purl));
		if (is_url(k->homepage)) {
			json_t *er = json_array(), *e = json_object();
			set(e, "url", k->homepage);
			set(e, "type", "website");
			json_array_append_new(er, e);
			json_object_set_new(c, "externalReferences", er);
		}
		json_t *props = json_array();
		if (k->source)
			json_array_append_new(props, cdx_property("plimsoll:package:source", k->source));
		if (k->source_version)
			json_array_append_new(props, cdx_property("plimsoll:package:source-version",
								  k->source_version));
		json_array_append_new(props, cdx_property("plimsoll:package:database", k->db));
		json_object_set_new(c, "properties", props);
		json_array_append_new(comps, c);
		json_array_append_new(image_deps, jstr(buf_str(&ref)));
	}
	buf_free(&purl);
	buf_free(&ref);
	json_decref(seen);
	json_object_set_new(root, "components", comps);
	json_t *d = json_object();
	set(d, "ref", "image");
	json_object_set_new(d, "dependsOn", image_deps);
	json_array_append_new(deps, d);
	json_object_set_new(root, "dependencies", deps);
	return root;
}

/* ---- SPDX 2.3 -------------------------------------------------------------------------- */

/* Whether a license string is a well-formed SPDX expression: ids (letters, digits, '.',
 * '-', an optional trailing '+') joined by AND, OR, WITH, with balanced parentheses. Anything
 * else is written as NOASSERTION, since SPDX readers reject malformed expressions. */
static bool spdx_expr_ok(const char *s)
{
	int depth = 0;
	bool want_id = true;
	while (*s) {
		if (*s == ' ') {
			s++;
		} else if (*s == '(') {
			if (!want_id)
				return false;
			depth++, s++;
		} else if (*s == ')') {
			if (want_id || --depth < 0)
				return false;
			s++;
		} else {
			size_t n = strcspn(s, " ()");
			bool op = (n == 3 && !strncmp(s, "AND", 3)) || (n == 2 && !strncmp(s, "OR", 2)) ||
				  (n == 4 && !strncmp(s, "WITH", 4));
			if (op) {
				if (want_id)
					return false;
				want_id = true;
			} else {
				if (!want_id)
					return false;
				for (size_t i = 0; i < n; i++) {
					char c = s[i];
					bool plus = c == '+' && i == n - 1 && i > 0;
					if (!plus && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
						       (c >= '0' && c <= '9') || c == '.' || c == '-'))
						return false;
				}
				want_id = false;
			}
			s += n;
		}
	}
	return !want_id && depth == 0;
}

/* "SPDXRef-" ids allow letters, digits, '.' and '-'. */
static void spdx_id(buf *out, const char *prefix, const char *s)
{
	buf_adds(out, prefix);
	for (; *s; s++) {
		char c = *s;
		bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    c == '.' || c == '-';
		buf_addc(out, keep ? c : '-');
	}
}

static json_t *spdx_relation(const char *from, const char *type, const char *to)
{
	json_t *r = json_object();
	set(r, "spdxElementId", from);
	set(r, "relationshipType", type);
	set(r, "relatedSpdxElement", to);
	return r;
}

static json_t *spdx(const pl_image *img, const pl_pkgs *pkgs, const char *created,
		    const char *version)
{
	json_t *root = json_object();
	const char *name = image_name(img);
	set(root, "spdxVersion", "SPDX-2.3");
	set(root, "dataLicense", "CC0-1.0");
	set(root, "SPDXID", "SPDXRef-DOCUMENT");
	set(root, "name", name);
	buf ns = BUF_INIT;
	spdx_id(&ns, "https://plimsoll.dev/spdx/", name);
	buf_printf(&ns, "-%s", digest_hex(img->config_digest));
	set(root, "documentNamespace", buf_str(&ns));
	buf_free(&ns);
	json_t *ci = json_object(), *creators = json_array();
	set(ci, "created", created);
	buf tool = BUF_INIT;
	buf_printf(&tool, "Tool: plimsoll-%s", version);
	json_array_append_new(creators, jstr(buf_str(&tool)));
	buf_free(&tool);
	json_object_set_new(ci, "creators", creators);
	json_object_set_new(root, "creationInfo", ci);

	json_t *packages = json_array(), *rels = json_array();
	json_t *image = json_object();
	set(image, "SPDXID", "SPDXRef-Image");
	set(image, "name", name);
	if (img->config_digest)
		set(image, "versionInfo", img->config_digest);
	set(image, "downloadLocation", "NOASSERTION");
	json_object_set_new(image, "filesAnalyzed", json_false());
	set(image, "licenseConcluded", "NOASSERTION");
	set(image, "licenseDeclared", "NOASSERTION");
	set(image, "copyrightText", "NOASSERTION");
	set(image, "supplier", "NOASSERTION");
	set(image, "primaryPackagePurpose", "CONTAINER");
	json_array_append_new(packages, image);
	json_array_append_new(rels, spdx_relation("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image"));

	json_t *seen = json_object(); /* SPDXIDs must be unique */
	buf purl = BUF_INIT, id = BUF_INIT;
	for (size_t i = 0; i < pkgs->n; i++) {
		const pl_pkg *k = &pkgs->v[i];
		buf_reset(&purl);
		buf_reset(&id);
		pl_pkg_purl(pkgs, k, &purl);
		spdx_id(&id, "SPDXRef-Package-", k->type);
		spdx_id(&id, "-", k->name);
		if (k->arch[0])
			spdx_id(&id, "-", k->arch);
		size_t base = id.len;
		for (int d = 2; json_object_get(seen, buf_str(&id)); d++) {
			id.len = base;
			buf_printf(&id, "-%d", d);
		}
		json_object_set_new(seen, buf_str(&id), json_true());
		json_t *p = json_object();
		set(p, "SPDXID", buf_str(&id));
		set(p, "name", k->name);
		if (k->version[0])
			set(p, "versionInfo", k->version);
		set(p, "downloadLocation", "NOASSERTION");
		json_object_set_new(p, "filesAnalyzed", json_false());
		set(p, "licenseConcluded", "NOASSERTION");
		set(p, "licenseDeclared",
		    k->license && spdx_expr_ok(k->license) ? k->license : "NOASSERTION");
		set(p, "copyrightText", "NOASSERTION");
		set(p, "supplier", "NOASSERTION");
		if (is_url(k->homepage))
			set(p, "homepage", k->homepage);
		if (k->source) {
			buf si = BUF_INIT;
			buf_printf(&si, "built from %s source package %s%s%s%s", k->type, k->source,
				   k->source_version ? " (" : "",
				   k->source_version ? k->source_version : "",
				   k->source_version ? ")" : "");
			set(p, "sourceInfo", buf_str(&si));
			buf_free(&si);
		}
		set(p, "primaryPackagePurpose", "LIBRARY");
		json_t *refs = json_array(), *r = json_object();
		set(r, "referenceCategory", "PACKAGE-MANAGER");
		set(r, "referenceType", "purl");
		set(r, "referenceLocator", buf_str(&purl));
		json_array_append_new(refs, r);
		json_object_set_new(p, "externalRefs", refs);
		json_array_append_new(packages, p);
		json_array_append_new(rels, spdx_relation("SPDXRef-Image", "CONTAINS", buf_str(&id)));
	}
	buf_free(&purl);
	buf_free(&id);
	json_decref(seen);
	json_object_set_new(root, "packages", packages);
	json_object_set_new(root, "relationships", rels);
	return root;
}

char *pl_sbom_json(const pl_image *img, const pl_pkgs *pkgs, pl_sbom_format fmt,
		   const char *created, const char *version)
{
	json_t *root = fmt == PL_SBOM_SPDX ? spdx(img, pkgs, created, version)
					   : cyclonedx(img, pkgs, created, version);
	char *s = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (!s)
		xdie("sbom: cannot encode JSON");
	size_t n = strlen(s);
	char *out = xmalloc(n + 2);
	memcpy(out, s, n);
	out[n] = '\n';
	out[n + 1] = '\0';
	free(s);
	return out;
}
