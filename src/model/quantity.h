/* quantity.h - Kubernetes resource quantities ("500m", "1Gi", "1e3") as the API server reads them.
 *
 * The verdict is the one k8s.io/apimachinery's resource.ParseQuantity gives, quirks included,
 * because a linter that rejects what `kubectl apply` accepts (or the reverse) reports things
 * that are not true. Two quirks matter to callers:
 *   - a text without any digit can still parse: "Gi", "m", "-", "+", "." and "-." are all 0
 *     (kubernetes/apimachinery#165); `has_digits` tells those apart so a caller can refuse them;
 *   - negative quantities parse ("-1Gi"); the API server's validation later rejects negative
 *     requests and limits, so the caller decides what a negative value means.
 * The value is a double in base units (bytes, cores): exact for everything a manifest normally
 * holds, and rounded up to a multiple of 1n (1e-9) and capped at 2^63-1 for binary suffixes, as
 * ParseQuantity does. */
#ifndef PL_QUANTITY_H
#define PL_QUANTITY_H

#include <stdbool.h>
#include <stddef.h>

typedef enum pl_qformat {
	PLQ_DECIMAL_SI,        /* "", n u m k M G T P E */
	PLQ_BINARY_SI,         /* Ki Mi Gi Ti Pi Ei */
	PLQ_DECIMAL_EXPONENT,  /* e3, E-6 */
} pl_qformat;

typedef struct pl_quantity {
	bool valid;            /* resource.ParseQuantity accepts the text */
	bool has_digits;       /* at least one digit was written */
	bool negative;         /* a leading '-' (also on a zero) */
	pl_qformat format;
	double value;          /* base units; 0 when not valid */
} pl_quantity;

/* Parse s[0..n). Returns out->valid. No whitespace is allowed anywhere (as in Go). */
bool pl_quantity_parse(const char *s, size_t n, pl_quantity *out);

#endif
