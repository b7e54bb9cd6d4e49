#!/bin/sh
# SPDX-License-Identifier: MIT
# README.md quotes boards/host/quickstart.c whole, as its library example:
# check that the code block between the markers
#   <!-- begin boards/host/quickstart.c -->  and  <!-- end boards/host/quickstart.c -->
# (inside its ```c fence) is the file, byte for byte. Prints the difference
# and exits 1 when they differ. Run by tests/integration/test_quickstart.py.
#
#   sh tests/docs/readme_example.sh [README [FILE]]
set -eu
cd "$(dirname "$0")/../.."
readme=${1:-README.md}
file=${2:-boards/host/quickstart.c}
block=$(mktemp)
trap 'rm -f "$block"' EXIT

awk -v file="$file" -v begin="<!-- begin $file -->" -v end="<!-- end $file -->" '
    $0 == begin { inside = 1; seen++; next }
    $0 == end   { inside = 0; next }
    inside && !fence && $0 == "```c" { fence = 1; next }
    inside && fence && $0 == "```" { fence = 0; next }
    inside && fence { print }
    END { if (seen != 1) { print "markers for " file ": found " seen + 0 " times, want 1" > "/dev/stderr"; exit 1 } }
' "$readme" >"$block" || exit 1

if ! diff -u "$file" "$block" >&2; then
    echo "readme-example: the code block of $readme differs from $file (above: - file, + README)" >&2
    exit 1
fi
echo "readme-example: the code block of $readme is $file"

# The README is the newcomer's page: it stays within 8 KiB.
size=$(wc -c <"$readme")
if [ "$size" -gt 8192 ]; then
    echo "readme-example: $readme is $size bytes, more than 8 KiB: move detail to docs/" >&2
    exit 1
fi
echo "readme-example: $readme is $size bytes (at most 8192)"
