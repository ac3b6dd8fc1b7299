/* parser.c - physical lines to instructions: directives, continuations, comments, heredocs.
 *
 * Follows BuildKit's parser.Parse loop: each physical line is stripped of its newline (and,
 * for the first line of an instruction, of leading whitespace); parser directives are looked
 * for until the first line that is not one; comment lines are dropped, also inside a
 * continuation; a line ending in the escape token continues on the next. The joined logical
 * line goes to lineparse.c, and for RUN/COPY/ADD the heredoc bodies that follow are taken.
 * Every piece of a logical line remembers the file offset it came from (a segment), so
 * words can be given exact line:column positions afterwards. */
#include "dockerfile/parser.h"
#include "dockerfile/lineparse.h"
#include "dockerfile/shlex.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef df_seg seg;

typedef struct pstate {
	df_file *f;
	bool directives_done;
	bool seen[3];
	buf logical;
	seg *segs;
	size_t nsegs, capsegs;
	df_word *comments;
	size_t ncomments, capcomments;
	size_t capnodes;
} pstate;

static const char *const directive_names[3] = {"syntax", "escape", "check"};

static int errorf(df_file *f, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int errorf(df_file *f, size_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->err, sizeof f->err, fmt, ap);
	va_end(ap);
	df_position(f, off, &f->err_line, &f->err_col);
	return -1;
}

void df_position(const df_file *f, size_t off, int *line, int *col)
{
	/* The end of a file that ends in a newline is shown at that newline, the end of the last
	 * line: the offset itself would give a column past the line ("# x\n" -> 1:5), which no
	 * editor can show. Only errors at end of file ("file with no instructions") get here. */
	if (off >= f->len && f->len > 0 && f->src[f->len - 1] == '\n')
		off = f->len - 1;
	size_t lo = 0, hi = f->nlines;
	if (hi == 0) {
		*line = 1;
		*col = (int)off + 1;
		return;
	}
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->line_starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = (int)lo + 1;
	*col = (int)(off - f->line_starts[lo]) + 1;
}

/* --- physical lines -------------------------------------------------------------------- */

static size_t line_end(const df_file *f, size_t i) /* end including the newline */
{
	return i + 1 < f->nlines ? f->line_starts[i + 1] : f->len;
}

/* bytes.TrimRight(line, "\r\n") */
static size_t trim_newline(const char *s, size_t a, size_t b)
{
	while (b > a && (s[b - 1] == '\n' || s[b - 1] == '\r'))
		b--;
	return b;
}

static bool is_comment(const char *s, size_t a, size_t b)
{
	a += go_space_prefix(s + a, b - a);
	return a < b && s[a] == '#';
}

/* \s in Go's RE2: [\t\n\f\r ] */
static bool re_s(char c)
{
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

/* DirectiveParser.ParseLine on one processed line. */
static int directive_line(pstate *p, size_t a, size_t b)
{
	df_file *f = p->f;
	const char *s = f->src;
	if (p->directives_done)
		return 0;
	if (a >= b || s[a] != '#') {
		p->directives_done = true;
		return 0;
	}
	size_t i = a + 1;
	i += go_space_prefix(s + i, b - i);
	/* ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$ */
	size_t n0 = i;
	if (i >= b || !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) {
		p->directives_done = true;
		return 0;
	}
	while (i < b && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
			 (s[i] >= '0' && s[i] <= '9')))
		i++;
	size_t n1 = i;
	while (i < b && re_s(s[i]))
		i++;
	if (i >= b || s[i] != '=') {
		p->directives_done = true;
		return 0;
	}
	i++;
	size_t v0 = i;
	while (v0 < b && re_s(s[v0]))
		v0++;
	size_t v1 = b;
	while (v1 > v0 && re_s(s[v1 - 1]))
		v1--;
	if (v0 == v1) {
		/* All blank after '=': the lazy (.+?) still takes one character, the last. */
		if (i == b) {
			p->directives_done = true;
			return 0;
		}
		v0 = b - 1;
		v1 = b;
	}
	char name[16];
	size_t nl = n1 - n0;
	int which = -1;
	if (nl < sizeof name) {
		for (size_t k = 0; k < nl; k++) {
			char c = s[n0 + k];
			name[k] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		}
		name[nl] = '\0';
		for (int k = 0; k < 3; k++)
			if (strcmp(name, directive_names[k]) == 0)
				which = k;
	}
	if (which < 0) {
		p->directives_done = true;
		return 0;
	}
	if (p->seen[which])
		return errorf(f, n0, "only one %s parser directive can be used", name);
	p->seen[which] = true;
	if (which == 1) {
		if (v1 - v0 != 1 || (s[v0] != '\\' && s[v0] != '`'))
			return errorf(f, v0, "invalid escape token '%.*s' does not match ` or \\",
				      (int)(v1 - v0), s + v0);
		f->escape = s[v0];
	}
	f->directives = arena_grow(&f->mem, f->directives, f->ndirectives, f->ndirectives + 1,
				   sizeof *f->directives);
	df_directive *d = &f->directives[f->ndirectives++];
	d->name.s = arena_strdup(&f->mem, name);
	d->name.len = nl;
	d->name.off = n0;
	d->name.end = n1;
	d->value.s = arena_strndup(&f->mem, s + v0, v1 - v0);
	d->value.len = v1 - v0;
	d->value.off = v0;
	d->value.end = v1;
	df_position(f, n0, &d->name.line, &d->name.col);
	df_position(f, n1, &d->name.end_line, &d->name.end_col);
	df_position(f, v0, &d->value.line, &d->value.col);
	df_position(f, v1, &d->value.end_line, &d->value.end_col);
	return 1;
}

