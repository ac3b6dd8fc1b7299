/* admission.c - see admission.h. */
#include "server/admission.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/jsonw.h"
#include "core/xalloc.h"
#include "engine/finding.h"
#include "engine/runtime.h"

#include <jansson.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_UID 256   /* Kubernetes sends a UUID (36 bytes) */

/* What the engine reads (k8s.h lists the workloads; ConfigMaps carry PL610). */
static const char *const judged[] = {
	"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
	"Job", "CronJob", "ConfigMap",
};

/* Rules that look for another object of the set: on one object they would fire every
 * time (no NetworkPolicy, no PodDisruptionBudget) or never (no Service). */
static const char *const set_rules[] = {"PL215", "PL405", "PL409"};

static const char *const decision_names[] = {"allowed", "warned", "denied", "exempt",
					     "skipped", "invalid", "error"};

const char *pl_decision_name(pl_decision d) { return decision_names[d]; }

bool pl_admission_judged_kind(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof judged / sizeof *judged; i++)
		if (!strcmp(judged[i], kind))
			return true;
	return false;
}

void pl_admission_prepare(pl_config *cfg)
{
	for (size_t i = 0; i < sizeof set_rules / sizeof *set_rules; i++) {
		const pl_rule *r = pl_rule_find(set_rules[i]);
		size_t idx = r ? pl_rule_index(r) : pl_nrules;
		if (idx < pl_nrules)
			cfg->enabled[idx] = 0;
	}
}

void pl_admission_free(pl_admission *a)
{
	free(a->body);
	free(a->uid);
	free(a->kind);
	free(a->operation);
	free(a->namespace_);
	free(a->name);
	memset(a, 0, sizeof *a);
}

static void fail(pl_admission *a, int status, pl_decision d, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* An error answer: the reason as one line of text. */
static void fail(pl_admission *a, int status, pl_decision d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->reason, sizeof a->reason, fmt, ap);
	va_end(ap);
	a->status = status;
	a->decision = d;
	a->content_type = "text/plain; charset=utf-8";
	buf b = BUF_INIT;
	buf_printf(&b, "%s\n", a->reason);
	a->body = buf_detach(&b, &a->body_len);
}

/* A string member: NULL when absent or null; *bad when present with another type. */
static const char *str_member(const json_t *o, const char *key, bool *bad)
{
	const json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = true;
		return NULL;
	}
	return json_string_value(v);
}

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

/* Whether one of the object's labels matches an exempt entry ("key" or "key=value"). */
static bool label_exempt(const pl_config *cfg, const json_t *object)
{
	const json_t *labels = json_object_get(json_object_get(object, "metadata"), "labels");
	if (!json_is_object(labels))
		return false;
	for (size_t i = 0; i < cfg->nexempt_labels; i++) {
		const char *e = cfg->exempt_labels[i];
		const char *eq = strchr(e, '=');
		size_t klen = eq ? (size_t)(eq - e) : strlen(e);
		char key[320];
		if (klen >= sizeof key)
			continue;
		memcpy(key, e, klen);
		key[klen] = '\0';
		const json_t *v = json_object_get(labels, key);
		if (v && (!eq || (json_is_string(v) && !strcmp(json_string_value(v), eq + 1))))
			return true;
	}
	return false;
}

/* s cut to at most max bytes on a UTF-8 boundary, "..." marking the cut. */
static void add_cut(buf *b, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max) {
		buf_add(b, s, n);
		return;
	}
	n = max - 3;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	buf_add(b, s, n);
	buf_adds(b, "...");
}

/* The finding's message without the target it starts with ("Deployment/web container
 * web has ..." -> "has ..."), since the line names the target already. */
static const char *message_rest(const pl_finding *f)
{
	size_t t = f->target ? strlen(f->target) : 0;
	if (t && !strncmp(f->message, f->target, t) && (f->message[t] == ' ' || f->message[t] == ':'))
		return f->message + t + (f->message[t] == ':' ? 2 : 1);
	return f->message;
}

