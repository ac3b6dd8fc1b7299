/* registry.c - the Registry v2 API client behind `plimsoll image host/repo:tag`.
 *
 * Requests go through libcurl. A 401 answer carries a WWW-Authenticate challenge: "Basic"
 * is answered with the credentials of ~/.docker/config.json, "Bearer realm=...,service=...,
 * scope=..." by fetching a token from the realm (with those credentials when there are
 * some, anonymously otherwise), and the request is sent once more. Layer blobs are
 * streamed with the multi interface, pulled by the layer reader chunk by chunk, so an
 * image is never held in memory or written to disk.
 *
 * Decisions: loopback registries (localhost, 127.0.0.0/8, [::1]) are spoken to over plain
 * HTTP, as Docker treats them as insecure registries by default; every other registry is
 * HTTPS with certificate checks. Credential helpers (credsStore) are not run: only the
 * "auth" entries of config.json are read. */
#include "image/registry.h"
#include "core/xalloc.h"

#include <curl/curl.h>
#include <jansson.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REG_MAX_SMALL  (4u << 20)   /* a manifest, config or token answer */
#define REG_MAX_HEADER 8192         /* one WWW-Authenticate value */
#define REG_CHUNK      (256u << 10) /* stream buffer goal */

struct img_registry {
	char *host;       /* "registry.local:5000" */
	char *api_host;   /* host requests go to ("registry-1.docker.io" for docker.io) */
	char *repo;       /* "team/app" */
	char *reference;  /* tag or digest */
	bool http;        /* plain HTTP (loopback) */
	char *basic;      /* base64 user:password from config.json, or NULL */
	char *auth;       /* "Authorization: ..." header to send, or NULL */
};

/* --- references ---------------------------------------------------------------------- */

static bool host_like(const char *s, size_t n)
{
	if (n == 9 && !strncmp(s, "localhost", 9))
		return true;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.' || s[i] == ':' || s[i] == '[')
			return true;
	return false;
}

bool img_ref_is_registry(const char *s)
{
	const char *slash = strchr(s, '/');
	if (!slash || slash == s || !slash[1])
		return false;
	/* a path component never has these; a repository must be lowercase [a-z0-9._/-] */
	if (!host_like(s, (size_t)(slash - s)) || s[0] == '.' || strstr(s, "//"))
		return false;
	for (const char *p = slash + 1; *p && *p != ':' && *p != '@'; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || strchr("._/-", *p)))
			return false;
	return true;
}

static bool loopback(const char *host)
{
	return !strncmp(host, "localhost", 9) || !strncmp(host, "127.", 4) ||
	       !strncmp(host, "[::1]", 5);
}

/* --- credentials ------------------------------------------------------------------------ */

static char *docker_auth(const char *host)
{
	char path[4096];
	const char *dir = getenv("DOCKER_CONFIG");
	const char *home = getenv("HOME");
	if (dir)
		snprintf(path, sizeof path, "%s/config.json", dir);
	else if (home)
		snprintf(path, sizeof path, "%s/.docker/config.json", home);
	else
		return NULL;
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return NULL;
	json_t *auths = json_object_get(root, "auths");
	char *out = NULL;
	const char *key;
	json_t *v;
	json_object_foreach(auths, key, v) {
		/* "host", "https://host", "https://host/v1/" all name the same registry */
		const char *k = key;
		if (!strncmp(k, "https://", 8))
			k += 8;
		else if (!strncmp(k, "http://", 7))
			k += 7;
		size_t hl = strlen(host);
		if (strncmp(k, host, hl) || (k[hl] && k[hl] != '/'))
			continue;
		const char *a = json_string_value(json_object_get(v, "auth"));
		if (a && *a && strlen(a) < 4096)
			out = xstrdup(a);
		break;
	}
	json_decref(root);
	return out;
}

