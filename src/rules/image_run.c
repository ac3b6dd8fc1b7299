/* image_run.c - rules about what RUN commands do (catalog sections 1 and 9): PL105
 * build-tools-in-final-image, PL106 dependency-install-after-source-copy, PL112
 * curl-pipe-to-shell, PL113 pipe-without-pipefail, PL117 world-writable-files, PL907
 * cd-instead-of-workdir, PL908 sudo-in-run, and hadolint-parity checks PL914 PL915 PL923
 * PL924 PL929 PL934 PL935. All read the RUN scripts from pl_runs(). */
#include "image/image.h"
#include "rules/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The command a wrapper runs: `sudo -u x apt-get` -> apt-get's index. */
static size_t skip_wrappers(const sh_cmd *c)
{
	size_t i = 0;
	while (i < c->argc) {
		const char *w = c->argv[i].s;
		const char *b = strrchr(w, '/') ? strrchr(w, '/') + 1 : w;
		if (!strcmp(b, "sudo") || !strcmp(b, "doas") || !strcmp(b, "nice") ||
		    !strcmp(b, "nohup") || !strcmp(b, "time") || !strcmp(b, "exec")) {
			i++;
			while (i < c->argc && c->argv[i].s[0] == '-') {
				/* sudo -u user: the option value is not the command */
				if (!strcmp(c->argv[i].s, "-u") || !strcmp(c->argv[i].s, "-g"))
					i++;
				i++;
			}
			continue;
		}
		if (!strcmp(b, "env")) {
			i++;
			while (i < c->argc && (strchr(c->argv[i].s, '=') || c->argv[i].s[0] == '-'))
				i++;
			continue;
		}
		break;
	}
	return i;
}

static const char *base_of(const char *w)
{
	const char *s = strrchr(w, '/');
	return s ? s + 1 : w;
}

/* Name of the command a simple command really runs ("" when none). */
static const char *real_name(const sh_cmd *c)
{
	size_t i = skip_wrappers(c);
	return i < c->argc ? base_of(c->argv[i].s) : "";
}

static bool is_shell_or_interp(const char *n)
{
	static const char *const names[] = {"sh", "bash", "ash", "dash", "zsh", "ksh", "python",
					    "python3", "python2", "perl", "ruby", "node", "php",
					    "pwsh", "powershell", "fish", NULL};
	for (size_t i = 0; names[i]; i++)
		if (!strcmp(n, names[i]))
			return true;
	return false;
}

/* --- PL112 curl-pipe-to-shell ---------------------------------------------------------- */

static void check_curl_pipe(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t r = 0; r < n; r++) {
		const sh_script *sc = &runs[r].script;
		for (size_t i = 0; i + 1 < sc->ncmds; i++) {
			const sh_cmd *c = &sc->cmds[i];
			const char *name = real_name(c);
			if ((strcmp(name, "curl") && strcmp(name, "wget")) || c->op_after != SH_PIPE)
				continue;
			/* the command the download flows into */
			for (size_t j = i + 1; j < sc->ncmds; j++) {
				const sh_cmd *d = &sc->cmds[j];
				if (d->depth != c->depth)
					continue;
				if (d->piped_in && is_shell_or_interp(real_name(d)))
					pl_emit_word(s, &runs[r], &d->argv[skip_wrappers(d)], NULL, NULL,
						     "a download from %s is piped into %s: whatever the server "
						     "sends runs as root in the build", name, real_name(d));
				break;
			}
		}
	}
}

const pl_rule rule_PL112 = {
	.code = "PL112", .slug = "curl-pipe-to-shell", .severity = SEV_MEDIUM, .inputs = IN_D,
	.aka = "",
	.summary = "A RUN pipes a download into a shell or interpreter.",
	.why = "The script is not pinned, not verified and not reviewable: a compromised server, "
	       "a DNS hijack or a truncated download runs arbitrary code in the image.",
	.fix = "Download to a file, verify its checksum (sha256sum -c) or signature, then run it; "
	       "better, install a pinned package.",
	.check_dockerfile = check_curl_pipe,
};

