/* test_prometheus.c - the Prometheus/OpenMetrics text validator (src/live/prometheus.h):
 * realistic client_golang and prometheus_client (python) output with zero problems, each
 * validation rule with an input that fires and one that does not, the golden-signal
 * heuristics, and hostile input (NULs, bad UTF-8, a 1 MiB line, 200k lines) in bounded time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "live/prometheus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Problems found in s; prints them when verbose debugging is wanted. */
static size_t nprob(const char *s, bool om)
{
	prom_report r;
	prom_parse(s, strlen(s), om, &r);
	size_t n = r.nproblems_total;
	for (size_t i = 0; i < r.nproblems; i++)
		if (getenv("PROM_DEBUG"))
			fprintf(stderr, "%s\n", r.problems[i].msg);
	prom_report_free(&r);
	return n;
}

/* s has exactly one problem, and its message contains want. */
static void fires(const char *s, bool om, const char *want, int line)
{
	prom_report r;
	prom_parse(s, strlen(s), om, &r);
	if (r.nproblems_total != 1 || !strstr(r.problems[0].msg, want)) {
		fprintf(stderr, "input:\n%s\nwanted one problem with '%s', got %zu:\n", s, want, r.nproblems_total);
		for (size_t i = 0; i < r.nproblems; i++)
			fprintf(stderr, "  %s\n", r.problems[i].msg);
	}
	assert_int_equal(r.nproblems_total, 1);
	assert_non_null(strstr(r.problems[0].msg, want));
	assert_int_equal(r.problems[0].line, line);
	prom_report_free(&r);
}

static void clean(const char *s, bool om)
{
	size_t n = nprob(s, om);
	if (n)
		fprintf(stderr, "input:\n%s\nwanted no problem, got %zu\n", s, n);
	assert_int_equal(n, 0);
}

