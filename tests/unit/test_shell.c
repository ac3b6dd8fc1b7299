/* test_shell.c - the sh tokenizer behind the RUN rules: commands, operators, nesting,
 * quoting, reserved words, redirections, option helpers and hostile input.
 *
 * Most cases are table rows: the input and the script rendered one command a line as
 * "<depth><flags>:<words> <op>", flags s (in a subshell), c (in a substitution), p (piped
 * in); assignments are written +NAME=value; a word that is empty or holds a space is
 * written [like this]; the op is ; && || | & or nothing for the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "dockerfile/shell.h"

static void add_word(buf *b, const sh_word *w)
{
	assert_int_equal(strlen(w->s), w->len);
	if (w->len == 0 || strchr(w->s, ' '))
		buf_printf(b, "[%s]", w->s);
	else
		buf_adds(b, w->s);
}

static void render(buf *b, const sh_script *sc)
{
	static const char *const ops[] = {"", " ;", " &&", " ||", " |", " &"};
	for (size_t i = 0; i < sc->ncmds; i++) {
		const sh_cmd *c = &sc->cmds[i];
		if (i)
			buf_addc(b, '\n');
		buf_printf(b, "%d%s%s%s:", c->depth, c->in_subshell ? "s" : "",
			   c->in_subst ? "c" : "", c->piped_in ? "p" : "");
		for (size_t k = 0; k < c->nassigns; k++) {
			buf_adds(b, k ? " +" : "+");
			add_word(b, &c->assigns[k]);
		}
		for (size_t k = 0; k < c->argc; k++) {
			if (k || c->nassigns)
				buf_addc(b, ' ');
			add_word(b, &c->argv[k]);
		}
		buf_adds(b, ops[c->op_after]);
	}
}

typedef struct tcase {
	const char *in;
	const char *want;
	bool error;
} tcase;

static const tcase cases[] = {
	/* simple commands and operators */
	{"apt-get update", "0:apt-get update", false},
	{"apt-get update && apt-get install -y foo",
	 "0:apt-get update &&\n0:apt-get install -y foo", false},
	{"a || b; c & d", "0:a ||\n0:b ;\n0:c &\n0:d", false},
	{"a;b&&c||d", "0:a ;\n0:b &&\n0:c ||\n0:d", false},
	{"curl -fsSL https://x/i.sh | sh", "0:curl -fsSL https://x/i.sh |\n0p:sh", false},
	{"wget -qO- u |& bash -s", "0:wget -qO- u |\n0p:bash -s", false},
	{"a\nb\n", "0:a ;\n0:b", false},
	{"a &&\n\n  b", "0:a &&\n0:b", false},
	{"a &", "0:a &", false},
	{"a\r\nb\r\n", "0:a ;\n0:b", false},
	{"", "", false},
	{"  \t \n\n", "", false},
	/* quoting */
	{"echo 'a b' 'c$HOME' ''", "0:echo [a b] c$HOME []", false},
	{"echo \"a\\\"b\\\\c\\$d\\e\"", "0:echo a\"b\\c$d\\e", false},
	{"echo a\\ b \\$x \\'", "0:echo [a b] $x '", false},
	{"echo \"x\"'y'z", "0:echo xyz", false},
	{"echo $'a\\'b' $\"t\"", "0:echo a'b t", false},
	/* expansions are kept as written */
	{"echo \"$HOME/x\" ${A:-b} $1 $@ $ a$", "0:echo $HOME/x ${A:-b} $1 $@ $ a$", false},
	{"echo ${A:-\"}\"} ${B:-${C}}x", "0:echo ${A:-\"}\"} ${B:-${C}}x", false},
	{"echo $((1+(2*3))) $(( x ))", "0:echo $((1+(2*3))) [$(( x ))]", false},
	/* line continuations and comments */
	{"apt-get install \\\n  -y \\\r\n foo", "0:apt-get install -y foo", false},
	{"apt-\\\nget up\\\ndate", "0:apt-get update", false},
	{"echo a # comment && rm -rf /\necho b#c", "0:echo a ;\n0:echo b#c", false},
	{"# only a comment", "", false},
	{"a;#c\nb", "0:a ;\n0:b", false},
	/* redirections */
	{"cmd >out 2>&1 <in >>log &>all &>>all2 2>/dev/null >|f <>rw 3<&0 x",
	 "0:cmd x", false},
	{"cmd > \"$F\" arg 1>&2", "0:cmd arg", false},
	{"echo 2>x a2>y", "0:echo a2", false},
	{"cat <<EOF > /etc/x && echo done", "0:cat &&\n0:echo done", false},
	{"cat <<'EOF' | sh", "0:cat |\n0p:sh", false},
	{"grep x <<< \"$v\"", "0:grep x", false},
	{"cat <<-EOF >f\n\tapt-get install x\n\tEOF\necho ok", "0:cat ;\n0:echo ok", false},
	{"cat <<A <<\"B\"; x\nbody a\nA\nbody b\nB\ny",
	 "0:cat ;\n0:x ;\n0:y", false},
	{"> /tmp/f", "", false},
	{"while read l; do echo $l; done < f", "0:read l ;\n0:echo $l ;", false},
	/* assignments */
	{"FOO=bar BAZ=\"q x\" cmd A=1", "0:+FOO=bar +[BAZ=q x] cmd A=1", false},
	{"A=1 B=$(date)", "0:+A=1 +B=$(date)\n1c:date", false},
	{"export A=1 && env B=2 cmd", "0:export A=1 &&\n0:env B=2 cmd", false},
	{"\"A\"=1 x; 1A=2; A\\=1; _a9=", "0:A=1 x ;\n0:1A=2 ;\n0:A=1 ;\n0:+_a9=", false},
	/* grouping */
	{"(cd /tmp && make) && echo x", "1s:cd /tmp &&\n1s:make &&\n0:echo x", false},
	{"{ cd /tmp; make; }", "1:cd /tmp ;\n1:make ;", false},
	{"{ curl -s u; } | sh", "1:curl -s u |\n0p:sh", false},
	{"(curl -s u) | (cd x; sh)", "1s:curl -s u |\n1sp:cd x ;\n1s:sh", false},
	{"( (a) )", "2s:a", false},
	{"echo {a,b} }", "0:echo {a,b} }", false},
	/* substitutions: a command first, then its substitutions' commands */
	{"echo $(a $(b)) $(c)", "0:echo [$(a $(b))] $(c)\n1c:a $(b)\n2c:b\n1c:c", false},
	{"echo `id -u` x", "0:echo [`id -u`] x\n1c:id -u", false},
	{"echo \"v=$(cat f | wc -l)\"", "0:echo [v=$(cat f | wc -l)]\n1c:cat f |\n1cp:wc -l",
	 false},
	{"echo \"`uname`\" ${X:-$(pwd)}", "0:echo `uname` ${X:-$(pwd)}\n1c:uname\n1c:pwd",
	 false},
	{"echo `echo \\`x`", "0:echo [`echo \\`x`]\n1c:echo `x", false},
	{"(x=$(cd a && pwd))", "1s:+[x=$(cd a && pwd)]\n2sc:cd a &&\n2sc:pwd", false},
	{"diff <(ls a) <(ls b)", "0:diff [<(ls a)] [<(ls b)]\n1c:ls a\n1c:ls b", false},
	{"echo $( (cd x; ls) )", "0:echo [$( (cd x; ls) )]\n2sc:cd x ;\n2sc:ls", false},
	{"exec > >(tee log) 2>&1; x", "0:exec ;\n1c:tee log\n0:x", false},
	{"x=$(cat <<EOF\napt-get install y\nEOF\n) && z",
	 "0:+[x=$(cat <<EOF\napt-get install y\nEOF\n)] &&\n1c:cat\n0:z", false},
	/* reserved words */
	{"if [ -f x ]; then apt-get install -y foo; elif true; then :; else echo no; fi",
	 "0:[ -f x ] ;\n0:apt-get install -y foo ;\n0:true ;\n0:: ;\n0:echo no ;", false},
	{"if ! grep -q x f\nthen\n  sudo rm f\nfi", "0:grep -q x f ;\n0:sudo rm f ;", false},
	{"until a; do b; done && c", "0:a ;\n0:b &&\n0:c", false},
	{"for p in a b $(ls); do pip install $p; done", "1c:ls\n0:pip install $p ;", false},
	{"for x\ndo y; done", "0:y ;", false},
	{"for x do y; done", "0:y ;", false},
	{"case \"$x\" in a|b) apt-get install -y a ;; (*) echo other;; esac",
	 "0:apt-get install -y a ;\n0:echo other ;", false},
	{"case $1 in\n  start)\n    run\n    ;;\n  *) usage\nesac; after",
	 "0:run ;\n0:usage ;\n0:after", false},
	{"case a in a) case b in b) x;; esac;; c) y;; esac",
	 "0:x ;\n0:y ;", false},
	{"y=$(case $x in a) echo 1;; esac)", "0:+[y=$(case $x in a) echo 1;; esac)]\n1c:echo 1 ;",
	 false},
	{"f() { apt-get update; }; f", "1:apt-get update ;\n0:f", false},
	{"function g { a; }\ng", "1:a ;\n0:g", false},
	{"ls | while read f; do rm $f; done", "0:ls |\n0p:read f ;\n0:rm $f ;", false},
	{"\"if\" x; echo if then fi; \\fi", "0:if x ;\n0:echo if then fi ;\n0:fi", false},
	{"a && ! b", "0:a &&\n0:b", false},
	{"sudo apt-get install x", "0:sudo apt-get install x", false},
	{"set -o pipefail && curl u | sh", "0:set -o pipefail &&\n0:curl u |\n0p:sh", false},
	{"a ;; b", "0:a ;\n0:b", false},
	/* malformed input: what was read, and the error flag */
	{"echo 'abc", "0:echo abc", true},
	{"echo \"abc", "0:echo abc", true},
	{"echo $(ls", "0:echo $(ls\n1c:ls", true},
	{"echo ${x", "0:echo ${x", true},
	{"echo `ls", "0:echo `ls\n1c:ls", true},
	{"(a", "1s:a", true},
	{"{ a }", "1:a }", true},
	{"a )", "0:a", true},
	{"a }; b", "0:a } ;\n0:b", false},
	{"} a", "0:a", true},
	{"echo >", "0:echo", true},
	{"echo > && b", "0:echo &&\n0:b", true},
	{"echo (x)", "0:echo\n1s:x", true},
	{"cat <<EOF\nno end", "0:cat", true},
	{"$'abc", "0:abc", true},
};

