/* fuzz_logs.c - the Engine log stream decoder and the JSON log-line judgement on hostile
 * bytes: the first byte picks TTY (raw) or multiplexed; the invariants are that every
 * judged line is counted once and no count exceeds the lines. */
#include "live/logs.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	dl_stats st = {0};
	dl_analyze(data + 1, size - 1, data[0] & 1, &dl_default_fields, &st);
	if (st.json > st.lines || st.stderr_lines > st.lines || st.cut > st.lines + 2)
		abort();
	for (int k = 0; k < DL_NFIELDS; k++)
		if (st.with[k] > st.json)
			abort();
	return 0;
}
