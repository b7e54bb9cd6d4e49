/* SPDX-License-Identifier: MIT */
/* RISC-V semihosting: console output and exit status (see semihost.c). */
#ifndef RV32_SEMIHOST_H
#define RV32_SEMIHOST_H

/* Write a NUL-terminated string to the host's console. */
void rv32_puts(const char *s);

/* End the program with `status` (the emulator's exit status). */
void rv32_exit(int status) __attribute__((noreturn));

#endif
