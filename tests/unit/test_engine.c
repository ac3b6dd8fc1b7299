/* test_engine.c - the Engine API client: fixture names, replay end to end, host parsing,
 * fault injection against sockets this test serves itself, and the real daemon when there
 * is one (skipped otherwise, failed under CI=true). */
#include "live/engine.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define DOCKER_SOCK "/var/run/docker.sock"

/* --- helpers ------------------------------------------------------------------------ */

static char *tmpdir(void)
{
	char *d = strdup("/tmp/pl-engine-test-XXXXXX");
	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

/* A flat directory: its files, then itself. */
static void rmtree(char *d)
{
	DIR *dh = opendir(d);
	if (dh) {
		struct dirent *de;
		while ((de = readdir(dh)) != NULL) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char p[4096];
			snprintf(p, sizeof p, "%s/%s", d, de->d_name);
			unlink(p);
		}
		closedir(dh);
	}
	rmdir(d);
	free(d);
}

static void put(const char *dir, const char *name, const char *data, size_t n)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void puts_(const char *dir, const char *name, const char *s)
{
	put(dir, name, s, strlen(s));
}

static bool exists(const char *dir, const char *name)
{
	char p[4096];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return stat(p, &st) == 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* A replay directory with a ping and a version answer. */
static char *replay_dir(const char *version_json)
{
	char *d = tmpdir();
	puts_(d, "__ping", "OK");
	puts_(d, "_version", version_json);
	return d;
}

#define VERSION_JSON(api, min)                                                             \
	"{\"Version\":\"20.10.24\",\"ApiVersion\":\"" api "\",\"MinAPIVersion\":\"" min "\"}"

/* --- fixture names ------------------------------------------------------------------ */

static void test_fixture_names(void **state)
{
	(void)state;
	char out[256];
	pl_engine_fixture_name("/containers/json", out, sizeof out);
	assert_string_equal(out, "_containers_json");
	pl_engine_fixture_name("/_ping", out, sizeof out);
	assert_string_equal(out, "__ping");
	pl_engine_fixture_name("/containers/json?all=1&filters={\"a\":1}", out, sizeof out);
	assert_string_equal(out, "_containers_json_all_1_filters___a__1_");
	pl_engine_fixture_name("http://172.17.0.2:8080/metrics", out, sizeof out);
	assert_string_equal(out, "http___172.17.0.2_8080_metrics");
	pl_engine_fixture_name("a\xff\x01 \xc3\xa9-Z.9_", out, sizeof out);
	assert_string_equal(out, "a_____-Z.9_");
	/* names that would be the directory or its parent */
	pl_engine_fixture_name("..", out, sizeof out);
	assert_string_equal(out, "__");
	pl_engine_fixture_name("", out, sizeof out);
	assert_string_equal(out, "_");
	/* a small buffer is cut, still terminated */
	pl_engine_fixture_name("/containers/json", out, 5);
	assert_string_equal(out, "_con");
}

static void test_fixture_names_long(void **state)
{
	(void)state;
	char key[400], out[256], out2[256];
	memset(key, 'a', 300);
	key[300] = '\0';
	pl_engine_fixture_name(key, out, sizeof out);
	assert_int_equal(strlen(out), 200);
	for (int i = 0; i < 183; i++)
		assert_int_equal(out[i], 'a');
	assert_int_equal(out[183], '-');
	for (int i = 184; i < 200; i++)
		assert_non_null(strchr("0123456789abcdef", out[i]));
	/* same start, different end: different names */
	key[299] = 'b';
	pl_engine_fixture_name(key, out2, sizeof out2);
	assert_int_equal(strlen(out2), 200);
	assert_memory_equal(out, out2, 184);
	assert_string_not_equal(out, out2);
	/* exactly 200 bytes: kept as is */
	key[200] = '\0';
	pl_engine_fixture_name(key, out, sizeof out);
	assert_int_equal(strlen(out), 200);
	assert_null(strchr(out, '-'));
	/* the same key always gives the same name */
	key[200] = 'a';
	pl_engine_fixture_name(key, out, sizeof out);
	pl_engine_fixture_name(key, out2, sizeof out2);
	assert_string_equal(out, out2);
}

/* --- replay ------------------------------------------------------------------------- */

static int open_replay(const char *dir, pl_engine **e, char *err, size_t errlen)
{
	pl_engine_opts o = {.tls = -1, .replay_dir = dir};
	return pl_engine_open(e, &o, err, errlen);
}

static void test_replay_negotiation(void **state)
{
	(void)state;
	char err[512];
	pl_engine *e;
	char *d = replay_dir(VERSION_JSON("1.41", "1.12"));
	assert_int_equal(open_replay(d, &e, err, sizeof err), 0);
	assert_string_equal(pl_engine_api_version(e), "1.41");
	assert_string_equal(pl_engine_server_version(e), "20.10.24");
	char want[4200];
	snprintf(want, sizeof want, "replay:%s", d);
	assert_string_equal(pl_engine_endpoint(e), want);
	pl_engine_close(e);
	rmtree(d);

	d = replay_dir(VERSION_JSON("1.99", "1.24"));
	assert_int_equal(open_replay(d, &e, err, sizeof err), 0);
	assert_string_equal(pl_engine_api_version(e), PL_ENGINE_API_MAX);
	pl_engine_close(e);
	rmtree(d);

	/* numeric, not string order: 1.100 is newer than 1.45 */
	d = replay_dir(VERSION_JSON("1.100", "1.24"));
	assert_int_equal(open_replay(d, &e, err, sizeof err), 0);
	assert_string_equal(pl_engine_api_version(e), PL_ENGINE_API_MAX);
	pl_engine_close(e);
	rmtree(d);

	/* an old engine without MinAPIVersion (API 1.24) */
	d = replay_dir("{\"Version\":\"1.12.6\",\"ApiVersion\":\"1.24\"}");
	assert_int_equal(open_replay(d, &e, err, sizeof err), 0);
	assert_string_equal(pl_engine_api_version(e), "1.24");
	pl_engine_close(e);
	rmtree(d);
}

static void test_replay_refused(void **state)
{
	(void)state;
	char err[512];
	pl_engine *e = (pl_engine *)1;
	char *d = replay_dir(VERSION_JSON("1.12", "1.12"));
	assert_int_equal(open_replay(d, &e, err, sizeof err), -1);
	assert_null(e);
	assert_non_null(strstr(err, "1.12"));
	assert_non_null(strstr(err, PL_ENGINE_API_MIN));
	rmtree(d);

	/* 1.9 is older than 1.24, though "1.9" > "1.24" as strings */
	d = replay_dir(VERSION_JSON("1.9", "1.0"));
	assert_int_equal(open_replay(d, &e, err, sizeof err), -1);
	assert_non_null(strstr(err, "1.9"));
	rmtree(d);

	/* an engine that dropped everything plimsoll speaks */
	d = replay_dir(VERSION_JSON("1.60", "1.50"));
	assert_int_equal(open_replay(d, &e, err, sizeof err), -1);
	assert_non_null(strstr(err, "1.50"));
	rmtree(d);
}

static void test_replay_garbage_version(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"not json at all",
		"",
		"[1,2]",
		"{}",
		"{\"ApiVersion\":1.41,\"Version\":\"x\"}",
		"{\"ApiVersion\":\"one.two\",\"Version\":\"x\"}",
		"{\"ApiVersion\":\"1.41x\",\"Version\":\"x\"}",
		"{\"ApiVersion\":\"1.41\"}",
		"{\"ApiVersion\":\"1.\",\"Version\":\"x\"}",
		"{\"ApiVersion\":\"99999999999999999999.1\",\"Version\":\"x\"}",
		"\xff\xfe\x00garbage",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char err[512] = "";
		pl_engine *e;
		char *d = tmpdir();
		puts_(d, "__ping", "OK");
		put(d, "_version", bad[i], i == sizeof bad / sizeof *bad - 1 ? 10 : strlen(bad[i]));
		assert_int_equal(open_replay(d, &e, err, sizeof err), -1);
		assert_non_null(strstr(err, "/version"));
		rmtree(d);
	}
	/* a ping that is not "OK", a version that is an error answer, no ping at all */
	char err[512];
	pl_engine *e;
	char *d = replay_dir(VERSION_JSON("1.41", "1.12"));
	puts_(d, "__ping", "<html>proxy</html>");
	assert_int_equal(open_replay(d, &e, err, sizeof err), -1);
	assert_non_null(strstr(err, "/_ping"));
	puts_(d, "__ping", "OK");
	puts_(d, "_version.status", "500\n");
	assert_int_equal(open_replay(d, &e, err, sizeof err), -1);
	assert_non_null(strstr(err, "500"));
	rmtree(d);
	d = tmpdir();
	assert_int_equal(open_replay(d, &e, err, sizeof err), -1);
	rmtree(d);
	assert_int_equal(open_replay("/nonexistent/pl-replay", &e, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/pl-replay"));
}

static void test_replay_get_fetch(void **state)
{
	(void)state;
	char err[512] = "";
	pl_engine *e;
	char *d = replay_dir(VERSION_JSON("1.41", "1.12"));
	puts_(d, "_containers_json_all_1", "[{\"Id\":\"abc\"}]");
	puts_(d, "_containers_gone_json", "{\"message\":\"No such container: gone\"}");
	puts_(d, "_containers_gone_json.status", "404\n");
	puts_(d, "http___127.0.0.1_9090_metrics", "# TYPE up gauge\nup 1\n");
	puts_(d, "http___127.0.0.1_9090_metrics.type", "text/plain; version=0.0.4\n");
	char big[100];
	memset(big, 'x', sizeof big);
	put(d, "_big", big, sizeof big);
	assert_int_equal(open_replay(d, &e, err, sizeof err), 0);

	pl_http_resp r;
	assert_int_equal(pl_engine_get(e, "/containers/json?all=1", 1 << 20, &r, err, sizeof err),
			 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "[{\"Id\":\"abc\"}]");
	assert_int_equal(r.len, 14);
	assert_false(r.truncated);
	assert_string_equal(r.content_type, "application/json");
	pl_http_resp_free(&r);

	assert_int_equal(pl_engine_get(e, "/containers/gone/json", 1 << 20, &r, err, sizeof err),
			 0);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body, "No such container"));
	pl_http_resp_free(&r);

	/* not recorded: the Engine's own way of saying so */
	assert_int_equal(pl_engine_get(e, "/images/json", 1 << 20, &r, err, sizeof err), 0);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.body, "{\"message\":\"not recorded: /images/json\"}");
	assert_string_equal(r.content_type, "application/json");
	pl_http_resp_free(&r);

	/* the cap holds in replay too */
	assert_int_equal(pl_engine_get(e, "/big", 10, &r, err, sizeof err), 0);
	assert_int_equal(r.len, 10);
	assert_true(r.truncated);
	assert_int_equal(r.body[10], '\0');
	pl_http_resp_free(&r);
	assert_int_equal(pl_engine_get(e, "/big", 100, &r, err, sizeof err), 0);
	assert_int_equal(r.len, 100);
	assert_false(r.truncated);
	pl_http_resp_free(&r);

	assert_int_equal(pl_engine_get(e, "/bad path", 100, &r, err, sizeof err), -1);
	assert_null(r.body);
	assert_int_equal(pl_engine_get(e, "no-slash", 100, &r, err, sizeof err), -1);

	assert_int_equal(pl_engine_fetch(e, "http://127.0.0.1:9090/metrics", 1 << 20, 1000, &r,
					 err, sizeof err),
			 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/plain; version=0.0.4");
	assert_string_equal(r.body, "# TYPE up gauge\nup 1\n");
	pl_http_resp_free(&r);

	err[0] = '\0';
	assert_int_equal(pl_engine_fetch(e, "http://127.0.0.1:9091/metrics", 1 << 20, 1000, &r,
					 err, sizeof err),
			 -1);
	assert_null(r.body);
	assert_non_null(strstr(err, "not recorded"));
	assert_int_equal(pl_engine_fetch(e, "file:///etc/passwd", 1 << 20, 1000, &r, err,
					 sizeof err),
			 -1);
	assert_non_null(strstr(err, "http://"));
	pl_engine_close(e);
	rmtree(d);
}

