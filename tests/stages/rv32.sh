#!/bin/sh
# SPDX-License-Identifier: MIT
# title: the core on RISC-V rv32imac, no OS and no C library (QEMU virt, semihosting)
#
# Runs build/rv32-core/rv32-core.elf (make rv32-core: the sans-I/O core
# linked with -nostdlib, see boards/rv32-core/README.md) in
# qemu-system-riscv32's `virt` machine. The image prints one line per check
# over semihosting and exits with the number that failed. Counts: each check
# of the image; a crash, a hang (60 s) or a non-zero exit without a reported
# failure counts as one failure.
set -u
cd "$(dirname "$0")/../.."

ELF=build/rv32-core/rv32-core.elf
QEMU=${QEMU_RISCV32:-qemu-system-riscv32}

if ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "rv32: $QEMU not found (Debian package qemu-system-misc); nothing was run"
    echo "rv32: 0 passed, 1 failed"
    exit 1
fi
if [ ! -f "$ELF" ]; then
    echo "rv32: $ELF not built (make rv32-core)"
    echo "rv32: 0 passed, 1 failed"
    exit 1
fi
"$QEMU" --version | head -n 1

# -bios none: no firmware; the generic loader puts the image where it was
# linked (flash at 0x20000000, RAM at 0x80000000) and starts the hart at its
# entry, _start.
out=$(timeout 60 "$QEMU" -M virt -bios none -nographic -monitor none -serial null \
    -semihosting-config enable=on,target=native \
    -device loader,file="$ELF",cpu-num=0 2>&1)
rc=$?
printf '%s\n' "$out"
[ "$rc" -eq 124 ] && echo "*** $ELF: timed out"
line=$(printf '%s\n' "$out" | grep -E '^rv32-core: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
p=$(printf '%s\n' "$line" | sed -n 's/^rv32-core: \([0-9]*\) passed.*/\1/p')
f=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
p=${p:-0}
f=${f:-0}
if [ "$rc" -ne "$f" ] && [ "$f" -eq 0 ]; then f=1; fi # crashed, hung or lied
if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; fi        # reported nothing
echo "rv32: $p passed, $f failed (exit status $rc)"
[ "$f" -eq 0 ]
