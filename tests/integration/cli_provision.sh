#!/usr/bin/env bash
# provbench-cli provision against provbench-devsim --kind mixed: one Improv,
# one SMP and one nRF91 device (and a second SMP device for reuse), in a fresh
# workspace with a vault and a CA.
set -u
cli=$1
devsim=$2
dir=$(mktemp -d)
trap '[ -n "${sim_pid:-}" ] && kill "$sim_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
. "$(dirname "$0")/clitest.sh"
export PROVBENCH_WORKSPACE=$dir/ws
export PROVBENCH_PASSPHRASE='correct horse battery staple'

"$devsim" --dir "$dir/sim" --count 5 --kind mixed --latency 5 --no-noise >"$dir/devsim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do [ -e "$dir/sim/ttySIM4" ] && break; sleep 0.05; done
[ -e "$dir/sim/ttySIM4" ] || { echo "FAIL devsim did not start"; cat "$dir/devsim.log"; exit 1; }

check "devsim lists every kind" 0 "nrf91" -- cat "$dir/devsim.log"
check "provision without a vault says what to do" 3 "ca init" -- \
    bash -c "'$cli' profile samples >/dev/null && '$cli' provision --port '$dir/sim/ttySIM2' --profile bench-certificate-per-device"
check "ca init" 0 "SHA-256" -- "$cli" ca init
check "nRF91: bench certificate written and verified" 0 "3 item(s) written and verified, 1 not applicable" -- \
    "$cli" provision --port "$dir/sim/ttySIM2" --profile bench-certificate-per-device --serial MODEM1
check "SMP: bench certificate written and verified" 0 "written and verified" -- \
    "$cli" provision --port "$dir/sim/ttySIM1" --profile bench-certificate-per-device --serial ZEPHYR1
check "SMP over --json" 0 '"ok": true' -- \
    "$cli" provision --port "$dir/sim/ttySIM1" --profile est-onboarding --serial ZEPHYR1 --mac 02:00:5e:10:00:01 --json
check "Improv: Wi-Fi verified, certificates reported unsupported" 1 "not supported over Improv Wi-Fi" -- \
    "$cli" provision --port "$dir/sim/ttySIM0" --profile bench-certificate-per-device --serial ESP1
check "the wrong Wi-Fi password is reported per item" 1 'could not join "Plant2-Machines"' -- \
    "$cli" provision --port "$dir/sim/ttySIM0" --profile bench-certificate-per-device --serial ESP1
check "shared PSK to a first SMP device" 0 "written and verified" -- \
    "$cli" provision --port "$dir/sim/ttySIM1" --profile small-office-shared-psk --serial ZEPHYR1
check "shared PSK to a second device is flagged as reuse" 0 "Pre-shared key is also held by ZEPHYR1" -- \
    "$cli" provision --port "$dir/sim/ttySIM4" --profile small-office-shared-psk --serial ZEPHYR2
check "the comparison reports the reuse" 0 "Credential reused across devices" -- \
    "$cli" profile compare small-office-shared-psk est-onboarding --devices 5
check "protocol named explicitly" 0 "MCUmgr SMP" -- \
    "$cli" provision --port "$dir/sim/ttySIM4" --profile est-onboarding --serial ZEPHYR3 --mac 02:00:5e:10:00:02 --protocol smp
check "missing port" 3 "does not exist" -- "$cli" provision --port "$dir/sim/ttySIM9" --profile est-onboarding
check "unknown protocol name" 2 "--protocol is auto" -- \
    "$cli" provision --port "$dir/sim/ttySIM1" --profile est-onboarding --protocol zigbee
if grep -rlE "BEGIN (RSA |EC )?PRIVATE KEY" "$PROVBENCH_WORKSPACE"; then
    echo "FAIL the workspace holds an unencrypted private key"; failures=$((failures + 1))
else
    echo "ok   no unencrypted private key anywhere in the workspace"
fi
check "no passphrase fails closed" 2 "PROVBENCH_PASSPHRASE" -- \
    env -u PROVBENCH_PASSPHRASE "$cli" provision --port "$dir/sim/ttySIM2" --profile bench-certificate-per-device </dev/null
finish
