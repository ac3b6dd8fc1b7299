#!/bin/sh
# deploy/rootfs.sh BINARY DIR - lay out a minimal root filesystem for a scratch image: the
# binary as DIR/usr/local/bin/plimsoll, every shared library it loads (ldd's list, symlinks
# resolved) and the dynamic loader at their own paths, and /tmp. Run in the Dockerfile's
# build stage.
set -eu
bin=$1 dir=$2
mkdir -p "$dir/usr/local/bin" "$dir/tmp"
chmod 1777 "$dir/tmp"
cp "$bin" "$dir/usr/local/bin/plimsoll"
strip "$dir/usr/local/bin/plimsoll" 2>/dev/null || true
# "libx.so.1 => /lib/x86_64-linux-gnu/libx.so.1 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)"
ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u |
while read -r lib; do
	mkdir -p "$dir$(dirname "$lib")"
	cp -L "$lib" "$dir$lib"
done
# the binary must run from the new root alone
test -x "$dir/usr/local/bin/plimsoll"
