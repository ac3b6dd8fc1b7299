/* shell.c - see shell.h: a POSIX sh tokenizer for the commands of a RUN.
 *
 * A recursive-descent reader over the text: parse_list() reads commands up to its
 * terminator (end of text, the ")" of a subshell or $(...), the "`" of a backtick
 * substitution, the "}" of a group), parse_simple() reads one simple command and
 * read_word() one word with its quotes and substitutions. Compound commands (if, while,
 * until, for, case) are not built into a tree: their reserved words are skipped and the
 * commands inside are listed at the same depth, which is all rules need.
 *
 * Order: a simple command is listed before the commands of the substitutions in its
 * words (pre-order: "a $(b $(c)) $(d)" lists a, b, c, d); substitutions in words that are
 * not part of a simple command (a for list, a case subject) are listed where they occur.
 * Not modelled: $(( )) is arithmetic even when bash would read a subshell in it, and no
 * command inside it is listed; (( )) and [[ ]] are read as subshells and a plain command;
 * nested backticks need no escaping rules beyond \` being a literal backtick.
 *
 * Recursion happens only for ( ), { }, $( ) and ` `, and stops at MAX_DEPTH, past which a
 * construct is skipped as opaque text. Every loop moves forward, the text a substitution
 * copies into its word is bounded by a budget, so time and memory are linear in the input
 * whatever it holds. */
#include "dockerfile/shell.h"

#include "core/buf.h"
#include "core/xalloc.h"

#include <stdint.h>
#include <string.h>

enum {
	MAX_DEPTH = 64,       /* nesting of ( ) { } $( ) ` ` */
	MAX_HEREDOCS = 64,    /* heredocs pending on one line */
};

#define NONE SIZE_MAX

/* What a word read by parse_list means. */
typedef enum mode {
	M_CMD,        /* command position: reserved words are recognized */
	M_FOR_NAME,   /* after for/select: the variable */
	M_FOR_IN,     /* after the variable: "in" (or "do") */
	M_FOR_LIST,   /* the words after "in", up to ; or newline */
	M_FUNC_NAME,  /* after "function": the name */
	M_CASE_WORD,  /* after case: the subject */
	M_CASE_IN,    /* after the subject: "in" */
	M_CASE_PAT,   /* patterns, up to ")" */
} mode;

/* Scratch space of one nesting level. A level builds one word and one simple command at
 * a time (a substitution inside a word is read one level down), so the buffers are
 * reused rather than allocated for every word. */
typedef struct scratch {
	buf w;
	sh_word *argv, *assigns;
	size_t argc, nassigns, cap_argv, cap_assigns;
} scratch;

typedef struct heredoc {
	size_t doff, dlen;    /* the delimiter, in parser.hdtext */
	bool strip;           /* <<- : leading tabs of body lines are ignored */
} heredoc;

typedef struct parser {
	arena *mem;
	const char *s;
	size_t n, i;
	sh_cmd *cmds;         /* malloc'd while parsing, copied to the arena at the end */
	size_t ncmds, cap;
	bool has_pipe, error;
	int in_bq;            /* open backtick substitutions: an unescaped ` closes one */
	int open_paren;       /* open levels that end with ")", since the innermost ` */
	size_t budget;        /* bytes of substitution text words may still copy */
	heredoc hd[MAX_HEREDOCS];
	size_t nhd;
	buf hdtext;
	scratch sc[MAX_DEPTH + 1];
} parser;

typedef struct level {
	int depth;
	char term;            /* ')', '`', '}', or 0 for the end of the text */
	bool in_subst, in_subshell;
} level;

typedef struct wordinfo {
	size_t off, end;
	bool quoted, dynamic;
	size_t eq;            /* value length before the first '=' of a plain prefix, or NONE */
} wordinfo;

static size_t parse_list(parser *p, const level *lv, bool pipe_in);
static void dquote(parser *p, const level *lv, buf *b, wordinfo *w);

/* ---- characters ------------------------------------------------------------------ */

static bool is_blank(int c)
{
	/* CR counts as a blank so that CRLF scripts read like LF ones; NUL bytes separate
	 * words so that no value ever holds one. */
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\0';
}

static bool is_meta(int c)
{
	return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' ||
	       c == ')' || c == '\n';
}

static bool is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Backslash-newline is removed before anything else sees the text (also before CR-LF,
 * as files edited on Windows have it). */
static void skip_cont(parser *p)
{
	for (;;) {
		const char *s = p->s;
		if (p->i + 1 < p->n && s[p->i] == '\\' && s[p->i + 1] == '\n')
			p->i += 2;
		else if (p->i + 2 < p->n && s[p->i] == '\\' && s[p->i + 1] == '\r' &&
			 s[p->i + 2] == '\n')
			p->i += 3;
		else
			return;
	}
}

