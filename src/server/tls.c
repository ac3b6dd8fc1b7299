/* tls.c - see tls.h.
 *
 * The handshake callback has no user argument (GnuTLS's retrieve function and MHD's option
 * take none), so the served pair lives in this file's state, behind a mutex: one server
 * per process.
 *
 * GnuTLS keeps pointers to the pair it was handed for the session's lifetime without
 * owning them, so a replaced pair cannot be freed at once: it is kept on a retired list
 * and freed RETIRE_AFTER seconds later, when every handshake that could have picked it has
 * long finished (the daemon drops connections idle for far less), or at shutdown.
 * Rotations happen a few times a year, so the list stays short. */
#include "server/tls.h"
#include "core/file.h"
#include "core/xalloc.h"

#include <gnutls/x509.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
	MAX_CHAIN = 16,
	MAX_PEM = 1 << 20,
	RETIRE_AFTER = 600,
};

typedef struct pair {
	gnutls_pcert_st chain[MAX_CHAIN];
	unsigned n;
	gnutls_privkey_t key;
	time_t not_before, not_after;
	time_t retired;
	struct pair *next;       /* retired list */
} pair;

typedef struct file_id {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
	bool ok;
} file_id;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pair *current, *retired;
static char *cert_path, *key_path;
static file_id cert_fid, key_fid;

static file_id identify(const char *path)
{
	file_id id = {0};
	struct stat st;
	if (stat(path, &st) == 0) {
		id = (file_id){st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim, true};
	}
	return id;
}

static bool same_id(const file_id *a, const file_id *b)
{
	return a->ok == b->ok && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec &&
	       a->ctime.tv_sec == b->ctime.tv_sec && a->ctime.tv_nsec == b->ctime.tv_nsec;
}

static void pair_free(pair *p)
{
	for (unsigned i = 0; i < p->n; i++)
		gnutls_pcert_deinit(&p->chain[i]);
	if (p->key)
		gnutls_privkey_deinit(p->key);
	free(p);
}

/* The key id of a public key, for comparing the certificate's with the private key's. */
static int key_id(gnutls_pubkey_t pub, unsigned char *out, size_t *n)
{
	return gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA256, out, n);
}

