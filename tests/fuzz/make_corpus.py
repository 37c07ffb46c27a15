#!/usr/bin/python3
"""Writes the seed corpus of the Improv fuzz harness (tests/fuzz/corpus/improv).

Each file is a stretch of what a serial line could carry: packets in both
directions, ESPHome-style log text, and damaged input. The packets are built
here from the wire rules in docs/protocols/improv.md, independently of the C++
codec. Re-run after changing the seeds; files libFuzzer added are left alone.
"""

import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "improv")

CURRENT_STATE, ERROR_STATE, RPC_COMMAND, RPC_RESULT = 1, 2, 3, 4


def packet(ptype, data, version=1, fix_checksum=None):
    body = b"IMPROV" + bytes([version, ptype, len(data)]) + data
    cs = sum(body) & 0xFF if fix_checksum is None else fix_checksum
    return body + bytes([cs])


def rpc(command, strings):
    body = b"".join(bytes([len(s)]) + s for s in strings)
    return bytes([command, len(body)]) + body


def command(cmd, strings=()):
    return packet(RPC_COMMAND, rpc(cmd, list(strings)))


def result(cmd, strings=()):
    return packet(RPC_RESULT, rpc(cmd, list(strings)))


def state(s):
    return packet(CURRENT_STATE, bytes([s]))


def error(e):
    return packet(ERROR_STATE, bytes([e]))


def log(text):
    return b"\x1b[0;32m" + text.encode() + b"\x1b[0m\r\n"


WIFI = command(1, [b"MyWirelessAP", b"mysecurepassword"])
URL = result(1, [b"http://192.168.1.50"])
DEVINFO4 = result(3, [b"ESPHome", b"2024.6.0", b"ESP32-C3", b"kitchen-light"])
DEVINFO6 = result(3, [b"WLED", b"0.15.0", b"esp32", b"WLED-Desk", b"ESP-IDF", b"v4.4.7"])
SCAN = (result(4, [b"HomeNet", b"-52", b"YES"]) + result(4, [b"Cafe", b"-80", b"NO"])
        + result(4, [b"K\xc3\xbcche", b"-67", b"yes"]) + result(4, []))

SEEDS = {
    # The vectors of docs/protocols/improv.md, byte for byte.
    "vector_request_state": command(2),
    "vector_state_ready": state(2),
    "vector_wifi_settings": WIFI,
    # Every command request.
    "request_device_info": command(3),
    "request_scan": command(4),
    "request_hostname": command(5),
    "request_set_hostname": command(5, [b"kitchen-light"]),
    "request_device_name": command(6),
    "request_set_device_name": command(6, [b"Kitchen Light"]),
    "request_network_state": command(7),
    "request_wifi_open_network": command(1, [b"Cafe", b""]),
    # Device answers.
    "states_all": b"".join(state(s) for s in range(5)),
    "errors_all": b"".join(error(e) for e in (0, 1, 2, 3, 4, 5, 0xFF)),
    "result_url": URL,
    "result_device_info_4": DEVINFO4,
    "result_device_info_6": DEVINFO6,
    "result_scan_sequence": SCAN,
    "result_hostname": result(5, [b"kitchen-light"]),
    "result_device_name": result(6, [b"Kitchen Light"]),
    "result_network_state": result(7, [b"3", b"http://10.0.0.7", b"http://kitchen.local"]),
    "provisioned_with_url": state(3) + state(4) + URL,
    "older_firmware_unknown_rpc": command(5) + error(2) + command(7) + error(2),
    "result_largest_packet": packet(RPC_RESULT, rpc(4, [b"S" * 200, b"-1", b"NO" + b"x" * 46])),
    # Decodable packets with bad contents.
    "result_rpc_string_overrun": packet(RPC_RESULT, bytes([3, 5, 9, 0x41, 0x42, 0x43, 0x44])),
    "result_device_info_3_strings": result(3, [b"fw", b"1.0", b"esp32"]),
    "result_scan_bad_rssi": result(4, [b"HomeNet", b"strong", b"YES"]),
    "result_network_state_bad_flags": result(7, [b"0x03"]),
    "unknown_packet_type": packet(9, b"\x01\x02\x03"),
    "unknown_values": packet(CURRENT_STATE, b"") + state(7) + packet(ERROR_STATE, b"") + error(6)
    + error(0x42) + result(0x99, [b"?"]) + command(0, []),
    # A session as a terminal sees it: log text around packets.
    "session_esphome_log": (
        log("[I][app:102]: ESPHome version 2024.6.0 compiled on Jun 11 2024")
        + log("[C][improv_serial:032]: Improv Serial:") + state(2) + b"\n"
        + log("[D][improv_serial:180]: Received Improv wifi settings ssid=MyWirelessAP")
        + state(3) + log("[I][wifi:617]: WiFi Connected!") + state(4) + URL + b"\n"
        + log("[D][sensor:094]: 'Temperature': Sending state 21.50000 C")),
    "trailing_newlines": state(2) + b"\n" + DEVINFO4 + b"\r\n" + SCAN + b"\n",
    "split_packet_then_whole": WIFI[:17] + log("[W][uart:042]: overrun") + WIFI,
    # Damage.
    "bad_checksum_then_good": packet(CURRENT_STATE, b"\x02", fix_checksum=0) + state(2),
    "bad_version_then_good": packet(CURRENT_STATE, b"\x02", version=2) + state(2),
    "stray_magic_in_log": log("[I][improv_serial:042]: IMPROV serial ready") + state(2),
    "doubled_magic": b"IMPROV" + state(2),
    "truncated_packets": DEVINFO6[:30] + b"\n" + URL[:9] + b"\n" + state(2)[:10] + b"\n" + state(2),
    "header_promises_255": b"IMPROV\x01\x04\xff" + state(2) + b"\n" * 300 + state(4),
    "partial_magic_at_end": log("[D] waiting") + b"IMPRO",
    "garbage_binary": bytes(random.Random(20240611).randrange(256) for _ in range(2048)),
    "garbage_boot_baud_mismatch": bytes(random.Random(74880).randrange(256) for _ in range(300))
    + b"\r\n" + log("[I][app:029]: Running through setup()") + state(2),
    "empty": b"",
    "long_line_no_newline": b"x" * 1500 + state(2),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(SEEDS)} seeds to {OUT}")


if __name__ == "__main__":
    main()
