#!/usr/bin/env python3
"""Writes corpus/trace/extreme-*.records: record bytes (the fuzz targets frame them) holding,
for every kind, records whose free numbers (sizes, times, counts, ids) are all the largest, the
smallest, or -1 — the values that make sums, products and sizes overflow in code above the
decoder — while string references and enumerations stay plausible, so the decoder lets them
through (docs/trace-format.md, "What a reader accepts"). Each starts with a run start."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# The record encoding (varint of zig-zag) is written once, beside the hostile traces.
sys.path.insert(0, os.path.join(HERE, "..", "data", "hostile"))
from make_hostile_traces import varint, zigzag  # noqa: E402
FIELDS = [1, 2, 4, 3, 1, 1, 1, 2, 2, 5, 4, 5, 1, 3, 1, 3, 3, 1, 1, 1, 0, 3, 1, 1, 1, 1, 1, 6,
          3, 5, 2, 5, 2, 0, 3, 3, 3, 4, 3, 4, 4, 5, 4, 3, 1, 2, 1, 2, 2, 1]  # model/trace/events.cpp


def record(kind, fields, thread=0, dt=0):
    out = bytes([kind, thread]) + varint(zigzag(dt))
    return out + b"".join(varint(zigzag(f)) for f in fields[:FIELDS[kind]])


# Per kind, each field: "n" a free number, "s" a string id, or the smallest legal value of an
# enumeration (an int). Mirrors rulesFor() in model/trace/trace_format.cpp.
RULES = {
    1: "ss", 3: ["n", 0, "n"], 4: [0], 5: [0], 7: [1, "n"], 8: [1, "n"], 9: "nssnn", 10: "nnsn",
    11: ["n", "n", "n", "n", 0], 21: "nsn", 28: "nsn", 29: ["n", 1, "n", "n", 1], 30: "ns",
    31: "ssnns", 32: [1, "n"], 34: "nsn", 35: "nns", 36: ["n", 1, "n"], 37: ["s", 1, "s", "n"],
    38: "sss", 39: ["s", 0, 0, 0], 40: "nsnn", 41: "nsnnn", 42: "nsns", 44: [1], 45: [0, "n"],
    46: [0], 47: [0, "s"], 48: ["n", 0],
}


def fields_for(kind, value):
    rules = RULES.get(kind, "n" * FIELDS[kind])
    return [value if r == "n" else 1 if r == "s" else r for r in rules]


def main():
    start = record(0, [1]) + varint(4) + b"main" + record(2, [4, 1, 1, 0])
    for name, value in (("max", 2**63 - 1), ("min", -2**63), ("minus-one", -1)):
        body = start
        for kind in range(1, len(FIELDS)):
            if kind in (0, 2):
                continue
            for thread in (0, 1, 128, 255):
                body += record(kind, fields_for(kind, value), thread=thread if thread != 1 else 1,
                               dt=1 << 40)
        with open(os.path.join(HERE, "corpus", "trace", f"extreme-{name}.records"), "wb") as f:
            f.write(body)


if __name__ == "__main__":
    main()