static void test_table(void **state)
{
	int failed = 0;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const tcase *c = &cases[i];
		arena mem;
		arena_init(&mem);
		sh_script sc;
		sh_parse(&mem, c->in, strlen(c->in), &sc);
		buf b = BUF_INIT;
		render(&b, &sc);
		if (strcmp(buf_str(&b), c->want) != 0 || sc.error != c->error) {
			print_error("input [%s]\n  want (error %d)\n%s\n  got (error %d)\n%s\n", c->in,
				    c->error, c->want, sc.error, buf_str(&b));
			failed++;
		}
		buf_free(&b);
		arena_free(&mem);
	}
	assert_int_equal(failed, 0);
}

static sh_script parse(arena *mem, const char *s)
{
	sh_script sc;
	sh_parse(mem, s, strlen(s), &sc);
	return sc;
}

static void test_pipe_flag(void **state)
{
	arena mem;
	arena_init(&mem);
	assert_true(parse(&mem, "a | b").has_pipe);
	assert_false(parse(&mem, "a || b").has_pipe);
	assert_true(parse(&mem, "x $(a | b)").has_pipe);
	assert_true(parse(&mem, "(a |& b)").has_pipe);
	assert_false(parse(&mem, "case x in a|b) c;; esac").has_pipe);
	assert_false(parse(&mem, "echo 'a | b' \"|\" \\|").has_pipe);
	arena_free(&mem);
}

