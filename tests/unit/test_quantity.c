/* test_quantity.c - Kubernetes quantities: the cases of apimachinery's quantity tests (valid
 * texts with their values, the invalid list, the sign variants), the digitless texts
 * ParseQuantity accepts as 0, rounding up to 1n, the binary cap, and values in base units. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/quantity.h"

#include <math.h> /* signbit, a macro: no libm needed */
#include <stdio.h>
#include <string.h>

static pl_quantity parse(const char *s)
{
	pl_quantity q;
	bool ok = pl_quantity_parse(s, strlen(s), &q);
	assert_true(ok == q.valid);
	return q;
}

/* Equal within a relative 1e-12: values are computed exactly in decimal, then rounded once
 * to a double, and the expectations below are double expressions. */
static double absd(double x)
{
	return x < 0 ? -x : x;
}

static void assert_value(const char *s, double want)
{
	pl_quantity q = parse(s);
	if (!q.valid)
		fail_msg("'%s' should parse", s);
	double tol = absd(want) * 1e-12;
	if (q.value != want && absd(q.value - want) > tol)
		fail_msg("'%s': got %.17g, want %.17g", s, q.value, want);
}

static void assert_invalid(const char *s)
{
	pl_quantity q = parse(s);
	if (q.valid)
		fail_msg("'%s' should not parse (got %.17g)", s, q.value);
}

