/* json.c - the machine format: every finding with its span, and a summary. The schema is
 * documented in docs/output.md; keep the two in step. */
#include "report/report.h"
#include "core/jsonw.h"

#include <string.h>

/* Positions are 1-based; 0 means "none", which JSON says as null. */
static void pos(jsonw *w, const char *key, int v)
{
	jw_key(w, key);
	if (v > 0)
		jw_int(w, v);
	else
		jw_null(w);
}

/* aka is space-separated in the finding; consumers want a list. */
static void aka_array(jsonw *w, const char *aka)
{
	jw_arr(w);
	const char *p = aka ? aka : "";
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n)
			jw_strn(w, p, n);
		p += n;
	}
	jw_arr_end(w);
}

void pl_report_json(buf *out, const pl_findings *fs, const pl_report_opts *o)
{
	size_t by[SEV_CRITICAL + 1] = {0};
	jsonw w;
	jw_init(&w, out, true);
	jw_obj(&w);

	jw_key(&w, "tool");
	jw_obj(&w);
	jw_key(&w, "name");
	jw_str(&w, "plimsoll");
	jw_key(&w, "version");
	jw_str(&w, o->version);
	jw_obj_end(&w);

	jw_key(&w, "findings");
	jw_arr(&w);
	for (size_t i = 0; i < fs->n; i++) {
		const pl_finding *f = &fs->v[i];
		if (f->severity >= SEV_INFO && f->severity <= SEV_CRITICAL)
			by[f->severity]++;
		jw_obj(&w);
		jw_key(&w, "code");
		jw_str(&w, f->rule->code);
		jw_key(&w, "slug");
		jw_str(&w, f->rule->slug);
		jw_key(&w, "severity");
		jw_str(&w, pl_severity_name(f->severity));
		jw_key(&w, "file");
		jw_str(&w, f->file);
		pos(&w, "line", f->line);
		pos(&w, "column", f->col);
		pos(&w, "end_line", f->end_line);
		pos(&w, "end_column", f->end_col);
		jw_key(&w, "target");
		jw_str(&w, f->target);
		jw_key(&w, "message");
		jw_str(&w, f->message);
		jw_key(&w, "fix");
		jw_str(&w, f->fix);
		jw_key(&w, "aka");
		aka_array(&w, f->aka);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);

	jw_key(&w, "summary");
	jw_obj(&w);
	jw_key(&w, "files");
	jw_int(&w, (long long)o->nfiles);
	jw_key(&w, "findings");
	jw_int(&w, (long long)fs->n);
	jw_key(&w, "by_severity");
	jw_obj(&w);
	for (int s = SEV_CRITICAL; s >= SEV_INFO; s--) {
		jw_key(&w, pl_severity_name((pl_severity)s));
		jw_int(&w, (long long)by[s]);
	}
	jw_obj_end(&w);
	jw_key(&w, "fail_on");
	jw_str(&w, pl_severity_name(o->fail_on));
	jw_obj_end(&w);

	jw_obj_end(&w);
	buf_addc(out, '\n');
}
