#!/usr/bin/env python3
"""mdpatch.py IMAGE FIELD=VALUE... -- edit the md superblock of a test image
(a copy of a fixture member) and fix its checksum, to make the states real
mdadm leaves behind harder to reach: split brain, dirty arrays, impossible
values.  Test tooling only; warmboot itself never writes a superblock.

Fields (1.x): events, resync_offset, raid_disks, level, dev_number, max_dev,
data_offset, data_size, size, feature_map, role.N (dev_roles[N]; spare,
faulty or a slot number).  0.90: events, state, raid_disks, level.
FIELD=VALUE with --no-csum leaves the checksum wrong."""
import os
import struct
import sys

ONE = {"feature_map": (8, "<I"), "level": (72, "<i"), "size": (80, "<Q"),
       "raid_disks": (92, "<I"), "data_offset": (128, "<Q"),
       "data_size": (136, "<Q"), "dev_number": (160, "<I"),
       "events": (200, "<Q"), "resync_offset": (208, "<Q"),
       "max_dev": (220, "<I")}
ROLE = {"spare": 0xffff, "faulty": 0xfffe, "journal": 0xfffd}


def find_1x(f, size):
    for off in (4096, 0, ((size // 512 - 16) & ~7) * 512):
        f.seek(off)
        sb = f.read(4096)
        if len(sb) == 4096 and struct.unpack_from("<II", sb) == (0xa92b4efc, 1) \
                and struct.unpack_from("<Q", sb, 144)[0] == off // 512:
            return off
    return None


def csum_1x(sb):
    max_dev = struct.unpack_from("<I", sb, 220)[0]
    n = min(256 + 2 * max_dev, len(sb))
    total = 0
    for i in range(0, n - n % 4, 4):
        if i != 216:
            total += struct.unpack_from("<I", sb, i)[0]
    if n % 4 == 2:
        total += struct.unpack_from("<H", sb, n - 2)[0]
    return ((total & 0xffffffff) + (total >> 32)) & 0xffffffff


def csum_090(sb):
    total = sum(struct.unpack_from("<I", sb, i)[0] for i in range(0, 4096, 4) if i != 38 * 4)
    return ((total & 0xffffffff) + (total >> 32)) & 0xffffffff


def main(argv):
    fix_csum = "--no-csum" not in argv
    args = [a for a in argv[1:] if a != "--no-csum"]
    path, edits = args[0], args[1:]
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        off = find_1x(f, size)
        if off is None:
            off = ((size & ~65535) - 65536)
            f.seek(off)
            sb = bytearray(f.read(4096))
            if struct.unpack_from("<I", sb)[0] != 0xa92b4efc:
                sys.exit("mdpatch: no md superblock in " + path)
            words = {"events": 39, "state": 33, "raid_disks": 10, "level": 7}
            for e in edits:
                k, v = e.split("=", 1)
                if k == "events":
                    struct.pack_into("<II", sb, 39 * 4, int(v) & 0xffffffff, int(v) >> 32)
                else:
                    struct.pack_into("<i" if k == "level" else "<I", sb, words[k] * 4, int(v, 0))
            if fix_csum:
                struct.pack_into("<I", sb, 38 * 4, csum_090(sb))
        else:
            f.seek(off)
            sb = bytearray(f.read(4096))
            for e in edits:
                k, v = e.split("=", 1)
                if k.startswith("role."):
                    struct.pack_into("<H", sb, 256 + 2 * int(k[5:]), ROLE.get(v) or int(v))
                else:
                    o, fmt = ONE[k]
                    val = (1 << 64) - 1 if v == "max" else int(v, 0)
                    struct.pack_into(fmt, sb, o, val)
            if fix_csum:
                struct.pack_into("<I", sb, 216, csum_1x(sb))
        f.seek(off)
        f.write(sb)


if __name__ == "__main__":
    main(sys.argv)
