/* secrets.h - recognising secrets: names that announce one, and values that are one.
 * Shared by every input kind (ENV, compose environment, Kubernetes env, image config). */
#ifndef PL_SECRETS_H
#define PL_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

/* Whether a variable name says it holds a secret (DB_PASSWORD, GITHUB_TOKEN, API_KEY...).
 * Names that point at a secret rather than hold it (PASSWORD_FILE, TOKEN_URL) are not. */
bool pl_secret_name(const char *name);

/* Whether a value is a placeholder, flag or reference rather than a literal secret:
 * empty, true/false/yes/no, a number under 4 digits, a path, or a $VARIABLE. */
bool pl_secret_value_trivial(const char *value, size_t n);

/* The kind of credential a value matches ("AWS access key id", "GitHub token", "private
 * key"...), or NULL. */
const char *pl_secret_pattern(const char *value, size_t n);

/* Shannon entropy of the bytes, in bits per byte. */
double pl_entropy(const char *s, size_t n);

/* A line of a configuration file that assigns a random-looking literal to a secret name:
 * `DB_PASSWORD=q7Zp...`, `api_key: "x9..."`, `"client_secret": "..."`. The name must pass
 * pl_secret_name; the value must be 20 to 200 characters of [A-Za-z0-9+/=_.~-], hold a
 * letter and a digit, and have at least 3.5 bits of entropy per character, which words,
 * placeholders ("changeme", "<your-token>", "${TOKEN}") and repeated characters do not.
 * Returns the kind, with the value's offset and length, or NULL. */
const char *pl_secret_assignment(const char *line, size_t n, size_t *voff, size_t *vlen);

/* Copy value into out with all but the first 4 characters masked: "AKIA****************". */
void pl_secret_mask(const char *value, size_t n, char *out, size_t outlen);

/* Whether a file name needs its content read to judge it (.npmrc, *.pem, config.json). */
bool pl_secret_file_needs_content(const char *relpath);
/* The kind of secret a file is ("private key", "dotenv file", ".npmrc with a token"...), by
 * its path and, when given, its first bytes; NULL when it is not one. */
const char *pl_secret_file_kind(const char *relpath, const char *content, size_t n);

#endif