typedef struct lines {
	int n;
	char got[8][64];
	int stop_after;                /* cb returns 1 at this count; 0 never */
	volatile sig_atomic_t *stop;   /* or sets *stop at stop_after */
	size_t longest;
} lines;

static int on_line(void *ud, const char *line, size_t len)
{
	lines *l = ud;
	if (l->n < 8)
		snprintf(l->got[l->n], sizeof l->got[0], "%.*s", (int)len, line);
	if (len > l->longest)
		l->longest = len;
	assert_int_equal(line[len], '\0');
	l->n++;
	if (l->stop_after && l->n >= l->stop_after) {
		if (l->stop) {
			*l->stop = 1;
			return 0;
		}
		return 1;
	}
	return 0;
}

static void test_replay_stream(void **state)
{
	(void)state;
	char err[512];
	pl_engine *e;
	char *d = replay_dir(VERSION_JSON("1.41", "1.12"));
	puts_(d, "_events", "{\"a\":1}\n{\"b\":2}\r\n\n{\"c\":3}");
	/* a line over 1 MiB is dropped, the ones around it kept */
	size_t hn = (1u << 20) + 10;
	char *huge = malloc(hn + 20);
	assert_non_null(huge);
	memcpy(huge, "first\n", 6);
	memset(huge + 6, 'x', hn);
	memcpy(huge + 6 + hn, "\nlast\n", 6);
	put(d, "_events_huge", huge, hn + 12);
	free(huge);
	assert_int_equal(open_replay(d, &e, err, sizeof err), 0);

	lines l = {0};
	assert_int_equal(pl_engine_stream(e, "/events", 0, on_line, &l, NULL, err, sizeof err), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.got[0], "{\"a\":1}");
	assert_string_equal(l.got[1], "{\"b\":2}");
	assert_string_equal(l.got[2], "");
	assert_string_equal(l.got[3], "{\"c\":3}");

	lines l2 = {.stop_after = 2};
	assert_int_equal(pl_engine_stream(e, "/events", 0, on_line, &l2, NULL, err, sizeof err),
			 0);
	assert_int_equal(l2.n, 2);

	volatile sig_atomic_t stop = 0;
	lines l3 = {.stop_after = 1, .stop = &stop};
	assert_int_equal(pl_engine_stream(e, "/events", 0, on_line, &l3, &stop, err, sizeof err),
			 0);
	assert_true(l3.n <= 4 && l3.n >= 1);

	lines l4 = {0};
	assert_int_equal(pl_engine_stream(e, "/events/huge", 0, on_line, &l4, NULL, err,
					  sizeof err),
			 0);
	assert_int_equal(l4.n, 2);
	assert_string_equal(l4.got[0], "first");
	assert_string_equal(l4.got[1], "last");

	lines l5 = {0};
	assert_int_equal(pl_engine_stream(e, "/nothing", 0, on_line, &l5, NULL, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "not recorded"));
	pl_engine_close(e);
	rmtree(d);
}