/* "PL201 root-user, Deployment/web container web: sets neither ..." */
static void describe(buf *b, const pl_finding *f)
{
	buf_printf(b, "%s %s", f->rule->code, f->rule->slug);
	if (f->target)
		buf_printf(b, ", %s", f->target);
	buf_printf(b, ": %s", message_rest(f));
}

static int by_severity(const void *x, const void *y)
{
	const pl_finding *a = *(const pl_finding *const *)x, *b = *(const pl_finding *const *)y;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	int c = strcmp(a->rule->code, b->rule->code);
	if (c)
		return c;
	return (a->col > b->col) - (a->col < b->col);
}

static void respond(pl_admission *a, const char *uid, bool allowed, const char *message,
		    const buf *warnings, size_t nwarnings)
{
	buf b = BUF_INIT;
	jsonw w;
	jw_init(&w, &b, false);
	jw_obj(&w);
	jw_key(&w, "apiVersion");
	jw_str(&w, "admission.k8s.io/v1");
	jw_key(&w, "kind");
	jw_str(&w, "AdmissionReview");
	jw_key(&w, "response");
	jw_obj(&w);
	jw_key(&w, "uid");
	jw_str(&w, uid);
	jw_key(&w, "allowed");
	jw_bool(&w, allowed);
	if (!allowed) {
		jw_key(&w, "status");
		jw_obj(&w);
		jw_key(&w, "code");
		jw_int(&w, 403);
		jw_key(&w, "reason");
		jw_str(&w, "Forbidden");
		jw_key(&w, "message");
		jw_str(&w, message);
		jw_obj_end(&w);
	}
	if (nwarnings) {
		jw_key(&w, "warnings");
		jw_arr(&w);
		/* warnings holds NUL-separated strings */
		for (size_t off = 0, i = 0; i < nwarnings; i++) {
			const char *s = warnings->p + off;
			jw_str(&w, s);
			off += strlen(s) + 1;
		}
		jw_arr_end(&w);
	}
	jw_key(&w, "auditAnnotations");
	jw_obj(&w);
	jw_key(&w, "decision");
	jw_str(&w, pl_decision_name(a->decision));
	char n[32];
	snprintf(n, sizeof n, "%zu", a->findings);
	jw_key(&w, "findings");
	jw_str(&w, n);
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_obj_end(&w);
	a->status = 200;
	a->content_type = "application/json";
	a->body = buf_detach(&b, &a->body_len);
}

