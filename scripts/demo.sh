#!/usr/bin/env bash
# scripts/demo.sh - the main job on the bundled example (make demo).
set -eu
cd "$(dirname "$0")/.."
df=examples/app/Dockerfile
echo "== $df, as BuildKit parses it (plimsoll dump --format=buildkit)"
build/plimsoll dump --format=buildkit "$df"
echo
echo "== the resolved build (plimsoll dump --format=stages)"
build/plimsoll dump --format=stages "$df"