/* --- where the engine is ------------------------------------------------------------ */

static void test_host_errors(void **state)
{
	(void)state;
	char err[512];
	pl_engine *e;
	pl_engine_opts o = {.tls = -1};
	setenv("DOCKER_HOST", "ssh://user@build-host", 1);
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "ssh://"));
	assert_non_null(strstr(err, "not supported"));
	setenv("DOCKER_HOST", "npipe:////./pipe/docker_engine", 1);
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "npipe://"));
	setenv("DOCKER_HOST", "garbage", 1);
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "garbage"));
	setenv("DOCKER_HOST", "unix://relative.sock", 1);
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "absolute"));
	setenv("DOCKER_HOST", "tcp://", 1);
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	setenv("DOCKER_HOST", "tcp://host:2375/some/path", 1);
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	setenv("DOCKER_HOST", "tcp://127.0.0.1:99999", 1);
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "port"));
	setenv("DOCKER_HOST", "tcp://127.0.0.1:http", 1);
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "port"));
	setenv("DOCKER_HOST", "unix:///tmp/with space.sock", 1);
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);

	/* TLS from the environment, certificates missing: named */
	setenv("DOCKER_HOST", "tcp://127.0.0.1:1", 1);
	setenv("DOCKER_TLS_VERIFY", "1", 1);
	setenv("DOCKER_CERT_PATH", "/nonexistent/pl-certs", 1);
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/pl-certs/ca.pem"));
	unsetenv("DOCKER_TLS_VERIFY");
	unsetenv("DOCKER_CERT_PATH");
	unsetenv("DOCKER_HOST");

	/* TLS asked in the options, ca.pem there but not the key */
	char *d = tmpdir();
	puts_(d, "ca.pem", "x");
	puts_(d, "cert.pem", "x");
	pl_engine_opts t = {.host = "tcp://127.0.0.1:1", .tls = 1, .cert_path = d};
	assert_int_equal(pl_engine_open(&e, &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "key.pem"));
	rmtree(d);

	pl_engine_opts both = {.tls = -1, .record_dir = "/tmp", .replay_dir = "/tmp"};
	assert_int_equal(pl_engine_open(&e, &both, err, sizeof err), -1);
}

