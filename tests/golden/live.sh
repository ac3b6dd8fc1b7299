# Live containers on a real Docker Engine (plimsoll live). The scenario containers
# (tests/live/containers.sh) are started with the settings the rules target, and a hardened
# one with every setting right: it must give no finding, each flawed one its findings.
# Then --filter, --watch, output formats, tcp:// with TLS client certificates, and faults: an absent, silent or garbage-speaking
# daemon, a container gone mid-audit, huge log lines, a metrics endpoint that never answers
# or streams forever. Every container is removed at the end, also when a test fails.
# Without a daemon the suite skips (fails under CI=true, where .ci/run starts one).
. "$(dirname "$0")/../lib.sh"
. "$PL_ROOT/tests/live/containers.sh"
command -v docker >/dev/null && docker info >/dev/null 2>&1 ||
	need_component "live" "no Docker Engine answers (install docker.io and start dockerd)"
command -v busybox >/dev/null ||
	need_component "live" "busybox (Debian's busybox-static) is needed to build the test image"
tmp=$(mktemp -d)
cleanup() {
	[ -n "${watch_pid:-}" ] && kill "$watch_pid" 2>/dev/null
	[ -n "${tls_pid:-}" ] && kill "$tls_pid" 2>/dev/null
	[ -n "${https_pid:-}" ] && kill "$https_pid" 2>/dev/null
	live_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
live_cleanup
live_build_image || { not_ok "live: build the test image"; exit 0; }
for s in flawed hardened partial crashloop; do
	"live_start_$s" || not_ok "live: start pl-live-$s"
done
sleep 2
live_patch_flawed
live_wait_settled || not_ok "live: the scenario containers settled"

codes() { # the rule codes of a text report, sorted and unique
	grep -o '\[PL[0-9]*' "$1" | tr -d '[' | sort -u | tr '\n' ' '
}

# --- the scenarios ----------------------------------------------------------------------
"$PLIMSOLL" live --no-color --quiet pl-live-hardened >"$tmp/h.out" 2>"$tmp/h.err"
rc=$?
check "live: the hardened container gives no finding (rc 0)" test $rc -eq 0 -a ! -s "$tmp/h.out"
check "live: the hardened container's audit has no warning" test ! -s "$tmp/h.err"
sed 's/^/# /' "$tmp/h.out" "$tmp/h.err" | head -10

"$PLIMSOLL" live --no-color --quiet pl-live-flawed >"$tmp/f.out" 2>"$tmp/f.err"
rc=$?
want="PL101 PL102 PL201 PL202 PL203 PL205 PL206 PL207 PL208 PL209 PL210 PL212 PL214 PL301 PL302 PL305 PL402 PL403 PL408 PL410 PL411 PL412 PL501 PL502 PL503 PL504 PL506 PL601 "
got=$(codes "$tmp/f.out")
check "live: the flawed container gives exit status 1" test $rc -eq 1
check "live: the flawed container gives each of its findings" test "$got" = "$want"
[ "$got" = "$want" ] || echo "# want: $want"$'\n'"# got:  $got"
check "live: drift names the patched file, not the log file" \
	grep -q 'PL410.*A /etc/motd (A added' "$tmp/f.out"
check "live: the log file written inside is PL506" grep -q 'PL506.*/var/log/shop/app.log' "$tmp/f.out"
check "live: the exec session is named with its command" grep -q "PL411.*'sh -c echo patched" "$tmp/f.out"
check "live: health probes are not exec sessions" grep -q 'had 1 docker exec session' "$tmp/f.out"
check "live: the malformed exposition is located" \
	grep -q 'PL503.*malformed exposition at http://.*line 3 column' "$tmp/f.out"
check "live: the finding names the API field" grep -q 'PL203.*(HostConfig.CapAdd)' "$tmp/f.out"

"$PLIMSOLL" live --no-color --quiet --fail-on none pl-live-partial >"$tmp/p.out" 2>&1
check "live: the half-done container gives its findings" \
	test "$(codes "$tmp/p.out")" = "PL211 PL216 PL401 PL502 PL504 "
check "live: JSON logs lacking fields are named" \
	grep -q 'PL502.*logs JSON, but its lines lack timestamp' "$tmp/p.out"
"$PLIMSOLL" live --no-color --quiet --fail-on none pl-live-crashloop >"$tmp/c.out" 2>&1
check "live: a restart loop is PL412" grep -q 'PL412.*restarting in a loop' "$tmp/c.out"

# --- every container, filters, formats --------------------------------------------------
# a Kubernetes pod sandbox (the pause container dockershim/cri-dockerd keeps a pod's
# namespaces in) is the kubelet's: left out of a full audit with a note, audited if named
live_run --name pl-live-sandbox --label io.kubernetes.docker.type=podsandbox \
	--entrypoint /bin/sleep "$LIVE_IMAGE_ID" 600
"$PLIMSOLL" live --no-color --fail-on none --filter label=plimsoll.test=live >"$tmp/all.out" 2>"$tmp/all.err"
check "live: a pod sandbox is left out of a full audit" bash -c "! grep -q '^container:pl-live-sandbox:' '$tmp/all.out'"
check "live: ... and says so" grep -q 'note: 1 Kubernetes pod sandbox (pause) container not audited' "$tmp/all.err"
"$PLIMSOLL" live --no-color --fail-on none pl-live-sandbox >"$tmp/sb.out" 2>&1
check "live: ... but audited when named" grep -q '^container:pl-live-sandbox: .*PL201' "$tmp/sb.out"
docker rm -f pl-live-sandbox >/dev/null
# what docker compose and the kubelet label their containers with names the finding's target
live_run --name pl-live-compose --label com.docker.compose.project=shop \
	--label com.docker.compose.service=web --entrypoint /bin/sleep "$LIVE_IMAGE_ID" 600
live_run --name pl-live-k8s --label io.kubernetes.pod.namespace=shop \
	--label io.kubernetes.pod.name=api-7d9f --label io.kubernetes.container.name=app \
	--entrypoint /bin/sleep "$LIVE_IMAGE_ID" 600
"$PLIMSOLL" live --no-color --fail-on none --rule PL201 pl-live-compose pl-live-k8s >"$tmp/lab.out" 2>&1
check "live: the target names the compose project and service" \
	grep -q '^  target: container pl-live-compose (image [0-9a-f]*, compose service shop/web)$' "$tmp/lab.out"
check "live: the target names the Kubernetes pod and container" \
	grep -q '^  target: container pl-live-k8s (image [0-9a-f]*, pod shop/api-7d9f container app)$' "$tmp/lab.out"
docker rm -f pl-live-compose pl-live-k8s >/dev/null
for s in flawed partial crashloop; do
	check "live: --filter audits pl-live-$s" grep -q "^container:pl-live-$s:" "$tmp/all.out"
done
check "live: the summary counts containers" grep -q 'in 4 containers;' "$tmp/all.out"
"$PLIMSOLL" live --fail-on none --filter label=nothing=here >"$tmp/none.out" 2>&1
check "live: a filter matching nothing audits nothing" grep -q 'no findings' "$tmp/none.out"
"$PLIMSOLL" live --format json --fail-on none pl-live-flawed pl-live-hardened >"$tmp/j.json"
check "live: JSON output parses, targets name the container" python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
assert f and all(x["target"].startswith("container pl-live-flawed (image ") for x in f), f[:1]' "$tmp/j.json"
"$PLIMSOLL" live --format sarif --fail-on none pl-live-flawed >"$tmp/s.sarif"
check "live: SARIF output parses" python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["runs"][0]["results"]' "$tmp/s.sarif"
"$PLIMSOLL" live pl-live-hardened pl-live-no-such-container >"$tmp/n.out" 2>"$tmp/n.err"
rc=$?
check "live: a named container that does not exist is an error (rc 2)" test $rc -eq 2
check "live: ... said plainly" grep -q 'pl-live-no-such-container: no such container' "$tmp/n.err"

# --- --watch: a container started later is audited and reported; Ctrl-C ends cleanly ----
"$PLIMSOLL" live --watch --no-color --fail-on none --filter label=plimsoll.watched=1 \
	>"$tmp/w.out" 2>"$tmp/w.err" &
watch_pid=$!
sleep 2
live_run --name pl-live-other --user 0 "$LIVE_IMAGE_ID" >/dev/null
live_run --name pl-live-late --label plimsoll.watched=1 --user 0 "$LIVE_IMAGE_ID" >/dev/null
for _ in $(seq 1 40); do grep -q '^container:pl-live-late:' "$tmp/w.out" && break; sleep 0.25; done
check "live --watch: a container started later is reported" grep -q '^container:pl-live-late: .*PL201' "$tmp/w.out"
check "live --watch: ... one outside the filter is not" bash -c "! grep -q '^container:pl-live-other:' '$tmp/w.out'"
n_before=$(grep -c '^container:pl-live-late:' "$tmp/w.out")
docker restart -t 0 pl-live-late >/dev/null
sleep 2
check "live --watch: a restart does not print the same findings again" \
	test "$(grep -c '^container:pl-live-late:' "$tmp/w.out")" -eq "$n_before"
kill -INT "$watch_pid"
for _ in $(seq 1 20); do kill -0 "$watch_pid" 2>/dev/null || break; sleep 0.1; done
wait "$watch_pid"
rc=$?
watch_pid=
check "live --watch: Ctrl-C ends it cleanly (rc 0)" test $rc -eq 0

# --- faults -----------------------------------------------------------------------------
start=$(date +%s%N)
DOCKER_HOST=unix://$tmp/absent.sock "$PLIMSOLL" live >"$tmp/a.out" 2>"$tmp/a.err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "live: an absent daemon is a clear error (rc 2)" \
	grep -q "cannot connect to the Docker Engine at unix://$tmp/absent.sock" "$tmp/a.err"
check "live: ... at once (${ms} ms)" test $rc -eq 2 -a $ms -lt 3000

# tcp:// with TLS client certificates: the real Engine behind a TLS endpoint on loopback
# that requires them (tests/live/tls_proxy.py; certificates made here with openssl). A
# second dockerd would be closer to a production setup, but stopping one removes docker0
# from under the first.
tls=$tmp/tls
mkdir -p "$tls/certs"
(
	cd "$tls/certs" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 1 -subj /CN=plimsoll-test-ca
	openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj /CN=127.0.0.1
	printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >srv.ext
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server-cert.pem -days 1 -extfile srv.ext
	openssl req -newkey rsa:2048 -nodes -keyout key.pem -out client.csr -subj /CN=client
	printf 'extendedKeyUsage=clientAuth\n' >cli.ext
	openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem -days 1 -extfile cli.ext
) >/dev/null 2>&1
python3 "$PL_ROOT/tests/live/tls_proxy.py" "$tls/certs" /var/run/docker.sock >"$tls/port" 2>"$tls/log" &
tls_pid=$!
for _ in $(seq 1 50); do [ -s "$tls/port" ] && break; sleep 0.1; done
port=$(cat "$tls/port")
DOCKER_CERT_PATH=$tls/certs "$PLIMSOLL" live --no-color --fail-on none --tls \
	-H "tcp://127.0.0.1:$port" pl-live-partial >"$tmp/tls.out" 2>"$tmp/tls.err"
check "live: tcp:// with TLS client certificates audits through the TLS endpoint" \
	grep -q '^container:pl-live-partial: .*PL216' "$tmp/tls.out"
sed 's/^/# /' "$tmp/tls.err" | head -3
"$PLIMSOLL" live -H "tcp://127.0.0.1:$port" >"$tmp/notls.out" 2>"$tmp/notls.err"
check "live: ... and without TLS it is refused clearly (rc 2)" test $? -eq 2 -a -s "$tmp/notls.err"
mkdir -p "$tls/other" && cp "$tls/certs/ca.pem" "$tls/other/" &&
	(cd "$tls/other" && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
		-days 1 -subj /CN=stranger) >/dev/null 2>&1
DOCKER_CERT_PATH=$tls/other "$PLIMSOLL" live --tls -H "tcp://127.0.0.1:$port" >/dev/null 2>"$tmp/stranger.err"
check "live: ... a client certificate the endpoint does not trust is refused (rc $?)" \
	grep -q 'cannot connect to the Docker Engine' "$tmp/stranger.err"
DOCKER_CERT_PATH=$tmp/nowhere "$PLIMSOLL" live --tls -H "tcp://127.0.0.1:$port" >/dev/null 2>"$tmp/nocert.err"
check "live: ... a missing certificate file is named" grep -q "$tmp/nowhere/ca.pem" "$tmp/nocert.err"
kill "$tls_pid" 2>/dev/null
wait "$tls_pid" 2>/dev/null
tls_pid=

# a metrics endpoint that speaks only HTTPS (plimsoll serve's own): found by falling back
# from http://, its self-signed certificate accepted; a container on the host network
# points at it with the prometheus.io/port label
python3 "$PL_ROOT/tests/live/https_metrics.py" "$tls/certs" >"$tls/mport" 2>/dev/null &
https_pid=$!
for _ in $(seq 1 50); do [ -s "$tls/mport" ] && break; sleep 0.1; done
live_run --name pl-live-https --network host --label "prometheus.io/port=$(cat "$tls/mport")" \
	--entrypoint /bin/sleep "$LIVE_IMAGE_ID" 600
"$PLIMSOLL" live --no-color --quiet --fail-on none --rule PL503 --rule PL504 pl-live-https >"$tmp/https.out" 2>&1
check "live: a metrics endpoint that speaks only HTTPS is read (no PL503/PL504)" test ! -s "$tmp/https.out"
sed 's/^/# /' "$tmp/https.out" | head -3
kill "$https_pid" 2>/dev/null
wait "$https_pid" 2>/dev/null

# a daemon that accepts and never answers, and one that answers garbage
cat >"$tmp/fake.py" <<'PY'
import os, socket, sys, threading, time
path, mode = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX); s.bind(path); s.listen(16)
def serve(c):
    try:
        c.recv(65536)
        if mode == "garbage":
            c.sendall(os.urandom(4096)); c.close()
        else:
            time.sleep(60)
    except OSError:
        pass
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
for mode in silent garbage; do
	python3 "$tmp/fake.py" "$tmp/$mode.sock" $mode &
	fpid=$!
	for _ in $(seq 1 50); do [ -S "$tmp/$mode.sock" ] && break; sleep 0.1; done
	start=$(date +%s%N)
	"$PLIMSOLL" live --host "unix://$tmp/$mode.sock" --timeout 1 >"$tmp/$mode.out" 2>"$tmp/$mode.err"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	kill $fpid 2>/dev/null; wait $fpid 2>/dev/null
	check "live: a $mode daemon is an error within the timeout (rc $rc, ${ms} ms)" \
		test $rc -eq 2 -a $ms -lt 4000
	check "live: ... with a message" grep -q "Docker Engine at unix://$tmp/$mode.sock" "$tmp/$mode.err"
	sed 's/^/# /' "$tmp/$mode.err" | head -3
