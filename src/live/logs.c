/* logs.c - demultiplex a container's log stream into lines and judge each as a
 * structured (JSON) log line: is it one JSON object, and which of the fields a log
 * pipeline needs (timestamp, level, message, service, correlation id) does it carry. */
#include "live/logs.h"

#include <jansson.h>

#include <stdint.h>
#include <string.h>

static const char *const ts_names[] = {"time", "timestamp", "ts", "@timestamp", "datetime",
				       "date", "t", NULL};
static const char *const level_names[] = {"level", "lvl", "severity", "log.level",
					  "levelname", "severity_text", "SeverityText", "loglevel",
					  NULL};
static const char *const msg_names[] = {"msg", "message", "event", "body", "Body", "text",
					NULL};
static const char *const service_names[] = {"service", "service.name", "service_name",
					    "app", "application", "logger", "name", "component",
					    NULL};
static const char *const corr_names[] = {"trace_id", "traceId", "trace.id", "TraceId",
					 "request_id", "requestId", "req_id", "reqId",
					 "correlation_id", "correlationId", "span_id", "spanId",
					 "x_request_id", NULL};

const dl_fields dl_default_fields = {
	{ts_names, level_names, msg_names, service_names, corr_names}};
const char *const dl_field_label[DL_NFIELDS] = {"timestamp", "level", "message", "service",
						"correlation id"};

/* A key, flat ("log.level") or as a path of nested objects ({"log": {"level": ...}}). */
static bool has_key(json_t *obj, const char *name)
{
	if (json_object_get(obj, name))
		return true;
	const char *dot = strchr(name, '.');
	if (!dot || dot == name)
		return false;
	char head[64];
	size_t hn = (size_t)(dot - name);
	if (hn >= sizeof head)
		return false;
	memcpy(head, name, hn);
	head[hn] = '\0';
	json_t *sub = json_object_get(obj, head);
	return json_is_object(sub) && has_key(sub, dot + 1);
}

void dl_judge_line(const char *line, size_t n, const dl_fields *f, dl_stats *st)
{
	while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	size_t i = 0;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == n)
		return; /* blank lines are not log lines */
	st->lines++;
	if (line[i] != '{' || line[n - 1] != '}')
		return;
	json_t *j = json_loadb(line + i, n - i, JSON_REJECT_DUPLICATES, NULL);
	if (json_is_object(j)) {
		st->json++;
		for (int k = 0; k < DL_NFIELDS; k++)
			for (const char *const *nm = f->names[k]; nm && *nm; nm++)
				if (has_key(j, *nm)) {
					st->with[k]++;
					break;
				}
	}
	json_decref(j);
}

/* Lines are gathered across frames in a bounded buffer. */
typedef struct liner {
	char buf[DL_MAX_LINE];
	size_t n;
	bool cut;
	const dl_fields *f;
	dl_stats *st;
} liner;

static void flush(liner *l)
{
	if (l->n || l->cut)
		dl_judge_line(l->buf, l->n, l->f, l->st);
	if (l->cut)
		l->st->cut++;
	l->n = 0;
	l->cut = false;
}

static void feed(liner *l, const unsigned char *p, size_t n)
{
	while (n) {
		const unsigned char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		size_t room = sizeof l->buf - l->n;
		size_t k = take < room ? take : room;
		memcpy(l->buf + l->n, p, k);
		l->n += k;
		if (k < take)
			l->cut = true;
		if (!nl)
			return;
		flush(l);
		p = nl + 1;
		n -= take + 1;
	}
}

void dl_analyze(const unsigned char *data, size_t len, bool tty, const dl_fields *f,
		dl_stats *st)
{
	static _Thread_local liner out, err; /* 128 KiB: not on the stack */
	out.n = 0, out.cut = false, out.f = f, out.st = st;
	err.n = 0, err.cut = false, err.f = f, err.st = st;
	if (tty) {
		feed(&out, data, len);
		flush(&out);
		return;
	}
	size_t i = 0;
	while (i < len) {
		if (len - i < 8 || data[i] > 2 || data[i + 1] || data[i + 2] || data[i + 3]) {
			/* not a frame header: the rest is read raw, so nothing is lost */
			st->bad_frames++;
			feed(&out, data + i, len - i);
			break;
		}
		uint32_t size = (uint32_t)data[i + 4] << 24 | (uint32_t)data[i + 5] << 16 |
				(uint32_t)data[i + 6] << 8 | data[i + 7];
		liner *l = data[i] == 2 ? &err : &out;
		i += 8;
		size_t take = size < len - i ? size : len - i; /* a truncated last frame */
		if (l == &err) {
			size_t before = st->lines;
			feed(l, data + i, take);
			st->stderr_lines += st->lines - before;
		} else {
			feed(l, data + i, take);
		}
		i += take;
	}
	size_t before = st->lines;
	flush(&err);
	st->stderr_lines += st->lines - before;
	flush(&out);
}
