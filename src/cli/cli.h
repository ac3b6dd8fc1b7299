/* cli.h - the command table: each command lives in cli/<command>.c. */
#ifndef PL_CLI_H
#define PL_CLI_H

#define PL_VERSION "0.1.0"

int cmd_dump(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_image(int argc, char **argv);
int cmd_live(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_healthcheck(int argc, char **argv);

/* Print "path:line:col: error: msg" on stderr (colour only on a TTY). */
void cli_error_at(const char *path, int line, int col, const char *msg);

#endif
