/* test_admission.c - one AdmissionReview in, its answer out (src/server/admission.h), and the
 * webhook's metrics exposition (src/server/metrics.h) checked by the strict Prometheus
 * validator: decisions (denied, warned, allowed, exempt, skipped), the response's shape,
 * limits on what is listed, every malformed-request reason, and bounded warnings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "engine/config.h"
#include "live/prometheus.h"
#include "server/admission.h"
#include "server/metrics.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const bad_container =
	"{\"name\":\"web\",\"image\":\"nginx:latest\"}";

/* A Deployment with the given containers (a JSON array's contents) and labels. */
static char *deployment(const char *containers, const char *labels)
{
	buf b = BUF_INIT;
	buf_printf(&b, "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
		       "\"namespace\":\"shop\",\"labels\":{%s}},\"spec\":{\"replicas\":2,\"selector\":{"
		       "\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":"
		       "\"web\"}},\"spec\":{\"containers\":[%s]}}}}",
		   labels ? labels : "", containers);
	return buf_detach(&b, NULL);
}

/* A review: op, kind and namespace of the request, the object (JSON text or "null"), and
 * extra request members (",\"dryRun\":true"). */
static char *review(const char *op, const char *kind, const char *ns, const char *object,
		    const char *extra)
{
	buf b = BUF_INIT;
	buf_printf(&b, "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
		       "\"uid\":\"u-1\",\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"%s\"},"
		       "\"operation\":\"%s\",\"namespace\":\"%s\",\"name\":\"web\",\"object\":%s%s}}",
		   kind, op, ns, object, extra ? extra : "");
	return buf_detach(&b, NULL);
}

typedef struct answer {
	pl_admission a;
	json_t *doc;        /* the response body parsed */
	json_t *resp;       /* doc.response */
} answer;

static void ask(const pl_config *cfg, const char *body, answer *out)
{
	pl_admission_review(cfg, body, strlen(body), &out->a);
	out->doc = NULL;
	out->resp = NULL;
	if (out->a.status == 200) {
		json_error_t e;
		out->doc = json_loadb(out->a.body, out->a.body_len, 0, &e);
		assert_non_null(out->doc); /* valid JSON, valid UTF-8 */
		assert_string_equal(json_string_value(json_object_get(out->doc, "apiVersion")),
				    "admission.k8s.io/v1");
		assert_string_equal(json_string_value(json_object_get(out->doc, "kind")),
				    "AdmissionReview");
		out->resp = json_object_get(out->doc, "response");
		assert_string_equal(json_string_value(json_object_get(out->resp, "uid")), "u-1");
	}
}

static void done(answer *x)
{
	json_decref(x->doc);
	pl_admission_free(&x->a);
}

static bool allowed(const answer *x)
{
	return json_is_true(json_object_get(x->resp, "allowed"));
}

static size_t nwarnings(const answer *x)
{
	return json_array_size(json_object_get(x->resp, "warnings"));
}

static const char *message(const answer *x)
{
	return json_string_value(json_object_get(json_object_get(x->resp, "status"), "message"));
}

static int setup(void **state)
{
	pl_config *c = xmalloc(sizeof *c);
	pl_config_init(c);
	c->exempt_namespaces = xcalloc(1, sizeof(char *));
	c->exempt_namespaces[c->nexempt_namespaces++] = xstrdup("kube-system");
	c->exempt_labels = xcalloc(2, sizeof(char *));
	c->exempt_labels[c->nexempt_labels++] = xstrdup("plimsoll.dev/exempt=true");
	c->exempt_labels[c->nexempt_labels++] = xstrdup("legacy");
	pl_admission_prepare(c);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	pl_config_free(*state);
	free(*state);
	return 0;
}

