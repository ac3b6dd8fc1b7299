# plimsoll image --sbom on an image holding THIS host's dpkg database and os-release: the
# packages in the CycloneDX and SPDX documents must be exactly what dpkg-query says is
# installed ("ii") from the same status file, with well-formed purls, and the documents must
# carry the fields their specifications require. A distroless-style status.d and an apk
# database are checked against hand-written expectations. Needs python3; the host part
# needs a dpkg database (skips with a reason elsewhere).
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
spec2image="$PL_ROOT/tests/image/spec2image.py"
export SOURCE_DATE_EPOCH=1795000000 # reproducible creation times

# usage errors first: they need no image
"$PLIMSOLL" scan --sbom cyclonedx . >/dev/null 2>&1
check "--sbom with scan is a usage error (exit 2)" [ $? -eq 2 ]
"$PLIMSOLL" image --sbom xml "$tmp/none.tar" >/dev/null 2>&1
check "--sbom with an unknown format is a usage error (exit 2)" [ $? -eq 2 ]

# --- this host's dpkg database ----------------------------------------------------------
status=/var/lib/dpkg/status
osr=$(readlink -f /etc/os-release 2>/dev/null)
if [ ! -r "$status" ] || ! command -v dpkg-query >/dev/null || [ ! -r "$osr" ]; then
	skip "sbom of the host's dpkg database" "no dpkg database, dpkg-query or os-release here"
else
	# the image: /etc/os-release a symlink to ../usr/lib/os-release, as Debian ships it
	python3 - "$status" "$osr" "$tmp/host.json" <<'EOF'
import json, sys
status = open(sys.argv[1], encoding="utf-8", errors="surrogateescape").read()
osr = open(sys.argv[2], encoding="utf-8").read()
json.dump({"ref": "plimsoll-test/host:1", "history": ["ADD rootfs.tar /"],
           "layers": [{"files": [
               {"path": "/etc", "type": "dir", "mode": "0755"},
               {"path": "/etc/os-release", "type": "symlink", "link": "../usr/lib/os-release"},
               {"path": "/usr/lib/os-release", "content": osr},
               {"path": "/var/lib/dpkg/status", "content": status}]}]},
          open(sys.argv[3], "w"))
EOF
	python3 "$spec2image" "$tmp/host.json" "$tmp/host.tar"
	# the truth: dpkg-query on the same status file (its admindir holds only that file)
	mkdir -p "$tmp/admin/info" "$tmp/admin/updates"
	cp "$status" "$tmp/admin/status"
	dpkg-query --admindir="$tmp/admin" -W \
		-f '${Package} ${Version} ${Architecture} ${db:Status-Abbrev}\n' 2>/dev/null |
		awk '$4 ~ /^ii/ {print $1, $2, $3}' | sort -u >"$tmp/truth"
	start=$(date +%s.%N)
	"$PLIMSOLL" image --sbom cyclonedx "$tmp/host.tar" >"$tmp/cdx.json" 2>"$tmp/cdx.err"
	rc=$?
	end=$(date +%s.%N)
	check "host image: --sbom cyclonedx exits 0" [ $rc -eq 0 ]
	"$PLIMSOLL" image --sbom spdx --output "$tmp/spdx.json" "$tmp/host.tar" 2>"$tmp/spdx.err"
	check "host image: --sbom spdx --output FILE exits 0" [ $? -eq 0 ]
	python3 - "$tmp/cdx.json" <<'EOF' | sort -u >"$tmp/cdx.pkgs"
import json, sys, urllib.parse
d = json.load(open(sys.argv[1]))
for c in d["components"]:
    if c["type"] != "library":
        continue
    q = urllib.parse.parse_qs(c["purl"].split("?", 1)[1])
    print(c["name"], c.get("version", ""), q["arch"][0])
EOF
	python3 - "$tmp/spdx.json" <<'EOF' | sort -u >"$tmp/spdx.pkgs"
import json, sys, urllib.parse
d = json.load(open(sys.argv[1]))
for p in d["packages"]:
    if p["SPDXID"] == "SPDXRef-Image":
        continue
    purl = p["externalRefs"][0]["referenceLocator"]
    q = urllib.parse.parse_qs(purl.split("?", 1)[1])
    print(p["name"], p.get("versionInfo", ""), q["arch"][0])
