/* logs.h - a container's log output as the Engine API returns it
 * (GET /containers/{id}/logs), split into lines and judged as structured logs (PL502).
 *
 * Without a TTY the Engine multiplexes stdout and stderr into frames: an 8-byte header
 * (stream 1 or 2, three zero bytes, a big-endian 32-bit length) and the payload. With a
 * TTY the stream is raw. Lines may span frames and frames may hold many lines. */
#ifndef PL_LIVE_LOGS_H
#define PL_LIVE_LOGS_H

#include <stdbool.h>
#include <stddef.h>

#define DL_MAX_LINE (64u << 10) /* longer lines are cut there (and counted as cut) */

enum { DL_TIMESTAMP, DL_LEVEL, DL_MESSAGE, DL_SERVICE, DL_CORRELATION, DL_NFIELDS };

/* The names each expected field may have in a JSON log line; NULL-terminated lists. The
 * defaults (dl_default_fields) cover the common libraries: zap, logrus, slog, pino,
 * winston, bunyan, structlog, ECS and OpenTelemetry names. */
typedef struct dl_fields {
	const char *const *names[DL_NFIELDS];
} dl_fields;
extern const dl_fields dl_default_fields;
extern const char *const dl_field_label[DL_NFIELDS]; /* "timestamp", "level", ... */

typedef struct dl_stats {
	size_t lines;             /* non-empty lines */
	size_t json;              /* lines that are one JSON object */
	size_t with[DL_NFIELDS];  /* JSON lines that carry each expected field */
	size_t cut;               /* lines longer than DL_MAX_LINE */
	size_t bad_frames;        /* multiplexed stream headers that made no sense */
	size_t stderr_lines;
} dl_stats;

/* Decode the stream (tty: raw) and judge every line into st (zeroed by the caller). */
void dl_analyze(const unsigned char *data, size_t len, bool tty, const dl_fields *f,
		dl_stats *st);

/* Judge one line (without its newline). */
void dl_judge_line(const char *line, size_t n, const dl_fields *f, dl_stats *st);

#endif
