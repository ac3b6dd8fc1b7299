/* image_packages.c - the rules about package managers in RUN: catalog section 1 PL109
 * package-cache-left, PL110 apt-install-recommends, PL111 package-version-not-pinned, and
 * the section 9 peer-parity rules PL916 package-install-not-noninteractive, PL918
 * apt-instead-of-apt-get, PL920 zypper-dist-upgrade, PL936 package-update-without-install.
 *
 * Every check reads the commands pl_runs() found, one RUN at a time (the RUN's text and
 * its heredoc scripts together, since "the same RUN" is what a layer is), after looking
 * through wrappers such as sudo, env and xargs. Semantics follow hadolint's DL rules except
 * where a comment says otherwise. */
#include "core/buf.h"
#include "rules/util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- commands as package managers see them ------------------------------------------ */

typedef struct pm {
	const pl_run *r;      /* the script it is in */
	const sh_cmd *c;      /* the command as written */
	sh_cmd v;             /* the same with wrappers dropped: v.argv[0] is the tool */
	const char *tool;     /* "apt-get", "pip3", "pip" for python -m pip, ... */
	const sh_word *sub;   /* the first operand (subcommand), or NULL */
	size_t subi;          /* its index in v.argv */
	const sh_word *yes;   /* `yes` piped into it, or NULL */
} pm;

/* One RUN: its scripts (the text and each heredoc body) and their commands in order. */
typedef struct run_group {
	const pl_run *r;          /* the first script */
	const df_build *b;
	pm *cmds;
	size_t ncmds;
	const char **assigned;    /* variable names the scripts set themselves */
	size_t nassigned;
} run_group;

static bool listed(const char *const *v, const char *s)
{
	for (; v && *v; v++)
		if (!strcmp(*v, s))
			return true;
	return false;
}

static bool is_name_char(int c)
{
	return isalnum(c) || c == '_';
}

/* NAME=value */
static bool is_assignment(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	while (is_name_char((unsigned char)*s))
		s++;
	return *s == '=';
}

static const char *base_name(const char *s)
{
	const char *sl = strrchr(s, '/');
	return sl ? sl + 1 : s;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcasecmp(s + n - m, suf);
}

/* Index in c->argv of the command that wrappers (sudo, env, xargs, nice, ...) run. The
 * string after each wrapper lists its short options that take a value. */
static size_t unwrap(const sh_cmd *c)
{
	static const char *const wrappers[][2] = {
		{"sudo", "ugpCrtUDh"}, {"env", "uCS"}, {"xargs", "IdaEnLPs"}, {"nice", "n"},
		{"stdbuf", "ioe"}, {"time", "fo"}, {"command", ""}, {"exec", "a"},
		{"nohup", ""}, {"eatmydata", ""}, {"doas", "uC"}, {"chronic", ""},
	};
	size_t i = 0;
	while (i < c->argc) {
		const char *n = base_name(c->argv[i].s), *vals = NULL;
		for (size_t k = 0; k < sizeof wrappers / sizeof *wrappers; k++)
			if (!strcmp(n, wrappers[k][0]))
				vals = wrappers[k][1];
		if (!vals)
			break;
		for (i++; i < c->argc; i++) {
			const char *a = c->argv[i].s;
			if (!strcmp(a, "--")) {
				i++;
				break;
			}
			if (a[0] == '-' && a[1]) {
				size_t l = strlen(a);
				if (a[1] != '-' && l == 2 && strchr(vals, a[1]) && i + 1 < c->argc)
					i++;
				continue;
			}
			if (!is_assignment(a))
				break;
		}
	}
	return i;
}

static bool is_pip(const char *t)
{
	if (strncmp(t, "pip", 3))
		return false;
	for (t += 3; *t; t++)
		if (!isdigit((unsigned char)*t) && *t != '.')
			return false;
	return true;
}

static bool is_python(const char *t)
{
	if (strncmp(t, "python", 6))
		return false;
	for (t += 6; *t; t++)
		if (!isdigit((unsigned char)*t) && *t != '.')
			return false;
	return true;
}

/* Options that take a value, per tool, so that their values are not read as operands. */
static const char *const apt_vals[] = {"-o", "--option", "-c", "--config-file", "-t",
	"--target-release", "--default-release", "-a", "--host-architecture", NULL};
static const char *const apk_vals[] = {"-X", "--repository", "-p", "--root", "-t",
	"--virtual", "--keys-dir", "--arch", "--cache-dir", "--repositories-file",
	"--cache-max-age", "--timeout", NULL};
static const char *const pip_vals[] = {"-r", "--requirement", "-c", "--constraint", "-e",
	"--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links",
	"--trusted-host", "--prefix", "--root", "-b", "--build", "-t", "--target", "--src",
	"--upgrade-strategy", "--python-version", "--platform", "--implementation", "--abi",
	"--only-binary", "--no-binary", "--progress-bar", "--log", "--proxy", "--retries",
	"--timeout", "--exists-action", "--cert", "--client-cert", "--cache-dir",
	"--global-option", "--install-option", "--config-settings", "-C", "--root-user-action",
	"--python", "--pip-args", "--report", "--use-feature", "--use-deprecated",
	"--keyring-provider", "--suffix", "--spec", NULL};
static const char *const npm_vals[] = {"--loglevel", "--registry", "--prefix", "--cache",
	"--userconfig", "--globalconfig", "--tag", "-w", "--workspace", "--omit", "--include",
	"--install-strategy", "--otp", "-C", "--before", "--script-shell", NULL};
static const char *const gem_vals[] = {"-v", "--version", "-i", "--install-dir", "-n",
	"--bindir", "-s", "--source", "-P", "--trust-policy", "--platform", "-g", "--file",
	"--document", "--build-root", "--target-rbconfig", NULL};
static const char *const rpm_vals[] = {"-c", "--config", "--installroot", "--releasever",
	"--enablerepo", "--disablerepo", "-x", "--exclude", "--setopt", "--repo", "--repoid",
	"--repofrompath", "--downloaddir", "--destdir", "-d", "--debuglevel", "-e",
	"--errorlevel", "--rpmverbosity", "--color", "--forcearch", "--advisory", "--bz",
	"--cve", "--sec-severity", "--comment", "--disableplugin", "--enableplugin", "-R",
	"--randomwait", NULL};
static const char *const zypper_vals[] = {"-R", "--root", "-D", "--reposd-dir", "-C",
	"--cache-dir", "--raw-cache-dir", "--solv-cache-dir", "--pkg-cache-dir", "-c",
	"--config", "-r", "--repo", "--from", "-t", "--type", "--userdata", "--releasever",
	NULL};
static const char *const go_vals[] = {"-o", "-C", "-tags", "-ldflags", "-gcflags",
	"-asmflags", "-mod", "-modfile", "-overlay", "-pkgdir", "-p", "-exec", "-toolexec",
	"-buildmode", "-compiler", "-installsuffix", "-pgo", "-covermode", "-coverpkg", NULL};