static void test_word_flags(void **state)
{
	arena mem;
	arena_init(&mem);
	sh_script sc = parse(&mem, "x plain 'q' \"d\" $V \"$V\" ${V} $(c) `c` $((1)) a\\b $ $'t'");
	assert_int_equal(sc.ncmds, 3);
	const sh_word *w = sc.cmds[0].argv;
	assert_int_equal(sc.cmds[0].argc, 13);
	static const struct { bool quoted, dynamic; } want[] = {
		{false, false}, {false, false}, {true, false}, {true, false}, {false, true},
		{true, true},   {false, true},  {false, true}, {false, true}, {false, true},
		{true, false},  {false, false}, {true, false},
	};
	for (size_t i = 0; i < 13; i++) {
		if (w[i].quoted != want[i].quoted || w[i].dynamic != want[i].dynamic)
			fail_msg("word %zu [%s]: quoted %d dynamic %d", i, w[i].s, w[i].quoted,
				 w[i].dynamic);
	}
	/* $'...' decoding */
	sc = parse(&mem, "printf $'a\\tb\\x41\\n\\101\\u00e9\\cA\\q\\x' $'\\0z'");
	assert_string_equal(sc.cmds[0].argv[1].s, "a\tbA\nA\xc3\xa9\x01\\q\\x");
	assert_string_equal(sc.cmds[0].argv[2].s, "z");
	assert_false(sc.error);
	arena_free(&mem);
}