/* Scan the object and sort its findings into a decision and an answer. */
static void judge(const pl_config *cfg, pl_admission *a, const char *uid, json_t *object)
{
	char *text = json_dumps(object, JSON_COMPACT);
	if (!text) {
		fail(a, 500, DEC_ERROR, "cannot serialise request.object");
		return;
	}
	pl_input in = {text, strlen(text)};
	const char *files[] = {"-"};
	pl_findings fs = {0};
	char err[256];
	int rc = pl_scan_manifests(cfg, files, 1, &in, &fs, err, sizeof err);
	free(text);
	if (rc < 0) {
		pl_findings_free(&fs);
		fail(a, 500, DEC_ERROR, "cannot judge request.object: %s", err);
		return;
	}
	a->findings = fs.n;
	const pl_finding **order = xcalloc(fs.n + 1, sizeof *order);
	for (size_t i = 0; i < fs.n; i++)
		order[i] = &fs.v[i];
	qsort(order, fs.n, sizeof *order, by_severity);

	buf message = BUF_INIT, warnings = BUF_INIT, line = BUF_INIT;
	size_t listed = 0, nwarn_listed = 0;
	for (size_t i = 0; i < fs.n; i++) {
		const pl_finding *f = order[i];
		bool denies = cfg->fail_on != SEV_NONE && f->severity >= cfg->fail_on;
		bool warns = !denies && cfg->warn_on != SEV_NONE && f->severity >= cfg->warn_on;
		if (denies) {
			a->denying++;
			if (listed++ < PL_ADMISSION_MAX_LISTED) {
				buf_adds(&message, "\n- ");
				describe(&message, f);
				if (f->fix)
					buf_printf(&message, "\n  fix: %s", f->fix);
			}
		} else if (warns) {
			a->warnings++;
			if (nwarn_listed < PL_ADMISSION_MAX_LISTED) {
				buf_reset(&line);
				buf_printf(&line, "plimsoll %s: ", pl_severity_name(f->severity));
				describe(&line, f);
				add_cut(&warnings, buf_str(&line), PL_ADMISSION_MAX_WARNING);
				buf_addc(&warnings, '\0');
				nwarn_listed++;
			}
		}
	}
	if (a->warnings > nwarn_listed) {
		buf_reset(&line);
		buf_printf(&line, "plimsoll: %zu more warnings (plimsoll scan shows them all)",
			   a->warnings - nwarn_listed);
		buf_add(&warnings, line.p, line.len + 1);
		nwarn_listed++;
	}
	buf full = BUF_INIT;
	if (a->denying) {
		a->decision = DEC_DENIED;
		buf_printf(&full, "plimsoll: %s %s%s%s denied: %zu finding%s at or above %s:",
			   a->kind ? a->kind : "object", a->namespace_ ? a->namespace_ : "",
			   a->namespace_ ? "/" : "", a->name ? a->name : "", a->denying,
			   a->denying == 1 ? "" : "s", pl_severity_name(cfg->fail_on));
		buf_add(&full, message.p, message.len);
		if (a->denying > PL_ADMISSION_MAX_LISTED)
			buf_printf(&full, "\n- and %zu more", a->denying - PL_ADMISSION_MAX_LISTED);
		snprintf(a->reason, sizeof a->reason, "%zu denying, %zu warnings", a->denying,
			 a->warnings);
	} else {
		a->decision = a->warnings ? DEC_WARNED : DEC_ALLOWED;
		snprintf(a->reason, sizeof a->reason, "%zu warnings", a->warnings);
	}
	respond(a, uid, !a->denying, buf_str(&full), &warnings, nwarn_listed);
	buf_free(&full);
	buf_free(&message);
	buf_free(&warnings);
	buf_free(&line);
	free(order);
	pl_findings_free(&fs);
}

