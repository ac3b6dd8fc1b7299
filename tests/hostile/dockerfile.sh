#!/usr/bin/env bash
# tests/hostile/dockerfile.sh - the Dockerfile parser against hostile input.
#
# Every input is generated at run time into a temporary directory (nothing big is committed)
# and fed to `plimsoll dump`. For a refused input the suite asserts all of:
#   - exit status 1 (an input error; 99 is a sanitizer report, 124 a timeout);
#   - nothing on stdout;
#   - exactly one line on stderr, compared in full: "path:LINE:COL: error: message", or
#     "path: error: message" when no position applies (cannot open, directory, size limit);
#   - it finished inside `timeout 20`.
# For an accepted input it asserts exit 0, an empty stderr and the exact BuildKit dump.
# $PLIMSOLL is the ASan+UBSan build, so every case is also a memory-safety check.
#
# Groups:
#   1. Not text. Binary files, NUL bytes and invalid UTF-8 are refused before parsing, and the
#      error names the exact line:column of the first bad byte (columns count bytes).
#   2. Size limits. BuildKit refuses a physical line over 65535 bytes; our loader refuses
#      Dockerfiles over DF_MAX_FILE (4 MiB) before reading them. Boundaries are tested on both
#      sides, and endless inputs (/dev/zero, a pipe) must stop at the limit.
#   3. Work and stack. Inputs built to find quadratic time or memory, or recursion:
#      100 000 continuation lines, JSON nested 100 000 deep, ONBUILD nested 100 000 times,
#      10 000 heredocs on one line, 100 000 instructions. Each must finish in a few seconds
#      under ASan; memory is measured on the release binary (ASan inflates it).
#   4. Structure. Heredocs, JSON (exec form) arrays, parser directives, escapes at EOF,
#      CRLF, BOM, empty and comment-only files: BuildKit's behaviour, or its exact error.
#   5. Where the bytes come from. Directories, paths that cannot be opened or read, stdin.
#   6. JSON output. `--format=json` must be valid JSON for accepted hostile inputs.
. "$(dirname "$0")/../lib.sh"

RELEASE=${PLIMSOLL_RELEASE:-$PL_ROOT/build/plimsoll}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$PLIMSOLL" ]; then
	not_ok "hostile dockerfile: $PLIMSOLL is not built"
	exit 1
fi
if ! command -v python3 >/dev/null; then
	skip "hostile dockerfile" "python3 is needed to generate inputs and check JSON"
	exit 0
fi

# --- helpers ------------------------------------------------------------------------------

