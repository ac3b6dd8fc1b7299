/* packages.c - the installed OS packages of an image: the dpkg status database (and the
 * one-file-per-package status.d of distroless images), the apk installed database, and the
 * distribution from os-release; package URLs for them (see packages.h).
 *
 * Both databases are read line by line in one pass over bytes that may be anything: a line
 * is cut at the next newline or the end of the data, fields are copied out bounded and made
 * valid UTF-8 (the SBOM is JSON), and the package count is capped. */
#include "image/packages.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void pl_pkgs_init(pl_pkgs *p)
{
	memset(p, 0, sizeof *p);
	arena_init(&p->mem);
}

void pl_pkgs_free(pl_pkgs *p)
{
	free(p->v);
	arena_free(&p->mem);
	memset(p, 0, sizeof *p);
}

/* A byte range of the input. */
typedef struct span {
	const char *s;
	size_t n;
} span;

/* Copy a field into the arena: at most PL_PKG_MAX_FIELD bytes, cut at a character
 * boundary, invalid UTF-8 and NUL bytes replaced by '?'. */
static const char *field(pl_pkgs *p, span v)
{
	char *o = arena_alloc(&p->mem, (v.n < PL_PKG_MAX_FIELD ? v.n : PL_PKG_MAX_FIELD) + 1);
	size_t on = 0;
	for (size_t i = 0; i < v.n;) {
		int w;
		int32_t r = utf8_decode(v.s + i, v.n - i, &w);
		bool bad = (r == RUNE_ERROR && w == 1) || r == 0;
		size_t take = bad ? 1 : (size_t)w;
		if (on + take > PL_PKG_MAX_FIELD)
			break;
		if (bad)
			o[on++] = '?';
		else
			memcpy(o + on, v.s + i, take), on += take;
		i += (size_t)w;
	}
	o[on] = '\0';
	return o;
}

static span trim(span v)
{
	while (v.n && (v.s[0] == ' ' || v.s[0] == '\t'))
		v.s++, v.n--;
	while (v.n && (v.s[v.n - 1] == ' ' || v.s[v.n - 1] == '\t' || v.s[v.n - 1] == '\r'))
		v.n--;
	return v;
}

/* The next line of [*s, end) without its newline (and a trailing CR); advances *s. */
static span next_line(const char **s, const char *end)
{
	const char *nl = memchr(*s, '\n', (size_t)(end - *s));
	span l = {*s, nl ? (size_t)(nl - *s) : (size_t)(end - *s)};
	*s = nl ? nl + 1 : end;
	if (l.n && l.s[l.n - 1] == '\r')
		l.n--;
	return l;
}

static bool is_blank(span l)
{
	return trim(l).n == 0;
}

static pl_pkg *add_pkg(pl_pkgs *p)
{
	if (p->n >= PL_PKG_MAX) {
		p->truncated = true;
		return NULL;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xrealloc(p->v, p->cap * sizeof *p->v);
	}
	pl_pkg *k = &p->v[p->n++];
	memset(k, 0, sizeof *k);
	return k;
}

/* ---- dpkg ------------------------------------------------------------------------------ */

enum { D_PACKAGE, D_VERSION, D_ARCH, D_SOURCE, D_MAINTAINER, D_HOMEPAGE, D_STATUS, D_N };
static const char *const dpkg_fields[D_N] = {"Package", "Version", "Architecture", "Source",
					     "Maintainer", "Homepage", "Status"};

typedef struct stanza {
	span f[D_N];
	bool has[D_N];
} stanza;

/* "install ok installed", "hold ok installed": the last word is the state. */
static bool installed(span status)
{
	static const char want[] = " installed";
	size_t n = sizeof want - 1;
	return status.n >= n && !memcmp(status.s + status.n - n, want, n);
}

