/* SPDX-License-Identifier: MIT */
/*
 * RISC-V semihosting, the two calls the rv32-core image needs: write a
 * string to the host's console and exit with a status. A semihosting call is
 * the uncompressed sequence "slli x0, x0, 0x1f; ebreak; srai x0, x0, 7"
 * (which a debugger or QEMU recognises around the ebreak, within one page),
 * with the operation in a0 and its argument in a1.
 *
 * Without a debugger or an emulator that serves semihosting the ebreak
 * traps: run the image under one (QEMU: -semihosting-config enable=on).
 */
#include "semihost.h"

#include <stdint.h>

#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static long semihost(long op, const void *arg)
{
    register long a0 __asm__("a0") = op;
    register const void *a1 __asm__("a1") = arg;
    __asm__ volatile(".option push\n"
                     ".option norvc\n"
                     ".balign 16\n"
                     "slli x0, x0, 0x1f\n"
                     "ebreak\n"
                     "srai x0, x0, 7\n"
                     ".option pop\n"
                     : "+r"(a0)
                     : "r"(a1)
                     : "memory");
    return a0;
}

void rv32_puts(const char *s)
{
    (void)semihost(SYS_WRITE0, s);
}

void rv32_exit(int status)
{
    const uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
    (void)semihost(SYS_EXIT_EXTENDED, block);
    for (;;) {
    }
}
