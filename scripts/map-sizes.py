#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Size table of a linked firmware, per module, from the GNU ld map file.

    map-sizes.py SIZE-TOOL ELF MAP [--json OUT]

Sums the input sections the linker kept (after --gc-sections) by the object
they came from: each ornd-lite module, each object of port/ linked into the
firmware, each board file, lwIP (total and its largest objects, when linked),
mbedTLS (total and its largest objects) and the C runtime (libc, libgcc). Then
prints the tool's own text/data/bss line for the ELF. With --json, writes
the same figures (every object, and the ELF's text/data/bss) to OUT instead.
"""
import json
import re
import subprocess
import sys

size_tool, elf, mapfile = sys.argv[1:4]

KIND = (
    (".text", "text"), (".rodata", "text"), (".ARM.exidx", "text"), (".ARM.extab", "text"),
    (".vectors", "text"), (".srodata", "text"), (".init", "text"),
    (".sdata", "data"), (".sbss", "bss"),
    (".data", "data"), (".bss", "bss"), ("COMMON", "bss"),
)


def kind_of(section):
    for prefix, kind in KIND:
        if section.startswith(prefix):
            return kind
    return None


def module_of(path):
    m = re.search(r"([^/]+)\.a\(([^)]+)\.o\)$", path)
    if m:
        lib, obj = m.groups()
        if lib in ("libornd", "libornd-core"):
            return "ornd", obj
        if lib == "libmbedtls":
            return "mbedtls", obj
        if lib == "liblwip":
            return "lwip", obj
        return "runtime", lib
    m = re.search(r"/obj/port/[^/]+/([^/]+)\.o$", path)
    if m:
        return "port", m.group(1)
    m = re.search(r"([^/]+)\.o$", path)
    if m:
        return "board", m.group(1)
    return "runtime", path.rsplit("/", 1)[-1]


sizes = {}
with open(mapfile, encoding="utf-8", errors="replace") as f:
    lines = f.read().split("Linker script and memory map", 1)[-1].splitlines()
pending = None
for line in lines:
    m = re.match(r"^ (\S+)\s*$", line)
    if m:  # long section name: address, size and file follow on the next line
        pending = m.group(1)
        continue
    m = re.match(r"^ (\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", line)
    if m:
        section = m.group(1) or pending
        pending = None
        if section is None:
            continue
        kind = kind_of(section)
        size = int(m.group(3), 16)
        if kind is None or size == 0:
            continue
        key = module_of(m.group(4).strip())
        row = sizes.setdefault(key, {"text": 0, "data": 0, "bss": 0})
        row[kind] += size
    else:
        pending = None


if len(sys.argv) == 6 and sys.argv[4] == "--json":
    out = subprocess.run([size_tool, elf], check=True, capture_output=True, text=True).stdout
    text, data, bss = (int(v) for v in out.splitlines()[1].split()[:3])
    with open(sys.argv[5], "w", encoding="utf-8") as f:
        json.dump({"elf": elf, "size": {"text": text, "data": data, "bss": bss},
                   "modules": {"%s/%s" % k: v for k, v in sorted(sizes.items())}}, f, indent=1)
    sys.exit(0)


def show(name, row):
    total = row["text"] + row["data"] + row["bss"]
    print(f"  {name:<28} {row['text']:>8} {row['data']:>7} {row['bss']:>8} {total:>8}")


def total(keys):
    row = {"text": 0, "data": 0, "bss": 0}
    for k in keys:
        for kind in row:
            row[kind] += sizes[k][kind]
    return row


print(f"linked size per module of {elf} (bytes, after --gc-sections):")
print(f"  {'module':<28} {'text':>8} {'data':>7} {'bss':>8} {'total':>8}")
for group in ("ornd", "port", "board"):
    keys = sorted(k for k in sizes if k[0] == group)
    for k in keys:
        show(f"{group}/{k[1]}", sizes[k])
    if keys:
        show(f"= {group} total", total(keys))
for group in ("lwip", "mbedtls"):
    big = sorted((k for k in sizes if k[0] == group),
                 key=lambda k: -(sizes[k]["text"] + sizes[k]["data"] + sizes[k]["bss"]))
    for k in big[:8]:
        show(f"{group}/{k[1]}", sizes[k])
    if len(big) > 8:
        show(f"{group}/({len(big) - 8} others)", total(big[8:]))
    if big:
        show(f"= {group} total", total(big))
rt = sorted(k for k in sizes if k[0] == "runtime")
for k in rt:
    show(f"runtime/{k[1]}", sizes[k])
print(f"{size_tool} {elf}:")
out = subprocess.run([size_tool, elf], check=True, capture_output=True, text=True).stdout
print("".join("  " + l + "\n" for l in out.splitlines()), end="")