static const char go_output[] =
	"# HELP go_gc_duration_seconds A summary of the pause duration of garbage collection cycles.\n"
	"# TYPE go_gc_duration_seconds summary\n"
	"go_gc_duration_seconds{quantile=\"0\"} 2.3708e-05\n"
	"go_gc_duration_seconds{quantile=\"0.25\"} 3.4417e-05\n"
	"go_gc_duration_seconds{quantile=\"0.5\"} 4.6e-05\n"
	"go_gc_duration_seconds{quantile=\"0.75\"} 6.6458e-05\n"
	"go_gc_duration_seconds{quantile=\"1\"} 0.000415541\n"
	"go_gc_duration_seconds_sum 0.012760834\n"
	"go_gc_duration_seconds_count 187\n"
	"# HELP go_goroutines Number of goroutines that currently exist.\n"
	"# TYPE go_goroutines gauge\n"
	"go_goroutines 42\n"
	"# HELP go_info Information about the Go environment.\n"
	"# TYPE go_info gauge\n"
	"go_info{version=\"go1.21.5\"} 1\n"
	"# HELP go_memstats_alloc_bytes Number of bytes allocated and still in use.\n"
	"# TYPE go_memstats_alloc_bytes gauge\n"
	"go_memstats_alloc_bytes 5.123456e+06\n"
	"# HELP go_memstats_alloc_bytes_total Total number of bytes allocated, even if freed.\n"
	"# TYPE go_memstats_alloc_bytes_total counter\n"
	"go_memstats_alloc_bytes_total 1.234567891e+09\n"
	"# HELP http_request_duration_seconds Duration of HTTP requests.\n"
	"# TYPE http_request_duration_seconds histogram\n"
	"http_request_duration_seconds_bucket{handler=\"/api\",method=\"GET\",le=\"0.005\"} 1021\n"
	"http_request_duration_seconds_bucket{handler=\"/api\",method=\"GET\",le=\"0.01\"} 1340\n"
	"http_request_duration_seconds_bucket{handler=\"/api\",method=\"GET\",le=\"0.025\"} 1502\n"
	"http_request_duration_seconds_bucket{handler=\"/api\",method=\"GET\",le=\"0.05\"} 1544\n"
	"http_request_duration_seconds_bucket{handler=\"/api\",method=\"GET\",le=\"0.1\"} 1551\n"
	"http_request_duration_seconds_bucket{handler=\"/api\",method=\"GET\",le=\"0.25\"} 1553\n"
	"http_request_duration_seconds_bucket{handler=\"/api\",method=\"GET\",le=\"0.5\"} 1553\n"
	"http_request_duration_seconds_bucket{handler=\"/api\",method=\"GET\",le=\"1\"} 1553\n"
	"http_request_duration_seconds_bucket{handler=\"/api\",method=\"GET\",le=\"2.5\"} 1553\n"
	"http_request_duration_seconds_bucket{handler=\"/api\",method=\"GET\",le=\"5\"} 1553\n"
	"http_request_duration_seconds_bucket{handler=\"/api\",method=\"GET\",le=\"10\"} 1553\n"
	"http_request_duration_seconds_bucket{handler=\"/api\",method=\"GET\",le=\"+Inf\"} 1553\n"
	"http_request_duration_seconds_sum{handler=\"/api\",method=\"GET\"} 7.331\n"
	"http_request_duration_seconds_count{handler=\"/api\",method=\"GET\"} 1553\n"
	"http_request_duration_seconds_bucket{handler=\"/\",method=\"GET\",le=\"0.005\"} 3\n"
	"http_request_duration_seconds_bucket{handler=\"/\",method=\"GET\",le=\"+Inf\"} 3\n"
	"http_request_duration_seconds_sum{handler=\"/\",method=\"GET\"} 0.001\n"
	"http_request_duration_seconds_count{handler=\"/\",method=\"GET\"} 3\n"
	"# HELP http_requests_total Total HTTP requests.\n"
	"# TYPE http_requests_total counter\n"
	"http_requests_total{code=\"200\",method=\"get\"} 1553\n"
	"http_requests_total{code=\"500\",method=\"get\"} 2\n"
	"# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
	"# TYPE process_cpu_seconds_total counter\n"
	"process_cpu_seconds_total 12.47\n"
	"# HELP process_max_fds Maximum number of open file descriptors.\n"
	"# TYPE process_max_fds gauge\n"
	"process_max_fds 1.048576e+06\n"
	"# HELP process_open_fds Number of open file descriptors.\n"
	"# TYPE process_open_fds gauge\n"
	"process_open_fds 11\n"
	"# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
	"# TYPE process_resident_memory_bytes gauge\n"
	"process_resident_memory_bytes 2.4576e+07\n"
	"# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
	"# TYPE process_start_time_seconds gauge\n"
	"process_start_time_seconds 1.70123456789e+09\n"
	"# HELP promhttp_metric_handler_requests_in_flight Current number of scrapes being served.\n"
	"# TYPE promhttp_metric_handler_requests_in_flight gauge\n"
	"promhttp_metric_handler_requests_in_flight 1\n"
	"# HELP promhttp_metric_handler_requests_total Total number of scrapes by HTTP status code.\n"
	"# TYPE promhttp_metric_handler_requests_total counter\n"
	"promhttp_metric_handler_requests_total{code=\"200\"} 187\n"
	"promhttp_metric_handler_requests_total{code=\"500\"} 0\n"
	"promhttp_metric_handler_requests_total{code=\"503\"} 0\n";