static void test_absent_socket(void **state)
{
	(void)state;
	char err[512];
	pl_engine *e;
	pl_engine_opts o = {.host = "unix:///tmp/pl-engine-no-such.sock", .tls = -1};
	double t0 = now_ms();
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	assert_true(now_ms() - t0 < 1000);
	assert_non_null(strstr(err, "cannot connect to the Docker Engine at "
				    "unix:///tmp/pl-engine-no-such.sock"));
	assert_non_null(strstr(err, "is dockerd running?"));

	/* a socket file nobody listens on: refused */
	char *d = tmpdir();
	char path[100];
	snprintf(path, sizeof path, "%s/dead.sock", d);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	close(fd);
	char host[300];
	snprintf(host, sizeof host, "unix://%s", path);
	o.host = host;
	t0 = now_ms();
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	assert_true(now_ms() - t0 < 1000);
	assert_non_null(strstr(err, "Couldn't connect to server"));
	assert_non_null(strstr(err, "is dockerd running?"));
	rmtree(d);
}

/* --- fault injection: a server run by the test ----------------------------------------- */

enum mode { SILENT, GARBAGE, ENDLESS, LINES, NOT_FOUND };

typedef struct server {
	int lfd;
	volatile enum mode mode;   /* changed by the test between connections */
	volatile bool fake_engine; /* answer /_ping and /version properly first */
	volatile int quit;
	pthread_t th;
	char dir[64];
	char host[128];
	int port;
} server;

