# deploy/ follows its own advice, and its pieces work: plimsoll scan deploy/ reports nothing
# (default rules and every opt-in rule), the webhook configuration keeps the knobs that
# matter, deploy/gen-certs.sh makes a chain a client verifies against the Service's name,
# and deploy/rootfs.sh lays out a root the binary runs from alone (the scratch image).
. "$(dirname "$0")/../lib.sh"
P=$PLIMSOLL
cd "$PL_ROOT"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

out=$("$P" scan --no-color --format json --fail-on info deploy/); rc=$?
n=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["summary"]["findings"])' "$out" 2>/dev/null)
check "plimsoll scan deploy/ reports nothing (exit 0, 0 findings at any severity)" bash -c "[ $rc -eq 0 ] && [ '$n' = 0 ]"
files=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["summary"]["files"])' "$out" 2>/dev/null)
check "... and it read the Dockerfile and every manifest (11 files)" [ "$files" = 11 ]
"$P" scan --no-color --enable all --fail-on info deploy/ >/dev/null; rc=$?
check "... nor with every opt-in rule enabled" [ $rc -eq 0 ]

w=deploy/k8s/webhook.yaml
check "webhook: failurePolicy, timeoutSeconds, sideEffects: None, v1 reviews" bash -c \
	"grep -q '^    failurePolicy: Fail$' $w && grep -q '^    timeoutSeconds: 5$' $w && grep -q '^    sideEffects: None$' $w && grep -q 'admissionReviewVersions: \[v1\]' $w"
check "webhook: the namespaceSelector leaves out its own namespace and kube-system" bash -c \
	"grep -A2 'key: kubernetes.io/metadata.name' $w | grep -q 'operator: NotIn' && grep -qE '^ +values: \[kube-system, kube-node-lease, plimsoll\]$' $w"
check "Dockerfile: scratch, numeric USER, exec-form HEALTHCHECK through plimsoll healthcheck" bash -c \
	"grep -q '^FROM scratch$' deploy/Dockerfile && grep -qE '^USER [0-9]+:[0-9]+$' deploy/Dockerfile && grep -q 'CMD \[\"/usr/local/bin/plimsoll\", \"healthcheck\"' deploy/Dockerfile"

# --- gen-certs.sh ------------------------------------------------------------------------------
NAMESPACE=plimsoll SERVICE=plimsoll sh deploy/gen-certs.sh "$tmp/certs" >"$tmp/gen.out"; rc=$?
check "gen-certs.sh writes a CA and a serving pair" bash -c "[ $rc -eq 0 ] && [ -s $tmp/certs/ca.crt ] && [ -s $tmp/certs/tls.crt ] && [ -s $tmp/certs/tls.key ]"
check "gen-certs.sh: the serving certificate chains to the CA and names the Service" bash -c \
	"openssl verify -CAfile $tmp/certs/ca.crt $tmp/certs/tls.crt >/dev/null && openssl x509 -in $tmp/certs/tls.crt -noout -ext subjectAltName | grep -q 'DNS:plimsoll.plimsoll.svc, DNS:plimsoll.plimsoll.svc.cluster.local'"
check "gen-certs.sh: keys are readable by their owner only" bash -c "[ \"\$(stat -c %a $tmp/certs/tls.key)\" = 600 ]"
ca_before=$(sha256sum <"$tmp/certs/ca.crt")
leaf_before=$(sha256sum <"$tmp/certs/tls.crt")
sh deploy/gen-certs.sh "$tmp/certs" >/dev/null
check "gen-certs.sh again renews the serving pair and keeps the CA (caBundle stays valid)" bash -c \
	"[ '$ca_before' = \"\$(sha256sum <$tmp/certs/ca.crt)\" ] && [ '$leaf_before' != \"\$(sha256sum <$tmp/certs/tls.crt)\" ]"
"$P" serve --listen 127.0.0.1:0 --tls-cert "$tmp/certs/tls.crt" --tls-key "$tmp/certs/tls.key" >"$tmp/log" 2>&1 &
pid=$!
. "$PL_ROOT/tests/serve/port.sh"
port=$(serve_port "$tmp/log" "$pid")
code=$(curl -sS --max-time 5 --cacert "$tmp/certs/ca.crt" --resolve "plimsoll.plimsoll.svc:$port:127.0.0.1" \
	-o /dev/null -w '%{http_code}' "https://plimsoll.plimsoll.svc:$port/readyz")
check "the server with gen-certs.sh's pair verifies as plimsoll.plimsoll.svc against ca.crt" [ "$code" = 200 ]
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
check "... and stops with exit 0" [ $rc -eq 0 ]

# --- rootfs.sh: the scratch image's root ----------------------------------------------------------
if [ "$(id -u)" = 0 ] && command -v chroot >/dev/null; then
	sh deploy/rootfs.sh "$PL_ROOT/build/plimsoll" "$tmp/root" >/dev/null
	check "rootfs.sh: the binary runs from the laid-out root alone (chroot)" \
		bash -c "chroot $tmp/root /usr/local/bin/plimsoll version | grep -q '^plimsoll '"
	chroot "$tmp/root" /usr/local/bin/plimsoll healthcheck --insecure https://127.0.0.1:1/healthz 2>/dev/null; rc=$?
	check "rootfs.sh: healthcheck runs there too (exit 1: nothing listens)" [ $rc -eq 1 ]
	check "rootfs.sh: no shell in the root" bash -c "[ ! -e $tmp/root/bin/sh ] && [ ! -e $tmp/root/usr/bin/sh ]"
else
	skip "rootfs.sh in a chroot" "needs root"
fi
