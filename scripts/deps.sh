#!/usr/bin/env bash
# scripts/deps.sh - make sure the Debian packages the build and tests need are installed.
#
# Both README commands (make demo, make test) call this first, so a fresh Debian 12 machine
# needs nothing else. As root it installs what is missing; otherwise it prints the exact
# apt-get line to run and stops.
set -eu
# One package per need; the README's "Why these dependencies" explains each.
packages=(
	gcc make            # the compiler and the build
	clang               # libFuzzer targets (make fuzz)
	libclang-rt-14-dev  # clang's sanitizer and fuzzer runtimes
	libcmocka-dev       # unit tests
	libfyaml-dev        # YAML with node positions: .plimsoll.yml (config.c)
	libjansson-dev      # JSON: the embedded compose-spec schema (compose/schema.c)
	libpcre2-dev        # the schema's patternProperties regexes (compose/schema.c)
	libarchive-dev      # built images: tar readers and gzip/zstd layer streams (src/image)
	libssl-dev          # built images: sha256 of every blob and layer (OpenSSL EVP)
	libcurl4-openssl-dev # registries (src/image/registry.c), the Engine API (src/live/engine.c)
	zstd                # tests/image/mkimages.py writes tar+zstd layers with the zstd CLI
	xxd                 # embeds compose-spec.json in the binary (Makefile)
	pkg-config
	time                # /usr/bin/time: peak RSS in make bench
	bc                  # bench/live.sh: best-of-N timings
	python3             # test scripts: generating hostile inputs, reading JSON reports
	python3-jsonschema  # SARIF output validated against the official 2.1.0 schema
	libmicrohttpd-dev   # plimsoll serve: the admission webhook's HTTP(S) server (src/server/http.c)
	libgnutls28-dev     # plimsoll serve: TLS certificate reload through MHD's handshake callback (src/server/tls.c)
	openssl curl        # tests/golden/serve.sh: a test certificate, and real HTTPS requests
	wrk                 # make bench: the webhook under load (bench/serve.sh)
)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "plimsoll: missing packages. Run as root:" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
echo "plimsoll: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# A stale or empty package list is the common failure on a fresh machine: update first.
apt-get update -qq >/dev/null || apt-get update
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
