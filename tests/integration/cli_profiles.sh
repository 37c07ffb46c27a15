#!/usr/bin/env bash
# provbench-cli profile ... as a user runs it, in a fresh workspace.
set -u
cli=$1
ws=$(mktemp -d)
tmp=$(mktemp -d)
trap 'rm -rf "$ws" "$tmp"' EXIT
export PROVBENCH_WORKSPACE=$ws/workspace
. "$(dirname "$0")/clitest.sh"

check "empty library says what to do" 0 "profile samples" -- "$cli" profile list
check "samples" 0 "Added 3" -- "$cli" profile samples
check "list" 0 "est-onboarding" -- "$cli" profile list
check "list --json" 0 '"valid": true' -- "$cli" profile list --json
check "workspace is private" 0 "700" -- stat -c %a "$PROVBENCH_WORKSPACE"
check "profile files are private" 0 "^600$" -- stat -c %a "$PROVBENCH_WORKSPACE/profiles/est-onboarding.json"
check "show masks secrets" 0 "<redacted>" -- "$cli" profile show small-office-shared-psk
if "$cli" profile show small-office-shared-psk | grep -q "sunflower-meadow-7"; then
    echo "FAIL show leaks the passphrase"; failures=$((failures + 1))
else
    echo "ok   show never prints the passphrase by default"
fi
check "show by name" 0 '"kind": "dynamic"' -- "$cli" profile show "EST onboarding"
check "validate samples" 0 "valid" -- "$cli" profile validate small-office-shared-psk est-onboarding
check "export masked" 0 "secrets masked" -- "$cli" profile export est-onboarding "$tmp/est.json"
check "import masked export reports what to re-enter" 0 "Imported as" -- "$cli" profile import "$tmp/est.json"
check "validate the re-imported copy" 1 "network.wifi.passphrase: the value was removed" -- \
    "$cli" profile validate est-onboarding-2

sed 's/"passphrase": "<redacted>"/"passphrase": "short"/' "$tmp/est.json" > "$tmp/short.json"
check "bad passphrase names the field" 1 "network.wifi.passphrase: WPA2-PSK needs 8 to 63 characters" -- \
    "$cli" profile validate "$tmp/short.json"
sed 's/"ssid"/"sid"/' "$tmp/est.json" > "$tmp/typo.json"
check "unknown key names the field" 1 "network.wifi.sid: unknown field" -- "$cli" profile validate "$tmp/typo.json"
sed 's#provbench.profile/1#provbench.profile/7#' "$tmp/est.json" > "$tmp/newer.json"
check "newer schema refused" 1 "newer than this ProvBench" -- "$cli" profile validate "$tmp/newer.json"
check "import of an invalid file refused" 1 "newer than this ProvBench" -- "$cli" profile import "$tmp/newer.json"
check "missing profile" 3 "No profile" -- "$cli" profile show nothing-like-this

check "compare table" 0 "EST onboarding" -- \
    "$cli" profile compare small-office-shared-psk est-onboarding --devices 5
check "compare json" 0 '"schema": "provbench.comparison/1"' -- \
    "$cli" profile compare small-office-shared-psk est-onboarding --devices 500 --format json
check "compare markdown" 0 "|" -- \
    "$cli" profile compare small-office-shared-psk est-onboarding --devices 500 --format markdown
a=$("$cli" profile compare small-office-shared-psk est-onboarding --devices 5 --json | grep '"recommendation"')
b=$("$cli" profile compare small-office-shared-psk est-onboarding --devices 500 --json | grep '"recommendation"')
if [ -n "$a" ] && [ "$a" != "$b" ]; then
    echo "ok   the recommendation depends on the device count"
else
    echo "FAIL the recommendation is the same for 5 and 500 devices: $a"; failures=$((failures + 1))
fi
check "compare with a bad device count" 2 "--devices" -- \
    "$cli" profile compare small-office-shared-psk est-onboarding --devices 0

check "preview per-device values" 0 "10.20.0.103" -- \
    "$cli" profile preview bench-certificate-per-device --serial A1 --serial B2 --serial C3
sed 's/"hostname": "sensor-{mac6}"/"hostname": "sensor"/' "$PROVBENCH_WORKSPACE/profiles/est-onboarding.json" > "$tmp/fixed.json"
check "preview reports hostname collisions" 1 'collision: 4 devices get hostname "sensor"' -- \
    "$cli" profile preview "$tmp/fixed.json" --devices 4
check "rename via import keeps files private" 0 "^600$" -- stat -c %a "$PROVBENCH_WORKSPACE/profiles/est-onboarding-2.json"
finish
