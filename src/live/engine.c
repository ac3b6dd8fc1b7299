/* engine.c - the Docker Engine API client behind the live checks (see engine.h).
 *
 * Every request is one libcurl easy handle, made and freed by the call, so get/fetch need
 * no lock. The engine answers on a unix socket (URLs are then http://localhost/...) or on
 * TCP, plain or with the client certificates the docker CLI uses.
 *
 * Decisions: redirects are never followed (the Engine does not send them; a metrics
 * endpoint that does is not followed elsewhere); only http and https are spoken. A body
 * over the caller's cap is cut and flagged, not an error: the caller asked for at most
 * that much. A get that times out midway fails (half a JSON document is no answer); a
 * fetch keeps what came (a metrics endpoint that streams forever is still judged on its
 * first part). Recording writes each file under a temporary name and renames it, so a
 * reader (or another thread recording the same request) never sees half a file. */
#include "live/engine.h"
#include "core/buf.h"
#include "core/xalloc.h"

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/evp.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define ENG_DEFAULT_HOST   "unix:///var/run/docker.sock"
#define ENG_TIMEOUT_MS     5000L
#define ENG_CONNECT_MS     2000L
#define ENG_MAX_PING       4096u        /* "OK" */
#define ENG_MAX_VERSION    (1u << 20)   /* the /version document */
#define ENG_MAX_LINE       (1u << 20)   /* a longer stream line is dropped */
#define ENG_MAX_ERRBODY    4096u        /* kept of a failed stream's answer */
#define ENG_POLL_MS        200          /* how often a stream looks at *stop */
#define ENG_MAX_DIR        3800         /* a fixture path fits in ENG_PATH */
#define ENG_PATH           4096
#define ENG_CT_LEN         128          /* a content type, as in pl_http_resp */
#define ENG_FIXTURE_MAX    200u
#define ENG_FIXTURE_CUT    183u         /* + "-" + 16 hex = 200 */

struct pl_engine {
	char *endpoint;        /* as named: "unix:///var/run/docker.sock", "replay:DIR" */
	char *base;            /* URL prefix: "http://localhost", "https://10.0.0.5:2376" */
	char *socket;          /* unix socket path, or NULL */
	char *ca, *cert, *key; /* TLS client files, or NULL */
	long timeout_ms;
	long connect_ms;
	char *record_dir;
	char *replay_dir;
	char api[16];          /* negotiated, "1.41" */
	char *server_version;
};

/* --- small helpers ------------------------------------------------------------------- */

/* "1.41" -> 1, 41. Only digits, one dot, digits. */
static bool parse_version(const char *s, unsigned long *maj, unsigned long *min)
{
	if (!s || !(*s >= '0' && *s <= '9'))
		return false;
	char *end;
	errno = 0;
	*maj = strtoul(s, &end, 10);
	if (*end != '.' || !(end[1] >= '0' && end[1] <= '9') || errno)
		return false;
	*min = strtoul(end + 1, &end, 10);
	return !*end && !errno && *maj < 1000 && *min < 100000;
}

/* Numeric order, so 1.9 < 1.24 < 1.41. Both must parse. */
static int version_cmp(const char *a, const char *b)
{
	unsigned long amaj = 0, amin = 0, bmaj = 0, bmin = 0;
	parse_version(a, &amaj, &amin);
	parse_version(b, &bmaj, &bmin);
	if (amaj != bmaj)
		return amaj < bmaj ? -1 : 1;
	return amin < bmin ? -1 : amin > bmin;
}

/* A printable excerpt of an answer for an error message. */
static void excerpt(const char *s, size_t n, char *out, size_t outlen)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 4 < outlen; i++)
		out[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (n > o && o + 4 <= outlen) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	if (outlen)
		out[o < outlen ? o : outlen - 1] = '\0';
}