/* trimContinuationCharacter: ([^E])E[ \t]*$|^E[ \t]*$ replaced by $1. Returns the new end,
 * and whether the line ends the instruction. */
static size_t trim_continuation(const df_file *f, size_t a, size_t b, bool *eol)
{
	const char *s = f->src;
	size_t t = b;
	while (t > a && (s[t - 1] == ' ' || s[t - 1] == '\t'))
		t--;
	*eol = true;
	if (t == a || s[t - 1] != f->escape)
		return b;
	if (t - 1 == a) { /* the escape alone on the line */
		*eol = false;
		return a;
	}
	if (s[t - 2] == f->escape) /* an escaped escape does not continue */
		return b;
	*eol = false;
	return t - 1;
}

static void append_piece(pstate *p, size_t a, size_t b)
{
	if (p->nsegs == p->capsegs) {
		p->capsegs = p->capsegs ? p->capsegs * 2 : 16;
		p->segs = xrealloc(p->segs, p->capsegs * sizeof *p->segs);
	}
	p->segs[p->nsegs].loff = p->logical.len;
	p->segs[p->nsegs].foff = a;
	p->nsegs++;
	buf_add(&p->logical, p->f->src + a, b - a);
}

/* Map a logical-line offset to a file offset. */
static size_t seg_map(const seg *segs, size_t nsegs, size_t loff)
{
	size_t lo = 0, hi = nsegs;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (segs[mid].loff <= loff)
			lo = mid;
		else
			hi = mid;
	}
	return segs[lo].foff + (loff - segs[lo].loff);
}

static size_t map_off(const pstate *p, size_t loff)
{
	return seg_map(p->segs, p->nsegs, loff);
}

void df_rest_span(const df_file *f, const df_node *n, size_t a, size_t b, df_word *out)
{
	memset(out, 0, sizeof *out);
	if (!n->nsegs)
		return;
	out->off = seg_map(n->segs, n->nsegs, n->rest_loff + a);
	out->end = b > a ? seg_map(n->segs, n->nsegs, n->rest_loff + b - 1) + 1 : out->off;
	df_position(f, out->off, &out->line, &out->col);
	df_position(f, out->end, &out->end_line, &out->end_col);
}

static void map_word(const pstate *p, df_word *w)
{
	size_t off = map_off(p, w->off);
	size_t end = w->end > w->off ? map_off(p, w->end - 1) + 1 : off;
	w->off = off;
	w->end = end;
	df_position(p->f, off, &w->line, &w->col);
	df_position(p->f, end, &w->end_line, &w->end_col);
}

static void map_node(const pstate *p, df_node *n)
{
	for (; n; n = n->sub) {
		map_word(p, &n->keyword);
		map_word(p, &n->rest);
		for (size_t i = 0; i < n->nflags; i++)
			map_word(p, &n->flags[i]);
		for (size_t i = 0; i < n->nargs; i++)
			map_word(p, &n->args[i]);
	}
}

/* --- heredocs -------------------------------------------------------------------------- */

static bool can_contain_heredoc(const df_node *n)
{
	if (strcmp(n->keyword.s, "onbuild") == 0 && n->sub)
		n = n->sub;
	const char *k = n->keyword.s;
	if (strcmp(k, "add") && strcmp(k, "copy") && strcmp(k, "run"))
		return false;
	return !n->json;
}

