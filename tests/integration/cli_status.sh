#!/bin/bash
# provbench-cli status over a workspace whose audit log a helper fills in:
# counts per stage, failures by reason, JSON, the HTML report, --watch
# following new records and ending cleanly on SIGTERM and SIGINT.
#   cli_status.sh <provbench-cli> <boardevents> <clitest.sh>
cli=$1
events=$2
source "$3"
tmp=$(mktemp -d)
watcher=
cleanup() { [ -n "$watcher" ] && kill "$watcher" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
unset PROVBENCH_WORKSPACE PROVBENCH_DB
ws=$tmp/ws

check "no database: exit 3" 3 "" -- "$cli" status --workspace "$ws"
check "no database: nothing created" 1 "" -- test -e "$ws/inventory.db"

mkdir -m 700 -p "$ws"
for d in dev-1 dev-2 dev-3 dev-4; do "$events" "$ws" discovered $d "sensor $d" || exit 1; done
"$events" "$ws" discovered hostile '<script>alert(1)</script> & co' || exit 1
for d in dev-2 dev-3 dev-4; do "$events" "$ws" identified $d || exit 1; done
"$events" "$ws" onboarded dev-2 || exit 1
"$events" "$ws" fingerprint dev-2 "sha256:00ff11ee" || exit 1
"$events" "$ws" failed dev-3 "wrong password" || exit 1
"$events" "$ws" failed dev-4 "wrong password" || exit 1

check "text: total" 0 "5 devices" -- "$cli" status --workspace "$ws"
check "text: onboarded count" 0 "^Onboarded  *1 " -- "$cli" status --workspace "$ws"
check "text: discovered count" 0 "^Discovered  *2 " -- "$cli" status --workspace "$ws"
check "text: failure with its devices" 0 "wrong password (2): dev-3, dev-4" \
    -- "$cli" status --workspace "$ws"
check "text: throughput" 0 "Onboarded per minute" -- "$cli" status --workspace "$ws"
check "json: parses" 0 "" -- bash -c "'$cli' status --json --workspace '$ws' | python3 -m json.tool"
check "json: counts" 0 '"onboarded": {' -- "$cli" status --json --workspace "$ws"
json=$("$cli" status --json --workspace "$ws")
check "json: values" 0 "ok" -- python3 -c '
import json, sys
s = json.loads(sys.argv[1])
assert s["devices"] == 5, s
assert s["stages"]["onboarded"]["devices"] == 1, s
assert s["stages"]["failed"]["devices"] == 2, s
assert s["failures"] == [{"reason": "wrong password", "devices": ["dev-3", "dev-4"]}], s
assert sum(m["onboarded"] for m in s["onboardedPerMinute"]["lastMinutes"]) == 1, s
print("ok")' "$json"
check "bad option: exit 2" 2 "" -- "$cli" status --workspace "$ws" --bogus

check "report: written" 0 "Wrote the board report" \
    -- "$cli" status --workspace "$ws" --report "$tmp/board.html"
check "report: escaped name" 0 "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" -- cat "$tmp/board.html"
check "report: no raw script" 1 "" -- grep -q "<script>" "$tmp/board.html"
check "report: fingerprint" 0 "sha256:00ff11ee" -- cat "$tmp/board.html"
check "report: sign-off" 0 "Signature" -- cat "$tmp/board.html"
check "report: unwritable folder" 1 "Choose a folder" \
    -- "$cli" status --workspace "$ws" --report "$tmp/missing/board.html"

# --watch: a new record shows up as a new line, and SIGTERM / SIGINT end it
# with exit 0.
"$events" "$ws" discovered dev-5 || exit 1
onboarded=1
for pair in TERM:dev-1 INT:dev-5; do
    sig=${pair%%:*} device=${pair#*:}
    "$cli" status --watch --json --workspace "$ws" >"$tmp/watch.log" 2>&1 &
    watcher=$!
    for _ in $(seq 1 100); do [ -s "$tmp/watch.log" ] && break; sleep 0.1; done
    "$events" "$ws" onboarded "$device" || exit 1
    onboarded=$((onboarded + 1))
    seen=no
    for _ in $(seq 1 100); do
        tail -n +2 "$tmp/watch.log" | grep -q "\"onboarded\":{\"devices\":$onboarded," && { seen=yes; break; }
        sleep 0.1
    done
    check "watch ($sig): the change is printed" 0 "yes" -- echo $seen
    kill -$sig $watcher
    wait $watcher
    rc=$?
    watcher=
    check "watch ($sig): exit 0" 0 "" -- test "$rc" -eq 0
done
finish
