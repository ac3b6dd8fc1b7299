#!/usr/bin/env bash
# bench/run.sh - Dockerfile parser throughput, CLI cost, and plimsoll scan against the npm
# Dockerfile linters, on the shared corpus (make bench).
#
# Inputs: every Dockerfile under ../shared/corpus/dockerfiles (the .dockerignore files there
# are left out). Measurements:
#   parser only   build/bench/parse_bench: files in memory, df_parse+df_free repeated for at
#                 least 2 s, one core; MB/s (10^6 bytes) and files/s.
#   CLI dump      build/plimsoll dump --format=buildkit over all files in one invocation.
#   scan          build/plimsoll scan --no-context --quiet --fail-on none --format json, all
#                 files in one invocation, with --jobs 1 and with the default jobs (cores).
#   peers         dockerfile-utils, dockerfilelint, dockerfile_lint, dockerlint (versions
#                 pinned in bench/package.json), each in one node process that loads the
#                 library once and lints every file through its API (bench/peers.js says
#                 how each is driven). Installed with `npm ci --prefix bench` when
#                 bench/node_modules is missing; skipped with a note if node/npm is absent.
# Every process measurement is a warm-up run, then the best wall time of $BENCH_RUNS runs
# (default 5; peers $BENCH_PEER_RUNS, default 3) and the largest peak RSS (/usr/bin/time -v).
# Peers get two more figures timed inside node (files already in memory): the lint loop of
# a fresh process ("1st pass") and the best of 5 passes in one process ("JIT-warm").
# Goals: parser >= 200 MB/s, dump peak RSS < 16 MB, scan --jobs 1 >= 50x faster than the
# fastest figure of the fastest peer, scan peak RSS < 32 MB. Prints PASS/MISS per goal.
# Then bench/image.sh: plimsoll image on a generated ~1.1 GB image against zcat and
# sha256sum of its blobs, and bench/live.sh: plimsoll live on 50 running containers (their
# headers say how).
# Exits 0 even on a MISS (a benchmark reports, it does not gate); non-zero if it cannot run.
set -eu
set -o pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
corpus=$root/../shared/corpus/dockerfiles
runs=${BENCH_RUNS:-${BENCH_CLI_RUNS:-5}}
peer_runs=${BENCH_PEER_RUNS:-3}
peer_passes=5 # lint passes in the JIT-warm peer run
peers=(dockerfile-utils dockerfilelint dockerfile_lint dockerlint)
goal_mbps=200
goal_rss_mb=16
goal_speedup=50
goal_scan_rss_mb=32
out=$root/build/bench
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

# The single-threaded programs (parse_bench, dump, scan --jobs 1) can be pinned to CPU N
# with BENCH_CPU=N (taskset); unpinned by default, since a fixed CPU may be the busy one on
# a shared machine. Multi-threaded runs (scan default jobs, node) are never pinned.
pin=()
if [ -n "${BENCH_CPU:-}" ]; then
	pin=(taskset -c "$BENCH_CPU")
fi

find "$corpus" -type f ! -name '.dockerignore' ! -name '*.dockerignore' | LC_ALL=C sort \
	>"$out/files.txt"
