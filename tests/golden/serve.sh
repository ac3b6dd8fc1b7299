# plimsoll serve end to end: the webhook on a free loopback port with a test certificate made
# here by openssl, real AdmissionReview documents (tests/serve/) posted with curl, and what a
# cluster operator relies on: the answers, /healthz, /readyz, /metrics, the JSON log lines,
# certificate rotation, SIGHUP reload, and SIGTERM finishing in-flight work then exit 0.
. "$(dirname "$0")/../lib.sh"
. "$PL_ROOT/tests/serve/port.sh"
for tool in openssl curl python3; do
	command -v $tool >/dev/null || { not_ok "serve: $tool is missing (scripts/deps.sh installs it)"; exit 0; }
done
P=$PLIMSOLL
fixtures=$PL_ROOT/tests/serve
tmp=$(mktemp -d)
pid=
# The server never outlives the suite, whatever fails.
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cd "$tmp"

mkcert() { # NAME CN: NAME.crt and NAME.key, self-signed for 127.0.0.1, valid 2 days
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj "/CN=$2" -addext "subjectAltName=IP:127.0.0.1" \
		-keyout "$1.key" -out "$1.crt" 2>/dev/null
}
# start_server LOG ARGS...: sets pid and port once the "listening" line is logged
start_server() {
	local log=$1; shift
	"$P" serve --listen 127.0.0.1:0 --workers 2 --grace 10 "$@" >"$log" 2>"$log.err" &
	pid=$!
	port=$(serve_port "$log" "$pid")
	[ -n "$port" ]
}
# post FILE [CA]: the answer's body in resp, its HTTP status in code
post() {
	code=$(curl -sS --max-time 10 --cacert "${2:-ca.crt}" -o resp -w '%{http_code}' \
		-H 'Content-Type: application/json' --data-binary @"$1" \
		"https://127.0.0.1:$port/validate" 2>curl.err)
}
# jq-like checks on the last answer: EXPR is a Python expression over r (the response object)
resp_is() { python3 -c 'import json,sys; r=json.load(open("resp"))["response"]; sys.exit(0 if eval(sys.argv[1]) else 1)' "$1"; }
review() { python3 "$fixtures/mkreview.py" "$@"; }

mkcert ca "plimsoll test"
cat >plimsoll.yml <<'YML'
fail-on: high
webhook:
  exempt-namespaces: [kube-system, plimsoll]
  exempt-labels: [plimsoll.dev/exempt=true]
  warn-on: low
YML

# --- usage ---------------------------------------------------------------------------------
"$P" serve --tls-cert ca.crt --tls-key ca.key >/dev/null 2>err; rc=$?
check "serve without --listen is a usage error (exit 2)" bash -c "[ $rc -eq 2 ] && grep -q -- --listen err"
"$P" serve --listen 127.0.0.1:0 >/dev/null 2>err; rc=$?
check "serve without a certificate or --insecure-http is a usage error" bash -c "[ $rc -eq 2 ] && grep -q -- --tls-cert err"
mkcert other other
"$P" serve --listen 127.0.0.1:0 --tls-cert ca.crt --tls-key other.key >/dev/null 2>err; rc=$?
check "a key that is not the certificate's is refused at start (exit 2)" bash -c "[ $rc -eq 2 ] && grep -q 'does not match' err"
printf 'webhook:\n  exempt-namespace: [x]\n' >bad.yml
"$P" serve --listen 127.0.0.1:0 --tls-cert ca.crt --tls-key ca.key --config bad.yml >/dev/null 2>err; rc=$?
check "an unknown webhook key is an error with file:line:col (exit 2)" bash -c "[ $rc -eq 2 ] && grep -q \"bad.yml:2:3: unknown key 'exempt-namespace'\" err"

# --- the server ----------------------------------------------------------------------------
cp ca.crt tls.crt && cp ca.key tls.key
if ! start_server log --tls-cert tls.crt --tls-key tls.key --config plimsoll.yml; then
	not_ok "serve starts and logs the port it listens on"; cat log log.err; exit 0
fi
ok "serve starts and logs the port it listens on"