/* The character at the read position, after continuations; -1 at the end. */
static int at(parser *p)
{
	skip_cont(p);
	return p->i < p->n ? (unsigned char)p->s[p->i] : -1;
}

/* Blanks, and a comment when comments is set: # at the start of a token, up to (not
 * including) the newline. A backslash in a comment is not an escape. */
static void skip_blanks(parser *p, bool comments)
{
	for (;;) {
		int c = at(p);
		if (c >= 0 && is_blank(c)) {
			p->i++;
		} else if (c == '#' && comments) {
			const char *nl = memchr(p->s + p->i, '\n', p->n - p->i);
			p->i = nl ? (size_t)(nl - p->s) : p->n;
		} else {
			return;
		}
	}
}

static bool word_is(const buf *b, const wordinfo *w, const char *kw)
{
	size_t n = strlen(kw);
	return !w->quoted && !w->dynamic && b->len == n && memcmp(b->p, kw, n) == 0;
}

/* ---- opaque skipping ------------------------------------------------------------- */

/* Skip to the ")" closing nest open parentheses, minding quotes: for $((...)), and for
 * ( ) and $( ) past MAX_DEPTH, whose content is not read as commands. */
static void skip_balanced(parser *p, int nest)
{
	const char *s = p->s;
	while (p->i < p->n) {
		char c = s[p->i++];
		if (c == '\\') {
			if (p->i < p->n)
				p->i++;
		} else if (c == '\'') {
			const char *q = memchr(s + p->i, '\'', p->n - p->i);
			if (!q)
				break;
			p->i = (size_t)(q - s) + 1;
		} else if (c == '"') {
			while (p->i < p->n && s[p->i] != '"')
				p->i += s[p->i] == '\\' && p->i + 1 < p->n ? 2 : 1;
			if (p->i >= p->n)
				break;
			p->i++;
		} else if (c == '(') {
			nest++;
		} else if (c == ')' && --nest == 0) {
			return;
		}
	}
	p->i = p->n;
	p->error = true;
}

static void skip_backtick(parser *p)
{
	while (p->i < p->n) {
		char c = p->s[p->i++];
		if (c == '\\' && p->i < p->n)
			p->i++;
		else if (c == '`')
			return;
	}
	p->error = true;
}

/* ---- words ----------------------------------------------------------------------- */

/* Append the source text [a, p->i) of a substitution or parameter to a word, without
 * continuations. Nested substitutions copy the same text once per level, so the copies
 * are paid from a budget proportional to the input; past it the text is abbreviated. */
static void add_verbatim(parser *p, buf *b, size_t a)
{
	size_t len = p->i - a;
	if (len > p->budget) {
		buf_add(b, p->s + a, len < 2 ? len : 2);
		buf_adds(b, "...");
		return;
	}
	p->budget -= len;
	for (size_t k = a; k < p->i; k++) {
		if (p->s[k] == '\\' && k + 1 < p->i && p->s[k + 1] == '\n')
			k++;
		else if (p->s[k] != '\0')
			buf_addc(b, p->s[k]);
	}
}

/* A command substitution after its opening "$(" or "`" (or a process substitution
 * after "<("): its commands are listed one level down. */
static void subst(parser *p, const level *lv, char term)
{
	if (lv->depth >= MAX_DEPTH) {
		p->error = true;
		if (term == ')')
			skip_balanced(p, 1);
		else
			skip_backtick(p);
		return;
	}
	level sub = {lv->depth + 1, term, true, lv->in_subshell};
	if (term == '`') {
		/* Inside backticks the first unescaped ` ends everything, whatever opened
		 * since: parentheses outside no longer count. */
		int saved = p->open_paren;
		p->open_paren = 0;
		p->in_bq++;
		parse_list(p, &sub, false);
		p->in_bq--;
		p->open_paren = saved;
	} else {
		p->open_paren++;
		parse_list(p, &sub, false);
		p->open_paren--;
	}
}

/* $'...' (p->i at the quote): ANSI-C escapes decoded as bash does. NUL results are
 * dropped (bash would cut the string there). */
