#!/usr/bin/env bash
# bench/serve.sh - plimsoll serve under load (make bench runs it last; also runnable alone).
#
# The release build serves HTTPS on a free loopback port with 2 workers and a certificate
# made here; wrk (Debian package) posts a typical review: the Deployment of
# tests/serve/deployment-warned.json (judged, allowed with 3 warnings), over keep-alive TLS
# connections, from one thread, so the server has the machine's other core. Two runs:
#   paced  20 connections, each waiting 9 ms between requests: about 2 000 requests/s
#          offered, for SERVE_BENCH_SECONDS (default 10; 60 for the full run). Goal at 2 cores:
#          p99 under 5 ms, no errors, and flat memory: RSS at the end within 10% (or 4 MB)
#          of RSS after warm-up.
#   open   the same 20 connections without waiting, for a third of that: the throughput
#          ceiling on this machine (shared with wrk itself).
# wrk's own percentiles (--latency) are reported, and the server's histogram is read back
# from /metrics as a cross-check. Exits 0 even on a MISS (it reports, it does not gate);
# non-zero when it cannot run.
set -eu
set -o pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${SERVE_BENCH_SECONDS:-10}
out=$root/build/bench/serve
mkdir -p "$out"
command -v wrk >/dev/null || { echo "bench/serve.sh: wrk missing (Debian package wrk)" >&2; exit 1; }
[ -x build/plimsoll ] || { echo "bench/serve.sh: build/plimsoll missing; run make" >&2; exit 1; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
	-subj /CN=bench -addext subjectAltName=IP:127.0.0.1 \
	-keyout "$out/tls.key" -out "$out/tls.crt" 2>/dev/null
python3 tests/serve/mkreview.py bench-uid CREATE tests/serve/deployment-warned.json >"$out/review.json"
printf 'fail-on: high\n' >"$out/plimsoll.yml"

build/plimsoll serve --listen 127.0.0.1:0 --workers 2 --tls-cert "$out/tls.crt" \
	--tls-key "$out/tls.key" --config "$out/plimsoll.yml" >"$out/server.log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true' EXIT
. "$root/tests/serve/port.sh"
port=$(serve_port "$out/server.log" "$pid")
[ -n "$port" ] || { echo "bench/serve.sh: the server did not start; see $out/server.log" >&2; exit 1; }
url=https://127.0.0.1:$port/validate
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }

# warm-up: every code path once, allocator arenas of both workers grown
curl -sS --cacert "$out/tls.crt" --data-binary @"$out/review.json" "$url" | grep -q '"allowed":true' ||
	{ echo "bench/serve.sh: the review was not answered as expected" >&2; exit 1; }
REVIEW_FILE=$out/review.json wrk -t1 -c20 -d2s -s bench/serve.lua "$url" >/dev/null
rss0=$(rss)

run() { # NAME SECONDS PACE_MS
	REVIEW_FILE=$out/review.json PACE_MS=$3 wrk -t1 -c20 -d"$2"s --latency --timeout 2s \
		-s bench/serve.lua "$url" >"$out/$1.txt"
}
run paced "$secs" 9
rss1=$(rss)
run open $(((secs + 2) / 3)) 0
rss2=$(rss)
curl -sS --cacert "$out/tls.crt" -o "$out/metrics.txt" "https://127.0.0.1:$port/metrics"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
trap - EXIT

# wrk's report: "Requests/sec: 1999.12", "  99%    1.23ms", "Non-2xx or 3xx responses: N",
# "Socket errors: connect 0, read 0, write 0, timeout 0"
ms() { # a wrk duration (850.00us, 1.23ms, 2.00s) in milliseconds
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; printf "%.3f", n }'
}
pct() { ms "$(awk -v p="$2%" '$1 == p { print $2 }' "$out/$1.txt")"; }
rps() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out/$1.txt"; }
errors() {
	awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { for (i = 3; i <= NF; i++) n += $i + 0 } END { print n + 0 }' "$out/$1.txt"
}
total() { awk '/requests in/ { print $1 }' "$out/$1.txt"; }
p99=$(pct paced 99)
rate=$(rps paced)
err=$(errors paced)
grow=$((rss1 - rss0))
verdict() { awk -v ok="$1" 'BEGIN { print ok ? "PASS" : "MISS" }'; }
# the server's own view: the share of reviews answered within 5 ms
within5=$(awk '/_bucket\{le="0.005"\}/ { b = $2 } /_bucket\{le="\+Inf"\}/ { t = $2 } END { if (t) printf "%.4f", b / t }' "$out/metrics.txt")

echo
echo "plimsoll serve under wrk: HTTPS on loopback, 2 workers, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg);"
echo "one review: $(wc -c <"$out/review.json") bytes (tests/serve/deployment-warned.json, allowed with 3 warnings)"
printf '  %-34s %14s %14s\n' "" "paced ${secs}s" "open $(((secs + 2) / 3))s"
printf '  %-34s %14s %14s\n' "requests" "$(total paced)" "$(total open)"
printf '  %-34s %14s %14s\n' "requests/s" "$rate" "$(rps open)"
printf '  %-34s %14s %14s\n' "latency p50 (ms)" "$(pct paced 50)" "$(pct open 50)"
printf '  %-34s %14s %14s\n' "latency p90 (ms)" "$(pct paced 90)" "$(pct open 90)"
printf '  %-34s %14s %14s\n' "latency p99 (ms)" "$p99" "$(pct open 99)"
printf '  %-34s %14s %14s\n' "errors (non-2xx, socket)" "$err" "$(errors open)"
printf '  %-34s %14s %14s\n' "server RSS after warm-up / end (kB)" "$rss0 / $rss1" "$rss2"
echo "  server histogram: $within5 of all reviews answered within 5 ms; exit status on SIGTERM: $rc"
echo
printf '  %-40s %s\n' "goal" "result"
ok_rate=$([ "$rate" -ge 1900 ] && echo 1 || echo 0)
ok_p99=$(awk -v p="$p99" 'BEGIN { print (p < 5) }')
ok_err=$([ "$err" = 0 ] && echo 1 || echo 0)
ok_mem=$(awk -v g="$grow" -v r="$rss0" 'BEGIN { print (g < 4096 || g < r / 10) }')
printf '  %-40s %s\n' "paced rate >= 1900 req/s (~2000 offered)" "$(verdict "$ok_rate")"
printf '  %-40s %s\n' "p99 < 5 ms at that rate" "$(verdict "$ok_p99")"
printf '  %-40s %s\n' "no errors" "$(verdict "$ok_err")"
printf '  %-40s %s\n' "flat memory (growth < max(10%, 4 MB))" "$(verdict "$ok_mem") ($grow kB)"
echo "  raw wrk reports: $out/paced.txt, $out/open.txt"
