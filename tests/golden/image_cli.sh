# `plimsoll image` options on the archives tests/image/mkimages.py writes: --platform picks
# from a multi-platform index (whose linux/amd64 blobs are absent, as containerd-store
# saves leave them), a bad --platform and --platform with `scan` are usage errors, and
# every layout the reader supports gives the same findings for the same image.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 "$PL_ROOT/tests/image/mkimages.py" "$tmp" >/dev/null || { not_ok "mkimages.py"; exit 0; }
cd "$tmp"
"$PLIMSOLL" image --fail-on none --platform linux/amd64 multi.tar >/dev/null 2>err; rc=$?
check "--platform linux/amd64 on an index without its blobs: exit 2" test $rc -eq 2
check "... naming what is present" grep -qxF \
	"multi.tar: error: no image for linux/amd64 (present: linux/arm64/v8); choose one with --platform" err
"$PLIMSOLL" image --fail-on none --platform linux/arm64 --format json multi.tar >out 2>err; rc=$?
check "--platform linux/arm64: read (exit 0, nothing on stderr)" bash -c "[ $rc -eq 0 ] && [ ! -s err ]"
check "... and checked (the setuid ping and su)" grep -q '/usr/bin/ping, /usr/bin/su' out
"$PLIMSOLL" image --platform Linux multi.tar >/dev/null 2>err; rc=$?
check "--platform Linux: usage error" bash -c "[ $rc -eq 2 ] && grep -q 'wants os/arch' err"
"$PLIMSOLL" scan --platform linux/amd64 . >/dev/null 2>err; rc=$?
check "scan --platform: usage error" bash -c "[ $rc -eq 2 ] && grep -q 'is for images' err"
codes() { "$PLIMSOLL" image --fail-on none --format json "$1" |
	python3 -c 'import json,sys; print(" ".join(sorted(f["code"] + ":" + f["message"].split(": ")[-1] for f in json.load(sys.stdin)["findings"])))'; }
want=$(codes oci)
check "OCI layout as a tar: same findings as the directory" test "$(codes oci.tar)" = "$want"