mapfile -t files <"$out/files.txt"
nfiles=${#files[@]}
bytes=$(cat "${files[@]}" | wc -c)
jobs=$(nproc)
load=$(cut -d' ' -f1 /proc/loadavg) # shown in the report: other work on the machine skews it

# measure NAME MAXRC CMD...: one warm-up run, then $runs timed runs of CMD with stdout in
# $out/NAME.out, stderr in $out/NAME.err. Sets m_ns (best wall time; nanosecond date stamps,
# since time -v's elapsed field has 10 ms resolution), m_rss_kb (largest peak RSS, time -v)
# and m_rc (exit status). An exit status above MAXRC is a failure. With m_keep=1 the stdout
# of every timed run is also appended to $out/NAME.runs.
m_keep=0
measure() {
	local name=$1 maxrc=$2 t0 t1 ns kb i
	shift 2
	m_ns=
	m_rss_kb=0
	: >"$out/$name.runs"
	for i in $(seq 0 "$runs"); do
		m_rc=0
		t0=$(date +%s%N)
		/usr/bin/time -v -o "$out/time.txt" "$@" >"$out/$name.out" 2>"$out/$name.err" || m_rc=$?
		t1=$(date +%s%N)
		if [ "$m_rc" -gt "$maxrc" ]; then
			echo "bench: $name failed (exit $m_rc); see $out/$name.err" >&2
			exit 1
		fi
		[ "$i" -eq 0 ] && continue # warm-up: page cache, and node's compile cache
		[ "$m_keep" = 1 ] && cat "$out/$name.out" >>"$out/$name.runs"
		ns=$((t1 - t0))
		if [ -z "$m_ns" ] || [ "$ns" -lt "$m_ns" ]; then
			m_ns=$ns
		fi
		kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$out/time.txt")
		[ "${kb:-0}" -gt "$m_rss_kb" ] && m_rss_kb=$kb
	done
	return 0
}

# kv KEY LINE: value of KEY=... in a line of key=value pairs ("?" if absent).
kv() {
	local pair
	for pair in $2; do
		[ "${pair%%=*}" = "$1" ] && { echo "${pair#*=}"; return; }
	done
	echo "?"
}
calc() { awk "BEGIN { $1 }"; } # calc 'printf ...': float arithmetic
secs() { calc "printf \"%.3f\", $1 / 1e9"; }
mbps() { calc "printf \"%.1f\", $bytes / ($1 / 1e9) / 1e6"; }
fps() { calc "printf \"%.0f\", $nfiles / ($1 / 1e9)"; }
mib() { calc "printf \"%.1f\", $1 / 1024"; }
verdict() { # verdict VALUE OP GOAL -> PASS or MISS
	awk -v v="$1" -v g="$3" -v op="$2" \
		'BEGIN { ok = (op == ">=") ? v >= g : v < g; print ok ? "PASS" : "MISS" }'
}

# --- parser only ------------------------------------------------------------------------
pb=$("${pin[@]}" build/bench/parse_bench --min-seconds=2 --list="$out/files.txt")
p_mbps=$(kv mb_per_s "$pb")
p_fps=$(kv files_per_s "$pb")
p_rounds=$(kv rounds "$pb")
p_errors=$(kv parse_errors "$pb")
p_share=$(kv cpu_share "$pb")
p_cpu_mbps=$(kv cpu_mb_per_s "$pb")

# --- CLI dump end to end ----------------------------------------------------------------
# dump exits 1 when some file does not parse; anything else is a real failure.
measure dump 1 "${pin[@]}" build/plimsoll dump --format=buildkit "${files[@]}"
c_wall=$(secs "$m_ns")
c_mbps=$(mbps "$m_ns")
c_fps=$(fps "$m_ns")
c_rss=$(mib "$m_rss_kb")
cli_rc=$m_rc
cli_errors=$(grep -c ': error:' "$out/dump.err" || true)

# --- plimsoll scan, one core and default jobs -------------------------------------------
scan=(build/plimsoll scan --no-context --quiet --fail-on none --format json)
measure scan-j1 0 "${pin[@]}" "${scan[@]}" --jobs 1 "${files[@]}"
s1_ns=$m_ns
s1_rss=$m_rss_kb
measure scan-jn 0 "${scan[@]}" "${files[@]}"
sn_ns=$m_ns
sn_rss=$m_rss_kb
# --- Kubernetes manifests: the whole k8s corpus as one set, one core ---------------------
mapfile -t k8s_files < <(find "$corpus/../k8s" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort)
k8s_bytes=$(cat "${k8s_files[@]}" | wc -c)
measure k8s 0 "${pin[@]}" build/plimsoll scan --quiet --fail-on none --format json --jobs 1 "${k8s_files[@]}"
k_ns=$m_ns
k_rss=$m_rss_kb
k_docs=$(cat "${k8s_files[@]}" | grep -c '^kind:' || true)

findings() { sed -n 's/^    "findings": \([0-9][0-9]*\),*$/\1/p' "$out/$1.out"; }
findings=$(findings scan-j1)
findings_n=$(findings scan-jn)
scan_rss=$((s1_rss > sn_rss ? s1_rss : sn_rss))

# --- peers ------------------------------------------------------------------------------
# Each peer: one warm-up run that lints the corpus $peer_passes times in one process (its
# best pass is the JIT-warm loop figure, and it gives the problem and failure counts), then
# $peer_runs single-pass runs: best wall time (end to end, node start-up included), largest
# peak RSS, best lint loop (1st pass of a fresh process). node runs in a scratch directory
# because dockerfile_lint's logger may create ./out.log there.
peer_note=
have_peers=0
# Installed means every pinned peer is there (a half-removed node_modules is not).
peers_installed() {
	for p in dockerfile-utils dockerfilelint dockerfile_lint dockerlint; do
		[ -f "bench/node_modules/$p/package.json" ] || return 1
	done
}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	peer_note="node/npm not found: peers skipped (Debian packages nodejs, npm)"
elif ! peers_installed &&
	! npm ci --prefix bench --no-audit --no-fund --loglevel=error >"$out/npm.log" 2>&1; then
	peer_note="npm ci --prefix bench failed (see $out/npm.log): peers skipped"
else
	have_peers=1
fi
declare -A pe_ns pe_rss pe_loop pe_warm pe_best pe_problems pe_failed pe_version
if [ "$have_peers" = 1 ]; then
	mkdir -p "$out/peers"
	cd "$out/peers"
	for p in "${peers[@]}"; do
		pe_version[$p]=$(node -p "require('$root/bench/node_modules/$p/package.json').version")
		kvs=$(PEERS_FAILURES="$out/peer-$p.failures" \
			node "$root/bench/peers.js" "$p" "$out/files.txt" "$peer_passes")
		pe_warm[$p]=$(kv best_loop_ms "$kvs")
		pe_problems[$p]=$(kv problems "$kvs")
		pe_failed[$p]=$(kv failed "$kvs")
		runs_saved=$runs runs=$peer_runs m_keep=1
		measure "peer-$p" 0 node "$root/bench/peers.js" "$p" "$out/files.txt" 1
		runs=$runs_saved m_keep=0
		pe_ns[$p]=$m_ns
		pe_rss[$p]=$m_rss_kb
		pe_loop[$p]=$(sed -n 's/.* loop_ms=\([0-9.]*\) .*/\1/p' "$out/peer-$p.runs" | sort -g | head -n 1)
	done
	cd "$root"
fi

# --- report -----------------------------------------------------------------------------
row() { printf '  %-24s %16s   %-14s %s\n' "$1" "$2" "$3" "$4"; }
echo
echo "plimsoll bench: $nfiles Dockerfiles, $bytes bytes (../shared/corpus/dockerfiles)," \
	"$jobs cores, load $load at start${BENCH_CPU:+, single-threaded runs pinned to CPU $BENCH_CPU}"
echo
echo "Parser and dump (single-threaded):"
row "measure" "value" "goal" "result"
row "parser-only throughput" "$p_mbps MB/s" ">= $goal_mbps MB/s" "$(verdict "$p_mbps" ">=" "$goal_mbps")"
row "parser-only files" "$p_fps files/s" "" ""
row "CLI dump wall time" "$c_wall s" "" "(best of $runs)"
row "CLI dump throughput" "$c_mbps MB/s" "" "$c_fps files/s"
row "CLI dump peak RSS" "$c_rss MB" "< $goal_rss_mb MB" "$(verdict "$c_rss" "<" "$goal_rss_mb")"
echo "  parser: $p_rounds rounds, $p_errors files rejected by the parser;" \
	"CLI: $cli_errors files rejected (exit $cli_rc)."
if awk -v s="$p_share" 'BEGIN { exit !(s < 0.9) }'; then
	echo "  WARNING: the parser got only $p_share of a CPU (machine busy): wall-clock figures"
	echo "  are low; per CPU-second it parsed $p_cpu_mbps MB/s. Re-run on a quiet machine."
fi
echo "  raw: $pb"

# trow TOOL HOW NS RSS_KB PROBLEMS FAILED: one line of the comparison table.
trow() {
	local rss=$4
	[ "$rss" != "" ] && rss=$(mib "$rss")
	printf '  %-24s %-13s %7s %8s %6s %7s %8s %6s\n' "$1" "$2" "$(secs "$3")" "$(fps "$3")" \
		"$(mbps "$3")" "$rss" "$5" "$6"
}
echo
echo "Scan vs npm peers (end to end = whole process, best of $runs for plimsoll and of" \
	"$peer_runs for peers; loop = lint loop timed inside node, files preloaded):"
printf '  %-24s %-13s %7s %8s %6s %7s %8s %6s\n' tool figure "wall s" "files/s" "MB/s" \
	"RSS MB" problems failed
trow "plimsoll scan" "--jobs 1" "$s1_ns" "$s1_rss" "$findings" 0
trow "plimsoll scan" "--jobs $jobs" "$sn_ns" "$sn_rss" "$findings_n" 0
fastest= fastest_ns=
if [ "$have_peers" = 1 ]; then
	for p in "${peers[@]}"; do
		loop_ns=$(calc "printf \"%.0f\", ${pe_loop[$p]} * 1e6")
		warm_ns=$(calc "printf \"%.0f\", ${pe_warm[$p]} * 1e6")
		trow "$p ${pe_version[$p]}" "end to end" "${pe_ns[$p]}" "${pe_rss[$p]}" \
			"${pe_problems[$p]}" "${pe_failed[$p]}"
		trow "" "loop 1st pass" "$loop_ns" "" "" ""
		trow "" "loop JIT-warm" "$warm_ns" "" "" ""
		best=${pe_ns[$p]}
		for ns in "$loop_ns" "$warm_ns"; do
			[ "$ns" -lt "$best" ] && best=$ns
		done
		pe_best[$p]=$best
		if [ -z "$fastest_ns" ] || [ "$best" -lt "$fastest_ns" ]; then
			fastest=$p fastest_ns=$best
		fi
	done
else
	echo "  $peer_note"
fi
echo "  problems = findings (plimsoll) or problems the peer reported; failed = files it threw on"
for p in "${peers[@]}"; do
	if [ "$have_peers" = 1 ] && [ "${pe_failed[$p]}" != 0 ]; then
		echo "  $p threw on ${pe_failed[$p]} files: $out/peer-$p.failures"
	fi
done

echo
if [ "$have_peers" = 1 ]; then
	echo "Ratios (peer's fastest figure / plimsoll scan wall time; peer RSS / plimsoll RSS):"
	printf '  %-24s %10s %11s %11s %10s\n' peer "fastest s" "vs --jobs 1" "vs --jobs $jobs" "RSS ratio"
	for p in "${peers[@]}"; do
		printf '  %-24s %10s %10sx %10sx %9sx\n' "$p" "$(secs "${pe_best[$p]}")" \
			"$(calc "printf \"%.1f\", ${pe_best[$p]} / $s1_ns")" \
			"$(calc "printf \"%.1f\", ${pe_best[$p]} / $sn_ns")" \
			"$(calc "printf \"%.1f\", ${pe_rss[$p]} / $scan_rss")"
	done
	speedup=$(calc "printf \"%.1f\", $fastest_ns / $s1_ns")
	speedup_n=$(calc "printf \"%.1f\", $fastest_ns / $sn_ns")
	echo
	row "goal" "value" "goal" "result"
	row "scan --jobs 1 vs fastest" "${speedup}x" ">= ${goal_speedup}x" \
		"$(verdict "$speedup" ">=" "$goal_speedup") (vs $fastest, ${speedup_n}x with --jobs $jobs)"
