/* fuzz_admission.c - libFuzzer target for the webhook's request parser and judgement
 * (src/server/admission.h): the input is an HTTP request body, as a client would post it to
 * /validate.
 *
 * The config exempts a namespace and a label so those paths are reachable. Checked on every
 * answer: the status is 200, 400 or 500; a 400/500 is the reason as one text line; a 200 is
 * valid JSON (jansson refuses invalid UTF-8) shaped as an admission.k8s.io/v1 AdmissionReview
 * whose response echoes the uid, with allowed false exactly when the decision is a denial
 * (and then a 403 status with a message), and at most PL_ADMISSION_MAX_LISTED + 1 warnings of
 * at most PL_ADMISSION_MAX_WARNING bytes. A broken invariant traps, so libFuzzer keeps the
 * input. Build: make build/fuzz/fuzz_admission; run: make fuzz (see fuzz/run.sh). */
#include "check.h"
#include "core/xalloc.h"
#include "engine/config.h"
#include "server/admission.h"

#include <jansson.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pl_config *config(void)
{
	static pl_config c;
	static bool ready;
	if (!ready) {
		pl_config_init(&c);
		c.exempt_namespaces = xcalloc(1, sizeof(char *));
		c.exempt_namespaces[c.nexempt_namespaces++] = xstrdup("kube-system");
		c.exempt_labels = xcalloc(2, sizeof(char *));
		c.exempt_labels[c.nexempt_labels++] = xstrdup("plimsoll.dev/exempt=true");
		c.exempt_labels[c.nexempt_labels++] = xstrdup("legacy");
		pl_admission_prepare(&c);
		ready = true;
	}
	return &c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_admission a;
	pl_admission_review(config(), (const char *)data, size, &a);
	CHECK(a.body && a.content_type);
	if (a.status != 200) {
		CHECK(a.status == 400 || a.status == 500);
		CHECK(a.decision == (a.status == 400 ? DEC_INVALID : DEC_ERROR));
		CHECK(a.reason[0] && a.body_len == strlen(a.reason) + 1);
		CHECK(!memcmp(a.body, a.reason, a.body_len - 1) && a.body[a.body_len - 1] == '\n');
		pl_admission_free(&a);
		return 0;
	}
	json_error_t e;
	json_t *doc = json_loadb(a.body, a.body_len, JSON_REJECT_DUPLICATES, &e);
	CHECK(doc);
	CHECK(!strcmp(json_string_value(json_object_get(doc, "apiVersion")), "admission.k8s.io/v1"));
	json_t *r = json_object_get(doc, "response");
	CHECK(json_is_object(r));
	CHECK(a.uid && !strcmp(json_string_value(json_object_get(r, "uid")), a.uid));
	json_t *allowed = json_object_get(r, "allowed");
	CHECK(json_is_boolean(allowed));
	CHECK(json_is_false(allowed) == (a.decision == DEC_DENIED));
	json_t *status = json_object_get(r, "status");
	CHECK(!json_is_false(allowed) ||
	      (json_integer_value(json_object_get(status, "code")) == 403 &&
	       json_string_length(json_object_get(status, "message")) > 0));
	json_t *w = json_object_get(r, "warnings");
	CHECK(json_array_size(w) <= PL_ADMISSION_MAX_LISTED + 1);
	CHECK(json_array_size(w) == 0 || a.decision == DEC_WARNED || a.decision == DEC_DENIED);
	for (size_t i = 0; i < json_array_size(w); i++)
		CHECK(json_string_length(json_array_get(w, i)) <= PL_ADMISSION_MAX_WARNING);
	CHECK(a.denying + a.warnings <= a.findings);
	json_decref(doc);
	pl_admission_free(&a);
	return 0;
}
