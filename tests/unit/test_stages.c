/* test_stages.c - the build-stage model: stages, final stage, inheritance, and BuildKit's
 * variable expansion rules (global ARGs in FROM, ARG scope, ENV ordering). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dockerfile/stages.h"

#include <string.h>

typedef struct fixture {
	df_file f;
	df_build b;
} fixture;

static void build(fixture *x, const char *src)
{
	if (df_parse(&x->f, "Dockerfile", src, strlen(src)) != 0)
		fail_msg("parse: %s", x->f.err);
	df_build_model(&x->f, &x->b);
}

static const char *env(const df_stage *st, const char *name)
{
	const df_var *v = df_vars_get(&st->env, name, strlen(name));
	return v ? v->value : NULL;
}

static void test_global_args_in_from(void **state)
{
	(void)state;
	fixture x;
	build(&x, "ARG REG=docker.io\nARG V=3.19\nFROM --platform=${P:-linux/amd64} $REG/alpine:${V} AS Build\n"
		  "RUN echo $V\nARG V\nRUN echo $V\n");
	assert_int_equal(x.b.nstages, 1);
	const df_stage *st = &x.b.stages[0];
	assert_string_equal(st->base, "docker.io/alpine:3.19");
	assert_string_equal(st->name, "build"); /* stage names are case-insensitive */
	assert_string_equal(st->platform, "linux/amd64");
	assert_true(st->final);
	/* a global ARG is visible in a stage only after `ARG V` re-declares it */
	assert_string_equal(env(st, "V"), "3.19");
	assert_int_equal(x.b.global_args.n, 2);
	assert_int_equal(x.b.problems.n, 0);
	df_free(&x.f);
}

static void test_env_expansion_order(void **state)
{
	(void)state;
	fixture x;
	build(&x, "FROM a\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n"
		  "ENV old form with spaces\nLABEL k=\"$ghi x\"\n");
	const df_stage *st = &x.b.stages[0];
	assert_string_equal(env(st, "def"), "hello");
	assert_string_equal(env(st, "ghi"), "bye");
	assert_string_equal(env(st, "old"), "form with spaces");
	const df_cmd *label = &st->cmds[5];
	assert_int_equal(label->kind, DF_LABEL);
	assert_string_equal(label->args[1], "bye x");
	df_free(&x.f);
}

static void test_stage_inheritance_and_final(void **state)
{
	(void)state;
	fixture x;
	build(&x, "FROM golang:1.22 AS builder\nARG SECRET_ARG=1\nENV CGO_ENABLED=0\nUSER builder\n"
		  "WORKDIR /src\nFROM builder AS test\nWORKDIR pkg\nFROM scratch\n"
		  "COPY --from=builder /src/app /app\n");
	assert_int_equal(x.b.nstages, 3);
	const df_stage *t = &x.b.stages[1];
	assert_int_equal(t->base_stage, 0);
	assert_string_equal(env(t, "CGO_ENABLED"), "0");
	assert_null(env(t, "SECRET_ARG")); /* ARGs end with their stage */
	assert_string_equal(t->user, "builder");
	assert_string_equal(t->workdir, "/src/pkg");
	assert_false(t->final);
	const df_stage *fin = &x.b.stages[2];
	assert_true(fin->final);
	assert_int_equal(fin->base_stage, -1);
	assert_null(fin->user);
	assert_int_equal(df_stage_ref(&x.b, "builder", 2), 0);
	assert_int_equal(df_stage_ref(&x.b, "1", 2), 1);
	assert_int_equal(df_stage_ref(&x.b, "nope", 2), -1);
	const df_flag *from = df_flag_get(fin->cmds[1].flags, fin->cmds[1].nflags, "from");
	assert_non_null(from);
	assert_string_equal(from->value, "builder");
	df_free(&x.f);
}

static void test_flag_and_copy_expansion(void **state)
{
	(void)state;
	fixture x;
	build(&x, "FROM a\nARG U=app\nENV D=/srv\nCOPY --chown=$U:$U [\"src dir\", \"${D}/\"]\n"
		  "RUN --mount=type=cache,target=${D}/cache echo $D\n");
	const df_stage *st = &x.b.stages[0];
	const df_cmd *cp = &st->cmds[3];
	assert_string_equal(df_flag_get(cp->flags, cp->nflags, "chown")->value, "app:app");
	assert_string_equal(cp->args[0], "src dir");
	assert_string_equal(cp->args[1], "/srv/");
	const df_cmd *run = &st->cmds[4];
	assert_string_equal(run->flags[0].value, "type=cache,target=/srv/cache");
	assert_string_equal(run->args[0], "echo $D"); /* RUN's shell expands, not BuildKit */
	df_free(&x.f);
}

static void test_problems(void **state)
{
	(void)state;
	fixture x;
	build(&x, "RUN echo no stage\nFROM a b\nFROM a AS ok\nCOPY --frm=x a b\nCOPY one\n"
		  "BOGUS x\nONBUILD FROM b\nHEALTHCHECK WHAT x\nENV X=${Y:?Y_must_be_set}\n");
	const char *want[] = {
		"no build stage in current context",
		"FROM requires either one or three arguments",
		"unknown flag: frm",
		"COPY requires at least two arguments, but only one was provided. Destination could not be determined",
		"unknown instruction: bogus",
		"FROM isn't allowed as an ONBUILD trigger",
		"Unknown type \"WHAT\" in HEALTHCHECK (try CMD)",
		"failed to process \"${Y:?Y_must_be_set}\": Y: Y_must_be_set",
	};
	assert_int_equal(x.b.problems.n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < x.b.problems.n; i++)
		assert_string_equal(x.b.problems.v[i].msg, want[i]);
	assert_int_equal(x.b.problems.v[0].line, 1);
	assert_int_equal(x.b.problems.v[2].line, 4);
	assert_int_equal(x.b.problems.v[2].col, 6);
	df_free(&x.f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global_args_in_from),
		cmocka_unit_test(test_env_expansion_order),
		cmocka_unit_test(test_stage_inheritance_and_final),
		cmocka_unit_test(test_flag_and_copy_expansion),
		cmocka_unit_test(test_problems),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
