/* packages.h - the OS packages installed in an image, read from the package databases the
 * image reader keeps whole: dpkg (/var/lib/dpkg/status and the distroless
 * /var/lib/dpkg/status.d/ files) and apk (/lib/apk/db/installed), with the distribution
 * from /etc/os-release. Used by the SBOM writer (report/sbom.c).
 *
 * The databases are untrusted bytes: every field is cut at PL_PKG_MAX_FIELD bytes and made
 * valid UTF-8, at most PL_PKG_MAX packages are kept, and parsing is one linear pass. */
#ifndef PL_PACKAGES_H
#define PL_PACKAGES_H

#include "core/arena.h"
#include "core/buf.h"
#include "image/image.h"

#include <stdbool.h>
#include <stddef.h>

#define PL_PKG_MAX       100000
#define PL_PKG_MAX_FIELD 4096

typedef struct pl_pkg {
	const char *type;        /* purl type: "deb" or "apk" */
	const char *name;
	const char *version;     /* "" when the database has none */
	const char *arch;        /* "" when unknown */
	const char *source;      /* dpkg Source (without its version) / apk origin, or NULL */
	const char *source_version; /* dpkg "Source: name (version)", or NULL */
	const char *maintainer, *homepage, *license; /* NULL when absent (license: apk only) */
	const char *db;          /* the database file it was read from */
} pl_pkg;

typedef struct pl_pkgs {
	arena mem;               /* every string below */
	pl_pkg *v;
	size_t n, cap;
	const char *distro_id;   /* os-release ID ("debian", "ubuntu", "alpine"), or NULL */
	const char *distro_version; /* os-release VERSION_ID, or NULL */
	const char *distro_name; /* os-release PRETTY_NAME, or NULL */
	bool truncated;          /* more than PL_PKG_MAX packages: the rest were dropped */
	size_t unread;           /* databases present in the image but not kept (over the
				    reader's size budget): the list is incomplete */
} pl_pkgs;

void pl_pkgs_init(pl_pkgs *p);
void pl_pkgs_free(pl_pkgs *p);

/* Parsers on bytes (data need not be NUL-terminated). `db` names the source file. A dpkg
 * stanza counts when its Status ends in " installed"; with `status_d` a stanza without
 * Status counts too (distroless writes none). */
void pl_pkgs_parse_dpkg(pl_pkgs *p, const char *data, size_t len, const char *db,
			bool status_d);
void pl_pkgs_parse_apk(pl_pkgs *p, const char *data, size_t len, const char *db);
void pl_pkgs_parse_os_release(pl_pkgs *p, const char *data, size_t len);

/* Sort by name, arch, version, type and drop exact duplicates: stable output. */
void pl_pkgs_sort(pl_pkgs *p);

/* The image's distribution (p->distro_*) from /etc/os-release or /usr/lib/os-release,
 * following a symlink between them. */
void pl_image_distro(const pl_image *img, pl_pkgs *p);

/* Everything an image holds (p initialised): both databases, os-release, sorted. */
void pl_image_packages(const pl_image *img, pl_pkgs *p);

/* The package URL (purl-spec): pkg:deb/debian/curl@7.88.1-10%2Bdeb12u5?arch=amd64&
 * distro=debian-12. The namespace is the os-release ID (else debian / alpine). */
void pl_pkg_purl(const pl_pkgs *p, const pl_pkg *k, buf *out);

#endif
