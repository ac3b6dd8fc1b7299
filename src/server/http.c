/* http.c - see http.h. */
#include "server/http.h"
#include "server/admission.h"
#include "server/log.h"
#include "server/metrics.h"
#include "server/tls.h"
#include "core/buf.h"
#include "core/xalloc.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* A chunked upload over the limit is read and dropped so that it can still get its 400;
 * past this many bytes the connection is simply closed. */
#define DISCARD_LIMIT (64u << 20)

typedef enum route { R_VALIDATE, R_HEALTHZ, R_READYZ, R_METRICS, R_NONE } route;

typedef struct request {
	route route;
	bool answered;          /* a response is queued already (refused early) */
	int refuse;             /* 0, or the status to answer once the upload is drained */
	buf body;
	size_t reserved;        /* bytes counted against the body budget */
	size_t discarded;
	struct timespec t0;
} request;

static struct MHD_Daemon *daemon_;
static int listen_fd = -1, bound_port;
static pthread_rwlock_t cfg_lock;
static pl_config *config;
static atomic_bool quiescing, draining;
static atomic_uint in_flight;
static atomic_size_t body_bytes;
static bool use_tls;

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Queue body (malloc'd; MHD frees it) with a status and content type. */
static enum MHD_Result answer(struct MHD_Connection *c, request *r, int status,
			      const char *type, char *body, size_t len)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	/* while leaving, clients should take their next request elsewhere */
	if (atomic_load(&draining))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
	enum MHD_Result rc = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	r->answered = true;
	return rc;
}

static enum MHD_Result answer_text(struct MHD_Connection *c, request *r, int status,
				   const char *text)
{
	return answer(c, r, status, "text/plain; charset=utf-8", xstrdup(text), strlen(text));
}

static bool ready(void)
{
	if (atomic_load(&draining))
		return false;
	pthread_rwlock_rdlock(&cfg_lock);
	bool ok = config != NULL;
	pthread_rwlock_unlock(&cfg_lock);
	return ok && (!use_tls || pl_tls_valid(time(NULL)));
}

/* A request that never reached the admission code: counted, logged, answered. */
static enum MHD_Result refuse(struct MHD_Connection *c, request *r, int status)
{
	pl_metric_error e = status == 503 ? ERR_BUSY : ERR_OVERSIZED;
	const char *why = status == 503 ? "server busy: too many request bodies in memory"
					: "request body too large";
	char msg[128];
	snprintf(msg, sizeof msg, "%s (limit %u bytes)", why,
		 status == 503 ? PL_HTTP_BODY_BUDGET : PL_ADMISSION_MAX_BODY);
	pl_metrics_error(e);
	double secs = since(&r->t0);
	pl_metrics_request(NULL, NULL, "invalid", secs);
	pl_log_review line = {.decision = "invalid", .status = status, .duration_ms = secs * 1e3};
	pl_log_review_line("warn", msg, &line);
	buf b = BUF_INIT;
	buf_printf(&b, "%s\n", msg);
	size_t n;
	char *text = buf_detach(&b, &n);
	return answer(c, r, status, "text/plain; charset=utf-8", text, n);
}

static enum MHD_Result review(struct MHD_Connection *c, request *r)
{
	pl_admission a;
	pl_metrics_busy(1);
	pthread_rwlock_rdlock(&cfg_lock);
	pl_admission_review(config, buf_str(&r->body), r->body.len, &a);
	pthread_rwlock_unlock(&cfg_lock);
	pl_metrics_busy(-1);
	const char *decision = pl_decision_name(a.decision);
	if (a.status == 400)
		pl_metrics_error(ERR_MALFORMED);
	else if (a.status >= 500)
		pl_metrics_error(ERR_INTERNAL);
	char *body = a.body;
	a.body = NULL;
	enum MHD_Result rc = answer(c, r, a.status, a.content_type, body, a.body_len);
	double secs = since(&r->t0);
	pl_metrics_request(a.kind, a.operation, decision, secs);
	pl_log_review line = {
		.uid = a.uid, .kind = a.kind, .namespace_ = a.namespace_, .name = a.name,
		.operation = a.operation, .decision = decision, .dry_run = a.dry_run,
		.findings = a.findings, .status = a.status, .duration_ms = secs * 1e3,
	};
	char msg[320];
	snprintf(msg, sizeof msg, "review %s: %s", decision, a.reason);
	pl_log_review_line(a.status >= 500 ? "error" : a.status >= 400 ? "warn" : "info", msg, &line);
	pl_admission_free(&a);
	return rc;
}

