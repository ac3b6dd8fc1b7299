# tests/serve/port.sh - sourced by the scripts that start `plimsoll serve --listen
# 127.0.0.1:0` (tests, demo, bench): serve_port LOG [PID] prints the port the server
# logged that it listens on, waiting up to 10 s (less if PID exits first); nothing if none.
serve_port() {
	local log=$1 pid=${2:-} port= _
	for _ in $(seq 1 100); do
		port=$(sed -n 's/.*"listening on [^"]* port \([0-9]*\) .*/\1/p' "$log" 2>/dev/null | head -1)
		[ -n "$port" ] && break
		[ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && break
		sleep 0.1
	done
	echo "$port"
}
