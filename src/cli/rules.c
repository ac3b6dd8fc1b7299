/* rules.c - `plimsoll rules` lists the rule table; `plimsoll explain RULE` prints one
 * rule's documentation. Both read only the rule structs (rules/rule.h). */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/jsonw.h"
#include "rules/rule.h"

#include <stdio.h>
#include <string.h>

static void inputs_str(unsigned in, char out[16])
{
	static const char letters[] = "DXCKIL";
	size_t k = 0;
	for (int i = 0; i < 6; i++)
		if (in & (1u << i)) {
			if (k)
				out[k++] = ' ';
			out[k++] = letters[i];
		}
	out[k] = '\0';
}

static void aka_json(jsonw *w, const char *aka)
{
	jw_arr(w);
	const char *p = aka;
	while (p && *p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n)
			jw_strn(w, p, n);
		p += n;
	}
	jw_arr_end(w);
}

int cmd_rules(int argc, char **argv)
{
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format=json") ||
		    (!strcmp(argv[i], "--format") && i + 1 < argc && !strcmp(argv[++i], "json"))) {
			json = true;
		} else if (!strcmp(argv[i], "--format=text") || !strcmp(argv[i], "text")) {
			json = false;
		} else {
			fprintf(stderr, "usage: plimsoll rules [--format text|json]\n");
			return 2;
		}
	}
	buf out = BUF_INIT;
	if (json) {
		jsonw w;
		jw_init(&w, &out, true);
		jw_arr(&w);
		for (size_t i = 0; i < pl_nrules; i++) {
			const pl_rule *r = pl_rules[i];
			char in[16];
			inputs_str(r->inputs, in);
			jw_obj(&w);
			jw_key(&w, "code"), jw_str(&w, r->code);
			jw_key(&w, "slug"), jw_str(&w, r->slug);
			jw_key(&w, "severity"), jw_str(&w, pl_severity_name(r->severity));
			jw_key(&w, "inputs"), jw_str(&w, in);
			jw_key(&w, "aka"), aka_json(&w, r->aka);
			jw_key(&w, "opt_in"), jw_bool(&w, r->opt_in);
			/* the inputs Plimsoll reads for this rule today: an input listed in the
			 * catalog is only checked once the rule has a check for it */
			unsigned reads = 0;
			if (r->check_dockerfile)
				reads |= IN_D;
			if (r->check_context)
				reads |= IN_X;
			if (r->check_container)
				reads |= r->inputs & (IN_C | IN_K | IN_I | IN_L);
			if (r->check_k8s_set)
				reads |= IN_K;
			if (r->check_image)
				reads |= IN_I;
			if (r->check_live)
				reads |= IN_L;
			if (!r->check_dockerfile && !r->check_context && !r->check_container &&
			    !r->check_k8s_set && !r->check_image && !r->check_live)
				reads = r->inputs & (IN_D | IN_C | IN_K); /* reported by the engine */
			char rd[16];
			inputs_str(reads, rd);
			jw_key(&w, "reads"), jw_str(&w, rd);
			jw_key(&w, "summary"), jw_str(&w, r->summary);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
		buf_addc(&out, '\n');
	} else {
		buf_printf(&out, "%-6s %-38s %-8s %-12s %s\n", "code", "slug", "severity", "inputs",
			   "aka");
		for (size_t i = 0; i < pl_nrules; i++) {
			const pl_rule *r = pl_rules[i];
			char in[16];
			inputs_str(r->inputs, in);
			buf_printf(&out, "%-6s %-38s %-8s %-12s %s%s\n", r->code, r->slug,
				   pl_severity_name(r->severity), in, r->aka,
				   r->opt_in ? "  (opt-in)" : "");
		}
	}
	fwrite(out.p, 1, out.len, stdout);
	buf_free(&out);
	return 0;
}

int cmd_explain(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: plimsoll explain RULE   (a code, slug or peer id)\n");
		return 2;
	}
	const pl_rule *r = pl_rule_find(argv[1]);
	if (!r) {
		fprintf(stderr, "plimsoll explain: no rule '%s' (see plimsoll rules)\n", argv[1]);
		return 2;
	}
	char in[16];
	inputs_str(r->inputs, in);
	printf("# %s %s\n\n", r->code, r->slug);
	printf("%s\n\n", r->summary);
	printf("- Severity: %s%s\n", pl_severity_name(r->severity),
	       r->opt_in ? " (opt-in: enable with --enable or in .plimsoll.yml)" : "");
	printf("- Inputs: %s (D Dockerfile, X build context, C compose, K Kubernetes, "
	       "I image, L live container)\n", in);
	if (r->aka && *r->aka)
		printf("- Also known as: %s\n", r->aka);
	printf("\n## Why\n\n%s\n\n## Fix\n\n%s\n", r->why, r->fix ? r->fix : "");
	if (r->fix_compose)
		printf("\nIn a compose file: %s\n", r->fix_compose);
	if (r->fix_k8s)
		printf("\nIn a Kubernetes manifest: %s\n", r->fix_k8s);
	if (r->fix_live)
		printf("\nOn a running container (plimsoll live): %s\n", r->fix_live);
	return 0;
}
