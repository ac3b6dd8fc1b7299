/* secrets.c - see secrets.h. Patterns are matched by hand: they are fixed prefixes with a
 * charset and length, which needs no regex engine. */
#include "model/secrets.h"

#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>

static bool contains_word(const char *upper, const char *w)
{
	const char *p = upper;
	size_t n = strlen(w);
	while ((p = strstr(p, w))) {
		bool left = p == upper || p[-1] == '_' || p[-1] == '-' || p[-1] == '.';
		bool right = p[n] == '\0' || p[n] == '_' || p[n] == '-' || p[n] == '.';
		/* PASSWORD, SECRET, TOKEN also count glued: DBPASSWORD, GHTOKEN */
		if ((left && right) || strlen(w) >= 5)
			return true;
		p += n;
	}
	return false;
}

bool pl_secret_name(const char *name)
{
	char u[256];
	size_t n = strlen(name);
	if (n == 0 || n >= sizeof u)
		return false;
	for (size_t i = 0; i <= n; i++)
		u[i] = (char)toupper((unsigned char)name[i]);
	static const char *const refs[] = {"_FILE", "_PATH", "_DIR", "_URL", "_URI", "_HOST",
					   "_PORT", "_ENDPOINT", "_LENGTH", "_TTL", "_EXPIRY",
					   "_EXPIRES", "_HEADER", "_NAME", "_TYPE", "_ENABLED",
					   "_MODE", "_VERSION", "_ID", "_USER", "_USERNAME", NULL};
	for (size_t i = 0; refs[i]; i++) {
		size_t l = strlen(refs[i]);
		if (n > l && !strcmp(u + n - l, refs[i]) && strcmp(u, "AWS_ACCESS_KEY_ID"))
			return false;
	}
	static const char *const words[] = {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY",
					    "APIKEY", "PRIVATE_KEY", "ACCESS_KEY", "SECRET_KEY",
					    "CREDENTIALS", "CLIENT_SECRET", "AUTH_KEY", "PASSPHRASE",
					    "AWS_ACCESS_KEY_ID", NULL};
	for (size_t i = 0; words[i]; i++)
		if (contains_word(u, words[i]))
			return true;
	return false;
}

bool pl_secret_value_trivial(const char *v, size_t n)
{
	while (n && isspace((unsigned char)*v))
		v++, n--;
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	if (n == 0 || v[0] == '$' || v[0] == '/')
		return true;
	static const char *const flags[] = {"true", "false", "yes", "no", "on", "off", "none",
					    "null", "changeme", "change-me", "placeholder", "dummy",
					    "todo", "tbd", "redacted", NULL};
	for (size_t i = 0; flags[i]; i++)
		if (strlen(flags[i]) == n && !strncasecmp(v, flags[i], n))
			return true;
	/* placeholders: <your-token>, {{ token }}, xxx, ****, one character repeated */
	if ((v[0] == '<' && v[n - 1] == '>') || (n >= 2 && v[0] == '{' && v[1] == '{'))
		return true;
	bool same = true;
	for (size_t i = 1; i < n; i++)
		same = same && v[i] == v[0];
	if (same)
		return true;
	if (n < 4) {
		bool digits = true;
		for (size_t i = 0; i < n; i++)
			digits = digits && isdigit((unsigned char)v[i]);
		if (digits)
			return true;
	}
	return false;
}

/* prefix followed by at least min characters of the set. */
static bool prefixed(const char *v, size_t n, const char *prefix, const char *set, size_t min)
{
	size_t pl = strlen(prefix);
	const char *p = v;
	while ((p = memmem(p, n - (size_t)(p - v), prefix, pl))) {
		size_t k = 0;
		const char *q = p + pl;
		while ((size_t)(q - v) < n && strchr(set, *q) && *q)
			q++, k++;
		if (k >= min)
			return true;
		p += pl;
		if ((size_t)(p - v) >= n)
			break;
	}
	return false;
}

#define UPPERNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/* scheme://user:password@host with a literal password. */
static bool url_with_password(const char *v, size_t n)
{
	const char *p = memmem(v, n, "://", 3);
	if (!p)
		return false;
	const char *start = p + 3, *end = v + n;
	const char *at = memchr(start, '@', (size_t)(end - start));
	if (!at)
		return false;
	for (const char *q = start; q < at; q++)
		if (*q == '/' || *q == ' ')
			return false; /* the @ is in a path, not in the authority */
	const char *colon = memchr(start, ':', (size_t)(at - start));
	return colon && colon + 1 < at && colon[1] != '$' && colon[1] != '{';
}

const char *pl_secret_pattern(const char *v, size_t n)
{
	if (memmem(v, n, "PRIVATE KEY-----", 16))
		return "private key";
	if (url_with_password(v, n))
		return "password in a URL";
	if (prefixed(v, n, "AKIA", UPPERNUM, 16) || prefixed(v, n, "ASIA", UPPERNUM, 16))
		return "AWS access key id";
	static const char *const gh[] = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", NULL};
	for (size_t i = 0; gh[i]; i++)
		if (prefixed(v, n, gh[i], ALNUM, 36))
			return "GitHub token";
	if (prefixed(v, n, "github_pat_", ALNUM "_", 60))
		return "GitHub token";
	if (prefixed(v, n, "glpat-", ALNUM "_-", 20))
		return "GitLab token";
	if (prefixed(v, n, "xoxb-", ALNUM "-", 20) || prefixed(v, n, "xoxp-", ALNUM "-", 20) ||
	    prefixed(v, n, "xoxa-", ALNUM "-", 20))
		return "Slack token";
	if (prefixed(v, n, "sk_live_", ALNUM, 20) || prefixed(v, n, "rk_live_", ALNUM, 20))
		return "Stripe secret key";
	if (prefixed(v, n, "AIza", ALNUM "_-", 35))
		return "Google API key";
	if (prefixed(v, n, "npm_", ALNUM, 36))
		return "npm token";
	if (prefixed(v, n, "SG.", ALNUM "_-", 60))
		return "SendGrid key";
	return NULL;
}

