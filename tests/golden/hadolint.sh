# hadolint conformance cases (../shared/conformance/hadolint): see hadolint.py.
. "$(dirname "$0")/../lib.sh"
/usr/bin/env python3 "$(dirname "$0")/hadolint.py"