static void test_offsets(void **state)
{
	arena mem;
	arena_init(&mem);
	const char *s = "  A=1 apt-get  install \\\n -y 'x y' >log && (cd /d; $(id))";
	sh_script sc = parse(&mem, s);
	assert_int_equal(sc.ncmds, 4);
	const sh_cmd *c = &sc.cmds[0];
	assert_int_equal(c->off, 2);
	assert_int_equal(c->end, strstr(s, " &&") - s);
	assert_int_equal(c->assigns[0].off, 2);
	assert_int_equal(c->assigns[0].end, 5);
	assert_int_equal(c->argv[0].off, 6);
	assert_int_equal(c->argv[0].end, 13);
	const sh_word *q = &c->argv[3];
	assert_string_equal(q->s, "x y");
	assert_int_equal(q->off, strstr(s, "'x y'") - s);
	assert_int_equal(q->end, q->off + 5);
	const sh_cmd *cd = &sc.cmds[1];
	assert_string_equal(sh_cmd_name(cd), "cd");
	assert_int_equal(cd->off, strstr(s, "cd /d") - s);
	assert_int_equal(cd->end, cd->off + 5);
	const sh_cmd *sub = &sc.cmds[2];
	assert_string_equal(sub->argv[0].s, "$(id)");
	assert_int_equal(sub->argv[0].off, strstr(s, "$(id)") - s);
	assert_int_equal(sc.cmds[3].off, strstr(s, "id)") - s);
	assert_true(sc.cmds[3].in_subst && sc.cmds[3].in_subshell);
	assert_int_equal(sc.cmds[3].depth, 2);
	arena_free(&mem);
}

static void test_cmd_name(void **state)
{
	arena mem;
	arena_init(&mem);
	assert_string_equal(sh_cmd_name(&parse(&mem, "/usr/bin/apt-get install").cmds[0]),
			    "apt-get");
	assert_string_equal(sh_cmd_name(&parse(&mem, "sudo apt-get install").cmds[0]), "sudo");
	assert_string_equal(sh_cmd_name(&parse(&mem, "A=1").cmds[0]), "");
	assert_string_equal(sh_cmd_name(&parse(&mem, "./run.sh").cmds[0]), "run.sh");
	arena_free(&mem);
}

