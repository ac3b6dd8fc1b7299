#!/usr/bin/env bash
# tests/golden/compose.sh - Compose projects read as compose-go reads them.
#
# Each directory tests/compose/CASE/ is one project (compose files, .env, extended and
# included files) and an expected.txt. There is no command that prints a project's
# effective model, so the model is observed through findings whose presence, position and
# message text prove what the merge and interpolation produced: the image a tag
# interpolated to (PL102 "uses image ..."), the user (PL201/PL216), published host ports
# (PL212), literal secrets in the environment, with their first characters (PL601), the
# health check (PL401), restart policy (PL408), log options (PL501), privileged (PL204),
# and what Compose would refuse (PL938). A service that is not active has no finding at all.
#
# expected.txt holds directives, then the findings, one per line, in report order:
#   # rules: PL102 PL201 ...   the rules run (default: the set above)
#   # env: NAME=value          the process environment (repeatable); nothing else is set,
#                              so the host's variables cannot leak into a case
#   # args: compose.yaml       what to scan, relative to the case (default: ".")
#   FILE:LINE:COL CODE MESSAGE as `--format json` reports it (file as the scan names it)
# Other "#" lines are comments: say there which compose-go behaviour the case pins down.
# The comparison is exact: a missing, extra or moved finding fails the case.
# $PLIMSOLL is the ASan+UBSan build, so every case is also a memory-safety check.
. "$(dirname "$0")/../lib.sh"

cases=$PL_ROOT/tests/compose
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$PLIMSOLL" ]; then
	not_ok "compose golden: $PLIMSOLL is not built"
	exit 1
fi
if ! command -v jq >/dev/null; then
	skip "compose golden" "jq is needed to read the JSON report"
	exit 0
fi

default_rules="PL102 PL201 PL204 PL212 PL216 PL401 PL408 PL501 PL601 PL938"

for dir in "$cases"/*/; do
	name=$(basename "$dir")
	want=$dir/expected.txt
	if [ ! -f "$want" ]; then
		not_ok "compose $name: no expected.txt"
		continue
	fi
	rules=$default_rules args=. envs=()
	while IFS= read -r line; do
		case $line in
		'# rules: '*) rules=${line#'# rules: '} ;;
		'# env: '*) envs+=("${line#'# env: '}") ;;
		'# args: '*) args=${line#'# args: '} ;;
		esac
	done <"$want"
	ruleargs=()
	for r in $rules; do ruleargs+=(--rule "$r"); done
	grep -v '^#' "$want" | sed '/^$/d' >"$tmp/want"
	# A clean environment: only the case's variables (and what the sanitizers read).
	# shellcheck disable=SC2086 # args is a list of paths without spaces
	(cd "$dir" && timeout 20 env -i PATH="$PATH" ASAN_OPTIONS="$ASAN_OPTIONS" \
		UBSAN_OPTIONS="$UBSAN_OPTIONS" "${envs[@]}" \
		"$PLIMSOLL" scan --format json --fail-on none "${ruleargs[@]}" $args) \
		>"$tmp/json" 2>"$tmp/err"
	rc=$?
	problems=""
	[ "$rc" -eq 0 ] || problems+=" exit=$rc(want 0)"
	if ! jq -r '.findings[] | "\(.file):\(.line):\(.column) \(.code) \(.message)"' \
		"$tmp/json" >"$tmp/got" 2>/dev/null; then
		problems+=" invalid-json"
	elif ! cmp -s "$tmp/want" "$tmp/got"; then
		problems+=" findings-differ"
	fi
	if [ -z "$problems" ]; then
		ok "compose $name"
	else
		not_ok "compose $name -$problems"
		diff "$tmp/want" "$tmp/got" | sed 's/^/# /' | head -30
		head -5 "$tmp/err" | sed 's/^/# stderr: /'
	fi
done