static void ansi_c(parser *p, buf *b)
{
	const char *s = p->s;
	p->i++;
	while (p->i < p->n) {
		int c = (unsigned char)s[p->i++];
		if (c == '\'')
			return;
		if (c != '\\' || p->i >= p->n) {
			if (c)
				buf_addc(b, (char)c);
			continue;
		}
		c = (unsigned char)s[p->i++];
		int v = -1;
		switch (c) {
		case 'a': v = 7; break;
		case 'b': v = 8; break;
		case 'e': case 'E': v = 27; break;
		case 'f': v = 12; break;
		case 'n': v = 10; break;
		case 'r': v = 13; break;
		case 't': v = 9; break;
		case 'v': v = 11; break;
		case '\\': case '\'': case '"': case '?': v = c; break;
		case 'c':
			if (p->i < p->n)
				v = s[p->i++] & 0x1f;
			break;
		case 'x': case 'u': case 'U': {
			int max = c == 'x' ? 2 : c == 'u' ? 4 : 8, k = 0;
			uint32_t r = 0;
			while (k < max && p->i < p->n && hexval((unsigned char)s[p->i]) >= 0) {
				r = r * 16 + (uint32_t)hexval((unsigned char)s[p->i++]);
				k++;
			}
			if (k == 0) {
				buf_addc(b, '\\');
				v = c;
			} else if (c == 'x') {
				v = (int)r;
			} else if (r) {
				buf_addrune(b, r > 0x10FFFF ? 0xFFFD : (int32_t)r);
			}
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				v = c - '0';
				for (int k = 1; k < 3 && p->i < p->n && s[p->i] >= '0' && s[p->i] <= '7'; k++)
					v = v * 8 + (s[p->i++] - '0');
				v &= 0xff;
			} else {
				buf_addc(b, '\\');
				v = c;
			}
		}
		if (v > 0)
			buf_addc(b, (char)v);
	}
	p->error = true;
}

/* ${...} (p->i at the brace): to the matching brace, minding quotes and nested ${ },
 * $( ), $(( )) and ` `. Nested ${ only count, so this does not recurse on them. */
static void param(parser *p, const level *lv, bool in_dq)
{
	int nest = 1, dq_nest = 0;
	bool dq = false;
	p->i++;
	for (;;) {
		int c = at(p);
		if (c < 0) {
			p->error = true;
			return;
		}
		if (c == '\\') {
			p->i += p->i + 1 < p->n ? 2 : 1;
		} else if (c == '\'' && !dq && !in_dq) {
			const char *q = memchr(p->s + p->i + 1, '\'', p->n - p->i - 1);
			if (!q) {
				p->i = p->n;
				p->error = true;
				return;
			}
			p->i = (size_t)(q - p->s) + 1;
		} else if (c == '"') {
			dq = !dq;
			dq_nest = nest;
			p->i++;
		} else if (c == '`') {
			if (p->in_bq) {
				p->error = true;
				return;
			}
			p->i++;
			subst(p, lv, '`');
		} else if (c == '$') {
			p->i++;
			c = at(p);
			if (c == '{') {
				nest++;
				p->i++;
			} else if (c == '(') {
				p->i++;
				if (at(p) == '(') {
					p->i++;
					skip_balanced(p, 2);
				} else {
					subst(p, lv, ')');
				}
			}
		} else if (c == '}' && (!dq || nest > dq_nest) && --nest == 0) {
			p->i++;
			return;
		} else {
			p->i++;
		}
	}
}

/* A $ in a word (p->i at it): appends its text to b. Expansions are kept as written and
 * make the word dynamic; a $ that starts nothing is a literal $. */
static void dollar(parser *p, const level *lv, buf *b, bool in_dq, wordinfo *w)
{
	size_t a = p->i;
	p->i++;
	int c = at(p);
	if (c == '\'' && !in_dq) {
		ansi_c(p, b);
		w->quoted = true;
		return;
	}
	if (c == '"' && !in_dq) {   /* $"..." (bash translation): a "..." here */
		dquote(p, lv, b, w);
		return;
	}
	if (c == '(') {
		p->i++;
		if (at(p) == '(') {     /* $(( )) is arithmetic, not a substitution */
			p->i++;
			skip_balanced(p, 2);
		} else {
			subst(p, lv, ')');
		}
	} else if (c == '{') {
		param(p, lv, in_dq);
	} else if (c >= 0 && is_name_start(c)) {
		while ((c = at(p)) >= 0 && is_name_char(c))
			p->i++;
	} else if (c > 0 && ((c >= '0' && c <= '9') || strchr("@*#?-$!", c))) {
		p->i++;
	} else {
		buf_addc(b, '$');
		return;
	}
	w->dynamic = true;
	add_verbatim(p, b, a);
}

