# SARIF output validates against the official SARIF 2.1.0 JSON schema, and meets what GitHub
# code scanning requires beyond the schema.
#
# The document comes from the unit test program (build/asan/tests/test_report writes it to
# $PL_SARIF_OUT). The validator is ajv (ajv-cli + ajv-formats, pinned in tests/tools/
# package-lock.json and installed there with `npm ci` when missing), which checks formats
# such as "uri" too; without node/npm, Python's jsonschema (Debian: python3-jsonschema,
# installed with apt-get when running as root). With neither, the test is skipped, except
# under CI=true, where it fails: CI must validate.
. "$(dirname "$0")/../lib.sh"
schema=$SHARED/spec/schemas/sarif-schema-2.1.0.json
bin=$PL_ROOT/build/asan/tests/test_report
tools=$PL_ROOT/tests/tools
ci=${CI:-false}

unavailable() { # name, reason: skip here, fail under CI
	if [ "$ci" = true ]; then not_ok "$1: $2"; else skip "$1" "$2"; fi
}

if [ ! -f "$schema" ]; then unavailable "sarif schema" "not found at $schema"; exit 0; fi
if [ ! -x "$bin" ]; then not_ok "sarif: $bin is not built (make asan)"; exit 0; fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
out=$tmp/plimsoll.sarif.json # ajv picks its parser by extension: keep .json
PL_SARIF_OUT=$out CMOCKA_MESSAGE_OUTPUT=TAP "$bin" >"$tmp/unit.log" 2>&1
if [ ! -s "$out" ]; then
	not_ok "sarif: the test program wrote no document"
	sed 's/^/# /' "$tmp/unit.log" | tail -20
	exit 0
fi
ok "sarif: the test program wrote a document"
# A copy with a wrong version: the validator must refuse it, or a pass proves nothing.
sed 's/"version": "2.1.0"/"version": "2.0.0"/' "$out" >"$tmp/bad.sarif.json"

ajv=$tools/node_modules/.bin/ajv
if [ ! -x "$ajv" ] && command -v npm >/dev/null && command -v node >/dev/null; then
	(cd "$tools" && npm ci --no-audit --no-fund --loglevel=error) >"$tmp/npm.log" 2>&1 ||
		sed 's/^/# npm: /' "$tmp/npm.log" | tail -5
fi
have_pyjsonschema() { command -v python3 >/dev/null && python3 -c 'import jsonschema' 2>/dev/null; }
if [ ! -x "$ajv" ] && ! have_pyjsonschema && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
	echo "# installing python3-jsonschema to validate SARIF"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends python3-jsonschema; } >"$tmp/apt.log" 2>&1 ||
		sed 's/^/# apt: /' "$tmp/apt.log" | tail -5
fi

validate() { # file: exit status 0 when valid, errors on stdout
	if [ -x "$ajv" ] && command -v node >/dev/null; then
		"$ajv" validate --spec=draft7 --strict=false --all-errors -c ajv-formats \
			-s "$schema" -d "$1" 2>&1
	else
		python3 - "$schema" "$1" <<-'EOF'
		import json, sys
		from jsonschema import Draft7Validator
		schema = json.load(open(sys.argv[1], encoding="utf-8"))
		doc = json.load(open(sys.argv[2], encoding="utf-8"))
		v = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
		errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
		for e in errors:
		    print("/".join(map(str, e.path)) + ": " + e.message)
		sys.exit(1 if errors else 0)
		EOF
	fi
}

if [ -x "$ajv" ] && command -v node >/dev/null; then
	validator="ajv $(node -p 'require(process.argv[1]).version' "$tools/node_modules/ajv/package.json")"
elif have_pyjsonschema; then
	validator="python jsonschema"
else
	unavailable "sarif: schema validation" "no validator (needs node+npm, or python3-jsonschema)"
	exit 0
fi

# check_sarif WHAT FILE: the document is valid SARIF 2.1.0 and meets GitHub's requirements.
check_sarif() {
	local what=$1 file=$2 res
	if res=$(validate "$file"); then
		ok "sarif: $what is valid SARIF 2.1.0 ($validator)"
	else
		not_ok "sarif: $what is invalid against the SARIF 2.1.0 schema ($validator)"
		sed 's/^/# /' <<<"$res" | head -30
	fi
	if ! command -v python3 >/dev/null; then
		skip "sarif: $what meets GitHub code scanning requirements" "python3 not found"
	elif res=$(python3 "$PL_ROOT/tests/golden/sarif/github_checks.py" "$file" 2>&1); then
		ok "sarif: $what meets GitHub code scanning requirements"
	else
		not_ok "sarif: $what fails GitHub code scanning requirements"
		sed 's/^/# /' <<<"$res" | head -30
	fi
}

check_sarif "the test program's document" "$out"
if validate "$tmp/bad.sarif.json" >/dev/null; then
	not_ok "sarif: the validator accepted a document with version 2.0.0"
else
	ok "sarif: the validator refuses a wrong version"
fi

# The same for a real scan: every firing golden case of every rule and the example app in
# one report, so each rule's metadata and every kind of location is in the document.
real=$tmp/scan.sarif.json
find "$PL_ROOT/tests/rules" -name 'fire*.Dockerfile' | sort >"$tmp/files"
(cd "$PL_ROOT" && xargs "$PL_ROOT/build/plimsoll" scan --enable all --no-context --fail-on none \
	--format sarif --output "$real" examples/app/Dockerfile <"$tmp/files")
check_sarif "a real scan's report" "$real"

# And for running containers (plimsoll live, replayed from a recording of a real Engine):
# locations are "container:NAME", with no region.
live=$tmp/live.sarif.json
"$PL_ROOT/build/plimsoll" live --replay "$PL_ROOT/tests/live/fixtures/flawed" --enable all \
	--fail-on none --format sarif --output "$live" pl-live-flawed
check_sarif "a live audit's report" "$live"
