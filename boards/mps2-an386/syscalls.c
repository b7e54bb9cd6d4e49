/* SPDX-License-Identifier: MIT */
/*
 * The few system calls newlib needs, on semihosting: console output,
 * exit status, and a heap between the end of .bss and the stack (used by
 * cmocka in the unit tests; the library itself never allocates). No clock
 * of the day: time() fails (-1), so that mbedTLS's default mbedtls_time(),
 * before ornd_tls_use_platform_time() replaces it, says 1969 and every
 * certificate is "not yet valid" rather than any date being taken as good.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "semihost.h"

extern char __heap_start, __heap_end;

int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int off, int whence);
void *_sbrk(ptrdiff_t incr);
void _exit(int status);
int _kill(int pid, int sig);
int _getpid(void);
int _open(const char *path, int flags, ...);
int _gettimeofday(struct timeval *tv, void *tz);
void _init(void);
void _fini(void);

int _write(int fd, const char *buf, int len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    sh_write(fd, buf, (size_t)len);
    return len;
}

int _read(int fd, char *buf, int len)
{
    (void)fd;
    (void)buf;
    (void)len;
    return 0; /* no console input: end of file */
}

int _close(int fd)
{
    (void)fd;
    return 0;
}

int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd)
{
    return fd >= 0 && fd <= 2;
}

int _lseek(int fd, int off, int whence)
{
    (void)fd;
    (void)off;
    (void)whence;
    return 0;
}

/* The heap lies between two linker-script symbols; `used` bytes of it are
 * handed out (newlib's allocator, used by the unit tests' cmocka). */
void *_sbrk(ptrdiff_t incr)
{
    static uintptr_t used;
    uintptr_t size = (uintptr_t)&__heap_end - (uintptr_t)&__heap_start;
    if ((incr > 0 && (uintptr_t)incr > size - used) ||
        (incr < 0 && (uintptr_t)(-incr) > used)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    void *old = (void *)((uintptr_t)&__heap_start + used);
    used = incr >= 0 ? used + (uintptr_t)incr : used - (uintptr_t)(-incr);
    return old;
}

void _exit(int status)
{
    sh_exit(status);
}

int _kill(int pid, int sig)
{
    (void)pid;
    sh_puts("\n*** abort (signal ");
    sh_put_u32((unsigned long)sig);
    sh_puts(")\n");
    sh_exit(134);
}

int _getpid(void)
{
    return 1;
}

int _open(const char *path, int flags, ...)
{
    (void)path;
    (void)flags;
    errno = ENOSYS; /* no file system */
    return -1;
}

int _gettimeofday(struct timeval *tv, void *tz)
{
    (void)tv;
    (void)tz;
    errno = ENOSYS; /* the board has no clock of the day */
    return -1;
}

/* Called by newlib's exit() and __libc_init_array; the startup code runs the
 * constructors itself (there is no crti/crtn with -nostartfiles). */
void _init(void)
{
}

void _fini(void)
{
}
