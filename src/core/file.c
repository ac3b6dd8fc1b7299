/* file.c - see file.h. */
#include "file.h"
#include "buf.h"
#include "utf8.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pl_read_file(const char *path, size_t limit, pl_input *out, char *err, size_t errlen)
{
	out->data = NULL;
	out->len = 0;
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "is a directory, not a file");
			goto fail;
		}
		if (S_ISREG(st.st_mode) && (size_t)st.st_size > limit) {
			snprintf(err, errlen, "file is %lld bytes, over the %zu-byte input limit",
				 (long long)st.st_size, limit);
			goto fail;
		}
	}
	buf b = BUF_INIT;
	for (;;) {
		buf_grow(&b, 65536);
		ssize_t r = read(fd, b.p + b.len, b.cap - b.len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot read: %s", strerror(errno));
			buf_free(&b);
			goto fail;
		}
		if (r == 0)
			break;
		b.len += (size_t)r;
		if (b.len > limit) {
			snprintf(err, errlen, "input is over the %zu-byte limit", limit);
			buf_free(&b);
			goto fail;
		}
	}
	buf_grow(&b, 0);
	b.p[b.len] = '\0';
	if (fd != STDIN_FILENO)
		close(fd);
	out->len = b.len;
	out->data = buf_detach(&b, NULL);
	return 0;
fail:
	if (fd != STDIN_FILENO)
		close(fd);
	return -1;
}

void pl_input_free(pl_input *in)
{
	free(in->data);
	in->data = NULL;
	in->len = 0;
}

bool pl_text_check(const char *s, size_t n, size_t *bad_off, const char **why)
{
	const char *nul = memchr(s, '\0', n);
	size_t lim = nul ? (size_t)(nul - s) : n;
	size_t i = 0;
	while (i < lim) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		int w;
		if (utf8_decode(s + i, lim - i, &w) == RUNE_ERROR && w == 1) {
			/* U+FFFD itself is valid text; only an undecodable byte is an error. */
			if (!(lim - i >= 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0)) {
				*bad_off = i;
				*why = "invalid UTF-8 (the file is not UTF-8 text)";
				return false;
			}
			w = 3;
		}
		i += (size_t)w;
	}
	if (nul) {
		*bad_off = lim;
		*why = "NUL byte (binary file, not a text file)";
		return false;
	}
	return true;
}