static const char *const *tool_vals(const char *t)
{
	if (!strcmp(t, "apt-get") || !strcmp(t, "apt") || !strcmp(t, "aptitude"))
		return apt_vals;
	if (!strcmp(t, "apk"))
		return apk_vals;
	if (is_pip(t) || !strcmp(t, "pipx"))
		return pip_vals;
	if (!strcmp(t, "npm") || !strcmp(t, "yarn"))
		return npm_vals;
	if (!strcmp(t, "gem"))
		return gem_vals;
	if (!strcmp(t, "yum") || !strcmp(t, "dnf") || !strcmp(t, "microdnf"))
		return rpm_vals;
	if (!strcmp(t, "zypper"))
		return zypper_vals;
	if (!strcmp(t, "go"))
		return go_vals;
	return NULL;
}

/* The operands of v from index `from` on: words that are neither options nor the values
 * of options in vals. "--" ends the options; with stop set it ends the operands too (gem
 * passes what follows to the extension build). idx receives indices in v->argv. */
static size_t operands(const sh_cmd *v, size_t from, const char *const *vals, bool stop,
		       size_t *idx, size_t max)
{
	size_t n = 0;
	bool opts = true;
	for (size_t i = from; i < v->argc && n < max; i++) {
		const char *a = v->argv[i].s;
		if (opts && a[0] == '-' && a[1]) {
			if (!strcmp(a, "--")) {
				if (stop)
					break;
				opts = false;
			} else if (listed(vals, a)) {
				i++;
			} else if (a[1] != '-' && !strchr(a, '=')) {
				/* a cluster: the first letter that takes a value takes the rest,
				 * or the next word when it is last */
				for (const char *q = a + 1; *q; q++) {
					char nm[3] = {'-', *q, '\0'};
					if (listed(vals, nm)) {
						if (!q[1])
							i++;
						break;
					}
				}
			}
			continue;
		}
		idx[n++] = i;
	}
	return n;
}

static void make_pm(pm *p, const pl_run *r, const sh_cmd *c)
{
	memset(p, 0, sizeof *p);
	p->r = r;
	p->c = c;
	size_t k = unwrap(c);
	if (k < c->argc && is_python(base_name(c->argv[k].s)) && k + 2 < c->argc &&
	    !strcmp(c->argv[k + 1].s, "-m") && is_pip(c->argv[k + 2].s)) {
		p->v = *c;
		p->v.argv = c->argv + k + 2;
		p->v.argc = c->argc - k - 2;
		p->tool = "pip";
	} else if (k < c->argc) {
		p->v = *c;
		p->v.argv = c->argv + k;
		p->v.argc = c->argc - k;
		p->tool = base_name(c->argv[k].s);
	} else {
		p->tool = "";
		return;
	}
	const char *const *vals = tool_vals(p->tool);
	size_t first;
	if (vals && operands(&p->v, 1, vals, true, &first, 1)) {
		p->subi = first;
		p->sub = &p->v.argv[first];
	}
}

/* apt-get -s (--simulate, --dry-run, ...) only prints what it would do. */
static bool apt_simulated(const pm *p)
{
	return sh_has_opt(&p->v, 's', "simulate") || sh_has_opt(&p->v, 0, "just-print") ||
	       sh_has_opt(&p->v, 0, "dry-run") || sh_has_opt(&p->v, 0, "recon") ||
	       sh_has_opt(&p->v, 0, "no-act");
}

static bool sub_is(const pm *p, const char *const *subs)
{
	return p->sub && !p->sub->dynamic && listed(subs, p->sub->s);
}

static bool tool_is(const pm *p, const char *t)
{
	return !strcmp(p->tool, t);
}

static void add_name(arena *mem, run_group *g, size_t *cap, const char *s, size_t n)
{
	if (g->nassigned == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		g->assigned = arena_grow(mem, g->assigned, *cap, nc, sizeof *g->assigned);
		*cap = nc;
	}
	g->assigned[g->nassigned++] = arena_strndup(mem, s, n);
}

static size_t name_len(const char *s)
{
	size_t n = 0;
	while (is_name_char((unsigned char)s[n]))
		n++;
	return n;
}

/* Names the scripts themselves set: FOO=x, export/declare/local/readonly, read, for. */
static void collect_assigned(arena *mem, run_group *g)
{
	size_t cap = 0;
	for (size_t i = 0; i < g->ncmds; i++) {
		const sh_cmd *c = g->cmds[i].c;
		for (size_t k = 0; k < c->nassigns; k++)
			add_name(mem, g, &cap, c->assigns[k].s, name_len(c->assigns[k].s));
		if (!c->argc)
			continue;
		const char *n = c->argv[0].s;
		bool decl = !strcmp(n, "export") || !strcmp(n, "declare") || !strcmp(n, "local") ||
			    !strcmp(n, "readonly") || !strcmp(n, "typeset") || !strcmp(n, "read");
		for (size_t k = 1; k < c->argc; k++) {
			const char *a = c->argv[k].s;
			if ((decl && a[0] != '-') || (!strcmp(n, "for") && k == 1))
				add_name(mem, g, &cap, a, name_len(a));
		}
	}
}

static bool script_assigns(const run_group *g, const char *name, size_t n)
{
	for (size_t i = 0; i < g->nassigned; i++)
		if (strlen(g->assigned[i]) == n && !strncmp(g->assigned[i], name, n))
			return true;
	return false;
}

/* The RUN starting at runs[i]: fills g and returns the index after it. */
static size_t build_group(pl_scan *s, const df_build *b, const pl_run *runs, size_t n,
			  size_t i, run_group *g)
{
	size_t j = i;
	size_t total = 0;
	while (j < n && runs[j].cmd == runs[i].cmd && runs[j].node == runs[i].node)
		total += runs[j++].script.ncmds;
	memset(g, 0, sizeof *g);
	g->r = &runs[i];
	g->b = b;
	g->cmds = arena_alloc(&s->mem, (total + 1) * sizeof *g->cmds);
	/* a SHELL of another kind (powershell, cmd) runs something else */
	const char *sh = runs[i].shell ? runs[i].shell : "";
	if (strcasestr(sh, "powershell") || strcasestr(sh, "pwsh") || strcasestr(sh, "cmd"))
		return j;
	for (size_t k = i; k < j; k++) {
		const sh_script *sc = &runs[k].script;
		for (size_t m = 0; m < sc->ncmds; m++) {
			pm *p = &g->cmds[g->ncmds++];
			make_pm(p, &runs[k], &sc->cmds[m]);
			/* `yes | apt-get install ...` answers the prompts */
			if (m > 0 && sc->cmds[m].piped_in && sc->cmds[m - 1].op_after == SH_PIPE &&
			    !strcmp(sh_cmd_name(&sc->cmds[m - 1]), "yes"))
				p->yes = &sc->cmds[m - 1].argv[0];
		}
	}
	collect_assigned(&s->mem, g);
	return j;
}

