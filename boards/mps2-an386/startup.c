/* SPDX-License-Identifier: MIT */
/*
 * Reset and fault handling for the Cortex-M4 of mps2-an386: the vector
 * table, a reset handler that sets up C (copies .data from ROM, zeroes .bss,
 * runs constructors) and calls main(), and fault handlers that report the
 * faulting state over semihosting and stop with exit status 3.
 */
#include <stdint.h>
#include <stdlib.h>

#include "semihost.h"

/* Linker-script symbols: only their addresses mean anything. */
extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];
extern uint32_t __stack_top;
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

int main(void);
void Reset_Handler(void);
void Default_Handler(void);
void HardFault_Handler(void);
void fault_report(const uint32_t *frame, uint32_t exc_return);
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2Cu)
#define SCB_MMFAR (*(volatile uint32_t *)0xE000ED34u)
#define SCB_BFAR (*(volatile uint32_t *)0xE000ED38u)
#define SCB_SHCSR (*(volatile uint32_t *)0xE000ED24u)

/* Words between two linker-script symbols: their addresses are what the
 * linker says, not pointers into one C object, so they are compared as
 * numbers. */
static uint32_t words_between(const uint32_t *start, const uint32_t *end)
{
    return (uint32_t)(((uintptr_t)end - (uintptr_t)start) / sizeof(uint32_t));
}

void Reset_Handler(void)
{
    for (uint32_t i = 0, n = words_between(__data_start, __data_end); i < n; i++) {
        __data_start[i] = __data_load[i];
    }
    for (uint32_t i = 0, n = words_between(__bss_start, __bss_end); i < n; i++) {
        __bss_start[i] = 0;
    }
#if defined(__ARM_FP)
    SCB_CPACR |= 0xFu << 20; /* CP10, CP11 full access: the FPU */
    __asm__ volatile("dsb\n\tisb");
#endif
    /* MemManage, BusFault and UsageFault get their own report instead of
     * escalating to HardFault. */
    SCB_SHCSR |= (1u << 16) | (1u << 17) | (1u << 18);
    size_t ctors = (size_t)((uintptr_t)__init_array_end - (uintptr_t)__init_array_start) /
                   sizeof(__init_array_start[0]);
    for (size_t i = 0; i < ctors; i++) {
        __init_array_start[i]();
    }
    exit(main());
}

/* Any exception without a handler of its own. */
void Default_Handler(void)
{
    sh_puts("\n*** unexpected exception ");
    sh_put_u32(SCB_ICSR & 0x1FFu);
    sh_puts("\n");
    sh_exit(3);
}

/* Faults: find the stacked frame (MSP or PSP, from EXC_RETURN bit 2). */
__attribute__((naked)) void HardFault_Handler(void)
{
    __asm__ volatile("tst lr, #4\n\t"
                     "ite eq\n\t"
                     "mrseq r0, msp\n\t"
                     "mrsne r0, psp\n\t"
                     "mov r1, lr\n\t"
                     "b fault_report\n");
}

void fault_report(const uint32_t *frame, uint32_t exc_return)
{
    sh_puts("\n*** fault: exception ");
    sh_put_u32(SCB_ICSR & 0x1FFu);
    sh_puts(" pc=");
    sh_put_hex(frame[6]);
    sh_puts(" lr=");
    sh_put_hex(frame[5]);
    sh_puts(" cfsr=");
    sh_put_hex(SCB_CFSR);
    sh_puts(" hfsr=");
    sh_put_hex(SCB_HFSR);
    sh_puts(" mmfar=");
    sh_put_hex(SCB_MMFAR);
    sh_puts(" bfar=");
    sh_put_hex(SCB_BFAR);
    sh_puts(" exc_return=");
    sh_put_hex(exc_return);
    sh_puts("\n");
    sh_exit(3);
}

/* Cortex-M4 system exceptions, then the 32 interrupts of the AN386 image. */
typedef void (*vector_t)(void);
__attribute__((section(".vectors"), used)) static const vector_t vectors[16 + 32] = {
    [0] = (vector_t)(uintptr_t)&__stack_top,
    [1] = Reset_Handler,
    [2] = Default_Handler,   /* NMI */
    [3] = HardFault_Handler,
    [4] = HardFault_Handler, /* MemManage */
    [5] = HardFault_Handler, /* BusFault */
    [6] = HardFault_Handler, /* UsageFault */
    [11] = Default_Handler,  /* SVCall */
    [12] = Default_Handler,  /* DebugMonitor */
    [14] = Default_Handler,  /* PendSV */
    [15] = SysTick_Handler,
    [16 ... 47] = Default_Handler,
};
