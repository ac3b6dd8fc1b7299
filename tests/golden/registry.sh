# `plimsoll image HOST:PORT/REPO:TAG` against a real registry: Debian's docker-registry
# (the CNCF distribution server), started here on loopback on free ports: open, behind
# htpasswd Basic auth, and behind Bearer-token challenges (its "silly" access controller
# with a small token server as the realm). Images are OCI layouts from tests/image/spec2image.py,
# pushed with the plain HTTP API by tests/image/push.py (no Docker daemon needed). Checks:
# the findings read from the registry equal those read from the same archive on disk;
# a digest reference works; a missing tag, and a protected registry without credentials,
# are clear errors (exit 2); credentials come from $DOCKER_CONFIG/config.json.
# Under CI=true (.ci/run installs docker-registry) the suite must run; elsewhere it skips.
. "$(dirname "$0")/../lib.sh"
need() { need_component "registry" "$1"; }
command -v docker-registry >/dev/null || need "docker-registry is not installed (apt-get install docker-registry)"
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_registry() { # NAME PORT [htpasswd file]: serve, wait until /v2/ answers
	local name=$1 port=$2 auth=""
	[ -n "${3:-}" ] && auth="auth:
  htpasswd:
    realm: plimsoll-test
    path: $3"
	cat >"$tmp/$name.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $tmp/$name-data
http:
  addr: 127.0.0.1:$port
$auth
YML
	docker-registry serve "$tmp/$name.yml" >"$tmp/$name.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
		sleep 0.1
	done
	not_ok "registry $name did not start"; sed 's/^/# /' "$tmp/$name.log" | tail -5; exit 0
}
findings() { # plimsoll image ARGS...: "CODE message" lines, sorted
	"$PLIMSOLL" image --no-color --fail-on none --format json "$@" |
		python3 -c 'import json,sys; [print(f["code"], f["message"]) for f in json.load(sys.stdin)["findings"]]' | sort
}

# the image: PL603's firing spec (a key added in one layer and deleted in the next, a .env),
# as a gzip OCI layout
python3 - "$PL_ROOT/tests/rules/PL603/fire.image.json" "$tmp/spec.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["layout"] = "oci"; d["gzip"] = True
json.dump(d, open(sys.argv[2], "w"))
PY
python3 "$PL_ROOT/tests/image/spec2image.py" "$tmp/spec.json" "$tmp/app.tar"

port=$(free_port)
start_registry open "$port"
digest=$(python3 "$PL_ROOT/tests/image/push.py" "$tmp/app.tar" "127.0.0.1:$port" team/app:1.0) ||
	{ not_ok "push to the registry"; exit 0; }
local_f=$(findings "$tmp/app.tar")
reg_f=$(findings "127.0.0.1:$port/team/app:1.0")
check "registry: findings equal those of the same image on disk" test "$reg_f" = "$local_f"
check "registry: the deleted key is found, with its layers" \
	grep -q "PL603 /root/.ssh/id_rsa: SSH private key, added in layer 1 (COPY . /) and deleted in layer 2" <<<"$reg_f"
check "registry: a digest reference reads the same image" \
	test "$(findings "127.0.0.1:$port/team/app@$digest")" = "$local_f"
"$PLIMSOLL" image "127.0.0.1:$port/team/app:nope" >/dev/null 2>"$tmp/err"; rc=$?
check "registry: a missing tag is an error (exit 2)" test $rc -eq 2
check "registry: ... that says so" grep -qF "127.0.0.1:$port/team/app:nope: error: 127.0.0.1:$port/team/app: nope: HTTP 404 (not found)" "$tmp/err"