static const struct {
	const char *in;
	double v;
	pl_qformat f;
} valid_cases[] = {
	{"0", 0, PLQ_DECIMAL_SI},
	{"0n", 0, PLQ_DECIMAL_SI},
	{"0u", 0, PLQ_DECIMAL_SI},
	{"0m", 0, PLQ_DECIMAL_SI},
	{"0Ki", 0, PLQ_BINARY_SI},
	{"0k", 0, PLQ_DECIMAL_SI},
	{"0Mi", 0, PLQ_BINARY_SI},
	{"0M", 0, PLQ_DECIMAL_SI},
	{"0Gi", 0, PLQ_BINARY_SI},
	{"0G", 0, PLQ_DECIMAL_SI},
	{"0Ti", 0, PLQ_BINARY_SI},
	{"0T", 0, PLQ_DECIMAL_SI},
	{"1", 1, PLQ_DECIMAL_SI},
	/* binary suffixes */
	{"1Ki", 1024, PLQ_BINARY_SI},
	{"8Ki", 8 * 1024, PLQ_BINARY_SI},
	{"7Mi", 7 * 1048576.0, PLQ_BINARY_SI},
	{"6Gi", 6 * 1073741824.0, PLQ_BINARY_SI},
	{"5Ti", 5 * 1099511627776.0, PLQ_BINARY_SI},
	{"4Pi", 4 * 1125899906842624.0, PLQ_BINARY_SI},
	{"3Ei", 3 * 1152921504606846976.0, PLQ_BINARY_SI},
	{"10Ti", 10 * 1099511627776.0, PLQ_BINARY_SI},
	{"100Ti", 100 * 1099511627776.0, PLQ_BINARY_SI},
	/* decimal suffixes */
	{"5n", 5e-9, PLQ_DECIMAL_SI},
	{"4u", 4e-6, PLQ_DECIMAL_SI},
	{"3m", 3e-3, PLQ_DECIMAL_SI},
	{"9", 9, PLQ_DECIMAL_SI},
	{"8k", 8e3, PLQ_DECIMAL_SI},
	{"50k", 5e4, PLQ_DECIMAL_SI},
	{"7M", 7e6, PLQ_DECIMAL_SI},
	{"6G", 6e9, PLQ_DECIMAL_SI},
	{"5T", 5e12, PLQ_DECIMAL_SI},
	{"40T", 4e13, PLQ_DECIMAL_SI},
	{"300T", 3e14, PLQ_DECIMAL_SI},
	{"2P", 2e15, PLQ_DECIMAL_SI},
	{"1E", 1e18, PLQ_DECIMAL_SI},
	/* decimal exponents */
	{"1E-3", 1e-3, PLQ_DECIMAL_EXPONENT},
	{"1e3", 1e3, PLQ_DECIMAL_EXPONENT},
	{"1E6", 1e6, PLQ_DECIMAL_EXPONENT},
	{"1e9", 1e9, PLQ_DECIMAL_EXPONENT},
	{"1E12", 1e12, PLQ_DECIMAL_EXPONENT},
	{"1e15", 1e15, PLQ_DECIMAL_EXPONENT},
	{"1E18", 1e18, PLQ_DECIMAL_EXPONENT},
	{"1e14", 1e14, PLQ_DECIMAL_EXPONENT},
	{"1e13", 1e13, PLQ_DECIMAL_EXPONENT},
	{"100.035k", 100035, PLQ_DECIMAL_SI},
	/* things that look like floating point */
	{"0.001", 1e-3, PLQ_DECIMAL_SI},
	{"0.0005k", 0.5, PLQ_DECIMAL_SI},
	{"0.005", 5e-3, PLQ_DECIMAL_SI},
	{"0.05", 5e-2, PLQ_DECIMAL_SI},
	{"0.5", 0.5, PLQ_DECIMAL_SI},
	{"0.00050k", 0.5, PLQ_DECIMAL_SI},
	{"0.00500", 5e-3, PLQ_DECIMAL_SI},
	{"0.05000", 5e-2, PLQ_DECIMAL_SI},
	{"0.50000", 0.5, PLQ_DECIMAL_SI},
	{"0.5e0", 0.5, PLQ_DECIMAL_EXPONENT},
	{"0.5e-1", 5e-2, PLQ_DECIMAL_EXPONENT},
	{"0.5e-2", 5e-3, PLQ_DECIMAL_EXPONENT},
	{"10.035M", 10035000, PLQ_DECIMAL_SI},
	{"1.2e3", 1200, PLQ_DECIMAL_EXPONENT},
	{"1.3E+6", 1.3e6, PLQ_DECIMAL_EXPONENT},
	{"1.40e9", 1.4e9, PLQ_DECIMAL_EXPONENT},
	{"1.53E12", 1.53e12, PLQ_DECIMAL_EXPONENT},
	{"1.6e15", 1.6e15, PLQ_DECIMAL_EXPONENT},
	{"1.7E18", 1.7e18, PLQ_DECIMAL_EXPONENT},
	{"9.01", 9.01, PLQ_DECIMAL_SI},
	{"8.1k", 8100, PLQ_DECIMAL_SI},
	{"7.123456M", 7123456, PLQ_DECIMAL_SI},
	{"6.987654321G", 6987654321.0, PLQ_DECIMAL_SI},
	{"5.444T", 5.444e12, PLQ_DECIMAL_SI},
	{"40.1T", 4.01e13, PLQ_DECIMAL_SI},
	{"300.2T", 3.002e14, PLQ_DECIMAL_SI},
	{"2.5P", 2.5e15, PLQ_DECIMAL_SI},
	{"1.01E", 1.01e18, PLQ_DECIMAL_SI},
	/* things that round up to the next nano, or saturate */
	{"3.001n", 4e-9, PLQ_DECIMAL_SI},
	{"1.1E-9", 2e-9, PLQ_DECIMAL_EXPONENT},
	{"0.0000000001", 1e-9, PLQ_DECIMAL_SI},
	{"0.0000000005", 1e-9, PLQ_DECIMAL_SI},
	{"0.00000000050", 1e-9, PLQ_DECIMAL_SI},
	{"0.5e-9", 1e-9, PLQ_DECIMAL_EXPONENT},
	{"0.9n", 1e-9, PLQ_DECIMAL_SI},
	{"0.00000012345", 124e-9, PLQ_DECIMAL_SI},
	{"0.00000012354", 124e-9, PLQ_DECIMAL_SI},
	{"9Ei", 9223372036854775807.0, PLQ_BINARY_SI},
	{"9223372036854775807Ki", 9223372036854775807.0, PLQ_BINARY_SI},
	{"12E", 12e18, PLQ_DECIMAL_SI},
	/* fractional binary */
	{"100.035Ki", 102435.84, PLQ_BINARY_SI},
	{"0.5Mi", 0.5 * 1048576, PLQ_BINARY_SI},
	{"0.05Gi", 53687091.2, PLQ_BINARY_SI},
	{"0.025Ti", 27487790694.4, PLQ_BINARY_SI},
	{"1.5Ki", 1536, PLQ_BINARY_SI},
	/* written by trolls */
	{"0.000000000001Ki", 2e-9, PLQ_BINARY_SI},
	{".001", 1e-3, PLQ_DECIMAL_SI},
	{".0001k", 0.1, PLQ_DECIMAL_SI},
	{"1.", 1, PLQ_DECIMAL_SI},
	{"1.G", 1e9, PLQ_DECIMAL_SI},
	/* emitted forms that must parse back */
	{"500m", 0.5, PLQ_DECIMAL_SI},
	{"1Gi", 1073741824.0, PLQ_BINARY_SI},
	{"1G", 1e9, PLQ_DECIMAL_SI},
	{"1024Mi", 1073741824.0, PLQ_BINARY_SI},
	{".001Ki", 1.024, PLQ_BINARY_SI},
	{".000001Ki", 1.024e-3, PLQ_BINARY_SI},
	{".000000001Ki", 1.024e-6, PLQ_BINARY_SI},
	{".000000000001Ki", 2e-9, PLQ_BINARY_SI},
	{"1e21", 1e21, PLQ_DECIMAL_EXPONENT},
	{"80e-3", 0.08, PLQ_DECIMAL_EXPONENT},
	{"1080n", 1.08e-6, PLQ_DECIMAL_SI},
	{"+1", 1, PLQ_DECIMAL_SI},
	{".5", 0.5, PLQ_DECIMAL_SI},
};

