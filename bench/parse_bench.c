/* parse_bench.c - throughput of the Dockerfile parser alone, on one core (make bench).
 *
 * Usage: parse_bench [--min-seconds=S] [--list=FILE] [PATH...]
 *
 * Loads every input into memory once (as the CLI does: pl_read_file, NUL-terminated), parses
 * each one once untimed to warm caches and count failures, then parses all of them round
 * after round (df_parse + df_free) until at least S seconds (default 2) have passed on
 * CLOCK_MONOTONIC. Reading, text checks and dumping are not timed. The process CPU time is
 * taken too: cpu_share well below 1 means the machine was busy and the figures are low.
 * Prints one line of key=value pairs for bench/run.sh; MB means 10^6 bytes. */
#include "core/file.h"
#include "dockerfile/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct input {
	char *path;
	pl_input in;
} input;

static input *inputs;
static size_t ninputs, capinputs;

static double now(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add_input(const char *path)
{
	char err[256];
	if (ninputs == capinputs) {
		capinputs = capinputs ? capinputs * 2 : 256;
		inputs = realloc(inputs, capinputs * sizeof *inputs);
		if (!inputs) {
			fprintf(stderr, "parse_bench: out of memory\n");
			exit(1);
		}
	}
	input *it = &inputs[ninputs];
	if (pl_read_file(path, PL_MAX_INPUT, &it->in, err, sizeof err) < 0) {
		fprintf(stderr, "parse_bench: %s: %s\n", path, err);
		exit(1);
	}
	it->path = strdup(path);
	if (!it->path) {
		fprintf(stderr, "parse_bench: out of memory\n");
		exit(1);
	}
	ninputs++;
}

/* One path per line; empty lines are skipped. */
static void add_list(const char *list)
{
	FILE *fp = fopen(list, "r");
	if (!fp) {
		perror(list);
		exit(1);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, fp)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n > 0)
			add_input(line);
	}
	free(line);
	fclose(fp);
}

/* Parse every input once; returns how many failed to parse. */
static size_t parse_all(size_t *nodes)
{
	size_t failed = 0;
	for (size_t i = 0; i < ninputs; i++) {
		df_file f;
		if (df_parse(&f, inputs[i].path, inputs[i].in.data, inputs[i].in.len) < 0)
			failed++;
		*nodes += f.nnodes;
		df_free(&f);
	}
	return failed;
}

int main(int argc, char **argv)
{
	double min_seconds = 2.0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "--min-seconds=", 14)) {
			min_seconds = atof(a + 14);
		} else if (!strncmp(a, "--list=", 7)) {
			add_list(a + 7);
		} else if (a[0] == '-') {
			fprintf(stderr, "usage: parse_bench [--min-seconds=S] [--list=FILE] [PATH...]\n");
			return 2;
		} else {
			add_input(a);
		}
	}
	if (ninputs == 0) {
		fprintf(stderr, "parse_bench: no input files\n");
		return 2;
	}
	size_t bytes = 0;
	for (size_t i = 0; i < ninputs; i++)
		bytes += inputs[i].in.len;

	size_t nodes = 0;
	size_t failed = parse_all(&nodes); /* warm-up, untimed */
	size_t nodes_per_round = nodes;

	size_t rounds = 0;
	double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID), elapsed;
	do {
		nodes = 0;
		parse_all(&nodes);
		rounds++;
		elapsed = now(CLOCK_MONOTONIC) - t0;
	} while (elapsed < min_seconds);
	double cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
	if (nodes != nodes_per_round) {
		fprintf(stderr, "parse_bench: parse is not deterministic (%zu vs %zu nodes)\n",
			nodes, nodes_per_round);
		return 1;
	}

	double total_bytes = (double)bytes * (double)rounds;
	double total_files = (double)ninputs * (double)rounds;
	printf("files=%zu bytes=%zu nodes=%zu parse_errors=%zu rounds=%zu seconds=%.3f "
	       "mb_per_s=%.1f files_per_s=%.0f cpu_seconds=%.3f cpu_share=%.2f cpu_mb_per_s=%.1f\n",
	       ninputs, bytes, nodes_per_round, failed, rounds, elapsed,
	       total_bytes / elapsed / 1e6, total_files / elapsed, cpu, cpu / elapsed,
	       total_bytes / cpu / 1e6);

	for (size_t i = 0; i < ninputs; i++) {
		pl_input_free(&inputs[i].in);
		free(inputs[i].path);
	}
	free(inputs);
	return 0;
}
