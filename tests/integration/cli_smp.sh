#!/usr/bin/env bash
# provbench-cli smp ... against one simulated SMP device (tests/integration/smpsim_main.cpp).
set -u
cli=$1
smpsim=$2
tmp=$(mktemp -d)
port=$tmp/ttySMP0
"$smpsim" "$port" > "$tmp/sim.log" 2>&1 &
sim=$!
trap 'kill "$sim" 2>/dev/null; wait "$sim" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do [ -e "$port" ] && break; sleep 0.1; done
. "$(dirname "$0")/clitest.sh"

check "echo" 0 "^hello-smp$" -- "$cli" smp echo --port "$port" --text hello-smp
check "echo --json" 0 '"result": "hi"' -- "$cli" smp echo --port "$port" --text hi --json
check "settings write verifies" 0 "verified" -- \
    "$cli" smp settings write --port "$port" --key app/server --value mqtt.lab
check "settings read" 0 "app/server = mqtt.lab" -- "$cli" smp settings read --port "$port" --key app/server
check "secret write verifies" 0 "verified" -- \
    "$cli" smp settings write --port "$port" --key wifi/psk --hex 00112233445566778899
check "secret read is redacted" 0 "<redacted 10 bytes>" -- \
    "$cli" smp settings read --port "$port" --key wifi/psk
if "$cli" smp settings read --port "$port" --key wifi/psk --json --trace 2>&1 | grep -q "00 11 22 33"; then
    echo "FAIL trace leaks the PSK"; failures=$((failures + 1))
else
    echo "ok   the trace never shows the PSK"
fi
check "missing key" 1 "no such setting" -- "$cli" smp settings read --port "$port" --key no/such
check "write needs a value" 2 "exactly one of" -- "$cli" smp settings write --port "$port" --key a/b
check "commit" 0 "Committed" -- "$cli" smp settings commit --port "$port"
check "save" 0 "Saved" -- "$cli" smp settings save --port "$port"
head -c 5000 /dev/urandom > "$tmp/cert.der"
check "fs upload verifies" 0 "verified" -- \
    "$cli" smp fs upload --port "$port" --remote /lfs/cert.der --file "$tmp/cert.der"
want=$(sha256sum "$tmp/cert.der" | cut -d' ' -f1)
check "fs hash matches sha256sum" 0 "$want" -- "$cli" smp fs hash --port "$port" --remote /lfs/cert.der
check "fs download" 0 "Downloaded 5000 bytes" -- \
    "$cli" smp fs download --port "$port" --remote /lfs/cert.der --file "$tmp/back.der"
check "download is identical" 0 "" -- cmp "$tmp/cert.der" "$tmp/back.der"
check "missing file" 1 "no such file" -- "$cli" smp fs hash --port "$port" --remote /lfs/none
check "fs needs --remote" 2 "--remote" -- "$cli" smp fs hash --port "$port"
check "missing port" 3 "does not exist" -- "$cli" smp echo --port "$tmp/nothing"
check "reset" 0 "rebooting" -- "$cli" smp reset --port "$port"
sleep 0.6
check "saved setting survives reset" 0 "mqtt.lab" -- \
    "$cli" smp settings read --port "$port" --key app/server
finish