static void dpkg_flush(pl_pkgs *p, stanza *st, const char *db, bool status_d)
{
	bool ok = st->has[D_PACKAGE] && st->f[D_PACKAGE].n &&
		  (st->has[D_STATUS] ? installed(st->f[D_STATUS]) : status_d);
	pl_pkg *k = ok ? add_pkg(p) : NULL;
	if (k) {
		k->type = "deb";
		k->db = db;
		k->name = field(p, st->f[D_PACKAGE]);
		k->version = field(p, st->f[D_VERSION]);
		k->arch = field(p, st->f[D_ARCH]);
		if (st->has[D_SOURCE] && st->f[D_SOURCE].n) {
			/* "Source: glibc (2.36-9)" when the source version differs */
			span s = st->f[D_SOURCE];
			const char *par = memchr(s.s, '(', s.n);
			if (par) {
				span sv = {par + 1, s.n - (size_t)(par + 1 - s.s)};
				const char *close = memchr(sv.s, ')', sv.n);
				if (close)
					sv.n = (size_t)(close - sv.s);
				s.n = (size_t)(par - s.s);
				k->source_version = field(p, trim(sv));
			}
			k->source = field(p, trim(s));
		}
		if (st->has[D_MAINTAINER] && st->f[D_MAINTAINER].n)
			k->maintainer = field(p, st->f[D_MAINTAINER]);
		if (st->has[D_HOMEPAGE] && st->f[D_HOMEPAGE].n)
			k->homepage = field(p, st->f[D_HOMEPAGE]);
	}
	memset(st, 0, sizeof *st);
}

void pl_pkgs_parse_dpkg(pl_pkgs *p, const char *data, size_t len, const char *db,
			bool status_d)
{
	const char *s = data, *end = data + len;
	const char *dbs = arena_strdup(&p->mem, db);
	stanza st;
	memset(&st, 0, sizeof st);
	bool open = false;
	while (s < end) {
		span l = next_line(&s, end);
		if (is_blank(l)) {
			if (open)
				dpkg_flush(p, &st, dbs, status_d);
			open = false;
			continue;
		}
		open = true;
		if (l.s[0] == ' ' || l.s[0] == '\t')
			continue; /* continuation (Description, Conffiles): no field we read */
		const char *colon = memchr(l.s, ':', l.n);
		if (!colon)
			continue;
		size_t nn = (size_t)(colon - l.s);
		for (int i = 0; i < D_N; i++)
			if (nn == strlen(dpkg_fields[i]) && !strncasecmp(l.s, dpkg_fields[i], nn)) {
				st.f[i] = trim((span){colon + 1, l.n - nn - 1});
				st.has[i] = true;
			}
	}
	if (open)
		dpkg_flush(p, &st, dbs, status_d);
}

/* ---- apk ------------------------------------------------------------------------------- */

/* The apk letters we read, in the order of pl_pkg's fields below. */
static const char apk_keys[] = "PVAoLUm";

static void apk_flush(pl_pkgs *p, span *f, bool *has, const char *db)
{
	pl_pkg *k = has[0] && f[0].n ? add_pkg(p) : NULL;
	if (k) {
		k->type = "apk";
		k->db = db;
		k->name = field(p, f[0]);
		k->version = field(p, f[1]);
		k->arch = field(p, f[2]);
		k->source = has[3] && f[3].n ? field(p, f[3]) : NULL;
		k->license = has[4] && f[4].n ? field(p, f[4]) : NULL;
		k->homepage = has[5] && f[5].n ? field(p, f[5]) : NULL;
		k->maintainer = has[6] && f[6].n ? field(p, f[6]) : NULL;
	}
	memset(f, 0, 7 * sizeof *f);
	memset(has, 0, 7 * sizeof *has);
}

