/* SPDX-License-Identifier: MIT */
/*
 * lwIP's architecture header for mps2-an386 (arm-none-eabi-gcc, newlib):
 * little-endian, the C library's <stdint.h> types, and three hooks the
 * board supplies in lwip_arch.c: the random numbers lwIP uses for port
 * numbers and DNS transaction ids (not for cryptography), and assertion
 * failures, reported over semihosting.
 */
#ifndef MPS2_LWIP_ARCH_CC_H
#define MPS2_LWIP_ARCH_CC_H

#include <stdint.h>

#define BYTE_ORDER LITTLE_ENDIAN

uint32_t mps2_lwip_rand(void);
__attribute__((noreturn)) void mps2_lwip_assert(const char *msg, const char *file, int line);

#define LWIP_RAND() mps2_lwip_rand()
#define LWIP_PLATFORM_DIAG(x) ((void)0)
#define LWIP_PLATFORM_ASSERT(x) mps2_lwip_assert((x), __FILE__, __LINE__)

#endif /* MPS2_LWIP_ARCH_CC_H */
