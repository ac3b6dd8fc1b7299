/* prefetch.c - a layer blob read and hashed on a second core (img_opts.jobs >= 2).
 *
 * The layer reader's work splits in two nearly equal halves: getting the compressed bytes
 * (from a file, the outer tar or the network) and their sha256, and inflating, hashing and
 * parsing the tar. A producer thread does the first half into a ring of a few fixed
 * buffers; the reader pulls from the ring through the usual img_bytes interface. Memory
 * stays bounded (PF_SLOTS x PF_SLOT bytes), and the bytes and their order are exactly those
 * of the one-thread path, so every digest and finding is the same. */
#include "image/internal.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *producer(void *arg)
{
	img_prefetch *pf = arg;
	for (;;) {
		const void *b;
		long n = pf->in->read(pf->in->h, &b);
		pthread_mutex_lock(&pf->mu);
		while (pf->count == PF_SLOTS && !pf->cancel)
			pthread_cond_wait(&pf->not_full, &pf->mu);
		if (pf->cancel) {
			pthread_mutex_unlock(&pf->mu);
			break;
		}
		int slot = (pf->head + pf->count) % PF_SLOTS;
		pthread_mutex_unlock(&pf->mu);
		/* the slot is ours until it is counted: copy and hash outside the lock */
		if (n > 0) {
			size_t k = (size_t)n;
			if (k > PF_SLOT)
				k = PF_SLOT; /* sources read at most 256 KiB (fd_src, libarchive blocks) */
			memcpy(pf->slot[slot], b, k);
			EVP_DigestUpdate(pf->md, b, (size_t)n);
			if (k < (size_t)n) { /* never for our sources, but never silently wrong */
				n = -1;
				snprintf(pf->in->err, sizeof pf->in->err, "read block over %u bytes",
					 PF_SLOT);
			}
		}
		pthread_mutex_lock(&pf->mu);
		pf->len[slot] = n;
		pf->count++;
		pthread_cond_signal(&pf->not_empty);
		pthread_mutex_unlock(&pf->mu);
		if (n <= 0)
			break; /* the end, or an error the reader will see */
	}
	return NULL;
}

static long pf_read(void *h, const void **out)
{
	img_prefetch *pf = h;
	pthread_mutex_lock(&pf->mu);
	if (pf->holding) { /* the slot handed out last time is free again */
		pf->head = (pf->head + 1) % PF_SLOTS;
		pf->count--;
		pf->holding = false;
		pthread_cond_signal(&pf->not_full);
	}
	if (pf->finished) {
		pthread_mutex_unlock(&pf->mu);
		return pf->final;
	}
	while (pf->count == 0)
		pthread_cond_wait(&pf->not_empty, &pf->mu);
	long n = pf->len[pf->head];
	if (n <= 0) {
		pf->finished = true;
		pf->final = n;
		if (n < 0)
			snprintf(pf->self.err, sizeof pf->self.err, "%s",
				 pf->in->err[0] ? pf->in->err : "read error");
	} else {
		pf->holding = true;
		*out = pf->slot[pf->head];
	}
	pthread_mutex_unlock(&pf->mu);
	return n;
}

bool img_prefetch_start(img_prefetch *pf, img_bytes *in)
{
	memset(pf, 0, sizeof *pf);
	pf->in = in;
	pf->md = EVP_MD_CTX_new();
	pf->buf = malloc((size_t)PF_SLOTS * PF_SLOT);
	if (!pf->md || !pf->buf) {
		EVP_MD_CTX_free(pf->md);
		free(pf->buf);
		return false;
	}
	for (int i = 0; i < PF_SLOTS; i++)
		pf->slot[i] = pf->buf + (size_t)i * PF_SLOT;
	EVP_DigestInit_ex(pf->md, EVP_sha256(), NULL);
	pthread_mutex_init(&pf->mu, NULL);
	pthread_cond_init(&pf->not_empty, NULL);
	pthread_cond_init(&pf->not_full, NULL);
	pf->self.read = pf_read;
	pf->self.h = pf;
	if (pthread_create(&pf->thread, NULL, producer, pf) != 0) {
		pthread_mutex_destroy(&pf->mu);
		pthread_cond_destroy(&pf->not_empty);
		pthread_cond_destroy(&pf->not_full);
		EVP_MD_CTX_free(pf->md);
		free(pf->buf);
		return false;
	}
	return true;
}

void img_prefetch_stop(img_prefetch *pf, char blob_sha[72])
{
	pthread_mutex_lock(&pf->mu);
	pf->cancel = true; /* a reader that stopped early: the producer must not wait */
	pthread_cond_broadcast(&pf->not_full);
	pthread_mutex_unlock(&pf->mu);
	pthread_join(pf->thread, NULL);
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_DigestFinal_ex(pf->md, d, &n);
	memcpy(blob_sha, "sha256:", 7);
	for (unsigned i = 0; i < n && i < 32; i++)
		snprintf(blob_sha + 7 + 2 * i, 3, "%02x", d[i]);
	EVP_MD_CTX_free(pf->md);
	pthread_mutex_destroy(&pf->mu);
	pthread_cond_destroy(&pf->not_empty);
	pthread_cond_destroy(&pf->not_full);
	free(pf->buf);
}