static void send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void answer(int fd, const char *type, const char *body)
{
	char h[256];
	snprintf(h, sizeof h, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n", type, strlen(body));
	send_all(fd, h, strlen(h));
	send_all(fd, body, strlen(body));
}

/* Wait until the peer goes away or the test ends. */
static void hold(server *s, int fd)
{
	char b[512];
	while (!s->quit) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 50) > 0 && read(fd, b, sizeof b) <= 0)
			return;
	}
}

static void serve_one(server *s, int fd)
{
	char req[4096];
	ssize_t n = read(fd, req, sizeof req - 1);
	if (n <= 0)
		return;
	req[n] = '\0';
	if (s->fake_engine && strstr(req, "GET /_ping ")) {
		answer(fd, "text/plain; charset=utf-8", "OK");
		return;
	}
	if (s->fake_engine && strstr(req, "GET /version ")) {
		answer(fd, "application/json", VERSION_JSON("1.41", "1.12"));
		return;
	}
	static const char ok_head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n";
	static const char garbage[] = "\x00\x01\x02 SSH-2.0-OpenSSH_9.2\r\n\xff\xfe junk\n";
	static const char nf[] = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
				 "Content-Length: 27\r\nConnection: close\r\n\r\n"
				 "{\"message\":\"no such thing\"}";
	char chunk[4096];
	switch (s->mode) {
	case SILENT:
		hold(s, fd);
		break;
	case GARBAGE:
		send_all(fd, garbage, sizeof garbage - 1);
		break;
	case ENDLESS: /* no length, no end: only the client can stop it */
		memset(chunk, 'z', sizeof chunk);
		send_all(fd, ok_head, sizeof ok_head - 1);
		while (!s->quit && send(fd, chunk, sizeof chunk, MSG_NOSIGNAL) > 0)
			;
		break;
	case LINES:
		send_all(fd, ok_head, sizeof ok_head - 1);
		for (int i = 0; !s->quit; i++) {
			int k = snprintf(chunk, sizeof chunk, "{\"n\":%d}\n", i);
			if (send(fd, chunk, (size_t)k, MSG_NOSIGNAL) <= 0)
				break;
			usleep(10000);
		}
		break;
	case NOT_FOUND:
		send_all(fd, nf, sizeof nf - 1);
		break;
	}
}

static void *server_main(void *arg)
{
	server *s = arg;
	while (!s->quit) {
		struct pollfd p = {.fd = s->lfd, .events = POLLIN};
		if (poll(&p, 1, 50) <= 0)
			continue;
		int fd = accept(s->lfd, NULL, NULL);
		if (fd < 0)
			continue;
		serve_one(s, fd);
		close(fd);
	}
	return NULL;
}

static server *serve_unix(enum mode mode, bool fake_engine)
{
	server *s = calloc(1, sizeof *s);
	assert_non_null(s);
	s->mode = mode;
	s->fake_engine = fake_engine;
	snprintf(s->dir, sizeof s->dir, "/tmp/pl-engine-srv-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s/d.sock", s->dir);
	snprintf(s->host, sizeof s->host, "unix://%s", sa.sun_path);
	s->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(s->lfd >= 0);
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(s->lfd, 8), 0);
	assert_int_equal(pthread_create(&s->th, NULL, server_main, s), 0);
	return s;
}

/* Loopback only: 127.0.0.1 on a port the kernel picks. */
static server *serve_tcp(enum mode mode)
{
	server *s = calloc(1, sizeof *s);
	assert_non_null(s);
	s->mode = mode;
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->lfd >= 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	socklen_t sl = sizeof sa;
	assert_int_equal(getsockname(s->lfd, (struct sockaddr *)&sa, &sl), 0);
	s->port = ntohs(sa.sin_port);
	assert_int_equal(listen(s->lfd, 8), 0);
	assert_int_equal(pthread_create(&s->th, NULL, server_main, s), 0);
	return s;
}

static void server_stop(server *s)
{
	s->quit = 1;
	pthread_join(s->th, NULL);
	close(s->lfd);
	if (s->dir[0]) {
		char p[128];
		snprintf(p, sizeof p, "%s/d.sock", s->dir);
		unlink(p);
		rmdir(s->dir);
	}
	free(s);
}

static pl_engine *open_fake(server *s, long timeout_ms)
{
	char err[512] = "";
	pl_engine *e = NULL;
	pl_engine_opts o = {.host = s->host, .tls = 0, .timeout_ms = timeout_ms};
	int rc = pl_engine_open(&e, &o, err, sizeof err);
	if (rc)
		fail_msg("open %s: %s", s->host, err);
	assert_string_equal(pl_engine_api_version(e), "1.41");
	return e;
}

