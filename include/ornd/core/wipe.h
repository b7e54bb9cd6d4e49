/* SPDX-License-Identifier: MIT */
/*
 * Wiping secrets (engine; unstable, not for application code): the one
 * helper every module uses for memory that held a secret, a token or a
 * request carrying them. Unlike memset() it is not removed by the compiler
 * when the memory is not read again.
 */
#ifndef ORND_CORE_WIPE_H
#define ORND_CORE_WIPE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Set n bytes at p to zero. p may be NULL when n is 0. */
void ornd_wipe(void *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CORE_WIPE_H */