void pl_admission_review(const pl_config *cfg, const char *body, size_t len,
			 pl_admission *a)
{
	memset(a, 0, sizeof *a);
	if (len > PL_ADMISSION_MAX_BODY) {
		fail(a, 400, DEC_INVALID, "request body over %u bytes", PL_ADMISSION_MAX_BODY);
		return;
	}
	json_error_t jerr;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		fail(a, 400, DEC_INVALID, "not JSON: line %d, column %d: %s", jerr.line, jerr.column,
		     jerr.text);
		return;
	}
	bool bad = false;
	const char *api = json_is_object(root) ? str_member(root, "apiVersion", &bad) : NULL;
	const char *kind = json_is_object(root) ? str_member(root, "kind", &bad) : NULL;
	json_t *req = json_object_get(root, "request");
	if (!json_is_object(root) || !kind || strcmp(kind, "AdmissionReview")) {
		fail(a, 400, DEC_INVALID, "not an AdmissionReview (kind must be AdmissionReview)");
		goto out;
	}
	if (!api || strcmp(api, "admission.k8s.io/v1")) {
		fail(a, 400, DEC_INVALID, "apiVersion must be admission.k8s.io/v1 "
					  "(admissionReviewVersions: [v1])");
		goto out;
	}
	if (!json_is_object(req)) {
		fail(a, 400, DEC_INVALID, "request must be an object");
		goto out;
	}
	const char *uid = str_member(req, "uid", &bad);
	if (!uid || !*uid || bad) {
		fail(a, 400, DEC_INVALID, "request.uid must be a non-empty string");
		goto out;
	}
	if (strlen(uid) > MAX_UID) {
		fail(a, 400, DEC_INVALID, "request.uid is longer than %d bytes", MAX_UID);
		goto out;
	}
	a->uid = xstrdup(uid);
	const json_t *gvk = json_object_get(req, "kind");
	const char *k = json_is_object(gvk) ? str_member(gvk, "kind", &bad) : NULL;
	const char *op = str_member(req, "operation", &bad);
	const char *ns = str_member(req, "namespace", &bad);
	const char *name = str_member(req, "name", &bad);
	const char *sub = str_member(req, "subResource", &bad);
	a->kind = dup_or_null(k);
	a->operation = dup_or_null(op);
	a->namespace_ = dup_or_null(ns);
	a->name = dup_or_null(name);
	if (bad) {
		fail(a, 400, DEC_INVALID, "request.kind.kind, operation, namespace, name and "
					  "subResource must be strings");
		goto out;
	}
	if (!k || !*k) {
		fail(a, 400, DEC_INVALID, "request.kind.kind is missing");
		goto out;
	}
	if (!op || (strcmp(op, "CREATE") && strcmp(op, "UPDATE") && strcmp(op, "DELETE") &&
		    strcmp(op, "CONNECT"))) {
		fail(a, 400, DEC_INVALID, "request.operation must be CREATE, UPDATE, DELETE or CONNECT");
		goto out;
	}
	const json_t *dry = json_object_get(req, "dryRun");
	if (dry && !json_is_null(dry) && !json_is_boolean(dry)) {
		fail(a, 400, DEC_INVALID, "request.dryRun must be a boolean");
		goto out;
	}
	a->dry_run = json_is_true(dry);
	json_t *object = json_object_get(req, "object");

	/* allowed unjudged: nothing to judge, or not ours to judge */
	if (!strcmp(op, "DELETE") || !strcmp(op, "CONNECT") || (sub && *sub) ||
	    !pl_admission_judged_kind(k)) {
		a->decision = DEC_SKIPPED;
		snprintf(a->reason, sizeof a->reason, "%s", !strcmp(op, "DELETE") || !strcmp(op, "CONNECT")
			 ? "operation not judged" : sub && *sub ? "subresource not judged"
			 : "kind not judged");
		respond(a, uid, true, NULL, NULL, 0);
		goto out;
	}
	if (!json_is_object(object)) {
		fail(a, 400, DEC_INVALID, "request.object must be an object for %s", op);
		goto out;
	}
	for (size_t i = 0; ns && i < cfg->nexempt_namespaces; i++)
		if (!strcmp(cfg->exempt_namespaces[i], ns)) {
			a->decision = DEC_EXEMPT;
			snprintf(a->reason, sizeof a->reason, "namespace %s is exempt", ns);
			respond(a, uid, true, NULL, NULL, 0);
			goto out;
		}
	if (label_exempt(cfg, object)) {
		a->decision = DEC_EXEMPT;
		snprintf(a->reason, sizeof a->reason, "exempt by label");
		respond(a, uid, true, NULL, NULL, 0);
		goto out;
	}
	/* the engine reads apiVersion and kind from the object; fill them from the request
	 * when a client left them out */
	const char *group = str_member(gvk, "group", &bad), *version = str_member(gvk, "version", &bad);
	if (!json_object_get(object, "kind"))
		json_object_set_new(object, "kind", json_string(k));
	if (!json_object_get(object, "apiVersion") && version && !bad) {
		buf av = BUF_INIT;
		buf_printf(&av, "%s%s%s", group && *group ? group : "", group && *group ? "/" : "",
			   version);
		json_object_set_new(object, "apiVersion", json_string(buf_str(&av)));
		buf_free(&av);
	}
	judge(cfg, a, uid, object);
out:
	json_decref(root);
}