img_registry *img_reg_open(const char *ref, char *err, size_t errlen)
{
	if (!img_ref_is_registry(ref)) {
		snprintf(err, errlen, "not a registry reference (host/repository:tag)");
		return NULL;
	}
	img_registry *r = xcalloc(1, sizeof *r);
	const char *slash = strchr(ref, '/');
	r->host = xstrndup(ref, (size_t)(slash - ref));
	const char *rest = slash + 1;
	const char *at = strchr(rest, '@');
	const char *colon = at ? NULL : strrchr(rest, ':');
	if (at) {
		r->repo = xstrndup(rest, (size_t)(at - rest));
		r->reference = xstrdup(at + 1);
	} else if (colon && !strchr(colon, '/')) {
		r->repo = xstrndup(rest, (size_t)(colon - rest));
		r->reference = xstrdup(colon + 1);
	} else {
		r->repo = xstrdup(rest);
		r->reference = xstrdup("latest");
	}
	bool bad = !r->repo[0] || !r->reference[0] || strlen(ref) > 1024;
	for (const char *p = r->reference; *p && !bad; p++)
		bad = !(isalnum((unsigned char)*p) || strchr("._-:", *p));
	if (bad) {
		snprintf(err, errlen, "bad image reference");
		img_reg_free(r);
		return NULL;
	}
	r->api_host = xstrdup(strcmp(r->host, "docker.io") ? r->host : "registry-1.docker.io");
	r->http = loopback(r->host);
	r->basic = docker_auth(r->host);
	return r;
}

void img_reg_free(img_registry *r)
{
	if (!r)
		return;
	free(r->host);
	free(r->api_host);
	free(r->repo);
	free(r->reference);
	free(r->basic);
	free(r->auth);
	free(r);
}

const char *img_reg_reference(const img_registry *r)
{
	return r->reference;
}

/* --- one request ------------------------------------------------------------------------- */

typedef struct resp {
	unsigned char *body;
	size_t n, cap, max;
	bool too_big;
	char challenge[REG_MAX_HEADER];
	char content_type[256];
} resp;

static size_t on_body(char *p, size_t size, size_t nmemb, void *h)
{
	resp *rs = h;
	size_t n = size * nmemb;
	if (rs->n + n > rs->max) {
		rs->too_big = true;
		return 0; /* aborts the transfer */
	}
	if (rs->n + n + 1 > rs->cap) {
		size_t cap = rs->cap ? rs->cap : 16384;
		while (cap < rs->n + n + 1)
			cap *= 2;
		rs->body = xrealloc(rs->body, cap);
		rs->cap = cap;
	}
	memcpy(rs->body + rs->n, p, n);
	rs->n += n;
	rs->body[rs->n] = '\0';
	return n;
}

/* Copy the value of header `name` from a header line, trimmed, when it is that header. */
static void header_value(const char *line, size_t n, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	if (n <= nl || strncasecmp(line, name, nl) || line[nl] != ':')
		return;
	const char *v = line + nl + 1;
	const char *end = line + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	snprintf(out, outlen, "%.*s", (int)(end - v), v);
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *h)
{
	resp *rs = h;
	size_t n = size * nmemb;
	if (n >= 5 && !strncmp(p, "HTTP/", 5)) { /* a new response (after a redirect) */
		rs->challenge[0] = rs->content_type[0] = '\0';
		return n;
	}
	header_value(p, n, "WWW-Authenticate", rs->challenge, sizeof rs->challenge);
	header_value(p, n, "Content-Type", rs->content_type, sizeof rs->content_type);
	return n;
}

static CURL *easy(const img_registry *r, const char *url, struct curl_slist *hdrs, resp *rs)
{
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L); /* blobs may live on a storage host */
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, r->http ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, r->http ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	/* a stalled server must not hang a CI job: under 1 byte/s for 30 s is a failure */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "plimsoll");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, rs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, rs);
	return c;
}

/* Run one request made by easy() and free it and its headers; the HTTP status in *status. */
static CURLcode perform(CURL *c, struct curl_slist *hdrs, long *status)
{
	CURLcode cc = c ? curl_easy_perform(c) : CURLE_FAILED_INIT;
	if (c)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	return cc;
}

/* A parameter of a challenge: realm="...", service="...", scope="...". */
static bool challenge_param(const char *ch, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	for (const char *p = ch; (p = strstr(p, name)) != NULL; p += nl) {
		if ((p != ch && p[-1] != ' ' && p[-1] != ',') || strncmp(p + nl, "=\"", 2))
			continue;
		const char *v = p + nl + 2, *e = strchr(v, '"');
		if (!e)
			return false;
		snprintf(out, outlen, "%.*s", (int)(e - v), v);
		return true;
	}
	return false;
}