static void test_denied(void **state)
{
	char *obj = deployment(bad_container, NULL);
	char *body = review("CREATE", "Deployment", "shop", obj, NULL);
	answer x;
	ask(*state, body, &x);
	assert_int_equal(x.a.status, 200);
	assert_int_equal(x.a.decision, DEC_DENIED);
	assert_false(allowed(&x));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(x.resp, "status"), "code")), 403);
	const char *m = message(&x);
	assert_non_null(strstr(m, "plimsoll: Deployment shop/web denied: 4 findings at or above high:"));
	/* code, slug, target, message without the repeated target, fix */
	assert_non_null(strstr(m, "\n- PL201 root-user, Deployment/web container web: sets neither"));
	/* the fix in the manifest's own terms (the rule's fix_k8s) */
	assert_non_null(strstr(m, "\n  fix: securityContext: {runAsNonRoot: true, runAsUser: 10001}"));
	assert_int_equal(x.a.denying, 4);
	/* below high and at or above low: warnings; PL215/PL409 (other objects) never run */
	assert_int_equal(x.a.warnings, 7);
	assert_int_equal(nwarnings(&x), 7);
	assert_null(strstr(x.a.body, "PL215"));
	assert_null(strstr(x.a.body, "PL409"));
	/* the most severe first */
	assert_non_null(strstr(json_string_value(json_array_get(json_object_get(x.resp, "warnings"), 0)),
			       "plimsoll medium: "));
	assert_string_equal(json_string_value(json_object_get(json_object_get(x.resp, "auditAnnotations"),
							     "decision")), "denied");
	assert_string_equal(x.a.uid, "u-1");
	assert_string_equal(x.a.kind, "Deployment");
	assert_string_equal(x.a.namespace_, "shop");
	assert_false(x.a.dry_run);
	done(&x);
	free(body);
	free(obj);
}

static void test_thresholds(void **state)
{
	pl_config *c = *state;
	char *obj = deployment(bad_container, NULL);
	char *body = review("CREATE", "Deployment", "shop", obj, ",\"dryRun\":true");
	answer x;
	c->fail_on = SEV_CRITICAL;  /* nothing critical: allowed, everything at low+ warns */
	ask(c, body, &x);
	assert_int_equal(x.a.decision, DEC_WARNED);
	assert_true(allowed(&x));
	assert_null(json_object_get(x.resp, "status"));
	assert_int_equal(nwarnings(&x), 11);
	assert_true(x.a.dry_run);
	done(&x);
	c->warn_on = SEV_NONE;      /* no warnings at all */
	ask(c, body, &x);
	assert_int_equal(x.a.decision, DEC_ALLOWED);
	assert_null(json_object_get(x.resp, "warnings"));
	assert_int_equal(x.a.findings, 11);
	done(&x);
	c->fail_on = SEV_NONE;      /* never denies, whatever it finds */
	c->warn_on = SEV_MEDIUM;
	ask(c, body, &x);
	assert_true(allowed(&x));
	assert_int_equal(nwarnings(&x), 11 - 1); /* PL213 is low */
	done(&x);
	c->fail_on = SEV_HIGH;
	c->warn_on = SEV_LOW;
	free(body);
	free(obj);
}

static void test_unjudged(void **state)
{
	char *obj = deployment(bad_container, NULL);
	static const struct {
		const char *op, *kind, *ns, *extra;
		pl_decision want;
	} cases[] = {
		{"DELETE", "Deployment", "shop", NULL, DEC_SKIPPED},
		{"CONNECT", "Pod", "shop", NULL, DEC_SKIPPED},
		{"UPDATE", "Deployment", "shop", ",\"subResource\":\"scale\"", DEC_SKIPPED},
		{"CREATE", "Service", "shop", NULL, DEC_SKIPPED},
		{"CREATE", "Deployment", "kube-system", NULL, DEC_EXEMPT},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *body = review(cases[i].op, cases[i].kind, cases[i].ns,
				    !strcmp(cases[i].op, "DELETE") ? "null" : obj, cases[i].extra);
		answer x;
		ask(*state, body, &x);
		assert_int_equal(x.a.status, 200);
		assert_int_equal(x.a.decision, cases[i].want);
		assert_true(allowed(&x));
		assert_null(json_object_get(x.resp, "warnings"));
		done(&x);
		free(body);
	}
	free(obj);
	/* labels: key=value must match the value; a bare key matches any value */
	static const struct { const char *labels; pl_decision want; } labels[] = {
		{"\"plimsoll.dev/exempt\":\"true\"", DEC_EXEMPT},
		{"\"plimsoll.dev/exempt\":\"false\"", DEC_DENIED},
		{"\"legacy\":\"\"", DEC_EXEMPT},
		{"\"legacy-app\":\"x\"", DEC_DENIED},
	};
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
		obj = deployment(bad_container, labels[i].labels);
		char *body = review("CREATE", "Deployment", "shop", obj, NULL);
		answer x;
		ask(*state, body, &x);
		assert_int_equal(x.a.decision, labels[i].want);
		done(&x);
		free(body);
		free(obj);
	}
}

