#!/usr/bin/env bash
# fuzz/run.sh - run each libFuzzer target for a fixed time on a seeded corpus (make fuzz).
#
# Usage: FUZZ_SECONDS=60 fuzz/run.sh build/fuzz/fuzz_NAME...
#
# For a target fuzz_NAME the corpus lives in build/fuzz/corpus/NAME/ and grows from run to
# run. Before each run it is (re)seeded, by content hash so nothing is copied twice, from
#   fuzz/seeds/NAME/                  hand-written tricky inputs, committed
#   ../shared/corpus/...              the shared real-world corpus, if present (see seed_files;
#                                     shell seeds are the corpus RUN lines, extracted by
#                                     fuzz/extract-run.sh into build/fuzz/seeds-shell/)
# fuzz/NAME.dict is passed with -dict when it exists. Crash, leak, timeout and OOM inputs are
# written to build/fuzz/artifacts/NAME/; copy one to fuzz/crashes/NAME/ to keep it.
# Prints one summary line per target and exits non-zero if any target failed.
set -eu
set -o pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${FUZZ_SECONDS:-60}
shared=$root/../shared/corpus
[ -d "$shared" ] && shared=$(cd "$shared" && pwd)

if [ $# -eq 0 ]; then
	echo "usage: FUZZ_SECONDS=N fuzz/run.sh build/fuzz/fuzz_NAME..." >&2
	exit 2
fi

# Print the real-world files that seed target $1, one path per line.
seed_files() {
	case $1 in
	dockerfile)
		if [ -d "$shared/dockerfiles" ]; then
			find "$shared/dockerfiles" -type f ! -name '.dockerignore' ! -name '*.dockerignore'
		fi
		if [ -d "$shared/buildkit-parser" ]; then
			find "$shared/buildkit-parser" -type f -name 'Dockerfile*'
		fi
		;;
	shell)
		# the RUN instructions of the corpus Dockerfiles, one script per file
		if [ -d "$shared/dockerfiles" ]; then
			find "$shared/dockerfiles" -type f ! -name '.dockerignore' ! -name '*.dockerignore' \
				-print0 | xargs -0 -r fuzz/extract-run.sh build/fuzz/seeds-shell
			find build/fuzz/seeds-shell -type f
		fi
		;;
	dockerignore)
		if [ -d "$shared/dockerfiles" ]; then
			find "$shared/dockerfiles" -type f \( -name '.dockerignore' -o -name '*.dockerignore' \)
		fi
		;;
	config)
		# any YAML is a fine seed for the loader: the compose files
		if [ -d "$shared/compose" ]; then
			find "$shared/compose" -type f \( -name '*.yml' -o -name '*.yaml' \)
		fi
		;;
	yaml)
		# real compose files and Kubernetes manifests
		for d in "$shared/compose" "$shared/k8s"; do
			if [ -d "$d" ]; then
				find "$d" -type f \( -name '*.yml' -o -name '*.yaml' \)
			fi
		done
		;;
	interpolate)
		# .env files and compose files: real ones from the corpus, and the compose-go
		# behaviour cases (tests/compose/), which exercise every interpolation form
		for d in "$shared/compose" tests/compose; do
			if [ -d "$d" ]; then
				find "$d" -type f \( -name '.env' -o -name '*.env' -o -name '*.yml' -o -name '*.yaml' \)
			fi
		done
		;;
	scan)
		# the corpus Dockerfiles, and the parser's hand-written tricky inputs
		if [ -d "$shared/dockerfiles" ]; then
			find "$shared/dockerfiles" -type f ! -name '.dockerignore' ! -name '*.dockerignore'
		fi
		find fuzz/seeds/dockerfile -type f
		find examples -type f -name 'Dockerfile*'
		;;
	esac
}

# Copy each file named on stdin into corpus dir $1 under its SHA-1 (libFuzzer's own naming).
add_seeds() {
	local dir=$1 f h n=0
	while IFS= read -r f; do
		h=$(sha1sum <"$f")
		h=${h%% *}
		[ -e "$dir/$h" ] || cp "$f" "$dir/$h"
		n=$((n + 1))
	done
	echo "$n"
}

failed=0
for bin in "$@"; do
	name=$(basename "$bin")
	name=${name#fuzz_}
	if [ ! -x "$bin" ]; then
		echo "fuzz $name: FAIL (no binary $bin; run make $bin)" >&2
		failed=1
		continue
	fi
	corpus=build/fuzz/corpus/$name
	artifacts=build/fuzz/artifacts/$name
	log=build/fuzz/logs/$name.log
	mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"

	nseeds=0
	if [ -d "fuzz/seeds/$name" ]; then
		nseeds=$(find "fuzz/seeds/$name" -type f | add_seeds "$corpus")
	fi
	nshared=$(seed_files "$name" | add_seeds "$corpus")
	if [ "$nshared" -eq 0 ] && [ "$name" = dockerfile ]; then
		echo "fuzz $name: note: $shared not found, seeding from fuzz/seeds only" >&2
	fi

	dict=()
	[ -f "fuzz/$name.dict" ] && dict=(-dict="fuzz/$name.dict")

	echo "fuzz $name: ${seconds}s, corpus $corpus ($nseeds hand-written + $nshared shared seeds), log $log"
	start=$(date +%s)
	rc=0
	"$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "$corpus" \
		>"$log" 2>&1 || rc=$?
	elapsed=$(($(date +%s) - start))

	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
	size=$(find "$corpus" -type f | wc -l)
	if [ "$rc" -eq 0 ]; then
		status=ok
	else
		status="FAIL (exit $rc)"
		failed=1
	fi
	echo "fuzz $name: $status: ${execs:-?} execs (${rate:-?}/s) in ${elapsed}s," \
		"corpus $size inputs, peak RSS ${rss:-?} MB"
	if [ "$rc" -ne 0 ]; then
		# The sanitizer report and the reproducer's path.
		grep -E '^(==[0-9]+==|    #[0-9]+ |SUMMARY:|artifact_prefix|Test unit written|.*runtime error:)' \
			"$log" | head -n 40 >&2 || true
		unit=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "fuzz $name: full log in $log; reproduce with: $bin ${unit:-$artifacts/<file>}" >&2
	fi
done
exit "$failed"
