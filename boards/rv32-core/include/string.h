/* SPDX-License-Identifier: MIT */
/*
 * The only <string.h> the RISC-V core build sees: the freestanding build has
 * no C library, so these declarations are all the core may use, and the
 * board supplies their definitions (boards/rv32-core/mem.c).
 */
#ifndef RV32_CORE_STRING_H
#define RV32_CORE_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif
