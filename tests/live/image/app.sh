#!/bin/sh
# The test containers' program: serve /metrics from /www/$WWW with busybox httpd and print
# a log line a second, as JSON with every expected field (LOGS=json), JSON lacking most
# fields (LOGS=partial), or plain text (LOGS=plain).
[ -n "$WWW" ] && httpd -p 8080 -h "/www/$WWW"
i=0
while :; do
	i=$((i + 1))
	case "$LOGS" in
	json) echo "{\"time\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"level\":\"info\",\"msg\":\"request served\",\"service\":\"shop\",\"trace_id\":\"t$i\"}" ;;
	partial) echo "{\"msg\":\"tick $i\"}" ;;
	*) echo "tick $i: all good" ;;
	esac
	sleep 1
done
