/* test_sbom.c - the package databases (dpkg status, distroless status.d, apk installed),
 * os-release, package URLs, and the CycloneDX / SPDX documents built from them; hostile
 * databases (garbage, NUL bytes, invalid UTF-8, huge fields, too many packages) must give
 * bounded, valid output. One image is built with tests/image/spec2image.py to check the
 * reading from an image (os-release through a symlink, status.d, a deleted package). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/utf8.h"
#include "image/packages.h"
#include "report/sbom.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char dpkg_status[] =
	"Package: zlib1g\n"
	"Status: install ok installed\n"
	"Priority: optional\n"
	"Architecture: amd64\n"
	"Multi-Arch: same\n"
	"Source: zlib (1:1.2.13.dfsg-1)\n"
	"Version: 1:1.2.13.dfsg-1\n"
	"Maintainer: Mark Brown <broonie@debian.org>\n"
	"Description: compression library - runtime\n"
	" zlib is a library implementing the deflate compression method found\n"
	"Package: not-a-package\n" /* a field-looking line inside a stanza: ignored (no dup) */
	" .\n"
	" Package: also-not-a-package\n"
	"Homepage: http://zlib.net/\n"
	"\n"
	"Package: removed-pkg\n"
	"Status: deinstall ok config-files\n"
	"Architecture: amd64\n"
	"Version: 1.0\n"
	"\n"
	"Package: half-installed\n"
	"Status: install reinstreq half-installed\n"
	"Version: 2.0\n"
	"\n\n\n"
	"Package: g++\r\n"
	"Status: hold ok installed\r\n"
	"Architecture: amd64\r\n"
	"Version: 4:12.2.0-3~bpo1\r\n"
	"Source: gcc-defaults (1.203)\r\n"
	"\r\n"
	"Package: libc6\n"
	"Status: install ok installed\n"
	"Architecture: i386\n"
	"Version: 2.36-9+deb12u4\n"
	"\n"
	"Package: libc6\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n"
	"Version: 2.36-9+deb12u4\n"
	"Source: glibc\n"
	"Package: no-status\n"; /* last field wins; no trailing newline */

static void test_dpkg(void **state)
{
	(void)state;
	pl_pkgs p;
	pl_pkgs_init(&p);
	pl_pkgs_parse_dpkg(&p, dpkg_status, sizeof dpkg_status - 1, "/var/lib/dpkg/status", false);
	pl_pkgs_sort(&p);
	/* "Package: no-status" renamed the last stanza: libc6 amd64 becomes no-status */
	assert_int_equal(p.n, 4);
	assert_string_equal(p.v[0].name, "g++");
	assert_string_equal(p.v[0].version, "4:12.2.0-3~bpo1");
	assert_string_equal(p.v[0].source, "gcc-defaults");
	assert_string_equal(p.v[0].source_version, "1.203");
	assert_string_equal(p.v[1].name, "libc6");
	assert_string_equal(p.v[1].arch, "i386");
	assert_null(p.v[1].source);
	assert_string_equal(p.v[2].name, "no-status");
	assert_string_equal(p.v[2].source, "glibc");
	assert_null(p.v[2].source_version);
	assert_string_equal(p.v[3].name, "not-a-package"); /* top-level line: a real field */
	assert_string_equal(p.v[3].version, "1:1.2.13.dfsg-1");
	assert_string_equal(p.v[3].arch, "amd64");
	assert_string_equal(p.v[3].source, "zlib");
	assert_string_equal(p.v[3].source_version, "1:1.2.13.dfsg-1");
	assert_string_equal(p.v[3].maintainer, "Mark Brown <broonie@debian.org>");
	assert_string_equal(p.v[3].homepage, "http://zlib.net/");
	assert_string_equal(p.v[3].type, "deb");
	assert_string_equal(p.v[3].db, "/var/lib/dpkg/status");
	pl_pkgs_free(&p);
}

