/* SPDX-License-Identifier: MIT */
/* mps2-an386: the millisecond clock from SysTick, shared by both
 * firmwares (systick.c). */
#ifndef MPS2_SYSTICK_H
#define MPS2_SYSTICK_H

#include <stdint.h>

/* Start SysTick (1 ms interrupts). */
void mps2_clock_start(void);

/* Milliseconds since the clock was started; wraps at 2^32. */
uint32_t mps2_now_ms(void);

#endif
