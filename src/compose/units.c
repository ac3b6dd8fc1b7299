/* units.c - Compose byte sizes and durations.
 *
 * Byte values are parsed as docker/go-units RAMInBytes, which Compose uses for mem_limit,
 * memswap_limit, shm_size and deploy memory: a decimal number, an optional space, an
 * optional k/m/g/t/p (any case), an optional i and an optional b; multiples are binary
 * ("1g" = "1gb" = "1GiB" = 1073741824). Durations are Go's time.ParseDuration: a sequence
 * of decimal numbers each with a unit (ns, us, µs, ms, s, m, h), an optional sign, or "0";
 * a bare number is not a duration. Kubernetes quantities are a different grammar
 * (model/quantity). */
#include "compose/internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A decimal number at s: digits with an optional fraction. Returns chars read, 0 if none. */
static size_t number(const char *s, double *v)
{
	size_t i = 0;
	while (isdigit((unsigned char)s[i]))
		i++;
	size_t int_digits = i;
	if (s[i] == '.') {
		size_t j = i + 1;
		while (isdigit((unsigned char)s[j]))
			j++;
		if (j > i + 1 || int_digits)
			i = j;
	}
	if (i == 0 || (i == 1 && s[0] == '.'))
		return 0;
	char tmp[64];
	if (i >= sizeof tmp)
		return 0;
	memcpy(tmp, s, i);
	tmp[i] = '\0';
	*v = strtod(tmp, NULL);
	return i;
}

bool cz_parse_bytes(const char *s, double *out)
{
	double v;
	size_t i = number(s, &v);
	if (!i)
		return false;
	if (s[i] == ' ')
		i++;
	double mul = 1;
	switch (tolower((unsigned char)s[i])) {
	case 'k': mul = 1024.0; i++; break;
	case 'm': mul = 1024.0 * 1024; i++; break;
	case 'g': mul = 1024.0 * 1024 * 1024; i++; break;
	case 't': mul = 1024.0 * 1024 * 1024 * 1024; i++; break;
	case 'p': mul = 1024.0 * 1024 * 1024 * 1024 * 1024; i++; break;
	default: break;
	}
	if (s[i] == 'i' || s[i] == 'I')
		i++;
	if (s[i] == 'b' || s[i] == 'B')
		i++;
	if (s[i] != '\0')
		return false;
	*out = v * mul;
	return isfinite(*out);
}

bool cz_parse_duration(const char *s, double *out)
{
	const char *p = s;
	bool neg = false;
	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	if (strcmp(p, "0") == 0) {
		*out = 0;
		return true;
	}
	if (!*p)
		return false;
	double total = 0;
	while (*p) {
		double v;
		size_t n = number(p, &v);
		if (!n)
			return false;
		p += n;
		double unit;
		if (strncmp(p, "ns", 2) == 0) {
			unit = 1e-9;
			p += 2;
		} else if (strncmp(p, "us", 2) == 0) {
			unit = 1e-6;
			p += 2;
		} else if (strncmp(p, "\xC2\xB5s", 3) == 0 || strncmp(p, "\xCE\xBCs", 3) == 0) {
			unit = 1e-6;
			p += 3;
		} else if (strncmp(p, "ms", 2) == 0) {
			unit = 1e-3;
			p += 2;
		} else if (*p == 's') {
			unit = 1;
			p++;
		} else if (*p == 'm') {
			unit = 60;
			p++;
		} else if (*p == 'h') {
			unit = 3600;
			p++;
		} else {
			return false; /* missing or unknown unit */
		}
		total += v * unit;
	}
	*out = neg ? -total : total;
	return isfinite(*out);
}