static void test_valid_table(void **state)
{
	(void)state;
	char buf[64];
	for (size_t i = 0; i < sizeof valid_cases / sizeof valid_cases[0]; i++) {
		const char *in = valid_cases[i].in;
		assert_value(in, valid_cases[i].v);
		assert_int_equal(parse(in).format, valid_cases[i].f);
		/* the same with an explicit sign, as the Go test does */
		snprintf(buf, sizeof buf, "-%s", in[0] == '+' ? in + 1 : in);
		assert_value(buf, -valid_cases[i].v);
		assert_true(parse(buf).negative);
		if (in[0] != '+') {
			snprintf(buf, sizeof buf, "+%s", in);
			assert_value(buf, valid_cases[i].v);
		}
	}
}

static void test_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		/* apimachinery's invalid list */
		"1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-",
		" 1", "1 ", "Non-Numeric",
		/* more */
		"", "1.5.5", "1 Gi", "1gi", "1GI", "1K", "1KI", "1e", "1E+", "1ee3", "1e3.5",
		"1Gi5", "1b", "1B", "1Kib", "--1", "+-1", "1-", "1_000", "0x10", "1,5",
		"Ei", "Pi", "-e-20", ".e-10", "1e99999999999999999999",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_invalid(bad[i]);
	/* embedded NUL: the length decides, not the terminator */
	pl_quantity q;
	assert_false(pl_quantity_parse("1\0Gi", 4, &q));
}

/* ParseQuantity accepts a few texts without any digit, as 0 (apimachinery#165); the reader
 * refuses them through has_digits. "Ei"/"Pi" are refused by Go itself (see test_invalid):
 * they miss its int64 fast path and the decimal parse then finds no digit. */
static void test_digitless(void **state)
{
	(void)state;
	static const char *const odd[] = {"-", "+", ".", "-.", "Gi", "Ki", "Ti", "m", "k", "n",
					  "E", "M", "e3"};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		pl_quantity q = parse(odd[i]);
		if (!q.valid)
			fail_msg("'%s' should parse as Go does", odd[i]);
		assert_false(q.has_digits);
		assert_true(q.value == 0);
	}
	assert_true(parse("0").has_digits);
	assert_true(parse("-0").has_digits);
	assert_true(parse("1e3").has_digits);
	assert_false(parse(".e5").has_digits); /* exponent digits are not the number's */
	assert_true(parse(".e5").valid);
}

static void test_negative(void **state)
{
	(void)state;
	pl_quantity q = parse("-1Gi");
	assert_true(q.valid);
	assert_true(q.negative);
	assert_true(q.value == -1073741824.0);
	q = parse("-0");
	assert_true(q.valid && q.negative);
	assert_true(q.value == 0);
	assert_false(signbit(q.value)); /* +0, not -0 */
	q = parse("-500m");
	assert_true(q.value == -0.5);
}

static void test_exact_values(void **state)
{
	(void)state;
	/* base units: bytes and cores, exactly */
	assert_true(parse("500m").value == 0.5);
	assert_true(parse("250m").value == 0.25);
	assert_true(parse("1.5Ki").value == 1536.0);
	assert_true(parse("128Mi").value == 134217728.0);
	assert_true(parse("1e3").value == 1000.0);
	assert_true(parse("0.1").value == 0.1);
	assert_true(parse("100m").value == 0.1);
	assert_true(parse("1.1").value == 1.1);
	/* long texts keep their magnitude */
	assert_value("123456789012345678901234567890123456789012345678901234567890",
		     1.2345678901234568e59);
	assert_value("0.0000000000000000000000000000000000000000000000000000001", 1e-9);
	assert_value("1e400", 1e308 * 10); /* +inf */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_table),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_digitless),
		cmocka_unit_test(test_negative),
		cmocka_unit_test(test_exact_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