static void test_fault_silent(void **state)
{
	(void)state;
	server *s = serve_unix(SILENT, true);
	pl_engine *e = open_fake(s, 400);
	char err[512] = "";
	pl_http_resp r;
	double t0 = now_ms();
	assert_int_equal(pl_engine_get(e, "/containers/json", 1 << 20, &r, err, sizeof err), -1);
	double took = now_ms() - t0;
	assert_true(took >= 350 && took < 400 + 1500);
	assert_null(r.body);
	assert_non_null(strstr(err, "did not answer within 0.4 s"));

	/* a stream that never answers is not had */
	lines l = {0};
	err[0] = '\0';
	t0 = now_ms();
	assert_int_equal(pl_engine_stream(e, "/events", 300, on_line, &l, NULL, err, sizeof err),
			 -1);
	assert_true(now_ms() - t0 < 300 + 1500);
	assert_non_null(strstr(err, "did not answer"));
	pl_engine_close(e);

	/* and open against it fails in bounded time too */
	s->fake_engine = false;
	pl_engine_opts o = {.host = s->host, .tls = 0, .timeout_ms = 300};
	t0 = now_ms();
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	assert_true(now_ms() - t0 < 300 + 1500);
	assert_non_null(strstr(err, "cannot connect to the Docker Engine at unix://"));
	assert_non_null(strstr(err, "did not answer within 0.3 s"));
	server_stop(s);
}

static void test_fault_garbage(void **state)
{
	(void)state;
	server *s = serve_unix(GARBAGE, true);
	pl_engine *e = open_fake(s, 1000);
	char err[512] = "";
	pl_http_resp r;
	int rc = pl_engine_get(e, "/containers/json", 1 << 20, &r, err, sizeof err);
	assert_true(rc == -1 || r.status == 0);
	if (rc == 0)
		pl_http_resp_free(&r);
	assert_non_null(strstr(err, "not HTTP"));
	pl_engine_close(e);

	s->fake_engine = false;
	pl_engine_opts o = {.host = s->host, .tls = 0, .timeout_ms = 1000};
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "not HTTP"));
	server_stop(s);
}

static void test_fault_endless(void **state)
{
	(void)state;
	server *s = serve_unix(ENDLESS, true);
	pl_engine *e = open_fake(s, 3000);
	char err[512] = "";
	pl_http_resp r;
	assert_int_equal(pl_engine_get(e, "/containers/json", 65536, &r, err, sizeof err), 0);
	assert_int_equal(r.status, 200);
	assert_true(r.truncated);
	assert_int_equal(r.len, 65536);
	assert_int_equal(r.body[65536], '\0');
	assert_string_equal(r.content_type, "text/plain");
	pl_http_resp_free(&r);
	/* a cap that falls inside the first write */
	assert_int_equal(pl_engine_get(e, "/x", 1, &r, err, sizeof err), 0);
	assert_int_equal(r.len, 1);
	assert_true(r.truncated);
	pl_http_resp_free(&r);
	pl_engine_close(e);
	server_stop(s);
}

static void test_fault_stream(void **state)
{
	(void)state;
	server *s = serve_unix(LINES, true);
	pl_engine *e = open_fake(s, 1000);
	char err[512] = "";
	/* the time limit ends the stream normally */
	lines l = {0};
	double t0 = now_ms();
	assert_int_equal(pl_engine_stream(e, "/events", 300, on_line, &l, NULL, err, sizeof err),
			 0);
	double took = now_ms() - t0;
	assert_true(took >= 250 && took < 300 + 1500);
	assert_true(l.n >= 2);
	assert_string_equal(l.got[0], "{\"n\":0}");
	assert_string_equal(l.got[1], "{\"n\":1}");
	/* the callback stops it */
	lines l2 = {.stop_after = 3};
	assert_int_equal(pl_engine_stream(e, "/events", 0, on_line, &l2, NULL, err, sizeof err),
			 0);
	assert_int_equal(l2.n, 3);
	/* *stop stops it within its 200 ms promise */
	volatile sig_atomic_t stop = 0;
	lines l3 = {.stop_after = 2, .stop = &stop};
	t0 = now_ms();
	assert_int_equal(pl_engine_stream(e, "/events", 0, on_line, &l3, &stop, err, sizeof err),
			 0);
	assert_true(now_ms() - t0 < 1500);
	assert_true(l3.n >= 2 && l3.n < 30);
	pl_engine_close(e);

	/* an error answer is "could not be had", with the Engine's message */
	s->mode = NOT_FOUND;
	e = open_fake(s, 1000);
	lines l4 = {0};
	assert_int_equal(pl_engine_stream(e, "/events", 1000, on_line, &l4, NULL, err, sizeof err),
			 -1);
	assert_int_equal(l4.n, 0);
	assert_non_null(strstr(err, "404"));
	assert_non_null(strstr(err, "no such thing"));
	pl_http_resp r;
	assert_int_equal(pl_engine_get(e, "/containers/x/json", 1 << 20, &r, err, sizeof err), 0);
	assert_int_equal(r.status, 404);
	pl_http_resp_free(&r);
	pl_engine_close(e);
	server_stop(s);
}

