/* SPDX-License-Identifier: MIT */
/*
 * ARM semihosting (the debugger or QEMU with -semihosting performs the call):
 * console output, exit status, the command line and reading host files, for
 * the mps2-an386 board. Host files are those of the machine running QEMU
 * (-semihosting-config target=native); paths are relative to QEMU's working
 * directory.
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
/* Open a host file for reading ("rb"): a handle >= 0, or -1. */
long sh_open_read(const char *path);
/* Read up to len bytes: the number read (0 at the end of the file), or -1. */
long sh_read(long handle, void *buf, size_t len);
/* The length of an open host file, or -1. */
long sh_flen(long handle);
void sh_close(long handle);
/* The program's command line (QEMU: -semihosting-config arg=...), NUL-
 * terminated in buf; 0 on success, -1 when there is none or it is too long. */
int sh_cmdline(char *buf, size_t cap);
/* Stop the program; the host (QEMU) exits with `status` (0..255). */
__attribute__((noreturn)) void sh_exit(int status);

#endif
