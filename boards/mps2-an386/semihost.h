/*
 * ARM semihosting (the debugger or QEMU with -semihosting performs the call):
 * console output and exit status, for the mps2-an386 board.
 */
#ifndef MPS2_SEMIHOST_H
#define MPS2_SEMIHOST_H

#include <stddef.h>

/* Write len bytes to the host's stdout (fd 1) or stderr (fd 2). */
void sh_write(int fd, const char *buf, size_t len);
/* Write a NUL-terminated string to stdout. */
void sh_puts(const char *s);
/* Write an unsigned number in decimal / hexadecimal to stdout. */
void sh_put_u32(unsigned long v);
void sh_put_hex(unsigned long v);
/* Stop the program; the host (QEMU) exits with `status` (0..255). */
__attribute__((noreturn)) void sh_exit(int status);

#endif