code=$(curl -sS --cacert ca.crt -o body -w '%{http_code}' "https://127.0.0.1:$port/healthz")
check "GET /healthz answers 200 over HTTPS" [ "$code" = 200 ]
code=$(curl -sS --cacert ca.crt -o body -w '%{http_code}' "https://127.0.0.1:$port/readyz")
check "GET /readyz answers 200 with config and a valid certificate" [ "$code" = 200 ]
check "TLS 1.2 is accepted" curl -sS --cacert ca.crt --tlsv1.2 --tls-max 1.2 -o /dev/null "https://127.0.0.1:$port/healthz"
check "TLS 1.3 is accepted" curl -sS --cacert ca.crt --tlsv1.3 -o /dev/null "https://127.0.0.1:$port/healthz"
if openssl s_client -help 2>&1 | grep -q -- '-tls1_1'; then
	# the same client completes a TLS 1.2 handshake, so a failed 1.1 one is the server's no
	echo | openssl s_client -connect "127.0.0.1:$port" -tls1_2 >s12 2>&1
	echo | openssl s_client -connect "127.0.0.1:$port" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' >s11 2>&1
	check "TLS 1.1 is refused" bash -c "grep -q 'Cipher is ECDHE' s12 && grep -q 'Cipher is (NONE)' s11"
fi

review uid-denied CREATE "$fixtures/deployment-denied.json" >denied.json
post denied.json
check "denied: 200 with allowed=false" bash -c "[ $code = 200 ] && python3 -c 'import json; r=json.load(open(\"resp\"))[\"response\"]; assert r[\"allowed\"] is False'"
check "denied: the uid is echoed" resp_is 'r["uid"] == "uid-denied"'
check "denied: the answer is an admission.k8s.io/v1 AdmissionReview" python3 -c 'import json; d=json.load(open("resp")); assert d["apiVersion"]=="admission.k8s.io/v1" and d["kind"]=="AdmissionReview"'
check "denied: status 403 Forbidden" resp_is 'r["status"]["code"] == 403 and r["status"]["reason"] == "Forbidden"'
check "denied: the message lists code, slug, container and fix of each finding at fail-on" \
	resp_is '"PL201 root-user, Deployment/web container web:" in r["status"]["message"] and "PL101 image-tag-latest" in r["status"]["message"] and "fix: " in r["status"]["message"] and "4 findings at or above high" in r["status"]["message"]'
check "denied: findings below fail-on come back as warnings[]" \
	resp_is 'any("PL205 writable-root-filesystem" in w for w in r["warnings"]) and not any("PL201" in w for w in r["warnings"])'
check "denied: rules that need other objects (PL215, PL409) are not judged on one object" \
	bash -c "! grep -qE 'PL215|PL409' resp"

review uid-clean CREATE "$fixtures/deployment-clean.json" >clean.json
post clean.json
check "clean Deployment: allowed, no status, no warnings" resp_is 'r["allowed"] is True and "status" not in r and "warnings" not in r and r["uid"] == "uid-clean"'
review uid-warned UPDATE "$fixtures/deployment-warned.json" >warned.json
post warned.json
check "findings below fail-on only: allowed with warnings[]" \
	resp_is 'r["allowed"] is True and len(r["warnings"]) == 3 and any("PL404 liveness-probe-missing" in w for w in r["warnings"])'