/* "..." (p->i at the quote): backslash escapes only $ ` " \ and newline. */
static void dquote(parser *p, const level *lv, buf *b, wordinfo *w)
{
	w->quoted = true;
	p->i++;
	for (;;) {
		int c = at(p);
		if (c < 0) {
			p->error = true;
			return;
		}
		if (c == '"') {
			p->i++;
			return;
		}
		if (c == '\\') {
			int d = p->i + 1 < p->n ? (unsigned char)p->s[p->i + 1] : -1;
			if (d == '$' || d == '`' || d == '"' || d == '\\') {
				buf_addc(b, (char)d);
				p->i += 2;
			} else {
				buf_addc(b, '\\');
				p->i++;
			}
		} else if (c == '`') {
			if (p->in_bq) {     /* the enclosing backtick substitution ends here */
				p->error = true;
				return;
			}
			size_t a = p->i++;
			subst(p, lv, '`');
			w->dynamic = true;
			add_verbatim(p, b, a);
		} else if (c == '$') {
			dollar(p, lv, b, true, w);
		} else {
			if (c)
				buf_addc(b, (char)c);
			p->i++;
		}
	}
}

/* One word at p->i (not a blank or an operator), into the level's word buffer. */
static void read_word(parser *p, const level *lv, wordinfo *w)
{
	buf *b = &p->sc[lv->depth].w;
	buf_reset(b);
	memset(w, 0, sizeof *w);
	w->off = w->end = p->i;
	w->eq = NONE;
	bool plain = true;  /* only unquoted literal characters so far: NAME= may follow */
	for (;;) {
		int c = at(p);
		if (c < 0 || is_blank(c) || is_meta(c) || (c == '`' && p->in_bq))
			break;
		if (c == '\\') {
			p->i++;
			if (p->i < p->n) {
				if (p->s[p->i])
					buf_addc(b, p->s[p->i]);
				p->i++;
			} else {
				buf_addc(b, '\\');
			}
			w->quoted = true;
			plain = false;
		} else if (c == '\'') {
			const char *q = memchr(p->s + p->i + 1, '\'', p->n - p->i - 1);
			size_t e = q ? (size_t)(q - p->s) : p->n;
			for (size_t k = p->i + 1; k < e; k++)
				if (p->s[k])
					buf_addc(b, p->s[k]);
			p->i = q ? e + 1 : p->n;
			if (!q)
				p->error = true;
			w->quoted = true;
			plain = false;
		} else if (c == '"') {
			dquote(p, lv, b, w);
			plain = false;
		} else if (c == '$') {
			dollar(p, lv, b, false, w);
			plain = false;
		} else if (c == '`') {
			size_t a = p->i++;
			subst(p, lv, '`');
			w->dynamic = true;
			add_verbatim(p, b, a);
			plain = false;
		} else {
			if (c == '=' && plain && w->eq == NONE)
				w->eq = b->len;
			buf_addc(b, (char)c);
			p->i++;
		}
		w->end = p->i;
	}
}

static bool is_assignment(const buf *b, const wordinfo *w)
{
	if (w->eq == NONE || w->eq == 0 || !is_name_start((unsigned char)b->p[0]))
		return false;
	for (size_t k = 1; k < w->eq; k++)
		if (!is_name_char((unsigned char)b->p[k]))
			return false;
	return true;
}

/* ---- simple commands ------------------------------------------------------------- */

enum { R_NONE, R_OTHER, R_HEREDOC, R_HEREDOC_STRIP };

/* Consume a redirection operator at p->i ([n]> >> >| >& < <& <> << <<- <<< &> &>>). */
static int redir_op(parser *p)
{
	size_t save = p->i, j = p->i;
	while (j < p->n && p->s[j] >= '0' && p->s[j] <= '9')
		j++;
	if (j > p->i && j < p->n && (p->s[j] == '<' || p->s[j] == '>'))
		p->i = j;
	int c = at(p);
	if (c == '&') {
		p->i++;
		if (at(p) == '>') {
			p->i++;
			if (at(p) == '>')
				p->i++;
			return R_OTHER;
		}
	} else if (c == '>') {
		p->i++;
		c = at(p);
		if (c == '>' || c == '&' || c == '|')
			p->i++;
		return R_OTHER;
	} else if (c == '<') {
		p->i++;
		c = at(p);
		if (c == '<') {
			p->i++;
			c = at(p);
			if (c == '<') {
				p->i++;
				return R_OTHER;
			}
			if (c == '-') {
				p->i++;
				return R_HEREDOC_STRIP;
			}
			return R_HEREDOC;
		}
		if (c == '&' || c == '>')
			p->i++;
		return R_OTHER;
	}
	p->i = save;
	return R_NONE;
}

static bool redir_ahead(parser *p)
{
	size_t save = p->i;
	int r = redir_op(p);
	p->i = save;
	return r != R_NONE;
}

