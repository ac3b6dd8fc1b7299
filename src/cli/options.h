/* options.h - what scan, image and live share: report options, rule selection, the
 * configuration file, and writing the report with the exit status that --fail-on asks. */
#ifndef PL_CLI_OPTIONS_H
#define PL_CLI_OPTIONS_H

#include "engine/config.h"
#include "engine/finding.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct cli_common {
	const char *cmd;            /* "scan", "image", "live": for messages */
	const char *format, *output, *config, *fail_on;
	bool no_color, quiet;
	const char *unit;           /* what the inputs are called in the summary (NULL: file) */
	const char **enables;       /* --enable/--disable in order, with enable_on[] */
	int *enable_on;
	size_t nen;
	const char **only;          /* --rule */
	size_t nonly;
	const char **sev;           /* --severity RULE=LEVEL */
	size_t nsev;
} cli_common;

/* Whether argv[*i] is the option `name` with a value, as "--name V" or "--name=V": then
 * *v is the value and *i has moved past it. */
bool cli_opt(int argc, char **argv, int *i, const char *name, const char **v);

void cli_common_init(cli_common *o, const char *cmd, int argc);
void cli_common_free(cli_common *o);

/* If argv[*i] is a shared option, take it (and its value: *i advances) and return 1;
 * 0 when it is not one. */
int cli_common_opt(cli_common *o, int argc, char **argv, int *i);

/* The usage lines of the shared options. */
extern const char cli_common_usage[];

/* Load the configuration (--config, else the nearest .plimsoll.yml above start_dir;
 * start_dir NULL: no search) and apply the rule options. -1 after printing why. */
int cli_common_config(cli_common *o, pl_config *cfg, const char *start_dir);

/* Check --format before any work; -1 after printing why. */
int cli_common_check_format(const cli_common *o);

/* Write the report of all (sorted by the caller) to --output or stdout. Returns the exit
 * status: 0, 1 when a finding reaches --fail-on, 2 when the report cannot be written. */
int cli_common_report(const cli_common *o, const pl_config *cfg, pl_findings *all,
		      const char *const *files, size_t nfiles);

#endif
