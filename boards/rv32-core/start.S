/* SPDX-License-Identifier: MIT */
/* Entry of the rv32-core image: set the stack and global pointers, copy
 * .data, zero .bss, call main(), keep its result in rv32_result and exit
 * with it over semihosting (QEMU's exit status). No OS, no C library:
 * everything else the core needs is in this directory. */
    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    la t0, __data_start     /* copy .data from flash */
    la t1, __data_end
    la t2, __data_load
0:  bgeu t0, t1, 1f
    lw t3, 0(t2)
    sw t3, 0(t0)
    addi t0, t0, 4
    addi t2, t2, 4
    j 0b
1:
    la t0, __bss_start
    la t1, __bss_end
4:  bgeu t0, t1, 2f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 4b
2:  call main
    la t0, rv32_result
    sw a0, 0(t0)
    call rv32_exit  /* does not return under semihosting */
3:  ebreak          /* a debugger sees the stop */
    j 3b
