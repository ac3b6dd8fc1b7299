/* test_image.c - the image reader on images built here without docker
 * (tests/image/mkimages.py): classic docker save, OCI layout dir and tar (gzip and zstd
 * layers), Docker 25 OCI-compatible save, a containerd-store multi-platform save with absent
 * blobs, a corrupted blob and a wrong diff_id, a truncated archive, a gzip bomb. The merged
 * filesystem is compared entry by entry (whiteouts, opaque directory, path traversal). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "image/image.h"
#include "image/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fixture {
	char dir[256];
} fixture;

static int group_setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/plimsoll-image-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	const char *root = getenv("PL_ROOT") ? getenv("PL_ROOT") : ".";
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "python3 '%s/tests/image/mkimages.py' '%s'", root, f->dir);
	if (system(cmd) != 0)
		return -1;
	*state = f;
	return 0;
}

static int group_teardown(void **state)
{
	fixture *f = *state;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void open_ok(void **state, const char *name, const img_opts *o, pl_image *img)
{
	fixture *f = *state;
	char p[512], err[512];
	snprintf(p, sizeof p, "%s/%s", f->dir, name);
	if (pl_image_open(img, p, o, err, sizeof err) != 0)
		fail_msg("%s: %s", name, err);
}

/* The merged filesystem as text: one line per path. */
static char *files_text(const pl_image *img)
{
	size_t cap = 8192, n = 0;
	char *b = malloc(cap);
	b[0] = '\0';
	for (size_t i = 0; i < img->nfiles; i++) {
		const img_file *f = &img->files[i];
		char line[1024];
		int k = snprintf(line, sizeof line, "%c %04o %u:%u %lld L%d %s%s%s%s%s%s%s\n", f->type,
				 f->mode, f->uid, f->gid, (long long)f->size, f->layer, f->path,
				 f->link ? " -> " : "", f->link ? f->link : "",
				 f->deleted ? (f->deleted_in == 1 ? " deleted-in-1" : " deleted-in-?") : "",
				 f->has_file_caps ? " caps" : "", f->secret ? " secret=" : "",
				 f->secret ? f->secret : "");
		if (n + (size_t)k + 1 > cap)
			b = realloc(b, cap *= 2);
		memcpy(b + n, line, (size_t)k + 1);
		n += (size_t)k;
	}
	return b;
}

static const char expected_files[] =
	"d 0755 0:0 0 L0 /app\n"
	"- 0644 0:0 500 L1 /app/big.bin\n"
	"- 0644 1000:1000 55 L0 /app/config.txt secret=GitHub token\n"
	"d 0755 0:0 0 L0 /etc\n"
	"- 0644 0:0 3 L1 /etc/motd\n"
	"- 0644 0:0 65 L0 /etc/passwd\n"
	"d 0755 0:0 0 L0 /opt\n"
	"d 0755 0:0 0 L0 /opt/data\n"
	"- 0644 0:0 5 L1 /opt/data/new.txt\n"
	"- 0644 0:0 10 L0 /opt/data/old.txt deleted-in-1\n"
	"d 0755 0:0 0 L0 /opt/data/sub deleted-in-1\n"
	"- 0644 0:0 20 L0 /opt/data/sub/x.txt deleted-in-1\n"
	"d 0700 0:0 0 L0 /root\n"
	"d 0700 0:0 0 L0 /root/.ssh\n"
	"- 0600 0:0 95 L0 /root/.ssh/id_rsa deleted-in-1 secret=SSH private key\n"
	"d 0755 0:0 0 L0 /usr\n"
	"d 0755 0:0 0 L0 /usr/bin\n"
	"- 0755 0:0 50 L0 /usr/bin/ping caps\n"
	"l 0777 0:0 0 L0 /usr/bin/sh -> busybox\n"
	"- 4755 0:0 100 L0 /usr/bin/su\n"
	"h 4755 0:0 0 L0 /usr/bin/su2 -> /usr/bin/su\n";