/* The groups of every RUN, built once per scan and shared by the rules of this file:
 * groups[i] is the group starting at runs[i], next[i] the index after it. */
typedef struct group_cache {
	run_group *groups;
	size_t *next;
} group_cache;

static const char group_cache_key; /* its address keys the memo */

static size_t next_group(pl_scan *s, const df_build *b, const pl_run *runs, size_t n,
			 size_t i, run_group *g)
{
	group_cache *gc = pl_scan_memo(s, &group_cache_key);
	if (!gc) {
		gc = arena_alloc(&s->mem, sizeof *gc);
		gc->groups = arena_alloc(&s->mem, (n + 1) * sizeof *gc->groups);
		gc->next = arena_alloc(&s->mem, (n + 1) * sizeof *gc->next);
		for (size_t k = 0; k < n;)
			k = gc->next[k] = build_group(s, b, runs, n, k, &gc->groups[k]);
		pl_scan_memo_set(s, &group_cache_key, gc);
	}
	*g = gc->groups[i];
	return gc->next[i];
}

/* Emit at the tool and its subcommand ("apt-get install", "apt-get -y install"). */
static void emit_cmd(pl_scan *s, const pm *p, const char *aka, const char *fix,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void emit_cmd(pl_scan *s, const pm *p, const char *aka, const char *fix,
		     const char *fmt, ...)
{
	sh_word w = p->v.argv[0];
	if (p->sub)
		w.end = p->sub->end;
	va_list ap;
	va_start(ap, fmt);
	buf m = BUF_INIT;
	buf_vprintf(&m, fmt, ap);
	va_end(ap);
	pl_emit_word(s, p->r, &w, aka, fix, "%s", buf_str(&m));
	buf_free(&m);
}

/* The mount flags of the RUN: whether a cache or tmpfs mount covers dir (a target that is
 * dir or a directory above it). */
static bool cache_mount(const pl_run *r, const char *dir)
{
	const df_node *n = r->node;
	for (size_t i = 0; i < n->nflags; i++) {
		const char *f = n->flags[i].s;
		if (strncmp(f, "--mount=", 8))
			continue;
		char spec[1024];
		snprintf(spec, sizeof spec, "%s", f + 8);
		bool cache = false;
		const char *target = NULL;
		for (char *save = NULL, *kv = strtok_r(spec, ",", &save); kv;
		     kv = strtok_r(NULL, ",", &save)) {
			if (!strcmp(kv, "type=cache") || !strcmp(kv, "type=tmpfs"))
				cache = true;
			else if (!strncmp(kv, "target=", 7))
				target = kv + 7;
			else if (!strncmp(kv, "dst=", 4))
				target = kv + 4;
			else if (!strncmp(kv, "destination=", 12))
				target = kv + 12;
		}
		if (!cache || !target)
			continue;
		size_t tl = strlen(target);
		while (tl > 1 && target[tl - 1] == '/')
			tl--;
		if (!strncmp(dir, target, tl) && (dir[tl] == '\0' || dir[tl] == '/'))
			return true;
	}
	return false;
}

/* Whether commands after index `after` remove dir (rm -r ... dir, dir/, dir/ *). */
static bool removes(const run_group *g, size_t after, const char *dir)
{
	size_t dl = strlen(dir);
	for (size_t i = after + 1; i < g->ncmds; i++) {
		const pm *p = &g->cmds[i];
		if (!tool_is(p, "rm"))
			continue;
		for (size_t k = 1; k < p->v.argc; k++) {
			const char *a = p->v.argv[k].s;
			if (!strncmp(a, dir, dl) && (a[dl] == '\0' || a[dl] == '/'))
				return true;
		}
	}
	return false;
}

/* ---- the value a word will have ------------------------------------------------------- */

static const df_var *lookup_var(const run_group *g, const char *name, size_t n)
{
	const df_stage *st = g->r->stage;
	const df_var *v = df_vars_get(&st->env, name, n);
	if (!v && st->implicit)
		v = df_vars_get(&g->b->global_args, name, n);
	return v && v->value ? v : NULL;
}

/* What a word will hold, as far as the Dockerfile tells: variables the stage defines are
 * replaced by their values and unset ones by nothing. False when it cannot be told: a
 * command substitution, a special parameter, or a variable the script sets itself. */
static bool word_value(const run_group *g, const sh_word *w, buf *out)
{
	buf_reset(out);
	if (!w->dynamic) {
		buf_add(out, w->s, w->len);
		return true;
	}
	const char *p = w->s;
	while (*p) {
		if (*p == '`')
			return false;
		if (*p != '$') {
			buf_addc(out, *p++);
			continue;
		}
		p++;
		bool braced = *p == '{';
		if (braced)
			p++;
		size_t n = name_len(p);
		if (!n || isdigit((unsigned char)*p))
			return false; /* $( ), $1, $@, ... */
		if (script_assigns(g, p, n))
			return false;
		const df_var *v = lookup_var(g, p, n);
		const char *q = p + n;
		if (braced) {
			const char *dflt = NULL;
			size_t dl = 0;
			if (*q == ':' || *q == '-') {
				const char *d = *q == ':' ? q + 1 : q;
				if (*d == '-') {
					dflt = d + 1;
					dl = strcspn(dflt, "}");
				}
			}
			if (v)
				buf_add(out, v->value, v->vlen);
			else if (dflt)
				buf_add(out, dflt, dl);
			else if (*q != '}')
				return false; /* ${X#...}, ${X:+...}: not worth guessing */
			q += strcspn(q, "}");
			if (*q)
				q++;
		} else if (v) {
			buf_add(out, v->value, v->vlen);
		}
		p = q;
	}
	return true;
}

/* ---- PL109 package-cache-left --------------------------------------------------------- */

/* The stages whose layers ship: the final stage and the stages it is built FROM. */
static bool ships(const df_build *b, const df_stage *st)
{
	const df_stage *f = pl_final_stage(b);
	while (f) {
		if (f == st)
			return true;
		f = f->base_stage >= 0 ? &b->stages[f->base_stage] : NULL;
	}
	return false;
}

static bool truthy(const char *v, size_t n)
{
	static const char *const yes[] = {"1", "true", "yes", "on", "y", NULL};
	for (size_t i = 0; yes[i]; i++)
		if (strlen(yes[i]) == n && !strncasecmp(v, yes[i], n))
			return true;
	return false;
}

/* PIP_NO_CACHE_DIR as pip at index i sees it: set on the command (also through env), by an
 * export before it, or in the stage. */
static bool pip_no_cache_env(const run_group *g, size_t i)
{
	static const char key[] = "PIP_NO_CACHE_DIR=";
	const size_t kl = sizeof key - 1;
	const pm *p = &g->cmds[i];
	for (size_t k = 0; k < p->c->nassigns; k++)
		if (!strncmp(p->c->assigns[k].s, key, kl))
			return truthy(p->c->assigns[k].s + kl, strlen(p->c->assigns[k].s + kl));
	for (size_t k = 0; p->c->argv + k < p->v.argv; k++)
		if (!strncmp(p->c->argv[k].s, key, kl))
			return truthy(p->c->argv[k].s + kl, strlen(p->c->argv[k].s + kl));
	for (size_t j = i; j-- > 0;) {
		const sh_cmd *c = g->cmds[j].c;
		if (!c->argc || strcmp(c->argv[0].s, "export"))
			continue;
		for (size_t k = 1; k < c->argc; k++)
			if (!strncmp(c->argv[k].s, key, kl))
				return truthy(c->argv[k].s + kl, strlen(c->argv[k].s + kl));
	}
	const df_var *v = lookup_var(g, "PIP_NO_CACHE_DIR", 16);
	return v && truthy(v->value, v->vlen);
}

/* A later `<tool> clean all` (or `zypper clean`/`cc`, `yarn cache clean`). */
static bool cleans(const run_group *g, size_t after, const char *tool)
{
	for (size_t i = after + 1; i < g->ncmds; i++) {
		const pm *p = &g->cmds[i];
		if (!tool_is(p, tool) || !p->sub)
			continue;
		if (!strcmp(tool, "zypper")) {
			if (!strcmp(p->sub->s, "clean") || !strcmp(p->sub->s, "cc"))
				return true;
		} else if (!strcmp(tool, "yarn")) {
			if (!strcmp(p->sub->s, "cache") && p->subi + 1 < p->v.argc &&
			    !strcmp(p->v.argv[p->subi + 1].s, "clean"))
				return true;
		} else if (!strcmp(p->sub->s, "clean")) {
			for (size_t k = p->subi + 1; k < p->v.argc; k++)
				if (!strcmp(p->v.argv[k].s, "all"))
					return true;
		}
	}
	return false;
}

static bool dir_handled(const run_group *g, size_t i, const char *const *dirs)
{
	for (size_t k = 0; dirs[k]; k++)
		if (cache_mount(g->cmds[i].r, dirs[k]) || removes(g, i, dirs[k]))
			return true;
	return false;
}

static const char *const apt_subs_fetch[] = {"install", "update", NULL};
static const char *const rpm_install[] = {"install", "in", "groupinstall", "localinstall",
	"reinstall", "rei", "upgrade", "up", "update", "upgrade-minimal", "up-min",
	"distro-sync", "downgrade", "module", "group", NULL};

static bool apt_fetch(const pm *p)
{
	return (tool_is(p, "apt-get") || tool_is(p, "apt") || tool_is(p, "aptitude")) &&
	       sub_is(p, apt_subs_fetch) && !apt_simulated(p);
}

/* apt: the lists that update downloads must be gone by the end of the RUN. Reported once,
 * at the install (or the update when nothing is installed). */
static void check_apt_lists(pl_scan *s, const run_group *g)
{
	static const char *const lists[] = {"/var/lib/apt/lists", NULL};
	const pm *hit = NULL;
	size_t last = 0;
	for (size_t i = 0; i < g->ncmds; i++) {
		const pm *p = &g->cmds[i];
		if (!apt_fetch(p))
			continue;
		last = i;
		if (!hit || (!strcmp(p->sub->s, "install") && strcmp(hit->sub->s, "install")))
			hit = p;
	}
	if (!hit || dir_handled(g, last, lists))
		return;
	for (size_t i = last + 1; i < g->ncmds; i++) /* apt 2.7+: removes the lists too */
		if ((tool_is(&g->cmds[i], "apt-get") || tool_is(&g->cmds[i], "apt")) &&
		    g->cmds[i].sub && !strcmp(g->cmds[i].sub->s, "dist-clean"))
			return;
	emit_cmd(s, hit, "DL3009",
		 "end the same RUN with && rm -rf /var/lib/apt/lists/*, or use RUN "
		 "--mount=type=cache,target=/var/lib/apt/lists",
		 "%s %s without removing /var/lib/apt/lists in the same RUN: the package lists "
		 "(tens of MB) stay in the image layer", hit->tool, hit->sub->s);
}

static void check_cache_left(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t i = 0; i < n;) {
		run_group g;
		size_t next = next_group(s, b, runs, n, i, &g);
		i = next;
		/* Only layers that ship matter for size: the final stage and the stages it is
		 * built FROM. ONBUILD triggers run in whatever image builds on this one, so
		 * they always count. (hadolint checks apk, pip, yum, dnf and zypper in every
		 * stage; for apt and yarn it also skips stages that are not used later.) */
		if (!g.r->onbuild && !ships(b, g.r->stage))
			continue;
		check_apt_lists(s, &g);
		for (size_t k = 0; k < g.ncmds; k++) {
			const pm *p = &g.cmds[k];
			if (!p->sub)
				continue;
			const char *sub = p->sub->s;
			if (tool_is(p, "apk") && !strcmp(sub, "add")) {
				static const char *const d[] = {"/var/cache/apk", NULL};
				/* --no-network installs from what is already there */
				if (sh_has_opt(&p->v, 0, "no-cache") ||
				    sh_has_opt(&p->v, 0, "no-network") || dir_handled(&g, k, d))
					continue;
				emit_cmd(s, p, "DL3019 AVD-DS-0025", "use apk add --no-cache ...",
					 "apk add without --no-cache: the package index stays in "
					 "/var/cache/apk in the image layer");
			} else if (is_pip(p->tool) && !strcmp(sub, "install")) {
				static const char *const d[] = {"/root/.cache/pip", NULL};
				if (sh_has_opt(&p->v, 0, "no-cache-dir") || pip_no_cache_env(&g, k) ||
				    dir_handled(&g, k, d))
					continue;
				emit_cmd(s, p, "DL3042",
					 "add --no-cache-dir, or set ENV PIP_NO_CACHE_DIR=1 in the stage",
					 "%s install without --no-cache-dir: the downloaded packages stay "
					 "in ~/.cache/pip in the image layer", p->tool);
			} else if (tool_is(p, "yum") && listed(rpm_install, sub)) {
				static const char *const d[] = {"/var/cache/yum", NULL};
				if (cleans(&g, k, "yum") || dir_handled(&g, k, d))
					continue;
				emit_cmd(s, p, "DL3032 AVD-DS-0015",
					 "end the same RUN with && yum clean all && rm -rf /var/cache/yum",
					 "yum %s without yum clean all after it in the same RUN: the "
					 "package cache stays in /var/cache/yum in the image layer", sub);
			} else if ((tool_is(p, "dnf") || tool_is(p, "microdnf")) &&
				   listed(rpm_install, sub)) {
				static const char *const d[] = {"/var/cache/dnf", "/var/cache/yum",
								"/var/cache/libdnf5", NULL};
				if (cleans(&g, k, p->tool) || dir_handled(&g, k, d))
					continue;
				char fix[96];
				snprintf(fix, sizeof fix, "end the same RUN with && %s clean all",
					 p->tool);
				emit_cmd(s, p,
					 tool_is(p, "dnf") ? "DL3040 AVD-DS-0019" : "DL3040 AVD-DS-0027",
					 fix,
					 "%s %s without %s clean all after it in the same RUN: the "
					 "metadata and package cache stay in /var/cache in the image layer",
					 p->tool, sub, p->tool);
			} else if (tool_is(p, "zypper") &&
				   (!strcmp(sub, "install") || !strcmp(sub, "in"))) {
				static const char *const d[] = {"/var/cache/zypp", NULL};
				if (cleans(&g, k, "zypper") || dir_handled(&g, k, d))
					continue;
				emit_cmd(s, p, "DL3036 AVD-DS-0020",
					 "end the same RUN with && zypper clean --all",
					 "zypper %s without zypper clean after it in the same RUN: the "
					 "package cache stays in /var/cache/zypp in the image layer", sub);
			} else if (tool_is(p, "yarn") &&
				   (!strcmp(sub, "install") || !strcmp(sub, "add"))) {
				static const char *const d[] = {"/root/.cache/yarn",
								"/usr/local/share/.cache/yarn", NULL};
				if (cleans(&g, k, "yarn") || dir_handled(&g, k, d))
					continue;
				emit_cmd(s, p, "DL3060",
					 "end the same RUN with && yarn cache clean, or use RUN "
					 "--mount=type=cache,target=/usr/local/share/.cache/yarn",
					 "yarn %s without yarn cache clean after it in the same RUN: the "
					 "yarn cache stays in the image layer", sub);
			}
		}
	}
}