EOF
	n=$(wc -l <"$tmp/truth")
	check "host image: dpkg-query finds installed packages ($n)" [ "$n" -gt 0 ]
	check "host image: CycloneDX (name, version, arch) = dpkg-query's installed set" \
		cmp -s "$tmp/truth" "$tmp/cdx.pkgs"
	check "host image: SPDX (name, version, arch) = dpkg-query's installed set" \
		cmp -s "$tmp/truth" "$tmp/spdx.pkgs"
	diff "$tmp/truth" "$tmp/cdx.pkgs" | head -5 | sed 's/^/# /'
	echo "# host: $n installed packages, cyclonedx in $(echo "$end - $start" | bc 2>/dev/null || echo '?') s"

	# CycloneDX 1.6 structure and purls, from the specification's required fields
	check "host image: CycloneDX document structure" python3 - "$tmp/cdx.json" "$osr" <<'EOF'
import json, re, sys, urllib.parse
d = json.load(open(sys.argv[1]))
osr = dict(l.split("=", 1) for l in open(sys.argv[2]).read().splitlines() if "=" in l)
osid, ver = osr["ID"].strip('"'), osr["VERSION_ID"].strip('"')
assert d["bomFormat"] == "CycloneDX" and d["specVersion"] == "1.6" and d["version"] == 1
assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                    d["serialNumber"]), d["serialNumber"]
m = d["metadata"]
assert m["timestamp"] == "2026-11-18T11:06:40Z", m["timestamp"]
assert m["component"]["type"] == "container" and m["component"]["name"] == "plimsoll-test/host:1"
assert m["component"]["version"].startswith("sha256:")
assert m["tools"]["components"][0]["name"] == "plimsoll"
refs = set()
for c in d["components"]:
    assert c["type"] in ("library", "operating-system")
    assert c["bom-ref"] not in refs
    refs.add(c["bom-ref"])
    if c["type"] == "operating-system":
        assert c["name"] == osid and c["version"] == ver
        continue
    assert c["bom-ref"] == c["purl"]
    purl = c["purl"]
    assert purl.startswith("pkg:deb/%s/%s@" % (osid, urllib.parse.quote(c["name"], safe=""))), purl
    head, _, quals = purl.partition("?")
    assert urllib.parse.unquote(head.split("@", 1)[1]) == c["version"], purl
    assert ":" not in head[4:] and "+" not in purl, purl  # epochs as %3A, '+' as %2B
    assert quals.startswith("arch=") and quals.endswith("&distro=%s-%s" % (osid, ver)), purl
    for k in c.get("properties", []):
        assert set(k) == {"name", "value"}
for dep in d["dependencies"]:
    assert dep["ref"] == "image" and set(dep["dependsOn"]) == refs
EOF
	# SPDX 2.3: the document and package fields the specification requires
	check "host image: SPDX 2.3 document structure" python3 - "$tmp/spdx.json" <<'EOF'
import json, re, sys
d = json.load(open(sys.argv[1]))
for k in ("spdxVersion", "dataLicense", "SPDXID", "name", "documentNamespace", "creationInfo",
          "packages", "relationships"):
    assert k in d, k
assert d["spdxVersion"] == "SPDX-2.3" and d["dataLicense"] == "CC0-1.0"
assert d["SPDXID"] == "SPDXRef-DOCUMENT" and d["name"] == "plimsoll-test/host:1"
assert re.fullmatch(r"https://plimsoll\.dev/spdx/[A-Za-z0-9.-]+-[0-9a-f]{64}", d["documentNamespace"])
ci = d["creationInfo"]
assert ci["created"] == "2026-11-18T11:06:40Z"
assert any(c.startswith("Tool: plimsoll") for c in ci["creators"])
ids = set()
for p in d["packages"]:
    for k in ("SPDXID", "name", "downloadLocation", "licenseConcluded", "licenseDeclared",
              "supplier", "copyrightText"):
        assert k in p, (k, p["name"])
    assert re.fullmatch(r"SPDXRef-[A-Za-z0-9.-]+", p["SPDXID"]), p["SPDXID"]
    assert p["SPDXID"] not in ids
    ids.add(p["SPDXID"])
    assert p["filesAnalyzed"] is False  # else packageVerificationCode is required
    if p["SPDXID"] != "SPDXRef-Image":
        assert p["SPDXID"].startswith("SPDXRef-Package-")
        (r,) = p["externalRefs"]
        assert r["referenceCategory"] == "PACKAGE-MANAGER" and r["referenceType"] == "purl"
        assert r["referenceLocator"].startswith("pkg:deb/")
rels = d["relationships"]
assert {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
        "relatedSpdxElement": "SPDXRef-Image"} in rels
contained = {r["relatedSpdxElement"] for r in rels if r["relationshipType"] == "CONTAINS"}
assert contained == ids - {"SPDXRef-Image"}
for r in rels:
    assert r["spdxElementId"] in ids | {"SPDXRef-DOCUMENT"} and r["relatedSpdxElement"] in ids