void pl_pkgs_parse_apk(pl_pkgs *p, const char *data, size_t len, const char *db)
{
	const char *s = data, *end = data + len;
	const char *dbs = arena_strdup(&p->mem, db);
	span f[7];
	bool has[7];
	memset(f, 0, sizeof f);
	memset(has, 0, sizeof has);
	bool open = false;
	while (s < end) {
		span l = next_line(&s, end);
		if (is_blank(l)) {
			if (open)
				apk_flush(p, f, has, dbs);
			open = false;
			continue;
		}
		open = true;
		if (l.n < 2 || l.s[1] != ':' || !l.s[0])
			continue;
		const char *at = strchr(apk_keys, l.s[0]);
		if (at) {
			f[at - apk_keys] = trim((span){l.s + 2, l.n - 2});
			has[at - apk_keys] = true;
		}
	}
	if (open)
		apk_flush(p, f, has, dbs);
}

/* ---- os-release ------------------------------------------------------------------------ */

/* A shell-style value: "quoted \"x\"", 'quoted', or bare. */
static const char *unquote(pl_pkgs *p, span v)
{
	v = trim(v);
	if (v.n >= 1 && (v.s[0] == '"' || v.s[0] == '\'')) {
		char q = v.s[0];
		char *o = arena_alloc(&p->mem, v.n);
		size_t on = 0;
		for (size_t i = 1; i < v.n && v.s[i] != q; i++) {
			if (q == '"' && v.s[i] == '\\' && i + 1 < v.n)
				i++;
			o[on++] = v.s[i];
		}
		return field(p, (span){o, on});
	}
	return field(p, v);
}

void pl_pkgs_parse_os_release(pl_pkgs *p, const char *data, size_t len)
{
	const char *s = data, *end = data + len;
	while (s < end) {
		span l = trim(next_line(&s, end));
		const char *eq = memchr(l.s, '=', l.n);
		if (!l.n || l.s[0] == '#' || !eq)
			continue;
		span k = {l.s, (size_t)(eq - l.s)};
		span v = {eq + 1, l.n - k.n - 1};
		const char **to = k.n == 2 && !memcmp(k.s, "ID", 2) ? &p->distro_id :
				  k.n == 10 && !memcmp(k.s, "VERSION_ID", 10) ? &p->distro_version :
				  k.n == 11 && !memcmp(k.s, "PRETTY_NAME", 11) ? &p->distro_name : NULL;
		if (to) {
			const char *val = unquote(p, v);
			*to = *val ? val : NULL;
		}
	}
}

/* ---- sorting --------------------------------------------------------------------------- */

static int cmp_pkg(const void *a, const void *b)
{
	const pl_pkg *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (!c)
		c = strcmp(x->arch, y->arch);
	if (!c)
		c = strcmp(x->version, y->version);
	if (!c)
		c = strcmp(x->type, y->type);
	if (!c)
		c = strcmp(x->db, y->db);
	return c;
}

void pl_pkgs_sort(pl_pkgs *p)
{
	if (p->n > 1)
		qsort(p->v, p->n, sizeof *p->v, cmp_pkg);
	/* the same package twice (status and status.d, or a repeated stanza): keep the first */
	size_t o = 0;
	for (size_t i = 0; i < p->n; i++) {
		const pl_pkg *k = &p->v[i];
		if (o && !strcmp(k->name, p->v[o - 1].name) && !strcmp(k->arch, p->v[o - 1].arch) &&
		    !strcmp(k->version, p->v[o - 1].version) && !strcmp(k->type, p->v[o - 1].type))
			continue;
		p->v[o++] = *k;
	}
	p->n = o;
}

/* ---- an image -------------------------------------------------------------------------- */

/* Resolve one level of symlink: the absolute, normalised target of link seen from the
 * directory of path, into out; false when it does not fit. */