/* prometheus_client (python) 0.0.4 output: _created gauges, NaN, escaped help. */
static const char py_output[] =
	"# HELP python_gc_objects_collected_total Objects collected during gc\n"
	"# TYPE python_gc_objects_collected_total counter\n"
	"python_gc_objects_collected_total{generation=\"0\"} 344.0\n"
	"python_gc_objects_collected_total{generation=\"1\"} 10.0\n"
	"python_gc_objects_collected_total{generation=\"2\"} 0.0\n"
	"# HELP python_info Python platform information\n"
	"# TYPE python_info gauge\n"
	"python_info{implementation=\"CPython\",major=\"3\",minor=\"11\",patchlevel=\"4\",version=\"3.11.4\"} 1.0\n"
	"# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
	"# TYPE process_virtual_memory_bytes gauge\n"
	"process_virtual_memory_bytes 2.3e+08\n"
	"# HELP app_requests_total Requests served\n"
	"# TYPE app_requests_total counter\n"
	"app_requests_total{path=\"/a\\\\b\",status=\"200\"} 5.0\n"
	"# HELP app_requests_created Requests served\n"
	"# TYPE app_requests_created gauge\n"
	"app_requests_created{path=\"/a\\\\b\",status=\"200\"} 1.7012345678e+09\n"
	"# HELP app_latency_seconds Request latency\\nin seconds\n"
	"# TYPE app_latency_seconds histogram\n"
	"app_latency_seconds_bucket{le=\"0.005\"} 0.0\n"
	"app_latency_seconds_bucket{le=\"0.01\"} 1.0\n"
	"app_latency_seconds_bucket{le=\"+Inf\"} 3.0\n"
	"app_latency_seconds_count 3.0\n"
	"app_latency_seconds_sum 0.4\n"
	"# HELP app_latency_seconds_created Request latency\n"
	"# TYPE app_latency_seconds_created gauge\n"
	"app_latency_seconds_created 1.7012345678e+09\n"
	"# HELP app_queue_depth Jobs waiting\n"
	"# TYPE app_queue_depth gauge\n"
	"app_queue_depth NaN\n"
	"# HELP app_temp Untyped one\n"
	"# TYPE app_temp untyped\n"
	"app_temp -Inf 1700000000000\n"
	"\n";

/* prometheus_client OpenMetrics output. */
static const char py_om[] =
	"# HELP app_requests Requests served.\n"
	"# TYPE app_requests counter\n"
	"app_requests_total{status=\"200\"} 5.0\n"
	"app_requests_created{status=\"200\"} 1.7012345678e+09\n"
	"# HELP app_latency_seconds Request latency.\n"
	"# TYPE app_latency_seconds histogram\n"
	"# UNIT app_latency_seconds seconds\n"
	"app_latency_seconds_bucket{le=\"0.1\"} 1.0 # {trace_id=\"abc\"} 0.05 1.7e+09\n"
	"app_latency_seconds_bucket{le=\"+Inf\"} 3.0\n"
	"app_latency_seconds_count 3.0\n"
	"app_latency_seconds_sum 0.4\n"
	"app_latency_seconds_created 1.7012345678e+09\n"
	"# HELP build Build info.\n"
	"# TYPE build info\n"
	"build_info{version=\"1.2\"} 1.0\n"
	"# EOF\n";

static void test_real_output(void **state)
{
	(void)state;
	prom_report r;
	prom_parse(go_output, strlen(go_output), false, &r);
	assert_int_equal(r.nproblems_total, 0);
	assert_false(r.openmetrics);
	assert_int_equal(r.nfamilies, 14);
	assert_int_equal(r.nsamples, 40);
	assert_true(r.latency && r.traffic && r.errors && r.saturation);
	for (size_t i = 0; i < r.nfamilies; i++)
		assert_true(r.families[i].has_help);
	assert_string_equal(r.families[0].type, "summary");
	assert_int_equal(r.families[0].samples, 7);
	prom_report_free(&r);

	clean(py_output, false);
	prom_parse(py_om, strlen(py_om), false, &r);  /* detected by # EOF */
	assert_true(r.openmetrics);
	assert_int_equal(r.nproblems_total, 0);
	prom_report_free(&r);
	clean(py_om, true);
	/* no final newline in 0.0.4; none after # EOF */
	clean("a 1\nb 2", false);
	clean("a_total 1\n# EOF", true);
}

