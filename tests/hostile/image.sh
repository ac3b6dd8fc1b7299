#!/usr/bin/env bash
# tests/hostile/image.sh - the image reader against hostile archives, through the CLI.
#
# tests/hostile/mkhostile_images.py writes the archives at run time (nothing big is
# committed): path traversal names, a tar header declaring 4 TiB, a 2 GiB gzip bomb, a
# truncated archive, symlink loops and a symlinked /etc/passwd, absurd layer and manifest
# counts, a non-archive and an empty file. Each case asserts no crash and no sanitizer
# report ($PLIMSOLL is the ASan+UBSan build: exit 99), no timeout, and the exact outcome:
# either the refusal ("FILE: error: MESSAGE", exit 2) or the findings that name the attack.
# The bomb's peak RSS is measured on the release build (ASan inflates memory).
. "$(dirname "$0")/../lib.sh"

RELEASE=${PLIMSOLL_RELEASE:-$PL_ROOT/build/plimsoll}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v python3 >/dev/null; then
	skip "hostile images" "python3 is needed to generate inputs"
	exit 0
fi
python3 "$PL_ROOT/tests/hostile/mkhostile_images.py" "$tmp" || { not_ok "generate hostile images"; exit 0; }

# run NAME: plimsoll image --fail-on none --no-color NAME.tar in $tmp; sets rc, out, err
run() {
	(cd "$tmp" && timeout 60 "$PLIMSOLL" image --no-color --fail-on none "$1.tar") \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
}
sane() { # no sanitizer report, no timeout
	[ "$rc" -ne 99 ] && [ "$rc" -ne 124 ] && ! grep -qE 'Sanitizer|runtime error:' "$tmp/err"
}
refused() { # NAME MESSAGE: exit 2 and exactly that error line
	run "$1"
	if sane && [ "$rc" -eq 2 ] && grep -qxF "$1.tar: error: $2" "$tmp/err"; then
		ok "hostile image $1: refused: $2"
	else
		not_ok "hostile image $1 (rc=$rc)"; head -3 "$tmp/err" | sed 's/^/# /'
	fi
}
found() { # NAME CODE TEXT...: exit 0 and, for each TEXT, a CODE finding that contains it
	local name=$1 code=$2 t bad=""
	shift 2
	run "$name"
	sane && [ "$rc" -eq 0 ] || bad="rc=$rc"
	for t in "$@"; do
		grep -F "[$code " "$tmp/out" | grep -qF -- "$t" || bad+=" missing: $t"
	done
	if [ -z "$bad" ]; then ok "hostile image $name: $code $*"; else
		not_ok "hostile image $name: $bad"; head -5 "$tmp/out" "$tmp/err" | sed 's/^/# /'; fi
}

found traversal PL609 'path traversal: "../../../../etc/cron.d/evil"; skipped' \
	'path traversal: "a/../../escape"; skipped' \
	'path traversal in hardlink "link" -> "../../../etc/shadow"; skipped'
found huge-header PL609 '"huge" declares 4398046511104 bytes, more than a layer may hold'
found gzip-bomb PL115 'the image is 2147.5 MB uncompressed'
refused truncated "neither manifest.json nor index.json: not an image archive or OCI layout"
refused many-layers "manifest.json: 100000 layers, more than 512"
refused many-manifests "index.json: not a JSON document of at most 4 MiB"
refused not-an-image "not an image archive (Unrecognized archive format)"
refused empty "not an image archive (Unrecognized archive format)"

# symlink loops are never followed, and a symlinked /etc/passwd is not read: no claim
# about the named user (no false "cannot start"), no finding at all
run symlinks
if sane && [ "$rc" -eq 0 ] && ! grep -q '\[PL' "$tmp/out"; then
	ok "hostile image symlinks: read, no finding"
else
	not_ok "hostile image symlinks (rc=$rc)"; head -5 "$tmp/out" "$tmp/err" | sed 's/^/# /'
fi

# the bomb streams: 2 GiB of zeros read in bounded memory (goal: under 64 MB)
if [ -x "$RELEASE" ] && [ -x /usr/bin/time ]; then
	kb=$(cd "$tmp" && /usr/bin/time -f %M "$RELEASE" image --quiet --fail-on none \
		--format json gzip-bomb.tar 2>&1 >/dev/null | tail -1)
	if [ "${kb:-999999}" -lt 65536 ]; then ok "gzip bomb: peak RSS ${kb} KB < 64 MB"
	else not_ok "gzip bomb: peak RSS ${kb} KB >= 64 MB"; fi
else
	skip "gzip bomb RSS" "no release build or /usr/bin/time"
fi
