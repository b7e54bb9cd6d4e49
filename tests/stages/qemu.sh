#!/bin/sh
# SPDX-License-Identifier: MIT
# title: unit tests and firmware self-check on a Cortex-M4 (QEMU mps2-an386, semihosting)
#
# Runs the unit tests cross-built for the Cortex-M4 (make qemu-tests: cmocka
# 1.1.5 and newlib, in build/mps2-an386/tests/) and the mps2-an386 firmware
# in qemu-system-arm, each as its own machine; output comes back over
# semihosting. Counts: each cmocka test, and each check of the firmware.
# A program that crashes, hangs (QEMU_TIMEOUT, default 900 s) or exits
# non-zero without reporting a failure counts as one failure. test_http_reader alone
# takes about 2.5 minutes under QEMU (it parses 32 KiB answers split at every
# byte); the others take seconds.
set -u
cd "$(dirname "$0")/../.."

M4=build/mps2-an386
QEMU=${QEMU_ARM:-qemu-system-arm}
passed=0
failed=0

if ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "qemu: $QEMU not found (Debian package qemu-system-arm); nothing was run"
    echo "qemu: 0 passed, 1 failed"
    exit 1
fi
"$QEMU" --version | head -n 1

run() { # run ELF: prints its output, sets out, rc and secs
    t0=$(date +%s)
    out=$(timeout "${QEMU_TIMEOUT:-900}" "$QEMU" -M mps2-an386 -nographic -monitor none \
        -serial null -semihosting-config enable=on,target=native -kernel "$1" 2>&1)
    rc=$?
    secs=$(($(date +%s) - t0))
    printf '%s\n' "$out"
    [ "$rc" -eq 124 ] && echo "*** $1: timed out"
}

count() { # count PASSED FAILED NAME
    p=${1:-0}
    f=${2:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$rc" -eq 0 ] && [ "$f" -eq 0 ] && [ "$p" -eq 0 ]; then f=1; fi # reported nothing
    echo "-- $3: $p passed, $f failed (exit status $rc, ${secs} s)"
    passed=$((passed + p))
    failed=$((failed + f))
}

found=0
for t in "$M4"/tests/test_*.elf; do
    [ -f "$t" ] || continue
    found=1
    name=$(basename "$t" .elf)
    echo "== $name (Cortex-M4)"
    run "$t"
    p=$(printf '%s\n' "$out" | sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    count "$p" "$f" "$name"
done
if [ "$found" -eq 0 ]; then
    echo "no unit-test ELFs in $M4/tests: run make qemu-tests first"
    failed=$((failed + 1))
fi

if [ -f "$M4/firmware.elf" ]; then
    echo "== firmware (mps2-an386, no network)"
    run "$M4/firmware.elf"
    line=$(printf '%s\n' "$out" | grep -E '^firmware: [0-9]+ passed, [0-9]+ failed' | tail -n 1)
    p=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) passed.*/\1/p')
    f=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
    count "$p" "$f" firmware
else
    echo "no $M4/firmware.elf: run make BOARD=mps2-an386 (or make qemu-tests) first"
    failed=$((failed + 1))
fi

echo "qemu: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