static void add_heredoc(parser *p, const buf *delim, bool strip)
{
	if (p->nhd == MAX_HEREDOCS) {
		p->error = true;
		return;
	}
	heredoc *h = &p->hd[p->nhd++];
	h->doff = p->hdtext.len;
	h->dlen = delim->len;
	h->strip = strip;
	buf_add(&p->hdtext, buf_str(delim), delim->len);
}

/* After a newline token: skip the bodies of the heredocs opened on that line, so that a
 * script's "cat <<EOF" text is not read as commands. */
static void read_heredocs(parser *p)
{
	for (size_t k = 0; k < p->nhd; k++) {
		const char *d = p->hdtext.p + p->hd[k].doff;
		size_t dl = p->hd[k].dlen;
		bool found = false;
		while (p->i < p->n && !found) {
			size_t a = p->i;
			const char *nl = memchr(p->s + a, '\n', p->n - a);
			size_t e = nl ? (size_t)(nl - p->s) : p->n;
			p->i = nl ? e + 1 : p->n;
			if (p->hd[k].strip)
				while (a < e && p->s[a] == '\t')
					a++;
			if (e > a && p->s[e - 1] == '\r')
				e--;
			found = e - a == dl && memcmp(p->s + a, d, dl) == 0;
		}
		if (!found)
			p->error = true;
	}
	p->nhd = 0;
	buf_reset(&p->hdtext);
}

static void push_word(parser *p, sh_word **v, size_t *n, size_t *cap, const buf *b,
		      const wordinfo *w)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	sh_word *x = &(*v)[(*n)++];
	x->s = arena_strndup(p->mem, buf_str(b), b->len);
	x->len = b->len;
	x->off = w->off;
	x->end = w->end;
	x->quoted = w->quoted;
	x->dynamic = w->dynamic;
}

static void add_word(parser *p, scratch *sc, const wordinfo *w)
{
	if (sc->argc == 0 && is_assignment(&sc->w, w))
		push_word(p, &sc->assigns, &sc->nassigns, &sc->cap_assigns, &sc->w, w);
	else
		push_word(p, &sc->argv, &sc->argc, &sc->cap_argv, &sc->w, w);
}

static sh_word *copy_words(parser *p, const sh_word *v, size_t n)
{
	if (n == 0)
		return NULL;
	sh_word *out = arena_alloc(p->mem, n * sizeof *out);
	memcpy(out, v, n * sizeof *out);
	return out;
}

/* List a command at index at: the commands of its substitutions, read while its words
 * were, are already listed from there on and move after it. */
static void insert_cmd(parser *p, size_t at_idx, const sh_cmd *c)
{
	if (p->ncmds == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->cmds = xrealloc(p->cmds, p->cap * sizeof *p->cmds);
	}
	memmove(p->cmds + at_idx + 1, p->cmds + at_idx, (p->ncmds - at_idx) * sizeof *p->cmds);
	p->cmds[at_idx] = *c;
	p->ncmds++;
}

/* bash process substitution <(cmd) or >(cmd) at p->i: a word whose commands are
 * listed like those of $(cmd). */
static bool proc_subst(parser *p, const level *lv, wordinfo *w)
{
	int c = at(p);
	if ((c != '<' && c != '>') || p->i + 1 >= p->n || p->s[p->i + 1] != '(')
		return false;
	size_t a = p->i;
	p->i += 2;
	subst(p, lv, ')');
	buf *b = &p->sc[lv->depth].w;
	buf_reset(b);
	add_verbatim(p, b, a);
	*w = (wordinfo){.off = a, .end = p->i, .dynamic = true, .eq = NONE};
	return true;
}

/* One simple command up to an operator. fw is its first word when parse_list already
 * read it (to look for reserved words). Returns whether a command was listed:
 * redirections alone, as after "done > f", are not a command. */
