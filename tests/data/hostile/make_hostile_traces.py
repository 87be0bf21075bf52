#!/usr/bin/env python3
"""Writes the hostile trace files in this folder (the reproducers of issue 11).

Each is a valid trace format 2 stream (docs/trace-format.md: header, checksummed blocks) whose
records are what a stranger could forge: the checksums match, so only the decoder's record
checks stand between these bytes and the code above it. Run it from anywhere; it rewrites the
files next to itself. The byte layout is written out here on purpose, independent of the C++
encoder, so that a bug shared by encoder and decoder cannot hide.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
MAGIC = b"LSTRACE\x1a"

# Field counts of the kinds used below (model/trace/events.cpp).
STRING, META, RUN_START, RUN_END, CALLBACK_ENTER, POOL_START = 0, 1, 2, 3, 18, 22
FIELDS = {STRING: 1, META: 2, RUN_START: 4, RUN_END: 3, CALLBACK_ENTER: 1, POOL_START: 1}


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def zigzag(v):
    return ((v << 1) ^ (v >> 63)) & 0xFFFFFFFFFFFFFFFF


def record(kind, fields=(), thread=0, dt=0, text=None):
    fields = list(fields) + [0] * (FIELDS[kind] - len(fields))
    out = bytes([kind, thread]) + varint(zigzag(dt))
    out += b"".join(varint(zigzag(f)) for f in fields)
    if kind == STRING:
        out += varint(len(text)) + text
    return out


def block(payload):
    n = len(payload)
    return struct.pack("<III", n, ~n & 0xFFFFFFFF, crc32c(payload)) + payload


def header(version=2):
    return MAGIC + struct.pack("<H", version) + b"\0" * 6


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    # The 21-byte reproducer in the old, unchecked format 1: one String record, id -1.
    write("v1-string-id-minus-1.lstrace", header(1) + record(STRING, [-1], text=b""))
    for name, sid in (("string-id-minus-1", -1), ("string-id-minus-2", -2),
                      ("string-id-200000000", 200_000_000)):
        write(name + ".lstrace", header() + block(record(STRING, [sid], text=b"x")))
    for name, size in (("pool-size-huge", 1 << 40), ("pool-size-negative", -5),
                       ("pool-size-zero", 0)):
        write(name + ".lstrace", header() + block(record(RUN_START, [size, 1, 0, 0])))
    # A pool job on slot 9 of a 4-thread pool.
    write("pool-slot-beyond-pool.lstrace",
          header() + block(record(RUN_START, [4, 1, 0, 0]) + record(POOL_START, [77], thread=9)))
    # 20,000 callbacks entered inside each other and never left (quadratic indentation bait).
    chunks, current = [], b""
    for rec in [record(RUN_START, [4, 1, 0, 0])] + [record(CALLBACK_ENTER, [i + 2], dt=1)
                                                     for i in range(20_000)]:
        if len(current) + len(rec) > 65536:
            chunks.append(current)
            current = b""
        current += rec
    chunks.append(current)
    write("nesting-20000.lstrace", header() + b"".join(block(c) for c in chunks))
    # Records the decoder accepts whose free numbers are INT64_MAX / INT64_MIN (sums and products
    # overflow above it): tests/fuzz/make_extreme_seeds.py writes the record bytes.
    seeds = os.path.join(HERE, "..", "..", "fuzz", "corpus", "trace")
    for name in ("max", "min"):
        with open(os.path.join(seeds, f"extreme-{name}.records"), "rb") as f:
            write(f"overflow-{name}.lstrace", header() + block(f.read()))


if __name__ == "__main__":
    main()