/* --- PL113 pipe-without-pipefail ------------------------------------------------------- */

static bool shell_has_pipefail(const char *shell)
{
	/* only shells that understand -o pipefail; sh (dash) does not */
	const char *sp = strchr(shell, ' ');
	char prog[256];
	size_t l = sp ? (size_t)(sp - shell) : strlen(shell);
	if (l >= sizeof prog)
		return false;
	memcpy(prog, shell, l);
	prog[l] = '\0';
	const char *b = base_of(prog);
	if (strcmp(b, "bash") && strcmp(b, "zsh") && strcmp(b, "ksh") && strcmp(b, "mksh") &&
	    strcmp(b, "ash"))
		return false;
	return strstr(shell, "pipefail") != NULL;
}

static bool is_posix_shell(const char *shell)
{
	return strncasecmp(base_of(shell), "pwsh", 4) && strncasecmp(shell, "powershell", 10) &&
	       strncasecmp(shell, "cmd", 3) && !strstr(shell, "powershell");
}

static bool script_sets_pipefail(const sh_script *sc)
{
	for (size_t i = 0; i < sc->ncmds; i++) {
		const sh_cmd *c = &sc->cmds[i];
		if (strcmp(sh_cmd_name(c), "set"))
			continue;
		for (size_t k = 1; k + 1 < c->argc; k++)
			if ((!strcmp(c->argv[k].s, "-o") || !strcmp(c->argv[k].s, "-eo") ||
			     (c->argv[k].s[0] == '-' && strchr(c->argv[k].s, 'o'))) &&
			    !strcmp(c->argv[k + 1].s, "pipefail"))
				return true;
	}
	return false;
}

static void check_pipefail(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t r = 0; r < n; r++) {
		const pl_run *run = &runs[r];
		if (run->exec_form || !run->script.has_pipe || !is_posix_shell(run->shell) ||
		    shell_has_pipefail(run->shell) || script_sets_pipefail(&run->script))
			continue;
		const sh_cmd *pipe = NULL;
		for (size_t i = 0; i < run->script.ncmds && !pipe; i++)
			if (run->script.cmds[i].op_after == SH_PIPE)
				pipe = &run->script.cmds[i];
		df_word span;
		if (pipe)
			pl_run_span(s, run, pipe->off, pipe->end, &span);
		pl_emit(s, pipe ? &span : &run->node->keyword, "DL4006", NULL,
			"this RUN pipes commands under %s without pipefail: a failure on the left of "
			"'|' is ignored and the build goes on", run->shell);
	}
}

const pl_rule rule_PL113 = {
	.code = "PL113", .slug = "pipe-without-pipefail", .severity = SEV_LOW, .inputs = IN_D,
	.aka = "DL4006",
	.summary = "A RUN has a pipe and no pipefail.",
	.why = "A pipeline's status is its last command's: `curl ... | tar x` succeeds when the "
	       "download fails, and the image ships without what the RUN was for.",
	.fix = "Add SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] before the RUN, or start "
	       "it with set -o pipefail (bash).",
	.check_dockerfile = check_pipefail,
};

/* --- PL117 world-writable (chmod 777 / a+w / o+w) -------------------------------------- */

static bool world_writable_mode(const char *m)
{
	size_t l = strlen(m);
	if (l >= 3 && l <= 4) {
		bool octal = true;
		for (size_t i = 0; i < l; i++)
			octal = octal && m[i] >= '0' && m[i] <= '7';
		/* 1777 and friends: a sticky directory, the /tmp pattern, is meant to be shared */
		if (octal && l == 4 && ((m[0] - '0') & 1))
			return false;
		if (octal)
			return ((m[l - 1] - '0') & 2) != 0;
	}
	/* symbolic: a+w, o+w, +w (umask-dependent: skip), ugo+rwx */
	for (const char *p = m; *p; p++) {
		if (*p != '+' && *p != '=')
			continue;
		const char *who = p;
		while (who > m && strchr("ugoa", who[-1]))
			who--;
		bool others = false;
		for (const char *q = who; q < p; q++)
			others = others || *q == 'o' || *q == 'a';
		const char *perm = p + 1;
		if (strchr(perm, 't'))
			return false; /* +t: sticky, as above */
		while (*perm && strchr("rwxXst", *perm)) {
			if (*perm == 'w' && others)
				return true;
			perm++;
		}
	}
	return false;
}

