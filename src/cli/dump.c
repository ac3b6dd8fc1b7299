/* dump.c - `plimsoll dump`: show how a Dockerfile parses.
 *
 * --format=buildkit prints BuildKit's own test dump, so our parse can be diffed against
 * BuildKit's expected results; --format=json prints our model with positions. */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/file.h"
#include "dockerfile/dump.h"
#include "dockerfile/parser.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *to)
{
	fprintf(to, "usage: plimsoll dump [--format=buildkit|json|stages] FILE...\n"
		    "  buildkit  BuildKit's own parse-tree dump (its test-result format)\n"
		    "  json      every instruction, flag and argument with line:column, and the\n"
		    "            resolved stages\n"
		    "  stages    the resolved build in plain text\n"
		    "  FILE may be '-' for standard input.\n");
}

/* Load, check and parse one file; prints the error and returns -1 on failure. */
static int load(const char *path, pl_input *in, df_file *df)
{
	char err[256];
	if (pl_read_file(path, DF_MAX_FILE, in, err, sizeof err) < 0) {
		cli_error_at(path, 0, 0, err);
		return -1;
	}
	size_t bad;
	const char *why;
	if (!pl_text_check(in->data, in->len, &bad, &why)) {
		int line = 1, col = 1;
		for (size_t i = 0; i < bad; i++) {
			if (in->data[i] == '\n')
				line++, col = 1;
			else
				col++;
		}
		cli_error_at(path, line, col, why);
		return -1;
	}
	if (df_parse(df, path, in->data, in->len) < 0) {
		cli_error_at(path, df->err_line, df->err_col, df->err);
		return -1;
	}
	return 0;
}

int cmd_dump(int argc, char **argv)
{
	const char *format = "buildkit";
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strncmp(a, "--format=", 9)) {
			format = a + 9;
		} else if (!strcmp(a, "--format") && i + 1 < argc) {
			format = argv[++i];
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "plimsoll dump: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		} else {
			break;
		}
	}
	if (strcmp(format, "buildkit") && strcmp(format, "json") && strcmp(format, "stages")) {
		fprintf(stderr, "plimsoll dump: unknown format '%s' (buildkit, json, stages)\n",
			format);
		return 2;
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	int rc = 0;
	for (; i < argc; i++) {
		pl_input in;
		df_file df;
		memset(&df, 0, sizeof df);
		if (load(argv[i], &in, &df) == 0) {
			buf out = BUF_INIT;
			if (!strcmp(format, "buildkit"))
				df_dump_buildkit(&df, &out);
			else {
				df_build b;
				df_build_model(&df, &b);
				if (!strcmp(format, "stages"))
					df_dump_stages(&b, &out);
				else
					df_dump_json(&df, &b, &out);
			}
			fwrite(out.p, 1, out.len, stdout);
			buf_free(&out);
		} else {
			rc = 1;
		}
		df_free(&df);
		pl_input_free(&in);
	}
	return rc;
}