/* Answer a challenge: sets r->auth, or returns -1 with err. */
static int authenticate(img_registry *r, const char *challenge, char *err, size_t errlen)
{
	char hdr[8300];
	if (!strncasecmp(challenge, "Basic", 5)) {
		if (!r->basic) {
			snprintf(err, errlen, "%s asks for credentials: docker login %s", r->host,
				 r->host);
			return -1;
		}
		snprintf(hdr, sizeof hdr, "Authorization: Basic %s", r->basic);
		free(r->auth);
		r->auth = xstrdup(hdr);
		return 0;
	}
	char realm[2048], service[512] = "", scope[1024] = "";
	if (strncasecmp(challenge, "Bearer", 6) || !challenge_param(challenge, "realm", realm,
								     sizeof realm)) {
		snprintf(err, errlen, "%s: unsupported authentication challenge: %.200s", r->host,
			 challenge);
		return -1;
	}
	challenge_param(challenge, "service", service, sizeof service);
	if (!challenge_param(challenge, "scope", scope, sizeof scope))
		snprintf(scope, sizeof scope, "repository:%s:pull", r->repo);
	CURL *c = curl_easy_init();
	if (!c)
		return -1;
	char *es = curl_easy_escape(c, service, 0), *esc = curl_easy_escape(c, scope, 0);
	char url[4096];
	snprintf(url, sizeof url, "%s%cservice=%s&scope=%s", realm, strchr(realm, '?') ? '&' : '?',
		 es ? es : "", esc ? esc : "");
	curl_free(es);
	curl_free(esc);
	curl_easy_cleanup(c);
	resp rs = {.max = 65536};
	struct curl_slist *h = NULL;
	if (r->basic) {
		snprintf(hdr, sizeof hdr, "Authorization: Basic %s", r->basic);
		h = curl_slist_append(h, hdr);
	}
	/* the token realm is another host: plain HTTP only when it is on loopback too */
	img_registry tr = *r;
	const char *rh = strstr(realm, "://");
	tr.http = rh && loopback(rh + 3);
	long status = 0;
	CURLcode cc = perform(easy(&tr, url, h, &rs), h, &status);
	int rc = -1;
	if (cc != CURLE_OK || status != 200) {
		snprintf(err, errlen, "%s: token request to %s failed: %s", r->host, realm,
			 cc != CURLE_OK ? curl_easy_strerror(cc) : status == 401 ? "unauthorized"
											 : "HTTP error");
	} else {
		json_t *j = json_loadb((const char *)rs.body, rs.n, 0, NULL);
		const char *t = json_string_value(json_object_get(j, "token"));
		if (!t)
			t = json_string_value(json_object_get(j, "access_token"));
		if (t && strlen(t) < 8000) {
			snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", t);
			free(r->auth);
			r->auth = xstrdup(hdr);
			rc = 0;
		} else {
			snprintf(err, errlen, "%s: the token answer has no token", r->host);
		}
		json_decref(j);
	}
	free(rs.body);
	return rc;
}

static const char accept_manifests[] =
	"Accept: application/vnd.oci.image.index.v1+json, "
	"application/vnd.oci.image.manifest.v1+json, "
	"application/vnd.docker.distribution.manifest.list.v2+json, "
	"application/vnd.docker.distribution.manifest.v2+json";

/* GET /v2/<repo>/<kind>/<ref> whole. Returns the HTTP status (0 on a transport error, with
 * err), answering one authentication challenge on the way. */
static long get_small(img_registry *r, const char *kind, const char *ref, size_t max, resp *rs,
		      char *err, size_t errlen)
{
	char url[4096];
	snprintf(url, sizeof url, "%s://%s/v2/%s/%s/%s", r->http ? "http" : "https", r->api_host,
		 r->repo, kind, ref);
	for (int attempt = 0; attempt < 2; attempt++) {
		struct curl_slist *h = NULL;
		if (!strcmp(kind, "manifests"))
			h = curl_slist_append(h, accept_manifests);
		if (r->auth)
			h = curl_slist_append(h, r->auth);
		free(rs->body);
		memset(rs, 0, sizeof *rs);
		rs->max = max;
		long status = 0;
		CURLcode cc = perform(easy(r, url, h, rs), h, &status);
		if (rs->too_big) {
			snprintf(err, errlen, "%s/%s: more than %zu bytes", kind, ref, max);
			return 0;
		}
		if (cc != CURLE_OK) {
			snprintf(err, errlen, "%s: %s", url, curl_easy_strerror(cc));
			return 0;
		}
		if (status == 401 && attempt == 0 && rs->challenge[0]) {
			char ch[REG_MAX_HEADER];
			snprintf(ch, sizeof ch, "%s", rs->challenge);
			if (authenticate(r, ch, err, errlen) < 0)
				return 0;
			continue;
		}
		return status;
	}
	return 401;
}