static void test_continuation(void **state)
{
	(void)state;
	static const char s[] = "Package: a\nStatus: install ok installed\nVersion: 1\n"
				"Description: x\n Package: evil\n\tVersion: 666\n"
				" Status: deinstall ok config-files\n";
	pl_pkgs p;
	pl_pkgs_init(&p);
	pl_pkgs_parse_dpkg(&p, s, sizeof s - 1, "db", false);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].name, "a");
	assert_string_equal(p.v[0].version, "1");
	assert_string_equal(p.v[0].arch, "");
	pl_pkgs_free(&p);
}

static void purl_of(const pl_pkgs *p, size_t i, const char *want)
{
	buf b = BUF_INIT;
	pl_pkg_purl(p, &p->v[i], &b);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void test_purl(void **state)
{
	(void)state;
	pl_pkgs p;
	pl_pkgs_init(&p);
	pl_pkgs_parse_dpkg(&p, dpkg_status, sizeof dpkg_status - 1, "db", false);
	pl_pkgs_sort(&p);
	/* no os-release: namespace debian, no distro qualifier */
	purl_of(&p, 0, "pkg:deb/debian/g%2B%2B@4%3A12.2.0-3~bpo1?arch=amd64");
	static const char osr[] = "# comment\nNAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"22.04\"\n"
				  "PRETTY_NAME='Ubuntu 22.04.4 LTS'\nID_LIKE=debian\n";
	pl_pkgs_parse_os_release(&p, osr, sizeof osr - 1);
	assert_string_equal(p.distro_id, "ubuntu");
	assert_string_equal(p.distro_version, "22.04");
	assert_string_equal(p.distro_name, "Ubuntu 22.04.4 LTS");
	purl_of(&p, 0, "pkg:deb/ubuntu/g%2B%2B@4%3A12.2.0-3~bpo1?arch=amd64&distro=ubuntu-22.04");
	purl_of(&p, 1, "pkg:deb/ubuntu/libc6@2.36-9%2Bdeb12u4?arch=i386&distro=ubuntu-22.04");
	purl_of(&p, 3, "pkg:deb/ubuntu/not-a-package@1%3A1.2.13.dfsg-1?arch=amd64&distro=ubuntu-22.04");
	pl_pkgs_free(&p);
}

static void test_status_d(void **state)
{
	(void)state;
	/* distroless writes no Status: in status.d that means installed, in status it does not */
	static const char s[] = "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n";
	pl_pkgs p;
	pl_pkgs_init(&p);
	pl_pkgs_parse_dpkg(&p, s, sizeof s - 1, "/var/lib/dpkg/status", false);
	assert_int_equal(p.n, 0);
	pl_pkgs_parse_dpkg(&p, s, sizeof s - 1, "/var/lib/dpkg/status.d/base-files", true);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].db, "/var/lib/dpkg/status.d/base-files");
	static const char removed[] = "Package: x\nStatus: deinstall ok config-files\n";
	pl_pkgs_parse_dpkg(&p, removed, sizeof removed - 1, "/var/lib/dpkg/status.d/x", true);
	assert_int_equal(p.n, 1);
	pl_pkgs_free(&p);
}

static const char apk_db[] =
	"C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nS:383152\nI:622592\n"
	"T:the musl c library (libc) implementation\nU:https://musl.libc.org/\nL:MIT\no:musl\n"
	"m:Natanael Copa <ncopa@alpinelinux.org>\nt:1700000000\nc:abc\nF:lib\nR:libc.musl-x86_64.so.1\n"
	"\n"
	"C:Q1def=\nP:Busybox\nV:1.36.1-r15\nA:x86_64\nL:GPL-2.0-only\no:busybox\n"
	"\n"
	"garbage line\nX\n:\n\n"
	"P:\nV:1\n\n" /* empty name: skipped */
	"P:ca-certificates-bundle\nV:20240226-r0\nA:x86_64\nL:MPL-2.0 AND MIT\no:ca-certificates";