/* An object without apiVersion and kind is read with the request's. */
static void test_typemeta_filled(void **state)
{
	const char *obj = "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\","
			  "\"image\":\"nginx:latest\",\"securityContext\":{\"privileged\":true}}]}}";
	char *body = review("CREATE", "Pod", "shop", obj, NULL);
	/* the Pod is in the core group: mend the request's group */
	char *g = strstr(body, "\"group\":\"apps\"");
	memmove(g + 9, g + 13, strlen(g + 13) + 1);
	answer x;
	ask(*state, body, &x);
	assert_int_equal(x.a.decision, DEC_DENIED);
	assert_non_null(strstr(message(&x), "Pod/p container c"));
	done(&x);
	free(body);
}

static void test_malformed(void **state)
{
	static const struct { const char *body, *want; } cases[] = {
		{"", "not JSON"},
		{"{\"apiVersion\":", "not JSON"},
		{"[1,2]", "not an AdmissionReview"},
		{"{\"kind\":\"Pod\"}", "not an AdmissionReview"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1beta1\"}", "admission.k8s.io/v1"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\"}", "request must be an object"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":[]}", "request must be"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{}}", "request.uid"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"\"}}", "request.uid"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":7}}", "request.uid"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\"}}", "request.kind.kind"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
		 "\"kind\":{\"kind\":\"Pod\"},\"operation\":\"PATCH\"}}", "request.operation"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
		 "\"kind\":{\"kind\":\"Pod\"},\"operation\":\"CREATE\",\"namespace\":5}}", "must be strings"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
		 "\"kind\":{\"kind\":\"Pod\"},\"operation\":\"CREATE\",\"dryRun\":\"yes\"}}", "dryRun"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
		 "\"kind\":{\"kind\":\"Pod\"},\"operation\":\"CREATE\"}}", "request.object must be an object"},
		/* two objects under one key: which would the API server have meant? */
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u\","
		 "\"uid\":\"v\"}}", "duplicate"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"\\u0000\"}}", "not JSON"},
		{"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"\xff\"}}", "not JSON"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		answer x;
		ask(*state, cases[i].body, &x);
		if (x.a.status != 400 || !strstr(x.a.reason, cases[i].want))
			fprintf(stderr, "case %zu: status %d reason '%s', wanted '%s'\n", i, x.a.status,
				x.a.reason, cases[i].want);
		assert_int_equal(x.a.status, 400);
		assert_int_equal(x.a.decision, DEC_INVALID);
		assert_non_null(strstr(x.a.reason, cases[i].want));
		assert_string_equal(x.a.content_type, "text/plain; charset=utf-8");
		assert_int_equal(x.a.body_len, strlen(x.a.reason) + 1);
		done(&x);
	}
	/* a uid longer than 256 bytes */
	buf b = BUF_INIT;
	buf_adds(&b, "{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"");
	for (int i = 0; i < 300; i++)
		buf_addc(&b, 'u');
	buf_adds(&b, "\"}}");
	answer x;
	ask(*state, b.p, &x);
	assert_int_equal(x.a.status, 400);
	assert_non_null(strstr(x.a.reason, "longer than 256"));
	done(&x);
	buf_free(&b);
	/* over the body limit: refused before parsing */
	char *big = xmalloc(PL_ADMISSION_MAX_BODY + 2);
	memset(big, ' ', PL_ADMISSION_MAX_BODY + 1);
	pl_admission a;
	pl_admission_review(*state, big, PL_ADMISSION_MAX_BODY + 1, &a);
	assert_int_equal(a.status, 400);
	assert_non_null(strstr(a.reason, "over"));
	pl_admission_free(&a);
	free(big);
}

/* Many findings: at most PL_ADMISSION_MAX_LISTED listed, the rest counted; warnings cut on a
 * UTF-8 boundary to PL_ADMISSION_MAX_WARNING bytes. */