static void test_options(void **state)
{
	arena mem;
	arena_init(&mem);
	sh_script sc = parse(&mem, "apt-get install -qy --no-install-recommends -t "
				   "bullseye-backports foo=1.2 bar -- -z");
	const sh_cmd *c = &sc.cmds[0];
	assert_true(sh_has_opt(c, 'y', "--yes"));
	assert_true(sh_has_opt(c, 'q', NULL));
	assert_true(sh_has_opt(c, 0, "--no-install-recommends"));
	assert_true(sh_has_opt(c, 0, "no-install-recommends"));
	assert_false(sh_has_opt(c, 0, "--no-install"));
	assert_false(sh_has_opt(c, 'z', NULL));   /* after -- */
	assert_false(sh_has_opt(c, 'b', NULL));   /* an operand, not an option */

	static const char *const with_value[] = {"-t", "--target-release", NULL};
	const sh_word *ops[8];
	size_t n = sh_operands(c, 1, with_value, ops, 8);
	assert_int_equal(n, 3);
	assert_string_equal(ops[0]->s, "foo=1.2");
	assert_string_equal(ops[1]->s, "bar");
	assert_string_equal(ops[2]->s, "-z");
	assert_int_equal(sh_operands(c, 1, with_value, ops, 1), 1);
	assert_int_equal(sh_operands(c, 1, with_value, NULL, 0), 3);
	assert_int_equal(sh_operands(c, 0, NULL, NULL, 0), 5); /* install, bullseye-..., ... */

	sh_word tmp;
	const sh_word *v = sh_opt_value(c, 't', "--target-release", &tmp);
	assert_non_null(v);
	assert_string_equal(v->s, "bullseye-backports");

	sc = parse(&mem, "apt-get -tbuster --target-release=sid -o=x install --yes=1 -qqt "
			 "jessie a");
	c = &sc.cmds[0];
	v = sh_opt_value(c, 't', NULL, &tmp);
	assert_string_equal(v->s, "jessie");
	v = sh_opt_value(c, 0, "--target-release", &tmp);
	assert_string_equal(v->s, "sid");
	assert_int_equal(v->off, strstr("apt-get -tbuster --target-release=sid", "sid") -
					 "apt-get -tbuster --target-release=sid");
	assert_true(sh_has_opt(c, 0, "--yes"));
	n = sh_operands(c, 1, with_value, ops, 8);
	assert_int_equal(n, 1);
	assert_string_equal(ops[0]->s, "a");
	assert_null(sh_opt_value(c, 'x', "--nope", &tmp));

	/* useradd -l -u 123456, chmod 777, pip --no-cache-dir, apk --no-cache */
	c = &parse(&mem, "useradd -l -u 123456 app").cmds[0];
	assert_true(sh_has_opt(c, 'l', "--no-log-init"));
	assert_string_equal(sh_opt_value(c, 'u', "--uid", &tmp)->s, "123456");
	c = &parse(&mem, "useradd -lu123456 app").cmds[0];
	v = sh_opt_value(c, 'u', "--uid", &tmp);
	assert_string_equal(v->s, "123456");
	assert_int_equal(v->off, 11);
	c = &parse(&mem, "apk add --no-cache curl").cmds[0];
	assert_true(sh_has_opt(c, 0, "--no-cache"));
	assert_false(sh_has_opt(c, 0, "--no-cache-dir"));
	/* the cluster stops at a non-letter: no y in "-oAPT::y" */
	c = &parse(&mem, "apt-get -oDpkg::yes install").cmds[0];
	assert_false(sh_has_opt(c, 'y', NULL));
	/* "-" alone is an operand */
	c = &parse(&mem, "tar -xf - -C /opt").cmds[0];
	static const char *const tar_value[] = {"-f", "-C", NULL};
	n = sh_operands(c, 0, tar_value, ops, 8);
	assert_int_equal(n, 0);
	arena_free(&mem);
}

static double seconds_since(clock_t t0)
{
	return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

static char *repeat(const char *unit, size_t times, size_t *len)
{
	size_t u = strlen(unit);
	char *s = malloc(u * times + 1);
	assert_non_null(s);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * u, unit, u);
	s[u * times] = '\0';
	*len = u * times;
	return s;
}

/* Hostile inputs finish quickly, within memory, and set the error flag when malformed. */
static void test_hostile(void **state)
{
	static const struct {
		const char *unit;
		size_t times;
		bool error;
	} h[] = {
		{"(", 1 << 20, true},
		{")", 1 << 20, true},
		{"$(", 1 << 19, true},
		{"$((", 1 << 18, true},
		{"`", 1 << 20, false},
		{"$(`", 1 << 18, true},
		{"{ ", 1 << 19, true},
		{"${", 1 << 19, true},
		{"\"$(", 1 << 18, true},
		{"'", 1 << 20, false},
		{"\\", 1 << 20, false},
		{"<<A ", 1 << 18, true},
		{"if ", 1 << 18, false},
		{"case ", 1 << 18, false},
		{"a | ", 1 << 18, false},
		{"((a)) ", 1 << 17, false},
		{"\"", 1 << 20 | 1, true},
		{"$'", 1 << 19 | 1, true},
	};
	clock_t t0 = clock();
	for (size_t i = 0; i < sizeof h / sizeof *h; i++) {
		size_t n;
		char *s = repeat(h[i].unit, h[i].times, &n);
		arena mem;
		arena_init(&mem);
		sh_script sc;
		clock_t t1 = clock();
		sh_parse(&mem, s, n, &sc);
		if (sc.error != h[i].error)
			fail_msg("[%s] x %zu: error %d", h[i].unit, h[i].times, sc.error);
		/* memory stays within a constant factor of the input */
		if (mem.total > 64 * n + (1 << 20))
			fail_msg("[%s]: %zu bytes of arena for %zu of input", h[i].unit,
				 mem.total, n);
		for (size_t k = 0; k < sc.ncmds; k++)
			assert_true(sc.cmds[k].depth <= 64);
		if (seconds_since(t1) > 10.0)
			fail_msg("[%s]: %.1f s", h[i].unit, seconds_since(t1));
		arena_free(&mem);
		free(s);
	}
	assert_true(seconds_since(t0) < 60.0);
}