else
	row "goal" "value" "goal" "result"
	row "scan --jobs 1 vs fastest" "-" ">= ${goal_speedup}x" "not measured (no peers)"
fi
row "scan peak RSS" "$(mib "$scan_rss") MB" "< $goal_scan_rss_mb MB" \
	"$(verdict "$(mib "$scan_rss")" "<" "$goal_scan_rss_mb")"
echo "  MB/s = 10^6 B/s; RSS MB = 2^20 B."

echo
echo "Kubernetes manifests (${#k8s_files[@]} files, $k8s_bytes bytes, ~$k_docs documents in ../shared/corpus/k8s, one core):"
row "measure" "value" "goal" "result"
row "k8s corpus scan wall time" "$(secs "$k_ns") s" "< 0.5 s" \
	"$(verdict "$(secs "$k_ns")" "<" 0.5)"
row "manifests per second" "$(awk -v n="$k_docs" -v ns="$k_ns" 'BEGIN { printf "%.0f", n / (ns / 1e9) }')/s" "" ""
row "k8s scan peak RSS" "$(mib "$k_rss") MB" "< 64 MB" "$(verdict "$(mib "$k_rss")" "<" 64)"

# plimsoll serve under wrk (its header says how): before the image bench, which takes longest
echo
echo "=== The admission webhook: plimsoll serve under wrk, ~2000 requests/s (bench/serve.sh) ==="
bash "$root/bench/serve.sh"

echo
echo "=== Image reader: plimsoll image on a ~1.1 GB image vs zcat and sha256sum (bench/image.sh) ==="
bash "$root/bench/image.sh"
echo
echo "=== Running containers: plimsoll live on 50 containers (bench/live.sh) ==="
bash "$root/bench/live.sh"