const pl_rule rule_PL109 = {
	.code = "PL109", .slug = "package-cache-left", .severity = SEV_LOW, .inputs = IN_D,
	.aka = "DL3009 DL3019 DL3042 DL3032 DL3036 DL3040 DL3060 AVD-DS-0015 AVD-DS-0019 "
	       "AVD-DS-0020 AVD-DS-0025 AVD-DS-0027",
	.summary = "A package manager leaves its cache or index in a layer that ships.",
	.why = "A file deleted in a later RUN still ships in the earlier layer. Package lists "
	       "and download caches add tens to hundreds of MB that every node pulls on every "
	       "deploy and that scanners read for nothing.",
	.fix = "Clean up in the same RUN that installs (rm -rf /var/lib/apt/lists/*, apk add "
	       "--no-cache, pip --no-cache-dir, yum/dnf clean all, zypper clean, yarn cache "
	       "clean), or use a RUN --mount=type=cache for the cache directory.",
	.check_dockerfile = check_cache_left,
};

/* ---- PL110 apt-install-recommends ----------------------------------------------------- */

/* An earlier RUN of the stage (or its bases) wrote APT::Install-Recommends "false" into
 * apt's configuration. */
static bool recommends_off_in_config(const pl_run *runs, const pl_run *upto,
				     const df_build *b)
{
	for (const pl_run *r = runs; r < upto; r++) {
		const df_stage *st = upto->stage;
		bool related = false;
		while (st) {
			if (st == r->stage)
				related = true;
			st = st->base_stage >= 0 ? &b->stages[st->base_stage] : NULL;
		}
		if (!related)
			continue;
		const char *t = r->heredoc ? r->heredoc->body.s : r->node->rest.s;
		const char *m = t ? strstr(t, "Install-Recommends") : NULL;
		if (m && (strstr(m, "false") || strstr(m, "\"0\"") || strstr(m, " 0;")))
			return true;
	}
	return false;
}

