/* engine.h - a Docker Engine API client over libcurl.
 *
 * Where the engine is: opts.host, else $DOCKER_HOST, else unix:///var/run/docker.sock.
 * unix:// goes through CURLOPT_UNIX_SOCKET_PATH; tcp:// is plain HTTP, or HTTPS with client
 * certificates when TLS is asked for ($DOCKER_TLS_VERIFY / $DOCKER_CERT_PATH, as the docker
 * CLI reads them: ca.pem, cert.pem, key.pem). pl_engine_open pings /_ping and reads
 * /version, then speaks min(server's ApiVersion, PL_ENGINE_API_MAX), refusing an engine
 * older than PL_ENGINE_API_MIN. Every call has a timeout and a body cap: a daemon that is
 * slow or answers garbage costs bounded time and memory and gives a clear message.
 *
 * Record and replay: with opts.record_dir every response (engine or fetch) is also written
 * there, one file per request; with opts.replay_dir nothing is contacted and responses are
 * read from such a directory. Golden cases are recordings of a real daemon.
 *
 * Thread safety: after open, get/fetch may be called from several threads at once (each
 * call has its own easy handle). */
#ifndef PL_LIVE_ENGINE_H
#define PL_LIVE_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#define PL_ENGINE_API_MIN "1.24" /* Docker 1.12 (2016) */
#define PL_ENGINE_API_MAX "1.45" /* Docker 26 */

typedef struct pl_engine pl_engine;

typedef struct pl_engine_opts {
	const char *host;         /* NULL: $DOCKER_HOST, else unix:///var/run/docker.sock */
	const char *cert_path;    /* NULL: $DOCKER_CERT_PATH, else ~/.docker */
	int tls;                  /* -1: from $DOCKER_TLS_VERIFY/$DOCKER_CERT_PATH; 0 no; 1 yes */
	long timeout_ms;          /* per request; 0: 5000 */
	long connect_timeout_ms;  /* 0: 2000 */
	const char *record_dir;   /* NULL, or write each response there */
	const char *replay_dir;   /* NULL, or answer from recorded responses only */
} pl_engine_opts;

typedef struct pl_http_resp {
	long status;              /* HTTP status; 0 before any answer */
	char *body;               /* malloc'd, NUL-terminated (the NUL not counted in len) */
	size_t len;
	bool truncated;           /* the body reached the cap and the rest was dropped */
	char content_type[128];   /* "" when absent */
} pl_http_resp;

/* Connect, ping and negotiate. Returns 0, or -1 with err set ("cannot connect to the
 * Docker Engine at unix:///var/run/docker.sock: ... (is dockerd running?)"). */
int pl_engine_open(pl_engine **out, const pl_engine_opts *o, char *err, size_t errlen);
void pl_engine_close(pl_engine *e);

const char *pl_engine_endpoint(const pl_engine *e);    /* "unix:///var/run/docker.sock" */
const char *pl_engine_api_version(const pl_engine *e); /* negotiated, "1.41" */
const char *pl_engine_server_version(const pl_engine *e); /* the engine's Version, "20.10.24" */

/* GET path (e.g. "/containers/json?all=1") at the negotiated version. Any HTTP status is a
 * success (r->status tells; the Engine explains errors in {"message": ...}); -1 only when
 * no answer came (connection refused, timeout: err set). Body capped at max bytes. */
int pl_engine_get(pl_engine *e, const char *path, size_t max, pl_http_resp *r, char *err,
		  size_t errlen);

/* A plain HTTP GET of url ("http://172.17.0.2:8080/metrics"), not through the engine:
 * how a container's metrics endpoint is read. Same return convention; timeout_ms bounds the
 * whole transfer (an endpoint that streams forever is cut there, truncated set). An https
 * URL's certificate is not verified: it names a service, not the container's address, and
 * nothing secret is sent or read. */
int pl_engine_fetch(pl_engine *e, const char *url, size_t max, long timeout_ms,
		    pl_http_resp *r, char *err, size_t errlen);

/* A streaming GET (the events stream): cb gets each complete line (without its newline);
 * returns when cb returns non-zero, *stop becomes non-zero (checked at least every 200
 * ms), timeout_ms passes (0: no limit), or the stream ends. Lines over 1 MiB are dropped.
 * Returns 0, or -1 with err set when the stream could not be had. */
typedef int (*pl_engine_line_cb)(void *ud, const char *line, size_t len);
int pl_engine_stream(pl_engine *e, const char *path, long timeout_ms, pl_engine_line_cb cb,
		     void *ud, volatile sig_atomic_t *stop, char *err, size_t errlen);

void pl_http_resp_free(pl_http_resp *r);

/* The file name a request is recorded under in a record/replay directory: the path or URL
 * with every byte outside [A-Za-z0-9._-] turned into '_', at most 200 bytes (longer keys
 * end in a hash of the whole). Exposed for tests and for writing fixtures by hand. */
void pl_engine_fixture_name(const char *request, char *out, size_t outlen);

#endif
