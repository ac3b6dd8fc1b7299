/* image_contents.c - what a built image holds (catalog sections 1 and 6, input I): PL609
 * layer-digest-mismatch, PL603 secret files in any layer (deleted or not), PL606 secrets in
 * the history, PL116 setuid files, PL118 shell and package
 * manager, PL115 size and waste. (PL603's, PL117's and PL105's image checks live with their
 * rules.) The image reader (image/image.h) has
 * verified and merged everything; these rules only read that model. */
#include "image/image.h"
#include "model/secrets.h"
#include "rules/util.h"

#include <stdio.h>
#include <string.h>

static void check_integrity(pl_scan *s, const pl_image *img)
{
	for (size_t i = 0; i < img->nproblems; i++)
		pl_emit(s, NULL, NULL, NULL, "%s: %s", img->problems[i].where, img->problems[i].msg);
}

const pl_rule rule_PL609 = {
	.code = "PL609", .slug = "layer-digest-mismatch", .severity = SEV_CRITICAL, .inputs = IN_I,
	.aka = "",
	.summary = "A layer's content does not match its digest or the config's diff_ids.",
	.why = "Digests are what make an image the image that was built and scanned; content "
	       "that does not match was corrupted or tampered with after the fact.",
	.fix = "Do not run it: pull or rebuild the image from a trusted source and compare digests.",
	.check_image = check_integrity,
};

static void check_history(pl_scan *s, const pl_image *img)
{
	for (size_t i = 0; i < img->nhistory; i++) {
		const char *by = img->history[i].created_by;
		if (!by || pl_config_secret_allowed(s->cfg, NULL, by, strlen(by), true))
			continue;
		const char *kind = pl_secret_pattern(by, strlen(by));
		if (kind)
			pl_emit(s, NULL, NULL, NULL,
				"history entry %zu shows a credential (%s) in the command that built it: "
				"docker history shows it to anyone who pulls the image", i + 1, kind);
	}
}

const pl_rule rule_PL606 = {
	.code = "PL606", .slug = "secret-in-history", .severity = SEV_CRITICAL, .inputs = IN_I,
	.aka = "CIS-DI-0010",
	.summary = "A credential pattern appears in the image history (created_by).",
	.why = "Build arguments and commands are stored in the image's history, which every puller "
	       "can read with docker history --no-trunc.",
	.fix = "Rebuild with RUN --mount=type=secret and rotate the exposed credential.",
	.check_image = check_history,
};

static void check_setuid(pl_scan *s, const pl_image *img)
{
	pl_pathlist l = {0};
	for (size_t i = 0; i < img->nfiles; i++) {
		const img_file *f = &img->files[i];
		if (!f->deleted && f->type == '-' && ((f->mode & 06000) || f->has_file_caps) &&
		    !pl_config_setuid_allowed(s->cfg, f->path))
			pl_pathlist_add(&l, f->path);
	}
	if (l.n)
		pl_emit(s, NULL, "CIS-DI-0008", NULL, "%zu setuid/setgid or file-capability binar%s: %s",
			l.n, l.n == 1 ? "y" : "ies", pl_pathlist_str(&l));
}

const pl_rule rule_PL116 = {
	.code = "PL116", .slug = "setuid-files", .severity = SEV_MEDIUM, .inputs = IN_I,
	.aka = "CIS-DI-0008",
	.summary = "The image holds setuid or setgid files (or file capabilities).",
	.why = "A setuid binary turns a compromised unprivileged process into root; services never "
	       "need them at run time.",
	.fix = "Remove them in the Dockerfile (RUN find / -perm /6000 -type f -exec chmod a-s {} +) "
	       "or use a distroless base.",
	.check_image = check_setuid,
};

static bool present(const pl_image *img, const char *const *paths)
{
	for (size_t i = 0; paths[i]; i++) {
		const img_file *f = pl_image_file(img, paths[i]);
		if (f && !f->deleted)
			return true;
	}
	return false;
}

static void check_shell(pl_scan *s, const pl_image *img)
{
	static const char *const shells[] = {"/bin/sh", "/bin/bash", "/usr/bin/sh", "/usr/bin/bash",
					     "/bin/ash", "/bin/busybox", NULL};
	static const char *const pms[] = {"/usr/bin/apt-get", "/usr/bin/apt", "/usr/bin/dpkg",
					  "/sbin/apk", "/usr/bin/dnf", "/usr/bin/yum",
					  "/usr/bin/microdnf", "/usr/bin/zypper", "/usr/bin/rpm", NULL};
	if (present(img, shells) && present(img, pms))
		pl_emit(s, NULL, NULL, NULL,
			"the image ships a shell and a package manager: an intruder can install tools");
}

const pl_rule rule_PL118 = {
	.code = "PL118", .slug = "shell-in-final-image", .severity = SEV_INFO, .inputs = IN_I,
	.aka = "",
	.summary = "The final image ships a shell and a package manager (not distroless).",
	.why = "A shell and a package manager are the first tools an intruder reaches for.",
	.fix = "Use a distroless or scratch base for the final stage.",
	.check_image = check_shell,
};

static void check_size(pl_scan *s, const pl_image *img)
{
	int64_t wasted = 0;
	for (size_t i = 0; i < img->nlayers; i++)
		wasted += img->layers[i].wasted_bytes;
	const int64_t budget = 1024LL * 1024 * 1024; /* 1 GiB */
	if (img->total_bytes > budget)
		pl_emit(s, NULL, NULL, NULL, "the image is %.1f MB uncompressed, over the %.0f MB budget",
			(double)img->total_bytes / 1e6, (double)budget / 1e6);
	/* dive's efficiency: wasted bytes over all bytes; 10%% and 10 MB before it is news */
	if (img->total_bytes > 0 && wasted > 10 * 1000 * 1000 &&
	    (double)wasted / (double)img->total_bytes > 0.10)
		pl_emit(s, NULL, NULL, NULL,
			"%.1f MB (%.0f%%) of the image are files that a later layer overwrites or deletes "
			"(dive efficiency %.0f%%)", (double)wasted / 1e6,
			100.0 * (double)wasted / (double)img->total_bytes,
			100.0 * (1.0 - (double)wasted / (double)img->total_bytes));
}

const pl_rule rule_PL115 = {
	.code = "PL115", .slug = "large-image", .severity = SEV_LOW, .inputs = IN_I,
	.aka = "",
	.summary = "The image's uncompressed size passes the budget (1 GB), or files overwritten or "
		   "deleted by later layers pass 10% of it.",
	.why = "Every byte is pulled on every deploy and scaled node; bytes a later layer deletes "
	       "are still pulled.",
	.fix = "Use a smaller base, multi-stage builds, and clean up in the same RUN that creates "
	       "the files.",
	.check_image = check_size,
};