static bool recommends_option_off(const pm *p)
{
	for (size_t k = 1; k < p->v.argc; k++) {
		const char *a = p->v.argv[k].s;
		if (!strcmp(a, "-o") && k + 1 < p->v.argc)
			a = p->v.argv[++k].s;
		else if (!strncmp(a, "-o", 2))
			a += 2;
		else if (!strncmp(a, "--option=", 9))
			a += 9;
		else
			continue;
		const char *eq = strchr(a, '=');
		if (eq && strstr(a, "Install-Recommends") &&
		    (!strcasecmp(eq + 1, "false") || !strcmp(eq + 1, "0") ||
		     !strcasecmp(eq + 1, "no")))
			return true;
	}
	return false;
}

static void check_recommends(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t i = 0; i < n;) {
		run_group g;
		i = next_group(s, b, runs, n, i, &g);
		/* like PL109, a matter of what ships (hadolint checks every stage) */
		if (!g.r->onbuild && !ships(b, g.r->stage))
			continue;
		for (size_t k = 0; k < g.ncmds; k++) {
			const pm *p = &g.cmds[k];
			bool aptget = tool_is(p, "apt-get");
			if (!(aptget || tool_is(p, "apt")) || !p->sub ||
			    strcmp(p->sub->s, "install") || apt_simulated(p))
				continue;
			if (sh_has_opt(&p->v, 0, "no-install-recommends") ||
			    recommends_option_off(p) || recommends_off_in_config(runs, g.r, b))
				continue;
			emit_cmd(s, p, aptget ? "DL3015 AVD-DS-0029" : NULL, NULL,
				 "%s install without --no-install-recommends: recommended packages "
				 "are installed too, adding size and attack surface", p->tool);
		}
	}
}

const pl_rule rule_PL110 = {
	.code = "PL110", .slug = "apt-install-recommends", .severity = SEV_LOW, .inputs = IN_D,
	.aka = "DL3015 AVD-DS-0029",
	.summary = "apt-get install without --no-install-recommends.",
	.why = "By default apt installs every recommended package as well: often hundreds of MB "
	       "of documentation, X libraries and tools the application never uses, each one "
	       "more CVE to patch.",
	.fix = "Add --no-install-recommends (apt-get install -y --no-install-recommends ...) and "
	       "name any recommended package the application really needs.",
	.check_dockerfile = check_recommends,
};

/* ---- PL111 package-version-not-pinned ------------------------------------------------- */

static bool has_any(const char *s, const char *const *subs)
{
	for (; *subs; subs++)
		if (strstr(s, *subs))
			return true;
	return false;
}

static bool apt_pinned(const char *p)
{
	return strchr(p, '=') || strchr(p, '/') || has_suffix(p, ".deb");
}

static bool apk_pinned(const char *p)
{
	return strpbrk(p, "=~<>/") || has_suffix(p, ".apk");
}

static bool zypper_pinned(const char *p)
{
	return strpbrk(p, "=<>/") || has_suffix(p, ".rpm");
}

static bool gem_pinned(const char *p)
{
	return strchr(p, ':') || strchr(p, '/') || has_suffix(p, ".gem");
}

static const char *const vcs_prefixes[] = {"git+", "git:", "hg+", "svn+", "svn:", "bzr+", NULL};

