/* tls.h - the server's certificate and key, reloaded when the files change on disk.
 *
 * libmicrohttpd (with GnuTLS, as Debian builds it) asks for the certificate on every TLS
 * handshake through MHD_OPTION_HTTPS_CERT_CALLBACK; pl_tls_retrieve hands it the current
 * pair. pl_tls_check, called about once a second, compares the files' identity (device,
 * inode, size, change and modification times: a Kubernetes Secret volume swaps a
 * symlink, cert-manager rewrites in place) and loads a changed pair; only a pair that
 * parses, whose key matches the certificate, replaces the served one. New connections
 * get the new certificate at once; established ones keep theirs; nothing restarts. */
#ifndef PL_SERVER_TLS_H
#define PL_SERVER_TLS_H

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Load the pair for the first time. Returns -1 with a reason in err. */
int pl_tls_init(const char *cert_file, const char *key_file, char *err, size_t errlen);
/* Reload when the files changed: 1 reloaded, 0 unchanged, -1 changed but unusable (err
 * set; the previous pair stays). */
int pl_tls_check(char *err, size_t errlen);
/* Whether the served certificate is within its validity period now. */
bool pl_tls_valid(time_t now);
time_t pl_tls_not_after(void);
/* Free everything (after the HTTP daemon has stopped). */
void pl_tls_free(void);

/* The handshake callback (gnutls_certificate_retrieve_function2). */
int pl_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
		    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
		    gnutls_pcert_st **pcert, unsigned int *pcert_length,
		    gnutls_privkey_t *privkey);

#endif
