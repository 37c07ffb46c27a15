#!/usr/bin/env bash
# provbench-cli at ... as a user runs it, against one simulated nRF91 modem.
set -u
cli=$1
modemsim=$2
tmp=$(mktemp -d)
sim_pid=
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
. "$(dirname "$0")/clitest.sh"

port=$tmp/ttyMODEM0
"$modemsim" "$port" 0 > "$tmp/sim.out" 2>&1 &
sim_pid=$!
for _ in $(seq 50); do grep -q ready "$tmp/sim.out" 2>/dev/null && break; sleep 0.1; done

cat > "$tmp/ca.pem" <<'PEM'
-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUQ2hlY2sgdGhlIHNoYXBlLCBub3QgdGhlIEFTTi4xMAoG
CCqGSM49BAMCMBQxEjAQBgNVBAMMCVByb3ZCZW5jaA==
-----END CERTIFICATE-----
PEM
printf -- '-----BEGIN ENCRYPTED PRIVATE KEY-----\r\nTUlJQlNFQ1JFVEtFWUJZVEVTU0VDUkVUS0VZQllURVNTRUNSRVRLRVlCWVRFUw==\r\n-----END ENCRYPTED PRIVATE KEY-----\r\n' > "$tmp/key.pem"
echo "not a certificate" > "$tmp/bad.pem"
ca_hash=$(sha256sum "$tmp/ca.pem" | cut -d' ' -f1 | tr a-f A-F)

check "info" 0 "nRF9160-SICA" -- "$cli" at info --port "$port"
check "info json" 0 '"imei"' -- "$cli" at info --port "$port" --json
check "list shows nRF Cloud tag" 0 "16842753" -- "$cli" at cmng list --port "$port"
check "write CA verifies" 0 "written and verified" -- \
    "$cli" at cmng write --port "$port" --tag 1234 --type ca --file "$tmp/ca.pem"
check "list has the hash of the file" 0 "$ca_hash" -- "$cli" at cmng list --port "$port" --tag 1234
check "write json" 0 '"verified": true' -- \
    "$cli" at cmng write --port "$port" --tag 1234 --type psk --value 00112233 --json
export KEY_PASS=correct-horse-battery
check "write encrypted key" 0 "written and verified" -- \
    "$cli" at cmng write --port "$port" --tag 1234 --type key --file "$tmp/key.pem" --passphrase-env KEY_PASS
trace=$("$cli" at cmng write --port "$port" --tag 1234 --type key --file "$tmp/key.pem" \
    --passphrase-env KEY_PASS --trace 2>&1)
if grep -q "TUlJQlNF\|correct-horse" <<<"$trace"; then
    echo "FAIL trace leaks key or passphrase"; failures=$((failures + 1))
elif grep -q "AT%CMNG=0,1234,2,<redacted" <<<"$trace"; then
    echo "ok   trace redacts the key and passphrase"
else
    echo "FAIL trace lacks the redacted write"; echo "$trace" | sed 's/^/    /'; failures=$((failures + 1))
fi
check "cfun restored to online" 0 "+CFUN: 1" -- "$cli" at raw --port "$port" --command "AT+CFUN?"
check "malformed file refused before the modem" 2 "not PEM text" -- \
    "$cli" at cmng write --port "$port" --tag 5 --type ca --file "$tmp/bad.pem"
check "odd psk refused" 2 "even number" -- \
    "$cli" at cmng write --port "$port" --tag 5 --type psk --value abc
check "delete" 0 "Deleted" -- "$cli" at cmng delete --port "$port" --tag 1234 --type psk
check "delete missing says what to do" 1 "at cmng list" -- \
    "$cli" at cmng delete --port "$port" --tag 1234 --type psk
check "modem-reserved tag refused" 2 "reserved for the modem" -- "$cli" at cmng delete --port "$port" --tag 4294967292 --type ca
check "raw refuses key read" 2 "does not read private keys" -- \
    "$cli" at raw --port "$port" --command "AT%CMNG=2,16842753,2"
check "raw cert read" 0 "BEGIN CERTIFICATE" -- "$cli" at raw --port "$port" --command "AT%CMNG=2,1234,0"
check "raw unknown command" 1 "ERROR" -- "$cli" at raw --port "$port" --command "AT+NOPE"
check "missing port" 3 "does not exist" -- "$cli" at info --port "$tmp/ttyNONE"
check "usage" 2 "Name one action" -- "$cli" at cmng frobnicate --port "$port"
check "write needs tag" 2 "needs --tag" -- "$cli" at cmng write --port "$port" --type ca --file "$tmp/ca.pem"
finish
