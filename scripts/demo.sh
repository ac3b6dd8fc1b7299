#!/usr/bin/env bash
# scripts/demo.sh - the main job on the bundled examples (make demo): scan examples/app, then
# audit a built image: the bundled OCI layout examples/image/app-oci, and, when a Docker
# Engine answers, an image built and saved here, and a flawed and a hardened running
# container (plimsoll live).
set -u
cd "$(dirname "$0")/.."
echo "== plimsoll scan examples/app  (Dockerfile, build context, compose.yaml, k8s/)"
echo
build/plimsoll scan examples/app
rc=$?
echo
echo "(exit status $rc: 1 means findings at or above --fail-on, which defaults to high)"
echo
echo "== the same build as Plimsoll resolves it: plimsoll dump --format=stages"
build/plimsoll dump --format=stages examples/app/Dockerfile
echo
echo "== plimsoll image examples/image/app-oci  (a bundled OCI image layout, see examples/README.md)"
echo
build/plimsoll image examples/image/app-oci
irc=$?
echo
echo "(exit status $irc)"
# The admission webhook: plimsoll serve on a loopback port with a throwaway certificate, one
# review denied and one allowed (with warnings), as kubectl would show them, then SIGTERM.
echo
echo "== plimsoll serve: the Kubernetes admission webhook, on 127.0.0.1 with a test certificate"
srv=$(mktemp -d)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=demo \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$srv/tls.key" -out "$srv/tls.crt" 2>/dev/null
build/plimsoll serve --listen 127.0.0.1:0 --tls-cert "$srv/tls.crt" --tls-key "$srv/tls.key" >"$srv/log" 2>&1 &
spid=$!
. tests/serve/port.sh
port=$(serve_port "$srv/log" "$spid")
show() { # TITLE OBJECT.json
	echo
	echo "-- $1: POST /validate ($(basename "$2") in an AdmissionReview)"
	python3 tests/serve/mkreview.py "demo-$(basename "$2" .json)" CREATE "$2" |
		curl -sS --cacert "$srv/tls.crt" -H 'Content-Type: application/json' --data-binary @- \
			"https://127.0.0.1:$port/validate" |
		python3 -c 'import json,sys
r = json.load(sys.stdin)["response"]
print("uid %s: allowed=%s" % (r["uid"], str(r["allowed"]).lower()))
if not r["allowed"]:
    print("Error from server (Forbidden): admission webhook \"validate.plimsoll.dev\" denied the request: " + r["status"]["message"])
for w in r.get("warnings", []):
    print("Warning: " + w)'
}
src=0
if [ -n "$port" ]; then
	show "denied" tests/serve/deployment-denied.json
	show "allowed, with warnings" tests/serve/deployment-warned.json
	echo
	echo "-- the server's JSON log lines for them:"
	grep correlation_id "$srv/log"
	kill -TERM "$spid"
	wait "$spid" || src=$?
	echo "(stopped on SIGTERM, exit status $src)"
else
	echo "(the server did not start:)"; cat "$srv/log"; kill "$spid" 2>/dev/null; src=1
fi
rm -rf "$srv"
# a webhook that did not start or stop cleanly fails the demo, as an I/O error would
[ "$src" -eq 0 ] || rc=2
# A daemon is optional: with one, build and save a tiny image and audit the docker save archive.
if command -v docker >/dev/null && docker info >/dev/null 2>&1 && command -v busybox >/dev/null; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"; docker rmi -f plimsoll-demo:1 >/dev/null 2>&1' EXIT
	cp "$(command -v busybox)" "$tmp/busybox"
	printf 'FROM scratch\nCOPY busybox /bin/busybox\nEXPOSE 8080\nCMD ["/bin/busybox", "httpd", "-f", "-p", "8080"]\n' >"$tmp/Dockerfile"
	if DOCKER_BUILDKIT=0 docker build -q -t plimsoll-demo:1 "$tmp" >/dev/null 2>&1 &&
	   docker save plimsoll-demo:1 -o "$tmp/demo.tar"; then
		echo
		echo "== docker build + docker save, then: plimsoll image demo.tar"
		echo
		(cd "$tmp" && "$OLDPWD/build/plimsoll" image demo.tar)
		echo
	fi
else
	echo
	echo "(no Docker Engine here: skipped building and saving an image with docker)"
fi
# With a daemon: a deliberately flawed and a hardened container, audited while they run
# (tests/live/containers.sh starts them; the same scenarios the live tests use), then removed.
lrc=0
if command -v docker >/dev/null && docker info >/dev/null 2>&1 && command -v busybox >/dev/null; then
	. tests/live/containers.sh
	trap 'live_cleanup; rm -rf "${tmp:-}"; docker rmi -f plimsoll-demo:1 >/dev/null 2>&1' EXIT
	live_cleanup
	if live_build_image && live_start_flawed && live_start_hardened; then
		sleep 2
		live_patch_flawed
		sleep 3
		echo
		echo "== plimsoll live pl-live-flawed pl-live-hardened  (two running containers; see tests/live/containers.sh)"
		echo
		build/plimsoll live pl-live-flawed pl-live-hardened
		lrc=$?
		echo
		echo "(exit status $lrc; the hardened container has no finding)"
	fi
	live_cleanup
fi
# The demo succeeds when the scans ran (exit 0 or 1); 2 would be a usage or I/O error.
[ "$rc" -le 1 ] && [ "$irc" -le 1 ] && [ "$lrc" -le 1 ]