# run [< FILE] ARGS...: `plimsoll dump ARGS` with stdin from FILE (default /dev/null).
# Sets rc and ms (wall time); output in $tmp/out and $tmp/err.
run() {
	local in=/dev/null
	if [ "$1" = "<" ]; then in=$2; shift 2; fi
	local t0=$EPOCHREALTIME
	timeout 20 "$PLIMSOLL" dump "$@" <"$in" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	local t1=$EPOCHREALTIME
	ms=$(( (10#${t1//[.,]/} - 10#${t0//[.,]/}) / 1000 ))
}

# verdict NAME PROBLEMS: ok when PROBLEMS is empty, else not ok with what was seen.
verdict() {
	if [ -z "$2" ]; then
		ok "$1"
	else
		not_ok "$1 -$2"
		cut -c1-300 "$tmp/err" | head -5 | sed 's/^/# stderr: /'
	fi
}

# The checks every run shares: no sanitizer report, no timeout, and time under LIMIT_MS
# (default 20 s, i.e. only the timeout) when the caller sets it.
common_problems() {
	local p=""
	[ "$rc" -eq 99 ] && p+=" sanitizer-report(exit 99)"
	[ "$rc" -eq 124 ] && p+=" timed-out"
	grep -qE 'Sanitizer|runtime error:' "$tmp/err" && p+=" sanitizer-output"
	[ "$ms" -le "${LIMIT_MS:-20000}" ] || p+=" slow(${ms}ms>${LIMIT_MS:-20000}ms)"
	printf '%s' "$p"
}

# expect_err NAME WANT [< FILE] ARGS...: refused with exactly the stderr line WANT.
expect_err() {
	local name=$1 want=$2 p
	shift 2
	run "$@"
	p=$(common_problems)
	[ "$rc" -eq 1 ] || p+=" exit=$rc(want 1)"
	[ -s "$tmp/out" ] && p+=" stdout-not-empty"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || p+=" stderr-lines=$(wc -l <"$tmp/err")(want 1)"
	[ "$(cat "$tmp/err")" = "$want" ] || p+=" stderr-differs(want: $want)"
	verdict "$name" "$p"
}

# expect_dump NAME WANT_FILE [< FILE] ARGS...: accepted; stdout equals WANT_FILE byte for byte.
expect_dump() {
	local name=$1 want=$2 p
	shift 2
	run "$@"
	p=$(common_problems)
	[ "$rc" -eq 0 ] || p+=" exit=$rc(want 0)"
	[ -s "$tmp/err" ] && p+=" stderr-not-empty"
	cmp -s "$tmp/out" "$want" || p+=" dump-differs(got: $(head -c 120 "$tmp/out" | tr '\n' '|'))"
	verdict "$name" "$p"
}

# expect_json NAME FILE [PYTHON-EXPR]: --format=json is accepted and is valid JSON; when given,
# PYTHON-EXPR (over the parsed document d) must be true.
expect_json() {
	local name=$1 file=$2 expr=${3:-True} p
	run --format=json "$file"
	p=$(common_problems)
	[ "$rc" -eq 0 ] || p+=" exit=$rc(want 0)"
	[ -s "$tmp/err" ] && p+=" stderr-not-empty"
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$tmp/out" "$expr" 2>/dev/null ||
		p+=" invalid-json-or-false($expr)"
	verdict "$name" "$p"
}

# mem_check NAME MAX_KB WANT_RC WANT_ERR [< FILE] ARGS...: the release binary's peak RSS (from
# /usr/bin/time) stays under MAX_KB, with the given exit status and stderr (or none if "").
mem_check() {
	local name=$1 max=$2 wantrc=$3 want=$4 in=/dev/null p=""
	shift 4
	if [ "$1" = "<" ]; then in=$2; shift 2; fi
	if [ ! -x "$RELEASE" ] || [ ! -x /usr/bin/time ]; then
		skip "$name" "needs the release binary $RELEASE and /usr/bin/time"
		return
	fi
	timeout 20 /usr/bin/time -f %M -o "$tmp/mem" "$RELEASE" dump "$@" <"$in" \
		>/dev/null 2>"$tmp/err"
	rc=$?
	local kb
	kb=$(tail -n 1 "$tmp/mem")
	[ "$rc" -eq "$wantrc" ] || p+=" exit=$rc(want $wantrc)"
	[ "$(cat "$tmp/err")" = "$want" ] || p+=" stderr-differs(want: $want)"
	[[ "$kb" =~ ^[0-9]+$ ]] && [ "$kb" -lt "$max" ] || p+=" peak-rss=${kb}KB(limit ${max}KB)"
	verdict "$name" "$p"
}

# first_bad FILE: "LINE:COL: error: REASON" for the first NUL or invalid UTF-8 byte, computed
# independently with Python's UTF-8 decoder (the reference for the loader's text check).
first_bad() {
	python3 - "$1" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
nul = data.find(b'\0')
try:
    data.decode('utf-8'); bad = -1
except UnicodeDecodeError as e:
    bad = e.start
if bad >= 0 and (nul < 0 or bad < nul):
    off, why = bad, 'invalid UTF-8 (the file is not UTF-8 text)'
elif nul >= 0:
    off, why = nul, 'NUL byte (binary file, not a text file)'
else:
    sys.exit('no bad byte in ' + sys.argv[1])
line = data.count(b'\n', 0, off) + 1
col = off - (data.rfind(b'\n', 0, off) + 1) + 1
print(f'{line}:{col}: error: {why}')
EOF
}

d=$tmp # inputs live here; expected dumps get a .want suffix
want() { printf "$2" >"$d/$1.want"; } # want NAME PRINTF-FORMAT

# --- 1. not text --------------------------------------------------------------------------

python3 -c 'import random, sys
random.seed(7)
sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range(65536)))' >"$d/random"
expect_err "binary: random bytes" "$d/random:$(first_bad "$d/random")" "$d/random"

cp /bin/true "$d/elf"
expect_err "binary: an ELF executable" "$d/elf:$(first_bad "$d/elf")" "$d/elf"
# The ELF header's 8th byte (EI_OSABI, 0 on Linux) is the first NUL: checked independently.
expect_err "binary: ELF error at 1:8" "$d/elf:1:8: error: NUL byte (binary file, not a text file)" "$d/elf"

printf 'FROM alpine\nRUN echo a\0b\n' >"$d/nul"
expect_err "NUL in a valid Dockerfile" "$d/nul:2:11: error: NUL byte (binary file, not a text file)" "$d/nul"

# Columns count bytes: "é" is two bytes, so the NUL after "RUN é" is column 7.
printf 'FROM alpine\n# é\nRUN é\0\n' >"$d/nul-utf8"
expect_err "NUL after multi-byte text" "$d/nul-utf8:3:7: error: NUL byte (binary file, not a text file)" "$d/nul-utf8"

printf 'FROM alpine\nRUN <<EOF\nbody\0\nEOF\n' >"$d/nul-heredoc"
expect_err "NUL inside a heredoc body" "$d/nul-heredoc:3:5: error: NUL byte (binary file, not a text file)" "$d/nul-heredoc"

printf 'FROM alpine\nLABEL a="caf\xe9"\n' >"$d/latin1"
expect_err "invalid UTF-8 (Latin-1 byte)" "$d/latin1:2:13: error: invalid UTF-8 (the file is not UTF-8 text)" "$d/latin1"

printf 'FROM alpine\nRUN x\xe2\x82' >"$d/trunc-utf8"
expect_err "invalid UTF-8: sequence cut at EOF" "$d/trunc-utf8:2:6: error: invalid UTF-8 (the file is not UTF-8 text)" "$d/trunc-utf8"

printf 'FROM alpine\nRUN \xed\xa0\x80\n' >"$d/surrogate"
expect_err "invalid UTF-8: encoded surrogate" "$d/surrogate:2:5: error: invalid UTF-8 (the file is not UTF-8 text)" "$d/surrogate"

printf 'FROM alpine\nRUN \xc0\xaf\n' >"$d/overlong"
expect_err "invalid UTF-8: overlong '/'" "$d/overlong:2:5: error: invalid UTF-8 (the file is not UTF-8 text)" "$d/overlong"

# The first bad byte wins, whichever kind it is.
printf 'FROM a\nRUN \xff\0\n' >"$d/bad-then-nul"
expect_err "invalid UTF-8 before a NUL is reported" "$d/bad-then-nul:2:5: error: invalid UTF-8 (the file is not UTF-8 text)" "$d/bad-then-nul"
printf 'FROM a\nRUN \0\xff\n' >"$d/nul-then-bad"
expect_err "NUL before invalid UTF-8 is reported" "$d/nul-then-bad:2:5: error: NUL byte (binary file, not a text file)" "$d/nul-then-bad"

# U+FFFD written as UTF-8 is valid text, and so are control characters other than NUL.
# (U+2028 is Unicode space: at the end of the line BuildKit's TrimSpace would drop it.)
printf 'FROM a\nRUN echo \xef\xbf\xbd \x01\x7f \xe2\x80\xa8 z\n' >"$d/odd-text"
want odd-text '(from "a")\n(run "echo \xef\xbf\xbd \\x01\\x7f \\u2028 z")\n'
expect_dump "U+FFFD, control characters and U+2028 are text" "$d/odd-text.want" "$d/odd-text"

# --- 2. size limits -----------------------------------------------------------------------

LINE_ERR='error: dockerfile line greater than max allowed size of 65535'
python3 -c 'import sys; sys.stdout.write("FROM a\n# c\nRUN " + "x" * 70000 + "\nRUN y\n")' >"$d/70k"
# The error names the long line and the column of its first byte past the limit.
expect_err "70 KB line: BuildKit's line limit, right line" "$d/70k:3:65536: $LINE_ERR" "$d/70k"

python3 -c 'import sys; sys.stdout.write("FROM a\nRUN " + "x" * (65535 - 4) + "\n")' >"$d/line-65535"
{ printf '(from "a")\n(run "'; head -c $((65535 - 4)) /dev/zero | tr '\0' x; printf '")\n'; } >"$d/line-65535.want"
expect_dump "line of exactly 65535 bytes parses" "$d/line-65535.want" "$d/line-65535"
python3 -c 'import sys; sys.stdout.write("FROM a\nRUN " + "x" * (65536 - 4))' >"$d/line-65536"
expect_err "line of 65536 bytes (no final newline) is refused" "$d/line-65536:2:65536: $LINE_ERR" "$d/line-65536"

# Decision: a long first line is reported as too long. BuildKit checks "file with no
# instructions" before its scanner error, so it would report that instead; the line limit is
# the real cause and the message a user can act on.
python3 -c 'import sys; sys.stdout.write("RUN " + "x" * 70000 + "\n")' >"$d/70k-first"
expect_err "70 KB first line: line limit, not 'no instructions'" "$d/70k-first:1:65536: $LINE_ERR" "$d/70k-first"

# Decision: a 100 MB file gets the input-limit error, not BuildKit's line error. The size is
# known from fstat before anything is read, so refusing it costs no memory and no time; the
# line limit only applies to what the loader accepts.
{ printf 'FROM a\nRUN '; head -c $((100 * 1024 * 1024)) /dev/zero | tr '\0' x; printf '\n'; } >"$d/100m"
size=$(stat -c %s "$d/100m")
expect_err "100 MB single line: input limit" "$d/100m: error: file is $size bytes, over the 4194304-byte input limit" "$d/100m"
# Limit: the file is refused from fstat, so RSS is the process baseline (about 2 MB); 20 MB
# leaves room for the C library while failing if even a fifth of the file were read.
mem_check "100 MB file: peak RSS < 20 MB (never read)" 20000 1 "$d/100m: error: file is $size bytes, over the 4194304-byte input limit" "$d/100m"
# Through a pipe the size is unknown: reading stops past 4 MiB. Limit: the read buffer holds
# at most 8 MiB (capacity doubles), so < 40 MB proves the rest was not buffered.
cat "$d/100m" | mem_check "100 MB through a pipe: stops at the limit, peak RSS < 40 MB" \
	40000 1 "-: error: input is over the 4194304-byte limit" "<" /dev/stdin -
# Stdin redirected from a regular file is sized by fstat like a named file.
expect_err "100 MB on stdin (regular file)" "-: error: file is $size bytes, over the 4194304-byte input limit" "<" "$d/100m" -
expect_err "endless input (/dev/zero) stops at the limit" "/dev/zero: error: input is over the 4194304-byte limit" /dev/zero
rm -f "$d/100m"

# Exactly 4 MiB is accepted, one byte more is not. The accepted file is the worst case for
# the line index: 4 194 297 empty lines before one instruction.
python3 -c 'import sys; sys.stdout.write("\n" * (4 * 1024 * 1024 - 7) + "FROM a\n")' >"$d/4m"
want 4m '(from "a")\n'
LIMIT_MS=15000 expect_dump "4 MiB of empty lines: accepted, parsed" "$d/4m.want" "$d/4m"
# Limit: 4 MiB of input plus 8 bytes of line index per line (4.2 M lines: 32 MiB) is 36 MiB;
# 60 MB allows the allocator's slack and fails on any per-line allocation.
mem_check "4 MiB of empty lines: peak RSS < 60 MB" 60000 0 "" "$d/4m"
printf '\n' >>"$d/4m"
expect_err "4 MiB + 1 byte is refused" "$d/4m: error: file is 4194305 bytes, over the 4194304-byte input limit" "$d/4m"
rm -f "$d/4m"
# Decision: at most DF_MAX_INSTRUCTIONS (200 000) instructions. 4 MiB of "x" lines would be
# two million nodes (about 1 GB); the cap keeps the tree near 100 MB and names the line.
python3 -c 'import sys; sys.stdout.write("FROM a\n" + "x\n" * 2000000)' >"$d/xlines"
expect_err "2 million instructions: refused at the cap" "$d/xlines:200001:1: error: more than 200000 instructions" "$d/xlines"
mem_check "2 million instructions: peak RSS < 200 MB" 200000 1 "$d/xlines:200001:1: error: more than 200000 instructions" "$d/xlines"
rm -f "$d/xlines"

# --- 3. work and stack --------------------------------------------------------------------

N=100000
python3 -c 'import sys; sys.stdout.write("FROM a\nRUN echo \\\n" + "a \\\n" * int(sys.argv[1]) + "end\n")' $N >"$d/cont"
python3 -c 'import sys; sys.stdout.write("(from \"a\")\n(run \"echo " + "a " * int(sys.argv[1]) + "end\")\n")' $N >"$d/cont.want"
LIMIT_MS=5000 expect_dump "100 000 continuation lines parse in < 5 s" "$d/cont.want" "$d/cont"
# Limit: the logical line is 200 KB; segments, line index and copies are a few MB. 50 MB
# fails on anything quadratic (100 000 copies of a growing line would be gigabytes).
mem_check "100 000 continuation lines: peak RSS < 50 MB" 50000 0 "" "$d/cont"

# Comment lines and empty lines inside a continuation are skipped (BuildKit warns on empty).
python3 -c 'import sys; sys.stdout.write("FROM a\nRUN a \\\n" + "# c\n\n" * int(sys.argv[1]) + "b\n")' $N >"$d/cont-skip"
want cont-skip '(from "a")\n(run "a b")\n'
LIMIT_MS=5000 expect_dump "100 000 comment and empty lines in a continuation" "$d/cont-skip.want" "$d/cont-skip"

# JSON nested 100 000 deep, spread over continuation lines (each under the line limit).
# Go's decoder stops at depth 10 000, so BuildKit falls back to shell form.
python3 -c 'import sys; sys.stdout.write("FROM a\nCMD " + ("[" * 1000 + "\\\n") * 100 + "\n")' >"$d/deep-json"
python3 -c 'import sys; sys.stdout.write("(from \"a\")\n(cmd \"" + "[" * 100000 + "\")\n")' >"$d/deep-json.want"
LIMIT_MS=5000 expect_dump "JSON nested 100 000 deep: shell form, no crash" "$d/deep-json.want" "$d/deep-json"
# The depth boundary: 10 000 is valid JSON (so the non-string element is a hard error),
# 10 001 is a JSON error (so shell form).
python3 -c 'import sys; sys.stdout.write("FROM a\nCMD " + "[" * 10000 + "]" * 10000 + "\n")' >"$d/depth-10000"
expect_err "JSON depth 10 000: valid JSON, non-string error" "$d/depth-10000:2:5: error: when using JSON array syntax, arrays must be comprised of strings only" "$d/depth-10000"
python3 -c 'import sys; sys.stdout.write("FROM a\nCMD " + "[" * 10001 + "]" * 10001 + "\n")' >"$d/depth-10001"
python3 -c 'import sys; sys.stdout.write("(from \"a\")\n(cmd \"" + "[" * 10001 + "]" * 10001 + "\")\n")' >"$d/depth-10001.want"
expect_dump "JSON depth 10 001: over Go's limit, shell form" "$d/depth-10001.want" "$d/depth-10001"

# ONBUILD ONBUILD ... RUN x, 100 000 levels on one logical line: no recursion, no stack
# overflow, and (fixed in lineparse.c) no copy of the remaining text at every level.
python3 -c 'import sys; sys.stdout.write("FROM a\n" + ("ONBUILD " * 1000 + "\\\n") * 100 + "RUN x\n")' >"$d/onbuild"
python3 -c 'import sys; n = 100000; sys.stdout.write("(from \"a\")\n(" + "onbuild (" * n + "run \"x\"" + ")" * n + ")\n")' >"$d/onbuild.want"
LIMIT_MS=5000 expect_dump "ONBUILD nested 100 000 times: no crash, < 5 s" "$d/onbuild.want" "$d/onbuild"
# Limit: one node (~300 bytes) per level is 30 MB; before the fix this took tens of GB.
mem_check "ONBUILD nested 100 000 times: peak RSS < 100 MB" 100000 0 "" "$d/onbuild"

# 10 000 heredocs on one instruction (fixed in parser.c: the list grew one by one in the arena,
# 3 GB for a 110 KB file).
python3 -c 'import sys; n = 10000
sys.stdout.write("FROM a\nRUN cat " + " \\\n".join("<<H%d" % i for i in range(n)) + "\n" + "".join("b\nH%d\n" % i for i in range(n)))' >"$d/heredocs"
python3 -c 'import sys; n = 10000; sys.stdout.write("(from \"a\")\n(run \"cat " + " ".join("<<H%d" % i for i in range(n)) + "\")\n")' >"$d/heredocs.want"
LIMIT_MS=5000 expect_dump "10 000 heredocs on one line, < 5 s" "$d/heredocs.want" "$d/heredocs"
# Limit: 10 000 small bodies and heredoc records are about 2 MB; 50 MB fails on quadratic growth.
mem_check "10 000 heredocs: peak RSS < 50 MB" 50000 0 "" "$d/heredocs"

# 100 000 instructions. Limit: the tree costs about 500 bytes per instruction (node, word
# arrays, copies), 50 MB here; 150 MB leaves room and fails on anything superlinear.
python3 -c 'import sys; sys.stdout.write("FROM a\n" + "RUN x\n" * 100000)' >"$d/many"
python3 -c 'import sys; sys.stdout.write("(from \"a\")\n" + "(run \"x\")\n" * 100000)' >"$d/many.want"
LIMIT_MS=5000 expect_dump "100 000 instructions, < 5 s" "$d/many.want" "$d/many"
mem_check "100 000 instructions: peak RSS < 150 MB" 150000 0 "" "$d/many"

# --- 4. structure -------------------------------------------------------------------------

printf 'FROM a\nRUN <<EOF\necho hi\n' >"$d/heredoc-open"
expect_err "unterminated heredoc names the RUN line" "$d/heredoc-open:2:1: error: unterminated heredoc" "$d/heredoc-open"
printf 'FROM a\n  ONBUILD RUN <<EOF\n' >"$d/heredoc-onbuild"
expect_err "unterminated heredoc in ONBUILD at EOF" "$d/heredoc-onbuild:2:3: error: unterminated heredoc" "$d/heredoc-onbuild"
printf 'FROM a\nCOPY <<A <<B /x\na\nA\nb\n' >"$d/heredoc-second"
expect_err "second heredoc unterminated" "$d/heredoc-second:2:1: error: unterminated heredoc" "$d/heredoc-second"
# A delimiter on the last line without a newline does terminate the heredoc.
printf 'FROM a\nRUN <<EOF\necho hi\nEOF' >"$d/heredoc-eof"
want heredoc-eof '(from "a")\n(run "<<EOF")\n'
expect_dump "heredoc closed on the last line, no newline" "$d/heredoc-eof.want" "$d/heredoc-eof"

# An unterminated JSON array is not JSON: BuildKit keeps it as a shell-form string.
printf 'FROM a\nCMD ["a", "b"\n' >"$d/json-open"
want json-open '(from "a")\n(cmd "[\\"a\\", \\"b\\"")\n'
expect_dump "unterminated JSON array: shell form" "$d/json-open.want" "$d/json-open"
printf 'FROM a\nCMD ["a", 1]\n' >"$d/json-int"
expect_err "JSON array with a number" "$d/json-int:2:5: error: when using JSON array syntax, arrays must be comprised of strings only" "$d/json-int"
printf 'FROM a\nENTRYPOINT ["a", \\\n  {"k": [null]}]\n' >"$d/json-obj"
expect_err "JSON array with an object, across lines" "$d/json-obj:2:12: error: when using JSON array syntax, arrays must be comprised of strings only" "$d/json-obj"
printf 'FROM a\nCMD ["a", 1e999]\n' >"$d/json-range"
want json-range '(from "a")\n(cmd "[\\"a\\", 1e999]")\n'
expect_dump "JSON number out of float64 range: Go fails, shell form" "$d/json-range.want" "$d/json-range"

: >"$d/empty"
expect_err "empty file" "$d/empty:1:1: error: file with no instructions" "$d/empty"
printf '# one\n  # two\n' >"$d/comments"
# BuildKit names the last line; the column is the end of that line (fixed in parser.c's
# df_position: it gave column 9, one past the line, for a file ending in a newline).
expect_err "only comments" "$d/comments:2:8: error: file with no instructions" "$d/comments"
printf '\n \t\n\n' >"$d/blank"
expect_err "only blank lines" "$d/blank:3:1: error: file with no instructions" "$d/blank"
printf '# syntax=docker/dockerfile:1\n# escape=`\n' >"$d/directives-only"
expect_err "only directives" "$d/directives-only:2:11: error: file with no instructions" "$d/directives-only"

# CRLF: the same tree as LF, including continuations, comments, directives and heredocs.
lf='# escape=\\\n# a comment\nFROM alpine AS base\nRUN echo a \\\n  # inside\n  b\nENV A=1 B="x y"\nCMD ["sh", "-c", "echo"]\nCOPY <<EOF /f\nline\nEOF\n'
printf "$lf" >"$d/lf"
printf "$lf" | sed 's/$/\r/' >"$d/crlf"
run "$d/lf"; cp "$tmp/out" "$d/lf.want"
expect_dump "CRLF: same BuildKit dump as LF" "$d/lf.want" "$d/crlf"
printf 'FROM a\r\nRUN <<EOF\r\nx\r\nEOF\r\n' >"$d/crlf-heredoc"
want crlf-heredoc '(from "a")\n(run "<<EOF")\n'
expect_dump "CRLF: heredoc delimiter before \\\\r\\\\n" "$d/crlf-heredoc.want" "$d/crlf-heredoc"

printf '\xef\xbb\xbf' >"$d/bom"; printf "$lf" >>"$d/bom"
expect_dump "BOM: same dump as without" "$d/lf.want" "$d/bom"
printf '\xef\xbb\xbf# escape=`\nFROM a\nRUN x `\n  y\n' >"$d/bom-directive"
want bom-directive '(from "a")\n(run "x   y")\n'
expect_dump "BOM: directive on the first line still read" "$d/bom-directive.want" "$d/bom-directive"
# BuildKit strips a BOM only at the start of the file; elsewhere it is part of the keyword
# (an unknown instruction, printed raw as Go's Dump does).
printf 'FROM a\n\xef\xbb\xbfRUN x\n' >"$d/bom-late"
want bom-late '(from "a")\n(\xef\xbb\xbfrun "")\n'
expect_dump "BOM on line 2 is not stripped" "$d/bom-late.want" "$d/bom-late"

printf 'FROM a\nRUN x \\' >"$d/esc-eof"
want esc-eof '(from "a")\n(run "x")\n'
expect_dump "escape at EOF ends the instruction" "$d/esc-eof.want" "$d/esc-eof"
# A lone escape on the last line is an instruction with an empty keyword, as in BuildKit.
printf 'FROM a\n\\' >"$d/esc-alone"
want esc-alone '(from "a")\n("")\n'
expect_dump "lone escape at EOF" "$d/esc-alone.want" "$d/esc-alone"
printf '# escape=`\nFROM a\nRUN x `' >"$d/esc-backtick"
want esc-backtick '(from "a")\n(run "x")\n'
expect_dump "lone backtick escape at EOF" "$d/esc-backtick.want" "$d/esc-backtick"

printf '# escape=x\nFROM a\n' >"$d/esc-bad"
expect_err "escape directive with an invalid token" "$d/esc-bad:1:10: error: invalid escape token 'x' does not match \` or \\" "$d/esc-bad"
printf '#escape = \\\\\nFROM a\n' >"$d/esc-two"
expect_err "escape directive with two characters" "$d/esc-two:1:11: error: invalid escape token '\\\\' does not match \` or \\" "$d/esc-two"
printf '# syntax=a\n# syntax=b\nFROM a\n' >"$d/dup-syntax"
expect_err "duplicate syntax directive" "$d/dup-syntax:2:3: error: only one syntax parser directive can be used" "$d/dup-syntax"
printf '# escape=\\\n# ESCAPE=`\nFROM a\n' >"$d/dup-escape"
expect_err "duplicate escape directive (any case)" "$d/dup-escape:2:3: error: only one escape parser directive can be used" "$d/dup-escape"
# After the first instruction a directive is only a comment: not an error.
printf 'FROM a\n# escape=x\n# syntax=a\n# syntax=b\nRUN y\n' >"$d/late-directive"
want late-directive '(from "a")\n(run "y")\n'
expect_dump "directives after an instruction are comments" "$d/late-directive.want" "$d/late-directive"

# --- 5. where the bytes come from ---------------------------------------------------------

mkdir "$d/dir"
expect_err "a directory" "$d/dir: error: is a directory, not a file" "$d/dir"
expect_err "a path that does not exist" "$d/missing: error: cannot open: No such file or directory" "$d/missing"
# Tests run as root, and root reads a mode-000 file, so "unreadable" is made of things that
# fail for root too: a dangling symlink, a symlink loop, a path through a regular file, and
# /proc/self/mem (opens, then read at offset 0 fails with EIO) for the read error path.
# A FIFO is not used: open() on it waits for a writer, exactly as cat does.
ln -s "$d/nowhere" "$d/dangling"
expect_err "a dangling symlink" "$d/dangling: error: cannot open: No such file or directory" "$d/dangling"
ln -s "$d/loop" "$d/loop"
expect_err "a symlink loop" "$d/loop: error: cannot open: Too many levels of symbolic links" "$d/loop"
expect_err "a path through a file" "$d/empty/x: error: cannot open: Not a directory" "$d/empty/x"
if [ -r /proc/self/mem ]; then
	expect_err "a file whose read fails (/proc/self/mem)" "/proc/self/mem: error: cannot read: Input/output error" /proc/self/mem
else
	skip "a file whose read fails" "/proc/self/mem not available"
fi
printf 'FROM a\n' >"$d/mode000"; chmod 000 "$d/mode000"
if [ "$(id -u)" -ne 0 ]; then
	expect_err "a mode-000 file" "$d/mode000: error: cannot open: Permission denied" "$d/mode000"
else
	skip "a mode-000 file" "running as root, which can read it; covered by the cases above"
fi

printf 'FROM a\nRUN b\n' >"$d/ok"
want ok '(from "a")\n(run "b")\n'
expect_dump "stdin via -" "$d/ok.want" "<" "$d/ok" -
cat "$d/ok" | expect_dump "stdin via - from a pipe" "$d/ok.want" "<" /dev/stdin -
expect_err "stdin error is named -" "-:2:5: error: when using JSON array syntax, arrays must be comprised of strings only" "<" "$d/json-int" -
expect_err "empty stdin" "-:1:1: error: file with no instructions" "<" /dev/null -
# Several files: each good one is dumped, each bad one gives its one error line, exit 1.
run "$d/ok" "$d/nul" "$d/ok"
p=$(common_problems)
[ "$rc" -eq 1 ] || p+=" exit=$rc(want 1)"
[ "$(cat "$tmp/err")" = "$d/nul:2:11: error: NUL byte (binary file, not a text file)" ] || p+=" stderr-differs"
cat "$d/ok.want" "$d/ok.want" | cmp -s - "$tmp/out" || p+=" stdout-differs"
verdict "several files: one error line for the bad one" "$p"

# --- 6. JSON output -----------------------------------------------------------------------

expect_json "json: 100 000 continuation lines" "$d/cont"
expect_json "json: ONBUILD nested 100 000 times" "$d/onbuild"
expect_json "json: JSON nested 100 000 deep" "$d/deep-json" 'd["instructions"][1]["json"] is False'
expect_json "json: unterminated JSON array is shell form" "$d/json-open" 'd["instructions"][1]["json"] is False'
expect_json "json: 10 000 heredocs" "$d/heredocs"
expect_json "json: control characters and U+2028" "$d/odd-text"
expect_json "json: CRLF" "$d/crlf"
expect_json "json: lone escape at EOF" "$d/esc-alone"
# Decision: columns count bytes (parser.h), and the BOM is three bytes of line 1, so FROM
# after a BOM is at column 4. Editors that hide the BOM show column 1; a consumer mapping
# byte columns to characters must count the BOM, as it must count any multi-byte character.
expect_json "json: BOM, directive name at byte column 6" "$d/bom-directive" \
	'd["directives"][0]["name"]["column"] == 6 and d["directives"][0]["name"]["line"] == 1'
printf '\xef\xbb\xbfFROM a\n' >"$d/bom-from"
expect_json "json: BOM then FROM on line 1, column 4" "$d/bom-from" \
	'd["instructions"][0]["instruction"]["column"] == 4 and d["instructions"][0]["instruction"]["line"] == 1'

# --- 7. expansion bombs -------------------------------------------------------------------
# `ENV A=$A$A` doubles a value per line: 40 lines would be a terabyte. shlex caps one word's
# expansion (SHLEX_MAX_EXPANSION) and the stage model caps a file's (DF_MAX_EXPANDED); past
# the caps values stay as written and a problem is recorded. Limit: 64 MiB of expansion plus
# copies in the tree; 300 MB fails if either cap is lost.
python3 -c '
s = "FROM a\nARG A=" + "x" * 1000 + "\n" + "ENV A=$A$A\n" * 40
s += "ENV Z=" + "$A" * 14 + "\n"
s += ("ENV Y=" + "${A//x/$0$0$0$0}" + "\n") * 50
open("'"$d"'/bomb", "w").write(s)'
if out=$(timeout 20 /usr/bin/time -f %M "$RELEASE" dump --format=stages "$d/bomb" 2>"$d/bomb.err" >"$d/bomb.out"); then
	rss=$(tail -1 "$d/bomb.err")
	check "expansion bomb: parses, peak RSS ${rss} KB < 300 MB" [ "$rss" -lt 300000 ]
	check "expansion bomb: the cap is reported" grep -q "expansion result larger than 4194304 bytes" "$d/bomb.out"
else
	not_ok "expansion bomb: dump failed or timed out"
fi
