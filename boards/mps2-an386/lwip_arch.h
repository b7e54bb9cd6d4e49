/* SPDX-License-Identifier: MIT */
/*
 * What lwIP (NO_SYS 1) needs from the mps2-an386 board besides the Ethernet
 * driver: sys_now() from the SysTick clock, LWIP_RAND() and assertion
 * reports (arch/cc.h). lwIP's random numbers pick local port numbers and
 * DNS transaction ids; they are a xorshift generator seeded once by
 * mps2_lwip_seed() from the firmware's entropy source, not a cryptographic
 * source (TLS takes its randomness from the port's entropy hook directly).
 */
#ifndef MPS2_LWIP_ARCH_H
#define MPS2_LWIP_ARCH_H

#include <stdint.h>

/* Seed LWIP_RAND() (call before lwip_init(), which draws the first local
 * port numbers). */
void mps2_lwip_seed(uint32_t seed);

#endif
