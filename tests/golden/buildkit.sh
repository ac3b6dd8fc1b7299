# BuildKit's own parser cases: our `dump --format=buildkit` must equal each `result` byte
# for byte, and every negative case must be refused with an error naming a line.
. "$(dirname "$0")/../lib.sh"
dir=$SHARED/corpus/buildkit-parser
if [ ! -d "$dir" ]; then skip "buildkit cases" "shared corpus not found at $dir"; exit 0; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for case in "$dir"/testfiles/*/; do
	name=$(basename "$case")
	if "$PLIMSOLL" dump --format=buildkit "$case/Dockerfile" >"$tmp/out" 2>"$tmp/err" &&
		cmp -s "$tmp/out" "$case/result"; then
		ok "buildkit $name"
	else
		not_ok "buildkit $name"
		diff "$tmp/out" "$case/result" | head -5 | sed 's/^/# /'
		sed 's/^/# /' "$tmp/err"
	fi
done
for case in "$dir"/testfiles-negative/*/; do
	name=$(basename "$case")
	"$PLIMSOLL" dump --format=buildkit "$case/Dockerfile" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	# refused (exit 1), nothing on stdout, one line "path:LINE:COL: error: ..." on stderr
	if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		grep -qE '^.+:[0-9]+:[0-9]+: error: .+' "$tmp/err"; then
		ok "buildkit negative $name"
	else
		not_ok "buildkit negative $name (rc=$rc)"
		sed 's/^/# /' "$tmp/err"
	fi
done
