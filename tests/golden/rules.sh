# Golden cases for every rule, under tests/rules/<CODE>/, each with <case>.expected: the
# exact text report of that rule alone (no colour, no summary):
#   <case>.Dockerfile                  input D (no build context)
#   <case>/                            input X (a build context with its Dockerfile)
#   docker-compose-<case>.yml          input C (a compose file; paths relative to it)
#   <case>.k8s.yaml                    input K (Kubernetes manifests)
#   <case>.image.json                  input I (an image spec, built into a docker save or OCI
#                                      archive by tests/image/spec2image.py at test time)
#   <case>.live                        input L: "FIXTURE CONTAINER", a recording of a real
#                                      Engine under tests/live/fixtures/ replayed by
#                                      plimsoll live --replay (expected: <case>.live.expected)
# A case whose .expected is empty is a no-fire case. Every rule must have at least one
# firing and one non-firing case for each input kind it applies to that Plimsoll reads
# today (D, X, C, K, I and L). BLESS=1 rewrites the .expected files (then read the diff!).
. "$(dirname "$0")/../lib.sh"
dir=$PL_ROOT/tests/rules
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

run_case() { # code, input path, expected path, context flag
	local code=$1 in=$2 exp=$3 ctx=$4 name
	name="$code/$(basename "${exp%.expected}")"
	local cmd=scan arg
	arg=$(basename "$in")
	[ -n "${IMAGE:-}" ] && cmd=image
	[ -n "${LIVE:-}" ] && cmd="live --replay $LIVE" arg=$LIVE_NAME
	(cd "$(dirname "$in")" && "$PLIMSOLL" $cmd --rule "$code" \
		--no-color --quiet $ctx --fail-on none "$arg") >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ -n "${BLESS:-}" ]; then cp "$tmp/out" "$exp"; fi
	if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/out" "$exp"; then
		ok "rule $name"
	else
		not_ok "rule $name (rc=$rc)"
		diff "$exp" "$tmp/out" | head -20 | sed 's/^/# /'
		head -5 "$tmp/err" | sed 's/^/# /'
	fi
	if [ -s "$exp" ]; then echo fire; else echo pass; fi >>"$tmp/kinds.$code.$5"
}

for rdir in "$dir"/PL*/; do
	code=$(basename "$rdir")
	for f in "$rdir"*.Dockerfile; do
		[ -e "$f" ] || continue
		run_case "$code" "$f" "${f%.Dockerfile}.expected" --no-context D
	done
	for d in "$rdir"*/; do
		[ -d "$d" ] || continue
		run_case "$code" "$d/Dockerfile" "${d%/}.expected" "" X
	done
	for f in "$rdir"docker-compose-*.yml; do
		[ -e "$f" ] || continue
		run_case "$code" "$f" "${f%.yml}.expected" "" C
	done
	for f in "$rdir"*.k8s.yaml; do
		[ -e "$f" ] || continue
		run_case "$code" "$f" "${f%.yaml}.expected" "" K
	done
	for f in "$rdir"*.live; do
		[ -e "$f" ] || continue
		# a recording of a real Engine (tests/live/fixtures/, made by tests/live/record.sh)
		# and the container to audit in it
		read -r fixture container <"$f"
		LIVE="$PL_ROOT/tests/live/fixtures/$fixture" LIVE_NAME=$container \
			run_case "$code" "$f" "$f.expected" "" L
	done
	for f in "$rdir"*.image.json; do
		[ -e "$f" ] || continue
		img="$tmp/images/$code/$(basename "${f%.json}").tar"
		mkdir -p "$(dirname "$img")"
		# the rule's .plimsoll.yml applies to its images too (config is found from the cwd)
		[ -e "$rdir.plimsoll.yml" ] && cp "$rdir.plimsoll.yml" "$(dirname "$img")/"
		python3 "$PL_ROOT/tests/image/spec2image.py" "$f" "$img"
		IMAGE=1 run_case "$code" "$img" "${f%.json}.expected" "" I
	done
done

# Coverage: each rule, each input kind it reads today, has a firing and a non-firing case.
"$PLIMSOLL" rules --format json >"$tmp/rules.json"
while IFS=' ' read -r code inputs; do
	for kind in D X C K I L; do
		case " $inputs " in *" $kind "*) ;; *) continue ;; esac
		k="$tmp/kinds.$code.$kind"
		check "rule $code has a firing $kind case" grep -qx fire "$k"
		check "rule $code has a non-firing $kind case" grep -qx pass "$k"
	done
done < <(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])):
    print(r["code"], r["reads"])' "$tmp/rules.json")