static const char *getenv_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static bool is_json_type(const char *ct)
{
	return !strncasecmp(ct, "application/json", 16) &&
	       (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

/* --- fixture names and files -------------------------------------------------------- */

void pl_engine_fixture_name(const char *request, char *out, size_t outlen)
{
	if (!outlen)
		return;
	size_t n = strlen(request);
	char name[ENG_FIXTURE_MAX + 1];
	size_t keep = n > ENG_FIXTURE_MAX ? ENG_FIXTURE_CUT : n;
	bool dots = true;
	for (size_t i = 0; i < keep; i++) {
		char c = request[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
		name[i] = ok ? c : '_';
		dots = dots && c == '.';
	}
	name[keep] = '\0';
	if (dots) { /* "", "." and ".." would name the directory itself or its parent */
		size_t m = keep ? keep : 1;
		memset(name, '_', m);
		name[m] = '\0';
	}
	if (n > ENG_FIXTURE_MAX) {
		/* distinct long keys with a common start must not share a file */
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		EVP_Digest(request, n, md, &mdlen, EVP_sha256(), NULL);
		char *p = name + ENG_FIXTURE_CUT;
		*p++ = '-';
		for (int i = 0; i < 8; i++, p += 2)
			snprintf(p, 3, "%02x", md[i]);
	}
	snprintf(out, outlen, "%s", name);
}

/* dir/<fixture name of key><suffix> */
static void fixture_path(const char *dir, const char *key, const char *suffix, char *out,
			 size_t outlen)
{
	char name[ENG_FIXTURE_MAX + 1];
	pl_engine_fixture_name(key, name, sizeof name);
	snprintf(out, outlen, "%s/%s%s", dir, name, suffix);
}

/* Write a whole file atomically (temporary name, then rename). */
static int write_file(const char *path, const void *data, size_t n, char *err, size_t errlen)
{
	size_t pl = strlen(path);
	char *tmp = xmalloc(pl + 8);
	memcpy(tmp, path, pl);
	memcpy(tmp + pl, ".XXXXXX", 8);
	int fd = mkstemp(tmp);
	int rc = -1;
	if (fd >= 0) {
		const char *p = data;
		size_t left = n;
		while (left) {
			ssize_t w = write(fd, p, left);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			p += w;
			left -= (size_t)w;
		}
		/* mkstemp makes 0600; fixtures are meant to be read and committed */
		if (!left && !fchmod(fd, 0644) && !close(fd)) {
			fd = -1;
			rc = rename(tmp, path);
		}
		if (fd >= 0)
			close(fd);
	}
	if (rc < 0) {
		snprintf(err, errlen, "cannot record %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* Record one answer: the body, and .status / .type when they are not the defaults (a
 * stale one from an earlier recording of the same request is removed). */
static int record(const pl_engine *e, const char *key, const pl_http_resp *r, char *err,
		  size_t errlen)
{
	char path[ENG_PATH];
	fixture_path(e->record_dir, key, "", path, sizeof path);
	if (write_file(path, r->body, r->len, err, errlen) < 0)
		return -1;
	char s[32];
	fixture_path(e->record_dir, key, ".status", path, sizeof path);
	if (r->status != 200) {
		int n = snprintf(s, sizeof s, "%ld\n", r->status);
		if (write_file(path, s, (size_t)n, err, errlen) < 0)
			return -1;
	} else {
		unlink(path);
	}
	fixture_path(e->record_dir, key, ".type", path, sizeof path);
	if (r->content_type[0] && (!is_json_type(r->content_type) || !strncmp(key, "http", 4))) {
		char t[sizeof r->content_type + 1];
		int n = snprintf(t, sizeof t, "%s\n", r->content_type);
		if (write_file(path, t, (size_t)n, err, errlen) < 0)
			return -1;
	} else {
		unlink(path);
	}
	return 0;
}

/* Read at most max bytes of a file into out. Returns 0, or -1 with errno. */
static int read_capped(const char *path, size_t max, buf *out, bool *truncated)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[65536];
	size_t n;
	*truncated = false;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		size_t room = max - out->len;
		if (n > room) {
			buf_add(out, chunk, room);
			*truncated = true;
			break;
		}
		buf_add(out, chunk, n);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* A short one-line file (.status, .type), newline stripped. */
static bool read_small(const char *path, char *out, size_t outlen)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool ok = fgets(out, (int)outlen, f) != NULL;
	fclose(f);
	if (ok)
		out[strcspn(out, "\r\n")] = '\0';
	return ok;
}

/* Answer a request from the replay directory. Returns 0, or -1 when it was not recorded
 * (missing_ok: a 404 answer instead, as the Engine gives for what it does not know). */
static int replay(const pl_engine *e, const char *key, size_t max, bool missing_ok,
		  pl_http_resp *r, char *err, size_t errlen)
{
	char path[ENG_PATH], line[160];
	buf b = BUF_INIT;
	fixture_path(e->replay_dir, key, "", path, sizeof path);
	if (read_capped(path, max, &b, &r->truncated) < 0) {
		int en = errno;
		buf_free(&b);
		if (en != ENOENT) {
			snprintf(err, errlen, "replay %s: %s", path, strerror(en));
			return -1;
		}
		if (!missing_ok) {
			snprintf(err, errlen, "not recorded: %s (replay %s)", key, e->replay_dir);
			return -1;
		}
		char msg[4200];
		snprintf(msg, sizeof msg, "not recorded: %s", key);
		json_t *j = json_pack("{s:s}", "message", msg);
		char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
		json_decref(j);
		buf_adds(&b, s ? s : "{}");
		free(s);
		r->truncated = b.len > max;
		if (r->truncated)
			b.p[b.len = max] = '\0';
		r->status = 404;
		snprintf(r->content_type, sizeof r->content_type, "application/json");
		r->body = buf_detach(&b, &r->len);
		return 0;
	}
	r->status = 200;
	fixture_path(e->replay_dir, key, ".status", path, sizeof path);
	if (read_small(path, line, sizeof line)) {
		char *end;
		long st = strtol(line, &end, 10);
		if (end == line || *end || st < 100 || st > 999) {
			snprintf(err, errlen, "replay %s: not an HTTP status", path);
			buf_free(&b);
			return -1;
		}
		r->status = st;
	}
	fixture_path(e->replay_dir, key, ".type", path, sizeof path);
	/* the Engine answers JSON unless .type says otherwise; a fetched URL (a metrics
	 * endpoint) has exactly the type it was recorded with, none when no .type */
	if (!read_small(path, r->content_type, sizeof r->content_type))
		snprintf(r->content_type, sizeof r->content_type, "%s",
			 strncmp(key, "http", 4) ? "application/json" : "");
	r->body = buf_detach(&b, &r->len);
	return 0;
}

/* --- one transfer ------------------------------------------------------------------- */

typedef struct sink {
	buf body;
	size_t max;
	bool truncated;
	char content_type[ENG_CT_LEN];
} sink;

_Static_assert(sizeof ((pl_http_resp *)0)->content_type == ENG_CT_LEN,
	       "on_header writes ENG_CT_LEN bytes of content type");

static size_t on_body(char *p, size_t size, size_t nmemb, void *h)
{
	sink *s = h;
	size_t n = size * nmemb;
	if (n > s->max - s->body.len) {
		buf_add(&s->body, p, s->max - s->body.len);
		s->truncated = true;
		return 0; /* aborts the transfer: the rest is not wanted */
	}
	buf_add(&s->body, p, n);
	return n;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *h)
{
	char *ct = h; /* sink.content_type or the stream's, both ENG_CT_LEN bytes */
	size_t n = size * nmemb;
	if (n >= 5 && !strncmp(p, "HTTP/", 5)) { /* a new response (after 100 Continue) */
		ct[0] = '\0';
		return n;
	}
	if (n > 13 && !strncasecmp(p, "Content-Type:", 13)) {
		const char *v = p + 13, *end = p + n;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
			end--;
		snprintf(ct, ENG_CT_LEN, "%.*s", (int)(end - v), v);
	}
	return n;
}

/* An easy handle for url; through the engine's socket and TLS files when engine is set. */
static CURL *easy(const pl_engine *e, bool engine, const char *url, long timeout_ms,
		  char *errbuf)
{
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* no SIGALRM timeouts: threads */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, e->connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "plimsoll");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	errbuf[0] = '\0';
	if (!engine) {
		/* a container's own https endpoint shows a certificate for a service name, not
		 * for the address it is reached at; only public metrics are read from it */
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (engine) {
		if (e->socket)
			curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, e->socket);
		if (e->ca) {
			curl_easy_setopt(c, CURLOPT_CAINFO, e->ca);
			curl_easy_setopt(c, CURLOPT_SSLCERT, e->cert);
			curl_easy_setopt(c, CURLOPT_SSLKEY, e->key);
		}
	}
	return c;
}

/* Why a transfer failed, in words: "Couldn't connect to server (Permission denied)",
 * "did not answer within 2.0 s", "answered something that is not HTTP". */
static void describe(CURL *c, CURLcode cc, const char *errbuf, const pl_engine *e,
		     long timeout_ms, char *out, size_t outlen)
{
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		curl_off_t connect_us = 0;
		curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connect_us);
		bool whole = connect_us > 0 || (timeout_ms > 0 && timeout_ms < e->connect_ms);
		long ms = whole ? timeout_ms : e->connect_ms;
		snprintf(out, outlen, "did not answer within %.1f s", (double)ms / 1000.0);
		return;
	}
	if (cc == CURLE_WEIRD_SERVER_REPLY || cc == CURLE_UNSUPPORTED_PROTOCOL) {
		/* HTTP/0.9 is off, so bytes that are not an HTTP answer end here */
		snprintf(out, outlen, "answered something that is not HTTP (%s)",
			 *errbuf ? errbuf : curl_easy_strerror(cc));
		return;
	}
	long os = 0;
	curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os);
	if (cc == CURLE_COULDNT_CONNECT) {
		/* curl's own text names "localhost port 80" even for a unix socket */
		snprintf(out, outlen, "%s%s%s", curl_easy_strerror(cc), os ? ": " : "",
			 os ? strerror((int)os) : "");
		return;
	}
	snprintf(out, outlen, "%s", *errbuf ? errbuf : curl_easy_strerror(cc));
}