static void test_names(void **state)
{
	(void)state;
	fires("http-requests 1\n", false, "metric name 'http-requests' is not valid", 1);
	clean("http_requests:rate5m 1\n_x 2\n", false);
	fires("1abc 1\n", false, "metric name '1abc'", 1);
	fires("a{1x=\"v\"} 1\n", false, "label name '1x' is not valid", 1);
	fires("a{__x=\"v\"} 1\n", false, "reserved prefix __", 1);
	clean("a{_x=\"v\",x9=\"\"} 1\n", false);
	fires("a{x=v} 1\n", false, "not in double quotes", 1);
	fires("a{x=\"v\",x=\"w\"} 1\n", false, "duplicate label name 'x'", 1);
	clean("a{x=\"v\",y=\"v\",} 1\n", false);
	fires("a{x=\"v\" 1\n", false, "expected ',' or '}'", 1);
	fires("a{x=\"v} 1\n", false, "unterminated label value", 1);
}

static void test_label_values(void **state)
{
	(void)state;
	clean("a{x=\"q\\\"\\\\\\n\"} 1\n", false);
	fires("a{x=\"\\t\"} 1\n", false, "invalid escape", 1);
	fires("a{x=\"\xff\"} 1\n", false, "not valid UTF-8", 1);
	clean("a{x=\"\xc3\xa9\xe2\x82\xac\"} 1\n", false);
}

static void test_values(void **state)
{
	(void)state;
	clean("a 1\nb -2.5e-3\nc NaN\nd +Inf\ne -Inf\nf 0x1p-2\ng .5\nh 5.\ni inf\nj +infinity\n", false);
	fires("a one\n", false, "value 'one' is not a valid float", 1);
	fires("a 1e400\n", false, "not a valid float", 1);
	fires("a +NaN\n", false, "not a valid float", 1);
	fires("a 1_000\n", false, "not a valid float", 1);
	fires("a\n", false, "has no value", 1);
	clean("a 1 1700000000000\nb 1 -5\n", false);
	fires("a 1 1.5\n", false, "timestamp '1.5'", 1);
	fires("a 1 99999999999999999999\n", false, "timestamp", 1);
	fires("a 1 2 3\n", false, "unexpected text", 1);
	clean("a_total 1 1.7e9\n# EOF\n", true);   /* OM timestamps are seconds */
}

static void test_metadata(void **state)
{
	(void)state;
	clean("# HELP a some \\\\ text\\n more\n# TYPE a gauge\na 1\n# just a comment\n", false);
	fires("# HELP a bad \\q escape\na 1\n", false, "invalid escape sequence in HELP", 1);
	fires("# TYPE a gauge\n# TYPE a gauge\na 1\n", false, "second # TYPE", 2);
	fires("# HELP a x\n# HELP a y\na 1\n", false, "second # HELP", 2);
	fires("a 1\n# TYPE a gauge\n", false, "after its first sample", 2);
	clean("# TYPE a gauge \t\na 1\n", false);
	fires("# TYPE a gaug\na 1\n", false, "unknown metric type 'gaug'", 1);
	fires("# TYPE a\na 1\n", false, "unknown metric type ''", 1);
	fires("# TYPE a info\na 1\n", false, "unknown metric type 'info'", 1);
	fires("# TYPE a-b gauge\n", false, "metric name 'a-b' is not valid", 1);
	clean("# TYPE a_info info\na_info 1\n# EOF\n", true);
	fires("# TYPE a gauge\n# UNIT a seconds\na 1\n# EOF\n", true, "does not end in its unit", 2);
	clean("# TYPE a_seconds gauge\n# UNIT a_seconds seconds\na_seconds 1\n# EOF\n", true);
	fires("# hello\na 1\n# EOF\n", true, "only # HELP", 1);
}

static void test_contiguous(void **state)
{
	(void)state;
	fires("a{x=\"1\"} 1\nb 1\na{x=\"2\"} 1\n", false, "not contiguous", 3);
	clean("a{x=\"1\"} 1\na{x=\"2\"} 1\nb 1\n", false);
	fires("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# HELP a late\n", false, "after its samples ended", 5);
	fires("a 1\na 2\n", false, "duplicate series 'a'", 2);
	fires("a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 1\n", false, "duplicate series", 2);
	clean("a{x=\"1\",y=\"2\"} 1\na{x=\"2\",y=\"1\"} 1\n", false);
}

