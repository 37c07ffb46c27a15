#!/usr/bin/python3
"""Writes the seed corpora of the SMP fuzz harnesses (tests/fuzz/corpus/smpframe
and corpus/smpcbor), built here from the wire rules in docs/protocols/smp.md,
independently of the C++ codec. Re-run after changing the seeds."""

import base64
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def crc16(data):
    crc = 0
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    if n < 256:
        return bytes([major << 5 | 24, n])
    if n < 65536:
        return bytes([major << 5 | 25]) + struct.pack(">H", n)
    return bytes([major << 5 | 26]) + struct.pack(">I", n)


def cbor(v):
    if isinstance(v, bool):
        return b"\xf5" if v else b"\xf4"
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


def packet(op, group, cmd, body, seq=0, version=1):
    payload = cbor(body) if isinstance(body, dict) else body
    return bytes([version << 3 | op, 0]) + struct.pack(">HHBB", len(payload), group, seq, cmd) + payload


def frames(body, max_frame=127):
    raw = struct.pack(">H", len(body) + 2) + body + struct.pack(">H", crc16(body))
    per = (max_frame - 3) // 4 * 3
    out = b""
    for i in range(0, len(raw), per):
        out += (b"\x06\x09" if i == 0 else b"\x04\x14") + base64.b64encode(raw[i:i + per]) + b"\n"
    return out


def log(text):
    return ("[00:00:01.234,000] <inf> app: %s\r\n" % text).encode()


ECHO = packet(2, 0, 0, {"d": "hi"})
ECHO_RSP = packet(3, 0, 0, {"r": "hi"})
READ_RSP = packet(1, 3, 0, {"val": b"mqtt.lab"}, seq=4)
NOT_FOUND = packet(1, 3, 0, {"err": {"group": 3, "rc": 3}}, seq=5)
ENOMEM = packet(3, 8, 0, {"rc": 2}, seq=6)
UPLOAD_RSP = packet(3, 8, 0, {"off": 326}, seq=7)
DOWNLOAD_RSP = packet(1, 8, 0, {"off": 0, "data": bytes(range(200)), "len": 5000}, seq=8)
HASH_RSP = packet(1, 8, 2, {"type": "sha256", "off": 0, "len": 900, "output": bytes(range(32))}, seq=9)
UPLOAD_REQ = packet(2, 8, 0, {"name": "/lfs/client.key", "off": 0, "len": 1500, "data": b"k" * 300})

FRAME_SEEDS = {
    "vector_echo": frames(ECHO),
    "echo_response": frames(ECHO_RSP),
    "console_then_packet": log("boot") + frames(READ_RSP) + log("tick"),
    "multi_frame_upload": frames(UPLOAD_REQ),
    "interleaved_text": b"".join(f + log("x") for f in frames(DOWNLOAD_RSP).split(b"\n") if f for f in [f + b"\n"]),
    "exact_127_frame": frames(packet(2, 8, 0, b"\xa0" + b"x" * 80)),
    "bad_crc": frames(ECHO)[:-3] + b"A" + frames(ECHO)[-2:],
    "bad_base64": b"\x06\x09AB*KAAAG\n" + frames(ECHO),
    "continuation_alone": b"\x04\x14ABAKAAAG\n" + frames(HASH_RSP),
    "garbage_prefix": bytes([0x9f, 0xfe, 0x80, 0xc3]) + frames(UPLOAD_RSP),
    "truncated_packet": frames(DOWNLOAD_RSP)[:150] + b"\n" + frames(ECHO),
    "crlf_lines": frames(ECHO).replace(b"\n", b"\r\n"),
    "long_line": b"z" * 700 + b"\n" + frames(ECHO),
    "length_too_big": b"\x06\x09//8A\n",
    "two_starts": frames(DOWNLOAD_RSP).split(b"\n")[0] + b"\n" + frames(NOT_FOUND),
    "empty": b"",
}

CBOR_SEEDS = {
    "vector_echo": ECHO,
    "echo_response": ECHO_RSP,
    "setting_value": READ_RSP,
    "v2_not_found": NOT_FOUND,
    "legacy_enomem": ENOMEM,
    "upload_offset": UPLOAD_RSP,
    "download_chunk": DOWNLOAD_RSP,
    "hash": HASH_RSP,
    "upload_request": UPLOAD_REQ,
    "not_a_map": packet(1, 0, 0, b"\x83\x01\x02\x03"),
    "truncated_cbor": packet(1, 3, 0, {"val": b"abcdef"})[:-3],
    "length_mismatch": packet(1, 0, 0, {"r": "x"}) + b"\x00",
    "negative_offset": packet(3, 8, 0, {"off": -5}),
    "v2_unknown_group": packet(3, 64, 1, {"err": {"group": 64, "rc": 9}}),
    "short_header": b"\x09\x00\x00",
    "secret_val": packet(1, 3, 0, {"val": b"sunflower-meadow-7"}),
}

for name, seeds in (("smpframe", FRAME_SEEDS), ("smpcbor", CBOR_SEEDS)):
    out = os.path.join(HERE, "corpus", name)
    os.makedirs(out, exist_ok=True)
    for seed, data in seeds.items():
        with open(os.path.join(out, seed), "wb") as f:
            f.write(data)