static pair *load(const char *cert_file, const char *key_file, char *err, size_t errlen)
{
	pl_input c = {0}, k = {0};
	char why[256];
	pair *p = xcalloc(1, sizeof *p);
	if (pl_read_file(cert_file, MAX_PEM, &c, why, sizeof why) < 0) {
		snprintf(err, errlen, "%s: %s", cert_file, why);
		goto bad;
	}
	if (pl_read_file(key_file, MAX_PEM, &k, why, sizeof why) < 0) {
		snprintf(err, errlen, "%s: %s", key_file, why);
		goto bad;
	}
	gnutls_datum_t cd = {(unsigned char *)c.data, (unsigned)c.len};
	gnutls_datum_t kd = {(unsigned char *)k.data, (unsigned)k.len};
	p->n = MAX_CHAIN;
	int rc = gnutls_pcert_list_import_x509_raw(p->chain, &p->n, &cd, GNUTLS_X509_FMT_PEM, 0);
	if (rc < 0 || p->n == 0) {
		p->n = 0;
		snprintf(err, errlen, "%s: not a PEM certificate (chain): %s", cert_file,
			 gnutls_strerror(rc));
		goto bad;
	}
	if ((rc = gnutls_privkey_init(&p->key)) < 0 ||
	    (rc = gnutls_privkey_import_x509_raw(p->key, &kd, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
		snprintf(err, errlen, "%s: not a PEM private key: %s", key_file, gnutls_strerror(rc));
		goto bad;
	}
	/* the key must be the certificate's, or every handshake would fail */
	unsigned char a[64], b[64];
	size_t na = sizeof a, nb = sizeof b;
	gnutls_pubkey_t pub;
	bool match = false;
	if (gnutls_pubkey_init(&pub) == 0) {
		match = gnutls_pubkey_import_privkey(pub, p->key, 0, 0) == 0 &&
			key_id(pub, a, &na) == 0 && key_id(p->chain[0].pubkey, b, &nb) == 0 &&
			na == nb && !memcmp(a, b, na);
		gnutls_pubkey_deinit(pub);
	}
	if (!match) {
		snprintf(err, errlen, "%s does not match the certificate in %s", key_file, cert_file);
		goto bad;
	}
	gnutls_x509_crt_t crt;
	if (gnutls_x509_crt_init(&crt) == 0) {
		if (gnutls_x509_crt_import(crt, &p->chain[0].cert, GNUTLS_X509_FMT_DER) == 0) {
			p->not_before = gnutls_x509_crt_get_activation_time(crt);
			p->not_after = gnutls_x509_crt_get_expiration_time(crt);
		}
		gnutls_x509_crt_deinit(crt);
	}
	/* key material should not linger in freed heap memory */
	gnutls_memset(k.data, 0, k.len);
	pl_input_free(&c);
	pl_input_free(&k);
	return p;
bad:
	if (k.data)
		gnutls_memset(k.data, 0, k.len);
	pl_input_free(&c);
	pl_input_free(&k);
	pair_free(p);
	return NULL;
}

int pl_tls_init(const char *cert_file, const char *key_file, char *err, size_t errlen)
{
	cert_path = xstrdup(cert_file);
	key_path = xstrdup(key_file);
	cert_fid = identify(cert_path);
	key_fid = identify(key_path);
	current = load(cert_path, key_path, err, errlen);
	return current ? 0 : -1;
}

int pl_tls_check(char *err, size_t errlen)
{
	time_t now = time(NULL);
	/* free what retired long enough ago (only this thread touches the list) */
	for (pair **pp = &retired; *pp;) {
		if (now - (*pp)->retired >= RETIRE_AFTER) {
			pair *old = *pp;
			*pp = old->next;
			pair_free(old);
		} else {
			pp = &(*pp)->next;
		}
	}
	file_id c = identify(cert_path), k = identify(key_path);
	if (same_id(&c, &cert_fid) && same_id(&k, &key_fid))
		return 0;
	/* remembered even when the load fails: a half-written pair is retried when a file
	 * changes again, not reported every second */
	cert_fid = c;
	key_fid = k;
	pair *p = load(cert_path, key_path, err, errlen);
	if (!p)
		return -1;
	pthread_mutex_lock(&lock);
	pair *old = current;
	current = p;
	pthread_mutex_unlock(&lock);
	old->retired = now;
	old->next = retired;
	retired = old;
	return 1;
}

bool pl_tls_valid(time_t now)
{
	pthread_mutex_lock(&lock);
	bool ok = current && now >= current->not_before && now < current->not_after;
	pthread_mutex_unlock(&lock);
	return ok;
}

time_t pl_tls_not_after(void)
{
	pthread_mutex_lock(&lock);
	time_t t = current ? current->not_after : 0;
	pthread_mutex_unlock(&lock);
	return t;
}

void pl_tls_free(void)
{
	while (retired) {
		pair *p = retired;
		retired = p->next;
		pair_free(p);
	}
	if (current)
		pair_free(current);
	current = NULL;
	free(cert_path);
	free(key_path);
	cert_path = key_path = NULL;
}

int pl_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
		    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
		    gnutls_pcert_st **pcert, unsigned int *pcert_length,
		    gnutls_privkey_t *privkey)
{
	(void)session, (void)req_ca_rdn, (void)nreqs, (void)pk_algos, (void)pk_algos_length;
	pthread_mutex_lock(&lock);
	pair *p = current;
	if (p) {
		*pcert = p->chain;
		*pcert_length = p->n;
		*privkey = p->key;
	}
	pthread_mutex_unlock(&lock);
	return p ? 0 : -1;
}