void pl_secret_mask(const char *v, size_t n, char *out, size_t outlen)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < outlen && i < 40; i++)
		out[k++] = i < 4 ? v[i] : '*';
	out[k] = '\0';
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix);
}

bool pl_secret_file_needs_content(const char *relpath)
{
	const char *b = base_name(relpath);
	return !strcmp(b, ".npmrc") || !strcmp(b, ".pypirc") || !strcmp(b, ".yarnrc.yml") ||
	       ends_with(b, ".pem") || ends_with(b, ".key") ||
	       (!strcmp(b, "config.json") && strstr(relpath, ".docker/"));
}

const char *pl_secret_file_kind(const char *relpath, const char *c, size_t n)
{
	const char *b = base_name(relpath);
	if (!strcmp(b, ".env") || (!strncmp(b, ".env.", 5) && !ends_with(b, ".example") &&
				   !ends_with(b, ".sample") && !ends_with(b, ".template") &&
				   !ends_with(b, ".dist") && !ends_with(b, ".defaults")))
		return "dotenv file";
	if (!strcmp(b, "id_rsa") || !strcmp(b, "id_dsa") || !strcmp(b, "id_ecdsa") ||
	    !strcmp(b, "id_ed25519"))
		return "SSH private key";
	if (!strcmp(b, ".git-credentials"))
		return "git credentials";
	if (!strcmp(b, ".netrc") || !strcmp(b, "_netrc"))
		return ".netrc credentials";
	if (!strcmp(b, "credentials") && strstr(relpath, ".aws/"))
		return "AWS credentials";
	if (!strcmp(b, "kubeconfig") || (!strcmp(b, "config") && strstr(relpath, ".kube/")))
		return "kubeconfig";
	if (ends_with(b, ".p12") || ends_with(b, ".pfx") || ends_with(b, ".jks") ||
	    ends_with(b, ".keystore"))
		return "key store";
	if (!c)
		return NULL;
	if ((ends_with(b, ".pem") || ends_with(b, ".key")) && memmem(c, n, "PRIVATE KEY", 11))
		return "private key";
	if ((!strcmp(b, ".npmrc") || !strcmp(b, ".yarnrc.yml")) &&
	    (memmem(c, n, "_authToken", 10) || memmem(c, n, "_auth=", 6) ||
	     memmem(c, n, "npmAuthToken", 12)))
		return ".npmrc with a token";
	if (!strcmp(b, ".pypirc") && memmem(c, n, "password", 8))
		return ".pypirc with a password";
	if (!strcmp(b, "config.json") && memmem(c, n, "\"auth\"", 6))
		return "Docker registry credentials";
	return NULL;
}

double pl_entropy(const char *s, size_t n)
{
	size_t count[256] = {0};
	for (size_t i = 0; i < n; i++)
		count[(unsigned char)s[i]]++;
	double h = 0;
	for (int i = 0; i < 256; i++)
		if (count[i]) {
			double p = (double)count[i] / (double)n;
			h -= p * log2(p);
		}
	return h;
}

static bool value_byte(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("+/=_.~-", c));
}

const char *pl_secret_assignment(const char *line, size_t n, size_t *voff, size_t *vlen)
{
	size_t i = 0;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (n - i > 7 && !strncmp(line + i, "export ", 7))
		i += 7;
	bool quoted_key = i < n && line[i] == '"';
	if (quoted_key)
		i++;
	size_t ks = i;
	while (i < n && (isalnum((unsigned char)line[i]) || line[i] == '_' || line[i] == '-' ||
			 line[i] == '.'))
		i++;
	size_t kl = i - ks;
	if (kl == 0 || kl >= 128)
		return NULL;
	if (quoted_key && (i >= n || line[i++] != '"'))
		return NULL;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= n || (line[i] != '=' && line[i] != ':'))
		return NULL;
	i++;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	char q = i < n && (line[i] == '"' || line[i] == '\'') ? line[i++] : 0;
	size_t vs = i;
	while (i < n && value_byte(line[i]))
		i++;
	size_t vl = i - vs;
	/* the value must be the whole rest of the line (up to a quote, a comma or a comment) */
	if (q && (i >= n || line[i] != q))
		return NULL;
	if (q)
		i++;
	while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == ',' || line[i] == '\r'))
		i++;
	if (i < n && line[i] != '#')
		return NULL;
	if (vl < 20 || vl > 200)
		return NULL;
	char key[128];
	/* "spring.datasource.password", "db-password": the name check reads SNAKE_CASE */
	for (size_t k = 0; k < kl; k++)
		key[k] = line[ks + k] == '.' || line[ks + k] == '-' ? '_' : line[ks + k];
	key[kl] = '\0';
	if (!pl_secret_name(key))
		return NULL;
	bool alpha = false, digit = false;
	for (size_t k = 0; k < vl; k++) {
		alpha = alpha || isalpha((unsigned char)line[vs + k]);
		digit = digit || isdigit((unsigned char)line[vs + k]);
	}
	if (!alpha || !digit || pl_entropy(line + vs, vl) < 3.5)
		return NULL;
	*voff = vs;
	*vlen = vl;
	return "high-entropy secret assigned to a secret name";
}
