#!/usr/bin/env bash
# bench/live.sh - plimsoll live on 50 running containers (make bench; LIVE_BENCH_N=... to
# change the count). Each container is the hardened test scenario (tests/live/
# containers.sh): busybox httpd serving a real /metrics and a shell loop printing JSON log
# lines (but no health check, which 50 containers probing every few seconds would turn into
# background load on two cores: each gives one PL401 finding), so the audit reads everything it can: inspect, changes, exec sessions, the last 100
# log lines, the metrics endpoint, and the exec events. Measured: the best wall time of 5
# runs after a warm-up, and the peak RSS (/usr/bin/time -v). For scale, the same Engine's
# own CLI: one `docker inspect` of all containers, and one `docker inspect` per container
# (how docker-bench-security reads each check; not in Debian's or npm's registries, so not
# run itself). Goal: under 1 s for 50 containers, logs and metrics included.
# Skipped with a note when no Docker Engine answers. Removes its containers on exit.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
n=${LIVE_BENCH_N:-50}
runs=5
if ! command -v docker >/dev/null || ! docker info >/dev/null 2>&1 || ! command -v busybox >/dev/null; then
	echo "live bench: skipped (no Docker Engine answers, or busybox-static is missing)"
	exit 0
fi
. tests/live/containers.sh
cleanup() {
	ids=$(docker ps -aq --filter label=plimsoll.bench=live)
	[ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1
	return 0
}
trap cleanup EXIT
cleanup
live_build_image
echo "starting $n containers ..."
for i in $(seq 1 "$n"); do
	docker run -d --name "pl-bench-$i" --label plimsoll.bench=live --read-only --tmpfs /tmp \
		--cap-drop ALL --security-opt no-new-privileges --memory 32m --cpus 0.1 \
		--pids-limit 16 --user 10001:10001 --log-opt max-size=1m --restart unless-stopped \
		-e LOGS=json -e WWW=good "$LIVE_IMAGE_ID" >/dev/null
done
sleep 5 # a few log lines each
best() { # command...: best wall seconds of $runs runs, after one warm-up
	"$@" >/dev/null 2>&1
	local b=999 t s e
	for _ in $(seq 1 $runs); do
		s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
		t=$(echo "scale=3; ($e - $s) / 1000000000" | bc)
		b=$(echo "if ($t < $b) $t else $b" | bc)
	done
	echo "$b"
}
live() { build/plimsoll live --format json --fail-on none --filter label=plimsoll.bench=live; }
ids=$(docker ps -q --filter label=plimsoll.bench=live)
inspect_all() { docker inspect $ids; }
inspect_each() { for id in $ids; do docker inspect "$id"; done; }
t_live=$(best live)
rss=$(/usr/bin/time -v build/plimsoll live --format json --fail-on none \
	--filter label=plimsoll.bench=live 2>&1 >/dev/null | awk '/Maximum resident/ {printf "%.1f", $6/1024}')
count=$(live | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')
t_all=$(best inspect_all)
t_each=$(best inspect_each)
echo
echo "Live audit of $n running containers ($(nproc) cores, Docker $(docker version -f '{{.Server.Version}}')):"
printf '  plimsoll live (inspect, changes, execs, 100 log lines, /metrics, events): %6.3f s, peak RSS %s MB, %s findings\n' "$t_live" "$rss" "$count"
printf '  docker inspect, all %d in one call:                                     %6.3f s\n' "$n" "$t_all"
printf '  docker inspect, one call per container (docker-bench style, 1 check):   %6.3f s\n' "$t_each"
if [ "$(echo "$t_live < 1" | bc)" = 1 ]; then echo "  goal < 1 s for $n containers: PASS"; else echo "  goal < 1 s for $n containers: MISS"; fi