static bool parse_simple(parser *p, const level *lv, size_t first, const wordinfo *fw,
			 bool *pipe)
{
	scratch *sc = &p->sc[lv->depth];
	sc->argc = sc->nassigns = 0;
	size_t off = fw ? fw->off : NONE, end = fw ? fw->end : 0;
	if (fw)
		add_word(p, sc, fw);
	int c;
	for (;;) {
		skip_blanks(p, true);
		c = at(p);
		size_t a = p->i;
		wordinfo w;
		int r;
		if (proc_subst(p, lv, &w)) {
			add_word(p, sc, &w);
		} else if ((r = redir_op(p)) != R_NONE) {
			skip_blanks(p, false);
			c = at(p);
			if (proc_subst(p, lv, &w)) {
				/* exec > >(tee log): the target runs commands */
			} else if (c < 0 || is_meta(c) || (c == '`' && p->in_bq)) {
				p->error = true;    /* no target */
				w.end = p->i;
			} else {
				read_word(p, lv, &w);
				if (r != R_OTHER)
					add_heredoc(p, &sc->w, r == R_HEREDOC_STRIP);
			}
		} else if (c < 0 || is_meta(c) || (c == '`' && p->in_bq)) {
			break;
		} else {
			read_word(p, lv, &w);
			add_word(p, sc, &w);
		}
		if (off == NONE)
			off = a;
		end = w.end;
	}
	if (c == '(' && (sc->argc || sc->nassigns))
		p->error = true;    /* "echo (x)": sh refuses it */
	if (sc->argc == 0 && sc->nassigns == 0)
		return false;
	sh_cmd cmd = {
		.assigns = copy_words(p, sc->assigns, sc->nassigns),
		.nassigns = sc->nassigns,
		.argv = copy_words(p, sc->argv, sc->argc),
		.argc = sc->argc,
		.op_after = SH_END,
		.piped_in = *pipe,
		.depth = lv->depth,
		.in_subst = lv->in_subst,
		.in_subshell = lv->in_subshell,
		.off = off,
		.end = end,
	};
	*pipe = false;
	insert_cmd(p, first, &cmd);
	return true;
}

/* ---- lists ----------------------------------------------------------------------- */

static void set_op(parser *p, size_t last, sh_op op)
{
	if (last != NONE)
		p->cmds[last].op_after = op;
}

/* "()" after a function name. */
static bool skip_func_parens(parser *p)
{
	size_t save = p->i;
	skip_blanks(p, false);
	if (at(p) == '(') {
		p->i++;
		skip_blanks(p, false);
		if (at(p) == ')') {
			p->i++;
			return true;
		}
	}
	p->i = save;
	return false;
}

/* Commands up to the level's terminator. Returns the index of the last command read at
 * this level (or the last of a compound closing it), the one an operator that follows
 * applies to, or NONE. An operator sets op_after of the command before it, overwriting
 * what an inner ; set: in "{ a; } | b" a is piped. */
