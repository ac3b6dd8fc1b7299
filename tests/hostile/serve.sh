#!/usr/bin/env bash
# tests/hostile/serve.sh - plimsoll serve against hostile clients: garbage instead of TLS,
# broken HTTP framing, huge headers, more connections than it takes, deeply nested and huge
# JSON, a review built to cost the engine work. Each case asserts the answer (or a closed
# connection) and that the server still answers a real review afterwards; the suite ends with
# SIGTERM and exit 0 from the ASan+UBSan build (no crash, no leak). The bodies are made here.
. "$(dirname "$0")/../lib.sh"
. "$PL_ROOT/tests/serve/port.sh"
for tool in openssl curl python3; do
	command -v $tool >/dev/null || { not_ok "hostile serve: $tool is missing"; exit 0; }
done
P=$PLIMSOLL
fixtures=$PL_ROOT/tests/serve
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cd "$tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=h \
	-addext subjectAltName=IP:127.0.0.1 -keyout tls.key -out tls.crt 2>/dev/null
python3 "$fixtures/mkreview.py" ok CREATE "$fixtures/deployment-clean.json" >good.json

start() { # ARGS...: sets pid and port
	"$P" serve --listen 127.0.0.1:0 --workers 2 "$@" >log 2>err &
	pid=$!
	port=$(serve_port log "$pid")
	[ -n "$port" ]
}
stop() {
	kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
	check "$1: SIGTERM, exit 0 (no crash, no leak)" [ $rc -eq 0 ]
}
alive() { # NAME SCHEME: a real review is still answered
	local code
	code=$(curl -sS -k --max-time 10 -o resp -w '%{http_code}' --data-binary @good.json "$2://127.0.0.1:$port/validate")
	check "$1: still answers a review afterwards" bash -c "[ '$code' = 200 ] && grep -q '\"uid\":\"ok\"' resp"
}
# raw: send stdin as bytes over plain TCP to $port, print the status line of the answer (or
# "closed" when the server closed without one)
cat >raw.py <<'PY'
import socket, sys
data = sys.stdin.buffer.read()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
try:
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
except OSError:
    pass
got = b""
try:
    while True:
        c = s.recv(65536)
        if not c:
            break
        got += c
except OSError:
    pass
print(got.split(b"\r\n", 1)[0].decode("latin-1") if got else "closed")
PY
raw() { python3 raw.py "$port"; }

# --- TLS port ---------------------------------------------------------------------------------
if start --tls-cert tls.crt --tls-key tls.key; then
	out=$(head -c 4096 /dev/urandom | raw)
	check "TLS: random bytes instead of a handshake are dropped" [ "$out" = closed ]
	out=$(printf 'POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}' | raw)
	check "TLS: plain HTTP on the TLS port is dropped" [ "$out" = closed ]
	alive "TLS" https
	stop "TLS"
else
	not_ok "serve starts (TLS)"
fi

# --- HTTP framing and bodies (plain HTTP: the same code behind TLS) --------------------------------
if ! start --insecure-http; then
	not_ok "serve starts (plain HTTP)"; exit 0
fi
out=$(printf 'POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n' | raw)
check "Content-Length: abc is refused with 400" bash -c "[[ '$out' == 'HTTP/1.1 400'* ]]"
out=$(printf 'POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n' | raw)
check "a Content-Length past 2^64 is refused with 400 (or 413)" bash -c "[[ '$out' == 'HTTP/1.1 4'* ]]"
out=$(printf 'POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n{' | raw)
check "a Content-Length over 4 MiB is refused before the body (400)" bash -c "[[ '$out' == 'HTTP/1.1 400'* ]]"
out=$(python3 -c 'import sys; sys.stdout.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a" * 200000 + "\r\n\r\n")' | raw)
check "200 KB of headers: refused (4xx) or closed, no crash" bash -c "[[ '$out' == 'HTTP/1.1 4'* || '$out' == closed ]]"
out=$(printf 'GARBAGE\r\n\r\n' | raw)
check "a request line that is not HTTP: 400 or closed" bash -c "[[ '$out' == 'HTTP/1.1 400'* || '$out' == closed ]]"
out=$(printf 'POST /validate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n' | raw)
check "a broken chunk size: 400 or closed" bash -c "[[ '$out' == 'HTTP/1.1 400'* || '$out' == closed ]]"
alive "framing" http

python3 -c 'import sys; sys.stdout.write("[" * 200000 + "]" * 200000)' >deep.json
code=$(curl -sS -o resp -w '%{http_code}' --data-binary @deep.json "http://127.0.0.1:$port/validate")
check "JSON nested 200 000 deep: 400 (jansson's depth limit), no stack overflow" bash -c "[ $code = 400 ] && grep -q 'not JSON' resp"
# one review whose Deployment has 800 containers: the engine's cost on the largest body
python3 - "$fixtures/deployment-denied.json" >wide.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = d["spec"]["template"]["spec"]["containers"][0]
d["spec"]["template"]["spec"]["containers"] = [dict(c, name="c%d" % i) for i in range(800)]
req = {"uid": "wide", "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
       "operation": "CREATE", "namespace": "shop", "name": "web", "object": d}
print(json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": req}))
PY
start_ns=$(date +%s%N)
code=$(curl -sS --max-time 30 -o resp -w '%{http_code}' --data-binary @wide.json "http://127.0.0.1:$port/validate")
ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
check "800 containers in one review: denied, listing 20 and counting the rest" bash -c \
	"[ $code = 200 ] && grep -q '\"allowed\":false' resp && grep -q 'and 3180 more' resp"
check "... in under 5 s even under ASan (took ${ms} ms)" [ "$ms" -lt 5000 ]
# 600 connections at once, over the limit of 512: the extra ones are refused, none crash it
python3 - "$port" <<'PY'
import socket, sys
socks = []
for _ in range(600):
    try:
        socks.append(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5))
    except OSError:
        break
for s in socks:
    s.close()
PY
alive "600 connections at once" http
# a client that sends half a body and goes away
python3 - "$port" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"apiVersion\"")
s.close()
PY
alive "a body cut off mid-way" http
sleep 0.2
check "in-flight requests drop back to 0 once the clients are gone" bash -c \
	"curl -sS http://127.0.0.1:$port/metrics | grep -q '^plimsoll_webhook_in_flight_requests 1$'"
stop "plain HTTP"
check "nothing on stderr (every problem went to the JSON log)" bash -c "[ ! -s err ]"
