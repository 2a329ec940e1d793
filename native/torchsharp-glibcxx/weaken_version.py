#!/usr/bin/python3
"""Marks a symbol version that a shared library needs as weak (VER_FLG_WEAK in its .gnu.version_r entry), in place.

The dynamic loader then loads the library even where the named version is missing; a symbol of that version must
then be found elsewhere (fix-libtorchsharp.sh adds a library that defines it). Usage: weaken_version.py LIB VERSION
Prints whether it changed the entry; exits 1 when the library does not need VERSION at all.
"""
import struct
import sys

VER_FLG_WEAK = 0x2
SHT_GNU_VERNEED = 0x6FFFFFFE


def main(path, version):
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            sys.exit(f"{path}: not a 64-bit little-endian ELF file")
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
        for _name, kind, _flags, _addr, offset, _size, link, count, _align, _entsize in sections:
            if kind != SHT_GNU_VERNEED:
                continue
            strtab = sections[link][4]
            entry = offset
            for _ in range(count):
                _ver, cnt, _file, aux, following = struct.unpack_from("<HHIII", data, entry)
                at = entry + aux
                for _ in range(cnt):
                    _hash, flags, _other, name, nxt = struct.unpack_from("<IHHII", data, at)
                    end = data.index(b"\0", strtab + name)
                    if data[strtab + name:end].decode() == version:
                        if flags & VER_FLG_WEAK:
                            print(f"{version} is already weak in {path}")
                            return
                        struct.pack_into("<H", data, at + 4, flags | VER_FLG_WEAK)
                        f.seek(0)
                        f.write(data)
                        print(f"{version} marked weak in {path}")
                        return
                    at += nxt
                entry += following
    print(f"{path} does not need {version}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: weaken_version.py LIB VERSION")
    main(sys.argv[1], sys.argv[2])