static void test_limits(void **state)
{
	buf cs = BUF_INIT, name = BUF_INIT;
	for (int i = 0; i < 120; i++)
		buf_adds(&name, "\xc3\xa9"); /* é: 240 bytes of two-byte characters */
	for (int i = 0; i < 12; i++)
		buf_printf(&cs, "%s{\"name\":\"c%d%s\",\"image\":\"nginx:latest\"}", i ? "," : "", i,
			   name.p);
	char *obj = deployment(cs.p, NULL);
	char *body = review("CREATE", "Deployment", "shop", obj, NULL);
	answer x;
	ask(*state, body, &x);
	assert_int_equal(x.a.denying, 48);
	assert_non_null(strstr(message(&x), "\n- and 28 more"));
	size_t listed = 0;
	for (const char *p = message(&x); (p = strstr(p, "\n- PL")); p++)
		listed++;
	assert_int_equal(listed, PL_ADMISSION_MAX_LISTED);
	json_t *w = json_object_get(x.resp, "warnings");
	assert_int_equal(json_array_size(w), PL_ADMISSION_MAX_LISTED + 1);
	assert_non_null(strstr(json_string_value(json_array_get(w, PL_ADMISSION_MAX_LISTED)),
			       "64 more warnings"));
	for (size_t i = 0; i < json_array_size(w); i++) {
		const char *s = json_string_value(json_array_get(w, i));
		assert_true(strlen(s) <= PL_ADMISSION_MAX_WARNING);
	}
	/* the cut ones end in "..." (json_loadb in ask() proved the UTF-8 valid) */
	assert_non_null(strstr(json_string_value(json_array_get(w, 0)), "..."));
	done(&x);
	free(body);
	free(obj);
	buf_free(&cs);
	buf_free(&name);
}

static void test_judged_kinds(void **state)
{
	(void)state;
	assert_true(pl_admission_judged_kind("CronJob"));
	assert_true(pl_admission_judged_kind("ConfigMap"));
	assert_false(pl_admission_judged_kind("Service"));
	assert_false(pl_admission_judged_kind("deployment"));
	assert_false(pl_admission_judged_kind(NULL));
	assert_string_equal(pl_decision_name(DEC_SKIPPED), "skipped");
}

/* The exposition passes the strict validator and shows the four golden signals; label
 * values from requests stay in closed sets. */
static void test_metrics(void **state)
{
	(void)state;
	pl_metrics_init(4);
	pl_metrics_request("Deployment", "CREATE", "denied", 0.0004);
	pl_metrics_request("Deployment", "CREATE", "denied", 0.003);
	pl_metrics_request("Evil\"}\n# TYPE x counter", "PATCH", "nonsense", 7.5);
	pl_metrics_request(NULL, NULL, "invalid", 0.00001);
	pl_metrics_error(ERR_MALFORMED);
	pl_metrics_in_flight(2);
	pl_metrics_busy(1);
	pl_metrics_cert_expiry(1900000000);
	pl_metrics_config_reload(true);
	buf b = BUF_INIT;
	pl_metrics_render(&b);
	prom_report r;
	prom_parse(b.p, b.len, false, &r);
	for (size_t i = 0; i < r.nproblems; i++)
		fprintf(stderr, "%d:%d: %s\n", r.problems[i].line, r.problems[i].col, r.problems[i].msg);
	assert_int_equal(r.nproblems_total, 0);
	assert_true(r.latency && r.traffic && r.errors && r.saturation);
	prom_report_free(&r);
	const char *s = b.p;
	assert_non_null(strstr(s, "plimsoll_webhook_requests_total{kind=\"Deployment\",operation=\"CREATE\",decision=\"denied\"} 2\n"));
	assert_non_null(strstr(s, "plimsoll_webhook_requests_total{kind=\"other\",operation=\"other\",decision=\"error\"} 1\n"));
	assert_non_null(strstr(s, "plimsoll_webhook_requests_total{kind=\"unknown\",operation=\"unknown\",decision=\"invalid\"} 1\n"));
	assert_null(strstr(s, "Evil"));
	assert_non_null(strstr(s, "plimsoll_webhook_request_duration_seconds_bucket{le=\"0.0005\"} 2\n"));
	assert_non_null(strstr(s, "plimsoll_webhook_request_duration_seconds_bucket{le=\"0.005\"} 3\n"));
	assert_non_null(strstr(s, "plimsoll_webhook_request_duration_seconds_bucket{le=\"2.5\"} 3\n"));
	assert_non_null(strstr(s, "plimsoll_webhook_request_duration_seconds_bucket{le=\"+Inf\"} 4\n"));
	assert_non_null(strstr(s, "plimsoll_webhook_request_duration_seconds_count 4\n"));
	assert_non_null(strstr(s, "plimsoll_webhook_errors_total{reason=\"malformed\"} 1\n"));
	assert_non_null(strstr(s, "plimsoll_webhook_in_flight_requests 2\n"));
	assert_non_null(strstr(s, "plimsoll_webhook_worker_saturation 0.25\n"));
	assert_non_null(strstr(s, "plimsoll_webhook_certificate_expiry_timestamp_seconds 1900000000\n"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_denied),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_unjudged),
		cmocka_unit_test(test_typemeta_filled),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_judged_kinds),
		cmocka_unit_test(test_metrics),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