check "warnings stay within 256 bytes each" resp_is 'all(len(w.encode()) <= 256 for w in r["warnings"])'
review uid-dry CREATE "$fixtures/deployment-denied.json" --dry-run >dry.json
post dry.json
check "dryRun: judged the same (denied), uid echoed" resp_is 'r["allowed"] is False and r["uid"] == "uid-dry"'
review uid-delete DELETE "$fixtures/deployment-denied.json" >delete.json
post delete.json
check "DELETE is allowed unjudged" resp_is 'r["allowed"] is True and r["uid"] == "uid-delete" and "warnings" not in r'
review uid-service CREATE "$fixtures/service.json" >service.json
post service.json
check "a kind the engine does not judge (Service) is allowed" resp_is 'r["allowed"] is True and r["uid"] == "uid-service"'
review uid-scale UPDATE "$fixtures/deployment-denied.json" --subresource scale >scale.json
post scale.json
check "a subresource (deployments/scale) is allowed unjudged" resp_is 'r["allowed"] is True'
review uid-exempt-ns CREATE "$fixtures/deployment-denied.json" --namespace kube-system >exns.json
post exns.json
check "an exempt namespace is allowed unjudged" resp_is 'r["allowed"] is True and "warnings" not in r'
review uid-exempt-label CREATE "$fixtures/deployment-denied.json" --label plimsoll.dev/exempt=true >exlabel.json
post exlabel.json
check "an exempt label is allowed unjudged" resp_is 'r["allowed"] is True and "warnings" not in r'
review uid-exempt-label2 CREATE "$fixtures/deployment-denied.json" --label plimsoll.dev/exempt=false >exlabel2.json
post exlabel2.json
check "... but only with the configured value" resp_is 'r["allowed"] is False'
review uid-cm CREATE "$fixtures/configmap-secret.json" >cm.json
post cm.json
check "a ConfigMap holding an access key is denied (PL610)" resp_is 'r["allowed"] is False and "PL610 secret-in-configmap" in r["status"]["message"]'

printf '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{' >malformed.json
post malformed.json
check "malformed JSON: 400 with a reason" bash -c "[ $code = 400 ] && grep -q 'not JSON' resp"
printf '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"operation":"CREATE"}}' >nouid.json
post nouid.json
check "a review without uid: 400 naming request.uid" bash -c "[ $code = 400 ] && grep -q 'request.uid' resp"
printf '{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"x"}}' >v1beta1.json
post v1beta1.json
check "admission.k8s.io/v1beta1: 400 asking for v1" bash -c "[ $code = 400 ] && grep -q 'admission.k8s.io/v1' resp"
python3 -c 'import sys; sys.stdout.write("{\"pad\":\"" + "x" * (5 << 20) + "\"}")' >big.json
post big.json
check "oversized body (5 MiB): 400 with a reason" bash -c "[ $code = 400 ] && grep -q 'too large' resp"
# chunked, without Content-Length: read and dropped past the limit, then refused
code=$(curl -sS --cacert ca.crt -o resp -w '%{http_code}' -H 'Transfer-Encoding: chunked' \
	--data-binary @big.json "https://127.0.0.1:$port/validate")