static void check_world_writable(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t r = 0; r < n; r++) {
		const sh_script *sc = &runs[r].script;
		for (size_t i = 0; i < sc->ncmds; i++) {
			const sh_cmd *c = &sc->cmds[i];
			size_t k = skip_wrappers(c);
			if (k >= c->argc || strcmp(base_of(c->argv[k].s), "chmod"))
				continue;
			for (size_t a = k + 1; a < c->argc; a++) {
				const char *m = c->argv[a].s;
				if (m[0] == '-')
					continue;
				/* the /tmp pattern: scratch space shared on purpose (mktemp -d, /tmp/...) */
				bool tmp_target = false;
				for (size_t t = a + 1; t < c->argc; t++) {
					const char *p = c->argv[t].s;
					if (!strncmp(p, "/tmp", 4) || !strncmp(p, "/var/tmp", 8) ||
					    !strncmp(p, "/dev/shm", 8) ||
					    (c->argv[t].dynamic && (strcasestr(p, "tmp") || strcasestr(p, "temp"))))
						tmp_target = true;
				}
				if (world_writable_mode(m) && !tmp_target)
					pl_emit_word(s, &runs[r], &c->argv[a], NULL, NULL,
						     "chmod %s makes files writable by every user, so any "
						     "process in the container can replace them", m);
				break; /* the mode is the first operand */
			}
		}
	}
	/* COPY/ADD --chmod=777 does the same */
	for (size_t i = 0; i < b->nstages; i++)
		for (size_t j = 0; j < b->stages[i].ncmds; j++) {
			const df_cmd *c = &b->stages[i].cmds[j];
			const df_flag *f = df_flag_get(c->flags, c->nflags, "chmod");
			if (f && f->value && world_writable_mode(f->value))
				pl_emit(s, f->word, NULL, NULL,
					"--chmod=%s makes the copied files writable by every user", f->value);
		}
}

static bool scratch_dir(const char *p)
{
	return !strncmp(p, "/tmp", 4) || !strncmp(p, "/var/tmp", 8) || !strncmp(p, "/dev/shm", 8) ||
	       !strncmp(p, "/run/lock", 9) || !strncmp(p, "/var/lock", 9);
}

static void check_world_writable_image(pl_scan *s, const pl_image *img)
{
	pl_pathlist l = {0};
	for (size_t i = 0; i < img->nfiles; i++) {
		const img_file *f = &img->files[i];
		if (f->deleted || f->type == 'l' || scratch_dir(f->path))
			continue;
		if ((f->mode & 0002) && !(f->type == 'd' && (f->mode & 01000)))
			pl_pathlist_add(&l, f->path);
	}
	if (l.n)
		pl_emit(s, NULL, NULL, NULL, "%zu world-writable path%s outside /tmp: %s", l.n,
			l.n == 1 ? "" : "s", pl_pathlist_str(&l));
}

const pl_rule rule_PL117 = {
	.code = "PL117", .slug = "world-writable-files", .severity = SEV_LOW,
	.inputs = IN_D | IN_I,
	.aka = "",
	.summary = "chmod 777 / a+w in a RUN, or world-writable files in the image.",
	.why = "World-writable files let any process (a compromised dependency running as another "
	       "user) modify code or configuration that others execute.",
	.fix = "Give ownership to the user that needs write access (chown, COPY --chown) and use "
	       "755/644.",
	.check_dockerfile = check_world_writable,
	.check_image = check_world_writable_image,
};

/* --- PL907 cd, PL908 sudo -------------------------------------------------------------- */