static bool pip_pinned(const char *p)
{
	static const char *const ops[] = {"==", ">=", "<=", ">", "<", "!=", "~=", NULL};
	if (has_any(p, ops))
		return true;
	for (size_t i = 0; vcs_prefixes[i]; i++)
		if (!strncmp(p, vcs_prefixes[i], strlen(vcs_prefixes[i]))) {
			/* pinned by @ref after the repository path */
			size_t n = strcspn(p, "#");
			const char *last = p;
			for (size_t k = 0; k < n; k++)
				if (p[k] == '/')
					last = p + k + 1;
			return memchr(last, '@', n - (size_t)(last - p)) != NULL;
		}
	return strchr(p, '/') || !strcmp(p, ".") || !strcmp(p, "..") ||
	       has_suffix(p, ".whl") || has_suffix(p, ".tar.gz") || has_suffix(p, ".zip") ||
	       has_suffix(p, ".tar.bz2");
}

static bool npm_pinned(const char *p)
{
	static const char *const git[] = {"git://", "git+ssh://", "git+http://", "git+https://",
					  NULL};
	for (size_t i = 0; git[i]; i++)
		if (!strncmp(p, git[i], strlen(git[i])))
			return strchr(p, '#') != NULL;
	static const char *const paths[] = {"/", "./", "../", "~/", "file:", NULL};
	for (size_t i = 0; paths[i]; i++)
		if (!strncmp(p, paths[i], strlen(paths[i])))
			return true;
	if (has_suffix(p, ".tar") || has_suffix(p, ".tar.gz") || has_suffix(p, ".tgz") ||
	    !strcmp(p, ".") || !strcmp(p, ".."))
		return true;
	if (*p == '@') {
		const char *sl = strchr(p, '/');
		p = sl ? sl : p + 1;
	}
	return strchr(p, '@') != NULL;
}

/* name-version[-release] as rpm spells it: some dash-separated part after the name starts
 * with a digit, and all of them are made of version characters. */
static bool rpm_pinned(const char *p)
{
	if (has_suffix(p, ".rpm") || strchr(p, '/') || *p == '@')
		return true;
	const char *d = strchr(p, '-');
	if (!d)
		return false;
	bool digit = false;
	for (const char *q = d + 1;; q++) {
		if (q[-1] == '-' && isdigit((unsigned char)*q))
			digit = true;
		if (!*q)
			break;
		if (*q != '-' && !isalnum((unsigned char)*q) && !strchr(".~^_:+", *q))
			return false;
	}
	return digit;
}

static bool module_pinned(const char *p)
{
	return strchr(p, ':') != NULL;
}

static bool go_pinned(const char *p)
{
	static const char *const floating[] = {"latest", "upgrade", "patch", "master", "main",
					       "HEAD", NULL};
	if (*p == '.' || *p == '/' || has_suffix(p, ".go"))
		return true;
	const char *at = strrchr(p, '@');
	return at && at[1] && !listed(floating, at + 1);
}

typedef struct pin_kind {
	const char *aka;
	bool (*pinned)(const char *pkg);
	const char *example;   /* how a pinned package is written: %s is the package */
} pin_kind;

static const pin_kind pin_apt = {"DL3008", apt_pinned, "apt-get install %s=<version>"};
static const pin_kind pin_pip = {"DL3013", pip_pinned,
	"pip install '%s==<version>', or install from a requirements file with pinned versions"};
static const pin_kind pin_npm = {"DL3016", npm_pinned, "npm install %s@<version>"};
static const pin_kind pin_apk = {"DL3018", apk_pinned, "apk add %s=<version>"};
static const pin_kind pin_gem = {"DL3028", gem_pinned, "gem install %s:<version>"};
static const pin_kind pin_yum = {"DL3033", rpm_pinned, "yum install %s-<version>"};
static const pin_kind pin_yum_module = {"DL3033", module_pinned, "yum module install %s:<stream>"};
static const pin_kind pin_zypper = {"DL3037", zypper_pinned, "zypper install %s=<version>"};
static const pin_kind pin_dnf = {"DL3041", rpm_pinned, "dnf install %s-<version>"};
static const pin_kind pin_dnf_module = {"DL3041", module_pinned, "dnf module install %s:<stream>"};
static const pin_kind pin_go = {"DL3062", go_pinned, "go install %s@<version>"};

/* Report the packages of one word that are not pinned (a variable may hold several). */
static void check_pkg_word(pl_scan *s, const run_group *g, const pm *p, const sh_word *w,
			   const pin_kind *k)
{
	buf v = BUF_INIT;
	if (word_value(g, w, &v)) {
		/* only an unquoted expansion is split into several words */
		const char *seps = w->dynamic && !w->quoted ? " \t\n" : "";
		char *save = NULL, *tmp = arena_strdup(&s->mem, buf_str(&v));
		for (char *pkg = strtok_r(tmp, seps, &save); pkg;
		     pkg = strtok_r(NULL, seps, &save)) {
			if (k->pinned(pkg))
				continue;
			char fix[320], name[256];
			snprintf(name, sizeof name, "%s", pkg);
			if (k->pinned == go_pinned && strchr(name, '@'))
				*strchr(name, '@') = '\0';
			if (strstr(name, "://"))
				snprintf(fix, sizeof fix, "pin a tag or commit in the URL: %s",
					 k->pinned == npm_pinned ? "...#<commit>" : "...@<tag>");
			else
				snprintf(fix, sizeof fix, k->example, name);
			pl_emit_word(s, p->r, w, k->aka, fix,
				     "%s %s %s: no version is pinned, so each build installs "
				     "whatever version is current", p->tool,
				     p->sub ? p->sub->s : "install", pkg);
		}
	}
	buf_free(&v);
}

static void check_operands(pl_scan *s, const run_group *g, const pm *p, size_t from,
			   const pin_kind *k, bool first_only)
{
	size_t *idx = arena_alloc(&s->mem, (p->v.argc + 1) * sizeof *idx);
	size_t n = operands(&p->v, from, tool_vals(p->tool), true, idx, p->v.argc);
	for (size_t i = 0; i < n && (!first_only || i == 0); i++)
		check_pkg_word(s, g, p, &p->v.argv[idx[i]], k);
}

static const char *const npm_install[] = {"install", "i", "add", "in", "ins", "inst",
	"insta", "instal", "isnt", "isnta", "isntal", "isntall", NULL};

