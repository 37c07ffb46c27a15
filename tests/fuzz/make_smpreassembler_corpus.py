#!/usr/bin/python3
"""Writes the seed corpus of the SMP packet reassembler harness
(tests/fuzz/corpus/smpreassembler): raw SMP packets as BLE notifications carry
them, one after another, built here from the header layout in
docs/protocols/smp.md, independently of the C++ codec. Re-run after changing
the seeds."""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_PACKET = 8192  # kMaxPacket: the largest length a header may declare


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    if n < 256:
        return bytes([major << 5 | 24, n])
    if n < 65536:
        return bytes([major << 5 | 25]) + struct.pack(">H", n)
    return bytes([major << 5 | 26]) + struct.pack(">I", n)


def cbor(v):
    if isinstance(v, int):
        return cbor_head(0, v) if v >= 0 else cbor_head(1, -1 - v)
    if isinstance(v, bytes):
        return cbor_head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode()
        return cbor_head(3, len(b)) + b
    if isinstance(v, dict):
        return cbor_head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    raise TypeError(v)


def packet(op, group, cmd, body, seq=0, version=1, length=None):
    payload = cbor(body) if isinstance(body, dict) else body
    declared = len(payload) if length is None else length
    return bytes([version << 3 | op, 0]) + struct.pack(">HHBB", declared, group, seq, cmd) + payload


ECHO = packet(2, 0, 0, {"d": "hi"})
ECHO_RSP = packet(3, 0, 0, {"r": "hi"})
READ_RSP = packet(1, 3, 0, {"val": b"mqtt.lab"}, seq=4)
UPLOAD_RSP = [packet(3, 8, 0, {"off": off}, seq=s) for s, off in enumerate((0, 330, 660, 990))]
DOWNLOAD_RSP = packet(1, 8, 0, {"off": 0, "data": bytes(range(256)) + bytes(100), "len": 5000}, seq=8)
HASH_RSP = packet(1, 8, 2, {"type": "sha256", "off": 0, "len": 900, "output": bytes(range(32))}, seq=9)
HEADER_ONLY = packet(3, 0, 0, b"")
OVERSIZE = packet(1, 8, 0, b"\xff" * 24, length=0xFFFF)

SEEDS = {
    "echo_request": ECHO,
    "echo_response": ECHO_RSP,
    "two_packets": ECHO_RSP + READ_RSP,
    "upload_answers": b"".join(UPLOAD_RSP),
    "download_chunk": DOWNLOAD_RSP,
    "hash_then_partial": HASH_RSP + DOWNLOAD_RSP[:40],
    "header_only": HEADER_ONLY,
    "many_header_only": HEADER_ONLY * 20,
    "max_length": packet(1, 8, 0, b"m" * MAX_PACKET),
    "max_length_plus_one": packet(1, 8, 0, b"o" * (MAX_PACKET + 1)),
    "oversize_then_valid": OVERSIZE + ECHO_RSP,
    "valid_oversize_valid": ECHO_RSP + OVERSIZE + READ_RSP,
    "truncated_download": DOWNLOAD_RSP[:150],
    "partial_header": ECHO_RSP + ECHO_RSP[:5],
    "short": b"\x0b\x00\x00",
    "v1_legacy_rc": packet(3, 8, 0, {"rc": 2}, version=0),
    "reserved_bits_set": bytes([0xE3]) + ECHO_RSP[1:],
    "empty": b"",
}

out = os.path.join(HERE, "corpus", "smpreassembler")
os.makedirs(out, exist_ok=True)
for seed, data in SEEDS.items():
    with open(os.path.join(out, seed), "wb") as f:
        f.write(data)
