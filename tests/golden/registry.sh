# `plimsoll image HOST:PORT/REPO:TAG` against a real registry: Debian's docker-registry
# (the CNCF distribution server), started here on loopback on a free port, once open and
# once behind htpasswd Basic auth. Images are OCI layouts from tests/image/spec2image.py,
# pushed with the plain HTTP API by tests/image/push.py (no Docker daemon needed). Checks:
# the findings read from the registry equal those read from the same archive on disk;
# a digest reference works; a missing tag, and a protected registry without credentials,
# are clear errors (exit 2); credentials come from $DOCKER_CONFIG/config.json.
# Under CI=true (.ci/run installs docker-registry) the suite must run; elsewhere it skips.
. "$(dirname "$0")/../lib.sh"
need() {
	if [ "${CI:-}" = true ]; then not_ok "registry: $1"; else skip "registry" "$1"; fi
	exit 0
}
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