static void check_cd(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t r = 0; r < n; r++) {
		const sh_script *sc = &runs[r].script;
		for (size_t i = 0; i < sc->ncmds; i++) {
			const sh_cmd *c = &sc->cmds[i];
			if (c->in_subshell || c->in_subst || strcmp(sh_cmd_name(c), "cd"))
				continue;
			pl_emit_word(s, &runs[r], &c->argv[0], "DL3003 AVD-DS-0013", NULL,
				     "cd %s in a RUN does not carry over to the next instruction",
				     c->argc > 1 ? c->argv[1].s : "");
			break;
		}
	}
}

const pl_rule rule_PL907 = {
	.code = "PL907", .slug = "cd-instead-of-workdir", .severity = SEV_LOW, .inputs = IN_D,
	.aka = "DL3003 AVD-DS-0013",
	.summary = "RUN cd ... to change directory for later commands.",
	.why = "Each RUN starts in WORKDIR again; cd chains hide where files land and break when a "
	       "line is moved.",
	.fix = "Use WORKDIR /path, or run the commands in a subshell: (cd dir && make).",
	.check_dockerfile = check_cd,
};

static void check_sudo(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t r = 0; r < n; r++) {
		const sh_script *sc = &runs[r].script;
		for (size_t i = 0; i < sc->ncmds; i++) {
			const sh_cmd *c = &sc->cmds[i];
			if (!strcmp(sh_cmd_name(c), "sudo"))
				pl_emit_word(s, &runs[r], &c->argv[0], "DL3004 AVD-DS-0010", NULL,
					     "sudo in a RUN: the build already runs as the USER it needs");
		}
	}
}

const pl_rule rule_PL908 = {
	.code = "PL908", .slug = "sudo-in-run", .severity = SEV_MEDIUM, .inputs = IN_D,
	.aka = "DL3004 AVD-DS-0010",
	.summary = "sudo in a RUN.",
	.why = "sudo in an image means a setuid binary and a sudoers policy that an attacker in "
	       "the container can use; its TTY and signal handling also breaks builds.",
	.fix = "Switch with USER root / USER app around the commands, or use gosu/su-exec in an "
	       "entrypoint.",
	.check_dockerfile = check_sudo,
};

/* --- PL105 build tools in the final image ---------------------------------------------- */

static bool is_build_tool(const char *pkg)
{
	static const char *const tools[] = {"gcc", "g++", "make", "build-essential", "clang",
					    "cmake", "autoconf", "automake", "libtool", "golang",
					    "golang-go", "maven", "gradle", "openjdk-17-jdk",
					    "openjdk-21-jdk", "default-jdk", "rustc", "cargo",
					    "build-base", "musl-dev", "gcc-c++", "g++-12", NULL};
	char p[128];
	size_t l = strcspn(pkg, "=<>:");
	if (l >= sizeof p)
		return false;
	memcpy(p, pkg, l);
	p[l] = '\0';
	for (size_t i = 0; tools[i]; i++)
		if (!strcmp(p, tools[i]))
			return true;
	return false;
}

static void check_build_tools(pl_scan *s, const df_build *b)
{
	const df_stage *fin = pl_final_stage(b);
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t r = 0; r < n; r++) {
		if (runs[r].stage != fin || runs[r].onbuild)
			continue;
		const sh_script *sc = &runs[r].script;
		for (size_t i = 0; i < sc->ncmds; i++) {
			const sh_cmd *c = &sc->cmds[i];
			size_t k = skip_wrappers(c);
			if (k + 1 >= c->argc)
				continue;
			const char *name = base_of(c->argv[k].s), *sub = c->argv[k + 1].s;
			bool install = ((!strcmp(name, "apt-get") || !strcmp(name, "apt") ||
					 !strcmp(name, "yum") || !strcmp(name, "dnf") ||
					 !strcmp(name, "microdnf") || !strcmp(name, "zypper")) &&
					!strcmp(sub, "install")) ||
				       (!strcmp(name, "apk") && !strcmp(sub, "add"));
			if (!install)
				continue;
			bool removed_later = false;
			for (size_t j = i + 1; j < sc->ncmds; j++) {
				const char *nn = real_name(&sc->cmds[j]);
				const sh_cmd *d = &sc->cmds[j];
				size_t dk = skip_wrappers(d);
				if (dk + 1 < d->argc &&
				    (((!strcmp(nn, "apt-get") || !strcmp(nn, "yum") || !strcmp(nn, "dnf")) &&
				      (!strcmp(d->argv[dk + 1].s, "purge") ||
				       !strcmp(d->argv[dk + 1].s, "remove") ||
				       !strcmp(d->argv[dk + 1].s, "autoremove"))) ||
				     (!strcmp(nn, "apk") && !strcmp(d->argv[dk + 1].s, "del"))))
					removed_later = true;
			}
			if (removed_later)
				continue; /* installed for the build of this RUN, then removed */
			for (size_t a = k + 2; a < c->argc; a++)
				if (c->argv[a].s[0] != '-' && is_build_tool(c->argv[a].s)) {
					pl_emit_word(s, &runs[r], &c->argv[a], NULL, NULL,
						     "the final stage installs the build tool %s: it ships "
						     "in the image that runs in production", c->argv[a].s);
				}
		}
	}
}

