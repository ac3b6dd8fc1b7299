# Images built by a real Docker Engine, saved with `docker save`, read by `plimsoll image`.
# The bad image plants what the image rules must find (a key added in one layer and deleted
# in the next, a setuid binary, a token in ENV, root, no health check); the hardened image
# must give no finding at all. Needs a Docker Engine and busybox-static: under CI=true
# (.ci/run starts dockerd) they must be there; elsewhere the suite skips with a reason.
. "$(dirname "$0")/../lib.sh"
need() { need_component "docker images" "$1"; }
command -v docker >/dev/null || need "no docker client"
docker info >/dev/null 2>&1 || need "no Docker Engine reachable (start dockerd)"
bb=$(command -v busybox) || need "busybox-static is not installed"
tmp=$(mktemp -d)
tag=plimsoll-test-$$
cleanup() { docker rmi -f "$tag/bad:1" "$tag/good:1" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT

mkdir -p "$tmp/bad" "$tmp/good"
cp "$bb" "$tmp/bad/busybox"; cp "$bb" "$tmp/good/busybox"
cat >"$tmp/bad/Dockerfile" <<'EOF'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /root/.ssh && echo "-----BEGIN OPENSSH PRIVATE KEY-----" > /root/.ssh/id_rsa
RUN rm /root/.ssh/id_rsa && chmod 4755 /bin/busybox
ENV API_TOKEN=s3cr3t-token-value
EXPOSE 8080
CMD ["/bin/httpd", "-f", "-p", "8080"]
EOF
cat >"$tmp/good/Dockerfile" <<'EOF'
FROM scratch
COPY busybox /bin/busybox
COPY passwd /etc/passwd
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s CMD ["/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
CMD ["/bin/busybox", "httpd", "-f", "-p", "8080"]
EOF
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:10001:10001::/:/bin/false\n' >"$tmp/good/passwd"
for img in bad good; do
	if ! DOCKER_BUILDKIT=0 docker build -q -t "$tag/$img:1" "$tmp/$img" >"$tmp/$img.build" 2>&1; then
		not_ok "docker build $img"; sed 's/^/# /' "$tmp/$img.build" | tail -5; exit 0
	fi
	docker save "$tag/$img:1" -o "$tmp/$img.tar"
done

out=$(cd "$tmp" && "$PLIMSOLL" image --no-color --fail-on none --format json bad.tar)
codes=$(python3 -c 'import json,sys; print(" ".join(sorted({f["code"] for f in json.loads(sys.argv[1])["findings"]})))' "$out")
for want in PL603 PL116 PL601 PL201 PL401; do
	check "docker save (bad image): $want found" grep -qw "$want" <<<"$codes"
done
check "docker save (bad image): the deleted key names its layer" \
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert any(f["code"]=="PL603" and "deleted in layer" in f["message"] and "/root/.ssh/id_rsa" in f["message"] for f in d["findings"])' "$out"
# skopeo (Debian's) converts the docker save archive into an OCI layout, as a directory and
# as a tar: the same image must give the same findings (only the image's name differs)
norm() { # plimsoll image PATH: "CODE message" lines, the image's name replaced, sorted
	(cd "$tmp" && "$PLIMSOLL" image --no-color --fail-on none --format json "$1") |
		python3 -c 'import json,re,sys; [print(f["code"], re.sub(r"image [^ :]+(:[^ :]+)?:? ", "image X ", f["message"])) for f in json.load(sys.stdin)["findings"]]' | sort
}
if command -v skopeo >/dev/null; then
	skopeo copy -q "docker-archive:$tmp/bad.tar" "oci:$tmp/bad-oci:1" &&
		skopeo copy -q "docker-archive:$tmp/bad.tar" "oci-archive:$tmp/bad-oci.tar:1" ||
		not_ok "skopeo copy"
	want=$(norm bad.tar)
	check "skopeo OCI layout directory: same findings as the docker save" test "$(norm bad-oci)" = "$want"
	check "skopeo OCI layout tar: same findings as the docker save" test "$(norm bad-oci.tar)" = "$want"
elif [ "${CI:-}" = true ]; then
	not_ok "skopeo is not installed (.ci/run installs it)"
else
	skip "skopeo conversions" "skopeo is not installed (apt-get install skopeo)"
fi
out=$(cd "$tmp" && "$PLIMSOLL" image --no-color --fail-on info --quiet good.tar); rc=$?
check "docker save (hardened image): no finding, exit 0" bash -c "[ $rc -eq 0 ] && [ -z '$out' ]"
if [ -n "$out" ]; then sed "s/^/# /" <<<"$out" | head -20; fi
