#!/usr/bin/env bash
# tests/run.sh - run every test suite and print one summary line: "N passed, N failed".
#
# Suites: the cmocka unit tests (built with ASan+UBSan) and the shell suites under
# tests/golden/ and tests/hostile/, all speaking TAP. Exit status is non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
export PL_ROOT=$PWD
passed=0 failed=0 skipped=0
failures=()

run_suite() { # name, command...
	local name=$1; shift
	local out rc
	out=$("$@" 2>&1); rc=$?
	local p f s
	p=$(grep -cE '^ok ' <<<"$out")
	s=$(grep -cE '^ok .*# SKIP' <<<"$out")
	f=$(grep -cE '^not ok ' <<<"$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # the suite itself failed (crash, sanitizer, build): count it
		out+=$'\n'"not ok - $name exited with status $rc"
	fi
	passed=$((passed + p - s)); skipped=$((skipped + s)); failed=$((failed + f))
	printf '%-28s %4d passed, %d failed%s\n' "$name" $((p - s)) "$f" \
		"$([ "$s" -gt 0 ] && echo ", $s skipped")"
	if [ "$f" -gt 0 ]; then
		failures+=("$name")
		grep -E '^not ok |^# |ERROR|Sanitizer|runtime error' <<<"$out" | head -40 | sed 's/^/    /'
	fi
	grep -E '# SKIP' <<<"$out" | head -5 | sed 's/^/    /'
}

for t in build/asan/tests/test_*; do
	[ -x "$t" ] || continue
	run_suite "unit/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
done
for s in tests/golden/*.sh tests/hostile/*.sh; do
	[ -f "$s" ] || continue
	run_suite "${s#tests/}" bash "$s"
done

echo
[ ${#failures[@]} -gt 0 ] && echo "failed suites: ${failures[*]}"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
