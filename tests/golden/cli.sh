# The scan command as users drive it: suppressions, configuration, exit status, formats,
# stdin, directory discovery and deterministic parallel output.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
P=$PLIMSOLL

# --- inline suppressions -----------------------------------------------------------------
cat >a.Dockerfile <<'DF'
# plimsoll global ignore=image-not-pinned-by-digest
FROM debian:bookworm-slim
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && pip install flask && rm -rf /var/lib/apt/lists/*
# plimsoll ignore=PL201,pipe-without-pipefail -- the image runs as root by design
USER root
DF
out=$("$P" scan --no-context --format json --fail-on none a.Dockerfile)
codes=$(python3 -c 'import json,sys; print(" ".join(sorted(f["code"]+":"+",".join(f["aka"]) for f in json.loads(sys.argv[1])["findings"])))' "$out")
check "global ignore silences PL102 in the whole file" bash -c "! grep -q PL102 <<<'$codes'"
check "hadolint ignore=DL3008 silences the apt pin" bash -c "! grep -q 'PL111:DL3008' <<<'$codes'"
check "... but not the pip pin of the same rule (DL3013)" grep -q "PL111:DL3013" <<<"$codes"
check "plimsoll ignore=PL201 above USER silences root-user" bash -c "! grep -q PL201 <<<'$codes'"

# --- exit status follows --fail-on --------------------------------------------------------
printf 'FROM alpine:3.19@sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b\nUSER 10001\nMAINTAINER me\n' >clean.Dockerfile
"$P" scan --no-context --quiet clean.Dockerfile >/dev/null; rc=$?
check "exit 0 when nothing reaches the threshold (only info and low)" [ $rc -eq 0 ]
"$P" scan --no-context --quiet --fail-on info clean.Dockerfile >/dev/null; rc=$?
check "exit 1 with --fail-on info" [ $rc -eq 1 ]
"$P" scan --no-context --quiet --fail-on none a.Dockerfile >/dev/null; rc=$?
check "exit 0 with --fail-on none" [ $rc -eq 0 ]
"$P" scan --no-context --bogus a.Dockerfile >/dev/null 2>&1; rc=$?
check "exit 2 on a usage error" [ $rc -eq 2 ]
"$P" scan --no-context missing.Dockerfile >/dev/null 2>err; rc=$?
check "exit 2 on an I/O error, which names the file" bash -c "[ $rc -eq 2 ] && grep -q 'missing.Dockerfile: error:' err"
"$P" scan --no-context --enable PL999 a.Dockerfile >/dev/null 2>&1; rc=$?
check "exit 2 on an unknown rule" [ $rc -eq 2 ]
printf 'FROM alpine:3.19\nENV PATH\n' >bad.Dockerfile
"$P" scan --no-context --quiet --fail-on critical bad.Dockerfile >out; rc=$?
check "a Dockerfile that does not parse is finding PL901 (exit 1), not a crash" bash -c "[ $rc -eq 1 ] && grep -q 'bad.Dockerfile:2:5: critical\[PL901 dockerfile-syntax\]' out"

# --- configuration -------------------------------------------------------------------------
mkdir -p proj/legacy
printf 'FROM node:20\n' >proj/Dockerfile
printf 'FROM node:20\n' >proj/legacy/Dockerfile
printf 'rules:\n  root-user: off\n  PL102: critical\nignore:\n  - path: "legacy/**"\n' >proj/.plimsoll.yml
out=$(cd proj && "$P" scan --no-context --format json --fail-on none .)
check "config: a rule turned off does not run" bash -c "! grep -q PL201 <<<'$out'"
check "config: severity override" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert any(f["code"]=="PL102" and f["severity"]=="critical" for f in d["findings"])' "$out"
check "config: per-path ignore" bash -c "! grep -q 'legacy/Dockerfile' <<<'$out'"
printf 'rulez: 1\n' >proj/.plimsoll.yml
(cd proj && "$P" scan --no-context . >/dev/null 2>err); rc=$?
check "config: an unknown key is an error naming file:line:col (exit 2)" bash -c "[ $rc -eq 2 ] && grep -q '.plimsoll.yml:1:1' proj/err 2>/dev/null || grep -q '.plimsoll.yml:1:1' err"
rm proj/.plimsoll.yml
printf 'FROM node:latest\n' >latest.Dockerfile
out=$("$P" scan --no-context --format json --fail-on none --severity PL101=low --disable PL102 latest.Dockerfile)
check "--severity and --disable on the command line" python3 -c 'import json,sys; d=json.loads(sys.argv[1]); c=[f for f in d["findings"]]; assert not any(f["code"]=="PL102" for f in c); assert any(f["code"]=="PL101" and f["severity"]=="low" for f in c)' "$out"

# --- stdin, discovery, determinism --------------------------------------------------------
out=$(printf 'FROM node:latest\n' | "$P" scan --no-context --no-color --quiet --fail-on none -)
check "stdin: findings name '-'" grep -q '^-:1:6: high\[PL101 image-tag-latest\]' <<<"$out"
mkdir -p tree/a/node_modules/x tree/b tree/.git tree/ignored
for d in tree tree/a tree/b tree/a/node_modules/x tree/.git tree/ignored; do printf 'FROM node:latest\n' >"$d/Dockerfile"; done
printf 'FROM node:latest\n' >tree/b/api.Dockerfile
printf 'FROM node:latest\n' >tree/b/Dockerfile.prod
printf 'x\n' >tree/b/Dockerfile.dockerignore
printf 'ignored/\n' >tree/.gitignore
files=$("$P" scan --no-context --format json --fail-on none tree | python3 -c 'import json,sys; print(" ".join(sorted({f["file"] for f in json.load(sys.stdin)["findings"]})))')
check "discovery finds Dockerfile, *.Dockerfile, Dockerfile.*; skips node_modules, .git, .gitignore'd" \
	[ "$files" = "tree/Dockerfile tree/a/Dockerfile tree/b/Dockerfile tree/b/Dockerfile.prod tree/b/api.Dockerfile" ]
for i in $(seq 1 40); do printf 'FROM node:latest\nRUN curl x | sh\n' >"tree/b/$i.Dockerfile"; done
"$P" scan --no-context --format json --fail-on none --jobs 1 tree >j1
"$P" scan --no-context --format json --fail-on none --jobs 4 tree >j4
check "parallel output is identical to serial output" cmp -s j1 j4

# --- every format renders ------------------------------------------------------------------
for f in text json sarif junit github; do
	"$P" scan --no-context --format $f --fail-on none --output "out.$f" a.Dockerfile; rc=$?
	check "--format $f --output writes a report" bash -c "[ $rc -eq 0 ] && [ -s out.$f ]"
done
check "json output parses" python3 -c 'import json; json.load(open("out.json"))'
check "junit output is XML" python3 -c 'import xml.dom.minidom; xml.dom.minidom.parse("out.junit")'
check "github output uses workflow commands" grep -q '^::\(error\|warning\|notice\) file=a.Dockerfile,line=' out.github
