/* SPDX-License-Identifier: MIT */
/* ARM semihosting calls: `bkpt 0xab` with the operation in r0 and its
 * argument (block) in r1; the result comes back in r0. */
#include "semihost.h"

#include <stdint.h>

enum {
    SYS_OPEN = 0x01,
    SYS_CLOSE = 0x02,
    SYS_WRITEC = 0x03,
    SYS_WRITE = 0x05,
    SYS_READ = 0x06,
    SYS_FLEN = 0x0C,
    SYS_GET_CMDLINE = 0x15,
    SYS_EXIT = 0x18,
    SYS_EXIT_EXTENDED = 0x20,
};
#define MODE_RB 1u /* SYS_OPEN mode 1: "rb" */
#define ADP_STOPPED_APPLICATION_EXIT 0x20026ul

static uintptr_t sh_call(uintptr_t op, const void *arg)
{
    register uintptr_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static size_t str_len(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

/* Host handles for stdout and stderr: ":tt" opened for writing ("w") and
 * appending ("a"), as the semihosting specification assigns them. */
static intptr_t handles[3] = {-2, -2, -2};

static intptr_t handle_for(int fd)
{
    if (fd < 1 || fd > 2) {
        return -1;
    }
    if (handles[fd] == -2) {
        static const char tt[] = ":tt";
        uintptr_t args[3] = {(uintptr_t)tt, fd == 1 ? 4u : 8u, sizeof tt - 1u};
        handles[fd] = (intptr_t)sh_call(SYS_OPEN, args);
    }
    return handles[fd];
}

void sh_write(int fd, const char *buf, size_t len)
{
    intptr_t h = handle_for(fd);
    if (h < 0) { /* no handle: byte by byte to the debug console */
        for (size_t i = 0; i < len; i++) {
            sh_call(SYS_WRITEC, &buf[i]);
        }
        return;
    }
    while (len > 0) {
        uintptr_t args[3] = {(uintptr_t)h, (uintptr_t)buf, len};
        size_t left = sh_call(SYS_WRITE, args); /* bytes NOT written */
        if (left >= len) {
            return;
        }
        buf += len - left;
        len = left;
    }
}

/* Through the stdout handle too (not SYS_WRITE0, which QEMU sends to its
 * own log), so that all output keeps its order. */
void sh_puts(const char *s)
{
    sh_write(1, s, str_len(s));
}

void sh_put_u32(unsigned long v)
{
    char d[11];
    size_t i = sizeof d;
    d[--i] = '\0';
    do {
        d[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    sh_puts(&d[i]);
}

void sh_put_hex(unsigned long v)
{
    char d[11] = "0x";
    for (int i = 0; i < 8; i++) {
        d[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xfu];
    }
    d[10] = '\0';
    sh_puts(d);
}

long sh_open_read(const char *path)
{
    uintptr_t args[3] = {(uintptr_t)path, MODE_RB, str_len(path)};
    intptr_t h = (intptr_t)sh_call(SYS_OPEN, args);
    return h < 0 ? -1 : (long)h;
}

long sh_read(long handle, void *buf, size_t len)
{
    if (handle < 0) {
        return -1;
    }
    uintptr_t args[3] = {(uintptr_t)handle, (uintptr_t)buf, len};
    size_t left = sh_call(SYS_READ, args); /* bytes NOT read */
    if (left > len) {
        return -1;
    }
    return (long)(len - left);
}

long sh_flen(long handle)
{
    if (handle < 0) {
        return -1;
    }
    uintptr_t args[1] = {(uintptr_t)handle};
    intptr_t n = (intptr_t)sh_call(SYS_FLEN, args);
    return n < 0 ? -1 : (long)n;
}

void sh_close(long handle)
{
    if (handle >= 0) {
        uintptr_t args[1] = {(uintptr_t)handle};
        (void)sh_call(SYS_CLOSE, args);
    }
}

int sh_cmdline(char *buf, size_t cap)
{
    if (cap < 2) {
        return -1;
    }
    uintptr_t args[2] = {(uintptr_t)buf, cap};
    if (sh_call(SYS_GET_CMDLINE, args) != 0 || args[1] >= cap) {
        buf[0] = '\0';
        return -1;
    }
    buf[args[1]] = '\0';
    return 0;
}

void sh_exit(int status)
{
    uintptr_t args[2] = {ADP_STOPPED_APPLICATION_EXIT, (uintptr_t)(status & 0xff)};
    sh_call(SYS_EXIT_EXTENDED, args);
    /* A host without SYS_EXIT_EXTENDED: plain SYS_EXIT only tells success
     * (ApplicationExit) from failure (any other reason). */
    sh_call(SYS_EXIT, (const void *)(status == 0 ? ADP_STOPPED_APPLICATION_EXIT : 0x20023ul));
    for (;;) {
    }
}
