/* check.h - the fuzz targets' invariant check: say which one broke, then trap, so
 * libFuzzer keeps the input as a crash. */
#ifndef PL_FUZZ_CHECK_H
#define PL_FUZZ_CHECK_H

#include <stdio.h>

#define CHECK(cond)                                                                        \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,  \
				#cond);                                                    \
			__builtin_trap();                                                  \
		}                                                                          \
	} while (0)

#endif
