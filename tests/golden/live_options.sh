# plimsoll live's options and its .plimsoll.yml `live:` section, on recordings of a real
# Engine (tests/live/fixtures): no daemon needed. The recordings hold exactly the requests
# the defaults make, so an option that changes a request shows in what is "not recorded".
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fx=$PL_ROOT/tests/live/fixtures
cd "$tmp" || exit 1
live() { "$PLIMSOLL" live --no-color --quiet --fail-on none "$@"; }

live --replay "$fx/partial" --rule PL502 pl-live-partial >base.out 2>&1
check "live: partial's JSON logs lack level and correlation id by default" \
	grep -q 'lack timestamp (0 of [0-9]* lines), level (0 of [0-9]* lines), service (0 of [0-9]* lines), correlation id' base.out

printf 'live:\n  log-fields:\n    level: [msg]\n    correlation: [msg]\n' >.plimsoll.yml
live --replay "$fx/partial" --rule PL502 pl-live-partial >cfg.out 2>&1
check "live: log-fields in .plimsoll.yml rename the expected fields" \
	grep -q 'lack timestamp (0 of [0-9]* lines), service (0 of [0-9]* lines)$' cfg.out
live --replay "$fx/partial" --rule PL502 --log-field level=severity pl-live-partial >cli.out 2>&1
check "live: --log-field wins over the file for its field" \
	grep -q 'lack timestamp (0 of [0-9]* lines), level (0 of [0-9]* lines), service (0 of [0-9]* lines)$' cli.out

printf 'live:\n  metrics-path: /internal/metrics\n  log-lines: 20\n' >.plimsoll.yml
live --replay "$fx/partial" --rule PL503 pl-live-partial >mp.out 2>mp.err
check "live: metrics-path from the file is where metrics are read" \
	grep -q 'serves no Prometheus metrics: http://[0-9.]*:8080/internal/metrics (not recorded' mp.out
check "live: log-lines from the file is the tail asked for" grep -q 'tail=20' mp.err
live --replay "$fx/partial" --rule PL503 --metrics-path /m pl-live-partial >mp2.out 2>&1
check "live: --metrics-path wins over the file" grep -q ':8080/m (not recorded' mp2.out
rm .plimsoll.yml

printf 'allow:\n  drift: [/etc/motd]\n' >.plimsoll.yml
live --replay "$fx/flawed" --rule PL410 pl-live-flawed >drift.out 2>&1
check "live: allow.drift accepts a path a container changes on purpose" test ! -s drift.out
printf 'allow:\n  drift: ["/etc/*.conf"]\n' >.plimsoll.yml
live --replay "$fx/flawed" --rule PL410 pl-live-flawed >drift2.out 2>&1
check "live: ... and only what its globs match" grep -q 'PL410.*A /etc/motd' drift2.out
rm .plimsoll.yml

# restarts: three or more with the last start minutes ago is a loop; long ago is the
# restart policy doing its job (the recording, with RestartCount and the daemon's clock set)
restarts() { # dir, restart count, seconds the daemon's clock is moved on
	cp -r "$fx/hardened" "$1"
	python3 - "$1" "$2" "$3" <<'PY'
import datetime, json, sys
d, n, ahead = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
p = d + "/_containers_pl-live-hardened_json"
c = json.load(open(p)); c["RestartCount"] = n; json.dump(c, open(p, "w"))
p = d + "/_info"
i = json.load(open(p))
t = datetime.datetime.strptime(i["SystemTime"][:19], "%Y-%m-%dT%H:%M:%S") + datetime.timedelta(seconds=ahead)
i["SystemTime"] = t.strftime("%Y-%m-%dT%H:%M:%S.000000000Z"); json.dump(i, open(p, "w"))
PY
}
restarts loop 5 0
live --replay loop --rule PL412 pl-live-hardened >loop.out 2>&1
check "live: five restarts, the last seconds ago, are a restart loop" \
	grep -q 'PL412.*restarting in a loop: restarted 5 times, the last [0-9]*s ago' loop.out
restarts old 5 86400
live --replay old --rule PL412 pl-live-hardened >old.out 2>old.err
check "live: ... five restarts with the last a day ago are not" test ! -s old.out

bad() { # name, yaml, expected message part
	printf '%b' "$2" >bad.yml
	"$PLIMSOLL" live --replay "$fx/hardened" --config bad.yml pl-live-hardened >/dev/null 2>bad.err
	local rc=$?
	if [ $rc -eq 2 ] && grep -q "^bad.yml:[0-9]*:[0-9]*: .*$3" bad.err; then ok "live config: $1"
	else not_ok "live config: $1 (rc $rc)"; sed 's/^/# /' bad.err; fi
}
bad "log-lines 0 is refused" 'live:\n  log-lines: 0\n' "bad value '0' for 'log-lines'"
bad "a metrics path must be a path" 'live:\n  metrics-path: metrics\n' "bad value 'metrics' for 'metrics-path'"
bad "an unknown log field is named" 'live:\n  log-fields:\n    levels: [lvl]\n' "unknown key 'levels'"
bad "an empty name list is refused" 'live:\n  log-fields:\n    level: []\n' "'level' needs at least one field name"
bad "an unknown live key is named" 'live:\n  tail: 5\n' "unknown key 'tail'"
bad "allow.drift wants absolute paths" 'allow:\n  drift: [etc/motd]\n' "allow.drift entry 'etc/motd' is not an absolute path"

usage() { # name, expected message part, args...
	local name=$1 want=$2; shift 2
	"$PLIMSOLL" live "$@" >/dev/null 2>u.err
	local rc=$?
	if [ $rc -eq 2 ] && grep -q -- "$want" u.err; then ok "live usage: $name"
	else not_ok "live usage: $name (rc $rc)"; sed 's/^/# /' u.err; fi
}
usage "--since wants a time" "--since wants" --since yesterday
usage "--log-field wants FIELD=NAMES" "--log-field wants" --log-field lvl=x
usage "--filter wants KEY=VALUE" "--filter wants" --filter label
usage "--log-lines is bounded" "--log-lines wants" --log-lines 0
usage "an unknown option" "unknown or incomplete option" --frobnicate
usage "--timeout wants seconds" "--timeout wants seconds" --timeout abc
usage "--metrics-timeout is bounded" "--metrics-timeout wants seconds" --metrics-timeout=0
usage "--jobs is bounded" "--jobs wants" --jobs 0
usage "a replay directory that is not there" "cannot connect\|replay" --replay "$tmp/none"

"$PLIMSOLL" live --replay "$fx/flawed" --format junit --fail-on none pl-live-flawed >j.xml
check "live: JUnit output names the container as the suite" grep -q 'testsuite name="container:pl-live-flawed"' j.xml
"$PLIMSOLL" live --replay "$fx/flawed" --format github --fail-on none pl-live-flawed >g.txt
check "live: GitHub annotations for each finding" \
	test "$(grep -c '^::' g.txt)" -eq "$(live --replay "$fx/flawed" pl-live-flawed | grep -c '^container:')"