/* GET url into r. Returns the CURLcode, cap aborts already forgiven; why in why. */
static CURLcode perform(const pl_engine *e, bool engine, const char *url, size_t max,
			long timeout_ms, pl_http_resp *r, char *why, size_t whylen)
{
	char errbuf[CURL_ERROR_SIZE];
	sink s = {.max = max};
	CURL *c = easy(e, engine, url, timeout_ms, errbuf);
	if (!c) {
		snprintf(why, whylen, "cannot start a transfer");
		return CURLE_FAILED_INIT;
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, s.content_type);
	CURLcode cc = curl_easy_perform(c);
	if (cc == CURLE_WRITE_ERROR && s.truncated)
		cc = CURLE_OK;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	if (cc != CURLE_OK)
		describe(c, cc, errbuf, e, timeout_ms, why, whylen);
	curl_easy_cleanup(c);
	r->truncated = s.truncated;
	snprintf(r->content_type, sizeof r->content_type, "%s", s.content_type);
	r->body = buf_detach(&s.body, &r->len);
	return cc;
}

/* A request path goes into a URL as is: no spaces or control bytes. */
static bool good_path(const char *path)
{
	if (!path || path[0] != '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* A GET through the engine of `path` (versioned or not), recorded and replayed under key.
 * opening: errors read "cannot connect to the Docker Engine at ..." (open's wording). */
static int engine_get(pl_engine *e, const char *path, const char *key, size_t max,
		      pl_http_resp *r, bool opening, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	if (e->replay_dir)
		return replay(e, key, max, true, r, err, errlen);
	size_t ul = strlen(e->base) + strlen(path) + 1;
	char *url = xmalloc(ul);
	snprintf(url, ul, "%s%s", e->base, path);
	char why[CURL_ERROR_SIZE + 128];
	CURLcode cc = perform(e, true, url, max, e->timeout_ms, r, why, sizeof why);
	free(url);
	if (cc != CURLE_OK) {
		bool refused = cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
			       (cc == CURLE_OPERATION_TIMEDOUT && !r->status);
		if (opening)
			snprintf(err, errlen, "cannot connect to the Docker Engine at %s: %s%s",
				 e->endpoint, why,
				 refused ? " (is dockerd running? set DOCKER_HOST)" : "");
		else
			snprintf(err, errlen, "Docker Engine at %s: GET %s: %s", e->endpoint, key,
				 why);
		pl_http_resp_free(r);
		return -1;
	}
	if (e->record_dir && record(e, key, r, err, errlen) < 0) {
		pl_http_resp_free(r);
		return -1;
	}
	return 0;
}

/* --- where the engine is ------------------------------------------------------------ */

static int tls_files(pl_engine *e, const pl_engine_opts *o, char *err, size_t errlen)
{
	char dir[4096];
	const char *cp = o->cert_path ? o->cert_path : getenv_set("DOCKER_CERT_PATH");
	const char *home = getenv_set("HOME");
	if (cp)
		snprintf(dir, sizeof dir, "%s", cp);
	else if (home)
		snprintf(dir, sizeof dir, "%s/.docker", home);
	else {
		snprintf(err, errlen, "%s: TLS asked for but no certificate directory "
			 "(set DOCKER_CERT_PATH)", e->endpoint);
		return -1;
	}
	static const char *const names[3] = {"ca.pem", "cert.pem", "key.pem"};
	char **dst[3] = {&e->ca, &e->cert, &e->key};
	for (int i = 0; i < 3; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (access(path, R_OK) < 0) {
			snprintf(err, errlen, "%s: TLS certificate file %s: %s (set DOCKER_CERT_PATH "
				 "to the directory with ca.pem, cert.pem and key.pem)", e->endpoint,
				 path, strerror(errno));
			return -1;
		}
		*dst[i] = xstrdup(path);
	}
	return 0;
}

/* Turn e->endpoint into base URL, socket path and TLS files. */
static int parse_host(pl_engine *e, const pl_engine_opts *o, char *err, size_t errlen)
{
	const char *h = e->endpoint;
	bool tls = o->tls == 1 || (o->tls == -1 && (getenv_set("DOCKER_TLS_VERIFY") ||
						    getenv_set("DOCKER_CERT_PATH")));
	for (const unsigned char *p = (const unsigned char *)h; *p; p++)
		if (*p <= 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "engine host \"%s\": has spaces or control characters",
				 h);
			return -1;
		}
	if (!strncmp(h, "unix://", 7)) {
		if (h[7] != '/') {
			snprintf(err, errlen, "engine host \"%s\": unix:// needs an absolute socket "
				 "path (unix:///var/run/docker.sock)", h);
			return -1;
		}
		e->socket = xstrdup(h + 7);
		e->base = xstrdup("http://localhost");
		return 0;
	}
	if (!strncmp(h, "tcp://", 6)) {
		const char *hp = h + 6;
		size_t n = strcspn(hp, "/?#@");
		if (!n || hp[0] == ':' || (hp[n] && strcmp(hp + n, "/"))) {
			snprintf(err, errlen, "engine host \"%s\": expected tcp://HOST:PORT", h);
			return -1;
		}
		/* the docker CLI's default ports: 2376 with TLS, 2375 without */
		const char *close_br = hp[0] == '[' ? memchr(hp, ']', n) : NULL;
		const char *colon = close_br ? (close_br[1] == ':' ? close_br + 1 : NULL)
					     : memchr(hp, ':', n);
		if (colon) {
			char *end;
			long port = strtol(colon + 1, &end, 10);
			if (end != hp + n || end == colon + 1 || port < 1 || port > 65535) {
				snprintf(err, errlen, "engine host \"%s\": bad port", h);
				return -1;
			}
		}
		size_t ul = n + 32;
		e->base = xmalloc(ul);
		snprintf(e->base, ul, "%s://%.*s%s", tls ? "https" : "http", (int)n, hp,
			 colon ? "" : tls ? ":2376" : ":2375");
		return tls ? tls_files(e, o, err, errlen) : 0;
	}
	if (!strncmp(h, "http://", 7) || !strncmp(h, "https://", 8)) {
		size_t n = strlen(h);
		while (n > 8 && h[n - 1] == '/')
			n--;
		e->base = xstrndup(h, n);
		bool https = h[4] == 's';
		return https && tls ? tls_files(e, o, err, errlen) : 0;
	}
	const char *sep = strstr(h, "://");
	if (sep && sep - h < 16)
		snprintf(err, errlen, "engine host \"%s\": %.*s:// is not supported "
			 "(use unix://, tcp://, http:// or https://)", h, (int)(sep - h), h);
	else
		snprintf(err, errlen, "engine host \"%s\": not an engine address "
			 "(unix:///var/run/docker.sock or tcp://HOST:PORT)", h);
	return -1;
}

/* --- open and negotiate ------------------------------------------------------------- */

static int negotiate(pl_engine *e, const pl_http_resp *r, char *err, size_t errlen)
{
	const char *at = e->endpoint;
	char ex[80];
	if (r->status != 200) {
		excerpt(r->body, r->len, ex, sizeof ex);
		snprintf(err, errlen, "Docker Engine at %s: /version answered HTTP %ld: %s", at,
			 r->status, ex);
		return -1;
	}
	json_t *j = json_loadb(r->body, r->len, 0, NULL);
	const char *api = json_string_value(json_object_get(j, "ApiVersion"));
	const char *min = json_string_value(json_object_get(j, "MinAPIVersion"));
	const char *ver = json_string_value(json_object_get(j, "Version"));
	unsigned long a, b;
	int rc = -1;
	if (!json_is_object(j)) {
		excerpt(r->body, r->len, ex, sizeof ex);
		snprintf(err, errlen, "Docker Engine at %s: /version is not a JSON object: %s", at,
			 ex);
	} else if (!parse_version(api, &a, &b) || !ver || strlen(ver) > 128) {
		snprintf(err, errlen, "Docker Engine at %s: /version has no usable %s", at,
			 parse_version(api, &a, &b) ? "Version" : "ApiVersion");
	} else if (version_cmp(api, PL_ENGINE_API_MIN) < 0) {
		snprintf(err, errlen, "Docker Engine at %s speaks API %s, older than %s, the oldest "
			 "plimsoll speaks", at, api, PL_ENGINE_API_MIN);
	} else {
		const char *use = version_cmp(api, PL_ENGINE_API_MAX) < 0 ? api : PL_ENGINE_API_MAX;
		/* MinAPIVersion came with API 1.25: older engines do not say */
		if (min && parse_version(min, &a, &b) && version_cmp(use, min) < 0) {
			snprintf(err, errlen, "Docker Engine at %s speaks API %s to %s; plimsoll "
				 "speaks %s to %s", at, min, api, PL_ENGINE_API_MIN,
				 PL_ENGINE_API_MAX);
		} else {
			snprintf(e->api, sizeof e->api, "%s", use);
			e->server_version = xstrdup(ver);
			rc = 0;
		}
	}
	json_decref(j);
	return rc;
}

int pl_engine_open(pl_engine **out, const pl_engine_opts *o, char *err, size_t errlen)
{
	*out = NULL;
	pl_engine_opts none = {.tls = -1};
	if (!o)
		o = &none;
	if (o->record_dir && o->replay_dir) {
		snprintf(err, errlen, "record and replay at once: pick one");
		return -1;
	}
	const char *dir = o->record_dir ? o->record_dir : o->replay_dir;
	if (dir && strlen(dir) > ENG_MAX_DIR) {
		snprintf(err, errlen, "%s directory: path over %d bytes",
			 o->record_dir ? "record" : "replay", ENG_MAX_DIR);
		return -1;
	}
	pl_engine *e = xcalloc(1, sizeof *e);
	e->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : ENG_TIMEOUT_MS;
	e->connect_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : ENG_CONNECT_MS;
	struct stat st;
	if (o->replay_dir) {
		e->replay_dir = xstrdup(o->replay_dir);
		size_t n = strlen(o->replay_dir) + 8;
		e->endpoint = xmalloc(n);
		snprintf(e->endpoint, n, "replay:%s", o->replay_dir);
		int en = stat(o->replay_dir, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
		if (en) {
			snprintf(err, errlen, "replay directory %s: %s", o->replay_dir, strerror(en));
			goto fail;
		}
	} else {
		const char *h = o->host ? o->host : getenv_set("DOCKER_HOST");
		e->endpoint = xstrdup(h ? h : ENG_DEFAULT_HOST);
		if (parse_host(e, o, err, errlen) < 0)
			goto fail;
		if (e->socket && stat(e->socket, &st) < 0) {
			/* clearer than curl's "Couldn't connect to server" */
			snprintf(err, errlen, "cannot connect to the Docker Engine at %s: %s: %s "
				 "(is dockerd running? set DOCKER_HOST)", e->endpoint, e->socket,
				 strerror(errno));
			goto fail;
		}
	}
	if (o->record_dir) {
		e->record_dir = xstrdup(o->record_dir);
		if (mkdir(o->record_dir, 0755) < 0 && errno != EEXIST) {
			snprintf(err, errlen, "record directory %s: %s", o->record_dir,
				 strerror(errno));
			goto fail;
		}
	}
	pl_http_resp r;
	if (engine_get(e, "/_ping", "/_ping", ENG_MAX_PING, &r, true, err, errlen) < 0)
		goto fail;
	if (r.status != 200 || r.len != 2 || memcmp(r.body, "OK", 2)) {
		char ex[80];
		excerpt(r.body, r.len, ex, sizeof ex);
		snprintf(err, errlen, "cannot connect to the Docker Engine at %s: /_ping answered "
			 "HTTP %ld \"%s\", not \"OK\" (is it a Docker Engine?)", e->endpoint, r.status,
			 ex);
		pl_http_resp_free(&r);
		goto fail;
	}
	pl_http_resp_free(&r);
	if (engine_get(e, "/version", "/version", ENG_MAX_VERSION, &r, true, err, errlen) < 0)
		goto fail;
	int rc = r.truncated ? -1 : negotiate(e, &r, err, errlen);
	if (r.truncated)
		snprintf(err, errlen, "Docker Engine at %s: /version is over %u bytes",
			 e->endpoint, ENG_MAX_VERSION);
	pl_http_resp_free(&r);
	if (rc < 0)
		goto fail;
	*out = e;
	return 0;
fail:
	pl_engine_close(e);
	return -1;
}

void pl_engine_close(pl_engine *e)
{
	if (!e)
		return;
	free(e->endpoint);
	free(e->base);
	free(e->socket);
	free(e->ca);
	free(e->cert);
	free(e->key);
	free(e->record_dir);
	free(e->replay_dir);
	free(e->server_version);
	free(e);
}

const char *pl_engine_endpoint(const pl_engine *e)
{
	return e->endpoint;
}

const char *pl_engine_api_version(const pl_engine *e)
{
	return e->api;
}

const char *pl_engine_server_version(const pl_engine *e)
{
	return e->server_version ? e->server_version : "";
}

/* --- requests ----------------------------------------------------------------------- */

int pl_engine_get(pl_engine *e, const char *path, size_t max, pl_http_resp *r, char *err,
		  size_t errlen)
{
	memset(r, 0, sizeof *r);
	if (!good_path(path)) {
		snprintf(err, errlen, "bad Engine API path \"%.200s\"", path ? path : "");
		return -1;
	}
	size_t n = strlen(path) + sizeof e->api + 2;
	char *vpath = xmalloc(n);
	snprintf(vpath, n, "/v%s%s", e->api, path);
	int rc = engine_get(e, vpath, path, max, r, false, err, errlen);
	free(vpath);
	return rc;
}

int pl_engine_fetch(pl_engine *e, const char *url, size_t max, long timeout_ms,
		    pl_http_resp *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	if (timeout_ms <= 0)
		timeout_ms = e->timeout_ms;
	/* only web URLs: a curl that also speaks file:// or gopher:// must not be reachable */
	if (!url || (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))) {
		snprintf(err, errlen, "%.200s: only http:// and https:// URLs can be fetched",
			 url ? url : "");
		return -1;
	}
	if (e->replay_dir)
		return replay(e, url, max, false, r, err, errlen);
	char why[CURL_ERROR_SIZE + 128];
	CURLcode cc = perform(e, false, url, max, timeout_ms, r, why, sizeof why);
	if (cc == CURLE_OPERATION_TIMEDOUT && r->len > 0) {
		r->truncated = true; /* streams forever: judged on what came in time */
		cc = CURLE_OK;
	}
	if (cc != CURLE_OK) {
		snprintf(err, errlen, "%s: %s", url, why);
		pl_http_resp_free(r);
		return -1;
	}
	if (e->record_dir && record(e, url, r, err, errlen) < 0) {
		pl_http_resp_free(r);
		return -1;
	}
	return 0;
}

void pl_http_resp_free(pl_http_resp *r)
{
	if (!r)
		return;
	free(r->body);
	r->body = NULL;
	r->len = 0;
}

/* --- streams ------------------------------------------------------------------------ */

typedef struct liner {
	pl_engine_line_cb cb;
	void *ud;
	buf line;           /* the line being gathered */
	bool dropping;      /* the current line went over ENG_MAX_LINE */
	bool stopped;       /* cb or *stop asked to stop */
	volatile sig_atomic_t *stop;
	buf *rec;           /* every line passed on, for recording; or NULL */
	/* the live stream only */
	CURL *c;
	long status;        /* 0 until the first body byte */
	buf errbody;        /* the start of a non-200 answer */
	char content_type[ENG_CT_LEN];
} liner;

static void emit(liner *l)
{
	size_t n = l->line.len;
	if (n && l->line.p[n - 1] == '\r')
		l->line.p[--n] = '\0'; /* callers may read the line as a C string */
	if (!l->dropping) {
		if (l->rec) {
			buf_add(l->rec, l->line.p ? l->line.p : "", n);
			buf_addc(l->rec, '\n');
		}
		if (l->cb(l->ud, l->line.p ? l->line.p : "", n) || (l->stop && *l->stop))
			l->stopped = true;
	}
	l->dropping = false;
	buf_reset(&l->line);
}

/* Split bytes into lines; a line over ENG_MAX_LINE is dropped whole. */
static void liner_feed(liner *l, const char *p, size_t n)
{
	while (n && !l->stopped) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		if (!l->dropping && l->line.len + take > ENG_MAX_LINE) {
			l->dropping = true;
			buf_reset(&l->line);
		}
		if (!l->dropping)
			buf_add(&l->line, p, take);
		if (nl) {
			emit(l);
			take++;
		}
		p += take;
		n -= take;
	}
}

/* The last line, when the stream ended without a newline. */
static void liner_finish(liner *l)
{
	if (!l->stopped && !(l->stop && *l->stop) && (l->line.len || l->dropping))
		emit(l);
}

static size_t on_stream(char *p, size_t size, size_t nmemb, void *h)
{
	liner *l = h;
	size_t n = size * nmemb;
	if (!l->status)
		curl_easy_getinfo(l->c, CURLINFO_RESPONSE_CODE, &l->status);
	if (l->status != 200) { /* an error answer: keep its start for the message */
		size_t room = ENG_MAX_ERRBODY - l->errbody.len;
		buf_add(&l->errbody, p, n < room ? n : room);
		return n;
	}
	liner_feed(l, p, n);
	return l->stopped ? 0 : n;
}

static int stream_replay(pl_engine *e, const char *path, liner *l,
			 volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	char fp[ENG_PATH];
	fixture_path(e->replay_dir, path, "", fp, sizeof fp);
	FILE *f = fopen(fp, "rb");
	if (!f) {
		if (errno == ENOENT)
			snprintf(err, errlen, "not recorded: %s (replay %s)", path, e->replay_dir);
		else
			snprintf(err, errlen, "replay %s: %s", fp, strerror(errno));
		return -1;
	}
	char chunk[65536];
	size_t n;
	while (!l->stopped && !(stop && *stop) && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		liner_feed(l, chunk, n);
	liner_finish(l);
	fclose(f);
	return 0;
}

int pl_engine_stream(pl_engine *e, const char *path, long timeout_ms, pl_engine_line_cb cb,
		     void *ud, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	if (!good_path(path)) {
		snprintf(err, errlen, "bad Engine API path \"%.200s\"", path ? path : "");
		return -1;
	}
	buf rec = BUF_INIT;
	liner l = {.cb = cb, .ud = ud, .stop = stop, .rec = e->record_dir ? &rec : NULL};
	if (e->replay_dir) {
		int rc = stream_replay(e, path, &l, stop, err, errlen);
		buf_free(&l.line);
		buf_free(&rec);
		return rc;
	}
	size_t ul = strlen(e->base) + strlen(path) + sizeof e->api + 3;
	char *url = xmalloc(ul);
	snprintf(url, ul, "%s/v%s%s", e->base, e->api, path);
	char errbuf[CURL_ERROR_SIZE];
	/* 0 is "no limit" for both the caller and libcurl */
	CURL *c = easy(e, true, url, timeout_ms > 0 ? timeout_ms : 0, errbuf);
	CURLM *m = curl_multi_init();
	free(url);
	int rc = -1;
	if (!c || !m) {
		snprintf(err, errlen, "Docker Engine at %s: GET %s: cannot start a transfer",
			 e->endpoint, path);
		goto out;
	}
	l.c = c;
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_stream);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &l);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, l.content_type);
	curl_multi_add_handle(m, c);
	/* the multi loop wakes every ENG_POLL_MS to look at *stop, whatever the socket does */
	CURLcode cc = CURLE_OK;
	bool done = false;
	while (!done && !(stop && *stop)) {
		int running = 0;
		CURLMcode mc = curl_multi_perform(m, &running);
		if (mc != CURLM_OK) {
			snprintf(err, errlen, "Docker Engine at %s: GET %s: %s", e->endpoint, path,
				 curl_multi_strerror(mc));
			goto out;
		}
		int left;
		CURLMsg *msg;
		while ((msg = curl_multi_info_read(m, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE) {
				cc = msg->data.result;
				done = true;
			}
		if (!done && running)
			curl_multi_poll(m, NULL, 0, ENG_POLL_MS, NULL);
		else if (!running)
			done = true;
	}
	if (!l.status)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &l.status);
	if (l.status && l.status != 200) {
		char ex[200];
		json_t *j = json_loadb(l.errbody.p ? l.errbody.p : "", l.errbody.len, 0, NULL);
		const char *msg = json_string_value(json_object_get(j, "message"));
		excerpt(msg ? msg : buf_str(&l.errbody), msg ? strlen(msg) : l.errbody.len, ex,
			sizeof ex);
		json_decref(j);
		snprintf(err, errlen, "Docker Engine at %s: GET %s: HTTP %ld: %s", e->endpoint,
			 path, l.status, ex);
		goto out;
	}
	/* a stop, the callback's stop and the time limit all end a stream that was had */
	bool normal = cc == CURLE_OK || l.stopped || (stop && *stop) ||
		      (l.status == 200 && cc != CURLE_WRITE_ERROR);
	if (!normal) {
		char why[CURL_ERROR_SIZE + 128];
		describe(c, cc, errbuf, e, timeout_ms, why, sizeof why);
		snprintf(err, errlen, "Docker Engine at %s: GET %s: %s", e->endpoint, path, why);
		goto out;
	}
	if (done && cc == CURLE_OK)
		liner_finish(&l);
	rc = 0;
	if (e->record_dir) {
		char fp[ENG_PATH];
		fixture_path(e->record_dir, path, "", fp, sizeof fp);
		rc = write_file(fp, rec.p ? rec.p : "", rec.len, err, errlen);
	}
out:
	if (m && c)
		curl_multi_remove_handle(m, c);
	curl_easy_cleanup(c);
	curl_multi_cleanup(m);
	buf_free(&l.line);
	buf_free(&l.errbody);
	buf_free(&rec);
	return rc;
}
