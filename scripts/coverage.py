#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Print gcovr's JSON summary as one line per file (lines and branches),
then the total: `make coverage`. Usage: coverage.py SUMMARY.json"""
import json
import sys


def pct(covered, total):
    return "%5.1f%%" % (100.0 * covered / total) if total else "    - "


def main():
    with open(sys.argv[1]) as f:
        s = json.load(f)
    rows = sorted(s["files"], key=lambda r: r["filename"])
    width = max(len(r["filename"]) for r in rows) if rows else 10
    print("%-*s  %14s  %16s" % (width, "file", "lines", "branches"))
    lc = lt = bc = bt = 0
    for r in rows:
        print("%-*s  %s %7s  %s %8s" % (width, r["filename"],
              pct(r["line_covered"], r["line_total"]),
              "%d/%d" % (r["line_covered"], r["line_total"]),
              pct(r["branch_covered"], r["branch_total"]),
              "%d/%d" % (r["branch_covered"], r["branch_total"])))
        lc += r["line_covered"]
        lt += r["line_total"]
        bc += r["branch_covered"]
        bt += r["branch_total"]
    print("%-*s  %s %7s  %s %8s" % (width, "total", pct(lc, lt), "%d/%d" % (lc, lt),
          pct(bc, bt), "%d/%d" % (bc, bt)))


if __name__ == "__main__":
    main()