check "oversized chunked body: 400 too" bash -c "[ $code = 400 ] && grep -q 'too large' resp"
code=$(curl -sS --cacert ca.crt -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/validate")
check "GET /validate: 405" [ "$code" = 405 ]
code=$(curl -sS --cacert ca.crt -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/nope")
check "unknown path: 404" [ "$code" = 404 ]
post clean.json
check "the server still answers after all of the above" resp_is 'r["allowed"] is True'

# --- healthcheck -----------------------------------------------------------------------------
check "healthcheck: 0 on 2xx (--cacert)" "$P" healthcheck --cacert ca.crt "https://127.0.0.1:$port/healthz"
check "healthcheck: 0 on 2xx (--insecure)" "$P" healthcheck --insecure "https://127.0.0.1:$port/readyz"
"$P" healthcheck --insecure "https://127.0.0.1:$port/nope" 2>err; rc=$?
check "healthcheck: 1 on 404, saying so" bash -c "[ $rc -eq 1 ] && grep -q 'HTTP 404' err"
"$P" healthcheck "https://127.0.0.1:$port/healthz" 2>/dev/null; rc=$?
check "healthcheck: 1 when the certificate does not verify" [ $rc -eq 1 ]

# --- metrics -----------------------------------------------------------------------------------
curl -sS --cacert ca.crt -o metrics "https://127.0.0.1:$port/metrics"
metric() { # NAME{LABELS} -> value, or nothing
	awk -v k="$1" '$1 == k { print $2 }' metrics
}
check "metrics: denied Deployment CREATEs counted (3: plain, dryRun, label not exempt)" \
	[ "$(metric 'plimsoll_webhook_requests_total{kind="Deployment",operation="CREATE",decision="denied"}')" = 3 ]
# metrics_are 'NAME{LABELS}' VALUE ...: every sample has exactly its value
metrics_are() {
	while [ $# -gt 0 ]; do
		[ "$(metric "$1")" = "$2" ] || { echo "# $1 is '$(metric "$1")', not $2"; return 1; }
		shift 2
	done
}
check "metrics: allowed, warned, exempt and skipped counted" metrics_are \
	'plimsoll_webhook_requests_total{kind="Deployment",operation="CREATE",decision="allowed"}' 2 \
	'plimsoll_webhook_requests_total{kind="Deployment",operation="UPDATE",decision="warned"}' 1 \
	'plimsoll_webhook_requests_total{kind="Deployment",operation="CREATE",decision="exempt"}' 2 \
	'plimsoll_webhook_requests_total{kind="Deployment",operation="DELETE",decision="skipped"}' 1 \
	'plimsoll_webhook_requests_total{kind="Deployment",operation="UPDATE",decision="skipped"}' 1 \
	'plimsoll_webhook_requests_total{kind="other",operation="CREATE",decision="skipped"}' 1 \
	'plimsoll_webhook_requests_total{kind="ConfigMap",operation="CREATE",decision="denied"}' 1
check "metrics: errors by reason (3 malformed, 2 oversized, 3 not found)" metrics_are \
	'plimsoll_webhook_errors_total{reason="malformed"}' 3 \
	'plimsoll_webhook_errors_total{reason="oversized"}' 2 \
	'plimsoll_webhook_errors_total{reason="not_found"}' 3 \
	'plimsoll_webhook_errors_total{reason="internal"}' 0
# 11 judged or passed reviews (+1 repeat), 5 refused as invalid: 17 reviews in all
check "metrics: the latency histogram counted every review" \
	[ "$(metric plimsoll_webhook_request_duration_seconds_count)" = 17 ]
check "metrics: in-flight gauge and worker saturation are exposed" bash -c \
	"grep -q '^plimsoll_webhook_in_flight_requests 1$' metrics && grep -q '^plimsoll_webhook_workers 2$' metrics && grep -q '^plimsoll_webhook_worker_saturation ' metrics"
check "metrics: the certificate's expiry time is exposed" grep -q '^plimsoll_webhook_certificate_expiry_timestamp_seconds [0-9]' metrics
# the exposition through Plimsoll's strict validator (src/live/prometheus.h)
if cc -std=c17 -D_GNU_SOURCE -I"$PL_ROOT/src" -fsanitize=address,undefined -o promcheck \
	"$fixtures/promcheck.c" "$PL_ROOT/build/asan/libplimsoll.a" -lm 2>promcheck.err; then
	check "metrics: the exposition passes the strict validator with all four golden signals" \
		bash -c "./promcheck <metrics >promcheck.out || { cat promcheck.out; false; }"
else
	not_ok "metrics: cannot build tests/serve/promcheck.c"; sed 's/^/# /' promcheck.err
fi
check "metrics: every sample line is NAME{LABELS} VALUE under a # TYPE" python3 - metrics <<'PY'
import re, sys
typed = set()
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if line.startswith("# TYPE "):
        typed.add(line.split()[2]); continue
    if line.startswith("#"):
        continue
    m = re.fullmatch(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-z_]+="[^"\\]*"(,[a-z_]+="[^"\\]*")*\})? (\S+)', line)
    assert m, line
    float(m.group(4))
    base = re.sub(r'_(bucket|sum|count)$', '', m.group(1))
    assert m.group(1) in typed or base in typed, line
PY

# --- logs ------------------------------------------------------------------------------------------
check "logs: every stdout line is one JSON object with timestamp, level, message, service" python3 - log <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    d = json.loads(line)
    assert isinstance(d, dict)
    for k in ("timestamp", "level", "message", "service"):
        assert k in d, (k, line)
    assert d["service"] == "plimsoll"
    n += 1
