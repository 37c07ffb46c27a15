#!/usr/bin/env bash
# provbench-cli against provbench-devsim, as a user would run them: the exit
# codes and messages are the contract checked here.
set -u
cli=$1
devsim=$2
dir=$(mktemp -d)
log=$(mktemp)
cleanup() {
    [ -n "${sim_pid:-}" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    rm -rf "$dir" "$log"
}
trap cleanup EXIT
. "$(dirname "$0")/clitest.sh"

"$devsim" --dir "$dir" --count 3 --latency 5 >"$log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do [ -e "$dir/ttySIM2" ] && break; sleep 0.05; done
[ -e "$dir/ttySIM2" ] || { echo "FAIL devsim did not create its ports"; cat "$log"; exit 1; }

check "devsim prints passwords for the user" 0 "correct-horse-42" -- cat "$log"
check "ports --add lists the pty" 0 "ttySIM0" -- "$cli" ports --add "$dir/ttySIM0"
check "ports --json" 0 '"userAdded": true' -- "$cli" ports --json --watch-dir "$dir"
check "improv info" 0 "ESPHome" -- "$cli" improv info --port "$dir/ttySIM0"
check "improv info --json" 0 '"hardware": "ESP8266"' -- "$cli" improv info --port "$dir/ttySIM1" --json
check "improv scan" 0 "ProvBench-Lab" -- "$cli" improv scan --port "$dir/ttySIM0"
check "improv wifi right password" 0 "Provisioned" -- \
    "$cli" improv wifi --port "$dir/ttySIM0" --ssid ProvBench-Lab --password correct-horse-42
check "improv state after wifi" 0 "provisioned" -- "$cli" improv state --port "$dir/ttySIM0"
check "improv wifi wrong password" 1 'could not join "ProvBench-Lab": check the password' -- \
    "$cli" improv wifi --port "$dir/ttySIM1" --ssid ProvBench-Lab --password wrong-password
check "improv wifi password from stdin" 0 "Provisioned" -- \
    bash -c "echo pallet-jack-7 | '$cli' improv wifi --port '$dir/ttySIM1' --ssid Warehouse-2G --password -"
check "improv hostname set" 0 "boiler-1" -- "$cli" improv hostname --port "$dir/ttySIM0" --value boiler-1
check "improv hostname on old firmware" 1 "does not support" -- "$cli" improv hostname --port "$dir/ttySIM2"
check "improv network" 0 "Online:" -- "$cli" improv network --port "$dir/ttySIM0"
check "missing port" 3 "does not exist" -- "$cli" improv state --port "$dir/ttySIM9"
check "wifi without ssid" 2 "needs --ssid" -- "$cli" improv wifi --port "$dir/ttySIM0" --password x
check "unknown action" 2 "Name one action" -- "$cli" improv frobnicate --port "$dir/ttySIM0"
check "unknown command" 2 "unknown command" -- "$cli" frobnicate
check "trace redacts the password" 0 "<redacted" -- \
    "$cli" improv wifi --port "$dir/ttySIM0" --ssid ProvBench-Lab --password correct-horse-42 --trace
if "$cli" improv wifi --port "$dir/ttySIM0" --ssid ProvBench-Lab --password correct-horse-42 --trace 2>&1 \
    | grep -q "correct-horse-42\|63 6f 72 72 65 63 74"; then
    echo "FAIL the trace shows the password"; failures=$((failures + 1))
else
    echo "ok   trace never shows the password"
fi
kill "$sim_pid"; wait "$sim_pid" 2>/dev/null; sim_pid=
[ ! -e "$dir/ttySIM0" ] && echo "ok   devsim removes its links on SIGTERM" || { echo "FAIL devsim left its links"; failures=$((failures + 1)); }

check "headless demo" 0 "every device ended as planned" -- "$cli" demo --quiet
finish
