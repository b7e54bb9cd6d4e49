/* SPDX-License-Identifier: MIT */
/* Compiler hints the library relies on (private). */
#ifndef ORND_COMPILER_H
#define ORND_COMPILER_H

/* Keep a function out of its callers: a function with big locals that is
 * not on the deepest call path would otherwise add its frame to that path
 * (the worst-case stack is a budget; see README, "Benchmarks"). */
#if defined(__GNUC__)
#define ORND_NOINLINE __attribute__((noinline))
#else
#define ORND_NOINLINE
#endif

#endif /* ORND_COMPILER_H */
