# tests/live/containers.sh - the containers the live tests audit, on a real Docker Engine.
# Sourced by tests/golden/live.sh (the real-daemon suite) and tests/live/record.sh (which
# re-records the golden fixtures under tests/live/fixtures/). Every container is named
# pl-live-* and labelled plimsoll.test=live, so live_cleanup removes them all, also after a
# failed test.
LIVE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIVE_IMAGE=plimsoll-live-test   # no tag: ':latest', which PL101 reports on pl-live-flawed

# Build the image from Debian's static busybox; LIVE_IMAGE_ID is its id (the hardened
# container runs by id: content-addressed, so pinned).
live_build_image() {
	local ctx
	ctx=$(mktemp -d)
	cp -r "$LIVE_DIR/image/." "$ctx/"
	cp "$(command -v busybox)" "$ctx/busybox"
	DOCKER_BUILDKIT=0 docker build -q -t "$LIVE_IMAGE" "$ctx" >/dev/null 2>&1
	local rc=$?
	rm -rf "$ctx"
	[ $rc -eq 0 ] || return 1
	LIVE_IMAGE_ID=$(docker image inspect -f '{{.Id}}' "$LIVE_IMAGE")
}

live_cleanup() {
	local ids
	ids=$(docker ps -aq --filter label=plimsoll.test=live 2>/dev/null)
	[ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1
	return 0
}

# The scenarios. Each prints the docker run line it used to $LIVE_RUNLOG when set (the
# golden fixtures keep it as run.sh, and the rule docs show it).
live_run() {
	if [ -n "${LIVE_RUNLOG:-}" ]; then
		local a line="docker run"
		for a in "$@"; do
			[ "$a" = "$LIVE_IMAGE_ID" ] && a=plimsoll-live-test # the id changes per build
			line+=" $(printf '%q' "$a")"
		done
		echo "$line" >>"$LIVE_RUNLOG"
	fi
	docker run -d --label plimsoll.test=live "$@" >/dev/null
}

# Everything the rules target (but --privileged, which this test machine's dockerd cannot
# start: it runs without CAP_SYS_RESOURCE; record.sh derives a privileged fixture): the Docker socket and /etc mounted, SYS_ADMIN,
# host PID and IPC, no seccomp or AppArmor, no limits, root, writable root, no log rotation,
# a port on every interface, a literal secret, a health check that fails with bad timing,
# plain-text logs and a malformed /metrics; then patched in place with docker exec.
live_start_flawed() {
	live_run --name pl-live-flawed --cap-add SYS_ADMIN \
		-v /var/run/docker.sock:/var/run/docker.sock -v /etc:/host-etc:ro \
		--pid host --ipc host --security-opt seccomp=unconfined \
		--security-opt apparmor=unconfined -p 8080 -e LOGS=plain -e WWW=bad \
		-e DB_PASSWORD=Pr0d-s3cret-v4lue \
		--health-cmd 'exit 1' --health-interval 1s --health-timeout 2s --health-retries 1 \
		"$LIVE_IMAGE"
}
live_patch_flawed() {
	[ -n "${LIVE_RUNLOG:-}" ] &&
		echo "docker exec pl-live-flawed sh -c 'echo patched >/etc/motd; mkdir -p /var/log/shop; echo started >/var/log/shop/app.log'" >>"$LIVE_RUNLOG"
	docker exec pl-live-flawed sh -c 'echo patched >/etc/motd; mkdir -p /var/log/shop; echo started >/var/log/shop/app.log'
}

# Every setting the issue lists, and nothing for any rule to say.
live_start_hardened() {
	live_run --name pl-live-hardened --read-only --tmpfs /tmp --cap-drop ALL \
		--security-opt no-new-privileges --memory 64m --cpus 0.5 --pids-limit 64 \
		--user 10001:10001 --log-opt max-size=10m --log-opt max-file=3 \
		--restart unless-stopped -e LOGS=json -e WWW=good \
		--health-cmd 'wget -q -O /dev/null http://127.0.0.1:8080/metrics' \
		--health-interval 2s --health-timeout 1s --health-start-period 2s --health-retries 3 \
		"$LIVE_IMAGE_ID"
}

# Half done: read-only without a /tmp tmpfs, uid 1000, no health check, JSON logs without
# the expected fields, metrics that parse but carry no golden signal.
live_start_partial() {
	live_run --name pl-live-partial --read-only --cap-drop ALL \
		--security-opt no-new-privileges --memory 64m --cpus 0.5 --pids-limit 64 \
		--user 1000 --log-opt max-size=10m --restart on-failure:3 \
		-e LOGS=partial -e WWW=partial "$LIVE_IMAGE_ID"
}

# A process that exits at once under restart=always: a restart loop. Its logs go nowhere
# (driver none) and it listens on nothing.
live_start_crashloop() {
	live_run --name pl-live-crashloop --restart always --log-driver none \
		--entrypoint /bin/sh "$LIVE_IMAGE_ID" -c 'exit 1'
}

# Wait until the scenarios show what they are for: flawed unhealthy, hardened healthy,
# the crash loop restarted three times, a few log lines everywhere. At most ~40 s.
live_wait_settled() {
	local i
	for i in $(seq 1 80); do
		local f h c
		f=$(docker inspect -f '{{.State.Health.Status}}' pl-live-flawed 2>/dev/null)
		h=$(docker inspect -f '{{.State.Health.Status}}' pl-live-hardened 2>/dev/null)
		c=$(docker inspect -f '{{.RestartCount}}' pl-live-crashloop 2>/dev/null)
		if [ "$f" = unhealthy ] && [ "$h" = healthy ] && [ "${c:-0}" -ge 3 ] && [ "$i" -ge 8 ]; then
			return 0
		fi
		sleep 0.5
	done
	echo "# settle timeout: flawed=$f hardened=$h crashloop restarts=$c" >&2
	return 1
}