static size_t count_quotes(const char *s, size_t n)
{
	size_t q = 0;
	for (size_t i = 0; i < n; i++)
		q += s[i] == '\'' || s[i] == '"';
	return q;
}

/* heredocFromMatch for one word; 1 found, 0 not a heredoc, -1 error (message in err). */
static int heredoc_from_word(arena *mem, const char *w, size_t n, df_heredoc *out,
			     char *err, size_t errlen)
{
	/* ^(\d*)<<(-?)([^<]*)$ */
	size_t i = 0;
	unsigned long long fd = 0;
	bool overflow = false;
	while (i < n && w[i] >= '0' && w[i] <= '9') {
		if (fd > (0xFFFFFFFFull - 9) / 10)
			overflow = true;
		fd = fd * 10 + (unsigned)(w[i] - '0');
		i++;
	}
	if (n - i < 2 || w[i] != '<' || w[i + 1] != '<')
		return 0;
	i += 2;
	bool chomp = false;
	if (i < n && w[i] == '-')
		chomp = true, i++;
	if (memchr(w + i, '<', n - i))
		return 0;
	if (i == n)
		return 0;
	shlex_opts o = {.escape = '\\', .skip_unset_env = true};
	shlex_result plain = {0}, raw = {0};
	int rc = 0;
	if (shlex_process(w + i, n - i, &o, NULL, NULL, &plain) < 0) {
		snprintf(err, errlen, "%s", plain.error);
		rc = -1;
	} else if (plain.nwords == 1) {
		o.raw_quotes = true;
		if (shlex_process(w + i, n - i, &o, NULL, NULL, &raw) < 0) {
			snprintf(err, errlen, "%s", raw.error);
			rc = -1;
		} else if (raw.nwords != 1) {
			snprintf(err, errlen,
				 "internal lexing of heredoc produced inconsistent results: %.*s",
				 (int)(n - i), w + i);
			rc = -1;
		} else {
			out->name = arena_strndup(mem, plain.words[0], plain.word_lens[0]);
			out->fd = overflow ? 0 : (unsigned)fd;
			out->chomp = chomp;
			out->expand = count_quotes(plain.words[0], plain.word_lens[0]) ==
				      count_quotes(raw.words[0], raw.word_lens[0]);
			rc = 1;
		}
	}
	shlex_result_free(&plain);
	shlex_result_free(&raw);
	return rc;
}

/* Read the bodies of the heredocs named on the node's line, from physical line *li on. */
static int take_heredocs(pstate *p, df_node *n, size_t *li, size_t line_off)
{
	df_file *f = p->f;
	shlex_opts o = {.escape = '\\', .raw_quotes = true, .raw_escapes = true,
			.skip_unset_env = true};
	shlex_result words = {0};
	/* Lexing errors here are ignored, as BuildKit ignores them: no heredocs then. */
	shlex_process(p->logical.p, p->logical.len, &o, NULL, NULL, &words);
	int rc = 0;
	size_t cap = n->nheredocs; /* grows geometrically: the arena keeps every old copy */
	for (size_t k = 0; k < words.nwords && rc == 0; k++) {
		df_heredoc h = {0};
		char err[256];
		int r = heredoc_from_word(&f->mem, words.words[k], words.word_lens[k], &h, err,
					  sizeof err);
		if (r < 0) {
			rc = errorf(f, line_off, "%s", err);
			break;
		}
		if (r == 0)
			continue;
		size_t body = *li < f->nlines ? f->line_starts[*li] : f->len;
		size_t tl = strlen(h.name);
		bool terminated = false;
		size_t body_end = f->len;
		while (*li < f->nlines) {
			size_t a = f->line_starts[*li], b = line_end(f, *li);
			(*li)++;
			size_t e = trim_newline(f->src, a, b);
			size_t s0 = a;
			if (h.chomp)
				while (s0 < e && f->src[s0] == '\t')
					s0++;
			if (e - s0 == tl && memcmp(f->src + s0, h.name, tl) == 0) {
				terminated = true;
				body_end = a;
				break;
			}
		}
		if (!terminated) {
			rc = errorf(f, line_off, "unterminated heredoc");
			break;
		}
		h.body.s = arena_strndup(&f->mem, f->src + body, body_end - body);
		h.body.len = body_end - body;
		h.body.off = body;
		h.body.end = body_end;
		df_position(f, body, &h.body.line, &h.body.col);
		df_position(f, body_end, &h.body.end_line, &h.body.end_col);
		/* Growing by one element copied the whole array each time, and the arena never
		 * frees: "RUN cat <<H1 <<H2 ... <<H10000" took 3 GB. Double instead. */
		if (n->nheredocs == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			n->heredocs = arena_grow(&f->mem, n->heredocs, n->nheredocs, ncap, sizeof h);
			cap = ncap;
		}
		n->heredocs[n->nheredocs++] = h;
	}
	shlex_result_free(&words);
	return rc;
}

