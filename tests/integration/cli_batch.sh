#!/usr/bin/env bash
# provbench-cli batch run against provbench-devsim --kind mixed (Improv, SMP,
# nRF91 in turn): a CSV batch with an unknown device and a missing one, a
# rerun that skips everything, kill -9 in the middle of a batch and the
# resumed run that finishes it without writing a finished device twice, and
# the usage errors.
set -u
cli=$1
devsim=$2
dir=$(mktemp -d)
trap '[ -n "${sim_pid:-}" ] && kill "$sim_pid" 2>/dev/null; [ -n "${batch_pid:-}" ] && kill -9 "$batch_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
. "$(dirname "$0")/clitest.sh"
export PROVBENCH_WORKSPACE=$dir/ws
export PROVBENCH_PASSPHRASE='correct horse battery staple'
py=/usr/bin/python3

start_sim() { # <folder> <count> <latency>
    "$devsim" --dir "$1" --count "$2" --kind mixed --latency "$3" --no-noise >"$1.log" 2>&1 &
    sim_pid=$!
    local last=$(($2 - 1))
    for _ in $(seq 1 100); do [ -e "$1/ttySIM$last" ] && break; sleep 0.05; done
    [ -e "$1/ttySIM$last" ] || { echo "FAIL devsim did not start"; cat "$1.log"; exit 1; }
}
# The CSV a site would hand over: Improv devices by name, SMP boards by
# their node name, modems by IMEI (all as the devsim table prints them).
csv_from_table() { # <devsim log> <skip this port index or -1>
    echo "serial number,site,name,profile"
    awk -v skip="$2" '$1 ~ /ttySIM/ {
        n = $1; sub(/.*ttySIM/, "", n); if (n == skip) next
        if ($2 == "improv") print $3 ",lab,Sensor " n ",lab-wifi"
        else if ($2 == "smp") print $3 ",lab,Gateway " n ",bench-certificate-per-device"
        else { match($0, /IMEI [0-9]+/); print substr($0, RSTART + 5, RLENGTH - 5) ",field,Modem " n ",bench-certificate-per-device" }
    }' "$1"
}
verify_counts() { # prints "<device> <intent.verify count>" per device
    "$cli" audit list --kind intent.verify --json | "$py" -c '
import json, sys, collections
c = collections.Counter(r["device"] for r in json.load(sys.stdin))
for d, n in sorted(c.items()): print(d, n)'
}

"$cli" profile samples >/dev/null
cat >"$PROVBENCH_WORKSPACE/profiles/lab-wifi.json" <<'JSON'
{
    "schema": "provbench.profile/1",
    "kind": "static",
    "name": "Lab Wi-Fi",
    "site": "lab",
    "naming": { "hostname": "", "deviceName": "lab-{serial}" },
    "network": {
        "wifi": { "ssid": "ProvBench-Lab", "security": "wpa2-psk", "passphrase": "correct-horse-42", "hidden": false },
        "ip": { "mode": "dhcp" }
    },
    "credentials": { "type": "none" }
}
JSON
"$cli" ca init >/dev/null || { echo "FAIL ca init"; exit 1; }

check "usage: nothing to provision with" 2 "Give --csv, --profile or both" -- "$cli" batch run
check "usage: unknown action" 2 'The action is "run"' -- "$cli" batch start --profile x
check "usage: --parallel out of range" 2 "--parallel takes 1 to 64" -- \
    "$cli" batch run --profile lab-wifi --parallel 0
printf 'serial number,site,name,profile\nA,lab,a,lab-wifi\nB,lab\n' >"$dir/bad.csv"
check "a bad CSV is refused with line and column" 2 "line 3" -- \
    "$cli" batch run --csv "$dir/bad.csv" --profile lab-wifi --ports-dir "$dir/none"
printf 'serial number,site,name,profile\nA,lab,a,no-such-profile\n' >"$dir/unknown-profile.csv"
check "an unknown profile is refused with its line and column" 2 "line 2, column 4" -- \
    "$cli" batch run --csv "$dir/unknown-profile.csv" --ports-dir "$dir/none" --settle 0

