/* tmpfile.h - for the fuzz targets whose code under test reads a path: each input is
 * written to one file, NAME in a directory made once with mkdtemp and removed at exit,
 * rewritten in place for every input (no file per input, no leftovers). */
#ifndef PL_FUZZ_TMPFILE_H
#define PL_FUZZ_TMPFILE_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fz_dir[64], fz_path[128];
static int fz_fd = -1;

static void fz_cleanup(void)
{
	if (fz_fd >= 0)
		close(fz_fd);
	unlink(fz_path);
	rmdir(fz_dir);
}

/* The path of NAME, now holding data; target names the directory ("plimsoll-fuzz-TARGET"). */
static const char *fz_file(const char *target, const char *name, const uint8_t *data,
			   size_t size)
{
	if (fz_fd < 0) {
		const char *tmp = getenv("TMPDIR");
		if (!tmp || !*tmp || strlen(tmp) > 32)
			tmp = "/tmp";
		snprintf(fz_dir, sizeof fz_dir, "%s/plimsoll-fuzz-%.16s-XXXXXX", tmp, target);
		if (!mkdtemp(fz_dir)) {
			perror("fuzz: mkdtemp");
			abort();
		}
		snprintf(fz_path, sizeof fz_path, "%s/%.32s", fz_dir, name);
		fz_fd = open(fz_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fz_fd < 0) {
			perror("fuzz: open");
			abort();
		}
		atexit(fz_cleanup);
	}
	if (ftruncate(fz_fd, 0) != 0)
		abort();
	for (size_t done = 0; done < size;) {
		ssize_t w = pwrite(fz_fd, data + done, size - done, (off_t)done);
		if (w <= 0)
			abort();
		done += (size_t)w;
	}
	return fz_path;
}

#endif