assert n > 10
PY
check "logs: a review line has the uid as correlation_id, decision, findings and duration" python3 - log <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
d = next(l for l in lines if l.get("correlation_id") == "uid-denied")
assert d["decision"] == "denied" and d["findings"] == 11 and d["kind"] == "Deployment", d
assert isinstance(d["duration_ms"], float) and d["duration_ms"] > 0, d
assert d["dry_run"] is False
dry = next(l for l in lines if l.get("correlation_id") == "uid-dry")
assert dry["dry_run"] is True and dry["decision"] == "denied", dry
bad = [l for l in lines if l.get("decision") == "invalid"]
assert len(bad) == 5 and all(l["level"] == "warn" for l in bad), bad
PY

# --- certificate rotation ----------------------------------------------------------------------------
mkcert rotated "plimsoll rotated"
# as cert-manager and kubelet do: new files in place, renamed over the old ones
cp rotated.crt tls.crt.new && cp rotated.key tls.key.new && mv tls.key.new tls.key && mv tls.crt.new tls.crt
reloaded=no
for _ in $(seq 1 50); do
	grep -q '"certificate reloaded' log && { reloaded=yes; break; }
	sleep 0.1
done
check "a changed certificate and key are reloaded within seconds" [ $reloaded = yes ]
post clean.json rotated.crt
check "new connections get the new certificate" bash -c "[ '$code' = 200 ]"
post clean.json ca.crt
check "... and no longer the old one" bash -c "[ '$code' != 200 ] && grep -qi 'certificate' curl.err"
cp other.key tls.key
failed=no
for _ in $(seq 1 50); do
	grep -q '"certificate not reloaded' log && { failed=yes; break; }
	sleep 0.1
done
check "a key that does not match is refused and logged" [ $failed = yes ]
post clean.json rotated.crt
check "... and the previous certificate is still served" bash -c "[ '$code' = 200 ]"

# --- SIGHUP reloads the configuration -------------------------------------------------------------------
post denied.json rotated.crt
check "before SIGHUP: fail-on high denies" resp_is 'r["allowed"] is False'
sed -i 's/^fail-on: high/fail-on: critical/' plimsoll.yml
kill -HUP "$pid"
for _ in $(seq 1 50); do grep -q '"configuration reloaded' log && break; sleep 0.1; done
post denied.json rotated.crt
check "after SIGHUP with fail-on critical: allowed, the high findings now warnings" \
	resp_is 'r["allowed"] is True and any("PL201" in w for w in r["warnings"])'
printf 'fail-on: extreme\n' >plimsoll.yml
kill -HUP "$pid"
for _ in $(seq 1 50); do grep -q '"configuration not reloaded' log && break; sleep 0.1; done
check "a bad config on SIGHUP is logged with file:line:col ..." grep -q "configuration not reloaded.*plimsoll.yml:1:10" log
post denied.json rotated.crt
check "... and the previous configuration stays" resp_is 'r["allowed"] is True'

# --- SIGTERM: finish in-flight, refuse new, exit 0 ----------------------------------------------------------
# A client sends half a review, the server gets SIGTERM, then the client sends the rest.
python3 - "$port" rotated.crt denied.json >slow.out 2>&1 <<'PY' &
import os, socket, ssl, sys, time
port, ca, body = int(sys.argv[1]), sys.argv[2], open(sys.argv[3], "rb").read()
ctx = ssl.create_default_context(cafile=ca)
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="127.0.0.1")
s.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          b"Content-Length: %d\r\n\r\n" % len(body) + body[:100])
open("half-sent", "w").close()
while not os.path.exists("go"):
    time.sleep(0.05)
s.sendall(body[100:])
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
print(data.split(b"\r\n", 1)[0].decode())
print(data.split(b"\r\n\r\n", 1)[1].decode())
PY
client=$!
for _ in $(seq 1 50); do [ -e half-sent ] && break; sleep 0.1; done
# in flight once the server has read its headers: the metrics request itself is the other one
for _ in $(seq 1 50); do
	curl -sS --cacert rotated.crt "https://127.0.0.1:$port/metrics" | grep -q '^plimsoll_webhook_in_flight_requests 2$' && break
	sleep 0.1