static void test_apk(void **state)
{
	(void)state;
	pl_pkgs p;
	pl_pkgs_init(&p);
	pl_pkgs_parse_apk(&p, apk_db, sizeof apk_db - 1, "/lib/apk/db/installed");
	static const char osr[] = "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n";
	pl_pkgs_parse_os_release(&p, osr, sizeof osr - 1);
	pl_pkgs_sort(&p);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.v[0].name, "Busybox");
	assert_string_equal(p.v[1].name, "ca-certificates-bundle");
	assert_string_equal(p.v[1].license, "MPL-2.0 AND MIT");
	assert_string_equal(p.v[1].source, "ca-certificates");
	assert_string_equal(p.v[2].name, "musl");
	assert_string_equal(p.v[2].type, "apk");
	assert_string_equal(p.v[2].homepage, "https://musl.libc.org/");
	assert_string_equal(p.v[2].maintainer, "Natanael Copa <ncopa@alpinelinux.org>");
	assert_string_equal(p.v[2].source, "musl");
	purl_of(&p, 0, "pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1");
	purl_of(&p, 2, "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1");
	pl_pkgs_free(&p);
}

/* Every string a parser returns is valid UTF-8 without NUL and within the field limit. */
static void assert_clean(const pl_pkgs *p)
{
	for (size_t i = 0; i < p->n; i++) {
		const char *f[] = {p->v[i].name, p->v[i].version, p->v[i].arch, p->v[i].source,
				   p->v[i].maintainer, p->v[i].homepage, p->v[i].license};
		for (size_t k = 0; k < sizeof f / sizeof *f; k++)
			if (f[k]) {
				assert_true(strlen(f[k]) <= PL_PKG_MAX_FIELD);
				assert_true(utf8_valid(f[k], strlen(f[k])));
			}
	}
}

static void test_garbage(void **state)
{
	(void)state;
	pl_pkgs p;
	pl_pkgs_init(&p);
	pl_pkgs_parse_dpkg(&p, "", 0, "db", false);
	pl_pkgs_parse_apk(&p, "", 0, "db");
	pl_pkgs_parse_os_release(&p, "", 0);
	pl_pkgs_parse_dpkg(&p, "\n\n:\n: \n \n", 9, "db", false);
	static const char osr[] = "ID=\"unterminated\nVERSION_ID=\n=\n";
	pl_pkgs_parse_os_release(&p, osr, sizeof osr - 1);
	assert_int_equal(p.n, 0);
	assert_string_equal(p.distro_id, "unterminated");
	assert_null(p.distro_version);

	/* NUL bytes and invalid UTF-8 in fields */
	static const char bad[] = "Package: a\0b\xff\xfe\nStatus: install ok installed\nVersion: \xc3\n";
	pl_pkgs_parse_dpkg(&p, bad, sizeof bad - 1, "db", false);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].name, "a?b??");
	assert_string_equal(p.v[0].version, "?");
	assert_clean(&p);

	/* a huge field is cut at the limit, on a character boundary */
	size_t big = 20000;
	char *h = malloc(big + 64);
	int n = sprintf(h, "Status: install ok installed\nPackage: ");
	for (size_t i = 0; i < big; i += 2)
		memcpy(h + n + i, "\xc3\xa9", 2); /* é */
	pl_pkgs_parse_dpkg(&p, h, (size_t)n + big, "db", false);
	free(h);
	assert_int_equal(p.n, 2);
	assert_int_equal(strlen(p.v[1].name), PL_PKG_MAX_FIELD);
	assert_clean(&p);

	/* pseudo-random bytes, with the separators the parsers look at, must not crash */
	unsigned x = 12345;
	char *r = malloc(1 << 16);
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < (1 << 16); i++) {
			x = x * 1103515245u + 12345u;
			static const char pick[] = "\n\n :P:V:Package: Status: installed\xff\xc3\0 ()=\"'";
			r[i] = (x >> 16) % 3 ? pick[(x >> 8) % (sizeof pick - 1)] : (char)(x >> 24);
		}
		pl_pkgs_parse_dpkg(&p, r, 1 << 16, "db", round & 1);
		pl_pkgs_parse_apk(&p, r, 1 << 16, "db");
		pl_pkgs_parse_os_release(&p, r, 1 << 16);
	}
	free(r);
	pl_pkgs_sort(&p);
	assert_clean(&p);
	pl_pkgs_free(&p);
}