EOF
	"$PLIMSOLL" image --sbom cyclonedx "$tmp/host.tar" >"$tmp/cdx2.json" 2>/dev/null
	check "host image: the same image gives the same document" cmp -s "$tmp/cdx.json" "$tmp/cdx2.json"
	check "host image: nothing on stderr" test ! -s "$tmp/cdx.err" -a ! -s "$tmp/spdx.err"
fi

# --- distroless status.d and alpine apk, in OCI layouts ---------------------------------
python3 - "$tmp/distroless.json" "$tmp/alpine.json" <<'EOF'
import json, sys
stanza = ("Package: {0}\nVersion: {1}\nArchitecture: amd64\nMaintainer: Someone <s@example.org>\n"
          "Description: x\n more\n")
json.dump({"layout": "oci", "ref": "distroless:1", "layers": [{"files": [
    {"path": "/usr/lib/os-release", "content": 'ID=debian\nVERSION_ID="12"\n'},
    {"path": "/etc/os-release", "type": "symlink", "link": "../usr/lib/os-release"},
    {"path": "/var/lib/dpkg/status.d/base-files", "content": stanza.format("base-files", "12.4+deb12u5")},
    {"path": "/var/lib/dpkg/status.d/libc6", "content": stanza.format("libc6", "2.36-9+deb12u4")},
    {"path": "/var/lib/dpkg/status.d/libc6.md5sums", "content": "abc  lib/x\n"},
    {"path": "/var/lib/dpkg/status.d/tzdata", "content": stanza.format("tzdata", "2024a-0+deb12u1")},
]}, {"whiteouts": ["/var/lib/dpkg/status.d/tzdata"]}]}, open(sys.argv[1], "w"))
apk = ("C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nS:1\nI:2\nT:libc\n"
       "U:https://musl.libc.org/\nL:MIT\no:musl\nm:Natanael Copa <ncopa@alpinelinux.org>\n"
       "F:lib\nR:ld-musl-x86_64.so.1\n\n"
       "P:ssl_client\nV:3.1.4-r5\nA:x86_64\nL:GPL-2.0-only AND custom\no:openssl\n\n"
       "P:zlib\nV:1.3.1-r0\nA:x86_64\nL:Zlib\n")
json.dump({"layout": "oci", "gzip": True, "ref": "alpine:3.19", "layers": [{"files": [
    {"path": "/etc/os-release", "content": 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n'},
    {"path": "/lib/apk/db/installed", "content": apk}]}]}, open(sys.argv[2], "w"))
EOF
python3 "$spec2image" "$tmp/distroless.json" "$tmp/distroless.tar"
python3 "$spec2image" "$tmp/alpine.json" "$tmp/alpine.tar"
"$PLIMSOLL" image --sbom cyclonedx "$tmp/distroless.tar" >"$tmp/dl.json" 2>/dev/null
check "distroless: status.d files (md5sums and a deleted file skipped)" python3 - "$tmp/dl.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
got = [c["purl"] for c in d["components"] if c["type"] == "library"]
assert got == ["pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12",
               "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"], got
EOF
"$PLIMSOLL" image --sbom spdx "$tmp/alpine.tar" >"$tmp/apk.json" 2>/dev/null
check "alpine: apk packages, purls and declared licenses (SPDX)" python3 - "$tmp/apk.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
got = [(p["externalRefs"][0]["referenceLocator"], p["licenseDeclared"])
       for p in d["packages"] if p["SPDXID"] != "SPDXRef-Image"]
assert got == [
    ("pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1", "MIT"),
    ("pkg:apk/alpine/ssl_client@3.1.4-r5?arch=x86_64&distro=alpine-3.19.1",
     "GPL-2.0-only AND custom"),
    ("pkg:apk/alpine/zlib@1.3.1-r0?arch=x86_64&distro=alpine-3.19.1", "Zlib")], got
EOF
"$PLIMSOLL" image --sbom cyclonedx "$tmp/alpine.tar" >"$tmp/apk-cdx.json" 2>/dev/null
check "alpine: CycloneDX licenses (an id as name, a compound as expression)" python3 - "$tmp/apk-cdx.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
lic = {c["name"]: c.get("licenses") for c in d["components"] if c["type"] == "library"}
assert lic["musl"] == [{"license": {"name": "MIT"}}], lic
assert lic["ssl_client"] == [{"expression": "GPL-2.0-only AND custom"}], lic
musl = [c for c in d["components"] if c["name"] == "musl"][0]
assert musl["supplier"] == {"name": "Natanael Copa <ncopa@alpinelinux.org>"}
assert musl["externalReferences"] == [{"url": "https://musl.libc.org/", "type": "website"}]
EOF
