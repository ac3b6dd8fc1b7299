# tests/lib.sh - TAP helpers for shell test suites. Each suite prints "ok - name" or
# "not ok - name" lines; tests/run.sh counts them. Source this file, then call ok/not_ok.
PL_ROOT=${PL_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SHARED=${SHARED:-$(cd "$PL_ROOT/../shared" 2>/dev/null && pwd)}
# Sanitizer build by default: every test input also checks memory safety.
PLIMSOLL=${PLIMSOLL:-$PL_ROOT/build/asan/plimsoll}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
# check NAME CONDITION-COMMAND...: ok when the command succeeds.
check() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
# skip NAME REASON: a test that cannot run here, said plainly.
skip() { echo "ok - $1 # SKIP $2"; }
# need_component SUITE REASON: a real component (Docker Engine, registry, ...) is missing.
# Under CI=true (.ci/run installs them) that is a failure; elsewhere the suite skips. Ends
# the suite either way.
need_component() {
	if [ "${CI:-}" = true ]; then not_ok "$1: $2"; else skip "$1" "$2"; fi
	exit 0
}