static void check_compilers(pl_scan *s, const pl_image *img)
{
	static const char *const tools[] = {"/usr/bin/gcc", "/usr/bin/cc", "/usr/bin/g++",
					    "/usr/bin/clang", "/usr/bin/make", "/usr/local/go/bin/go",
					    "/usr/bin/javac", "/usr/local/cargo/bin/rustc",
					    "/usr/bin/rustc", NULL};
	pl_pathlist l = {0};
	for (size_t i = 0; tools[i]; i++) {
		const img_file *f = pl_image_file(img, tools[i]);
		if (f && !f->deleted)
			pl_pathlist_add(&l, tools[i]);
	}
	if (l.n)
		pl_emit(s, NULL, NULL, NULL, "the image ships build tools: %s", pl_pathlist_str(&l));
}

const pl_rule rule_PL105 = {
	.code = "PL105", .slug = "build-tools-in-final-image", .severity = SEV_MEDIUM,
	.inputs = IN_D | IN_I,
	.aka = "",
	.summary = "The final stage installs compilers and build tools.",
	.why = "Compilers and build systems in a production image are hundreds of megabytes of "
	       "attack surface: an intruder gets a toolchain to build exploits with.",
	.fix = "Build in an earlier stage (FROM ... AS build) and COPY --from=build only the "
	       "artifacts; or remove the tools in the same RUN.",
	.check_dockerfile = check_build_tools,
	.check_image = check_compilers,
};

/* --- PL106 dependency install after copying the whole context -------------------------- */

static bool is_dep_install(const sh_cmd *c)
{
	size_t k = skip_wrappers(c);
	if (k >= c->argc)
		return false;
	const char *n = base_of(c->argv[k].s), *sub = k + 1 < c->argc ? c->argv[k + 1].s : "";
	if (!strcmp(n, "npm") || !strcmp(n, "pnpm"))
		return !strcmp(sub, "ci") || !strcmp(sub, "install") || !strcmp(sub, "i");
	if (!strcmp(n, "yarn"))
		return k + 1 == c->argc || !strcmp(sub, "install");
	if (!strcmp(n, "pip") || !strcmp(n, "pip3")) {
		for (size_t a = k + 1; a < c->argc; a++)
			if (!strcmp(c->argv[a].s, "-r") || !strncmp(c->argv[a].s, "--requirement", 13))
				return true;
		return false;
	}
	if (!strcmp(n, "go"))
		return !strcmp(sub, "mod") && k + 2 < c->argc && !strcmp(c->argv[k + 2].s, "download");
	if (!strcmp(n, "bundle"))
		return k + 1 == c->argc || !strcmp(sub, "install");
	if (!strcmp(n, "composer"))
		return !strcmp(sub, "install");
	if (!strcmp(n, "cargo"))
		return !strcmp(sub, "fetch");
	if (!strcmp(n, "mvn"))
		for (size_t a = k + 1; a < c->argc; a++)
			if (!strncmp(c->argv[a].s, "dependency:", 11))
				return true;
	return false;
}

