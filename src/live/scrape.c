/* scrape.c - a running container's metrics endpoint: where it is, and what it serves.
 *
 * The path is the caller's, else the prometheus.io/path label, else /metrics; the port the
 * prometheus.io/port label's, else each exposed TCP port (at most MAX_PORTS, so a container
 * with many ports costs bounded time); the address the container's own for a local engine,
 * the published port on the engine's host otherwise. A port that answers but not in plain
 * HTTP is asked again over HTTPS (first, with prometheus.io/scheme: https). The first
 * answer that looks like an exposition is parsed strictly (prometheus.c); bodies are cut at
 * METRICS_MAX and at the timeout. */
#include "live/scrape.h"
#include "core/buf.h"
#include "live/inspect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define METRICS_MAX (4u << 20)
#define MAX_PORTS   4

/* Does this body look like a metrics exposition at all (not a web page or JSON)? */
static bool exposition_like(const pl_http_resp *r)
{
	if (strstr(r->content_type, "openmetrics") || strstr(r->content_type, "version=0.0.4"))
		return true;
	if (strstr(r->content_type, "html") || strstr(r->content_type, "json"))
		return false;
	size_t i = 0;
	while (i < r->len && strchr(" \t\r\n", r->body[i]))
		i++;
	return i < r->len && r->body[i] != '<' && r->body[i] != '{' && r->body[i] != '[';
}

/* "http://..." to "https://..." in place. */
static void to_https(char *url, size_t n)
{
	if (strncmp(url, "http://", 7) || strlen(url) + 2 > n)
		return;
	memmove(url + 5, url + 4, strlen(url + 4) + 1);
	url[4] = 's';
}

/* A failure that says a server answered, but not in plain HTTP (a TLS server closes the
 * connection or sends a TLS alert): not a refused or silent port. */
static bool tls_like(const char *err)
{
	return strstr(err, "Empty reply") || strstr(err, "not HTTP") || strstr(err, "HTTP/0.9") ||
	       strstr(err, "reset by peer");
}

void pl_scrape(pl_engine *e, const pl_scrape_opts *o, arena *mem, pl_live *l)
{
	const pl_container *c = &l->c;
	const char *mpath = o->path ? o->path
			    : pl_live_label(c, "prometheus.io/path") ? pl_live_label(c, "prometheus.io/path")
								     : "/metrics";
	const char *lport = pl_live_label(c, "prometheus.io/port");
	const char *lscheme = pl_live_label(c, "prometheus.io/scheme");
	bool https_first = lscheme && !strcasecmp(lscheme, "https");
	int ports[MAX_PORTS], nports = 0;
	if (lport && atoi(lport) > 0) {
		ports[nports++] = atoi(lport);
	} else {
		for (size_t i = 0; i < c->nports && nports < MAX_PORTS; i++) {
			if (c->ports[i].protocol && strcmp(c->ports[i].protocol, "tcp"))
				continue;
			bool seen = false;
			for (int k = 0; k < nports; k++)
				seen |= ports[k] == c->ports[i].container_port;
			if (!seen && c->ports[i].container_port > 0)
				ports[nports++] = c->ports[i].container_port;
		}
	}
	buf tried = BUF_INIT;
	long timeout = o->timeout_ms > 0 ? o->timeout_ms : 2000;
	for (int k = 0; k < nports && !l->metrics_url; k++) {
		/* a local engine: the container's own address; else the port published on the
		 * engine's host */
		char url[512] = "";
		if (o->engine_local && l->naddresses)
			snprintf(url, sizeof url, "http://%s:%d%s%s", l->addresses[0], ports[k],
				 *mpath == '/' ? "" : "/", mpath);
		else if (o->engine_local && l->c.host_network.v == TRI_TRUE)
			snprintf(url, sizeof url, "http://127.0.0.1:%d%s%s", ports[k],
				 *mpath == '/' ? "" : "/", mpath);
		for (size_t i = 0; !*url && i < c->nports; i++) {
			const pl_port *p = &c->ports[i];
			if (p->container_port != ports[k] || p->host_port <= 0)
				continue;
			const char *h = p->host_ip && *p->host_ip && strcmp(p->host_ip, "0.0.0.0") &&
						strcmp(p->host_ip, "::")
					    ? p->host_ip
					    : o->engine_host;
			snprintf(url, sizeof url, strchr(h, ':') ? "http://[%s]:%d%s%s" : "http://%s:%d%s%s",
				 h, p->host_port, *mpath == '/' ? "" : "/", mpath);
		}
		if (!*url)
			continue;
		l->metrics_tried = true;
		pl_http_resp r = {0};
		char err[256];
		if (tried.len)
			buf_adds(&tried, ", ");
		if (https_first)
			to_https(url, sizeof url);
		int rc = pl_engine_fetch(e, url, METRICS_MAX, timeout, &r, err, sizeof err);
		if (rc < 0 && !https_first && strncmp(url, "https", 5) && tls_like(err)) {
			/* something listens but does not speak plain HTTP: HTTPS, as plimsoll
			 * serve's own /metrics */
			to_https(url, sizeof url);
			rc = pl_engine_fetch(e, url, METRICS_MAX, timeout, &r, err, sizeof err);
		}
		if (rc < 0) {
			size_t ul = strlen(url);
			/* the client's message starts with the URL, said already */
			buf_printf(&tried, "%s (%s)", url,
				   !strncmp(err, url, ul) && !strncmp(err + ul, ": ", 2) ? err + ul + 2 : err);
			continue;
		}
		if (r.status != 200 || !exposition_like(&r)) {
			if (r.status != 200)
				buf_printf(&tried, "%s (HTTP %ld)", url, r.status);
			else
				buf_printf(&tried, "%s (not an exposition: %s)", url,
					   *r.content_type ? r.content_type : "no content type");
			pl_http_resp_free(&r);
			continue;
		}
		l->metrics_url = arena_strdup(mem, url);
		l->metrics_truncated = r.truncated;
		prom_parse(r.body, r.len, strstr(r.content_type, "openmetrics") != NULL, &l->metrics);
		l->metrics_valid = true;
		pl_http_resp_free(&r);
	}
	if (tried.len)
		l->metrics_tried_urls = arena_strdup(mem, buf_str(&tried));
	buf_free(&tried);
}