/* --- the main loop --------------------------------------------------------------------- */

static void add_comment(pstate *p, size_t a, size_t b)
{
	df_file *f = p->f;
	size_t h = a + go_space_prefix(f->src + a, b - a); /* the '#' */
	size_t t0 = h + 1, t1 = b;
	t0 += go_space_prefix(f->src + t0, t1 - t0);
	t1 -= go_space_suffix(f->src + t0, t1 - t0);
	if (t0 == t1) { /* an empty comment line ends the comment block, as in BuildKit */
		p->ncomments = 0;
		return;
	}
	if (p->ncomments == p->capcomments) {
		size_t ncap = p->capcomments ? p->capcomments * 2 : 4;
		p->comments = arena_grow(&f->mem, p->comments, p->capcomments, ncap,
					 sizeof *p->comments);
		p->capcomments = ncap;
	}
	df_word *w = &p->comments[p->ncomments++];
	w->s = arena_strndup(&f->mem, f->src + t0, t1 - t0);
	w->len = t1 - t0;
	w->off = h;
	w->end = t1;
	df_position(f, h, &w->line, &w->col);
	df_position(f, t1, &w->end_line, &w->end_col);
}

static int index_lines(df_file *f)
{
	size_t cap = 64;
	f->line_starts = xmalloc(cap * sizeof *f->line_starts);
	size_t i = 0;
	while (i < f->len) {
		if (f->nlines == cap) {
			cap *= 2;
			f->line_starts = xrealloc(f->line_starts, cap * sizeof *f->line_starts);
		}
		f->line_starts[f->nlines++] = i;
		const char *nl = memchr(f->src + i, '\n', f->len - i);
		size_t e = nl ? (size_t)(nl - f->src) : f->len;
		if (e - i > DF_MAX_LINE) {
			f->err_line = (int)f->nlines;
			f->err_col = DF_MAX_LINE + 1;
			snprintf(f->err, sizeof f->err,
				 "dockerfile line greater than max allowed size of %d", DF_MAX_LINE);
			return -1;
		}
		i = nl ? e + 1 : e;
	}
	return 0;
}