static void test_fault_fetch(void **state)
{
	(void)state;
	char err[512] = "", url[128];
	/* fetch is not through the engine: any opened engine will do */
	server *s = serve_unix(SILENT, true);
	pl_engine *e = open_fake(s, 1000);
	server *t = serve_tcp(LINES);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", t->port);
	pl_http_resp r;
	/* streams forever, a cap far off: cut at the time limit, kept */
	double t0 = now_ms();
	assert_int_equal(pl_engine_fetch(e, url, (size_t)1 << 40, 300, &r, err, sizeof err), 0);
	assert_true(now_ms() - t0 < 300 + 1500);
	assert_int_equal(r.status, 200);
	assert_true(r.truncated);
	assert_true(r.len > 0);
	assert_memory_equal(r.body, "{\"n\":0}\n", 8);
	pl_http_resp_free(&r);
	server_stop(t);
	/* cut at the cap */
	t = serve_tcp(ENDLESS);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", t->port);
	assert_int_equal(pl_engine_fetch(e, url, 1000, 3000, &r, err, sizeof err), 0);
	assert_int_equal(r.len, 1000);
	assert_true(r.truncated);
	pl_http_resp_free(&r);
	server_stop(t);

	t = serve_tcp(SILENT);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", t->port);
	t0 = now_ms();
	assert_int_equal(pl_engine_fetch(e, url, 1 << 20, 300, &r, err, sizeof err), -1);
	assert_true(now_ms() - t0 < 300 + 1500);
	assert_null(r.body);
	assert_non_null(strstr(err, "within 0.3 s"));
	server_stop(t);

	t = serve_tcp(GARBAGE);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", t->port);
	assert_int_equal(pl_engine_fetch(e, url, 1 << 20, 1000, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "not HTTP"));
	server_stop(t);

	/* a closed port: refused */
	assert_int_equal(pl_engine_fetch(e, "http://127.0.0.1:1/metrics", 1 << 20, 1000, &r, err,
					 sizeof err),
			 -1);
	assert_non_null(strstr(err, "127.0.0.1:1"));
	pl_engine_close(e);
	server_stop(s);
}

/* With TLS the client files are handed to libcurl: unusable ones fail the handshake. */
static void test_tls_used(void **state)
{
	(void)state;
	char *d = tmpdir();
	puts_(d, "ca.pem", "not a certificate");
	puts_(d, "cert.pem", "not a certificate");
	puts_(d, "key.pem", "not a key");
	server *t = serve_tcp(SILENT);
	char host[64], err[512] = "";
	snprintf(host, sizeof host, "tcp://127.0.0.1:%d", t->port);
	pl_engine *e;
	pl_engine_opts o = {.host = host, .tls = -1, .timeout_ms = 500};
	setenv("DOCKER_CERT_PATH", d, 1); /* set alone: TLS, as the docker CLI reads it */
	assert_int_equal(pl_engine_open(&e, &o, err, sizeof err), -1);
	unsetenv("DOCKER_CERT_PATH");
	assert_non_null(strstr(err, host));
	assert_null(strstr(err, "not HTTP"));
	assert_true(strstr(err, "certificate") || strstr(err, "PEM") || strstr(err, "SSL"));
	server_stop(t);
	rmtree(d);
}

/* --- the real daemon ---------------------------------------------------------------- */

/* The local daemon, or NULL after skip() (or a failure under CI=true). */
static pl_engine *real_engine(const char *record_dir)
{
	char err[512];
	pl_engine *e = NULL;
	pl_engine_opts o = {.host = "unix://" DOCKER_SOCK, .tls = 0, .record_dir = record_dir};
	if (pl_engine_open(&e, &o, err, sizeof err) == 0)
		return e;
	const char *ci = getenv("CI");
	if (ci && !strcmp(ci, "true"))
		fail_msg("no Docker Engine under CI: %s", err);
	print_message("no Docker Engine here, skipped: %s\n", err);
	return NULL;
}

typedef struct getter {
	pl_engine *e;
	int ok;
} getter;

static void *get_many(void *arg)
{
	getter *g = arg;
	for (int i = 0; i < 10; i++) {
		char err[512];
		pl_http_resp r;
		if (pl_engine_get(g->e, "/_ping", 64, &r, err, sizeof err) == 0) {
			g->ok += r.status == 200 && r.len == 2;
			pl_http_resp_free(&r);
		}
	}
	return NULL;
}

