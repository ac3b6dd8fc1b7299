#!/usr/bin/env bash
# bench/run.sh - Dockerfile parser throughput and CLI cost on the shared corpus (make bench).
#
# Inputs: every Dockerfile under ../shared/corpus/dockerfiles (the .dockerignore files there
# are left out). Two measurements, both single-threaded (one core; BENCH_CPU=N pins them):
#   parser only   build/bench/parse_bench: files in memory, df_parse+df_free repeated for at
#                 least 2 s; MB/s (10^6 bytes) and files/s.
#   CLI           build/plimsoll dump --format=buildkit over all files in one invocation,
#                 best wall time of $BENCH_CLI_RUNS runs, peak RSS from /usr/bin/time -v.
# Prints a table with the goals (parser >= 200 MB/s, CLI peak RSS < 16 MB) and PASS/MISS.
# Exits 0 even on a MISS (a benchmark reports, it does not gate); non-zero if it cannot run.
set -eu
set -o pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
corpus=$root/../shared/corpus/dockerfiles
runs=${BENCH_CLI_RUNS:-5}
goal_mbps=200
goal_rss_mb=16
out=build/bench
mkdir -p "$out"

if [ ! -d "$corpus" ]; then
	echo "bench: corpus $corpus not found (it lives next to the repository)" >&2
	exit 1
fi
corpus=$(cd "$corpus" && pwd)
for f in build/plimsoll build/bench/parse_bench; do
	[ -x "$f" ] || { echo "bench: $f missing; run 'make bench'" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time missing (Debian package 'time')" >&2; exit 1; }

# Both programs are single-threaded. BENCH_CPU=N pins them to CPU N (taskset); unpinned by
# default, since a fixed CPU may be the busy one on a shared machine.
pin=()
if [ -n "${BENCH_CPU:-}" ]; then
	pin=(taskset -c "$BENCH_CPU")
fi

find "$corpus" -type f ! -name '.dockerignore' ! -name '*.dockerignore' | LC_ALL=C sort \
	>"$out/files.txt"
mapfile -t files <"$out/files.txt"
nfiles=${#files[@]}
bytes=$(cat "${files[@]}" | wc -c)

# --- parser only ------------------------------------------------------------------------
pb=$("${pin[@]}" build/bench/parse_bench --min-seconds=2 --list="$out/files.txt")
field() { # field NAME: value of NAME=... in $pb
	local kv
	for kv in $pb; do
		[ "${kv%%=*}" = "$1" ] && { echo "${kv#*=}"; return; }
	done
	echo "?"
}
p_mbps=$(field mb_per_s)
p_fps=$(field files_per_s)
p_rounds=$(field rounds)
p_errors=$(field parse_errors)
p_share=$(field cpu_share)
p_cpu_mbps=$(field cpu_mb_per_s)

# --- CLI end to end ---------------------------------------------------------------------
# Wall time is taken with nanosecond date stamps around the run, because time -v's elapsed
# field has only 10 ms resolution; the peak RSS comes from time -v.
best_ns=
rss_kb=0
cli_rc=0
build/plimsoll dump --format=buildkit "${files[@]}" >/dev/null 2>&1 || true # warm the page cache
for _ in $(seq "$runs"); do
	t0=$(date +%s%N)
	rc=0
	"${pin[@]}" /usr/bin/time -v -o "$out/time.txt" \
		build/plimsoll dump --format=buildkit "${files[@]}" >"$out/dump.txt" 2>"$out/dump.err" ||
		rc=$?
	t1=$(date +%s%N)
	# dump exits 1 when some file does not parse; anything else is a real failure.
	if [ "$rc" -gt 1 ]; then
		echo "bench: plimsoll dump failed (exit $rc); see $out/dump.err" >&2
		exit 1
	fi
	cli_rc=$rc
	ns=$((t1 - t0))
	if [ -z "$best_ns" ] || [ "$ns" -lt "$best_ns" ]; then
		best_ns=$ns
	fi
	kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$out/time.txt")
	[ "${kb:-0}" -gt "$rss_kb" ] && rss_kb=$kb
done
cli_errors=$(grep -c ': error:' "$out/dump.err" || true)

c_wall=$(awk -v ns="$best_ns" 'BEGIN { printf "%.3f", ns / 1e9 }')
c_mbps=$(awk -v b="$bytes" -v ns="$best_ns" 'BEGIN { printf "%.1f", b / (ns / 1e9) / 1e6 }')
c_fps=$(awk -v n="$nfiles" -v ns="$best_ns" 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
c_rss=$(awk -v kb="$rss_kb" 'BEGIN { printf "%.1f", kb / 1024 }')

verdict() { # verdict VALUE OP GOAL -> PASS or MISS
	awk -v v="$1" -v g="$3" -v op="$2" \
		'BEGIN { ok = (op == ">=") ? v >= g : v < g; print ok ? "PASS" : "MISS" }'
}

# --- peers (later) ----------------------------------------------------------------------
# Hook for comparing with other tools on the same file list ($out/files.txt), e.g. BuildKit's
# parser through a small Go driver, hadolint, dockerfile-utils. Each peer would add a row
# with row() below (wall time, MB/s, files/s, peak RSS) measured the same way as the CLI
# loop above. Not implemented yet.

row() { printf '  %-24s %16s   %-14s %s\n' "$1" "$2" "$3" "$4"; }
echo
echo "plimsoll bench: $nfiles Dockerfiles, $bytes bytes (../shared/corpus/dockerfiles)," \
	"single-threaded${BENCH_CPU:+, pinned to CPU $BENCH_CPU}"
row "measure" "value" "goal" "result"
row "parser-only throughput" "$p_mbps MB/s" ">= $goal_mbps MB/s" "$(verdict "$p_mbps" ">=" "$goal_mbps")"
row "parser-only files" "$p_fps files/s" "" ""
row "CLI dump wall time" "$c_wall s" "" "(best of $runs)"
row "CLI dump throughput" "$c_mbps MB/s" "" "$c_fps files/s"
row "CLI dump peak RSS" "$c_rss MB" "< $goal_rss_mb MB" "$(verdict "$c_rss" "<" "$goal_rss_mb")"
echo
echo "  parser: $p_rounds rounds, $p_errors files rejected by the parser;" \
	"CLI: $cli_errors files rejected (exit $cli_rc). MB/s = 10^6 B/s; RSS MB = 2^20 B."
if awk -v s="$p_share" 'BEGIN { exit !(s < 0.9) }'; then
	echo "  WARNING: the parser got only $p_share of a CPU (machine busy): wall-clock figures"
	echo "  are low; per CPU-second it parsed $p_cpu_mbps MB/s. Re-run on a quiet machine."
fi
echo "  raw: $pb"
