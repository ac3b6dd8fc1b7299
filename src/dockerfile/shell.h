/* shell.h - the commands of a RUN, found by a POSIX sh tokenizer.
 *
 * Rules about RUN (apt-get without -y, curl piped to sh, cd, sudo, pinned versions...) need
 * the commands a shell would run and their words, not the raw text. This tokenizer splits
 * shell text into simple commands the way sh does: quotes ('...', "...", $'...'), escapes,
 * comments, the operators && || ; | & and newlines, subshells ( ... ) and { ...; },
 * command substitution $(...) and `...` (their commands are listed too, marked), and
 * assignments (FOO=bar cmd). It does not expand variables or execute anything. Heredoc
 * bodies given to a RUN through <<EOF are parsed the same way as separate scripts. */
#ifndef PL_SHELL_H
#define PL_SHELL_H

#include "core/arena.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct sh_word {
	const char *s;      /* value with quotes and escapes removed (NUL-terminated) */
	size_t len;
	size_t off, end;    /* byte offsets in the parsed text */
	bool quoted;        /* some part was quoted */
	bool dynamic;       /* holds $VAR, ${...}, $(...) or `...`: its value is not literal */
} sh_word;

typedef enum sh_op {
	SH_END,             /* end of script */
	SH_SEQ,             /* ; or newline */
	SH_AND,             /* && */
	SH_OR,              /* || */
	SH_PIPE,            /* | (or |&) */
	SH_BG,              /* & */
} sh_op;

typedef struct sh_cmd {
	sh_word *assigns;   /* leading NAME=value words */
	size_t nassigns;
	sh_word *argv;      /* the command and its arguments (redirections removed) */
	size_t argc;
	sh_op op_after;     /* operator that follows this command */
	bool piped_in;      /* stdin comes from a pipe */
	int depth;          /* nesting: 0 top level, >0 inside ( ), { }, $( ) or ` ` */
	bool in_subst;      /* inside a command substitution */
	bool in_subshell;   /* inside ( ... ): a cd here does not leak out */
	size_t off, end;    /* span of the whole command in the text */
} sh_cmd;

typedef struct sh_script {
	sh_cmd *cmds;       /* in source order; a substitution's commands follow their parent */
	size_t ncmds;
	bool has_pipe;      /* any | between commands */
	bool error;         /* unterminated quote or substitution: parsed as far as possible */
} sh_script;

/* Tokenize text[0..n). Never fails: malformed input gives error=true and the commands
 * found so far. Memory comes from mem. */
void sh_parse(arena *mem, const char *text, size_t n, sh_script *out);

/* The command's name without a path ("/usr/bin/apt-get" -> "apt-get"); "" when argc == 0. */
const char *sh_cmd_name(const sh_cmd *c);
/* Whether the command has an option: a short letter (in "-y", "-qy", but not after "--")
 * when short != 0, or a long option ("--yes", also "--yes=..") when long_opt != NULL. */
bool sh_has_opt(const sh_cmd *c, char short_opt, const char *long_opt);
/* The value of an option ("-t x", "-tx", "--target x", "--target=x"), or NULL. */
const sh_word *sh_opt_value(const sh_cmd *c, char short_opt, const char *long_opt,
			    sh_word *tmp);
/* Arguments that are not options: for "apt-get install -y --no-x a b" with skip=1
 * (skip the subcommand), returns a and b. opts_with_value lists option names that take a
 * value ("-t", "--target-release") so their values are not taken for operands. */
size_t sh_operands(const sh_cmd *c, size_t skip, const char *const *opts_with_value,
		   const sh_word **out, size_t max);

#endif