static void test_real_daemon(void **state)
{
	(void)state;
	pl_engine *e = real_engine(NULL);
	if (!e) {
		skip();
		return;
	}
	char err[512] = "";
	assert_string_equal(pl_engine_endpoint(e), "unix://" DOCKER_SOCK);
	assert_true(pl_engine_api_version(e)[0] != '\0');
	assert_true(pl_engine_server_version(e)[0] != '\0');
	pl_http_resp r;
	assert_int_equal(pl_engine_get(e, "/containers/json", 16 << 20, &r, err, sizeof err), 0);
	assert_int_equal(r.status, 200);
	assert_false(r.truncated);
	assert_true(r.len >= 2 && r.body[0] == '[');
	assert_non_null(strstr(r.content_type, "application/json"));
	pl_http_resp_free(&r);
	/* the Engine's own errors are answers */
	assert_int_equal(pl_engine_get(e, "/containers/pl-no-such-container/json", 1 << 20, &r,
				       err, sizeof err),
			 0);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body, "message"));
	pl_http_resp_free(&r);
	assert_int_equal(pl_engine_get(e, "/version", 10, &r, err, sizeof err), 0);
	assert_int_equal(r.len, 10);
	assert_true(r.truncated);
	pl_http_resp_free(&r);
	/* the events stream: quiet, ended by the time limit */
	lines l = {0};
	assert_int_equal(pl_engine_stream(e, "/events", 300, on_line, &l, NULL, err, sizeof err),
			 0);
	/* one handle per call: threads at once */
	getter g[4] = {{e, 0}, {e, 0}, {e, 0}, {e, 0}};
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, get_many, &g[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(g[i].ok, 10);
	}
	pl_engine_close(e);
}

static void test_real_record_replay(void **state)
{
	(void)state;
	char *d = tmpdir();
	pl_engine *e = real_engine(d);
	if (!e) {
		rmtree(d);
		skip();
		return;
	}
	char err[512] = "";
	char api[16];
	snprintf(api, sizeof api, "%s", pl_engine_api_version(e));
	pl_http_resp r, g;
	assert_int_equal(pl_engine_get(e, "/containers/json?all=1", 16 << 20, &r, err, sizeof err),
			 0);
	assert_int_equal(pl_engine_get(e, "/containers/pl-no-such/json", 1 << 20, &g, err,
				       sizeof err),
			 0);
	lines l = {0};
	assert_int_equal(pl_engine_stream(e, "/events", 200, on_line, &l, NULL, err, sizeof err),
			 0);
	pl_engine_close(e);
	assert_true(exists(d, "__ping"));
	assert_true(exists(d, "__ping.type")); /* text/plain */
	assert_true(exists(d, "_version"));
	assert_false(exists(d, "_version.status"));
	assert_true(exists(d, "_containers_json_all_1"));
	assert_true(exists(d, "_containers_pl-no-such_json"));
	assert_true(exists(d, "_containers_pl-no-such_json.status"));
	assert_true(exists(d, "_events"));

	/* the recording answers as the daemon did */
	assert_int_equal(open_replay(d, &e, err, sizeof err), 0);
	assert_string_equal(pl_engine_api_version(e), api);
	pl_http_resp r2;
	assert_int_equal(pl_engine_get(e, "/containers/json?all=1", 16 << 20, &r2, err,
				       sizeof err),
			 0);
	assert_int_equal(r2.status, r.status);
	assert_int_equal(r2.len, r.len);
	assert_memory_equal(r2.body, r.body, r.len);
	pl_http_resp_free(&r2);
	assert_int_equal(pl_engine_get(e, "/containers/pl-no-such/json", 1 << 20, &r2, err,
				       sizeof err),
			 0);
	assert_int_equal(r2.status, 404);
	assert_string_equal(r2.body, g.body);
	pl_http_resp_free(&r2);
	pl_engine_close(e);
	pl_http_resp_free(&r);
	pl_http_resp_free(&g);
	rmtree(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_names),
		cmocka_unit_test(test_fixture_names_long),
		cmocka_unit_test(test_replay_negotiation),
		cmocka_unit_test(test_replay_refused),
		cmocka_unit_test(test_replay_garbage_version),
		cmocka_unit_test(test_replay_get_fetch),
		cmocka_unit_test(test_replay_stream),
		cmocka_unit_test(test_host_errors),
		cmocka_unit_test(test_absent_socket),
		cmocka_unit_test(test_fault_silent),
		cmocka_unit_test(test_fault_garbage),
		cmocka_unit_test(test_fault_endless),
		cmocka_unit_test(test_fault_stream),
		cmocka_unit_test(test_fault_fetch),
		cmocka_unit_test(test_tls_used),
		cmocka_unit_test(test_real_daemon),
		cmocka_unit_test(test_real_record_replay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
