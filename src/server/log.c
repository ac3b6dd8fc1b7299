/* log.c - JSON lines on stdout (see log.h).
 *
 * A line is built in memory and written with one fwrite under a lock, then flushed, so
 * lines from worker threads never interleave and a log collector sees each line as soon
 * as it is written, even when stdout is a pipe. */
#include "server/log.h"
#include "core/buf.h"
#include "core/jsonw.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void start(jsonw *w, buf *b, const char *level, const char *message)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char stamp[40];
	size_t n = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(stamp + n, sizeof stamp - n, ".%03ldZ", ts.tv_nsec / 1000000);
	jw_init(w, b, false);
	jw_obj(w);
	jw_key(w, "timestamp");
	jw_str(w, stamp);
	jw_key(w, "level");
	jw_str(w, level);
	jw_key(w, "message");
	jw_str(w, message);
	jw_key(w, "service");
	jw_str(w, "plimsoll");
}

static void finish(jsonw *w, buf *b)
{
	jw_obj_end(w);
	buf_addc(b, '\n');
	pthread_mutex_lock(&out_lock);
	fwrite(b->p, 1, b->len, stdout);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
	buf_free(b);
}

void pl_log(const char *level, const char *fmt, ...)
{
	buf msg = BUF_INIT, b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	jsonw w;
	start(&w, &b, level, buf_str(&msg));
	finish(&w, &b);
	buf_free(&msg);
}

static void opt_str(jsonw *w, const char *k, const char *v)
{
	if (v && *v) {
		jw_key(w, k);
		jw_str(w, v);
	}
}

void pl_log_review_line(const char *level, const char *message, const pl_log_review *r)
{
	buf b = BUF_INIT;
	jsonw w;
	start(&w, &b, level, message);
	opt_str(&w, "correlation_id", r->uid);
	opt_str(&w, "kind", r->kind);
	opt_str(&w, "namespace", r->namespace_);
	opt_str(&w, "name", r->name);
	opt_str(&w, "operation", r->operation);
	jw_key(&w, "dry_run");
	jw_bool(&w, r->dry_run);
	jw_key(&w, "decision");
	jw_str(&w, r->decision);
	jw_key(&w, "findings");
	jw_int(&w, (long long)r->findings);
	jw_key(&w, "status");
	jw_int(&w, r->status);
	/* milliseconds with microsecond precision: jsonw has no float, and this keeps the
	 * number exact in the text */
	jw_key(&w, "duration_ms");
	long long us = (long long)(r->duration_ms * 1000.0 + 0.5);
	buf_printf(&b, "%lld.%03lld", us / 1000, us % 1000);
	finish(&w, &b);
}