static void test_limit(void **state)
{
	(void)state;
	static const char one[] = "P:p\nV:1\n\n";
	size_t n = PL_PKG_MAX + 10;
	char *s = malloc(n * (sizeof one - 1));
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * (sizeof one - 1), one, sizeof one - 1);
	pl_pkgs p;
	pl_pkgs_init(&p);
	pl_pkgs_parse_apk(&p, s, n * (sizeof one - 1), "db");
	free(s);
	assert_int_equal(p.n, PL_PKG_MAX);
	assert_true(p.truncated);
	pl_pkgs_sort(&p); /* all the same package: one left */
	assert_int_equal(p.n, 1);
	pl_pkgs_free(&p);
}

static void test_serial(void **state)
{
	(void)state;
	char s[48];
	pl_sbom_serial("sha256:0123", s); /* python3: uuid.uuid5(uuid.NAMESPACE_URL, "sha256:0123") */
	assert_string_equal(s, "urn:uuid:bebe3264-723d-51c4-9ee3-7e27e918b2c0");
	assert_int_equal(pl_sbom_format_parse("CycloneDX"), PL_SBOM_CYCLONEDX);
	assert_int_equal(pl_sbom_format_parse("spdx"), PL_SBOM_SPDX);
	assert_int_equal(pl_sbom_format_parse("xml"), -1);
	setenv("SOURCE_DATE_EPOCH", "1795000000", 1);
	pl_sbom_time(s);
	assert_string_equal(s, "2026-11-18T11:06:40Z");
	unsetenv("SOURCE_DATE_EPOCH");
}

/* The documents for a fake image: parse them back and look at the fields. */
static void test_documents(void **state)
{
	(void)state;
	pl_image img;
	memset(&img, 0, sizeof img);
	img.ref = "example/app:1.0";
	img.path = "app.tar";
	img.config_digest = "sha256:00ff";
	pl_pkgs p;
	pl_pkgs_init(&p);
	pl_pkgs_parse_apk(&p, apk_db, sizeof apk_db - 1, "/lib/apk/db/installed");
	static const char bad[] = "Package: a+b\nStatus: install ok installed\n\n"
				  "Package: a.b\nStatus: install ok installed\n\n"
				  "Package: a\xff\nStatus: install ok installed\n";
	pl_pkgs_parse_dpkg(&p, bad, sizeof bad - 1, "db", false);
	pl_pkgs_sort(&p);

	char *doc = pl_sbom_json(&img, &p, PL_SBOM_CYCLONEDX, "2026-11-28T08:00:00Z", "0.1.0");
	json_error_t e;
	json_t *j = json_loads(doc, 0, &e);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "specVersion")), "1.6");
	char serial[48];
	pl_sbom_serial("sha256:00ff", serial);
	assert_string_equal(json_string_value(json_object_get(j, "serialNumber")), serial);
	json_t *comps = json_object_get(j, "components");
	assert_int_equal(json_array_size(comps), 6); /* no os-release: no OS component */
	json_t *c0 = json_array_get(comps, 0);
	assert_string_equal(json_string_value(json_object_get(c0, "name")), "Busybox");
	json_t *musl = json_array_get(comps, 5);
	assert_string_equal(json_string_value(json_object_get(musl, "purl")),
			    "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64");
	json_t *lic = json_array_get(json_object_get(musl, "licenses"), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(lic, "license"), "name")),
			    "MIT");
	json_t *meta = json_object_get(json_object_get(j, "metadata"), "component");
	assert_string_equal(json_string_value(json_object_get(meta, "type")), "container");
	assert_string_equal(json_string_value(json_object_get(meta, "name")), "example/app:1.0");
	json_decref(j);
	free(doc);

	doc = pl_sbom_json(&img, &p, PL_SBOM_SPDX, "2026-11-28T08:00:00Z", "0.1.0");
	j = json_loads(doc, 0, &e);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "documentNamespace")),
			    "https://plimsoll.dev/spdx/example-app-1.0-00ff");
	json_t *pk = json_object_get(j, "packages");
	assert_int_equal(json_array_size(pk), 7);
	/* "a+b" and "a.b" and "a?" sanitise apart; "a+b" and a second "a-b" would get "-2" */
	const char *ids[7];
	for (size_t i = 0; i < 7; i++)
		ids[i] = json_string_value(json_object_get(json_array_get(pk, i), "SPDXID"));
	assert_string_equal(ids[0], "SPDXRef-Image");
	assert_string_equal(ids[2], "SPDXRef-Package-deb-a-b");
	assert_string_equal(ids[3], "SPDXRef-Package-deb-a.b");
	assert_string_equal(ids[4], "SPDXRef-Package-deb-a-");
	/* "MPL-2.0 AND MIT" is an expression; apk licenses go to licenseDeclared only */
	json_t *ca = json_array_get(pk, 5);
	assert_string_equal(json_string_value(json_object_get(ca, "licenseDeclared")), "MPL-2.0 AND MIT");
	assert_string_equal(json_string_value(json_object_get(ca, "licenseConcluded")), "NOASSERTION");
	assert_int_equal(json_array_size(json_object_get(j, "relationships")), 7);
	json_decref(j);
	free(doc);
	pl_pkgs_free(&p);
}