static int parse_lines(pstate *p)
{
	df_file *f = p->f;
	const char *s = f->src;
	size_t li = 0;
	while (li < f->nlines) {
		size_t a = f->line_starts[li], b = line_end(f, li);
		if (li == 0 && b - a >= 3 && memcmp(s + a, "\xEF\xBB\xBF", 3) == 0)
			a += 3;
		int dir = 0;
		bool comment = is_comment(s, a, b);
		/* processLine(stripLeftWhitespace=true) */
		size_t e = trim_newline(s, a, b);
		size_t t = a + go_space_prefix(s + a, e - a);
		if ((dir = directive_line(p, t, e)) < 0)
			return -1;
		if (comment && !dir)
			add_comment(p, a, e);
		if (comment)
			e = t; /* trimComments */
		li++;
		int start_line = (int)li;
		bool eol;
		size_t te = trim_continuation(f, t, e, &eol);
		if (eol && te == t)
			continue;
		buf_reset(&p->logical);
		p->nsegs = 0;
		append_piece(p, t, te);
		bool empty_cont = false;
		while (!eol && li < f->nlines) {
			size_t ca = f->line_starts[li], cb = line_end(f, li);
			size_t ce = trim_newline(s, ca, cb);
			if (directive_line(p, ca, ce) < 0)
				return -1;
			li++;
			if (is_comment(s, ca, cb))
				continue;
			if (go_space_prefix(s + ca, ce - ca) == ce - ca) {
				empty_cont = true;
				continue;
			}
			size_t cte = trim_continuation(f, ca, ce, &eol);
			append_piece(p, ca, cte);
		}
		if (p->logical.len == 0)
			buf_grow(&p->logical, 0), p->logical.p[0] = '\0';

		df_lctx c = {.mem = &f->mem, .s = p->logical.p, .n = p->logical.len,
			     .escape = f->escape};
		df_node *n = df_node_from_line(&c);
		if (!n)
			return errorf(f, map_off(p, c.err_off < c.n ? c.err_off : 0), "%s", c.err);
		for (df_node *k = n; k; k = k->sub)
			k->rest_loff = k->rest.off; /* still logical here: map_node converts it */
		n->segs = arena_grow(&f->mem, NULL, 0, p->nsegs, sizeof *p->segs);
		memcpy(n->segs, p->segs, p->nsegs * sizeof *p->segs);
		n->nsegs = p->nsegs;
		for (df_node *k = n->sub; k; k = k->sub)
			k->segs = n->segs, k->nsegs = n->nsegs;
		map_node(p, n);
		n->original.s = arena_strndup(&f->mem, p->logical.p, p->logical.len);
		n->original.len = p->logical.len;
		n->original.off = t;
		n->original.line = start_line;
		n->empty_continuation = empty_cont;
		n->start_line = start_line;
		n->comments = p->ncomments ? p->comments : NULL;
		n->ncomments = p->ncomments;
		p->comments = NULL;
		p->ncomments = p->capcomments = 0;
		if (can_contain_heredoc(n) && memmem(p->logical.p, p->logical.len, "<<", 2)) {
			if (take_heredocs(p, n->sub && !strcmp(n->keyword.s, "onbuild") ? n->sub : n,
					  &li, t) < 0)
				return -1;
		}
		n->end_line = (int)li;
		if (f->nnodes == DF_MAX_INSTRUCTIONS)
			return errorf(f, n->keyword.off, "more than %d instructions", DF_MAX_INSTRUCTIONS);
		if (f->nnodes == p->capnodes) {
			size_t ncap = p->capnodes ? p->capnodes * 2 : 32;
			f->nodes = arena_grow(&f->mem, f->nodes, p->capnodes, ncap, sizeof *f->nodes);
			p->capnodes = ncap;
		}
		f->nodes[f->nnodes++] = n;
	}
	if (f->nnodes == 0)
		return errorf(f, f->len, "file with no instructions");
	return 0;
}

int df_parse(df_file *f, const char *path, const char *src, size_t len)
{
	memset(f, 0, sizeof *f);
	arena_init(&f->mem);
	f->path = path;
	f->src = src;
	f->len = len;
	f->escape = '\\';
	if (len > DF_MAX_FILE) {
		f->err_line = f->err_col = 1;
		snprintf(f->err, sizeof f->err, "file is %zu bytes, over the %u-byte Dockerfile limit",
			 len, DF_MAX_FILE);
		return -1;
	}
	if (index_lines(f) < 0)
		return -1;
	pstate p = {.f = f};
	int rc = parse_lines(&p);
	buf_free(&p.logical);
	free(p.segs);
	return rc;
}

void df_free(df_file *f)
{
	arena_free(&f->mem);
	free(f->line_starts);
	f->line_starts = NULL;
	f->nodes = NULL;
	f->nnodes = 0;
}

/* --- BuildKit's Node.Dump -------------------------------------------------------------- */

/* One instruction's text; ONBUILD chains are written iteratively (no recursion on input). */
static void dump_node(const df_node *top, buf *out)
{
	size_t start = out->len, depth = 0;
	for (const df_node *n = top; n; n = n->sub) {
		if (n != top) {
			buf_adds(out, " (");
			depth++;
		}
		buf_add(out, n->keyword.s, n->keyword.len);
		if (n->nflags) {
			buf_adds(out, " [");
			for (size_t i = 0; i < n->nflags; i++) {
				if (i)
					buf_addc(out, ' ');
				go_quote(out, n->flags[i].s, n->flags[i].len);
			}
			buf_addc(out, ']');
		}
		for (size_t i = 0; i < n->nargs; i++) {
			buf_addc(out, ' ');
			go_quote(out, n->args[i].s, n->args[i].len);
		}
	}
	while (depth--)
		buf_addc(out, ')');
	/* strings.TrimSpace of the node's text (matters only for an empty keyword) */
	size_t lead = go_space_prefix(out->p + start, out->len - start);
	if (lead) {
		memmove(out->p + start, out->p + start + lead, out->len - start - lead);
		out->len -= lead;
	}
	out->len -= go_space_suffix(out->p + start, out->len - start);
	out->p[out->len] = '\0';
}

void df_dump_buildkit(const df_file *f, buf *out)
{
	for (size_t i = 0; i < f->nnodes; i++) {
		buf_addc(out, '(');
		dump_node(f->nodes[i], out);
		buf_adds(out, ")\n");
	}
}