static bool resolve(const char *path, const char *link, char *out, size_t cap)
{
	char tmp[1024];
	int n;
	if (link[0] == '/')
		n = snprintf(tmp, sizeof tmp, "%s", link);
	else
		n = snprintf(tmp, sizeof tmp, "%.*s/%s", (int)(strrchr(path, '/') - path), path,
			     link);
	if (n < 0 || (size_t)n >= sizeof tmp || cap < 2)
		return false;
	/* normalise: drop "." and empty parts, ".." removes the last part (never above /) */
	size_t on = 0;
	char *save = NULL;
	for (char *part = strtok_r(tmp, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
		if (!strcmp(part, "."))
			continue;
		if (!strcmp(part, "..")) {
			while (on && out[on - 1] != '/')
				on--;
			if (on)
				on--;
			continue;
		}
		size_t pn = strlen(part);
		if (on + 1 + pn + 1 > cap)
			return false;
		out[on++] = '/';
		memcpy(out + on, part, pn);
		on += pn;
	}
	if (!on)
		out[on++] = '/';
	out[on] = '\0';
	return true;
}

void pl_image_distro(const pl_image *img, pl_pkgs *p)
{
	static const char *const paths[] = {"/etc/os-release", "/usr/lib/os-release"};
	for (size_t i = 0; i < 2; i++) {
		const img_file *f = pl_image_file(img, paths[i]);
		char target[1024];
		if (f && f->type == 'l' && f->link && resolve(paths[i], f->link, target, sizeof target))
			f = pl_image_file(img, target);
		if (f && f->type == '-' && f->content) {
			pl_pkgs_parse_os_release(p, f->content, f->content_len);
			return;
		}
	}
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

/* A database file: parsed when its content was kept, counted as unread when not. */
static const img_file *db_file(const img_file *f, pl_pkgs *p)
{
	if (!f || f->deleted || f->type != '-')
		return NULL;
	if (!f->content) {
		if (f->size > 0)
			p->unread++;
		return NULL;
	}
	return f;
}

void pl_image_packages(const pl_image *img, pl_pkgs *p)
{
	static const char dir[] = "/var/lib/dpkg/status.d/";
	const img_file *f = db_file(pl_image_file(img, "/var/lib/dpkg/status"), p);
	if (f)
		pl_pkgs_parse_dpkg(p, f->content, f->content_len, f->path, false);
	for (size_t i = 0; i < img->nfiles; i++) {
		const img_file *d = &img->files[i];
		if (strncmp(d->path, dir, sizeof dir - 1) || !d->path[sizeof dir - 1] ||
		    strchr(d->path + sizeof dir - 1, '/') || has_suffix(d->path, ".md5sums"))
			continue;
		if ((d = db_file(d, p)))
			pl_pkgs_parse_dpkg(p, d->content, d->content_len, d->path, true);
	}
	f = db_file(pl_image_file(img, "/lib/apk/db/installed"), p);
	if (f)
		pl_pkgs_parse_apk(p, f->content, f->content_len, f->path);
	pl_image_distro(img, p);
	pl_pkgs_sort(p);
}

/* ---- package URLs ---------------------------------------------------------------------- */

/* Percent-encode all but the purl-spec unreserved characters; lowercase when asked. */
static void pct(buf *out, const char *s, bool lower)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (lower && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-' || c == '_' || c == '~')
			buf_addc(out, (char)c);
		else
			buf_printf(out, "%%%02X", c);
	}
}

void pl_pkg_purl(const pl_pkgs *p, const pl_pkg *k, buf *out)
{
	bool deb = !strcmp(k->type, "deb");
	const char *ns = p->distro_id ? p->distro_id : deb ? "debian" : "alpine";
	buf_adds(out, "pkg:");
	buf_adds(out, k->type);
	buf_addc(out, '/');
	pct(out, ns, true);
	buf_addc(out, '/');
	pct(out, k->name, true); /* deb and apk names are case-insensitive: lowercase */
	if (k->version[0]) {
		buf_addc(out, '@');
		pct(out, k->version, false);
	}
	/* qualifiers in key order: arch, distro */
	char sep = '?';
	if (k->arch[0]) {
		buf_printf(out, "%carch=", sep);
		pct(out, k->arch, false);
		sep = '&';
	}
	if (p->distro_id && p->distro_version) {
		buf_printf(out, "%cdistro=", sep);
		pct(out, p->distro_id, true);
		buf_addc(out, '-');
		pct(out, p->distro_version, false);
	}
}