static void check_pin_cmd(pl_scan *s, const run_group *g, const pm *p)
{
	if (!p->sub || p->sub->dynamic)
		return;
	const char *sub = p->sub->s;
	size_t after = p->subi + 1;
	if (tool_is(p, "apt-get") && !strcmp(sub, "install")) {
		if (apt_simulated(p))
			return;
		check_operands(s, g, p, after, &pin_apt, false);
	} else if ((is_pip(p->tool) || tool_is(p, "pipx")) && !strcmp(sub, "install")) {
		/* a requirements or constraints file decides the versions */
		if (sh_has_opt(&p->v, 'r', "requirement") || sh_has_opt(&p->v, 'c', "constraint"))
			return;
		check_operands(s, g, p, after, &pin_pip, false);
	} else if (tool_is(p, "npm") && listed(npm_install, sub)) {
		check_operands(s, g, p, after, &pin_npm, false);
	} else if (tool_is(p, "apk") && !strcmp(sub, "add")) {
		check_operands(s, g, p, after, &pin_apk, false);
	} else if (tool_is(p, "gem") && (!strcmp(sub, "install") || !strcmp(sub, "i"))) {
		if (sh_has_opt(&p->v, 'v', "version"))
			return;
		check_operands(s, g, p, after, &pin_gem, false);
	} else if (tool_is(p, "zypper") && (!strcmp(sub, "install") || !strcmp(sub, "in"))) {
		sh_word tmp;
		const sh_word *t = sh_opt_value(&p->v, 't', "type", &tmp);
		if (t && strcmp(t->s, "package"))
			return; /* patterns, patches and products have no version to pin */
		check_operands(s, g, p, after, &pin_zypper, false);
	} else if (tool_is(p, "yum") || tool_is(p, "dnf") || tool_is(p, "microdnf")) {
		bool yum = tool_is(p, "yum");
		if (!strcmp(sub, "install") || (!yum && !strcmp(sub, "in"))) {
			check_operands(s, g, p, after, yum ? &pin_yum : &pin_dnf, false);
		} else if (!strcmp(sub, "module") && after < p->v.argc &&
			   !strcmp(p->v.argv[after].s, "install")) {
			check_operands(s, g, p, after + 1, yum ? &pin_yum_module : &pin_dnf_module,
				       false);
		}
	} else if (tool_is(p, "go")) {
		if (!strcmp(sub, "install") || !strcmp(sub, "get"))
			check_operands(s, g, p, after, &pin_go, false);
		else if (!strcmp(sub, "run"))
			check_operands(s, g, p, after, &pin_go, true);
	}
}

static void check_pinned(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t i = 0; i < n;) {
		run_group g;
		i = next_group(s, b, runs, n, i, &g);
		for (size_t k = 0; k < g.ncmds; k++)
			check_pin_cmd(s, &g, &g.cmds[k]);
	}
}

const pl_rule rule_PL111 = {
	.code = "PL111", .slug = "package-version-not-pinned", .severity = SEV_LOW,
	.inputs = IN_D,
	.aka = "DL3008 DL3013 DL3016 DL3018 DL3028 DL3033 DL3037 DL3041 DL3062",
	.summary = "A RUN installs packages (apt, apk, pip, npm, gem, yum, dnf, zypper, go) "
		   "without versions.",
	.why = "Without a version, the same Dockerfile installs different software on each "
	       "build: an upstream release can break the image or change its behaviour with no "
	       "change in the repository, and a rollback rebuild does not restore the old one.",
	.fix = "Pin each package (apt-get install curl=7.88.1-10+deb12u5, pip install "
	       "requests==2.31.0, npm install express@4.18.2), or install from a lock or "
	       "requirements file.",
	.check_dockerfile = check_pinned,
};

/* ---- PL916 package-install-not-noninteractive ----------------------------------------- */

/* apt-get's quiet level from -q, -qq, --quiet, -q=N; level 2 implies -y. */
static int apt_quiet(const pm *p)
{
	int q = 0;
	for (size_t k = 1; k < p->v.argc; k++) {
		const char *a = p->v.argv[k].s;
		if (!strcmp(a, "--"))
			break;
		if (!strncmp(a, "--quiet", 7))
			q += a[7] == '=' ? atoi(a + 8) : 1;
		else if (a[0] == '-' && a[1] == 'q' && a[2] == '=')
			q += atoi(a + 3);
		else if (a[0] == '-' && a[1] != '-')
			for (const char *c = a + 1; isalnum((unsigned char)*c); c++)
				q += *c == 'q';
	}
	return q;
}

static bool apt_assume_yes_option(const pm *p)
{
	for (size_t k = 1; k + 1 < p->v.argc; k++)
		if (!strcmp(p->v.argv[k].s, "-o") && strstr(p->v.argv[k + 1].s, "Assume-Yes=") &&
		    truthy(strchr(p->v.argv[k + 1].s, '=') + 1,
			   strlen(strchr(p->v.argv[k + 1].s, '=') + 1)))
			return true;
	return false;
}

static void check_noninteractive(pl_scan *s, const df_build *b)
{
	static const char *const apt_prompts[] = {"install", "upgrade", "dist-upgrade",
		"full-upgrade", "remove", "purge", "autoremove", "build-dep", "reinstall", NULL};
	static const char *const rpm_prompts[] = {"install", "in", "groupinstall",
		"localinstall", "reinstall", "rei", "update", "upgrade", "up", "remove", "erase",
		"downgrade", "module", "group", "distro-sync", NULL};
	static const char *const zypper_prompts[] = {"install", "in", "remove", "rm", "update",
		"up", "patch", "dist-upgrade", "dup", "source-install", "si", NULL};
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t i = 0; i < n;) {
		run_group g;
		i = next_group(s, b, runs, n, i, &g);
		for (size_t k = 0; k < g.ncmds; k++) {
			const pm *p = &g.cmds[k];
			if (p->yes || !p->sub)
				continue;
			const char *sub = p->sub->s;
			if ((tool_is(p, "apt-get") || tool_is(p, "apt")) && listed(apt_prompts, sub)) {
				if (sh_has_opt(&p->v, 'y', "yes") || sh_has_opt(&p->v, 0, "assume-yes") ||
				    apt_simulated(p) ||
				    sh_has_opt(&p->v, 0, "force-yes") || apt_quiet(p) >= 2 ||
				    apt_assume_yes_option(p))
					continue;
				emit_cmd(s, p, tool_is(p, "apt-get") ? "DL3014 AVD-DS-0021" : NULL,
					 "add -y: apt-get install -y ...",
					 "%s %s without -y: it asks for confirmation, and with no "
					 "terminal the build aborts", p->tool, sub);
			} else if ((tool_is(p, "yum") || tool_is(p, "dnf")) &&
				   listed(rpm_prompts, sub)) {
				/* microdnf never asks: its -y does nothing */
				if (sh_has_opt(&p->v, 'y', "assumeyes"))
					continue;
				char fix[64];
				snprintf(fix, sizeof fix, "add -y: %s install -y ...", p->tool);
				emit_cmd(s, p, tool_is(p, "yum") ? "DL3030" : "DL3038", fix,
					 "%s %s without -y: it asks for confirmation, and with no "
					 "terminal the build aborts", p->tool, sub);
			} else if (tool_is(p, "zypper") && listed(zypper_prompts, sub)) {
				if (sh_has_opt(&p->v, 'n', "non-interactive") ||
				    sh_has_opt(&p->v, 'y', "no-confirm"))
					continue;
				emit_cmd(s, p, "DL3034",
					 "add --non-interactive: zypper --non-interactive install ...",
					 "zypper %s without --non-interactive: it asks for confirmation, "
					 "and with no terminal the build aborts", sub);
			}
		}
	}
}