static void check_dep_order(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		const df_cmd *copy_all = NULL;
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			if (c->kind == DF_COPY && !df_flag_get(c->flags, c->nflags, "from") &&
			    c->nargs >= 2) {
				for (size_t k = 0; k + 1 < c->nargs; k++)
					if (!strcmp(c->args[k], ".") || !strcmp(c->args[k], "./"))
						copy_all = c;
			}
			if (c->kind != DF_RUN || !copy_all)
				continue;
			for (size_t r = 0; r < n; r++) {
				if (runs[r].cmd != c)
					continue;
				for (size_t k = 0; k < runs[r].script.ncmds; k++)
					if (is_dep_install(&runs[r].script.cmds[k])) {
						const sh_cmd *d = &runs[r].script.cmds[k];
						pl_emit_word(s, &runs[r], &d->argv[skip_wrappers(d)], NULL, NULL,
							     "dependencies are installed after COPY . on line %d: "
							     "every source change reinstalls them",
							     copy_all->node->start_line);
						copy_all = NULL;
						break;
					}
			}
		}
	}
}

const pl_rule rule_PL106 = {
	.code = "PL106", .slug = "dependency-install-after-source-copy", .severity = SEV_LOW,
	.inputs = IN_D,
	.aka = "",
	.summary = "The whole context is copied before the dependency install.",
	.why = "Layer caching stops at the first changed layer: with COPY . first, any edit to any "
	       "file re-downloads every dependency, slowing every build and CI run.",
	.fix = "Copy the manifest first (COPY package*.json ./ then RUN npm ci), then COPY . .",
	.check_dockerfile = check_dep_order,
};

/* --- hadolint parity: PL914 PL915 PL923 PL924 PL929 PL934 PL935 ------------------------ */

static void check_irrelevant(pl_scan *s, const df_build *b)
{
	static const char *const cmds[] = {"free", "kill", "mount", "ps", "service", "shutdown",
					   "ssh", "top", "vim", NULL};
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; i < runs[r].script.ncmds; i++) {
			const sh_cmd *c = &runs[r].script.cmds[i];
			const char *name = real_name(c);
			for (size_t k = 0; cmds[k]; k++)
				if (!strcmp(name, cmds[k]))
					pl_emit_word(s, &runs[r], &c->argv[skip_wrappers(c)], "DL3001", NULL,
						     "%s has no useful effect in a container build", name);
		}
}

const pl_rule rule_PL914 = {
	.code = "PL914", .slug = "container-irrelevant-command", .severity = SEV_INFO,
	.inputs = IN_D,
	.aka = "DL3001",
	.summary = "A RUN uses a command that makes no sense in a container build (ssh, vim, "
		   "service, shutdown, ps, top, kill, free, mount).",
	.why = "These commands act on a running system or a terminal; during a build they do "
	       "nothing useful, or hide a design that expects an init system.",
	.fix = "Remove the command; run services as the container's process, not through service.",
	.check_dockerfile = check_irrelevant,
};

static bool is_tar_archive(const char *s)
{
	static const char *const ext[] = {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2",
					  ".tar.xz", ".txz", ".tar.zst", NULL};
	size_t l = strlen(s);
	for (size_t i = 0; ext[i]; i++) {
		size_t e = strlen(ext[i]);
		if (l > e && !strcasecmp(s + l - e, ext[i]))
			return true;
	}
	return false;
}

static void check_copy_extract(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		for (size_t j = 0; j < st->ncmds; j++) {
			const df_cmd *c = &st->cmds[j];
			if (c->kind != DF_COPY || df_flag_get(c->flags, c->nflags, "from") || c->nargs != 2)
				continue;
			const char *src = c->args[0], *dst = c->args[1];
			if (!is_tar_archive(src))
				continue;
			const char *src_base = base_of(src);
			/* a later RUN in the stage extracts the copied archive with tar */
			for (size_t r = 0; r < n; r++) {
				if (runs[r].stage != st || runs[r].cmd <= c)
					continue;
				for (size_t k = 0; k < runs[r].script.ncmds; k++) {
					const sh_cmd *t = &runs[r].script.cmds[k];
					if (strcmp(real_name(t), "tar"))
						continue;
					for (size_t a = 1; a < t->argc; a++) {
						const char *arg = t->argv[a].s;
						if (strstr(arg, dst) || (strlen(src_base) > 4 && strstr(arg, src_base)))
							goto hit;
					}
				}
			}
			continue;
hit:
			pl_emit(s, &c->node->keyword, "DL3010", NULL,
				"%s is copied and then extracted with tar: ADD extracts local archives "
				"in one layer", src);
		}
	}
}

