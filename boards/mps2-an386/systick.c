/* SPDX-License-Identifier: MIT */
/* mps2-an386: a millisecond clock from SysTick interrupts. */
#include "systick.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define CPU_HZ 25000000u /* MPS2 SYSCLK */

void SysTick_Handler(void);

static volatile uint32_t ticks_ms;

void SysTick_Handler(void)
{
    ticks_ms++;
}

uint32_t mps2_now_ms(void)
{
    return ticks_ms;
}

void mps2_clock_start(void)
{
    SYST_RVR = CPU_HZ / 1000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = 7u; /* processor clock, interrupt, enable */
}