static size_t parse_list(parser *p, const level *lv, bool pipe_in)
{
	size_t last = NONE;
	bool pipe = pipe_in;    /* the next command reads from a pipe */
	bool nl = false;        /* a newline followed last: SEQ, if anything follows */
	mode m = M_CMD;
	int ncase = 0;          /* open case ... esac */
	int flat_braces = 0;    /* { past MAX_DEPTH, read without nesting */

	for (;;) {
		skip_blanks(p, true);
		int c = at(p);
		if (c < 0) {
			if (lv->term)
				p->error = true;
			return last;
		}
		if (c == '`' && p->in_bq) {
			if (lv->term == '`')
				p->i++;
			else
				p->error = true;    /* a ( or { inside the backticks is open */
			return last;
		}
		if (c == '\n') {
			p->i++;
			read_heredocs(p);
			if (last != NONE && p->cmds[last].op_after == SH_END)
				nl = true;
			if (m < M_CASE_WORD)
				m = M_CMD;
			continue;
		}
		if (m == M_CASE_PAT && (c == '(' || c == '|')) {
			p->i++;
			continue;
		}
		if (m == M_CASE_PAT && c == ')') {
			p->i++;
			m = M_CMD;
			continue;
		}
		if (c == ';') {
			p->i++;
			bool dsemi = false;
			if (at(p) == ';') {
				p->i++;
				dsemi = true;
				if (ncase > 0 && at(p) == '&')
					p->i++;         /* ;;& */
			} else if (ncase > 0 && at(p) == '&') {
				p->i++;                 /* ;& */
				dsemi = true;
			}
			set_op(p, last, SH_SEQ);
			nl = pipe = false;
			if (dsemi && ncase > 0)
				m = M_CASE_PAT;
			else if (m < M_CASE_WORD)
				m = M_CMD;
			continue;
		}
		if (c == ')') {
			if (lv->term == ')') {
				p->i++;
				return last;
			}
			p->error = true;
			if (p->open_paren > 0)
				return last;    /* closes an outer level: this one is left open */
			p->i++;                 /* stray */
			continue;
		}
		if ((c == '&' || c == '|') && !redir_ahead(p)) {
			p->i++;
			sh_op op = c == '&' ? SH_BG : SH_PIPE;
			if (at(p) == c) {
				p->i++;
				op = c == '&' ? SH_AND : SH_OR;
			} else if (c == '|' && at(p) == '&') {
				p->i++;         /* |& */
			}
			set_op(p, last, op);
			nl = false;
			pipe = op == SH_PIPE;
			if (pipe)
				p->has_pipe = true;
			continue;
		}

		/* Something starts: the newline before it separated it from last. */
		if (nl) {
			set_op(p, last, SH_SEQ);
			nl = false;
		}
		size_t first = p->ncmds;
		if (c == '(') {
			p->i++;
			m = M_CMD;
			if (lv->depth >= MAX_DEPTH) {
				p->error = true;
				skip_balanced(p, 1);
				last = NONE;
				pipe = false;
				continue;
			}
			level sub = {lv->depth + 1, ')', lv->in_subst, true};
			p->open_paren++;
			last = parse_list(p, &sub, pipe);
			p->open_paren--;
			pipe = false;
			continue;
		}
		if (redir_ahead(p)) {
			if (parse_simple(p, lv, first, NULL, &pipe))
				last = first;
			continue;
		}

		wordinfo w;
		read_word(p, lv, &w);
		const buf *b = &p->sc[lv->depth].w;
		switch (m) {
		case M_CMD:
			break;
		case M_FOR_NAME:
			m = M_FOR_IN;
			continue;
		case M_FOR_IN:
			m = word_is(b, &w, "in") ? M_FOR_LIST : M_CMD;
			continue;   /* anything else can only be "do" */
		case M_FOR_LIST:
			continue;
		case M_FUNC_NAME:
			skip_func_parens(p);
			m = M_CMD;
			continue;
		case M_CASE_WORD:
			m = M_CASE_IN;
			continue;
		case M_CASE_IN:
			m = M_CASE_PAT;
			continue;
		case M_CASE_PAT:
			if (word_is(b, &w, "esac")) {
				ncase--;
				m = M_CMD;
			}
			continue;
		}

		/* Reserved words in command position are not commands. */
		if (word_is(b, &w, "{")) {
			if (lv->depth >= MAX_DEPTH) {
				p->error = true;
				flat_braces++;
				continue;
			}
			level sub = {lv->depth + 1, '}', lv->in_subst, lv->in_subshell};
			last = parse_list(p, &sub, pipe);
			pipe = false;
			continue;
		}
		if (word_is(b, &w, "}")) {
			if (flat_braces > 0) {
				flat_braces--;
				continue;
			}
			if (lv->term == '}')
				return last;
			p->error = true;
			continue;
		}
		static const char *const opening[] = {"if", "then", "else", "elif", "do",
						      "while", "until", "!", "in", NULL};
		bool kw = false;
		for (size_t k = 0; opening[k] && !kw; k++)
			kw = word_is(b, &w, opening[k]);
		if (kw) {
			last = NONE;
			continue;
		}
		if (word_is(b, &w, "fi") || word_is(b, &w, "done"))
			continue;   /* last stays: "done | x" pipes the loop's last command */
		if (word_is(b, &w, "esac")) {
			if (ncase > 0)
				ncase--;
			continue;
		}
		if (word_is(b, &w, "for") || word_is(b, &w, "select")) {
			last = NONE;
			m = M_FOR_NAME;
			continue;
		}
		if (word_is(b, &w, "case")) {
			last = NONE;
			ncase++;
			m = M_CASE_WORD;
			continue;
		}
		if (word_is(b, &w, "function")) {
			last = NONE;
			m = M_FUNC_NAME;
			continue;
		}
		/* name() starts a function definition: the name is not a command. */
		if (!is_assignment(b, &w) && skip_func_parens(p)) {
			last = NONE;
			continue;
		}
		if (parse_simple(p, lv, first, &w, &pipe))
			last = first;
	}
}

void sh_parse(arena *mem, const char *text, size_t n, sh_script *out)
{
	parser *p = xcalloc(1, sizeof *p);
	p->mem = mem;
	p->s = text ? text : "";
	p->n = text ? n : 0;
	p->budget = p->n < SIZE_MAX / 8 ? 4 * p->n + 65536 : SIZE_MAX;
	level top = {0, 0, false, false};
	parse_list(p, &top, false);

	memset(out, 0, sizeof *out);
	if (p->ncmds) {
		out->cmds = arena_alloc(mem, p->ncmds * sizeof *out->cmds);
		memcpy(out->cmds, p->cmds, p->ncmds * sizeof *out->cmds);
	}
	out->ncmds = p->ncmds;
	out->has_pipe = p->has_pipe;
	out->error = p->error;

	for (size_t k = 0; k <= MAX_DEPTH; k++) {
		buf_free(&p->sc[k].w);
		free(p->sc[k].argv);
		free(p->sc[k].assigns);
	}
	buf_free(&p->hdtext);
	free(p->cmds);
	free(p);
}

