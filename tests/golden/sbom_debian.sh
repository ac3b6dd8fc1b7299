# The SBOM against the truth, on a real Debian image: a debootstrap minbase of bookworm
# (downloaded once from the Debian mirror apt uses, cached under build/cache/), imported
# into the Docker Engine, saved with docker save; the packages `plimsoll image --sbom`
# lists must equal what `dpkg-query -W` prints when run inside that image. Needs debootstrap
# and a Docker Engine: under CI=true (.ci/run installs and starts them) it must run;
# elsewhere it skips with the reason.
. "$(dirname "$0")/../lib.sh"
need() { need_component "sbom on a Debian image" "$1"; }
command -v debootstrap >/dev/null || need "debootstrap is not installed"
command -v docker >/dev/null && docker info >/dev/null 2>&1 || need "no Docker Engine reachable (start dockerd)"
[ "$(id -u)" -eq 0 ] || need "debootstrap needs root"
cache=$PL_ROOT/build/cache
root_tar=$cache/minbase-bookworm.tar
tmp=$(mktemp -d)
tag=plimsoll-test-deb-$$:1
trap 'docker rmi -f "$tag" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
if [ ! -s "$root_tar" ]; then
	mkdir -p "$cache"
	mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	if ! debootstrap --variant=minbase bookworm "$tmp/root" "$mirror" >"$tmp/debootstrap.log" 2>&1; then
		not_ok "debootstrap minbase bookworm from $mirror"; tail -5 "$tmp/debootstrap.log" | sed 's/^/# /'; exit 0
	fi
	tar -C "$tmp/root" -cf "$root_tar.part" . && mv "$root_tar.part" "$root_tar"
	rm -rf "$tmp/root"
fi
docker import "$root_tar" "$tag" >/dev/null || { not_ok "docker import"; exit 0; }
docker run --rm --network none "$tag" dpkg-query -W -f '${db:Status-Abbrev} ${Package} ${Version} ${Architecture}\n' |
	awk '$1 == "ii" { print $2, $3, $4 }' | sort >"$tmp/truth"
docker save "$tag" -o "$tmp/deb.tar" || { not_ok "docker save"; exit 0; }
"$PLIMSOLL" image --sbom cyclonedx "$tmp/deb.tar" >"$tmp/cdx.json" 2>"$tmp/err"; rc=$?
check "sbom cyclonedx on the Debian image: exit 0, nothing on stderr" bash -c "[ $rc -eq 0 ] && [ ! -s '$tmp/err' ]"
python3 - "$tmp/cdx.json" >"$tmp/cdx" <<'PY'
import json, sys, urllib.parse
d = json.load(open(sys.argv[1]))
for c in d["components"]:
    if c.get("type") != "library":
        continue
    q = urllib.parse.parse_qs(c["purl"].split("?", 1)[1])
    print(c["name"], c["version"], q["arch"][0])
PY
sort -o "$tmp/cdx" "$tmp/cdx"
n=$(wc -l <"$tmp/truth")
check "the Debian image has packages ($n)" test "$n" -gt 50
check "CycloneDX lists exactly the packages dpkg-query reports inside the image" cmp -s "$tmp/truth" "$tmp/cdx"
cmp -s "$tmp/truth" "$tmp/cdx" || diff "$tmp/truth" "$tmp/cdx" | head -10 | sed 's/^/# /'
"$PLIMSOLL" image --sbom spdx "$tmp/deb.tar" >"$tmp/spdx.json" 2>"$tmp/err"
python3 - "$tmp/spdx.json" <<'PY' | sort >"$tmp/spdx"
import json, sys, urllib.parse
for p in json.load(open(sys.argv[1]))["packages"]:
    refs = [r["referenceLocator"] for r in p.get("externalRefs", []) if r["referenceType"] == "purl"]
    if not refs or not refs[0].startswith("pkg:deb/"):
        continue
    q = urllib.parse.parse_qs(refs[0].split("?", 1)[1])
    print(p["name"], p["versionInfo"], q["arch"][0])
PY
check "SPDX lists exactly the same packages" cmp -s "$tmp/truth" "$tmp/spdx"
check "purls name the distribution: distro=debian-12" grep -q 'distro=debian-12' "$tmp/cdx.json"