done

# a container that disappears between the list and its inspect: the Engine's own answers,
# replayed with one listed container removed before it was read
fx=$tmp/gone
cp -r "$PL_ROOT/tests/live/fixtures/flawed" "$fx"
fid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Id"])' "$fx/_containers_pl-live-flawed_json")
cp "$fx/_containers_pl-live-flawed_json" "$fx/_containers_${fid}_json"
printf '[{"Id":"%s"},{"Id":"%s"}]' "$fid" 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef >"$fx/_containers_json"
"$PLIMSOLL" live --replay "$fx" --no-color --fail-on none >"$tmp/g.out" 2>"$tmp/g.err"
rc=$?
check "live: a container gone mid-audit is a note (rc $rc)" \
	grep -q 'container 0123456789abcdef.*: no such container' "$tmp/g.err"
check "live: ... and the rest is reported" grep -q '^container:pl-live-flawed: .*PL204\|^container:pl-live-flawed: .*PL201' "$tmp/g.out"

# huge log lines, a metrics endpoint that never answers, one that streams forever
live_run --name pl-live-hugelog --entrypoint /bin/sh "$LIVE_IMAGE_ID" -c \
	'while :; do head -c 3000000 /dev/zero | tr "\0" a; echo; sleep 1; done'
live_run --name pl-live-hang --entrypoint /bin/nc "$LIVE_IMAGE_ID" -ll -p 8080 -e /hang.sh
live_run --name pl-live-stream --entrypoint /bin/nc "$LIVE_IMAGE_ID" -ll -p 8080 -e /stream.sh
sleep 4
start=$(date +%s%N)
/usr/bin/time -f %M -o "$tmp/x.rss" "$PLIMSOLL" live --no-color --fail-on none --rule PL502 --rule PL503 \
	pl-live-hugelog pl-live-hang pl-live-stream >"$tmp/x.out" 2>"$tmp/x.err"
rc=$?
rss=$(tail -1 "$tmp/x.rss")
# every body has a cap (logs 8 MiB, metrics 4 MiB per container): 3 MB lines and an
# endless exposition stay well under 128 MB, sanitizer overhead included
check "live: ... in bounded memory (peak RSS ${rss} kB, ASan build)" test "${rss:-999999}" -lt 131072
ms=$((($(date +%s%N) - start) / 1000000))
check "live: huge logs, a hanging and an endless endpoint: done in bounded time (rc $rc, ${ms} ms)" \
	test $rc -eq 0 -a $ms -lt 10000
check "live: huge log lines are judged (cut, not held)" grep -q 'pl-live-hugelog.*PL502' "$tmp/x.out"
check "live: a metrics endpoint that never answers is reported" \
	grep -q 'pl-live-hang.*PL503.*did not answer within' "$tmp/x.out"
check "live: an endless exposition is cut and reported" \
	grep -q 'pl-live-stream.*PL503.*did not end within' "$tmp/x.out"
sed 's/^/# /' "$tmp/x.err" | head -5