# Basic auth (htpasswd, bcrypt as the registry requires)
python3 -W ignore -c 'import crypt,sys; print("tester:" + crypt.crypt("s3cret-pass", crypt.mksalt(crypt.METHOD_BLOWFISH)))' >"$tmp/htpasswd"
aport=$(free_port)
start_registry locked "$aport" "$tmp/htpasswd"
python3 "$PL_ROOT/tests/image/push.py" "$tmp/app.tar" "127.0.0.1:$aport" team/app:1.0 tester:s3cret-pass >/dev/null ||
	{ not_ok "push to the protected registry"; exit 0; }
mkdir -p "$tmp/nocreds" "$tmp/creds"
DOCKER_CONFIG=$tmp/nocreds "$PLIMSOLL" image "127.0.0.1:$aport/team/app:1.0" >/dev/null 2>"$tmp/err"; rc=$?
check "registry with Basic auth, no credentials: exit 2" test $rc -eq 2
check "... and the error says to log in" grep -qF "asks for credentials: docker login 127.0.0.1:$aport" "$tmp/err"
printf '{"auths": {"127.0.0.1:%s": {"auth": "%s"}}}\n' "$aport" "$(printf tester:s3cret-pass | base64)" >"$tmp/creds/config.json"
check "registry with Basic auth, credentials from config.json: same findings" \
	test "$(DOCKER_CONFIG=$tmp/creds findings "127.0.0.1:$aport/team/app:1.0")" = "$local_f"
printf '{"auths": {"127.0.0.1:%s": {"auth": "%s"}}}\n' "$aport" "$(printf tester:wrong | base64)" >"$tmp/creds/config.json"
DOCKER_CONFIG=$tmp/creds "$PLIMSOLL" image "127.0.0.1:$aport/team/app:1.0" >/dev/null 2>"$tmp/err"; rc=$?
check "registry with Basic auth, wrong password: exit 2, unauthorized" \
	bash -c "[ $rc -eq 2 ] && grep -q 'HTTP 401 (unauthorized' '$tmp/err'"

# Bearer tokens: the registry's "silly" access controller answers every request without an
# Authorization header with a real Bearer challenge (realm, service, scope) and accepts any
# header; the realm is a small token server here that records what it was asked and
# answers with a token. plimsoll must follow the challenge: ask the realm for the pull
# scope (with the config.json credentials, when there are some) and retry with the token.
tport=$(free_port)
cat >"$tmp/token.py" <<'PY'
import http.server, json, sys
log = open(sys.argv[2], "a")
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        log.write(self.path + " auth=" + str(self.headers.get("Authorization")) + "\n"); log.flush()
        body = json.dumps({"token": "plimsoll-test-token"}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
python3 "$tmp/token.py" "$tport" "$tmp/token.log" &
pids+=($!)
bport=$(free_port)
cat >"$tmp/silly.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $tmp/open-data
http:
  addr: 127.0.0.1:$bport
auth:
  silly:
    realm: http://127.0.0.1:$tport/token
    service: plimsoll-test-registry
YML
docker-registry serve "$tmp/silly.yml" >"$tmp/silly.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$bport") 2>/dev/null && break; sleep 0.1; done
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$tport") 2>/dev/null && break; sleep 0.1; done
check "registry with Bearer tokens: same findings" \
	test "$(DOCKER_CONFIG=$tmp/nocreds findings "127.0.0.1:$bport/team/app:1.0")" = "$local_f"
check "... the token was asked for the pull scope of the repository and the service" \
	grep -q '^/token?service=plimsoll-test-registry&scope=repository%3Ateam%2Fapp%3Apull auth=None$' "$tmp/token.log"
printf '{"auths": {"127.0.0.1:%s": {"auth": "%s"}}}\n' "$bport" "$(printf tester:s3cret-pass | base64)" >"$tmp/creds/config.json"
: >"$tmp/token.log"
DOCKER_CONFIG=$tmp/creds findings "127.0.0.1:$bport/team/app:1.0" >/dev/null
check "... with config.json credentials, sent to the token realm as Basic auth" \
	grep -q "auth=Basic $(printf tester:s3cret-pass | base64)\$" "$tmp/token.log"
