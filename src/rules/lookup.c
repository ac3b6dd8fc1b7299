/* lookup.c - find rules by code, slug or peer id. */
#include "rules/rule.h"

#include <string.h>
#include <strings.h>

bool pl_rule_has_aka(const pl_rule *r, const char *id)
{
	size_t n = strlen(id);
	const char *p = r->aka;
	while (p && *p) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		if ((size_t)(e - p) == n && n && !strncasecmp(p, id, n))
			return true;
		p = e;
	}
	return false;
}

const pl_rule *pl_rule_find(const char *name)
{
	for (size_t i = 0; i < pl_nrules; i++)
		if (!strcasecmp(pl_rules[i]->code, name) || !strcasecmp(pl_rules[i]->slug, name))
			return pl_rules[i];
	for (size_t i = 0; i < pl_nrules; i++)
		if (pl_rule_has_aka(pl_rules[i], name))
			return pl_rules[i];
	return NULL;
}