/* Read from an image: os-release through its symlink, status.d with .md5sums and a package
 * removed by a later layer, and the dpkg status next to it. */
static void test_image(void **state)
{
	(void)state;
	char dir[] = "/tmp/plimsoll-sbom-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char spec[512], tar[512], cmd[2048];
	snprintf(spec, sizeof spec, "%s/spec.json", dir);
	snprintf(tar, sizeof tar, "%s/img.tar", dir);
	FILE *f = fopen(spec, "w");
	assert_non_null(f);
	fputs("{\"layers\": [{\"files\": ["
	      "{\"path\": \"/usr/lib/os-release\", \"content\": \"ID=debian\\nVERSION_ID=\\\"12\\\"\\n\"},"
	      "{\"path\": \"/etc/os-release\", \"type\": \"symlink\", \"link\": \"../usr/lib/os-release\"},"
	      "{\"path\": \"/var/lib/dpkg/status\", \"content\": \"Package: tzdata\\nStatus: install ok installed\\nVersion: 2024a-0+deb12u1\\nArchitecture: all\\n\"},"
	      "{\"path\": \"/var/lib/dpkg/status.d/libc6\", \"content\": \"Package: libc6\\nVersion: 2.36-9\\nArchitecture: amd64\\n\"},"
	      "{\"path\": \"/var/lib/dpkg/status.d/libc6.md5sums\", \"content\": \"Package: bogus\\n\"},"
	      "{\"path\": \"/var/lib/dpkg/status.d/gone\", \"content\": \"Package: gone\\n\"}"
	      "]}, {\"whiteouts\": [\"/var/lib/dpkg/status.d/gone\"]}]}", f);
	fclose(f);
	const char *root = getenv("PL_ROOT") ? getenv("PL_ROOT") : ".";
	snprintf(cmd, sizeof cmd, "python3 '%s/tests/image/spec2image.py' '%s' '%s'", root, spec, tar);
	assert_int_equal(system(cmd), 0);
	pl_image img;
	char err[512];
	if (pl_image_open(&img, tar, NULL, err, sizeof err) != 0)
		fail_msg("%s", err);
	pl_pkgs p;
	pl_pkgs_init(&p);
	pl_image_packages(&img, &p);
	assert_string_equal(p.distro_id, "debian");
	assert_string_equal(p.distro_version, "12");
	assert_int_equal(p.n, 2);
	assert_int_equal(p.unread, 0);
	purl_of(&p, 0, "pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12");
	purl_of(&p, 1, "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12");
	assert_string_equal(p.v[0].db, "/var/lib/dpkg/status.d/libc6");
	pl_pkgs_free(&p);
	pl_image_free(&img);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_purl),
		cmocka_unit_test(test_status_d),
		cmocka_unit_test(test_apk),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