# 1. A CSV batch: 6 devices, one of them not in the CSV, one CSV row absent.
start_sim "$dir/sim" 6 5
csv_from_table "$dir/sim.log" 4 >"$dir/site.csv"
echo "SN-NEVER-THERE,lab,Spare,lab-wifi" >>"$dir/site.csv"
check "CSV batch: five done, one unknown, one not seen" 1 "5 done, 0 skipped (done before), 0 failed, 1 unknown" -- \
    "$cli" batch run --csv "$dir/site.csv" --ports-dir "$dir/sim" --parallel 3 --settle 1
check "the unknown device is listed with what it reports" 0 "ncs-wifi-5" -- \
    "$cli" audit list --kind batch.unknown
check "the missing device is named" 0 '"SN-NEVER-THERE"' -- \
    "$cli" audit list --kind batch.finished --json
check "the board shows five onboarded" 0 '"onboarded": 5' -- "$cli" status --json
check "rerun: everything skipped, even the renamed Improv devices" 1 "0 done, 5 skipped (done before)" -- \
    "$cli" batch run --csv "$dir/site.csv" --ports-dir "$dir/sim" --parallel 3 --settle 1
counts=$(verify_counts)
check "every done device was verified exactly once" 0 "" -- \
    test "$(awk '$2 != 1' <<<"$counts" | wc -l)-$(grep -c . <<<"$counts")" = "0-5"
kill "$sim_pid"; wait "$sim_pid" 2>/dev/null; sim_pid=

# 2. kill -9 in the middle of a batch of 9 slow devices, then resume.
export PROVBENCH_WORKSPACE=$dir/ws2
"$cli" profile samples >/dev/null
cp "$dir/ws/profiles/lab-wifi.json" "$PROVBENCH_WORKSPACE/profiles/"
"$cli" ca init >/dev/null
start_sim "$dir/slow" 9 60
csv_from_table "$dir/slow.log" -1 >"$dir/slow.csv"
"$cli" batch run --csv "$dir/slow.csv" --ports-dir "$dir/slow" --parallel 2 --settle 2 >"$dir/first.log" 2>&1 &
batch_pid=$!
# Kill it right after a write began, once at least two devices are done.
for _ in $(seq 1 600); do
    done_n=$(verify_counts 2>/dev/null | wc -l)
    [ "$done_n" -ge 2 ] && break
    sleep 0.1
done
writes=$("$cli" audit list --kind intent.write --json | "$py" -c 'import json,sys; print(len(json.load(sys.stdin)))')
for _ in $(seq 1 100); do
    now=$("$cli" audit list --kind intent.write --json | "$py" -c 'import json,sys; print(len(json.load(sys.stdin)))')
    [ "$now" -gt "$writes" ] && break
    sleep 0.02
done
kill -9 "$batch_pid"; wait "$batch_pid" 2>/dev/null; batch_pid=
before=$(verify_counts)
done_before=$(echo "$before" | grep -c . )
echo "info killed with $done_before device(s) verified"
if [ "$done_before" -ge 9 ]; then echo "FAIL the batch finished before it could be killed"; failures=$((failures + 1)); fi
check "the resumed batch finishes every device" 0 "0 failed, 0 unknown" -- \
    "$cli" batch run --csv "$dir/slow.csv" --ports-dir "$dir/slow" --parallel 2 --settle 2
counts=$(verify_counts)
check "no device was verified twice, none is missing" 0 "" -- \
    test "$(awk '$2 != 1' <<<"$counts" | wc -l)-$(grep -c . <<<"$counts")" = "0-9"
# A device verified before the kill and written again would have a second
# verification, or a write after its first one.
rewritten=0
for d in $(awk '{print $1}' <<<"$before"); do
    first=$("$cli" audit list --device "$d" --kind intent.verify --json | "$py" -c 'import json,sys; print(json.load(sys.stdin)[0]["seq"])')
    later=$("$cli" audit list --device "$d" --kind intent.write --json | "$py" -c "import json,sys; print(sum(1 for r in json.load(sys.stdin) if r['seq'] > $first))")
    [ "$later" -eq 0 ] || rewritten=$((rewritten + 1))
done
check "devices done before the kill were not written again" 0 "" -- test "$rewritten" -eq 0
interrupted=$("$cli" audit list --kind outcome.write --json | "$py" -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["details"].get("interrupted")))')
echo "info $interrupted write(s) were closed as interrupted on resume"
check "the audit chain holds after kill -9" 0 "chain ok" -- "$cli" audit verify
check "no claim is left behind" 0 "" -- bash -c "! '$cli' inventory list --json | grep -q '\"claimedBy\": \"[^\"]'"
finish
