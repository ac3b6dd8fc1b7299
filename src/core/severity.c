/* severity.c - see severity.h. */
#include "severity.h"

#include <strings.h>

static const char *const names[] = {"info", "low", "medium", "high", "critical"};

const char *pl_severity_name(pl_severity s)
{
	if (s < SEV_INFO || s > SEV_CRITICAL)
		return "none";
	return names[s];
}

int pl_severity_parse(const char *s)
{
	if (!strcasecmp(s, "none"))
		return SEV_NONE;
	for (int i = 0; i <= SEV_CRITICAL; i++)
		if (!strcasecmp(s, names[i]))
			return i;
	return -2;
}
