#!/usr/bin/env bash
# scripts/demo.sh - the main job on the bundled example (make demo): scan examples/app.
set -u
cd "$(dirname "$0")/.."
echo "== plimsoll scan examples/app  (Dockerfile, build context, compose.yaml, k8s/)"
echo
build/plimsoll scan examples/app
rc=$?
echo
echo "(exit status $rc: 1 means findings at or above --fail-on, which defaults to high)"
echo
echo "== the same build as Plimsoll resolves it: plimsoll dump --format=stages"
build/plimsoll dump --format=stages examples/app/Dockerfile
# The demo succeeds when the scan ran (exit 0 or 1); 2 would be a usage or I/O error.
[ "$rc" -le 1 ]