done
kill -TERM "$pid"
for _ in $(seq 1 50); do grep -q '"shutting down' log && break; sleep 0.1; done
sleep 0.3
curl -sS --max-time 3 --cacert rotated.crt -o /dev/null "https://127.0.0.1:$port/healthz" 2>/dev/null; rc=$?
check "after SIGTERM new connections are refused" [ $rc -ne 0 ]
touch go
wait "$client"
check "the review in flight at SIGTERM is still answered" bash -c "grep -q 'HTTP/1.1 200' slow.out && grep -q '\"uid\":\"uid-denied\"' slow.out"
wait "$pid"; rc=$?
pid=
check "SIGTERM: exit 0 (no leak under ASan) after draining" [ $rc -eq 0 ]
check "SIGTERM: the log says it stopped cleanly" bash -c "tail -1 log | grep -q '\"message\":\"stopped\"'"
check "nothing on stderr" bash -c "[ ! -s log.err ]"

# --- an expired certificate: alive, not ready ---------------------------------------------------------------
mkdir -p expired/db && touch expired/db/index.txt && echo 01 >expired/db/serial
printf '[ca]\ndefault_ca = d\n[d]\ndatabase = expired/db/index.txt\nserial = expired/db/serial\nnew_certs_dir = expired/db\ndefault_md = sha256\npolicy = p\n[p]\ncommonName = supplied\n' >expired/ca.cnf
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=expired \
	-keyout expired/tls.key -out expired/tls.csr 2>/dev/null
openssl ca -batch -config expired/ca.cnf -selfsign -keyfile expired/tls.key -in expired/tls.csr \
	-startdate 20200101000000Z -enddate 20200102000000Z -out expired/tls.crt >/dev/null 2>&1
if start_server log3 --tls-cert expired/tls.crt --tls-key expired/tls.key; then
	code=$(curl -sS -k -o body -w '%{http_code}' "https://127.0.0.1:$port/readyz")
	check "an expired certificate: /readyz answers 503 naming the certificate" bash -c "[ $code = 503 ] && grep -q certificate body"
	code=$(curl -sS -k -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/healthz")
	check "... while /healthz answers 200 (alive: a renewal can still land)" [ "$code" = 200 ]
	check "... and the log warns at start" grep -q '"level":"warn","message":"the certificate is not valid now' log3
	kill -TERM "$pid"; wait "$pid"; pid=
else
	not_ok "serve starts with an expired certificate"
fi

# --- plain HTTP for local trials ----------------------------------------------------------------------------
printf 'fail-on: high\n' >plimsoll.yml
if start_server log2 --insecure-http --config plimsoll.yml; then
	code=$(curl -sS -o resp -w '%{http_code}' --data-binary @denied.json "http://127.0.0.1:$port/validate")
	check "--insecure-http serves the same answers over plain HTTP" bash -c "[ $code = 200 ] && grep -q '\"allowed\":false' resp"
	check "--insecure-http: no certificate metric" bash -c "! curl -sS http://127.0.0.1:$port/metrics | grep -q certificate_expiry"
	kill -INT "$pid"; wait "$pid"; rc=$?; pid=
	check "SIGINT stops it too (exit 0)" [ $rc -eq 0 ]
else
	not_ok "--insecure-http server starts"
fi

# --- --shutdown-delay: after SIGTERM, not ready but still serving while endpoints update -----------
if start_server log4 --insecure-http --shutdown-delay 3; then
	kill -TERM "$pid"
	for _ in $(seq 1 50); do grep -q '"leaving: not ready' log4 && break; sleep 0.1; done
	code=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")
	check "--shutdown-delay: /readyz answers 503 at once" [ "$code" = 503 ]
	code=$(curl -sS -D headers -o resp -w '%{http_code}' --data-binary @clean.json "http://127.0.0.1:$port/validate")
	check "--shutdown-delay: reviews are still answered, with Connection: close" \
		bash -c "[ $code = 200 ] && grep -q '\"allowed\":true' resp && grep -qi '^connection: close' headers"
	kill -0 "$pid" 2>/dev/null; alive=$?
	kill -TERM "$pid"   # a second signal skips the rest of the delay
	wait "$pid"; rc=$?; pid=
	check "--shutdown-delay: a second SIGTERM ends the delay; exit 0" bash -c "[ $alive -eq 0 ] && [ $rc -eq 0 ]"
else
	not_ok "--shutdown-delay server starts"
fi
