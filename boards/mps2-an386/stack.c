/* Stack high-water mark: see stack.h. */
#include "stack.h"

#include <stdint.h>

extern uint32_t __heap_end, __stack_top;
#define STACK_PAINT 0x5AA5C33Cu

void stack_paint(void)
{
    uintptr_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (volatile uint32_t *p = &__heap_end; (uintptr_t)p < sp - 256u; p++) {
        *p = STACK_PAINT;
    }
}

unsigned long stack_used(void)
{
    const uint32_t *p = &__heap_end;
    while (p < &__stack_top && *p == STACK_PAINT) {
        p++;
    }
    return (unsigned long)((const char *)&__stack_top - (const char *)p);
}
