# Every Dockerfile in the shared corpus parses. The corpus has exactly two files that
# BuildKit itself refuses; those must be refused with BuildKit's message, not crash.
. "$(dirname "$0")/../lib.sh"
dir=$SHARED/corpus/dockerfiles
if [ ! -d "$dir" ]; then skip "dockerfile corpus" "shared corpus not found at $dir"; exit 0; fi
declare -A expect_error=(
	["checkov/tests__dockerfile__resources__empty_dockerfile__Dockerfile"]="file with no instructions"
	["replicatedhq-dockerfilelint/test__examples__Dockerfile.misc"]="Syntax error - can't find = in \"value\""
)
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
total=0 parsed=0 bad=0
while IFS= read -r -d '' f; do
	rel=${f#"$dir"/}
	total=$((total + 1))
	"$PLIMSOLL" dump --format=buildkit "$f" >/dev/null 2>"$tmp"
	rc=$?
	want=${expect_error[$rel]:-}
	if [ -n "$want" ]; then
		if [ $rc -eq 1 ] && grep -qF "$want" "$tmp"; then ok "refused as BuildKit does: $rel"
		else not_ok "expected error '$want' for $rel (rc=$rc)"; bad=$((bad + 1)); fi
	elif [ $rc -eq 0 ]; then
		parsed=$((parsed + 1))
	else
		not_ok "parse $rel (rc=$rc): $(head -c 300 "$tmp")"
		bad=$((bad + 1))
	fi
done < <(find "$dir" -type f ! -name '*dockerignore' -print0 | sort -z)
check "corpus: $parsed of $total Dockerfiles parse, $bad unexpected failures" [ "$bad" -eq 0 -a "$parsed" -gt 0 ]
