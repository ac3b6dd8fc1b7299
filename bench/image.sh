#!/usr/bin/env bash
# bench/image.sh - `plimsoll image` on a large image against zcat and sha256sum of its blobs
# (called at the end of bench/run.sh; runs alone too: bash bench/image.sh).
#
# Input: build/bench/big-image.tar, an OCI layout tar written by bench/mkbigimage.py
# ($BENCH_IMAGE_MB MiB of uncompressed layer tars, default 1100: 12 gzip -6 layers, tens of
# thousands of files of mixed sizes and kinds, about 2:1 under gzip). Generated once and
# kept; generated again when mkbigimage.py or the size changes (stamp file next to it).
# The blobs are extracted once into build/bench/big-image/ for zcat and sha256sum.
# Measurements, each the best wall time of $BENCH_IMAGE_RUNS runs (default 3) and the peak
# RSS of that run (/usr/bin/time -f '%e %M'):
#   zcat        zcat of every layer blob to /dev/null (one core)
#   sha256sum   sha256sum of every blob (one core)
#   plimsoll    plimsoll image --fail-on none --quiet --format json, --jobs 1 and --jobs 2
# MB/s is of the compressed input (the layer blobs), 10^6 B/s. Goals: plimsoll --jobs 1
# within 1.25x of the slower of zcat and sha256sum; peak RSS < 64 MB. PASS/MISS per goal;
# exits 0 on a MISS, non-zero only when a command fails.
set -eu
set -o pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$root/build/bench
mb=${BENCH_IMAGE_MB:-1100}
runs=${BENCH_IMAGE_RUNS:-3}
goal_ratio=1.25
goal_rss_mb=64
img=$out/big-image.tar
blobdir=$out/big-image
mkdir -p "$out"

[ -x build/plimsoll ] || { echo "bench/image.sh: build/plimsoll missing; run 'make'" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/image.sh: /usr/bin/time missing (Debian package 'time')" >&2; exit 1; }

stamp="$(sha256sum bench/mkbigimage.py | cut -d' ' -f1) $mb"
if [ ! -f "$img" ] || [ "$(cat "$img.stamp" 2>/dev/null)" != "$stamp" ]; then
	echo "generating $img ($mb MiB uncompressed; about a minute) ..."
	rm -rf "$img" "$img.stamp" "$img.info" "$blobdir"
	python3 bench/mkbigimage.py "$img" "$mb"
	echo "$stamp" >"$img.stamp"
fi
if [ ! -f "$blobdir/.done" ] || [ "$blobdir/.done" -ot "$img" ]; then
	rm -rf "$blobdir"
	mkdir -p "$blobdir"
	tar -xf "$img" -C "$blobdir"
	touch "$blobdir/.done"
fi

# The layer blobs, from the manifest, in layer order; and all blobs (for sha256sum).
mapfile -t layers < <(python3 - "$blobdir" <<'EOF'
import json, os, sys
d = sys.argv[1]
idx = json.load(open(os.path.join(d, "index.json")))
m = json.load(open(os.path.join(d, "blobs/sha256", idx["manifests"][0]["digest"][7:])))
for l in m["layers"]:
    print(os.path.join(d, "blobs/sha256", l["digest"][7:]))
EOF
)
mapfile -t blobs < <(find "$blobdir/blobs/sha256" -type f | LC_ALL=C sort)
comp_bytes=$(stat -c %s "${layers[@]}" | awk '{ s += $1 } END { print s }')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best NAME CMD...: best wall time of $runs runs, after one warm-up; sets b_s and b_kb
best() {
	local name=$1
	shift
	"$@" >/dev/null 2>&1 || { echo "bench/image.sh: $name failed: $*" >&2; exit 1; }
	b_s=""
	b_kb=0
	for _ in $(seq "$runs"); do
		/usr/bin/time -o "$tmp/t" -f '%e %M' "$@" >/dev/null 2>"$tmp/err" || {
			cat "$tmp/err" >&2
			echo "bench/image.sh: $name failed: $*" >&2
			exit 1
		}
		read -r s kb <"$tmp/t"
		if [ -z "$b_s" ] || awk -v a="$s" -v b="$b_s" 'BEGIN { exit !(a < b) }'; then
			b_s=$s
			b_kb=$kb
		fi
	done
}

declare -A secs rss
best zcat sh -c 'zcat "$@" >/dev/null' zcat "${layers[@]}"
secs[zcat]=$b_s rss[zcat]=$b_kb
best sha256sum sha256sum "${blobs[@]}"
secs[sha256sum]=$b_s rss[sha256sum]=$b_kb
pl="build/plimsoll image --fail-on none --quiet --format json"
best "plimsoll --jobs 1" $pl --jobs 1 "$img"
secs[j1]=$b_s rss[j1]=$b_kb
best "plimsoll --jobs 2" $pl --jobs 2 "$img"
secs[j2]=$b_s rss[j2]=$b_kb

echo "Image: $img"
echo "  $(cat "$img.info"); $comp_bytes bytes of layer blobs ($((comp_bytes >> 20)) MiB)"
echo "  best of $runs runs each (after a warm-up; the image is in the page cache)"
printf '  %-22s %9s %9s %12s %12s\n' tool seconds "MB/s" "peak RSS MB" "vs slower"
slower=$(awk -v a="${secs[zcat]}" -v b="${secs[sha256sum]}" 'BEGIN { print ((a > b) ? a : b) }')
row() { # label secs kb
	printf '  %-22s %9.2f %9.0f %12.1f %11.2fx\n' "$1" "$2" \
		"$(awk -v b="$comp_bytes" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }')" \
		"$(awk -v k="$3" 'BEGIN { printf "%.1f", k / 1024 }')" \
		"$(awk -v s="$2" -v m="$slower" 'BEGIN { printf "%.3f", s / m }')"
}
row "zcat (layers)" "${secs[zcat]}" "${rss[zcat]}"
row "sha256sum (blobs)" "${secs[sha256sum]}" "${rss[sha256sum]}"
row "plimsoll --jobs 1" "${secs[j1]}" "${rss[j1]}"
row "plimsoll --jobs 2" "${secs[j2]}" "${rss[j2]}"
ratio=$(awk -v s="${secs[j1]}" -v m="$slower" 'BEGIN { printf "%.2f", s / m }')
ratio2=$(awk -v s="${secs[j2]}" -v m="$slower" 'BEGIN { printf "%.2f", s / m }')
maxrss=$(awk -v a="${rss[j1]}" -v b="${rss[j2]}" 'BEGIN { printf "%.1f", (a > b ? a : b) / 1024 }')
verdict() { awk -v v="$1" -v g="$3" -v op="$2" \
	'BEGIN { ok = op == "<=" ? v <= g : v < g; print ok ? "PASS" : "MISS" }'; }
echo
printf '  %-40s %10s %10s  %s\n' goal value goal result
printf '  %-40s %10s %10s  %s\n' "plimsoll --jobs 1 / max(zcat, sha256sum)" "${ratio}x" \
	"<= ${goal_ratio}x" "$(verdict "$ratio" "<=" "$goal_ratio") (--jobs 2: ${ratio2}x)"
printf '  %-40s %10s %10s  %s\n' "plimsoll peak RSS (--jobs 1 and 2)" "$maxrss MB" \
	"< $goal_rss_mb MB" "$(verdict "$maxrss" "<" "$goal_rss_mb")"
echo "  MB/s = 10^6 B/s of compressed layer blobs; RSS MB = 2^20 B."
