/* SPDX-License-Identifier: MIT */
/*
 * Stack high-water mark on mps2-an386: stack_paint() fills the unused stack
 * below the caller's frame with a pattern; stack_used() reports how deep
 * the stack has gone since (the bytes below __stack_top no longer holding
 * the pattern).
 */
#ifndef MPS2_STACK_H
#define MPS2_STACK_H

void stack_paint(void);
unsigned long stack_used(void);

#endif