const pl_rule rule_PL916 = {
	.code = "PL916", .slug = "package-install-not-noninteractive", .severity = SEV_MEDIUM,
	.inputs = IN_D,
	.aka = "DL3014 DL3030 DL3034 DL3038 AVD-DS-0021",
	.summary = "apt-get, yum, dnf or zypper installs without its assume-yes switch.",
	.why = "Without -y (zypper: --non-interactive) the package manager asks for "
	       "confirmation; a build has no terminal, so the answer is 'no' and the build fails, "
	       "or it depends on whether this particular install needed extra packages.",
	.fix = "Add the switch: apt-get install -y, yum install -y, dnf install -y, zypper "
	       "--non-interactive install.",
	.check_dockerfile = check_noninteractive,
};

/* ---- PL918 apt-instead-of-apt-get ----------------------------------------------------- */

static void check_apt(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t i = 0; i < n;) {
		run_group g;
		i = next_group(s, b, runs, n, i, &g);
		for (size_t k = 0; k < g.ncmds; k++) {
			const pm *p = &g.cmds[k];
			if (!tool_is(p, "apt") || !p->sub)
				continue;
			bool query = !strcmp(p->sub->s, "search") || !strcmp(p->sub->s, "show") ||
				     !strcmp(p->sub->s, "policy") || !strcmp(p->sub->s, "list");
			emit_cmd(s, p, "DL3027 CKV_DOCKER_9",
				 query ? "use apt-cache (apt-cache policy, apt-cache show ...)" : NULL,
				 "apt %s: apt is the interactive front end and warns that its "
				 "command-line interface is not stable for scripts", p->sub->s);
			break; /* once per RUN */
		}
	}
}

const pl_rule rule_PL918 = {
	.code = "PL918", .slug = "apt-instead-of-apt-get", .severity = SEV_LOW, .inputs = IN_D,
	.aka = "DL3027 CKV_DOCKER_9",
	.summary = "A RUN uses apt instead of apt-get.",
	.why = "apt is meant for people at a terminal: its output and behaviour change between "
	       "releases and it prints a warning when scripted. apt-get and apt-cache keep a "
	       "stable interface for builds.",
	.fix = "Use apt-get (apt-get update, apt-get install -y ...) and apt-cache for queries.",
	.check_dockerfile = check_apt,
};

/* ---- PL920 zypper-dist-upgrade -------------------------------------------------------- */

static void check_zypper_dup(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t i = 0; i < n;) {
		run_group g;
		i = next_group(s, b, runs, n, i, &g);
		for (size_t k = 0; k < g.ncmds; k++) {
			const pm *p = &g.cmds[k];
			if (tool_is(p, "zypper") && p->sub &&
			    (!strcmp(p->sub->s, "dist-upgrade") || !strcmp(p->sub->s, "dup")))
				emit_cmd(s, p, "DL3035", NULL,
					 "zypper %s upgrades the whole distribution inside the build: "
					 "the image no longer matches its base and differs on each build",
					 p->sub->s);
		}
	}
}

const pl_rule rule_PL920 = {
	.code = "PL920", .slug = "zypper-dist-upgrade", .severity = SEV_LOW, .inputs = IN_D,
	.aka = "DL3035",
	.summary = "A RUN runs zypper dist-upgrade.",
	.why = "A distribution upgrade inside an image can move it to a new release with other "
	       "libraries than the base was tested with, and gives a different result each build.",
	.fix = "Install (and pin) the packages you need with zypper install; move to a newer "
	       "base image to upgrade the distribution.",
	.check_dockerfile = check_zypper_dup,
};

/* ---- PL936 package-update-without-install --------------------------------------------- */

/* The index refresh of a package manager, and whether a command installs with it. */
static bool is_refresh(const pm *p)
{
	if (!p->sub)
		return false;
	const char *s = p->sub->s;
	if (tool_is(p, "apt-get") || tool_is(p, "apt") || tool_is(p, "aptitude") ||
	    tool_is(p, "apk"))
		return !strcmp(s, "update");
	if (tool_is(p, "yum") || tool_is(p, "dnf") || tool_is(p, "microdnf"))
		return !strcmp(s, "makecache");
	if (tool_is(p, "zypper"))
		return !strcmp(s, "refresh") || !strcmp(s, "ref");
	return false;
}

static bool is_install(const pm *p)
{
	static const char *const apt[] = {"install", "upgrade", "dist-upgrade", "full-upgrade",
		"build-dep", "source", "reinstall", "safe-upgrade", "download", NULL};
	static const char *const apk[] = {"add", "upgrade", "fix", "fetch", NULL};
	static const char *const zypper[] = {"install", "in", "update", "up", "dist-upgrade",
		"dup", "patch", "source-install", "si", "download", NULL};
	if (!p->sub)
		return false;
	if (tool_is(p, "apt-get") || tool_is(p, "apt") || tool_is(p, "aptitude"))
		return listed(apt, p->sub->s);
	if (tool_is(p, "apk"))
		return listed(apk, p->sub->s);
	if (tool_is(p, "yum") || tool_is(p, "dnf") || tool_is(p, "microdnf"))
		return listed(rpm_install, p->sub->s);
	if (tool_is(p, "zypper"))
		return listed(zypper, p->sub->s);
	return false;
}

static void check_update_alone(pl_scan *s, const df_build *b)
{
	size_t n;
	const pl_run *runs = pl_runs(s, b, &n);
	for (size_t i = 0; i < n;) {
		run_group g;
		i = next_group(s, b, runs, n, i, &g);
		const pm *upd = NULL;
		bool installs = false;
		for (size_t k = 0; k < g.ncmds; k++) {
			if (!upd && is_refresh(&g.cmds[k]))
				upd = &g.cmds[k];
			if (is_install(&g.cmds[k]))
				installs = true;
		}
		char fix[128];
		if (upd)
			snprintf(fix, sizeof fix, "run %s %s and the install in one RUN",
				 upd->tool, upd->sub->s);
		if (upd && !installs)
			emit_cmd(s, upd, "CKV_DOCKER_5 AVD-DS-0017",
				 tool_is(upd, "apt-get") ? NULL : fix,
				 "%s %s with no install in the same RUN: the layer is cached, so a "
				 "later RUN installs from a stale package index", upd->tool,
				 upd->sub->s);
	}
}

const pl_rule rule_PL936 = {
	.code = "PL936", .slug = "package-update-without-install", .severity = SEV_MEDIUM,
	.inputs = IN_D,
	.aka = "CKV_DOCKER_5 AVD-DS-0017",
	.summary = "A RUN refreshes the package index (apt-get update, apk update, ...) but "
		   "installs nothing.",
	.why = "Docker caches the update layer. When a later instruction changes, the install "
	       "RUN is rebuilt on the old index: packages that were since updated or removed on "
	       "the mirror fail to download, or the build quietly gets outdated versions.",
	.fix = "Update and install in one RUN: apt-get update && apt-get install -y ... && rm "
	       "-rf /var/lib/apt/lists/*.",
	.check_dockerfile = check_update_alone,
};
