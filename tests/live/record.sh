#!/usr/bin/env bash
# tests/live/record.sh - re-record the golden fixtures of the live rules from a real Docker
# Engine: start the scenario containers (containers.sh), let them settle, and save every
# API response `plimsoll live` reads for each into tests/live/fixtures/<scenario>/, with
# the docker commands that made it as run.sh. The golden cases (tests/rules/*/*.live) replay
# these with `plimsoll live --replay`. Run by hand after changing what the audit reads;
# then BLESS=1 bash tests/golden/rules.sh and read the diff.
set -eu
cd "$(dirname "$0")/../.."
. tests/live/containers.sh
bin=${PLIMSOLL:-build/plimsoll}
trap live_cleanup EXIT
live_cleanup
live_build_image
out=tests/live/fixtures
rm -rf "$out.new"
mkdir -p "$out.new"
for s in flawed hardened partial crashloop; do
	LIVE_RUNLOG=$out.new/$s.run "live_start_$s"
done
sleep 3
LIVE_RUNLOG=$out.new/flawed.run live_patch_flawed
live_wait_settled
sleep 8 # partial: more than ten log lines, so its missing correlation ids are judged
for s in flawed hardened partial crashloop; do
	mkdir -p "$out.new/$s"
	mv "$out.new/$s.run" "$out.new/$s/run.sh"
	"$bin" live --quiet --fail-on none --record "$out.new/$s" "pl-live-$s" >/dev/null
done
# A privileged container cannot start where dockerd lacks CAP_SYS_RESOURCE (this test
# machine): the privileged fixture is the flawed recording with HostConfig.Privileged set,
# the one field the Engine would report differently.
cp -r "$out.new/flawed" "$out.new/privileged"
python3 - "$out.new/privileged" <<'PY'
import json, sys, glob
for f in glob.glob(sys.argv[1] + "/_containers_pl-live-flawed_json"):
    d = json.load(open(f))
    d["HostConfig"]["Privileged"] = True
    json.dump(d, open(f, "w"))
PY
sed -i 's/--name pl-live-flawed/--name pl-live-flawed --privileged/' "$out.new/privileged/run.sh"
rm -rf "$out"
mv "$out.new" "$out"
echo "recorded: $(ls "$out" | tr '\n' ' ')"
