# Every libFuzzer target builds (make test builds them) and runs its committed seeds, the
# kept crash inputs and an empty input without tripping an invariant, a sanitizer or a
# leak: a target whose checks no longer match the code fails here, not hours into
# `make fuzz`. Each target only replays inputs (-runs=0 style: files given, no mutation).
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
: >"$tmp/empty"
for src in "$PL_ROOT"/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	bin=$PL_ROOT/build/fuzz/$name
	short=${name#fuzz_}
	if [ ! -x "$bin" ]; then
		not_ok "fuzz $short: $bin is not built (make test builds it)"
		continue
	fi
	inputs=("$tmp/empty")
	for d in "$PL_ROOT/fuzz/seeds/$short" "$PL_ROOT/fuzz/crashes/$short"; do
		[ -d "$d" ] || continue
		while IFS= read -r f; do inputs+=("$f"); done < <(find "$d" -type f ! -name '*.md' | sort)
	done
	if (cd "$tmp" && "$bin" -runs=1 "${inputs[@]}") >"$tmp/$short.log" 2>&1; then
		ok "fuzz $short: ${#inputs[@]} seed and kept inputs replay clean"
	else
		not_ok "fuzz $short: replaying its seeds fails"
		grep -E 'check failed|ERROR|runtime error|SUMMARY' "$tmp/$short.log" | head -5 | sed 's/^/# /'
	fi
done