/* What every layout of the test image must give, whatever its packaging. */
static void assert_test_image(const pl_image *img, bool healthcheck)
{
	char *t = files_text(img);
	assert_string_equal(t, expected_files);
	free(t);

	const img_file *f = pl_image_file(img, "/app/config.txt");
	assert_non_null(f);
	assert_int_equal(f->secret_line, 2);
	assert_string_equal(f->secret_excerpt, "ghp_************************************");
	assert_int_equal(f->secret_layer, 0);
	assert_null(pl_image_file(img, "/root/.ssh/id_rsa")); /* deleted */
	assert_null(pl_image_file(img, "/etc/evil"));
	assert_null(pl_image_file(img, "/nope"));
	assert_non_null(pl_image_file(img, "/usr/bin/su"));

	assert_int_equal(img->nlayers, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_true(img->layers[i].verified);
		assert_true(img->layers[i].digest_ok);
		assert_true(img->layers[i].diff_id_ok);
		assert_non_null(img->layers[i].digest);
		assert_non_null(img->layers[i].diff_id);
	}
	assert_int_equal(img->layers[0].uncompressed, 20480);
	assert_int_equal(img->layers[1].uncompressed, 10240);
	/* id_rsa 95 + big.bin 1000 + old.txt 10 + sub/x.txt 20 */
	assert_int_equal(img->layers[0].wasted_bytes, 1125);
	assert_int_equal(img->layers[1].wasted_bytes, 0);
	assert_int_equal(img->layers[0].added_bytes, 1395);
	assert_int_equal(img->layers[1].added_bytes, 508);
	assert_int_equal(img->total_bytes, 1903);
	assert_string_equal(img->layers[0].created_by, "ADD rootfs.tar /");
	assert_string_equal(img->layers[1].created_by, "RUN rm /root/.ssh/id_rsa");

	assert_true(img->config_ok);
	assert_string_equal(img->user, "");
	assert_int_equal(img->nenv, 2);
	assert_string_equal(img->env[1], "GITHUB_TOKEN=ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
	assert_int_equal(img->nentrypoint, 1);
	assert_string_equal(img->entrypoint[0], "/app/run");
	assert_int_equal(img->ncmd, 1);
	assert_int_equal(img->nexposed, 2);
	assert_int_equal(img->nlabels, 1);
	assert_int_equal(img->nhistory, 3);
	assert_true(img->history[1].empty_layer);
	assert_int_equal(img->history[1].layer, -1);
	assert_int_equal(img->history[2].layer, 1);
	assert_int_equal(img->has_healthcheck, healthcheck);

	/* the one problem: the traversal entry of layer 1 */
	assert_int_equal(img->nproblems, 1);
	assert_non_null(strstr(img->problems[0].msg, "path traversal: \"../../etc/evil\""));
}

static void test_classic(void **state)
{
	pl_image img;
	open_ok(state, "classic.tar", NULL, &img);
	assert_string_equal(img.layout, "docker-save");
	assert_string_equal(img.ref, "plimsoll/test:1.0");
	assert_string_equal(img.platform, "linux/amd64");
	assert_test_image(&img, false);
	assert_string_equal(img.layers[0].media_type, "application/vnd.oci.image.layer.v1.tar");
	assert_non_null(strstr(img.problems[0].where, "/layer.tar"));
	pl_image_free(&img);
}

static void test_oci_dir_and_tar(void **state)
{
	const char *names[] = {"oci", "oci.tar"};
	for (size_t i = 0; i < 2; i++) {
		pl_image img;
		open_ok(state, names[i], NULL, &img);
		assert_string_equal(img.layout, "oci-layout");
		assert_string_equal(img.ref, "plimsoll/test:oci");
		assert_test_image(&img, true);
		assert_string_equal(img.layers[0].media_type,
				    "application/vnd.oci.image.layer.v1.tar+gzip");
		assert_string_equal(img.layers[1].media_type,
				    "application/vnd.oci.image.layer.v1.tar+zstd");
		assert_true(img.layers[0].size < img.layers[0].uncompressed);
		assert_int_equal(img.nhealthcheck_test, 2);
		assert_true(img.hc_interval == 30.0 && img.hc_timeout == 5.0 &&
			    img.hc_start_period == 10.0);
		assert_int_equal(img.hc_retries, 3);
		pl_image_free(&img);
	}
}

/* Two cores: each blob is read and hashed on a second thread (prefetch.c). The result
 * must be the same in every respect, also for a truncated archive and a bad digest. */
static void test_prefetch_same(void **state)
{
	const char *names[] = {"classic.tar", "oci", "oci.tar", "docker25.tar", "truncated.tar",
			       "corrupt", "bomb"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		pl_image one, two;
		/* the bomb under a 1 MiB cap: the reader stops early, the producer must too */
		int64_t cap = !strcmp(names[i], "bomb") ? 1 << 20 : 0;
		img_opts o1 = {.jobs = 1, .max_layer_bytes = cap}, o2 = {.jobs = 2, .max_layer_bytes = cap};
		open_ok(state, names[i], &o1, &one);
		open_ok(state, names[i], &o2, &two);
		char *a = files_text(&one), *b = files_text(&two);
		assert_string_equal(a, b);
		free(a);
		free(b);
		assert_int_equal(one.nlayers, two.nlayers);
		for (size_t l = 0; l < one.nlayers; l++) {
			assert_int_equal(one.layers[l].digest_ok, two.layers[l].digest_ok);
			assert_int_equal(one.layers[l].diff_id_ok, two.layers[l].diff_id_ok);
			assert_int_equal(one.layers[l].uncompressed, two.layers[l].uncompressed);
		}
		assert_int_equal(one.nproblems, two.nproblems);
		for (size_t k = 0; k < one.nproblems; k++)
			assert_string_equal(one.problems[k].msg, two.problems[k].msg);
		pl_image_free(&one);
		pl_image_free(&two);
	}
}

static void test_docker25(void **state)
{
	pl_image img;
	open_ok(state, "docker25.tar", NULL, &img);
	assert_string_equal(img.layout, "docker-save-oci");
	assert_string_equal(img.ref, "docker.io/plimsoll/test:1.0");
	assert_test_image(&img, false);
	pl_image_free(&img);
}

static void test_multi_platform(void **state)
{
	pl_image img;
	open_ok(state, "multi.tar", NULL, &img); /* only linux/arm64 is present */
	assert_string_equal(img.platform, "linux/arm64");
	assert_string_equal(img.ref, "docker.io/plimsoll/multi:2.0");
	assert_int_equal(img.nplatforms, 1);
	assert_string_equal(img.platforms[0], "linux/arm64/v8");
	assert_int_equal(img.absent_manifests, 1);
	assert_test_image(&img, false);
	pl_image_free(&img);

	img_opts o = {"linux/arm64", 1, false, 0};
	open_ok(state, "multi.tar", &o, &img);
	assert_string_equal(img.platform, "linux/arm64");
	pl_image_free(&img);

	fixture *f = *state;
	char p[512], err[512];
	snprintf(p, sizeof p, "%s/multi.tar", f->dir);
	o.platform = "linux/amd64";
	assert_int_equal(pl_image_open(&img, p, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "no image for linux/amd64 (present: linux/arm64/v8)"));
}

static void test_corrupt(void **state)
{
	pl_image img;
	open_ok(state, "corrupt", NULL, &img);
	assert_true(img.layers[0].verified);
	assert_false(img.layers[0].digest_ok);
	assert_true(img.layers[0].diff_id_ok);
	assert_true(img.layers[1].digest_ok);
	assert_false(img.layers[1].diff_id_ok);
	assert_int_equal(img.nproblems, 3);
	assert_string_equal(img.problems[0].where, "blobs/sha256/"
			    "1c82bb2330e879567d8743d220f5f1c36b72659637d96e453d7dd43e27840c95");
	assert_non_null(strstr(img.problems[0].msg, "blob does not match its digest"));
	assert_non_null(strstr(img.problems[2].msg, "layer 2: uncompressed content"));
	assert_non_null(strstr(img.problems[2].msg, "does not match diff_id"));
	/* still read: the tampered layer's files are checked, not trusted */
	assert_non_null(pl_image_file(&img, "/usr/bin/su"));
	pl_image_free(&img);
}

static void test_truncated(void **state)
{
	pl_image img;
	open_ok(state, "truncated.tar", NULL, &img);
	assert_false(img.layers[0].verified);
	assert_false(img.layers[0].digest_ok);
	assert_true(img.layers[1].verified);
	bool seen = false;
	for (size_t i = 0; i < img.nproblems; i++)
		seen = seen || (strstr(img.problems[i].msg, "blob is truncated") &&
				strstr(img.problems[i].where, "/layer.tar"));
	assert_true(seen);
	pl_image_free(&img);
}

static void test_bomb(void **state)
{
	img_opts o = {NULL, 1, false, 1 << 20};
	pl_image img;
	open_ok(state, "bomb", &o, &img);
	assert_false(img.layers[0].verified);
	assert_int_equal(img.layers[0].uncompressed, 1 << 20);
	bool seen = false;
	for (size_t i = 0; i < img.nproblems; i++)
		seen = seen || strstr(img.problems[i].msg, "exceeds 1048576 bytes");
	assert_true(seen);
	pl_image_free(&img);
	open_ok(state, "bomb", NULL, &img); /* under the default cap it is just a big file */
	assert_true(img.layers[0].verified && img.layers[0].diff_id_ok);
	assert_int_equal(img.total_bytes, 8 << 20);
	pl_image_free(&img);
}

static void test_container(void **state)
{
	pl_image img;
	pl_container c;
	open_ok(state, "oci", NULL, &img);
	pl_image_container(&img, &c);
	assert_string_equal(c.source_kind, "image");
	assert_string_equal(c.workload_kind, "image");
	assert_string_equal(c.target, "image plimsoll/test:oci");
	assert_string_equal(c.image.v, "plimsoll/test:oci");
	assert_null(c.user.v);
	assert_int_equal(c.nenv, 2);
	assert_string_equal(c.env[1].name, "GITHUB_TOKEN");
	assert_string_equal(c.env[1].value, "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
	assert_int_equal(c.env[1].kind, ENV_LITERAL);
	assert_null(c.env[1].at.file);
	assert_true(c.long_running);
	assert_int_equal(c.nports, 2);
	assert_true(c.health.set && !c.health.from_image && !c.health.disabled);
	assert_string_equal(c.health.what, "CMD-SHELL curl -f http://localhost:8080/ || exit 1");
	assert_true(c.health.interval.set && c.health.interval.v == 30);
	assert_true(c.health.retries.set && c.health.retries.v == 3);
	assert_false(c.liveness.set);
	assert_int_equal(c.privileged.v, TRI_UNSET);
	assert_true(c.mem_limit.v == -1);
	pl_image_free(&img);

	open_ok(state, "classic.tar", NULL, &img);
	pl_image_container(&img, &c);
	assert_false(c.health.set);
	assert_string_equal(c.target, "image plimsoll/test:1.0");
	int ports[2] = {c.ports[0].container_port, c.ports[1].container_port};
	assert_true((ports[0] == 8080 && ports[1] == 53) || (ports[0] == 53 && ports[1] == 8080));
	pl_image_free(&img);
}

static void test_not_images(void **state)
{
	fixture *f = *state;
	char p[512], err[512];
	pl_image img;
	assert_int_equal(pl_image_open(&img, "/nonexistent/image.tar", NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "No such file"));
	snprintf(p, sizeof p, "%s/bomb/oci-layout", f->dir); /* a file, not a tar */
	assert_int_equal(pl_image_open(&img, p, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "not an image archive"));
	snprintf(p, sizeof p, "%s/bomb/blobs", f->dir); /* a directory without an index */
	assert_int_equal(pl_image_open(&img, p, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "neither manifest.json nor index.json"));
}

static void test_normalise(void **state)
{
	(void)state;
	char b[32];
	assert_int_equal(img_normalise("./a//b/./c/", b, sizeof b), 5);
	assert_string_equal(b, "a/b/c");
	assert_int_equal(img_normalise("/abs/x", b, sizeof b), 5);
	assert_string_equal(b, "abs/x");
	assert_int_equal(img_normalise("a/../b", b, sizeof b), 1);
	assert_string_equal(b, "b");
	assert_int_equal(img_normalise("./", b, sizeof b), 0);
	assert_int_equal(img_normalise("../x", b, sizeof b), -1);
	assert_int_equal(img_normalise("a/../../x", b, sizeof b), -1);
	assert_int_equal(img_normalise("0123456789/0123456789/0123456789", b, sizeof b), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_classic),
		cmocka_unit_test(test_oci_dir_and_tar),
		cmocka_unit_test(test_docker25),
		cmocka_unit_test(test_multi_platform),
		cmocka_unit_test(test_prefetch_same),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_container),
		cmocka_unit_test(test_not_images),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