static void test_counter(void **state)
{
	(void)state;
	fires("# TYPE a_total counter\na_total -1\n", false, "negative value", 2);
	clean("# TYPE a_total counter\na_total 0\n", false);
	clean("# TYPE a gauge\na -1\n", false);
	fires("# TYPE a counter\na 1\n# EOF\n", true, "must end in _total or _created", 2);
	clean("# TYPE a counter\na_total 1\na_created 1.7e9\n# EOF\n", true);
}

#define HIST "# TYPE h histogram\n"
static void test_histogram(void **state)
{
	(void)state;
	clean(HIST "h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n", false);
	fires(HIST "h_bucket{x=\"1\"} 1\n", false, "has no le label", 2);
	fires(HIST "h_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n", false, "not greater", 3);
	fires(HIST "h_bucket{le=\"1\"} 1\nh_bucket{le=\"2\"} 3\n", false, "no le=\"+Inf\"", 2);
	fires(HIST "h_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\n", false, "less than the previous", 3);
	fires(HIST "h_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n", false, "differs from the +Inf", 2);
	fires(HIST "h_bucket{le=\"+Inf\"} 2\nh_count 2\n", false, "_count without _sum", 2);
	fires(HIST "h_bucket{le=\"x\"} 2\n", false, "le \"x\" is not a number", 2);
	fires(HIST "h 2\n", false, "not valid in histogram", 2);
	/* two label sets, each complete */
	clean(HIST "h_bucket{a=\"1\",le=\"1\"} 1\nh_bucket{a=\"1\",le=\"+Inf\"} 1\n"
		   "h_bucket{a=\"2\",le=\"1\"} 0\nh_bucket{a=\"2\",le=\"+Inf\"} 5\nh_sum{a=\"2\"} 1\nh_count{a=\"2\"} 5\n", false);
	clean(HIST "h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\nh_created 1.7e9\n# EOF\n", true);
}

static void test_summary(void **state)
{
	(void)state;
	fires("# TYPE s summary\ns{quantile=\"1.5\"} 1\n", false, "not a number in [0,1]", 2);
	fires("# TYPE s summary\ns{quantile=\"-0.1\"} 1\n", false, "not a number in [0,1]", 2);
	fires("# TYPE s summary\ns 1\n", false, "no quantile label", 2);
	prom_report r;
	const char *in = "# TYPE s summary\n  s{quantile=\"2\"} 1\n";
	prom_parse(in, strlen(in), false, &r);
	assert_int_equal(r.nproblems_total, 1);
	assert_int_equal(r.problems[0].col, 15);   /* the quantile's value */
	prom_report_free(&r);
	clean("# TYPE s summary\ns{quantile=\"0.99\"} NaN\ns_sum 0\ns_count 0\n", false);
	clean("# TYPE s summary\ns_sum 0\ns_count 0\n", false);
}

static void test_lines(void **state)
{
	(void)state;
	clean("\na 1\n\n  \nb 2\n", false);
	fires("a_total 1\n\n# EOF\n", true, "blank line", 2);
	fires("a_total 1\n  \n# EOF\n", true, "blank line", 2);
	fires("a_total 1\n", true, "does not end with # EOF", 1);
	fires("a_total 1\n# EOF\nb 1\n", true, "after # EOF", 3);
	fires("a 1\r\n", false, "CR", 1);
	prom_report r;
	prom_parse("a 1\nb\0 1\n", 9, false, &r);
	assert_int_equal(r.nproblems_total, 1);
	assert_non_null(strstr(r.problems[0].msg, "NUL"));
	assert_int_equal(r.problems[0].line, 2);
	assert_int_equal(r.problems[0].col, 2);
	prom_report_free(&r);
}

