/* SPDX-License-Identifier: MIT */
/* Stack high-water mark: see stack.h. The linker script's symbols are
 * addresses, not objects, so they are compared as integers. */
#include "stack.h"

#include <stdint.h>

extern uint32_t __heap_end, __stack_top;
#define STACK_PAINT 0x5AA5C33Cu

void stack_paint(void)
{
    uintptr_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (uintptr_t a = (uintptr_t)&__heap_end; a < sp - 256u; a += 4u) {
        *(volatile uint32_t *)a = STACK_PAINT;
    }
}

unsigned long stack_used(void)
{
    uintptr_t a = (uintptr_t)&__heap_end, top = (uintptr_t)&__stack_top;
    while (a < top && *(const volatile uint32_t *)a == STACK_PAINT) {
        a += 4u;
    }
    return (unsigned long)(top - a);
}