const pl_rule rule_PL915 = {
	.code = "PL915", .slug = "copy-archive-then-extract", .severity = SEV_INFO, .inputs = IN_D,
	.aka = "DL3010",
	.summary = "A local archive is COPY'd and then extracted in a RUN.",
	.why = "The archive stays in its own layer after extraction, doubling its weight in the "
	       "image; ADD extracts it in a single layer.",
	.fix = "Use ADD archive.tar.gz /dest/ (for local archives only).",
	.check_dockerfile = check_copy_extract,
};

static void check_useradd(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; i < runs[r].script.ncmds; i++) {
			const sh_cmd *c = &runs[r].script.cmds[i];
			if (strcmp(real_name(c), "useradd") ||
			    sh_has_opt(c, 'l', "no-log-init"))
				continue;
			sh_word tmp;
			const sh_word *u = sh_opt_value(c, 'u', "uid", &tmp);
			if (!u || u->dynamic || strlen(u->s) <= 5)
				continue;
			bool digits = true;
			for (const char *p = u->s; *p; p++)
				digits = digits && isdigit((unsigned char)*p);
			if (digits)
				pl_emit_word(s, &runs[r], u, "DL3046", NULL,
					     "useradd -u %s without -l: the huge sparse lastlog file "
					     "bloats the image", u->s);
		}
}

const pl_rule rule_PL923 = {
	.code = "PL923", .slug = "useradd-high-uid-without-l", .severity = SEV_LOW, .inputs = IN_D,
	.aka = "DL3046",
	.summary = "useradd with a high UID and without -l.",
	.why = "useradd writes lastlog and faillog entries at offset UID: a UID of 1000000 creates "
	       "gigabyte sparse files that layers store densely.",
	.fix = "Add -l (--no-log-init) to useradd.",
	.check_dockerfile = check_useradd,
};

static void check_wget_progress(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; i < runs[r].script.ncmds; i++) {
			const sh_cmd *c = &runs[r].script.cmds[i];
			if (strcmp(real_name(c), "wget"))
				continue;
			sh_word tmp;
			if (sh_opt_value(c, 0, "progress", &tmp) || sh_has_opt(c, 'q', "quiet") ||
			    sh_has_opt(c, 0, "no-verbose") || sh_opt_value(c, 'o', "output-file", &tmp) ||
			    sh_opt_value(c, 'a', "append-output", &tmp))
				continue;
			bool nv = false;
			for (size_t a = 1; a < c->argc; a++)
				nv = nv || !strcmp(c->argv[a].s, "-nv");
			if (!nv)
				pl_emit_word(s, &runs[r], &c->argv[skip_wrappers(c)], "DL3047", NULL,
					     "wget without --progress (or -q/-nv) fills build logs with "
					     "progress bars");
		}
}

const pl_rule rule_PL924 = {
	.code = "PL924", .slug = "wget-without-progress", .severity = SEV_INFO, .inputs = IN_D,
	.aka = "DL3047",
	.summary = "wget without --progress, -q or -nv.",
	.why = "The default bar progress writes thousands of lines to CI logs, hiding real errors.",
	.fix = "Use wget --progress=dot:giga or -nv.",
	.check_dockerfile = check_wget_progress,
};

/* RUN chains with && or ; (or several lines) already: merging is the author's choice. */
static bool run_chains(const pl_scan *s, const df_build *b, const df_cmd *c)
{
	size_t n;
	const pl_run *runs = pl_runs((pl_scan *)s, b, &n);
	for (size_t r = 0; r < n; r++)
		if (runs[r].cmd == c) {
			if (runs[r].heredoc || c->node->nheredocs)
				return true;
			for (size_t i = 0; i < runs[r].script.ncmds; i++)
				if (runs[r].script.cmds[i].op_after == SH_AND ||
				    runs[r].script.cmds[i].op_after == SH_SEQ ||
				    runs[r].script.cmds[i].op_after == SH_OR)
					return true;
		}
	return false;
}

