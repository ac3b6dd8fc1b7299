/* scan.c - pl_emit: how a rule reports. Copies everything, so rules may pass temporaries. */
#include "engine/scan.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "model/container.h"

#include <stdarg.h>
#include <string.h>

static void emit(pl_scan *s, int line, int col, int end_line, int end_col, const char *aka,
		 const char *fix, const char *fmt, va_list ap)
{
	pl_finding *f = pl_findings_add(&s->out);
	f->rule = s->rule;
	f->severity = s->rule->severity;
	f->file = xstrdup(s->path);
	f->line = line;
	f->col = col;
	f->end_line = end_line;
	f->end_col = end_col;
	f->target = s->target ? xstrdup(s->target) : NULL;
	buf m = BUF_INIT;
	buf_vprintf(&m, fmt, ap);
	f->message = buf_detach(&m, NULL);
	const pl_rule *r = s->rule;
	const char *own = s->input == IN_C ? r->fix_compose : s->input == IN_K ? r->fix_k8s
			  : s->input == IN_L ? r->fix_live : NULL;
	const char *hint = fix ? fix : own ? own : r->fix;
	f->fix = hint ? xstrdup(hint) : NULL;
	f->aka = xstrdup(aka ? aka : "");
}

void pl_scan_init(pl_scan *s, const pl_config *cfg, const char *path)
{
	memset(s, 0, sizeof *s);
	arena_init(&s->mem);
	s->cfg = cfg;
	s->path = path;
}

void pl_emit(pl_scan *s, const df_word *w, const char *aka, const char *fix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (w)
		emit(s, w->line, w->col, w->end_line, w->end_col, aka, fix, fmt, ap);
	else
		emit(s, 0, 0, 0, 0, aka, fix, fmt, ap);
	va_end(ap);
}

void pl_emit_at(pl_scan *s, int line, int col, int end_line, int end_col, const char *aka,
		const char *fix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(s, line, col, end_line, end_col, aka, fix, fmt, ap);
	va_end(ap);
}

void *pl_scan_memo(const pl_scan *s, const void *key)
{
	for (size_t i = 0; i < sizeof s->memo / sizeof s->memo[0]; i++)
		if (s->memo[i].key == key)
			return s->memo[i].val;
	return NULL;
}

void pl_scan_memo_set(pl_scan *s, const void *key, void *val)
{
	for (size_t i = 0; i < sizeof s->memo / sizeof s->memo[0]; i++)
		if (!s->memo[i].key || s->memo[i].key == key) {
			s->memo[i].key = key;
			s->memo[i].val = val;
			return;
		}
}

void pl_emit_origin(pl_scan *s, const pl_origin *at, int sev, const char *aka,
		    const char *fix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *saved = s->path;
	if (at && at->file)
		s->path = at->file;
	size_t before = s->out.n;
	if (at)
		emit(s, at->line, at->col, at->end_line, at->end_col, aka, fix, fmt, ap);
	else
		emit(s, 0, 0, 0, 0, aka, fix, fmt, ap);
	s->path = saved;
	va_end(ap);
	pl_finding *f = &s->out.v[before];
	if (sev >= 0)
		f->severity = (pl_severity)sev;
	if (at && at->via) {
		buf m = BUF_INIT;
		buf_printf(&m, "%s (%s)", f->message, at->via);
		free(f->message);
		f->message = buf_detach(&m, NULL);
	}
}
