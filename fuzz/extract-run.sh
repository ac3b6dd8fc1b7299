#!/usr/bin/env bash
# fuzz/extract-run.sh - write the RUN instructions of Dockerfiles as shell seeds (fuzz_shell).
#
# Usage: fuzz/extract-run.sh OUTDIR FILE...
# Each RUN instruction (continuation lines joined as written, flags like --mount dropped)
# becomes one file OUTDIR/<sha1> holding the shell text after RUN; exec-form RUN ["..."]
# is skipped. Prints nothing; run.sh lists OUTDIR afterwards.
set -eu
out=$1
shift
mkdir -p "$out"
[ $# -gt 0 ] || exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '
	function flush() {
		if (body != "") {
			n++
			f = dir "/" n
			printf "%s\n", body > f
			close(f)
		}
		body = ""; inrun = 0
	}
	FNR == 1 { flush() }
	{
		line = $0
		sub(/\r$/, "", line)
		if (!inrun) {
			if (toupper(line) !~ /^[ \t]*RUN[ \t]/)
				next
			sub(/^[ \t]*[Rr][Uu][Nn][ \t]+/, "", line)
			while (line ~ /^--[^ \t]+[ \t]+/)
				sub(/^--[^ \t]+[ \t]+/, "", line)
			if (line ~ /^\[/)
				next
			inrun = 1
			body = line
		} else {
			body = body "\n" line
		}
		if (line !~ /\\$/)
			flush()
	}
	END { flush() }
' "$@"
for f in "$tmp"/*; do
	[ -e "$f" ] || continue
	h=$(sha1sum <"$f")
	h=${h%% *}
	[ -e "$out/$h" ] || mv "$f" "$out/$h"
done