/* ---- option helpers -------------------------------------------------------------- */

const char *sh_cmd_name(const sh_cmd *c)
{
	if (!c || c->argc == 0)
		return "";
	const char *slash = strrchr(c->argv[0].s, '/');
	return slash ? slash + 1 : c->argv[0].s;
}

/* "--name" or "--name=..." against a long option given with or without its dashes:
 * returns where the name ends in arg (at '\0' or '='), or NULL. */
static const char *long_match(const char *arg, const char *opt)
{
	while (*opt == '-')
		opt++;
	if (!*opt || arg[0] != '-' || arg[1] != '-')
		return NULL;
	size_t n = strlen(opt);
	if (strncmp(arg + 2, opt, n) != 0)
		return NULL;
	return arg[2 + n] == '\0' || arg[2 + n] == '=' ? arg + 2 + n : NULL;
}

static bool is_short_cluster(const char *a)
{
	return a[0] == '-' && a[1] != '\0' && a[1] != '-';
}

/* Letters of a cluster stop at the first non-alphanumeric byte, so that an attached
 * value like "-oDpkg::Options=.." is not read as more letters past "::". Letters after
 * an option that takes a value are still read as letters: the caller knows no better. */
static bool is_opt_letter(char c)
{
	return is_name_char((unsigned char)c) && c != '_';
}

bool sh_has_opt(const sh_cmd *c, char short_opt, const char *long_opt)
{
	for (size_t i = 1; i < c->argc; i++) {
		const char *a = c->argv[i].s;
		if (strcmp(a, "--") == 0)
			break;
		if (long_opt && long_match(a, long_opt))
			return true;
		if (short_opt && is_short_cluster(a))
			for (const char *q = a + 1; is_opt_letter(*q); q++)
				if (*q == short_opt)
					return true;
	}
	return false;
}

/* A value attached to its option inside w ("-tx", "--target=x"), starting at v. */
static const sh_word *attached(const sh_word *w, const char *v, sh_word *tmp)
{
	*tmp = *w;
	tmp->s = v;
	tmp->len = strlen(v);
	/* The span narrows to the value only when the word is written as it reads. */
	if (!w->quoted && !w->dynamic && w->end - w->off == w->len)
		tmp->off = w->off + (size_t)(v - w->s);
	return tmp;
}

const sh_word *sh_opt_value(const sh_cmd *c, char short_opt, const char *long_opt,
			    sh_word *tmp)
{
	const sh_word *found = NULL;
	for (size_t i = 1; i < c->argc; i++) {
		const sh_word *w = &c->argv[i];
		const char *a = w->s;
		if (strcmp(a, "--") == 0)
			break;
		const char *rest = long_opt ? long_match(a, long_opt) : NULL;
		if (rest) {
			if (*rest == '=')
				found = attached(w, rest + 1, tmp);
			else if (i + 1 < c->argc)
				found = &c->argv[++i];
			continue;
		}
		if (!short_opt || !is_short_cluster(a))
			continue;
		for (const char *q = a + 1; is_opt_letter(*q); q++) {
			if (*q != short_opt)
				continue;
			if (q[1])
				found = attached(w, q + 1, tmp);
			else if (i + 1 < c->argc)
				found = &c->argv[++i];
			break;
		}
	}
	return found;
}

static bool listed(const char *const *opts, const char *name)
{
	for (; opts && *opts; opts++)
		if (strcmp(*opts, name) == 0)
			return true;
	return false;
}

size_t sh_operands(const sh_cmd *c, size_t skip, const char *const *opts_with_value,
		   const sh_word **out, size_t max)
{
	size_t seen = 0, stored = 0;
	bool options = true;
	for (size_t i = 1; i < c->argc; i++) {
		const char *a = c->argv[i].s;
		if (options && a[0] == '-' && a[1]) {
			if (strcmp(a, "--") == 0) {
				options = false;
			} else if (a[1] == '-') {
				if (!strchr(a, '=') && listed(opts_with_value, a))
					i++;
			} else {
				/* a cluster: the first letter taking a value takes the rest, or
				 * the next word when it is last */
				for (const char *q = a + 1; *q; q++) {
					char name[3] = {'-', *q, '\0'};
					if (listed(opts_with_value, name)) {
						if (!q[1])
							i++;
						break;
					}
				}
			}
			continue;
		}
		if (seen++ < skip)
			continue;
		if (!out) {
			stored++;
		} else if (stored < max) {
			out[stored++] = &c->argv[i];
		} else {
			break;
		}
	}
	return stored;
}
