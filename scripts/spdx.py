#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The project's licence line on every file it wrote.

  spdx.py --check   list the files that lack it (exit 1 if any)
  spdx.py --add     put it at the top of those files

Which files: those git knows (tracked or not ignored) except third-party data
that keeps its own licence (tests/json/suite, JSONTestSuite) and fuzz inputs,
whose every byte is input (tests/fuzz/corpus/README.md says whose they are).
"""
import os
import subprocess
import sys

LINE = "SPDX-License-Identifier: MIT"
SKIP_DIRS = ("tests/json/suite/", "tests/fuzz/corpus/")
SKIP_FILES = {"LICENSE"}


def comment(path):
    base = os.path.basename(path)
    ext = os.path.splitext(base)[1]
    if ext in (".c", ".h", ".S", ".ld"):
        return "/* " + LINE + " */"
    if ext == ".md":
        return "<!-- " + LINE + " -->"
    if ext in (".sh", ".py", ".mk", ".yml", ".yaml", ".cmake", ".txt", ".in", ".dict") or base in (
        "Makefile", ".gitignore", ".clang-format", ".clang-tidy", "run", "Kconfig",
        "CMakeLists.txt",
    ):
        return "# " + LINE
    return None


def files():
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                         check=True, capture_output=True, text=True).stdout.split()
    return [f for f in out if os.path.isfile(f) and not f.startswith(SKIP_DIRS)
            and os.path.basename(f) not in SKIP_FILES]


def has_line(path):
    with open(path, "rb") as f:
        head = f.read(400)
    return LINE.encode() in head


def add(path, text):
    with open(path, "r", encoding="utf-8") as f:
        body = f.read()
    if body.startswith("#!"):
        first, _, rest = body.partition("\n")
        body = first + "\n" + text + "\n" + rest
    else:
        body = text + "\n" + body
    with open(path, "w", encoding="utf-8") as f:
        f.write(body)


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "--check"
    missing, unknown = [], []
    for f in files():
        if has_line(f):
            continue
        c = comment(f)
        if c is None:
            unknown.append(f)
        elif mode == "--add":
            add(f, c)
        else:
            missing.append(f)
    for f in missing:
        print("no licence line:", f)
    for f in unknown:
        print("no licence line and no known comment syntax:", f)
    if missing or unknown:
        return 1
    print("spdx: every file of the project carries", LINE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
