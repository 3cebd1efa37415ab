#!/usr/bin/env python3
"""Host side of tests/devices/blkd.sh.

sector IMAGE LOG: the boot sector blkcheck printed (partition 1's first
block, as "blkcheck: sector0 N HEX" lines) equals that block of IMAGE,
found through IMAGE's MBR.
scratch FILE: FILE's first 64 MiB hold blkstress's data, where the 8-byte
word at byte offset o is splitmix64(SEED ^ o // 8), little-endian.
"""
import re
import struct
import sys

SEED = 0x6B65656C64617461
MASK = (1 << 64) - 1


def splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def sector(image, log):
    with open(image, "rb") as f:
        mbr = f.read(512)
        start = struct.unpack_from("<I", mbr, 446 + 8)[0]
        f.seek(start * 512)
        want = f.read(512)
    lines = {}
    with open(log, errors="replace") as f:
        for line in f:
            m = re.search(r"blkcheck: sector0 (\d) ([0-9a-f]{128})", line)
            if m:
                lines[int(m.group(1))] = bytes.fromhex(m.group(2))
    got = b"".join(lines.get(i, b"") for i in range(8))
    if got != want:
        print("sector0: got %d bytes, differs from the image at LBA %d" % (len(got), start))
        return 1
    return 0


def scratch(path):
    words = (64 << 20) // 8
    with open(path, "rb") as f:
        data = f.read(64 << 20)
    if len(data) != 64 << 20:
        print("scratch: short file")
        return 1
    got = struct.unpack("<%dQ" % words, data)
    for o in range(words):
        if got[o] != splitmix64(SEED ^ o):
            print("scratch: first difference at byte %d" % (o * 8))
            return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "sector":
        sys.exit(sector(sys.argv[2], sys.argv[3]))
    sys.exit(scratch(sys.argv[2]))
