#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Flash and static RAM per module, for `make bench`.

    sizes.py OUT.json MAP ORND_OBJ... -- MBEDTLS_LIB

"all": the whole object files (every function of the module), summed from
their section headers. "token": what a --gc-sections link of
tests/bench/token_entry.c (ornd_client_init + ornd_auth_header +
ornd_client_release) keeps of each module, read from the linker map.
text = code + read-only data (.text* + .rodata*), as `size` counts it.
"""
import json
import os
import re
import subprocess
import sys

KIND = (("text", (".text", ".rodata")), ("data", (".data",)), ("bss", (".bss", "COMMON")))


def kind(sec):
    for k, prefixes in KIND:
        if any(sec == p or sec.startswith(p + ".") or sec.startswith(p) for p in prefixes):
            return k
    return None


def obj_sizes(path):
    """Per member of an object or archive: text/data/bss from readelf -S."""
    out = subprocess.run(["arm-none-eabi-size", "-A", path], check=True,
                         capture_output=True, text=True).stdout
    res, member = {}, None
    for line in out.splitlines():
        m = re.match(r"^(\S+)\s+(\(ex [^)]*\))?:\s*$", line)
        if m:
            member = os.path.basename(m.group(1))
            res.setdefault(member, {"text": 0, "data": 0, "bss": 0})
            continue
        m = re.match(r"^(\.\S+|COMMON)\s+(\d+)\s+\d+", line)
        if m and member:
            k = kind(m.group(1))
            if k:
                res[member][k] += int(m.group(2))
    return res


def map_sizes(path):
    """Bytes per object as placed by the link. A merged string section
    (.rodata.*.str1.1) may be printed with the size of strings that other
    sections share at the same addresses, so each byte is counted once, for
    the first section (in address order) that covers it."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    text = text[text.index("Linker script and memory map"):]
    res = {}
    pat = re.compile(r"^ (\.\S+|COMMON)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+) (\S.*)$", re.M)
    placed = []
    for sec, addr, size, obj in pat.findall(text):
        k = kind(sec)
        if k:
            placed.append((int(addr, 16), int(size, 16), k, obj))
    covered = 0  # end of the bytes counted so far
    for addr, size, k, obj in sorted(placed, key=lambda e: e[0]):
        own = max(0, addr + size - max(addr, covered))
        covered = max(covered, addr + size)
        name = os.path.basename(obj.split("(")[-1].rstrip(")"))
        lib = "mbedtls" if "libmbedtls.a" in obj else ("ornd" if "/ornd/" in obj else "other")
        d = res.setdefault(lib, {}).setdefault(name, {"text": 0, "data": 0, "bss": 0})
        d[k] += own
    return res


# libgcc's 64-bit division helpers (issue 11: none on the token path)
DIV64 = ("__aeabi_uldivmod", "__aeabi_ldivmod", "__udivdi3", "__divdi3", "__umoddi3", "__moddi3")


def div64_users(objs):
    """Library objects that call a 64-bit division helper, with the helpers."""
    res = {}
    for o in objs:
        out = subprocess.run(["arm-none-eabi-nm", "-u", o], check=True, capture_output=True,
                             text=True).stdout
        used = sorted(set(out.split()) & set(DIV64))
        if used:
            res[os.path.basename(o)] = used
    return res


def total(d):
    t = {"text": 0, "data": 0, "bss": 0}
    for v in d.values():
        for k in t:
            t[k] += v[k]
    return t


def main():
    out, mapfile = sys.argv[1], sys.argv[2]
    rest = sys.argv[3:]
    sep = rest.index("--")
    objs, mlib = rest[:sep], rest[sep + 1]
    ornd_all = {}
    for o in objs:
        ornd_all.update(obj_sizes(o))
    mbed_all = {k: v for k, v in obj_sizes(mlib).items() if sum(v.values())}
    linked = map_sizes(mapfile)
    ornd_tok = linked.get("ornd", {})
    mbed_tok = linked.get("mbedtls", {})
    res = {
        "ornd": {"modules": {m: {"all": ornd_all[m], "token": ornd_tok.get(m, {"text": 0, "data": 0, "bss": 0})}
                             for m in sorted(ornd_all)},
                 "all": total(ornd_all), "token": total(ornd_tok)},
        "mbedtls": {"modules": {m: {"all": mbed_all[m],
                                    "token": mbed_tok.get(m, {"text": 0, "data": 0, "bss": 0})}
                                for m in sorted(mbed_all)},
                    "all": total(mbed_all), "token": total(mbed_tok),
                    "top_token": sorted(((m, v["text"]) for m, v in mbed_tok.items()),
                                        key=lambda x: -x[1])[:5]},
        "other_token": total(linked.get("other", {})),
        "div64": {m: h for m, h in div64_users(objs).items()
                  if ornd_tok.get(m, {"text": 0})["text"] > 0},
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