static route route_of(const char *url)
{
	static const struct { const char *path; route r; } routes[] = {
		{"/validate", R_VALIDATE}, {"/healthz", R_HEALTHZ}, {"/readyz", R_READYZ},
		{"/metrics", R_METRICS},
	};
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
		if (!strcmp(url, routes[i].path))
			return routes[i].r;
	return R_NONE;
}

/* Count n more body bytes against the budget; false when it is spent. */
static bool reserve(request *r, size_t n)
{
	size_t now = atomic_fetch_add(&body_bytes, n) + n;
	r->reserved += n;
	return now <= PL_HTTP_BODY_BUDGET;
}

static enum MHD_Result first_call(struct MHD_Connection *c, request *r, const char *method)
{
	if (r->route == R_NONE) {
		pl_metrics_error(ERR_NOT_FOUND);
		return answer_text(c, r, 404, "not found: POST /validate, GET /healthz, /readyz, /metrics\n");
	}
	bool post = !strcmp(method, "POST"), get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
	if (r->route == R_VALIDATE ? !post : !get) {
		pl_metrics_error(ERR_NOT_FOUND);
		return answer_text(c, r, 405, r->route == R_VALIDATE ? "method not allowed: POST\n"
								     : "method not allowed: GET\n");
	}
	switch (r->route) {
	case R_HEALTHZ:
		return answer_text(c, r, 200, "ok\n");
	case R_READYZ:
		return ready() ? answer_text(c, r, 200, "ready\n")
			       : answer_text(c, r, 503, atomic_load(&draining) ? "shutting down\n"
										 : "not ready: certificate not valid now\n");
	case R_METRICS: {
		buf b = BUF_INIT;
		pl_metrics_render(&b);
		size_t n;
		char *text = buf_detach(&b, &n);
		return answer(c, r, 200, "text/plain; version=0.0.4; charset=utf-8", text, n);
	}
	default:
		break;
	}
	/* POST /validate: refuse an announced oversize before reading a byte of it */
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl) {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(cl, &end, 10);
		if (errno || *end || n > PL_ADMISSION_MAX_BODY)
			return refuse(c, r, 400);
		if (!reserve(r, (size_t)n))
			return refuse(c, r, 503);
		buf_grow(&r->body, (size_t)n + 1);
	}
	return MHD_YES;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *data,
			      size_t *size, void **con_cls)
{
	(void)cls, (void)version;
	request *r = *con_cls;
	if (!r) {
		r = xcalloc(1, sizeof *r);
		*con_cls = r;
		clock_gettime(CLOCK_MONOTONIC, &r->t0);
		atomic_fetch_add(&in_flight, 1);
		pl_metrics_in_flight(1);
		r->route = route_of(url);
		return first_call(c, r, method);
	}
	if (r->answered) {      /* refused early: MHD reads no body */
		*size = 0;
		return MHD_YES;
	}
	if (*size) {            /* a piece of the body */
		size_t n = *size;
		*size = 0;
		if (r->refuse || r->body.len + n > PL_ADMISSION_MAX_BODY) {
			if (!r->refuse)
				r->refuse = 400;
			buf_free(&r->body);
			r->discarded += n;
			return r->discarded > DISCARD_LIMIT ? MHD_NO : MHD_YES;
		}
		if (r->body.len + n > r->reserved && !reserve(r, r->body.len + n - r->reserved)) {
			r->refuse = 503;
			buf_free(&r->body);
			return MHD_YES;
		}
		buf_add(&r->body, data, n);
		return MHD_YES;
	}
	if (r->refuse)
		return refuse(c, r, r->refuse);
	return review(c, r);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode why)
{
	(void)cls, (void)c, (void)why;
	request *r = *con_cls;
	if (!r)
		return;
	atomic_fetch_sub(&body_bytes, r->reserved);
	buf_free(&r->body);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
	pl_metrics_in_flight(-1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	buf b = BUF_INIT;
	buf_vprintf(&b, fmt, ap);
	while (b.len && (b.p[b.len - 1] == '\n' || b.p[b.len - 1] == '\r'))
		b.p[--b.len] = '\0';
	pl_log("warn", "http: %s", buf_str(&b));
	buf_free(&b);
}

/* Bind and listen on "ADDR:PORT" ourselves, so the port bound is known (port 0) and the
 * socket is ours to close when the daemon is quiesced. */
static int open_listener(const char *listen_on, bool *v6, char *err, size_t errlen)
{
	const char *colon = strrchr(listen_on, ':');
	if (!colon || !colon[1]) {
		snprintf(err, errlen, "--listen wants ADDR:PORT, got '%s'", listen_on);
		return -1;
	}
	char host[128];
	size_t hl = (size_t)(colon - listen_on);
	const char *h = listen_on;
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']')
		h++, hl -= 2;
	if (hl >= sizeof host) {
		snprintf(err, errlen, "--listen: address too long");
		return -1;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV};
	struct addrinfo *ai = NULL;
	int rc = getaddrinfo(hl ? host : NULL, colon + 1, &hints, &ai);
	if (rc) {
		snprintf(err, errlen, "--listen %s: %s (a numeric address and port)", listen_on,
			 gai_strerror(rc));
		return -1;
	}
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1024) < 0) {
		snprintf(err, errlen, "--listen %s: %s", listen_on, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	*v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		bound_port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
							   : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

int pl_http_start(const pl_http_opts *o, pl_config *cfg, char *err, size_t errlen)
{
	pthread_rwlockattr_t ra;
	pthread_rwlockattr_init(&ra);
	/* a SIGHUP reload must not wait behind a steady stream of reviews */
	pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&cfg_lock, &ra);
	pthread_rwlockattr_destroy(&ra);
	config = cfg;
	use_tls = o->tls;
	bool v6 = false;
	listen_fd = open_listener(o->listen, &v6, err, errlen);
	if (listen_fd < 0)
		return -1;
	/* poll, not epoll: with epoll, libmicrohttpd 0.9.75 does not notice a client that
	 * closes in the middle of a body, so its request would stay in flight until the idle
	 * timeout (and hold a graceful shutdown that long); tests/hostile/serve.sh checks it */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0) | (o->tls ? MHD_USE_TLS : 0);
	struct MHD_OptionItem tls_opts[] = {
		/* TLS 1.2 and 1.3 only, GnuTLS's default ciphers for them */
		{MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"},
		{MHD_OPTION_HTTPS_CERT_CALLBACK, 0, (void *)pl_tls_retrieve},
		{MHD_OPTION_END, 0, NULL},
	};
	daemon_ = MHD_start_daemon(
		flags, 0, NULL, NULL, handle, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, /* first, or MHD warns on stderr */
		MHD_OPTION_LISTEN_SOCKET, listen_fd,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->workers ? o->workers : 1),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)PL_HTTP_MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)PL_HTTP_IDLE_TIMEOUT,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
		MHD_OPTION_ARRAY, o->tls ? tls_opts : tls_opts + 2,
		MHD_OPTION_END);
	if (!daemon_) {
		snprintf(err, errlen, "cannot start the HTTP server on %s", o->listen);
		close(listen_fd);
		listen_fd = -1;
		return -1;
	}
	listen_fd = -1; /* the daemon's now: quiesce hands it back, stop closes it */
	return 0;
}

int pl_http_port(void) { return bound_port; }

void pl_http_set_config(pl_config *cfg)
{
	pthread_rwlock_wrlock(&cfg_lock);
	pl_config *old = config;
	config = cfg;
	pthread_rwlock_unlock(&cfg_lock);
	/* the write lock was held, so no review still reads the old one */
	if (old) {
		pl_config_free(old);
		free(old);
	}
}

void pl_http_unready(void) { atomic_store(&draining, true); }

void pl_http_quiesce(void)
{
	atomic_store(&draining, true);
	if (atomic_exchange(&quiescing, true) || !daemon_)
		return;
	MHD_socket fd = MHD_quiesce_daemon(daemon_);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
}

unsigned pl_http_in_flight(void) { return atomic_load(&in_flight); }

void pl_http_stop(void)
{
	if (daemon_)
		MHD_stop_daemon(daemon_);
	daemon_ = NULL;
	pl_http_set_config(NULL);
	pthread_rwlock_destroy(&cfg_lock);
}