static bool same_flags(const df_node *a, const df_node *b)
{
	if (a->nflags != b->nflags)
		return false;
	for (size_t i = 0; i < a->nflags; i++)
		if (strcmp(a->flags[i].s, b->flags[i].s))
			return false;
	return true;
}

static void check_consecutive(pl_scan *s, const df_build *b)
{
	for (size_t i = 0; i < b->nstages; i++) {
		const df_stage *st = &b->stages[i];
		for (size_t j = 1; j < st->ncmds; j++) {
			const df_cmd *p = &st->cmds[j - 1], *c = &st->cmds[j];
			if (p->kind != DF_RUN || c->kind != DF_RUN || p->node->json || c->node->json ||
			    !same_flags(p->node, c->node) || run_chains(s, b, p) || run_chains(s, b, c))
				continue;
			pl_emit(s, &c->node->keyword, "DL3059", NULL,
				"consecutive RUN instructions (also line %d) make one layer each; "
				"consider joining them with &&", p->node->start_line);
		}
	}
}

const pl_rule rule_PL929 = {
	.code = "PL929", .slug = "consecutive-run", .severity = SEV_INFO, .inputs = IN_D,
	.aka = "DL3059", .opt_in = true,
	.summary = "Consecutive RUN instructions that could be one (opt-in).",
	.why = "Each RUN is a layer; cleanup in a later RUN does not shrink an earlier layer.",
	.fix = "Join the commands with && in one RUN (or a heredoc).",
	.check_dockerfile = check_consecutive,
};

static void check_curl_and_wget(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t i = 0; i < b->nstages; i++) {
		bool curl = false, wget = false;
		for (size_t r = 0; r < n; r++) {
			if (runs[r].stage != &b->stages[i])
				continue;
			bool uc = false, uw = false;
			for (size_t k = 0; k < runs[r].script.ncmds; k++) {
				const char *name = real_name(&runs[r].script.cmds[k]);
				uc = uc || !strcmp(name, "curl");
				uw = uw || !strcmp(name, "wget");
			}
			if ((uc && (wget || uw)) || (uw && curl))
				pl_emit(s, &runs[r].node->keyword, "DL4001 AVD-DS-0014", NULL,
					"both curl and wget are used in this stage; one download tool is "
					"enough");
			curl = curl || uc;
			wget = wget || uw;
		}
	}
}

const pl_rule rule_PL934 = {
	.code = "PL934", .slug = "curl-and-wget", .severity = SEV_INFO, .inputs = IN_D,
	.aka = "DL4001 AVD-DS-0014",
	.summary = "Both curl and wget are used in one stage.",
	.why = "Two download tools are two packages to install, patch and scan for one job.",
	.fix = "Pick one of curl or wget.",
	.check_dockerfile = check_curl_and_wget,
};

static void check_ln_sh(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; i < runs[r].script.ncmds; i++) {
			const sh_cmd *c = &runs[r].script.cmds[i];
			if (strcmp(real_name(c), "ln") || c->argc < 3)
				continue;
			const sh_word *last = &c->argv[c->argc - 1];
			if (!strcmp(last->s, "/bin/sh"))
				pl_emit_word(s, &runs[r], last, "DL4005", NULL,
					     "replacing /bin/sh with ln changes the shell of every later "
					     "RUN behind the reader's back");
		}
}

const pl_rule rule_PL935 = {
	.code = "PL935", .slug = "ln-bin-sh", .severity = SEV_LOW, .inputs = IN_D,
	.aka = "DL4005",
	.summary = "RUN ln ... /bin/sh replaces the default shell.",
	.why = "Later RUNs and scripts expecting POSIX sh silently run under another shell.",
	.fix = "Use SHELL [\"/bin/bash\", \"-c\"] to change the shell of RUN instructions.",
	.check_dockerfile = check_ln_sh,
};
