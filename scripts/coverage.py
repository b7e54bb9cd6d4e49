#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Print gcovr's JSON summary as one line per file (lines and branches),
then the total and the check of the coverage goals (issue 13): every file
at least 90 % of its lines, the library as a whole at least 97 % of lines
and 90 % of branches. `make coverage`. Usage: coverage.py SUMMARY.json

A report: it exits 0 whether the goals are met or not (docs/testing.md,
"Coverage", lists what stays uncovered and why)."""
import json
import sys

FILE_LINES = 90.0  # every file, lines
TOTAL_LINES = 97.0  # the library, lines
TOTAL_BRANCHES = 90.0  # the library, branches


def ratio(covered, total):
    return 100.0 * covered / total if total else 100.0


def pct(covered, total):
    return "%5.1f%%" % ratio(covered, total) if total else "    - "


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

    below = [r["filename"] for r in rows
             if ratio(r["line_covered"], r["line_total"]) < FILE_LINES]
    goals = [
        ("every file >= %g%% of lines" % FILE_LINES, not below,
         ("below: " + ", ".join(below)) if below else ""),
        ("library >= %g%% of lines" % TOTAL_LINES, ratio(lc, lt) >= TOTAL_LINES,
         "%.1f%%" % ratio(lc, lt)),
        ("library >= %g%% of branches" % TOTAL_BRANCHES, ratio(bc, bt) >= TOTAL_BRANCHES,
         "%.1f%%" % ratio(bc, bt)),
    ]
    print()
    for name, ok, detail in goals:
        print("goal %-30s %s%s" % (name + ":", "PASS" if ok else "FAIL",
                                   "  (%s)" % detail if detail else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
