/* fuzz_shell.c - libFuzzer target for the RUN shell tokenizer (src/dockerfile/shell.h).
 *
 * Each input is one shell script, passed to sh_parse exactly as libFuzzer gives it (no NUL
 * after the last byte, so AddressSanitizer sees any read past the end), in an arena freed
 * after each run. Every command then goes through the helpers rules use (sh_cmd_name,
 * sh_has_opt, sh_opt_value, sh_operands) and the result is checked against shell.h's
 * contract: spans inside the input with off <= end, every word of a command inside the
 * command's span, values NUL-terminated with no NUL inside, argc/nassigns consistent
 * with their arrays, depth in range, and the helpers' answers consistent with each other.
 * A broken invariant traps, so libFuzzer keeps the input as a crash.
 * Build: make build/fuzz/fuzz_shell; run: make fuzz (see fuzz/run.sh). */
#include "check.h"
#include "core/arena.h"
#include "dockerfile/shell.h"

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


static void check_word(const sh_word *w, size_t n, const sh_cmd *c)
{
	CHECK(w->s != NULL);
	CHECK(w->s[w->len] == '\0');
	CHECK(memchr(w->s, '\0', w->len) == NULL); /* "no value ever holds" a NUL */
	CHECK(w->off <= w->end && w->end <= n);
	CHECK(c->off <= w->off && w->end <= c->end);
}

/* A value returned by sh_opt_value is a word of the command or a suffix of one, copied
 * into tmp. */
static void check_value(const sh_cmd *c, const sh_word *v, const sh_word *tmp, size_t n)
{
	if (!v)
		return;
	if (v == tmp) {
		CHECK(v->s != NULL && strlen(v->s) == v->len);
		CHECK(v->off <= v->end && v->end <= n);
		bool inside = false;
		for (size_t i = 0; i < c->argc && !inside; i++) {
			const sh_word *w = &c->argv[i];
			inside = v->s >= w->s && v->s + v->len == w->s + w->len;
		}
		CHECK(inside);
	} else {
		CHECK(v >= c->argv && v < c->argv + c->argc);
	}
}

/* Options rules actually ask about, plus the command's own words used as options. */
static const char short_opts[] = {'y', 'q', 't', 'o', 'f', 'x', 'u', '-', '='};
static const char *const long_opts[] = {
	"yes", "--no-install-recommends", "target-release", "assume-yes", "user", "", "-", "=",
};
static const char *const with_value[] = {"-t", "--target-release", "-o", "-u", "--user", NULL};

static void check_cmd(const sh_cmd *c, size_t n)
{
	CHECK(c->off <= c->end && c->end <= n);
	CHECK(c->argc == 0 || c->argv != NULL);
	CHECK(c->nassigns == 0 || c->assigns != NULL);
	CHECK(c->argc + c->nassigns > 0); /* redirections alone are not a command */
	CHECK(c->depth >= 0 && c->depth <= 64 + 1);
	CHECK(!c->in_subst || c->depth > 0);
	CHECK(!c->in_subshell || c->depth > 0);
	CHECK(c->op_after >= SH_END && c->op_after <= SH_BG);
	for (size_t i = 0; i < c->argc; i++)
		check_word(&c->argv[i], n, c);
	for (size_t i = 0; i < c->nassigns; i++) {
		check_word(&c->assigns[i], n, c);
		CHECK(strchr(c->assigns[i].s, '=') != NULL);
	}
	/* words are in source order */
	for (size_t i = 1; i < c->argc; i++)
		CHECK(c->argv[i - 1].end <= c->argv[i].off);

	const char *name = sh_cmd_name(c);
	CHECK(name != NULL);
	if (c->argc == 0) {
		CHECK(name[0] == '\0');
	} else {
		const char *s = c->argv[0].s;
		CHECK(name >= s && name <= s + c->argv[0].len);
		CHECK(strchr(name, '/') == NULL);
	}

	for (size_t k = 0; k < sizeof short_opts; k++) {
		for (size_t l = 0; l < sizeof long_opts / sizeof long_opts[0]; l++) {
			bool has = sh_has_opt(c, short_opts[k], long_opts[l]);
			bool has_s = sh_has_opt(c, short_opts[k], NULL);
			bool has_l = sh_has_opt(c, 0, long_opts[l]);
			CHECK(has == (has_s || has_l));
			sh_word tmp;
			const sh_word *v = sh_opt_value(c, short_opts[k], long_opts[l], &tmp);
			check_value(c, v, &tmp, n);
		}
	}
	CHECK(!sh_has_opt(c, 0, NULL));
	sh_word tmp;
	CHECK(sh_opt_value(c, 0, NULL, &tmp) == NULL);
	/* The command's own words, as long options and as short letters. */
	for (size_t i = 1; i < c->argc && i < 8; i++) {
		const char *a = c->argv[i].s;
		(void)sh_has_opt(c, a[0] == '-' ? a[1] : a[0], a);
		const sh_word *v = sh_opt_value(c, a[0] == '-' ? a[1] : a[0], a, &tmp);
		check_value(c, v, &tmp, n);
	}

	for (size_t skip = 0; skip < 3; skip++) {
		for (int wv = 0; wv < 2; wv++) {
			const char *const *opts = wv ? with_value : NULL;
			size_t total = sh_operands(c, skip, opts, NULL, 0);
			CHECK(total < c->argc || (total == 0 && c->argc == 0));
			const sh_word *out[16];
			size_t got = sh_operands(c, skip, opts, out, 16);
			CHECK(got == (total < 16 ? total : 16));
			for (size_t i = 0; i < got; i++) {
				CHECK(out[i] >= c->argv + 1 && out[i] < c->argv + c->argc);
				CHECK(i == 0 || out[i - 1] < out[i]);
			}
			CHECK(sh_operands(c, skip, opts, out, 0) == 0);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	arena mem;
	arena_init(&mem);
	sh_script sc;
	sh_parse(&mem, src, size, &sc);
	CHECK(sc.ncmds == 0 || sc.cmds != NULL);
	bool pipe = false;
	for (size_t i = 0; i < sc.ncmds; i++) {
		check_cmd(&sc.cmds[i], size);
		pipe = pipe || sc.cmds[i].piped_in || sc.cmds[i].op_after == SH_PIPE;
	}
	/* a command piped into, or followed by |, means the script has a pipe */
	CHECK(!pipe || sc.has_pipe);
	arena_free(&mem);
	return 0;
}
