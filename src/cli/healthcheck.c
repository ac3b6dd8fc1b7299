/* healthcheck.c - `plimsoll healthcheck URL`: exit 0 when GET URL answers 2xx in time.
 *
 * For the container image's HEALTHCHECK: the image has no shell and no curl, only this
 * binary. Exit status follows Docker's convention: 0 healthy, 1 unhealthy; 2 is a usage
 * error. */
#include "cli/cli.h"

#include <curl/curl.h>

#include <stdbool.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p, (void)ud;
	return size * n;
}

static void usage(FILE *to)
{
	fprintf(to,
		"usage: plimsoll healthcheck [--timeout SECONDS] [--insecure] [--cacert FILE] URL\n"
		"  exit 0 when GET URL answers 2xx within the timeout (default 3 s), else 1.\n"
		"  --insecure   do not verify the server's certificate (a loopback probe of a\n"
		"               certificate issued for the Service's name)\n"
		"  --cacert F   verify against the CA certificates in F\n");
}

int cmd_healthcheck(int argc, char **argv)
{
	const char *url = NULL, *cacert = NULL;
	long timeout = 3;
	bool insecure = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--timeout") && i + 1 < argc) {
			timeout = strtol(argv[++i], NULL, 10);
		} else if (!strcmp(a, "--cacert") && i + 1 < argc) {
			cacert = argv[++i];
		} else if (!strcmp(a, "--insecure") || !strcmp(a, "-k")) {
			insecure = true;
		} else if (a[0] != '-' && !url) {
			url = a;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!url || timeout < 1 || timeout > 300 ||
	    (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))) {
		usage(stderr);
		return 2;
	}
	CURL *c = curl_easy_init();
	if (!c)
		return 1;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "plimsoll-healthcheck/" PL_VERSION);
	if (insecure) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (cacert)
		curl_easy_setopt(c, CURLOPT_CAINFO, cacert);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		fprintf(stderr, "plimsoll healthcheck: %s: %s\n", url, curl_easy_strerror(rc));
		return 1;
	}
	if (status < 200 || status > 299) {
		fprintf(stderr, "plimsoll healthcheck: %s: HTTP %ld\n", url, status);
		return 1;
	}
	return 0;
}