static void test_many_commands(void **state)
{
	size_t n;
	char *s = repeat("apt-get install -y x && ", 100000, &n);
	n -= 4; /* drop the last " && " */
	arena mem;
	arena_init(&mem);
	sh_script sc;
	clock_t t0 = clock();
	sh_parse(&mem, s, n, &sc);
	assert_false(sc.error);
	assert_int_equal(sc.ncmds, 100000);
	assert_int_equal(sc.cmds[0].op_after, SH_AND);
	assert_int_equal(sc.cmds[99999].op_after, SH_END);
	assert_int_equal(sc.cmds[99999].argc, 4);
	assert_int_equal(sc.cmds[99999].off, n - strlen("apt-get install -y x"));
	assert_true(seconds_since(t0) < 10.0);
	arena_free(&mem);
	free(s);

	/* deep nesting: the depth is capped and the text past it skipped */
	s = repeat("$(a ", 1000, &n);
	arena_init(&mem);
	sh_parse(&mem, s, n, &sc);
	assert_true(sc.error);
	assert_int_equal(sc.ncmds, 65);
	assert_int_equal(sc.cmds[64].depth, 64);
	arena_free(&mem);
	free(s);
}

static void test_nul_bytes(void **state)
{
	static const char s[] = "apt-get\0install -y\0'a\0b' \"c\0d\"\0&& \0\0 x";
	arena mem;
	arena_init(&mem);
	sh_script sc;
	sh_parse(&mem, s, sizeof s - 1, &sc);
	buf b = BUF_INIT;
	render(&b, &sc);
	assert_string_equal(buf_str(&b), "0:apt-get install -y ab cd &&\n0:x");
	assert_false(sc.error);
	buf_free(&b);

	/* all NULs, and NUL inside every construct */
	char z[4096] = {0};
	sh_parse(&mem, z, sizeof z, &sc);
	assert_int_equal(sc.ncmds, 0);
	static const char t[] = "$(\0`\0${\0$'\0\\\0\"\0";
	sh_parse(&mem, t, sizeof t - 1, &sc);
	assert_true(sc.error);
	sh_parse(&mem, NULL, 0, &sc);
	assert_int_equal(sc.ncmds, 0);
	arena_free(&mem);
}

/* Random text over the shell's special characters: no crash, and every span and depth
 * within bounds. A fixed seed keeps failures reproducible. */
static void test_random(void **state)
{
	static const char alpha[] = "()`'\"\\$ {}|&;<>\n#=-aif0123\t!*";
	uint32_t seed = 12345;
	char s[64];
	for (int iter = 0; iter < 200000; iter++) {
		size_t n = 0, len = (iter % 63) + 1;
		for (; n < len; n++) {
			seed = seed * 1103515245u + 12345u;
			s[n] = alpha[(seed >> 16) % (sizeof alpha - 1)];
		}
		arena mem;
		arena_init(&mem);
		sh_script sc;
		sh_parse(&mem, s, n, &sc);
		for (size_t k = 0; k < sc.ncmds; k++) {
			const sh_cmd *c = &sc.cmds[k];
			assert_true(c->off <= c->end && c->end <= n);
			assert_true(c->depth >= 0 && c->depth <= 64);
			assert_true(c->argc + c->nassigns > 0);
			for (size_t w = 0; w < c->argc; w++) {
				assert_true(c->argv[w].off <= c->argv[w].end && c->argv[w].end <= n);
				assert_int_equal(strlen(c->argv[w].s), c->argv[w].len);
			}
		}
		arena_free(&mem);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_pipe_flag),
		cmocka_unit_test(test_word_flags),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_cmd_name),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_many_commands),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
