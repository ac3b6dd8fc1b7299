/* fuzz_image.c - libFuzzer target for the image reader (src/image/image.h).
 *
 * pl_image_open reads a path, so each input is written to one per-process file in a
 * directory made once with mkdtemp (removed at exit) and opened as an image archive: the
 * outer tar reader, manifest/index/config JSON, descriptor checks, the layer pipeline
 * (decompression, tar, whiteouts, secrets) all see it. Work per input is capped: each
 * layer's uncompressed stream stops at 4 MiB. Checked: a failed open gives a reason
 * (without the path, which the caller names); an open image has its files sorted and
 * unique, every file's layer is a real layer, deleted files name the deleting layer, and pl_image_file finds
 * every live file. A broken invariant traps.
 * Build: make build/fuzz/fuzz_image; run: make fuzz (see fuzz/run.sh). Good seeds: the
 * archives tests/image/mkimages.py writes. */
#include "check.h"
#include "tmpfile.h"
#include "image/image.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fz_file("image", "image.tar", data, size);

	/* every fourth input goes through the two-core path (the prefetch thread) */
	img_opts o = {"linux/amd64", size % 4 == 3 ? 2 : 1, false, 4 << 20};
	pl_image img;
	char err[1024];
	memset(err, 0, sizeof err);
	if (pl_image_open(&img, path, size % 2 ? &o : NULL, err, sizeof err) != 0) {
		/* a reason, without the path: the caller says which image */
		CHECK(err[0] && strncmp(err, path, strlen(path)) != 0);
		return 0;
	}
	CHECK(img.layout && img.config_digest);
	for (size_t i = 0; i < img.nfiles; i++) {
		const img_file *f = &img.files[i];
		CHECK(f->path[0] == '/');
		CHECK(i == 0 || strcmp(img.files[i - 1].path, f->path) < 0);
		CHECK(f->layer >= 0 && (size_t)f->layer < img.nlayers);
		CHECK(f->deleted ? f->deleted_in >= f->layer && (size_t)f->deleted_in < img.nlayers
				 : f->deleted_in == -1);
		CHECK(f->deleted || pl_image_file(&img, f->path) == f);
		CHECK(!f->secret || (f->secret_layer >= 0 && (size_t)f->secret_layer < img.nlayers));
	}
	for (size_t i = 0; i < img.nlayers; i++)
		CHECK(img.layers[i].wasted_bytes >= 0 && img.layers[i].added_bytes >= 0);
	pl_container c;
	pl_image_container(&img, &c);
	CHECK(c.target && !strcmp(c.source_kind, "image"));
	pl_image_free(&img);
	return 0;
}
