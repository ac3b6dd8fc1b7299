/* file.h - reading input files with limits and clear errors. */
#ifndef PL_FILE_H
#define PL_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* Inputs larger than this are refused before being read: no Dockerfile, compose file or
 * manifest comes near it, and it bounds memory on hostile input. */
#define PL_MAX_INPUT (32u * 1024 * 1024)

typedef struct pl_input {
	char *data;      /* malloc'd, NUL-terminated (data[len] == 0) */
	size_t len;
} pl_input;

/* Read path ("-" is standard input). On error returns -1 and writes a one-line reason
 * (without the path) into err. */
int pl_read_file(const char *path, size_t limit, pl_input *out, char *err, size_t errlen);
void pl_input_free(pl_input *in);

/* Text checks for inputs that must be text: the first NUL byte or invalid UTF-8 sequence.
 * Returns true when clean; otherwise sets *bad_off and a reason. */
bool pl_text_check(const char *s, size_t n, size_t *bad_off, const char **why);

#endif