static void status_error(const img_registry *r, const char *what, long status, char *err,
			 size_t errlen)
{
	snprintf(err, errlen, "%s/%s: %s: HTTP %ld%s", r->host, r->repo, what, status,
		 status == 401 || status == 403 ? " (unauthorized: docker login?)"
		 : status == 404                ? " (not found)"
						: "");
}

int img_reg_manifest(img_registry *r, const char *reference, size_t max, unsigned char **body,
		     size_t *n, char *mt, size_t mtlen, char *err, size_t errlen)
{
	resp rs = {0};
	if (max > REG_MAX_SMALL)
		max = REG_MAX_SMALL;
	long status = get_small(r, "manifests", reference, max, &rs, err, errlen);
	if (status != 200) {
		if (status)
			status_error(r, reference, status, err, errlen);
		free(rs.body);
		return -1;
	}
	snprintf(mt, mtlen, "%.*s", (int)strcspn(rs.content_type, ";"), rs.content_type);
	*body = rs.body ? rs.body : xcalloc(1, 1);
	*n = rs.n;
	return 0;
}

int img_reg_blob(img_registry *r, const char *digest, size_t max, unsigned char **body,
		 size_t *n, char *err, size_t errlen)
{
	resp rs = {0};
	if (max > REG_MAX_SMALL)
		max = REG_MAX_SMALL;
	long status = get_small(r, "blobs", digest, max, &rs, err, errlen);
	if (status != 200) {
		free(rs.body);
		if (status == 404)
			return 1;
		if (status)
			status_error(r, digest, status, err, errlen);
		return -1;
	}
	*body = rs.body ? rs.body : xcalloc(1, 1);
	*n = rs.n;
	return 0;
}

/* --- streams ------------------------------------------------------------------------------ */

struct img_reg_stream {
	CURLM *m;
	CURL *c;
	struct curl_slist *h;
	resp rs;           /* rs.body holds what arrived since the last read */
	bool done;
	char err[256];
};

img_reg_stream *img_reg_blob_open(img_registry *r, const char *digest)
{
	img_reg_stream *s = xcalloc(1, sizeof *s);
	char url[4096];
	snprintf(url, sizeof url, "%s://%s/v2/%s/blobs/%s", r->http ? "http" : "https",
		 r->api_host, r->repo, digest);
	if (r->auth)
		s->h = curl_slist_append(s->h, r->auth);
	/* the multi interface delivers what one socket read brings; a layer is never held */
	s->rs.max = (size_t)-1;
	s->c = easy(r, url, s->h, &s->rs);
	s->m = curl_multi_init();
	if (!s->c || !s->m) {
		snprintf(s->err, sizeof s->err, "cannot start a transfer");
		s->done = true;
		return s;
	}
	curl_easy_setopt(s->c, CURLOPT_FAILONERROR, 1L); /* 4xx/5xx: an error, not a body */
	curl_multi_add_handle(s->m, s->c);
	return s;
}

long img_reg_read(void *h, const void **out)
{
	img_reg_stream *s = h;
	s->rs.n = 0;
	while (s->rs.n < REG_CHUNK && !s->done && !s->err[0]) {
		int running = 0;
		CURLMcode mc = curl_multi_perform(s->m, &running);
		if (mc != CURLM_OK) {
			snprintf(s->err, sizeof s->err, "%s", curl_multi_strerror(mc));
			break;
		}
		int left;
		CURLMsg *msg;
		while ((msg = curl_multi_info_read(s->m, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE) {
				s->done = true;
				if (msg->data.result != CURLE_OK)
					snprintf(s->err, sizeof s->err, "%s",
						 curl_easy_strerror(msg->data.result));
			}
		if (s->rs.n > 0 && (s->done || s->rs.n >= REG_CHUNK / 4))
			break; /* enough to hand on */
		if (!s->done && running)
			curl_multi_poll(s->m, NULL, 0, 1000, NULL);
		else if (!running)
			s->done = true;
	}
	if (s->err[0])
		return -1;
	*out = s->rs.body;
	return (long)s->rs.n;
}

const char *img_reg_stream_error(const img_reg_stream *s)
{
	return s->err;
}

void img_reg_stream_close(img_reg_stream *s)
{
	if (!s)
		return;
	if (s->m && s->c)
		curl_multi_remove_handle(s->m, s->c);
	curl_easy_cleanup(s->c);
	curl_multi_cleanup(s->m);
	curl_slist_free_all(s->h);
	free(s->rs.body);
	free(s);
}
