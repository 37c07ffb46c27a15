#!/usr/bin/env bash
# provbench-cli ble ... against the simulated BLE peripherals (--simulated):
# the same commands, clients and messages as with a real adapter; only the
# backend differs. The BlueZ path is covered by tests/ble.
set -u
cli=$1
. "$(dirname "$0")/clitest.sh"

plug=C4:DE:E2:10:4A:01   # Improv, needs its button pressed (auto after 4 s)
light=C4:DE:E2:10:4A:02  # Improv, authorized
sensor=F1:0B:5E:7A:22:03 # SMP over BLE

check "scan lists all three" 0 "3 device(s)" -- "$cli" ble scan --simulated --timeout 1.5
check "scan shows improv state" 0 "press button to authorize" -- "$cli" ble scan --simulated --timeout 1
check "scan --json" 0 '"improvCapabilities": 7' -- "$cli" ble scan --simulated --timeout 1 --json
check "scan --filter" 0 "1 device(s).*filtered" -- "$cli" ble scan --simulated --timeout 1 --filter porch
check "scan --min-rssi hides far devices" 0 "^0 device(s)" -- \
    "$cli" ble scan --simulated --timeout 1 --min-rssi -40
check "scan bad --min-rssi" 2 "negative dBm" -- "$cli" ble scan --simulated --min-rssi 12
check "adapter off" 3 "switched off.*bluetoothctl power on" -- \
    "$cli" ble scan --simulated --simulate-problem off --timeout 1
check "no adapter" 3 "no Bluetooth adapter was found" -- \
    "$cli" ble scan --simulated --simulate-problem no-adapter
check "bluez not running" 3 "systemctl start bluetooth" -- \
    "$cli" ble improv info --simulated --simulate-problem bluez --address "$light"
check "no permission" 3 "bluetooth. group" -- \
    "$cli" ble smp echo --simulated --simulate-problem permission --address "$sensor"
check "improv info" 0 "firmware: *WLED" -- "$cli" ble improv info --simulated --address "$light"
check "improv info --json" 0 '"state": "ready"' -- "$cli" ble improv info --simulated --address "$light" --json
check "improv scan" 0 "ProvBench-Lab" -- "$cli" ble improv scan --simulated --address "$light"
wifi_out=$("$cli" ble improv wifi --simulated --address "$plug" --ssid ProvBench-Lab \
    --password correct-horse-42 2>&1)
if [ $? -eq 0 ] && grep -q "press its button" <<<"$wifi_out" && grep -q "verified by reading" <<<"$wifi_out"; then
    echo "ok   wifi waits for the button, then writes and verifies"
else
    echo "FAIL wifi with authorization"; echo "$wifi_out" | sed 's/^/    /'; failures=$((failures + 1))
fi
check "wrong password" 1 "could not join" -- \
    "$cli" ble improv wifi --simulated --address "$light" --ssid ProvBench-Lab --password nope
check "nobody presses the button" 1 "Nobody authorized" -- \
    "$cli" ble improv wifi --simulated --address "$plug" --ssid ProvBench-Lab --password x --auth-timeout 1
if PROVBENCH_WIFI_PASSWORD=correct-horse-42 "$cli" ble improv wifi --simulated --address "$light" \
    --ssid ProvBench-Lab --trace 2>&1 | grep -q "correct-horse"; then
    echo "FAIL the trace shows the Wi-Fi password"; failures=$((failures + 1))
else
    echo "ok   the trace never shows the Wi-Fi password"
fi
check "wifi needs --ssid" 2 "needs --ssid" -- "$cli" ble improv wifi --simulated --address "$light"
check "unknown address" 3 "not advertising" -- "$cli" ble improv info --simulated --address 00:11:22:33:44:55
check "smp echo" 0 "^hello-ble$" -- "$cli" ble smp echo --simulated --address "$sensor" --text hello-ble
check "smp echo --json" 0 '"echo": "x"' -- "$cli" ble smp echo --simulated --address "$sensor" --text x --json
check "smp on an Improv device" 1 "does not offer the GATT characteristic" -- \
    "$cli" ble smp echo --simulated --address "$light"
check "needs --address" 2 "needs --address" -- "$cli" ble improv info --simulated
check "unknown action" 2 "unknown action" -- "$cli" ble pair --simulated
# The real backend with no system bus to talk to: BlueZ is "not running".
check "real backend without BlueZ" 3 "bluetoothd) is not running" -- \
    env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus "$cli" ble scan --timeout 1
check "real backend without BlueZ, connect" 3 "bluetoothd) is not running" -- \
    env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/bus "$cli" ble improv info --address "$light"
finish