static void test_signals(void **state)
{
	(void)state;
	prom_report r;
	const char *s = "# TYPE go_gc_duration_seconds summary\ngo_gc_duration_seconds_sum 1\ngo_gc_duration_seconds_count 1\n"
			"# TYPE promhttp_metric_handler_requests_total counter\npromhttp_metric_handler_requests_total{code=\"200\"} 1\n";
	prom_parse(s, strlen(s), false, &r);
	assert_int_equal(r.nproblems_total, 0);
	assert_false(r.latency || r.traffic || r.errors || r.saturation);
	prom_report_free(&r);
	s = "# TYPE rpc_latency_seconds histogram\nrpc_latency_seconds_bucket{le=\"+Inf\"} 0\n"
	    "# TYPE api_requests_total counter\napi_requests_total 1\n"
	    "# TYPE api_errors_total counter\napi_errors_total 1\n"
	    "# TYPE worker_queue_length gauge\nworker_queue_length 1\n";
	prom_parse(s, strlen(s), false, &r);
	assert_true(r.latency && r.traffic && r.errors && r.saturation);
	prom_report_free(&r);
	/* declared families are instrumentation before their first sample (a labelled
	 * request counter has none until the first request: plimsoll serve's own) */
	s = "# HELP app_requests_total Requests.\n# TYPE app_requests_total counter\n"
	    "# TYPE app_request_duration_seconds histogram\n"
	    "app_request_duration_seconds_bucket{le=\"+Inf\"} 0\n"
	    "app_request_duration_seconds_sum 0\napp_request_duration_seconds_count 0\n";
	prom_parse(s, strlen(s), false, &r);
	assert_int_equal(r.nproblems_total, 0);
	assert_true(r.traffic && r.latency);
	assert_false(r.errors || r.saturation);
	prom_report_free(&r);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_hostile(void **state)
{
	(void)state;
	prom_report r;
	/* NULs and invalid bytes everywhere */
	char junk[4096];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)((i * 131 + 7) % 256);
	prom_parse(junk, sizeof junk, false, &r);
	assert_true(r.nproblems <= PROM_MAX_PROBLEMS && r.nproblems_total >= r.nproblems);
	prom_report_free(&r);
	prom_parse(junk, sizeof junk, true, &r);
	prom_report_free(&r);
	prom_parse("", 0, false, &r);
	assert_int_equal(r.nproblems_total, 0);
	prom_report_free(&r);

	/* a 1 MiB line: one problem, then the next line still parses */
	size_t big = 1 << 20;
	char *s = malloc(big + 16);
	memset(s, 'a', big);
	memcpy(s + big, "\nb x\n", 5);
	prom_parse(s, big + 5, false, &r);
	assert_int_equal(r.nproblems_total, 2);
	assert_int_equal(r.problems[1].line, 2);
	prom_report_free(&r);
	free(s);

	/* 200k samples of one family, then 200k families, in bounded time */
	size_t cap = 200000 * 64;
	s = malloc(cap);
	double t0 = now();
	for (int pass = 0; pass < 3; pass++) {
		size_t n = 0;
		for (int i = 0; i < 200000; i++) {
			if (pass == 0)
				n += (size_t)snprintf(s + n, cap - n, "a{i=\"%d\"} %d\n", i, i);
			else if (pass == 1)
				n += (size_t)snprintf(s + n, cap - n, "m%d 1\n", i);
			else
				n += (size_t)snprintf(s + n, cap - n, "# TYPE h histogram\nh_bucket{le=\"%d\"} %d\n", i % 7, i);
		}
		prom_parse(s, n, false, &r);
		assert_true(r.nproblems <= PROM_MAX_PROBLEMS);
		if (pass == 0) {
			assert_int_equal(r.nsamples, 200000);
			assert_int_equal(r.nproblems_total, 1);   /* series cap reached */
		}
		if (pass == 1)
			assert_int_equal(r.nfamilies, PROM_MAX_FAMILIES);
		prom_report_free(&r);
	}
	free(s);
	assert_true(now() - t0 < 20.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_output),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_label_values),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_contiguous),
		cmocka_unit_test(test_counter),
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
