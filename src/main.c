/* main.c - plimsoll: how far a container setup is from production-ready.
 *
 * Dispatches to one function per command, as git's builtin table does. */
#include "cli/cli.h"

#include <curl/curl.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmd_version(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("plimsoll %s\n", PL_VERSION);
	return 0;
}

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} commands[] = {
	{"scan", cmd_scan, "check Dockerfiles and their build contexts (text, json, sarif, junit, github)"},
	{"image", cmd_image, "check built images: docker save archives and OCI layouts"},
	{"live", cmd_live, "audit running containers through the Docker Engine API"},
	{"rules", cmd_rules, "list every rule: code, slug, severity, inputs, peer ids"},
	{"explain", cmd_explain, "print a rule's documentation (code, slug or peer id)"},
	{"dump", cmd_dump, "print how a Dockerfile parses (BuildKit's tree, or JSON with positions)"},
	{"serve", cmd_serve, "run the Kubernetes admission webhook (POST /validate, /healthz, /readyz, /metrics)"},
	{"healthcheck", cmd_healthcheck, "exit 0 when GET URL answers 2xx (the image's HEALTHCHECK)"},
	{"version", cmd_version, "print the version"},
	{"help", cmd_help, "show this help"},
};

static int cmd_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("usage: plimsoll <command> [options] [args]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\nRun 'plimsoll <command> --help' for a command's options.\n");
	return 0;
}

void cli_error_at(const char *path, int line, int col, const char *msg)
{
	bool tty = isatty(STDERR_FILENO);
	if (line > 0)
		fprintf(stderr, "%s%s:%d:%d:%s %serror:%s %s\n", tty ? "\033[1m" : "", path, line,
			col, tty ? "\033[0m" : "", tty ? "\033[1;31m" : "", tty ? "\033[0m" : "", msg);
	else
		fprintf(stderr, "%s: %serror:%s %s\n", path, tty ? "\033[1;31m" : "",
			tty ? "\033[0m" : "", msg);
}

int main(int argc, char **argv)
{
	/* once, before any thread: libcurl's global state (registries) is not set up lazily
	 * in a thread-safe way on every version Debian ships */
	curl_global_init(CURL_GLOBAL_DEFAULT);
	atexit(curl_global_cleanup);
	if (argc < 2) {
		cmd_help(0, NULL);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		return cmd_help(0, NULL);
	if (!strcmp(name, "--version"))
		return cmd_version(0, NULL);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "plimsoll: '%s' is not a command; see 'plimsoll help'\n", name);
	return 2;
}
